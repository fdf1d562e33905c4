"""GMF702 syncmap-load-then-store."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from gomapfix.codemod import SYNC_MAP_EVIDENCE, Codemod, FileContext
from gomapfix.facts.locks import locks_held_at
from gomapfix.finding import Finding
from gomapfix.fix import Applicability
from gomapfix.parse import node_text
from gomapfix.syntax import is_pure, same_expr, statements

from ._syncmap import MethodCall, is_sync_map, method_call, statement_call, value_type

_METHODS = ("Load", "Store", "LoadOrStore")
_ATOMIC = ("LoadOrStore", "LoadAndDelete", "Swap", "CompareAndSwap", "CompareAndDelete")


class SyncMapLoadThenStore(Codemod):
    """
    What it finds:
        A ``sync.Map`` presence check followed by a ``Store`` of the same key on the
        miss path: ``if _, ok := sm.Load(k); !ok { sm.Store(k, v) }``, also with the
        ``Store`` among other statements of the block, in the ``else`` of
        ``if v, ok := sm.Load(k); ok { ... }``, after ``if v, ok := sm.Load(k); ok { return
        v }`` (the rest of the block is the miss path), or with ``v, ok := sm.Load(k)`` as a
        statement of its own followed by such an ``if``. ``sm`` is visibly a ``sync.Map``
        or ``*sync.Map`` (or a package struct embedding one that does not declare
        ``Load``, ``Store`` or ``LoadOrStore`` itself), and the ``Store`` uses the same key
        expression. Not reported when the miss path settles the race itself (a
        ``LoadOrStore``, ``Swap`` or ``CompareAndSwap`` of the same key before the
        ``Store``: the ``Load`` is then a fast path), when the key's variables change
        before the ``Store``, while a mutex is held (the lock serialises the
        check-then-act), or for a memoising getter of plain values (the early-return
        shape storing a visibly basic value: a number, string or bool, computed alike by
        both goroutines, with no identity a lost ``Store`` could split).

    Why it is a hazard:
        Check-then-act on a ``sync.Map`` is not atomic. Two goroutines can both see the
        key missing and both ``Store``: the last one wins, and whatever the first one
        stored (a connection, a cache entry, a once-only initialiser) is silently lost
        while its creator goes on using it. There is no data race, so ``go test -race``
        reports nothing. ``LoadOrStore`` checks and stores in one atomic step: exactly one
        value wins and every caller gets it.
        The popular claim that ``sync.Map`` leaks deleted keys through its "dirty map" is
        false since Go 1.24 (a HashTrieMap that prunes on delete); the hazard here is the
        check-then-act, not memory.

    Example:
        if _, ok := conns.Load(addr); !ok {
            conns.Store(addr, dial(addr))
        }

    Fixed:
        conns.LoadOrStore(addr, dial(addr))

    Fix safety:
        unsafe: the value is now evaluated on every call, also when the key is already
        there (``dial(addr)`` above now dials every time and the extra connection is
        dropped), and the key expression is evaluated once instead of twice. Offered only
        for the exact shape: the block holds nothing but the ``Store``, there is no
        ``else``, and the loaded value is discarded (``_``). Every other shape is reported
        without a fix: the code around the ``Store`` must move under ``LoadOrStore``'s
        ``loaded`` result, which needs a human (typically: build the value, call
        ``LoadOrStore``, and use the value it returns).

    Minimum Go:
        1.9 (``sync.Map.LoadOrStore`` exists since ``sync.Map`` does); no gate.
    """

    code = "GMF702"
    name = "syncmap-load-then-store"
    summary = "sync.Map Load then Store of the same key on a miss: not atomic, use LoadOrStore."
    family = "sync.Map"
    requires = ("scopes",)
    trigger_tokens = (b"Store",)
    package_pattern = SYNC_MAP_EVIDENCE

    def visit_if_statement(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        init = node.child_by_field_name("initializer")
        shape = _load_declaration(init)
        if shape is None:
            return
        load, value_name, ok_name = shape
        consequence = node.child_by_field_name("consequence")
        alternative = node.child_by_field_name("alternative")
        miss = _miss_region(node, ok_name)
        if not miss:
            return
        stores = _stores(miss, load)
        if not stores or not is_sync_map(ctx, load.receiver, _METHODS) or _locked(ctx, node):
            return
        if _memo(ctx, node, miss, stores):
            return
        message = _message(load, stores[0])
        related = [ctx.related(s.call, "stored here") for s in stores]
        body = statements(miss[0])
        exact = (
            miss[0] == consequence
            and alternative is None
            and value_name == "_"
            and len(body) == 1
            and body[0].type == "expression_statement"
            and body[0].named_children[0] == stores[0].call
        )
        if not exact:
            yield ctx.report(load.call, message + _no_fix_reason(), None, related)
            return
        if node.parent is None or node.parent.type not in ("statement_list", "labeled_statement"):
            yield ctx.report(
                load.call, message + " (no automatic fix in an else-if)", None, related
            )
            return
        store = stores[0]
        sm, key, value = node_text(load.receiver), node_text(load.args[0]), store.args[1]
        notes = [f"{node_text(value)} is now evaluated even when the key is already there"]
        if not is_pure(load.args[0]):
            notes.append("the key expression is evaluated once instead of twice")
        fix = ctx.fix(
            f"Use {sm}.LoadOrStore({key}, ...)",
            [ctx.replace(node, f"{sm}.LoadOrStore({key}, {node_text(value)})")],
            Applicability.UNSAFE,
            "; ".join(notes),
        )
        yield ctx.report(load.call, message, fix, related)

    def visit_short_var_declaration(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        # `_, ok := sm.Load(k)` as a statement, then `if !ok { ... sm.Store(k, v) ... }`.
        if node.parent is None or node.parent.type != "statement_list":
            return
        shape = _load_declaration(node)
        if shape is None:
            return
        load, _value_name, ok_name = shape
        following = node.next_named_sibling
        while following is not None and following.type == "comment":
            following = following.next_named_sibling
        if following is None or following.type != "if_statement":
            return
        if following.child_by_field_name("initializer") is not None:
            return
        miss = _miss_region(following, ok_name)
        stores = _stores(miss, load)
        if not stores or not is_sync_map(ctx, load.receiver, _METHODS) or _locked(ctx, node):
            return
        if _memo(ctx, following, miss, stores):
            return
        related = [ctx.related(s.call, "stored here") for s in stores]
        yield ctx.report(load.call, _message(load, stores[0]) + _no_fix_reason(), None, related)


def _miss_region(if_stmt: Node, ok_name: str) -> list[Node]:
    """The code that runs when the key was missing, for ``if`` tests of ``ok``.

    ``if !ok { miss }``; ``if ok { hit } else { miss }``; and ``if ok { ...; return }``
    followed by the miss path (the rest of the block, also after ``break``/``continue``
    or ``panic``).
    """
    cond = if_stmt.child_by_field_name("condition")
    consequence = if_stmt.child_by_field_name("consequence")
    alternative = if_stmt.child_by_field_name("alternative")
    if _is_not(cond, ok_name):
        return [consequence] if consequence is not None else []
    while cond is not None and cond.type == "parenthesized_expression" and cond.named_children:
        cond = cond.named_children[0]
    if cond is None or cond.type != "identifier" or node_text(cond) != ok_name:
        return []
    if alternative is not None:
        return [alternative] if alternative.type == "block" else []
    body = statements(consequence)
    if not body or not _leaves(body[-1]) or if_stmt.parent is None:
        return []
    if if_stmt.parent.type != "statement_list":
        return []
    rest: list[Node] = []
    sibling = if_stmt.next_named_sibling
    while sibling is not None:
        rest.append(sibling)
        sibling = sibling.next_named_sibling
    return rest


def _memo(ctx: FileContext, if_stmt: Node, miss: list[Node], stores: list[MethodCall]) -> bool:
    """A memoising getter of plain values: ``if v, ok := sm.Load(k); ok { return v }``,
    then compute, ``Store`` and return a number, string or bool. Two goroutines compute
    and store equal values, and a value has no identity that a lost Store could split.
    """
    if not miss or miss[0].parent != if_stmt.parent:
        return False  # the miss path is a block of the if: a flag or dedup check
    for store in stores:
        t = value_type(ctx, store.args[1])
        resolved = ctx.facts.model.underlying(t) if t.kind == "named" else t
        if resolved.kind != "basic" or resolved.name in ("any", "error", "comparable"):
            return False
    return True


def _leaves(stmt: Node) -> bool:
    if stmt.type in ("return_statement", "break_statement", "continue_statement"):
        return True
    if stmt.type == "expression_statement" and stmt.named_children:
        call = stmt.named_children[0]
        fn = call.child_by_field_name("function") if call.type == "call_expression" else None
        return fn is not None and fn.type == "identifier" and node_text(fn) == "panic"
    return False


def _locked(ctx: FileContext, node: Node) -> bool:
    """Whether a mutex is held here: the check-then-act is then serialised by it."""
    try:
        return bool(locks_held_at(ctx.facts, node))
    except ValueError:
        return False


def _message(load: MethodCall, store: MethodCall) -> str:
    sm, key = node_text(load.receiver), node_text(load.args[0])
    return (
        f"{sm}.Load({key}) then {sm}.Store({key}, ...) on a miss is not atomic: two "
        "goroutines can both miss and both store, and the first value is lost; "
        "use LoadOrStore"
    )


def _no_fix_reason() -> str:
    return " (no automatic fix: more than the Store depends on the miss)"


def _load_declaration(stmt: Node | None) -> tuple[MethodCall, str, str] | None:
    """(Load call, value name, ok name) for ``v, ok := sm.Load(k)``."""
    if stmt is None or stmt.type != "short_var_declaration":
        return None
    left = stmt.child_by_field_name("left")
    right = stmt.child_by_field_name("right")
    if left is None or right is None:
        return None
    names = left.named_children
    values = right.named_children
    if len(names) != 2 or len(values) != 1 or names[1].type != "identifier":
        return None
    ok_name = node_text(names[1])
    if ok_name == "_":
        return None
    load = method_call(values[0], "Load")
    if load is None or len(load.args) != 1:
        return None
    return load, node_text(names[0]), ok_name


def _names(node: Node) -> set[str]:
    out: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "identifier":
            out.add(node_text(current))
        stack.extend(current.children)
    return out


def _is_not(cond: Node | None, name: str) -> bool:
    """Whether ``cond`` is ``!name`` (parentheses allowed)."""
    while cond is not None and cond.type == "parenthesized_expression" and cond.named_children:
        cond = cond.named_children[0]
    if cond is None or cond.type != "unary_expression":
        return False
    op = cond.child_by_field_name("operator")
    operand = cond.child_by_field_name("operand")
    while (
        operand is not None
        and operand.type == "parenthesized_expression"
        and operand.named_children
    ):
        operand = operand.named_children[0]
    return (
        op is not None
        and node_text(op) == "!"
        and operand is not None
        and operand.type == "identifier"
        and node_text(operand) == name
    )


def _stores(region: list[Node], load: MethodCall) -> list[MethodCall]:
    """``sm.Store(k, v)`` statements with the Load's map and key (not in func literals).

    None when the region also settles the race itself (``LoadOrStore``, ``Swap``,
    ``CompareAndSwap``... of the same key), or when the key's variables change first.
    """
    out: list[MethodCall] = []
    key_names = _names(load.args[0])
    stack = list(reversed(region))
    while stack:
        node = stack.pop()
        atomic = method_call(node, *_ATOMIC)
        if (
            atomic is not None
            and atomic.args
            and same_expr(atomic.receiver, load.receiver)
            and same_expr(atomic.args[0], load.args[0])
        ):
            return []  # the miss path already settles the race atomically
        if node.type == "func_literal":
            continue
        if node.type in (
            "assignment_statement",
            "short_var_declaration",
            "inc_statement",
            "dec_statement",
        ):
            left = node.child_by_field_name("left")
            targets = left if left is not None else node
            if _names(targets) & key_names:
                return out  # a different key from here on
        store = statement_call(node, "Store")
        if (
            store is not None
            and len(store.args) == 2
            and same_expr(store.receiver, load.receiver)
            and same_expr(store.args[0], load.args[0])
        ):
            out.append(store)
            continue
        stack.extend(reversed(node.children))
    return out
