"""GMF102 map-write-under-rlock."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from gomapfix.codemod import MAP_EVIDENCE, Codemod, FileContext, enclosing_function
from gomapfix.facts.locks import (
    READ,
    WRITE,
    FunctionLocks,
    HeldLock,
    call_acquires,
    lock_call,
    lock_state,
    resolve_call,
)
from gomapfix.finding import Finding
from gomapfix.fix import Applicability, Edit, Fix
from gomapfix.parse import node_text
from gomapfix.syntax import call_args, path_root

_WRITE_TEXT = {"delete": "delete", "clear": "clear"}


class MapWriteUnderRLock(Codemod):
    """
    What it finds:
        A map write (``delete(m, k)``, ``m[k] = v``, ``m[k] op= v``, ``m[k]++``/``--``,
        ``clear(m)``) executed while a ``sync.RWMutex`` is held only in read mode: after
        ``mu.RLock()`` and before the matching ``mu.RUnlock()`` (deferred or not) in the
        same function. The map must visibly be a map (``delete`` proves it; otherwise its
        declared type), and must be shared state related to the mutex: a field reached
        from the same variable as the mutex (``s.m`` under ``s.mu``), or a package-level
        map under a package-level mutex. Writes to local maps (building a result under
        the read lock) are fine and not reported; so is a write while any write lock
        (``Lock``) is held.

    Why it is a hazard:
        ``RLock`` lets any number of readers in at once. Concurrent *reads* of a map are
        fine, but a write concurrent with any other access is a data race: the runtime
        may stop the program with ``fatal error: concurrent map writes`` (or ``concurrent
        map read and map write``), which ``recover`` cannot catch, and ``go test -race``
        reports it every time. The read lock gives no protection to the write. Nor can a
        ``RLock`` be upgraded to a ``Lock``: ``RUnlock`` then ``Lock`` lets other writers
        in between (the state read under the read lock may be stale), and ``Lock`` while
        holding ``RLock`` deadlocks.

    Example:
        func (c *Cache) Evict(k string) {
            c.mu.RLock()
            defer c.mu.RUnlock()
            delete(c.items, k)
        }

    Fixed:
        func (c *Cache) Evict(k string) {
            c.mu.Lock()
            defer c.mu.Unlock()
            delete(c.items, k)
        }

    Fix safety:
        The fix turns that whole critical section into a write section: ``RLock`` becomes
        ``Lock`` at the acquisition and ``RUnlock`` becomes ``Unlock`` at every release
        site of that acquisition (early-return branches and deferred calls included). It
        is safe when the acquisition and all its releases are in the same function, at
        least one release exists, the lock never leaves the function held, and nothing in
        the section takes the same mutex again: no nested ``RLock``/``Lock`` of it, and no
        call to a function or method of the package that takes it (``sync.RWMutex`` is
        not reentrant: under ``Lock`` such a call deadlocks). The only behaviour change is
        that readers now wait for this section. Otherwise the fix is unsafe, with a note
        saying why: a call in the section takes the mutex, a function value is called in
        the section, the release is elsewhere, or the function's use of the mutex is not
        fully understood (unmatched releases, conditional locking).

    Minimum Go:
        any.
    """

    code = "GMF102"
    name = "map-write-under-rlock"
    summary = "A map write while holding only the read lock of a sync.RWMutex (a data race)."
    family = "concurrency"
    requires = ("scopes", "locks")
    trigger_tokens = (b"RLock",)
    package_pattern = MAP_EVIDENCE
    call_names = frozenset(_WRITE_TEXT)

    # Hooks ----------------------------------------------------------------------------

    def visit_call_expression(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        fn = node.child_by_field_name("function")
        if fn is None or fn.type != "identifier":
            return
        name = node_text(fn)
        if name not in _WRITE_TEXT:
            return
        if ctx.facts.scopes.declaration(fn) is not None:
            return  # a local function value shadowing the builtin
        args = call_args(node)
        if not args:
            return
        target = args[0]
        if name == "delete":
            if len(args) != 2:
                return
        elif len(args) != 1 or ctx.facts.scopes.map_type(target) is None:
            return
        yield from self._check(ctx, node, target, name)

    def visit_assignment_statement(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        left = node.child_by_field_name("left")
        if left is None:
            return
        for target in left.named_children:
            if target.type != "index_expression":
                continue
            operand = target.child_by_field_name("operand")
            if operand is None or ctx.facts.scopes.map_type(operand) is None:
                continue
            yield from self._check(ctx, node, operand, "assignment")
            return

    def visit_inc_statement(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        yield from self._inc_dec(ctx, node)

    def visit_dec_statement(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        yield from self._inc_dec(ctx, node)

    def _inc_dec(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        target = node.named_children[0] if node.named_children else None
        if target is None or target.type != "index_expression":
            return
        operand = target.child_by_field_name("operand")
        if operand is None or ctx.facts.scopes.map_type(operand) is None:
            return
        yield from self._check(ctx, node, operand, "++" if node.type == "inc_statement" else "--")

    # The check ------------------------------------------------------------------------

    def _check(self, ctx: FileContext, write: Node, map_expr: Node, what: str) -> Iterator[Finding]:
        function = enclosing_function(write)
        if function is None or b"RLock" not in (function.text or b""):
            return
        locks = lock_state(ctx.facts, function)
        try:
            held = locks.held_at(write)
        except ValueError:
            return
        if any(h.mode == WRITE for h in held):
            return  # a write lock is held: it is the one that guards the write
        readers = [
            h
            for h in held
            if h.mode == READ and h.acquisition is not None and _related(ctx, h, map_expr)
        ]
        if not readers:
            return
        reader = max(readers, key=lambda h: h.acquisition.start_byte if h.acquisition else -1)
        assert reader.acquisition is not None
        mutex_text = _operand_text(reader.acquisition)
        map_text = node_text(map_expr)
        verb = {
            "delete": f"delete on {map_text}",
            "clear": f"clear of {map_text}",
            "assignment": f"write to {map_text}",
            "++": f"increment of an entry of {map_text}",
            "--": f"decrement of an entry of {map_text}",
        }[what]
        message = (
            f"{verb} under {mutex_text}.RLock() only: a data race with concurrent readers "
            '(fatal "concurrent map writes"); this section needs Lock'
        )
        yield ctx.report(
            write,
            message,
            _fix(ctx, function, locks, reader, mutex_text),
            related=[ctx.related(reader.acquisition, f"read lock {mutex_text}.RLock() taken here")],
        )


# Relating the map to the mutex ---------------------------------------------------------


def _is_package_var(ctx: FileContext, ident: Node) -> bool:
    decl = ctx.facts.scopes.declaration(ident)
    return decl is not None and decl.kind == "package_var"


def _related(ctx: FileContext, held: HeldLock, map_expr: Node) -> bool:
    """Whether the map is shared state plausibly guarded by ``held``'s mutex.

    A field path from the same variable as the mutex (``s.m`` and ``s.mu``), or package
    state on both sides. A local map, or a map reached from another variable, is not.
    """
    assert held.acquisition is not None
    map_root = path_root(map_expr)
    fn = held.acquisition.child_by_field_name("function")
    operand = fn.child_by_field_name("operand") if fn is not None else None
    lock_root = path_root(operand) if operand is not None else None
    if map_root is None or lock_root is None:
        return False
    if map_expr.type == "identifier":
        # A bare map variable: only package state under a package-level mutex.
        return _is_package_var(ctx, map_root) and _is_package_var(ctx, lock_root)
    if node_text(map_root) == node_text(lock_root):
        return True
    return _is_package_var(ctx, map_root) and _is_package_var(ctx, lock_root)


def _operand_text(call: Node) -> str:
    fn = call.child_by_field_name("function")
    operand = fn.child_by_field_name("operand") if fn is not None else None
    return node_text(operand) if operand is not None else "?"


# The fix -------------------------------------------------------------------------------


def _fix(
    ctx: FileContext, function: Node, locks: FunctionLocks, reader: HeldLock, mutex_text: str
) -> Fix | None:
    # The acquisitions sharing release sites with this one are rewritten together.
    component: set[HeldLock] = set()
    releases: set[Node] = set()
    queue = [reader]
    while queue:
        current = queue.pop()
        if current in component:
            continue
        component.add(current)
        for release in locks.releases(current):
            releases.add(release)
            queue.extend(locks.released_by(release))

    problems: list[str] = []
    if any(not locks.releases(a) for a in component):
        problems.append(f"the matching {mutex_text}.RUnlock() is not in this function")
    elif any(locks.escapes(a) for a in component):
        problems.append(f"{mutex_text} may still be read-locked when the function returns")
    if any(a.mode != READ or a.acquisition is None for a in component):
        problems.append(f"{mutex_text} is released in both modes here")
    problems.extend(_other_uses(locks, reader.mutex, component))
    problems.extend(_reentrant_calls(ctx, function, locks, reader.mutex, component))

    edits: list[Edit] = []
    for acq in component:
        if acq.acquisition is None:
            continue
        lc = lock_call(acq.acquisition)
        if lc is not None:
            edits.append(ctx.replace(lc.method_node, "Lock"))
    for release in releases:
        lc = lock_call(release)
        if lc is not None and lc.method == "RUnlock":
            edits.append(ctx.replace(lc.method_node, "Unlock"))
    applicability = Applicability.UNSAFE if problems else Applicability.SAFE
    note = "; ".join(dict.fromkeys(problems)) if problems else None
    return ctx.fix(
        f"Take {mutex_text}.Lock() for this critical section (RLock -> Lock, RUnlock -> Unlock)",
        edits,
        applicability,
        note,
    )


def _other_uses(locks: FunctionLocks, mutex: str, component: set[HeldLock]) -> Iterator[str]:
    """Uses of the same mutex in the function that the rewrite could break."""
    for other in locks.acquisitions:
        if other.mutex != mutex or other in component:
            continue
        assert other.acquisition is not None
        inside = locks.held_at(other.acquisition)
        if any(a in inside for a in component):
            yield f"{mutex} is locked again inside the section (with Lock that deadlocks)"
        elif not locks.releases(other) or locks.escapes(other):
            yield f"another {mutex} acquisition in this function is not released here"
        elif any(r in b for r in locks.releases(other) for b in _release_sets(locks, component)):
            yield f"{mutex} releases are shared between sections"
    if any(u.mutex == mutex for u in locks.unmatched_releases):
        yield f"{mutex} is released here without a matching lock in this function"


def _release_sets(locks: FunctionLocks, component: set[HeldLock]) -> list[set[Node]]:
    return [set(locks.releases(a)) for a in component]


def _reentrant_calls(
    ctx: FileContext, function: Node, locks: FunctionLocks, mutex: str, component: set[HeldLock]
) -> Iterator[str]:
    """Calls made while the section is held that may take the same mutex."""
    body = function.child_by_field_name("body")
    if body is None:
        return
    stack = list(body.children)
    while stack:
        node = stack.pop()
        if node.type == "go_statement":
            continue
        stack.extend(node.children)
        if node.type != "call_expression" or lock_call(node) is not None:
            continue
        point = _outermost_literal(node, function) or node
        try:
            held = locks.held_at(point)
        except ValueError:
            continue
        if not any(a in held for a in component):
            continue
        callee_fn = node.child_by_field_name("function")
        if callee_fn is None:
            continue
        taken = call_acquires(ctx.facts, node)
        if any(m == mutex for m, _mode in taken):
            yield (
                f"the section calls {node_text(callee_fn)}, which takes {mutex}: "
                "sync.RWMutex is not reentrant, with Lock that call would deadlock"
            )
            continue
        callee, _, _ = resolve_call(ctx.facts, node)
        if callee is None and callee_fn.type in ("identifier", "selector_expression"):
            t = ctx.facts.scopes.type_of(callee_fn)
            if ctx.facts.model.underlying(t).kind == "func":
                yield (
                    f"the section calls the function value {node_text(callee_fn)}, "
                    f"which may take {mutex}"
                )


def _outermost_literal(node: Node, function: Node) -> Node | None:
    found: Node | None = None
    current = node.parent
    while current is not None and current != function:
        if current.type == "func_literal":
            found = current
        current = current.parent
    return found
