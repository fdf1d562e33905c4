"""GMF201 nil-map-write.

Two shapes of a write to a map that may be nil:

* a local ``var m map[K]V`` (or ``var s Set`` of a package map type) that is written
  before anything could have made it: the fix makes it at the declaration;
* a struct field of map type that nothing in the package initialises, written through
  the struct: the fix inserts a nil guard before the write when the owner is
  addressable, and offers no fix on a copy (value receiver, struct parameter).

The helpers at the bottom (type text usability, write targets, var-block re-alignment)
are shared with GMF202 (``nested_nil_map_write``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache

from tree_sitter import Node

from gomapfix.codemod import MAP_EVIDENCE, Codemod, FileContext
from gomapfix.facts.package import PackageModel, TypeInfo
from gomapfix.facts.store import PackageFacts
from gomapfix.finding import Finding
from gomapfix.fix import Applicability, Edit
from gomapfix.gotypes import BASIC_TYPES, GoType, type_from_node
from gomapfix.layout import align_comments
from gomapfix.parse import ParsedFile, node_text, parse_source
from gomapfix.query import file_nodes, index_kinds, nodes_of_types
from gomapfix.source import SourceText
from gomapfix.syntax import expr_key, has_comments, is_pure, walk

PANIC = 'writes to a nil map panic ("assignment to entry in nil map")'
FINE = "reads, len, range and delete on a nil map are fine"

FUNCTION_TYPES = ("function_declaration", "method_declaration", "func_literal")
STATEMENT_CONTAINERS = ("statement_list",)


class NilMapWrite(Codemod):
    """
    What it finds:
        A write (``m[k] = v``, ``m[k]++``, ``m[k] += v``, ``m[k] = append(m[k], x)``) to
        a map that may be nil:

        * a local ``var m map[K]V`` (or ``var s Set`` where ``type Set map[...]`` is
          declared in the package) written later in the same function, with no
          assignment to ``m``, no ``&m`` and no method call on ``m`` before the write;
        * an unexported struct field of map type that nothing in the package
          initialises (no composite literal sets it, keyed or positional; no
          ``x.f = ...``; no ``&x.f``), written through the struct: ``s.f[k] = v``.
          Exported fields are left alone: other packages may initialise them.

        Map parameters (``func f(m map[string]int) { m["a"] = 1 }``) are not reported:
        whether the caller passes nil is unknown here.

    Why it is a hazard:
        A nil map has no hash table to insert into, so every write to it panics with
        "assignment to entry in nil map". Reads are fine: a nil map behaves as an empty
        one, so ``m[k]`` returns the zero value, ``len(m)`` is 0 and ``range`` does
        nothing. ``delete`` is fine too, contrary to a popular belief: the Go spec says
        "If the map m is nil or the element m[k] does not exist, delete is a no-op".
        So the guard belongs before writes, never before ``delete`` (see GMF203).

    Example:
        func distinct(words []string) int {
            var counts map[string]int
            for _, w := range words {
                counts[w]++ // panics on the first word
            }
            return len(counts)
        }

        func (r *Registry) Add(name string, h Handler) {
            r.handlers[name] = h // no constructor or literal ever sets handlers
        }

    Fixed:
        counts := make(map[string]int) // at the declaration; in a var block the spec
                                       // becomes counts = make(map[string]int)

        if r.handlers == nil {
            r.handlers = make(map[string]Handler)
        }
        r.handlers[name] = h

    Fix safety:
        safe for the two shapes above. The local fix is lowered to unsafe when the map
        is compared with nil, returned, passed to a function or stored anywhere in the
        function: then nil becomes empty on paths that never write, and that difference
        is observable (JSON encodes a nil map as null and an empty one as {}).
        No fix when the struct is a copy (value receiver, struct passed by value, range
        value): the map would be made in the copy and lost when the function returns,
        trading a panic for silent data loss; the message says to initialise the field
        where the struct is built, or to use a pointer receiver. No fix either when the
        owner expression has side effects or is a map element (not addressable).

    Minimum Go:
        any (``make`` and the nil comparison exist in every version).
    """

    code = "GMF201"
    name = "nil-map-write"
    summary = "A write to a map that may be nil (a var never made, a field never initialised)."
    family = "nil maps"
    requires = ("package model", "scopes")
    trigger_tokens = (b"[",)
    package_pattern = MAP_EVIDENCE

    def visit_function_declaration(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        yield from self._function(ctx, node)

    def visit_method_declaration(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        yield from self._function(ctx, node)

    def visit_func_literal(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        # Function literals inside functions are handled with their outermost function
        # (``function_index`` knows only outermost functions: None for the others).
        yield from self._function(ctx, node)

    def _function(self, ctx: FileContext, fn: Node) -> Iterator[Finding]:
        index = function_index(ctx, fn)
        if index is None:
            return
        for spec in index.var_specs:
            yield from _local_findings(ctx, index, spec)
        yield from _field_findings(ctx, index)


# The function index ------------------------------------------------------------------


_INDEXED_KINDS = frozenset(
    {
        "var_spec",
        "index_expression",
        "type_spec",
        "type_alias",
        "goto_statement",
        "for_statement",
    }
)
_FUNCTION_KINDS = frozenset(FUNCTION_TYPES)
index_kinds(_INDEXED_KINDS | _FUNCTION_KINDS)


@dataclass
class FunctionIndex:
    """The nodes of one function (function literals included) that both rules look at.

    Built for every outermost function of a file at once (``function_index``): one
    tree-sitter query per file instead of one per function. The identifiers, which only
    a few candidates need and which are most of a body's nodes, are collected on first
    use.
    """

    fn: Node
    body: Node
    var_specs: list[Node] = field(default_factory=list)
    writes: list[tuple[Node, Node]] = field(default_factory=list)
    """(index expression written, statement holding the write), in source order."""
    index_exprs: list[Node] = field(default_factory=list)
    local_types: set[str] = field(default_factory=set)
    has_goto: bool = False
    loops: list[Node] = field(default_factory=list)
    _identifiers: dict[str, list[Node]] | None = None
    _written_names: frozenset[str] | None = None

    @property
    def identifiers(self) -> dict[str, list[Node]]:
        """Identifiers of the body by name, in source order."""
        if self._identifiers is None:
            found: dict[str, list[Node]] = {}
            for node in nodes_of_types(frozenset({"identifier"}), self.body):
                found.setdefault(node_text(node), []).append(node)
            self._identifiers = found
        return self._identifiers

    @property
    def written_names(self) -> frozenset[str]:
        """Names of the identifiers written as maps (``m[k] = v``, ``(m)[k]++``): a local
        map is reported only at such a write, so a var spec none of whose names is here
        needs no type resolution (which may read deferred files of the package)."""
        if self._written_names is None:
            names: set[str] = set()
            for target, _stmt in self.writes:
                operand = target.child_by_field_name("operand")
                if operand is not None:
                    operand = unparen(operand)
                    if operand.type == "identifier":
                        names.add(node_text(operand))
            self._written_names = frozenset(names)
        return self._written_names


def _add_var_spec(index: FunctionIndex, node: Node) -> None:
    index.var_specs.append(node)


def _add_index_expression(index: FunctionIndex, node: Node) -> None:
    index.index_exprs.append(node)
    stmt = write_statement(node)
    if stmt is not None:
        index.writes.append((node, stmt))


def _add_type_spec(index: FunctionIndex, node: Node) -> None:
    name = node.child_by_field_name("name")
    if name is not None:
        index.local_types.add(node_text(name))


def _add_goto(index: FunctionIndex, node: Node) -> None:
    index.has_goto = True


def _add_loop(index: FunctionIndex, node: Node) -> None:
    index.loops.append(node)


_ADDERS: dict[str, Callable[[FunctionIndex, Node], None]] = {
    "var_spec": _add_var_spec,
    "index_expression": _add_index_expression,
    "type_spec": _add_type_spec,
    "type_alias": _add_type_spec,
    "goto_statement": _add_goto,
    "for_statement": _add_loop,
}
"""How a node of each of ``_INDEXED_KINDS`` (inside an outermost function's body) is
recorded in its index; each list keeps document order."""


def function_index(ctx: FileContext, fn: Node) -> FunctionIndex | None:
    """The index of ``fn`` when it is an outermost function with a body, else None.

    Cached per file (GMF201 and GMF202 share it): the first call indexes every
    outermost function of the file.
    """
    per_file: dict[str, dict[Node, FunctionIndex]] = ctx.facts.cached(
        "nil-map-write/function-indexes", lambda _facts: {}
    )
    indexes = per_file.get(ctx.path)
    if indexes is None:
        indexes = _index_file(ctx.file)
        per_file[ctx.path] = indexes
    return indexes.get(fn)


def _index_file(parsed: ParsedFile) -> dict[Node, FunctionIndex]:
    """A FunctionIndex for every outermost function (no function around it) with a body.

    Each kind's nodes come from the file's node index one kind at a time (in document
    order), and are matched to the outermost functions by a merge over both sorted
    sequences: filtering the file's whole index down to these kinds cost more than the
    matching itself.
    """
    functions: list[Node] = []
    for kind in _FUNCTION_KINDS:
        functions.extend(file_nodes(parsed, frozenset((kind,))))
    functions.sort(key=lambda n: (n.start_byte, -n.end_byte))
    out: dict[Node, FunctionIndex] = {}
    indexes: list[FunctionIndex] = []
    bounds: list[tuple[int, int]] = []
    current_end = -1
    for node in functions:
        if node.start_byte < current_end:
            continue  # nested in the current outermost function
        current_end = node.end_byte
        body = node.child_by_field_name("body")
        if body is not None:
            index = FunctionIndex(node, body)
            out[node] = index
            indexes.append(index)
            bounds.append((body.start_byte, body.end_byte))
    if not out:
        return out
    for kind in _INDEXED_KINDS:
        nodes = file_nodes(parsed, frozenset((kind,)))
        if not nodes:
            continue
        add = _ADDERS[kind]
        pos = 0
        count = len(indexes)
        for node in nodes:
            start = node.start_byte
            while pos < count and bounds[pos][1] <= start:
                pos += 1
            if pos == count:
                break
            body_start, body_end = bounds[pos]
            if body_start <= start and node.end_byte <= body_end:
                add(indexes[pos], node)
    return out


def unparen(node: Node) -> Node:
    while node.type == "parenthesized_expression" and node.named_children:
        inner = [c for c in node.named_children if c.type != "comment"]
        if not inner:
            break
        node = inner[0]
    return node


def outer_paren(node: Node) -> Node:
    while node.parent is not None and node.parent.type == "parenthesized_expression":
        node = node.parent
    return node


def write_statement(target: Node) -> Node | None:
    """The statement that writes ``target`` (an index expression), or None for a read.

    Writes: the left side of ``=``/``op=`` assignments, ``++``/``--``, the left side of a
    ``select`` receive (``case m[k] = <-ch``) and of a ``for m[k] = range`` clause.
    """
    node = outer_paren(target)
    parent = node.parent
    if parent is None:
        return None
    if parent.type in ("inc_statement", "dec_statement"):
        return parent
    if parent.type != "expression_list":
        return None
    holder = parent.parent
    if holder is None:
        return None
    if (
        holder.type in ("assignment_statement", "receive_statement", "range_clause")
        and holder.child_by_field_name("left") == parent
    ):
        if holder.type == "range_clause" and not any(c.type == "=" for c in holder.children):
            return None
        return holder
    return None


def in_statement_list(stmt: Node) -> bool:
    parent = stmt.parent
    return parent is not None and parent.type in STATEMENT_CONTAINERS


# Local variables -----------------------------------------------------------------------


_MAYBE_MAP_TYPES = frozenset({"map_type", "type_identifier", "generic_type", "parenthesized_type"})
"""Type nodes ``type_from_node`` may read as a map or a package-local named type (which
``map_type`` may resolve to a map): the other kinds are never a local map."""


def _local_findings(ctx: FileContext, index: FunctionIndex, spec: Node) -> Iterator[Finding]:
    if spec.child_by_field_name("value") is not None:
        return
    type_node = spec.child_by_field_name("type")
    if type_node is None or type_node.type not in _MAYBE_MAP_TYPES:
        return
    written = index.written_names
    if not any(node_text(n) in written for n in spec.children_by_field_name("name")):
        return
    decl = spec.parent
    if decl is not None and decl.type == "var_spec_list":
        decl = decl.parent
    if decl is None or decl.type != "var_declaration":
        return
    model = ctx.facts.model
    declared = type_from_node(type_node)
    if declared.kind == "named" and declared.name in index.local_types:
        return  # a local type may shadow the package one: cannot tell
    if model.map_type(declared) is None:
        return
    for name_node in spec.children_by_field_name("name"):
        name = node_text(name_node)
        if name == "_":
            continue
        finding = _local_finding(ctx, index, spec, decl, type_node, name_node)
        if finding is not None:
            yield finding


def _resolves_to(ctx: FileContext, ident: Node, name_node: Node) -> bool:
    decl = ctx.facts.scopes.declaration(ident)
    return decl is not None and decl.node.start_byte == name_node.start_byte


def use_kind(ident: Node) -> str:
    """How an identifier is used: write, read, assign, addr, method, nilcmp, returned,
    passed, stored."""
    node = outer_paren(ident)
    parent = node.parent
    if parent is None:
        return "stored"
    ptype = parent.type
    if ptype in ("inc_statement", "dec_statement"):
        return "assign"
    if ptype == "index_expression" and parent.child_by_field_name("operand") == node:
        return "write" if write_statement(parent) is not None else "read"
    if ptype == "selector_expression" and parent.child_by_field_name("operand") == node:
        return "method"
    if ptype == "unary_expression":
        op = parent.child_by_field_name("operator")
        if op is not None and node_text(op) == "&":
            return "addr"
    if ptype == "expression_list":
        holder = parent.parent
        if (
            holder is not None
            and holder.type
            in (
                "assignment_statement",
                "short_var_declaration",
                "range_clause",
                "receive_statement",
            )
            and holder.child_by_field_name("left") == parent
        ):
            return "assign"
        if holder is not None and holder.type == "return_statement":
            return "returned"
    if ptype == "range_clause" and parent.child_by_field_name("right") == node:
        return "read"
    if ptype == "binary_expression":
        left = parent.child_by_field_name("left")
        right = parent.child_by_field_name("right")
        other = right if left == node else left
        if other is not None and unparen(other).type == "nil":
            return "nilcmp"
        return "read"
    if ptype == "argument_list":
        call = parent.parent
        fn = call.child_by_field_name("function") if call is not None else None
        builtin = fn is not None and fn.type == "identifier"
        if builtin and fn is not None and node_text(fn) in ("len", "delete", "clear"):
            return "read"
        return "passed"
    if ptype == "return_statement":
        return "returned"
    return "stored"


OBSERVED = {
    "nilcmp": "compared with nil",
    "returned": "returned",
    "passed": "passed to a function",
    "stored": "stored or used as a value",
}


def _local_finding(
    ctx: FileContext,
    index: FunctionIndex,
    spec: Node,
    decl: Node,
    type_node: Node,
    name_node: Node,
) -> Finding | None:
    name = node_text(name_node)
    same_name = [u for u in index.identifiers.get(name, []) if u.start_byte > name_node.end_byte]
    resolved = [u for u in same_name if _resolves_to(ctx, u, name_node)]
    first_write = next((u for u in resolved if use_kind(u) == "write"), None)
    if first_write is None:
        return None
    blockers = [u for u in same_name if use_kind(u) in ("assign", "addr", "method")]
    if blockers and _in_closure_after(first_write, name_node):
        # A write inside a function literal runs whenever the literal is called, maybe
        # after an assignment that comes later in the source.
        return None
    for blocker in blockers:
        if blocker.start_byte < first_write.start_byte:
            return None
        # After the write in source order, but maybe before it in time: a loop around
        # both (and not around the declaration), or a goto.
        if index.has_goto:
            return None
        for loop in index.loops:
            if (
                _contains(loop, first_write)
                and _contains(loop, blocker)
                and not _contains(loop, name_node)
            ):
                return None
    target = first_write.parent
    while target is not None and target.type != "index_expression":
        target = target.parent
    report_node = target if target is not None else first_write
    observed = sorted({OBSERVED[k] for k in (use_kind(u) for u in resolved) if k in OBSERVED})
    message = (
        f"map {name} is declared without make and written here while still nil: {PANIC}; {FINE}"
    )
    related = [ctx.related(name_node, f"{name} declared here (a nil map)")]
    if ctx.file.is_test and all(use_kind(u) == "write" for u in resolved):
        # In a test, a map that is only written exists for its panic: tests of the
        # runtime's "assignment to entry in nil map" do exactly this (found by the
        # std-lib trial in runtime/crash_test.go). Making it would remove what is tested.
        why = f"nothing reads {name}: in a test the panic is likely the point; suppress if so"
        return ctx.report(report_node, f"{message} (no fix: {why})", None, related)
    fix_result = _local_fix(ctx, index, spec, decl, type_node, name_node)
    if isinstance(fix_result, str):
        return ctx.report(report_node, f"{message} (no fix: {fix_result})", None, related)
    edits = fix_result
    applicability = Applicability.SAFE
    note = None
    if observed:
        applicability = Applicability.UNSAFE
        note = (
            f"{name} is {', '.join(observed)}: making it at the declaration turns nil into "
            "an empty map on paths that never write, which is observable "
            "(e.g. JSON null vs {})"
        )
    fix = ctx.fix(f"Make {name} at its declaration", edits, applicability, note)
    return ctx.report(report_node, message, fix, related)


def _in_closure_after(use: Node, name_node: Node) -> bool:
    node = use.parent
    while node is not None and node.type not in FUNCTION_TYPES:
        node = node.parent
    return node is not None and node.type == "func_literal" and not _contains(node, name_node)


def _contains(outer: Node, inner: Node) -> bool:
    return outer.start_byte <= inner.start_byte and inner.end_byte <= outer.end_byte


def make_shadowed(ctx: FileContext, index: FunctionIndex | None = None) -> bool:
    model = ctx.facts.model
    if "make" in model.funcs or "make" in model.vars or "make" in model.types:
        return True
    if index is not None:
        for ident in index.identifiers.get("make", []):
            if use_kind(ident) == "assign":
                return True
    return False


def _local_fix(
    ctx: FileContext,
    index: FunctionIndex,
    spec: Node,
    decl: Node,
    type_node: Node,
    name_node: Node,
) -> list[Edit] | str:
    if make_shadowed(ctx, index):
        return "make is redeclared in this package or function"
    type_text = ctx.text(type_node)
    if "\n" in type_text:
        return "the map type spans several lines"
    name = node_text(name_node)
    names = [node_text(n) for n in spec.children_by_field_name("name")]
    others = [n for n in names if n != name]
    spec_list = spec.parent
    if spec_list is not None and spec_list.type == "var_spec_list":
        edits = rewrite_var_block(ctx, spec_list, spec, name, type_text)
        if edits is None:
            return "the var block could not be re-aligned as gofmt would; write make by hand"
        return edits
    if decl.parent is None or decl.parent.type not in ("statement_list", "labeled_statement"):
        return "the declaration is not a plain statement"
    text = f"{name} := make({type_text})"
    if others:
        if has_comments(spec):
            return "the declaration holds comments"
        text += f"\n{ctx.indent(decl)}var {', '.join(others)} {type_text}"
    return align_comments(ctx.file, [ctx.replace(decl, text)])


# Var blocks: re-align as gofmt does ---------------------------------------------------


@dataclass
class _Row:
    names: str
    type: str | None
    values: str | None
    comment: str | None

    def segments(self, keep_type: bool) -> list[str]:
        """The tabwriter cells of go/printer's valueSpec: all but the last are tab-ended."""
        cells = [self.names]
        extra = 3
        if self.type is not None or keep_type:
            cells.append(self.type or "")
            extra -= 1
        if self.values is not None:
            cells.append("= " + self.values)
            extra -= 1
        if self.comment is not None:
            cells.extend([""] * (extra - 1))
            cells.append(self.comment)
        return cells


def _keep_type_column(rows: list[_Row]) -> list[bool]:
    """go/printer keepTypeColumn: runs of specs with values keep an (empty) type column
    when any spec of the run has a type."""
    keep = [False] * len(rows)
    start = -1
    keep_type = False
    for i, row in enumerate(rows):
        if row.values is not None:
            if start < 0:
                start = i
                keep_type = False
        elif start >= 0:
            if keep_type:
                for j in range(start, i):
                    keep[j] = True
            start = -1
        if row.type is not None:
            keep_type = True
    if start >= 0 and keep_type:
        for j in range(start, len(rows)):
            keep[j] = True
    return keep


def _render(lines: list[list[str] | None]) -> list[str | None]:
    """tabwriter with padding 1, minwidth 0, DiscardEmptyColumns (gofmt's settings)."""
    widths: list[list[int]] = [[0] * max(len(c) - 1, 0) if c else [] for c in lines]
    column = 0
    while True:
        any_column = False
        i = 0
        while i < len(lines):
            cells = lines[i]
            if cells is None or column >= len(cells) - 1:
                i += 1
                continue
            any_column = True
            j = i
            width = 0
            discardable = True
            while j < len(lines):
                cj = lines[j]
                if cj is None or column >= len(cj) - 1:
                    break
                width = max(width, len(cj[column]) + 1)
                if cj[column]:
                    discardable = False
                j += 1
            if discardable:
                width = 0
            for k in range(i, j):
                widths[k][column] = width
            i = j
        if not any_column:
            break
        column += 1
    out: list[str | None] = []
    for cells, row_widths in zip(lines, widths, strict=True):
        if cells is None:
            out.append(None)
            continue
        text = "".join(
            cell + " " * (row_widths[c] - len(cell)) for c, cell in enumerate(cells[:-1])
        )
        out.append(text + cells[-1])
    return out


def _render_rows(rows: list[_Row], layout: list[int | None]) -> list[str | None]:
    """Render the block's lines: ``layout`` holds a row index per line, None for a line
    that is not a spec (blank or comment line: it ends every column)."""
    keep = _keep_type_column(rows)
    cells: list[list[str] | None] = [
        rows[r].segments(keep[r]) if r is not None else None for r in layout
    ]
    return _render(cells)


def rewrite_var_block(
    ctx: FileContext, spec_list: Node, target: Node, name: str, type_text: str
) -> list[Edit] | None:
    """Turn ``name`` of ``target`` into ``name = make(T)`` inside a ``var ( ... )`` block,
    re-aligning the block as gofmt would; None when the block is not in a shape whose
    gofmt layout this reproduces exactly (then the caller offers no fix)."""
    source = ctx.file.source
    data = ctx.data
    open_row = spec_list.start_point.row
    close_row = spec_list.end_point.row
    if close_row - open_row < 2:
        return None
    specs = [c for c in spec_list.named_children if c.type == "var_spec"]
    comments = [c for c in spec_list.named_children if c.type == "comment"]
    spec_at: dict[int, Node] = {}
    for spec in specs:
        if spec.start_point.row != spec.end_point.row or spec.start_point.row in spec_at:
            return None
        if has_comments(spec):
            return None
        spec_at[spec.start_point.row] = spec
    trailing: dict[int, Node] = {}
    for comment in comments:
        if comment.start_point.row != comment.end_point.row:
            return None
        row = comment.start_point.row
        if row in spec_at:
            if comment.start_byte < spec_at[row].end_byte or row in trailing:
                return None
            trailing[row] = comment
    rows: list[_Row] = []
    layout: list[int | None] = []
    row_of_spec: dict[int, int] = {}
    line_bounds: list[tuple[int, int]] = []
    indent: bytes | None = None
    starts = source.line_starts
    for row in range(open_row + 1, close_row):
        line_start = starts[row]
        line_end = starts[row + 1] - 1 if row + 1 < len(starts) else len(data)
        line_bounds.append((line_start, line_end))
        row_spec = spec_at.get(row)
        if row_spec is None:
            layout.append(None)
            continue
        spec = row_spec
        if indent is None:
            indent = data[line_start : spec.start_byte]
        elif data[line_start : spec.start_byte] != indent:
            return None
        if indent.strip(b" \t"):
            return None
        row_of_spec[spec.start_byte] = len(rows)
        layout.append(len(rows))
        rows.append(_row_of(spec, trailing.get(row)))
    if indent is None:
        return None
    for edge in (0, -1):
        start, end = line_bounds[edge]
        if layout[edge] is None and not data[start:end].strip():
            return None  # a blank line after "(" or before ")": gofmt keeps it only sometimes
    rendered = _render_rows(rows, layout)
    for (line_start, line_end), text, r in zip(line_bounds, rendered, layout, strict=True):
        if r is None:
            continue
        original = data[line_start + len(indent) : line_end].decode("utf-8", "replace")
        if original.rstrip("\r") != text:
            return None
    # The new rows: the target name becomes ``name = make(T)``; the other names of the
    # same spec (if any) stay declared with the type on the next line.
    target_row = row_of_spec[target.start_byte]
    old = rows[target_row]
    others = [n for n in (node_text(x) for x in target.children_by_field_name("name")) if n != name]
    new_rows = [*rows[:target_row], _Row(name, None, f"make({type_text})", old.comment)]
    extra_line = bool(others)
    if extra_line:
        new_rows.append(_Row(", ".join(others), old.type, None, None))
    new_rows += rows[target_row + 1 :]
    new_layout: list[int | None] = []
    for r in layout:
        if r is None:
            new_layout.append(None)
        elif r < target_row:
            new_layout.append(r)
        elif r == target_row:
            new_layout.append(r)
            if extra_line:
                new_layout.append(r + 1)
        else:
            new_layout.append(r + 1 if extra_line else r)
    new_rendered = _render_rows(new_rows, new_layout)
    edits: list[Edit] = []
    pos = 0
    for (line_start, line_end), r in zip(line_bounds, layout, strict=True):
        text = new_rendered[pos]
        pos += 1
        if r is None:
            continue
        if r == target_row and extra_line:
            second = new_rendered[pos]
            pos += 1
            text = f"{text}\n{indent.decode()}{second}"
        original = data[line_start + len(indent) : line_end].decode("utf-8", "replace")
        if text is not None and text != original.rstrip("\r"):
            start = line_start + len(indent)
            end = start + len(original.rstrip("\r").encode())
            edits.append(ctx.edit(start, end, text))
    return edits


def _row_of(spec: Node, comment: Node | None) -> _Row:
    names = ", ".join(node_text(n) for n in spec.children_by_field_name("name"))
    type_node = spec.child_by_field_name("type")
    value = spec.child_by_field_name("value")
    values = None
    if value is not None:
        values = ", ".join(node_text(v) for v in value.named_children if v.type != "comment")
    return _Row(
        names,
        node_text(type_node) if type_node is not None else None,
        values,
        node_text(comment) if comment is not None else None,
    )


# Struct fields -------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldFacts:
    """Per package: which map fields some code may initialise."""

    assigned: frozenset[str]
    """Field names assigned (``x.f = ...``, ``x.f, y = ...``) or address-taken (``&x.f``)."""
    keyed: frozenset[str]
    """Keys of keyed literal elements anywhere (``T{f: ...}``, also nested, elided)."""
    positional: frozenset[str]
    """Struct type names built with a positional literal (``T{a, b}``)."""
    elided: tuple[str, ...]
    """Types of literals holding positional literals with an elided type (``[]T{{a, b}}``)."""

    def initialised(self, type_name: str, field_name: str) -> bool:
        if field_name in self.assigned or field_name in self.keyed:
            return True
        if type_name in self.positional:
            return True
        word = re.compile(rf"\b{re.escape(type_name)}\b")
        return any(word.search(text) for text in self.elided)


def field_initialised(facts: PackageFacts, type_name: str, field_name: str) -> bool:
    """Whether some code of the package may initialise ``type_name.field_name``.

    The facts are collected per file (cached), and only from the files whose text holds
    one of the two names: every fact that could answer yes is an identifier or type
    text equal to one of them, so the other files cannot change the answer.
    """
    answers: dict[tuple[str, str], bool] = facts.cached(
        "nil-map-write/field-initialised", lambda _facts: {}
    )
    key = (type_name, field_name)
    answer = answers.get(key)
    if answer is None:
        answer = _field_initialised(facts, type_name, field_name)
        answers[key] = answer
    return answer


def _field_initialised(facts: PackageFacts, type_name: str, field_name: str) -> bool:
    per_file: dict[str, FieldFacts] = facts.cached(
        "nil-map-write/file-field-facts", lambda _facts: {}
    )
    names = (type_name.encode(), field_name.encode())
    for parsed in facts.model.files:
        data = parsed.source.data
        if not any(name in data for name in names):
            continue
        found = per_file.get(parsed.path)
        if found is None:
            found = _file_field_facts(parsed)
            per_file[parsed.path] = found
        if found.initialised(type_name, field_name):
            return True
    return False


_FIELD_FACT_KINDS = frozenset(
    {
        "assignment_statement",
        "range_clause",
        "receive_statement",
        "unary_expression",
        "keyed_element",
        "composite_literal",
        "literal_value",
    }
)
index_kinds(_FIELD_FACT_KINDS)


def _file_field_facts(parsed: ParsedFile) -> FieldFacts:
    """The FieldFacts of one file (see ``field_initialised``)."""
    assigned: set[str] = set()
    keyed: set[str] = set()
    positional: set[str] = set()
    elided: list[str] = []
    for node in file_nodes(parsed, _FIELD_FACT_KINDS):
        kind = node.type
        if kind in ("assignment_statement", "range_clause", "receive_statement"):
            left = node.child_by_field_name("left")
            if left is None:
                continue
            for target in left.named_children:
                target = unparen(target)
                if target.type == "selector_expression":
                    fname = target.child_by_field_name("field")
                    if fname is not None:
                        assigned.add(node_text(fname))
        elif kind == "unary_expression":
            op = node.child_by_field_name("operator")
            operand = node.child_by_field_name("operand")
            if op is None or node_text(op) != "&" or operand is None:
                continue
            operand = unparen(operand)
            if operand.type == "selector_expression":
                fname = operand.child_by_field_name("field")
                if fname is not None:
                    assigned.add(node_text(fname))
        elif kind == "keyed_element":
            key = node.child_by_field_name("key")
            if key is None:
                continue
            inner = key.named_children
            if inner and inner[0].type in ("identifier", "field_identifier"):
                keyed.add(node_text(inner[0]))
        elif kind == "composite_literal":
            type_node = node.child_by_field_name("type")
            body = node.child_by_field_name("body")
            if type_node is None or body is None:
                continue
            if any(c.type == "literal_element" for c in body.named_children):
                base = type_from_node(type_node)
                if base.name:
                    positional.add(base.name)
        elif kind == "literal_value":
            parent = node.parent
            if parent is None or parent.type != "literal_element":
                continue
            if not any(c.type == "literal_element" for c in node.named_children):
                continue
            outer: Node | None = parent
            while outer is not None and outer.type != "composite_literal":
                outer = outer.parent
            if outer is not None:
                elided.append(node_text(outer.child_by_field_name("type") or outer))
    return FieldFacts(frozenset(assigned), frozenset(keyed), frozenset(positional), tuple(elided))


@dataclass(frozen=True)
class FieldDecl:
    struct: TypeInfo
    """The named struct type declaring the field."""
    type_node: Node
    """The field's type as written."""
    type: GoType


def declaring_field(
    model: PackageModel, owner: GoType, name: str, depth: int = 0
) -> FieldDecl | None:
    """The declaration of field ``name`` of ``owner`` (``T``, ``*T``), embedded ones too."""
    if depth > 5:
        return None
    base = owner.elem if owner.kind == "pointer" and owner.elem is not None else owner
    if base.kind != "named" or base.qualifier is not None or base.name is None:
        return None
    info = model.types.get(base.name)
    seen = 0
    while info is not None and info.type.kind == "named" and seen < 10:
        # type A B: follow to the struct declaration.
        next_name = info.type.name
        if info.type.qualifier is not None or next_name is None:
            return None
        info = model.types.get(next_name)
        seen += 1
    if info is None or info.type.kind != "struct":
        return None
    struct_node = info.node.child_by_field_name("type")
    if struct_node is None or struct_node.type != "struct_type":
        return None
    embedded: list[GoType] = []
    for lst in struct_node.named_children:
        if lst.type != "field_declaration_list":
            continue
        for decl in lst.named_children:
            if decl.type != "field_declaration":
                continue
            type_node = decl.child_by_field_name("type")
            if type_node is None:
                continue
            names = decl.children_by_field_name("name")
            if not names:
                embedded.append(type_from_node(type_node))
                continue
            if any(node_text(n) == name for n in names):
                return FieldDecl(info, type_node, type_from_node(type_node))
    for emb in embedded:
        found = declaring_field(model, emb, name, depth + 1)
        if found is not None:
            return found
    return None


@dataclass
class _Guard:
    key: str
    stmt: Node
    root: str | None


@dataclass
class _FieldWrite:
    target: Node
    stmt: Node
    sel: Node
    owner: Node
    owner_type: GoType
    fdecl: FieldDecl
    fname: str
    problem: str | None = None
    guard: str | None = None


def _field_findings(ctx: FileContext, index: FunctionIndex) -> Iterator[Finding]:
    model = ctx.facts.model
    guards: list[_Guard] = []
    found: list[_FieldWrite] = []
    for target, stmt in index.writes:
        operand = target.child_by_field_name("operand")
        if operand is None:
            continue
        sel = unparen(operand)
        if sel.type != "selector_expression":
            continue
        owner_node = sel.child_by_field_name("operand")
        field_node = sel.child_by_field_name("field")
        if owner_node is None or field_node is None:
            continue
        fname = node_text(field_node)
        if fname[:1].isupper():
            continue  # other packages may initialise an exported field
        owner = unparen(owner_node)
        owner_type = owner_type_of(ctx, owner)
        fdecl = declaring_field(model, owner_type, fname)
        if fdecl is None or model.map_type(fdecl.type) is None:
            continue
        if field_initialised(ctx.facts, fdecl.struct.name, fname):
            continue
        key = expr_key(sel)
        if any(_covers(g, stmt, index, key) for g in guards):
            continue
        if _guarded_before(sel, stmt):
            continue
        guards.append(_Guard(key, stmt, _root_name(owner)))
        write = _FieldWrite(target, stmt, sel, owner, owner_type, fdecl, fname)
        write.problem = owner_problem(ctx, owner, owner_type) or _guard_problem(
            ctx, index, stmt, sel, owner_type, fdecl
        )
        if write.problem is None:
            indent = ctx.indent(stmt)
            sel_text = ctx.text(sel)
            type_text = node_text(fdecl.type_node)
            write.guard = (
                f"if {sel_text} == nil {{\n{indent}\t{sel_text} = make({type_text})\n"
                f"{indent}}}\n{indent}"
            )
        found.append(write)
    # All the guards a statement needs go in as one insertion, shared by its findings
    # (identical edits are applied once): two insertions at one point would conflict,
    # and after the first one the field no longer looks uninitialised to the next pass.
    by_stmt: dict[int, list[_FieldWrite]] = {}
    for write in found:
        by_stmt.setdefault(write.stmt.start_byte, []).append(write)
    for write in found:
        together = by_stmt[write.stmt.start_byte]
        text = "".join(w.guard for w in together if w.guard is not None)
        yield _field_finding(ctx, write, text)


def owner_type_of(ctx: FileContext, owner: Node) -> GoType:
    """``scopes.type_of``, plus the element type of a range value over a slice or array
    (the engine's scopes type range values over maps only)."""
    scopes = ctx.facts.scopes
    found = scopes.type_of(owner)
    if found.kind != "unknown" or owner.type != "identifier":
        return found
    decl = scopes.declaration(owner)
    if decl is None or decl.kind != "range_value" or decl.statement is None:
        return found
    right = decl.statement.child_by_field_name("right")
    if right is None:
        return found
    model = ctx.facts.model
    container = model.underlying(scopes.type_of(right))
    if container.kind == "pointer" and container.elem is not None:
        container = model.underlying(container.elem)
        if container.kind != "array":
            return found
    if container.kind in ("slice", "array") and container.elem is not None:
        return container.elem
    return found


def _root_name(expr: Node) -> str | None:
    node = unparen(expr)
    while node.type == "selector_expression":
        operand = node.child_by_field_name("operand")
        if operand is None:
            return None
        node = unparen(operand)
    return node_text(node) if node.type == "identifier" else None


def _covers(guard: _Guard, stmt: Node, index: FunctionIndex, key: str) -> bool:
    """Whether the guard inserted before ``guard.stmt`` runs before ``stmt`` and still
    holds there: ``stmt`` sits in the same statement list at or after it (or nested in a
    later statement of it), and the owner is not reassigned in between."""
    if guard.key != key:
        return False
    container = guard.stmt.parent
    if container is None or not _contains(container, stmt):
        return False
    if stmt.start_byte < guard.stmt.start_byte:
        return False
    if guard.root is not None:
        for ident in index.identifiers.get(guard.root, []):
            if guard.stmt.start_byte <= ident.start_byte < stmt.start_byte and use_kind(ident) in (
                "assign",
                "addr",
            ):
                return False
    return True


def _guarded_before(sel: Node, stmt: Node) -> bool:
    """An ``if X.f == nil { ... }`` right before the write in the same block."""
    prev = stmt.prev_named_sibling
    while prev is not None and prev.type == "comment":
        prev = prev.prev_named_sibling
    if prev is None or prev.type != "if_statement":
        return False
    cond = prev.child_by_field_name("condition")
    if cond is None or cond.type != "binary_expression":
        return False
    op = cond.child_by_field_name("operator")
    left = cond.child_by_field_name("left")
    right = cond.child_by_field_name("right")
    if op is None or node_text(op) != "==" or left is None or right is None:
        return False
    key = expr_key(sel)
    return (expr_key(unparen(left)) == key and unparen(right).type == "nil") or (
        expr_key(unparen(right)) == key and unparen(left).type == "nil"
    )


def owner_problem(ctx: FileContext, owner: Node, owner_type: GoType) -> str | None:
    """Why a nil guard on ``owner.f`` would not reach the caller's struct, or None."""
    model = ctx.facts.model
    scopes = ctx.facts.scopes
    node = unparen(owner)
    if node.type == "index_expression":
        container = node.child_by_field_name("operand")
        if container is not None and scopes.map_type(unparen(container)) is not None:
            return (
                f"{node_text(node)} is a map element, which is not addressable: the guard "
                "could not assign to its field; store a pointer in the map, or initialise "
                "the field where the element is built"
            )
    if not is_pure(node):
        return (
            f"the owner expression {node_text(node)} is not a plain variable or field path, "
            "and the guard would evaluate it again"
        )
    if model.underlying(owner_type).kind == "pointer" or owner_type.kind == "pointer":
        return None
    if node.type == "identifier":
        decl = scopes.declaration(node)
        if decl is None:
            return "the owner's declaration is not visible"
        if decl.kind == "receiver":
            return (
                f"{decl.name} is a value receiver: a map made here is stored in the copy "
                "and lost when the method returns (silent data loss instead of a panic); "
                "initialise the field where the struct is built, or use a pointer receiver"
            )
        if decl.kind == "param":
            return (
                f"{decl.name} is a struct passed by value: a map made here is stored in "
                "the copy and lost when the function returns (silent data loss instead of "
                "a panic); initialise the field where the struct is built, or pass a pointer"
            )
        if decl.kind in ("range_key", "range_value"):
            return (
                f"{decl.name} is a copy of the ranged element: a map made here would be "
                "lost after the iteration (silent data loss instead of a panic); "
                "initialise the field where the elements are built"
            )
        if decl.kind in ("var", "short_var", "package_var", "result"):
            return None
        return "the owner is not an addressable variable"
    if node.type == "selector_expression":
        inner = node.child_by_field_name("operand")
        if inner is None:
            return "the owner is not an addressable variable"
        return owner_problem(ctx, inner, scopes.type_of(unparen(inner)))
    return "the owner is not an addressable variable"


def _field_finding(ctx: FileContext, write: _FieldWrite, guards: str) -> Finding:
    type_name = write.fdecl.struct.name
    fname = write.fname
    sel_text = ctx.text(write.sel)
    message = (
        f"map field {sel_text} may be nil: nothing in package {ctx.facts.model.name} "
        f"initialises {type_name}.{fname} (no literal sets it, no assignment to it); "
        f"{PANIC}; {FINE}"
    )
    related = (
        [ctx.related(write.fdecl.type_node, f"{type_name}.{fname} declared here")]
        if write.fdecl.struct.file.path == ctx.path
        else []
    )
    if write.problem is not None or write.guard is None:
        return ctx.report(write.target, f"{message} (no fix: {write.problem})", None, related)
    fix = ctx.fix(
        f"Make {sel_text} before the write when it is nil",
        align_comments(ctx.file, [ctx.insert(write.stmt.start_byte, guards)]),
        Applicability.SAFE,
    )
    return ctx.report(write.target, message, fix, related)


def _guard_problem(
    ctx: FileContext,
    index: FunctionIndex,
    stmt: Node,
    sel: Node,
    owner_type: GoType,
    fdecl: FieldDecl,
) -> str | None:
    if stmt.type not in ("assignment_statement", "inc_statement", "dec_statement") or (
        not in_statement_list(stmt)
    ):
        return "the write is not a plain statement of a block (a header or a select case)"
    if has_comments(sel) or "\n" in node_text(sel):
        return "the map expression holds a comment or a line break"
    if make_shadowed(ctx, index):
        return "make is redeclared in this package or function"
    type_text = node_text(fdecl.type_node)
    if "\n" in type_text or has_comments(fdecl.type_node):
        return "the field's type spans several lines"
    params = struct_params_in_scope(ctx, index.fn, fdecl.struct, owner_type)
    usable = TypeText(type_text, fdecl.struct.file, local=False, params=params)
    why = type_text_problem(ctx, usable, index)
    if why is not None:
        return why
    return None


# Type text usability (shared with GMF202) ----------------------------------------------


@dataclass(frozen=True)
class TypeText:
    """A type as written somewhere, to be written again in the current file."""

    text: str
    origin: ParsedFile | None
    """The file whose imports qualify the text."""
    local: bool
    """Written inside the current function: its local types and type parameters apply."""
    params: frozenset[str] = frozenset()
    """Type parameter names that denote the same types at the use site."""


@cache
def _type_names(text: str) -> tuple[tuple[str | None, str], ...] | None:
    """(qualifier, name) of every named type in a type's text; None if it does not parse."""
    parsed = parse_source(SourceText("type.go", f"package p\n\nvar _ {text}\n".encode()))
    if parsed.root.has_error:
        return None
    out: list[tuple[str | None, str]] = []
    for node in walk(parsed.root):
        if node.type == "qualified_type":
            pkg = node.child_by_field_name("package")
            name = node.child_by_field_name("name")
            if pkg is not None and name is not None:
                out.append((node_text(pkg), node_text(name)))
        elif node.type == "type_identifier":
            parent = node.parent
            if parent is not None and parent.type == "qualified_type":
                continue
            out.append((None, node_text(node)))
    return tuple(out)


def type_text_problem(ctx: FileContext, tt: TypeText, index: FunctionIndex) -> str | None:
    """Why ``tt`` cannot be written in the current function as is, or None."""
    names = _type_names(tt.text)
    if names is None:
        return f"cannot read the type {tt.text}"
    model = ctx.facts.model
    imports_here = {spec.local_name: spec.path for spec in ctx.file.imports}
    imports_there = {spec.local_name: spec.path for spec in tt.origin.imports} if tt.origin else {}
    for qualifier, name in names:
        if qualifier is not None:
            path_here = imports_here.get(qualifier)
            if path_here is None:
                return f"{qualifier}.{name} is not imported in this file"
            if tt.origin is not None and imports_there.get(qualifier) != path_here:
                return f"{qualifier} names another package in this file"
            continue
        if tt.local:
            continue
        if name in index.local_types:
            return f"{name} is redeclared inside this function"
        if name in tt.params:
            continue
        if name in BASIC_TYPES:
            continue
        info = model.types.get(name)
        if info is None:
            return f"{name} is a type parameter or a type not visible here"
        if name in function_type_params(index.fn):
            return f"{name} is shadowed by a type parameter here"
    return None


def function_type_params(fn: Node) -> set[str]:
    """Type parameter names in scope in ``fn``: its own and its receiver's, and those of
    the functions enclosing it."""
    out: set[str] = set()
    node: Node | None = fn
    while node is not None:
        if node.type in ("function_declaration", "method_declaration"):
            params = node.child_by_field_name("type_parameters")
            if params is not None:
                for decl in params.named_children:
                    for name in decl.children_by_field_name("name"):
                        out.add(node_text(name))
            receiver = node.child_by_field_name("receiver")
            if receiver is not None:
                for generic in walk(receiver):
                    if generic.type == "type_arguments":
                        for arg in walk(generic):
                            if arg.type == "type_identifier":
                                out.add(node_text(arg))
        node = node.parent
    return out


def struct_params_in_scope(
    ctx: FileContext, fn: Node, struct: TypeInfo, owner_type: GoType
) -> frozenset[str]:
    """The generic struct's parameter names, when the owner is ``S[P1, ..., Pn]`` with
    exactly those names in scope (a method of S written with the same names)."""
    params_node = struct.node.child_by_field_name("type_parameters")
    if params_node is None:
        return frozenset()
    params = [
        node_text(name)
        for decl in params_node.named_children
        for name in decl.children_by_field_name("name")
    ]
    base = owner_type.elem if owner_type.kind == "pointer" and owner_type.elem else owner_type
    expected = f"{struct.name}[{','.join(params)}]"
    if re.sub(r"\s+", "", base.text) != expected:
        return frozenset()
    if not set(params) <= function_type_params(fn):
        return frozenset()
    return frozenset(params)
