"""GMF602 clone-does-not-shrink: shapes, the nil question behind the fix's safety."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers import go_module, run_cli


def check(tmp_path: Path, body: str, go: str = "1.24") -> list[dict[str, Any]]:
    src = 'package p\n\nimport "maps"\n\nvar _ = maps.Clone[map[int]int]\n' + body
    go_module(tmp_path, {"p.go": src}, go=go)
    code, out, err = run_cli(
        tmp_path, ["check", "--select", "GMF602", "--output-format", "json", str(tmp_path)]
    )
    assert code in (0, 1), err
    doc = json.loads(out)
    assert doc["failed"] == []
    results: list[dict[str, Any]] = doc["results"]
    return results


def one(tmp_path: Path, body: str, go: str = "1.24") -> dict[str, Any]:
    results = check(tmp_path, body, go)
    assert len(results) == 1, [r["message"] for r in results]
    return results[0]


def test_local_made_map_is_safe(tmp_path: Path) -> None:
    r = one(
        tmp_path,
        """
func F() map[int]int {
	m := map[int]int{1: 1}
	m = maps.Clone(m)
	return m
}
""",
    )
    assert r["fix"]["applicability"] == "safe"


def test_write_just_before_proves_non_nil(tmp_path: Path) -> None:
    r = one(
        tmp_path,
        """
type T struct{ m map[int]int }

func (t *T) F() {
	t.m[0] = 1
	t.m = maps.Clone(t.m)
}
""",
    )
    assert r["fix"]["applicability"] == "safe"


def test_local_set_from_elsewhere_is_unsafe(tmp_path: Path) -> None:
    r = one(
        tmp_path,
        """
func src() map[int]int { return nil }

func F() map[int]int {
	m := make(map[int]int)
	m = src()
	m = maps.Clone(m)
	return m
}
""",
    )
    assert r["fix"]["applicability"] == "unsafe"
    assert "nil" in r["fix"]["note"]


def test_address_taken_is_unsafe(tmp_path: Path) -> None:
    r = one(
        tmp_path,
        """
func reset(p *map[int]int) { *p = nil }

func F() map[int]int {
	m := make(map[int]int)
	reset(&m)
	m = maps.Clone(m)
	return m
}
""",
    )
    assert r["fix"]["applicability"] == "unsafe"


def test_short_var_reuses_the_name(tmp_path: Path) -> None:
    r = one(
        tmp_path,
        """
func F(m map[string]bool, drop []string) int {
	for _, k := range drop {
		delete(m, k)
	}
	kept := maps.Clone(m)
	return len(kept)
}
""",
    )
    assert [e["content"] for e in r["fix"]["edits"]] == [
        "kept := make(map[string]bool, len(m))\n\tmaps.Copy(kept, m)"
    ]


def test_redeclared_from_itself_has_no_fix(tmp_path: Path) -> None:
    # The inner m would be used by maps.Copy(m, m) on both sides.
    r = one(
        tmp_path,
        """
func F(m map[string]bool, drop []string) int {
	for _, k := range drop {
		delete(m, k)
	}
	{
		m := maps.Clone(m)
		return len(m)
	}
}
""",
    )
    assert r["fix"] is None
    assert "redeclared from itself" in r["message"]


def test_fresh_name_avoids_existing_identifiers(tmp_path: Path) -> None:
    r = one(
        tmp_path,
        """
func F(compacted int) map[int]int {
	m := make(map[int]int)
	m = maps.Clone(m)
	_ = compacted
	return m
}
""",
    )
    content = r["fix"]["edits"][0]["content"]
    assert content.startswith("compacted2 := make(map[int]int, len(m))")


def test_aliased_maps_import(tmp_path: Path) -> None:
    src = """package p

import stdmaps "maps"

func F(m map[int]int) map[int]int {
	maps := 1
	_ = maps
	m = stdmaps.Clone(m)
	return m
}
"""
    go_module(tmp_path, {"p.go": src})
    _code, out, _ = run_cli(
        tmp_path, ["check", "--select", "GMF602", "--output-format", "json", str(tmp_path)]
    )
    results = json.loads(out)["results"]
    assert len(results) == 1
    assert "stdmaps.Copy(compacted, m)" in results[0]["fix"]["edits"][0]["content"]


def test_x_exp_maps_is_not_the_standard_library(tmp_path: Path) -> None:
    src = """package p

import "golang.org/x/exp/maps"

func F(m map[int]int) map[int]int {
	m = maps.Clone(m)
	return m
}
"""
    go_module(tmp_path, {"p.go": src})
    _, out, _ = run_cli(
        tmp_path, ["check", "--select", "GMF602", "--output-format", "json", str(tmp_path)]
    )
    assert json.loads(out)["results"] == []


def test_delete_loop_after_the_clone_does_not_count(tmp_path: Path) -> None:
    assert (
        check(
            tmp_path,
            """
func F(m map[int]int) map[int]int {
	c := maps.Clone(m)
	for k := range m {
		delete(m, k)
	}
	return c
}
""",
        )
        == []
    )
