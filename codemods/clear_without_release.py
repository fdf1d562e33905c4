"""GMF402 clear-without-release."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from gomapfix.codemod import MAP_EVIDENCE, Codemod, FileContext
from gomapfix.finding import Finding
from gomapfix.fix import Applicability, Edit, Fix
from gomapfix.parse import node_text
from gomapfix.syntax import call_args, expr_key

from ._delete_loop import delete_every_key
from .delete_without_release import (
    Release,
    builtin_shadowed,
    callers_release,
    fresh_name,
    is_path,
    is_release_call,
    line_end,
    loaded_value_used,
    lock_plan,
    map_owns_values,
    outermost_function,
    release_of,
    type_usable,
    variable_used,
)

_RESET_ISH = re.compile(
    r"reset|clear|close|stop|shutdown|flush|purge|drop|evict|expire|cancel|remove|wipe|"
    r"discard|invalidate|teardown|cleanup|release|abort|kill",
    re.IGNORECASE,
)
_CONSTRUCTOR = re.compile(r"^(new|init|make|setup|build|create)", re.IGNORECASE)
_HARMLESS_CALLS = frozenset({"len", "cap", "clear", "delete"})


class ClearWithoutRelease(Codemod):
    """
    What it finds:
        A map whose values visibly need releasing (the value types of GMF401:
        ``context.CancelFunc``, ``*time.Timer``, ``*time.Ticker``, ``*os.File``,
        ``net.Conn``, ``io.Closer``..., or a package type with ``Close``/``Stop``/``Cancel``)
        emptied or dropped all at once without releasing its values:

        * ``clear(m)`` (Go 1.21+);
        * the delete-all loop ``for k := range m { delete(m, k) }``;
        * ``m = make(map[K]V)``, ``m = map[K]V{}`` or ``m = nil`` replacing a map that may
          hold entries: the same expression was used earlier in the function, or the
          function's name says it resets (``Reset``, ``Close``, ``Stop``, ``Clear``,
          ``Flush``...). Not in constructors, not under an ``if m == nil`` guard, not on
          a field of an object the function just created.

        Only maps that own their values are judged (every store into them in the package
        puts a value created there; see GMF401). Not reported when the values are
        released or handed on before the drop: a ``range`` over the same map that calls a
        release method or passes the values on, the map copied out first
        (``old := s.conns``) or passed to a call, an entry loaded and carried over
        (``c := s.conns[k]``), a call to a package function that ranges over a map of
        that name and releases, or a caller of the function that releases such values.

    Why it is a hazard:
        Emptying the map releases nothing. Every ``CancelFunc`` in it stays uncalled (its
        context stays registered with the parent), every ``AfterFunc`` timer still fires,
        every ticker keeps ticking for its receivers, every file and connection stays open
        until a garbage-collector cleanup that may never come in time. The folklore that
        dropping pointer values leaves dangling references is false under Go's garbage
        collector; the leak is of what the values hold, not of the values.

    Example:
        func (p *Pool) Reset() {
            clear(p.conns)
        }

    Fixed:
        func (p *Pool) Reset() {
            for _, conn := range p.conns {
                conn.Close()
            }
            clear(p.conns)
        }

        Under a lock the values are collected under it and released after ``Unlock``, so
        that a blocking ``Close`` does not run inside the critical section (GMF302):

            p.mu.Lock()
            var conns []net.Conn
            for _, conn := range p.conns {
                conns = append(conns, conn)
            }
            clear(p.conns)
            p.mu.Unlock()
            for _, conn := range conns {
                conn.Close()
            }

    Fix safety:
        unsafe: releasing every value changes behaviour on purpose (callbacks stop firing,
        connections close) and another owner may still use them; a nil value stored in
        the map would panic in the release loop. No fix when the map expression is not a
        plain variable or field path, or when a lock is held in a shape where the release
        cannot be moved after the ``Unlock`` simply (deferred unlock, unlock on several
        paths, a ``return`` in between, a function that runs under its caller's lock);
        the message says why.

    Minimum Go:
        any; the ``clear(m)`` shape exists from Go 1.21 (below, ``clear`` is not the
        builtin and is not looked at). The release loop works in every version.
    """

    code = "GMF402"
    name = "clear-without-release"
    summary = (
        "clear, a delete-all loop or a new map drops timers, CancelFuncs or closers unreleased."
    )
    family = "lifetime"
    requires = ("scopes", "locks")
    trigger_tokens = (b"clear", b"delete", b"make", b"map[", b"nil")
    package_pattern = MAP_EVIDENCE
    call_names = frozenset({"clear"})

    # Shapes ---------------------------------------------------------------------------

    def visit_call_expression(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        fn = node.child_by_field_name("function")
        if fn is None or fn.type != "identifier" or fn.text != b"clear":
            return
        if not ctx.at_least(21) or builtin_shadowed(ctx, fn):
            return
        args = call_args(node)
        if len(args) != 1:
            return
        stmt = node.parent
        if stmt is None or stmt.type != "expression_statement":
            stmt = None
        yield from self._check(ctx, node, stmt, args[0], f"clear({node_text(args[0])})")

    def visit_for_statement(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        map_expr = delete_every_key(node, ctx.facts.scopes)
        if map_expr is None:
            return
        stmt: Node | None = node
        if node.parent is not None and node.parent.type == "labeled_statement":
            stmt = None
        yield from self._check(
            ctx, node, stmt, map_expr, f"the loop deleting every key of {node_text(map_expr)}"
        )

    def visit_assignment_statement(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        op = node.child_by_field_name("operator")
        # An operator token's type is its text: comparing types builds no bytes objects.
        if op is None or op.type != "=":
            return
        right = node.child_by_field_name("right")
        if right is None or right.named_child_count != 1:
            return
        value = right.named_children[0]
        if value.type not in _FRESH_KINDS:
            return  # the cheap test first: most assignments store something else
        left = node.child_by_field_name("left")
        if left is None or left.named_child_count != 1:
            return
        target = left.named_children[0]
        if not is_path(target) or not _fresh_map(ctx, value):
            return
        # _check reports only maps whose values need a release: ask that first, before
        # the walk of the function in _may_hold_entries (most maps hold plain values).
        mtype = ctx.facts.scopes.map_type(target)
        if mtype is None or release_of(ctx, mtype.elem) is None:
            return
        outer = outermost_function(node)
        if outer is None or not _may_hold_entries(ctx, outer, node, target):
            return
        shown = _short(value)
        yield from self._check(ctx, node, node, target, f"{node_text(target)} = {shown}")

    # The check ------------------------------------------------------------------------

    def _check(
        self, ctx: FileContext, node: Node, stmt: Node | None, map_expr: Node, what: str
    ) -> Iterator[Finding]:
        mtype = ctx.facts.scopes.map_type(map_expr)
        if mtype is None:
            return
        release = release_of(ctx, mtype.elem)
        if release is None:
            return
        outer = outermost_function(node)
        if outer is None or not map_owns_values(ctx, map_expr, release):
            return
        if _handled(ctx, outer, node, map_expr, release):
            return
        if callers_release(ctx, outer, release):
            return
        each = "call each one" if release.method is None else f"call {release.method} on each"
        message = (
            f"{what} drops every {release.label} in the map without {release.action}: "
            f"{release.why} (values are {release.label}: {each} first)"
        )
        fix, why_not = _fix(ctx, stmt, map_expr, release, outer)
        if fix is None and why_not:
            message += f" (no fix: {why_not})"
        yield ctx.report(node, message, fix)


# Reassignment ------------------------------------------------------------------------------


def _short(value: Node) -> str:
    """``make(...)``, ``map[K]V{...}``, ``nil``: the new value as the message shows it."""
    if value.type == "call_expression":
        return "make(...)"
    if value.type == "composite_literal":
        type_node = value.child_by_field_name("type")
        type_text = node_text(type_node) if type_node is not None else ""
        return f"{type_text}{{...}}" if len(type_text) <= 40 else "a new map literal"
    return node_text(value)


_FRESH_KINDS = frozenset({"nil", "call_expression", "composite_literal"})
"""The kinds of value ``_fresh_map`` may accept."""


def _fresh_map(ctx: FileContext, value: Node) -> bool:
    """``make(map...)``, ``make(T)``, a map composite literal, or ``nil``."""
    if value.type == "nil":
        return True
    if value.type == "call_expression":
        fn = value.child_by_field_name("function")
        if fn is None or fn.text != b"make":
            return False
        return bool(call_args(value)) and not builtin_shadowed(ctx, fn)
    if value.type == "composite_literal":
        # Only an empty literal: a non-empty one may carry old values over.
        body = value.child_by_field_name("body")
        return body is not None and not any(c.type != "comment" for c in body.named_children)
    return False


def _may_hold_entries(ctx: FileContext, outer: Node, stmt: Node, target: Node) -> bool:
    """Whether the map being replaced may visibly hold entries (see the docstring)."""
    name_node = outer.child_by_field_name("name")
    fname = node_text(name_node) if name_node is not None else ""
    if _CONSTRUCTOR.match(fname):
        return False
    want = expr_key(target)
    # Guarded by a nil or emptiness test: lazy initialisation.
    current = stmt.parent
    while current is not None and current != outer:
        if current.type == "if_statement":
            cond = current.child_by_field_name("condition")
            text = expr_key(cond) if cond is not None else ""
            if f"{want}==nil" in text or f"len({want})==0" in text:
                return False
        current = current.parent
    # A field of an object this function created: a constructor in all but name.
    root = target
    while root.type == "selector_expression":
        operand = root.child_by_field_name("operand")
        if operand is None:
            return False
        root = operand
    decl = ctx.facts.scopes.declaration(root)
    local = (
        decl is not None
        and decl.kind in ("var", "short_var")
        and (outer.start_byte <= decl.node.start_byte < outer.end_byte)
    )
    if local and target.type == "selector_expression":
        return False
    used_before = False
    written_before = False
    for node in _descendants(outer):
        if node.start_byte >= stmt.start_byte:
            break
        if node.type not in ("identifier", "selector_expression") or expr_key(node) != want:
            continue
        parent = node.parent
        if parent is not None and parent.type == "binary_expression":
            continue  # m == nil, m != nil
        used_before = True
        if (
            parent is not None
            and parent.type == "index_expression"
            and (parent.child_by_field_name("operand") == node)
        ):
            holder = parent.parent
            if (
                holder is not None
                and holder.type == "expression_list"
                and holder.parent is not None
            ):
                assign = holder.parent
                if (
                    assign.type == "assignment_statement"
                    and assign.child_by_field_name("left") == holder
                ):
                    written_before = True
    if local:
        return written_before
    return used_before or bool(_RESET_ISH.search(fname))


def _descendants(node: Node) -> Iterator[Node]:
    stack = list(reversed(node.children))
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


# Released already? ----------------------------------------------------------------------------


def _handled(ctx: FileContext, outer: Node, node: Node, map_expr: Node, release: Release) -> bool:
    want = expr_key(map_expr)
    last = re.split(r"[.]", want)[-1]
    for item in _descendants(outer):
        if item.start_byte >= node.start_byte:
            break  # after the drop, the map holds other values (or none)
        if item.type == "range_clause":
            right = item.child_by_field_name("right")
            if right is None or expr_key(right) != want:
                continue
            loop = item.parent
            if loop is None or loop == node:
                continue
            if _loop_releases(ctx, loop, item, release):
                return True
        elif item.type in ("short_var_declaration", "assignment_statement"):
            right = item.child_by_field_name("right")
            left = item.child_by_field_name("left")
            if right is None or left is None or len(right.named_children) != 1:
                continue
            if expr_key(right.named_children[0]) == want and expr_key(left) not in (want, "_"):
                return True  # old := s.conns: the values are handed over
        elif item.type == "argument_list":
            callee = item.parent.child_by_field_name("function") if item.parent else None
            if (
                callee is not None
                and callee.type == "identifier"
                and node_text(callee) in (_HARMLESS_CALLS)
            ):
                continue
            if any(expr_key(a) == want for a in item.named_children):
                return True  # closeAll(s.conns), maps.Copy(dst, s.conns)
        elif item.type == "call_expression" and _callee_releases_map(ctx, item, last, release):
            return True
        elif item.type == "index_expression":
            operand = item.child_by_field_name("operand")
            if (
                operand is not None
                and expr_key(operand) == want
                and (loaded_value_used(ctx, outer, item))
            ):
                return True  # c := s.conns[k] ... the value is carried over or released
    return False


def _loop_releases(ctx: FileContext, loop: Node, clause: Node, release: Release) -> bool:
    body = loop.child_by_field_name("body")
    if body is None:
        return False
    for item in _descendants(body):
        if item.type == "call_expression" and is_release_call(ctx, item, release):
            return True
    left = clause.child_by_field_name("left")
    names = left.named_children if left is not None else []
    if len(names) == 2 and names[1].type == "identifier":
        return variable_used(ctx, body, names[1])
    return False


def _callee_releases_map(ctx: FileContext, call: Node, field: str, release: Release) -> bool:
    """A package function called here that ranges over a map named ``field`` and releases."""
    from gomapfix.facts.locks import resolve_call

    try:
        callee, _, _ = resolve_call(ctx.facts, call)
    except Exception:
        return False
    if callee is None or callee.body is None:
        return False
    memo: dict[tuple[int, str, str], bool] = ctx.facts.cached(
        "lifetime.range_release", lambda _f: {}
    )
    key = (callee.node.id, field, release.label)
    if key not in memo:
        found = False
        for item in _descendants(callee.body):
            if item.type != "range_clause":
                continue
            right = item.child_by_field_name("right")
            if right is None or re.split(r"[.]", expr_key(right))[-1] != field:
                continue
            loop = item.parent
            if loop is not None and _loop_releases(ctx, loop, item, release):
                found = True
                break
        memo[key] = found
    return memo[key]


# The fix -------------------------------------------------------------------------------------


def _fix(
    ctx: FileContext, stmt: Node | None, map_expr: Node, release: Release, outer: Node
) -> tuple[Fix | None, str | None]:
    if stmt is None or stmt.parent is None or stmt.parent.type != "statement_list":
        return None, "the statement is not a plain statement of a block"
    if not is_path(map_expr):
        return None, "the map expression is not a variable or field path"
    m = node_text(map_expr)
    var = ctx.unique_name(release.base, outer)
    indent = ctx.indent(stmt)
    plan = lock_plan(ctx, stmt)
    if isinstance(plan, str):
        return None, f"{plan}; release the values after unlocking, not inside the critical section"
    what = "call each value" if release.method is None else f"{release.method} each value"
    edits: list[Edit] = []
    if plan is None:
        edits.append(
            ctx.insert(
                stmt.start_byte,
                (
                    f"for _, {var} := range {m} {{\n"
                    f"{indent}\t{release.call(var)}\n"
                    f"{indent}}}\n{indent}"
                ),
            )
        )
        return ctx.fix(
            f"Release the values first ({what})",
            edits,
            Applicability.UNSAFE,
            "releasing changes behaviour on purpose; check nothing else owns the values",
            declares=[var],
            scope=outer,
        ), None
    if not type_usable(ctx, release):
        return None, f"the value type {release.type_text} cannot be written in this file"
    victims = fresh_name(ctx, release.base + "s", outer)
    declaration = f"var {victims} []{release.type_text}\n"
    collect = (
        f"for _, {var} := range {m} {{\n"
        f"{indent}\t{victims} = append({victims}, {var})\n"
        f"{indent}}}\n{indent}"
    )
    if plan.anchor == stmt:
        edits.append(ctx.insert(stmt.start_byte, declaration + indent + collect))
    else:
        edits.append(ctx.insert(plan.anchor.start_byte, declaration + ctx.indent(plan.anchor)))
        edits.append(ctx.insert(stmt.start_byte, collect))
    unlock_indent = ctx.indent(plan.unlock)
    edits.append(
        ctx.insert(
            line_end(ctx, plan.unlock),
            (
                f"\n{unlock_indent}for _, {var} := range {victims} {{\n"
                f"{unlock_indent}\t{release.call(var)}\n"
                f"{unlock_indent}}}"
            ),
        )
    )
    return ctx.fix(
        f"Collect the values under {', '.join(plan.mutexes)}, release them after unlocking "
        f"({what})",
        edits,
        Applicability.UNSAFE,
        "releasing changes behaviour on purpose; the releases now run after the Unlock",
        declares=[var, victims],
        scope=outer,
    ), None
