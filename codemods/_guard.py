"""The "guard" fix style of the concurrency rules: take the map's mutex around each access.

Three plans, by what guards the map:

* **the owner's mutex** (a mutex field of the struct declaring the map, or the package-level
  or local mutex held at its other accesses): every unguarded access of the maps it guards
  in the function at hand gets ``Lock``/``Unlock`` (writes) or ``RLock``/``RUnlock``
  (reads, on a ``sync.RWMutex``);
* **a new package-level mutex** for a package-level map that no mutex guards:
  ``var <name>Mu sync.RWMutex`` beside it, and every access in the package guarded, in one
  atomic fix across files;
* **a new local mutex** for a local map shared with goroutine literals: ``var <name>Mu
  sync.Mutex`` after its declaration, and every access that may run concurrently guarded.

Each access is guarded at the smallest statement that holds it: a simple statement is
wrapped (``mu.Lock()`` before, ``mu.Unlock()`` after, consecutive ones together); a whole
``for range`` over the map is wrapped (``Lock`` when the body writes the map, with an
unlock before each ``return`` in the body); a read inside a larger statement (``return``,
``if``/``switch`` headers and initialisers, calls) is hoisted into a fresh local under the
lock, without moving the declaration of any other name. Calls are never made with the new
lock held when they may take it (the owner's mutex, or code that reaches the map): a
write's computed value is hoisted out of the locked statement, and a plan that cannot avoid
holding the lock across such a call is refused, with the reason. No ``defer`` is added.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from tree_sitter import Node

from gomapfix.codemod import FileContext
from gomapfix.facts.concurrency import (
    ESCAPE,
    NILCHECK,
    RANGE,
    Access,
    Concurrency,
    Target,
    _ordered_in,
    is_trivial_call,
)
from gomapfix.facts.locks import FUNCTION_NODES, call_acquires, lock_call
from gomapfix.facts.maptarget import MapTarget
from gomapfix.fix import Applicability, Edit, Fix
from gomapfix.parse import ParsedFile, node_text
from gomapfix.query import nodes_of_types
from gomapfix.syntax import GO_KEYWORDS, call_args

_SIMPLE = frozenset(
    {
        "expression_statement",
        "assignment_statement",
        "inc_statement",
        "dec_statement",
        "short_var_declaration",
        "var_declaration",
        "send_statement",
    }
)
_HOISTABLE = frozenset(
    {
        "return_statement",
        "if_statement",
        "expression_switch_statement",
        "type_switch_statement",
        "go_statement",
        "defer_statement",
        "for_statement",
        *_SIMPLE,
    }
)
_READ_ONLY_CALLS = re.compile(
    r"^(fmt\.\w+|json\.Marshal(Indent)?|maps\.(Clone|Equal|EqualFunc)|reflect\.DeepEqual)$"
)
_IDENT = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")


class Refused(Exception):
    """The plan cannot be written safely; the message says why."""


@dataclass
class _Hoist:
    node: Node
    name: str
    text: str
    """The declaration line without indentation (``v := c.m[k]``)."""
    replacement: str


@dataclass
class _Region:
    """Statements wrapped together in one lock section, or one hoisting statement."""

    file: ParsedFile
    first: Node
    last: Node
    write: bool
    owner: str | None
    hoisted_calls: list[_Hoist] = field(default_factory=list)
    """Values computed before the lock (calls moved out of a locked write)."""
    hoisted_reads: list[_Hoist] = field(default_factory=list)
    """Reads moved before the statement, under their own lock section (not wrapped)."""
    unlock_before: list[Node] = field(default_factory=list)
    """``return`` statements inside a wrapped loop that need an unlock first."""
    tail_reads: list[_Hoist] = field(default_factory=list)
    """Reads of the next statement, hoisted into the end of this section."""

    @property
    def wraps(self) -> bool:
        return not self.hoisted_reads


@dataclass
class Plan:
    edits: list[Edit]
    declares: list[str]
    notes: list[str]
    count: int


class _Names:
    """Fresh identifiers: free in the function (and package), and not taken by this plan."""

    def __init__(self, ctx: FileContext, taken: set[str] | None = None) -> None:
        self.ctx = ctx
        self.taken: set[str] = set(taken or ())

    def fresh(self, base: str, scope: Node) -> str:
        used = set(_IDENT.findall(scope.text or b""))
        n = 1
        candidate = base
        model = self.ctx.facts.model
        while (
            candidate.encode() in used
            or candidate in self.taken
            or candidate in model.vars
            or candidate in model.funcs
            or candidate in model.types
            or candidate in GO_KEYWORDS
        ):
            n += 1
            candidate = f"{base}{n}"
        self.taken.add(candidate)
        return candidate


# Entry points -----------------------------------------------------------------------------


def shared_map_fix(ctx: FileContext, conc: Concurrency, access: Access) -> Fix | str:
    """The fix in the style the user chose (``--fix-style``), or why there is none."""
    if ctx.options.fix_style == "wrapper":
        return _wrapper(ctx, conc, access)
    return guard_fix(ctx, conc, access)


def map_target(conc: Concurrency, access: Access) -> MapTarget | None:
    """The package variable or struct field behind ``access`` (None for local maps)."""
    target = conc.targets[access.key]
    kind = target.key[0]
    if kind == "var":
        return MapTarget("var", target.key[1], None, target.map_type, target.decl, target.file)
    if kind == "field" and not target.anonymous_owner:
        return MapTarget(
            "field", target.key[2], target.key[1], target.map_type, target.decl, target.file
        )
    return None


def _wrapper(ctx: FileContext, conc: Concurrency, access: Access) -> Fix | str:
    target = map_target(conc, access)
    if target is None:
        return (
            "the wrapper style migrates package-level maps and fields of named struct types, "
            "not local maps or fields of anonymous structs"
        )
    try:
        from ._mapwrapper import wrapper_fix
    except (ImportError, AttributeError):
        return "the wrapper fix style is not available in this build"
    result: Fix | str = wrapper_fix(ctx, target)
    return result


def guard_fix(ctx: FileContext, conc: Concurrency, access: Access) -> Fix | str:
    """The guard-style fix for the finding on ``access``, or why there is none."""
    target = conc.targets[access.key]
    try:
        if target.lock is not None:
            return _owner_fix(ctx, conc, target, access)
        if target.key[0] == "var":
            return _new_package_mutex(ctx, conc, target)
        if target.key[0] == "local":
            return _new_local_mutex(ctx, conc, target)
        return _new_field_mutex(ctx, conc, target)
    except Refused as exc:
        return str(exc)


# The owner's mutex ------------------------------------------------------------------------


def _owner_fix(ctx: FileContext, conc: Concurrency, target: Target, access: Access) -> Fix | str:
    lock = target.lock
    assert lock is not None
    unit = access.unit
    if lock.kind == "field" and access.owner is None:
        raise Refused("the map's owner expression is not visible")
    # The unit must not be called with the lock already held somewhere (deadlock).
    for site in conc.callers.get(unit, []):
        if conc.held_any(site.call):
            line = site.file.source.position(site.call.start_byte).line
            raise Refused(
                f"{conc.unit_name(unit)} is also called with a lock held "
                f"({site.file.path.rsplit('/', 1)[-1]}:{line}): locking inside it would deadlock"
            )
    lock_text = lock.expr(access.owner)
    accesses = [
        a
        for key, t in conc.targets.items()
        if t.lock == lock
        for a in t.accesses
        if a.unit == unit and not a.guarded and a.owner == access.owner and a.kind != NILCHECK
    ]
    keys = {a.key for a in accesses}

    def conflict(call: Node) -> str | None:
        taken = call_acquires(conc.facts, call)
        if any(m == lock_text for m, _ in taken):
            fn = call.child_by_field_name("function")
            return f"{node_text(fn) if fn is not None else 'a call'} takes {lock_text}"
        return None

    planner = _Planner(ctx, conc, keys, conflict, _Names(ctx))
    plan = planner.plan(accesses, lambda _a: lock_text, lock.rw)
    labels = sorted({conc.targets[k].label for k in keys})
    title = f"Hold {lock_text} around the accesses to {', '.join(labels)} in {conc.unit_name(unit)}"
    note = "; ".join(dict.fromkeys(plan.notes)) or None
    return ctx.fix(
        title,
        plan.edits,
        Applicability.UNSAFE,
        note,
        declares=plan.declares,
        scope=unit if plan.declares else None,
    )


# A new mutex field ----------------------------------------------------------------------------


def _new_field_mutex(ctx: FileContext, conc: Concurrency, target: Target) -> Fix | str:
    """``<field>Mu sync.RWMutex`` at the end of the struct, held at every access."""
    type_name, field_name = target.key[1], target.key[2]
    copied = _copied_by_value(conc, type_name)
    if copied is not None:
        raise Refused(
            f"{type_name} has no mutex, and a {type_name} value is copied ({copied}): a mutex "
            "field would be copied with it (go vet copylocks); use --fix-style wrapper"
        )
    unkeyed = _unkeyed_literal(conc, type_name)
    if unkeyed is not None:
        raise Refused(
            f"{type_name} is built with an unkeyed composite literal ({unkeyed}): "
            "a new field would break it; use --fix-style wrapper"
        )
    info = conc.model.types.get(type_name)
    if info is None or info.file.generated:
        raise Refused(f"the declaration of {type_name} is not editable")
    struct = info.node.child_by_field_name("type")
    if struct is None or struct.type != "struct_type":
        raise Refused(f"{type_name} is not a struct type")
    used_fields = {name for name, _ in info.type.fields}
    mu = f"{field_name}Mu"
    n = 1
    while mu in used_fields:
        n += 1
        mu = f"{field_name}Mu{n}"
    accesses = [a for a in target.accesses if a.kind != NILCHECK]
    for a in accesses:
        if a.file.generated:
            raise Refused(f"{target.label} is used in a generated file ({a.file.path})")
        if a.owner is None:
            raise Refused("an access's owner expression is not visible")
        if a.kind == ESCAPE and not _allowed_escape(a):
            raise Refused(
                f"{target.label} is copied or passed on at {_short_where(a)}; "
                "the alias would stay unguarded"
            )
    reaching = _units_reaching(conc, {a.unit for a in accesses})

    def conflict(call: Node) -> str | None:
        callee = _callee_unit(conc, call)
        if callee is not None and callee in reaching:
            fn = call.child_by_field_name("function")
            return f"{node_text(fn) if fn is not None else 'a call'} uses {target.label} too"
        return None

    planner = _Planner(ctx, conc, {target.key}, conflict, _Names(ctx))
    plan = planner.plan(accesses, lambda a: f"{a.owner}.{mu}", True)
    edits = list(plan.edits)
    names, import_edits = ctx.imports_in(info.file, "sync")
    edits.extend(import_edits)
    body = next((c for c in struct.named_children if c.type == "field_declaration_list"), None)
    if body is None or body.end_byte - body.start_byte < 2:
        raise Refused(f"{type_name} has an unexpected shape")
    close = body.end_byte - 1
    source = info.file.source
    if source.data[source.line_start(close) : close].strip():
        raise Refused(f"{type_name} is declared on one line")
    at = source.line_start(close)
    text = f"\n\t// {mu} guards {field_name}.\n\t{mu} {names['sync']}.RWMutex\n"
    edits.append(Edit(info.file.path, at, at, text.encode()))
    note = "; ".join(dict.fromkeys(plan.notes)) or None
    return ctx.fix(
        f"Add {mu} sync.RWMutex to {type_name} and hold it at the {plan.count} accesses "
        f"to {field_name}",
        _merge_same_offset(edits),
        Applicability.UNSAFE,
        note,
    )


def _copied_by_value(conc: Concurrency, type_name: str) -> str | None:
    """Where a value of the struct is copied (value receiver, value parameter...), if seen."""
    for unit, info in conc.all_units().items():
        if info.method and info.receiver_type == type_name:
            receiver = unit.child_by_field_name("receiver")
            if receiver is not None and "*" not in node_text(receiver):
                return f"value receiver of {info.name}"
    for f in conc.files:
        if type_name.encode() not in f.source.data:
            continue
        for ident in nodes_of_types(frozenset({"type_identifier"}), f.root):
            if node_text(ident) != type_name:
                continue
            parent = ident.parent
            if parent is None:
                continue
            if parent.type == "type_spec" and parent.child_by_field_name("name") == ident:
                continue
            if parent.type == "pointer_type":
                continue
            if parent.type == "composite_literal":
                up = parent.parent
                if (
                    up is not None
                    and up.type == "unary_expression"
                    and node_text(up).startswith("&")
                ):
                    continue
                if _literal_used_by_address(parent):
                    continue
            if parent.type == "parameter_declaration" and _is_receiver(parent):
                continue
            line = f.source.position(ident.start_byte).line
            return f"{f.path.rsplit('/', 1)[-1]}:{line}"
    return None


def _unkeyed_literal(conc: Concurrency, type_name: str) -> str | None:
    for f in conc.files:
        if type_name.encode() not in f.source.data:
            continue
        for lit in nodes_of_types(frozenset({"composite_literal"}), f.root):
            t = lit.child_by_field_name("type")
            body = lit.child_by_field_name("body")
            if t is None or body is None or node_text(t) != type_name:
                continue
            elements = [c for c in body.named_children if c.type != "comment"]
            if any(c.type != "keyed_element" for c in elements):
                line = f.source.position(lit.start_byte).line
                return f"{f.path.rsplit('/', 1)[-1]}:{line}"
    return None


def _literal_used_by_address(literal: Node) -> bool:
    """``x := T{...}`` whose variable is only ever used as ``&x`` or ``x.f``."""
    return False


def _is_receiver(param: Node) -> bool:
    plist = param.parent
    return (
        plist is not None
        and plist.parent is not None
        and (
            plist.parent.type == "method_declaration"
            and plist.parent.child_by_field_name("receiver") == plist
        )
    )


def _short_where(a: Access) -> str:
    line = a.file.source.position(a.expr.start_byte).line
    return f"{a.file.path.rsplit('/', 1)[-1]}:{line}"


# A new package-level mutex ------------------------------------------------------------------


def _new_package_mutex(ctx: FileContext, conc: Concurrency, target: Target) -> Fix | str:
    name = target.key[1]
    mu = _package_fresh(conc, f"{name}Mu")
    accesses = [a for a in target.accesses if a.kind != NILCHECK]
    for a in accesses:
        if a.file.generated:
            raise Refused(f"{name} is used in a generated file ({a.file.path})")
        if a.kind == ESCAPE and not _allowed_escape(a):
            line = a.file.source.position(a.expr.start_byte).line
            raise Refused(
                f"{name} is copied or passed on at {a.file.path.rsplit('/', 1)[-1]}:{line}; "
                "the alias would stay unguarded"
            )
    reaching = _units_reaching(conc, {a.unit for a in accesses})

    def conflict(call: Node) -> str | None:
        callee = _callee_unit(conc, call)
        if callee is not None and callee in reaching:
            fn = call.child_by_field_name("function")
            return f"{node_text(fn) if fn is not None else 'a call'} uses {name} too"
        return None

    planner = _Planner(ctx, conc, {target.key}, conflict, _Names(ctx, {mu}))
    plan = planner.plan(accesses, lambda _a: mu, True)
    edits = list(plan.edits)
    decl_file = target.file
    names, import_edits = ctx.imports_in(decl_file, "sync")
    edits.extend(import_edits)
    edits.append(_declare_after(decl_file, target.decl, mu, names["sync"], name))
    note = "; ".join(dict.fromkeys(plan.notes)) or None
    return ctx.fix(
        f"Add var {mu} sync.RWMutex beside {name} and hold it at its {plan.count} accesses",
        edits,
        Applicability.UNSAFE,
        note,
    )


def _declare_after(file: ParsedFile, spec: Node, mu: str, sync: str, name: str) -> Edit:
    decl = spec
    while decl.parent is not None and decl.type != "var_declaration":
        decl = decl.parent
    source = file.source
    end = source.line_end(decl.end_byte - 1)
    data = source.data
    next_blank = end >= len(data) or data[end : end + 1] == b"\n"
    text = f"\n// {mu} guards {name}.\nvar {mu} {sync}.RWMutex\n"
    if not next_blank:
        text += "\n"
    return Edit(file.path, end, end, text.encode())


def _package_fresh(conc: Concurrency, base: str) -> str:
    used: set[bytes] = set()
    for f in conc.files:
        used.update(_IDENT.findall(f.source.data))
    candidate, n = base, 1
    while candidate.encode() in used:
        n += 1
        candidate = f"{base}{n}"
    return candidate


def _units_reaching(conc: Concurrency, units: set[Node]) -> set[Node]:
    """Units from which one of ``units`` is reachable through package calls."""
    reverse: dict[Node, set[Node]] = defaultdict(set)
    for caller, callees in conc.callees.items():
        for callee in callees:
            reverse[callee].add(caller)
    seen = set(units)
    stack = list(units)
    while stack:
        u = stack.pop()
        for caller in reverse.get(u, ()):
            if caller not in seen:
                seen.add(caller)
                stack.append(caller)
    return seen


def _callee_unit(conc: Concurrency, call: Node) -> Node | None:
    return conc.callee_of.get(call)


def _allowed_escape(access: Access) -> bool:
    """The map passed to a standard call that only reads it during the call."""
    parent = access.expr.parent
    if parent is None or parent.type != "argument_list":
        return False
    call = parent.parent
    fn = call.child_by_field_name("function") if call is not None else None
    return fn is not None and bool(_READ_ONLY_CALLS.match(node_text(fn)))


# A new local mutex ------------------------------------------------------------------------


def _new_local_mutex(ctx: FileContext, conc: Concurrency, target: Target) -> Fix | str:
    parent = target.declaring_unit
    assert parent is not None
    decl_stmt = target.decl.parent
    while decl_stmt is not None and decl_stmt.type not in (
        "short_var_declaration",
        "var_declaration",
        "parameter_declaration",
        "range_clause",
    ):
        decl_stmt = decl_stmt.parent
    if decl_stmt is None or decl_stmt.type not in ("short_var_declaration", "var_declaration"):
        raise Refused(f"{target.label} is not declared by a statement of its own")
    if decl_stmt.parent is None or decl_stmt.parent.type != "statement_list":
        raise Refused(f"{target.label} is declared in a statement header")
    if target.file.path != ctx.path:
        raise Refused("the map is declared in another file")
    names = _Names(ctx)
    mu = names.fresh(f"{target.label}Mu", parent)
    goroutines = {
        lit for a in target.accesses for lit in [_goroutine_of(conc, a, parent)] if lit is not None
    }
    sites = [s.node for lit in goroutines for s in conc.entries[lit].sites[:1]]
    chosen: list[Access] = []
    for a in target.accesses:
        if a.kind == NILCHECK:
            continue
        if (
            _goroutine_of(conc, a, parent) is None
            and sites
            and all(_ordered_in(site, a.node, parent) for site in sites)
        ):
            continue  # before the goroutines start, or after waiting for them
        if a.kind == ESCAPE and not _allowed_escape(a):
            line = ctx.file.source.position(a.expr.start_byte).line
            raise Refused(
                f"{target.label} is copied or passed on at line {line}; "
                "the alias would stay unguarded"
            )
        chosen.append(a)
    if not chosen:
        raise Refused("no access to guard")

    planner = _Planner(ctx, conc, {target.key}, lambda _c: None, names)
    plan = planner.plan(chosen, lambda _a: mu, False)
    edits = list(plan.edits)
    sync_names, import_edits = ctx.imports("sync")
    edits.extend(import_edits)
    indent = ctx.indent(decl_stmt)
    end = ctx.file.source.line_end(decl_stmt.end_byte - 1)
    edits.append(ctx.insert(end, f"{indent}var {mu} {sync_names['sync']}.Mutex\n"))
    note = "; ".join(dict.fromkeys(plan.notes)) or None
    return ctx.fix(
        f"Add var {mu} sync.Mutex after {target.label} and hold it at its shared accesses",
        _merge_same_offset(edits),
        Applicability.UNSAFE,
        note,
        declares=[mu, *plan.declares],
        scope=parent,
    )


def _goroutine_of(conc: Concurrency, access: Access, parent: Node) -> Node | None:
    current = access.expr.parent
    while current is not None and current != parent:
        if current in conc.entry_literals:
            return current
        current = current.parent
    return None


# The planner ------------------------------------------------------------------------------


class _Planner:
    def __init__(
        self,
        ctx: FileContext,
        conc: Concurrency,
        keys: set[tuple[str, str, str]],
        conflict: Callable[[Node], str | None],
        names: _Names,
    ) -> None:
        self.ctx = ctx
        self.conc = conc
        self.keys = keys
        self.conflict = conflict
        self.names = names
        self.notes: list[str] = []
        self.plan_exprs: set[Node] = set()
        self.lock_text: dict[int, str] = {}

    def plan(self, accesses: list[Access], lock_of: Callable[[Access], str], rw: bool) -> Plan:
        if not accesses:
            raise Refused("no access to guard")
        self.plan_exprs = {a.expr for a in accesses}
        regions: list[_Region] = []
        covered: list[Node] = []
        locks: dict[int, str] = {}
        # 1. An if that checks the map and writes it in its body: the whole statement, so
        #    that check and act stay in one critical section.
        for a in sorted(accesses, key=lambda a: a.expr.start_byte):
            if a.kind == RANGE or any(_inside(a.expr, c) for c in covered):
                continue
            stmt = _statement_of(a.expr)
            if stmt is None or stmt.type != "if_statement" or not _in_if_header(a.expr, stmt):
                continue
            if not any(b.mutates and _in_if_body(b.expr, stmt) for b in accesses):
                continue
            self.lock_text[id(a)] = lock_of(a).replace(" ", "")
            try:
                region = self._if_region(stmt, a)
            except Refused:
                continue  # fall back to statement by statement
            covered.append(stmt)
            regions.append(region)
            locks[id(region)] = lock_of(a)
        # 2. Whole loops over the map.
        for a in sorted((a for a in accesses if a.kind == RANGE), key=lambda a: a.node.start_byte):
            if any(_inside(a.node, c) for c in covered):
                continue
            self.lock_text[id(a)] = lock_of(a).replace(" ", "")
            region = self._loop_region(a, accesses)
            covered.append(region.first)
            regions.append(region)
            locks[id(region)] = lock_of(a)
        # 3. Everything else, by statement.
        callbacks: set[Node] = set()
        by_stmt: dict[Node, list[Access]] = {}
        order: list[Node] = []
        for a in sorted(accesses, key=lambda a: a.expr.start_byte):
            if a.kind == RANGE or any(_inside(a.expr, c) for c in covered):
                continue
            stmt = _statement_of(a.expr)
            if stmt is None:
                raise Refused(f"an access at {self._where(a)} is not in a statement of its own")
            # In a one-line callback (``sort.Slice(s, func(i, j int) bool { ... })``): lock
            # around the call that runs it.
            while not self._owns_lines(a.file, stmt):
                literal = _function_of(stmt)
                if (
                    literal is None
                    or literal.type != "func_literal"
                    or literal.parent is None
                    or literal.parent.type != "argument_list"
                ):
                    break
                outer = _statement_of(literal.parent)
                if outer is None:
                    break
                stmt = outer
                callbacks.add(stmt)
            if stmt not in by_stmt:
                by_stmt[stmt] = []
                order.append(stmt)
            by_stmt[stmt].append(a)
        for stmt in order:
            group = by_stmt[stmt]
            if stmt in callbacks:
                region = self._callback_region(stmt, group, lock_of(group[0]))
            else:
                region = self._statement_region(stmt, group)
            regions.append(region)
            locks[id(region)] = lock_of(group[0])
        regions = self._merge(regions, locks)
        edits: list[Edit] = []
        declares: list[str] = []
        for region in regions:
            edits.extend(self._edits(region, locks[id(region)], rw))
            declares.extend(h.name for h in (*region.hoisted_calls, *region.hoisted_reads))
        return Plan(_merge_same_offset(edits), declares, self.notes, len(accesses))

    def _where(self, a: Access) -> str:
        line = a.file.source.position(a.expr.start_byte).line
        return f"{a.file.path.rsplit('/', 1)[-1]}:{line}"

    # Loops ---------------------------------------------------------------------------

    def _loop_region(self, a: Access, accesses: list[Access]) -> _Region:
        loop = a.node
        stmt = (
            loop.parent
            if loop.parent is not None and loop.parent.type == "labeled_statement"
            else loop
        )
        if stmt.parent is None or stmt.parent.type != "statement_list":
            raise Refused(f"the loop at {self._where(a)} is not a statement of its own")
        if stmt.type == "labeled_statement":
            self._no_goto(stmt)
        self._own_lines(a.file, stmt)
        body = loop.child_by_field_name("body")
        write = body is not None and any(
            b.mutates and _inside(b.expr, body)
            for t in self.keys
            for b in self.conc.targets[t].accesses
        )
        region = _Region(a.file, stmt, stmt, write, a.owner)
        if body is None:
            return region
        for node in _walk_no_literals(body):
            if node.type == "return_statement":
                if any(_inside(e, node) for e in self.plan_exprs):
                    raise Refused(
                        f"a return in the loop at {self._where(a)} reads the map: hoist it by hand"
                    )
                self._own_lines(a.file, node)
                region.unlock_before.append(node)
            elif node.type == "goto_statement":
                raise Refused(f"the loop at {self._where(a)} contains a goto")
            elif node.type in ("break_statement", "continue_statement"):
                label = next((c for c in node.named_children if c.type == "label_name"), None)
                if label is not None and not _labels(loop, node_text(label)):
                    raise Refused(
                        f"the loop at {self._where(a)} jumps out to label {node_text(label)}"
                    )
            elif node.type == "call_expression":
                lc = lock_call(node)
                if lc is not None and lc.mutex == self.lock_text.get(id(a), ""):
                    raise Refused(
                        f"the loop at {self._where(a)} takes {lc.mutex} itself: "
                        "holding it across the loop would deadlock"
                    )
                why = self.conflict(node)
                if why is not None:
                    raise Refused(
                        f"the loop at {self._where(a)} calls code that would block on the lock: "
                        f"{why}"
                    )
        return region

    def _if_region(self, stmt: Node, a: Access) -> _Region:
        """Wrap a whole ``if`` (header and branches) in one write section."""
        self._own_lines(a.file, stmt)
        lock_text = self.lock_text[id(a)]
        returns: list[Node] = []
        for node in _walk_no_literals(stmt):
            kind = node.type
            if kind in ("break_statement", "continue_statement", "goto_statement"):
                if _jumps_out(node, stmt):
                    raise Refused("a branch jumps out of the if")
            elif kind == "fallthrough_statement":
                raise Refused("fallthrough")
            elif kind == "return_statement":
                if any(_inside(e, node) for e in self.plan_exprs):
                    raise Refused("a return reads the map")
                self._own_lines(a.file, node)
                returns.append(node)
            elif kind == "call_expression":
                lc = lock_call(node)
                if lc is not None:
                    if lc.mutex == lock_text:
                        raise Refused("the if takes the lock itself")
                    continue
                imports = _file_imports(self.conc, stmt) or []
                if is_trivial_call(node, imports) and not _has_func_literal_arg(node):
                    continue
                if node not in self.conc.callee_of or self.conflict(node) is not None:
                    raise Refused("the if calls code that may take the lock")
        region = _Region(a.file, stmt, stmt, True, a.owner)
        region.unlock_before = returns
        return region

    def _no_goto(self, labeled: Node) -> None:
        fn = labeled.parent
        while fn is not None and fn.type not in FUNCTION_NODES:
            fn = fn.parent
        if fn is not None and any(n.type == "goto_statement" for n in _walk_no_literals(fn)):
            raise Refused("a goto may jump to the labelled statement, past the lock")

    # Statements ----------------------------------------------------------------------

    def _callback_region(self, stmt: Node, group: list[Access], lock: str) -> _Region:
        """Wrap a statement whose callback argument uses the map (it runs during the call)."""
        a0 = group[0]
        if stmt.type not in _SIMPLE:
            raise Refused(f"the callback at {self._where(a0)} is part of a {stmt.type}")
        self._own_lines(a0.file, stmt)
        lock_text = lock.replace(" ", "")
        for node in [stmt, *_all_nodes(stmt)]:
            if node.type != "call_expression":
                continue
            lc = lock_call(node)
            if lc is not None and lc.mutex == lock_text:
                raise Refused(f"the callback at {self._where(a0)} takes the lock itself")
            why = self.conflict(node)
            if why is not None:
                raise Refused(f"the statement at {self._where(a0)} calls code that takes the lock")
        return _Region(a0.file, stmt, stmt, any(a.mutates for a in group), a0.owner)

    def _owns_lines(self, file: ParsedFile, stmt: Node) -> bool:
        try:
            self._own_lines(file, stmt)
        except Refused:
            return False
        return True

    def _statement_region(self, stmt: Node, group: list[Access]) -> _Region:
        a0 = group[0]
        file = a0.file
        writes = [a for a in group if a.mutates]
        escapes = [a for a in group if a.kind == ESCAPE]
        if stmt.type == "labeled_statement":
            raise Refused(f"the access at {self._where(a0)} is in a labelled statement")
        if stmt.type not in _HOISTABLE:
            raise Refused(f"the access at {self._where(a0)} is in a {stmt.type.replace('_', ' ')}")
        self._own_lines(file, stmt)
        if stmt.type in _SIMPLE:
            bad = self._bad_calls(stmt)
            if escapes:
                if not all(_allowed_escape(e) or e.kind != ESCAPE for e in escapes):
                    raise Refused(f"the map is passed on at {self._where(escapes[0])}")
                if any(self.conflict(c) is not None for c in bad):
                    raise Refused(
                        f"the statement at {self._where(a0)} calls code that takes the lock"
                    )
                return _Region(file, stmt, stmt, bool(writes), a0.owner)
            if not bad and (writes or not _has_calls(stmt)):
                return _Region(file, stmt, stmt, bool(writes), a0.owner)
            if writes:
                region = _Region(file, stmt, stmt, True, a0.owner)
                region.hoisted_calls = self._hoist_calls(stmt, bad, a0)
                return region
            region = _Region(file, stmt, stmt, False, a0.owner)
            region.hoisted_reads = self._hoist_reads(stmt, group)
            return region
        if writes or escapes:
            raise Refused(
                f"the {'write' if writes else 'use'} at {self._where(a0)} is part of a "
                f"{stmt.type.replace('_', ' ')}"
            )
        region = _Region(file, stmt, stmt, False, a0.owner)
        region.hoisted_reads = self._hoist_reads(stmt, group)
        return region

    def _bad_calls(self, stmt: Node) -> list[Node]:
        """Outermost calls of ``stmt`` (not in function literals) that are not trivial:
        calls of package code, function values and methods, or with callback arguments."""
        imports = _file_imports(self.conc, stmt) or []
        out: list[Node] = []
        for node in _walk_no_literals(stmt):
            if node.type != "call_expression" or any(_inside(node, o) for o in out):
                continue
            if is_trivial_call(node, imports) and not _has_func_literal_arg(node):
                continue
            out.append(node)
        return out

    def _hoist_calls(self, stmt: Node, calls: list[Node], a0: Access) -> list[_Hoist]:
        out: list[_Hoist] = []
        for call in calls:
            if any(_inside(e, call) for e in self.plan_exprs):
                raise Refused(
                    f"the value written at {self._where(a0)} is computed by a call that "
                    "uses the map"
                )
            if _conditional(call, stmt):
                raise Refused(f"a call at {self._where(a0)} is evaluated conditionally")
            if _multi_value(call):
                raise Refused(f"a call at {self._where(a0)} returns several values")
            scope = _function_of(stmt)
            assert scope is not None
            base = _value_name(a0)
            if _in_key(call, stmt):
                base = base.removesuffix("Val") + "Key"
            name = self.names.fresh(base, scope)
            out.append(_Hoist(call, name, f"{name} := {node_text(call)}", name))
        return out

    def _hoist_reads(self, stmt: Node, group: list[Access]) -> list[_Hoist]:
        out: list[_Hoist] = []
        scope = _function_of(stmt)
        assert scope is not None
        for a in group:
            read = self._read_node(a)
            if read is None:
                raise Refused(f"the use of the map at {self._where(a)} cannot be moved out")
            if stmt.type == "for_statement" and not _in_loop_header_once(read, stmt):
                raise Refused(
                    f"the read at {self._where(a)} is evaluated at every iteration of the loop"
                )
            if _conditional(read, stmt) and not _atomic_read(read, a):
                raise Refused(f"the read at {self._where(a)} is evaluated conditionally")
            if self._bad_calls(read):
                raise Refused(f"the key of the read at {self._where(a)} is computed by a call")
            if self._declared_inside(read, stmt):
                raise Refused(
                    f"the read at {self._where(a)} uses a name declared by its own statement"
                )
            base = _value_name(a)
            if read.type == "call_expression":  # len(m)
                name = self.names.fresh(base.removesuffix("Val") + "Len", scope)
                out.append(_Hoist(read, name, f"{name} := {node_text(read)}", name))
            elif _comma_ok(read):
                name = self.names.fresh(base, scope)
                ok = self.names.fresh(base.removesuffix("Val") + "OK", scope)
                out.append(
                    _Hoist(read, name, f"{name}, {ok} := {node_text(read)}", f"{name}, {ok}")
                )
            else:
                name = self.names.fresh(base, scope)
                out.append(_Hoist(read, name, f"{name} := {node_text(read)}", name))
        return out

    def _declared_inside(self, node: Node, stmt: Node) -> bool:
        """Whether an identifier of ``node`` is declared by ``stmt`` itself (its header)."""
        scopes = self.conc.facts.scopes
        for ident in [node, *_walk_no_literals(node)]:
            if ident.type != "identifier":
                continue
            decl = scopes.declaration(ident)
            if decl is not None and _inside(decl.node, stmt):
                return True
        return False

    def _read_node(self, a: Access) -> Node | None:
        if a.what == "index" and a.node.type == "index_expression":
            return a.node
        if a.what == "len":
            return a.node
        return None

    def _own_lines(self, file: ParsedFile, stmt: Node) -> None:
        data = file.source.data
        start = file.source.line_start(stmt.start_byte)
        if data[start : stmt.start_byte].strip(b" \t"):
            raise Refused("the statement shares its line with other code")
        end = file.source.line_end(stmt.end_byte - 1)
        rest = data[stmt.end_byte : end].strip()
        if rest and not rest.startswith(b"//"):
            raise Refused("the statement shares its line with other code")

    # Merging and edits ----------------------------------------------------------------

    def _merge(self, regions: list[_Region], locks: dict[int, str]) -> list[_Region]:
        regions.sort(key=lambda r: (r.file.path, r.first.start_byte))
        out: list[_Region] = []
        for r in regions:
            prev = out[-1] if out else None
            if (
                prev is not None
                and prev.wraps
                and not prev.tail_reads
                and r.wraps
                and not r.hoisted_calls
                and prev.file.path == r.file.path
                and locks[id(prev)] == locks[id(r)]
                and _next_statement(prev.last) == r.first
            ):
                prev.last = r.last
                prev.write = prev.write or r.write
                prev.unlock_before.extend(r.unlock_before)
                continue
            if (
                prev is not None
                and prev.wraps
                and not prev.tail_reads
                and r.hoisted_reads
                and not r.hoisted_calls
                and prev.file.path == r.file.path
                and locks[id(prev)] == locks[id(r)]
                and _next_statement(prev.last) == r.first
            ):
                prev.tail_reads = r.hoisted_reads
                continue
            out.append(r)
        return out

    def _edits(self, region: _Region, lock: str, rw: bool) -> list[Edit]:
        file = region.file
        source = file.source
        indent = source.indent_at(region.first.start_byte).decode()
        start = source.line_start(region.first.start_byte)
        end = source.line_end(region.last.end_byte - 1)
        acquire, release = ("Lock", "Unlock") if region.write or not rw else ("RLock", "RUnlock")
        edits: list[Edit] = []
        if region.hoisted_reads:
            lines = [f"{lock}.{acquire}()"]
            lines.extend(h.text for h in region.hoisted_reads)
            lines.append(f"{lock}.{release}()")
            text = "".join(f"{indent}{line}\n" for line in lines)
            edits.append(Edit(file.path, start, start, text.encode()))
            for h in region.hoisted_reads:
                edits.append(
                    Edit(file.path, h.node.start_byte, h.node.end_byte, h.replacement.encode())
                )
            return edits
        lines = [h.text for h in region.hoisted_calls]
        lines.append(f"{lock}.{acquire}()")
        text = "".join(f"{indent}{line}\n" for line in lines)
        edits.append(Edit(file.path, start, start, text.encode()))
        for h in region.hoisted_calls:
            edits.append(
                Edit(file.path, h.node.start_byte, h.node.end_byte, h.replacement.encode())
            )
        tail = "".join(f"{indent}{h.text}\n" for h in region.tail_reads)
        edits.append(Edit(file.path, end, end, f"{tail}{indent}{lock}.{release}()\n".encode()))
        for h in region.tail_reads:
            edits.append(
                Edit(file.path, h.node.start_byte, h.node.end_byte, h.replacement.encode())
            )
        for ret in region.unlock_before:
            at = source.line_start(ret.start_byte)
            ret_indent = source.indent_at(ret.start_byte).decode()
            edits.append(Edit(file.path, at, at, f"{ret_indent}{lock}.{release}()\n".encode()))
        return edits


# Helpers ------------------------------------------------------------------------------------


def _merge_same_offset(edits: Iterable[Edit]) -> list[Edit]:
    """One edit per insertion point (several inserts at one offset, in a fixed order)."""
    inserts: dict[tuple[str, int], list[Edit]] = defaultdict(list)
    out: list[Edit] = []
    for e in edits:
        if e.start == e.end:
            inserts[(e.path, e.start)].append(e)
        else:
            out.append(e)
    for (path, at), group in inserts.items():
        # Unlock lines (ending the previous region) before lock lines of the next one.
        unique = list(dict.fromkeys(group))
        unique.sort(key=lambda e: 0 if b"Unlock()" in e.text.split(b"\n")[0] else 1)
        out.append(Edit(path, at, at, b"".join(e.text for e in unique)))
    return sorted(out)


def _inside(node: Node, container: Node) -> bool:
    return container.start_byte <= node.start_byte and node.end_byte <= container.end_byte


def _statement_of(node: Node) -> Node | None:
    """The statement holding ``node`` that is an element of a statement list."""
    current: Node | None = node
    while current is not None and current.parent is not None:
        if current.parent.type == "statement_list":
            return current
        if current.type in FUNCTION_NODES:
            return None
        current = current.parent
    return None


def _function_of(node: Node) -> Node | None:
    current = node.parent
    while current is not None and current.type not in FUNCTION_NODES:
        current = current.parent
    return current


def _all_nodes(node: Node) -> Iterable[Node]:
    stack = list(reversed(node.children))
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


def _walk_no_literals(node: Node) -> Iterable[Node]:
    stack = list(reversed(node.children))
    while stack:
        current = stack.pop()
        yield current
        if current.type == "func_literal":
            continue
        stack.extend(reversed(current.children))


def _labels(loop: Node, label: str) -> bool:
    """Whether ``label`` names ``loop`` or a statement inside it."""
    parent = loop.parent
    if parent is not None and parent.type == "labeled_statement":
        name = parent.child_by_field_name("label")
        if name is not None and node_text(name) == label:
            return True
    for node in _walk_no_literals(loop):
        if node.type == "labeled_statement":
            name = node.child_by_field_name("label")
            if name is not None and node_text(name) == label:
                return True
    return False


def _in_if_header(node: Node, stmt: Node) -> bool:
    """In the initialiser or condition of ``stmt`` (or of an else-if of it)."""
    return not _in_if_body(node, stmt)


def _in_if_body(node: Node, stmt: Node) -> bool:
    """Inside a block of ``stmt``'s branches (consequence, else, else-if blocks)."""
    current: Node | None = stmt
    while current is not None and current.type == "if_statement":
        for name in ("consequence", "alternative"):
            branch = current.child_by_field_name(name)
            if branch is not None and branch.type == "block" and _inside(node, branch):
                return True
        alt = current.child_by_field_name("alternative")
        current = alt if alt is not None and alt.type == "if_statement" else None
    return False


def _jumps_out(jump: Node, region: Node) -> bool:
    """Whether a break/continue/goto leaves ``region``."""
    label = next((c for c in jump.named_children if c.type == "label_name"), None)
    if jump.type == "goto_statement":
        return True
    if label is not None:
        return not _labels(region, node_text(label)) or _label_is(region, node_text(label))
    wanted = (
        ("for_statement",)
        if jump.type == "continue_statement"
        else (
            "for_statement",
            "expression_switch_statement",
            "type_switch_statement",
            "select_statement",
        )
    )
    current = jump.parent
    while current is not None and current != region:
        if current.type in wanted:
            return False
        current = current.parent
    return True


def _label_is(stmt: Node, label: str) -> bool:
    parent = stmt.parent
    if parent is not None and parent.type == "labeled_statement":
        name = parent.child_by_field_name("label")
        return name is not None and node_text(name) == label
    return False


def _next_statement(stmt: Node) -> Node | None:
    sibling = stmt.next_named_sibling
    while sibling is not None and sibling.type == "comment":
        sibling = sibling.next_named_sibling
    return sibling


def _conditional(node: Node, stmt: Node) -> bool:
    """Whether ``node`` is evaluated only on some paths of ``stmt`` (&&, ||, else-if, case)."""
    current = node
    while current != stmt and current.parent is not None:
        parent = current.parent
        if parent.type == "binary_expression":
            op = parent.child_by_field_name("operator")
            right = parent.child_by_field_name("right")
            if op is not None and node_text(op) in ("&&", "||") and right == current:
                return True
        if parent.type == "if_statement" and parent.child_by_field_name("alternative") == current:
            return True
        if parent.type in ("expression_case", "type_case", "default_case"):
            return True
        current = parent
    return False


def _atomic_read(read: Node, a: Access) -> bool:
    """A read whose hoisting cannot panic: identifier or literal key, simple owner."""
    if read.type != "index_expression":
        return True
    index = read.child_by_field_name("index")
    if index is None:
        return False
    for n in [index, *_walk_no_literals(index)]:
        if n.is_named and n.type not in (
            "identifier",
            "int_literal",
            "interpreted_string_literal",
            "interpreted_string_literal_content",
            "raw_string_literal",
            "raw_string_literal_content",
            "rune_literal",
            "true",
            "false",
        ):
            return False
    return a.owner is None or "." not in a.owner


def _in_loop_header_once(node: Node, loop: Node) -> bool:
    """In a range expression or a for-clause initialiser (evaluated once)."""
    for child in loop.named_children:
        if child.type == "range_clause":
            right = child.child_by_field_name("right")
            return right is not None and _inside(node, right)
        if child.type == "for_clause":
            init = child.child_by_field_name("initializer")
            return init is not None and _inside(node, init)
    return False


def _comma_ok(read: Node) -> bool:
    parent = read.parent
    if parent is None or parent.type != "expression_list" or len(parent.named_children) != 1:
        return False
    stmt = parent.parent
    if stmt is None:
        return False
    if stmt.type in ("short_var_declaration", "assignment_statement"):
        left = stmt.child_by_field_name("left")
        return (
            left is not None
            and len(left.named_children) == 2
            and stmt.child_by_field_name("right") == parent
        )
    if stmt.type == "var_spec":
        return len(stmt.children_by_field_name("name")) == 2
    return False


def _multi_value(call: Node) -> bool:
    parent = call.parent
    if parent is None or parent.type != "expression_list" or len(parent.named_children) != 1:
        return False
    stmt = parent.parent
    if stmt is None or stmt.type not in ("assignment_statement", "short_var_declaration"):
        return False
    left = stmt.child_by_field_name("left")
    return left is not None and len(left.named_children) > 1


def _has_calls(stmt: Node) -> bool:
    """Calls other than builtins and conversions to basic types."""
    return any(
        n.type == "call_expression" and not is_trivial_call(n, ()) for n in _walk_no_literals(stmt)
    )


def _in_key(call: Node, stmt: Node) -> bool:
    """In the key of the written entry (``m[key] = v``, ``delete(m, key)``)."""
    current = call
    while current.parent is not None and current != stmt:
        parent = current.parent
        if parent.type == "index_expression" and parent.child_by_field_name("index") == current:
            return True
        if parent.type == "argument_list" and parent.parent is not None:
            fn = parent.parent.child_by_field_name("function")
            if fn is not None and node_text(fn) == "delete":
                args = call_args(parent.parent)
                return len(args) == 2 and args[1] == current
        current = parent
    return False


def _has_func_literal_arg(call: Node) -> bool:
    return any(a.type == "func_literal" for a in call_args(call))


def _value_name(a: Access) -> str:
    """``itemsVal`` for ``c.items``: names of hoisted locals start with the map's name."""
    expr = a.expr
    if expr.type == "selector_expression":
        name_node = expr.child_by_field_name("field")
        base = node_text(name_node) if name_node is not None else "m"
    else:
        base = node_text(expr)
    base = base[:1].lower() + base[1:]
    return f"{base}Val"


def _file_imports(conc: Concurrency, node: Node) -> list[str] | None:
    root = node
    while root.parent is not None:
        root = root.parent
    for f in conc.files:
        if f.root == root:
            return [spec.local_name for spec in f.imports]
    return None


def _nodes(node: Node, kinds: frozenset[str]) -> list[Node]:
    return nodes_of_types(kinds, node)
