"""GMF305 filter-delete-loop (off by default)."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from gomapfix.codemod import MAP_EVIDENCE, Codemod, FileContext, enclosing_function
from gomapfix.finding import Finding
from gomapfix.fix import Applicability
from gomapfix.parse import node_text
from gomapfix.syntax import builtin_call, call_args, same_expr, statements, walk

from .blocking_work_under_map_lock import is_path, range_clause, std_imports, usable_type_text


class FilterDeleteLoop(Codemod):
    """
    What it finds:
        A loop whose whole body is one ``if`` (no ``else``, no initialiser) whose whole
        block deletes the current key of the map being ranged over:
        ``for k, v := range m { if cond { delete(m, k) } }`` (also ``for k := range m``),
        with ``m`` an identifier or field path whose map type is visible. Off by default:
        enable it with ``--select GMF305``.

    Why it is a hazard:
        It is not one: the loop is already correct. Deleting during ``for range`` is
        defined behaviour in Go (the spec: an entry removed before it is reached is
        simply not produced), contrary to the popular folklore that it "invalidates the
        iterator"; ``maps.DeleteFunc`` is itself exactly this loop. The rule exists
        for intent: ``maps.DeleteFunc(m, pred)`` names the operation, which is why it is
        off by default and never reported below Go 1.21.

    Example:
        for id, s := range sessions {
            if s.expired(now) {
                delete(sessions, id)
            }
        }

    Fixed:
        maps.DeleteFunc(sessions, func(_ string, s *Session) bool { return s.expired(now) })

        The predicate's parameters take the loop's names and the map's key and value
        types; a variable the condition does not use is named ``_``. A condition written
        over several lines becomes a multi-line function literal.

    Fix safety:
        safe: ``maps.DeleteFunc`` ranges over the map and deletes each entry for which the
        predicate holds, the same iterations and deletions as the loop, and the condition
        sees the same variables (the loop's own ones become parameters). A comment inside
        the loop that the rewrite cannot keep downgrades it to unsafe. Not reported when
        the key or value type cannot be written at the loop (a type from a package this
        file does not import), the loop is labeled, the range assigns existing variables
        (``=``), or ``maps`` names something else here.

    Minimum Go:
        1.21 (``maps.DeleteFunc``); no finding below.
    """

    code = "GMF305"
    name = "filter-delete-loop"
    summary = "A filter-delete loop (correct as is) that maps.DeleteFunc states directly."
    family = "range"
    default_enabled = False
    requires = ("scopes",)
    trigger_tokens = (b"delete",)
    package_pattern = MAP_EVIDENCE

    def visit_for_statement(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        if not ctx.at_least(21):
            return
        if node.parent is None or node.parent.type != "statement_list":
            return  # labeled: the label would be left unused
        clause = range_clause(node)
        if clause is None or not any(c.type == ":=" for c in clause.children):
            return
        map_expr = clause.child_by_field_name("right")
        left = clause.child_by_field_name("left")
        if map_expr is None or left is None or not is_path(map_expr):
            return
        names = list(left.named_children)
        if not names or len(names) > 2 or any(n.type != "identifier" for n in names):
            return
        key = names[0]
        value = names[1] if len(names) == 2 else None
        if key.text == b"_":
            return
        body = statements(node.child_by_field_name("body"))
        if len(body) != 1 or body[0].type != "if_statement":
            return
        guard = body[0]
        cond = guard.child_by_field_name("condition")
        if (
            cond is None
            or guard.child_by_field_name("initializer") is not None
            or guard.child_by_field_name("alternative") is not None
        ):
            return
        inner = statements(guard.child_by_field_name("consequence"))
        if len(inner) != 1:
            return
        call = builtin_call(inner[0], "delete")
        args = call_args(call) if call is not None else []
        if len(args) != 2 or not same_expr(args[0], map_expr) or args[1].type != "identifier":
            return
        scopes = ctx.facts.scopes
        assert call is not None
        fn_ident = call.child_by_field_name("function")
        if fn_ident is not None and scopes.declaration(fn_ident) is not None:
            return  # a local "delete" function
        decl = scopes.declaration(args[1])
        if decl is None or decl.node != key:
            return
        map_type = scopes.map_type(map_expr)
        if map_type is None or map_type.key is None or map_type.elem is None:
            return
        fn = enclosing_function(node)
        key_type = usable_type_text(ctx, map_type.key, fn)
        value_type = usable_type_text(ctx, map_type.elem, fn)
        if key_type is None or value_type is None:
            return
        imported = std_imports(ctx, fn, "maps")
        if imported is None:
            return
        local, import_edits = imported
        uses = _uses(ctx, cond, key, value)
        k_param = node_text(key) if key in uses else "_"
        v_param = node_text(value) if value is not None and value in uses else "_"
        m = ctx.text(map_expr)
        cond_text = ctx.text(cond)
        head = (
            f"{local['maps']}.DeleteFunc({m}, func({k_param} {key_type}, "
            f"{v_param} {value_type}) bool"
        )
        if "\n" in cond_text:
            indent = ctx.indent(node)
            text = f"{head} {{\n{indent}\treturn {cond_text}\n{indent}}})"
        else:
            text = f"{head} {{ return {cond_text} }})"
        fix = ctx.fix(
            f"Replace the loop with maps.DeleteFunc({m}, ...)",
            [ctx.replace(node, text), *import_edits],
            Applicability.SAFE,
        )
        message = (
            f"filter-delete loop over {m}: maps.DeleteFunc({m}, ...) says it directly "
            "(the loop is already correct: deleting during range is defined behaviour)"
        )
        yield ctx.report(node, message, fix)


def _uses(ctx: FileContext, cond: Node, key: Node, value: Node | None) -> set[Node]:
    """The range variables the condition refers to (function literals included)."""
    out: set[Node] = set()
    for item in [cond, *walk(cond)]:
        if item.type != "identifier":
            continue
        decl = ctx.facts.scopes.declaration(item)
        if decl is None:
            continue
        if decl.node == key:
            out.add(key)
        elif value is not None and decl.node == value:
            out.add(value)
    return out
