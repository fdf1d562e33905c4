"""GMF602 clone-does-not-shrink (stub: being written)."""

from __future__ import annotations

from gomapfix.codemod import Codemod


class CloneDoesNotShrink(Codemod):
    """Being written; not yet enabled."""

    code = "GMF602"
    name = "clone-does-not-shrink"
    summary = "Being written; not yet enabled."
    family = "memory"
    default_enabled = False
