"""GMF503 missing-entry-dereference: when a miss is plausible, what proves presence, the fix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers import go_module, run_cli

HEAD = """package p

import "maps"

var _ = maps.Keys[map[int]int]

type S struct{ n int }

func (s *S) Safe() int {
	if s == nil {
		return 0
	}
	return s.n
}

func (s S) Value() int { return s.n }

type Reg struct {
	m map[string]*S
}
"""


def check(tmp_path: Path, body: str) -> list[dict[str, Any]]:
    go_module(tmp_path, {"p.go": HEAD + body})
    code, out, err = run_cli(
        tmp_path, ["check", "--select", "GMF503", "--output-format", "json", str(tmp_path)]
    )
    assert code in (0, 1), err
    doc = json.loads(out)
    assert doc["failed"] == []
    results: list[dict[str, Any]] = doc["results"]
    return results


def test_exported_parameter_key_is_reported_unexported_or_closure_is_not(tmp_path: Path) -> None:
    body = """
func (r *Reg) Get(k string) int {
	f := func(j string) int { return r.m[j].n }
	return r.m[k].n + f(k)
}

func (r *Reg) get(k string) int {
	return r.m[k].n
}
"""
    results = check(tmp_path, body)
    assert len(results) == 1
    assert (
        "r.m[k]" in results[0]["message"] and "parameter of an exported" in (results[0]["message"])
    )


def test_nil_safe_pointer_method_is_silent_value_receiver_is_not(tmp_path: Path) -> None:
    body = """
func (r *Reg) A(k string) int {
	return r.m[k].Safe()
}

func (r *Reg) B(k string) int {
	return r.m[k].Value()
}
"""
    results = check(tmp_path, body)
    assert [r["message"].split(" with")[0] for r in results] == ["a method of r.m[k]"]
    assert results[0]["line"] == 27


def test_earlier_check_proves_presence_until_a_delete(tmp_path: Path) -> None:
    body = """
func (r *Reg) A(k string, drop bool) int {
	if r.m[k] == nil {
		return 0
	}
	if drop {
		delete(r.m, k)
	}
	return r.m[k].n
}
"""
    results = check(tmp_path, body)
    assert len(results) == 1
    assert "deleted at line 27" in results[0]["message"]
    assert results[0]["fix"] is None


def test_keys_from_the_map_are_present(tmp_path: Path) -> None:
    body = """
func (r *Reg) All(extra string) int {
	n := 0
	for k := range maps.Keys(r.m) {
		n += r.m[k].n
	}
	return n
}
"""
    assert check(tmp_path, body) == []


def test_fix_reindents_a_multi_line_statement_and_picks_free_names(tmp_path: Path) -> None:
    body = """
func (r *Reg) Set(k string, v, ok int) {
	r.m[k].n = v +
		ok
}
"""
    results = check(tmp_path, body)
    assert len(results) == 1
    fix = results[0]["fix"]
    assert fix["applicability"] == "unsafe"
    assert fix["edits"][0]["content"] == (
        "if v2, ok2 := r.m[k]; ok2 {\n\t\tv2.n = v +\n\t\t\tok\n\t}"
    )


def test_constant_keys_and_struct_values_are_silent(tmp_path: Path) -> None:
    body = """
const root = "root"

type Pt struct{ X int }

func (r *Reg) C(pts map[string]Pt, k string) int {
	return r.m[root].n + r.m["x"].n + pts[k].X
}
"""
    assert check(tmp_path, body) == []
