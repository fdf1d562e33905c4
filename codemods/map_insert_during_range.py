"""GMF301 map-insert-during-range (stub: being written)."""

from __future__ import annotations

from gomapfix.codemod import Codemod


class MapInsertDuringRange(Codemod):
    """TODO"""

    code = "GMF301"
    name = "map-insert-during-range"
    summary = "TODO"
    family = "range"
