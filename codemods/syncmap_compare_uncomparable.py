"""GMF705 syncmap-compare-uncomparable (stub: being written)."""

from __future__ import annotations

from gomapfix.codemod import Codemod


class SyncMapCompareUncomparable(Codemod):
    """Being written; not yet enabled."""

    code = "GMF705"
    name = "syncmap-compare-uncomparable"
    summary = "Being written; not yet enabled."
    family = "sync.Map"
    default_enabled = False
