"""GMF602 clone-does-not-shrink."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from gomapfix.codemod import MAP_EVIDENCE, Codemod, FileContext, enclosing, enclosing_function
from gomapfix.finding import Finding
from gomapfix.fix import Applicability
from gomapfix.parse import ParsedFile, node_text
from gomapfix.syntax import call_args, is_pure, same_expr

from .emptied_map_retained import LongLived, make_text

_WRITES = frozenset({"assignment_statement", "inc_statement", "dec_statement"})


class CloneDoesNotShrink(Codemod):
    """
    What it finds:
        ``maps.Clone(m)`` used to compact a map after deleting from it: the
        self-assignment ``m = maps.Clone(m)``, or a clone of ``m`` (``n := maps.Clone(m)``,
        ``x = maps.Clone(m)``, ``return maps.Clone(m)``) after a bulk delete of ``m`` in
        the same function: a ``delete(m, k)`` inside an earlier loop, or
        ``maps.DeleteFunc(m, ...)``. ``maps`` is the standard library package.

    Why it is a hazard:
        The clone does not shrink anything. Go maps never shrink (golang/go#20135, still
        true with the Swiss tables of Go 1.24+), and ``maps.Clone`` copies the source's
        table layout, capacity included: a map that held a million entries keeps ~160 MiB
        after the deletes, and so does its clone. The common advice "clone the map to
        compact it" is wrong. Only a map allocated for the entries that are left, then
        filled, is small: ``n := make(map[K]V, len(m)); maps.Copy(n, m)``.

    Example:
        maps.DeleteFunc(sessions, expired)
        sessions = maps.Clone(sessions)

    Fixed:
        maps.DeleteFunc(sessions, expired)
        compacted := make(map[string]*Session, len(sessions))
        maps.Copy(compacted, sessions)
        sessions = compacted

    Fix safety:
        safe when the map is visibly not nil (a local made with ``make`` or a literal
        and never set otherwise, or written to just before in the same block), its type
        is visible, and the map expression is free of side effects. Otherwise unsafe:
        ``maps.Clone(nil)`` is ``nil`` while ``make`` never is (an ``== nil`` test, or
        JSON's ``null`` against ``{}``, would change), or the map expression is now
        evaluated more than once. The fix is offered where the clone is a whole
        statement of a block (``n := maps.Clone(m)``, ``x = maps.Clone(m)``, ``return
        maps.Clone(m)``); elsewhere (an ``if`` header, an argument) the finding has no
        fix. No fix either when the map's type is not visible or not usable in the file.

    Minimum Go:
        1.21 (``maps.Copy``); below, the finding is reported without a fix.
    """

    code = "GMF602"
    name = "clone-does-not-shrink"
    summary = "maps.Clone keeps the source's capacity: it does not compact a map after deletes."
    family = "memory"
    requires = ("scopes",)
    trigger_tokens = (b"Clone",)
    package_pattern = MAP_EVIDENCE
    call_names = frozenset({"Clone"})

    def visit_call_expression(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        maps_name = _maps_name(ctx)
        if maps_name is None:
            return
        fn = node.child_by_field_name("function")
        if fn is None or fn.type != "selector_expression":
            return
        operand = fn.child_by_field_name("operand")
        field = fn.child_by_field_name("field")
        if operand is None or field is None or operand.type != "identifier":
            return
        if node_text(operand) != maps_name or node_text(field) != "Clone":
            return
        if ctx.facts.scopes.declaration(operand) is not None:
            return  # a local named like the package
        args = call_args(node)
        if len(args) != 1:
            return
        source = args[0]
        stmt, target = _statement(node)
        self_assign = (
            stmt is not None
            and stmt.type == "assignment_statement"
            and target is not None
            and same_expr(target, source)
        )
        deleted = None if self_assign else _bulk_delete(node, source, maps_name)
        if not self_assign and deleted is None:
            return
        m = node_text(source)
        message = (
            f"{maps_name}.Clone({m}) does not compact {m}: the clone keeps the source's "
            f"capacity (Go maps never shrink, golang/go#20135); copy into a map made with "
            f"len({m})"
        )
        related = [ctx.related(deleted, "deleted here")] if deleted is not None else []
        if not ctx.at_least(21):
            yield ctx.report(
                node, message + " (needs go 1.21 for maps.Copy: no fix)", None, related
            )
            return
        reason = _no_fix_reason(ctx, node, stmt, target, source)
        if reason is not None:
            yield ctx.report(node, f"{message} (no automatic fix: {reason})", None, related)
            return
        assert stmt is not None
        function = enclosing_function(stmt)
        assert function is not None
        t = ctx.facts.scopes.type_of(source)
        info = LongLived(("expr",), t, _declaring_file(ctx, source))
        make = None
        if ctx.facts.model.map_type(t) is not None:
            name = "compacted"
            if stmt.type == "short_var_declaration":
                assert target is not None
                name = node_text(target)
            make = make_text(ctx, info, function, f"len({m})")
        if make is None:
            yield ctx.report(
                node,
                message + " (no automatic fix: the map type is not visible here)",
                None,
                related,
            )
            return
        ind = ctx.indent(stmt)
        declares: tuple[str, ...] = ()
        if stmt.type == "short_var_declaration":
            lines = [f"{name} := {make}", f"{maps_name}.Copy({name}, {m})"]
        else:
            name = ctx.unique_name("compacted", function)
            declares = (name,)
            last = (
                f"return {name}"
                if stmt.type == "return_statement"
                else f"{node_text(target) if target is not None else '_'} = {name}"
            )
            lines = [f"{name} := {make}", f"{maps_name}.Copy({name}, {m})", last]
        notes: list[str] = []
        if not is_pure(source):
            notes.append(f"{m} is now evaluated more than once")
        if not _not_nil(ctx, stmt, source):
            notes.append(
                f"if {m} can be nil, maps.Clone returned nil but make returns an empty map "
                "(== nil tests, JSON null vs {})"
            )
        fix = ctx.fix(
            f"Copy {m} into a map made with len({m})",
            [ctx.replace(stmt, ("\n" + ind).join(lines))],
            Applicability.UNSAFE if notes else Applicability.SAFE,
            "; ".join(notes) if notes else None,
            declares=declares,
            scope=function if declares else None,
        )
        yield ctx.report(node, message, fix, related)


def _maps_name(ctx: FileContext) -> str | None:
    names = [s.local_name for s in ctx.file.imports if s.path == "maps"]
    if len(names) != 1 or names[0] in ("_", "."):
        return None
    return names[0]


def _statement(call: Node) -> tuple[Node | None, Node | None]:
    """The statement the clone is the whole value of, and what it is assigned to."""
    current = call
    while current.parent is not None and current.parent.type == "parenthesized_expression":
        current = current.parent
    values = current.parent
    if values is None or values.type != "expression_list" or len(values.named_children) != 1:
        return None, None
    stmt = values.parent
    if stmt is None:
        return None, None
    if stmt.type == "return_statement":
        return stmt, None
    if stmt.type not in ("assignment_statement", "short_var_declaration"):
        return None, None
    if stmt.child_by_field_name("right") != values:
        return None, None
    op = stmt.child_by_field_name("operator")
    if op is not None and node_text(op) != "=":
        return None, None
    left = stmt.child_by_field_name("left")
    if left is None or len(left.named_children) != 1:
        return None, None
    return stmt, left.named_children[0]


def _bulk_delete(call: Node, source: Node, maps_name: str) -> Node | None:
    """A ``delete(source, k)`` in a loop, or ``maps.DeleteFunc(source, ...)``, before the call.

    The loop must precede the clone (not enclose it) in the same function.
    """
    function = enclosing_function(call)
    if function is None:
        return None
    stack = [function]
    while stack:
        node = stack.pop()
        if node.start_byte >= call.start_byte:
            continue
        if node.type == "func_literal" and node != function:
            continue
        stack.extend(node.children)
        if node.type != "call_expression":
            continue
        args = call_args(node)
        fn = node.child_by_field_name("function")
        if fn is None or not args or not same_expr(args[0], source):
            continue
        if fn.type == "identifier" and fn.text == b"delete":
            loop = enclosing(node, "for_statement")
            inside = loop is not None and enclosing_function(loop) == function
            if (
                inside
                and loop is not None
                and not (loop.start_byte <= call.start_byte < loop.end_byte)
            ):
                return node
        elif fn.type == "selector_expression":
            operand = fn.child_by_field_name("operand")
            field = fn.child_by_field_name("field")
            if (
                operand is not None
                and field is not None
                and node_text(operand) == maps_name
                and node_text(field) == "DeleteFunc"
            ):
                return node
    return None


def _no_fix_reason(
    ctx: FileContext, call: Node, stmt: Node | None, target: Node | None, source: Node
) -> str | None:
    if stmt is None:
        return "the clone is not a whole statement"
    if stmt.parent is None or stmt.parent.type != "statement_list":
        return "the statement is not directly in a block"
    if stmt.type == "short_var_declaration":
        if target is None or target.type != "identifier" or target.text == b"_":
            return "the clone is not assigned to a name"
        if node_text(target) in _identifiers(source):
            return f"{node_text(target)} is redeclared from itself"
    return None


def _identifiers(node: Node) -> set[str]:
    out: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "identifier":
            out.add(node_text(current))
        stack.extend(current.children)
    return out


def _declaring_file(ctx: FileContext, expr: Node) -> ParsedFile | None:
    """The file whose imports give meaning to ``expr``'s declared type."""
    root = expr
    while root.type == "selector_expression":
        inner = root.child_by_field_name("operand")
        if inner is None:
            break
        root = inner
    if expr.type == "identifier":
        decl = ctx.facts.scopes.declaration(expr)
        if decl is not None and decl.kind == "package_var":
            var = ctx.facts.model.vars.get(decl.name)
            return var.file if var is not None else None
        return ctx.file
    if expr.type == "selector_expression":
        operand = expr.child_by_field_name("operand")
        if operand is not None:
            owner = ctx.facts.scopes.type_of(operand)
            base = owner.elem if owner.kind == "pointer" and owner.elem is not None else owner
            if base.kind == "named" and base.name:
                info = ctx.facts.model.types.get(base.name)
                if info is not None:
                    return info.file
    return None


def _not_nil(ctx: FileContext, stmt: Node, source: Node) -> bool:
    """Whether ``source`` is visibly a non-nil map at ``stmt``."""
    # A write through it just before, in the same block: a nil map would have panicked.
    previous = stmt.prev_named_sibling
    while previous is not None:
        if previous.type in ("assignment_statement", "inc_statement", "dec_statement"):
            left = previous.child_by_field_name("left")
            targets = left.named_children if left is not None else previous.named_children
            for t in targets:
                if t.type == "index_expression" and same_expr(
                    t.child_by_field_name("operand"), source
                ):
                    return True
        previous = previous.prev_named_sibling
    # A local made with make or a literal, and only ever set from make, a literal or a
    # clone of itself.
    if source.type != "identifier":
        return False
    decl = ctx.facts.scopes.declaration(source)
    if decl is None or decl.kind not in ("short_var", "var") or decl.statement is None:
        return False
    function = enclosing_function(stmt)
    if function is None:
        return False
    init = _initialiser(decl.statement, decl.node)
    if init is None or not _non_nil_value(init, source):
        return False
    for node in _walk(function):
        if node.type not in ("assignment_statement", "short_var_declaration"):
            continue
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is None:
            continue
        for i, t in enumerate(left.named_children):
            if t.type != "identifier" or t.text != source.text or t == decl.node:
                continue
            if ctx.facts.scopes.declaration(t) != decl:
                continue
            values = right.named_children if right is not None else []
            value = values[i] if len(values) == len(left.named_children) else None
            if value is None or not _non_nil_value(value, source):
                return False
    for node in _walk(function):
        if node.type == "unary_expression" and node.child_by_field_name("operand") is not None:
            op = node.child_by_field_name("operator")
            operand = node.child_by_field_name("operand")
            if (
                op is not None
                and node_text(op) == "&"
                and operand is not None
                and same_expr(operand, source)
            ):
                return False
    return True


def _initialiser(statement: Node, name: Node) -> Node | None:
    if statement.type == "short_var_declaration":
        left = statement.child_by_field_name("left")
        right = statement.child_by_field_name("right")
    else:  # var_spec
        left = None
        right = statement.child_by_field_name("value")
    if right is None:
        return None
    values = right.named_children
    names = left.named_children if left is not None else statement.children_by_field_name("name")
    if len(values) != len(names) or name not in names:
        return None
    return values[names.index(name)]


def _non_nil_value(value: Node, source: Node) -> bool:
    while value.type == "parenthesized_expression" and value.named_children:
        value = value.named_children[0]
    if value.type == "composite_literal":
        return True
    if value.type == "call_expression":
        fn = value.child_by_field_name("function")
        if fn is not None and fn.type == "identifier" and fn.text == b"make":
            return True
        if fn is not None and fn.type == "selector_expression":
            field = fn.child_by_field_name("field")
            args = call_args(value)
            # maps.Clone of the map itself: non-nil when the map is.
            if field is not None and field.text == b"Clone" and args and same_expr(args[0], source):
                return True
    return False


def _walk(node: Node) -> list[Node]:
    out: list[Node] = []
    stack = [node]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(current.children)
    return out
