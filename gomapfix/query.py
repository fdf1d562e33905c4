"""Compiled tree-sitter queries with typed capture access.

Queries compile once per process (compilation costs more than most matches), and a match
is handed to codemods as a ``Match`` whose captures are looked up by name, so a typo in a
capture name fails loudly instead of yielding an empty list.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from tree_sitter import Node, Query, QueryCursor

from gomapfix.parse import go_language


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
