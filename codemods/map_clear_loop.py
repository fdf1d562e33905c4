"""GMF304 map-clear-loop."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from gomapfix.codemod import MAP_EVIDENCE, Codemod, FileContext, enclosing_function
from gomapfix.finding import Finding
from gomapfix.fix import Applicability
from gomapfix.gotypes import is_reflexive
from gomapfix.syntax import walk

from ._delete_loop import delete_every_key


class MapClearLoop(Codemod):
    """
    What it finds:
        A loop whose only statement deletes the current key of the map it ranges over:
        ``for k := range m { delete(m, k) }`` (also ``for k, _ := range m``), with ``m``
        an identifier or a field path such as ``s.cache``. Reported only where ``clear``
        exists (Go 1.21+): before that the loop is the only way to empty a map in place.

    Why it is a hazard:
        Mostly a readability one: ``clear(m)`` says what the loop means. It is NOT a speed
        fix: the compiler already recognises this exact loop and lowers it to a map
        clear, so both run the same code. Neither gives memory back either: Go maps never
        shrink (golang/go#20135), after the loop or after ``clear`` the map keeps its
        buckets; only a new map (``m = make(map[K]V)``) returns the memory (see GMF601).
        And the two are not always equivalent: a NaN key (float or complex keys, or an
        interface or struct/array key holding one) never equals itself, so ``delete(m, k)``
        cannot remove it and the loop leaves it in the map, while ``clear`` removes it
        (golang/go#56351).

    Example:
        for k := range sessions {
            delete(sessions, k)
        }

    Fixed:
        clear(sessions)

    Fix safety:
        safe when the key type is visibly reflexive (no float, complex, interface, or
        struct/array holding one): then the two are equivalent. unsafe when the key type
        can hold NaN (``clear`` also removes NaN keys the loop leaves behind), or when the
        key type is not visible (a type parameter, a type from another package). A loop
        holding a comment is downgraded to unsafe by the engine, since the fix drops it.
        No fix on a labeled loop, or where ``clear`` is shadowed by a declaration.

    Minimum Go:
        1.21 (``clear``); no finding below.
    """

    code = "GMF304"
    name = "map-clear-loop"
    summary = "A loop deleting every key of a map, which clear(m) says directly (Go 1.21+)."
    family = "range"
    requires = ("scopes",)
    trigger_tokens = (b"delete",)
    package_pattern = MAP_EVIDENCE

    def visit_for_statement(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        if not ctx.at_least(21):
            return
        map_expr = delete_every_key(node, ctx.facts.scopes)
        if map_expr is None or not _is_path(map_expr):
            return
        m = ctx.text(map_expr)
        message = f"loop deletes every key of {m}: use clear({m})"
        labeled = node.parent is not None and node.parent.type == "labeled_statement"
        if labeled:
            yield ctx.report(node, message + " (no automatic fix: the loop is labeled)")
            return
        if _clear_shadowed(ctx, node):
            yield ctx.report(node, message + " (no automatic fix: clear is redeclared here)")
            return
        map_type = ctx.facts.scopes.map_type(map_expr)
        verdict = (
            is_reflexive(map_type.key, ctx.facts.model.resolve)
            if map_type is not None and map_type.key is not None
            else None
        )
        if verdict is True:
            applicability, note = Applicability.SAFE, None
        elif verdict is False:
            assert map_type is not None and map_type.key is not None
            applicability = Applicability.UNSAFE
            note = (
                f"key type {map_type.key.text} can hold NaN: clear also removes NaN keys, "
                f"which the loop can never delete (golang/go#56351)"
            )
            message += f" (not equivalent: key type {map_type.key.text} can hold NaN keys)"
        else:
            applicability = Applicability.UNSAFE
            note = (
                f"key type of {m} not visible: if it can hold NaN (float, complex, "
                f"interface), clear also removes NaN keys the loop leaves (golang/go#56351)"
            )
            message += " (key type not visible: NaN keys not ruled out)"
        fix = ctx.fix(
            f"Replace the loop with clear({m})",
            [ctx.replace(node, f"clear({m})")],
            applicability,
            note,
        )
        yield ctx.report(node, message, fix)


def _is_path(expr: Node) -> bool:
    current: Node | None = expr
    while current is not None and current.type == "selector_expression":
        current = current.child_by_field_name("operand")
    return current is not None and current.type == "identifier" and current.text != b"_"


def _clear_shadowed(ctx: FileContext, node: Node) -> bool:
    """Whether ``clear`` at ``node`` would not be the builtin."""
    model = ctx.facts.model
    if "clear" in model.funcs or "clear" in model.vars or "clear" in model.types:
        return True
    fn = enclosing_function(node)
    while fn is not None:
        for item in walk(fn):
            if (
                item.type == "identifier"
                and item.text == b"clear"
                and (ctx.facts.scopes.declaration(item) is not None)
            ):
                return True
        fn = enclosing_function(fn)
    return False
