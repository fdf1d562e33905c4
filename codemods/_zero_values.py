"""Helpers shared by the zero-value family (GMF501, GMF502, GMF503).

Questions about map index expressions: which map and key they use, whether two of them
name the same entry, what the map's value type visibly is, and where a function begins.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from gomapfix.codemod import FileContext
from gomapfix.facts.scope import Declaration
from gomapfix.gotypes import GoType
from gomapfix.syntax import expr_key, walk

FUNCTIONS = ("function_declaration", "method_declaration", "func_literal")
TOP_FUNCTIONS = ("function_declaration", "method_declaration")

# Well-known interface types of the standard library: a method call on their nil value
# panics. Other qualified types are not visible, so nothing is claimed about them.
KNOWN_INTERFACES = frozenset(
    {
        "error",
        "any",
        "context.Context",
        "fmt.Stringer",
        "io.Reader",
        "io.Writer",
        "io.Closer",
        "io.ReadCloser",
        "io.WriteCloser",
        "io.ReadWriteCloser",
        "io.ReadWriter",
        "net.Conn",
        "net.Listener",
        "net.PacketConn",
        "http.Handler",
        "http.RoundTripper",
        "reflect.Type",
        "sort.Interface",
        "hash.Hash",
    }
)


def unparen(node: Node | None) -> Node | None:
    while node is not None and node.type == "parenthesized_expression" and node.named_children:
        node = node.named_children[0]
    return node


def is_path(expr: Node | None) -> bool:
    """An identifier or a selector path of identifiers (``m``, ``s.byID``, ``a.b.c``)."""
    current = expr
    while current is not None and current.type == "selector_expression":
        current = current.child_by_field_name("operand")
    return current is not None and current.type == "identifier" and current.text != b"_"


def path_root(expr: Node) -> Node:
    current = expr
    while current.type == "selector_expression":
        operand = current.child_by_field_name("operand")
        if operand is None:
            break
        current = operand
    return current


def path_prefixes(expr: Node) -> set[str]:
    """``s.a.m`` -> {"s.a.m", "s.a", "s"} (white space removed)."""
    out: set[str] = set()
    current: Node | None = expr
    while current is not None:
        out.add(expr_key(current))
        current = (
            current.child_by_field_name("operand")
            if current.type == "selector_expression"
            else None
        )
    return out


def identifiers(expr: Node) -> list[Node]:
    """Identifiers an expression reads (not field names, not inside function literals)."""
    out = [expr] if expr.type == "identifier" else []
    out.extend(n for n in walk(expr, skip_func_literals=True) if n.type == "identifier")
    return out


def index_parts(node: Node) -> tuple[Node, Node] | None:
    """``(operand, index)`` of an index expression, else None."""
    if node.type != "index_expression":
        return None
    operand = unparen(node.child_by_field_name("operand"))
    index = node.child_by_field_name("index")
    if operand is None or index is None:
        return None
    return operand, index


def _decl_key(decl: Declaration | None) -> tuple[str, int] | None:
    if decl is None:
        return None
    return decl.name, decl.node.start_byte


def same_bindings(ctx: FileContext, a: Node, b: Node) -> bool:
    """Same text, and every identifier refers to the same declaration in both."""
    if expr_key(a) != expr_key(b):
        return False
    ids_a = identifiers(a)
    ids_b = identifiers(b)
    if len(ids_a) != len(ids_b):
        return False
    scopes = ctx.facts.scopes
    for x, y in zip(ids_a, ids_b, strict=True):
        if _decl_key(scopes.declaration(x)) != _decl_key(scopes.declaration(y)):
            return False
    return True


def map_value_type(ctx: FileContext, map_expr: Node) -> GoType | None:
    """The value type of ``map_expr`` when it is visibly a map (underlying, if visible)."""
    mtype = ctx.facts.scopes.map_type(map_expr)
    if mtype is None or mtype.elem is None:
        return None
    elem = mtype.elem
    if elem.kind == "named":
        if elem.qualifier is None and elem.name in ("error", "any"):
            return elem
        resolved = ctx.facts.model.resolve(elem)
        if resolved is not None:
            return resolved
    return elem


def value_kind(t: GoType | None) -> str:
    """pointer, interface, func, chan, map, slice, struct, basic or unknown."""
    if t is None:
        return "unknown"
    if t.kind in ("basic",) and t.name in ("error", "any"):
        return "interface"
    if t.kind == "named":
        if t.text in KNOWN_INTERFACES or (t.qualifier is None and t.name in ("error", "any")):
            return "interface"
        return "unknown"
    return t.kind


def outer_function(node: Node) -> Node | None:
    """The outermost enclosing function declaration (or the outermost literal)."""
    found: Node | None = None
    current = node.parent
    while current is not None:
        if current.type in FUNCTIONS:
            found = current
        current = current.parent
    return found


def inner_function(node: Node) -> Node | None:
    current = node.parent
    while current is not None:
        if current.type in FUNCTIONS:
            return current
        current = current.parent
    return None


def reindent(text: str, extra: str) -> str:
    """Indent every line but the first of ``text`` by ``extra`` (raw strings left alone)."""
    lines = text.split("\n")
    return "\n".join([lines[0]] + [extra + line if line.strip() else line for line in lines[1:]])


def scoped_name(ctx: FileContext, base: str, region: Node, fn: Node) -> tuple[str, bool]:
    """A name for a variable declared in a new ``if`` header that wraps ``region``.

    Such a variable is visible only inside the ``if``, so ``base`` is fine unless the
    region itself refers to that name (it would be shadowed). Returns the name and
    whether it had to be made unique over the function (then the fix must declare it).
    """
    used = set(re.findall(rb"[A-Za-z_][A-Za-z0-9_]*", region.text or b""))
    if base.encode() not in used:
        return base, False
    return ctx.unique_name(base, fn), True
