"""GMF101 unguarded-shared-map-write."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from gomapfix.codemod import MAP_EVIDENCE, Codemod, FileContext
from gomapfix.facts.concurrency import WRITE, Access, Concurrency, Evidence, concurrency
from gomapfix.finding import Finding, Location, RelatedLocation
from gomapfix.parse import ParsedFile, node_text
from gomapfix.syntax import call_args

from ._guard import shared_map_fix


class UnguardedSharedMapWrite(Codemod):
    """
    What it finds:
        A write to a map (``m[k] = v``, ``m[k] op= v``, ``m[k]++``, ``delete(m, k)``,
        ``clear(m)``) that other goroutines also use, made with no lock held:

        * a map field of a struct that owns a ``sync.Mutex``/``sync.RWMutex``, written
          without that mutex while other code accesses the map with it held (the classic
          "one method forgot the lock");
        * a package-level map written without the package-level mutex that guards its
          other accesses;
        * a map with no lock at all, written from a goroutine (``go`` statements,
          ``errgroup``/``WaitGroup`` ``Go``, ``time.AfterFunc``, HTTP handlers, and the
          package functions they call) while another goroutine, or another copy of the
          same one (handlers run once per request), uses it;
        * a field reached through the receiver of a method that several goroutines run
          on one value at once: an HTTP handler's ``ServeHTTP``, workers started in a
          loop as ``go x.work()``, and the methods they call on that value (through
          interfaces of the package too);
        * a struct that starts a goroutine on itself (``go func() { s.m[k] = v }()``)
          while its other methods use the map;
        * a local map captured by a goroutine's function literal and used on both sides.

        Not reported: accesses under any lock; functions that run under their caller's
        lock (named ``...Locked``, documented "caller must hold mu", or called only with
        a lock held); writes in ``init``, in ``main`` before the first goroutine starts,
        inside ``sync.Once.Do``, and to a value a constructor is still building (before
        it is shared); local maps confined to one goroutine (filled before the ``go``
        statements, or read after ``wg.Wait()``).

    Why it is a hazard:
        Concurrent reads of a map are fine, but a write concurrent with any other access
        is a data race. The runtime may stop the whole process with ``fatal error:
        concurrent map writes`` (or ``concurrent map read and map write``): a fatal error,
        not a panic, so ``recover`` never runs. Detection is best effort: the program
        usually survives and corrupts the map silently instead; ``go test -race`` finds
        it reliably. A ``sync.Mutex`` guards nothing by itself: every access must take it.

    Example:
        type Cache struct {
            mu    sync.RWMutex
            items map[string]string
        }

        func (c *Cache) Get(k string) string {
            c.mu.RLock()
            defer c.mu.RUnlock()
            return c.items[k]
        }

        func (c *Cache) Put(k, v string) {
            c.items[k] = v
        }

    Fixed:
        func (c *Cache) Put(k, v string) {
            c.mu.Lock()
            c.items[k] = v
            c.mu.Unlock()
        }

    Fix safety:
        Unsafe: where the lock goes is a design decision. The "guard" style (default)
        takes the owner's existing mutex around the smallest statement (``Lock`` for
        writes, ``RLock`` for reads of a ``sync.RWMutex``; a whole ``for range`` over the
        map; a read inside a larger statement is hoisted into a local under the lock;
        an ``if`` that checks the map and writes it is locked whole, so check and act
        stay atomic); for a package-level map with no mutex it adds ``var <name>Mu
        sync.RWMutex`` beside it, for a local map ``var <name>Mu sync.Mutex``, and for a
        struct with no mutex a ``<field>Mu sync.RWMutex`` field, and guards every access
        in one fix (across files). It never adds a ``defer``, never holds the lock across
        a call that takes it (a call computing the written value is hoisted out), and
        gives no fix when the function is also called with the lock held (it would
        deadlock: ``sync.Mutex`` is not reentrant, and a ``RLock`` cannot be upgraded to
        ``Lock``), when the map is copied or passed on (the alias would stay unguarded),
        or when a new mutex field would be copied with its struct (``go vet``
        copylocks: value receivers, values passed around) or break an unkeyed literal. The
        "wrapper" style (``--fix-style wrapper``) migrates the map to a generated
        ``MapWrapper[K, V]`` instead (Go 1.18+). A struct holding a mutex must never be
        copied afterwards (``go vet`` copylocks).

    Minimum Go:
        any (guard); 1.18 (wrapper).
    """

    code = "GMF101"
    name = "unguarded-shared-map-write"
    summary = "A write to a map shared between goroutines, with no lock held (a data race)."
    family = "concurrency"
    default_enabled = True
    requires = ("scopes", "locks", "concurrency")
    trigger_tokens = (b"delete", b"clear", b"]")
    package_pattern = MAP_EVIDENCE
    call_names = frozenset({"delete", "clear"})

    def visit_assignment_statement(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        left = node.child_by_field_name("left")
        if left is None:
            return
        for target in left.named_children:
            if target.type == "index_expression":
                operand = target.child_by_field_name("operand")
                if operand is not None:
                    yield from self._check(ctx, operand)
                    return

    def visit_inc_statement(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        yield from self._inc_dec(ctx, node)

    def visit_dec_statement(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        yield from self._inc_dec(ctx, node)

    def visit_call_expression(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        fn = node.child_by_field_name("function")
        if fn is None or fn.type != "identifier" or node_text(fn) not in ("delete", "clear"):
            return
        args = call_args(node)
        if args:
            yield from self._check(ctx, args[0])

    def _inc_dec(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        target = node.named_children[0] if node.named_children else None
        if target is not None and target.type == "index_expression":
            operand = target.child_by_field_name("operand")
            if operand is not None:
                yield from self._check(ctx, operand)

    def _check(self, ctx: FileContext, expr: Node) -> Iterator[Finding]:
        conc = concurrency(ctx.facts)
        if not conc.may_race(expr):
            return  # cheap: the whole analysis runs only for maps that may race
        access = conc.access_at(expr)
        if access is None or access.kind != WRITE or access.file.path != ctx.path:
            return
        evidence = conc.write_evidence(access)
        if evidence is None:
            return
        fix = shared_map_fix(ctx, conc, access)
        message = f"{describe_write(access)}: {evidence.message}; a data race " + (
            '(fatal "concurrent map writes")'
        )
        if isinstance(fix, str):
            message += f" (no fix: {fix})"
        yield ctx.report(
            access.node,
            message,
            None if isinstance(fix, str) else fix,
            related=related_locations(evidence),
        )


def describe_write(access: Access) -> str:
    text = node_text(access.expr)
    return {
        "delete": f"delete on {text}",
        "clear": f"clear of {text}",
        "assignment": f"write to {text}",
        "op=": f"update of an entry of {text}",
        "++": f"increment of an entry of {text}",
        "--": f"decrement of an entry of {text}",
    }.get(access.what, f"write to {text}")


def related_locations(evidence: Evidence) -> list[RelatedLocation]:
    out: list[RelatedLocation] = []
    seen: set[tuple[str, int]] = set()
    for file, node, message in evidence.related:
        key = (file.path, node.start_byte)
        if key in seen:
            continue
        seen.add(key)
        out.append(RelatedLocation(_location(file, node), message))
    return out


def _location(file: ParsedFile, node: Node) -> Location:
    source = file.source
    a = source.position(node.start_byte)
    end = node.end_byte
    if node.type in ("function_declaration", "method_declaration", "func_literal"):
        body = node.child_by_field_name("body")
        if body is not None:
            end = body.start_byte
    b = source.position(end)
    return Location(file.path, node.start_byte, end, a.line, a.column, b.line, b.column)


__all__ = ["Concurrency", "UnguardedSharedMapWrite", "describe_write", "related_locations"]
