"""GMF105 rlock-reentry (stub: being written)."""

from __future__ import annotations

from gomapfix.codemod import Codemod


class RLockReentry(Codemod):
    """Being written; not yet enabled."""

    code = "GMF105"
    name = "rlock-reentry"
    summary = "Being written; not yet enabled."
    family = "concurrency"
    default_enabled = False
