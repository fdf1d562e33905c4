"""GMF103 unguarded-shared-map-range."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from gomapfix.codemod import MAP_EVIDENCE, Codemod, FileContext
from gomapfix.facts.concurrency import RANGE, concurrency
from gomapfix.finding import Finding
from gomapfix.parse import node_text

from ._guard import shared_map_fix
from .unguarded_shared_map_write import related_locations


class UnguardedSharedMapRange(Codemod):
    """
    What it finds:
        A ``for range`` over a map shared between goroutines, with no lock held, while
        other code writes the map: a map field of a struct whose mutex guards the map's
        other accesses, a package-level map guarded by a package-level mutex elsewhere,
        or a map written from a goroutine (``go`` statements, ``errgroup``/``WaitGroup``
        ``Go``, ``time.AfterFunc``, HTTP handlers) while this loop may run. Loops under
        any lock, in functions that run under their caller's lock (``...Locked``, "caller
        must hold mu"), before the map is shared or after the goroutines are waited for,
        are not reported; nor are maps that nobody writes concurrently (concurrent reads
        and ranges are fine).

    Why it is a hazard:
        Iterating a map while another goroutine writes it is a data race: the runtime may
        stop the process with ``fatal error: concurrent map iteration and map write``,
        which ``recover`` cannot catch, and detects it only sometimes; ``go test -race``
        reports it reliably. A loop is the longest read there is, so it is the likeliest
        to overlap a write.

    Example:
        func (c *Cache) Keys() []string {
            var keys []string
            for k := range c.items {
                keys = append(keys, k)
            }
            return keys
        }

    Fixed:
        func (c *Cache) Keys() []string {
            var keys []string
            c.mu.RLock()
            for k := range c.items {
                keys = append(keys, k)
            }
            c.mu.RUnlock()
            return keys
        }

    Fix safety:
        Unsafe: the lock is held for the whole loop, which changes how long writers wait.
        The "guard" style takes ``RLock`` across the loop (``Lock`` when the body writes
        the map: a ``RLock`` cannot be upgraded, and deleting under ``RLock`` is itself a
        race), with an unlock before each ``return`` inside the body. It gives no fix
        when the body calls code that takes the same lock (``sync.RWMutex`` is not
        reentrant: a recursive ``RLock`` deadlocks once a writer waits), locks it itself,
        leaves the loop with ``goto`` or a labelled jump, or returns a value read from the
        map. When the body does slow work, prefer a snapshot taken under the lock
        (``maps.Clone`` on Go 1.21+). The "wrapper" style migrates the map to a generated
        ``MapWrapper[K, V]`` whose ``Range`` iterates a snapshot (Go 1.18+).

    Minimum Go:
        any (guard); 1.18 (wrapper).
    """

    code = "GMF103"
    name = "unguarded-shared-map-range"
    summary = "A range over a map that other goroutines write, with no lock held (a data race)."
    family = "concurrency"
    default_enabled = True
    requires = ("scopes", "locks", "concurrency")
    trigger_tokens = (b"range",)
    package_pattern = MAP_EVIDENCE

    def visit_range_clause(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        right = node.child_by_field_name("right")
        if right is None:
            return
        conc = concurrency(ctx.facts)
        if not conc.may_race(right):
            return  # cheap: the whole analysis runs only for maps that may race
        access = conc.access_at(right)
        if access is None or access.kind != RANGE or access.file.path != ctx.path:
            return
        evidence = conc.range_evidence(access)
        if evidence is None:
            return
        fix = shared_map_fix(ctx, conc, access)
        message = (
            f"range over {node_text(right)}: {evidence.message}; a data race with its "
            'writers (fatal "concurrent map iteration and map write")'
        )
        if isinstance(fix, str):
            message += f" (no fix: {fix})"
        yield ctx.report(
            access.node,
            message,
            None if isinstance(fix, str) else fix,
            related=related_locations(evidence),
        )
