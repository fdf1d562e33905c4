"""Fanning packages out over worker processes.

Packages are independent units (facts never cross a package), so each is one task.
Results come back in any order and are sorted by path by the caller, so output does not
depend on ``-j``.

The pool is our own rather than ``concurrent.futures``' for what a large tree needs:

- A worker holds one package at a time, so a worker that dies (a crash in native code,
  the OOM killer) can only have been running that package: it is reported as Failed and
  a fresh worker takes its place.
- A worker whose memory has grown past a limit is replaced after its package. Python
  cannot hand most of a large package's memory back to the system (its small-object
  arenas stay pinned by a few survivors), so without this every worker would keep the
  high-water mark of the largest package it ever ran, and over a monorepo two such
  workers and the parent add up past the memory goal. Workers are forked, so a fresh one
  starts with what the parent already holds (imports, rules) at no cost.
- Workers do not run Python's cyclic garbage collector: replacing a worker frees its
  memory, cycles included, at the cost of a fork, where the collector's passes over
  every syntax node a package holds cost about 7% of a cold run. (Reference counting
  still frees everything that is not in a cycle as soon as it is dropped; within one
  package the cycles are few: the std lib's largest package peaks at the same size
  either way.)
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

RECYCLE_ABOVE = 128 * 2**20
"""Resident bytes past which a worker is replaced once its package is done. A fresh
worker is about 45 MiB; one that ran the std lib's runtime package stays near 200 MiB,
and the packages after it add what the collector does not reclaim. Replacing one costs
a fork (a few milliseconds); over the std lib it happens about 20 times."""


_CAN_FORK = "fork" in multiprocessing.get_all_start_methods()
"""Workers are forked (they inherit the rules and options without pickling them);
where the platform cannot fork (Windows), packages run in-process, one after another."""


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
    recycle_above: int = RECYCLE_ABOVE,
) -> list[R]:
    """``[work(item) for item in items]`` over ``jobs`` processes, surviving crashes
    (results in completion order: callers sort).

    ``items`` is consumed lazily: each is handed out as soon as it is produced, so the
    workers start while the caller still decides what else needs them. With ``weight``
    and ``budget``, items whose weights would together exceed the budget are not in
    flight at once (one always is): memory follows the largest packages, not how many
    of them a tree has. An item that does not fit waits while smaller ones go ahead.
    An exception raised by ``work`` is raised here.
    """
    results: list[R] = []
    iterator = iter(items)
    first = list(itertools.islice(iterator, 2))
    if jobs <= 1 or len(first) <= 1 or not _CAN_FORK:
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

    with _Pool(work, jobs, on_crash, done, budget, recycle_above) as pool:
        for item in itertools.chain(first, iterator):
            pool.offer(item, weight(item) if weight is not None else 0)
        pool.drain()
    return results


class _Worker(Generic[T]):
    """One forked process, its end of the pipe, and the item it is running."""

    def __init__(self, work: Callable[[T], Any], recycle_above: int) -> None:
        context = multiprocessing.get_context("fork")
        self.conn, child_end = context.Pipe()
        self.process: BaseProcess = context.Process(
            target=_serve, args=(child_end, work, recycle_above), daemon=True
        )
        self.process.start()
        child_end.close()  # so that the worker's death reads as end of file here
        self.item: tuple[T, int] | None = None

    def give(self, item: T, weight: int) -> None:
        self.item = (item, weight)
        self.conn.send(item)

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.send(None)
        self.conn.close()
        self.process.join(timeout=5)
        if self.process.is_alive():  # pragma: no cover - a worker stuck in native code
            self.process.kill()
            self.process.join()


def _serve(conn: Connection, work: Callable[[Any], Any], recycle_above: int) -> None:
    """A worker's life: run items until told to stop, or until it has grown past the
    limit (it then says so with its last answer, and exits)."""
    gc.disable()  # see the module's docstring
    # Ctrl-C reaches the whole process group: the parent stops the workers, which
    # would otherwise each print a traceback of wherever they were.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            item = conn.recv()
        except EOFError:
            return
        if item is None:
            return
        try:
            answer: tuple[str, Any] = ("done", work(item))
        except Exception as exc:  # raised again in the parent
            answer = ("raised", exc)
        retiring = _resident_bytes() > recycle_above
        try:
            conn.send((*answer, retiring))
        except Exception as exc:  # an answer that does not pickle
            conn.send(("raised", RuntimeError(f"unpicklable answer: {exc!r}"), retiring))
        if retiring:
            return


def _resident_bytes() -> int:
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):  # pragma: no cover - not Linux
        return 0


class _Pool(Generic[T, R]):
    """Workers, the items waiting for one (in the caller's order) and the weight in
    flight."""

    def __init__(
        self,
        work: Callable[[T], R],
        jobs: int,
        on_crash: Callable[[T, BaseException], R],
        done: Callable[[R], None],
        budget: int | None,
        recycle_above: int,
    ) -> None:
        self.work = work
        self.jobs = jobs
        self.on_crash = on_crash
        self.done = done
        self.budget = budget
        self.recycle_above = recycle_above
        self.idle: list[_Worker[T]] = []
        self.busy: list[_Worker[T]] = []
        self.waiting: list[tuple[T, int]] = []
        self.load = 0

    def __enter__(self) -> _Pool[T, R]:
        return self

    def __exit__(self, *exc: object) -> None:
        for worker in [*self.idle, *self.busy]:
            if exc[0] is not None:
                worker.process.kill()
            worker.stop()

    def offer(self, item: T, weight: int) -> None:
        self._collect(block=False)
        self.waiting.append((item, weight))
        self._hand_out()

    def drain(self) -> None:
        while self.busy or self.waiting:
            if self.busy:
                self._collect(block=True)
            self._hand_out()

    def _hand_out(self) -> None:
        """Give waiting items that fit to free workers, in the order they came (the
        caller's: largest first), letting smaller ones past a larger one that does not
        fit. Workers are started as they are first needed."""
        for entry in list(self.waiting):
            if len(self.busy) >= self.jobs:
                return
            if self.budget is None or not self.busy or self.load + entry[1] <= self.budget:
                self.waiting.remove(entry)
                self.busy.append(self._give(*entry))
                self.load += entry[1]

    def _give(self, item: T, weight: int) -> _Worker[T]:
        """An idle worker (or a new one) that has been handed ``item``. An idle worker
        that died meanwhile (the OOM killer picks the largest process, busy or not) is
        replaced: it was running nothing."""
        while self.idle:
            worker = self.idle.pop()
            try:
                worker.give(item, weight)
                return worker
            except OSError:
                worker.stop()
        worker = _Worker(self.work, self.recycle_above)
        worker.give(item, weight)
        return worker

    def _collect(self, block: bool) -> None:
        if not self.busy:
            return
        ready = set(wait([w.conn for w in self.busy], timeout=None if block else 0))
        for worker in [w for w in self.busy if w.conn in ready]:
            self.busy.remove(worker)
            assert worker.item is not None
            item, weight = worker.item
            worker.item = None
            self.load -= weight
            try:
                kind, value, retiring = worker.conn.recv()
            except (EOFError, OSError) as exc:
                worker.conn.close()
                worker.process.join()
                code = worker.process.exitcode
                how = f"killed by signal {-code}" if code and code < 0 else f"exit code {code}"
                self.done(self.on_crash(item, ChildProcessError(f"{how}, {exc!r}")))
                continue
            if retiring:
                worker.conn.close()
                worker.process.join()
            else:
                self.idle.append(worker)
            if kind == "raised":
                raise value
            self.done(value)
