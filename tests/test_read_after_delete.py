"""GMF501 read-after-delete: what counts as a read on the path, and what stops the scan."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers import go_module, run_cli


def check(tmp_path: Path, body: str, head: str = "") -> list[dict[str, Any]]:
    src = 'package p\n\nimport "fmt"\n\nvar _ = fmt.Println\n' + head + body
    go_module(tmp_path, {"p.go": src})
    code, out, err = run_cli(
        tmp_path, ["check", "--select", "GMF501", "--output-format", "json", str(tmp_path)]
    )
    assert code in (0, 1), err
    doc = json.loads(out)
    assert doc["failed"] == []
    results: list[dict[str, Any]] = doc["results"]
    return results


def lines(results: list[dict[str, Any]]) -> list[int]:
    return [r["line"] for r in results]


def test_read_in_arguments_of_a_barrier_call_counts_but_not_after_it(tmp_path: Path) -> None:
    body = """
var m = map[string]int{}

func F(k string) {
	delete(m, k)
	fmt.Println(m[k])
	fmt.Println(m[k])
}
"""
    # Line 11 is the first Println: its argument is read before the call runs; the call
    # could refill the package-level map, so the second read is not claimed.
    assert lines(check(tmp_path, body)) == [11]


def test_local_map_survives_unrelated_calls(tmp_path: Path) -> None:
    body = """
func F(m map[string]int, k string) int {
	delete(m, k)
	fmt.Println("gone")
	return m[k]
}
"""
    assert lines(check(tmp_path, body)) == [10]


def test_loop_with_a_write_hides_the_read_but_a_read_only_loop_does_not(tmp_path: Path) -> None:
    body = """
func F(m map[string]int, k string, n int) {
	delete(m, k)
	for i := 0; i < n; i++ {
		fmt.Println(m[k])
	}
	for i := 0; i < n; i++ {
		fmt.Println(m[k])
		m[k] = i
	}
}
"""
    assert lines(check(tmp_path, body)) == [10]


def test_comma_ok_and_write_targets_are_not_reads(tmp_path: Path) -> None:
    body = """
func F(m map[string]int, k string) (int, bool) {
	delete(m, k)
	v, ok := m[k]
	m[k]++
	return v, ok
}
"""
    assert check(tmp_path, body) == []


def test_rhs_of_the_refilling_assignment_is_read_first(tmp_path: Path) -> None:
    body = """
func F(m map[string]int, k string) {
	delete(m, k)
	m[k] = m[k] + 1
}
"""
    assert lines(check(tmp_path, body)) == [9]


def test_key_with_an_index_or_a_call_is_not_tracked(tmp_path: Path) -> None:
    body = """
func F(m map[string]int, ks []string, f func() string) int {
	delete(m, ks[0])
	delete(m, f())
	return m[ks[0]] + m[f()]
}
"""
    assert check(tmp_path, body) == []


def test_func_value_call_shape_and_display_only_fix(tmp_path: Path) -> None:
    body = """
func F(m map[string]func(int), k string) {
	delete(m, k)
	m[k](1)
}
"""
    results = check(tmp_path, body)
    assert lines(results) == [9]
    fix = results[0]["fix"]
    assert fix["applicability"] == "display-only"
    assert [e["content"] for e in fix["edits"]] == ["\tprev := m[k]\n", "prev"]


def test_fresh_name_when_prev_is_taken(tmp_path: Path) -> None:
    body = """
func F(m map[string]int, k string, prev int) int {
	delete(m, k)
	return m[k] + prev
}
"""
    fix = check(tmp_path, body)[0]["fix"]
    assert fix["edits"][0]["content"] == "\tprev2 := m[k]\n"
