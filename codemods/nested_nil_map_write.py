"""GMF202 nested-nil-map-write.

``mm[a][b] = v`` on a map of maps panics when ``mm[a]`` is missing (or holds a nil map):
reading a missing key yields the zero value of the inner map type, which is nil. The fix
gets or creates the inner map first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tree_sitter import Node

from gomapfix.codemod import MAP_EVIDENCE, Codemod, FileContext
from gomapfix.facts.package import type_of_initializer
from gomapfix.facts.store import PackageFacts
from gomapfix.finding import Finding
from gomapfix.fix import Applicability
from gomapfix.layout import align_comments
from gomapfix.parse import node_text
from gomapfix.query import file_nodes, index_kinds
from gomapfix.syntax import expr_key, has_comments, is_pure, walk

from .nil_map_write import (
    PANIC,
    FunctionIndex,
    TypeText,
    declaring_field,
    function_index,
    in_statement_list,
    make_shadowed,
    struct_params_in_scope,
    type_text_problem,
    unparen,
    use_kind,
    write_statement,
)

_CONSTANT_BUILTINS = frozenset({"len", "cap", "min", "max", "real", "imag", "complex"})


class NestedNilMapWrite(Codemod):
    """
    What it finds:
        A write through a map of maps, ``mm[a][b] = v`` (also ``++``, ``--`` and
        ``op=``), where ``mm``'s value type is visibly a map (``map[A]map[B]V``, or named
        map types declared in the package), and nothing earlier in the function gets or
        creates ``mm[a]``: no assignment ``mm[a] = ...``, no ``mm[a] == nil`` test, no
        ``_, ok := mm[a]``, no other use of ``mm[a]`` itself, and ``a`` is not the key of
        a ``range`` over ``mm`` around the write.

        Left alone as well, because the write most likely relies on an invariant: a
        map that gets inner maps elsewhere (an earlier ``mm[x] = ...`` with any key in
        the function, such as a loop creating one per node; for a struct field or a
        package variable, such an insertion anywhere in the package), and a variable
        built from a non-empty literal (``{"a": {}, "b": {}}``).

    Why it is a hazard:
        Reading a missing key returns the zero value of the value type, and the zero
        value of a map type is nil. So ``mm[a]`` is a nil map for every new ``a``, and
        writing into it panics with "assignment to entry in nil map". (Reading
        ``mm[a][b]`` or deleting from it is fine: reads of a nil map return the zero
        value and ``delete`` on a nil map is a no-op.)

    Example:
        perUser[user][page]++

    Fixed:
        inner := perUser[user]
        if inner == nil {
            inner = make(map[string]int)
            perUser[user] = inner
        }
        inner[page]++

        This deliberately tests ``inner == nil`` rather than the ``inner, ok := mm[a];
        if !ok`` form: the nil test also covers a key that is present but holds a nil
        inner map (stored explicitly, or decoded from JSON ``null``), on which the
        comma-ok form would still panic. When the key has side effects (a call, a
        receive) it is bound once first (``key := next()``) so that it is still
        evaluated exactly once, before the rest of the statement, as before.

    Fix safety:
        safe when the key ``a`` is free of side effects, or can be bound once to a
        variable with its own type (a call of a declared function, a receive, an index
        or a type assertion); unsafe otherwise (a constant-valued expression such as
        ``x/2`` whose type could change if bound: the fix then evaluates it twice).
        No fix when the map expression ``mm`` is not a plain variable or field path (a
        call or an index, which the fix would evaluate again), when the write is
        in a statement header or a select case, in a function using ``goto`` (the new
        ``:=`` could be jumped over), or when the inner map type as written cannot be
        named in this file.

    Minimum Go:
        any (the fix uses only ``make`` and a nil comparison).
    """

    code = "GMF202"
    name = "nested-nil-map-write"
    summary = "mm[a][b] = v on a map of maps without creating the inner map mm[a] first."
    family = "nil maps"
    requires = ("package model", "scopes")
    trigger_tokens = (b"[",)
    package_pattern = MAP_EVIDENCE

    def visit_function_declaration(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        yield from self._function(ctx, node)

    def visit_method_declaration(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        yield from self._function(ctx, node)

    def visit_func_literal(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        # Only outermost literals have an index: nested ones belong to their function.
        yield from self._function(ctx, node)

    def _function(self, ctx: FileContext, fn: Node) -> Iterator[Finding]:
        if not _may_write_nested(ctx):
            return
        index = function_index(ctx, fn)
        if index is None:
            return
        taken: set[str] = set()
        reported: list[tuple[str, Node]] = []
        for target, stmt in index.writes:
            found = _candidate(ctx, target)
            if found is None:
                continue
            mm, a, outer = found
            key = f"{expr_key(mm)}[{expr_key(a)}]"
            if _created_before(index, key, stmt):
                continue
            if _ranged_key(mm, a, stmt):
                continue
            if _literal_init(ctx, index, mm):
                continue
            if _inserted_elsewhere(ctx, index, mm, stmt):
                continue
            if is_pure(a) and any(
                _dominates(prev, stmt) and not _reassigned(index, mm, a, prev, stmt)
                for k, prev in reported
                if k == key
            ):
                continue
            reported.append((key, stmt))
            yield _finding(ctx, index, target, stmt, mm, a, outer, taken)


_NESTED_INDEX = re.compile(rb"\](?:\s++|\)|//[^\n]*+|/\*(?:[^*]|\*(?!/))*+\*/)*+\[")
"""``]`` then ``[`` with only white space, ``)`` and comments between: the tokens of
``mm[a][b]`` (or ``(mm[a])[b]``) around the inner ``]``. Possessive quantifiers: the
pieces cannot overlap, and backtracking into comments would make a search quadratic."""


def _may_write_nested(ctx: FileContext) -> bool:
    """Whether the file's text can hold ``mm[a][b]`` at all (cached per file).

    Most files cannot, and for them the function index (a query over the whole file)
    is not worth building.
    """
    memo: dict[str, bool] = ctx.facts.cached("nested-nil-map-write/may-nest", lambda _f: {})
    found = memo.get(ctx.path)
    if found is None:
        found = _NESTED_INDEX.search(ctx.data) is not None
        memo[ctx.path] = found
    return found


def _candidate(ctx: FileContext, target: Node) -> tuple[Node, Node, Node] | None:
    """(mm, a, mm[a]) when ``target`` is ``mm[a][b]`` and mm's values are maps."""
    operand = target.child_by_field_name("operand")
    if operand is None:
        return None
    outer = unparen(operand)
    if outer.type != "index_expression":
        return None
    mm_node = outer.child_by_field_name("operand")
    a = outer.child_by_field_name("index")
    if mm_node is None or a is None:
        return None
    mm = unparen(mm_node)
    model = ctx.facts.model
    mtype = ctx.facts.scopes.map_type(mm)
    if mtype is None or mtype.elem is None or model.map_type(mtype.elem) is None:
        return None
    return mm, a, outer


def _created_before(index: FunctionIndex, key: str, stmt: Node) -> bool:
    """Any earlier use of ``mm[a]`` itself (not as ``mm[a][x]``): an assignment, a nil
    or comma-ok test, a call... Conservatively taken as a get-or-create."""
    for node in index.index_exprs:
        if node.start_byte >= stmt.start_byte:
            break
        operand = node.child_by_field_name("operand")
        index_node = node.child_by_field_name("index")
        if operand is None or index_node is None:
            continue
        if f"{expr_key(unparen(operand))}[{expr_key(index_node)}]" != key:
            continue
        parent = node.parent
        while parent is not None and parent.type == "parenthesized_expression":
            parent = parent.parent
        if parent is not None and parent.type == "index_expression":
            inner_operand = parent.child_by_field_name("operand")
            if inner_operand is not None and unparen(inner_operand) == node:
                continue  # mm[a][x]: a read or write through it creates nothing
        return True
    return False


def _inserted_elsewhere(ctx: FileContext, index: FunctionIndex, mm: Node, stmt: Node) -> bool:
    """Inner maps are put into ``mm`` somewhere: ``mm[x] = ...`` earlier in the function
    (any key: a loop creating every inner map, as in ``for _, n := range nodes {
    g.edges[n] = ... }``), or, for a field or package variable, anywhere in the package.
    The write then most likely relies on that invariant; stay silent."""
    target = expr_key(mm)
    for node, write in index.writes:
        if write.start_byte >= stmt.start_byte:
            break
        operand = node.child_by_field_name("operand")
        if operand is not None and expr_key(unparen(operand)) == target:
            return True
    writes = outer_writes(ctx.facts)
    if mm.type == "selector_expression":
        fname = mm.child_by_field_name("field")
        return fname is not None and "." + node_text(fname) in writes
    if mm.type == "identifier":
        decl = ctx.facts.scopes.declaration(mm)
        return decl is not None and decl.kind == "package_var" and node_text(mm) in writes
    return False


def outer_writes(facts: PackageFacts) -> frozenset[str]:
    """``.f`` for every ``x.f[k] = ...`` and ``v`` for every ``v[k] = ...`` in the package."""
    result: frozenset[str] = facts.cached("nested-nil-map-write/outer-writes", _outer_writes)
    return result


_INDEX_EXPRESSION = frozenset({"index_expression"})
index_kinds(_INDEX_EXPRESSION)


def _outer_writes(facts: PackageFacts) -> frozenset[str]:
    out: set[str] = set()
    for parsed in facts.model.files:
        for node in file_nodes(parsed, _INDEX_EXPRESSION):
            if write_statement(node) is None:
                continue
            operand = node.child_by_field_name("operand")
            if operand is None:
                continue
            operand = unparen(operand)
            if operand.type == "selector_expression":
                fname = operand.child_by_field_name("field")
                if fname is not None:
                    out.add("." + node_text(fname))
            elif operand.type == "identifier":
                out.add(node_text(operand))
    return frozenset(out)


def _ranged_key(mm: Node, a: Node, stmt: Node) -> bool:
    """``for a := range mm { mm[a][b] = v }``: a is a key present in mm."""
    node = stmt.parent
    while node is not None:
        if node.type == "for_statement":
            for clause in node.named_children:
                if clause.type != "range_clause":
                    continue
                left = clause.child_by_field_name("left")
                right = clause.child_by_field_name("right")
                if left is None or right is None or not left.named_children:
                    continue
                if expr_key(unparen(right)) == expr_key(mm) and expr_key(
                    left.named_children[0]
                ) == expr_key(a):
                    return True
        node = node.parent
    return False


def _literal_init(ctx: FileContext, index: FunctionIndex, mm: Node) -> bool:
    """``mm`` is a variable given a non-empty composite literal (``{"x": {}}``): its keys
    may well be exactly the ones written."""
    if mm.type != "identifier":
        return False
    name = node_text(mm)
    values: list[Node] = []
    decl = ctx.facts.scopes.declaration(mm)
    if decl is not None and decl.statement is not None:
        value = decl.statement.child_by_field_name("value")
        if value is None:
            value = decl.statement.child_by_field_name("right")
        if value is not None:
            values.extend(value.named_children)
    for ident in index.identifiers.get(name, []):
        parent = ident.parent
        holder = parent.parent if parent is not None else None
        if (
            parent is not None
            and parent.type == "expression_list"
            and holder is not None
            and holder.type == "assignment_statement"
            and holder.child_by_field_name("left") == parent
        ):
            right = holder.child_by_field_name("right")
            if right is not None:
                values.extend(right.named_children)
    for value in values:
        value = unparen(value)
        if value.type == "composite_literal":
            body = value.child_by_field_name("body")
            if body is not None and body.named_children:
                return True
    return False


def _dominates(prev: Node, stmt: Node) -> bool:
    """``prev`` runs before ``stmt`` whenever ``stmt`` runs: ``stmt`` is in the same
    statement list after it, or nested in a later statement of that list."""
    container = prev.parent
    if container is None or container.type != "statement_list":
        return False
    return (
        container.start_byte <= stmt.start_byte
        and stmt.end_byte <= container.end_byte
        and stmt.start_byte > prev.start_byte
    )


def _reassigned(index: FunctionIndex, mm: Node, a: Node, start: Node, end: Node) -> bool:
    """A variable of ``mm`` or ``a`` is assigned (or its address taken) between the
    statements: the same text may then name another inner map."""
    names = {node_text(n) for n in (mm, a, *walk(mm), *walk(a)) if n.type == "identifier"}
    for name in names:
        for ident in index.identifiers.get(name, []):
            if start.start_byte <= ident.start_byte < end.start_byte and use_kind(ident) in (
                "assign",
                "addr",
            ):
                return True
    return False


def _bindable(a: Node) -> bool:
    """``key := a`` gives key the type a has in ``mm[a]`` (a is not an untyped constant)."""
    node = unparen(a)
    if node.type == "call_expression":
        fn = node.child_by_field_name("function")
        if fn is not None and fn.type == "identifier" and node_text(fn) in _CONSTANT_BUILTINS:
            return False
        if fn is not None and fn.type in ("parenthesized_type", "parenthesized_expression"):
            return False  # a conversion to a type we cannot see: may be a constant
        return fn is not None and fn.type in ("identifier", "selector_expression")
    if node.type == "unary_expression":
        op = node.child_by_field_name("operator")
        return op is not None and node_text(op) in ("<-", "*")
    return node.type in ("index_expression", "type_assertion_expression")


@dataclass(frozen=True)
class _Origin:
    map_node: Node
    text: TypeText


def _inner_type(ctx: FileContext, index: FunctionIndex, mm: Node) -> TypeText | None:
    """The inner map type as written in mm's declaration, with where it was written."""
    origin = _map_type_node(ctx, index, mm)
    if origin is None:
        return None
    value = origin.map_node.child_by_field_name("value")
    if value is None:
        return None
    text = node_text(value)
    if "\n" in text or has_comments(value):
        return None
    t = origin.text
    return TypeText(text, t.origin, t.local, t.params)


def _map_type_node(ctx: FileContext, index: FunctionIndex, mm: Node) -> _Origin | None:
    model = ctx.facts.model
    scopes = ctx.facts.scopes
    node: Node | None = None
    tt: TypeText
    if mm.type == "identifier":
        decl = scopes.declaration(mm)
        if decl is None or decl.statement is None:
            return None
        stmt = decl.statement
        if decl.kind == "package_var":
            info = model.vars.get(decl.name)
            if info is None:
                return None
            node = _declared_type_node(stmt, decl.node)
            tt = TypeText("", info.file, local=False)
        elif decl.kind in ("param", "receiver", "result"):
            if stmt.type != "parameter_declaration":
                return None
            node = stmt.child_by_field_name("type")
            tt = TypeText("", ctx.file, local=True)
        elif decl.kind in ("var", "short_var"):
            node = _declared_type_node(stmt, decl.node)
            tt = TypeText("", ctx.file, local=True)
        else:
            return None
    elif mm.type == "selector_expression":
        owner = mm.child_by_field_name("operand")
        fname = mm.child_by_field_name("field")
        if owner is None or fname is None:
            return None
        owner_type = scopes.type_of(unparen(owner))
        fdecl = declaring_field(model, owner_type, node_text(fname))
        if fdecl is None:
            return None
        node = fdecl.type_node
        params = struct_params_in_scope(ctx, index.fn, fdecl.struct, owner_type)
        tt = TypeText("", fdecl.struct.file, local=False, params=params)
    else:
        return None
    for _ in range(10):
        if node is None:
            return None
        if node.type == "parenthesized_type" and node.named_children:
            node = node.named_children[0]
            continue
        if node.type == "map_type":
            return _Origin(node, tt)
        if node.type != "type_identifier":
            return None
        name = node_text(node)
        if tt.local and name in index.local_types:
            return None
        type_info = model.types.get(name)
        if type_info is None or type_info.node.child_by_field_name("type_parameters") is not None:
            return None
        node = type_info.node.child_by_field_name("type")
        tt = TypeText("", type_info.file, local=False)
    return None


def _declared_type_node(stmt: Node, name_node: Node) -> Node | None:
    declared = stmt.child_by_field_name("type")
    if declared is not None:
        return declared
    value = stmt.child_by_field_name("value") or stmt.child_by_field_name("right")
    names = stmt.children_by_field_name("name")
    if not names:
        left = stmt.child_by_field_name("left")
        names = left.named_children if left is not None else []
    if value is None:
        return None
    values = [v for v in value.named_children if v.type != "comment"]
    if len(values) != len(names):
        return None
    for name, val in zip(names, values, strict=True):
        if name.start_byte == name_node.start_byte:
            return _initializer_type_node(val)
    return None


def _initializer_type_node(expr: Node) -> Node | None:
    expr = unparen(expr)
    if type_of_initializer(expr).kind == "unknown":
        return None
    if expr.type == "composite_literal":
        return expr.child_by_field_name("type")
    if expr.type == "call_expression":
        args = expr.child_by_field_name("arguments")
        fn = expr.child_by_field_name("function")
        if fn is not None and node_text(fn) == "make" and args is not None and args.named_children:
            return args.named_children[0]
    return None


def _fresh(ctx: FileContext, base: str, fn: Node, taken: set[str]) -> str:
    name = ctx.unique_name(base, fn)
    if name not in taken:
        taken.add(name)
        return name
    used = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", node_text(fn))) | taken
    model = ctx.facts.model
    used |= set(model.vars) | set(model.funcs) | set(model.types)
    n = 1
    candidate = base
    while candidate in used:
        n += 1
        candidate = f"{base}{n}"
    taken.add(candidate)
    return candidate


def _finding(
    ctx: FileContext,
    index: FunctionIndex,
    target: Node,
    stmt: Node,
    mm: Node,
    a: Node,
    outer: Node,
    taken: set[str],
) -> Finding:
    mm_text = ctx.text(mm)
    a_text = ctx.text(a)
    message = (
        f"{mm_text}[{a_text}] is nil for a new key (a missing key reads as a nil inner "
        f"map) and nothing earlier in this function creates it: {PANIC}"
    )
    problem = _fix_problem(ctx, index, stmt, mm, a)
    inner_type: TypeText | None = None
    if problem is None:
        inner_type = _inner_type(ctx, index, mm)
        if inner_type is None:
            problem = "the inner map type is not visible as written in a declaration"
        else:
            why = type_text_problem(ctx, inner_type, index)
            if why is not None:
                problem = why
    if problem is not None or inner_type is None:
        return ctx.report(target, f"{message} (no fix: {problem})")
    indent = ctx.indent(stmt)
    applicability = Applicability.SAFE
    note = None
    lines: list[str] = []
    declared: list[str] = []
    key_text = a_text
    if not is_pure(a):
        if _bindable(a):
            key_name = _fresh(ctx, "key", index.fn, taken)
            declared.append(key_name)
            lines.append(f"{key_name} := {a_text}")
            key_text = key_name
        else:
            applicability = Applicability.UNSAFE
            note = f"the key {a_text} has side effects and is now evaluated twice"
    inner = _fresh(ctx, "inner", index.fn, taken)
    declared.append(inner)
    data = ctx.data
    # The written mm[a] becomes inner; so do the other reads of mm[a] in the statement
    # (``mm[a][b] = append(mm[a][b], x)``) when a is evaluated without side effects.
    spans = [outer]
    if is_pure(a):
        key = f"{expr_key(mm)}[{expr_key(a)}]"
        for node in walk(stmt):
            if node.type != "index_expression" or node == outer:
                continue
            if any(_contains(span, node) or _contains(node, span) for span in spans):
                continue
            operand = node.child_by_field_name("operand")
            index_node = node.child_by_field_name("index")
            if operand is None or index_node is None:
                continue
            if f"{expr_key(unparen(operand))}[{expr_key(index_node)}]" == key:
                spans.append(node)
    pieces: list[str] = []
    pos = stmt.start_byte
    for span in sorted(spans, key=lambda n: n.start_byte):
        pieces.append(data[pos : span.start_byte].decode())
        pieces.append(inner)
        pos = span.end_byte
    pieces.append(data[pos : stmt.end_byte].decode())
    last = "".join(pieces)
    lines += [
        f"{inner} := {mm_text}[{key_text}]",
        f"if {inner} == nil {{",
        f"\t{inner} = make({inner_type.text})",
        f"\t{mm_text}[{key_text}] = {inner}",
        "}",
        last,
    ]
    text = ("\n" + indent).join(lines)
    fix = ctx.fix(
        f"Get or create {mm_text}[{a_text}] before writing into it",
        align_comments(ctx.file, [ctx.replace(stmt, text)]),
        applicability,
        note,
        declares=declared,
        scope=index.fn,
    )
    return ctx.report(target, message, fix)


def _contains(outer: Node, inner: Node) -> bool:
    return outer.start_byte <= inner.start_byte and inner.end_byte <= outer.end_byte


def _fix_problem(
    ctx: FileContext, index: FunctionIndex, stmt: Node, mm: Node, a: Node
) -> str | None:
    if stmt.type not in ("assignment_statement", "inc_statement", "dec_statement") or (
        not in_statement_list(stmt)
    ):
        return "the write is not a plain statement of a block (a header or a select case)"
    if stmt.type == "assignment_statement":
        left = stmt.child_by_field_name("left")
        if left is None or len([c for c in left.named_children if c.type != "comment"]) != 1:
            return "the statement assigns several targets"
    if not is_pure(mm):
        return (
            f"the map expression {ctx.text(mm)} is not a plain variable or field path "
            "(a call or an index), and the fix would evaluate it again"
        )
    if "\n" in ctx.text(mm) or "\n" in ctx.text(a):
        return "the expression spans several lines"
    if has_comments(mm):
        return "the map expression holds a comment"
    if index.has_goto:
        return "the function uses goto, which may jump over the new variable"
    if make_shadowed(ctx, index):
        return "make is redeclared in this package or function"
    if any(n.type == "func_literal" for n in walk(a)):
        return "the key holds a function literal"
    return None
