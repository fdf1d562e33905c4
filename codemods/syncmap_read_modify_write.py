"""GMF703 syncmap-read-modify-write."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from gomapfix.codemod import SYNC_MAP_EVIDENCE, Codemod, FileContext, enclosing_function
from gomapfix.facts.locks import locks_held_at
from gomapfix.finding import Finding
from gomapfix.fix import Applicability, Fix
from gomapfix.parse import node_text
from gomapfix.syntax import same_expr

from ._syncmap import MethodCall, is_sync_map, method_call, statement_call

_METHODS = ("Load", "Store", "Swap", "CompareAndSwap")
_ASSIGNS = frozenset({"short_var_declaration", "assignment_statement"})


class SyncMapReadModifyWrite(Codemod):
    """
    What it finds:
        ``v, _ := sm.Load(k)`` (or ``v, ok :=``, ``=``, or in an ``if`` header) followed, in
        the same function and without leaving that straight line of code (the statements
        after it in its block, or the ``if``'s branches), by ``sm.Store(k, f(v))`` or
        ``sm.Swap(k, f(v))`` with the same map and key expressions, where the stored value
        is computed from the loaded one (it mentions ``v``, or a variable assigned from an
        expression mentioning ``v``). ``sm`` is visibly a ``sync.Map`` or ``*sync.Map``.
        Not reported when a mutex is held at the ``Load`` (the code serialises the
        update itself), when the key or map variables are reassigned in between, or when
        the code already uses ``CompareAndSwap`` on that key.

    Why it is a hazard:
        A lost update. Each ``sync.Map`` call is atomic, the sequence is not: two
        goroutines load the same counter, both add one, both store, and one increment is
        gone. There is no data race, so ``go test -race`` reports nothing. ``sync.Map`` is
        not a transaction; a read-modify-write needs ``CompareAndSwap`` in a retry loop
        (Go 1.20+) or a plain map guarded by a mutex.

    Example:
        v, _ := hits.Load(page)
        n, _ := v.(int)
        hits.Store(page, n+1)

    Fixed:
        Shown only (display-only), for the two-statement shape
        ``v, _ := sm.Load(k); sm.Store(k, f(v))`` on Go 1.20+:

        for {
            v, loaded := hits.Load(page)
            if !loaded {
                if _, loaded = hits.LoadOrStore(page, f(v)); !loaded {
                    break
                }
            } else if hits.CompareAndSwap(page, v, f(v)) {
                break
            }
        }

    Fix safety:
        display-only: the retry loop evaluates ``f(v)`` once per attempt (side effects
        repeat), ``CompareAndSwap`` panics when the stored values are not comparable
        (slices, maps, funcs: see GMF705), and a mutex-guarded map is often the better
        design. A human picks.

    Minimum Go:
        1.20 for the ``CompareAndSwap`` loop shown; below, the finding is reported with
        no suggested code (use a mutex).
    """

    code = "GMF703"
    name = "syncmap-read-modify-write"
    summary = (
        "sync.Map Load then Store of a value computed from it: a lost update under concurrency."
    )
    family = "sync.Map"
    requires = ("scopes", "locks")
    trigger_tokens = (b"Store", b"Swap")
    package_pattern = SYNC_MAP_EVIDENCE
    call_names = frozenset({"Load"})

    def visit_call_expression(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        load = method_call(node, "Load")
        if load is None or len(load.args) != 1:
            return
        shape = _load_statement(node)
        if shape is None:
            return
        stmt, value_name, ok_name = shape
        if stmt.parent is not None and stmt.parent.type == "if_statement":
            if stmt.parent.child_by_field_name("initializer") != stmt:
                return
            region = [
                c
                for c in (
                    stmt.parent.child_by_field_name("consequence"),
                    stmt.parent.child_by_field_name("alternative"),
                )
                if c is not None
            ]
        elif stmt.parent is not None and stmt.parent.type == "statement_list":
            region = _following(stmt)
        else:
            return
        store = _find_store(region, load, value_name)
        if store is None or not is_sync_map(ctx, load.receiver, _METHODS):
            return
        try:
            if locks_held_at(ctx.facts, stmt):
                return
        except ValueError:
            return
        sm, key = node_text(load.receiver), node_text(load.args[0])
        message = (
            f"{sm}.Load({key}) then {sm}.{store.method}({key}, ...) of a value computed from "
            "it is not atomic: another goroutine can store in between and its update is "
            "lost; use a CompareAndSwap retry loop or a mutex-guarded map"
        )
        fix = None
        if ctx.at_least(20):
            fix = _display_fix(ctx, stmt, load, store, value_name, ok_name)
        else:
            message += " (CompareAndSwap needs go 1.20: use a mutex)"
        yield ctx.report(load.call, message, fix, [ctx.related(store.call, "stored here")])


def _load_statement(call: Node) -> tuple[Node, str, str] | None:
    """(statement, value name, ok name) for ``v, ok := sm.Load(k)`` / ``v, ok = ...``."""
    right = call.parent
    if right is None or right.type != "expression_list" or len(right.named_children) != 1:
        return None
    stmt = right.parent
    if stmt is None or stmt.type not in _ASSIGNS or stmt.child_by_field_name("right") != right:
        return None
    left = stmt.child_by_field_name("left")
    if left is None or len(left.named_children) != 2:
        return None
    value, ok = left.named_children
    if value.type != "identifier" or value.text == b"_":
        return None
    return stmt, node_text(value), node_text(ok)


def _following(stmt: Node) -> list[Node]:
    out: list[Node] = []
    sibling = stmt.next_named_sibling
    while sibling is not None:
        out.append(sibling)
        sibling = sibling.next_named_sibling
    return out


def _identifiers(node: Node) -> set[str]:
    out: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "identifier":
            out.add(node_text(current))
        elif current.type == "selector_expression":
            operand = current.child_by_field_name("operand")
            if operand is not None:
                stack.append(operand)
            continue
        if current.type != "func_literal" or current == node:
            stack.extend(current.children)
    return out


def _find_store(region: list[Node], load: MethodCall, value_name: str) -> MethodCall | None:
    """The first ``sm.Store(k, f(v))``/``Swap`` in ``region`` with ``f(v)`` derived from v."""
    tainted = {value_name}
    derived: set[str] = set()
    fixed = _identifiers(load.args[0]) | _identifiers(load.receiver)
    stack = list(reversed(region))
    while stack:
        node = stack.pop()
        if node.type == "func_literal":
            continue
        if node.type in _ASSIGNS:
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            targets = {
                node_text(n)
                for n in (left.named_children if left is not None else [])
                if n.type == "identifier"
            }
            if left is not None and _identifiers(left) & fixed:
                return None  # the key or the map changes: a different entry
            rhs = _identifiers(right) if right is not None else set()
            if rhs & tainted:  # may-taint: a later plain assignment does not clear it
                tainted |= targets
                derived |= targets
        if node.type in ("inc_statement", "dec_statement"):
            names = {node_text(n) for n in node.named_children if n.type == "identifier"}
            if names & fixed:
                return None
            derived |= names & tainted
        call = method_call(node)
        if call is not None and same_expr(call.receiver, load.receiver) and call.args:
            same_key = same_expr(call.args[0], load.args[0])
            if same_key and call.method in (
                "Load",
                "LoadOrStore",
                "LoadAndDelete",
                "CompareAndSwap",
                "CompareAndDelete",
            ):
                return None  # re-read (its own finding) or already a CAS
            if same_key and call.method in ("Store", "Swap") and len(call.args) == 2:
                value = call.args[1]
                names = _identifiers(value)
                bare = value.type == "identifier"
                if names & tainted and not (bare and node_text(value) not in derived):
                    return call
        stack.extend(reversed(node.children))
    return None


def _display_fix(
    ctx: FileContext,
    stmt: Node,
    load: MethodCall,
    store: MethodCall,
    value_name: str,
    ok_name: str,
) -> Fix | None:
    """The CompareAndSwap loop, for ``v, _ := sm.Load(k)`` directly followed by the Store."""
    if stmt.type != "short_var_declaration" or ok_name != "_":
        return None
    if stmt.parent is None or stmt.parent.type != "statement_list":
        return None
    nxt = stmt.next_sibling
    store_stmt = store.call.parent
    if nxt is None or nxt != store_stmt or statement_call(nxt, store.method) is None:
        return None
    if store.method != "Store":
        return None
    for later in _following(nxt):
        if value_name in _identifiers(later):
            return None
    function = enclosing_function(stmt)
    if function is None:
        return None
    loaded = ctx.unique_name("loaded", function)
    ind = ctx.indent(stmt)
    sm, key, v = node_text(load.receiver), node_text(load.args[0]), node_text(store.args[1])
    lines = [
        "for {",
        f"\t{value_name}, {loaded} := {sm}.Load({key})",
        f"\tif !{loaded} {{",
        f"\t\tif _, {loaded} = {sm}.LoadOrStore({key}, {v}); !{loaded} {{",
        "\t\t\tbreak",
        "\t\t}",
        f"\t}} else if {sm}.CompareAndSwap({key}, {value_name}, {v}) {{",
        "\t\tbreak",
        "\t}",
        "}",
    ]
    text = ("\n" + ind).join(lines)
    return ctx.fix(
        "Retry with CompareAndSwap until no other goroutine stored in between",
        [ctx.edit(stmt.start_byte, nxt.end_byte, text)],
        Applicability.DISPLAY_ONLY,
        f"{v} may be evaluated several times; CompareAndSwap panics on uncomparable values",
        declares=(loaded,),
        scope=function,
    )
