"""The codemod shape (libcst-style, over tree-sitter) and the context each hook receives.

A codemod is pure: it reads the file, the package facts and the Go version through its
``FileContext`` and yields Findings carrying byte-range Fixes. It performs no I/O and
prints nothing; the runner decides what is reported, suppressed or applied.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Final

from tree_sitter import Node

from gomapfix.finding import Finding, Location, RelatedLocation
from gomapfix.fix import Applicability, Edit, Fix
from gomapfix.goversion import GoVersion
from gomapfix.imports import plan_imports
from gomapfix.parse import ParsedFile, node_text
from gomapfix.query import Match, index_kinds

if TYPE_CHECKING:
    from gomapfix.facts.store import PackageFacts


@dataclass(frozen=True)
class RuleOptions:
    """User choices that change which fix a rule offers (not whether it reports)."""

    fix_style: str = "guard"
    """Concurrency fixes: "guard" (the owner's mutex) or "wrapper" (generated MapWrapper)."""


FIX_STYLES = ("guard", "wrapper")


class SkipFile(Exception):
    """Raised by a codemod to leave the whole file alone (reported as skipped)."""


Hook = Callable[["FileContext", Node], Iterable[Finding]]


class Codemod:
    """Base class of every rule. Subclasses set the class attributes and define hooks.

    Hooks: ``on_match(ctx, match)`` for each match of ``query``, and
    ``visit_<node_type>(ctx, node)`` for every node of that tree-sitter-go kind, in
    document order. The docstring is the rule's documentation, with the sections
    What it finds / Why it is a hazard / Example / Fixed / Fix safety / Minimum Go.
    """

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    family: ClassVar[str] = ""
    default_enabled: ClassVar[bool] = True
    requires: ClassVar[tuple[str, ...]] = ()
    """Package facts the rule reads (documentation, and scheduling for later work)."""
    query: ClassVar[str | None] = None
    trigger_tokens: ClassVar[tuple[bytes, ...]] = ()
    """Byte strings of which at least one must occur in a file the rule can report in."""
    call_names: ClassVar[frozenset[str] | None] = None
    """When set, ``visit_call_expression`` sees only calls whose function is one of
    these names (an identifier, or the name after the dot of a selector): most calls of
    a file are of no interest to a rule about one builtin or method, and dispatching
    them costs a generator each."""
    package_pattern: ClassVar[bytes | None] = None
    """A byte regex one of the package's files must match for the rule to report in any
    file of it (None: no such condition). Lets a package no rule can report in go
    unparsed, since the facts a rule needs (a map type) come from some file's text."""

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        index_kinds(_visited_types(cls))  # the dispatch walk reads the file's node index

    def on_match(self, ctx: FileContext, match: Match) -> Iterable[Finding]:
        return ()

    @classmethod
    def visited_types(cls) -> frozenset[str]:
        return _visited_types(cls)

    @classmethod
    def may_report_in_package(cls, texts: Iterable[bytes]) -> bool:
        """Whether the package's files pass ``package_pattern`` (judged from bytes)."""
        return PackageEvidence(list(texts)).admits(cls)

    def hook_for(self, node_type: str) -> Hook | None:
        hook: Hook | None = getattr(self, "visit_" + node_type, None)
        return hook

    @classmethod
    def documentation(cls) -> str:
        import inspect

        return inspect.cleandoc(cls.__doc__ or cls.summary)


MAP_EVIDENCE: Final = rb"\b(?:map|delete|clear|maps)\b"
"""Where a rule about Go maps can see one: gomapfix knows a value is a map only from a
map type written in the package (``map [K]V``, in any spacing), ``delete``/``clear``
calls, or the ``maps`` package. Words, so that comments between tokens do not hide
them; other packages' map types are unknown to gomapfix, so they add nothing."""

SYNC_MAP_EVIDENCE: Final = rb"\bMap\b"
"""``sync.Map`` (under any import name), its embedding or a field of that type."""


_VISITED: dict[type[Codemod], frozenset[str]] = {}


def _visited_types(cls: type[Codemod]) -> frozenset[str]:
    found = _VISITED.get(cls)
    if found is None:
        found = frozenset(a[len("visit_") :] for a in dir(cls) if a.startswith("visit_"))
        _VISITED[cls] = found
    return found


@functools.cache
def _compiled(pattern: bytes) -> re.Pattern[bytes]:
    return re.compile(pattern)


_WORD_ALTERNATIVES = re.compile(rb"\\b(?:\(\?:)?((?:[A-Za-z_]\??)+(?:\|(?:[A-Za-z_]\??)+)*)\)?\\b")


@functools.cache
def _necessary_literals(pattern: bytes) -> tuple[bytes, ...] | None:
    """Byte strings one of which is in every text ``pattern`` matches, for the shapes of
    package patterns (``\\b(?:map|delete)\\b``, ``\\bR?Lock\\b``): a text without any
    is rejected by a substring search, many times faster than the regex. None: unknown."""
    m = _WORD_ALTERNATIVES.fullmatch(pattern)
    if m is None:
        return None
    # A run of letters none of which is optional is in every match of its alternative.
    runs = [max(re.split(rb"[A-Za-z_]\?", alt), key=len) for alt in m[1].split(b"|")]
    return tuple(runs) if all(runs) else None


def pattern_found(pattern: bytes, data: bytes) -> bool:
    """Whether ``pattern`` (a package pattern) matches somewhere in ``data``."""
    literals = _necessary_literals(pattern)
    if literals is not None and not any(lit in data for lit in literals):
        return False
    return _compiled(pattern).search(data) is not None


class PackageEvidence:
    """Which rules' package patterns some file of one package matches, each pattern
    searched once however many rules share it (the runner's prefilter and the analysis
    both ask)."""

    def __init__(self, texts: list[bytes]) -> None:
        self._texts = texts
        self._met: dict[bytes, bool] = {}

    def admits(self, codemod: type[Codemod]) -> bool:
        pattern = codemod.package_pattern
        if pattern is None:
            return True
        met = self._met.get(pattern)
        if met is None:
            met = any(pattern_found(pattern, data) for data in self._texts)
            self._met[pattern] = met
        return met


@dataclass
class FileContext:
    """Everything a codemod may read about the file at hand, and helpers to build fixes."""

    file: ParsedFile
    facts: PackageFacts
    go_version: GoVersion
    codemod: Codemod | None = None
    warnings: list[str] = field(default_factory=list)
    options: RuleOptions = field(default_factory=RuleOptions)

    # Reading ------------------------------------------------------------------------

    @property
    def path(self) -> str:
        return self.file.path

    @property
    def data(self) -> bytes:
        return self.file.source.data

    def text(self, node: Node) -> str:
        return node_text(node)

    def indent(self, node: Node) -> str:
        return self.file.source.indent_at(node.start_byte).decode()

    def at_least(self, minor: int) -> bool:
        """Whether the Go version in force for this file is at least 1.minor."""
        return self.go_version.at_least(minor)

    # Building findings and fixes ----------------------------------------------------

    def location(self, start: int, end: int) -> Location:
        source = self.file.source
        a = source.position(start)
        b = source.position(end)
        return Location(self.path, start, end, a.line, a.column, b.line, b.column)

    def related(self, node: Node, message: str) -> RelatedLocation:
        return RelatedLocation(self.location(node.start_byte, node.end_byte), message)

    def related_in(self, file: ParsedFile, node: Node, message: str) -> RelatedLocation:
        """Evidence in another file of the package (positions from that file's text)."""
        source = file.source
        a, b = source.position(node.start_byte), source.position(node.end_byte)
        location = Location(
            file.path, node.start_byte, node.end_byte, a.line, a.column, b.line, b.column
        )
        return RelatedLocation(location, message)

    def report(
        self,
        node: Node,
        message: str,
        fix: Fix | None = None,
        related: Iterable[RelatedLocation] = (),
    ) -> Finding:
        assert self.codemod is not None, "report() outside a codemod hook"
        return Finding(
            code=self.codemod.code,
            name=self.codemod.name,
            message=message,
            location=self.location(node.start_byte, node.end_byte),
            fix=fix,
            related=tuple(related),
        )

    def edit(self, start: int, end: int, text: str) -> Edit:
        return Edit(self.path, start, end, text.encode())

    def replace(self, node: Node, text: str) -> Edit:
        return self.edit(node.start_byte, node.end_byte, text)

    def insert(self, offset: int, text: str) -> Edit:
        return self.edit(offset, offset, text)

    def fix(
        self,
        title: str,
        edits: Iterable[Edit],
        applicability: Applicability,
        note: str | None = None,
        declares: Iterable[str] = (),
        scope: Node | None = None,
    ) -> Fix:
        """A fix; ``declares`` lists new names it introduces, unique within ``scope``.

        Name new identifiers with ``unique_name`` and list them here with the enclosing
        function as ``scope``: the fix loop then never applies two fixes that picked the
        same name in the same function in one pass.
        """
        names = tuple(declares)
        where = None
        if names:
            assert scope is not None, "a fix that declares names needs a scope"
            where = (self.path, scope.start_byte, scope.end_byte)
        return Fix(title, tuple(sorted(edits)), applicability, note, names, where)

    def imports(self, *paths: str) -> tuple[dict[str, str], tuple[Edit, ...]]:
        """Local names to use for ``paths`` and the edit that imports the missing ones."""
        return self.imports_in(self.file, *paths)

    def imports_in(self, file: ParsedFile, *paths: str) -> tuple[dict[str, str], tuple[Edit, ...]]:
        """Like ``imports``, for another file of the package (fixes spanning files)."""
        plan = plan_imports(file, list(paths))
        return plan.names, plan.edits

    def edit_in(self, path: str, start: int, end: int, text: str) -> Edit:
        """An edit of another file of the package, or of a new file (start == end == 0)."""
        return Edit(path, start, end, text.encode())

    def unique_name(self, base: str, scope: Node) -> str:
        """``base``, or ``base2``, ``base3``... whichever no identifier in ``scope`` uses.

        Checking every identifier of the enclosing function (not only declarations) keeps
        the new name from shadowing or being shadowed by anything the function refers to.
        """
        used = set(re.findall(rb"[A-Za-z_][A-Za-z0-9_]*", scope.text or b""))
        used.update(name.encode() for name in self.facts.model.vars)
        used.update(name.encode() for name in self.facts.model.funcs)
        used.update(name.encode() for name in self.facts.model.types)
        candidate, n = base, 1
        while candidate.encode() in used:
            n += 1
            candidate = f"{base}{n}"
        return candidate

    def warn(self, message: str) -> None:
        self.warnings.append(message)


def enclosing(node: Node, *types: str) -> Node | None:
    """The nearest ancestor of one of ``types``."""
    current = node.parent
    while current is not None:
        if current.type in types:
            return current
        current = current.parent
    return None


def enclosing_function(node: Node) -> Node | None:
    return enclosing(node, "function_declaration", "method_declaration", "func_literal")


def ancestors(node: Node) -> Iterator[Node]:
    current = node.parent
    while current is not None:
        yield current
        current = current.parent
