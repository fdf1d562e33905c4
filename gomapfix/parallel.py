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
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

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
) -> list[R]:
    """``[work(item) for item in items]`` over ``jobs`` processes, surviving crashes.

    ``items`` is consumed lazily: each is submitted as soon as it is produced, so the
    workers start while the caller still decides what else needs them.
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
    unfinished: list[T] = []
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures: list[tuple[T, Future[R]]] = [
            (item, pool.submit(work, item)) for item in itertools.chain(first, iterator)
        ]
        for item, future in futures:
            try:
                result = future.result()
            except BrokenProcessPool:
                unfinished.append(item)
                continue
            results.append(result)
            if on_done is not None:
                on_done(result)
    for item in unfinished:
        # One fresh process per package: a crash now can only be this package's.
        with ProcessPoolExecutor(max_workers=1) as solo:
            try:
                result = solo.submit(work, item).result()
            except BrokenProcessPool as exc:
                result = on_crash(item, exc)
        results.append(result)
        if on_done is not None:
            on_done(result)
    return results
