"""GMF502 zero-value-presence-test: the presence shapes, the evidence tiers, the fix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers import go_module, run_cli


def check(tmp_path: Path, files: dict[str, str]) -> list[dict[str, Any]]:
    go_module(tmp_path, files)
    code, out, err = run_cli(
        tmp_path, ["check", "--select", "GMF502", "--output-format", "json", str(tmp_path)]
    )
    assert code in (0, 1), err
    doc = json.loads(out)
    assert doc["failed"] == []
    results: list[dict[str, Any]] = doc["results"]
    return results


def one_file(tmp_path: Path, body: str) -> list[dict[str, Any]]:
    return check(tmp_path, {"p.go": "package p\n" + body})


EXIT = """
	if m[k] == 0 {
		return -1
	}
	return m[k]
}
"""


def test_exit_if_absent_needs_a_value_counted_from_zero(tmp_path: Path) -> None:
    counted = (
        "\nfunc F(xs []string, k string) int {\n\tm := map[string]int{}\n"
        "\tfor i, x := range xs {\n\t\tm[x] = i\n\t}" + EXIT
    )
    assert len(one_file(tmp_path / "a", counted)) == 1
    # A literal zero store makes 0 a deliberate value: "zero means unset" is then a
    # legitimate reading of the test, so it is not claimed.
    literal = '\nfunc F(k string) int {\n\tm := map[string]int{}\n\tm["z"] = 0' + EXIT
    assert one_file(tmp_path / "b", literal) == []
    # Variables are not evidence.
    weak = "\nfunc F(k string, n int) int {\n\tm := map[string]int{}\n\tm[k] = n" + EXIT
    assert one_file(tmp_path / "c", weak) == []


def test_len_through_a_conversion_is_counted_but_plus_one_is_not(tmp_path: Path) -> None:
    body = """
type T struct{ ids map[string]int32 }

func (t *T) A(s string) int32 {
	if t.ids[s] == 0 {
		t.ids[s] = int32(len(t.ids))
	}
	return t.ids[s]
}
"""
    assert [r["line"] for r in one_file(tmp_path / "a", body)] == [6]
    plus = body.replace("int32(len(t.ids))", "int32(len(t.ids)) + 1")
    assert one_file(tmp_path / "b", plus) == []


def test_field_stores_are_found_in_other_files_of_the_package(tmp_path: Path) -> None:
    files = {
        "a.go": """
package p

type Table struct{ index map[string]int }

func (t *Table) Has(name string) bool {
	if t.index[name] != 0 {
		return true
	}
	return false
}
""",
        "b.go": """
package p

func (t *Table) load(names []string) {
	for i, n := range names {
		t.index[n] = i
	}
}
""",
    }
    results = check(tmp_path, files)
    assert len(results) == 1
    assert results[0]["path"].endswith("a.go")
    # The evidence is in b.go; related locations only point into the reported file.
    assert results[0]["related"] == []


def test_nil_needs_a_literal_nil_store_and_only_for_set_if_absent(tmp_path: Path) -> None:
    body = """
type U struct{}

func load() *U { return nil }

func F(m map[string]*U, k string) *U {
	m["miss"] = nil
	if m[k] == nil {
		m[k] = load()
	}
	if m[k] != nil {
		return m[k]
	}
	return nil
}
"""
    results = one_file(tmp_path / "a", body)
    assert [r["line"] for r in results] == [9]
    no_nil = body.replace('\tm["miss"] = nil\n', "")
    assert one_file(tmp_path / "b", no_nil) == []


def test_fix_forms_and_a_fresh_ok_name(tmp_path: Path) -> None:
    body = """
func F(xs []string, k string, ok bool) int {
	m := map[string]int{}
	for i, x := range xs {
		m[x] = i
	}
	if m[k] != 0 && ok {
		return 1
	}
	if m[k] != 0 {
		return m[k]
	}
	if m[k] == 0 {
		if ok {
			return -2
		}
		return -1
	}
	return 0
}
"""
    results = one_file(tmp_path, body)
    # The first test is not the whole condition: not reported.
    assert [r["line"] for r in results] == [11, 14]
    # The new ok lives only in its if: it may shadow the parameter unless the if uses it.
    contents = [r["fix"]["edits"][0]["content"] for r in results]
    assert contents == ["_, ok := m[k]; ok", "_, ok2 := m[k]; !ok2"]
    assert {r["fix"]["applicability"] for r in results} == {"unsafe"}


def test_presence_query_function_is_reported_without_fix(tmp_path: Path) -> None:
    body = """
type T struct{ pos map[string]int }

func (t *T) set(xs []string) {
	for i := 0; i < len(xs); i++ {
		t.pos[xs[i]] = i
	}
}

func (t *T) hasName(s string) bool {
	return t.pos[s] != 0
}

func (t *T) size(s string) bool {
	return t.pos[s] != 0
}

func (t *T) hashed(s string) bool {
	return t.pos[s] != 0
}
"""
    results = one_file(tmp_path, body)
    assert [r["line"] for r in results] == [12]
    assert results[0]["fix"] is None
