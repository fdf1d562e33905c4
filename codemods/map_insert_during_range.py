"""GMF301 map-insert-during-range."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tree_sitter import Node

from gomapfix.codemod import MAP_EVIDENCE, Codemod, FileContext, enclosing_function
from gomapfix.facts.scope import Declaration
from gomapfix.finding import Finding
from gomapfix.fix import Applicability, Edit, Fix
from gomapfix.gotypes import GoType, is_reflexive
from gomapfix.query import nodes_outside
from gomapfix.syntax import builtin_call, call_args, expr_key, same_expr, walk

_LOOPS = ("for_statement",)
_BREAKABLE = (
    "for_statement",
    "expression_switch_statement",
    "type_switch_statement",
    "select_statement",
)
_MANUAL_TITLE = "Range over collected keys: collect the keys of"
_WRITES = ("assignment_statement", "inc_statement", "dec_statement")
_BODY_KINDS = frozenset({*_WRITES, "expression_statement", "func_literal"})


class MapInsertDuringRange(Codemod):
    """
    What it finds:
        Inside ``for k, v := range m`` (``m`` an identifier or a field path such as
        ``s.index``, visibly a map), an assignment that may create an entry of that same
        map: ``m[x] = ...``, ``m[x] op= ...``, ``m[x]++`` / ``m[x]--`` where ``x`` is not
        the range key itself. Re-keying (``delete(m, k)`` then ``m[f(k)] = v``) is the
        common case. Not reported: updating the current entry (``m[k] = v2`` with the
        range key, which is defined), inserts into another map, inserts inside a function
        literal, loops that reassign ``m``, and inserts directly followed by a
        ``return``/``break``/``panic`` that ends the loop (no later iteration can see them).

    Why it is a hazard:
        The Go spec leaves it open whether an entry added during iteration is produced:
        it "may be produced during the iteration or may be skipped", and a re-keyed entry
        can come round again under its new key (measured: 1430-1522 visits over a
        1000-entry re-key loop, different on every run). Deleting during ``for range`` is
        NOT the problem, contrary to popular folklore: the spec defines it (an entry
        deleted before it is reached is simply not produced), so a plain filter-delete
        loop is correct and is never reported. Only inserting or re-keying is.

    Example:
        for k, v := range m {
            delete(m, k)
            m[strings.ToLower(k)] = v
        }

    Fixed:
        for k, v := range maps.Clone(m) {
            delete(m, k)
            m[strings.ToLower(k)] = v
        }

        Snapshot-then-act, by Go version. Key only: ``for _, k := range
        slices.Collect(maps.Keys(m))`` on Go 1.23+, else a manual key-collect loop
        (``keys := make([]K, 0, len(m)); for k := range m { keys = append(keys, k) }``)
        before ``for _, k := range keys``. Key and value: ``range maps.Clone(m)`` on Go
        1.21+, else the key-collect loop and ``v := m[k]`` as the first statement of the
        body. Note that ``range maps.Keys(m)`` alone is NOT a snapshot: since Go 1.23
        ``maps.Keys`` is a lazy iterator over the live map, so it has exactly the same
        problem; it must be collected (``slices.Collect``) first.

    Fix safety:
        unsafe: iterating a snapshot changes which entries the loop visits (new entries
        are never visited, a key deleted later by the body is still visited), which is
        usually the intent but needs a human to confirm. In the manual key+value form the
        value is read from the live map (``v := m[k]``), so an entry changed or deleted
        by an earlier iteration shows its new (or zero) value. No fix for the assignment
        form ``for k, v = range m``, or when the key type needed by the manual form is
        not visible.

    Minimum Go:
        any (manual key-collect); 1.21 for ``maps.Clone``; 1.23 for
        ``slices.Collect(maps.Keys(m))``.
    """

    code = "GMF301"
    name = "map-insert-during-range"
    summary = "An insert or re-key into the map being ranged over: visits are nondeterministic."
    family = "range"
    requires = ("scopes",)
    trigger_tokens = (b"range",)
    package_pattern = MAP_EVIDENCE

    def visit_for_statement(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        match = _match(ctx, node)
        if match is None:
            return
        m = ctx.text(match.map_expr)
        what = "re-key" if match.deletes else "insert"
        message = (
            f"map {what} during range over {m}: entries added while ranging may or may "
            f"not be visited, some twice"
        )
        fix, why_not = _snapshot_fix(ctx, match, count_earlier=True)
        if fix is None:
            message += f" (no automatic fix: {why_not})"
        related = [ctx.related(match.inserts[0], f"writes {m} here")]
        related.extend(ctx.related(other, f"also writes {m} here") for other in match.inserts[1:])
        yield ctx.report(node, message, fix, related)


@dataclass(frozen=True)
class _Match:
    loop: Node
    clause: Node
    map_expr: Node
    names: list[Node]
    """The range clause's left-hand side (empty for ``for range m``)."""
    defines: bool
    inserts: list[Node]
    deletes: bool
    map_type: GoType | None


def _match(ctx: FileContext, node: Node) -> _Match | None:
    clause = _range_clause(node)
    if clause is None:
        return None
    map_expr = clause.child_by_field_name("right")
    body = node.child_by_field_name("body")
    if map_expr is None or body is None or not _is_path(map_expr):
        return None
    if expr_key(map_expr) not in expr_key(body):
        # An insert writes ``map_expr[...]``: its text (white space aside, as same_expr
        # compares) must occur in the body. Cheaper than the walks below.
        return None
    root = _root_decl(ctx, map_expr)
    left = clause.child_by_field_name("left")
    names = list(left.named_children) if left is not None else []
    defines = any(c.type == ":=" for c in clause.children)
    key_node = names[0] if names else None
    # Whether the key variable is reassigned in the body: a walk, done only once a
    # write with the range key as index is met.
    key_rebound: bool | None = None
    inserts: list[Node] = []
    deletes = False
    for item in _body_nodes(body, ctx, map_expr, root):
        if item.type not in _WRITES:
            deletes = True
            continue
        for target in _write_targets(item):
            if not _same_map(ctx, target.child_by_field_name("operand"), map_expr, root):
                continue
            index = _unparen(target.child_by_field_name("index"))
            if _is_range_key(ctx, index, key_node, defines):
                if key_rebound is None:
                    assert key_node is not None  # _is_range_key needs one
                    key_rebound = _reassigns(body, key_node)
                if not key_rebound:
                    continue
            if _ends_loop_after(item, node):
                continue
            inserts.append(item)
            break
    # After the inserts (most loops have none): a body that reassigns the map itself
    # ranges over the old one and is not reported.
    if not inserts or _reassigns(body, map_expr):
        return None
    map_type = ctx.facts.scopes.map_type(map_expr)
    if map_type is None and not deletes:
        # Not visibly a map: indexing a slice or array in its own range is fine.
        return None
    return _Match(node, clause, map_expr, names, defines, inserts, deletes, map_type)


# Matching -------------------------------------------------------------------------------


def _range_clause(node: Node) -> Node | None:
    for child in node.named_children:
        if child.type == "range_clause":
            return child
    return None


def _unparen(node: Node | None) -> Node | None:
    while node is not None and node.type == "parenthesized_expression" and node.named_children:
        node = node.named_children[0]
    return node


def _is_path(expr: Node) -> bool:
    """An identifier or a selector path of identifiers: evaluating it has no effect."""
    current: Node | None = expr
    while current is not None and current.type == "selector_expression":
        current = current.child_by_field_name("operand")
    return current is not None and current.type == "identifier" and current.text != b"_"


def _root(expr: Node) -> Node:
    current = expr
    while current.type == "selector_expression":
        operand = current.child_by_field_name("operand")
        if operand is None:
            break
        current = operand
    return current


def _root_decl(ctx: FileContext, expr: Node) -> Declaration | None:
    return ctx.facts.scopes.declaration(_root(expr))


def _same_decl(a: Declaration | None, b: Declaration | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a.node.start_byte == b.node.start_byte and a.name == b.name


def _same_map(
    ctx: FileContext, operand: Node | None, map_expr: Node, root: Declaration | None
) -> bool:
    operand = _unparen(operand)
    if operand is None or not same_expr(operand, map_expr):
        return False
    return _same_decl(_root_decl(ctx, operand), root)


def _is_range_key(
    ctx: FileContext, index: Node | None, key_node: Node | None, defines: bool
) -> bool:
    if index is None or key_node is None or key_node.text == b"_":
        return False
    if defines:
        if index.type != "identifier":
            return False
        decl = ctx.facts.scopes.declaration(index)
        return decl is not None and decl.node == key_node
    return same_expr(index, key_node)


def _body_nodes(
    body: Node, ctx: FileContext, map_expr: Node, root: Declaration | None
) -> Iterator[Node]:
    """Writes and ``delete(m, ...)`` calls of the body, outside function literals."""
    for current in nodes_outside(_BODY_KINDS, body, _is_func_literal):
        if current.type in _WRITES:
            yield current
        else:
            call = builtin_call(current, "delete")
            args = call_args(call) if call is not None else []
            if args and _same_map(ctx, args[0], map_expr, root):
                yield current


def _is_func_literal(node: Node) -> bool:
    return node.type == "func_literal"


def _write_targets(stmt: Node) -> list[Node]:
    """The ``m[x]`` index expressions a write statement stores into."""
    if stmt.type == "assignment_statement":
        left = stmt.child_by_field_name("left")
        targets = left.named_children if left is not None else []
    else:
        targets = stmt.named_children[:1]
    out = []
    for target in targets:
        inner = _unparen(target)
        if inner is not None and inner.type == "index_expression":
            out.append(inner)
    return out


def _reassigns(body: Node, expr: Node) -> bool:
    """Whether the body assigns ``expr`` (or a prefix of its path) or takes its address.

    Function literals count too: a closure called in the loop could swap the map.
    """
    prefixes = set()
    current: Node | None = expr
    while current is not None:
        prefixes.add(current.text)
        current = (
            current.child_by_field_name("operand")
            if current.type == "selector_expression"
            else None
        )
    for item in walk(body):
        if item.type in ("assignment_statement", "short_var_declaration"):
            if item.type == "short_var_declaration":
                continue  # declares a new variable: resolution tells them apart
            left = item.child_by_field_name("left")
            for target in left.named_children if left is not None else []:
                inner = _unparen(target)
                if inner is not None and inner.text in prefixes:
                    return True
        elif item.type in ("inc_statement", "dec_statement"):
            inner = _unparen(item.named_children[0]) if item.named_children else None
            if inner is not None and inner.text in prefixes:
                return True
        elif item.type == "unary_expression":
            op = item.child_by_field_name("operator")
            operand = _unparen(item.child_by_field_name("operand"))
            if (
                op is not None
                and op.text == b"&"
                and operand is not None
                and operand.text in prefixes
            ):
                return True
        elif item.type == "range_clause" and not any(c.type == ":=" for c in item.children):
            left = item.child_by_field_name("left")
            for target in left.named_children if left is not None else []:
                inner = _unparen(target)
                if inner is not None and inner.text in prefixes:
                    return True
    return False


# Does control leave the loop right after the write? -------------------------------------


def _ends_loop_after(stmt: Node, loop: Node) -> bool:
    """Whether, once ``stmt`` has run, no further iteration of ``loop`` can start.

    True only when the statements that follow it (at its level or an enclosing one,
    within the loop body) surely reach a ``return``, a ``panic`` or a ``break`` out of the
    loop, with no ``continue``/``goto``/other jump on the way. False when unsure.
    """
    node = stmt
    while node != loop:
        parent = node.parent
        if parent is None or parent.type == "func_literal" or parent == loop:
            return False
        if parent.type == "statement_list":
            following = False
            for sibling in parent.named_children:
                if sibling == node:
                    following = True
                    continue
                if not following or sibling.type == "comment":
                    continue
                if _exits(sibling, loop):
                    return True
                if _jumps(sibling, loop):
                    return False
        elif parent.type in _LOOPS and _jumps(parent, loop):
            return False
        node = parent
    return False


def _target(branch: Node, loop: Node) -> Node | None:
    """The statement a break/continue leaves or continues (None when not found)."""
    label_node = next((c for c in branch.named_children if c.type == "label_name"), None)
    current = branch.parent
    while current is not None and current.type != "func_literal":
        if label_node is not None:
            if current.type == "labeled_statement":
                name = current.child_by_field_name("label")
                if name is not None and name.text == label_node.text:
                    return current.named_children[-1] if current.named_children else None
        elif branch.type == "continue_statement":
            if current.type == "for_statement":
                return current
        elif current.type in _BREAKABLE:
            return current
        current = current.parent
    return None


def _inside(node: Node, container: Node) -> bool:
    return container.start_byte <= node.start_byte and node.end_byte <= container.end_byte


def _exits(stmt: Node, loop: Node) -> bool:
    """``stmt`` itself unconditionally leaves ``loop``."""
    if stmt.type == "return_statement":
        return True
    if stmt.type == "expression_statement" and builtin_call(stmt, "panic") is not None:
        return True
    if stmt.type in ("break_statement", "continue_statement"):
        target = _target(stmt, loop)
        if target is None:
            return False
        if target == loop:
            return stmt.type == "break_statement"
        return not _inside(target, loop)  # a break/continue of an enclosing statement
    return False


def _jumps(stmt: Node, loop: Node) -> bool:
    """``stmt`` may transfer control somewhere other than its end, or out of ``loop``
    in a way that can start a new iteration (``continue`` of the loop, ``goto``...)."""
    for item in [stmt, *walk(stmt, skip_func_literals=True)]:
        if item.type in ("goto_statement", "fallthrough_statement"):
            return True
        if item.type not in ("break_statement", "continue_statement"):
            continue
        target = _target(item, loop)
        if target is None:
            return True
        if _inside(target, stmt):
            continue  # stays within stmt, or ends it
        if target == loop:
            if item.type == "continue_statement":
                return True
            continue  # a break of the loop ends it: harmless here
        if not _inside(target, loop):
            continue  # leaves the loop altogether
        return True
    return False


# The fix --------------------------------------------------------------------------------


def _snapshot_fix(ctx: FileContext, match: _Match, count_earlier: bool) -> tuple[Fix | None, str]:
    loop, clause, names, map_expr = match.loop, match.clause, match.names, match.map_expr
    if names and not match.defines:
        return None, "the range assigns existing variables (`=`); snapshot by hand"
    fn = enclosing_function(loop)
    m = ctx.text(map_expr)
    key = names[0] if names else None
    value = names[1] if len(names) > 1 and names[1].text != b"_" else None
    key_name = ctx.text(key) if key is not None and key.text != b"_" else None
    note = "iterates a snapshot: entries the body inserts are not visited, deleted ones still are"
    if match.deletes and _deletes_other_keys(ctx, match, key_name):
        # The body deletes entries other than the current one: Go's range never produces
        # an entry deleted before it is reached, so the snapshot must skip them too.
        return _checked_snapshot_fix(ctx, match, fn, key_name, value, count_earlier)

    if value is None:
        # for k := range m / for k, _ := range m / for range m
        if ctx.at_least(23):
            imported = _std_imports(ctx, fn, "maps", "slices")
            if imported is not None:
                names_, edits = imported
                snapshot = f"{names_['slices']}.Collect({names_['maps']}.Keys({m}))"
                if key_name is not None:
                    edit = ctx.replace(clause, f"_, {key_name} := range {snapshot}")
                else:
                    edit = ctx.replace(map_expr, snapshot)
                return ctx.fix(
                    f"Range over a snapshot of the keys of {m}",
                    [edit, *edits],
                    Applicability.UNSAFE,
                    note,
                ), ""
        return _manual_fix(ctx, match, fn, key_name, None, note, count_earlier)

    # for k, v := range m / for _, v := range m
    if ctx.at_least(21):
        imported = _std_imports(ctx, fn, "maps")
        if imported is not None:
            names_, edits = imported
            return ctx.fix(
                f"Range over a copy of {m}",
                [ctx.replace(map_expr, f"{names_['maps']}.Clone({m})"), *edits],
                Applicability.UNSAFE,
                note,
            ), ""
    return _manual_fix(
        ctx,
        match,
        fn,
        key_name,
        ctx.text(value),
        note + "; the value is read from the live map (v := m[k])",
        count_earlier,
    )


def _deletes_other_keys(ctx: FileContext, match: _Match, key_name: str | None) -> bool:
    """Whether the body deletes (or clears) entries of the map other than the current key."""
    body = match.loop.child_by_field_name("body")
    if body is None:
        return False
    for node in walk(body):
        call = node if node.type == "call_expression" else None
        if call is None:
            continue
        fn = call.child_by_field_name("function")
        if fn is None or fn.type != "identifier" or fn.text not in (b"delete", b"clear"):
            continue
        args = call_args(call)
        if not args or not same_expr(args[0], match.map_expr):
            continue
        if fn.text == b"clear" or len(args) < 2:
            return True
        if key_name is None or ctx.text(args[1]) != key_name:
            return True
    return False


def _checked_snapshot_fix(
    ctx: FileContext,
    match: _Match,
    fn: Node | None,
    key_name: str | None,
    value: Node | None,
    count_earlier: bool,
) -> tuple[Fix | None, str]:
    """A key snapshot whose body first skips keys the loop itself deleted meanwhile."""
    loop, clause, map_expr = match.loop, match.clause, match.map_expr
    m = ctx.text(map_expr)
    if fn is None:
        return None, "not inside a function"
    unfit = _lookup_unfit(ctx, match)
    if unfit is not None:
        return None, unfit
    body = loop.child_by_field_name("body")
    first = _first_item(body)
    if body is None or first is None:
        return None, "empty loop body"
    first_line = ctx.file.source.line_start(first.start_byte)
    if first_line <= body.start_byte:
        return None, "the loop body is on one line"
    k = key_name or ctx.unique_name("k", fn)
    ind = ctx.indent(loop) + "\t"
    declared: list[str] = [] if key_name else [k]
    if value is not None:
        ok = ctx.unique_name("ok", fn)
        declared.append(ok)
        check = (
            f"{ind}{ctx.text(value)}, {ok} := {m}[{k}]\n"
            f"{ind}if !{ok} {{\n{ind}\tcontinue // deleted earlier in this loop\n{ind}}}\n"
        )
    else:
        check = (
            f"{ind}if _, ok := {m}[{k}]; !ok {{\n"
            f"{ind}\tcontinue // deleted earlier in this loop\n{ind}}}\n"
        )
    note = (
        "iterates a snapshot of the keys: entries the body inserts are not visited; "
        "entries it deletes are skipped, as range does, and values are read live"
    )
    if ctx.at_least(23):
        imported = _std_imports(ctx, fn, "maps", "slices")
        if imported is not None:
            names_, edits = imported
            snapshot = f"{names_['slices']}.Collect({names_['maps']}.Keys({m}))"
            return ctx.fix(
                f"Range over a snapshot of the keys of {m}, skipping deleted ones",
                [
                    ctx.replace(clause, f"_, {k} := range {snapshot}"),
                    ctx.insert(first_line, check),
                    *edits,
                ],
                Applicability.UNSAFE,
                note,
                declares=declared,
                scope=fn,
            ), ""
    manual, why = _manual_fix(ctx, match, fn, k, None, note, count_earlier)
    if manual is None:
        return None, why
    return ctx.fix(
        manual.title,
        [*manual.edits, ctx.insert(first_line, check)],
        Applicability.UNSAFE,
        note,
        declares=declared,
        scope=fn,
    ), ""


def _lookup_unfit(ctx: FileContext, match: _Match) -> str | None:
    """Why a snapshot that looks entries up again (``m[k]``) would be wrong, if it would.

    A NaN key is never found by a lookup (NaN != NaN), so re-reading ``m[k]`` for it
    yields the zero value or "absent": found by the std-lib trial (runtime's
    TestGrowWithNaN). Only keys of a visibly reflexive type can be looked up again.
    """
    key = match.map_type.key if match.map_type is not None else None
    if key is None or is_reflexive(key, ctx.facts.model.resolve) is not True:
        what = key.text if key is not None and key.text else "not visible"
        return (
            f"the key type ({what}) may hold NaN, which a lookup never finds: a snapshot "
            "that reads m[k] again would lose those entries"
        )
    return None


def _manual_fix(
    ctx: FileContext,
    match: _Match,
    fn: Node | None,
    key_name: str | None,
    value_name: str | None,
    note: str,
    count_earlier: bool,
) -> tuple[Fix | None, str]:
    loop, clause, map_expr, map_type = match.loop, match.clause, match.map_expr, match.map_type
    m = ctx.text(map_expr)
    if map_type is None or map_type.key is None:
        return None, f"the type of {m} is not visible, so the key type of a snapshot is not"
    key_type = _usable_type_text(ctx, map_type.key, fn)
    if key_type is None:
        return None, f"key type {map_type.key.text or '?'} of {m} cannot be named here"
    if fn is None:
        return None, "not inside a function"
    if any(n.type == "goto_statement" for n in walk(fn)):
        return None, "the function uses goto; a new declaration could break it"
    parent = loop.parent
    head = parent if parent is not None and parent.type == "labeled_statement" else loop
    data = ctx.data
    line_start = ctx.file.source.line_start(head.start_byte)
    if data[line_start : head.start_byte].strip():
        return None, "the loop does not start its line"
    if head is not loop and ctx.file.source.line_start(loop.start_byte) == line_start:
        return None, "the label shares the loop's line"
    indent = ctx.indent(loop)
    # Fixes of one pass are applied together: loops of the same function fixed in the
    # same pass must not declare the same name, so each takes the next free one.
    earlier = _earlier_manual_fixes(ctx, loop, fn) if count_earlier else 0
    keys = _free_name(ctx, "keys", fn, earlier)
    collect_key = key_name
    if collect_key is None:
        collect_key = ctx.unique_name("k", fn)
    prelude = (
        f"{indent}{keys} := make([]{key_type}, 0, len({m}))\n"
        f"{indent}for {collect_key} := range {m} {{\n"
        f"{indent}\t{keys} = append({keys}, {collect_key})\n"
        f"{indent}}}\n"
    )
    edits = [ctx.insert(line_start, prelude)]
    if key_name is None and value_name is None:
        edits.append(ctx.replace(clause, f"range {keys}"))
    else:
        edits.append(ctx.replace(clause, f"_, {collect_key} := range {keys}"))
    if value_name is not None:
        unfit = _lookup_unfit(ctx, match)
        if unfit is not None:
            return None, unfit
        body = loop.child_by_field_name("body")
        first = _first_item(body)
        if body is None or first is None:
            return None, "empty loop body"
        first_line = ctx.file.source.line_start(first.start_byte)
        if first_line <= body.start_byte:
            return None, "the loop body is on one line"
        edits.append(ctx.insert(first_line, f"{indent}\t{value_name} := {m}[{collect_key}]\n"))
    return ctx.fix(f"{_MANUAL_TITLE} {m} first", edits, Applicability.UNSAFE, note), ""


def _earlier_manual_fixes(ctx: FileContext, loop: Node, fn: Node) -> int:
    """How many loops of ``fn`` before ``loop`` get a manual key-collect fix."""
    count = 0
    for other in walk(fn, skip_func_literals=True):
        if other.start_byte >= loop.start_byte:
            break
        if other.type != "for_statement":
            continue
        match = _match(ctx, other)
        if match is None:
            continue
        fix, _ = _snapshot_fix(ctx, match, count_earlier=False)
        if fix is not None and fix.title.startswith(_MANUAL_TITLE):
            count += 1
    return count


def _free_name(ctx: FileContext, base: str, fn: Node, skip: int) -> str:
    """The ``skip``-th (from 0) of ``base``, ``base2``, ... that ``fn`` does not use."""
    used = set(re.findall(rb"[A-Za-z_][A-Za-z0-9_]*", fn.text or b""))
    model = ctx.facts.model
    used.update(n.encode() for n in (*model.vars, *model.funcs, *model.types))
    n = 1
    while True:
        candidate = base if n == 1 else f"{base}{n}"
        if candidate.encode() not in used:
            if skip == 0:
                return candidate
            skip -= 1
        n += 1


def _first_item(body: Node | None) -> Node | None:
    """The first statement or comment inside a block."""
    if body is None:
        return None
    for child in body.named_children:
        if child.type == "statement_list":
            return child.children[0] if child.children else None
        return child
    return None


def _std_imports(
    ctx: FileContext, fn: Node | None, *paths: str
) -> tuple[dict[str, str], tuple[Edit, ...]] | None:
    """Local names and import edits for std packages, or None when a name is taken."""
    names, edits = ctx.imports(*paths)
    for path in paths:
        local = names[path]
        if ctx.file.import_name(path) is None and (
            any(spec.local_name == local for spec in ctx.file.imports) or _name_taken(ctx, local)
        ):
            return None
        if fn is not None and _declared_locally(ctx, local, fn):
            return None
    return names, edits


def _name_taken(ctx: FileContext, name: str) -> bool:
    model = ctx.facts.model
    return name in model.vars or name in model.funcs or name in model.types


def _declared_locally(ctx: FileContext, name: str, fn: Node) -> bool:
    """Whether an identifier ``name`` in ``fn`` refers to a declaration (not a package)."""
    for item in walk(fn):
        if (
            item.type == "identifier"
            and item.text == name.encode()
            and ctx.facts.scopes.declaration(item) is not None
        ):
            return True
    return False


def _usable_type_text(ctx: FileContext, t: GoType, fn: Node | None, depth: int = 0) -> str | None:
    """``t``'s text when it names the same type at the loop, else None."""
    if depth > 10:
        return None
    if t.kind == "basic":
        return t.text
    if t.kind == "named":
        if t.qualifier is not None:
            if any(spec.local_name == t.qualifier for spec in ctx.file.imports):
                return t.text
            return None
        if "[" in t.text:
            return None  # instantiated generic type: keep it simple
        if t.name in ctx.facts.model.types or (fn is not None and _type_param(fn, t.name)):
            return t.text
        return None
    if t.kind in ("pointer", "slice", "array", "chan"):
        if t.elem is None or _usable_type_text(ctx, t.elem, fn, depth + 1) is None:
            return None
        return t.text
    if t.kind == "struct":
        for _, ftype in t.fields:
            if _usable_type_text(ctx, ftype, fn, depth + 1) is None:
                return None
        return t.text
    if t.kind == "interface" and t.text.replace(" ", "") == "interface{}":
        return t.text
    return None


def _type_param(fn: Node, name: str | None) -> bool:
    params = fn.child_by_field_name("type_parameters")
    if params is None or name is None:
        return False
    for decl in params.named_children:
        for ident in decl.children_by_field_name("name"):
            if ident.text == name.encode():
                return True
    return False
