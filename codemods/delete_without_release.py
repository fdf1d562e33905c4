"""GMF401 delete-without-release, and the lifetime analysis GMF402 shares.

The shared part answers three questions about a map whose values need releasing:

* ``release_of``: is the value type one that must be released, and how (``Stop``,
  ``Close``, ``Cancel``, or calling the value itself for a ``context.CancelFunc``)?
* ``released_in``/``value_used``: does the function visibly release (or hand over)
  the value on its own? Conservative: any sign of a release silences the rule.
* ``lock_plan``: is a lock held where the value is dropped, and if so is the lock shape
  simple enough to collect the values under the lock and release them after ``Unlock``?
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tree_sitter import Node

from gomapfix.codemod import MAP_EVIDENCE, Codemod, FileContext, enclosing_function
from gomapfix.facts.locks import caller_holds_lock, lock_state, resolve_call
from gomapfix.finding import Finding
from gomapfix.fix import Applicability, Edit, Fix
from gomapfix.gotypes import BASIC_TYPES, GoType
from gomapfix.parse import node_text
from gomapfix.syntax import GO_KEYWORDS, call_args, expr_key

FUNCTION_NODES = frozenset({"function_declaration", "method_declaration", "func_literal"})
_RELEASE_ISH = re.compile(
    r"close|stop|cancel|release|shutdown|free|finish|abort|kill|quit|dispose|teardown|"
    r"cleanup|unref|recycle|put|delete|destroy|exit|terminate|unsubscribe|disconnect|"
    r"detach|unregister|remove|reset",
    re.IGNORECASE,
)
_LOCAL_METHODS = ("Close", "Stop", "Cancel")


# Value types that must be released ------------------------------------------------------


@dataclass(frozen=True)
class Release:
    """How a map value of a given type is released."""

    label: str
    """The value type as the message names it (``*time.Timer``)."""
    method: str | None
    """``Stop``, ``Close``, ``Cancel``...; None when the value is a function to call."""
    arg: str
    """Argument of the release call (``nil`` for ``context.CancelCauseFunc``)."""
    base: str
    """Base name for a variable holding one value."""
    why: str
    """What is lost when the value is dropped without the release."""
    nillable: bool
    type_text: str
    """The value type as written in the map type (used in declarations)."""
    imports: tuple[tuple[str, str], ...]
    """(package name, import path) pairs that ``type_text`` relies on."""

    def call(self, var: str) -> str:
        if self.method is None:
            return f"{var}({self.arg})"
        return f"{var}.{self.method}()"

    @property
    def advice(self) -> str:
        """``value is a *time.Timer: call Stop``."""
        if self.method is None:
            return f"value is a {self.label}: call it"
        return f"value is a {self.label}: call {self.method}"

    @property
    def action(self) -> str:
        if self.method is None:
            return "calling it"
        return {"Stop": "stopping it", "Close": "closing it", "Cancel": "cancelling it"}.get(
            self.method, f"calling {self.method}"
        )


@dataclass(frozen=True)
class _Known:
    pointer: bool
    method: str | None
    arg: str
    base: str
    why: str


_WHY_CANCEL = (
    "its context stays registered with its parent (and a WithTimeout/WithDeadline timer "
    "keeps running) until the parent is cancelled"
)
_WHY_CONN = "the connection and its file descriptor stay open"
_WHY_CLOSER = "whatever it holds stays open"
_KNOWN: dict[tuple[str, str], _Known] = {
    ("context", "CancelFunc"): _Known(False, None, "", "cancel", _WHY_CANCEL),
    ("context", "CancelCauseFunc"): _Known(False, None, "nil", "cancel", _WHY_CANCEL),
    ("time", "Timer"): _Known(True, "Stop", "", "timer", "timer"),
    ("time", "Ticker"): _Known(True, "Stop", "", "ticker", "ticker"),
    ("os", "File"): _Known(
        True,
        "Close",
        "",
        "file",
        "the file descriptor stays open until the garbage collector happens to run its cleanup",
    ),
    ("net", "Conn"): _Known(False, "Close", "", "conn", _WHY_CONN),
    ("net", "PacketConn"): _Known(False, "Close", "", "conn", _WHY_CONN),
    ("net", "Listener"): _Known(False, "Close", "", "listener", "the listening socket stays open"),
    ("net", "TCPConn"): _Known(True, "Close", "", "conn", _WHY_CONN),
    ("net", "UDPConn"): _Known(True, "Close", "", "conn", _WHY_CONN),
    ("net", "UnixConn"): _Known(True, "Close", "", "conn", _WHY_CONN),
    ("net", "IPConn"): _Known(True, "Close", "", "conn", _WHY_CONN),
    ("net", "TCPListener"): _Known(
        True, "Close", "", "listener", "the listening socket stays open"
    ),
    ("net", "UnixListener"): _Known(
        True, "Close", "", "listener", "the listening socket stays open"
    ),
    ("io", "Closer"): _Known(False, "Close", "", "closer", _WHY_CLOSER),
    ("io", "ReadCloser"): _Known(False, "Close", "", "rc", _WHY_CLOSER),
    ("io", "WriteCloser"): _Known(False, "Close", "", "wc", _WHY_CLOSER),
    ("io", "ReadWriteCloser"): _Known(False, "Close", "", "rwc", _WHY_CLOSER),
    ("database/sql", "DB"): _Known(True, "Close", "", "db", "its connection pool stays open"),
    ("database/sql", "Conn"): _Known(True, "Close", "", "conn", "the connection is never returned"),
    ("database/sql", "Stmt"): _Known(
        True, "Close", "", "stmt", "the prepared statement stays open"
    ),
    ("database/sql", "Rows"): _Known(True, "Close", "", "rows", "the connection stays busy"),
}


def _why_timer(ctx: FileContext, kind: str) -> str:
    if kind == "ticker":
        if ctx.at_least(23):
            return "it keeps ticking for any goroutine still receiving from its channel"
        return "an unstopped ticker is never garbage collected before Go 1.23 and keeps ticking"
    if ctx.at_least(23):
        return "an AfterFunc callback still runs when it fires"
    return (
        "an AfterFunc callback still runs when it fires, and before Go 1.23 an unstopped "
        "timer is not garbage collected until it fires"
    )


def qualifier_path(ctx: FileContext, qualifier: str) -> str | None:
    """The import path a package name stands for in this package, if unambiguous."""
    table: dict[str, frozenset[str]] = ctx.facts.cached("lifetime.qualifiers", _qualifiers)
    paths = table.get(qualifier, frozenset())
    return next(iter(paths)) if len(paths) == 1 else None


def _qualifiers(facts: object) -> dict[str, frozenset[str]]:
    model = facts.model  # type: ignore[attr-defined]
    out: dict[str, set[str]] = {}
    for parsed in model.files:
        for spec in parsed.imports:
            if spec.name in ("_", "."):
                continue
            out.setdefault(spec.local_name, set()).add(spec.path)
    return {k: frozenset(v) for k, v in out.items()}


def release_of(ctx: FileContext, vtype: GoType | None) -> Release | None:
    """How a value of type ``vtype`` must be released, or None when it need not (or
    the declarations needed to tell are not visible)."""
    if vtype is None:
        return None
    cache: dict[tuple[str, bool], Release | None] = ctx.facts.cached(
        "lifetime.release", lambda _f: {}
    )
    key = (expr_key_text(vtype.text), ctx.at_least(23))
    if key not in cache:
        cache[key] = _release_of(ctx, vtype, vtype.text, 0)
    return cache[key]


def expr_key_text(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _release_of(ctx: FileContext, vtype: GoType, text: str, depth: int) -> Release | None:
    if depth > 6:
        return None
    pointer = vtype.kind == "pointer"
    base = vtype.elem if pointer else vtype
    if base is None or base.kind != "named" or not base.name:
        return None
    model = ctx.facts.model
    if base.qualifier is not None:
        path = qualifier_path(ctx, base.qualifier)
        if path is None:
            return None
        known = _KNOWN.get((path, base.name))
        if known is None or known.pointer != pointer:
            return None
        why = _why_timer(ctx, known.why) if known.why in ("timer", "ticker") else known.why
        label = ("*" if pointer else "") + f"{path.rsplit('/', 1)[-1]}.{base.name}"
        return Release(
            label=label,
            method=known.method,
            arg=known.arg,
            base=known.base,
            why=why,
            nillable=True,
            type_text=text,
            imports=((base.qualifier, path),),
        )
    info = model.types.get(base.name)
    if info is None:
        return None  # a type parameter, or a type not declared in the package
    if info.alias:
        target = info.type
        if pointer:
            target = GoType(kind="pointer", text="*" + target.text, elem=target)
        found = _release_of(ctx, target, text, depth + 1)
        return found
    underlying = info.type
    if underlying.kind == "interface":
        if pointer:
            return None
        method = _interface_release(ctx, info.node, depth)
        nillable = True
    else:
        method = _method_release(ctx, base.name)
        nillable = pointer or underlying.kind in ("pointer", "map", "chan", "func", "slice")
    if method is None:
        return None
    return Release(
        label=text,
        method=method,
        arg="",
        base=_var_base(base.name),
        why=f"its {method} method is never called",
        nillable=nillable,
        type_text=text,
        imports=(),
    )


def _method_release(ctx: FileContext, type_name: str) -> str | None:
    methods = ctx.facts.model.methods.get(type_name, {})
    for name in _LOCAL_METHODS:
        info = methods.get(name)
        if info is not None and _no_params(info.node):
            return name
    return None


def _no_params(fn: Node) -> bool:
    params = fn.child_by_field_name("parameters")
    return params is not None and not any(
        c.type in ("parameter_declaration", "variadic_parameter_declaration")
        for c in params.named_children
    )


def _interface_release(ctx: FileContext, spec: Node, depth: int) -> str | None:
    iface = spec.child_by_field_name("type")
    if iface is None or iface.type != "interface_type":
        return None
    names: set[str] = set()
    for elem in iface.named_children:
        if elem.type == "method_elem":
            name = elem.child_by_field_name("name")
            if name is not None and _no_params(elem):
                names.add(node_text(name))
        elif elem.type == "type_elem" and len(elem.named_children) == 1:
            from gomapfix.gotypes import type_from_node

            embedded = type_from_node(elem.named_children[0])
            found = _release_of(ctx, embedded, embedded.text, depth + 1)
            if found is not None and found.method is not None:
                names.add(found.method)
    for method in _LOCAL_METHODS:
        if method in names:
            return method
    return None


def _var_base(type_name: str) -> str:
    words = re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", type_name)
    word = words[-1] if words else type_name
    name = word[:1].lower() + word[1:]
    if name == type_name:
        name = name[:1]  # type worker: a variable named worker would shadow the type
    if not name.isidentifier() or name in GO_KEYWORDS or name in BASIC_TYPES:
        return "v"
    return name


def type_usable(ctx: FileContext, release: Release) -> bool:
    """Whether ``release.type_text`` means the same type when written in this file."""
    return all(ctx.file.import_name(path) == name for name, path in release.imports)


# Is the value released (or handed over) by the function itself? --------------------------


def outermost_function(node: Node) -> Node | None:
    found: Node | None = None
    current = node.parent
    while current is not None:
        if current.type in FUNCTION_NODES:
            found = current
        current = current.parent
    return found


def _descendants(node: Node) -> Iterator[Node]:
    stack = list(reversed(node.children))
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


def _last_name(expr: Node) -> str:
    if expr.type == "identifier":
        return node_text(expr)
    if expr.type == "selector_expression":
        field = expr.child_by_field_name("field")
        return node_text(field) if field is not None else ""
    if expr.type == "parenthesized_expression" and expr.named_children:
        return _last_name(expr.named_children[0])
    return ""


def is_release_call(ctx: FileContext, call: Node, release: Release) -> bool:
    """A call that plausibly releases a value of this kind (conservatively broad)."""
    fn = call.child_by_field_name("function")
    if fn is None:
        return False
    if release.method is not None:
        if fn.type != "selector_expression":
            return False
        field = fn.child_by_field_name("field")
        return field is not None and node_text(field).lower().startswith(release.method.lower())
    if len(call_args(call)) > 1:
        return False
    if fn.type == "index_expression":
        return True
    name = _last_name(fn).lower()
    if "cancel" in name or "stop" in name:
        return True
    if fn.type in ("identifier", "selector_expression"):
        t = ctx.facts.scopes.type_of(fn)
        return t.kind != "unknown" and expr_key_text(t.text) == expr_key_text(release.type_text)
    return False


def _calls_releasing_function(ctx: FileContext, call: Node, release: Release) -> bool:
    """Whether ``call`` calls a package function whose body releases such a value."""
    if call.child_by_field_name("function") is None:
        return False
    try:
        callee, _, _ = resolve_call(ctx.facts, call)
    except Exception:
        return False
    if callee is None or callee.body is None:
        return False
    memo: dict[tuple[int, str], bool] = ctx.facts.cached("lifetime.releasing", lambda _f: {})
    key = (callee.node.id, release.label)
    if key not in memo:
        memo[key] = any(
            n.type == "call_expression" and is_release_call(ctx, n, release)
            for n in _descendants(callee.body)
        )
    return memo[key]


def callers_release(ctx: FileContext, function: Node, release: Release) -> bool:
    """Whether the callers of ``function`` (by name, in the package) take care of the
    value: one releases such a value itself (``unregister(id)`` helpers whose callers
    ``defer cancel()``), holds it (a parameter or receiver of its type), or, for timers,
    runs the function from an ``AfterFunc`` callback (the timer has fired)."""
    if function.type not in ("function_declaration", "method_declaration"):
        return False
    name_node = function.child_by_field_name("name")
    if name_node is None:
        return False
    name = node_text(name_node)
    table: dict[str, list[tuple[Node, Node]]] = ctx.facts.cached("lifetime.callers", _callers_table)
    is_timer = release.label == "*time.Timer"
    if is_timer and table.get("@AfterFunc:" + name):
        return True  # time.AfterFunc(d, s.expire): expire runs when the timer fires
    for caller, site in table.get(name, []):
        if caller == function:
            continue
        if is_timer and in_after_func(site):
            return True
        if in_hand(ctx, [caller], release):
            return True
        if any(
            n.type == "call_expression" and is_release_call(ctx, n, release)
            for n in _descendants(caller)
        ):
            return True
    return False


def _callers_table(facts: object) -> dict[str, list[tuple[Node, Node]]]:
    """Called name -> (top-level function of the package, call) for each call by that
    name; ``@AfterFunc:<name>`` for functions passed by name to ``AfterFunc``."""
    model = facts.model  # type: ignore[attr-defined]
    table: dict[str, list[tuple[Node, Node]]] = {}
    for parsed in model.files:
        for top in parsed.root.named_children:
            if top.type not in ("function_declaration", "method_declaration"):
                continue
            for node in _descendants(top):
                if node.type != "call_expression":
                    continue
                fn = node.child_by_field_name("function")
                last = _last_name(fn) if fn is not None else ""
                if not last:
                    continue
                table.setdefault(last, []).append((top, node))
                if last == "AfterFunc":
                    for arg in call_args(node)[1:]:
                        if arg.type in ("identifier", "selector_expression"):
                            table.setdefault("@AfterFunc:" + _last_name(arg), []).append(
                                (top, node)
                            )
    return table


def in_after_func(node: Node) -> bool:
    """Whether ``node`` runs inside a function literal that is an ``AfterFunc`` callback:
    passed to it directly, or through a local variable (``f := func() {...}``)."""
    current = node.parent
    while current is not None:
        if current.type == "func_literal" and current.parent is not None:
            holder = current.parent
            if holder.type == "argument_list" and holder.parent is not None:
                fn = holder.parent.child_by_field_name("function")
                if fn is not None and _last_name(fn) == "AfterFunc":
                    return True
            if holder.type == "expression_list" and holder.parent is not None:
                decl = holder.parent
                left = decl.child_by_field_name("left")
                names = left.named_children if left is not None else []
                scope = decl.parent
                if len(names) == 1 and scope is not None:
                    var = node_text(names[0])
                    for item in _descendants(scope):
                        if item.type != "call_expression":
                            continue
                        fn = item.child_by_field_name("function")
                        if (
                            fn is not None
                            and _last_name(fn) == "AfterFunc"
                            and any(
                                a.type == "identifier" and node_text(a) == var
                                for a in call_args(item)
                            )
                        ):
                            return True
        current = current.parent
    return False


def released_in(ctx: FileContext, scope: Node, release: Release) -> Node | None:
    """A call in ``scope`` that releases such a value, directly or one call down."""
    for node in _descendants(scope):
        if node.type != "call_expression":
            continue
        if is_release_call(ctx, node, release) or _calls_releasing_function(ctx, node, release):
            return node
    return None


_RIGHT_SIDE_PARENTS = frozenset(
    {
        "return_statement",
        "send_statement",
        "literal_element",
        "keyed_element",
        "go_statement",
        "defer_statement",
        "var_spec",
    }
)


def value_used(ident: Node) -> bool:
    """Whether this occurrence of the value hands it over or releases it.

    Calling it, calling a release-like method on it (or on a field of it), passing it to
    a call, returning, storing, sending or assigning it count; comparing it, or reading
    its fields for a condition, do not.
    """
    current = ident
    chain: list[str] = []
    while current.parent is not None:
        parent = current.parent
        if (
            parent.type == "selector_expression"
            and parent.child_by_field_name("operand") == current
        ):
            field = parent.child_by_field_name("field")
            chain.append(node_text(field) if field is not None else "")
        elif parent.type == "parenthesized_expression":
            pass
        elif parent.type == "index_expression" and parent.child_by_field_name("operand") == current:
            chain.append("[]")
        elif (
            parent.type == "unary_expression" and parent.child_by_field_name("operator") is not None
        ):
            op = node_text(parent.child_by_field_name("operator"))  # type: ignore[arg-type]
            if op == "&":
                return True
            if op != "*":
                return False
        else:
            break
        current = parent
    holder = current.parent
    if holder is None:
        return False
    parent = holder
    if parent.type == "call_expression" and parent.child_by_field_name("function") == current:
        if not chain:
            return True
        return any(_RELEASE_ISH.search(name) for name in chain)
    if chain:
        if parent.type == "argument_list" and parent.parent is not None:
            callee = parent.parent.child_by_field_name("function")
            return callee is not None and bool(_RELEASE_ISH.search(_last_name(callee)))
        return False
    if parent.type == "argument_list":
        return True
    if parent.type in _RIGHT_SIDE_PARENTS:
        return True
    if parent.type == "expression_list" and parent.parent is not None:
        holder = parent.parent
        if holder.type in _RIGHT_SIDE_PARENTS:
            return True
        if holder.type in ("assignment_statement", "short_var_declaration"):
            return holder.child_by_field_name("right") == parent
    return False


def variable_used(ctx: FileContext, scope: Node, decl_ident: Node) -> bool:
    """Whether the variable declared by ``decl_ident`` is handed over or released."""
    name = node_text(decl_ident)
    if name == "_":
        return False
    for node in _descendants(scope):
        if node.type != "identifier" or node == decl_ident or node_text(node) != name:
            continue
        decl = ctx.facts.scopes.declaration(node)
        if decl is None or decl.node != decl_ident:
            continue
        if value_used(node):
            return True
    return False


def loaded_value_used(ctx: FileContext, scope: Node, index: Node) -> bool:
    """For an occurrence of ``m[k]``: whether the value it reads is handed over."""
    parent = index.parent
    while parent is not None and parent.type == "parenthesized_expression":
        index, parent = parent, parent.parent
    if parent is None:
        return False
    if parent.type == "expression_list" and parent.parent is not None:
        holder = parent.parent
        if holder.type in ("short_var_declaration", "assignment_statement"):
            if holder.child_by_field_name("right") != parent:
                return False  # m[k] = v: a write, not a load
            left = holder.child_by_field_name("left")
            lefts = left.named_children if left is not None else []
            if not lefts:
                return False
            target = lefts[0]
            if target.type != "identifier":
                return True  # stored into a field or another map: handed over
            if holder.type == "short_var_declaration":
                return variable_used(ctx, scope, target)
            decl = ctx.facts.scopes.declaration(target)
            if decl is None:
                return True
            return variable_used(ctx, scope, decl.node)
    if parent.type == "var_spec":
        names = parent.children_by_field_name("name")
        return bool(names) and variable_used(ctx, scope, names[0])
    return value_used(index)


# Lock discipline ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LockPlan:
    """Collect under the lock, release after ``unlock`` (the last release statement)."""

    anchor: Node
    """The statement of the Unlock's block that contains the drop."""
    unlock: Node
    """The last Unlock statement: the release goes right after it."""
    in_loop: bool
    """The drop is inside a loop below ``anchor``: several values may be collected."""
    mutexes: tuple[str, ...]


_JUMPS = frozenset({"return_statement", "goto_statement", "break_statement", "continue_statement"})
_BREAKABLE = frozenset(
    {"for_statement", "expression_switch_statement", "type_switch_statement", "select_statement"}
)


def lock_plan(ctx: FileContext, stmt: Node) -> LockPlan | str | None:
    """None when no lock is held at ``stmt``; a LockPlan when the shape is simple; else
    the reason (a sentence) why releasing after the unlock cannot be written safely."""
    fn = enclosing_function(stmt)
    if fn is None:
        return None
    if fn.type != "func_literal" and caller_holds_lock(fn):
        return "this function runs under its caller's lock"
    locks = lock_state(ctx.facts, fn)
    try:
        held = locks.held_at(stmt)
    except ValueError:
        return None
    if not held:
        return None
    names = tuple(sorted({h.mutex for h in held}))
    shown = ", ".join(names)
    unlocks: list[Node] = []
    for h in held:
        if h.acquisition is None:
            return f"{h.mutex} is held on entry"
        records = locks.release_records(h)
        if any(r.deferred for r in records):
            return f"{h.mutex} is unlocked by a deferred call"
        if len(records) != 1 or locks.escapes(h):
            return f"{h.mutex} is unlocked on several paths"
        release_stmt = records[0].call.parent
        if release_stmt is None or release_stmt.type != "expression_statement":
            return f"{h.mutex} is not unlocked by a plain statement"
        unlocks.append(release_stmt)
    block = unlocks[0].parent
    if block is None or block.type != "statement_list" or any(u.parent != block for u in unlocks):
        return f"the Unlock of {shown} is not in one block"
    anchor: Node | None = stmt
    in_loop = False
    while anchor is not None and anchor.parent != block:
        if anchor.type in FUNCTION_NODES:
            return "the value is dropped inside a function literal"
        if anchor.type == "for_statement":
            in_loop = True
        anchor = anchor.parent
    if anchor is None:
        return f"the Unlock of {shown} is not in a block around the drop"
    if anchor.type == "for_statement":
        in_loop = True
    last = max(unlocks, key=lambda u: u.start_byte)
    if any(u.start_byte < anchor.end_byte for u in unlocks):
        return f"{shown} is unlocked before the drop"
    siblings = [
        c for c in block.named_children if anchor.start_byte <= c.start_byte <= last.start_byte
    ]
    for sibling in siblings:
        for node in [sibling, *_descendants(sibling)]:
            if node.type in _JUMPS and _leaves(node, block):
                return "the block can be left between the drop and the Unlock"
            if node.type == "labeled_statement":
                return "the block has labels"
    return LockPlan(anchor, last, in_loop, names)


def _leaves(jump: Node, block: Node) -> bool:
    """Whether a return/goto/break/continue can skip the rest of ``block``."""
    if jump.type in ("return_statement", "goto_statement"):
        return not _inside_literal(jump, block)
    if any(c.type == "label_name" for c in jump.named_children):
        return True
    current = jump.parent
    while current is not None and current != block:
        if current.type in FUNCTION_NODES:
            return False
        if current.type == "for_statement" or (
            jump.type == "break_statement" and current.type in _BREAKABLE
        ):
            return False
        current = current.parent
    return True


def _inside_literal(node: Node, block: Node) -> bool:
    current = node.parent
    while current is not None and current != block:
        if current.type in FUNCTION_NODES:
            return True
        current = current.parent
    return False


def line_end(ctx: FileContext, node: Node) -> int:
    """The offset of the end of ``node``'s last line (before the newline)."""
    data = ctx.data
    end = data.find(b"\n", node.end_byte)
    return len(data) if end < 0 else end


def is_stable(expr: Node) -> bool:
    """Evaluating ``expr`` again right away gives the same value and no side effect.

    Identifiers, field selectors, literals, index expressions of those, and conversions
    to basic types; no function calls or receives.
    """
    kind = expr.type
    if kind in (
        "identifier",
        "field_identifier",
        "package_identifier",
        "int_literal",
        "float_literal",
        "rune_literal",
        "interpreted_string_literal",
        "raw_string_literal",
        "true",
        "false",
        "nil",
        "iota",
        "imaginary_literal",
    ):
        return True
    if kind in (
        "selector_expression",
        "parenthesized_expression",
        "index_expression",
        "binary_expression",
    ):
        return all(is_stable(c) for c in expr.named_children)
    if kind == "unary_expression":
        op = expr.child_by_field_name("operator")
        operand = expr.child_by_field_name("operand")
        return (
            op is not None and node_text(op) != "<-" and operand is not None and is_stable(operand)
        )
    if kind in (
        "interpreted_string_literal_content",
        "raw_string_literal_content",
        "escape_sequence",
    ):
        return True
    if kind == "call_expression":
        fn = expr.child_by_field_name("function")
        args = call_args(expr)
        return (
            fn is not None
            and fn.type == "identifier"
            and node_text(fn) in BASIC_TYPES
            and len(args) == 1
            and is_stable(args[0])
        )
    return False


def is_path(expr: Node) -> bool:
    """An identifier or a field path on one (``s.cache.items``)."""
    current: Node | None = expr
    while current is not None and current.type == "selector_expression":
        current = current.child_by_field_name("operand")
    return current is not None and current.type == "identifier" and current.text != b"_"


def builtin_shadowed(ctx: FileContext, ident: Node) -> bool:
    name = node_text(ident)
    model = ctx.facts.model
    if name in model.funcs or name in model.vars or name in model.types:
        return True
    return ctx.facts.scopes.declaration(ident) is not None


def in_hand(ctx: FileContext, functions: list[Node], release: Release) -> bool:
    """A receiver or parameter of one of ``functions`` has the value's type, or a local
    is built there by a constructor of it: the value being dropped from the map is (very
    likely) the one in hand, released by its owner."""
    want = expr_key_text(release.type_text)
    base = want.lstrip("*")
    if functions and _constructs(ctx, functions[-1], want, base):
        return True
    for fn in functions:
        for field_name in ("receiver", "parameters"):
            plist = fn.child_by_field_name(field_name)
            if plist is None:
                continue
            for param in plist.named_children:
                if param.type != "parameter_declaration":
                    continue
                ptype = param.child_by_field_name("type")
                if ptype is None:
                    continue
                text = expr_key(ptype)
                if text == want or (field_name == "receiver" and text.lstrip("*") == base):
                    return True
    return False


def fresh_name(ctx: FileContext, plural: str, scope: Node) -> str:
    """``timers``, else ``staleTimers``, else ``timers2``...: a name free in ``scope``."""
    for candidate in (plural, "stale" + plural[:1].upper() + plural[1:]):
        if ctx.unique_name(candidate, scope) == candidate:
            return candidate
    return ctx.unique_name(plural, scope)


def _constructs(ctx: FileContext, scope: Node, want: str, base: str) -> bool:
    """Whether ``scope`` builds a value of the type in a local: ``x := newT(...)`` (a
    package function whose only result is the type), ``&T{...}``, ``T{...}``."""
    model = ctx.facts.model
    for node in _descendants(scope):
        if node.type != "short_var_declaration":
            continue
        right = node.child_by_field_name("right")
        for value in right.named_children if right is not None else []:
            if value.type == "unary_expression" and value.named_children:
                value = value.named_children[-1]
            if value.type == "composite_literal":
                type_node = value.child_by_field_name("type")
                if type_node is not None and expr_key(type_node) == base:
                    return True
            elif value.type == "call_expression":
                fn = value.child_by_field_name("function")
                if fn is None or fn.type != "identifier":
                    continue
                info = model.funcs.get(node_text(fn))
                result = info.node.child_by_field_name("result") if info is not None else None
                if result is not None and expr_key(result) in (want, f"({want})"):
                    return True
    return False


def map_owns_values(ctx: FileContext, map_expr: Node, release: Release) -> bool:
    """Whether the package fills this map (by its variable or field name) only with
    values it creates at the store: constructor calls, literals, ``func`` literals, or
    locals initialised by one (``ctx, cancel := context.WithCancel(...)``). A map filled
    from parameters or other fields is a registry of values owned elsewhere, whose owner
    releases them; one never filled in the package cannot be judged."""
    name = _last_name(map_expr) if map_expr.type != "index_expression" else ""
    if not name:
        return False
    cache: dict[tuple[str, str], bool] = ctx.facts.cached("lifetime.owned", lambda _f: {})
    key = (name, release.type_text)
    if key not in cache:
        cache[key] = _owns(ctx, name, expr_key_text(release.type_text))
    return cache[key]


def _owns(ctx: FileContext, name: str, value_type: str) -> bool:
    stores = 0
    for parsed in ctx.facts.model.files:
        if name.encode() not in parsed.source.data:
            continue
        for node in _descendants(parsed.root):
            if node.type != "assignment_statement":
                continue
            op = node.child_by_field_name("operator")
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            if op is None or op.text != b"=" or left is None or right is None:
                continue
            lefts, rights = left.named_children, right.named_children
            for i, target in enumerate(lefts):
                if target.type != "index_expression":
                    continue
                operand = target.child_by_field_name("operand")
                if operand is None or _last_name(operand) != name:
                    continue
                mtype = ctx.facts.scopes.map_type(operand)
                if mtype is not None and (
                    mtype.elem is None or expr_key_text(mtype.elem.text) != value_type
                ):
                    continue  # another map of the same name
                stores += 1
                if len(rights) == 1 and rights[0].type == "call_expression":
                    continue  # m[k], err = open(...): a value the call created
                if len(lefts) != len(rights) or not _fresh_value(ctx, rights[i]):
                    return False
    return stores > 0


def _fresh_value(ctx: FileContext, value: Node) -> bool:
    while value.type == "parenthesized_expression" and value.named_children:
        value = value.named_children[0]
    if value.type in ("call_expression", "composite_literal", "func_literal"):
        return True
    if value.type == "unary_expression":
        op = value.child_by_field_name("operator")
        operand = value.child_by_field_name("operand")
        return (
            op is not None
            and node_text(op) == "&"
            and operand is not None
            and operand.type == "composite_literal"
        )
    if value.type != "identifier":
        return False
    decl = ctx.facts.scopes.declaration(value)
    if decl is None or decl.kind not in ("short_var", "var") or decl.statement is None:
        return False
    right = decl.statement.child_by_field_name(
        "right" if decl.statement.type == "short_var_declaration" else "value"
    )
    values = right.named_children if right is not None else []
    return len(values) == 1 and values[0].type in (
        "call_expression",
        "composite_literal",
        "func_literal",
        "unary_expression",
    )


def enclosing_functions(node: Node) -> list[Node]:
    out: list[Node] = []
    current = node.parent
    while current is not None:
        if current.type in FUNCTION_NODES:
            out.append(current)
        current = current.parent
    return out


def timer_fired(ctx: FileContext, scope: Node, node: Node) -> bool:
    """For timers: the function receives from a ``.C`` channel, or the drop runs in an
    ``AfterFunc`` callback (the timer has fired: nothing left to stop)."""
    for item in _descendants(scope):
        if item.type == "unary_expression":
            op = item.child_by_field_name("operator")
            operand = item.child_by_field_name("operand")
            if (
                op is not None
                and node_text(op) == "<-"
                and operand is not None
                and _last_name(operand) == "C"
            ):
                return True
    return in_after_func(node)


# The rule ----------------------------------------------------------------------------------


class DeleteWithoutRelease(Codemod):
    """
    What it finds:
        ``delete(m, k)`` where the map's value type visibly needs releasing:
        ``context.CancelFunc`` (call it), ``*time.Timer`` / ``*time.Ticker`` (``Stop``),
        ``*os.File``, ``net.Conn``, ``net.Listener``, ``io.Closer`` and the other
        ``io``/``net``/``database/sql`` closers (``Close``), or a type of the package (or a
        pointer to one) whose methods, declared in the package, include ``Close``,
        ``Stop`` or ``Cancel`` with no parameters (an interface of the package listing
        them counts too), and the map owns its values: every store into it in the
        package (``m[k] = v``, by the map's variable or field name) puts a value created
        there (``time.AfterFunc(...)``, ``net.Dial(...)``, ``&T{}``, the ``cancel`` of a
        ``context.WithCancel``). A map filled from parameters is a registry of values
        owned elsewhere, and one never filled in the package cannot be judged.

        Not reported when the value is visibly released or held by someone: a release
        call (``x.Stop()``, ``x.Close()``, ``cancel()``, ``m[k]()``) anywhere in the
        function or in a package function it calls; a value loaded from ``m[k]`` (or the
        range value of the deleted key) that is released, passed on, returned or stored;
        the value in hand (a receiver, a parameter or a local of its type, or a key that
        is a field of another object, ``delete(s.conns, c.id)``); a caller of the
        function that releases or holds the value (``unregister(id)`` helpers); for
        timers, a receive from a ``.C`` channel or a delete that runs from the timer's
        own ``AfterFunc`` callback (the timer has fired). The delete-all loop is GMF402's.

    Why it is a hazard:
        Not for the reason usually given. A popular claim is that deleting pointer values
        from a map leaves dangling references: that is false under Go's garbage
        collector, a deleted value simply becomes garbage once nothing else refers to it
        (only ``uintptr`` values can dangle; see GMF403). The real hazard is that
        deleting releases nothing. A ``context.CancelFunc`` never called keeps its
        context registered with the parent (and a ``WithTimeout`` timer running) until
        the parent is cancelled. A ``time.AfterFunc`` timer that is not stopped still
        fires its callback. A ``*time.Ticker`` keeps ticking for any goroutine still
        receiving from it. Before Go 1.23 unstopped timers and tickers were also never
        garbage collected (since 1.23, with a go.mod at 1.23 or later, the collector
        recovers unreferenced ones, so ``Stop`` is no longer needed for memory). A file or
        connection stays open, holding a descriptor, until a cleanup the garbage
        collector runs at an unknown time, if ever: under load the process runs out of
        descriptors first.

    Example:
        func (s *Scheduler) Cancel(id string) {
            delete(s.timers, id)
        }

    Fixed:
        func (s *Scheduler) Cancel(id string) {
            if timer, ok := s.timers[id]; ok {
                timer.Stop()
                delete(s.timers, id)
            }
        }

        Under a lock, releasing in place would run ``Stop``/``Close``/``cancel`` inside the
        critical section (a ``Close`` that blocks under a map lock is GMF302's hazard), so
        the value is taken out under the lock and released after the ``Unlock``:

            s.mu.Lock()
            timer := s.timers[id]
            delete(s.timers, id)
            s.mu.Unlock()
            if timer != nil {
                timer.Stop()
            }

        (inside a loop, the values are collected into a slice and released in a loop
        after the ``Unlock``).

    Fix safety:
        unsafe: releasing changes behaviour on purpose (the callback no longer fires, the
        connection closes), and ownership is a human decision: something else may still
        use the value or release it later. The fix also assumes a stored value is not
        nil (a nil ``*time.Timer`` or ``CancelFunc`` would panic when released in place).
        No fix when the map or key expression has side effects, when the delete is not a
        plain statement (``defer delete(...)``), or when a lock is held and its shape is
        not the simple one: the ``Unlock`` must be a single, non-deferred call in a block
        around the delete, after it, with no ``return``/``goto``/``break``/``continue``
        that could skip it; functions that run under their caller's lock (``...Locked``)
        get no fix either. The message says why.

    Minimum Go:
        any. The wording for timers and tickers follows the module's Go version (the
        garbage collection of unstopped timers changed in Go 1.23).
    """

    code = "GMF401"
    name = "delete-without-release"
    summary = "delete drops a timer, CancelFunc or closer from a map without releasing it."
    family = "lifetime"
    requires = ("scopes", "locks")
    trigger_tokens = (b"delete",)
    package_pattern = MAP_EVIDENCE
    call_names = frozenset({"delete"})

    def visit_call_expression(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        fn = node.child_by_field_name("function")
        if fn is None or fn.type != "identifier" or fn.text != b"delete":
            return
        args = call_args(node)
        if len(args) != 2:
            return
        map_expr, key = args
        mtype = ctx.facts.scopes.map_type(map_expr)
        if mtype is None:
            return
        release = release_of(ctx, mtype.elem)
        if release is None or builtin_shadowed(ctx, fn):
            return
        outer = outermost_function(node)
        if outer is None or _delete_all_loop(ctx, node, map_expr, key):
            return
        if not map_owns_values(ctx, map_expr, release):
            return
        if _handled(ctx, outer, node, map_expr, key, release):
            return
        call_text = node_text(node)
        message = (
            f"{call_text} drops a {release.label} without {release.action}: "
            f"{release.why} ({release.advice})"
        )
        fix, why_not = _fix(ctx, node, map_expr, key, release, outer)
        if fix is None and why_not:
            message += f" (no fix: {why_not})"
        yield ctx.report(node, message, fix)


def _handled(
    ctx: FileContext, outer: Node, call: Node, map_expr: Node, key: Node, release: Release
) -> bool:
    if released_in(ctx, outer, release) is not None:
        return True
    if callers_release(ctx, outer, release):
        return True
    if in_hand(ctx, enclosing_functions(call), release) or _keyed_by_value(
        ctx, map_expr, key, release
    ):
        return True
    if (
        release.method == "Stop"
        and release.label == "*time.Timer"
        and timer_fired(ctx, outer, call)
    ):
        return True
    for node in _descendants(outer):
        if node.type == "index_expression" and not _within(node, call):
            operand = node.child_by_field_name("operand")
            index = node.child_by_field_name("index")
            if (
                operand is not None
                and index is not None
                and expr_key(operand) == expr_key(map_expr)
                and expr_key(index) == expr_key(key)
                and loaded_value_used(ctx, outer, node)
            ):
                return True
    # The range value of the deleted key: for k, v := range m { ...; delete(m, k) }.
    if key.type == "identifier":
        decl = ctx.facts.scopes.declaration(key)
        if decl is not None and decl.kind == "range_key" and decl.statement is not None:
            clause = decl.statement
            right = clause.child_by_field_name("right")
            left = clause.child_by_field_name("left")
            names = left.named_children if left is not None else []
            if (
                right is not None
                and expr_key(right) == expr_key(map_expr)
                and len(names) == 2
                and variable_used(ctx, outer, names[1])
            ):
                return True
    return False


def _root_identifier(expr: Node) -> Node | None:
    current: Node | None = expr
    while current is not None and current.type in (
        "selector_expression",
        "parenthesized_expression",
    ):
        current = (
            current.child_by_field_name("operand")
            if current.type == "selector_expression"
            else (current.named_children[0] if current.named_children else None)
        )
    return current if current is not None and current.type == "identifier" else None


def _keyed_by_value(ctx: FileContext, map_expr: Node, key: Node, release: Release) -> bool:
    """``delete(s.conns, c.id)``: the key is a field of an object ``c`` other than the
    map's owner, and ``c`` is (or may be, its type not being visible) the value itself:
    an object removing itself, or removed by whoever holds it."""
    if key.type != "selector_expression":
        return False
    root = _root_identifier(key)
    owner = _root_identifier(map_expr)
    if root is None or (owner is not None and owner.text == root.text):
        return False
    t = ctx.facts.scopes.type_of(root)
    if t.kind == "unknown":
        return ctx.facts.scopes.declaration(root) is not None
    want = expr_key_text(release.type_text)
    text = expr_key_text(t.text)
    return text == want or text.lstrip("*") == want.lstrip("*")


def _delete_all_loop(ctx: FileContext, call: Node, map_expr: Node, key: Node) -> bool:
    """``for k := range m { delete(m, k) }``: GMF402's shape, reported there once."""
    stmt = call.parent
    block = stmt.parent if stmt is not None else None
    body = block.parent if block is not None else None
    loop = body.parent if body is not None else None
    if stmt is None or block is None or loop is None or loop.type != "for_statement":
        return False
    if len([c for c in block.named_children if c.type != "comment"]) != 1:
        return False
    clause = next((c for c in loop.named_children if c.type == "range_clause"), None)
    if clause is None:
        return False
    right = clause.child_by_field_name("right")
    left = clause.child_by_field_name("left")
    names = left.named_children if left is not None else []
    if right is None or expr_key(right) != expr_key(map_expr) or not names:
        return False
    if len(names) == 2 and names[1].text != b"_":
        return False
    decl = ctx.facts.scopes.declaration(key) if key.type == "identifier" else None
    return decl is not None and decl.node == names[0]


def _value_in_scope(ctx: FileContext, stmt: Node, map_expr: Node, key: Node) -> str | None:
    """A variable holding ``m[k]`` where the delete runs, bound by an enclosing
    ``if v, ok := m[k]; ok ...`` (``if v := m[k]; v != nil ...``) or by
    ``for k, v := range m``, and neither it nor the key reassigned or shadowed since."""
    want_map, want_key = expr_key(map_expr), expr_key(key)
    child = stmt
    current = stmt.parent
    while current is not None and current.type not in FUNCTION_NODES:
        binding: Node | None = None
        if current.type == "if_statement" and current.child_by_field_name("consequence") == child:
            binding = _if_binding(current, want_map, want_key)
        elif current.type == "for_statement" and key.type == "identifier":
            clause = next((c for c in current.named_children if c.type == "range_clause"), None)
            if clause is not None:
                binding = _range_binding(ctx, clause, key, want_map)
        if binding is not None:
            names = {node_text(binding)}
            if key.type == "identifier":
                names.add(node_text(key))
            for node in _descendants(current):
                if node.start_byte <= binding.start_byte or node.start_byte >= stmt.start_byte:
                    continue
                if node.type == "func_literal" and node.end_byte > stmt.start_byte:
                    return None
                if node.type == "identifier" and node_text(node) in names and _rebinds(node):
                    return None
            if key.type != "identifier" and not is_stable(key):
                return None
            return node_text(binding)
        child = current
        current = current.parent
    return None


def _if_binding(stmt: Node, want_map: str, want_key: str) -> Node | None:
    init = stmt.child_by_field_name("initializer")
    cond = stmt.child_by_field_name("condition")
    if init is None or cond is None or init.type != "short_var_declaration":
        return None
    left = init.child_by_field_name("left")
    right = init.child_by_field_name("right")
    if left is None or right is None or len(right.named_children) != 1:
        return None
    names = left.named_children
    value = right.named_children[0]
    if value.type != "index_expression" or not names or names[0].text == b"_":
        return None
    operand = value.child_by_field_name("operand")
    index = value.child_by_field_name("index")
    if operand is None or index is None:
        return None
    if expr_key(operand) != want_map or expr_key(index) != want_key:
        return None
    conjuncts = _conjuncts(cond)
    if len(names) == 2:
        ok = node_text(names[1])
        return names[0] if ok in conjuncts else None
    return names[0] if f"{node_text(names[0])}!=nil" in conjuncts else None


def _conjuncts(cond: Node) -> set[str]:
    out: set[str] = set()
    stack = [cond]
    while stack:
        node = stack.pop()
        while node.type == "parenthesized_expression" and node.named_children:
            node = node.named_children[0]
        op = node.child_by_field_name("operator") if node.type == "binary_expression" else None
        if op is not None and node_text(op) == "&&":
            for side in ("left", "right"):
                part = node.child_by_field_name(side)
                if part is not None:
                    stack.append(part)
        else:
            out.add(expr_key(node))
    return out


def _range_binding(ctx: FileContext, clause: Node, key: Node, want_map: str) -> Node | None:
    right = clause.child_by_field_name("right")
    left = clause.child_by_field_name("left")
    if right is None or left is None or expr_key(right) != want_map:
        return None
    names = left.named_children
    if len(names) != 2 or names[1].type != "identifier" or names[1].text == b"_":
        return None
    decl = ctx.facts.scopes.declaration(key)
    if decl is None or decl.node != names[0]:
        return None
    return names[1]


def _rebinds(ident: Node) -> bool:
    """Whether this occurrence declares or assigns the name (not just uses it)."""
    parent = ident.parent
    if parent is None:
        return False
    if parent.type in ("var_spec", "parameter_declaration", "const_spec"):
        return True
    if parent.type in ("inc_statement", "dec_statement"):
        return True
    if parent.type == "unary_expression":
        op = parent.child_by_field_name("operator")
        return op is not None and node_text(op) == "&"
    if parent.type == "expression_list" and parent.parent is not None:
        holder = parent.parent
        if holder.type in ("assignment_statement", "short_var_declaration", "range_clause"):
            return holder.child_by_field_name("left") == parent
    return False


def _within(node: Node, container: Node) -> bool:
    return container.start_byte <= node.start_byte and node.end_byte <= container.end_byte


def _fix(
    ctx: FileContext, call: Node, map_expr: Node, key: Node, release: Release, outer: Node
) -> tuple[Fix | None, str | None]:
    stmt = call.parent
    if (
        stmt is None
        or stmt.type != "expression_statement"
        or stmt.parent is None
        or (stmt.parent.type != "statement_list")
    ):
        return None, "the delete is not a plain statement"
    if not (is_stable(map_expr) and is_stable(key)):
        return None, "the map or key expression has side effects"
    m, k = node_text(map_expr), node_text(key)
    var = ctx.unique_name(release.base, outer)
    ok = "ok"
    if re.search(r"\bok\b", m + " " + k):
        ok = ctx.unique_name("ok", outer)
    indent = ctx.indent(stmt)
    delete_text = node_text(stmt)
    plan = lock_plan(ctx, stmt)
    title_release = "call it" if release.method is None else release.method
    if isinstance(plan, str):
        return None, (f"{plan}; release the value after unlocking, not inside the critical section")
    edits: list[Edit] = []
    declares = [var]
    if ok != "ok":
        declares.append(ok)
    if plan is None:
        held = _value_in_scope(ctx, stmt, map_expr, key)
        if held is not None:
            edits.append(ctx.insert(stmt.start_byte, f"{release.call(held)}\n{indent}"))
            fix = ctx.fix(
                f"Release {held} ({title_release}) before deleting it",
                edits,
                Applicability.UNSAFE,
                "releasing changes behaviour on purpose; check nothing else owns the value",
            )
            return fix, None
        text = (
            f"if {var}, {ok} := {m}[{k}]; {ok} {{\n"
            f"{indent}\t{release.call(var)}\n"
            f"{indent}\t{delete_text}\n"
            f"{indent}}}"
        )
        edits.append(ctx.replace(stmt, text))
        fix = ctx.fix(
            f"Release the value ({title_release}) before deleting it",
            edits,
            Applicability.UNSAFE,
            "releasing changes behaviour on purpose; check nothing else owns the value",
            declares=declares,
            scope=outer,
        )
        return fix, None
    anchor_indent = ctx.indent(plan.anchor)
    unlock_indent = ctx.indent(plan.unlock)
    after = line_end(ctx, plan.unlock)
    mutexes = ", ".join(plan.mutexes)
    single = not plan.in_loop and release.nillable
    needs_type = not single or plan.anchor != stmt
    if needs_type and not type_usable(ctx, release):
        return None, f"the value type {release.type_text} cannot be written in this file"
    if single:
        if plan.anchor == stmt:
            edits.append(ctx.replace(stmt, f"{var} := {m}[{k}]\n{indent}{delete_text}"))
        else:
            edits.append(
                ctx.insert(
                    plan.anchor.start_byte, f"var {var} {release.type_text}\n{anchor_indent}"
                )
            )
            edits.append(ctx.replace(stmt, f"{var} = {m}[{k}]\n{indent}{delete_text}"))
        edits.append(
            ctx.insert(
                after,
                (
                    f"\n{unlock_indent}if {var} != nil {{\n"
                    f"{unlock_indent}\t{release.call(var)}\n"
                    f"{unlock_indent}}}"
                ),
            )
        )
    else:
        victims = fresh_name(ctx, release.base + "s", outer)
        declares.append(victims)
        declaration = f"var {victims} []{release.type_text}\n"
        prefix = ""
        if plan.anchor == stmt:
            prefix = declaration + indent
        else:
            edits.append(ctx.insert(plan.anchor.start_byte, declaration + anchor_indent))
        edits.append(
            ctx.replace(
                stmt,
                prefix
                + (
                    f"if {var}, {ok} := {m}[{k}]; {ok} {{\n"
                    f"{indent}\t{victims} = append({victims}, {var})\n"
                    f"{indent}\t{delete_text}\n"
                    f"{indent}}}"
                ),
            )
        )
        edits.append(
            ctx.insert(
                after,
                (
                    f"\n{unlock_indent}for _, {var} := range {victims} {{\n"
                    f"{unlock_indent}\t{release.call(var)}\n"
                    f"{unlock_indent}}}"
                ),
            )
        )
    fix = ctx.fix(
        f"Take the value out under {mutexes}, release it ({title_release}) after unlocking",
        edits,
        Applicability.UNSAFE,
        "releasing changes behaviour on purpose; the release now runs after the Unlock",
        declares=declares,
        scope=outer,
    )
    return fix, None
