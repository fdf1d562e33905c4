"""GMF503 missing-entry-dereference."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tree_sitter import Node

from gomapfix.codemod import MAP_EVIDENCE, Codemod, FileContext, enclosing_function
from gomapfix.finding import Finding
from gomapfix.fix import Applicability, Fix
from gomapfix.gotypes import GoType
from gomapfix.syntax import builtin_call, call_args, expr_key, is_pure, walk

from ._zero_values import (
    identifiers,
    index_parts,
    is_path,
    map_value_type,
    outer_function,
    reindent,
    scoped_name,
    unparen,
    value_kind,
)
from .read_after_delete import reads_after_delete

_USES = {
    "field": ("pointer",),
    "method": ("pointer", "interface"),
    "call": ("func",),
    "close": ("chan",),
}
_ZERO = {
    "pointer": "nil pointer",
    "interface": "nil interface",
    "func": "nil func",
    "chan": "nil channel",
}
_STATEMENTS = ("expression_statement", "assignment_statement")


class MissingEntryDereference(Codemod):
    """
    What it finds:
        A map entry used in a way that panics when the key is missing, because the zero
        value of the value type is nil: ``m[k].f`` and ``m[k].M()`` where V is a pointer,
        ``m[k].M()`` where V is an interface (including ``error``), ``m[k]()`` where V is
        a func type, ``close(m[k])`` where V is a channel. ``m`` must visibly be a map
        (an identifier or field path whose declaration is visible) and V visibly one of
        those types.

        Most such lookups are present by construction (measured on the standard
        library: every one of 23 candidates relied on an invariant of its package), so a
        sign that the key can miss is required:

        - the key is computed from a parameter of an exported function or method, not
          reassigned in it: callers choose it (an id, a name from a request);
        - or the entry was deleted earlier in the function (``delete(m, k)``) with no
          later use of ``m[k]`` in between. When the deref directly follows the delete on
          a straight-line path, GMF501 (read-after-delete) reports it instead.

        Never reported, because the entry is known to be there or the code already
        checked: an earlier use of the same ``m[k]`` in the function (``v, ok :=
        m[k]``, ``if m[k] == nil``, ``m[k] = ...``, an earlier dereference, which would
        have panicked first); a key ranged from the same map (``for k := range m``)
        unless ``delete(m, k)`` comes in between; a key ranged from something built from
        the map (``for _, k := range sortedKeys(m)``, a ``keys`` slice appended to while
        ranging over ``m``); constant keys (``m["json"]``, ``m[KindInt]``: registries
        filled by construction); methods with a pointer receiver that test their
        receiver against nil; struct values (the zero struct is fine to read).

    Why it is a hazard:
        Indexing a map with a missing key does not fail: it yields the zero value, and
        for pointers, interfaces, funcs and channels that is nil. The panic ("invalid
        memory address or nil pointer dereference", "close of nil channel") then happens
        at the use, far from the lookup, and only for the inputs that miss. Lookups are
        only safe without a check when the key is present by construction.

    Example:
        func (s *Server) Kick(id string) {
            s.sessions[id].conn.Close()
        }

    Fixed:
        func (s *Server) Kick(id string) {
            if v, ok := s.sessions[id]; ok {
                v.conn.Close()
            }
        }

    Fix safety:
        unsafe: on a missing key the statement is now skipped silently instead of
        panicking; the caller may rather need an error, a log line, or a created entry.
        The fix is offered only for an expression statement or a plain ``=`` assignment
        that stands alone on its line and holds no other index expression, with a key
        and map expression free of side effects (the lookup moves before the rest of
        the statement); other shapes (``return``, ``:=``, ``++``, two lookups) are
        reported without a fix. No fix after a ``delete``: the statement would simply
        never run.

    Minimum Go:
        any.
    """

    code = "GMF503"
    name = "missing-entry-dereference"
    summary = "m[k].f, m[k].M(), m[k]() or close(m[k]) with a nil zero value and no check."
    family = "zero values"
    default_enabled = True
    requires = ("scopes",)
    trigger_tokens = (b"[",)
    package_pattern = MAP_EVIDENCE

    def visit_index_expression(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        parts = index_parts(node)
        if parts is None:
            return
        operand, key = parts
        if not is_path(operand):
            return
        use = _use(node)
        if use is None:
            return
        vtype = map_value_type(ctx, operand)
        if value_kind(vtype) not in _USES[use]:
            return  # what _check tests first: no need to collect the key's identifiers
        access = _Access(node, operand, key, identifiers(key), use, vtype)
        yield from _check(ctx, access)

    def visit_type_conversion_expression(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        # ``m[k](x)`` and ``s.m[k](x)`` parse as a conversion to a generic type.
        access = _conversion_access(ctx, node)
        if access is not None:
            yield from _check(ctx, access)


@dataclass(frozen=True)
class _Access:
    node: Node
    """The ``m[k]`` node (an index expression, or a generic type for ``m[k](x)``)."""
    map_node: Node
    key: Node
    key_idents: list[Node]
    """The names the key reads (identifiers, or the type-shaped names of ``m[k](x)``)."""
    use: str
    vtype: GoType | None


def _conversion_access(ctx: FileContext, node: Node) -> _Access | None:
    gtype = node.child_by_field_name("type")
    if gtype is None or gtype.type != "generic_type":
        return None
    base = gtype.child_by_field_name("type")
    args = gtype.child_by_field_name("type_arguments")
    elems = [c for c in args.named_children if c.type != "comment"] if args is not None else []
    if base is None or len(elems) != 1 or len(elems[0].named_children) != 1:
        return None
    key = elems[0].named_children[0]
    scopes = ctx.facts.scopes
    model = ctx.facts.model
    if base.type == "type_identifier":
        decl = scopes.declaration(base)
        mtype = model.map_type(decl.type) if decl is not None else None
    elif base.type == "qualified_type":
        pkg = base.child_by_field_name("package")
        name = base.child_by_field_name("name")
        decl = scopes.declaration(pkg) if pkg is not None else None
        if decl is None or name is None:
            return None
        mtype = model.map_type(model.field_type(decl.type, ctx.text(name)))
    else:
        return None
    if mtype is None or mtype.elem is None:
        return None
    if key.type == "type_identifier":
        key_idents = [key]
    elif key.type == "qualified_type" and key.child_by_field_name("package") is not None:
        pkg_node = key.child_by_field_name("package")
        key_idents = [pkg_node] if pkg_node is not None else []
    else:
        return None
    vtype = model.resolve(mtype.elem) if mtype.elem.kind == "named" else mtype.elem
    return _Access(gtype, base, key, key_idents, "call", vtype or mtype.elem)


def _check(ctx: FileContext, access: _Access) -> Iterator[Finding]:
    node, use = access.node, access.use
    kind = value_kind(access.vtype)
    if kind not in _USES[use]:
        return
    if use == "method" and kind == "pointer" and _nil_safe_method(ctx, node, access.vtype):
        return
    if _constant_key(ctx, access):
        return
    m, k = ctx.text(access.map_node), ctx.text(access.key)
    verdict = _known(ctx, access, m, k)
    if verdict == "present":
        return
    if isinstance(verdict, Node) and node in reads_after_delete(ctx, verdict):
        return  # GMF501 reports it, with the right fix (read before the delete)
    param = _api_parameter(ctx, access)
    if not isinstance(verdict, Node) and param is None:
        return  # no sign that the key can miss: most lookups are present by design
    what = {
        "field": "a field of",
        "method": "a method of",
        "call": "a call of",
        "close": "close of",
    }[use]
    message = (
        f"{what} {m}[{k}] with no presence check: a missing key yields a "
        f"{_ZERO[kind]}, and this panics"
    )
    related = []
    fix = None
    if isinstance(verdict, Node):
        message += f" (the entry was deleted at line {verdict.start_point[0] + 1})"
        related.append(ctx.related(verdict, "deleted here"))
    else:
        message += f" (the key comes from {param}, a parameter of an exported function)"
        fix = _fix(ctx, access, m, k)
    yield ctx.report(node, message, fix, related)


def _use(node: Node) -> str | None:
    parent = node.parent
    if parent is None:
        return None
    if parent.type == "selector_expression" and parent.child_by_field_name("operand") == node:
        grand = parent.parent
        if (
            grand is not None
            and grand.type == "call_expression"
            and grand.child_by_field_name("function") == parent
        ):
            return "method"
        return "field"
    if parent.type == "call_expression" and parent.child_by_field_name("function") == node:
        return "call"
    if parent.type == "argument_list" and parent.named_child_count == 1:
        call = parent.parent
        fn = call.child_by_field_name("function") if call is not None else None
        if fn is not None and fn.type == "identifier" and fn.text == b"close":
            return "close"
    return None


def _api_parameter(ctx: FileContext, access: _Access) -> str | None:
    """The parameter of an exported function or method the key is computed from.

    A key passed in by callers (an id, a name from a request) is where misses come from;
    a key computed inside the package usually comes from the map's own bookkeeping.
    """
    scopes = ctx.facts.scopes
    for ident in access.key_idents:
        decl = scopes.declaration(ident)
        if decl is None or decl.kind != "param" or decl.statement is None:
            continue
        plist = decl.statement.parent
        fn = plist.parent if plist is not None else None
        if fn is None or fn.type not in ("function_declaration", "method_declaration"):
            continue
        if fn.child_by_field_name("parameters") != plist:
            continue
        name = fn.child_by_field_name("name")
        text = ctx.text(name) if name is not None else ""
        if text[:1].isupper() and not _assigned(ctx, decl.node, fn):
            return decl.name
    return None


def _assigned(ctx: FileContext, name: Node, fn: Node) -> bool:
    """Whether the parameter is assigned in the function (then it is no longer input)."""
    for n in walk(fn):
        if n.type == "assignment_statement":
            left = n.child_by_field_name("left")
            targets = left.named_children if left is not None else []
        elif n.type in ("inc_statement", "dec_statement"):
            targets = n.named_children[:1]
        else:
            continue
        for target in targets:
            if target.type == "identifier" and target.text == name.text:
                decl = ctx.facts.scopes.declaration(target)
                if decl is not None and decl.node == name:
                    return True
    return False


def _nil_safe_method(ctx: FileContext, node: Node, vtype: GoType | None) -> bool:
    """A pointer-receiver method that compares its receiver with nil: ``m[k].M()`` on a
    missing key may be fine."""
    if vtype is None or vtype.elem is None or vtype.elem.kind != "named":
        return False
    selector = node.parent
    field = selector.child_by_field_name("field") if selector is not None else None
    if field is None or vtype.elem.qualifier is not None or not vtype.elem.name:
        return False
    method = ctx.facts.model.method(vtype.elem.name, ctx.text(field))
    if method is None:
        return False
    if not method.pointer_receiver:
        return False  # a value receiver dereferences the nil pointer at the call
    if not method.receiver_name or method.receiver_name == "_":
        return False
    body = method.body
    if body is None:
        return True  # assembly or linkname: cannot tell
    recv = re.escape(method.receiver_name)
    text = ctx.text(body)
    return re.search(rf"\b{recv}\s*[!=]=\s*nil\b|\bnil\s*[!=]=\s*{recv}\b", text) is not None


def _constant_key(ctx: FileContext, access: _Access) -> bool:
    """No name in the key refers to a variable: a literal or a named constant."""
    scopes = ctx.facts.scopes
    if any(scopes.declaration(ident) is not None for ident in access.key_idents):
        return False
    key = access.key
    return not any(n.type == "call_expression" for n in [key, *walk(key)])


def _known(ctx: FileContext, access: _Access, m: str, k: str) -> str | Node | None:
    """``present`` when the entry is known to be there or was checked; the ``delete``
    statement when the last thing done to the entry was deleting it; else None."""
    node = access.node
    fn = outer_function(node)
    if fn is None:
        return "present"
    m_key, k_key = expr_key(access.map_node), expr_key(access.key)
    whole = f"{m_key}[{k_key}]"
    latest: tuple[int, str | Node] | None = None
    for n in walk(fn):
        if n.start_byte >= node.start_byte:
            break
        event: str | Node | None = None
        if n.type in ("index_expression", "generic_type") and expr_key(n) == whole:
            event = "present"
        elif n.type == "expression_statement":
            call = builtin_call(n, "delete")
            args = call_args(call) if call is not None else []
            if len(args) == 2 and expr_key(args[0]) == m_key and expr_key(args[1]) == k_key:
                event = n
        if event is not None:
            latest = (n.start_byte, event)
    ranged = _ranged_from_map(ctx, access, m_key, fn)
    if ranged is not None and (latest is None or ranged.start_byte > latest[0]):
        return "present"
    return latest[1] if latest is not None else None


def _ranged_from_map(ctx: FileContext, access: _Access, m_key: str, fn: Node) -> Node | None:
    """The range clause the key comes from, when it ranges over the map or something
    built from it (``for k := range m``, ``range sortedKeys(m)``, a ``keys`` slice filled
    while ranging over ``m``)."""
    key = unparen(access.key) or access.key
    if key.type not in ("identifier", "type_identifier"):
        return None
    decl = ctx.facts.scopes.declaration(key)
    if decl is None or decl.kind not in ("range_key", "range_value") or decl.statement is None:
        return None
    clause = decl.statement
    right = clause.child_by_field_name("right")
    if right is None:
        return None
    if decl.kind == "range_key" and expr_key(right) == m_key:
        return clause
    if expr_key(right) != m_key and _mentions_map(right, m_key):
        return clause  # range sortedKeys(m), range maps.Keys(m)
    if (
        decl.kind == "range_value"
        and right.type == "identifier"
        and _built_from_map(ctx, right, m_key, fn)
    ):
        return clause
    return None


def _mentions_map(node: Node, m_key: str) -> bool:
    return any(
        n.type in ("identifier", "selector_expression") and expr_key(n) == m_key
        for n in [node, *walk(node)]
    )


def _built_from_map(ctx: FileContext, slice_ident: Node, m_key: str, fn: Node) -> bool:
    """Whether the slice ``slice_ident`` is assigned from an expression mentioning the
    map, or appended to inside a range over the map."""
    decl = ctx.facts.scopes.declaration(slice_ident)
    if decl is None:
        return False
    name = decl.name
    for n in walk(fn):
        if n.type not in ("assignment_statement", "short_var_declaration", "var_spec"):
            continue
        if n.type == "var_spec":
            targets = n.children_by_field_name("name")
            right = n.child_by_field_name("value")
        else:
            left = n.child_by_field_name("left")
            targets = left.named_children if left is not None else []
            right = n.child_by_field_name("right")
        if not any(t.type == "identifier" and ctx.text(t) == name for t in targets):
            continue
        if right is not None and _mentions_map(right, m_key):
            return True
        current = n.parent
        while current is not None and current != fn:
            if current.type == "for_statement":
                clause = next((c for c in current.named_children if c.type == "range_clause"), None)
                r = clause.child_by_field_name("right") if clause is not None else None
                if r is not None and expr_key(r) == m_key:
                    return True
            current = current.parent
    return False


def _statement(node: Node) -> Node | None:
    current = node.parent
    while current is not None:
        if (
            current.type in _STATEMENTS
            and current.parent is not None
            and current.parent.type == "statement_list"
        ):
            return current
        if current.type.endswith("statement") or current.type in (
            "func_literal",
            "block",
            "short_var_declaration",
            "var_declaration",
        ):
            return None
        current = current.parent
    return None


def _fix(ctx: FileContext, access: _Access, m: str, k: str) -> Fix | None:
    node = access.node
    stmt = _statement(node)
    if stmt is None:
        return None
    if stmt.type == "assignment_statement":
        op = stmt.child_by_field_name("operator")
        if op is None or op.text != b"=":
            return None
    if not is_pure(access.key) or not is_pure(access.map_node):
        return None
    accesses = [n for n in walk(stmt) if n.type in ("index_expression", "generic_type")]
    if accesses != [node]:
        return None
    if any(n.type == "raw_string_literal" and b"\n" in (n.text or b"") for n in walk(stmt)):
        return None
    source = ctx.file.source
    data = ctx.data
    line_start = source.line_start(stmt.start_byte)
    if data[line_start : stmt.start_byte].strip():
        return None
    line_end = data.find(b"\n", stmt.end_byte)
    if line_end < 0:
        line_end = len(data)
    rest = data[stmt.end_byte : line_end].rstrip()
    trailing = rest.strip()
    if trailing and not (trailing.startswith(b"//") or _comment_only(stmt, line_end)):
        return None
    fn = enclosing_function(node)
    if fn is None:
        return None
    v, v_unique = scoped_name(ctx, "v", stmt, fn)
    ok, ok_unique = scoped_name(ctx, "ok", stmt, fn)
    declares = tuple(name for name, unique in ((v, v_unique), (ok, ok_unique)) if unique)
    indent = ctx.indent(stmt)
    text = (
        data[stmt.start_byte : node.start_byte].decode()
        + v
        + data[node.end_byte : stmt.end_byte].decode()
        + rest.decode()
    )
    replacement = (
        f"if {v}, {ok} := {m}[{k}]; {ok} {{\n{indent}\t{reindent(text, chr(9))}\n{indent}}}"
    )
    return ctx.fix(
        f"Check that {m}[{k}] is present before using it",
        [ctx.edit(stmt.start_byte, stmt.end_byte + len(rest), replacement)],
        Applicability.UNSAFE,
        "on a missing key the statement is now skipped instead of panicking; "
        "decide what a miss should do",
        declares=declares,
        scope=fn if declares else None,
    )


def _comment_only(stmt: Node, line_end: int) -> bool:
    """Whether everything after ``stmt`` up to ``line_end`` is one comment node."""
    sibling = stmt.next_named_sibling
    return sibling is not None and sibling.type == "comment" and sibling.end_byte >= line_end - 1
