"""GMF302 blocking-work-under-map-lock.

Also home of the small helpers the range/lock family shares (GMF302, GMF303, GMF305):
which lock guards a map expression, whether a type can be written at a given place, and
standard-library imports that do not collide with local names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tree_sitter import Node

from gomapfix.codemod import MAP_EVIDENCE, Codemod, FileContext, enclosing_function
from gomapfix.facts.locks import (
    FunctionLocks,
    HeldLock,
    call_acquires,
    lock_call,
    lock_state,
)
from gomapfix.finding import Finding
from gomapfix.fix import Applicability, Edit, Fix
from gomapfix.gotypes import BASIC_TYPES, GoType
from gomapfix.parse import node_text
from gomapfix.syntax import (
    builtin_call,
    call_args,
    call_name,
    expr_key,
    path_root,
    same_expr,
    statements,
    walk,
)

_CLOSERS = frozenset({"Close", "Stop"})
_CANCEL_NAME = re.compile(r"^[cC]ancel(Func|Fn|F|Cause|CauseFunc)?$")
_CANCEL_TYPES = frozenset({"CancelFunc", "CancelCauseFunc"})
_TIMER_NAME = re.compile(r"(?i)(timer|ticker)s?$")
_QUALIFIED_OR_WORD = re.compile(r"(?:([A-Za-z_][A-Za-z0-9_]*)\.)?([A-Za-z_][A-Za-z0-9_]*)")
_TYPE_WORDS = frozenset({"func", "chan", "map", "struct", "interface"})
_WRITERS = ("assignment_statement", "short_var_declaration", "inc_statement", "dec_statement")


class BlockingWorkUnderMapLock(Codemod):
    """
    What it finds:
        A ``for range`` over a map while the mutex that guards the map is held (a field
        map under a mutex of the same variable, ``s.conns`` under ``s.mu``, or a
        package-level map under a package-level mutex), whose body does work that can
        block or re-enter the lock: calls ``Close``/``Stop``, calls a cancel function
        value or a callback taken from the map (``for _, fn := range s.subs { fn(ev) }``),
        sends on or receives from a channel (outside a ``select`` with a ``default``),
        or calls a function or method of the package that takes the same mutex before
        returning (locks taken in callbacks it registers, such as ``time.AfterFunc``
        functions, do not count). Work inside ``go`` statements, deferred calls and
        function literals is not counted, nor work after the body released the lock.
        Not reported either, because Go guarantees they return at once and run no code
        of the caller's: ``Stop`` on a visible ``*time.Timer``/``*time.Ticker`` (it does
        not wait for an ``AfterFunc`` function) and a visible ``context.CancelFunc``
        (``AfterFunc`` callbacks of a context run in their own goroutines).

    Why it is a hazard:
        Every other user of the mutex waits while the loop runs, and the loop now waits
        on the outside world: a ``Close`` that flushes or waits for a goroutine, a send
        nobody is ready to receive. If that outside work itself needs the lock (a worker
        goroutine that locks the map before it can exit, a callback that calls back into
        the type), the program deadlocks; calling a method that takes the same lock
        deadlocks at once, since ``sync.Mutex`` is not reentrant (and a recursive
        ``RLock`` deadlocks as soon as a writer waits). Deleting from the map inside the
        loop is NOT the problem, contrary to popular folklore: deleting during ``for
        range`` is defined behaviour in Go. The cure is snapshot-then-act: collect what
        to act on under the lock, act after ``Unlock``.

    Example:
        s.mu.Lock()
        for id, c := range s.conns {
            c.Close()
            delete(s.conns, id)
        }
        s.mu.Unlock()

    Fixed:
        s.mu.Lock()
        victims := make([]net.Conn, 0, len(s.conns))
        for id, c := range s.conns {
            victims = append(victims, c)
            delete(s.conns, id)
        }
        s.mu.Unlock()
        for _, c := range victims {
            c.Close()
        }

    Fix safety:
        unsafe: the work now runs without the lock, so other goroutines can observe the
        map (or the values, for a loop that does not delete them) before it is done, and
        anything the moved statements read that the lock guards is read unlocked. A fix
        is offered only for the simple shape: ``Lock()`` and its one non-deferred
        ``Unlock()`` in the same block as the loop, a ``:=`` range, and a body made only
        of ``delete(m, k)`` of the range key (kept under the lock) and single-line call,
        send or receive statements that use one range variable (moved after the
        ``Unlock``, in their original order), whose type is visible. With a deferred
        ``Unlock``, branches in the body, or work that needs both key and value, the
        finding comes without a fix and says why.

    Minimum Go:
        any.
    """

    code = "GMF302"
    name = "blocking-work-under-map-lock"
    summary = (
        "Blocking work (Close, callbacks, channel ops) or a re-lock while ranging a locked map."
    )
    family = "range"
    default_enabled = True
    requires = ("scopes", "locks")
    trigger_tokens = (b"Lock",)
    package_pattern = MAP_EVIDENCE

    def visit_for_statement(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        loop = _locked_range(ctx, node)
        if loop is None:
            return
        ops = _blocking_ops(ctx, loop)
        if not ops:
            return
        m = ctx.text(loop.map_expr)
        mutex = _mutex_text(loop.guard)
        mode = "RLock" if loop.guard.mode == "R" else "Lock"
        first = ops[0]
        message = f"blocking work while ranging over {m} with {mutex}.{mode}() held: {first.why}"
        fix, why_not = _fix(ctx, loop, ops)
        if fix is None:
            message += f" (no automatic fix: {why_not})"
        related = [ctx.related(op.node, op.short) for op in ops]
        assert loop.guard.acquisition is not None
        related.append(ctx.related(loop.guard.acquisition, f"{mutex}.{mode}() taken here"))
        yield ctx.report(node, message, fix, related)


# Shared helpers (GMF302, GMF303, GMF305) ------------------------------------------------


def is_path(expr: Node) -> bool:
    """An identifier or a selector chain of identifiers (evaluating it has no effect)."""
    current: Node | None = expr
    while current is not None and current.type == "selector_expression":
        current = current.child_by_field_name("operand")
    return current is not None and current.type == "identifier" and current.text != b"_"


def _is_package_var(ctx: FileContext, ident: Node) -> bool:
    decl = ctx.facts.scopes.declaration(ident)
    return decl is not None and decl.kind == "package_var"


def guards(ctx: FileContext, held: HeldLock, map_expr: Node) -> bool:
    """Whether ``held``'s mutex plausibly guards the map ``map_expr``.

    A field path from the same variable as the mutex (``s.m`` and ``s.mu``), or
    package-level state on both sides. A local map (built under the lock, not shared)
    is not guarded by it.
    """
    if held.acquisition is None:
        return False
    map_root = path_root(map_expr)
    fn = held.acquisition.child_by_field_name("function")
    operand = fn.child_by_field_name("operand") if fn is not None else None
    lock_root = path_root(operand) if operand is not None else None
    if map_root is None or lock_root is None:
        return False
    if map_expr.type == "identifier":
        return _is_package_var(ctx, map_root) and _is_package_var(ctx, lock_root)
    if node_text(map_root) == node_text(lock_root):
        decl_m = ctx.facts.scopes.declaration(map_root)
        decl_l = ctx.facts.scopes.declaration(lock_root)
        if decl_m is None or decl_l is None:
            return decl_m is None and decl_l is None
        return decl_m.node == decl_l.node
    return _is_package_var(ctx, map_root) and _is_package_var(ctx, lock_root)


def guarding_locks(
    ctx: FileContext, locks: FunctionLocks, at: Node, map_expr: Node
) -> list[HeldLock]:
    """The locks held at ``at`` that guard ``map_expr``, innermost (latest) first."""
    try:
        held = locks.held_at(at)
    except ValueError:
        return []
    found = [h for h in held if h.acquisition is not None and guards(ctx, h, map_expr)]
    found.sort(key=lambda h: h.acquisition.start_byte if h.acquisition else -1, reverse=True)
    return found


def _mutex_text(held: HeldLock) -> str:
    assert held.acquisition is not None
    fn = held.acquisition.child_by_field_name("function")
    operand = fn.child_by_field_name("operand") if fn is not None else None
    return node_text(operand) if operand is not None else held.mutex


mutex_text = _mutex_text


def usable_type_text(ctx: FileContext, t: GoType, fn: Node | None, depth: int = 0) -> str | None:
    """``t``'s text when it names the same type inside ``fn``, else None."""
    if depth > 10:
        return None
    kind = t.kind
    if kind == "basic":
        return t.text
    if kind == "named":
        if t.qualifier is not None:
            spec = next((s for s in ctx.file.imports if s.local_name == t.qualifier), None)
            if spec is None or spec.name in ("_", "."):
                return None
            return t.text if "[" not in t.text else None
        if "[" in t.text or t.name is None:
            return None
        if t.name in ctx.facts.model.types:
            if fn is not None and t.name in _type_params_in_scope(ctx, fn):
                return None  # shadowed by a type parameter
            return t.text
        if fn is not None and t.name in _type_params_in_scope(ctx, fn):
            return t.text
        return None
    if kind in ("pointer", "slice", "array", "chan"):
        if t.elem is None or usable_type_text(ctx, t.elem, fn, depth + 1) is None:
            return None
        if kind == "array" and not re.fullmatch(r"\[\s*[0-9]+\s*\].*", t.text, re.DOTALL):
            return None  # a named constant length: keep it simple
        return t.text
    if kind == "map":
        if t.key is None or t.elem is None:
            return None
        if usable_type_text(ctx, t.key, fn, depth + 1) is None:
            return None
        if usable_type_text(ctx, t.elem, fn, depth + 1) is None:
            return None
        return t.text
    if kind == "struct":
        for _, ftype in t.fields:
            if usable_type_text(ctx, ftype, fn, depth + 1) is None:
                return None
        return t.text if "\n" not in t.text else None
    if kind in ("interface", "func"):
        if "\n" in t.text:
            return None
        for qualifier, word in _QUALIFIED_OR_WORD.findall(t.text):
            if qualifier:
                named = GoType(
                    kind="named", text=f"{qualifier}.{word}", name=word, qualifier=qualifier
                )
            elif word in BASIC_TYPES or word in _TYPE_WORDS:
                continue
            else:
                named = GoType(kind="named", text=word, name=word)
            if usable_type_text(ctx, named, fn, depth + 1) is None:
                return None  # also a parameter name: kept simple
        return t.text
    return None


def _type_params_in_scope(ctx: FileContext, fn: Node) -> set[str]:
    """Type parameter names usable inside ``fn`` (and its enclosing functions).

    A method's receiver type parameters count only when they are spelled as in the
    type's declaration (field types are written with the declaration's names).
    """
    names: set[str] = set()
    current: Node | None = fn
    while current is not None:
        params = current.child_by_field_name("type_parameters")
        if params is not None:
            for decl in params.named_children:
                for ident in decl.children_by_field_name("name"):
                    names.add(node_text(ident))
        if current.type == "method_declaration":
            names.update(_receiver_type_params(ctx, current))
        current = enclosing_function(current)
    return names


def _receiver_type_params(ctx: FileContext, method: Node) -> set[str]:
    receiver = method.child_by_field_name("receiver")
    if receiver is None:
        return set()
    generic = next((n for n in walk(receiver) if n.type == "generic_type"), None)
    if generic is None:
        return set()
    base = generic.child_by_field_name("type")
    args = generic.child_by_field_name("type_arguments")
    if base is None or args is None:
        return set()
    used = [node_text(a) for a in args.named_children]
    info = ctx.facts.model.types.get(node_text(base))
    if info is None:
        return set()
    params = info.node.child_by_field_name("type_parameters")
    declared: list[str] = []
    if params is not None:
        for decl in params.named_children:
            declared.extend(node_text(i) for i in decl.children_by_field_name("name"))
    return set(used) if used == declared else set()


def std_imports(
    ctx: FileContext, fn: Node | None, *paths: str
) -> tuple[dict[str, str], tuple[Edit, ...]] | None:
    """Local names and the import edit for std packages, or None when a name collides."""
    names, edits = ctx.imports(*paths)
    model = ctx.facts.model
    for path in paths:
        local = names[path]
        if ctx.file.import_name(path) is None:
            if any(spec.local_name == local for spec in ctx.file.imports):
                return None
            if local in model.vars or local in model.funcs or local in model.types:
                return None
        if fn is not None and _declared_locally(ctx, local, fn):
            return None
    return names, edits


def _declared_locally(ctx: FileContext, name: str, fn: Node) -> bool:
    top = fn
    while True:
        outer = enclosing_function(top)
        if outer is None:
            break
        top = outer
    for item in walk(top):
        if (
            item.type == "identifier"
            and item.text == name.encode()
            and ctx.facts.scopes.declaration(item) is not None
        ):
            return True
    return False


def range_clause(loop: Node) -> Node | None:
    return next((c for c in loop.named_children if c.type == "range_clause"), None)


# Matching ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _LockedRange:
    loop: Node
    clause: Node
    map_expr: Node
    function: Node
    locks: FunctionLocks
    guard: HeldLock
    map_type: GoType | None


@dataclass(frozen=True)
class _Op:
    node: Node
    why: str
    short: str


def _locked_range(ctx: FileContext, node: Node) -> _LockedRange | None:
    clause = range_clause(node)
    if clause is None:
        return None
    map_expr = clause.child_by_field_name("right")
    if map_expr is None or not is_path(map_expr):
        return None
    fn = enclosing_function(node)
    if fn is None or b"Lock()" not in (fn.text or b""):
        return None
    locks = lock_state(ctx.facts, fn)
    found = guarding_locks(ctx, locks, node, map_expr)
    if not found:
        return None
    map_type = ctx.facts.scopes.map_type(map_expr)
    if map_type is None and not _deletes_from(node, map_expr):
        return None  # not visibly a map (a slice under the lock is another story)
    return _LockedRange(node, clause, map_expr, fn, locks, found[0], map_type)


def _deletes_from(loop: Node, map_expr: Node) -> bool:
    body = loop.child_by_field_name("body")
    if body is None:
        return False
    for item in walk(body, skip_func_literals=True):
        if item.type == "call_expression":
            fn = item.child_by_field_name("function")
            args = call_args(item)
            if (
                fn is not None
                and fn.type == "identifier"
                and node_text(fn) == "delete"
                and len(args) == 2
                and same_expr(args[0], map_expr)
            ):
                return True
    return False


def _blocking_ops(ctx: FileContext, loop: _LockedRange) -> list[_Op]:
    """Blocking or re-locking operations of the body run with the guard held."""
    body = loop.loop.child_by_field_name("body")
    if body is None:
        return []
    mutex = _mutex_text(loop.guard)
    ops: list[_Op] = []
    stack = list(reversed(body.children))
    while stack:
        node = stack.pop()
        kind = node.type
        if kind in ("func_literal", "go_statement", "defer_statement"):
            continue
        if kind == "for_statement" and _nested_guarded_range(ctx, loop, node):
            continue  # reported on its own
        op = _op(ctx, loop, node, mutex)
        if op is not None and _held(loop, node):
            ops.append(op)
        stack.extend(reversed(node.children))
    return ops


def _nested_guarded_range(ctx: FileContext, loop: _LockedRange, inner: Node) -> bool:
    clause = range_clause(inner)
    right = clause.child_by_field_name("right") if clause is not None else None
    if right is None or not is_path(right):
        return False
    return guards(ctx, loop.guard, right) and (
        ctx.facts.scopes.map_type(right) is not None or _deletes_from(inner, right)
    )


def _held(loop: _LockedRange, node: Node) -> bool:
    try:
        return loop.guard in loop.locks.held_at(node)
    except ValueError:
        return False


def _op(ctx: FileContext, loop: _LockedRange, node: Node, mutex: str) -> _Op | None:
    kind = node.type
    if kind == "send_statement":
        channel = node.child_by_field_name("channel")
        if _nonblocking_select(node) or _local_channel(ctx, loop, channel):
            return None
        ch = ctx.text(channel) if channel is not None else "a channel"
        return _Op(
            node,
            f"channel send on {ch} blocks until a receiver is ready, and every user "
            f"of {mutex} waits meanwhile",
            f"send on {ch}",
        )
    if kind == "unary_expression":
        op = next((c for c in node.children if not c.is_named), None)
        operand = node.child_by_field_name("operand")
        if (
            op is None
            or op.type != "<-"
            or _nonblocking_select(node)
            or _local_channel(ctx, loop, operand)
        ):
            return None
        ch = ctx.text(operand) if operand is not None else "a channel"
        return _Op(
            node,
            f"channel receive from {ch} blocks until a sender is ready, and every user "
            f"of {mutex} waits meanwhile",
            f"receive from {ch}",
        )
    if kind != "call_expression" or lock_call(node) is not None:
        return None
    fn = node.child_by_field_name("function")
    if fn is None:
        return None
    callee = ctx.text(fn)
    taken = call_acquires(ctx.facts, node, synchronous=True)
    if any(m == loop.guard.mutex for m, _ in taken):
        return _Op(
            node,
            f"{callee} takes {mutex} again: sync.Mutex is not reentrant (and a recursive "
            f"RLock blocks behind a waiting writer), so this deadlocks",
            f"{callee} takes {mutex}",
        )
    name = None
    if fn.type == "selector_expression":
        field = fn.child_by_field_name("field")
        name = node_text(field) if field is not None else None
    elif fn.type == "identifier":
        name = node_text(fn)
    if name is None:
        return None
    if fn.type == "selector_expression" and name in _CLOSERS:
        if _never_blocks(ctx, fn, name):
            return None
        return _Op(
            node,
            f"{callee}() may block (flush, network, waiting for a goroutine that may "
            f"itself need {mutex}), and every user of {mutex} waits meanwhile",
            f"{callee}() under the lock",
        )
    if _is_context_cancel(ctx, fn):
        return None  # never blocks, runs no user code synchronously
    if _is_cancel_call(ctx, fn, name):
        return _Op(
            node,
            f"the cancel function {callee} runs with {mutex} held: one that waits, or "
            f"calls back into code that takes {mutex}, stalls or deadlocks every user "
            f"of the lock",
            f"{callee}() under the lock",
        )
    if _is_callback(ctx, loop, fn):
        return _Op(
            node,
            f"the callback {callee} from {ctx.text(loop.map_expr)} runs with {mutex} held: "
            f"one that calls back into the type (or takes {mutex}) deadlocks, "
            f"sync.Mutex is not reentrant",
            f"callback {callee} under the lock",
        )
    return None


# What a call surely runs under the caller's lock --------------------------------------


def _never_blocks(ctx: FileContext, fn: Node, name: str) -> bool:
    """``t.Stop()`` on a visible ``time.Timer``/``time.Ticker``: returns at once.

    ``Timer.Stop`` does not wait for an ``AfterFunc`` function to finish, and neither
    takes any lock of the caller's.
    """
    if name != "Stop":
        return False
    operand = fn.child_by_field_name("operand")
    if operand is None:
        return False
    t = ctx.facts.scopes.type_of(operand)
    if t.kind == "pointer" and t.elem is not None:
        t = t.elem
    if t.kind == "named" and t.qualifier == "time" and t.name in ("Timer", "Ticker"):
        return True
    # Type not visible (a field declared in another package): go by the name.
    return t.kind == "unknown" and bool(_TIMER_NAME.search(node_text(operand)))


def _local_channel(ctx: FileContext, loop: _LockedRange, channel: Node | None) -> bool:
    """A channel made in this very function (a semaphore or a worker pool's queue).

    Its receivers are goroutines this function starts, visible right here; flagging
    every send to them would drown the real cases (a field or map-held channel that
    a consumer drains under the same lock).
    """
    if channel is None or channel.type != "identifier":
        return False
    decl = ctx.facts.scopes.declaration(channel)
    if decl is None or decl.statement is None or decl.kind not in ("short_var", "var"):
        return False
    if enclosing_function(decl.node) != loop.function:
        return False
    return any(
        item.type == "call_expression"
        and (call_name(item) == "make")
        and any(c.type == "channel_type" for c in walk(item))
        for item in walk(decl.statement)
    )


def _is_context_cancel(ctx: FileContext, fn: Node) -> bool:
    """A visible ``context.CancelFunc``/``CancelCauseFunc`` value."""
    if fn.type not in ("identifier", "selector_expression"):
        return False
    t = ctx.facts.scopes.type_of(fn)
    return t.kind == "named" and t.qualifier == "context" and t.name in _CANCEL_TYPES


def _is_cancel_call(ctx: FileContext, fn: Node, name: str) -> bool:
    """A call of a cancel function value (not of a method or package function)."""
    if fn.type not in ("identifier", "selector_expression") or not _CANCEL_NAME.match(name):
        return False
    if fn.type == "identifier" and ctx.facts.scopes.declaration(fn) is None:
        return False  # a package function, not a function value
    # A variable or field whose type is visibly a (non-context) function type: a method,
    # or a value whose type is not visible (maybe a context.CancelFunc), is not claimed.
    t = ctx.facts.scopes.type_of(fn)
    return ctx.facts.model.underlying(t).kind == "func"


def _is_callback(ctx: FileContext, loop: _LockedRange, fn: Node) -> bool:
    """A call of the range value itself, when the map's values are functions."""
    if fn.type != "identifier" or loop.map_type is None or loop.map_type.elem is None:
        return False
    left = loop.clause.child_by_field_name("left")
    names = left.named_children if left is not None else []
    if len(names) != 2 or not any(c.type == ":=" for c in loop.clause.children):
        return False
    decl = ctx.facts.scopes.declaration(fn)
    if decl is None or decl.node != names[1]:
        return False
    return ctx.facts.model.underlying(loop.map_type.elem).kind == "func"


def _nonblocking_select(node: Node) -> bool:
    """Whether ``node`` is the communication of a ``select`` case with a ``default``."""
    current = node
    while current.parent is not None and current.parent.type != "communication_case":
        if current.parent.type in ("block", "statement_list", "func_literal"):
            return False
        current = current.parent
    case = current.parent
    if case is None or case.child_by_field_name("communication") != current:
        return False
    select = case.parent
    return select is not None and any(c.type == "default_case" for c in select.named_children)


# The fix -------------------------------------------------------------------------------


def _fix(ctx: FileContext, loop: _LockedRange, ops: list[_Op]) -> tuple[Fix | None, str]:
    records = loop.locks.release_records(loop.guard)
    mutex = _mutex_text(loop.guard)
    unlock = "RUnlock" if loop.guard.mode == "R" else "Unlock"
    if any(r.deferred for r in records):
        return None, (
            f"{mutex} is released by a deferred {unlock}(); collect the values under the "
            f"lock and act on them after unlocking"
        )
    if len(records) != 1 or loop.locks.escapes(loop.guard):
        return None, f"{mutex} is not released by one {unlock}() right after the loop"
    node = loop.loop
    block = node.parent
    if block is None or block.type != "statement_list":
        return None, "the loop is labeled or not a plain statement"
    assert loop.guard.acquisition is not None
    lock_stmt = loop.guard.acquisition.parent
    unlock_stmt = records[0].call.parent
    if (
        lock_stmt is None
        or unlock_stmt is None
        or lock_stmt.parent != block
        or unlock_stmt.parent != block
        or not lock_stmt.start_byte < node.start_byte < unlock_stmt.start_byte
    ):
        return None, f"the {mutex} Lock/{unlock} pair is not in the loop's block"
    if not any(c.type == ":=" for c in loop.clause.children):
        return None, "the range assigns existing variables"
    left = loop.clause.child_by_field_name("left")
    names = list(left.named_children) if left is not None else []
    key = names[0] if names and names[0].text != b"_" else None
    value = names[1] if len(names) > 1 and names[1].text != b"_" else None

    body = loop.loop.child_by_field_name("body")
    kept: list[Node] = []
    moved: list[Node] = []
    for stmt in statements(body):
        if _is_delete_of_key(ctx, stmt, loop.map_expr, key):
            kept.append(stmt)
        elif stmt.type in ("expression_statement", "send_statement"):
            moved.append(stmt)
        else:
            return None, "the loop body does more than act on each entry and delete it"
    if not moved:
        return None, "nothing to move out of the loop"
    if any(not any(_inside(op.node, s) for s in moved) for op in ops):
        return None, "the blocking work is not a statement of its own in the loop body"

    # Which range variable the moved work needs.
    used = {decl_node for s in moved for decl_node in _range_vars_used(ctx, s, key, value)}
    if len(used) != 1:
        why = "both the key and the value" if len(used) == 2 else "neither key nor value"
        return None, f"the work uses {why}"
    var = used.pop()
    map_type = loop.map_type
    if map_type is None:
        return None, f"the type of {ctx.text(loop.map_expr)} is not visible"
    vtype = map_type.elem if var == value else map_type.key
    type_text = usable_type_text(ctx, vtype, loop.function) if vtype is not None else None
    if type_text is None:
        return None, f"the element type of {ctx.text(loop.map_expr)} cannot be named here"

    # The moved statements must mean the same after the Unlock.
    between = [
        s
        for s in block.named_children
        if node.end_byte <= s.start_byte and s.end_byte <= unlock_stmt.end_byte
    ]
    for stmt in moved:
        problem = _not_movable(ctx, stmt, loop, var, between)
        if problem:
            return None, problem

    source = ctx.file.source
    data = ctx.data
    if data[source.line_start(node.start_byte) : node.start_byte].strip():
        return None, "the loop does not start its line"
    if data[unlock_stmt.end_byte : source.line_end(unlock_stmt.end_byte)].strip():
        return None, f"something follows {unlock}() on its line"
    for stmt in moved:
        before = data[source.line_start(stmt.start_byte) : stmt.start_byte]
        after = data[stmt.end_byte : source.line_end(stmt.end_byte)]
        if before.strip() or after.strip():
            return None, "a moved statement shares its line with other code or a comment"

    indent = ctx.indent(node)
    m = ctx.text(loop.map_expr)
    x = node_text(var)
    victims = ctx.unique_name("victims" if var == value else "keys", loop.function)
    edits = [
        ctx.insert(
            source.line_start(node.start_byte),
            f"{indent}{victims} := make([]{type_text}, 0, len({m}))\n",
        ),
        ctx.replace(moved[0], f"{victims} = append({victims}, {x})"),
    ]
    for stmt in moved[1:]:
        edits.append(
            ctx.edit(source.line_start(stmt.start_byte), source.line_end(stmt.end_byte), "")
        )
    tail = f"{indent}for _, {x} := range {victims} {{\n"
    for stmt in moved:
        tail += f"{indent}\t{ctx.text(stmt)}\n"
    tail += f"{indent}}}\n"
    anchor = _after_earlier_work(ctx, block, lock_stmt, node, unlock_stmt)
    if data[anchor.end_byte : source.line_end(anchor.end_byte)].strip():
        return None, "something follows the loops after the unlock on their line"
    edits.append(ctx.insert(source.line_end(anchor.end_byte), tail))
    note = (
        f"the moved work now runs after {mutex}.{unlock}(): other goroutines may see "
        f"{m} (and the values) before it is done, and anything it reads that {mutex} "
        f"guards is read unlocked"
    )
    title = f"Collect the values under {mutex}, act on them after {unlock}()"
    # Two loops of one critical section fixed in the same pass would both put their
    # work right after the Unlock, in reverse order: the section's key (not an
    # identifier, so it clashes with no name) makes the fix loop take one per pass.
    section = f"<GMF302 section at {lock_stmt.start_byte}>"
    fix = ctx.fix(
        title, edits, Applicability.UNSAFE, note, declares=(victims, section), scope=loop.function
    )
    return fix, ""


def _after_earlier_work(
    ctx: FileContext, block: Node, lock_stmt: Node, loop: Node, unlock_stmt: Node
) -> Node:
    """The statement after which the moved work goes: the Unlock, or the last of the
    loops right after it that act on a slice collected earlier in the same section
    (the work of loops before this one, moved by earlier fixes), so order is kept."""
    last = unlock_stmt
    siblings = [c for c in block.named_children if c.start_byte > unlock_stmt.start_byte]
    for sibling in siblings:
        if sibling.type == "comment":
            continue
        clause = range_clause(sibling) if sibling.type == "for_statement" else None
        right = clause.child_by_field_name("right") if clause is not None else None
        if right is None or right.type != "identifier":
            break
        decl = ctx.facts.scopes.declaration(right)
        if decl is None or decl.statement is None:
            break
        if not lock_stmt.end_byte <= decl.statement.start_byte < loop.start_byte:
            break
        last = sibling
    return last


def _inside(node: Node, container: Node) -> bool:
    return container.start_byte <= node.start_byte and node.end_byte <= container.end_byte


def _is_delete_of_key(ctx: FileContext, stmt: Node, map_expr: Node, key: Node | None) -> bool:
    call = builtin_call(stmt, "delete")
    if call is None or key is None:
        return False
    args = call_args(call)
    if len(args) != 2 or not same_expr(args[0], map_expr) or args[1].type != "identifier":
        return False
    decl = ctx.facts.scopes.declaration(args[1])
    return decl is not None and decl.node == key


def _range_vars_used(
    ctx: FileContext, stmt: Node, key: Node | None, value: Node | None
) -> set[Node]:
    out: set[Node] = set()
    for item in walk(stmt):
        if item.type != "identifier":
            continue
        decl = ctx.facts.scopes.declaration(item)
        if decl is None:
            continue
        if key is not None and decl.node == key:
            out.add(key)
        elif value is not None and decl.node == value:
            out.add(value)
    return out


def _not_movable(
    ctx: FileContext, stmt: Node, loop: _LockedRange, var: Node, between: list[Node]
) -> str | None:
    """Why ``stmt`` cannot run after the Unlock with the same meaning (None if it can)."""
    written = _written_paths(between)
    for item in walk(stmt):
        if item.type != "identifier":
            continue
        decl = ctx.facts.scopes.declaration(item)
        if decl is None or decl.node == var:
            continue
        if _inside(decl.node, stmt):
            continue  # declared inside the statement itself (a literal's parameter)
        if _inside(decl.node, loop.loop):
            return f"the work uses {node_text(item)}, declared in the loop"
        path = _path_at(item)
        for w in written:
            if path == w or path.startswith(w + ".") or node_text(item) == w:
                return f"{w} changes between the loop and the unlock"
    return None


def _path_at(ident: Node) -> str:
    """The longest selector path starting at ``ident`` (``s.a.b`` for ``s`` in it)."""
    current = ident
    while (
        current.parent is not None
        and current.parent.type == "selector_expression"
        and current.parent.child_by_field_name("operand") == current
    ):
        current = current.parent
    return expr_key(current)


def _written_paths(stmts: list[Node]) -> set[str]:
    """Identifiers and field paths assigned, declared or address-taken in ``stmts``."""
    out: set[str] = set()
    for stmt in stmts:
        for item in [stmt, *walk(stmt)]:
            if item.type in _WRITERS or item.type == "range_clause":
                left = item.child_by_field_name("left")
                targets = left.named_children if left is not None else item.named_children[:1]
                for target in targets:
                    out.add(_target_key(target))
            elif item.type in ("var_spec", "const_spec"):
                out.update(node_text(n) for n in item.children_by_field_name("name"))
            elif item.type == "unary_expression":
                op = next((c for c in item.children if not c.is_named), None)
                operand = item.child_by_field_name("operand")
                if op is not None and op.type == "&" and operand is not None:
                    out.add(_target_key(operand))
    out.discard("")
    return out


def _target_key(target: Node) -> str:
    """``s.a`` for ``s.a``, ``s.a[i]`` or ``(s.a)``; the written variable or field path."""
    current: Node | None = target
    while current is not None and current.type in ("index_expression", "parenthesized_expression"):
        current = (
            current.child_by_field_name("operand")
            if current.type == "index_expression"
            else (current.named_children[0] if current.named_children else None)
        )
    if current is None or current.type not in ("identifier", "selector_expression"):
        return ""
    return expr_key(current)
