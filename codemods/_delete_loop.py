"""The loop deleting every key of a map, which two rules read: GMF304 (say ``clear``) and
GMF402 (values dropped without release)."""

from __future__ import annotations

from tree_sitter import Node

from gomapfix.facts.scope import Scopes
from gomapfix.syntax import builtin_call, call_args, same_expr, statements


def delete_every_key(loop: Node, scopes: Scopes) -> Node | None:
    """``M`` when ``loop`` is ``for k := range M { delete(M, k) }`` (or ``for k, _ :=``),
    ``k`` being the loop's own key variable; else None."""
    clause = next((c for c in loop.named_children if c.type == "range_clause"), None)
    if clause is None or not any(c.type == ":=" for c in clause.children):
        return None
    map_expr = clause.child_by_field_name("right")
    left = clause.child_by_field_name("left")
    if map_expr is None or left is None:
        return None
    names = left.named_children
    if not names or len(names) > 2 or names[0].type != "identifier":
        return None
    key = names[0]
    if key.text == b"_" or (len(names) == 2 and names[1].text != b"_"):
        return None
    body = statements(loop.child_by_field_name("body"))
    if len(body) != 1:
        return None
    call = builtin_call(body[0], "delete")
    args = call_args(call) if call is not None else []
    if len(args) != 2 or not same_expr(args[0], map_expr):
        return None
    if args[1].type != "identifier" or args[1].text != key.text:
        return None
    declared = scopes.declaration(args[1])
    if declared is None or declared.node != key:
        return None
    return map_expr
