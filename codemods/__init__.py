"""The codemods: one module per rule, named after the hazard, and the explicit registry.

Installed as ``gomapfix.codemods``. Adding a rule means adding its module and one line
here; the engine reaches codemods only through this list.
"""

from __future__ import annotations

from gomapfix.codemod import Codemod

from .invalid_suppression import InvalidSuppression
from .map_clear_loop import MapClearLoop
from .map_insert_during_range import MapInsertDuringRange
from .map_write_under_rlock import MapWriteUnderRLock
from .nested_nil_map_write import NestedNilMapWrite
from .nil_map_write import NilMapWrite
from .redundant_delete_guard import RedundantDeleteGuard
from .syncmap_load_then_delete import SyncMapLoadThenDelete
from .unused_suppression import UnusedSuppression

CODEMODS: tuple[type[Codemod], ...] = (
    MapWriteUnderRLock,
    NilMapWrite,
    NestedNilMapWrite,
    RedundantDeleteGuard,
    MapInsertDuringRange,
    MapClearLoop,
    SyncMapLoadThenDelete,
    UnusedSuppression,
    InvalidSuppression,
)
