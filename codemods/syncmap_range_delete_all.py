"""GMF704 syncmap-range-delete-all (stub: being written)."""

from __future__ import annotations

from gomapfix.codemod import Codemod


class SyncMapRangeDeleteAll(Codemod):
    """Being written; not yet enabled."""

    code = "GMF704"
    name = "syncmap-range-delete-all"
    summary = "Being written; not yet enabled."
    family = "sync.Map"
    default_enabled = False
