"""GMF403 uintptr-map-value (stub: being written)."""

from __future__ import annotations

from gomapfix.codemod import Codemod


class UintptrMapValue(Codemod):
    """Being written; not yet enabled."""

    code = "GMF403"
    name = "uintptr-map-value"
    summary = "Being written; not yet enabled."
    family = "lifetime"
    default_enabled = False
