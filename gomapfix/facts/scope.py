"""Which declaration an identifier refers to, and the type it visibly has.

Lexical scoping only: the innermost declaration of the name that precedes the use, in an
enclosing block, statement header (if/for/switch initialisers, range clauses), function
signature or receiver, and then the package. That is exactly Go's rule for locals; it
stays silent (UNKNOWN) where Go would need imports or a type checker to answer.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from typing import Any, Final

from tree_sitter import Node

from gomapfix.facts.package import PackageModel, type_of_initializer
from gomapfix.gotypes import UNKNOWN, GoType, type_from_node
from gomapfix.parse import go_language, node_text

_INT = GoType(kind="basic", text="int", name="int")
_RUNE = GoType(kind="basic", text="rune", name="rune")
FUNCTION_NODES = frozenset({"function_declaration", "method_declaration", "func_literal"})
_SCOPE_NODES = frozenset(
    {
        "statement_list",
        "expression_case",
        "default_case",
        "type_case",
        "communication_case",
        "if_statement",
        "expression_switch_statement",
        "type_switch_statement",
        "for_statement",
        *FUNCTION_NODES,
    }
)
"""The nodes that can declare a name for their children (see Scopes._declared_in)."""
_SCOPE_KIND_IDS = frozenset(
    i
    for i in range(go_language().node_kind_count)
    if go_language().node_kind_for_id(i) in _SCOPE_NODES
)
"""The symbols named as _SCOPE_NODES (all of them, should a name have several): a node's
``kind_id`` is read without making a string, and ``type`` is its symbol's name."""
_DECLARING_STATEMENTS = frozenset({"labeled_statement", "short_var_declaration", "var_declaration"})
"""The statements _statement_names finds names in."""
_UNSET: Final[Any] = object()
"""Not in a memo yet (a cached answer may be None): ``dict.get`` with it as the default
is cheaper than a KeyError on the many first lookups."""


@dataclass(frozen=True)
class Declaration:
    name: str
    kind: str
    """param, receiver, result, var, short_var, range_key, range_value, package_var."""
    node: Node
    """The identifier node that declares the name."""
    type: GoType
    statement: Node | None = None
    """The declaring statement or spec (var_spec, short_var_declaration, range clause)."""


class Scopes:
    """Name resolution and visible types for one file of a package."""

    def __init__(self, package: PackageModel) -> None:
        self.package = package
        self._declarations: dict[Node, Declaration | None] = {}
        self._list_names: dict[Node, dict[str, list[Node]]] = {}
        self._visible: dict[tuple[Node, str], Declaration | None] = {}
        """(child of a scope node, name) -> what the walk up from that child finds."""
        self._above: dict[Node, tuple[Node, Node] | None] = {}
        """Scope node -> the next scope node up and its child on the way (None: the top)."""
        self._signatures: dict[Node, dict[str, Declaration | tuple[str, Node, Node]]] = {}
        """Function node -> the names its receiver, parameters and results declare."""
        self._types: dict[Node, GoType] = {}
        """Expression -> type_of(expression) as asked from outside (depth 0)."""
        self._may_declare: dict[Node, Container[str]] = {}
        """Scope node -> every name _declared_in could find in it (and maybe more)."""

    # Declarations -------------------------------------------------------------------

    def declaration(self, ident: Node) -> Declaration | None:
        # Every rule asks about the same identifiers (and type_of recurses through
        # them): the trees do not change while this object lives, so answer once.
        found = self._declarations.get(ident, _UNSET)
        if found is _UNSET:
            found = self._declarations[ident] = self._declaration(ident)
        return found  # type: ignore[no-any-return]

    def _declaration(self, ident: Node) -> Declaration | None:
        """Walk up from ``ident`` asking each scope node on the way (see _declared_in).

        What the walk finds above a node depends only on that node and the name, so the
        answer is remembered at every child of a scope node it passes: the next
        identifier of the same name in that subtree stops there. The way up from one
        scope node to the next is remembered too (``Node.parent`` costs a descent from
        the root), and so is which names each scope node may declare (_names_in): most
        of those on the way do not declare the name and are passed at a set lookup.
        """
        data = ident.text  # node_text, inline: this runs for every identifier asked
        name = data.decode("utf-8", "replace") if data is not None else ""
        visible = self._visible
        above = self._above
        passed: list[tuple[Node, str]] = []
        step = _scope_above(ident)
        while step is not None:
            node, child = step
            key = (child, name)
            found = visible.get(key, _UNSET)
            if found is not _UNSET:
                break
            passed.append(key)
            names = self._may_declare.get(node)
            if names is None:
                names = self._may_declare[node] = self._names_in(node)
            if name in names:  # most scope nodes on the way declare other names only
                found = self._declared_in(node, child, name)
                if found is not None:
                    break
            step = above.get(node, _UNSET)
            if step is _UNSET:
                step = above[node] = _scope_above(node)
        else:
            found = self._package_declaration(name)
        for key in passed:
            visible[key] = found
        return found  # type: ignore[no-any-return]

    def _package_declaration(self, name: str) -> Declaration | None:
        info = self.package.vars.get(name)
        if info is None:
            return None
        name_node = next(
            (n for n in info.node.children_by_field_name("name") if node_text(n) == name),
            info.node,
        )
        return Declaration(name, "package_var", name_node, info.type, info.node)

    def _names_in(self, node: Node) -> Container[str]:
        """A superset of the names ``_declared_in(node, child, name)`` finds for any
        child: the walk up skips the scope nodes not declaring the name at a set lookup,
        where _declared_in re-read their headers on every walk."""
        kind = node.type
        if kind == "statement_list" or kind in ("expression_case", "default_case", "type_case"):
            return self._declaring_statements(node)
        if kind == "communication_case":
            names = set(self._declaring_statements(node))
            comm = node.child_by_field_name("communication")
            if comm is not None and comm.type == "receive_statement":
                left = comm.child_by_field_name("left")
                if left is not None:
                    names.update(node_text(n) for n in left.named_children)
            return names
        if kind in ("if_statement", "expression_switch_statement", "type_switch_statement"):
            init = node.child_by_field_name("initializer")
            names = _statement_names(init) if init is not None else set()
            alias = node.child_by_field_name("alias") if kind == "type_switch_statement" else None
            if alias is not None:
                names.update(node_text(n) for n in alias.named_children)
            return names
        if kind == "for_statement":
            names = set()
            for header in node.named_children:
                if header.type == "range_clause":
                    left = header.child_by_field_name("left")
                    if left is not None:
                        names.update(node_text(n) for n in left.named_children)
                elif header.type == "for_clause":
                    init = header.child_by_field_name("initializer")
                    if init is not None:
                        names |= _statement_names(init)
            return names
        if kind in FUNCTION_NODES:
            return self._signature_names_of(node)
        return ()

    def _declared_in(self, node: Node, child: Node, name: str) -> Declaration | None:
        kind = node.type
        if kind == "statement_list" or kind in (
            "expression_case",
            "default_case",
            "type_case",
            "communication_case",
        ):
            best: Declaration | None = None
            # The last statement before ``child`` that declares the name wins.
            limit = child.start_byte
            for stmt in reversed(self._declaring_statements(node).get(name, ())):
                if stmt.start_byte < limit:
                    best = self._declared_by_statement(stmt, name)
                    break
            if kind == "communication_case":
                comm = node.child_by_field_name("communication")
                if comm is not None and comm.type == "receive_statement" and comm != child:
                    left = comm.child_by_field_name("left")
                    if left is not None and _names(left, name):
                        return best or Declaration(
                            name, "short_var", _names(left, name)[0], UNKNOWN, comm
                        )
            return best
        if kind in ("if_statement", "expression_switch_statement", "type_switch_statement"):
            init = node.child_by_field_name("initializer")
            if init is not None and init != child:
                found = self._declared_by_statement(init, name)
                if found is not None:
                    return found
            if kind == "type_switch_statement":
                alias = node.child_by_field_name("alias")
                if alias is not None and child.type == "type_case" and _names(alias, name):
                    return Declaration(name, "short_var", _names(alias, name)[0], UNKNOWN, node)
            return None
        if kind == "for_statement":
            for header in node.named_children:
                if header == child:
                    continue
                if header.type == "range_clause":
                    return self._range_declaration(header, name)
                if header.type == "for_clause":
                    init = header.child_by_field_name("initializer")
                    if init is not None and init != child:
                        return self._declared_by_statement(init, name)
            return None
        if kind in FUNCTION_NODES:
            return self._signature_declaration(node, name)
        return None

    def _declaring_statements(self, block: Node) -> dict[str, list[Node]]:
        """Name -> the statements of ``block`` declaring it, in order (built once)."""
        index = self._list_names.get(block)
        if index is None:
            index = {}
            for stmt in block.named_children:
                if stmt.type in _DECLARING_STATEMENTS:  # most statements declare nothing
                    for name in _statement_names(stmt):
                        index.setdefault(name, []).append(stmt)
            self._list_names[block] = index
        return index

    def _declared_by_statement(self, stmt: Node, name: str) -> Declaration | None:
        kind = stmt.type
        if kind == "labeled_statement":
            inner = stmt.named_children[-1] if stmt.named_children else None
            return self._declared_by_statement(inner, name) if inner is not None else None
        if kind == "short_var_declaration":
            left = stmt.child_by_field_name("left")
            right = stmt.child_by_field_name("right")
            if left is None:
                return None
            lefts = left.named_children
            rights = right.named_children if right is not None else []
            for i, ident in enumerate(lefts):
                if node_text(ident) == name:
                    vtype = self._type_of_value(rights[i]) if len(rights) == len(lefts) else UNKNOWN
                    return Declaration(name, "short_var", ident, vtype, stmt)
            return None
        if kind == "var_declaration":
            for spec in _specs(stmt):
                names = spec.children_by_field_name("name")
                for i, ident in enumerate(names):
                    if node_text(ident) == name:
                        declared = spec.child_by_field_name("type")
                        if declared is not None:
                            vtype = type_from_node(declared)
                        else:
                            value = spec.child_by_field_name("value")
                            vals = value.named_children if value is not None else []
                            vtype = (
                                self._type_of_value(vals[i]) if len(vals) == len(names) else UNKNOWN
                            )
                        return Declaration(name, "var", ident, vtype, spec)
            return None
        return None

    def _range_declaration(self, clause: Node, name: str) -> Declaration | None:
        left = clause.child_by_field_name("left")
        if left is None or not any(c.type == ":=" for c in clause.children):
            return None
        idents = left.named_children
        right = clause.child_by_field_name("right")
        key, value = self._range_types(right) if right is not None else (UNKNOWN, UNKNOWN)
        for i, ident in enumerate(idents):
            if node_text(ident) == name:
                return Declaration(
                    name,
                    "range_key" if i == 0 else "range_value",
                    ident,
                    key if i == 0 else value,
                    clause,
                )
        return None

    def _range_types(self, expr: Node) -> tuple[GoType, GoType]:
        """The key and value types a ``range`` over ``expr`` produces, where visible."""
        container = self.package.underlying(self.type_of(expr))
        if container.kind == "pointer" and container.elem is not None:
            pointee = self.package.underlying(container.elem)
            if pointee.kind == "array":
                container = pointee
        if container.kind == "map":
            return container.key or UNKNOWN, container.elem or UNKNOWN
        if container.kind in ("slice", "array"):
            return _INT, container.elem or UNKNOWN
        if container.kind == "basic" and container.name == "string":
            return _INT, _RUNE
        if container.kind == "chan":
            return container.elem or UNKNOWN, UNKNOWN
        return UNKNOWN, UNKNOWN

    def _signature_declaration(self, fn: Node, name: str) -> Declaration | None:
        names = self._signature_names_of(fn)
        found = names.get(name)
        if found is None or isinstance(found, Declaration):
            return found
        kind, ident, param = found
        ptype = type_from_node(param.child_by_field_name("type"))
        if param.type == "variadic_parameter_declaration":
            ptype = GoType(kind="slice", text="[]" + ptype.text, elem=ptype)
        declaration = Declaration(name, kind, ident, ptype, param)
        names[name] = declaration
        return declaration

    def _signature_names_of(self, fn: Node) -> dict[str, Declaration | tuple[str, Node, Node]]:
        names = self._signatures.get(fn)
        if names is None:
            names = self._signatures[fn] = self._signature_names(fn)
        return names

    @staticmethod
    def _signature_names(fn: Node) -> dict[str, Declaration | tuple[str, Node, Node]]:
        """Name -> (kind, identifier, parameter) of its first declaration among ``fn``'s
        receiver, parameters and results.

        Built once per function: every identifier inside the function that is not a local
        asks it on its way to the package. The parameter's type is read when asked.
        """
        names: dict[str, Declaration | tuple[str, Node, Node]] = {}
        for field_name, kind in (
            ("receiver", "receiver"),
            ("parameters", "param"),
            ("result", "result"),
        ):
            plist = fn.child_by_field_name(field_name)
            if plist is None or plist.type != "parameter_list":
                continue
            for param in plist.named_children:
                if param.type not in ("parameter_declaration", "variadic_parameter_declaration"):
                    continue
                for ident in param.children_by_field_name("name"):
                    names.setdefault(node_text(ident), (kind, ident, param))
        return names

    # Types --------------------------------------------------------------------------

    def _type_of_value(self, expr: Node) -> GoType:
        t = type_of_initializer(expr)
        if t.kind != "unknown":
            return t
        return self.type_of(expr)

    def type_of(self, expr: Node, _depth: int = 0) -> GoType:
        """The visible type of an expression, or UNKNOWN."""
        if _depth == 0:
            # Rules ask about the same expressions again and again; only the outermost
            # question is remembered, since a nested one may be cut short by the depth.
            t = self._types.get(expr)
            if t is None:
                t = self._types[expr] = self._type_of(expr, 0)
            return t
        return self._type_of(expr, _depth)

    def _type_of(self, expr: Node, _depth: int) -> GoType:
        if _depth > 12:
            return UNKNOWN
        kind = expr.type
        if kind == "identifier":
            decl = self.declaration(expr)
            return decl.type if decl is not None else UNKNOWN
        if kind == "parenthesized_expression":
            inner = expr.named_children
            return self._type_of(inner[0], _depth + 1) if inner else UNKNOWN
        if kind == "selector_expression":
            operand = expr.child_by_field_name("operand")
            field = expr.child_by_field_name("field")
            if operand is None or field is None:
                return UNKNOWN
            owner = self._type_of(operand, _depth + 1)
            ftype = self.package.field_type(owner, node_text(field))
            return ftype if ftype is not None else UNKNOWN
        if kind == "index_expression":
            operand = expr.child_by_field_name("operand")
            if operand is None:
                return UNKNOWN
            container = self.package.underlying(self._type_of(operand, _depth + 1))
            if container.kind in ("map", "slice", "array") and container.elem is not None:
                return container.elem
            if container.kind == "pointer" and container.elem is not None:
                pointee = self.package.underlying(container.elem)
                if pointee.kind == "array" and pointee.elem is not None:
                    return pointee.elem
            return UNKNOWN
        if kind == "unary_expression":
            op = expr.child_by_field_name("operator")
            operand = expr.child_by_field_name("operand")
            if op is not None and operand is not None and node_text(op) == "*":
                ptr = self.package.underlying(self._type_of(operand, _depth + 1))
                return ptr.elem if ptr.kind == "pointer" and ptr.elem is not None else UNKNOWN
        if kind == "call_expression":
            result = self._call_result(expr, _depth)
            if result is not None:
                return result
        return type_of_initializer(expr)

    def _call_result(self, call: Node, depth: int) -> GoType | None:
        """The single result type of a call to a function or method declared in the package."""
        fn = call.child_by_field_name("function")
        if fn is None:
            return None
        info = None
        if fn.type == "identifier":
            decl = self.declaration(fn)
            if decl is None:  # not shadowed by a local: a package-level function
                info = self.package.funcs.get(node_text(fn))
        elif fn.type == "selector_expression":
            operand = fn.child_by_field_name("operand")
            field = fn.child_by_field_name("field")
            if operand is not None and field is not None:
                owner = self._type_of(operand, depth + 1)
                base = owner.elem if owner.kind == "pointer" and owner.elem is not None else owner
                if base.kind == "named" and base.qualifier is None and base.name:
                    info = self.package.method(base.name, node_text(field))
        if info is None:
            return None
        result = info.node.child_by_field_name("result")
        if result is None:
            return None
        if result.type != "parameter_list":
            return type_from_node(result)
        params = [p for p in result.named_children if p.type == "parameter_declaration"]
        if len(params) == 1 and len(params[0].children_by_field_name("name")) <= 1:
            return type_from_node(params[0].child_by_field_name("type"))
        return None

    def map_type(self, expr: Node) -> GoType | None:
        """The map type of ``expr`` when visible, else None."""
        return self.package.map_type(self.type_of(expr))


def _scope_above(node: Node) -> tuple[Node, Node] | None:
    """The nearest scope node above ``node``, and its child on the way."""
    child = node
    parent = node.parent
    while parent is not None and parent.kind_id not in _SCOPE_KIND_IDS:
        child = parent
        parent = parent.parent
    return None if parent is None else (parent, child)


def _statement_names(stmt: Node) -> set[str]:
    """The names a statement of a block declares (what _declared_by_statement finds)."""
    kind = stmt.type
    if kind == "labeled_statement":
        inner = stmt.named_children[-1] if stmt.named_children else None
        return _statement_names(inner) if inner is not None else set()
    if kind == "short_var_declaration":
        left = stmt.child_by_field_name("left")
        return {node_text(n) for n in left.named_children} if left is not None else set()
    if kind == "var_declaration":
        return {node_text(n) for spec in _specs(stmt) for n in spec.children_by_field_name("name")}
    return set()


def _specs(decl: Node) -> list[Node]:
    out: list[Node] = []
    for child in decl.named_children:
        if child.type == "var_spec":
            out.append(child)
        elif child.type == "var_spec_list":
            out.extend(c for c in child.named_children if c.type == "var_spec")
    return out


def _names(expr_list: Node, name: str) -> list[Node]:
    return [n for n in expr_list.named_children if n.type == "identifier" and node_text(n) == name]
