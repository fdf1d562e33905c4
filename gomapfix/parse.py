"""Parsing Go files with tree-sitter, and the per-file facts every later stage needs.

Files with syntax errors are parsed with tree-sitter's error recovery: the error regions
are recorded so that findings and edits can keep out of them, instead of refusing the file.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Protocol

import tree_sitter_go
from tree_sitter import Language, Node, Parser, Tree

from gomapfix.goversion import GoVersion, parse_build_constraint
from gomapfix.source import SourceText

_GENERATED = re.compile(rb"^// Code generated .* DO NOT EDIT\.\r?$", re.MULTILINE)


def may_be_generated(data: bytes) -> bool:
    """Whether the file may carry the generated-code marker (``ParsedFile.generated`` is
    the exact answer: the marker must come before the package clause)."""
    return b"// Code generated " in data and _GENERATED.search(data) is not None


@cache
def go_language() -> Language:
    return Language(tree_sitter_go.language())


@cache
def _parser() -> Parser:
    return Parser(go_language())


@dataclass(frozen=True)
class ImportSpec:
    """One import: ``name`` is the alias as written (None, ``_``, ``.`` or an identifier)."""

    path: str
    name: str | None
    start: int
    end: int

    @property
    def local_name(self) -> str:
        """The identifier the file uses for this package (last path element by default)."""
        if self.name is not None:
            return self.name
        last = self.path.rsplit("/", 1)[-1]
        # gopkg.in/yaml.v3 style and major-version suffixes: a best effort, as gopls does.
        if re.fullmatch(r"v[0-9]+", last) and "/" in self.path:
            last = self.path.rsplit("/", 2)[-2]
        return last.split(".")[0].replace("-", "_")


@dataclass(frozen=True)
class ErrorRegion:
    start: int
    end: int


class _Syntax:
    """A file's syntax tree and error regions, parsed when first asked for when the file
    was read for its header only (see ``parse_deferred``)."""

    __slots__ = ("_data", "_error_regions", "_tree")

    def __init__(self, data: bytes, tree: Tree | None) -> None:
        self._data = data
        self._tree = tree
        self._error_regions: tuple[ErrorRegion, ...] | None = None

    @property
    def parsed(self) -> bool:
        return self._tree is not None

    @property
    def tree(self) -> Tree:
        if self._tree is None:
            self._tree = _parser().parse(self._data)
        return self._tree

    @property
    def error_regions(self) -> tuple[ErrorRegion, ...]:
        if self._error_regions is None:
            root = self.tree.root_node
            self._error_regions = _error_regions(root) if root.has_error else ()
        return self._error_regions


@dataclass(frozen=True)
class ParsedFile:
    source: SourceText
    package: str | None
    imports: tuple[ImportSpec, ...]
    generated: bool
    build_go_version: GoVersion | None
    syntax: _Syntax = field(compare=False, repr=False)
    header_end: int = 0
    """Where the package clause and the imports before any other declaration end: no
    declaration starts before."""
    node_index: dict[str, object] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )
    """Filled by ``gomapfix.query.file_nodes``: the file's nodes by kind, from one query
    shared by every rule and fact that looks at the whole file."""

    @property
    def tree(self) -> Tree:
        """The syntax tree (parsed now if the file was read for its header only)."""
        return self.syntax.tree

    @property
    def error_regions(self) -> tuple[ErrorRegion, ...]:
        return self.syntax.error_regions

    @property
    def deferred(self) -> bool:
        """Whether the file's body has not been parsed yet (see ``parse_deferred``)."""
        return not self.syntax.parsed

    @property
    def path(self) -> str:
        return self.source.path

    @property
    def root(self) -> Node:
        return self.tree.root_node

    @property
    def is_test(self) -> bool:
        return self.path.endswith("_test.go")

    def import_name(self, path: str) -> str | None:
        """The local name under which ``path`` is imported, or None when it is not."""
        for spec in self.imports:
            if spec.path == path and spec.name not in ("_", "."):
                return spec.local_name
        return None

    def touches_error(self, start: int, end: int) -> bool:
        """Whether [start, end) overlaps the top-level declaration around a syntax error.

        Error recovery can misplace a node's extent, so the whole enclosing top-level
        declaration is treated as unreliable, not just the ERROR node itself.
        """
        return any(r.start < end and start < r.end for r in self.error_regions)


class Parse(Protocol):
    def __call__(self, source: SourceText, *, deferred: bool = False) -> ParsedFile: ...


_hook: list[Parse] = []
"""The parser standing in for a fresh parse (an editor's cache of parsed files), if any."""


def parse_source(source: SourceText, *, deferred: bool = False) -> ParsedFile:
    """The engine's one way to parse: through the installed parse hook if there is one
    (see ``parse_hook``), else afresh; ``deferred``: the header now, the rest when asked
    (``parse_deferred``), for a file read only for package facts."""
    if _hook:
        return _hook[-1](source, deferred=deferred)
    if deferred:
        return parse_deferred(source)
    return parse_fresh(source)


@contextlib.contextmanager
def parse_hook(parse: Parse) -> Iterator[None]:
    """Parse through ``parse`` inside the block (in this process): editors reuse the
    parses of unchanged files and re-parse an edited buffer incrementally."""
    _hook.append(parse)
    try:
        yield
    finally:
        _hook.remove(parse)


def install_parse_hook(parse: Parse) -> None:
    """``parse_hook`` for the rest of the process (a language server)."""
    _hook.append(parse)


def parse_fresh(source: SourceText, old_tree: Tree | None = None) -> ParsedFile:
    """Parse ``source``; with ``old_tree`` (edited to match it) incrementally."""
    if old_tree is not None:
        tree = _parser().parse(source.data, old_tree)
    else:
        tree = _parser().parse(source.data)
    return _parsed_file(source, tree, _Syntax(source.data, tree))


_FIRST_DECLARATION = re.compile(rb"^(?:func|type|var|const)\b", re.MULTILINE)
_LATE_IMPORT = re.compile(rb"^import\b", re.MULTILINE)


def parse_deferred(source: SourceText) -> ParsedFile:
    """Parse only the header (package clause and imports) now, the rest when first asked.

    Files read only for package facts (generated files, files outside the targets) are
    mostly never looked into below their declarations' names: parsing them in full cost a
    third of the parse time of the standard library and most of the memory of its biggest
    package. The header is everything before the first line that starts a declaration; it
    is parsed on its own, which gives the same nodes at the same offsets as a full parse
    since Go requires imports before declarations. When the cut is not clean (the header
    does not parse without errors, or an import follows a declaration), the whole file is
    parsed at once.
    """
    data = source.data
    first = _FIRST_DECLARATION.search(data)
    if first is None or _LATE_IMPORT.search(data, first.start()):
        return parse_fresh(source)
    head = _parser().parse(data[: first.start()])
    if head.root_node.has_error:
        return parse_fresh(source)
    parsed = _parsed_file(source, head, _Syntax(data, None))
    return parsed if parsed.package is not None else parse_fresh(source)


def _parsed_file(source: SourceText, tree: Tree, syntax: _Syntax) -> ParsedFile:
    """The header facts of a file from ``tree`` (the whole file's or its header's)."""
    root = tree.root_node
    package: str | None = None
    imports: list[ImportSpec] = []
    header_end = 0
    declarations = 0  # where the first declaration may start
    in_header = True
    for child in root.named_children:
        if child.type == "package_clause":
            header_end = child.start_byte
            if in_header:
                declarations = child.end_byte
            for sub in child.named_children:
                if sub.type == "package_identifier":
                    package = node_text(sub)
        elif child.type == "import_declaration":
            imports.extend(_import_specs(child))
            if in_header:
                declarations = child.end_byte
        elif child.type != "comment":
            in_header = False
    header = source.data[:header_end] if package is not None else source.data[:0]
    generated = bool(_GENERATED.search(header))
    return ParsedFile(
        source=source,
        package=package,
        imports=tuple(imports),
        generated=generated,
        build_go_version=parse_build_constraint(header),
        syntax=syntax,
        header_end=declarations,
    )


def _import_specs(decl: Node) -> list[ImportSpec]:
    specs: list[ImportSpec] = []
    stack = [decl]
    while stack:
        node = stack.pop()
        if node.type == "import_spec":
            path_node = node.child_by_field_name("path")
            name_node = node.child_by_field_name("name")
            if path_node is None:
                continue
            specs.append(
                ImportSpec(
                    path=node_text(path_node).strip('"`'),
                    name=node_text(name_node) if name_node is not None else None,
                    start=node.start_byte,
                    end=node.end_byte,
                )
            )
        else:
            stack.extend(reversed(node.named_children))
    return specs


def _error_regions(root: Node) -> tuple[ErrorRegion, ...]:
    regions: list[ErrorRegion] = []
    for top in root.children:
        if top.is_error or top.is_missing or top.has_error:
            regions.append(ErrorRegion(top.start_byte, top.end_byte))
    return tuple(regions)


def node_text(node: Node) -> str:
    """The node's source text (undecodable bytes replaced)."""
    data = node.text
    return data.decode("utf-8", "replace") if data is not None else ""
