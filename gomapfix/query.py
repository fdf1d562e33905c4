"""Compiled tree-sitter queries with typed capture access.

Queries compile once per process (compilation costs more than most matches), and a match
is handed to codemods as a ``Match`` whose captures are looked up by name, so a typo in a
capture name fails loudly instead of yielding an empty list.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache

from tree_sitter import Node, Query, QueryCursor

from gomapfix.parse import ParsedFile, go_language


@cache
def compile_query(source: str) -> Query:
    return Query(go_language(), source)


@dataclass(frozen=True)
class Match:
    pattern: int
    captures: dict[str, list[Node]]

    def one(self, name: str) -> Node:
        nodes = self.captures.get(name)
        if not nodes:
            raise KeyError(f"capture @{name} is absent from this match")
        return nodes[0]

    def get(self, name: str) -> Node | None:
        nodes = self.captures.get(name)
        return nodes[0] if nodes else None

    def all(self, name: str) -> list[Node]:
        return self.captures.get(name, [])


def matches(source: str, node: Node) -> Iterator[Match]:
    cursor = QueryCursor(compile_query(source))
    for pattern, captures in cursor.matches(node):
        yield Match(pattern, captures)


def nodes_of_types(types: frozenset[str], node: Node) -> list[Node]:
    """Every node of the given kinds below ``node``, in document order.

    The walk runs inside tree-sitter (one alternation query), which is far cheaper than a
    Python-level traversal of every node of a large file.
    """
    if not types:
        return []
    query = compile_query("[" + " ".join(f"({t})" for t in sorted(types)) + "] @node")
    found = QueryCursor(query).captures(node).get("node", [])
    found.sort(key=lambda n: (n.start_byte, -n.end_byte))
    return found


_INDEXED_KINDS: set[str] = set()


def index_kinds(kinds: Iterable[str]) -> None:
    """Have ``file_nodes`` index these kinds too (rules and facts call this when their
    module loads). One query for the union costs about what one query for any of them
    does, where each consumer querying the file on its own paid it again."""
    _INDEXED_KINDS.update(kinds)


@dataclass(frozen=True)
class _NodeIndex:
    kinds: frozenset[str]
    ordered: list[Node]
    """Every node of ``kinds``, in document order (as ``nodes_of_types``)."""
    types: list[str]
    """``ordered[i].type``, read once."""
    by_kind: dict[str, list[Node]]
    by_kinds: dict[frozenset[str], list[Node]] = field(default_factory=dict)
    """Answers for several kinds at once, kept: rules ask the same sets again."""


def file_nodes(parsed: ParsedFile, kinds: frozenset[str], *, build: bool = False) -> list[Node]:
    """``nodes_of_types(kinds, parsed.root)``, from the file's node index when it has one.

    ``build`` makes the index (the analysis does, for each file it runs rules on):
    files only read for package facts (siblings, generated files) are queried directly,
    since an index of every kind would hold many nodes they are never asked for.
    """
    index = parsed.node_index.get("index")
    if not isinstance(index, _NodeIndex):
        if not build and not parsed.node_index.get("analysed"):
            return nodes_of_types(kinds, parsed.root)
        index = _build_index(parsed.root, frozenset(_INDEXED_KINDS) | kinds)
        parsed.node_index["index"] = index
    elif not kinds <= index.kinds:
        return nodes_of_types(kinds, parsed.root)  # a kind nobody registered
    if len(kinds) == 1:
        (kind,) = kinds
        return list(index.by_kind.get(kind, ()))
    found = index.by_kinds.get(kinds)
    if found is None:
        found = [n for n, t in zip(index.ordered, index.types, strict=True) if t in kinds]
        index.by_kinds[kinds] = found
    return list(found)


def will_analyse(parsed: ParsedFile) -> None:
    """Mark a file the analysis will run rules on: whoever queries it first (a package
    fact reading the package's files, say) builds its node index, rather than running a
    query of its own before the analysis runs the index's."""
    parsed.node_index["analysed"] = True


def _build_index(root: Node, kinds: frozenset[str]) -> _NodeIndex:
    ordered = nodes_of_types(kinds, root)
    types = [n.type for n in ordered]
    by_kind: dict[str, list[Node]] = {}
    for node, kind in zip(ordered, types, strict=True):
        by_kind.setdefault(kind, []).append(node)
    return _NodeIndex(kinds, ordered, types, by_kind)
