"""GMF304 map-clear-loop: version gate, key reflexivity and the shapes left alone."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from gomapfix.codemods.map_clear_loop import MapClearLoop

from gomapfix.analysis import AnalysisOptions, analyze_directory
from gomapfix.finding import Finding
from gomapfix.fix import Applicability
from gomapfix.goversion import GoVersion


def findings(src: str, minor: int = 24) -> list[Finding]:
    text = ("package p\n\n" + textwrap.dedent(src)).encode()
    options = AnalysisOptions(codemods=(MapClearLoop,), go_version=GoVersion(1, minor))
    result = analyze_directory(Path("/tmp/p"), {"p.go": text}, ["p.go"], options)
    assert result["p.go"].error is None, result["p.go"].error
    return result["p.go"].findings


LOOP = """
type point struct{ x, y int }
type fpoint struct{ x float64 }
type nested struct{ p [2]fpoint }
type str string

func f(m {t}) {
	for k := range m {
		delete(m, k)
	}
}
"""


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("string", Applicability.SAFE),
        ("str", Applicability.SAFE),
        ("point", Applicability.SAFE),
        ("[4]byte", Applicability.SAFE),
        ("*point", Applicability.SAFE),
        ("chan int", Applicability.SAFE),
        ("float64", Applicability.UNSAFE),
        ("complex128", Applicability.UNSAFE),
        ("fpoint", Applicability.UNSAFE),
        ("nested", Applicability.UNSAFE),
        ("any", Applicability.UNSAFE),
        ("interface{ M() }", Applicability.UNSAFE),
        ("error", Applicability.UNSAFE),
    ],
)
def test_safety_follows_key_reflexivity(key: str, expected: Applicability) -> None:
    found = findings(LOOP.replace("{t}", f"map[{key}]bool"))
    assert len(found) == 1
    fix = found[0].fix
    assert fix is not None
    assert fix.applicability is expected
    assert fix.edits[0].text.startswith(b"clear(m)")
    if expected is Applicability.UNSAFE:
        assert fix.note is not None and "NaN" in fix.note
        assert "can hold NaN keys" in found[0].message


def test_unknown_key_type_is_unsafe_and_says_so() -> None:
    found = findings(
        """
        import "net/http"

        func f(h http.Header) {
        	for k := range h {
        		delete(h, k)
        	}
        }
        """
    )
    assert len(found) == 1
    assert found[0].fix is not None
    assert found[0].fix.applicability is Applicability.UNSAFE
    assert "key type not visible" in found[0].message


@pytest.mark.parametrize(("minor", "count"), [(16, 0), (20, 0), (21, 1), (24, 1)])
def test_reported_only_where_clear_exists(minor: int, count: int) -> None:
    assert len(findings(LOOP.replace("{t}", "map[int]int"), minor)) == count


@pytest.mark.parametrize(
    "body",
    [
        "delete(m, k)\n\t\tdelete(m, k)",
        "delete(m, k+1)",
        "delete(n, k)",
        "k := k + 1\n\t\tdelete(m, k)",
        "if k > 0 {\n\t\t\tdelete(m, k)\n\t\t}",
    ],
)
def test_other_bodies_are_silent(body: str) -> None:
    src = f"func f(m, n map[int]int) {{\n\tfor k := range m {{\n\t\t{body}\n\t}}\n}}\n"
    assert findings(src) == []


def test_key_and_value_form_and_assignment_form_are_silent() -> None:
    src = """
    func f(m map[int]int) (k int) {
    	for k, v := range m {
    		delete(m, k)
    		_ = v
    	}
    	for k, v := range m {
    		delete(m, k)
    	}
    	for k = range m {
    		delete(m, k)
    	}
    	return k
    }
    """
    assert findings(src) == []


def test_blank_value_form_is_reported() -> None:
    found = findings("func f(m map[int]int) {\n\tfor k, _ := range m {\n\t\tdelete(m, k)\n\t}\n}\n")
    assert len(found) == 1
    assert found[0].fix is not None
    assert found[0].fix.applicability is Applicability.SAFE


def test_local_clear_blocks_the_fix() -> None:
    found = findings(
        """
        func f(m map[int]int, clear func()) {
        	for k := range m {
        		delete(m, k)
        	}
        	clear()
        }
        """
    )
    assert len(found) == 1
    assert found[0].fix is None
    assert "clear is redeclared" in found[0].message


def test_impure_map_expression_is_silent() -> None:
    src = """
    func get() map[int]int { return nil }

    type s struct{ m map[int]int }

    func f(xs []s) {
    	for k := range get() {
    		delete(get(), k)
    	}
    	for k := range xs[0].m {
    		delete(xs[0].m, k)
    	}
    }
    """
    assert findings(src) == []
