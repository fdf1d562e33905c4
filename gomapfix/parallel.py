"""Fanning packages out over worker processes.

Packages are independent units (facts never cross a package), so each is one task.
Results come back in any order and are sorted by path by the caller, so output does not
depend on ``-j``. A worker that dies (a crash in native code, the OOM killer) breaks the
pool; the packages that had not finished are then re-run one per fresh process, so the
one that crashes again is reported as Failed and the others still get their results.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def map_isolated(
    work: Callable[[T], R],
    items: Iterable[T],
    jobs: int,
    on_crash: Callable[[T, BaseException], R],
    on_done: Callable[[R], None] | None = None,
    weight: Callable[[T], int] | None = None,
    budget: int | None = None,
) -> list[R]:
    """``[work(item) for item in items]`` over ``jobs`` processes, surviving crashes
    (results in completion order: callers sort).

    ``items`` is consumed lazily: each is submitted as soon as it is produced, so the
    workers start while the caller still decides what else needs them. With ``weight``
    and ``budget``, items whose weights would together exceed the budget are not in
    flight at once (one always is): memory follows the largest packages, not how many
    of them a tree has. An item that does not fit waits while smaller ones go ahead.
    """
    results: list[R] = []
    iterator = iter(items)
    first = list(itertools.islice(iterator, 2))
    if jobs <= 1 or len(first) <= 1:
        for item in itertools.chain(first, iterator):
            result = work(item)
            results.append(result)
            if on_done is not None:
                on_done(result)
        return results

    def done(result: R) -> None:
        results.append(result)
        if on_done is not None:
            on_done(result)

    unfinished: list[T] = []
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        flight = _Flight(pool, work, budget, done, unfinished, slots=jobs + 1)
        for item in itertools.chain(first, iterator):
            flight.offer(item, weight(item) if weight is not None else 0)
        flight.drain()
    for item in unfinished:
        # One fresh process per package: a crash now can only be this package's.
        with ProcessPoolExecutor(max_workers=1) as solo:
            try:
                result = solo.submit(work, item).result()
            except BrokenProcessPool as exc:
                result = on_crash(item, exc)
        done(result)
    return results


class _Flight(Generic[T, R]):
    """The items submitted and not yet collected, their total weight, and those waiting
    for room in the budget."""

    def __init__(
        self,
        pool: ProcessPoolExecutor,
        work: Callable[[T], R],
        budget: int | None,
        done: Callable[[R], None],
        unfinished: list[T],
        slots: int,
    ) -> None:
        self.pool = pool
        self.slots = slots
        """Items submitted at most: the pool runs them first come, first served, so a
        long queue there would hold back a large item admitted later behind small ones
        admitted before it, while the waiting list keeps the caller's order."""
        self.work = work
        self.budget = budget
        self.done = done
        self.unfinished = unfinished
        self.in_flight: dict[Future[R], tuple[T, int]] = {}
        self.waiting: list[tuple[T, int]] = []
        self.load = 0
        self.broken = False

    def offer(self, item: T, weight: int) -> None:
        self._collect(block=False)
        self.waiting.append((item, weight))
        self._admit_waiting()

    def drain(self) -> None:
        while self.in_flight or self.waiting:
            if self.in_flight:
                self._collect(block=True)
            self._admit_waiting()

    def _admit_waiting(self) -> None:
        """Submit the waiting items that fit now, in the order they came (the caller's:
        largest first), letting smaller ones past a larger one that does not fit."""
        for entry in list(self.waiting):
            if len(self.in_flight) >= self.slots:
                return
            if self._fits(entry[1]):
                self.waiting.remove(entry)
                self._submit(*entry)

    def _fits(self, weight: int) -> bool:
        return self.budget is None or not self.in_flight or self.load + weight <= self.budget

    def _submit(self, item: T, weight: int) -> None:
        if self.broken:
            self.unfinished.append(item)
            return
        try:
            future = self.pool.submit(self.work, item)
        except BrokenProcessPool:
            self.broken = True
            self.unfinished.append(item)
            return
        self.in_flight[future] = (item, weight)
        self.load += weight

    def _collect(self, block: bool) -> None:
        if not self.in_flight:
            return
        finished, _ = wait(
            self.in_flight, timeout=None if block else 0, return_when=FIRST_COMPLETED
        )
        for future in finished:
            item, weight = self.in_flight.pop(future)
            self.load -= weight
            try:
                result = future.result()
            except BrokenProcessPool:
                self.broken = True
                self.unfinished.append(item)
                continue
            self.done(result)
