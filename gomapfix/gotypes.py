"""Go types as far as visible declarations show them.

gomapfix has no type checker: a type is read from the syntax of a declaration in the same
file or package. Whatever cannot be seen is ``UNKNOWN``, and codemods must treat UNKNOWN
as "cannot prove", never as "fine".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tree_sitter import Node

from gomapfix.parse import node_text

NUMERIC_TYPES = frozenset(
    {
        "int",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "uintptr",
        "byte",
        "rune",
        "float32",
        "float64",
    }
)
"""Predeclared integer and floating-point types (complex ones apart)."""
CONVERTIBLE_BASIC_TYPES = NUMERIC_TYPES | {"complex64", "complex128", "bool", "string"}
"""Predeclared types whose conversion ``T(x)`` is a plain value computation."""
BASIC_TYPES = CONVERTIBLE_BASIC_TYPES | {"error", "any", "comparable"}
_IRREFLEXIVE_BASIC = frozenset({"float32", "float64", "complex64", "complex128", "any", "error"})


@dataclass(frozen=True)
class GoType:
    kind: str
    """map, named, pointer, slice, array, struct, interface, func, chan, basic, unknown."""
    text: str
    key: GoType | None = None
    elem: GoType | None = None
    """Map value, or the element of a pointer, slice, array or channel."""
    name: str | None = None
    """Named types: the name; ``qualifier`` is the package name when imported."""
    qualifier: str | None = None
    fields: tuple[tuple[str, GoType], ...] = ()
    """Struct fields; an embedded field is listed under its type's name."""
    embedded: tuple[str, ...] = ()

    @property
    def is_map(self) -> bool:
        return self.kind == "map"

    def field(self, name: str) -> GoType | None:
        for field_name, field_type in self.fields:
            if field_name == name:
                return field_type
        return None


UNKNOWN = GoType(kind="unknown", text="")

ResolveFn = Callable[[GoType], "GoType | None"]
"""A named type to its underlying type, or None when its declaration is not visible."""


def type_from_node(node: Node | None) -> GoType:
    if node is None:
        return UNKNOWN
    kind = node.type
    text = node_text(node)
    if kind == "parenthesized_type":
        inner = node.named_children
        return type_from_node(inner[0]) if inner else UNKNOWN
    if kind == "type_identifier":
        if text in BASIC_TYPES:
            return GoType(kind="basic", text=text, name=text)
        return GoType(kind="named", text=text, name=text)
    if kind == "qualified_type":
        pkg = node.child_by_field_name("package")
        name = node.child_by_field_name("name")
        return GoType(
            kind="named",
            text=text,
            name=node_text(name) if name is not None else text,
            qualifier=node_text(pkg) if pkg is not None else None,
        )
    if kind == "generic_type":
        base = type_from_node(node.child_by_field_name("type"))
        return GoType(kind=base.kind, text=text, name=base.name, qualifier=base.qualifier)
    if kind == "map_type":
        return GoType(
            kind="map",
            text=text,
            key=type_from_node(node.child_by_field_name("key")),
            elem=type_from_node(node.child_by_field_name("value")),
        )
    if kind == "pointer_type":
        elems = node.named_children
        return GoType(kind="pointer", text=text, elem=type_from_node(elems[0] if elems else None))
    if kind in ("slice_type", "array_type"):
        return GoType(
            kind="slice" if kind == "slice_type" else "array",
            text=text,
            elem=type_from_node(node.child_by_field_name("element")),
        )
    if kind == "channel_type":
        value = node.child_by_field_name("value")
        return GoType(kind="chan", text=text, elem=type_from_node(value))
    if kind == "function_type":
        return GoType(kind="func", text=text)
    if kind == "interface_type":
        return GoType(kind="interface", text=text)
    if kind == "struct_type":
        return _struct_type(node, text)
    return GoType(kind="unknown", text=text)


def _struct_type(node: Node, text: str) -> GoType:
    fields: list[tuple[str, GoType]] = []
    embedded: list[str] = []
    for lst in node.named_children:
        if lst.type != "field_declaration_list":
            continue
        for decl in lst.named_children:
            if decl.type != "field_declaration":
                continue
            ftype = type_from_node(decl.child_by_field_name("type"))
            names = decl.children_by_field_name("name")
            if names:
                fields.extend((node_text(n), ftype) for n in names)
            else:
                base = ftype.elem if ftype.kind == "pointer" and ftype.elem else ftype
                if base.name:
                    fields.append((base.name, ftype))
                    embedded.append(base.name)
    return GoType(kind="struct", text=text, fields=tuple(fields), embedded=tuple(embedded))


def is_reflexive(t: GoType, resolve: ResolveFn, _depth: int = 0) -> bool | None:
    """Whether ``k == k`` holds for every value of key type ``t``.

    True when visibly so, False when visibly not (floats, complex, interfaces, or
    aggregates holding them), None when the declarations needed are not visible.
    """
    if _depth > 20:
        return None
    if t.kind == "basic":
        return t.name not in _IRREFLEXIVE_BASIC
    if t.kind in ("pointer", "chan"):
        return True
    if t.kind == "interface":
        return False
    if t.kind == "array":
        return is_reflexive(t.elem, resolve, _depth + 1) if t.elem else None
    if t.kind == "struct":
        verdict: bool | None = True
        for _, ftype in t.fields:
            sub = is_reflexive(ftype, resolve, _depth + 1)
            if sub is False:
                return False
            if sub is None:
                verdict = None
        return verdict
    if t.kind == "named":
        underlying = resolve(t)
        if underlying is None or underlying is t:
            return None
        return is_reflexive(underlying, resolve, _depth + 1)
    return None
