"""Which mutexes a call takes, with the evidence: shared by GMF104 and GMF105.

``gomapfix.facts.locks`` answers "which mutexes may this call acquire" (``call_acquires``)
for GMF102, where over-approximating only lowers a fix's safety. GMF105 reports a
deadlock from the same question, so it needs a stricter answer, with the lock call that
proves it (a related location), and it must honour the conventions rules.md states:

* a function that runs under its caller's lock (name ending in ``Locked``, doc comment
  "caller must hold mu"...) does not take that lock: its summary is empty;
* a function that releases a mutex it never acquired (``mu.Unlock(); work(); mu.Lock()``,
  the "temporarily drop the caller's lock" helper) expects that mutex held on entry: it
  does not count as taking it;
* only code that runs while the call is in progress counts: the body, immediately
  invoked function literals (``func() { ... }()``, deferred or not); not ``go``
  statements, and not function literals handed to someone else (stored, passed as
  callbacks, registered): whether and when those run is not visible.

This lives here (a private module of the codemods) rather than in ``facts/locks.py``,
which another rule's owner extends; the summaries are cached per package under their
own key.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from tree_sitter import Node

from gomapfix.facts.locks import (
    FUNCTION_NODES,
    FunctionLocks,
    HeldLock,
    LockKey,
    analyze_function,
    caller_holds_lock,
    input_names,
    lock_call,
    lock_state,
    mutex_root,
    resolve_call,
)
from gomapfix.facts.package import FuncInfo
from gomapfix.facts.store import PackageFacts
from gomapfix.parse import ParsedFile, node_text
from gomapfix.query import nodes_outside
from gomapfix.syntax import expr_key


@dataclass(frozen=True)
class Witness:
    """Where a function (or something it calls) acquires a mutex."""

    site: Node
    """The ``X.Lock()``/``X.RLock()`` call_expression."""
    file: ParsedFile
    """The file holding ``site``."""
    chain: tuple[str, ...]
    """The calls from the summarised function down to the one holding ``site``."""


@dataclass(frozen=True)
class Taken:
    """A mutex a call takes, in the caller's terms."""

    mutex: str
    mode: str
    callee: FuncInfo
    witness: Witness
    package: bool = False
    """A package-level mutex (the same whoever calls)."""


# Synchronous calls ------------------------------------------------------------------------


_SYNC_KINDS = frozenset({"call_expression", "go_statement", "func_literal"})


def sync_calls(body: Node) -> list[Node]:
    """The call expressions and function literals of ``body`` that run while the function
    runs, in pre-order: not inside a ``go`` statement, and inside a function literal only
    when it is invoked on the spot (``func() {...}()``, also under ``defer``)."""
    return list(nodes_outside(_SYNC_KINDS, body, _runs_later))


def _runs_later(node: Node) -> bool:
    kind = node.type
    return kind == "go_statement" or (kind == "func_literal" and not invoked_on_the_spot(node))


def invoked_on_the_spot(literal: Node) -> bool:
    parent = literal.parent
    return (
        parent is not None
        and parent.type == "call_expression"
        and parent.child_by_field_name("function") == literal
    )


# Summaries --------------------------------------------------------------------------------


def summary(facts: PackageFacts, info: FuncInfo) -> dict[LockKey, Witness]:
    """Mutexes ``info`` takes when called, named relative to its inputs (cached)."""
    memo: dict[Node, dict[LockKey, Witness] | None] = facts.cached(
        "gmf105_lock_summaries", lambda _f: {}
    )
    if info.node in memo:
        return memo[info.node] or {}
    memo[info.node] = None  # in progress: a recursive call adds nothing new
    out: dict[LockKey, Witness] = {}
    body = info.body
    if body is not None and not caller_holds_lock(info.node):
        names = input_names(info)
        dropped = _released_without_acquiring(facts, info.node)
        for node in sync_calls(body):
            if node.type != "call_expression":
                continue
            lc = lock_call(node)
            if lc is not None:
                if lc.acquires and lc.mutex not in dropped:
                    key = _key_for(lc.mutex, lc.mode, names, facts, _operand_root(node))
                    if key is not None and key not in out:
                        out[key] = Witness(node, info.file, ())
                continue
            for taken in call_takes(facts, node):
                if taken.mutex in dropped:
                    continue
                if taken.package:
                    key = LockKey("package", taken.mutex, taken.mode)
                else:
                    key = _key_for(taken.mutex, taken.mode, names, facts, taken_root(node, taken))
                if key is not None and key not in out:
                    w = taken.witness
                    out[key] = Witness(w.site, w.file, (_callee_label(taken.callee), *w.chain))
    memo[info.node] = out
    return out


def call_takes(facts: PackageFacts, call: Node) -> list[Taken]:
    """The mutexes the package function or method called by ``call`` takes."""
    if not _may_call_package_function(facts, call):
        return []
    callee, receiver_text, args = resolve_call(facts, call)
    if callee is None:
        return []
    out: list[Taken] = []
    for key, witness in summary(facts, callee).items():
        text: str | None = None
        package = False
        if key.root == "receiver" and receiver_text is not None:
            text = receiver_text + key.path
        elif key.root.startswith("param:"):
            index = int(key.root.split(":", 1)[1])
            if index < len(args) and not _variadic_at(callee, index):
                arg = expr_key(args[index])
                if arg.startswith("&"):
                    arg = arg[1:]
                if mutex_root(arg) == arg.split(".")[0]:
                    text = arg + key.path
        elif key.root == "package":
            text = key.path
            package = True
        if text is not None:
            out.append(Taken(text, key.mode, callee, witness, package))
    return out


@dataclass
class _TopLevel:
    """The top-level declarations of one file, to find the one around a node by bisection."""

    starts: list[int]
    ends: list[int]
    decls: list[Node]
    may_lock: list[bool]
    """Per declaration: whether its text holds ``Lock``."""


def top_level_declaration(
    facts: PackageFacts, file: ParsedFile, node: Node
) -> tuple[Node | None, bool]:
    """The child of the file's root that contains ``node`` (None outside all of them),
    and whether a lock may be held at ``node``.

    A bisection over the file's top-level declarations (cached per file) instead of a
    walk up the parents (``Node.parent`` costs a descent from the root in tree-sitter),
    which a hook called for every call expression can't afford. No lock can be held at
    ``node`` when the declaration around it has no ``Lock`` in its text: neither its
    function nor any function enclosing it acquires anything (``X.Lock()`` and
    ``X.RLock()`` name the method), so ``held_at`` is empty there.
    """
    per_file: dict[str, _TopLevel] = facts.cached("gmf105_top_level", _new_table)
    top = per_file.get(file.path)
    if top is None:
        top = _top_level(file)
        per_file[file.path] = top
    i = bisect_right(top.starts, node.start_byte) - 1
    if i < 0 or node.end_byte > top.ends[i]:
        return None, True
    return top.decls[i], top.may_lock[i]


def _new_table(_facts: PackageFacts) -> dict[str, _TopLevel]:
    return {}


def _top_level(file: ParsedFile) -> _TopLevel:
    data = file.source.data
    decls = file.root.children
    starts = [d.start_byte for d in decls]
    ends = [d.end_byte for d in decls]
    may_lock = [data.find(b"Lock", a, b) >= 0 for a, b in zip(starts, ends, strict=True)]
    return _TopLevel(starts, ends, decls, may_lock)


def _may_call_package_function(facts: PackageFacts, call: Node) -> bool:
    """Whether ``resolve_call`` can find a callee: the called name is that of a package
    function or of a method of some package type. Checked first because most calls (to
    other packages, builtins, fields) fail it, and resolving costs a scope lookup."""
    fn = call.child_by_field_name("function")
    if fn is None:
        return False
    if fn.type == "identifier":
        return node_text(fn) in facts.model.funcs
    if fn.type == "selector_expression":
        name = fn.child_by_field_name("field")
        return name is not None and node_text(name) in _method_names(facts)
    return False


def _method_names(facts: PackageFacts) -> frozenset[str]:
    names: frozenset[str] = facts.cached(
        "gmf105_method_names",
        lambda f: frozenset(name for methods in f.model.methods.values() for name in methods),
    )
    return names


def held_at(facts: PackageFacts, node: Node) -> frozenset[HeldLock]:
    """Locks held at ``node`` (on every path), through immediately invoked literals.

    A function literal invoked on the spot (not deferred, not ``go``) runs with the
    locks held where it is called: it is analysed with those held on entry, so that a
    release inside it (``func() { mu.RUnlock(); mu.Lock(); ... }()``) counts.
    """
    function = _function_of(node)
    if function is None:
        return frozenset()
    try:
        if function.type == "func_literal" and invoked_on_the_spot(function):
            call = function.parent
            assert call is not None
            if call.parent is not None and call.parent.type not in (
                "go_statement",
                "defer_statement",
            ):
                outer = held_at(facts, call)
                if outer:
                    return _with_entry(facts, function, outer).held_at(node)
        return lock_state(facts, function).held_at(node)
    except ValueError:
        return frozenset()


def _with_entry(facts: PackageFacts, function: Node, entry: frozenset[HeldLock]) -> FunctionLocks:
    cache: dict[tuple[Node, frozenset[HeldLock]], FunctionLocks] = facts.cached(
        "gmf105_entry_locks", lambda _f: {}
    )
    found = cache.get((function, entry))
    if found is None:
        found = analyze_function(function, entry=entry)
        cache[(function, entry)] = found
    return found


def lock_kind(facts: PackageFacts, operand: Node) -> str:
    """What the locked expression visibly is: ``"sync"`` (a ``sync.Mutex``/``RWMutex``,
    or a struct embedding one), ``"custom"`` (an interface such as ``sync.Locker``, or a
    package type with its own ``Lock`` method: its semantics are its own), or
    ``"unknown"``."""
    t = facts.scopes.type_of(operand)
    for _ in range(4):
        if t.kind == "pointer" and t.elem is not None:
            t = t.elem
            continue
        break
    if t.kind == "interface":
        return "custom"
    if t.kind != "named" or t.name is None:
        return "unknown"
    if t.qualifier == "sync":
        return "sync" if t.name in ("Mutex", "RWMutex") else "custom"
    if t.qualifier is not None:
        return "unknown"
    if facts.model.method(t.name, "Lock") is not None or facts.model.method(t.name, "RLock"):
        return "custom"
    resolved = facts.model.resolve(t)
    if resolved is not None and resolved.kind == "interface":
        return "custom"
    return "unknown"


def _function_of(node: Node) -> Node | None:
    current = node.parent
    while current is not None and current.type not in FUNCTION_NODES:
        current = current.parent
    return current


def _released_without_acquiring(facts: PackageFacts, function: Node) -> set[str]:
    """Mutexes the function (or a literal it invokes on the spot) releases with no
    acquisition of its own held at that point: it expects them held on entry (the
    drop-and-retake helper)."""
    if function.text is None or b"Unlock" not in function.text:
        return set()  # no Unlock/RUnlock call in it: nothing released at all
    out = {lc.mutex for lc in lock_state(facts, function).unmatched_releases}
    body = function.child_by_field_name("body")
    if body is not None:
        for node in sync_calls(body):
            if node.type == "func_literal":
                out.update(lc.mutex for lc in lock_state(facts, node).unmatched_releases)
    return out


def _callee_label(info: FuncInfo) -> str:
    if info.receiver_type is not None:
        return f"{info.receiver_type}.{info.name}"
    return info.name


def _variadic_at(info: FuncInfo, index: int) -> bool:
    params = info.node.child_by_field_name("parameters")
    if params is None:
        return False
    i = 0
    for param in params.named_children:
        if param.type == "variadic_parameter_declaration":
            return i <= index
        if param.type == "parameter_declaration":
            i += max(1, len(param.children_by_field_name("name")))
    return False


def _key_for(
    mutex: str, mode: str, names: dict[str, str], facts: PackageFacts, ident: Node | None
) -> LockKey | None:
    """``mutex`` (text in the function's terms) relative to its inputs, or None.

    ``ident`` is the identifier the text starts with, where it is written: a local
    declared in the body (shadowing a parameter or a package variable) is none of them.
    """
    root = mutex_root(mutex)
    if root is None or root == "_" or ident is None or node_text(ident) != root:
        return None
    decl = facts.scopes.declaration(ident)
    kind = names.get(root)
    if kind is not None:
        if decl is None or decl.kind not in ("receiver", "param"):
            return None
        return LockKey(kind, mutex[len(root) :], mode)
    if root in facts.model.vars and decl is not None and decl.kind == "package_var":
        return LockKey("package", mutex, mode)
    return None


def root_ident(expr: Node | None) -> Node | None:
    """The leading identifier of a field path (``s`` in ``s.a.mu``, ``&s.mu``, ``(*s).mu``)."""
    current = expr
    while current is not None:
        kind = current.type
        if kind == "identifier":
            return current
        if kind == "selector_expression":
            current = current.child_by_field_name("operand")
        elif kind == "parenthesized_expression":
            current = current.named_children[0] if current.named_children else None
        elif kind == "unary_expression":
            current = current.child_by_field_name("operand")
        else:
            return None
    return None


def _operand_root(call: Node) -> Node | None:
    fn = call.child_by_field_name("function")
    if fn is None or fn.type != "selector_expression":
        return None
    return root_ident(fn.child_by_field_name("operand"))


def taken_root(call: Node, taken: Taken) -> Node | None:
    """The identifier of ``call`` that ``taken.mutex`` starts with (receiver or argument)."""
    root = mutex_root(taken.mutex)
    candidates: list[Node | None] = [_operand_root(call)]
    args = call.child_by_field_name("arguments")
    if args is not None:
        candidates.extend(root_ident(a) for a in args.named_children)
    for ident in candidates:
        if ident is not None and node_text(ident) == root:
            return ident
    return None


# The caller-holds-lock convention --------------------------------------------------------------


@dataclass(frozen=True)
class EntryLock:
    """The mutex a ``...Locked`` method (or one documented so) runs under."""

    function: FuncInfo
    mutex: str
    """In the method's terms: ``c.mu`` (or ``c`` for an embedded mutex)."""
    field: Node
    """The mutex field's declaration (evidence)."""


def entry_lock(facts: PackageFacts, function: Node) -> EntryLock | None:
    """The receiver's mutex that ``function`` runs under by the caller-holds convention.

    Only when it is visible which one: the receiver's struct has exactly one
    ``sync.Mutex``/``sync.RWMutex`` field, or the doc comment names one of them. None when
    the method itself locks or unlocks that mutex (it manages it: no convention to
    trust) or when the convention does not apply.
    """
    cache: dict[Node, EntryLock | None] = facts.cached("gmf105_entry_lock", lambda _f: {})
    if function in cache:
        return cache[function]
    found = _entry_lock(facts, function)
    cache[function] = found
    return found


def _entry_lock(facts: PackageFacts, function: Node) -> EntryLock | None:
    if function.type != "method_declaration" or not caller_holds_lock(function):
        return None
    info = _method_of(facts, function)
    if info is None or not info.receiver_name or info.receiver_type is None:
        return None
    type_info = facts.model.types.get(info.receiver_type)
    if type_info is None or type_info.type.kind != "struct":
        return None
    fields = _mutex_fields(type_info.node)
    if not fields:
        return None
    doc = _doc(function)
    named = [(name, node) for name, node in fields if name and re.search(rf"\b{name}\b", doc)]
    chosen = named if named else fields
    if len(chosen) != 1:
        return None
    name, node = chosen[0]
    mutex = info.receiver_name + (f".{name}" if name else "")
    state = lock_state(facts, function)
    if any(lc.mutex == mutex for lc in state.lock_calls) or any(
        lc.mutex == mutex for lc in state.unmatched_releases
    ):
        return None
    body = function.child_by_field_name("body")
    if body is not None:
        for node2 in sync_calls(body):
            lc = lock_call(node2)  # None for a function literal
            if lc is not None and lc.mutex == mutex:
                return None
    return EntryLock(info, mutex, node)


def _method_of(facts: PackageFacts, function: Node) -> FuncInfo | None:
    for methods in facts.model.methods.values():
        for info in methods.values():
            if info.node == function:
                return info
    return None


def _mutex_fields(spec: Node) -> list[tuple[str, Node]]:
    """(field name, declaration) of the ``sync.Mutex``/``RWMutex`` fields of a struct
    type spec; the name is "" for an embedded one (locked as ``x.Lock()``)."""
    out: list[tuple[str, Node]] = []
    struct = spec.child_by_field_name("type")
    if struct is None or struct.type != "struct_type":
        return out
    for decl in walk_fields(struct):
        ftype = decl.child_by_field_name("type")
        if ftype is None:
            continue
        text = expr_key(ftype)
        base = text.lstrip("*")
        if base not in ("sync.Mutex", "sync.RWMutex"):
            continue
        names = decl.children_by_field_name("name")
        if not names:
            if not text.startswith("*"):
                out.append(("", decl))
            continue
        out.extend((node_text(n), decl) for n in names)
    return out


def walk_fields(struct: Node) -> Iterator[Node]:
    for child in struct.named_children:
        if child.type == "field_declaration_list":
            yield from (c for c in child.named_children if c.type == "field_declaration")


def _doc(function: Node) -> str:
    lines: list[str] = []
    prev = function.prev_sibling
    row = function.start_point[0]
    while prev is not None and prev.type == "comment" and prev.end_point[0] >= row - 1:
        lines.insert(0, node_text(prev))
        row = prev.start_point[0]
        prev = prev.prev_sibling
    return " ".join(lines)
