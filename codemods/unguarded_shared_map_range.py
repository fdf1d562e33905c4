"""GMF103 unguarded-shared-map-range (stub: being written)."""

from __future__ import annotations

from gomapfix.codemod import Codemod


class UnguardedSharedMapRange(Codemod):
    """Being written; not yet enabled."""

    code = "GMF103"
    name = "unguarded-shared-map-range"
    summary = "Being written; not yet enabled."
    family = "concurrency"
    default_enabled = False
