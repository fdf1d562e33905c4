"""GMF703 syncmap-read-modify-write: the derived-value tracking and the shown loop."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from gomapfix.toolchain import find_toolchain

from helpers import go_module, run_cli

HEAD = 'package p\n\nimport "sync"\n\nvar sm sync.Map\n'


def check(tmp_path: Path, body: str, go: str = "1.24") -> list[dict[str, Any]]:
    go_module(tmp_path, {"p.go": HEAD + body}, go=go)
    code, out, err = run_cli(
        tmp_path, ["check", "--select", "GMF703", "--output-format", "json", str(tmp_path)]
    )
    assert code in (0, 1), err
    doc = json.loads(out)
    assert doc["failed"] == []
    results: list[dict[str, Any]] = doc["results"]
    return results


def test_value_derived_through_two_variables(tmp_path: Path) -> None:
    results = check(
        tmp_path,
        """
func F(k string) {
	v, _ := sm.Load(k)
	n, _ := v.(int)
	m := n * 2
	sm.Store(k, m)
}
""",
    )
    assert len(results) == 1 and results[0]["line"] == 8


def test_conditional_reassignment_keeps_the_taint(tmp_path: Path) -> None:
    # v may still be the loaded value on the path that skips the if.
    results = check(
        tmp_path,
        """
func F(k string, reset bool) {
	v, _ := sm.Load(k)
	if reset {
		v = 0
	}
	sm.Store(k, v.(int)+1)
}
""",
    )
    assert len(results) == 1


def test_storing_back_an_unrelated_fresh_value_is_silent(tmp_path: Path) -> None:
    assert (
        check(
            tmp_path,
            """
func F(k string) {
	v, ok := sm.Load(k)
	if !ok {
		v = 1
		sm.Store(k, v)
	}
}
""",
        )
        == []
    )


def test_store_inside_a_closure_is_not_straight_line(tmp_path: Path) -> None:
    assert (
        check(
            tmp_path,
            """
func F(k string) func() {
	v, _ := sm.Load(k)
	return func() { sm.Store(k, v.(int)+1) }
}
""",
        )
        == []
    )


def test_display_fix_compiles(tmp_path: Path) -> None:
    results = check(
        tmp_path,
        """
func F(k string) {
	v, _ := sm.Load(k)
	sm.Store(k, len(k)+count(v))
}

func count(v any) int { n, _ := v.(int); return n }
""",
    )
    assert len(results) == 1
    fix = results[0]["fix"]
    assert fix["applicability"] == "display-only"
    (edit,) = fix["edits"]
    src = (tmp_path / "p.go").read_bytes()
    fixed = src[: edit["start"]] + edit["content"].encode() + src[edit["end"] :]
    (tmp_path / "p.go").write_bytes(fixed)
    tc = find_toolchain()
    assert tc is not None
    vet = subprocess.run(
        [str(tc.go), "vet", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=tc.env(offline=True),
    )
    assert vet.returncode == 0, vet.stderr
    assert "CompareAndSwap(k, v, len(k)+count(v))" in edit["content"]


def test_no_display_fix_when_the_value_is_used_later(tmp_path: Path) -> None:
    results = check(
        tmp_path,
        """
func F(k string) int {
	v, _ := sm.Load(k)
	sm.Store(k, v.(int)+1)
	return v.(int)
}
""",
    )
    assert len(results) == 1 and results[0]["fix"] is None
