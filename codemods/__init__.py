"""The codemods: one module per rule, named after the hazard, and the explicit registry.

Installed as ``gomapfix.codemods``. Adding a rule means adding its module and one line
here; the engine reaches codemods only through this list.
"""

from __future__ import annotations

from gomapfix.codemod import Codemod
from gomapfix.codemods.invalid_suppression import InvalidSuppression
from gomapfix.codemods.map_clear_loop import MapClearLoop
from gomapfix.codemods.map_insert_during_range import MapInsertDuringRange
from gomapfix.codemods.map_write_under_rlock import MapWriteUnderRLock
from gomapfix.codemods.nested_nil_map_write import NestedNilMapWrite
from gomapfix.codemods.nil_map_write import NilMapWrite
from gomapfix.codemods.redundant_delete_guard import RedundantDeleteGuard
from gomapfix.codemods.syncmap_load_then_delete import SyncMapLoadThenDelete
from gomapfix.codemods.unused_suppression import UnusedSuppression

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
