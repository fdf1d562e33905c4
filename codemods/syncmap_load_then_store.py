"""GMF702 syncmap-load-then-store (stub: being written)."""

from __future__ import annotations

from gomapfix.codemod import Codemod


class SyncMapLoadThenStore(Codemod):
    """Being written; not yet enabled."""

    code = "GMF702"
    name = "syncmap-load-then-store"
    summary = "Being written; not yet enabled."
    family = "sync.Map"
    default_enabled = False
