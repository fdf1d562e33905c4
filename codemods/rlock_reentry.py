"""GMF105 rlock-reentry."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from gomapfix.codemod import Codemod, FileContext
from gomapfix.facts.locks import READ, WRITE, HeldLock, lock_call
from gomapfix.finding import Finding, Location, RelatedLocation
from gomapfix.parse import ParsedFile, node_text
from gomapfix.syntax import walk

from ._lockflow import (
    EntryLock,
    Taken,
    call_takes,
    entry_lock,
    held_at,
    invoked_on_the_spot,
    lock_kind,
    root_ident,
    taken_root,
    top_level_declaration,
)

_ASSIGNING = frozenset(
    {"assignment_statement", "short_var_declaration", "inc_statement", "dec_statement"}
)


class RLockReentry(Codemod):
    """
    What it finds:
        A goroutine taking a mutex it already holds:

        * a call, made while ``X.Lock()`` or ``X.RLock()`` is held, to a function or
          method of the package that takes the same mutex ``X`` itself or through the
          package functions it calls (``c.get(k)`` under ``c.mu.Lock()``, where ``get``
          starts with ``c.mu.RLock()``), including after ``defer X.Unlock()``, which
          keeps the lock to the end of the function;
        * ``X.RLock()`` followed by ``X.Lock()`` with no ``X.RUnlock()`` in between (an
          attempt to upgrade a read lock), and any other second acquisition of a mutex
          held on every path to it.

        "The same mutex" is the same expression written from the same variable
        (``c.mu`` at the lock and ``c`` as the receiver of the call); another instance
        of the type (``other.get(k)``) is a different mutex and is not reported.
        Not reported either: callees named ``...Locked`` or documented as running under
        the caller's lock ("caller must hold c.mu"), which by that convention do not
        take it; callees that release the mutex before taking it again (the "drop the
        caller's lock while waiting" helper); calls in ``go`` statements and in function
        literals that are not invoked on the spot (stored, registered or passed as
        callbacks: when they run is not visible); calls made after the lock is released
        on every path.

    Why it is a hazard:
        Go's mutexes are not reentrant: a goroutine that calls ``Lock`` on a
        ``sync.Mutex`` or ``sync.RWMutex`` it holds blocks forever, and so does ``RLock``
        while holding ``Lock``. A read lock cannot be upgraded: ``Lock`` waits for every
        reader to leave, including the caller itself. Even a recursive ``RLock`` under
        ``RLock``, which usually works, deadlocks as soon as a writer calls ``Lock``
        between the two: ``sync.RWMutex`` blocks new readers while a writer waits (so
        that writers are not starved), the writer waits for the first read lock, and
        that one waits for the second. The ``sync`` documentation forbids recursive read
        locking for this reason. These deadlocks take the whole service down (``fatal
        error: all goroutines are asleep`` at best, a silent hang in a server), and tests
        rarely hit the writer-in-between timing.

    Example:
        func (c *Cache) Get(k string) (int, bool) {
            c.mu.RLock()
            defer c.mu.RUnlock()
            v, ok := c.m[k]
            return v, ok
        }

        func (c *Cache) Incr(k string) {
            c.mu.Lock()
            defer c.mu.Unlock()
            v, _ := c.Get(k) // deadlock: Get takes c.mu again
            c.m[k] = v + 1
        }

    Fixed:
        func (c *Cache) Get(k string) (int, bool) {
            c.mu.RLock()
            defer c.mu.RUnlock()
            return c.getLocked(k)
        }

        // getLocked reads the entry; the caller must hold c.mu.
        func (c *Cache) getLocked(k string) (int, bool) {
            v, ok := c.m[k]
            return v, ok
        }

        func (c *Cache) Incr(k string) {
            c.mu.Lock()
            defer c.mu.Unlock()
            v, _ := c.getLocked(k)
            c.m[k] = v + 1
        }

        For an upgrade (``RLock`` then ``Lock``): release the read lock first, take the
        write lock, and check the state again under it (it may have changed), or take
        ``Lock`` from the start.

    Fix safety:
        display-only: the finding names the acquisition and the lock call inside the
        callee; the split into an unlocked ``...Locked`` helper (or the release before
        ``Lock``) changes the structure of the code and is left to a human.

    Minimum Go:
        any.
    """

    code = "GMF105"
    name = "rlock-reentry"
    summary = (
        "A goroutine takes a mutex it already holds (reentrant call, RLock upgrade): deadlock."
    )
    family = "concurrency"
    requires = ("scopes", "locks")
    # Every acquisition is a ``X.Lock()`` or ``X.RLock()`` call (lock_call): a package
    # without one takes no mutex, let alone twice.
    package_pattern = rb"\bR?Lock\b"
    # A lock call in the function, or a method under the caller-holds convention
    # (a name ending in Locked/LockHeld, or a doc comment saying the lock is held).
    trigger_tokens = (
        b"Lock",
        b"Locked",
        b"LockHeld",
        b"lock",
        b"LOCK",
        b"hold",
        b"Hold",
        b"HOLD",
        b"held",
        b"Held",
        b"HELD",
        b"equires",
        b"EQUIRES",
    )

    def visit_call_expression(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        top, may_lock = top_level_declaration(ctx.facts, ctx.file, node)
        if not may_lock:
            # No lock is held here and this call takes none: only the caller-holds
            # convention of the enclosing method can apply (entry_lock is cached).
            if (
                top is not None
                and top.type == "method_declaration"
                and entry_lock(ctx.facts, top) is not None
                and not _in_go_or_defer(node)
                and lock_call(node) is None
            ):
                yield from self._under_convention(ctx, node)
            return
        if _in_go_or_defer(node):
            return
        lc = lock_call(node)
        if lc is not None:
            if lc.acquires:
                yield from self._reacquire(ctx, node, lc.mutex, lc.mode)
            return
        held = held_at(ctx.facts, node)
        if not held:
            yield from self._under_convention(ctx, node)
            return
        best: tuple[int, HeldLock, Taken] | None = None
        for taken in call_takes(ctx.facts, node):
            for h in held:
                if h.mutex != taken.mutex or h.acquisition is None:
                    continue
                if not _same_variable(ctx, h, node, taken) or not _plain_mutex(ctx, h):
                    continue
                rank = _severity(h.mode, taken.mode)
                if best is None or rank > best[0]:
                    best = (rank, h, taken)
        if best is None:
            yield from self._under_convention(ctx, node)
            return
        _, h, taken = best
        yield self._report_call(ctx, node, h, taken)

    # Caller-holds convention ---------------------------------------------------------------

    def _under_convention(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        """A call in a ``...Locked`` method to one that takes the lock it runs under."""
        function = _inline_home(node)
        if function is None or function.type != "method_declaration":
            return
        entry = entry_lock(ctx.facts, function)
        if entry is None:
            return
        for taken in call_takes(ctx.facts, node):
            if taken.mutex != entry.mutex or taken.package:
                continue
            ident = taken_root(node, taken)
            if ident is None:
                continue
            decl = ctx.facts.scopes.declaration(ident)
            if decl is None or decl.kind != "receiver":
                continue
            if _assigned_in(function, function.start_byte, node.start_byte, node_text(ident)):
                continue
            yield self._report_convention(ctx, node, entry, taken)
            return

    def _report_convention(
        self, ctx: FileContext, node: Node, entry: EntryLock, taken: Taken
    ) -> Finding:
        fn = node.child_by_field_name("function")
        callee = node_text(fn) if fn is not None else "the callee"
        taken_text = f"{taken.mutex}.{_method(taken.mode)}()"
        via = ""
        if taken.witness.chain:
            via = " (through " + " -> ".join(taken.witness.chain) + ")"
        locker = _label(taken).rsplit(".", 1)[-1]
        name = entry.function.name
        why = "its name" if name.endswith(("Locked", "LockHeld")) else "its doc comment"
        message = (
            f"{callee}() takes {taken_text}{via}, but {name} runs with {entry.mutex} already "
            f"held by its caller ({why} says so): Go mutexes are not reentrant, and a read "
            "lock cannot be upgraded (deadlock); call an unlocked "
            f"{locker}Locked helper instead"
        )
        name_node = entry.function.node.child_by_field_name("name") or entry.function.node
        related = [
            ctx.related(name_node, f"{name} runs under its caller's {entry.mutex}"),
            _related_in(
                taken.witness.file,
                taken.witness.site,
                f"{_label(taken)} takes {node_text(taken.witness.site)} here",
            ),
        ]
        return ctx.report(node, message, related=related)

    # Direct second acquisition ------------------------------------------------------------

    def _reacquire(self, ctx: FileContext, node: Node, mutex: str, mode: str) -> Iterator[Finding]:
        held = [
            h
            for h in held_at(ctx.facts, node)
            if h.mutex == mutex and h.acquisition is not None and h.acquisition != node
        ]
        if not held:
            return
        first = max(held, key=lambda h: h.acquisition.start_byte if h.acquisition else -1)
        assert first.acquisition is not None
        if not _same_lock_variable(ctx, first.acquisition, node) or not _plain_mutex(ctx, first):
            return
        if first.mode == READ and mode == READ and _local_lock(ctx, node):
            return  # a mutex of this function: no other goroutine can wait to write
        mutex_text = _operand_text(node)
        first_text = f"{mutex_text}.{_method(first.mode)}()"
        this_text = f"{mutex_text}.{_method(mode)}()"
        line = ctx.location(first.acquisition.start_byte, first.acquisition.end_byte).line
        if first.mode == READ and mode == WRITE:
            message = (
                f"{this_text} while this goroutine still holds {first_text} (line {line}): "
                "a read lock cannot be upgraded, Lock waits for every reader including this "
                f"one (deadlock); call {mutex_text}.RUnlock() first and check the state "
                "again under Lock, or take Lock from the start"
            )
        elif first.mode == READ:
            message = (
                f"recursive {this_text} while {first_text} is held (line {line}): it "
                "deadlocks as soon as a writer calls Lock in between (RWMutex blocks new "
                "readers while a writer waits); take the read lock once"
            )
        else:
            message = (
                f"{this_text} while this goroutine already holds {first_text} (line {line}): "
                "Go mutexes are not reentrant (deadlock); release it first or do not "
                "lock again"
            )
        yield ctx.report(
            node,
            message,
            related=[ctx.related(first.acquisition, f"{first_text} taken here")],
        )

    # Reentrant call ------------------------------------------------------------------------

    def _report_call(self, ctx: FileContext, node: Node, h: HeldLock, taken: Taken) -> Finding:
        assert h.acquisition is not None
        fn = node.child_by_field_name("function")
        callee = node_text(fn) if fn is not None else "the callee"
        held_text = f"{h.mutex}.{_method(h.mode)}()"
        taken_text = f"{taken.mutex}.{_method(taken.mode)}()"
        via = ""
        if taken.witness.chain:
            via = " (through " + " -> ".join(taken.witness.chain) + ")"
        line = ctx.location(h.acquisition.start_byte, h.acquisition.end_byte).line
        locker = _label(taken).rsplit(".", 1)[-1]
        helper = f"{locker}Locked"
        if h.mode == WRITE or taken.mode == WRITE:
            if h.mode == READ:
                why = "a read lock cannot be upgraded, Lock waits for this goroutine's own RLock"
            else:
                why = "Go mutexes are not reentrant"
            message = (
                f"{callee}() takes {taken_text}{via} while {held_text} is held "
                f"(line {line}): {why} (deadlock); move the body of {locker} "
                f"into an unlocked {helper} helper and call that here"
            )
        else:
            message = (
                f"{callee}() takes {taken_text}{via} while {held_text} is held "
                f"(line {line}): a recursive read lock deadlocks as soon as a writer calls "
                f"Lock in between (RWMutex blocks new readers while a writer waits); move "
                f"the body of {locker} into an unlocked {helper} helper and call "
                "that here"
            )
        related = [
            ctx.related(h.acquisition, f"{held_text} taken here"),
            _related_in(
                taken.witness.file,
                taken.witness.site,
                f"{_label(taken)} takes {node_text(taken.witness.site)} here",
            ),
        ]
        return ctx.report(node, message, related=related)


# Helpers -------------------------------------------------------------------------------------


def _severity(held: str, taken: str) -> int:
    return 1 if held == READ and taken == READ else 2


def _method(mode: str) -> str:
    return "RLock" if mode == READ else "Lock"


def _label(taken: Taken) -> str:
    chain = taken.witness.chain
    return chain[-1] if chain else taken.callee.name


def _operand_text(call: Node) -> str:
    fn = call.child_by_field_name("function")
    operand = fn.child_by_field_name("operand") if fn is not None else None
    return node_text(operand) if operand is not None else "?"


def _related_in(file: ParsedFile, node: Node, message: str) -> RelatedLocation:
    source = file.source
    a = source.position(node.start_byte)
    b = source.position(node.end_byte)
    loc = Location(file.path, node.start_byte, node.end_byte, a.line, a.column, b.line, b.column)
    return RelatedLocation(loc, message)


def _in_go_or_defer(node: Node) -> bool:
    """Whether the call itself runs later: ``go f(x)``/``defer f(x)`` (its arguments are
    evaluated now, and a function literal invoked there is a function of its own)."""
    parent = node.parent
    return parent is not None and parent.type in ("go_statement", "defer_statement")


def _lock_root(acquisition: Node) -> Node | None:
    fn = acquisition.child_by_field_name("function")
    return root_ident(fn.child_by_field_name("operand")) if fn is not None else None


def _plain_mutex(ctx: FileContext, h: HeldLock) -> bool:
    """A mutex with sync semantics, locked and unlocked by this goroutine only.

    Not: a custom lock type or an interface (``sync.Locker``, ``RLocker()``: its ``Lock``
    may be a read lock or reentrant), nor a mutex that a function literal or the
    enclosing function releases for us (the "mutex as a semaphore" hand-off, where
    another goroutine unlocks it and the second ``Lock`` is a wait).
    """
    assert h.acquisition is not None
    fn = h.acquisition.child_by_field_name("function")
    operand = fn.child_by_field_name("operand") if fn is not None else None
    if operand is None or lock_kind(ctx.facts, operand) == "custom":
        return False
    return not _handed_off(h.acquisition, h.mutex)


def _inline_home(node: Node) -> Node | None:
    """The function whose activation runs ``node``: the innermost function, through
    literals invoked on the spot (not by ``go``)."""
    home = _innermost_function(node)
    while (
        home is not None
        and home.type == "func_literal"
        and invoked_on_the_spot(home)
        and home.parent is not None
        and home.parent.parent is not None
        and home.parent.parent.type != "go_statement"
    ):
        home = _innermost_function(home)
    return home


def _innermost_function(node: Node) -> Node | None:
    current = node.parent
    while current is not None and current.type not in (
        "function_declaration",
        "method_declaration",
        "func_literal",
    ):
        current = current.parent
    return current


def _handed_off(acquisition: Node, mutex: str) -> bool:
    """Whether ``mutex`` is released in another function body of the same declaration
    (a ``go func`` that unlocks it, or the parent of the literal that locks it)."""
    home = _innermost_function(acquisition)
    top = home
    while top is not None and top.type == "func_literal":
        outer = _innermost_function(top)
        if outer is None:
            break
        top = outer
    if home is None or top is None:
        return False
    for node in walk(top):
        if node.type != "call_expression":
            continue
        lc = lock_call(node)
        if lc is None or lc.acquires or lc.mutex != mutex:
            continue
        where = _innermost_function(node)
        while (
            where is not None
            and where != home
            and where.type == "func_literal"
            and invoked_on_the_spot(where)
            and where.parent is not None
            and where.parent.parent is not None
            and where.parent.parent.type != "go_statement"
        ):
            where = _innermost_function(where)
        if where != home:
            return True
    return False


def _local_lock(ctx: FileContext, call: Node) -> bool:
    ident = _lock_root(call)
    if ident is None:
        return False
    decl = ctx.facts.scopes.declaration(ident)
    return decl is not None and decl.kind in ("var", "short_var")


def _same_lock_variable(ctx: FileContext, first: Node, second: Node) -> bool:
    a, b = _lock_root(first), _lock_root(second)
    if a is None or b is None:
        return False
    da, db = ctx.facts.scopes.declaration(a), ctx.facts.scopes.declaration(b)
    if da is None or db is None or da.node != db.node:
        return False
    return not _reassigned_between(first, second, a)


def _same_variable(ctx: FileContext, h: HeldLock, call: Node, taken: Taken) -> bool:
    """Whether the held mutex and the one the call takes start from the same variable,
    not reassigned in between."""
    assert h.acquisition is not None
    lock_ident = _lock_root(h.acquisition)
    if lock_ident is None:
        return False
    scopes = ctx.facts.scopes
    lock_decl = scopes.declaration(lock_ident)
    if taken.package:
        return lock_decl is not None and lock_decl.kind == "package_var"
    call_ident = taken_root(call, taken)
    if call_ident is None:
        return False
    call_decl = scopes.declaration(call_ident)
    if lock_decl is None or call_decl is None or lock_decl.node != call_decl.node:
        return False
    return not _reassigned_between(h.acquisition, call, lock_ident)


def _reassigned_between(start: Node, end: Node, ident: Node | None) -> bool:
    """Whether the variable ``ident`` names is assigned after ``start`` and before
    ``end`` (both in the same function)."""
    function = _innermost_function(start)
    if ident is None or function is None:
        return False
    return _assigned_in(function, start.end_byte, end.start_byte, node_text(ident))


def _assigned_in(function: Node, lo: int, hi: int, name: str) -> bool:
    for node in walk(function):
        if node.start_byte >= hi or node.end_byte <= lo:
            continue
        if node.type in _ASSIGNING or node.type == "range_clause":
            left = node.child_by_field_name("left")
            if left is None and node.named_children:
                left = node.named_children[0]
            if left is None or not (lo <= node.start_byte < hi):
                continue
            targets = left.named_children if left.type == "expression_list" else [left]
            if any(t.type == "identifier" and node_text(t) == name for t in targets):
                return True
    return False
