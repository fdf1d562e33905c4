"""GMF302 blocking-work-under-map-lock (stub: being written)."""

from __future__ import annotations

from gomapfix.codemod import Codemod


class BlockingWorkUnderMapLock(Codemod):
    """Being written; not yet enabled."""

    code = "GMF302"
    name = "blocking-work-under-map-lock"
    summary = "Being written; not yet enabled."
    family = "range"
    default_enabled = False
