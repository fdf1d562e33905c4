"""Recognising ``sync.Map`` values and calls, shared by the sync.Map rules (GMF7xx).

gomapfix has no type checker: an expression is a ``sync.Map`` only when visible
declarations say so (a package variable, struct field, parameter or local declared as
``sync.Map``/``*sync.Map``, through package-local aliases, or a package struct embedding
``sync.Map`` whose methods of interest are the promoted ones).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from tree_sitter import Node

from gomapfix.codemod import FileContext
from gomapfix.gotypes import UNKNOWN, GoType, type_from_node
from gomapfix.parse import node_text
from gomapfix.syntax import call_args

_DEFAULT_METHODS = ("Load", "Delete", "LoadAndDelete")
_LITERALS = {
    "int_literal": "int",
    "float_literal": "float64",
    "imaginary_literal": "complex128",
    "rune_literal": "rune",
    "interpreted_string_literal": "string",
    "raw_string_literal": "string",
    "true": "bool",
    "false": "bool",
}


def sync_names(ctx: FileContext) -> frozenset[str]:
    """Local names under which the package's files import "sync" (and nothing else)."""
    names = {ctx.file.import_name("sync")}
    for parsed in ctx.facts.model.files:
        names.add(parsed.import_name("sync"))
    names.discard(None)
    for parsed in ctx.facts.model.files:
        for spec in parsed.imports:
            if spec.path != "sync" and spec.local_name in names:
                names.discard(spec.local_name)
    return frozenset(n for n in names if n is not None)


def is_sync_map(ctx: FileContext, expr: Node, methods: Iterable[str] = _DEFAULT_METHODS) -> bool:
    """Whether ``expr`` is visibly a ``sync.Map`` (or pointer to one, or an embedder).

    ``methods`` are the method names the caller relies on: an embedding struct that
    declares any of them itself (method or field) is not taken as a ``sync.Map``.
    """
    t = ctx.facts.scopes.type_of(expr)
    return is_sync_map_type(ctx, t) or embeds_sync_map(ctx, t, methods)


def embeds_sync_map(ctx: FileContext, t: GoType, methods: Iterable[str] = _DEFAULT_METHODS) -> bool:
    """A package struct embedding ``sync.Map`` whose ``methods`` are the promoted ones."""
    base = t.elem if t.kind == "pointer" and t.elem is not None else t
    if base.kind != "named" or base.qualifier is not None or base.name is None:
        return False
    struct = ctx.facts.model.struct_of(base)
    if struct is None or "Map" not in struct.embedded:
        return False
    own = ctx.facts.model.methods.get(base.name, {})
    if any(n in own or struct.field(n) is not None for n in methods):
        return False
    embedded_type = struct.field("Map")
    return embedded_type is not None and is_sync_map_type(ctx, embedded_type)


def is_sync_map_type(ctx: FileContext, start: GoType) -> bool:
    t: GoType | None = start
    if t is not None and t.kind == "pointer":
        t = t.elem
    seen: set[str] = set()
    while t is not None and t.kind == "named" and t.qualifier is None and t.name:
        info = ctx.facts.model.types.get(t.name)
        if info is None or not info.alias or t.name in seen:
            return False
        seen.add(t.name)
        t = info.type
    if t is None or t.kind != "named" or t.name != "Map":
        return False
    return t.qualifier is not None and t.qualifier in sync_names(ctx)


class MethodCall(NamedTuple):
    call: Node
    receiver: Node
    """The ``sm`` of ``sm.Method(...)``."""
    method: str
    args: list[Node]


def method_call(node: Node | None, *names: str) -> MethodCall | None:
    """``sm.M(args)`` with ``M`` among ``names`` (any name when none are given)."""
    if node is None or node.type != "call_expression":
        return None
    fn = node.child_by_field_name("function")
    if fn is None or fn.type != "selector_expression":
        return None
    field = fn.child_by_field_name("field")
    operand = fn.child_by_field_name("operand")
    if field is None or operand is None:
        return None
    method = node_text(field)
    if names and method not in names:
        return None
    return MethodCall(node, operand, method, call_args(node))


def statement_call(stmt: Node | None, *names: str) -> MethodCall | None:
    """The method call of an expression statement ``sm.M(args)``."""
    if stmt is None or stmt.type != "expression_statement" or not stmt.named_children:
        return None
    return method_call(stmt.named_children[0], *names)


def map_identity(ctx: FileContext, expr: Node) -> tuple[str, ...] | None:
    """Which sync.Map ``expr`` is, package-wide, as far as declarations show.

    A package variable is itself; a struct field is every instance's field of that
    struct type (``("field", "T", "f")``); a struct embedding ``sync.Map`` is its
    ``Map`` field; a local or parameter is its declaration. None when not visible.
    """
    scopes = ctx.facts.scopes
    t = scopes.type_of(expr)
    if embeds_sync_map(ctx, t, ()):
        base = t.elem if t.kind == "pointer" and t.elem is not None else t
        return ("field", base.name or "", "Map")
    while expr.type == "parenthesized_expression" and expr.named_children:
        expr = expr.named_children[0]
    if expr.type == "unary_expression":
        op = expr.child_by_field_name("operator")
        operand = expr.child_by_field_name("operand")
        if op is not None and node_text(op) in ("&", "*") and operand is not None:
            return map_identity(ctx, operand)
        return None
    if expr.type == "identifier":
        decl = scopes.declaration(expr)
        if decl is None:
            return None
        if decl.kind == "package_var":
            return ("var", decl.name)
        return ("local", decl.name, str(decl.node.start_byte), ctx.path)
    if expr.type == "selector_expression":
        operand = expr.child_by_field_name("operand")
        field = expr.child_by_field_name("field")
        if operand is None or field is None:
            return None
        owner = scopes.type_of(operand)
        base = owner.elem if owner.kind == "pointer" and owner.elem is not None else owner
        if base.kind == "named" and base.qualifier is None and base.name:
            return ("field", base.name, node_text(field))
    return None


def value_type(ctx: FileContext, expr: Node, depth: int = 0) -> GoType:
    """The visible type of a value expression (conversions, assertions, func values...)."""
    scopes = ctx.facts.scopes
    while expr.type == "parenthesized_expression" and expr.named_children:
        expr = expr.named_children[0]
    kind = expr.type
    if kind in _LITERALS:
        return GoType(kind="basic", text=_LITERALS[kind], name=_LITERALS[kind])
    if kind == "func_literal":
        return GoType(kind="func", text="func")
    if kind in ("type_conversion_expression", "type_assertion_expression"):
        return type_from_node(expr.child_by_field_name("type"))
    if kind == "call_expression":
        fn = expr.child_by_field_name("function")
        args = expr.child_by_field_name("arguments")
        if fn is not None and fn.type == "identifier" and fn.text == b"append" and args:
            first = [a for a in args.named_children if a.type != "comment"]
            if first and depth < 4:
                return value_type(ctx, first[0], depth + 1)
        if (
            fn is not None
            and fn.type == "identifier"
            and fn.text in (b"len", b"cap", b"copy")
            and scopes.declaration(fn) is None
            and node_text(fn) not in ctx.facts.model.funcs
        ):
            return GoType(kind="basic", text="int", name="int")
        if fn is not None and fn.type == "identifier" and scopes.declaration(fn) is None:
            # A package function with a single unnamed result: its result type.
            info = ctx.facts.model.funcs.get(node_text(fn))
            result = info.node.child_by_field_name("result") if info is not None else None
            if result is not None and result.type != "parameter_list":
                return type_from_node(result)
    if kind == "identifier":
        decl = scopes.declaration(expr)
        if decl is None:
            name = node_text(expr)
            if name in ctx.facts.model.funcs:
                return GoType(kind="func", text="func")
            return UNKNOWN
        if decl.type.kind != "unknown" or depth >= 4:
            return decl.type
        stmt = decl.statement
        if stmt is not None and stmt.type == "short_var_declaration":
            left = stmt.child_by_field_name("left")
            right = stmt.child_by_field_name("right")
            if left is not None and right is not None:
                lefts, rights = left.named_children, right.named_children
                if len(lefts) == len(rights) and decl.node in lefts:
                    return value_type(ctx, rights[lefts.index(decl.node)], depth + 1)
        return decl.type
    return scopes.type_of(expr)
