"""GMF202 nested-nil-map-write (stub: being written)."""

from __future__ import annotations

from gomapfix.codemod import Codemod


class NestedNilMapWrite(Codemod):
    """TODO"""

    code = "GMF202"
    name = "nested-nil-map-write"
    summary = "TODO"
    family = "nil maps"
