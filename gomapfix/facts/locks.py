"""Lock state per function body: which mutexes are held at each statement.

gomapfix has no type checker, so a "mutex" is named by the text of the expression whose
``Lock``/``RLock``/``Unlock``/``RUnlock`` method is called (``s.mu``, ``mu``, or ``s`` for
an embedded mutex), white space removed. Two spellings of the same mutex (``s.mu`` and
``(*s).mu``, ``s.RWMutex`` and ``s``) are different mutexes here; rules that rely on this
analysis must only claim what the text shows.

What the analysis computes, for one function body (``function_declaration``,
``method_declaration`` or ``func_literal``):

* ``X.Lock()`` / ``X.RLock()`` (as statements) acquire ``X`` in mode ``"W"`` / ``"R"``;
  ``X.Unlock()`` / ``X.RUnlock()`` release the most recent held acquisition of ``X`` in
  that mode. A release that matches nothing held is recorded as *unmatched*.
* ``defer X.Unlock()`` (or a deferred ``func() { ... X.Unlock() ... }()``) does not release
  anything where it stands: the lock stays held to the end of the function. The deferred
  call is recorded as a release of every matching acquisition still held at each exit
  (``return``, ``panic(...)``, the end of the body) reached while the defer is pending.
* Branches (``if``/``else``, ``switch`` and ``select`` cases): a lock is held after the
  statement only if it is held at the end of every branch that falls through. A branch
  ending in ``return``, ``panic``, ``continue``, ``goto`` or ``fallthrough`` does not fall
  through; a ``break`` out of a ``switch``/``select`` joins the state after it. A
  ``switch`` without ``default`` (and an ``if`` without ``else``) also falls through with
  the entry state; a ``select`` always runs one of its cases.
* Loops: the body is analysed with the state at entry; the state after the loop is the
  state at entry (after the ``for`` initialiser). A ``for`` without condition and without
  a ``break`` out of it does not fall through.
* Besides the locks held on every path (``held_at``), the analysis tracks the locks held
  on *some* path: a release closes those too, and one still held at an exit without a
  pending deferred release *escapes* (the function may return with it held). Locks held
  at the end of a loop body are carried around the back edge: the body is walked a
  second time (releases only) so that ``unlock at the top, re-lock at the end`` records
  the release of the re-acquisition.
* Function literals are separate functions and start with no lock held (``go`` and
  callbacks run at other times). Only ``defer func() {...}()`` is looked into, for its
  unlock calls.
* ``TryLock``/``TryRLock``, ``RLocker()``, ``os.Exit``/``log.Fatal`` and lock helpers
  (``s.lock()``) are not modelled.

Functions that by convention run with the caller's lock held (name ending in ``Locked``,
or a doc comment such as "caller must hold s.mu"; rules.md) can be analysed with that
lock held on entry: ``analyze_function(fn, entry=...)`` takes the initial locks, as
``HeldLock`` values whose ``acquisition`` is None. ``caller_holds_lock`` recognises the
convention; ``lock_state`` (the cached per-package fact) does not apply it yet, since
the mode (read or write) the caller holds is not visible.

The second half of the module summarises, per function or method of the package, the
mutexes it acquires (directly, or through calls on the same receiver, its parameters,
and package functions), named relative to the function's receiver and parameters, so
that a caller can ask "does this call take the mutex I hold?" (``call_acquires``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tree_sitter import Node

from gomapfix.parse import node_text
from gomapfix.syntax import expr_key

if TYPE_CHECKING:
    from gomapfix.facts.package import FuncInfo
    from gomapfix.facts.store import PackageFacts

FUNCTION_NODES = frozenset({"function_declaration", "method_declaration", "func_literal"})
READ = "R"
WRITE = "W"
ACQUIRE_METHODS = {"Lock": WRITE, "RLock": READ}
RELEASE_METHODS = {"Unlock": WRITE, "RUnlock": READ}
_CASE_NODES = frozenset({"expression_case", "default_case", "type_case", "communication_case"})
_ROOT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CALLER_HOLDS = re.compile(
    r"(must|should)\s+(be\s+)?hold|caller\s+(must\s+)?holds?|with\s+\S+\s+(held|locked)"
    r"|called\s+with\s+.*\b(locked|held)\b|\block\s+(must\s+be\s+|is\s+)held|\bheld\b.*\bcaller"
    r"|\b(must|should)\s+be\s+(held|locked)\b|\brequires\s+(that\s+)?[\w.]*(mu|lock|mutex)\w*\b"
    r"|\bassumed?\b.*\b(held|locked)\b|\b(lock|mu|mutex)\s+(is\s+held|held\s+on\s+entry)\b",
    re.IGNORECASE,
)


# Values ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LockCall:
    """A ``X.Lock()``-family call: the mutex text, the method, acquire or release, mode."""

    call: Node
    mutex: str
    method: str
    mode: str
    acquires: bool

    @property
    def method_node(self) -> Node:
        """The ``Lock``/``RUnlock``... field identifier (what a fix renames)."""
        fn = self.call.child_by_field_name("function")
        assert fn is not None
        name = fn.child_by_field_name("field")
        assert name is not None
        return name


@dataclass(frozen=True)
class HeldLock:
    """One acquisition of a mutex, held at some point of the function."""

    mutex: str
    """The mutex expression as written, white space removed (``s.mu``)."""
    mode: str
    """``"R"`` (RLock) or ``"W"`` (Lock)."""
    acquisition: Node | None
    """The ``X.Lock()``/``X.RLock()`` call; None for a lock held on entry (caller's)."""


@dataclass(frozen=True)
class Release:
    """A call that releases an acquisition."""

    call: Node
    """The ``X.Unlock()``/``X.RUnlock()`` call (inside the ``defer`` when deferred)."""
    deferred: bool


@dataclass(frozen=True)
class _State:
    held: frozenset[HeldLock]
    """Held on every path to this point (what ``held_at`` reports)."""
    maybe: frozenset[HeldLock]
    """Held on some path (a superset of ``held``): releases and escapes look at these."""
    deferred: frozenset[LockCall]
    """Deferred release calls pending (they run at every exit)."""

    def replace(
        self,
        held: frozenset[HeldLock] | None = None,
        maybe: frozenset[HeldLock] | None = None,
        deferred: frozenset[LockCall] | None = None,
    ) -> _State:
        return _State(
            self.held if held is None else held,
            self.maybe if maybe is None else maybe,
            self.deferred if deferred is None else deferred,
        )


def lock_call(node: Node) -> LockCall | None:
    """``node`` as a ``X.Lock()``/``RLock``/``Unlock``/``RUnlock`` call with no arguments."""
    if node.type != "call_expression":
        return None
    fn = node.child_by_field_name("function")
    args = node.child_by_field_name("arguments")
    if fn is None or fn.type != "selector_expression" or args is None:
        return None
    if args.named_children:
        return None
    operand = fn.child_by_field_name("operand")
    name = fn.child_by_field_name("field")
    if operand is None or name is None:
        return None
    method = node_text(name)
    if method in ACQUIRE_METHODS:
        return LockCall(node, expr_key(operand), method, ACQUIRE_METHODS[method], True)
    if method in RELEASE_METHODS:
        return LockCall(node, expr_key(operand), method, RELEASE_METHODS[method], False)
    return None


def statement_lock_call(stmt: Node) -> LockCall | None:
    """The lock call when ``stmt`` is the expression statement ``X.Lock()`` (etc.)."""
    if stmt.type != "expression_statement" or not stmt.named_children:
        return None
    return lock_call(stmt.named_children[0])


def mutex_root(mutex: str) -> str | None:
    """The leading identifier of a mutex text (``s`` for ``s.mu``), or None."""
    match = _ROOT.match(mutex)
    return match.group(0) if match else None


# Per-function analysis ---------------------------------------------------------------


@dataclass
class FunctionLocks:
    """The lock state of one function body. Build with ``lock_state``/``analyze_function``."""

    function: Node
    entry: frozenset[HeldLock]
    acquisitions: list[HeldLock] = field(default_factory=list)
    """Every acquisition in the body (not in nested function literals), in source order."""
    unmatched_releases: list[LockCall] = field(default_factory=list)
    """Release calls that matched no lock held at that point (helpers, back edges...)."""
    lock_calls: list[LockCall] = field(default_factory=list)
    """Every lock-family call of the body analysed (acquisitions, releases, deferred)."""
    _before: dict[Node, frozenset[HeldLock]] = field(default_factory=dict)
    _maybe: dict[Node, frozenset[HeldLock]] = field(default_factory=dict)
    _releases: dict[HeldLock, list[Release]] = field(default_factory=dict)
    _released_by: dict[Node, list[HeldLock]] = field(default_factory=dict)
    _escapes: set[HeldLock] = field(default_factory=set)
    _by_node: dict[Node, HeldLock] = field(default_factory=dict)

    def held_at(self, node: Node) -> frozenset[HeldLock]:
        """Locks held when the statement containing ``node`` starts executing.

        ``node`` must be in this function's body and not inside a nested function
        literal (those are functions of their own: ask ``locks_held_at``); otherwise
        ValueError. Within one simple statement, every node sees the state before it.
        """
        current: Node | None = node
        while current is not None:
            state = self._before.get(current)
            if state is not None:
                return state
            if current == self.function:
                break
            # A literal itself is a value of this function (``go func(){...}()``); only
            # what is inside it belongs to another function.
            if current.type in FUNCTION_NODES and current != node:
                raise ValueError("node is inside a nested function literal")
            current = current.parent
        raise ValueError("node is not in the analysed function body")

    def maybe_held_at(self, node: Node) -> frozenset[HeldLock]:
        """Locks held on *some* path when the statement containing ``node`` starts.

        A superset of ``held_at`` (conditional locking, loop back edges): what a rule
        that must not claim "no lock is held here" should look at. Same contract as
        ``held_at`` for nodes inside nested function literals.
        """
        current: Node | None = node
        while current is not None:
            state = self._maybe.get(current)
            if state is not None:
                return state | self.held_at(node)
            if current == self.function:
                break
            if current.type in FUNCTION_NODES:
                raise ValueError("node is inside a nested function literal")
            current = current.parent
        return self.held_at(node)

    def acquisition(self, node: Node) -> HeldLock | None:
        """The HeldLock created by the lock call ``node`` (the call_expression)."""
        return self._by_node.get(node)

    def release_records(self, acquisition: Node | HeldLock) -> tuple[Release, ...]:
        held = self._as_held(acquisition)
        if held is None:
            return ()
        return tuple(self._releases.get(held, ()))

    def releases(self, acquisition: Node | HeldLock) -> tuple[Node, ...]:
        """The release calls (deferred or not) that close ``acquisition``, in source order."""
        return tuple(r.call for r in self.release_records(acquisition))

    def released_by(self, call: Node) -> tuple[HeldLock, ...]:
        """The acquisitions that the release call ``call`` closes (on some path)."""
        return tuple(self._released_by.get(call, ()))

    def escapes(self, acquisition: Node | HeldLock) -> bool:
        """Whether the lock may still be held when the function returns (no release)."""
        held = self._as_held(acquisition)
        return held is not None and held in self._escapes

    def _as_held(self, acquisition: Node | HeldLock) -> HeldLock | None:
        if isinstance(acquisition, HeldLock):
            return acquisition
        return self._by_node.get(acquisition)


def analyze_function(function: Node, entry: frozenset[HeldLock] = frozenset()) -> FunctionLocks:
    """The lock state of ``function`` (not cached; see ``lock_state``)."""
    result = FunctionLocks(function=function, entry=entry)
    body = function.child_by_field_name("body")
    if body is None:
        return result
    analyzer = _Analyzer(result)
    end = analyzer.block(body, _State(entry, entry, frozenset()))
    if end is not None:
        analyzer.exit(end, escaping=True)
    return result


def lock_state(facts: PackageFacts, function: Node) -> FunctionLocks:
    """The cached lock state of a function body of the package (no lock held on entry)."""
    cache: dict[Node, FunctionLocks] = facts.cached("locks", lambda _facts: {})
    found = cache.get(function)
    if found is None:
        found = analyze_function(function)
        cache[function] = found
    return found


def locks_held_at(facts: PackageFacts, node: Node) -> frozenset[HeldLock]:
    """Locks held at ``node`` in its innermost enclosing function (empty outside any)."""
    current = node.parent
    while current is not None and current.type not in FUNCTION_NODES:
        current = current.parent
    if current is None:
        return frozenset()
    return lock_state(facts, current).held_at(node)


def caller_holds_lock(function: Node) -> bool:
    """Whether the function says it runs under its caller's lock (rules.md convention).

    Its name ends in ``Locked`` or ``LockHeld``, or its doc comment (the comments right
    above it) says so: "must hold", "caller holds", "with mu held", "called with ...
    locked", "mu must be held", "requires s.mu", "assumes the lock is held".
    """
    name = function.child_by_field_name("name")
    if name is not None and node_text(name).endswith(("Locked", "LockHeld")):
        return True
    lines: list[str] = []
    prev = function.prev_sibling
    row = function.start_point[0]
    while prev is not None and prev.type == "comment" and prev.end_point[0] >= row - 1:
        lines.insert(0, node_text(prev))
        row = prev.start_point[0]
        prev = prev.prev_sibling
    return bool(_CALLER_HOLDS.search(" ".join(lines)))


class _Analyzer:
    """Abstract interpretation over the statement tree; ``None`` means "does not fall
    through" (the rest of the block is reached only by labels, if at all)."""

    def __init__(self, result: FunctionLocks) -> None:
        self.result = result
        self.targets: list[_Target] = []
        """Enclosing breakable statements, with the states of breaks/continues to them."""
        self.seen_unmatched: set[Node] = set()

    # Statement lists ---------------------------------------------------------------

    def block(self, node: Node, state: _State) -> _State | None:
        lists = [c for c in node.named_children if c.type == "statement_list"]
        if node.type == "statement_list":
            lists = [node]
        current: _State | None = state
        last = state
        for lst in lists:
            for stmt in lst.named_children:
                if stmt.type == "comment":
                    continue
                if current is not None:
                    last = current
                    current = self.statement(stmt, current)
                elif stmt.type == "labeled_statement":
                    # Reached through goto: analysed with the last state seen.
                    current = self.statement(stmt, last)
                else:
                    # Dead code: analysed (every statement gets a state), falls nowhere.
                    self.statement(stmt, last)
        return current

    # Statements --------------------------------------------------------------------

    def statement(self, stmt: Node, state: _State) -> _State | None:
        self.result._before.setdefault(stmt, state.held)
        self.result._maybe[stmt] = self.result._maybe.get(stmt, frozenset()) | state.maybe
        kind = stmt.type
        if kind == "expression_statement":
            return self.expression_statement(stmt, state)
        if kind == "defer_statement":
            return self.defer(stmt, state)
        if kind == "return_statement":
            self.exit(state, escaping=True)
            return None
        if kind in ("goto_statement", "fallthrough_statement"):
            return None
        if kind in ("break_statement", "continue_statement"):
            self.jump(stmt, state)
            return None
        if kind == "block":
            return self.block(stmt, state)
        if kind == "labeled_statement":
            inner = [c for c in stmt.named_children if c.type != "label_name"]
            return self.statement(inner[-1], state) if inner else state
        if kind == "if_statement":
            return self.if_statement(stmt, state)
        if kind in ("expression_switch_statement", "type_switch_statement"):
            return self.switch(stmt, state)
        if kind == "select_statement":
            return self.select(stmt, state)
        if kind == "for_statement":
            return self.loop(stmt, state)
        return state

    def expression_statement(self, stmt: Node, state: _State) -> _State | None:
        call = stmt.named_children[0] if stmt.named_children else None
        if call is None or call.type != "call_expression":
            return state
        fn = call.child_by_field_name("function")
        if fn is not None and fn.type == "identifier" and node_text(fn) == "panic":
            self.exit(state, escaping=False)
            return None
        lc = lock_call(call)
        if lc is None:
            return state
        self.note_call(lc)
        if lc.acquires:
            held = self.result._by_node.get(call)
            if held is None:
                held = HeldLock(lc.mutex, lc.mode, call)
                self.result.acquisitions.append(held)
                self.result._by_node[call] = held
            return state.replace(held=state.held | {held}, maybe=state.maybe | {held})
        must = [h for h in state.held if h.mutex == lc.mutex and h.mode == lc.mode]
        released = {
            h
            for h in state.maybe
            if h.mutex == lc.mutex and h.mode == lc.mode and h not in state.held
        }
        if must:
            released.add(max(must, key=_acquired_order))
        if not released:
            if call not in self.seen_unmatched:
                self.seen_unmatched.add(call)
                self.result.unmatched_releases.append(lc)
            return state
        for h in released:
            self.record_release(h, call, deferred=False)
        return state.replace(held=state.held - released, maybe=state.maybe - released)

    def defer(self, stmt: Node, state: _State) -> _State:
        call = stmt.named_children[0] if stmt.named_children else None
        if call is None or call.type != "call_expression":
            return state
        calls: list[LockCall] = []
        lc = lock_call(call)
        if lc is not None:
            calls.append(lc)
        else:
            fn = call.child_by_field_name("function")
            if fn is not None and fn.type == "func_literal":
                calls.extend(_unlocks_in_literal(fn))
        deferred = set(state.deferred)
        for c in calls:
            self.note_call(c)
            if not c.acquires:
                deferred.add(c)
        return state.replace(deferred=frozenset(deferred))

    def if_statement(self, stmt: Node, state: _State) -> _State | None:
        init = stmt.child_by_field_name("initializer")
        current = state
        if init is not None:
            after_init = self.statement(init, state)
            if after_init is None:
                return None
            current = after_init
        branches: list[_State | None] = []
        consequence = stmt.child_by_field_name("consequence")
        if consequence is not None:
            self.result._before.setdefault(consequence, current.held)
            branches.append(self.block(consequence, current))
        alternative = stmt.child_by_field_name("alternative")
        if alternative is None:
            branches.append(current)
        else:
            branches.append(self.statement(alternative, current))
        return _merge(branches)

    def switch(self, stmt: Node, state: _State) -> _State | None:
        init = stmt.child_by_field_name("initializer")
        current = state
        if init is not None:
            after_init = self.statement(init, state)
            if after_init is None:
                return None
            current = after_init
        branches: list[_State | None] = []
        has_default = False
        target = self.push(stmt)
        for case in stmt.named_children:
            if case.type not in _CASE_NODES:
                continue
            has_default = has_default or case.type == "default_case"
            self.result._before.setdefault(case, current.held)
            branches.append(self.block(case, current))
        self.targets.pop()
        if not has_default:
            branches.append(current)
        return _merge([*branches, *target.breaks])

    def select(self, stmt: Node, state: _State) -> _State | None:
        branches: list[_State | None] = []
        target = self.push(stmt)
        for case in stmt.named_children:
            if case.type not in _CASE_NODES:
                continue
            self.result._before.setdefault(case, state.held)
            branches.append(self.block(case, state))
        self.targets.pop()
        return _merge([*branches, *target.breaks])

    def loop(self, stmt: Node, state: _State) -> _State | None:
        entry = state
        infinite = True
        for header in stmt.named_children:
            if header.type == "for_clause":
                init = header.child_by_field_name("initializer")
                if init is not None:
                    after_init = self.statement(init, state)
                    entry = after_init if after_init is not None else state
                infinite = header.child_by_field_name("condition") is None
            elif header.type == "range_clause":
                infinite = False
            elif header.type not in ("block", "comment"):
                infinite = False  # for cond { ... }
        body = stmt.child_by_field_name("body")
        target = self.push(stmt)
        end = self.block(body, entry) if body is not None else entry
        self.targets.pop()
        back = [s for s in (end, *target.continues) if s is not None]
        carried = frozenset().union(*(s.maybe for s in back)) if back else frozenset()
        if body is not None and not carried <= entry.maybe:
            # Second pass over the body for the back edge: locks still held at the end
            # of an iteration are released (maybe) by the next one. Only releases are
            # new; held_at keeps the states of the first pass.
            again = entry.replace(maybe=entry.maybe | carried)
            self.targets.append(_Target(stmt))
            second_end = self.block(body, again)
            second = self.targets.pop()
            back.extend(s for s in (second_end, *second.continues) if s is not None)
            target.breaks.extend(second.breaks)
        after = [entry, *back, *target.breaks]
        maybe = frozenset().union(*(s.maybe for s in after))
        deferred = frozenset().union(*(s.deferred for s in after))
        if infinite and not target.breaks:
            return None
        return _State(entry.held, maybe, deferred)

    # Control transfers -------------------------------------------------------------

    def push(self, stmt: Node) -> _Target:
        target = _Target(stmt)
        self.targets.append(target)
        return target

    def jump(self, stmt: Node, state: _State) -> None:
        """``break``/``continue`` (labelled or not): the state goes to its target."""
        is_break = stmt.type == "break_statement"
        label = next((c for c in stmt.named_children if c.type == "label_name"), None)
        for target in reversed(self.targets):
            if not is_break and target.node.type != "for_statement":
                continue
            if label is not None:
                parent = target.node.parent
                if parent is None or parent.type != "labeled_statement":
                    continue
                name = parent.child_by_field_name("label")
                if name is None or node_text(name) != node_text(label):
                    continue
            (target.breaks if is_break else target.continues).append(state)
            return

    def note_call(self, lc: LockCall) -> None:
        if all(c.call != lc.call for c in self.result.lock_calls):
            self.result.lock_calls.append(lc)

    def record_release(self, held: HeldLock, call: Node, deferred: bool) -> None:
        records = self.result._releases.setdefault(held, [])
        if all(r.call != call for r in records):
            records.append(Release(call, deferred))
            records.sort(key=lambda r: r.call.start_byte)
        owners = self.result._released_by.setdefault(call, [])
        if held not in owners:
            owners.append(held)

    def exit(self, state: _State, escaping: bool) -> None:
        """A function exit: pending deferred releases run; what stays held escapes."""
        for held in state.maybe:
            closed = False
            for d in state.deferred:
                if d.mutex == held.mutex and d.mode == held.mode:
                    self.record_release(held, d.call, deferred=True)
                    closed = True
            if not closed and escaping and held.acquisition is not None:
                self.result._escapes.add(held)


@dataclass
class _Target:
    node: Node
    breaks: list[_State] = field(default_factory=list)
    continues: list[_State] = field(default_factory=list)


def _acquired_order(held: HeldLock) -> int:
    return held.acquisition.start_byte if held.acquisition is not None else -1


def _merge(states: Iterable[_State | None]) -> _State | None:
    live = [s for s in states if s is not None]
    if not live:
        return None
    held = live[0].held
    for s in live[1:]:
        held = held & s.held
    maybe = frozenset().union(*(s.maybe for s in live))
    deferred = frozenset().union(*(s.deferred for s in live))
    return _State(held, maybe, deferred)


def _unlocks_in_literal(literal: Node) -> list[LockCall]:
    """Release calls anywhere in a deferred function literal (not in nested literals)."""
    out: list[LockCall] = []
    body = literal.child_by_field_name("body")
    stack = list(body.children) if body is not None else []
    while stack:
        node = stack.pop()
        if node.type == "func_literal":
            continue
        if node.type == "expression_statement":
            lc = statement_lock_call(node)
            if lc is not None and not lc.acquires:
                out.append(lc)
                continue
        stack.extend(node.children)
    return sorted(out, key=lambda c: c.call.start_byte)


# What a call acquires -----------------------------------------------------------------


@dataclass(frozen=True)
class LockKey:
    """A mutex a package function takes, named relative to its inputs.

    ``root`` is ``"receiver"`` (path after the receiver name: ``.mu``, or ``""`` for an
    embedded mutex), ``"param:<i>"`` (path after the i-th parameter's name) or
    ``"package"`` (the full text of a package-level mutex: ``mu``, ``reg.mu``).
    """

    root: str
    path: str
    mode: str


def function_acquires(
    facts: PackageFacts, info: FuncInfo, synchronous: bool = False
) -> frozenset[LockKey]:
    """Mutexes ``info`` may acquire, directly or through package calls it makes (cached).

    Calls inside ``go`` statements are not counted (they do not run under the caller's
    lock); calls in other function literals are (callbacks may run synchronously), unless
    ``synchronous``: then only what is taken *before returning* counts (a
    ``time.AfterFunc`` callback or a stored handler runs later), which is what a rule
    claiming a deadlock may rely on.
    """
    memo: dict[Node, frozenset[LockKey] | None] = facts.cached(
        "lock_summaries.synchronous" if synchronous else "lock_summaries", lambda _f: {}
    )
    if info.node in memo:
        return memo[info.node] or frozenset()
    memo[info.node] = None  # in progress: recursion contributes nothing more
    keys: set[LockKey] = set()
    body = info.body
    if body is not None:
        names = input_names(info)
        skipped = _SYNCHRONOUS_SKIPS if synchronous else _SKIPS
        for call in _calls(body, skipped):
            lc = lock_call(call)
            if lc is not None:
                if lc.acquires:
                    key = lock_key(lc.mutex, lc.mode, names, facts)
                    if key is not None:
                        keys.add(key)
                continue
            for mutex, mode in call_acquires(facts, call, synchronous):
                key = lock_key(mutex, mode, names, facts)
                if key is not None:
                    keys.add(key)
    result = frozenset(keys)
    memo[info.node] = result
    return result


def call_acquires(
    facts: PackageFacts, call: Node, synchronous: bool = False
) -> frozenset[tuple[str, str]]:
    """(mutex text in the caller's terms, mode) pairs the callee of ``call`` may acquire
    (with ``synchronous``, before it returns: see ``function_acquires``).

    Only calls to the package's own functions and methods are resolved (methods through
    the visible type of the operand); anything else yields nothing. With
    ``synchronous`` a mutex reached through an argument is named only when the argument
    is a plain selector path (``s.mu``, not ``s.conns[i].mu``).
    """
    callee, receiver_text, args = resolve_call(facts, call)
    if callee is None:
        return frozenset()
    out: set[tuple[str, str]] = set()
    for key in function_acquires(facts, callee, synchronous):
        if key.root == "receiver" and receiver_text is not None:
            out.add((receiver_text + key.path, key.mode))
        elif key.root.startswith("param:"):
            index = int(key.root.split(":", 1)[1])
            if index < len(args):
                arg = args[index]
                text = expr_key(arg)
                if text.startswith("&"):
                    text = text[1:]
                named = (
                    _SELECTOR_PATH.fullmatch(text)
                    if synchronous
                    else _ROOT.fullmatch(text.split(".")[0] or "-")
                )
                if named:
                    out.add((text + key.path, key.mode))
        elif key.root == "package":
            out.add((key.path, key.mode))
    return frozenset(out)


def resolve_call(facts: PackageFacts, call: Node) -> tuple[FuncInfo | None, str | None, list[Node]]:
    """The package function or method ``call`` calls, the receiver text, the arguments."""
    fn = call.child_by_field_name("function")
    args_node = call.child_by_field_name("arguments")
    args = [a for a in args_node.named_children if a.type != "comment"] if args_node else []
    model = facts.model
    if fn is None:
        return None, None, args
    if fn.type == "identifier":
        info = model.funcs.get(node_text(fn))
        if info is None or facts.scopes.declaration(fn) is not None:
            return None, None, args  # not a package function, or a variable of func type
        return info, None, args
    if fn.type == "selector_expression":
        operand = fn.child_by_field_name("operand")
        name = fn.child_by_field_name("field")
        if operand is None or name is None:
            return None, None, args
        t = facts.scopes.type_of(operand)
        if t.kind == "pointer" and t.elem is not None:
            t = t.elem
        if t.kind != "named" or t.qualifier is not None or t.name is None:
            return None, None, args
        method = model.method(t.name, node_text(name))
        if method is None:
            return None, None, args
        return method, expr_key(operand), args
    return None, None, args


_SKIPS = frozenset({"go_statement"})
_SYNCHRONOUS_SKIPS = frozenset({"go_statement", "func_literal"})
_SELECTOR_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")


def _calls(body: Node, skipped: frozenset[str] = _SKIPS) -> Iterator[Node]:
    """The calls in ``body``, not looking inside nodes of the ``skipped`` kinds."""
    stack = list(body.children)
    while stack:
        node = stack.pop()
        if node.type in skipped:
            continue
        if node.type == "call_expression":
            yield node
        stack.extend(node.children)


def input_names(info: FuncInfo) -> dict[str, str]:
    """Receiver and parameter names of ``info`` -> LockKey root (a blank receiver
    names nothing)."""
    names: dict[str, str] = {}
    if info.receiver_name and info.receiver_name != "_":
        names[info.receiver_name] = "receiver"
    params = info.node.child_by_field_name("parameters")
    index = 0
    if params is not None:
        for param in params.named_children:
            if param.type not in ("parameter_declaration", "variadic_parameter_declaration"):
                continue
            idents = param.children_by_field_name("name")
            if not idents:
                index += 1
            for ident in idents:
                names.setdefault(node_text(ident), f"param:{index}")
                index += 1
    return names


def lock_key(mutex: str, mode: str, names: dict[str, str], facts: PackageFacts) -> LockKey | None:
    """A mutex expression as seen from a function's signature (receiver, param N, package)."""
    root = mutex_root(mutex)
    if root is None:
        return None
    kind = names.get(root)
    if kind is not None:
        return LockKey(kind, mutex[len(root) :], mode)
    if root in facts.model.vars:
        return LockKey("package", mutex, mode)
    return None
