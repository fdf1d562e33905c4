"""GMF102 map-write-under-rlock (stub: being written)."""

from __future__ import annotations

from gomapfix.codemod import Codemod


class MapWriteUnderRLock(Codemod):
    """TODO"""

    code = "GMF102"
    name = "map-write-under-rlock"
    summary = "TODO"
    family = "concurrency"
