"""GMF401 delete-without-release (stub: being written)."""

from __future__ import annotations

from gomapfix.codemod import Codemod


class DeleteWithoutRelease(Codemod):
    """Being written; not yet enabled."""

    code = "GMF401"
    name = "delete-without-release"
    summary = "Being written; not yet enabled."
    family = "lifetime"
    default_enabled = False
