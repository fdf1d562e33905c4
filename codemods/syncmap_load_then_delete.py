"""GMF701 syncmap-load-then-delete."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from gomapfix.codemod import SYNC_MAP_EVIDENCE, Codemod, FileContext
from gomapfix.finding import Finding
from gomapfix.fix import Applicability, Edit
from gomapfix.parse import node_text
from gomapfix.syntax import call_args, is_pure, same_expr, statements

from ._syncmap import is_sync_map as _is_sync_map

_LEAVING = frozenset({"return_statement", "goto_statement"})
_BREAK_TARGETS = frozenset(
    {"for_statement", "expression_switch_statement", "type_switch_statement", "select_statement"}
)
_WRITES = frozenset(
    {
        "assignment_statement",
        "short_var_declaration",
        "inc_statement",
        "dec_statement",
        "var_spec",
        "range_clause",
        "receive_statement",
    }
)


class SyncMapLoadThenDelete(Codemod):
    """
    What it finds:
        ``if v, ok := sm.Load(k); ok { ...; sm.Delete(k) ... }`` where ``sm`` is visibly a
        ``sync.Map`` or ``*sync.Map`` (a package variable, struct field, parameter or
        local declared with that type, or a package struct embedding ``sync.Map`` and
        not redefining those methods) and the ``Delete`` uses the same key expression.

    Why it is a hazard:
        Check-then-act on a ``sync.Map`` is not atomic. Each call is safe on its own, but
        between ``Load`` and ``Delete`` another goroutine can ``Load`` the same entry, so
        both see ``ok`` and both process the value (a job run twice, a token accepted
        twice, a connection closed twice). Measured on Go 1.27: 7 double-processed rounds
        out of 20000, 311 under ``-race``, and the race detector reports nothing, because
        there is no data race: every access is synchronised, only the logic is racy.
        ``LoadAndDelete`` (Go 1.15+) removes the entry and returns it in one atomic step:
        exactly one caller gets ``ok``.
        The popular claim that ``sync.Map.Delete`` leaks memory through the "dirty map" is
        false since Go 1.24 (sync.Map is a HashTrieMap that prunes on delete); before 1.24
        deleted keys could stay in the read-only map until its next rebuild, which is at
        most worth a note. This rule is about atomicity, not memory.

    Example:
        if job, ok := pending.Load(id); ok {
            run(job)
            pending.Delete(id)
        }

    Fixed:
        if job, ok := pending.LoadAndDelete(id); ok {
            run(job)
        }

    Fix safety:
        safe for the exact shape: the ``Delete`` is a statement directly in the ``if``
        block, nothing before it in the block can leave the block (``return``, ``break``,
        ``continue``, ``goto``, ``panic``, outside function literals), nothing before it
        uses ``sm`` or assigns to the key's variables, and the key and map expressions
        are free of side effects. The entry now disappears before the block runs instead
        of after its first statements, which is the point of the fix. Otherwise unsafe
        (for example a ``Delete`` inside an inner ``if``: ``LoadAndDelete`` deletes on
        every path). A ``Delete`` line carrying a comment is downgraded to unsafe by the
        engine, since the fix removes that line. When the block holds only the
        ``Delete``, the whole statement is just ``sm.Delete(k)`` (no version needed).

    Minimum Go:
        1.15 (``sync.Map.LoadAndDelete``); below, the finding is reported without a fix.
    """

    code = "GMF701"
    name = "syncmap-load-then-delete"
    summary = "sync.Map Load then Delete of the same key: not atomic, use LoadAndDelete."
    family = "sync.Map"
    requires = ("scopes",)
    trigger_tokens = (b"Delete",)
    package_pattern = SYNC_MAP_EVIDENCE

    def visit_if_statement(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        shape = _load_shape(node)
        if shape is None:
            return
        load_call, sm, key, value_name = shape
        if not _is_sync_map(ctx, sm):
            return
        block = node.child_by_field_name("consequence")
        if block is None:
            return
        deletes = _delete_statements(block, sm, key)
        if not deletes:
            return
        sm_text, key_text = node_text(sm), node_text(key)
        message = (
            f"{sm_text}.Load({key_text}) then {sm_text}.Delete({key_text}) is not atomic: "
            "two goroutines can both load the entry and both process it; "
            "use LoadAndDelete"
        )
        related = [ctx.related(d, "deleted here") for d in deletes]
        body = statements(block)
        only_delete = len(body) == 1 and body[0] == deletes[0] and len(deletes) == 1
        if only_delete and node.child_by_field_name("alternative") is None:
            if value_name != "_":
                return  # does not compile (unused v); leave it to the compiler
            if node.parent is None or node.parent.type != "statement_list":
                yield ctx.report(load_call, message, None, related)  # else-if, labelled
                return
            fix = ctx.fix(
                f"Replace the check-then-delete with {sm_text}.Delete({key_text})",
                [ctx.replace(node, node_text(deletes[0]))],
                Applicability.SAFE if is_pure(key) and is_pure(sm) else Applicability.UNSAFE,
                None if is_pure(key) and is_pure(sm) else "the key is evaluated once less",
            )
            yield ctx.report(load_call, message, fix, related)
            return
        if not ctx.at_least(15):
            yield ctx.report(
                load_call,
                message + " (needs go 1.15; no fix for this module's go version)",
                None,
                related,
            )
            return
        edits: list[Edit] = []
        method = _method_node(load_call)
        if method is None:
            return
        edits.append(ctx.replace(method, "LoadAndDelete"))
        for d in deletes:
            removal = _line_removal(ctx, d)
            if removal is None:
                yield ctx.report(load_call, message, None, related)
                return
            edits.append(removal)
        problems = _problems(block, deletes, sm, key)
        fix = ctx.fix(
            f"Use {sm_text}.LoadAndDelete({key_text}) and drop the Delete",
            edits,
            Applicability.UNSAFE if problems else Applicability.SAFE,
            "; ".join(problems) if problems else None,
        )
        yield ctx.report(load_call, message, fix, related)


def _load_shape(node: Node) -> tuple[Node, Node, Node, str] | None:
    """(Load call, map expression, key, value name) for ``if v, ok := sm.Load(k); ok``."""
    init = node.child_by_field_name("initializer")
    cond = node.child_by_field_name("condition")
    if init is None or cond is None or init.type != "short_var_declaration":
        return None
    left = init.child_by_field_name("left")
    right = init.child_by_field_name("right")
    if left is None or right is None:
        return None
    names = left.named_children
    values = right.named_children
    if len(names) != 2 or len(values) != 1 or cond.type != "identifier":
        return None
    if names[1].text == b"_" or names[1].text != cond.text:
        return None
    call = values[0]
    if call.type != "call_expression":
        return None
    fn = call.child_by_field_name("function")
    if fn is None or fn.type != "selector_expression":
        return None
    field = fn.child_by_field_name("field")
    sm = fn.child_by_field_name("operand")
    args = call_args(call)
    if field is None or sm is None or node_text(field) != "Load" or len(args) != 1:
        return None
    return call, sm, args[0], node_text(names[0])


def _delete_call(stmt: Node, sm: Node, key: Node) -> bool:
    if stmt.type != "expression_statement" or not stmt.named_children:
        return False
    call = stmt.named_children[0]
    if call.type != "call_expression":
        return False
    fn = call.child_by_field_name("function")
    if fn is None or fn.type != "selector_expression":
        return False
    field = fn.child_by_field_name("field")
    args = call_args(call)
    return (
        field is not None
        and node_text(field) == "Delete"
        and same_expr(fn.child_by_field_name("operand"), sm)
        and len(args) == 1
        and same_expr(args[0], key)
    )


def _delete_statements(block: Node, sm: Node, key: Node) -> list[Node]:
    """``sm.Delete(key)`` statements in the block, not inside function literals."""
    out: list[Node] = []
    stack = list(reversed(block.children))
    while stack:
        node = stack.pop()
        if node.type == "func_literal":
            continue
        if _delete_call(node, sm, key):
            out.append(node)
            continue
        stack.extend(reversed(node.children))
    return out


def _method_node(call: Node) -> Node | None:
    fn = call.child_by_field_name("function")
    return fn.child_by_field_name("field") if fn is not None else None


def _line_removal(ctx: FileContext, stmt: Node) -> Edit | None:
    """The edit removing ``stmt``'s whole line, when the statement is alone on it."""
    data = ctx.data
    start = data.rfind(b"\n", 0, stmt.start_byte) + 1
    end = data.find(b"\n", stmt.end_byte)
    if end < 0:
        return None
    if data[start : stmt.start_byte].strip() or data[stmt.end_byte : end].strip(b" \t;"):
        # Something else on the line: keep the text, but only when it is a comment the
        # engine can see (it then downgrades the fix); otherwise do not guess.
        rest = data[stmt.end_byte : end].strip()
        if data[start : stmt.start_byte].strip() or not rest.startswith(b"//"):
            return None
    return ctx.edit(start, end + 1, "")


def _problems(block: Node, deletes: list[Node], sm: Node, key: Node) -> list[str]:
    problems: list[str] = []
    body = statements(block)
    if len(deletes) != 1 or deletes[0] not in body:
        problems.append(
            "the Delete is conditional inside the block; LoadAndDelete deletes on every path"
        )
        return problems
    if not is_pure(key) or not is_pure(sm):
        problems.append("the key or map expression may have side effects")
    before = body[: body.index(deletes[0])]
    idents = _identifiers(key) | _identifiers(sm)
    for stmt in before:
        if _can_leave(stmt):
            problems.append(
                "a statement before the Delete can leave the block, and the entry was kept then"
            )
            break
    for stmt in before:
        if _mentions(stmt, sm):
            problems.append(f"{node_text(sm)} is used before the Delete; it no longer sees the key")
            break
    for stmt in before:
        if _assigns(stmt, idents):
            problems.append("the key may change before the Delete")
            break
    return problems


def _identifiers(expr: Node) -> set[str]:
    out: set[str] = set()
    stack = [expr]
    while stack:
        node = stack.pop()
        if node.type == "identifier":
            out.add(node_text(node))
        elif node.type == "selector_expression":
            operand = node.child_by_field_name("operand")
            if operand is not None:
                stack.append(operand)
            continue
        stack.extend(node.children)
    return out


def _can_leave(stmt: Node) -> bool:
    """Whether ``stmt`` may transfer control out of the enclosing block (not returning)."""
    return _leaves(stmt, inside_loop=False, inside_breakable=False)


def _leaves(node: Node, inside_loop: bool, inside_breakable: bool) -> bool:
    kind = node.type
    if kind == "func_literal":
        return False
    if kind in _LEAVING:
        return True
    if kind in ("break_statement", "continue_statement"):
        labelled = any(c.type == "label_name" for c in node.named_children)
        if labelled:
            return True
        if kind == "break_statement":
            return not inside_breakable
        return not inside_loop
    if kind == "call_expression":
        fn = node.child_by_field_name("function")
        if fn is not None and fn.type == "identifier" and node_text(fn) == "panic":
            return True
    loop = inside_loop or kind == "for_statement"
    breakable = inside_breakable or kind in _BREAK_TARGETS
    return any(_leaves(c, loop, breakable) for c in node.children)


def _mentions(stmt: Node, sm: Node) -> bool:
    stack = [stmt]
    while stack:
        node = stack.pop()
        if node.type == sm.type and same_expr(node, sm):
            return True
        stack.extend(node.children)
    return False


def _assigns(stmt: Node, idents: set[str]) -> bool:
    stack = [stmt]
    while stack:
        node = stack.pop()
        if node.type in _WRITES:
            targets = [node.child_by_field_name("left"), *node.children_by_field_name("name")]
            if node.type in ("inc_statement", "dec_statement"):
                targets = list(node.named_children)
            for target in targets:
                if target is not None and _identifiers(target) & idents:
                    return True
        if node.type == "unary_expression":
            op = node.child_by_field_name("operator")
            operand = node.child_by_field_name("operand")
            if (
                op is not None
                and node_text(op) == "&"
                and operand is not None
                and _identifiers(operand) & idents
            ):
                return True
        stack.extend(node.children)
    return False
