"""GMF202 nested-nil-map-write: when mm[a] counts as created, fresh names, key binding
and the type written in make."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from gomapfix.codemods.nested_nil_map_write import NestedNilMapWrite

from gomapfix.analysis import AnalysisOptions, analyze_directory
from gomapfix.finding import Finding
from gomapfix.fix import Applicability
from gomapfix.goversion import GoVersion


def source(src: str) -> bytes:
    return ("package p\n\n" + textwrap.dedent(src).lstrip()).encode()


def findings(src: str, extra: dict[str, str] | None = None) -> list[Finding]:
    texts = {"p.go": source(src)}
    for name, text in (extra or {}).items():
        texts[name] = textwrap.dedent(text).lstrip().encode()
    options = AnalysisOptions(codemods=(NestedNilMapWrite,), go_version=GoVersion(1, 24))
    result = analyze_directory(Path("/tmp/p"), texts, ["p.go"], options)
    assert result["p.go"].error is None, result["p.go"].error
    return result["p.go"].findings


def applied(src: str, found: list[Finding]) -> str:
    data = source(src)
    edits = [e for f in found if f.fix is not None for e in f.fix.edits]
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        data = data[: edit.start] + edit.text + data[edit.end :]
    return data.decode()


def test_basic_shape_is_fixed_safely() -> None:
    src = """
    func f(m map[string]map[string]int, a, b string) {
    	m[a][b] += 2
    }
    """
    (f,) = findings(src)
    assert f.fix is not None and f.fix.applicability is Applicability.SAFE
    assert applied(src, [f]).endswith(
        "\tinner := m[a]\n\tif inner == nil {\n\t\tinner = make(map[string]int)\n"
        "\t\tm[a] = inner\n\t}\n\tinner[b] += 2\n}\n"
    )


def test_same_key_written_twice_is_reported_once() -> None:
    src = """
    func f(m map[string]map[string]int, a string, ok bool) {
    	m[a]["x"] = 1
    	if ok {
    		m[a]["y"] = 2
    	}
    }
    """
    assert len(findings(src)) == 1


def test_same_impure_key_twice_is_reported_twice() -> None:
    src = """
    func k() string { return "" }

    func f(m map[string]map[string]int) {
    	m[k()]["x"] = 1
    	m[k()]["y"] = 2
    }
    """
    found = findings(src)
    assert len(found) == 2
    out = applied(src, found)
    for name in ("key", "key2", "inner", "inner2"):
        assert f"\t{name} := " in out


def test_fresh_names_avoid_identifiers_already_used() -> None:
    src = """
    func f(m map[string]map[string]int, inner string) {
    	m[inner]["x"] = 1
    }
    """
    (f,) = findings(src)
    assert "\tinner2 := m[inner]\n" in applied(src, [f])


@pytest.mark.parametrize(
    ("key", "applicability", "bound"),
    [
        ("a", Applicability.SAFE, False),
        ("s.name", Applicability.SAFE, False),
        ("k()", Applicability.SAFE, True),
        ("<-ch", Applicability.SAFE, True),
        ("keys[0]", Applicability.SAFE, True),
        ("len(keys)", Applicability.UNSAFE, False),
        ("n / 2", Applicability.UNSAFE, False),
    ],
)
def test_key_binding(key: str, applicability: Applicability, bound: bool) -> None:
    src = f"""
    type S struct{{ name int }}

    func k() int {{ return 0 }}

    func f(m map[int]map[string]int, a int, s S, ch chan int, keys []int, n int) {{
    	m[{key}]["x"] = 1
    }}
    """
    (f,) = findings(src)
    assert f.fix is not None and f.fix.applicability is applicability
    assert (f"key := {key}" in applied(src, [f])) is bound


def test_other_reads_of_the_inner_map_in_the_statement_use_it() -> None:
    src = """
    func f(m map[string]map[string][]int, a, b string) {
    	m[a][b] = append(m[a][b], len(m[a]))
    }
    """
    (f,) = findings(src)
    assert "\tinner[b] = append(inner[b], len(inner))\n" in applied(src, [f])


def test_named_outer_map_type_gives_the_inner_type_as_declared() -> None:
    src = """
    type Set map[string]struct{}
    type Index map[string]Set

    func f(ix Index, a, b string) {
    	ix[a][b] = struct{}{}
    }
    """
    (f,) = findings(src)
    assert "inner = make(Set)" in applied(src, [f])


def test_generic_named_map_type_gets_no_fix() -> None:
    src = """
    type Index[K comparable] map[K]map[K]int

    func f(ix Index[string], a, b string) {
    	ix[a][b] = 1
    }
    """
    found = findings(src)
    assert all(f.fix is None for f in found)


@pytest.mark.parametrize(
    "before",
    [
        "if m[a] == nil {\n\t\tm[a] = map[string]int{}\n\t}",
        "if _, ok := m[a]; !ok {\n\t\treturn\n\t}",
        'm["z"] = map[string]int{}',
        "_ = len(m[a])",
    ],
)
def test_earlier_use_of_the_inner_map_silences(before: str) -> None:
    src = f"""
    func f(m map[string]map[string]int, a string) {{
    	{before}
    	m[a]["x"] = 1
    }}
    """
    assert findings(src) == []


def test_earlier_read_through_the_inner_map_does_not_silence() -> None:
    src = """
    func f(m map[string]map[string]int, a string) int {
    	n := m[a]["x"]
    	m[a]["x"] = n + 1
    	return n
    }
    """
    assert len(findings(src)) == 1


def test_field_given_inner_maps_in_another_file_is_silent() -> None:
    src = """
    type G struct{ edges map[string]map[string]bool }

    func (g *G) link(a, b string) {
    	g.edges[a][b] = true
    }
    """
    other = "package p\n\nfunc (g *G) add(n string) { g.edges[n] = map[string]bool{} }\n"
    assert findings(src, {"q.go": other}) == []
    assert len(findings(src)) == 1


def test_unknown_map_type_is_not_reported() -> None:
    src = """
    func get() any { return nil }

    func f(m map[string]any, a string) {
    	m[a].(map[string]int)["x"] = 1
    }
    """
    assert findings(src) == []


def test_key_reassigned_between_writes_is_reported_again() -> None:
    src = """
    func f(m map[string]map[string]int, a, b string) {
    	m[a]["x"] = 1
    	a = b
    	m[a]["y"] = 2
    }
    """
    assert len(findings(src)) == 2


def test_comment_and_parentheses_between_the_brackets_still_match() -> None:
    # The per-file text shortcut must not hide mm[a] /* x */ [b] or (mm[a])[b].
    found = findings(
        """
        func f(mm map[string]map[string]int, a, b string) {
        	mm[a] /* inner */ [b] = 1
        }

        func g(mm map[string]map[string]int, a, b string) {
        	(mm[a])[b] = 1
        }
        """
    )
    assert len(found) == 2


def test_nested_function_literals_are_indexed_with_their_function() -> None:
    found = findings(
        """
        var top = func(mm map[string]map[string]int, a, b string) {
        	func() {
        		mm[a][b] = 1
        	}()
        }
        """
    )
    assert len(found) == 1
