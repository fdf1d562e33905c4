"""GMF704 syncmap-range-delete-all: the callback shape and the Go version gate."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers import go_module, run_cli

HEAD = 'package p\n\nimport "sync"\n\nvar sm sync.Map\n\nfunc get() *sync.Map { return &sm }\n'


def check(tmp_path: Path, body: str, go: str = "1.24") -> list[dict[str, Any]]:
    go_module(tmp_path, {"p.go": HEAD + body}, go=go)
    code, out, err = run_cli(
        tmp_path, ["check", "--select", "GMF704", "--output-format", "json", str(tmp_path)]
    )
    assert code in (0, 1), err
    results: list[dict[str, Any]] = json.loads(out)["results"]
    return results


LOOP = """
func F() {
	sm.Range(func(k any, v any) bool {
		sm.Delete(k)
		return true
	})
}
"""


def test_separate_parameter_declarations(tmp_path: Path) -> None:
    (r,) = check(tmp_path, LOOP)
    assert r["fix"]["applicability"] == "safe"
    assert [e["content"] for e in r["fix"]["edits"]] == ["sm.Clear()"]


def test_go123_is_the_minimum(tmp_path: Path) -> None:
    assert len(check(tmp_path, LOOP, go="1.23")) == 1
    assert check(tmp_path, LOOP, go="1.22") == []


def test_impure_map_expression_is_silent(tmp_path: Path) -> None:
    body = """
func F() {
	get().Range(func(k, _ any) bool {
		get().Delete(k)
		return true
	})
}
"""
    assert check(tmp_path, body) == []


def test_deleting_the_value_not_the_key_is_silent(tmp_path: Path) -> None:
    body = """
func F() {
	sm.Range(func(k, v any) bool {
		sm.Delete(v)
		return true
	})
}
"""
    assert check(tmp_path, body) == []
