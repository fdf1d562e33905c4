"""Name resolution and visible types (gomapfix/facts/scope.py)."""

from __future__ import annotations

import textwrap

from tree_sitter import Node

from gomapfix.facts.package import PackageModel
from gomapfix.facts.scope import Scopes
from gomapfix.parse import node_text, parse_source
from gomapfix.source import SourceText


def type_at(src: str, marker: str) -> str:
    """The type text of the identifier written just before ``/*marker*/``."""
    data = textwrap.dedent(src).lstrip().encode()
    parsed = parse_source(SourceText("f.go", data))
    scopes = Scopes(PackageModel.build(".", "p", [parsed]))
    at = data.index(f"/*{marker}*/".encode())
    node: Node | None = parsed.root.named_descendant_for_byte_range(at - 1, at - 1)
    while node is not None and node.type not in (
        "identifier",
        "selector_expression",
        "index_expression",
        "call_expression",
    ):
        node = node.parent
    assert node is not None
    while (
        node.parent is not None
        and node.parent.end_byte == node.end_byte
        and node.parent.type in ("selector_expression", "index_expression", "call_expression")
    ):
        node = node.parent
    return scopes.type_of(node).text or node_text(node) + ": unknown"


SRC = """
package p

type Item struct{ tags map[string]int }
type Set map[string]struct{}

var registry = map[string]*Item{}

func lookup(name string) *Item { return registry[name] }

func (s *Set) copy() Set { return *s }

func f(items []Item, grid [3][4]int, pa *[2]Item, text string, ch chan Set, s Set) {
	for i, it := range items {
		_ = i/*i*/
		_ = it.tags/*tags*/
	}
	for _, row := range grid {
		_ = row/*row*/
	}
	for _, it := range pa {
		_ = it/*pa*/
	}
	for _, r := range text {
		_ = r/*r*/
	}
	for set := range ch {
		_ = set/*set*/
	}
	_ = lookup("x").tags/*call*/
	_ = s.copy()/*method*/
	lookup := func() int { return 0 }
	_ = lookup()/*shadowed*/
}
"""


def test_range_values_over_slices_arrays_strings_and_channels() -> None:
    assert type_at(SRC, "i") == "int"
    assert type_at(SRC, "tags") == "map[string]int"
    assert type_at(SRC, "row") == "[4]int"
    assert type_at(SRC, "pa") == "Item"
    assert type_at(SRC, "r") == "rune"
    assert type_at(SRC, "set") == "Set"


def test_results_of_package_functions_and_methods() -> None:
    assert type_at(SRC, "call") == "map[string]int"
    assert type_at(SRC, "method") == "Set"
    assert type_at(SRC, "shadowed").endswith("unknown")


def test_related_in_another_file_uses_that_files_positions() -> None:
    from gomapfix.codemod import FileContext
    from gomapfix.facts.store import PackageFacts
    from gomapfix.goversion import GoVersion

    a = parse_source(SourceText("a.go", b"package p\n\nvar x = 1\n"))
    b = parse_source(SourceText("b.go", b"package p\n\n\n\n// far below\nvar y = 2\n"))
    facts = PackageFacts(PackageModel.build(".", "p", [a, b]))
    ctx = FileContext(a, facts, GoVersion(1, 24))
    y = b.root.named_children[-1]
    related = ctx.related_in(b, y, "evidence")
    assert (related.location.path, related.location.line) == ("b.go", 6)
