"""GMF104 map-check-then-act (stub: being written)."""

from __future__ import annotations

from gomapfix.codemod import Codemod


class MapCheckThenAct(Codemod):
    """Being written; not yet enabled."""

    code = "GMF104"
    name = "map-check-then-act"
    summary = "Being written; not yet enabled."
    family = "concurrency"
    default_enabled = False
