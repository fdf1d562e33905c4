"""GMF101 unguarded-shared-map-write (stub: being written)."""

from __future__ import annotations

from gomapfix.codemod import Codemod


class UnguardedSharedMapWrite(Codemod):
    """Being written; not yet enabled."""

    code = "GMF101"
    name = "unguarded-shared-map-write"
    summary = "Being written; not yet enabled."
    family = "concurrency"
    default_enabled = False
