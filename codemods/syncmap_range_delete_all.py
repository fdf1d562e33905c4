"""GMF704 syncmap-range-delete-all."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from gomapfix.codemod import SYNC_MAP_EVIDENCE, Codemod, FileContext
from gomapfix.finding import Finding
from gomapfix.fix import Applicability
from gomapfix.parse import node_text
from gomapfix.syntax import is_pure, same_expr, statements

from ._syncmap import is_sync_map, method_call, statement_call

_ANY = frozenset({"any", "interface{}"})


class SyncMapRangeDeleteAll(Codemod):
    """
    What it finds:
        ``sm.Range(func(k, _ any) bool { sm.Delete(k); return true })``: a ``Range`` over a
        ``sync.Map`` whose callback does nothing but delete the key it is given and go on,
        where ``sm`` is visibly a ``sync.Map`` or ``*sync.Map`` (or a package struct
        embedding one that does not declare ``Range``, ``Delete`` or ``Clear`` itself).
        Reported only where ``sync.Map.Clear`` exists (Go 1.23+): before that the loop
        is the only way to empty a ``sync.Map``, so there is nothing better to say.

    Why it is a hazard:
        The loop is not one operation: it deletes key by key while other goroutines keep
        storing and loading, so a reader can see a half-emptied map, and entries stored
        during the loop survive or not depending on where ``Range`` happens to be.
        ``sm.Clear()`` (Go 1.23+) empties the map in one step and says what is meant.
        The popular claim that ``sync.Map.Delete`` leaks memory through the "dirty map",
        so that a delete-all loop keeps every key alive, is false since Go 1.24
        (sync.Map is a HashTrieMap that prunes on delete); this rule is about atomicity
        and clarity, not memory.

    Example:
        sessions.Range(func(k, _ any) bool {
            sessions.Delete(k)
            return true
        })

    Fixed:
        sessions.Clear()

    Fix safety:
        safe: ``Clear`` removes every entry, which is what the loop means, and only the
        interleaving with concurrent writers changes (the hazard removed). The map
        expression must be free of side effects (it was evaluated once per key, now
        once). A callback holding a comment is downgraded to unsafe by the engine, since
        the fix removes it.

    Minimum Go:
        1.23 (``sync.Map.Clear``); no finding below.
    """

    code = "GMF704"
    name = "syncmap-range-delete-all"
    summary = "sync.Map Range whose callback only deletes each key: use sm.Clear() (Go 1.23+)."
    family = "sync.Map"
    requires = ("scopes",)
    trigger_tokens = (b"Range",)
    package_pattern = SYNC_MAP_EVIDENCE
    call_names = frozenset({"Range"})

    def visit_call_expression(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        if not ctx.at_least(23):
            return
        rng = method_call(node, "Range")
        if rng is None or len(rng.args) != 1 or rng.args[0].type != "func_literal":
            return
        sm = rng.receiver
        key = _key_parameter(rng.args[0])
        if key is None:
            return
        body = statements(rng.args[0].child_by_field_name("body"))
        if len(body) != 2 or not _returns_true(body[1]):
            return
        delete = statement_call(body[0], "Delete")
        if delete is None or not same_expr(delete.receiver, sm) or len(delete.args) != 1:
            return
        arg = delete.args[0]
        if arg.type != "identifier" or node_text(arg) != key:
            return
        if not is_pure(sm) or not is_sync_map(ctx, sm, ("Range", "Delete", "Clear")):
            return
        m = node_text(sm)
        message = f"{m}.Range deletes every key one by one: use {m}.Clear(), one operation"
        fix = ctx.fix(
            f"Replace the loop with {m}.Clear()",
            [ctx.replace(node, f"{m}.Clear()")],
            Applicability.SAFE,
        )
        yield ctx.report(node, message, fix)


def _key_parameter(literal: Node) -> str | None:
    """The key parameter's name of ``func(k, v any) bool`` (``any``/``interface{}``)."""
    params = literal.child_by_field_name("parameters")
    result = literal.child_by_field_name("result")
    if params is None or result is None or node_text(result) != "bool":
        return None
    names: list[str] = []
    for decl in params.named_children:
        if decl.type == "comment":
            continue
        if decl.type != "parameter_declaration":
            return None
        ptype = decl.child_by_field_name("type")
        if ptype is None or "".join(node_text(ptype).split()) not in _ANY:
            return None
        names.extend(node_text(n) for n in decl.children_by_field_name("name"))
    if len(names) != 2 or names[0] == "_":
        return None
    return names[0]


def _returns_true(stmt: Node) -> bool:
    if stmt.type != "return_statement":
        return False
    values = [c for c in stmt.named_children if c.type != "comment"]
    if len(values) != 1:
        return False
    inner = values[0].named_children if values[0].type == "expression_list" else [values[0]]
    return len(inner) == 1 and inner[0].type == "true"
