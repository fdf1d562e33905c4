"""GMF601 emptied-map-retained."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tree_sitter import Node

from gomapfix.codemod import MAP_EVIDENCE, Codemod, FileContext, enclosing, enclosing_function
from gomapfix.facts.package import PackageModel
from gomapfix.facts.store import PackageFacts
from gomapfix.finding import Finding, RelatedLocation
from gomapfix.fix import Applicability
from gomapfix.gotypes import GoType
from gomapfix.parse import ParsedFile, node_text
from gomapfix.query import nodes_of_types
from gomapfix.syntax import builtin_call, call_args, same_expr, statements

from ._delete_loop import delete_every_key

_QUALIFIED = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]*)\s*\.\s*[A-Za-z_]")
_NON_RETAINING_BUILTINS = frozenset({"len", "cap", "delete", "clear", "print", "println"})
_NON_RETAINING_MAPS = frozenset({"Clone", "Copy", "Equal", "EqualFunc", "DeleteFunc"})
_LAZY_MAPS = frozenset({"Keys", "Values", "All"})
_COLLECTORS = frozenset({"Collect", "Sorted", "SortedFunc", "SortedStableFunc", "AppendSeq"})
_LONG_LIVED_ROOTS = frozenset({"receiver", "param", "package_var"})


@dataclass(frozen=True)
class LongLived:
    """A map held by a package variable or a struct field, as far as declarations show."""

    identity: tuple[str, ...]
    """``("var", name)`` or ``("field", StructType, field)``."""
    type: GoType
    """The declared type of the variable or field (UNKNOWN when not visible)."""
    declared_in: ParsedFile | None
    """The file of the declaration (its imports give the type's qualifiers meaning)."""
    type_params: tuple[str, ...] = ()
    """Type parameter names of the generic struct declaring the field."""
    owner: str | None = None


@dataclass(frozen=True)
class Escape:
    """A place where the map value is handed to another holder (or comes from one)."""

    reason: str
    related: RelatedLocation


class EmptiedMapRetained(Codemod):
    """
    What it finds:
        A long-lived map, a package variable or a struct field (reached through a
        receiver, a parameter or a package variable), emptied in place by ``clear(m)``
        or by a delete-all loop ``for k := range m { delete(m, k) }``, and kept: the
        same function does not assign a new map to it afterwards. Not reported where
        the code visibly empties the map to reuse its memory, which is then the point:
        ``if m == nil { m = make(...) } else { clear(m) }``; a function that also refills
        the map (``m[k] = v``: a fill-use-empty cycle); a block that also truncates
        slices for reuse (``s.buf = s.buf[:0]``); or a loop that empties the map for its
        next iteration, unless the loop waits for events (``select``, a receive, a range
        over a channel or ticker): emptying there is a periodic purge, and reported.

    Why it is a hazard:
        Go maps never shrink (golang/go#20135, still true of the Swiss-table maps of Go
        1.24+). A map that once held a million entries keeps its ~160 MiB after every
        key is deleted, after ``clear``, and even after ``maps.Clone`` (the clone keeps
        the source's capacity). The folklore that deleting entries, or ``clear``, gives
        memory back is wrong; only dropping the map does: ``m = make(map[K]V)``, or
        copying the survivors into a new map. A cache or registry emptied this way after
        a traffic peak holds the peak's memory for the life of the process.

    Example:
        func (c *Cache) Reset() {
            c.mu.Lock()
            defer c.mu.Unlock()
            clear(c.entries)
        }

    Fixed:
        func (c *Cache) Reset() {
            c.mu.Lock()
            defer c.mu.Unlock()
            c.entries = make(map[string]*Entry)
        }

    Fix safety:
        unsafe: reassigning is not the same as emptying when someone else holds the old
        map (it keeps its contents and no longer sees this map's updates), and the
        assignment is a write to the variable or field that must happen under the lock
        that guards the map (the statement stays where the emptying was: if that was
        under the lock, so is the assignment). Replacing a delete-all loop also drops
        NaN keys, which the loop could never delete (golang/go#56351). The fix is
        withheld, with a message, when the package visibly hands the map value to
        another holder: returned, assigned to another variable or field, passed to a
        function (other than ``len``, ``delete``, ``clear``,
        ``maps.Clone``/``Copy``/``Equal``/``DeleteFunc``, ``fmt`` printing, or
        ``maps.Keys``/``Values``/``All`` consumed at once), used as a method receiver,
        sent on a channel or put in a composite literal; or when it is set from a value
        that is not a fresh ``make``/literal (a parameter, another map), which its source
        may still hold. ``go f(m)`` and ``defer f(m)`` count as passing. A closure that
        refers to the variable or field itself is not an escape: it reads the variable
        when it runs and sees the new map. Copies of a whole struct (``t := *s``) are
        not tracked. Also no fix when the map type is not visible, mentions a package
        the file does not import under the same name, or is generic and the receiver
        renames the type parameters.

    Minimum Go:
        any (``make``); ``clear`` itself is Go 1.21+.
    """

    code = "GMF601"
    name = "emptied-map-retained"
    summary = (
        "A long-lived map emptied with clear or a delete-all loop keeps its memory; make a new one."
    )
    family = "memory"
    requires = ("scopes",)
    trigger_tokens = (b"clear", b"delete")
    package_pattern = MAP_EVIDENCE

    call_names = frozenset({"clear"})

    def visit_call_expression(self, ctx: FileContext, call: Node) -> Iterator[Finding]:
        # Reached through ``call_names`` for the ``clear`` calls only, where a hook on
        # every expression statement looked at each one; the statement is still the
        # node reported.
        node = call.parent
        if node is None or node.type != "expression_statement":
            return
        if builtin_call(node, "clear") != call:
            return
        args = call_args(call)
        if len(args) != 1 or _shadowed(ctx, "clear"):
            return
        target = args[0]
        info = long_lived(ctx, target)
        if info is None or ctx.facts.model.map_type(info.type) is None:
            return  # clear also empties slices: only a visible map type is a map
        m = node_text(target)
        yield from self._report(
            ctx,
            node,
            target,
            info,
            f"clear({m}) empties {m} but keeps all its memory: Go maps never shrink "
            f"(golang/go#20135); assign a new map to release it",
        )

    def visit_for_statement(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        target = delete_all_target(ctx, node)
        if target is None:
            return
        info = long_lived(ctx, target)
        if info is None:
            return
        m = node_text(target)
        yield from self._report(
            ctx,
            node,
            target,
            info,
            f"deleting every key of {m} keeps all its memory: Go maps never shrink "
            f"(golang/go#20135); assign a new map to release it",
        )

    def _report(
        self, ctx: FileContext, stmt: Node, target: Node, info: LongLived, message: str
    ) -> Iterator[Finding]:
        if _reassigned_later(stmt, target) or _deliberate_reuse(ctx, stmt, target):
            return
        m = node_text(target)
        function = enclosing_function(stmt)
        escapes = map_escapes(ctx, info.identity)
        if escapes:
            first = escapes[0]
            yield ctx.report(
                stmt,
                f"{message} (no automatic fix: the map is {first.reason}, and other holders "
                f"would keep the old map)",
                None,
                [e.related for e in escapes[:3]],
            )
            return
        if target.type == "selector_expression" and not _shared_owner(ctx, target):
            yield ctx.report(
                stmt,
                message + " (no automatic fix: the struct is a copy here, a new map would be "
                "lost with it while the caller's map stays full)",
            )
            return
        make = make_text(ctx, info, function)
        if make is None:
            yield ctx.report(stmt, message + " (no automatic fix: the map type is not usable here)")
            return
        if stmt.type == "for_statement" and (
            stmt.parent is None or stmt.parent.type == "labeled_statement"
        ):
            yield ctx.report(stmt, message + " (no automatic fix: the loop is labeled)")
            return
        fix = ctx.fix(
            f"Replace with {m} = {make}",
            [ctx.replace(stmt, f"{m} = {make}")],
            Applicability.UNSAFE,
            "code holding the old map keeps its contents; the assignment must stay under "
            f"the lock that guards {m}",
        )
        yield ctx.report(stmt, message, fix)


# What the map is -------------------------------------------------------------------


def delete_all_target(ctx: FileContext, loop: Node) -> Node | None:
    """``m`` of ``for k := range m { delete(m, k) }`` (``for k, _ :=`` too), where
    ``delete`` is the builtin."""
    if _shadowed(ctx, "delete"):
        return None
    return delete_every_key(loop, ctx.facts.scopes)


def long_lived(ctx: FileContext, expr: Node) -> LongLived | None:
    """The package variable or struct field ``expr`` names, when it is one."""
    scopes = ctx.facts.scopes
    model = ctx.facts.model
    if expr.type == "identifier":
        decl = scopes.declaration(expr)
        if decl is None or decl.kind != "package_var":
            return None
        var = model.vars.get(decl.name)
        declared_in = var.file if var is not None else None
        vtype = decl.type
        if vtype.kind == "unknown" and var is not None:
            # ``var m = other``: the type of ``other``, whose text was written elsewhere.
            names = var.node.children_by_field_name("name")
            values = var.node.child_by_field_name("value")
            items = values.named_children if values is not None else []
            if len(items) == len(names):
                index = [node_text(n) for n in names].index(decl.name)
                vtype = scopes.type_of(items[index])
                declared_in = None
        return LongLived(("var", decl.name), vtype, declared_in)
    if expr.type != "selector_expression":
        return None
    operand = expr.child_by_field_name("operand")
    field = expr.child_by_field_name("field")
    if operand is None or field is None:
        return None
    root = operand
    while root.type == "selector_expression":
        inner = root.child_by_field_name("operand")
        if inner is None:
            return None
        root = inner
    if root.type != "identifier":
        return None
    decl = scopes.declaration(root)
    if decl is None or decl.kind not in _LONG_LIVED_ROOTS:
        return None
    found = _declaring_struct(model, scopes.type_of(operand), node_text(field))
    if found is None:
        return None
    owner, ftype = found
    info = model.types.get(owner)
    params: tuple[str, ...] = ()
    if info is not None:
        tparams = info.node.child_by_field_name("type_parameters")
        if tparams is not None:
            params = tuple(
                node_text(n)
                for decl_node in tparams.named_children
                for n in decl_node.children_by_field_name("name")
            )
    return LongLived(
        ("field", owner, node_text(field)),
        ftype,
        info.file if info is not None else None,
        params,
        owner,
    )


def _shared_owner(ctx: FileContext, selector: Node) -> bool:
    """Whether assigning ``x.f`` changes the struct others see (not a local copy of it)."""
    scopes = ctx.facts.scopes
    current = selector.child_by_field_name("operand")
    while current is not None:
        if ctx.facts.model.underlying(scopes.type_of(current)).kind == "pointer":
            return True
        if current.type == "identifier":
            decl = scopes.declaration(current)
            return decl is not None and decl.kind == "package_var"
        if current.type != "selector_expression":
            return False
        current = current.child_by_field_name("operand")
    return False


def _declaring_struct(
    model: PackageModel, owner: GoType, name: str, depth: int = 0
) -> tuple[str, GoType] | None:
    """(struct type name, field type) of the package struct that declares field ``name``."""
    base = owner.elem if owner.kind == "pointer" and owner.elem is not None else owner
    if depth > 5 or base.kind != "named" or base.qualifier is not None or not base.name:
        return None
    struct = model.struct_of(base)
    if struct is None:
        return None
    if name not in struct.embedded:
        direct = struct.field(name)
        if direct is not None:
            return base.name, direct
    for emb in struct.embedded:
        emb_type = struct.field(emb)
        if emb_type is not None:
            found = _declaring_struct(model, emb_type, name, depth + 1)
            if found is not None:
                return found
    return None


def make_text(
    ctx: FileContext, info: LongLived, function: Node | None, size: str = ""
) -> str | None:
    """``make(T)`` (``make(T, size)``) for the declared type, when usable in this file."""
    t = info.type
    if t.kind == "unknown" or not t.text:
        return None
    if t.kind == "named" and t.qualifier is None:
        if ctx.facts.model.map_type(t) is None:
            return None
    elif t.kind == "named":
        pass  # an imported named type: the caller knows it is a map (delete, clear)
    elif t.kind != "map":
        return None
    if not qualifiers_usable(ctx, t.text, info.declared_in):
        return None
    if info.type_params and not _same_type_params(function, info):
        return None
    if _shadowed(ctx, "make"):
        return None
    text = " ".join(t.text.split())
    return f"make({text}, {size})" if size else f"make({text})"


def qualifiers_usable(ctx: FileContext, type_text: str, declared_in: ParsedFile | None) -> bool:
    """Whether every ``pkg.T`` in ``type_text`` means the same package in this file."""
    names = set(_QUALIFIED.findall(type_text))
    if not names:
        return True
    if declared_in is None:
        return False
    for name in names:
        source = [s.path for s in declared_in.imports if s.local_name == name]
        here = [s.path for s in ctx.file.imports if s.local_name == name]
        if len(source) != 1 or here != source:
            return False
    return True


def _same_type_params(function: Node | None, info: LongLived) -> bool:
    """Whether ``function`` is a method of the generic owner using its parameter names."""
    if function is None or function.type != "method_declaration":
        return False
    receiver = function.child_by_field_name("receiver")
    if receiver is None:
        return False
    for param in receiver.named_children:
        ptype = param.child_by_field_name("type") if param.type == "parameter_declaration" else None
        while ptype is not None and ptype.type in ("pointer_type", "parenthesized_type"):
            inner = ptype.named_children
            ptype = inner[0] if inner else None
        if ptype is None or ptype.type != "generic_type":
            return False
        base = ptype.child_by_field_name("type")
        args = ptype.child_by_field_name("type_arguments")
        if base is None or args is None or node_text(base) != info.owner:
            return False
        names = tuple(node_text(a) for a in args.named_children)
        return names == info.type_params
    return False


def _shadowed(ctx: FileContext, builtin: str) -> bool:
    model = ctx.facts.model
    return builtin in model.funcs or builtin in model.vars or builtin in model.types


def _reassigned_later(stmt: Node, target: Node) -> bool:
    """Whether the function assigns ``target`` after ``stmt`` (the map is then not kept)."""
    function = enclosing_function(stmt)
    if function is None:
        return False
    stack = [function]
    while stack:
        node = stack.pop()
        if node.type == "assignment_statement" and node.start_byte >= stmt.end_byte:
            left = node.child_by_field_name("left")
            if left is not None and any(same_expr(t, target) for t in left.named_children):
                return True
        stack.extend(node.children)
    return False


def _deliberate_reuse(ctx: FileContext, stmt: Node, target: Node) -> bool:
    """Whether the code visibly empties the map to reuse its memory, not to drop it.

    ``if m == nil { m = make(...) } else { clear(m) }``; the same function refilling the
    map (``m[k] = v`` anywhere in it: the emptying is one step of a fill-use-empty
    cycle); or the same block truncating slices for reuse (``s.buf = s.buf[:0]``).
    """
    block = stmt.parent
    holder = block.parent if block is not None else None
    if block is not None and block.type == "statement_list" and holder is not None:
        branch = holder
        if_stmt = branch.parent
        if branch.type == "block" and if_stmt is not None and if_stmt.type == "if_statement":
            cond = if_stmt.child_by_field_name("condition")
            op = cond.child_by_field_name("operator") if cond is not None else None
            if (
                cond is not None
                and cond.type == "binary_expression"
                and op is not None
                and node_text(cond.child_by_field_name("right") or cond) == "nil"
            ):
                in_else = if_stmt.child_by_field_name("alternative") == branch
                other = (
                    if_stmt.child_by_field_name("consequence")
                    if in_else
                    else if_stmt.child_by_field_name("alternative")
                )
                if (node_text(op) == "==") == in_else and (
                    same_expr(cond.child_by_field_name("left"), target) or _makes(other, target)
                ):
                    return True
        for sibling in block.named_children:
            if sibling.type == "assignment_statement" and _truncates(sibling):
                return True
    function = enclosing_function(stmt)
    if function is None:
        return False
    loop = enclosing(
        stmt, "for_statement", "func_literal", "function_declaration", "method_declaration"
    )
    if loop is not None and loop.type == "for_statement" and not _service_loop(ctx, loop):
        return True
    stack = [function]
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        if node.type not in ("assignment_statement", "inc_statement", "dec_statement"):
            continue
        left = node.child_by_field_name("left")
        targets = left.named_children if left is not None else node.named_children
        for t in targets:
            if t.type == "index_expression" and same_expr(t.child_by_field_name("operand"), target):
                return True
    return False


def _makes(block: Node | None, target: Node) -> bool:
    """Whether ``block`` assigns a fresh map to ``target`` (``target = make(...)``)."""
    if block is None:
        return False
    for stmt in statements(block):
        if stmt.type != "assignment_statement":
            continue
        left = stmt.child_by_field_name("left")
        right = stmt.child_by_field_name("right")
        if left is None or right is None:
            continue
        for t, v in zip(left.named_children, right.named_children, strict=False):
            if same_expr(t, target) and _fresh(v, None):
                return True
    return False


def _service_loop(ctx: FileContext, loop: Node) -> bool:
    """A loop that waits for events (``select``, a receive, ``range`` over a channel or
    ticker): emptying a map in it is a periodic purge, not reuse between iterations."""
    clause = next((c for c in loop.named_children if c.type == "range_clause"), None)
    right = clause.child_by_field_name("right") if clause is not None else None
    if right is not None:
        text = node_text(right)
        if text.endswith(".C") or re.search(r"\bTick\(", text):
            return True
        if ctx.facts.model.underlying(ctx.facts.scopes.type_of(right)).kind == "chan":
            return True
    stack = [loop.child_by_field_name("body")]
    while stack:
        node = stack.pop()
        if node is None or node.type == "func_literal":
            continue
        if node.type in ("select_statement", "receive_statement"):
            return True
        if node.type == "unary_expression":
            op = node.child_by_field_name("operator")
            if op is not None and node_text(op) == "<-":
                return True
        stack.extend(node.children)
    return False


def _truncates(assign: Node) -> bool:
    """``x = x[:0]``: a slice emptied in place to reuse its array."""
    left = assign.child_by_field_name("left")
    right = assign.child_by_field_name("right")
    if left is None or right is None:
        return False
    lefts, rights = left.named_children, right.named_children
    if len(lefts) != 1 or len(rights) != 1 or rights[0].type != "slice_expression":
        return False
    sliced = rights[0]
    end = sliced.child_by_field_name("end")
    return (
        same_expr(sliced.child_by_field_name("operand"), lefts[0])
        and sliced.child_by_field_name("start") is None
        and end is not None
        and node_text(end) == "0"
    )


# Where the map goes ----------------------------------------------------------------


def map_escapes(ctx: FileContext, identity: tuple[str, ...]) -> list[Escape]:
    """Places in the package where the map value is shared with another holder."""
    index: dict[tuple[str, ...], list[Escape]] = ctx.facts.cached(
        "gmf601-escapes", lambda facts: _escape_index(ctx, facts)
    )
    found = list(index.get(identity, ()))
    if identity[0] == "field":
        found.extend(index.get(("field?", identity[2]), ()))
    found.sort(key=lambda e: (e.related.location.path, e.related.location.start))
    return found


def _escape_index(ctx: FileContext, facts: PackageFacts) -> dict[tuple[str, ...], list[Escape]]:
    index: dict[tuple[str, ...], list[Escape]] = {}
    tracked_vars, tracked_fields = _tracked_names(facts.model)
    for parsed in facts.model.files:
        fctx = FileContext(file=parsed, facts=facts, go_version=ctx.go_version)
        maps_name = _import_name(parsed, "maps")
        # The three kinds from one tree-sitter query rather than a Python walk over every
        # node. The order differs from a walk's only between nodes that are not nested,
        # whose escapes sit at different positions: the lists are sorted by position.
        for node in nodes_of_types(_ESCAPE_KINDS, parsed.root):
            if node.type == "keyed_element":
                _literal_field(fctx, node, index)
                continue
            if node.type == "identifier":
                if node_text(node) not in tracked_vars:
                    continue
            elif node.type == "selector_expression":
                field = node.child_by_field_name("field")
                if field is None or node_text(field) not in tracked_fields:
                    continue
            else:
                continue
            identity = _reference(fctx, node)
            if identity is None:
                continue
            reason = _escape_reason(fctx, node, maps_name)
            if reason is not None:
                index.setdefault(identity, []).append(
                    Escape(reason, fctx.related(node, f"the map is {reason} here"))
                )
    return index


_ESCAPE_KINDS = frozenset({"keyed_element", "identifier", "selector_expression"})


def _maybe_map(model: PackageModel, t: GoType) -> bool:
    """Whether a declared type may be a map (visibly one, or not visible at all)."""
    if t.kind in ("map", "unknown"):
        return True
    if t.kind == "named":
        return t.qualifier is not None or model.resolve(t) is None or model.map_type(t) is not None
    return False


def _tracked_names(model: PackageModel) -> tuple[frozenset[str], frozenset[str]]:
    """Package variables and struct fields that may hold a map: the names worth tracking."""
    names = frozenset(n for n, v in model.vars.items() if _maybe_map(model, v.type))
    fields: set[str] = set()
    for info in model.types.values():
        if info.type.kind == "struct":
            fields.update(f for f, t in info.type.fields if _maybe_map(model, t))
    return names, frozenset(fields)


def _import_name(parsed: ParsedFile, path: str) -> str | None:
    names = [s.local_name for s in parsed.imports if s.path == path]
    return names[0] if names else None


def _reference(ctx: FileContext, node: Node) -> tuple[str, ...] | None:
    """The long-lived map identity an identifier or selector refers to, if any."""
    if node.type == "identifier":
        parent = node.parent
        if (
            parent is not None
            and parent.type == "selector_expression"
            and parent.child_by_field_name("field") == node
        ):
            return None
        decl = ctx.facts.scopes.declaration(node)
        if decl is not None and decl.kind == "package_var":
            return ("var", decl.name)
        return None
    operand = node.child_by_field_name("operand")
    field = node.child_by_field_name("field")
    if operand is None or field is None:
        return None
    if (
        operand.type == "identifier"
        and node_text(operand) in {s.local_name for s in ctx.file.imports}
        and ctx.facts.scopes.declaration(operand) is None
    ):
        return None  # pkg.Name: another package's declaration
    found = _declaring_struct(ctx.facts.model, ctx.facts.scopes.type_of(operand), node_text(field))
    if found is not None:
        return ("field", found[0], node_text(field))
    owner = ctx.facts.scopes.type_of(operand)
    if owner.kind == "unknown":
        return ("field?", node_text(field))
    return None


def _outer(node: Node) -> Node:
    while node.parent is not None and node.parent.type == "parenthesized_expression":
        node = node.parent
    return node


def _escape_reason(ctx: FileContext, node: Node, maps_name: str | None) -> str | None:
    expr = _outer(node)
    parent = expr.parent
    if parent is None:
        return None
    kind = parent.type
    if kind == "expression_list":
        holder = parent.parent
        if holder is None:
            return None
        if holder.type == "return_statement":
            return "returned"
        if holder.type in ("assignment_statement", "short_var_declaration", "var_spec"):
            right = holder.child_by_field_name("right") or holder.child_by_field_name("value")
            left = holder.child_by_field_name("left")
            if parent == right:
                targets = left.named_children if left is not None else []
                values = parent.named_children
                i = values.index(expr) if expr in values else -1
                target = targets[i] if 0 <= i < len(targets) else None
                if target is not None and (target.text == b"_" or same_expr(target, node)):
                    return None
                if holder.type == "var_spec":
                    names = holder.children_by_field_name("name")
                    if 0 <= i < len(names) and names[i].text == b"_":
                        return None
                return "assigned to another variable"
            if parent == left and holder.type == "assignment_statement":
                targets = parent.named_children
                values = right.named_children if right is not None else []
                i = targets.index(expr) if expr in targets else -1
                value = values[i] if 0 <= i < len(values) and len(values) == len(targets) else None
                if value is None or not _fresh(value, maps_name):
                    return "set from a value other code may hold"
        return None
    if kind == "var_spec":
        # ``var m = other`` at package level: m starts as someone else's map.
        initial = parent.child_by_field_name("value")
        names = parent.children_by_field_name("name")
        top = parent.parent
        if top is not None and top.type == "var_spec_list":
            top = top.parent
        if (
            initial is None
            or expr not in names
            or top is None
            or top.parent is None
            or top.parent.type != "source_file"
        ):
            return None
        items = initial.named_children
        if len(items) != len(names):
            return "set from a value other code may hold"
        first = items[names.index(expr)]
        return None if _fresh(first, maps_name) else "set from a value other code may hold"
    if kind == "argument_list":
        call = parent.parent
        if call is None or call.type != "call_expression":
            return None
        if _non_retaining(call, maps_name):
            return None
        fn = call.child_by_field_name("function")
        return f"passed to {node_text(fn) if fn is not None else 'a function'}"
    if kind == "send_statement" and parent.child_by_field_name("value") == expr:
        return "sent on a channel"
    if kind == "literal_element":
        holder = parent.parent
        if (
            holder is not None
            and holder.type == "keyed_element"
            and holder.named_children
            and holder.named_children[0] == parent
        ):
            return None  # a field name, or a map key (a map is never a map key)
        return "put in a composite literal"
    if kind == "selector_expression" and parent.child_by_field_name("operand") == expr:
        field = parent.child_by_field_name("field")
        return f"the receiver of method {node_text(field) if field is not None else '?'}"
    if kind == "type_conversion_expression":
        return "converted to another type"
    return None


def _literal_field(
    ctx: FileContext, element: Node, index: dict[tuple[str, ...], list[Escape]]
) -> None:
    """``T{f: value}``: the field of struct T is set from ``value`` (fresh or shared)."""
    children = element.named_children
    if len(children) != 2:
        return
    key, value = children
    key_ident = key.named_children[0] if key.named_children else None
    if key_ident is None or key_ident.type != "identifier":
        return
    body = element.parent
    literal = body.parent if body is not None else None
    if literal is None or literal.type != "composite_literal":
        return
    ltype = literal.child_by_field_name("type")
    if ltype is not None and ltype.type == "generic_type":
        ltype = ltype.child_by_field_name("type")
    if ltype is None or ltype.type != "type_identifier":
        return
    struct = ctx.facts.model.struct_of(
        GoType(kind="named", text=node_text(ltype), name=node_text(ltype))
    )
    if struct is None or struct.field(node_text(key_ident)) is None:
        return
    inner = value.named_children[0] if value.named_children else None
    if inner is None or _fresh(inner, _import_name(ctx.file, "maps")):
        return
    identity = ("field", node_text(ltype), node_text(key_ident))
    index.setdefault(identity, []).append(
        Escape(
            "set from a value other code may hold",
            ctx.related(inner, "the map is set from a value other code may hold here"),
        )
    )


def _fresh(value: Node, maps_name: str | None) -> bool:
    """A value nobody else holds: ``make(...)``, a literal, ``nil``, ``maps.Clone(...)``."""
    while value.type == "parenthesized_expression" and value.named_children:
        value = value.named_children[0]
    if value.type in ("composite_literal", "nil"):
        return True
    if value.type == "call_expression":
        fn = value.child_by_field_name("function")
        if fn is not None and fn.type == "identifier" and fn.text == b"make":
            return True
        if fn is not None and fn.type == "selector_expression" and maps_name is not None:
            operand = fn.child_by_field_name("operand")
            field = fn.child_by_field_name("field")
            return (
                operand is not None
                and node_text(operand) == maps_name
                and field is not None
                and node_text(field) == "Clone"
            )
    return False


def _non_retaining(call: Node, maps_name: str | None) -> bool:
    """Calls known not to keep their map argument: builtins, maps helpers, fmt printing."""
    fn = call.child_by_field_name("function")
    if fn is None:
        return False
    if fn.type == "identifier":
        return node_text(fn) in _NON_RETAINING_BUILTINS
    if fn.type != "selector_expression":
        return False
    operand = fn.child_by_field_name("operand")
    field = fn.child_by_field_name("field")
    if operand is None or field is None or operand.type != "identifier":
        return False
    pkg, name = node_text(operand), node_text(field)
    if pkg == "fmt" and (
        name.startswith("Print")
        or name.startswith("Sprint")
        or name.startswith("Fprint")
        or name == "Errorf"
    ):
        return True
    if maps_name is not None and pkg == maps_name:
        if name in _NON_RETAINING_MAPS:
            return True
        if name in _LAZY_MAPS:
            return _consumed_at_once(call)
    return False


def _consumed_at_once(call: Node) -> bool:
    """``range maps.Keys(m)`` or ``slices.Collect(maps.Keys(m))``: nothing keeps the iterator."""
    parent = _outer(call).parent
    if parent is None:
        return False
    if parent.type == "range_clause":
        return True
    if parent.type == "argument_list" and parent.parent is not None:
        fn = parent.parent.child_by_field_name("function")
        if fn is not None and fn.type == "selector_expression":
            field = fn.child_by_field_name("field")
            return field is not None and node_text(field) in _COLLECTORS
    return False
