"""GMF104 map-check-then-act."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tree_sitter import Node

from gomapfix.codemod import MAP_EVIDENCE, Codemod, FileContext
from gomapfix.facts.locks import READ, FunctionLocks, HeldLock, lock_state
from gomapfix.finding import Finding
from gomapfix.parse import node_text
from gomapfix.syntax import TERMINATORS, call_args, expr_key, statements

_ACT_TEXT = re.compile(rb"delete\(|\]\s*=[^=]")
_ASSIGNING = frozenset(
    {"assignment_statement", "short_var_declaration", "inc_statement", "dec_statement"}
)
_CONDITIONAL = frozenset(
    {"if_statement", "expression_switch_statement", "type_switch_statement", "for_statement"}
)


@dataclass(frozen=True)
class _Check:
    index: Node
    """The ``m[k]`` read."""
    statement: Node
    """The statement holding it (short var declaration, assignment, or the ``if``)."""
    results: tuple[Node, ...]
    """Identifiers it binds (``ok``, ``v``); empty for ``m[k] == nil`` in a condition."""
    value_only: bool
    """``v := m[k]``: ``v`` is a presence test only when compared with nil."""
    map_proven: bool
    held: frozenset[HeldLock]


@dataclass(frozen=True)
class _Act:
    node: Node
    """The ``delete(m, k)`` call or the ``m[k] = v`` assignment."""
    target: Node | None
    """The ``m[k]`` written (None for delete)."""
    map_expr: Node
    key: Node
    delete: bool
    held: frozenset[HeldLock]


class MapCheckThenAct(Codemod):
    """
    What it finds:
        A presence check of a map key under one lock section and a ``delete`` or an
        insert of the same key under a later, separate section of the same mutex in the
        same function, where the act depends on the check:

            c.mu.RLock()
            _, ok := c.m[k]
            c.mu.RUnlock()
            if !ok {
                v := compute(k)
                c.mu.Lock()
                c.m[k] = v
                c.mu.Unlock()
            }

        The check is ``_, ok := m[k]`` / ``v, ok := m[k]`` (also in an ``if``
        initialiser), ``m[k] == nil`` / ``!= nil``, or ``v := m[k]`` followed by
        ``v == nil`` (or ``v == ""``, the zero value as a presence test); the act is
        ``delete(m, k)`` or ``m[k] = v`` with the same map and key expressions, none of
        their variables reassigned in between, inside an ``if`` on the check's result or
        after an early ``return``/``continue`` on it. The map must be state of the
        mutex's owner (``c.m`` with ``c.mu``, or a package-level map with a
        package-level mutex).
        Not reported: a second section that checks again before acting (double-checked
        locking done right: ``if _, ok := c.m[k]; !ok { c.m[k] = v }`` under ``Lock``, or
        any condition on the map or key inside that section), check and act in one
        section, and checks such as ``len(m) < max`` that do not test the key.

    Why it is a hazard:
        Each section is atomic, the pair is not: between the release after the check and
        the second ``Lock``, another goroutine can run the same code. Two callers both
        see the key missing, both compute the value (double work, double side effects)
        and the second insert silently overwrites the first (a lost update: callers
        holding the first value now disagree with the map). For a delete, both callers
        see the key present and both run the release path (double ``Close``, double
        cancel, a counter decremented twice), or one deletes an entry another goroutine
        has just replaced. The race detector reports nothing: every access is locked.

    Example:
        func (c *Cache) Get(k string) *Entry {
            c.mu.RLock()
            e, ok := c.m[k]
            c.mu.RUnlock()
            if ok {
                return e
            }
            e = load(k)
            c.mu.Lock()
            c.m[k] = e
            c.mu.Unlock()
            return e
        }

    Fixed:
        func (c *Cache) Get(k string) *Entry {
            c.mu.RLock()
            e, ok := c.m[k]
            c.mu.RUnlock()
            if ok {
                return e
            }
            c.mu.Lock()
            defer c.mu.Unlock()
            if e, ok := c.m[k]; ok { // check again: another caller may have won
                return e
            }
            e = load(k)
            c.m[k] = e
            return e
        }

        Either re-check under the write lock before acting (as above; keep the slow work
        out of the lock if it must not block readers, and decide which result wins), or
        do the check and the act in a single ``Lock`` section. For a cache of values
        that are expensive to build, ``golang.org/x/sync/singleflight`` avoids computing
        twice.

    Fix safety:
        display-only: which value should win, whether the work may run under the lock
        and what a loser must undo are decisions for a human.

    Minimum Go:
        any.
    """

    code = "GMF104"
    name = "map-check-then-act"
    summary = "A map key checked under one lock section and inserted or deleted under a later one."
    family = "concurrency"
    requires = ("scopes", "locks")
    trigger_tokens = (b"Lock",)
    package_pattern = MAP_EVIDENCE

    def visit_function_declaration(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        yield from self._scan(ctx, node)

    def visit_method_declaration(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        yield from self._scan(ctx, node)

    def visit_func_literal(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        yield from self._scan(ctx, node)

    # The scan ------------------------------------------------------------------------------

    def _scan(self, ctx: FileContext, function: Node) -> Iterator[Finding]:
        body = function.child_by_field_name("body")
        text = function.text or b""
        if body is None or b"Lock()" not in text or not _ACT_TEXT.search(text):
            return
        locks = lock_state(ctx.facts, function)
        if len(locks.acquisitions) < 2:
            return
        nodes = _own_nodes(body)
        checks = [c for n in nodes if n.type == "index_expression" for c in _check(ctx, locks, n)]
        if not checks:
            return
        for node in nodes:
            act = _act(ctx, locks, node)
            if act is None:
                continue
            for check in checks:
                found = _pair(ctx, function, locks, check, act)
                if found is not None:
                    yield _report(ctx, check, act, *found)
                    break


# Checks and acts -------------------------------------------------------------------------------


def _own_nodes(body: Node) -> list[Node]:
    """Descendants of ``body`` outside nested function literals, in source order."""
    out: list[Node] = []
    stack = list(reversed(body.children))
    while stack:
        node = stack.pop()
        out.append(node)
        if node.type == "func_literal":
            continue
        stack.extend(reversed(node.children))
    return out


def _held(locks: FunctionLocks, node: Node) -> frozenset[HeldLock]:
    try:
        return frozenset(h for h in locks.held_at(node) if h.acquisition is not None)
    except ValueError:
        return frozenset()


def _check(ctx: FileContext, locks: FunctionLocks, index: Node) -> Iterator[_Check]:
    operand = index.child_by_field_name("operand")
    key = index.child_by_field_name("index")
    if operand is None or key is None or not _simple(operand) or not _simple(key):
        return
    held = _held(locks, index)
    if not held:
        return
    parent = index.parent
    if parent is None:
        return
    map_proven = ctx.facts.scopes.map_type(operand) is not None
    if parent.type == "expression_list":
        stmt = parent.parent
        if stmt is None or stmt.child_by_field_name("right") != parent:
            return
        if stmt.type == "assignment_statement":
            op = stmt.child_by_field_name("operator")
            if op is None or node_text(op) != "=":
                return
        elif stmt.type != "short_var_declaration":
            return
        if len(parent.named_children) != 1:
            return
        left = stmt.child_by_field_name("left")
        lefts = left.named_children if left is not None else []
        if len(lefts) == 2:
            names = tuple(
                ident
                for ident in lefts[1:]
                if ident.type == "identifier" and node_text(ident) != "_"
            )
            if names:
                yield _Check(index, stmt, names, False, True, held)
        elif len(lefts) == 1 and lefts[0].type == "identifier" and node_text(lefts[0]) != "_":
            yield _Check(index, stmt, (lefts[0],), True, map_proven, held)
        return
    if parent.type == "binary_expression" and _nil_comparison(parent) is not None:
        stmt = _condition_owner(parent)
        if stmt is not None:
            yield _Check(index, stmt, (), False, map_proven, held)


def _act(ctx: FileContext, locks: FunctionLocks, node: Node) -> _Act | None:
    if node.type == "call_expression":
        fn = node.child_by_field_name("function")
        if fn is None or fn.type != "identifier" or node_text(fn) != "delete":
            return None
        if ctx.facts.scopes.declaration(fn) is not None:
            return None
        parent = node.parent
        if parent is None or parent.type != "expression_statement":
            return None
        args = call_args(node)
        if len(args) != 2:
            return None
        held = _held(locks, node)
        return _Act(node, None, args[0], args[1], True, held) if held else None
    if node.type == "assignment_statement":
        op = node.child_by_field_name("operator")
        left = node.child_by_field_name("left")
        if op is None or node_text(op) != "=" or left is None or len(left.named_children) != 1:
            return None
        target = left.named_children[0]
        if target.type != "index_expression":
            return None
        operand = target.child_by_field_name("operand")
        key = target.child_by_field_name("index")
        if operand is None or key is None:
            return None
        held = _held(locks, node)
        return _Act(node, target, operand, key, False, held) if held else None
    return None


def _simple(expr: Node) -> bool:
    """Evaluating it twice gives the same value (no calls, receives, literals of funcs)."""
    stack = [expr]
    while stack:
        node = stack.pop()
        if node.type in ("call_expression", "func_literal", "type_assertion_expression"):
            return False
        if node.type == "unary_expression":
            op = node.child_by_field_name("operator")
            if op is not None and node_text(op) == "<-":
                return False
        stack.extend(node.children)
    return True


def _nil_comparison(binary: Node) -> Node | None:
    """The other side of ``x == nil`` / ``x != nil`` (or ``""``: a string entry's zero
    value, the presence test of string caches). Numeric zero is left out: ``m[k] == 0``
    is as often a count as a presence test."""
    op = binary.child_by_field_name("operator")
    left = binary.child_by_field_name("left")
    right = binary.child_by_field_name("right")
    if op is None or left is None or right is None or node_text(op) not in ("==", "!="):
        return None
    if _zero(right):
        return left
    if _zero(left):
        return right
    return None


def _zero(node: Node) -> bool:
    return node.type == "nil" or node_text(node) in ('""', "``")


def _condition_owner(node: Node) -> Node | None:
    """The ``if`` whose condition holds ``node`` (through ``!``, ``&&``, ``||``, parens)."""
    current = node
    parent = node.parent
    while parent is not None and parent.type in (
        "binary_expression",
        "unary_expression",
        "parenthesized_expression",
    ):
        current = parent
        parent = parent.parent
    if (
        parent is not None
        and parent.type == "if_statement"
        and parent.child_by_field_name("condition") == current
    ):
        return parent
    return None


# Pairing ---------------------------------------------------------------------------------------


def _pair(
    ctx: FileContext, function: Node, locks: FunctionLocks, check: _Check, act: _Act
) -> tuple[HeldLock, HeldLock, Node] | None:
    """The (check section, act section, dependent ``if``) when ``act`` is the hazard."""
    if act.node.start_byte <= check.index.end_byte:
        return None
    operand = check.index.child_by_field_name("operand")
    key = check.index.child_by_field_name("index")
    assert operand is not None and key is not None
    if expr_key(operand) != expr_key(act.map_expr) or expr_key(key) != expr_key(act.key):
        return None
    if not (check.map_proven or act.delete or ctx.facts.scopes.map_type(act.map_expr) is not None):
        return None
    sections = _sections(check, act)
    if sections is None:
        return None
    first, second = sections
    if not _related(ctx, first, operand):
        return None
    if _reassigned(function, check.index.end_byte, act.node.start_byte, operand, key):
        return None
    guard = _dependent_if(ctx, function, check, act)
    if guard is None:
        return None
    if _rechecked(ctx, locks, second, act, operand, key):
        return None
    return first, second, guard


def _sections(check: _Check, act: _Act) -> tuple[HeldLock, HeldLock] | None:
    for first in sorted(check.held, key=_order):
        if first in act.held:
            continue
        for second in sorted(act.held, key=_order, reverse=True):
            assert second.acquisition is not None
            if (
                second.mutex == first.mutex
                and second not in check.held
                and second.acquisition.start_byte > check.index.start_byte
            ):
                return first, second
    return None


def _order(h: HeldLock) -> int:
    return h.acquisition.start_byte if h.acquisition is not None else -1


def _root(expr: Node | None) -> Node | None:
    current = expr
    while current is not None:
        kind = current.type
        if kind == "identifier":
            return current
        if kind in ("selector_expression", "index_expression"):
            current = current.child_by_field_name("operand")
        elif kind == "parenthesized_expression":
            current = current.named_children[0] if current.named_children else None
        elif kind == "unary_expression":
            current = current.child_by_field_name("operand")
        else:
            return None
    return None


def _related(ctx: FileContext, held: HeldLock, map_expr: Node) -> bool:
    """The map is state of the mutex's owner: same root variable, or both package-level."""
    assert held.acquisition is not None
    fn = held.acquisition.child_by_field_name("function")
    lock_root = _root(fn.child_by_field_name("operand")) if fn is not None else None
    map_root = _root(map_expr)
    if lock_root is None or map_root is None:
        return False
    scopes = ctx.facts.scopes
    a, b = scopes.declaration(lock_root), scopes.declaration(map_root)
    if a is None or b is None:
        return False
    if a.kind == "package_var" and b.kind == "package_var":
        return True
    return map_expr.type != "identifier" and a.node == b.node


def _reassigned(function: Node, lo: int, hi: int, *exprs: Node) -> bool:
    """Whether a variable of ``exprs`` (or the expressions themselves) is assigned in
    [lo, hi), including by a range clause or a declaration that shadows it."""
    names: set[str] = set()
    texts = {expr_key(e) for e in exprs}
    for e in exprs:
        stack = [e]
        while stack:
            n = stack.pop()
            if n.type == "identifier":
                names.add(node_text(n))
            stack.extend(n.children)
    for node in _own_nodes(function.child_by_field_name("body") or function):
        if not (lo <= node.start_byte < hi):
            continue
        targets: list[Node] = []
        if node.type in _ASSIGNING or node.type == "range_clause":
            left = node.child_by_field_name("left")
            if left is None and node.named_children:
                left = node.named_children[0]
            if left is not None:
                targets = left.named_children if left.type == "expression_list" else [left]
        elif node.type == "var_spec":
            targets = node.children_by_field_name("name")
        elif node.type == "unary_expression":
            op = node.child_by_field_name("operator")
            operand = node.child_by_field_name("operand")
            if op is not None and node_text(op) == "&" and operand is not None:
                targets = [operand]  # the address escapes: anything may change it
        for t in targets:
            if t.type == "identifier" and node_text(t) in names:
                return True
            if expr_key(t) in texts:
                return True
    return False


def _uses_result(ctx: FileContext, check: _Check, condition: Node) -> bool:
    """Whether ``condition`` tests the check's result."""
    if not check.results:
        return check.index.start_byte >= condition.start_byte and (
            check.index.end_byte <= condition.end_byte
        )
    scopes = ctx.facts.scopes
    bound = {r: scopes.declaration(r) for r in check.results}
    stack = [condition]
    while stack:
        node = stack.pop()
        if node.type == "func_literal":
            continue
        stack.extend(node.children)
        if node.type != "identifier":
            continue
        for result, decl in bound.items():
            if node_text(node) != node_text(result):
                continue
            mine = scopes.declaration(node)
            if check.statement.type == "short_var_declaration":
                if mine is None or mine.node != result:
                    continue
            elif mine is None or decl is None or mine.node != decl.node:
                continue
            if check.value_only:
                parent = node.parent
                if parent is None or parent.type != "binary_expression":
                    continue
                if _nil_comparison(parent) != node:
                    continue
            return True
    return False


def _dependent_if(ctx: FileContext, function: Node, check: _Check, act: _Act) -> Node | None:
    """The ``if`` on the check's result that decides whether the act runs."""
    start = check.statement.start_byte
    child = act.node
    current = act.node.parent
    while current is not None and current != function:
        if current.type == "if_statement":
            cond = current.child_by_field_name("condition")
            if (
                cond is not None
                and child != cond
                and child != current.child_by_field_name("initializer")
                and (current.start_byte >= start or _contains(current, check.index))
                and _uses_result(ctx, check, cond)
                and not _reassigned_result(function, check, cond)
            ):
                return current
        if current.type == "statement_list":
            for stmt in current.named_children:
                if stmt.start_byte >= child.start_byte:
                    break
                if (
                    stmt.type == "if_statement"
                    and (stmt.start_byte >= start or _contains(stmt, check.index))
                    and stmt.child_by_field_name("alternative") is None
                    and _exits(stmt.child_by_field_name("consequence"))
                ):
                    cond = stmt.child_by_field_name("condition")
                    if (
                        cond is not None
                        and _uses_result(ctx, check, cond)
                        and not _reassigned_result(function, check, cond)
                    ):
                        return stmt
        child = current
        current = current.parent
    return None


def _reassigned_result(function: Node, check: _Check, cond: Node) -> bool:
    if not check.results:
        return False
    return _reassigned(function, check.statement.end_byte, cond.start_byte, *check.results)


def _contains(outer: Node, inner: Node) -> bool:
    return outer.start_byte <= inner.start_byte and inner.end_byte <= outer.end_byte


def _exits(block: Node | None) -> bool:
    body = statements(block)
    if not body:
        return False
    last = body[-1]
    if last.type in TERMINATORS and last.type != "fallthrough_statement":
        return True
    if last.type == "expression_statement" and last.named_children:
        call = last.named_children[0]
        fn = call.child_by_field_name("function") if call.type == "call_expression" else None
        return fn is not None and node_text(fn) == "panic"
    return False


def _rechecked(
    ctx: FileContext, locks: FunctionLocks, second: HeldLock, act: _Act, operand: Node, key: Node
) -> bool:
    """Whether the act's section looks at the key (or the map) again before acting."""
    assert second.acquisition is not None
    function = locks.function
    lo, hi = second.acquisition.end_byte, act.node.end_byte
    map_text, key_text = expr_key(operand), expr_key(key)
    for node in _own_nodes(function.child_by_field_name("body") or function):
        if not (lo <= node.start_byte < hi):
            continue
        if node.type == "index_expression" and node != act.target:
            o = node.child_by_field_name("operand")
            k = node.child_by_field_name("index")
            if (
                o is not None
                and k is not None
                and expr_key(o) == map_text
                and expr_key(k) == key_text
                and second in _held(locks, node)
            ):
                return True
        if node.type in _CONDITIONAL and second in _held(locks, node):
            if node.start_byte > act.node.start_byte:
                continue
            header = _header_text(node)
            if map_text in header or re.search(rf"(?<![\w.]){re.escape(key_text)}(?!\w)", header):
                return True
    return False


def _header_text(stmt: Node) -> str:
    parts: list[str] = []
    for name in ("initializer", "condition", "value"):
        child = stmt.child_by_field_name(name)
        if child is not None:
            parts.append(expr_key(child))
    if stmt.type == "for_statement":
        for child in stmt.named_children:
            if child.type in ("for_clause", "range_clause", "binary_expression"):
                parts.append(expr_key(child))
    return " ".join(parts)


# Reporting -------------------------------------------------------------------------------------


def _report(
    ctx: FileContext, check: _Check, act: _Act, first: HeldLock, second: HeldLock, guard: Node
) -> Finding:
    assert first.acquisition is not None and second.acquisition is not None
    entry = (
        node_text(act.target)
        if act.target is not None
        else (f"{node_text(act.map_expr)}[{node_text(act.key)}]")
    )
    first_text = f"{first.mutex}.{'RLock' if first.mode == READ else 'Lock'}()"
    second_text = f"{second.mutex}.{'RLock' if second.mode == READ else 'Lock'}()"
    check_line = ctx.location(check.index.start_byte, check.index.end_byte).line
    if act.delete:
        what = f"delete of {entry}"
        consequence = (
            "another goroutine can delete or replace the entry in between, so both callers "
            "run the removal path (double release) or this one deletes a newer entry"
        )
    else:
        what = f"insert into {entry}"
        consequence = (
            "another goroutine can insert or delete the key in between, so the work runs "
            "twice and one result silently overwrites the other (lost update)"
        )
    message = (
        f"check-then-act: {what} under a second {second_text} section after a presence "
        f"check under an earlier {first_text} section (line {check_line}): {consequence}; "
        f"check the key again under {second_text} before acting, or do the check and the "
        "act in one Lock section"
    )
    related = [
        ctx.related(check.index, f"presence check of {entry} under {first_text}"),
        ctx.related(first.acquisition, f"first section: {first_text}"),
        ctx.related(second.acquisition, f"second section: {second_text}"),
    ]
    return ctx.report(act.node, message, related=related)
