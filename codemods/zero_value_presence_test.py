"""GMF502 zero-value-presence-test."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tree_sitter import Node

from gomapfix.codemod import MAP_EVIDENCE, Codemod, FileContext, enclosing_function
from gomapfix.facts.store import PackageFacts
from gomapfix.finding import Finding
from gomapfix.fix import Applicability, Fix
from gomapfix.gotypes import NUMERIC_TYPES
from gomapfix.parse import ParsedFile
from gomapfix.query import file_nodes, index_kinds, nodes_of_types
from gomapfix.syntax import TERMINATORS, call_name, statements, walk

from ._zero_values import index_parts, outer_function, same_bindings, scoped_name, unparen

# Evidence that the map holds a zero value, strongest first.
COUNTED = 3
"""A store of a value counted from 0: a slice index from ``range``, a ``for i := 0``
counter, a ``len()``. Zero is then an ordinary value that nobody chose to mean "absent"."""
LITERAL = 2
"""A store of a literal zero (``m[k] = 0``, ``nil``, a zero in a map literal): zero is a
deliberate value, so only set-if-absent (which overwrites it) is clearly wrong."""
WEAK = 1
"""A store of a value that may be zero: a variable, a call, arithmetic. Not enough: such
values are non-zero by the program's invariants far more often than not."""
NONE = 0

_ZERO_TEXTS = {
    "0": "number",
    "0.0": "number",
    "0.": "number",
    "0x0": "number",
    "00": "number",
    '""': "string",
    "``": "string",
    "false": "bool",
    "nil": "nil",
}
# A function named as a presence query: hasX, Contains, exists, isKnown... (a word
# boundary after the prefix, so that "hash" or "hasher" is not read as "has").
_PRESENCE_NAME = re.compile(
    r"^(?:has|contains|exists|known|present|isKnown|isSet|isPresent|isDefined|isRegistered)"
    r"(?:[A-Z0-9_]|$)"
)

MapId = tuple[str, ...]


@dataclass(frozen=True)
class _Store:
    node: Node
    strength: int


class ZeroValuePresenceTest(Codemod):
    """
    What it finds:
        ``m[k] == zero`` or ``m[k] != zero`` (``0``, ``""``, ``false``, ``nil``) used as
        a presence test on a map that visibly stores that zero value. Both must be seen:

        - the comparison is used as a presence test: the whole condition of an ``if``
          that inserts ``m[k]`` when "absent" (set-if-absent), that leaves (``return``,
          ``continue``, ``break``, ``panic``) when "absent", or that runs its block when
          ``!=`` ("present"); or the whole result of a function named like a presence
          query (``has``, ``contains``, ``exists``...);
        - the map's zero value is visibly a stored value. Stores are collected over the
          package for the same map (the same local variable, package variable, or field
          of the same struct type). For set-if-absent, one store of a literal zero
          (``m[k] = 0``, ``= ""``, ``= nil``, ``= false``, or a zero in the map literal
          that initialises it) is enough, since the insert overwrites that deliberate
          value. For the other shapes the map must store a value counted from zero: a
          slice or string index from ``range``, a ``for i := 0`` counter, a ``len()``
          (``index[name] = i``, ``ids[s] = len(ids)``); there 0 is an ordinary value
          that nobody chose to mean "absent".

        Maps whose stores are all non-zero (``seen[k] = true``, ``count[k]++``,
        ``m[k] = &T{}``, ``ids[s] = len(ids) + 1``) are never reported: for them the zero
        value really does mean "absent", and the test is correct. Stores of variables or
        call results are not taken as evidence: they are non-zero by the program's
        invariants far more often than not (measured on the standard library).

    Why it is a hazard:
        A missing key reads as the zero value, so ``m[k] == 0`` cannot tell "absent"
        from "present with value 0". When 0 is a real value (index 0 of a slice, an
        empty string, an explicit ``nil``), a present entry is treated as missing:
        set-if-absent overwrites it, lookup-or-fail rejects it, and ``!= 0`` skips it.
        The classic case is an index map whose first element has index 0.

    Example:
        for i, name := range names {
            index[name] = i
        }
        if index[name] == 0 {
            return fmt.Errorf("unknown name %q", name)
        }

    Fixed:
        if _, ok := index[name]; !ok {
            return fmt.Errorf("unknown name %q", name)
        }

        (``if m[k] != 0 {`` becomes ``if _, ok := m[k]; ok {``; uses of ``m[k]`` inside
        the block are left as they are and keep their meaning.)

    Fix safety:
        unsafe: a present key whose value is the zero value now counts as present. That
        is usually the bug being fixed, but code may rely on "zero means unset" (for
        example after ``m[k] = 0`` to reset), so a human must confirm. The fix is offered
        only when the comparison is the whole condition of an ``if`` without an
        initialiser; other shapes are reported without a fix.

    Minimum Go:
        any.
    """

    code = "GMF502"
    name = "zero-value-presence-test"
    summary = "m[k] compared with the zero value as a presence test on a map that stores it."
    family = "zero values"
    default_enabled = True
    requires = ("scopes",)
    trigger_tokens = (b"==", b"!=")
    package_pattern = MAP_EVIDENCE

    def visit_index_expression(self, ctx: FileContext, index: Node) -> Iterator[Finding]:
        # The comparison is found from its ``m[k]`` side: index expressions are several
        # times fewer than binary expressions (``err != nil`` alone outnumbers them), and
        # each comparison has one index side that ``_comparison`` picks.
        outer = index.parent
        while outer is not None and outer.type == "parenthesized_expression":
            outer = outer.parent
        if outer is None or outer.type != "binary_expression":
            return
        parsed = _comparison(outer)
        if parsed is None or parsed[0] != index:
            return
        yield from self._comparison_found(ctx, outer, index, parsed[2])

    def _comparison_found(
        self, ctx: FileContext, node: Node, index: Node, op: str
    ) -> Iterator[Finding]:
        operand, key = index_parts(index) or (None, None)
        if operand is None or key is None:
            return
        mtype = ctx.facts.scopes.map_type(operand)
        if mtype is None:
            return
        shape = _shape(ctx, node, index, op)
        if shape is None:
            return
        identity = map_identity(ctx, operand)
        if identity is None:
            return
        stores = list(_stores(ctx, identity, operand))  # a copy: the index is shared
        if shape == "set-if-absent":
            body_store = _body_store(ctx, node, index)
            if body_store is not None:
                stores.append(_Store(body_store, _value_strength(ctx, body_store)))
        needed = LITERAL if shape == "set-if-absent" else COUNTED
        evidence = [s for s in stores if s.strength >= needed]
        if not evidence:
            return
        m, k, z = ctx.text(operand), ctx.text(key), ctx.text(_zero_side(node, index))
        consequence = {
            "set-if-absent": "taken as absent and overwritten",
            "exit-if-absent": "taken as absent",
            "presence-query": "reported as absent" if op == "==" else "reported as missing",
            "use-if-present": "skipped",
        }[shape]
        message = (
            f"{m}[{k}] {op} {z} used as a presence test, but {m} stores the zero value: "
            f"a present entry holding {z} is {consequence}"
        )
        # Related locations can only point into this file (the engine gives them its path).
        here = sorted(
            {s.node.start_byte: s for s in evidence if _in_file(ctx, s.node)}.values(),
            key=lambda s: s.node.start_byte,
        )
        related = [ctx.related(s.node, "stores a zero value here") for s in here[:3]]
        yield ctx.report(node, message, _fix(ctx, node, op, m, k), related)


def _in_file(ctx: FileContext, node: Node) -> bool:
    root = node
    while root.parent is not None:
        root = root.parent
    return root == ctx.file.root


def _comparison(node: Node) -> tuple[Node, str, str] | None:
    op_node = node.child_by_field_name("operator")
    # An operator token's type is its text: comparing types builds no bytes objects.
    if op_node is None or op_node.type not in ("==", "!="):
        return None
    left = unparen(node.child_by_field_name("left"))
    right = unparen(node.child_by_field_name("right"))
    if left is None or right is None:
        return None
    op = op_node.type
    for index, other in ((left, right), (right, left)):
        if index.type != "index_expression":
            continue
        kind = zero_literal_kind(other)
        if kind is not None:
            return index, kind, op
    return None


def _zero_side(node: Node, index: Node) -> Node:
    left = node.child_by_field_name("left")
    right = node.child_by_field_name("right")
    assert left is not None and right is not None
    return right if unparen(left) == index else left


def zero_literal_kind(node: Node) -> str | None:
    """``number``, ``string``, ``bool`` or ``nil`` for a zero literal, else None."""
    if node.type not in (
        "int_literal",
        "float_literal",
        "interpreted_string_literal",
        "raw_string_literal",
        "false",
        "nil",
    ):
        return None
    text = node.text.decode() if node.text is not None else ""
    if text in _ZERO_TEXTS:
        return _ZERO_TEXTS[text]
    if node.type in ("int_literal", "float_literal"):
        try:
            return (
                "number"
                if float(int(text, 0) if node.type == "int_literal" else text) == 0
                else None
            )
        except ValueError:
            return None
    return None


# The presence-test shapes -----------------------------------------------------------------


def _shape(ctx: FileContext, node: Node, index: Node, op: str) -> str | None:
    parent = node.parent
    while parent is not None and parent.type == "parenthesized_expression":
        parent = parent.parent
    if parent is None:
        return None
    if parent.type == "if_statement" and _is_condition(parent, node):
        if op == "!=":
            return "use-if-present"
        if _body_store(ctx, node, index) is not None:
            return "set-if-absent"
        body = statements(parent.child_by_field_name("consequence"))
        if body and _exits(body[-1]):
            return "exit-if-absent"
        return None
    if (
        parent.type == "expression_list"
        and parent.parent is not None
        and parent.parent.type == "return_statement"
        and len(parent.named_children) == 1
    ):
        fn = enclosing_function(node)
        name = fn.child_by_field_name("name") if fn is not None else None
        if name is not None and name.text is not None:
            text = name.text.decode()
            if _PRESENCE_NAME.match(text[:1].lower() + text[1:]):
                return "presence-query"
    return None


def _is_condition(if_stmt: Node, node: Node) -> bool:
    cond = if_stmt.child_by_field_name("condition")
    return unparen(cond) == node


def _exits(stmt: Node) -> bool:
    if stmt.type in TERMINATORS and stmt.type != "fallthrough_statement":
        return True
    if stmt.type == "expression_statement" and stmt.named_children:
        call = stmt.named_children[0]
        name = call_name(call)
        return name in ("panic", "Fatal", "Fatalf", "Exit")
    return False


def _body_store(ctx: FileContext, node: Node, index: Node) -> Node | None:
    """The value assigned to the same ``m[k]`` in the ``if`` block, for set-if-absent."""
    if_stmt = node.parent
    while if_stmt is not None and if_stmt.type == "parenthesized_expression":
        if_stmt = if_stmt.parent
    if if_stmt is None or if_stmt.type != "if_statement":
        return None
    block = if_stmt.child_by_field_name("consequence")
    if block is None:
        return None
    operand, key = index_parts(index) or (None, None)
    if operand is None or key is None:
        return None
    for n in walk(block, skip_func_literals=True):
        if n.type != "assignment_statement":
            continue
        left = n.child_by_field_name("left")
        right = n.child_by_field_name("right")
        targets = left.named_children if left is not None else []
        values = right.named_children if right is not None else []
        for i, target in enumerate(targets):
            parts = index_parts(unparen(target) or target)
            if parts is None:
                continue
            if same_bindings(ctx, parts[0], operand) and same_bindings(ctx, parts[1], key):
                if len(values) == len(targets):
                    return n if _op(n) != "=" else values[i]
                return n
    return None


def _op(stmt: Node) -> str:
    op = stmt.child_by_field_name("operator")
    return op.text.decode() if op is not None and op.text is not None else "="


# Which map is it, and what does it store? ------------------------------------------------


def map_identity(ctx: FileContext, expr: Node) -> MapId | None:
    """A key naming the map variable across the package: a local, a package var, a field."""
    return _identity(ctx.facts, expr)


def _identity(facts: PackageFacts, expr: Node) -> MapId | None:
    expr = unparen(expr) or expr
    if expr.type == "identifier":
        decl = facts.scopes.declaration(expr)
        if decl is None:
            return None
        if decl.kind == "package_var":
            return ("pkg", decl.name)
        # Locals are only compared within their own function, hence their own file.
        return ("local", decl.name, str(decl.node.start_byte))
    if expr.type == "selector_expression":
        owner = expr.child_by_field_name("operand")
        field = expr.child_by_field_name("field")
        if owner is None or field is None or field.text is None:
            return None
        t = facts.scopes.type_of(owner)
        if t.kind == "pointer" and t.elem is not None:
            t = t.elem
        if t.kind == "named" and t.qualifier is None and t.name:
            return ("field", t.name, field.text.decode())
    return None


def _stores(ctx: FileContext, identity: MapId, operand: Node) -> list[_Store]:
    if identity[0] == "local":
        fn = outer_function(operand)
        if fn is None:
            return []
        per_function: dict[Node, list[tuple[MapId, _Store]]] = ctx.facts.cached(
            "gmf502.local_stores", lambda _f: {}
        )
        found = per_function.get(fn)
        if found is None:
            found = _collect(ctx.facts, [nodes_of_types(_STORE_KINDS, fn)])
            per_function[fn] = found
        return [store for ident, store in found if ident == identity]
    index: _PackageStores = ctx.facts.cached("gmf502.stores", _PackageStores)
    return index.stores(identity)


class _PackageStores:
    """The stores into package maps and fields, by map: a file is read when it spells
    the name of the map asked for (a store names it), so that most files are never
    searched for stores, and files read only for facts mostly go unparsed. The order of
    a map's stores does not matter: they are filtered and sorted by position."""

    def __init__(self, facts: PackageFacts) -> None:
        self._facts = facts
        self._by_map: dict[MapId, list[_Store]] = {}
        self._unread = list(facts.model.files)

    def _add(self, files: list[ParsedFile]) -> None:
        for ident, store in _collect(self._facts, [file_nodes(f, _STORE_KINDS) for f in files]):
            if ident[0] != "local":
                self._by_map.setdefault(ident, []).append(store)

    def stores(self, identity: MapId) -> list[_Store]:
        if self._unread:
            name = identity[-1].encode()
            naming = [f for f in self._unread if name in f.source.data]
            if naming:
                self._unread = [f for f in self._unread if name not in f.source.data]
                self._add(naming)
        return self._by_map.get(identity, [])


_STORE_KINDS = frozenset(
    {"assignment_statement", "dec_statement", "short_var_declaration", "var_spec"}
)
index_kinds(_STORE_KINDS)


def _collect(facts: PackageFacts, groups: list[list[Node]]) -> list[tuple[MapId, _Store]]:
    """The stores among ``groups`` (nodes of ``_STORE_KINDS`` in document order, found by
    a query, far faster than a Python walk over every node)."""
    out: list[tuple[MapId, _Store]] = []
    for group in groups:
        for n in group:
            kind = n.type
            if kind == "assignment_statement":
                left = n.child_by_field_name("left")
                right = n.child_by_field_name("right")
                targets = left.named_children if left is not None else []
                values = right.named_children if right is not None else []
                op = _op(n)
                for i, target in enumerate(targets):
                    parts = index_parts(unparen(target) or target)
                    if parts is None:
                        continue
                    ident = _identity(facts, parts[0])
                    if ident is None:
                        continue
                    if op == "=" and len(values) == len(targets):
                        strength = _strength(facts, values[i])
                    elif op == "+=" and len(values) == 1 and _positive_literal(values[0]):
                        strength = NONE
                    else:
                        strength = WEAK
                    out.append((ident, _Store(n, strength)))
            elif kind == "dec_statement" and n.named_children:
                parts = index_parts(unparen(n.named_children[0]) or n.named_children[0])
                if parts is not None:
                    ident = _identity(facts, parts[0])
                    if ident is not None:
                        out.append((ident, _Store(n, WEAK)))
            elif kind in ("short_var_declaration", "var_spec"):
                out.extend(_literal_stores(facts, n))
    return out


def _literal_stores(facts: PackageFacts, decl: Node) -> list[tuple[MapId, _Store]]:
    """Zero values in a map literal that initialises a variable."""
    if decl.type == "short_var_declaration":
        left = decl.child_by_field_name("left")
        right = decl.child_by_field_name("right")
        names = left.named_children if left is not None else []
    else:
        names = decl.children_by_field_name("name")
        right = decl.child_by_field_name("value")
    values = right.named_children if right is not None else []
    out: list[tuple[MapId, _Store]] = []
    for name, value in zip(names, values, strict=False):
        value = unparen(value) or value
        if value.type != "composite_literal":
            continue
        vtype = value.child_by_field_name("type")
        if vtype is None or vtype.type != "map_type":
            continue
        ident = _identity(facts, name)
        if ident is None:
            continue
        body = value.child_by_field_name("body")
        for elem in body.named_children if body is not None else []:
            if elem.type != "keyed_element" or len(elem.named_children) < 2:
                continue
            v = elem.named_children[-1]
            if v.type == "literal_element" and v.named_children:
                v = v.named_children[0]
            if zero_literal_kind(v) is not None:
                out.append((ident, _Store(elem, LITERAL)))
    return out


def _positive_literal(node: Node) -> bool:
    if node.type != "int_literal" or node.text is None:
        return False
    try:
        return int(node.text.decode().replace("_", ""), 0) > 0
    except ValueError:
        return False


def _value_strength(ctx: FileContext, value: Node) -> int:
    if value.type in ("assignment_statement", "inc_statement", "dec_statement"):
        return WEAK
    return _strength(ctx.facts, value)


def _strength(facts: PackageFacts, value: Node) -> int:
    value = unparen(value) or value
    kind = value.type
    if zero_literal_kind(value) is not None:
        return LITERAL
    if kind in (
        "int_literal",
        "float_literal",
        "rune_literal",
        "imaginary_literal",
        "interpreted_string_literal",
        "raw_string_literal",
        "true",
        "composite_literal",
        "func_literal",
    ):
        return NONE
    if kind == "binary_expression":
        op = value.child_by_field_name("operator")
        right = unparen(value.child_by_field_name("right"))
        if op is not None and op.text == b"+" and right is not None and _positive_literal(right):
            return NONE  # n + 1: an id scheme that keeps 0 free
        return WEAK
    if kind == "unary_expression":
        op = value.child_by_field_name("operator")
        if op is not None and op.text == b"&":
            return NONE
        return WEAK
    if kind == "call_expression":
        name = call_name(value)
        fn = value.child_by_field_name("function")
        if fn is None or fn.type != "identifier" or facts.scopes.declaration(fn) is not None:
            return WEAK
        args = value.child_by_field_name("arguments")
        arg_nodes = args.named_children if args is not None else []
        if name in NUMERIC_TYPES and len(arg_nodes) == 1:
            return _strength(facts, arg_nodes[0])  # a conversion: int32(len(x))
        if name in ("new", "make"):
            return NONE
        if name == "len":
            return COUNTED
        return WEAK
    if kind == "identifier":
        decl = facts.scopes.declaration(value)
        if decl is None:
            return NONE  # a constant or a function: not a variable that may be zero
        if _counts_from_zero(facts, decl.statement, decl.node):
            return COUNTED
        return WEAK
    return WEAK


def _counts_from_zero(facts: PackageFacts, statement: Node | None, name: Node) -> bool:
    """A slice or array index from ``range``, or a ``for i := 0; ...`` counter."""
    if statement is None:
        return False
    if statement.type == "range_clause":
        left = statement.child_by_field_name("left")
        right = statement.child_by_field_name("right")
        if left is None or right is None or not left.named_children:
            return False
        if left.named_children[0] != name:
            return False
        t = facts.scopes.type_of(right)
        resolved = facts.model.underlying(t)
        return (
            resolved.kind in ("slice", "array")
            or (resolved.kind == "basic" and resolved.name in ("int", "string"))
            or right.type == "int_literal"
        )
    if statement.type == "short_var_declaration":
        parent = statement.parent
        if parent is None or parent.type != "for_clause":
            return False
        if parent.child_by_field_name("initializer") != statement:
            return False
        right = statement.child_by_field_name("right")
        values = right.named_children if right is not None else []
        return (
            len(values) == 1
            and values[0].type == "int_literal"
            and zero_literal_kind(values[0]) is not None
        )
    return False


# The fix ----------------------------------------------------------------------------------


def _fix(ctx: FileContext, node: Node, op: str, m: str, k: str) -> Fix | None:
    parent = node.parent
    if parent is None or parent.type != "if_statement":
        return None
    if parent.child_by_field_name("initializer") is not None:
        return None
    if parent.child_by_field_name("condition") != node:
        return None
    fn = enclosing_function(node)
    if fn is None:
        return None
    ok, unique = scoped_name(ctx, "ok", parent, fn)
    test = f"!{ok}" if op == "==" else ok
    return ctx.fix(
        f"Test presence with the comma-ok form: _, {ok} := {m}[{k}]",
        [ctx.replace(node, f"_, {ok} := {m}[{k}]; {test}")],
        Applicability.UNSAFE,
        "a present entry holding the zero value now counts as present",
        declares=(ok,) if unique else (),
        scope=fn if unique else None,
    )
