"""Which maps are shared between goroutines, and which lock guards them.

Computed once per package (``concurrency(facts)``) and shared by the concurrency rules
(GMF101, GMF103) and their fix styles. gomapfix has no type checker and no alias
analysis, so every answer is read from visible declarations and claims only what the
text shows; where it cannot tell, it assumes the access is safe (precision first).

What it computes:

* **Units**: the function bodies that run as one activation: function and method
  declarations, and the function literals that start a goroutine (``go func(){...}()``,
  ``g.Go(func() error {...})``, ``time.AfterFunc(d, func(){...})``) or are HTTP
  handlers. Any other function literal (a callback, a deferred closure) is taken as
  part of the unit around it, running under the locks held where it is written.
* **Goroutine entries**: ``go f()``, ``go s.m()``, ``go func(){...}()``, ``X.Go(f)``
  (errgroup, ``sync.WaitGroup.Go``), ``time.AfterFunc`` callbacks, and HTTP handlers
  (a ``func(http.ResponseWriter, *http.Request)`` signature, ``ServeHTTP`` methods).
  An entry is *self-concurrent* when several goroutines may run it at once: HTTP
  handlers, entries started from a loop or from several places, or from a
  self-concurrent entry.
* **Reachability**: the units each entry reaches through direct calls inside the
  package, and those reached from ordinary callers ("outer": exported functions,
  functions nobody in the package calls, main).
* **Protected units**: units that run under their caller's lock or before anything is
  shared: the caller-holds-lock convention (``...Locked``, doc comments), ``init``,
  and unexported functions whose every call site in the package holds a lock, runs
  before a value is published (a receiver built in that function), runs in ``main``
  before the first goroutine starts, or is itself in a protected unit.
* **Map targets and their accesses**: package-level map variables, map fields of the
  package's struct types, and local maps captured by goroutine literals; for each
  access, what it does (write, read, range, re-assignment, escape), the locks held
  there (on every path or on some path), and whether it is protected.
* **Lock owners**: structs owning a ``sync.Mutex``/``sync.RWMutex`` field (named or
  embedded) and package-level mutexes; the lock that guards a map is the owner's mutex
  held at its guarded accesses.
"""

from __future__ import annotations

import re
from bisect import bisect_right, insort
from collections import Counter, defaultdict, deque
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass, field

from tree_sitter import Node

from gomapfix.facts.locks import (
    FUNCTION_NODES,
    HeldLock,
    caller_holds_lock,
    lock_call,
    lock_state,
    mutex_root,
    resolve_call,
)
from gomapfix.facts.package import FuncInfo, PackageModel
from gomapfix.facts.store import PackageFacts
from gomapfix.gotypes import CONVERTIBLE_BASIC_TYPES, GoType, type_from_node
from gomapfix.parse import ParsedFile, node_text
from gomapfix.query import nodes_of_types
from gomapfix.syntax import call_args, expr_key

# Kinds -------------------------------------------------------------------------------

WRITE = "write"
READ = "read"
RANGE = "range"
REASSIGN = "reassign"
ESCAPE = "escape"
NILCHECK = "nilcheck"

ENTRY_GO = "go"
ENTRY_GROUP = "group"
ENTRY_TIMER = "timer"
ENTRY_HTTP = "http"

OUTER = "outer"

PRE_SHARING = frozenset({"init", "fresh", "main", "once", "callers"})
"""Protection reasons meaning "nothing else runs yet"; the others mean "a lock is held"."""

TargetKey = tuple[str, str, str]
"""("var", name, ""), ("field", struct type, field name), ("local", path, decl offset)."""

_BUILTINS = frozenset(
    {
        "len",
        "cap",
        "append",
        "delete",
        "clear",
        "make",
        "new",
        "min",
        "max",
        "copy",
        "complex",
        "real",
        "imag",
    }
)
_SPAWN_CALLS = frozenset({"ListenAndServe", "ListenAndServeTLS", "Serve", "ServeTLS"})
_ENTRY_NAMES = (b"Go", b"AfterFunc", b"HandleFunc")
"""The names of the calls that start goroutines or register handlers (``X.Go(f)``...)."""
_ENTRY_CALLS = tuple(re.compile(n + rb"(?<=\b" + n + rb")\b") for n in _ENTRY_NAMES)
"""Each name as a whole word: one pattern per name, each starting with its literal (which
the regex engine scans for quickly, unlike an alternation or a leading ``\b``)."""
_WORD = re.compile(rb"[A-Za-z_\x80-\xff][A-Za-z0-9_\x80-\xff]*")
"""A word of Go source: identifiers, keywords, and words of comments and strings."""
_KEYWORDS = (re.compile(rb"func(?<=\bfunc)\b"), re.compile(rb"go(?<=\bgo)\b"))
"""The keywords ``func`` and ``go`` as whole words: together they find what
``\\b(?:func|go)\\b`` does, several times faster (a literal first is scanned for quickly;
an alternation after a leading ``\\b`` is tried at every position)."""
_GO = re.compile(rb"go(?<=\bgo)\b(?=[\s/(A-Za-z_\x80-\xff])")
"""Where a go statement may start: ``go`` followed by its call (maybe after a comment),
not ``//go:`` directives (the literal first, then ``\b`` before it: scanned quickly)."""
_ENTRY_SELECTOR = re.compile(
    rb"\.(?:\s|//[^\n]*\n|/\*.*?\*/)*(?:Go|AfterFunc|HandleFunc)\b", re.DOTALL
)
"""Where an entry call (``X.Go(f)``...) may be: the name after a dot, not the word "Go"
of a comment (see _may_select_entry)."""
_UNICODE_SPACE = re.compile(
    rb"\xc2[\x85\xa0]|\xe1\x9a\x80|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]|\xe2\x81\x9f|\xe3\x80\x80"
)
"""Unicode white space outside ASCII: tree-sitter separates tokens with it, _WORD does not."""
_SPACE = frozenset(b" \t\n\r\f\v")
"""What ``\\s`` matches in a bytes pattern."""
_KEYWORD_NODES = frozenset(
    {"function_declaration", "method_declaration", "func_literal", "go_statement"}
)
"""The nodes _nodes_of finds from their first keyword (``func``, ``go``)."""
_LOCK_WORDS = frozenset(
    {"lock", "unlock", "rlock", "runlock", "locked", "locker", "trylock", "trylocked"}
)
_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+|[A-Z]")


# Values -------------------------------------------------------------------------------


@dataclass(eq=False)
class Site:
    """Where an entry is started or declared (a go statement, a registration, a decl)."""

    file: ParsedFile
    node: Node
    spawner: Node | None
    """The unit that runs the statement (None for a handler's own declaration)."""


@dataclass(eq=False)
class Entry:
    unit: Node
    kind: str
    file: ParsedFile
    sites: list[Site] = field(default_factory=list)
    self_concurrent: bool = False

    def describe(self, name: str) -> str:
        if self.kind == ENTRY_HTTP:
            return (
                f"{name} is an HTTP handler: handlers run concurrently, one goroutine per request"
            )
        what = {
            ENTRY_GO: "a go statement",
            ENTRY_GROUP: "a Go(...) call of an errgroup/WaitGroup",
            ENTRY_TIMER: "time.AfterFunc",
        }[self.kind]
        many = " (several at once)" if self.self_concurrent else ""
        return f"{name} runs in its own goroutine, started by {what}{many}"


@dataclass(eq=False)
class UnitInfo:
    node: Node
    file: ParsedFile
    name: str
    decl: bool
    """A function or method declaration (not a goroutine literal)."""
    method: bool = False
    receiver_type: str | None = None

    @property
    def exported(self) -> bool:
        return self.name[:1].isupper()

    @property
    def is_init(self) -> bool:
        return self.decl and not self.method and self.name == "init"


@dataclass(eq=False)
class CallSite:
    file: ParsedFile
    call: Node
    caller: Node
    """The unit making the call."""
    receiver: Node | None


@dataclass(eq=False)
class Access:
    """One use of a map target in a function body."""

    key: TargetKey
    expr: Node
    """The map expression: the identifier (var, local) or the selector ``X.f`` (field)."""
    kind: str
    """write, read, range, reassign, escape, nilcheck."""
    what: str
    """delete, clear, assignment, ++, --, op=, index, len, range, ... (for messages)."""
    node: Node
    """The node a finding is reported on (the write statement, the delete call...)."""
    unit: Node
    file: ParsedFile
    owner: str | None = None
    """For fields: the operand text, white space removed (``c``, ``s.inner``)."""
    owner_node: Node | None = None
    held: frozenset[HeldLock] = frozenset()
    """Locks held here on some path (including where enclosing callbacks are written)."""
    protected: str | None = None
    """Why the access cannot race (lock convention, init, pre-publication...), or None."""

    @property
    def guarded(self) -> bool:
        return bool(self.held) or self.protected is not None

    @property
    def mutates(self) -> bool:
        """A write to the map or a re-assignment of the variable holding it."""
        return self.kind in (WRITE, REASSIGN)

    @property
    def pre_sharing(self) -> bool:
        """Protected because it runs before the map is shared (not because of a lock)."""
        return self.protected in PRE_SHARING


@dataclass(frozen=True)
class LockRef:
    """The mutex that guards a target, as a way to name it at an access."""

    kind: str
    """"field" (a mutex field of the owner struct), "var" (a package-level mutex),
    "local" (a local mutex variable), "new" (one the fix adds)."""
    name: str
    """The field name (``mu``; the type name for an embedded mutex), or the variable."""
    rw: bool
    embedded: bool = False
    decl: Node | None = None
    file: ParsedFile | None = None

    def expr(self, owner: str | None) -> str:
        """The mutex expression at an access whose owner text is ``owner``."""
        if self.kind != "field":
            return self.name
        assert owner is not None
        return owner if self.embedded else f"{owner}.{self.name}"

    def matches(self, held: HeldLock, owner: str | None) -> bool:
        if self.kind != "field":
            return held.mutex == self.name
        if owner is None:
            return False
        if self.embedded:
            return held.mutex in (owner, f"{owner}.{self.name}")
        return held.mutex == f"{owner}.{self.name}"


@dataclass(eq=False)
class Target:
    key: TargetKey
    label: str
    """What messages call it: ``visits``, ``Cache.items``, ``results``."""
    map_type: GoType
    decl: Node
    """The var_spec, field_declaration, or the local's declaring identifier."""
    file: ParsedFile
    accesses: list[Access] = field(default_factory=list)
    owner_mutexes: list[LockRef] = field(default_factory=list)
    """For fields: the mutexes of the struct declaring it (the lock owner)."""
    lock: LockRef | None = None
    """The lock that guards the map, when visible."""
    lock_evidence: Access | None = None
    """An access made while holding ``lock`` (or under the caller-holds convention)."""
    declaring_unit: Node | None = None
    """For locals: the function declaring the map."""
    anonymous_owner: bool = False
    """For fields: the struct is the anonymous type of a package variable (key[1])."""


@dataclass(frozen=True, eq=False)
class _Instance:
    instance: object
    site: Node | None
    parent: Node
    entry: Entry | None


@dataclass(frozen=True)
class Evidence:
    """Why an access races: the goroutine entry or lock owner, and the other access."""

    message: str
    related: tuple[tuple[ParsedFile, Node, str], ...]


# The analysis -------------------------------------------------------------------------


class Concurrency:
    """The concurrency facts of one package (build with ``concurrency(facts)``)."""

    def __init__(self, facts: PackageFacts) -> None:
        self.facts = facts
        self.model: PackageModel = facts.model
        self.files = [f for f in self.model.files if f.package == self.model.name]
        self.units: dict[Node, UnitInfo] = {}
        self.entries: dict[Node, Entry] = {}
        self.entry_literals: set[Node] = set()
        self.calls: list[CallSite] = []
        self.callers: dict[Node, list[CallSite]] = defaultdict(list)
        self.callees: dict[Node, set[Node]] = defaultdict(set)
        self.value_refs: set[Node] = set()
        self.callee_of: dict[Node, Node] = {}
        """call_expression -> the unit it calls (package functions and methods)."""
        self.shared_receivers: dict[Node, Entry] = {}
        """Methods whose receiver several goroutines use at once (HTTP handlers, workers
        started in a loop on one value, and methods they call on their receiver)."""
        self.reach: dict[Node, set[Node]] = {}
        self.contexts: dict[Node, frozenset[object]] = {}
        self.spawns: dict[Node, list[Node]] = defaultdict(list)
        """unit -> spawn points in it (go statements, Go/AfterFunc calls, Serve...)."""
        self.targets: dict[TargetKey, Target] = {}
        self.twins: dict[Node, list[Node]] = {}
        """Declarations of the same function or method (one per build tag)."""
        self._by_key: dict[tuple[str | None, str], list[Node]] = defaultdict(list)
        self._units_pending: dict[int, ParsedFile] = {}
        """Files whose units are not collected yet (read for facts only, not parsed)."""
        self._units_unordered = False
        """Whether units were collected since they were last put in reading order."""
        self._file_order: dict[int, int] = {}
        self._by_expr: dict[Node, Access] = {}
        self._weird: dict[Node, bool] = {}
        self._held_cache: dict[Node, frozenset[HeldLock]] = {}
        self._nodes: dict[int, dict[str, list[Node]]] = {}
        self._top_level: dict[
            int, tuple[bool, list[int], list[Node], list[tuple[int, int, Node]]]
        ] = {}
        """File -> (tree without errors, its top-level nodes and their starts, its goroutine
        literals with their ranges): see _unit_in."""
        self._leaves: dict[int, dict[str, list[tuple[Node, str]]]] = {}
        """File -> leaf type (``identifier``, ``field_identifier``) -> the leaves of that
        type spelled by a searched name, with the name, in document order (_search)."""
        self._protection_of: dict[Node, str | None] = {}
        """unit -> why it runs protected (see _unit_protection), filled on demand."""
        self._base_protection_of: dict[Node, str | None] = {}
        self._sites_of: dict[Node, list[CallSite]] = {}
        # Candidates (first stage), see _find_candidates.
        self._map_vars: dict[str, GoType] = {}
        self._has_mutex_vars = False
        self._map_fields: dict[str, list[tuple[str, GoType, Node]]] = defaultdict(list)
        """Map field name -> (owner type, map type, field_declaration) per declaring struct."""
        self._struct_mutexes: dict[str, list[LockRef]] = {}
        self._struct_files: dict[str, ParsedFile] = {}
        self._anonymous: set[str] = set()
        """Package variables of an anonymous struct type, owners named after the variable."""
        self._locked_fields: set[str] = set()
        self._entry_words: set[bytes] = set()
        """The words of every goroutine entry (literal or declaration)."""
        self._method_entries = False
        self._captured_words: dict[Node, set[bytes]] = {}
        """Top-level declaration -> the words of its goroutine literals, which name every
        local they may capture."""
        self._funcs: dict[str, FuncInfo] = {}
        self._methods: dict[str, dict[str, FuncInfo]] = {}
        self._var_names: set[str] = set()
        """Copies of the model's final maps, made when every declaring file is read
        (_find_calls)."""
        self._complete = False
        self._prepare()

    # Public queries -------------------------------------------------------------------

    def may_race(self, expr: Node) -> bool:
        """Whether ``expr`` may be the map expression of an access with race evidence.

        Cheap (no call graph): the rules ask it first so that a package whose maps cannot
        show evidence never pays for the whole analysis. Evidence needs a lock owner
        (lock evidence: a mutex field of the struct declaring the map field, a package-level
        mutex for a package map) or a goroutine entry in the package. With entries but no
        lock, a field of a local value races only through a receiver that goroutines share
        (a method entry) or with an access made in an entry (instance evidence: the
        field's name is among the entries' words); a local map is a target only when a
        goroutine literal of its function names it. False is certain, True is not.
        """
        if expr.type == "selector_expression":
            name_node = expr.child_by_field_name("field")
            name = node_text(name_node) if name_node is not None else ""
            if name not in self._map_fields:
                return False
            if name in self._locked_fields:
                return True
            if not self.entries:
                return False
            if self._method_entries:
                return True  # receivers that goroutines share
            operand = expr.child_by_field_name("operand")
            root = _root_ident(operand) if operand is not None else None
            if root is not None and node_text(root) in self.model.vars:
                return True  # a field of a package-level value
            # Instance evidence: some access of the field runs in a goroutine entry.
            return name.encode() in self._entry_words
        if expr.type != "identifier":
            return False
        if node_text(expr) in self._map_vars and (self.entries or self._has_mutex_vars):
            return True
        top = expr
        while top.parent is not None and top.parent.parent is not None:
            top = top.parent
        if expr.text not in self._captured_words.get(top, ()):
            return False
        decl = self.facts.scopes.declaration(expr)  # a local map, as _collect_locals asks
        return (
            decl is not None
            and decl.kind != "package_var"
            and self.model.map_type(decl.type) is not None
        )

    def access_at(self, expr: Node) -> Access | None:
        """The access whose map expression is ``expr`` (completes the analysis)."""
        self._build()
        return self._by_expr.get(expr)

    def unit_of(self, node: Node) -> Node | None:
        current = node.parent
        while current is not None:
            if current.type in ("function_declaration", "method_declaration"):
                return current
            if current.type == "func_literal" and current in self.entry_literals:
                return current
            current = current.parent
        return None

    def _unit_in(self, file: ParsedFile, node: Node) -> Node | None:
        """``unit_of(node)`` for a node of ``file``, without walking up the parents.

        In a tree without errors, function and method declarations are children of the
        root and a node lies inside a goroutine literal exactly when the literal's byte
        range holds its own and differs from it; so the unit is the innermost entry
        literal of the file around ``node``, else the top-level declaration around it
        (found by bisection) when that is a function or method. Anything less certain
        (errors in the tree, ``node`` spanning a whole declaration) takes the walk.
        """
        clean, starts, decls, literals = self._top_level_of(file)
        start, end = node.start_byte, node.end_byte
        i = bisect_right(starts, start) - 1
        if not clean or start == end or i < 0:
            return self.unit_of(node)
        top = decls[i]
        if end > top.end_byte or (start == top.start_byte and end == top.end_byte):
            return self.unit_of(node)
        unit: Node | None = None
        best = -1
        for lit_start, lit_end, lit in literals:
            inside = lit_start <= start and end <= lit_end and (lit_start, lit_end) != (start, end)
            if inside and lit_start > best:  # the innermost literal starts last
                best, unit = lit_start, lit
        if unit is not None:
            return unit
        return top if top.type in ("function_declaration", "method_declaration") else None

    def _top_level_of(
        self, file: ParsedFile
    ) -> tuple[bool, list[int], list[Node], list[tuple[int, int, Node]]]:
        index = self._top_level.get(id(file))
        if index is None:
            decls = file.root.children
            entry_literals = [
                lit for lit in self._nodes_of(file, "func_literal") if lit in self.entry_literals
            ]
            index = (
                not file.root.has_error,
                [d.start_byte for d in decls],
                decls,
                [(lit.start_byte, lit.end_byte, lit) for lit in entry_literals],
            )
            self._top_level[id(file)] = index
        return index

    def unit_name(self, unit: Node) -> str:
        info = self.units.get(unit)
        if info is None and self._units_pending:
            self._complete_units()
            info = self.units.get(unit)
        return info.name if info is not None else "a function literal"

    def entries_of(self, unit: Node) -> list[Entry]:
        return [self.entries[c] for c in self.contexts.get(unit, ()) if isinstance(c, Node)]

    def weird(self, function: Node) -> bool:
        """Whether the function uses locks in ways the lock state does not model."""
        found = self._weird.get(function)
        if found is None:
            found = self._compute_weird(function)
            self._weird[function] = found
        return found

    def held_any(self, node: Node) -> frozenset[HeldLock]:
        """Locks held at ``node`` on some path, including where callbacks are written."""
        fn = node.parent
        while fn is not None and fn.type not in FUNCTION_NODES:
            fn = fn.parent
        if fn is None:
            return frozenset()
        point = node.parent if node.type in FUNCTION_NODES and node.parent is not None else node
        try:
            held = lock_state(self.facts, fn).maybe_held_at(point)
        except ValueError:
            held = frozenset()
        if fn.type == "func_literal" and fn not in self.entry_literals:
            outer = self._held_cache.get(fn)
            if outer is None:
                outer = self.held_any(fn)
                self._held_cache[fn] = outer
            held = held | outer
        return held

    def weird_at(self, node: Node) -> bool:
        fn = node.parent
        while fn is not None:
            if fn.type in FUNCTION_NODES:
                if self.weird(fn):
                    return True
                if fn.type != "func_literal" or fn in self.entry_literals:
                    return False
            fn = fn.parent
        return False

    def write_evidence(self, access: Access) -> Evidence | None:
        """Why the unguarded write ``access`` races, or None when not shown."""
        target = self.targets[access.key]
        if access.guarded:
            return None
        lock = self._lock_evidence(target, access)
        if lock is not None:
            return lock
        return self._entry_evidence(target, access)

    def range_evidence(self, access: Access) -> Evidence | None:
        """Why the unguarded range ``access`` races with a write, or None."""
        target = self.targets[access.key]
        if access.guarded:
            return None
        writer = next(
            (a for a in target.accesses if a.mutates and not a.pre_sharing and a is not access),
            None,
        )
        if writer is None:
            return None
        ev = self._lock_evidence(target, access)
        if ev is not None:
            related = (*ev.related, (writer.file, writer.node, f"{target.label} is written here"))
            return Evidence(ev.message, related)
        return self._entry_evidence(target, access)

    # Evidence ---------------------------------------------------------------------------

    def _lock_evidence(self, target: Target, access: Access) -> Evidence | None:
        if target.key[0] == "local" or target.lock is None or target.lock_evidence is None:
            return None
        if access.file.is_test:
            return None  # tests inspect internals once the goroutines are done
        ev = target.lock_evidence
        lock = target.lock
        related: list[tuple[ParsedFile, Node, str]] = []
        if lock.decl is not None and lock.file is not None:
            owner = target.key[1] if target.key[0] == "field" else "the package"
            related.append((lock.file, lock.decl, f"lock owner: {owner} owns {lock.name}"))
        if ev.held:
            how = f"accessed here with {lock.expr(ev.owner)} held"
        else:
            how = f"accessed in {self.unit_name(ev.unit)}, which runs with the lock held"
        related.append((ev.file, ev.node, how))
        where = (
            lock.expr(access.owner)
            if (access.owner is not None or lock.kind != "field")
            else lock.name
        )
        message = f"{where}, which guards it elsewhere, is not held"
        return Evidence(message, tuple(related))

    def _entry_evidence(self, target: Target, subject: Access) -> Evidence | None:
        """Goroutine evidence: the subject and another access may run at the same time.

        Package-level maps (and fields of package-level values) are one instance: a write
        reached from a goroutine entry races with any access from another goroutine, or
        from another copy of the same entry (HTTP handlers). Locals, and fields reached
        through a local variable, race only when a goroutine captures that variable (or
        is started as ``go x.m()`` on it) and another goroutine or the function itself
        uses it while the goroutine runs. A range may be the ordinary side of the race.
        """
        if target.key[0] == "field" and not self._global_owner(subject):
            shared = self._shared_receiver_evidence(target, subject)
            if shared is not None:
                return shared
        if target.key[0] == "local" or (
            target.key[0] == "field" and not self._global_owner(subject)
        ):
            return self._instance_evidence(target, subject)
        # Tests set package state up between runs: a test's access is no evidence against
        # the package's own code.
        others = [
            a
            for a in target.accesses
            if not a.pre_sharing
            and a.kind != NILCHECK
            and self._same_instance(subject, a)
            and (subject.file.is_test or not a.file.is_test)
        ]
        if subject.kind == RANGE:
            others = [a for a in others if a.mutates]
        for entry in self.entries_of(subject.unit):
            for other in others:
                ev = self._concurrent(entry, subject, other)
                if ev is not None:
                    return ev
        if subject.kind == RANGE:
            for other in others:
                for entry in self.entries_of(other.unit):
                    ev = self._concurrent(entry, other, subject)
                    if ev is not None:
                        return ev
        return None

    def _shared_receiver_evidence(self, target: Target, subject: Access) -> Evidence | None:
        """A field of the receiver of a method that concurrent goroutines run on one value."""
        entry = self._receiver_sharing(subject)
        if entry is None:
            return None
        if subject.kind == RANGE and not any(
            a.mutates and not a.pre_sharing and self._receiver_sharing(a) is entry
            for a in target.accesses
        ):
            return None
        name = self.unit_name(entry.unit)
        if entry.kind == ENTRY_HTTP:
            how = f"{name} is an HTTP handler: concurrent requests run it on the same value"
        else:
            how = f"{name} runs in several goroutines at once, on the same value"
        if subject.unit != entry.unit:
            how += f", and calls {self.unit_name(subject.unit)} on it"
        site = entry.sites[0] if entry.sites else None
        related = ((site.file, site.node, f"{name} starts here"),) if site is not None else ()
        return Evidence(how + "; no lock is held", related)

    def _receiver_sharing(self, access: Access) -> Entry | None:
        entry = self.shared_receivers.get(access.unit)
        if entry is None or access.owner_node is None:
            return None
        root = _root_ident(access.owner_node)
        decl = self.facts.scopes.declaration(root) if root is not None else None
        if decl is None or decl.kind != "receiver" or _function_around(decl.node) != access.unit:
            return None
        return entry

    def _global_owner(self, access: Access) -> bool:
        """A field access on a package-level variable (one instance for the program)."""
        root = _root_ident(access.owner_node) if access.owner_node is not None else None
        if root is None:
            return False
        decl = self.facts.scopes.declaration(root)
        return decl is not None and decl.kind == "package_var"

    def _same_instance(self, a: Access, b: Access) -> bool:
        if a.key[0] != "field":
            return True
        return a.owner is not None and a.owner == b.owner and self._global_owner(b)

    def _concurrent(self, entry: Entry, mine: Access, other: Access) -> Evidence | None:
        """Evidence that ``other`` may run at the same time as ``mine`` (in ``entry``)."""
        entry_name = self.unit_name(entry.unit)
        site = entry.sites[0] if entry.sites else None
        related: list[tuple[ParsedFile, Node, str]] = []
        if site is not None:
            related.append((site.file, site.node, entry.describe(entry_name)))
        contexts = self.contexts.get(other.unit, frozenset())
        for c in sorted(contexts, key=lambda c: 0 if c == OUTER else 1):
            if c == entry.unit:
                if not entry.self_concurrent:
                    continue
                if other is mine:
                    msg = f"{entry.describe(entry_name)}, and no lock is held"
                    return Evidence(msg, tuple(related))
            elif c == OUTER:
                if self._ordered(entry, other):
                    continue
            elif not isinstance(c, Node):
                continue
            rel = (
                *related,
                (
                    other.file,
                    other.node,
                    f"concurrent {_verb(other)} in {self.unit_name(other.unit)}",
                ),
            )
            msg = (
                f"{entry.describe(entry_name)}, while {self.unit_name(other.unit)} "
                f"also uses it, and no lock is held"
            )
            return Evidence(msg, rel)
        return None

    def _ordered(self, entry: Entry, other: Access) -> bool:
        """Whether ``other`` (in an ordinary caller) happens before or after the goroutine.

        In the function that starts it: before the go statement, or after waiting for it.
        Elsewhere: when every function starting the goroutine waits for it before
        returning, nothing shows that other callers run while it does.
        """
        if entry.kind == ENTRY_HTTP or not entry.sites:
            return False
        for site in entry.sites:
            if site.spawner is None:
                return False
            if site.spawner == other.unit:
                if not _ordered_in(site.node, other.node, site.spawner):
                    return False
            elif not _sync_between(site.node, None, site.spawner):
                return False
        return True

    def _instance_evidence(self, target: Target, subject: Access) -> Evidence | None:
        mine = self._instances(subject)
        if not mine:
            return None
        for other in target.accesses:
            if other.pre_sharing or other.kind == NILCHECK:
                continue
            if not (subject.mutates or other.mutates):
                continue
            for a in mine:
                for b in self._instances(other):
                    if a.instance != b.instance or (a.site is None and b.site is None):
                        continue
                    if a.site is not None and a.site == b.site:
                        assert a.entry is not None
                        if not a.entry.self_concurrent:
                            continue
                        if a.entry.kind == ENTRY_HTTP:
                            msg = (
                                f"{target.label} is used by an HTTP handler: handlers run "
                                "concurrently, one goroutine per request, and no lock is held"
                            )
                            where = "HTTP handler"
                        else:
                            msg = (
                                f"{target.label} is used by a goroutine started in a loop "
                                "(several run at once), and no lock is held"
                            )
                            where = "goroutine started here"
                        return Evidence(msg, ((a.entry.file, a.site, where),))
                    if not self._instances_concurrent(a, subject, b, other):
                        continue
                    go = a if a.site is not None else b
                    assert go.site is not None and go.entry is not None
                    related = (
                        (go.entry.file, go.site, "goroutine started here"),
                        (other.file, other.node, f"concurrent {_verb(other)} here"),
                    )
                    if target.key[0] == "local":
                        msg = f"{target.label} is shared with a goroutine that captures it"
                    elif isinstance(a.instance, tuple):
                        msg = (
                            f"{a.instance[1]} starts a goroutine that uses {target.label} "
                            "while its other methods use it too"
                        )
                    else:
                        msg = (
                            f"{target.label} is shared with a goroutine that captures "
                            f"{subject.owner}"
                        )
                    return Evidence(msg + ", and no lock is held", related)
        return None

    def _instances(self, access: Access) -> list[_Instance]:
        """Which value an access reaches, and from which goroutine.

        The value is the local (or parameter) the access goes through: the map itself for
        a local map, the owner's root for a field; for the receiver of a method of T, the
        instance is "a T" (its methods and the goroutines it starts on itself share it).
        The goroutine is the innermost goroutine literal between the access and the
        function declaring the value, or, for an access through the receiver of a method
        started as ``go x.m()``, that go statement.
        """
        if access.key[0] == "local":
            root: Node | None = access.expr
        else:
            root = _root_ident(access.owner_node) if access.owner_node is not None else None
        if root is None:
            return []
        decl = self.facts.scopes.declaration(root)
        if decl is None or decl.kind == "package_var":
            return []
        parent = _function_around(decl.node)
        if parent is None:
            return []
        instance = self._instance_id(decl.kind, decl.node, parent)
        literal: Node | None = None
        current = access.expr.parent
        while current is not None and current != parent:
            if literal is None and current in self.entry_literals:
                literal = current
            current = current.parent
        if current is None:
            return []
        if literal is not None:
            started = self.entries[literal]
            return [_Instance(instance, site.node, parent, started) for site in started.sites[:1]]
        entry = self.entries.get(access.unit)
        if decl.kind == "receiver" and entry is not None and entry.kind == ENTRY_GO:
            out: list[_Instance] = []
            for site in entry.sites:
                call = site.node.named_children[0] if site.node.named_children else None
                fn = call.child_by_field_name("function") if call is not None else None
                operand = fn.child_by_field_name("operand") if fn is not None else None
                x = _root_ident(operand) if operand is not None else None
                dx = self.facts.scopes.declaration(x) if x is not None else None
                if dx is None or dx.kind == "package_var":
                    continue
                spawner = _function_around(dx.node)
                if spawner is not None:
                    inst = self._instance_id(dx.kind, dx.node, spawner)
                    out.append(_Instance(inst, site.node, spawner, entry))
            if out:
                return out
        return [_Instance(instance, None, parent, None)]

    def _instance_id(self, kind: str, node: Node, function: Node) -> object:
        if kind == "receiver":
            info = self.units.get(function)
            if info is not None and info.receiver_type is not None:
                return ("recv", info.receiver_type)
        return node

    def _instances_concurrent(
        self, a: _Instance, access_a: Access, b: _Instance, access_b: Access
    ) -> bool:
        go, other, other_access = (a, b, access_b) if a.site is not None else (b, a, access_a)
        assert go.site is not None and go.entry is not None
        if go.entry.kind == ENTRY_HTTP:
            # A handler literal runs when requests come, not where it is written: only
            # its own concurrent copies (same site) are evidence.
            return False
        if other.site is not None:
            if go.parent == other.parent:
                first, second = sorted((go.site, other.site), key=lambda n: n.start_byte)
                return not _sync_between(first, second, go.parent)
            return True
        if go.parent == other.parent:
            return not _ordered_in(go.site, other_access.node, go.parent)
        # Another method of the same type: it runs while the goroutine does when something
        # else than that goroutine calls it, and the spawner does not wait for it.
        if _sync_between(go.site, None, go.parent):
            return False
        contexts = self.contexts.get(other_access.unit, frozenset())
        return bool(contexts - {go.entry.unit})

    # Building -----------------------------------------------------------------------------

    def _nodes_of(self, file: ParsedFile, kind: str) -> list[Node]:
        """The function declarations, function literals or go statements of ``file``.

        Each starts with its keyword (``func``, ``go``): the keywords are found in the
        text and their parents taken, in document order, which is several times cheaper
        than a query over the whole tree.
        """
        cache = self._nodes.get(id(file))
        if cache is None:
            cache = defaultdict(list)
            root = file.root
            data = file.source.data
            # The two words never overlap: their matches, merged, are the alternation's.
            spans = [m.span() for pattern in _KEYWORDS for m in pattern.finditer(data)]
            spans.sort()
            for start, end in spans:
                leaf = root.descendant_for_byte_range(start, end)
                if leaf is None or leaf.start_byte != start or leaf.end_byte != end:
                    continue  # in a comment, a string...
                node = leaf.parent
                if node is not None and node.type in _KEYWORD_NODES and node.start_byte == start:
                    cache[node.type].append(node)
            self._nodes[id(file)] = cache
        return cache.get(kind, [])

    def _prepare(self) -> None:
        """The cheap first stage: units, goroutine entries, and which maps may race.

        Enough to answer ``may_race``; the call graph, protection and map accesses wait
        for ``_build``, which most packages (no goroutine, no lock owner) never need.
        """
        self._find_units()
        self._find_entries()
        self._find_literal_units()
        self._find_candidates()

    def _build(self) -> None:
        if self._complete:
            return
        self._complete = True
        self._complete_units()
        self._find_calls()
        self._find_self_concurrency()
        self._compute_contexts()
        self._compute_shared_receivers()
        self._collect_targets()

    # Entries ------------------------------------------------------------------------

    def _add_entry(self, unit: Node, kind: str, file: ParsedFile, site: Site | None) -> None:
        entry = self.entries.get(unit)
        if entry is None:
            entry = Entry(unit, kind, file)
            self.entries[unit] = entry
        elif kind == ENTRY_HTTP:
            entry.kind = ENTRY_HTTP
        if site is not None and all(s.node != site.node for s in entry.sites):
            entry.sites.append(site)
        if unit.type == "func_literal":
            self.entry_literals.add(unit)

    def _find_entries(self) -> None:
        for file in self.files:
            http = file.import_name("net/http")
            timer = file.import_name("time")
            if id(file) in self._units_pending:
                data = file.source.data
                start = file.header_end  # words before are in comments or imports
                if (
                    http is None
                    and not _GO.search(data, start)
                    and not _may_select_entry(data, start)
                ):
                    continue  # starts no goroutine: no need to parse it
                self._collect_units(file)
            if http is not None:  # handlers: only in files importing net/http
                self._find_handlers(file, http)
            for stmt in self._nodes_of(file, "go_statement"):
                call = stmt.named_children[0] if stmt.named_children else None
                if call is None or call.type != "call_expression":
                    continue
                fn = call.child_by_field_name("function")
                spawned = self._function_value(fn) if fn is not None else None
                for spawned_twin in self._twins_of(spawned) if spawned else []:
                    self._add_entry(spawned_twin, ENTRY_GO, file, Site(file, stmt, None))
            entry_names = [
                leaf
                for pattern in _ENTRY_CALLS
                for leaf in _leaves_named(file, pattern, "field_identifier")
            ]
            for fn in _selectors(entry_names):
                call = _called(fn)
                if call is None:
                    continue
                name_node = fn.child_by_field_name("field")
                operand = fn.child_by_field_name("operand")
                if name_node is None or operand is None:
                    continue
                name = node_text(name_node)
                args = call_args(call)
                kind: str | None = None
                arg: Node | None = None
                if name == "Go" and len(args) == 1:
                    kind, arg = ENTRY_GROUP, args[0]
                elif (
                    name == "AfterFunc"
                    and timer is not None
                    and node_text(operand) == timer
                    and len(args) == 2
                ):
                    kind, arg = ENTRY_TIMER, args[1]
                elif name == "HandleFunc" and len(args) == 2:
                    kind, arg = ENTRY_HTTP, args[1]
                if kind is None or arg is None:
                    continue
                started = self._function_value(arg)
                for started_twin in self._twins_of(started) if started else []:
                    self._add_entry(started_twin, kind, file, Site(file, call, None))

    def _find_handlers(self, file: ParsedFile, http: str) -> None:
        """The HTTP handlers of a file importing net/http as ``http``."""
        for lit in self._nodes_of(file, "func_literal"):
            if _is_handler_signature(lit, http):
                self._add_entry(lit, ENTRY_HTTP, file, Site(file, lit, None))
        for decl in (
            *self._nodes_of(file, "function_declaration"),
            *self._nodes_of(file, "method_declaration"),
        ):
            decl_name = decl.child_by_field_name("name")
            is_serve = (
                decl.type == "method_declaration"
                and decl_name is not None
                and node_text(decl_name) == "ServeHTTP"
            )
            if _is_handler_signature(decl, http) or is_serve:
                self._add_entry(decl, ENTRY_HTTP, file, Site(file, decl, None))

    def _function_value(self, expr: Node) -> Node | None:
        """The unit a function-valued expression denotes (literal, function, method)."""
        if expr.type == "parenthesized_expression" and expr.named_children:
            return self._function_value(expr.named_children[0])
        if expr.type == "func_literal":
            return expr
        if expr.type == "identifier":
            decl = self.facts.scopes.declaration(expr)
            if decl is None:
                info = self.model.funcs.get(node_text(expr))
                return info.node if info is not None else None
            if decl.kind in ("short_var", "var") and decl.statement is not None:
                value = _single_value(decl.statement, decl.node)
                if value is not None and value.type == "func_literal":
                    return value
            return None
        if expr.type == "selector_expression":
            operand = expr.child_by_field_name("operand")
            name = expr.child_by_field_name("field")
            if operand is None or name is None:
                return None
            t = self.facts.scopes.type_of(operand)
            if t.kind == "pointer" and t.elem is not None:
                t = t.elem
            if t.kind == "named" and t.qualifier is None and t.name is not None:
                method = self.model.method(t.name, node_text(name))
                if method is not None:
                    return method.node
        return None

    # Units and calls ------------------------------------------------------------------

    def _find_units(self) -> None:
        # Every declaration, including those the model shadows (one per build tag): each
        # file's when something first needs them (a goroutine it may start, a twin of a
        # spawned function, the full build), since most packages never need them all.
        self._file_order = {id(f): i for i, f in enumerate(self.files)}
        for file in self.files:
            self._units_pending[id(file)] = file

    def _collect_units(self, file: ParsedFile) -> None:
        self._units_unordered = True
        self._units_pending.pop(id(file), None)
        # Without errors, the grammar puts function declarations at the top level only:
        # asking each for its parent (a descent from the root) is needed with errors only.
        root = file.root
        unclean = root.has_error
        for decl in self._nodes_of(file, "function_declaration"):
            name_node = decl.child_by_field_name("name")
            if name_node is None or (unclean and decl.parent != root):
                continue
            name = node_text(name_node)
            self.units[decl] = UnitInfo(decl, file, name, True)
            self._add_twin((None, name), decl)
        for decl in self._nodes_of(file, "method_declaration"):
            name_node = decl.child_by_field_name("name")
            if name_node is None:
                continue
            recv = _receiver_type(decl)
            name = node_text(name_node)
            self.units[decl] = UnitInfo(decl, file, name, True, True, recv)
            self._add_twin((recv, name), decl)

    def _add_twin(self, key: tuple[str | None, str], decl: Node) -> None:
        # Files are read in any order: the list is kept in reading order (positions are
        # distinct, so inserting in place is sorting it again, reading fewer positions).
        nodes = self._by_key[key]
        insort(nodes, decl, key=self._decl_position)
        self.twins[decl] = nodes

    def _decl_position(self, decl: Node) -> tuple[int, int, int]:
        """Where a declaration unit comes when every file is read in order."""
        file = self.units[decl].file
        kind = 0 if decl.type == "function_declaration" else 1
        return (self._file_order[id(file)], kind, decl.start_byte)

    def _twins_of(self, unit: Node) -> list[Node]:
        """The declarations of the same function or method as ``unit`` (itself included)."""
        if self._units_pending and unit.type in ("function_declaration", "method_declaration"):
            name_node = unit.child_by_field_name("name")
            word = name_node.text if name_node is not None else None
            for file in list(self._units_pending.values()):
                if word and word in file.source.data:
                    self._collect_units(file)
        return self.twins.get(unit, [unit])

    def _complete_units(self) -> None:
        """Every file's units, in the order of reading every file first."""
        for file in list(self._units_pending.values()):
            self._collect_units(file)
        if not self._units_unordered:
            return
        self._units_unordered = False
        declared = sorted((u for u in self.units if self.units[u].decl), key=self._decl_position)
        others = [u for u in self.units if not self.units[u].decl]
        self.units = {u: self.units[u] for u in (*declared, *others)}

    def all_units(self) -> dict[Node, UnitInfo]:
        """Every unit of the package (function and method declarations, goroutine
        literals)."""
        self._complete_units()
        return self.units

    def _find_literal_units(self) -> None:
        for file in self.files:
            if id(file) in self._units_pending:
                continue  # not looked into: holds no goroutine entry
            for lit in self._nodes_of(file, "func_literal"):
                if lit in self.entry_literals:
                    host = self.unit_of(lit)
                    host_name = self.unit_name(host) if host is not None else "?"
                    self.units[lit] = UnitInfo(
                        lit, file, f"the goroutine literal in {host_name}", False
                    )

    def _find_calls(self) -> None:
        """The call graph: calls of package functions and methods, and spawn points.

        Only a call whose name is a package function, a package method or a spawn call
        (``Go``, ``AfterFunc``, ``Serve``...) can matter, so the calls are found from those
        names in the text rather than by resolving every call of every file.
        """
        method_owners: dict[str, list[FuncInfo]] = defaultdict(list)
        for methods in self.model.methods.values():
            for mname, info in methods.items():
                method_owners[mname].append(info)
        spawn_names = {"Go", "AfterFunc", *_SPAWN_CALLS}
        self._search(
            {*self.model.funcs, *method_owners, *spawn_names, *self._map_vars, *self._map_fields}
        )
        # Every file declaring a function, a method or a variable is read by now: the
        # model's maps are final, and looking names up in copies spares each lookup a
        # pass over the files not read.
        self._funcs = dict(self.model.funcs.items())
        self._methods = dict(self.model.methods.items())
        self._var_names = set(self.model.vars)
        called_names = {*self._funcs, *spawn_names}
        method_names = {*method_owners, *spawn_names}
        scopes = self.facts.scopes
        for file in self.files:
            packages = {spec.local_name for spec in file.imports}
            for stmt in self._nodes_of(file, "go_statement"):
                unit = self._unit_in(file, stmt)
                if unit is not None:
                    self.spawns[unit].append(stmt)
            idents = self._found_named(file, called_names, "identifier")
            selectors = _named_selectors(self._found_named(file, method_names, "field_identifier"))
            ident_calls = [_called(n) for n, _ in idents]
            selector_calls = [_called(sel) for sel, _ in selectors]
            # (call, function, receiver, name): what _add_call would read from the call
            # again is known from the search (the name) and from _called (the function).
            calls: list[tuple[Node, Node, Node | None, str]] = [
                (c, n, None, name)
                for (n, name), c in zip(idents, ident_calls, strict=True)
                if c is not None
            ]
            calls.extend(
                (c, sel, sel.child_by_field_name("operand"), name)
                for (sel, name), c in zip(selectors, selector_calls, strict=True)
                if c is not None
            )
            calls.sort(key=lambda t: (t[0].start_byte, -t[0].end_byte))
            shadows = self._shadows(file, idents, ident_calls)
            for call, fn, receiver, name in calls:
                self._add_call(file, call, fn, receiver, name, packages, method_owners, shadows)
            # Functions used as values (not called): their callers are not all visible.
            for (ident, name), called in zip(idents, ident_calls, strict=True):
                if called is not None:
                    continue
                parent = ident.parent
                if parent is None or parent.type == "function_declaration":
                    continue
                referenced = self._funcs.get(name)
                if referenced is None or scopes.declaration(ident) is not None:
                    continue
                self.value_refs.update(self.twins.get(referenced.node, [referenced.node]))
            for (sel, name), called in zip(selectors, selector_calls, strict=True):
                if called is not None:
                    continue
                operand = sel.child_by_field_name("operand")
                if operand is None:
                    continue
                candidates = method_owners.get(name, [])
                if not candidates:
                    continue
                value = self._function_value(sel)
                if value is not None:
                    self.value_refs.update(self.twins.get(value, [value]))
                elif scopes.type_of(operand).kind == "unknown":
                    for method in candidates:
                        self.value_refs.add(method.node)

    def _add_call(
        self,
        file: ParsedFile,
        call: Node,
        fn: Node,
        receiver: Node | None,
        name: str,
        packages: set[str],
        method_owners: dict[str, list[FuncInfo]],
        shadows: tuple[list[int], set[tuple[int, str]]] | None,
    ) -> None:
        """Record ``call`` as a spawn point and as an edge to the unit it calls.

        ``fn`` is the call's function: an identifier spelled ``name`` (``receiver`` None)
        or a selector ``receiver.name``. ``resolve_call``, answered from the model's final
        maps; a function name is looked up in scope only where something in its top-level
        declaration may declare it (see _shadows). The unit making the call is found only
        when the call is a spawn point or calls a unit (many calls found by name call
        none): finding it has no other effect, and a call outside any unit is dropped
        either way.
        """
        caller: Node | None = None
        if (
            name in _SPAWN_CALLS
            or (name == "Go" and len(call_args(call)) == 1)
            or (name == "AfterFunc" and len(call_args(call)) == 2)
        ):
            caller = self._unit_in(file, call)
            if caller is None:
                return
            self.spawns[caller].append(call)
        if call.parent is not None and call.parent.type == "go_statement":
            return
        callee: FuncInfo | None = None
        if fn.type == "identifier":
            info = self._funcs.get(name)
            if info is None:
                return  # resolve_call finds package functions only
            starts, declared = shadows if shadows is not None else ([], None)
            if declared is not None and (bisect_right(starts, fn.start_byte), name) not in declared:
                # No local declares the name: the scope walk ends at the package.
                callee = None if name in self._var_names else info
            else:
                callee = resolve_call(self.facts, call)[0]
        elif receiver is not None:
            if name not in method_owners:
                return  # no method of the package has that name
            t = self.facts.scopes.type_of(receiver)
            if t.kind == "pointer" and t.elem is not None:
                t = t.elem
            if t.kind == "named" and t.qualifier is None and t.name is not None:
                callee = self._methods.get(t.name, {}).get(name)
        target: Node | None = callee.node if callee is not None else None
        if (
            target is None
            and receiver is not None
            and not (receiver.type == "identifier" and node_text(receiver) in packages)
        ):
            # A method of an unknown receiver (unexported names only), or of a
            # package interface: the package's one method of that name.
            rtype = self.facts.scopes.type_of(receiver)
            interface = (
                rtype.kind == "named"
                and rtype.qualifier is None
                and self.model.underlying(rtype).kind == "interface"
            )
            if interface or (rtype.kind == "unknown" and name[:1].islower()):
                owners = method_owners.get(name, [])
                if len(owners) == 1:
                    target = owners[0].node
        if target is None or target not in self.units:
            return
        if caller is None:
            caller = self._unit_in(file, call)
            if caller is None:
                return
        site = CallSite(file, call, caller, receiver)
        self.calls.append(site)
        self.callee_of[call] = target
        for twin in self.twins.get(target, [target]):
            self.callers[twin].append(site)
            self.callees[caller].add(twin)

    def _shadows(
        self, file: ParsedFile, idents: list[tuple[Node, str]], calls: list[Node | None]
    ) -> tuple[list[int], set[tuple[int, str]]] | None:
        """Where a package function's name may be declared by a local, or None (unknown).

        Whatever declares a local (parameters, receivers, results, ``var``, ``:=``,
        ranges, type switches, select cases) is, in a tree without errors, an identifier
        spelled as the name, inside the same top-level declaration as its uses, and never
        the function of a call; ``idents`` holds every identifier spelled as a package
        function. So a call is a package call unless its name has another identifier in
        its top-level declaration (index among the root's children -> names). Words that
        tree-sitter splits differently than _search (white space outside ASCII) void it.
        """
        clean, starts, _decls, _literals = self._top_level_of(file)
        data = file.source.data
        if not clean or (not data.isascii() and _UNICODE_SPACE.search(data)):
            return None
        names = {
            (bisect_right(starts, ident.start_byte), name)
            for (ident, name), call in zip(idents, calls, strict=True)
            if call is None
        }
        return starts, names

    def _search(self, names: set[str]) -> None:
        """Find the identifiers and field names spelled ``names`` in every file at once.

        The build looks for a few name sets (package functions and methods, map variables
        and fields); one pass over the words of each file serves them all, without
        visiting and decoding every identifier node of the tree (see _leaves_named).
        """
        wanted = {name.encode(): name for name in names}
        for file in self.files:
            # The matches come in document order, and so do the leaves of each type.
            found = self._leaves.setdefault(id(file), {"identifier": [], "field_identifier": []})
            descend = file.root.descendant_for_byte_range
            for m in _WORD.finditer(file.source.data):
                name = wanted.get(m[0])
                if name is None:
                    continue
                start, end = m.span()
                leaf = descend(start, end)
                if leaf is not None and leaf.start_byte == start and leaf.end_byte == end:
                    leaves = found.get(leaf.type)
                    if leaves is not None:
                        leaves.append((leaf, name))

    def _found_named(
        self, file: ParsedFile, names: Container[str], leaf_type: str
    ) -> list[tuple[Node, str]]:
        """``_found`` with each leaf's name (its text, known from the search: not decoded
        again)."""
        leaves = self._leaves.get(id(file), {}).get(leaf_type, [])
        return [pair for pair in leaves if pair[1] in names]

    def _found(self, file: ParsedFile, names: Container[str], leaf_type: str) -> list[Node]:
        """The ``leaf_type`` leaves of ``file`` spelled by one of ``names`` (searched
        before by _search), in document order."""
        return [leaf for leaf, _ in self._found_named(file, names, leaf_type)]

    def _find_self_concurrency(self) -> None:
        for entry in self.entries.values():
            for site in entry.sites:
                if site.node.type in ("function_declaration", "method_declaration", "func_literal"):
                    continue
                site.spawner = self.unit_of(site.node)
        for entry in self.entries.values():
            if entry.kind == ENTRY_HTTP:
                # Test servers (httptest) mostly answer one request at a time, from the
                # code under test: their handlers are no evidence of concurrency.
                unit_info = self.units.get(entry.unit)
                home = unit_info.file if unit_info is not None else entry.file
                entry.self_concurrent = not home.is_test
                continue
            spawn_sites = [s for s in entry.sites if s.spawner is not None]
            if len(spawn_sites) >= 2 or any(
                _in_loop(s.node, s.spawner) for s in spawn_sites if s.spawner is not None
            ):
                entry.self_concurrent = True
        # Spawned from a self-concurrent entry: as many goroutines as that one.
        changed = True
        reach = self._reach_from_entries()
        while changed:
            changed = False
            for entry in self.entries.values():
                if entry.self_concurrent:
                    continue
                for site in entry.sites:
                    if site.spawner is None:
                        continue
                    if any(
                        other.self_concurrent and site.spawner in reach.get(other.unit, ())
                        for other in self.entries.values()
                        if other is not entry
                    ):
                        entry.self_concurrent = True
                        changed = True
                        break

    def _reach_from_entries(self) -> dict[Node, set[Node]]:
        if not self.reach:
            for unit in self.entries:
                self.reach[unit] = self._bfs([unit])
        return self.reach

    def _bfs(self, roots: Iterable[Node]) -> set[Node]:
        seen: set[Node] = set()
        queue = deque(roots)
        while queue:
            unit = queue.popleft()
            if unit in seen:
                continue
            seen.add(unit)
            for callee in self.callees.get(unit, ()):
                if callee not in seen:
                    queue.append(callee)
        return seen

    def _compute_contexts(self) -> None:
        reach = self._reach_from_entries()
        contexts: dict[Node, set[object]] = defaultdict(set)
        for entry_unit, units in reach.items():
            for unit in units:
                contexts[unit].add(entry_unit)
        roots = []
        for unit, info in self.units.items():
            if unit in self.entries or unit.type == "func_literal":
                continue
            if info.is_init:
                continue
            if info.exported or not self.callers.get(unit) or unit in self.value_refs:
                roots.append(unit)
        for unit in self._bfs(roots):
            contexts[unit].add(OUTER)
        self.contexts = {u: frozenset(c) for u, c in contexts.items()}

    # Shared receivers -------------------------------------------------------------------

    def _compute_shared_receivers(self) -> None:
        shared: dict[Node, Entry] = {}
        for unit, entry in self.entries.items():
            info = self.units.get(unit)
            if info is None or not info.method or not entry.self_concurrent:
                continue
            if entry.kind == ENTRY_HTTP or any(self._loop_on_one_value(s) for s in entry.sites):
                shared[unit] = entry
        if not shared:
            self.shared_receivers = shared
            return
        calls_by_caller: dict[Node, list[CallSite]] = defaultdict(list)
        for site in self.calls:
            calls_by_caller[site.caller].append(site)
        queue = list(shared)
        while queue:
            unit = queue.pop()
            recv = _receiver_name(unit)
            if recv is None:
                continue
            for site in calls_by_caller.get(unit, []):
                if site.receiver is None:
                    continue
                root = _root_ident(site.receiver)
                if root is None or node_text(root) != recv:
                    continue
                decl = self.facts.scopes.declaration(root)
                if decl is None or decl.kind != "receiver":
                    continue
                callee = self.callee_of.get(site.call)
                if callee is None or callee in shared or not self.units[callee].method:
                    continue
                shared[callee] = shared[unit]
                queue.append(callee)
        self.shared_receivers = shared

    def _loop_on_one_value(self, site: Site) -> bool:
        """``go x.m()`` in a loop, with ``x`` declared outside that loop."""
        if site.spawner is None or site.node.type != "go_statement":
            return False
        call = site.node.named_children[0] if site.node.named_children else None
        fn = call.child_by_field_name("function") if call is not None else None
        operand = fn.child_by_field_name("operand") if fn is not None else None
        root = _root_ident(operand) if operand is not None else None
        if root is None:
            return False
        decl = self.facts.scopes.declaration(root)
        loops = _loops(site.node, site.spawner)
        if decl is None or not loops:
            return False
        return not _inside(decl.node, loops[0])

    # Protection -----------------------------------------------------------------------

    def _unit_protection(self, unit: Node) -> str | None:
        """Why ``unit`` runs protected, or None (computed on demand, then remembered).

        "convention" (the caller holds the lock) and "init" are read from the unit. An
        unexported function whose every call site in the package is protected (a lock
        held, a protected caller, a value not yet published, ``main`` before the first
        goroutine...) is "callers-locked" when every site holds a lock or is in a locked
        caller, else "callers". The protected functions are the greatest set consistent
        with their call sites; a function's membership depends only on the candidates
        calling it, transitively, so only that region is solved (the same answer as
        solving the whole package, for a fraction of the call sites).
        """
        memo = self._protection_of
        if unit in memo:
            return memo[unit]
        base = self._base_protection(unit)
        if base is not None or not self._protection_candidate(unit):
            memo[unit] = base
            return base
        region: set[Node] = set()
        stack = [unit]
        while stack:
            current = stack.pop()
            if current in region:
                continue
            region.add(current)
            for site in self._protection_sites(current):
                caller = site.caller
                if (
                    caller not in region
                    and caller not in memo
                    and self._protection_candidate(caller)
                ):
                    stack.append(caller)
        assumed = set(region)
        changed = True
        while changed:
            changed = False
            for current in sorted(assumed, key=lambda n: n.start_byte):
                sites = self._protection_sites(current)
                if not all(self._protected_site(s, assumed) for s in sites):
                    assumed.discard(current)
                    changed = True
        reasons: dict[Node, str | None] = {}
        for current in region:
            if current not in assumed:
                reasons[current] = None
                continue
            locked = all(
                self.held_any(s.call)
                or self._base_protection(s.caller) == "convention"
                or self._protected_caller(s.caller, assumed)
                for s in self._protection_sites(current)
            )
            reasons[current] = "callers-locked" if locked else "callers"
        memo.update(reasons)
        return memo[unit]

    def _base_protection(self, unit: Node) -> str | None:
        """The reason ("convention", "init") a declaration gives itself, else None."""
        if unit in self._base_protection_of:
            return self._base_protection_of[unit]
        info = self.units.get(unit)
        reason: str | None = None
        if info is not None and info.decl:
            if caller_holds_lock(unit):
                reason = "convention"
            elif info.is_init:
                reason = "init"
        self._base_protection_of[unit] = reason
        return reason

    def _protection_sites(self, unit: Node) -> list[CallSite]:
        """The call sites that decide whether ``unit`` is protected by its callers.

        Tests call the package's helpers directly, at rest: their call sites say nothing
        about how the package itself calls them.
        """
        found = self._sites_of.get(unit)
        if found is None:
            info = self.units.get(unit)
            test = info is not None and info.file.is_test
            found = [s for s in self.callers.get(unit, []) if test or not s.file.is_test]
            self._sites_of[unit] = found
        return found

    def _protection_candidate(self, unit: Node) -> bool:
        """An unexported declaration, not an entry, called only from visible sites."""
        info = self.units.get(unit)
        if info is None or not info.decl or self._base_protection(unit) is not None:
            return False
        if unit in self.entries or info.exported or unit in self.value_refs:
            return False
        return bool(self._protection_sites(unit))

    def _protected_caller(self, caller: Node, assumed: set[Node]) -> bool:
        """The caller is assumed protected by its own callers (solved now or before)."""
        return caller in assumed or self._protection_of.get(caller) in (
            "callers",
            "callers-locked",
        )

    def _protected_site(self, site: CallSite, assumed: set[Node]) -> bool:
        caller = site.caller
        if self._base_protection(caller) is not None or self._protected_caller(caller, assumed):
            return True
        if self.held_any(site.call) or self.weird_at(site.call):
            return True
        if _in_once(site.call):
            return True
        if site.receiver is not None and self._fresh(site.receiver, caller, site.call):
            return True
        return self._before_spawn_in_main(site.call, caller)

    def _before_spawn_in_main(self, node: Node, unit: Node) -> bool:
        info = self.units.get(unit)
        if info is None or not info.decl or info.method:
            return False
        if not (info.name == "main" and self.model.name == "main"):
            return False
        for spawn in self.spawns.get(unit, ()):
            if spawn.start_byte <= node.start_byte or _same_loop(spawn, node, unit):
                return False
        return True

    def _fresh(self, expr: Node, unit: Node, at: Node) -> bool:
        """Whether ``expr`` is rooted at a value built in ``unit`` and not yet shared."""
        root = expr
        while root.type in ("selector_expression", "parenthesized_expression"):
            inner = (
                root.child_by_field_name("operand")
                if root.type == "selector_expression"
                else (root.named_children[0] if root.named_children else None)
            )
            if inner is None:
                return False
            root = inner
        if root.type != "identifier":
            return False
        decl = self.facts.scopes.declaration(root)
        if decl is None or decl.kind not in ("short_var", "var") or decl.statement is None:
            return False
        if self.unit_of(decl.node) != unit:
            return False
        value = _single_value(decl.statement, decl.node)
        if value is None:
            if decl.kind != "var":
                return False
            struct = self.model.struct_of(decl.type)
            if struct is None:
                return False
        elif not _is_new_value(value):
            return False
        for spawn in self.spawns.get(unit, ()):
            if decl.node.start_byte < spawn.start_byte < at.start_byte:
                return False
        return True

    def _compute_weird(self, function: Node) -> bool:
        locks = lock_state(self.facts, function)
        if locks.unmatched_releases:
            return True
        body = function.child_by_field_name("body")
        if body is None:
            return False
        if b"lock" not in (body.text or b"").lower():
            return False  # every lock word contains "lock"
        for call in nodes_of_types(frozenset({"call_expression"}), body):
            if lock_call(call) is not None:
                continue
            fn = call.child_by_field_name("function")
            if fn is None:
                continue
            if fn.type == "selector_expression":
                name_node = fn.child_by_field_name("field")
                name = node_text(name_node) if name_node is not None else ""
            elif fn.type == "identifier":
                name = node_text(fn)
            else:
                continue
            words = {w.lower() for w in _CAMEL.findall(name)}
            if words & _LOCK_WORDS:
                return True
        return False

    # Targets ----------------------------------------------------------------------------

    def _collect_targets(self) -> None:
        self._collect_vars()
        self._collect_fields()
        self._collect_locals()
        for target in self.targets.values():
            self._choose_lock(target)

    def _new_access(self, target: Target, expr: Node, file: ParsedFile, owner: Node | None) -> None:
        unit = self.unit_of(expr)
        if unit is None:
            return
        kind, what, node = _classify(expr)
        access = Access(
            key=target.key,
            expr=expr,
            kind=kind,
            what=what,
            node=node,
            unit=unit,
            file=file,
            owner=expr_key(owner) if owner is not None else None,
            owner_node=owner,
        )
        access.held = self.held_any(expr)
        access.protected = self._protection(access)
        target.accesses.append(access)
        self._by_expr[expr] = access

    def _protection(self, access: Access) -> str | None:
        reason = self._unit_protection(access.unit)
        if reason is not None:
            return reason
        if self.weird_at(access.expr):
            return "lock-helper"
        if _in_once(access.expr):
            return "once"
        if access.owner_node is not None and self._fresh(
            access.owner_node, access.unit, access.expr
        ):
            return "fresh"
        if self._before_spawn_in_main(access.expr, access.unit):
            return "main"
        return None

    def _find_candidates(self) -> None:
        """Which names may denote a map target: package maps, map fields, captured locals."""
        for name, info in self.model.vars.items():
            mt = self.model.map_type(info.type)
            if mt is not None and info.file.package == self.model.name:
                self._map_vars[name] = mt
        # _is_mutex_var of every name, from the values read above (a lookup by name would
        # pass over the files not read once per name).
        self._has_mutex_vars = any(
            info.type.kind == "named" and info.type.name in ("Mutex", "RWMutex")
            for info in self.model.vars.values()
        )
        self._find_map_fields()
        self._locked_fields = {
            fname
            for fname, owners in self._map_fields.items()
            if any(self._struct_mutexes.get(type_name) for type_name, _, _ in owners)
        }
        for unit in self.entries:
            self._entry_words.update(_WORD.findall(unit.text or b""))
            if unit.type == "method_declaration":
                self._method_entries = True
        for literal in self.entry_literals:
            top = literal
            while top.parent is not None and top.parent.parent is not None:
                top = top.parent
            words = self._captured_words.setdefault(top, set())
            words.update(_WORD.findall(literal.text or b""))

    def _collect_vars(self) -> None:
        names = self._map_vars
        if not names:
            return
        for name, mt in names.items():
            info = self.model.vars[name]
            key: TargetKey = ("var", name, "")
            self.targets[key] = Target(key, name, mt, info.node, info.file)
        for file in self.files:
            for ident in self._found(file, names, "identifier"):
                parent = ident.parent
                if parent is None:
                    continue
                if parent.type == "var_spec" and ident in parent.children_by_field_name("name"):
                    continue
                if (
                    parent.type == "literal_element"
                    and parent.parent is not None
                    and parent.parent.type == "keyed_element"
                    and parent.parent.child_by_field_name("key") == parent
                ):
                    continue
                decl = self.facts.scopes.declaration(ident)
                if decl is None or decl.kind != "package_var":
                    continue
                self._new_access(self.targets[("var", node_text(ident), "")], ident, file, None)

    def _find_map_fields(self) -> None:
        """The map fields of the package's structs, and the mutexes of their owners."""
        fields = self._map_fields
        mutexes = self._struct_mutexes
        files_of = self._struct_files
        anonymous = self._anonymous
        # Named struct types, and package variables of an anonymous struct type (the
        # ``var counter = struct{ sync.RWMutex; m map[string]int }{...}`` idiom), which
        # are named after the variable.
        # The model's struct types already hold the field types: a struct without a map
        # field owns no target, and its declarations need not be read again.
        structs: list[tuple[str, Node, ParsedFile]] = []
        for type_name, tinfo in self.model.types.items():
            if (
                tinfo.type.kind == "struct"
                and tinfo.file.package == self.model.name
                and self._has_map_field(tinfo.type)
            ):
                struct = tinfo.node.child_by_field_name("type")
                if struct is not None:
                    structs.append((type_name, struct, tinfo.file))
        for var_name, vinfo in self.model.vars.items():
            if vinfo.type.kind != "struct" or vinfo.file.package != self.model.name:
                continue
            struct = _anonymous_struct(vinfo.node)
            if struct is not None and var_name not in self.model.types:
                anonymous.add(var_name)
                if self._has_map_field(vinfo.type):
                    structs.append((var_name, struct, vinfo.file))
        for type_name, struct, sfile in structs:
            files_of[type_name] = sfile
            sync = sfile.import_name("sync")
            refs: list[LockRef] = []
            for decl in _struct_field_decls(struct):
                ftype = decl.child_by_field_name("type")
                names = decl.children_by_field_name("name")
                if ftype is None:
                    continue
                mutex = _mutex_kind(ftype, sync)
                if mutex is not None:
                    if names:
                        refs.extend(
                            LockRef("field", node_text(n), mutex == "RWMutex", False, decl, sfile)
                            for n in names
                        )
                    else:
                        refs.append(LockRef("field", mutex, mutex == "RWMutex", True, decl, sfile))
                    continue
                gt = type_from_node(ftype)
                mt = self.model.map_type(gt)
                if mt is None:
                    continue
                for n in names:
                    fields[node_text(n)].append((type_name, mt, decl))
            mutexes[type_name] = refs

    def _has_map_field(self, struct: GoType) -> bool:
        return any(self.model.map_type(t) is not None for _, t in struct.fields)

    def _collect_fields(self) -> None:
        fields = self._map_fields
        anonymous = self._anonymous
        if not fields:
            return
        for fname, owners in fields.items():
            for type_name, mt, decl in owners:
                key: TargetKey = ("field", type_name, fname)
                target = Target(
                    key, f"{type_name}.{fname}", mt, decl, self._struct_files[type_name]
                )
                target.owner_mutexes = self._struct_mutexes.get(type_name, [])
                target.anonymous_owner = type_name in anonymous
                self.targets[key] = target
        for file in self.files:
            for sel in _selectors(self._found(file, fields, "field_identifier")):
                name_node = sel.child_by_field_name("field")
                operand = sel.child_by_field_name("operand")
                if name_node is None or operand is None:
                    continue
                fname = node_text(name_node)
                owner_type = self._field_owner(self.facts.scopes.type_of(operand), fname)
                if (
                    owner_type is None
                    and operand.type == "identifier"
                    and node_text(operand) in anonymous
                ):
                    vdecl = self.facts.scopes.declaration(operand)
                    if vdecl is not None and vdecl.kind == "package_var":
                        owner_type = node_text(operand)
                if owner_type is None:
                    continue
                ftarget = self.targets.get(("field", owner_type, fname))
                if ftarget is None:
                    continue
                self._new_access(ftarget, sel, file, operand)

    def _field_owner(self, t: GoType, name: str, depth: int = 0) -> str | None:
        if depth > 4:
            return None
        base = t.elem if t.kind == "pointer" and t.elem is not None else t
        if base.kind != "named" or base.qualifier is not None or base.name is None:
            return None
        struct = self.model.struct_of(base)
        if struct is None:
            return None
        if struct.field(name) is not None and name not in struct.embedded:
            return base.name
        for emb in struct.embedded:
            emb_type = struct.field(emb)
            if emb_type is not None:
                found = self._field_owner(emb_type, name, depth + 1)
                if found is not None:
                    return found
        return None

    def _collect_locals(self) -> None:
        scopes = self.facts.scopes
        for literal in list(self.entry_literals):
            file = self.units[literal].file if literal in self.units else None
            if file is None:
                continue
            body = literal.child_by_field_name("body")
            if body is None:
                continue
            for ident in nodes_of_types(frozenset({"identifier"}), body):
                decl = scopes.declaration(ident)
                if decl is None or decl.kind in ("package_var",):
                    continue
                if literal.start_byte <= decl.node.start_byte < literal.end_byte:
                    continue
                if self.model.map_type(decl.type) is None:
                    continue
                key: TargetKey = ("local", file.path, str(decl.node.start_byte))
                if key in self.targets:
                    continue
                declaring = self._declaring_function(decl.node)
                if declaring is None:
                    continue
                mt = self.model.map_type(decl.type)
                assert mt is not None
                target = Target(key, decl.name, mt, decl.node, file)
                target.declaring_unit = declaring
                self.targets[key] = target
                dbody = declaring.child_by_field_name("body")
                if dbody is None:
                    continue
                for use in _leaves_named(
                    file, _name_pattern([decl.name]), "identifier", within=dbody
                ):
                    if use == decl.node:
                        continue
                    d2 = scopes.declaration(use)
                    if d2 is None or d2.node != decl.node:
                        continue
                    self._new_access(target, use, file, None)

    def _declaring_function(self, node: Node) -> Node | None:
        current = node.parent
        while current is not None:
            if current.type in FUNCTION_NODES:
                return current
            current = current.parent
        return None

    def _choose_lock(self, target: Target) -> None:
        """The lock guarding ``target``, and an access proving it, when "most" hold it.

        Candidates: the owner struct's mutex fields (fields), package-level mutexes (package
        maps), local mutexes (locals), held at map operations (index, len, range, writes;
        copying the map value under a lock held for other reasons proves nothing). The
        lock guards the map when the functions that touch the map under it (or under the
        caller-holds convention) are at least as many as those that touch it only unguarded;
        accesses in _test.go files are not counted (tests inspect internals at rest).
        """
        ops = [
            a
            for a in target.accesses
            if a.kind in (READ, WRITE, RANGE) and not a.file.is_test and not a.pre_sharing
        ]
        candidates = self._lock_candidates(target, ops)
        counts: Counter[LockRef] = Counter()
        for a in ops:
            for ref in candidates:
                if any(ref.matches(h, a.owner) for h in a.held):
                    counts[ref] += 1
        if counts:
            target.lock = counts.most_common(1)[0][0]
        elif target.key[0] == "field" and len(target.owner_mutexes) == 1:
            target.lock = target.owner_mutexes[0]
        if target.lock is None:
            return
        lock = target.lock
        # Only the owner's mutex held at the access proves it guards the map: a function
        # documented "lock must be held" may mean another value's lock.
        guarded = [a for a in ops if any(lock.matches(h, a.owner) for h in a.held)]
        guarded_units = {a.unit for a in guarded}
        unguarded_units = {
            a.unit for a in ops if not a.held and a.protected is None
        } - guarded_units
        if guarded and len(guarded_units) >= len(unguarded_units):
            target.lock_evidence = min(guarded, key=lambda a: (not a.held, a.expr.start_byte))

    def _lock_candidates(self, target: Target, ops: list[Access]) -> list[LockRef]:
        kind = target.key[0]
        if kind == "field":
            return list(target.owner_mutexes)
        names: dict[str, LockRef] = {}
        for a in ops:
            for h in a.held:
                root = mutex_root(h.mutex)
                if root is None or root != h.mutex or root in names:
                    continue
                if kind == "var":
                    info = self.model.vars.get(root)
                    if info is None or not self._is_mutex_var(root):
                        continue
                    names[root] = LockRef(
                        "var", root, info.type.name == "RWMutex", False, info.node, info.file
                    )
                elif h.acquisition is not None:
                    local = self._local_decl(h.acquisition)
                    if local is None:
                        continue
                    rw = "RWMutex" in local[1] or h.mode == "R"
                    names[root] = LockRef("local", root, rw, False, local[0], target.file)
        return list(names.values())

    def _local_decl(self, acquisition: Node) -> tuple[Node, str] | None:
        fn = acquisition.child_by_field_name("function")
        operand = fn.child_by_field_name("operand") if fn is not None else None
        if operand is None or operand.type != "identifier":
            return None
        decl = self.facts.scopes.declaration(operand)
        if decl is None or decl.statement is None or decl.kind == "package_var":
            return None
        return decl.node, decl.type.text

    def _is_mutex_var(self, name: str) -> bool:
        info = self.model.vars.get(name)
        return (
            info is not None
            and info.type.kind == "named"
            and info.type.name in ("Mutex", "RWMutex")
        )


def concurrency(facts: PackageFacts) -> Concurrency:
    """The cached concurrency facts of the package."""
    result: Concurrency = facts.cached("concurrency", Concurrency)
    return result


# Helpers ------------------------------------------------------------------------------------


def _receiver_name(method: Node) -> str | None:
    receiver = method.child_by_field_name("receiver")
    if receiver is None:
        return None
    for param in receiver.named_children:
        if param.type == "parameter_declaration":
            name = param.child_by_field_name("name")
            return node_text(name) if name is not None else None
    return None


def _function_around(node: Node) -> Node | None:
    current = node.parent
    while current is not None and current.type not in FUNCTION_NODES:
        current = current.parent
    return current


def _root_ident(expr: Node) -> Node | None:
    """The leading identifier of a selector/index path (``s`` in ``s.a.b``)."""
    current: Node | None = expr
    while current is not None:
        if current.type == "identifier":
            return current
        if current.type in ("selector_expression", "index_expression"):
            current = current.child_by_field_name("operand")
        elif current.type == "parenthesized_expression":
            current = current.named_children[0] if current.named_children else None
        elif current.type == "unary_expression":
            current = current.child_by_field_name("operand")
        else:
            return None
    return None


def _verb(access: Access) -> str:
    return {
        WRITE: "write",
        READ: "read",
        RANGE: "range",
        REASSIGN: "re-assignment",
        ESCAPE: "use",
        NILCHECK: "nil check",
    }[access.kind]


def _classify(expr: Node) -> tuple[str, str, Node]:
    """What the map expression ``expr`` is used for, and the node to report on."""
    parent = expr.parent
    assert parent is not None
    while parent.type == "parenthesized_expression" and parent.parent is not None:
        expr, parent = parent, parent.parent
    if parent.type == "index_expression" and parent.child_by_field_name("operand") == expr:
        outer = parent.parent
        if outer is not None and outer.type == "expression_list":
            stmt = outer.parent
            if (
                stmt is not None
                and stmt.type == "assignment_statement"
                and stmt.child_by_field_name("left") == outer
            ):
                op = stmt.child_by_field_name("operator")
                op_text = node_text(op) if op is not None else "="
                return WRITE, "assignment" if op_text == "=" else "op=", stmt
        if outer is not None and outer.type in ("inc_statement", "dec_statement"):
            return WRITE, "++" if outer.type == "inc_statement" else "--", outer
        return READ, "index", parent
    if parent.type == "argument_list":
        call = parent.parent
        if call is not None and call.type == "call_expression":
            fn = call.child_by_field_name("function")
            name = node_text(fn) if fn is not None and fn.type == "identifier" else None
            args = call_args(call)
            if name in ("delete", "clear") and args and args[0] == expr:
                return WRITE, name, call
            if name == "len" and args and args[0] == expr:
                return READ, "len", call
    if parent.type == "range_clause" and parent.child_by_field_name("right") == expr:
        loop = parent.parent
        assert loop is not None
        return RANGE, "range", loop
    if parent.type == "expression_list":
        stmt = parent.parent
        if (
            stmt is not None
            and stmt.type == "assignment_statement"
            and stmt.child_by_field_name("left") == parent
        ):
            return REASSIGN, "re-assignment", stmt
    if parent.type == "binary_expression":
        other = [c for c in parent.named_children if c != expr]
        op = parent.child_by_field_name("operator")
        if other and other[0].type == "nil" and op is not None and node_text(op) in ("==", "!="):
            return NILCHECK, "nil check", parent
    return ESCAPE, "use", expr


def _single_value(statement: Node, name_node: Node) -> Node | None:
    """The initialiser of ``name_node`` in a short var declaration or var spec."""
    if statement.type == "short_var_declaration":
        left = statement.child_by_field_name("left")
        right = statement.child_by_field_name("right")
        if left is None or right is None:
            return None
        lefts = left.named_children
        rights = right.named_children
        if len(lefts) != len(rights):
            return None
        for i, n in enumerate(lefts):
            if n == name_node:
                return rights[i]
        return None
    if statement.type == "var_spec":
        names = statement.children_by_field_name("name")
        value = statement.child_by_field_name("value")
        if value is None:
            return None
        values = value.named_children
        if len(values) != len(names):
            return None
        for i, n in enumerate(names):
            if n == name_node:
                return values[i]
    return None


def _is_new_value(expr: Node) -> bool:
    if expr.type == "composite_literal":
        return True
    if expr.type == "unary_expression":
        op = expr.child_by_field_name("operator")
        operand = expr.child_by_field_name("operand")
        return (
            op is not None
            and node_text(op) == "&"
            and operand is not None
            and operand.type == "composite_literal"
        )
    if expr.type == "call_expression":
        fn = expr.child_by_field_name("function")
        return fn is not None and fn.type == "identifier" and node_text(fn) == "new"
    return False


def _in_once(node: Node) -> bool:
    """Inside a function literal passed to ``X.Do(...)`` (sync.Once)."""
    current = node.parent
    while current is not None:
        if current.type == "func_literal":
            args = current.parent
            call = args.parent if args is not None else None
            if args is not None and args.type == "argument_list" and call is not None:
                fn = call.child_by_field_name("function")
                if fn is not None and fn.type == "selector_expression":
                    name = fn.child_by_field_name("field")
                    if name is not None and node_text(name) == "Do" and len(call_args(call)) == 1:
                        return True
        if current.type in ("function_declaration", "method_declaration"):
            return False
        current = current.parent
    return False


def _in_loop(node: Node, unit: Node) -> bool:
    current = node.parent
    while current is not None and current != unit:
        if current.type == "for_statement":
            return True
        if current.type == "func_literal":
            return False
        current = current.parent
    return False


def _loops(node: Node, unit: Node) -> list[Node]:
    out: list[Node] = []
    current = node.parent
    while current is not None and current != unit:
        if current.type == "for_statement":
            out.append(current)
        current = current.parent
    return out


def _same_loop(a: Node, b: Node, unit: Node) -> bool:
    return bool(set(_loops(a, unit)) & set(_loops(b, unit)))


def _ordered_in(site: Node, node: Node, unit: Node) -> bool:
    """Whether ``node`` runs before the goroutine started at ``site``, or after a sync.

    Before: earlier in the function and not in a loop around the site, unless that loop
    waits for its goroutines (a Wait, receive or select after the site, in the loop).
    After: a Wait, receive or select between the site and ``node``.
    """
    if _inside_literal(node, unit):
        return False
    common = [loop for loop in _loops(site, unit) if _inside(node, loop)]
    if node.start_byte < site.start_byte:
        if not common:
            return True
        return _sync_between(site, None, unit, limit=common[0].end_byte)
    return _sync_between(site, node, unit)


def _inside(node: Node, container: Node) -> bool:
    return container.start_byte <= node.start_byte and node.end_byte <= container.end_byte


def _inside_literal(node: Node, unit: Node) -> bool:
    current = node.parent
    while current is not None and current != unit:
        if current.type == "func_literal":
            return True
        current = current.parent
    return False


def _sync_between(first: Node, second: Node | None, unit: Node, limit: int | None = None) -> bool:
    """A Wait() call, a channel receive or a select between two points of ``unit``."""
    body = unit.child_by_field_name("body")
    if body is None:
        return False
    end = second.start_byte if second is not None else (limit or body.end_byte)
    kinds = frozenset(
        {"call_expression", "unary_expression", "select_statement", "receive_statement"}
    )
    for node in nodes_of_types(kinds, body):
        if node.start_byte <= first.end_byte or node.start_byte >= end:
            continue
        if _inside_literal(node, unit):
            continue
        if node.type == "call_expression":
            fn = node.child_by_field_name("function")
            if fn is not None and fn.type == "selector_expression":
                name = fn.child_by_field_name("field")
                if name is not None and node_text(name) == "Wait":
                    return True
        elif node.type == "unary_expression":
            op = node.child_by_field_name("operator")
            if op is not None and node_text(op) == "<-":
                return True
        else:
            return True
    return False


def _is_handler_signature(fn: Node, http: str) -> bool:
    params = fn.child_by_field_name("parameters")
    if params is None:
        return False
    types: list[str] = []
    for param in params.named_children:
        if param.type != "parameter_declaration":
            if param.type == "variadic_parameter_declaration":
                return False
            continue
        t = param.child_by_field_name("type")
        if t is None:
            return False
        names = param.children_by_field_name("name")
        types.extend([expr_key(t)] * max(1, len(names)))
    result = fn.child_by_field_name("result")
    return result is None and types == [f"{http}.ResponseWriter", f"*{http}.Request"]


def _mutex_kind(type_node: Node, sync: str | None) -> str | None:
    t = type_node
    if t.type == "pointer_type" and t.named_children:
        t = t.named_children[0]
    if t.type != "qualified_type":
        return None
    pkg = t.child_by_field_name("package")
    name = t.child_by_field_name("name")
    if pkg is None or name is None or sync is None or node_text(pkg) != sync:
        return None
    text = node_text(name)
    return text if text in ("Mutex", "RWMutex") else None


def _receiver_type(method: Node) -> str | None:
    receiver = method.child_by_field_name("receiver")
    if receiver is None:
        return None
    for param in receiver.named_children:
        if param.type != "parameter_declaration":
            continue
        t = param.child_by_field_name("type")
        while t is not None and t.type in ("pointer_type", "parenthesized_type"):
            t = t.named_children[0] if t.named_children else None
        if t is not None and t.type == "generic_type":
            t = t.child_by_field_name("type")
        return node_text(t) if t is not None else None
    return None


def _anonymous_struct(spec: Node) -> Node | None:
    """The struct_type of ``var v struct{...}`` or ``var v = struct{...}{...}``."""
    declared = spec.child_by_field_name("type")
    if declared is not None:
        return declared if declared.type == "struct_type" else None
    value = spec.child_by_field_name("value")
    values = value.named_children if value is not None else []
    if len(values) == 1 and values[0].type == "composite_literal":
        t = values[0].child_by_field_name("type")
        return t if t is not None and t.type == "struct_type" else None
    return None


def _struct_field_decls(struct: Node) -> Iterator[Node]:
    if struct.type != "struct_type":
        return
    for lst in struct.named_children:
        if lst.type == "field_declaration_list":
            for decl in lst.named_children:
                if decl.type == "field_declaration":
                    yield decl


def _may_select_entry(data: bytes, start: int) -> bool:
    """Whether ``_ENTRY_SELECTOR.search(data, start)`` finds a match.

    The names are found first (a literal is scanned for quickly, the dot of the pattern is
    everywhere), then the way back from each to a dot: white space only on the same line
    decides (a dot: a match; anything else: none ends at this name, since a comment in
    between would end in ``*/`` or a newline). A newline or ``*/`` on the way may hide a
    comment: the pattern itself answers then.
    """
    for pattern in _ENTRY_CALLS:
        for m in pattern.finditer(data, start):
            j = m.start() - 1
            newline = False
            while j >= start and data[j] in _SPACE:
                newline = newline or data[j] == 0x0A
                j -= 1
            if j < start:
                continue  # no dot at or after start before this name
            if data[j] == 0x2E:
                return True
            if newline or (data[j] == 0x2F and j > start and data[j - 1] == 0x2A):
                return _ENTRY_SELECTOR.search(data, start) is not None
    return False


def _name_pattern(names: Iterable[str]) -> re.Pattern[bytes] | None:
    """A regex matching any of a few ``names`` as a whole word (None: no names)."""
    encoded = sorted({n.encode() for n in names if n}, key=len, reverse=True)
    if not encoded:
        return None
    alternatives = b"|".join(re.escape(n) for n in encoded)
    # Not \b: a name may start or end with a non-ASCII letter.
    return re.compile(rb"(?<![A-Za-z0-9_])(?:" + alternatives + rb")(?![A-Za-z0-9_])")


def _leaves_named(
    file: ParsedFile,
    pattern: re.Pattern[bytes] | None,
    *leaf_types: str,
    within: Node | None = None,
) -> list[Node]:
    """The leaves of ``leaf_types`` (``identifier``, ``field_identifier``) spelled by
    ``pattern``, in document order, optionally inside ``within``.

    Found in the text and mapped back to the tree, instead of visiting (and decoding)
    every identifier of the file, most of which are not among the names searched. A
    match in a comment, a string or a longer identifier maps to another node: dropped.
    """
    if pattern is None:
        return []
    root = file.root
    start, end = (within.start_byte, within.end_byte) if within is not None else (0, None)
    data = file.source.data
    out: list[Node] = []
    for m in pattern.finditer(data, start, len(data) if end is None else end):
        node = root.descendant_for_byte_range(m.start(), m.end())
        if (
            node is not None
            and node.type in leaf_types
            and node.start_byte == m.start()
            and node.end_byte == m.end()
        ):
            out.append(node)
    return out


def _selectors(names: Iterable[Node]) -> list[Node]:
    """The selector expressions ``X.name`` of the field identifiers ``names``, in the
    document order of the tree (outer selectors before the ones they contain)."""
    return [sel for sel, _ in _named_selectors((leaf, "") for leaf in names)]


def _named_selectors(names: Iterable[tuple[Node, str]]) -> list[tuple[Node, str]]:
    """``_selectors`` of (field identifier, name) pairs, each with the name."""
    out: list[tuple[Node, str]] = []
    for leaf, name in names:
        parent = leaf.parent
        if (
            parent is not None
            and parent.type == "selector_expression"
            and parent.child_by_field_name("field") == leaf
        ):
            out.append((parent, name))
    out.sort(key=lambda pair: (pair[0].start_byte, -pair[0].end_byte))
    return out


def _called(node: Node) -> Node | None:
    """The call expression whose function ``node`` is, if any."""
    parent = node.parent
    if (
        parent is not None
        and parent.type == "call_expression"
        and parent.child_by_field_name("function") == node
    ):
        return parent
    return None


def is_trivial_call(call: Node, imports: Iterable[str]) -> bool:
    """Builtins, conversions to basic types, and calls into imported packages."""
    fn = call.child_by_field_name("function")
    if fn is None:
        return False
    if fn.type == "identifier":
        return node_text(fn) in _BUILTINS or node_text(fn) in CONVERTIBLE_BASIC_TYPES
    if fn.type == "selector_expression":
        operand = fn.child_by_field_name("operand")
        return (
            operand is not None
            and operand.type == "identifier"
            and node_text(operand) in set(imports)
        )
    return fn.type in ("parenthesized_type", "qualified_type", "array_type", "slice_type")
