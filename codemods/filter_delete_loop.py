"""GMF305 filter-delete-loop (stub: being written)."""

from __future__ import annotations

from gomapfix.codemod import Codemod


class FilterDeleteLoop(Codemod):
    """Being written; not yet enabled."""

    code = "GMF305"
    name = "filter-delete-loop"
    summary = "Being written; not yet enabled."
    family = "range"
    default_enabled = False
