"""GMF705 syncmap-compare-uncomparable."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from tree_sitter import Node

from gomapfix.codemod import SYNC_MAP_EVIDENCE, Codemod, FileContext
from gomapfix.facts.package import PackageModel
from gomapfix.facts.store import PackageFacts
from gomapfix.finding import Finding, RelatedLocation
from gomapfix.gotypes import GoType, type_from_node
from gomapfix.parse import node_text
from gomapfix.query import file_nodes, index_kinds

from ._syncmap import is_sync_map, map_identity, method_call, value_type

_STORES = {"Store": 1, "LoadOrStore": 1, "Swap": 1, "CompareAndSwap": 2}
"""Methods that put a value in the map, and the index of that value argument."""
_LOADS = frozenset({"Load", "LoadOrStore", "LoadAndDelete", "Swap"})
_COMPARES = {"CompareAndSwap": 1, "CompareAndDelete": 1}
"""Methods that compare the stored value, and the index of the ``old`` argument."""
_METHODS = ("Load", "Store", "LoadOrStore", "Swap", "CompareAndSwap", "CompareAndDelete")


@dataclass(frozen=True)
class Evidence:
    """A place showing that a sync.Map holds values of an uncomparable type."""

    type_text: str
    related: RelatedLocation


class SyncMapCompareUncomparable(Codemod):
    """
    What it finds:
        ``sm.CompareAndSwap(k, old, new)`` or ``sm.CompareAndDelete(k, old)`` on a
        ``sync.Map`` whose values are visibly of an uncomparable type (a slice, a map, a
        func, or a struct or array holding one): either ``old`` itself visibly has such a
        type, or the package visibly puts such values into the same map (a package
        variable, or the same field of a struct type): ``Store``/``LoadOrStore``/``Swap``
        of a slice, map or func value (a literal, ``make``, a conversion, a func literal
        or package function, a variable declared with such a type), or a value loaded
        from that map and asserted to such a type (``v.([]string)``, also in a ``Range``
        callback). Not reported when ``old`` is ``nil`` or visibly of a comparable type:
        values of different dynamic types compare unequal without panicking.

    Why it is a hazard:
        ``CompareAndSwap`` and ``CompareAndDelete`` compare the stored value with ``old``
        using ``==`` on interfaces. When both hold the same uncomparable type the
        comparison panics at run time: ``runtime error: comparing uncomparable type
        []string`` (the sync docs: "The old value must be of a comparable type"). It
        compiles, and it only fails once the entry exists, often in production.

    Example:
        var routes sync.Map // path -> []string
        routes.Store("/", []string{"a"})
        old, _ := routes.Load("/")
        routes.CompareAndSwap("/", old, []string{"a", "b"})

    Fixed:
        No code is proposed (display-only rule). Store a pointer (``*[]string``) and
        compare pointers, which is what "the same value" usually means, or guard a plain
        map with a mutex.

    Fix safety:
        display-only: which identity to compare by is a design decision.

    Minimum Go:
        1.20 (``CompareAndSwap``/``CompareAndDelete`` exist since 1.20); no gate.
    """

    code = "GMF705"
    name = "syncmap-compare-uncomparable"
    summary = "sync.Map CompareAndSwap/CompareAndDelete on uncomparable values: panics at run time."
    family = "sync.Map"
    requires = ("scopes",)
    trigger_tokens = (b"CompareAndSwap", b"CompareAndDelete")
    package_pattern = SYNC_MAP_EVIDENCE
    call_names = frozenset(_COMPARES)

    def visit_call_expression(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        call = method_call(node, *_COMPARES)
        if call is None or len(call.args) < 2:
            return
        if not is_sync_map(ctx, call.receiver, _METHODS):
            return
        old = call.args[_COMPARES[call.method]]
        sm = node_text(call.receiver)
        if old.type == "nil":
            return
        old_type = value_type(ctx, old)
        direct = uncomparable(ctx.facts.model, old_type)
        if direct is not None:
            yield ctx.report(
                node,
                f"{sm}.{call.method} with old value {node_text(old)} of type {direct}: "
                f"comparing uncomparable values panics at run time; compare pointers or "
                f"use a mutex-guarded map",
            )
            return
        if _known_comparable(ctx.facts.model, old_type):
            return
        identity = map_identity(ctx, call.receiver)
        if identity is None:
            return
        index: dict[tuple[str, ...], list[Evidence]] = ctx.facts.cached(
            "gmf705-evidence", lambda facts: _evidence_index(ctx, facts)
        )
        found = index.get(identity)
        if not found:
            return
        first = found[0]
        yield ctx.report(
            node,
            f"{sm}.{call.method} on a sync.Map holding {first.type_text} values: comparing "
            f"uncomparable values panics at run time; store pointers and compare them, or "
            f"use a mutex-guarded map",
            None,
            [e.related for e in found[:3]],
        )


def uncomparable(model: PackageModel, t: GoType, depth: int = 0) -> str | None:
    """The type's text when it is visibly not comparable (slice, map, func, or holds one)."""
    if depth > 10 or t.kind == "unknown":
        return None
    resolved = model.underlying(t) if t.kind == "named" else t
    if resolved.kind in ("slice", "map", "func"):
        return t.text or resolved.kind
    if resolved.kind == "array" and resolved.elem is not None:
        return t.text if uncomparable(model, resolved.elem, depth + 1) else None
    if resolved.kind == "struct":
        for _, ftype in resolved.fields:
            if uncomparable(model, ftype, depth + 1):
                return t.text
    return None


def _known_comparable(model: PackageModel, t: GoType) -> bool:
    """Visibly comparable and not an interface: such an ``old`` never panics."""
    resolved = model.underlying(t) if t.kind == "named" else t
    if resolved.kind == "basic":
        return resolved.name not in ("any", "error", "comparable")
    return resolved.kind in ("pointer", "chan")


_EVIDENCE_KINDS = frozenset({"call_expression", "type_assertion_expression"})
index_kinds(_EVIDENCE_KINDS)


def _evidence_index(ctx: FileContext, facts: PackageFacts) -> dict[tuple[str, ...], list[Evidence]]:
    """sync.Map identity -> places that put (or assert) uncomparable values in it."""
    index: dict[tuple[str, ...], list[Evidence]] = {}
    for parsed in facts.model.files:
        fctx = FileContext(file=parsed, facts=facts, go_version=ctx.go_version)
        # Only these two kinds can be evidence: a tree-sitter query finds them instead of
        # a Python walk over every node. Sorted as that walk (a stack, last child first)
        # met them, which decides the order of evidence at the same position.
        nodes = file_nodes(parsed, _EVIDENCE_KINDS)
        nodes.sort(key=lambda n: (-n.end_byte, n.start_byte))
        for node in nodes:
            found = _evidence_at(fctx, node)
            if found is not None:
                identity, evidence = found
                index.setdefault(identity, []).append(evidence)
    for items in index.values():
        items.sort(key=lambda e: (e.related.location.path, e.related.location.start))
    return index


def _evidence_at(ctx: FileContext, node: Node) -> tuple[tuple[str, ...], Evidence] | None:
    model = ctx.facts.model
    if node.type == "call_expression":
        call = method_call(node, *_STORES)
        if call is None or len(call.args) <= _STORES[call.method]:
            return None
        value = call.args[_STORES[call.method]]
        text = uncomparable(model, value_type(ctx, value))
        if text is None or not is_sync_map(ctx, call.receiver, _METHODS):
            return None
        identity = map_identity(ctx, call.receiver)
        if identity is None:
            return None
        return identity, Evidence(text, ctx.related(value, f"a {text} value is stored here"))
    if node.type == "type_assertion_expression":
        asserted = node.child_by_field_name("type")
        operand = node.child_by_field_name("operand")
        if asserted is None or operand is None or operand.type != "identifier":
            return None
        text = uncomparable(model, type_from_node(asserted))
        if text is None:
            return None
        source = _loaded_from(ctx, operand)
        if source is None:
            return None
        identity = map_identity(ctx, source)
        if identity is None:
            return None
        return identity, Evidence(text, ctx.related(node, f"a loaded value is used as {text}"))
    return None


def _loaded_from(ctx: FileContext, ident: Node) -> Node | None:
    """The sync.Map whose value ``ident`` holds: ``ident, _ := sm.Load(k)`` or a Range."""
    decl = ctx.facts.scopes.declaration(ident)
    if decl is None:
        return None
    stmt = decl.statement
    if decl.kind == "short_var" and stmt is not None and stmt.type == "short_var_declaration":
        left = stmt.child_by_field_name("left")
        right = stmt.child_by_field_name("right")
        if left is None or right is None or len(right.named_children) != 1:
            return None
        if not left.named_children or left.named_children[0] != decl.node:
            return None
        call = method_call(right.named_children[0], *_LOADS)
        if call is not None and is_sync_map(ctx, call.receiver, _METHODS):
            return call.receiver
        return None
    if decl.kind == "param" and stmt is not None:
        plist = stmt.parent
        literal = plist.parent if plist is not None else None
        if plist is None or literal is None or literal.type != "func_literal":
            return None
        names = [
            n
            for p in plist.named_children
            if p.type == "parameter_declaration"
            for n in p.children_by_field_name("name")
        ]
        if len(names) != 2 or names[1] != decl.node:
            return None
        args = literal.parent
        rng = method_call(args.parent if args is not None else None, "Range")
        if rng is not None and is_sync_map(ctx, rng.receiver, ("Range",)):
            return rng.receiver
    return None
