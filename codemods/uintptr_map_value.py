"""GMF403 uintptr-map-value."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from gomapfix.codemod import MAP_EVIDENCE, Codemod, FileContext
from gomapfix.finding import Finding
from gomapfix.gotypes import GoType
from gomapfix.parse import node_text
from gomapfix.syntax import call_args

from .delete_without_release import builtin_shadowed, qualifier_path

_ARITH = frozenset({"+", "-", "&", "|", "^", "&^"})


class UintptrMapValue(Codemod):
    """
    What it finds:
        A map whose values are ``uintptr`` (or a package type defined as ``uintptr``)
        storing an address taken from a Go pointer: ``m[k] = uintptr(unsafe.Pointer(p))``
        (also with an offset added, through a local variable set that way, from
        ``reflect.ValueOf(x).Pointer()``/``UnsafeAddr()``, or in a map literal); and a map
        of ``unsafe.Pointer`` storing ``unsafe.Pointer(u)`` where ``u`` is such a
        ``uintptr`` kept in a variable. The pointer must be visibly a Go pointer (``&x``,
        ``new(T)``, a variable or field declared as a pointer, ``unsafe.SliceData``/
        ``StringData``). Maps of plain integers are not findings: addresses returned by
        system calls (``mmap``), handles, counters, or hash values stored as ``uintptr``.

    Why it is a hazard:
        A ``uintptr`` is an integer: the garbage collector does not see it as a reference.
        Once the last real pointer to the object is gone, the object is freed and its
        memory reused while the map still holds its address; a goroutine stack that grows
        is moved, so the address of a stack variable is stale right away. Converting the
        stored value back with ``unsafe.Pointer(m[k])`` is then a use-after-free that no
        tool reports reliably (``go vet``'s unsafeptr check only sees single expressions).
        This is the only way a map value can really dangle in Go: the common belief that
        deleting (or keeping) pointer values in a map leaves dangling references is false,
        a ``*T`` or ``unsafe.Pointer`` map value keeps its object alive.

    Example:
        var handles = map[int]uintptr{}

        func register(id int, obj *Object) {
            handles[id] = uintptr(unsafe.Pointer(obj))
        }

    Fixed:
        (no automatic fix) keep a real pointer, which keeps the object alive:

        var handles = map[int]*Object{}

        func register(id int, obj *Object) {
            handles[id] = obj
        }

        For cgo handles, use ``runtime/cgo.Handle`` instead of raw addresses.

    Fix safety:
        display-only: the map's type, every store and every load change together, and
        whether keeping the objects alive is wanted (it may be a leak on purpose) is a
        design decision.

    Minimum Go:
        any.
    """

    code = "GMF403"
    name = "uintptr-map-value"
    summary = "A map of uintptr storing addresses of Go objects: the GC does not see them."
    family = "lifetime"
    requires = ("scopes",)
    trigger_tokens = (b"uintptr",)
    package_pattern = MAP_EVIDENCE

    def visit_assignment_statement(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        op = node.child_by_field_name("operator")
        if op is None or op.text != b"=":
            return
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is None or right is None:
            return
        lefts, rights = left.named_children, right.named_children
        if len(lefts) != len(rights):
            return
        for target, value in zip(lefts, rights, strict=True):
            if target.type != "index_expression":
                continue
            operand = target.child_by_field_name("operand")
            if operand is None:
                continue
            finding = _check_store(ctx, operand, value, node)
            if finding is not None:
                yield finding

    def visit_composite_literal(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        type_node = node.child_by_field_name("type")
        body = node.child_by_field_name("body")
        if type_node is None or body is None:
            return
        from gomapfix.gotypes import type_from_node

        mtype = ctx.facts.model.map_type(type_from_node(type_node))
        if mtype is None:
            return
        for element in body.named_children:
            if element.type != "keyed_element":
                continue
            parts = [c for c in element.named_children if c.type == "literal_element"]
            if len(parts) != 2 or not parts[1].named_children:
                continue
            value = parts[1].named_children[0]
            finding = _check_value(ctx, mtype, type_node, value, element)
            if finding is not None:
                yield finding


def _check_store(ctx: FileContext, map_expr: Node, value: Node, at: Node) -> Finding | None:
    mtype = ctx.facts.scopes.map_type(map_expr)
    if mtype is None:
        return None
    return _check_value(ctx, mtype, map_expr, value, at)


def _check_value(
    ctx: FileContext, mtype: GoType, map_expr: Node, value: Node, at: Node
) -> Finding | None:
    kind = _value_kind(ctx, mtype.elem)
    m = node_text(map_expr)
    if map_expr.type.endswith("_type"):
        m = f"literal {m}"
    if kind == "uintptr":
        source = _derived_address(ctx, value, 0)
        if source is None:
            return None
        return ctx.report(
            at,
            f"map {m} stores the address of a Go object as a uintptr "
            f"({node_text(source)}): the garbage collector does not see it, the object can be "
            "freed (or the stack moved) and the stored address dangles; keep a real pointer "
            "(*T or unsafe.Pointer) in the map",
        )
    if kind == "pointer":
        inner = _unsafe_pointer_arg(ctx, value)
        if inner is None or inner.type not in ("identifier", "index_expression"):
            return None
        source = _derived_address(ctx, inner, 0) if inner.type == "identifier" else None
        if source is None and inner.type == "index_expression":
            operand = inner.child_by_field_name("operand")
            otype = ctx.facts.scopes.map_type(operand) if operand is not None else None
            if (
                otype is not None
                and _value_kind(ctx, otype.elem) == "uintptr"
                and (
                    _map_has_derived_store(ctx, operand)  # type: ignore[arg-type]
                )
            ):
                source = inner
        if source is None:
            return None
        return ctx.report(
            at,
            f"map {m} stores unsafe.Pointer({node_text(inner)}) made from a Go address kept "
            "in a uintptr: the object may already be freed (not one of the valid "
            "unsafe.Pointer conversion patterns); keep the unsafe.Pointer itself",
        )
    return None


def _value_kind(ctx: FileContext, elem: GoType | None) -> str | None:
    """``uintptr`` for uintptr (or a package type defined as it), ``pointer`` for
    ``unsafe.Pointer``, else None."""
    if elem is None:
        return None
    if elem.kind == "basic" and elem.name == "uintptr":
        return "uintptr"
    if elem.kind == "named" and elem.qualifier is not None and elem.name == "Pointer":
        return "pointer" if qualifier_path(ctx, elem.qualifier) == "unsafe" else None
    if elem.kind == "named" and elem.qualifier is None:
        resolved = ctx.facts.model.resolve(elem)
        if resolved is not None and resolved.kind == "basic" and resolved.name == "uintptr":
            return "uintptr"
    return None


def _unsafe_pointer_arg(ctx: FileContext, expr: Node) -> Node | None:
    """``x`` for ``unsafe.Pointer(x)``."""
    while expr.type == "parenthesized_expression" and expr.named_children:
        expr = expr.named_children[0]
    if expr.type != "call_expression":
        return None
    fn = expr.child_by_field_name("function")
    args = call_args(expr)
    if fn is None or fn.type != "selector_expression" or len(args) != 1:
        return None
    operand = fn.child_by_field_name("operand")
    field = fn.child_by_field_name("field")
    if operand is None or field is None or operand.type != "identifier":
        return None
    if node_text(field) != "Pointer" or ctx.file.import_name("unsafe") != node_text(operand):
        return None
    return args[0]


def _derived_address(ctx: FileContext, expr: Node, depth: int) -> Node | None:
    """The sub-expression showing that ``expr`` is the address of a Go object, or None."""
    if depth > 4:
        return None
    while expr.type == "parenthesized_expression" and expr.named_children:
        expr = expr.named_children[0]
    if expr.type == "binary_expression":
        op = expr.child_by_field_name("operator")
        if op is None or node_text(op) not in _ARITH:
            return None
        for side in ("left", "right"):
            part = expr.child_by_field_name(side)
            found = _derived_address(ctx, part, depth + 1) if part is not None else None
            if found is not None:
                return found
        return None
    if expr.type == "call_expression":
        fn = expr.child_by_field_name("function")
        args = call_args(expr)
        if fn is None:
            return None
        if fn.type == "identifier" and node_text(fn) == "uintptr" and len(args) == 1:
            if builtin_shadowed(ctx, fn):
                return None
            inner = _unsafe_pointer_arg(ctx, args[0])
            if inner is not None and _go_pointer(ctx, inner):
                return expr
            return None
        if fn.type == "selector_expression" and not args:
            field = fn.child_by_field_name("field")
            operand = fn.child_by_field_name("operand")
            if (
                field is not None
                and node_text(field) in ("Pointer", "UnsafeAddr")
                and (operand is not None and _reflect_value_of(ctx, operand))
            ):
                return expr
        return None
    if expr.type == "identifier":
        decl = ctx.facts.scopes.declaration(expr)
        if decl is None or decl.statement is None:
            return None
        init = _initializer(decl.statement, decl.node)
        if init is None:
            return None
        return _derived_address(ctx, init, depth + 1)
    return None


def _initializer(statement: Node, name: Node) -> Node | None:
    """The value a ``:=`` or ``var`` declaration gives to ``name`` (one-to-one only)."""
    if statement.type == "short_var_declaration":
        left = statement.child_by_field_name("left")
        right = statement.child_by_field_name("right")
    elif statement.type == "var_spec":
        left = statement
        right = statement.child_by_field_name("value")
    else:
        return None
    if left is None or right is None:
        return None
    names = (
        left.named_children
        if statement.type == "short_var_declaration"
        else statement.children_by_field_name("name")
    )
    values = right.named_children
    if len(names) != len(values):
        return None
    for n, v in zip(names, values, strict=True):
        if n == name:
            return v
    return None


def _reflect_value_of(ctx: FileContext, expr: Node) -> bool:
    if expr.type != "call_expression":
        return False
    fn = expr.child_by_field_name("function")
    if fn is None or fn.type != "selector_expression":
        return False
    operand = fn.child_by_field_name("operand")
    field = fn.child_by_field_name("field")
    return (
        operand is not None
        and field is not None
        and node_text(field) == "ValueOf"
        and ctx.file.import_name("reflect") == node_text(operand)
    )


def _go_pointer(ctx: FileContext, expr: Node) -> bool:
    """Whether ``expr`` (the operand of ``unsafe.Pointer(...)``) is visibly a Go pointer."""
    while expr.type == "parenthesized_expression" and expr.named_children:
        expr = expr.named_children[0]
    if expr.type == "unary_expression":
        op = expr.child_by_field_name("operator")
        return op is not None and node_text(op) == "&"
    if expr.type == "call_expression":
        fn = expr.child_by_field_name("function")
        if fn is None:
            return False
        if fn.type == "identifier" and node_text(fn) == "new":
            return not builtin_shadowed(ctx, fn)
        if fn.type == "selector_expression":
            operand = fn.child_by_field_name("operand")
            field = fn.child_by_field_name("field")
            return (
                operand is not None
                and field is not None
                and node_text(field) in ("SliceData", "StringData")
                and ctx.file.import_name("unsafe") == node_text(operand)
            )
        return False
    if expr.type in ("identifier", "selector_expression"):
        t = ctx.facts.scopes.type_of(expr)
        if t.kind == "pointer":
            return True
        if t.kind == "named" and t.qualifier is not None and t.name == "Pointer":
            return qualifier_path(ctx, t.qualifier) == "unsafe"
        if t.kind == "named" and t.qualifier is None:
            resolved = ctx.facts.model.resolve(t)
            return resolved is not None and resolved.kind == "pointer"
    return False


def _map_has_derived_store(ctx: FileContext, map_expr: Node) -> bool:
    """Whether the package stores Go addresses into a uintptr map of this name."""
    text = node_text(map_expr)
    name = text.rsplit(".", 1)[-1]
    cache: dict[str, bool] = ctx.facts.cached("lifetime.uintptr_maps", lambda _f: {})
    if name in cache:
        return cache[name]
    found = False
    for parsed in ctx.facts.model.files:
        if b"uintptr" not in parsed.source.data:
            continue
        stack = [parsed.root]
        while stack and not found:
            node = stack.pop()
            stack.extend(node.children)
            if node.type != "assignment_statement":
                continue
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            if left is None or right is None:
                continue
            for target, value in zip(left.named_children, right.named_children, strict=False):
                operand = (
                    target.child_by_field_name("operand")
                    if target.type == ("index_expression")
                    else None
                )
                if operand is None or node_text(operand).rsplit(".", 1)[-1] != name:
                    continue
                if (
                    parsed is ctx.file and _derived_address(ctx, value, 0) is not None
                ) or b"unsafe.Pointer(" in (value.text or b""):
                    found = True
        if found:
            break
    cache[name] = found
    return found
