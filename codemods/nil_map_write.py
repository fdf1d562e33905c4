"""GMF201 nil-map-write (stub: being written)."""

from __future__ import annotations

from gomapfix.codemod import Codemod


class NilMapWrite(Codemod):
    """TODO"""

    code = "GMF201"
    name = "nil-map-write"
    summary = "TODO"
    family = "nil maps"
