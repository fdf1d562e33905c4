"""Small questions about Go syntax that many codemods ask.

Kept in the engine so that every rule answers them the same way (what counts as the same
expression, what is free of side effects, what ends control flow).
"""

from __future__ import annotations

import re

from tree_sitter import Node

from gomapfix.parse import node_text

_SPACE = re.compile(r"\s+")
PURE_NODES = frozenset(
    {
        "identifier",
        "field_identifier",
        "package_identifier",
        "int_literal",
        "float_literal",
        "imaginary_literal",
        "rune_literal",
        "interpreted_string_literal",
        "raw_string_literal",
        "interpreted_string_literal_content",
        "raw_string_literal_content",
        "escape_sequence",
        "true",
        "false",
        "nil",
        "iota",
        "selector_expression",
        "parenthesized_expression",
        "binary_expression",
        "type_identifier",
        "qualified_type",
    }
)
GO_KEYWORDS = frozenset(
    """break case chan const continue default defer else fallthrough for func go goto if
    import interface map package range return select struct switch type var""".split()
)
"""Names a generated identifier must never take."""
TERMINATORS = frozenset(
    {
        "return_statement",
        "break_statement",
        "continue_statement",
        "goto_statement",
        "fallthrough_statement",
    }
)


def same_expr(a: Node | None, b: Node | None) -> bool:
    """Whether two expressions are written the same (white space and comments aside)."""
    if a is None or b is None:
        return False
    return expr_key(a) == expr_key(b)


def expr_key(node: Node) -> str:
    return _SPACE.sub("", node_text(node))


def is_pure(node: Node) -> bool:
    """Free of calls, receives, and index operations that may panic or change state.

    Evaluating a pure expression twice, or once less, cannot change what a program does,
    so a fix may duplicate or drop it. Binary operations are allowed except division
    (which may panic) ; index and slice expressions are not (map reads are pure but a
    slice index may panic, and the type is not always visible).
    """
    stack = [node]
    while stack:
        current = stack.pop()
        kind = current.type
        if kind == "binary_expression":
            op = current.child_by_field_name("operator")
            if op is not None and node_text(op) in ("/", "%"):
                return False
        elif kind == "unary_expression":
            op = current.child_by_field_name("operator")
            if op is not None and node_text(op) in ("<-", "*"):
                return False
        elif kind not in PURE_NODES and current.is_named:
            return False
        stack.extend(current.children)
    return True


def statements(block: Node | None) -> list[Node]:
    """The statements of a block (tree-sitter-go 0.25 nests them in a statement_list)."""
    if block is None:
        return []
    if block.type == "statement_list":
        return [c for c in block.named_children if c.type != "comment"]
    for child in block.named_children:
        if child.type == "statement_list":
            return [c for c in child.named_children if c.type != "comment"]
    return []


def has_comments(node: Node) -> bool:
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "comment":
            return True
        stack.extend(current.children)
    return False


def call_name(call: Node) -> str | None:
    """``delete`` for ``delete(m, k)``; ``Load`` for ``x.Load(k)``; else None."""
    if call.type != "call_expression":
        return None
    fn = call.child_by_field_name("function")
    if fn is None:
        return None
    if fn.type == "identifier":
        return node_text(fn)
    if fn.type == "selector_expression":
        field = fn.child_by_field_name("field")
        return node_text(field) if field is not None else None
    return None


def call_args(call: Node) -> list[Node]:
    args = call.child_by_field_name("arguments")
    if args is None:
        return []
    return [a for a in args.named_children if a.type != "comment"]


def builtin_call(stmt: Node, name: str) -> Node | None:
    """The call node when ``stmt`` is the statement ``name(...)`` of a builtin."""
    if stmt.type != "expression_statement" or not stmt.named_children:
        return None
    call = stmt.named_children[0]
    if call.type != "call_expression":
        return None
    fn = call.child_by_field_name("function")
    if fn is None or fn.type != "identifier" or node_text(fn) != name:
        return None
    return call


def walk(node: Node, skip_func_literals: bool = False) -> list[Node]:
    """Every descendant (pre-order); optionally not entering function literals."""
    out: list[Node] = []
    stack = list(reversed(node.children))
    while stack:
        current = stack.pop()
        out.append(current)
        if skip_func_literals and current.type == "func_literal":
            continue
        stack.extend(reversed(current.children))
    return out


def path_root(expr: Node) -> Node | None:
    """The leading identifier of a field/index path (``s`` in ``s.a.m[k]``)."""
    current: Node | None = expr
    while current is not None:
        kind = current.type
        if kind == "identifier":
            return current
        if kind in ("selector_expression", "index_expression"):
            current = current.child_by_field_name("operand")
        elif kind == "parenthesized_expression":
            current = current.named_children[0] if current.named_children else None
        elif kind == "unary_expression":
            op = current.child_by_field_name("operator")
            if op is None or node_text(op) != "*":
                return None
            current = current.child_by_field_name("operand")
        else:
            return None
    return None
