"""GMF701 syncmap-load-then-delete (stub: being written)."""

from __future__ import annotations

from gomapfix.codemod import Codemod


class SyncMapLoadThenDelete(Codemod):
    """TODO"""

    code = "GMF701"
    name = "syncmap-load-then-delete"
    summary = "TODO"
    family = "sync.Map"
