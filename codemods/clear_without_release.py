"""GMF402 clear-without-release (stub: being written)."""

from __future__ import annotations

from gomapfix.codemod import Codemod


class ClearWithoutRelease(Codemod):
    """Being written; not yet enabled."""

    code = "GMF402"
    name = "clear-without-release"
    summary = "Being written; not yet enabled."
    family = "lifetime"
    default_enabled = False
