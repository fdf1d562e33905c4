"""The codemods: one module per rule, named after the hazard, and the explicit registry.

Installed as ``gomapfix.codemods``. Adding a rule means adding its module and one line
here; the engine reaches codemods only through this list.
"""

from __future__ import annotations

from gomapfix.codemod import Codemod

from .blocking_work_under_map_lock import BlockingWorkUnderMapLock
from .clear_without_release import ClearWithoutRelease
from .clone_does_not_shrink import CloneDoesNotShrink
from .delete_without_release import DeleteWithoutRelease
from .emptied_map_retained import EmptiedMapRetained
from .filter_delete_loop import FilterDeleteLoop
from .invalid_suppression import InvalidSuppression
from .lazy_map_iterator_escapes_lock import LazyMapIteratorEscapesLock
from .map_check_then_act import MapCheckThenAct
from .map_clear_loop import MapClearLoop
from .map_insert_during_range import MapInsertDuringRange
from .map_write_under_rlock import MapWriteUnderRLock
from .missing_entry_dereference import MissingEntryDereference
from .nested_nil_map_write import NestedNilMapWrite
from .nil_map_write import NilMapWrite
from .read_after_delete import ReadAfterDelete
from .redundant_delete_guard import RedundantDeleteGuard
from .rlock_reentry import RLockReentry
from .syncmap_compare_uncomparable import SyncMapCompareUncomparable
from .syncmap_load_then_delete import SyncMapLoadThenDelete
from .syncmap_load_then_store import SyncMapLoadThenStore
from .syncmap_range_delete_all import SyncMapRangeDeleteAll
from .syncmap_read_modify_write import SyncMapReadModifyWrite
from .uintptr_map_value import UintptrMapValue
from .unguarded_shared_map_range import UnguardedSharedMapRange
from .unguarded_shared_map_write import UnguardedSharedMapWrite
from .unused_suppression import UnusedSuppression
from .zero_value_presence_test import ZeroValuePresenceTest

CODEMODS: tuple[type[Codemod], ...] = (
    MapWriteUnderRLock,
    NilMapWrite,
    NestedNilMapWrite,
    RedundantDeleteGuard,
    MapInsertDuringRange,
    MapClearLoop,
    SyncMapLoadThenDelete,
    UnguardedSharedMapWrite,
    UnguardedSharedMapRange,
    MapCheckThenAct,
    RLockReentry,
    BlockingWorkUnderMapLock,
    LazyMapIteratorEscapesLock,
    FilterDeleteLoop,
    DeleteWithoutRelease,
    ClearWithoutRelease,
    UintptrMapValue,
    ReadAfterDelete,
    ZeroValuePresenceTest,
    MissingEntryDereference,
    EmptiedMapRetained,
    CloneDoesNotShrink,
    SyncMapLoadThenStore,
    SyncMapReadModifyWrite,
    SyncMapRangeDeleteAll,
    SyncMapCompareUncomparable,
    UnusedSuppression,
    InvalidSuppression,
)
