"""GMF501 read-after-delete."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from gomapfix.codemod import MAP_EVIDENCE, Codemod, FileContext, enclosing_function
from gomapfix.finding import Finding
from gomapfix.fix import Applicability, Fix
from gomapfix.syntax import builtin_call, call_args, expr_key, is_pure, walk

from ._zero_values import (
    identifiers,
    index_parts,
    is_path,
    path_prefixes,
    path_root,
    same_bindings,
    unparen,
)

# Builtins that cannot write to a map (``delete`` and ``clear`` can; ``copy`` writes a
# slice only; ``panic`` ends the path).
_HARMLESS_BUILTINS = frozenset(
    {
        "len",
        "cap",
        "append",
        "make",
        "new",
        "min",
        "max",
        "print",
        "println",
        "complex",
        "real",
        "imag",
        "string",
        "int",
        "int64",
        "uint64",
        "float64",
        "byte",
        "rune",
    }
)
_WRITES = ("assignment_statement", "short_var_declaration", "inc_statement", "dec_statement")
_ENDS = (
    "return_statement",
    "break_statement",
    "continue_statement",
    "goto_statement",
    "fallthrough_statement",
)


class ReadAfterDelete(Codemod):
    """
    What it finds:
        A read of ``m[k]`` after ``delete(m, k)`` of the same entry: the same map
        expression (an identifier or a field path such as ``s.conns``) and the same key
        expression (free of side effects and of index expressions, every name bound to
        the same variable), on the same straight-line path: the read is in a later
        statement of the statement list holding the ``delete`` (possibly nested in it,
        for example in an ``if`` condition or body, a ``return``, a call's arguments),
        and nothing in between may write the entry again. The scan stops at the first
        statement that holds any of these (reads in that statement still count when
        they are evaluated before it: a call's or an assignment's operands):

        - an assignment, ``++``/``--`` or ``:=`` to ``m[...]`` (any key), to ``m`` or
          its owner path (``s``, ``s.conns``), or to the key's variables, or their
          address taken (``&s``);
        - a call that mentions them (``s.refill(id)``, ``fill(m)``, ``s.mu.Unlock()``),
          other than builtins that cannot write a map; any call at all when ``m`` is a
          package-level variable;
        - a channel send or receive, a ``go`` or ``select`` statement (another
          goroutine may write the entry), a label or ``goto`` (a jump could reach the
          read without the delete).

        Reads inside a loop are reported only when nothing in the loop writes (a
        back-edge would run the write first). Not reported: reads inside function
        literals (they run later), the comma-ok form ``v, ok := m[k]`` (it asks the
        question), writes (``m[k] = v``, ``m[k]++``), and reads in other branches.

    Why it is a hazard:
        After ``delete(m, k)`` the entry is gone, so ``m[k]`` is always the zero value of
        the value type: 0, "", nil, a zero struct. Code that reads it almost always meant
        the value from before the delete (to return it, log it, or release it), and with
        pointer values the read is a nil dereference waiting to happen. Note that ``delete``
        itself is never the problem: it is a no-op on a nil map or a missing key.

    Example:
        delete(s.sessions, id)
        return s.sessions[id]

    Fixed:
        prev := s.sessions[id]
        delete(s.sessions, id)
        return prev

        Read the entry before deleting it. Where the code must tell a missing key from a
        stored zero value, use the comma-ok form ``prev, ok := s.sessions[id]`` there.

    Fix safety:
        display-only: whether the code wanted the old value, a different key, or nothing
        at all is a decision for a human; the suggested edit is never applied.

    Minimum Go:
        any.
    """

    code = "GMF501"
    name = "read-after-delete"
    summary = "m[k] read after delete(m, k) on the same path: always the zero value."
    family = "zero values"
    default_enabled = True
    requires = ("scopes",)
    trigger_tokens = (b"delete",)
    package_pattern = MAP_EVIDENCE

    def visit_expression_statement(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        call = builtin_call(node, "delete")
        if call is None:
            return
        args = call_args(call)
        if len(args) != 2:
            return
        map_expr, key = unparen(args[0]), args[1]
        if map_expr is None or not is_path(map_expr) or not is_pure(key):
            return
        if any(n.type == "index_expression" for n in [key, *walk(key)]):
            return
        parent = node.parent
        if parent is None or parent.type != "statement_list":
            return
        reads = reads_after_delete(ctx, node)
        if not reads:
            return
        m, k = ctx.text(map_expr), ctx.text(key)
        message = (
            f"{m}[{k}] read after delete({m}, {k}): the entry is gone, "
            f"so this is always the zero value"
        )
        fix = _fix(ctx, node, reads, m, k)
        related = [ctx.related(node, "deleted here")]
        for read in reads:
            yield ctx.report(read, message, fix, related)
            fix = None  # one suggestion, on the first read


def reads_after_delete(ctx: FileContext, delete_stmt: Node) -> list[Node]:
    """The reads of ``m[k]`` on the straight-line path after the statement
    ``delete(m, k)`` (empty when it is not such a statement or the shape is not met)."""
    parent = delete_stmt.parent
    call = builtin_call(delete_stmt, "delete")
    args = call_args(call) if call is not None else []
    if parent is None or parent.type != "statement_list" or len(args) != 2:
        return []
    map_expr, key = unparen(args[0]), args[1]
    if map_expr is None or not is_path(map_expr) or not is_pure(key):
        return []
    if any(n.type == "index_expression" for n in [key, *walk(key)]):
        return []
    siblings = [c for c in parent.named_children if c.type != "comment"]
    after = siblings[siblings.index(delete_stmt) + 1 :]
    root_decl = ctx.facts.scopes.declaration(path_root(map_expr))
    package_level = root_decl is None or root_decl.kind == "package_var"
    watched = path_prefixes(map_expr) | {expr_key(i) for i in identifiers(key)}
    reads: list[Node] = []
    for stmt in after:
        if stmt.type == "labeled_statement":
            break  # a goto may reach it without passing the delete
        barriers = _barriers(ctx, stmt, map_expr, watched, package_level)
        reads.extend(
            r for r in _reads_in(ctx, stmt, map_expr, key) if _before_all(r, barriers, stmt)
        )
        if barriers or stmt.type in _ENDS:
            break
    return reads


def _before_all(read: Node, barriers: list[Node], stmt: Node) -> bool:
    """Whether ``read`` is evaluated before every barrier of ``stmt``.

    A call or assignment evaluates its operands first, so a read inside one comes before
    it; otherwise the barrier must come later in the text and share no loop with the read
    (a back-edge would run it first).
    """
    for b in barriers:
        if b.start_byte <= read.start_byte and read.end_byte <= b.end_byte:
            if b.type in ("call_expression", *_WRITES) and not _loop_between(read, b):
                continue
            return False
        if b.start_byte < read.end_byte:
            return False
        if _shared_loop(read, b, stmt):
            return False
    return True


def _loop_between(inner: Node, outer: Node) -> bool:
    current = inner.parent
    while current is not None and current != outer:
        if current.type in ("for_statement", "func_literal"):
            return True
        current = current.parent
    return False


def _shared_loop(a: Node, b: Node, stmt: Node) -> bool:
    current: Node | None = a
    while current is not None:
        if current.type in ("for_statement", "func_literal") and (
            current.start_byte <= b.start_byte and b.end_byte <= current.end_byte
        ):
            return True
        if current == stmt:
            break
        current = current.parent
    return False


def _reads_in(ctx: FileContext, stmt: Node, map_expr: Node, key: Node) -> list[Node]:
    out: list[Node] = []
    for n in [stmt, *walk(stmt, skip_func_literals=True)]:
        if n.type == "generic_type" and _same_conversion_target(ctx, n, map_expr, key):
            out.append(n)  # m[k](x) parses as a conversion to a generic type
            continue
        parts = index_parts(n)
        if parts is None:
            continue
        operand, index = parts
        if not same_bindings(ctx, operand, map_expr) or not same_bindings(ctx, index, key):
            continue
        if _is_comma_ok(n) or _is_write_target(n):
            continue
        out.append(n)
    return out


def _same_conversion_target(ctx: FileContext, node: Node, map_expr: Node, key: Node) -> bool:
    """``m[k]`` in ``m[k](x)`` (a generic type node) names ``map_expr[key]``."""
    parent = node.parent
    if parent is None or parent.type != "type_conversion_expression":
        return False
    if expr_key(node) != f"{expr_key(map_expr)}[{expr_key(key)}]":
        return False
    scopes = ctx.facts.scopes
    base = node.child_by_field_name("type")
    if base is None:
        return False
    base_root = base.child_by_field_name("package") if base.type == "qualified_type" else base
    if base_root is None:
        return False
    names = [
        n
        for n in walk(node)
        if n.type in ("type_identifier", "package_identifier") and n.start_byte >= base.end_byte
    ]
    key_ids = identifiers(key)
    if len(key_ids) != 1 or len(names) < 1:
        return False

    def same(a: Node, b: Node) -> bool:
        da, db = scopes.declaration(a), scopes.declaration(b)
        return da is not None and db is not None and da.node == db.node

    return same(base_root, path_root(map_expr)) and same(names[0], key_ids[0])


def _is_comma_ok(index: Node) -> bool:
    lst = index.parent
    stmt = lst.parent if lst is not None else None
    if lst is None or stmt is None or lst.type != "expression_list":
        return False
    if stmt.type not in ("short_var_declaration", "assignment_statement", "var_spec"):
        return False
    if stmt.child_by_field_name("right") != lst and stmt.child_by_field_name("value") != lst:
        return False
    left = stmt.child_by_field_name("left")
    names = stmt.children_by_field_name("name")
    count = len(left.named_children) if left is not None else len(names)
    return count == 2 and len(lst.named_children) == 1


def _is_write_target(index: Node) -> bool:
    parent = index.parent
    if parent is None:
        return False
    if parent.type in ("inc_statement", "dec_statement"):
        return True
    if parent.type == "expression_list":
        stmt = parent.parent
        return (
            stmt is not None
            and stmt.type == "assignment_statement"
            and stmt.child_by_field_name("left") == parent
        )
    return False


def _barriers(
    ctx: FileContext, stmt: Node, map_expr: Node, watched: set[str], package_level: bool
) -> list[Node]:
    """The nodes of ``stmt`` that may put the entry back, change the map or the key, or
    let another goroutine do so. Function literals are searched too: one may be called
    right here."""
    out: list[Node] = []
    map_key = expr_key(map_expr)
    for n in [stmt, *walk(stmt)]:
        kind = n.type
        if kind in _WRITES:
            for target in _targets(n):
                inner = unparen(target)
                if inner is None:
                    continue
                parts = index_parts(inner)
                if expr_key(inner) in watched or (
                    parts is not None and expr_key(parts[0]) in watched
                ):
                    out.append(n)
                    break
        elif kind == "unary_expression":
            op = n.child_by_field_name("operator")
            operand = unparen(n.child_by_field_name("operand"))
            if (
                op is not None
                and operand is not None
                and (op.text == b"<-" or (op.text == b"&" and _mentions(operand, watched)))
            ):
                out.append(n)
        elif kind == "range_clause":
            left = n.child_by_field_name("left")
            if (
                not any(c.type == ":=" for c in n.children)
                and left is not None
                and _mentions(left, watched)
            ):
                out.append(n)
        elif kind in (
            "send_statement",
            "go_statement",
            "select_statement",
            "labeled_statement",
            "goto_statement",
        ):
            out.append(n)
        elif kind == "call_expression":
            fn = n.child_by_field_name("function")
            if (
                fn is not None
                and fn.type == "identifier"
                and ctx.text(fn) in _HARMLESS_BUILTINS | {"panic"}
                and ctx.facts.scopes.declaration(fn) is None
            ):
                continue
            if package_level or _mentions(n, watched, map_key):
                out.append(n)
    return out


def _targets(stmt: Node) -> list[Node]:
    if stmt.type in ("inc_statement", "dec_statement"):
        return stmt.named_children[:1]
    left = stmt.child_by_field_name("left")
    return list(left.named_children) if left is not None else []


def _mentions(node: Node, watched: set[str], map_key: str | None = None) -> bool:
    """Whether ``node`` refers to a watched name or path; reads ``m[...]`` of the map
    itself (``map_key``) pass a value, not the map, so they do not count."""
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type in ("identifier", "selector_expression") and expr_key(n) in watched:
            return True
        if map_key is not None:
            parts = index_parts(n)
            if parts is not None and expr_key(parts[0]) == map_key and not _has_call(parts[1]):
                continue
        stack.extend(n.children)
    return False


def _has_call(node: Node) -> bool:
    return any(n.type == "call_expression" for n in [node, *walk(node)])


def _fix(ctx: FileContext, delete_stmt: Node, reads: list[Node], m: str, k: str) -> Fix | None:
    fn = enclosing_function(delete_stmt)
    if fn is None:
        return None
    line_start = ctx.file.source.line_start(delete_stmt.start_byte)
    if ctx.data[line_start : delete_stmt.start_byte].strip():
        return None
    name = ctx.unique_name("prev", fn)
    indent = ctx.indent(delete_stmt)
    edits = [ctx.insert(line_start, f"{indent}{name} := {m}[{k}]\n")]
    edits.extend(ctx.replace(read, name) for read in reads)
    return ctx.fix(
        f"Read {m}[{k}] before deleting it",
        edits,
        Applicability.DISPLAY_ONLY,
        f"use the comma-ok form ({name}, ok := {m}[{k}]) where a missing key must be told "
        "apart from a stored zero value",
        declares=(name,),
        scope=fn,
    )
