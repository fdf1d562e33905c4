"""GMF703 syncmap-read-modify-write (stub: being written)."""

from __future__ import annotations

from gomapfix.codemod import Codemod


class SyncMapReadModifyWrite(Codemod):
    """Being written; not yet enabled."""

    code = "GMF703"
    name = "syncmap-read-modify-write"
    summary = "Being written; not yet enabled."
    family = "sync.Map"
    default_enabled = False
