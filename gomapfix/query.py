"""Compiled tree-sitter queries with typed capture access.

Queries compile once per process (compilation costs more than most matches), and a match
is handed to codemods as a ``Match`` whose captures are looked up by name, so a typo in a
capture name fails loudly instead of yielding an empty list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from operator import attrgetter

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
    _document_order(found)
    return found


def nodes_outside(
    types: frozenset[str], node: Node, hides: Callable[[Node], bool]
) -> Iterator[Node]:
    """``nodes_of_types(types, node)`` without the nodes for which ``hides`` is true and
    everything inside them, in document order (the nodes a walk that does not descend
    into a hiding node visits: a ``go`` statement, a function literal...).

    One tree-sitter query finds the candidates; a hiding node hides the candidates
    inside its byte range, since the list is in document order.
    """
    skip_end = -1
    for found in nodes_of_types(types, node):
        if found.start_byte < skip_end:
            continue
        if hides(found):
            skip_end = found.end_byte
            continue
        yield found


_START = attrgetter("start_byte")
_END = attrgetter("end_byte")
_TYPE = attrgetter("type")


def _document_order(found: list[Node]) -> None:
    """Sort ``found`` by start, outer node first, in place (the query's captures come out
    of that order where nodes share a start byte).

    Exactly ``found.sort(key=lambda n: (n.start_byte, -n.end_byte))``: two stable sorts,
    the later by the first key, order by (start, -end) and keep the query's order among
    nodes of the same range (a call and its expression statement), as that one did. The
    keys are read by ``attrgetter`` in C, where the lambda's tuple per node cost more
    than both sorts.
    """
    found.sort(key=_END, reverse=True)  # ``reverse`` keeps equal keys in their order
    found.sort(key=_START)


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
    index = _file_index(parsed, kinds, build)
    if index is None:
        return nodes_of_types(kinds, parsed.root)
    if len(kinds) == 1:
        (kind,) = kinds
        return list(index.by_kind.get(kind, ()))
    found = index.by_kinds.get(kinds)
    if found is None:
        found = [n for n, t in zip(index.ordered, index.types, strict=True) if t in kinds]
        index.by_kinds[kinds] = found
    return list(found)


def typed_file_nodes(
    parsed: ParsedFile, kinds: frozenset[str], *, build: bool = False
) -> Iterator[tuple[Node, str]]:
    """Every node of ``kinds`` with its type, in document order, and maybe nodes of other
    kinds too (the caller skips what it did not ask for).

    From the file's node index, this is the whole index with the types it read once:
    a caller dispatching on the type (the analysis's walk) neither filters the index into
    a list of its own first nor reads every node's ``type`` again. ``build`` is as for
    ``file_nodes``.
    """
    index = _file_index(parsed, kinds, build)
    if index is None:
        nodes = nodes_of_types(kinds, parsed.root)
        return zip(nodes, map(_TYPE, nodes), strict=True)
    return zip(index.ordered, index.types, strict=True)


def _file_index(parsed: ParsedFile, kinds: frozenset[str], build: bool) -> _NodeIndex | None:
    """The file's node index, built now if ``build`` or the file is to be analysed; None
    when there is none yet and it is not to be built, or ``kinds`` holds a kind nobody
    registered (the caller queries the file itself)."""
    index = parsed.node_index.get("index")
    if not isinstance(index, _NodeIndex):
        if not build and not parsed.node_index.get("analysed"):
            return None
        index = _build_index(parsed.root, frozenset(_INDEXED_KINDS) | kinds)
        parsed.node_index["index"] = index
    elif not kinds <= index.kinds:
        return None
    return index


def will_analyse(parsed: ParsedFile) -> None:
    """Mark a file the analysis will run rules on: whoever queries it first (a package
    fact reading the package's files, say) builds its node index, rather than running a
    query of its own before the analysis runs the index's."""
    parsed.node_index["analysed"] = True


def _build_index(root: Node, kinds: frozenset[str]) -> _NodeIndex:
    ordered = nodes_of_types(kinds, root)
    names = _kind_names()
    try:
        types = [names[i] for i in map(_KIND_ID, ordered)]
    except IndexError:  # not a symbol of the grammar (an ERROR node): never queried
        types = list(map(_TYPE, ordered))
    by_kind: dict[str, list[Node]] = {}
    append = {kind: by_kind.setdefault(kind, []).append for kind in set(types)}
    for node, kind in zip(ordered, types, strict=True):
        append[kind](node)
    return _NodeIndex(kinds, ordered, types, by_kind)


_KIND_ID = attrgetter("kind_id")


@cache
def _kind_names() -> tuple[str, ...]:
    """Symbol id -> its name, which is what ``Node.type`` reads for a node of that
    ``kind_id``. One string per kind, shared: ``type`` makes a new string on every read,
    whose hash every later set or dict lookup of the index's types computed again."""
    language = go_language()
    return tuple(language.node_kind_for_id(i) or "" for i in range(language.node_kind_count))
