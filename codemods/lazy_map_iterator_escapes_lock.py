"""GMF303 lazy-map-iterator-escapes-lock."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from gomapfix.codemod import MAP_EVIDENCE, Codemod, FileContext, enclosing_function
from gomapfix.facts.locks import FunctionLocks, HeldLock, lock_state
from gomapfix.finding import Finding
from gomapfix.fix import Applicability, Fix
from gomapfix.parse import node_text
from gomapfix.syntax import call_args, walk

from .blocking_work_under_map_lock import guarding_locks, mutex_text, std_imports

_ITERATORS = frozenset({"Keys", "Values", "All"})
_ITERATOR_BYTES = frozenset(name.encode() for name in _ITERATORS)


class LazyMapIteratorEscapesLock(Codemod):
    """
    What it finds:
        ``maps.Keys(m)``, ``maps.Values(m)`` or ``maps.All(m)`` (package ``maps`` of the
        standard library, Go 1.23+) called while the mutex guarding ``m`` is held (a
        field map under a mutex of the same variable, ``s.m`` under ``s.mu``, or a
        package-level map under a package-level mutex), when the iterator it returns
        outlives the lock: returned from a function that unlocks with ``defer``, kept in
        a local variable used or returned after the ``Unlock``, stored in a field or
        package variable, sent on a channel or handed to a ``go`` statement. Iterators
        consumed under the lock (``for k := range maps.Keys(s.m)``,
        ``slices.Sorted(maps.Keys(s.m))``) are fine and not reported.

    Why it is a hazard:
        Since Go 1.23 ``maps.Keys`` and friends are NOT snapshots, contrary to what the
        name suggests (and to ``golang.org/x/exp/maps.Keys``, which returned a slice):
        they return a lazy iterator that ranges over the live map when, and each time,
        it is consumed. Created under the lock and consumed after the ``Unlock``, it
        reads the map with no lock held while other goroutines write it: a data race
        (``fatal error: concurrent map iteration and map write``, which ``recover``
        cannot catch; ``go test -race`` reports it every time). The lock around the call
        protects nothing.

    Example:
        func (r *Registry) Names() iter.Seq[string] {
            r.mu.RLock()
            defer r.mu.RUnlock()
            return maps.Keys(r.byName)
        }

    Fixed:
        func (r *Registry) Names() iter.Seq[string] {
            r.mu.RLock()
            defer r.mu.RUnlock()
            return slices.Values(slices.Collect(maps.Keys(r.byName)))
        }

        The keys (or values) are collected into a slice while the lock is held, and
        ``slices.Values`` turns the snapshot back into an ``iter.Seq``, so the expression
        keeps exactly the type of ``maps.Keys(m)`` and every use still compiles (a bare
        ``slices.Collect`` would change ``for k := range it`` into a range over indices).
        ``maps.All(m)`` becomes ``maps.All(maps.Clone(m))``: a copy taken under the lock,
        same ``iter.Seq2`` type. A caller that wants a slice can then drop the
        ``slices.Values`` and change the result type by hand.

    Fix safety:
        safe: the expression keeps its type, and the only behaviour change is that the
        iterator yields the entries present when it was created (under the lock) instead
        of racing with writers; a consumer that relied on seeing later updates was reading
        a map concurrently with its writers. No fix when the name ``slices`` (or
        ``maps``) is taken by a local declaration.

    Minimum Go:
        1.23 (``maps.Keys/Values/All`` and ``slices.Collect/Values`` exist from 1.23; no
        finding below, where ``maps`` has no iterators).
    """

    code = "GMF303"
    name = "lazy-map-iterator-escapes-lock"
    summary = "maps.Keys/Values/All of a locked map used after the unlock: a lazy, racy view."
    family = "range"
    default_enabled = True
    requires = ("scopes", "locks")
    # The method names, not "maps.Keys": the import may be renamed (stdmaps.Keys).
    trigger_tokens = (b"Keys", b"Values", b"All")
    package_pattern = MAP_EVIDENCE
    call_names = frozenset({"Keys", "Values", "All"})

    def visit_call_expression(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        name = _iterator_name(ctx, node)
        if name is None or not ctx.at_least(23):
            return
        args = call_args(node)
        if len(args) != 1:
            return
        map_expr = args[0]
        fn = enclosing_function(node)
        if fn is None:
            return
        locks = lock_state(ctx.facts, fn)
        found = guarding_locks(ctx, locks, node, map_expr)
        if not found:
            return
        guard = found[0]
        escape = _escape(ctx, node, fn, locks, guard)
        if escape is None:
            return
        where, how = escape
        mutex = mutex_text(guard)
        unlock = "RUnlock" if guard.mode == "R" else "Unlock"
        call = ctx.text(node.child_by_field_name("function") or node)
        m = ctx.text(map_expr)
        message = (
            f"{call}({m}) is a lazy iterator over the live map, not a snapshot: {how} "
            f"after {mutex}.{unlock}(), so it reads {m} without the lock (a data race)"
        )
        fix, why_not = _fix(ctx, node, name, fn)
        if fix is None:
            message += f" (no automatic fix: {why_not})"
        related = []
        if where is not None and where != node:
            related.append(ctx.related(where, "the iterator escapes the lock here"))
        assert guard.acquisition is not None
        mode = "RLock" if guard.mode == "R" else "Lock"
        related.append(ctx.related(guard.acquisition, f"{mutex}.{mode}() taken here"))
        yield ctx.report(node, message, fix, related)


def _iterator_name(ctx: FileContext, call: Node) -> str | None:
    fn = call.child_by_field_name("function")
    if fn is None or fn.type != "selector_expression":
        return None
    operand = fn.child_by_field_name("operand")
    field = fn.child_by_field_name("field")
    if operand is None or field is None or operand.type != "identifier":
        return None
    if field.text not in _ITERATOR_BYTES:
        return None  # the cheapest test first: this hook sees every call of the file
    local = ctx.file.import_name("maps")
    if local is None or node_text(operand) != local:
        return None
    if ctx.facts.scopes.declaration(operand) is not None:
        return None  # a local variable shadows the package
    name = node_text(field)
    return name if name in _ITERATORS else None


def _parent(node: Node) -> Node | None:
    parent = node.parent
    while parent is not None and parent.type == "parenthesized_expression":
        parent = parent.parent
    return parent


def _outer(node: Node) -> Node:
    """``node`` with the parentheses around it."""
    while node.parent is not None and node.parent.type == "parenthesized_expression":
        node = node.parent
    return node


def _escape(
    ctx: FileContext, call: Node, fn: Node, locks: FunctionLocks, guard: HeldLock
) -> tuple[Node | None, str] | None:
    """Where and how the iterator outlives ``guard`` (None when it does not, or unsure)."""
    outer = _outer(call)
    parent = _parent(call)
    if parent is None:
        return None
    if parent.type == "expression_list" and parent.parent is not None:
        holder = parent.parent
        if holder.type == "return_statement":
            return (None, "it is returned and consumed") if _deferred(locks, guard) else None
        if holder.type in ("short_var_declaration", "assignment_statement"):
            return _assigned(ctx, outer, parent, holder, fn, locks, guard)
    if parent.type == "var_spec":
        return _assigned(ctx, outer, parent, parent, fn, locks, guard)
    if parent.type == "send_statement" and parent.child_by_field_name("value") == outer:
        return parent, "it is sent on a channel and consumed"
    if parent.type == "argument_list":
        call_node = parent.parent
        if (
            call_node is not None
            and call_node.parent is not None
            and call_node.parent.type == "go_statement"
        ):
            return call_node.parent, "it is handed to a goroutine that may consume it"
    return None


def _deferred(locks: FunctionLocks, guard: HeldLock) -> bool:
    """Whether ``guard`` is released by a deferred call (after the return value is built)."""
    return any(r.deferred for r in locks.release_records(guard))


def _assigned(
    ctx: FileContext,
    outer: Node,
    values: Node,
    holder: Node,
    fn: Node,
    locks: FunctionLocks,
    guard: HeldLock,
) -> tuple[Node | None, str] | None:
    if holder.type == "var_spec":
        names = holder.children_by_field_name("name")
        value = holder.child_by_field_name("value")
        vals = value.named_children if value is not None else []
    else:
        left = holder.child_by_field_name("left")
        names = left.named_children if left is not None else []
        vals = values.named_children
    index = next((i for i, v in enumerate(vals) if v == outer), None)
    if index is None or len(names) != len(vals):
        return None
    target = names[index]
    if target.type == "identifier":
        if target.text == b"_":
            return None
        if holder.type in ("short_var_declaration", "var_spec"):
            return _local_uses(ctx, holder, target, fn, locks, guard)  # declared here
        decl = ctx.facts.scopes.declaration(target)
        if decl is None:
            return None
        if decl.kind == "package_var":
            return holder, f"it is stored in the package variable {node_text(target)} and consumed"
        return _local_uses(ctx, holder, decl.node, fn, locks, guard)
    if target.type in ("selector_expression", "index_expression"):
        return holder, f"it is stored in {ctx.text(target)} and consumed"
    return None


def _local_uses(
    ctx: FileContext,
    holder: Node,
    decl_node: Node,
    fn: Node,
    locks: FunctionLocks,
    guard: HeldLock,
) -> tuple[Node | None, str] | None:
    """The first use of the local iterator variable outside the lock, if any."""
    body = fn.child_by_field_name("body")
    if body is None:
        return None
    for item in walk(body, skip_func_literals=True):
        if item.type != "identifier" or item.start_byte < holder.end_byte:
            continue
        decl = ctx.facts.scopes.declaration(item)
        if decl is None or decl.node != decl_node:
            continue
        if _is_assignment_target(item):
            continue
        parent = _parent(item)
        try:
            held = guard in locks.held_at(item)
        except ValueError:
            continue  # inside a function literal
        if (
            parent is not None
            and parent.type == "expression_list"
            and parent.parent is not None
            and parent.parent.type == "return_statement"
        ):
            if not held:
                return parent.parent, f"{node_text(item)} is returned and consumed"
            if _deferred(locks, guard):
                return parent.parent, f"{node_text(item)} is returned and consumed"
            continue
        if not held:
            return item, f"{node_text(item)} is used"
    return None


def _is_assignment_target(ident: Node) -> bool:
    parent = ident.parent
    if parent is None or parent.type != "expression_list":
        return False
    holder = parent.parent
    if holder is None or holder.type not in ("assignment_statement", "short_var_declaration"):
        return False
    return holder.child_by_field_name("left") == parent


def _fix(ctx: FileContext, call: Node, name: str, fn: Node) -> tuple[Fix | None, str]:
    maps_name = ctx.file.import_name("maps") or "maps"
    args = call_args(call)
    m = ctx.text(args[0])
    if name == "All":
        arg = args[0]
        edits = [
            ctx.insert(arg.start_byte, f"{maps_name}.Clone("),
            ctx.insert(arg.end_byte, ")"),
        ]
        return ctx.fix(
            f"Iterate over a copy of {m} taken under the lock (maps.Clone)",
            edits,
            Applicability.SAFE,
        ), ""
    imported = std_imports(ctx, fn, "slices")
    if imported is None:
        return None, "the name slices is taken here"
    names, import_edits = imported
    slices = names["slices"]
    edits = [
        ctx.insert(call.start_byte, f"{slices}.Values({slices}.Collect("),
        ctx.insert(call.end_byte, "))"),
        *import_edits,
    ]
    what = "keys" if name == "Keys" else "values"
    return ctx.fix(
        f"Collect the {what} of {m} under the lock (slices.Collect), iterate the snapshot",
        edits,
        Applicability.SAFE,
    ), ""
