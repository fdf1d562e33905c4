"""GMF304 map-clear-loop (stub: being written)."""

from __future__ import annotations

from gomapfix.codemod import Codemod


class MapClearLoop(Codemod):
    """TODO"""

    code = "GMF304"
    name = "map-clear-loop"
    summary = "TODO"
    family = "range"
