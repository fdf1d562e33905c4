"""Parsing Go files with tree-sitter, and the per-file facts every later stage needs.

Files with syntax errors are parsed with tree-sitter's error recovery: the error regions
are recorded so that findings and edits can keep out of them, instead of refusing the file.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache

import tree_sitter_go
from tree_sitter import Language, Node, Parser, Tree

from gomapfix.goversion import GoVersion, parse_build_constraint
from gomapfix.source import SourceText

_GENERATED = re.compile(rb"^// Code generated .* DO NOT EDIT\.\r?$", re.MULTILINE)


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


@dataclass(frozen=True)
class ParsedFile:
    source: SourceText
    tree: Tree
    package: str | None
    imports: tuple[ImportSpec, ...]
    generated: bool
    build_go_version: GoVersion | None
    error_regions: tuple[ErrorRegion, ...]
    node_index: dict[str, object] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )
    """Filled by ``gomapfix.query.file_nodes``: the file's nodes by kind, from one query
    shared by every rule and fact that looks at the whole file."""

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


Parse = Callable[[SourceText], "ParsedFile"]

_hook: list[Parse] = []
"""The parser standing in for a fresh parse (an editor's cache of parsed files), if any."""


def parse_source(source: SourceText) -> ParsedFile:
    """The engine's one way to parse: through the installed parse hook if there is one
    (see ``parse_hook``), else afresh."""
    if _hook:
        return _hook[-1](source)
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
    root = tree.root_node
    package: str | None = None
    imports: list[ImportSpec] = []
    header_end = 0
    for child in root.named_children:
        if child.type == "package_clause":
            header_end = child.start_byte
            for sub in child.named_children:
                if sub.type == "package_identifier":
                    package = _text(sub)
        elif child.type == "import_declaration":
            imports.extend(_import_specs(child))
    header = source.data[:header_end] if package is not None else source.data[:0]
    generated = bool(_GENERATED.search(header))
    return ParsedFile(
        source=source,
        tree=tree,
        package=package,
        imports=tuple(imports),
        generated=generated,
        build_go_version=parse_build_constraint(header),
        error_regions=_error_regions(root) if root.has_error else (),
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
                    path=_text(path_node).strip('"`'),
                    name=_text(name_node) if name_node is not None else None,
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


def _text(node: Node) -> str:
    data = node.text
    return data.decode("utf-8", "replace") if data is not None else ""


def node_text(node: Node) -> str:
    return _text(node)
