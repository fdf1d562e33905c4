"""GMF601 emptied-map-retained (stub: being written)."""

from __future__ import annotations

from gomapfix.codemod import Codemod


class EmptiedMapRetained(Codemod):
    """Being written; not yet enabled."""

    code = "GMF601"
    name = "emptied-map-retained"
    summary = "Being written; not yet enabled."
    family = "memory"
    default_enabled = False
