"""GMF203 redundant-delete-guard."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from gomapfix.codemod import MAP_EVIDENCE, Codemod, FileContext
from gomapfix.finding import Finding
from gomapfix.fix import Applicability
from gomapfix.syntax import builtin_call, call_args, is_pure, same_expr, statements


class RedundantDeleteGuard(Codemod):
    """
    What it finds:
        A guard whose only content is a ``delete`` of the map it tests:
        ``if m != nil { delete(m, k) }`` or ``if _, ok := m[k]; ok { delete(m, k) }``,
        with nothing else in the block and no ``else``.

    Why it is a hazard:
        It is not one, and that is the point: the Go spec says "If the map m is nil or
        the element m[k] does not exist, delete is a no-op". The popular belief that
        ``delete`` on a nil map panics is wrong (writes such as ``m[k] = v`` panic; see
        GMF201). The guard costs a lookup, reads as if it prevented a crash, and teaches
        the wrong rule to the next reader.

    Example:
        if _, ok := sessions[id]; ok {
            delete(sessions, id)
        }

    Fixed:
        delete(sessions, id)

    Fix safety:
        safe when the key expression is free of side effects (the guard evaluated it
        twice, the fix once); unsafe otherwise. A guard holding a comment is downgraded
        to unsafe by the engine, since the fix would drop it.

    Minimum Go:
        any.
    """

    code = "GMF203"
    name = "redundant-delete-guard"
    summary = "A nil or presence check around delete, which is already a no-op then."
    family = "nil maps"
    trigger_tokens = (b"delete",)
    package_pattern = MAP_EVIDENCE

    def visit_if_statement(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        if node.child_by_field_name("alternative") is not None:
            return
        body = statements(node.child_by_field_name("consequence"))
        if len(body) != 1:
            return
        call = builtin_call(body[0], "delete")
        if call is None:
            return
        args = call_args(call)
        if len(args) != 2:
            return
        map_expr, key_expr = args
        kind = _guard_kind(node, map_expr, key_expr)
        if kind is None:
            return
        if kind == "nil":
            message = "redundant nil check: delete on a nil map is a no-op"
        else:
            message = "redundant presence check: delete of a missing key is a no-op"
        applicability = Applicability.SAFE
        note = None
        if not is_pure(key_expr) or not is_pure(map_expr):
            applicability = Applicability.UNSAFE
            note = "the guard evaluates the expressions twice; the fix only once"
        fix = ctx.fix(
            "Remove the guard; keep the delete",
            [ctx.replace(node, ctx.text(body[0]))],
            applicability,
            note,
        )
        yield ctx.report(node, message, fix)


def _guard_kind(node: Node, map_expr: Node, key_expr: Node) -> str | None:
    init = node.child_by_field_name("initializer")
    cond = node.child_by_field_name("condition")
    if cond is None:
        return None
    if init is None:
        # if m != nil { delete(m, k) }
        if cond.type != "binary_expression":
            return None
        op = cond.child_by_field_name("operator")
        left = cond.child_by_field_name("left")
        right = cond.child_by_field_name("right")
        if op is None or op.text != b"!=" or left is None or right is None:
            return None
        if right.type == "nil" and same_expr(left, map_expr):
            return "nil"
        if left.type == "nil" and same_expr(right, map_expr):
            return "nil"
        return None
    # if _, ok := m[k]; ok { delete(m, k) }
    if init.type != "short_var_declaration" or cond.type != "identifier":
        return None
    left = init.child_by_field_name("left")
    right = init.child_by_field_name("right")
    if left is None or right is None:
        return None
    names = left.named_children
    values = right.named_children
    if len(names) != 2 or len(values) != 1 or names[0].text != b"_":
        return None
    if names[1].text != cond.text:
        return None
    index = values[0]
    if index.type != "index_expression":
        return None
    if not same_expr(index.child_by_field_name("operand"), map_expr):
        return None
    if not same_expr(index.child_by_field_name("index"), key_expr):
        return None
    return "presence"
