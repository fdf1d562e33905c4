"""GMF702 syncmap-load-then-store: shapes reported, the exact one fixed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers import go_module, run_cli

HEAD = 'package p\n\nimport "sync"\n\nvar sm sync.Map\n\nfunc build() int { return 1 }\n'


def check(tmp_path: Path, body: str) -> list[dict[str, Any]]:
    go_module(tmp_path, {"p.go": HEAD + body})
    code, out, err = run_cli(
        tmp_path, ["check", "--select", "GMF702", "--output-format", "json", str(tmp_path)]
    )
    assert code in (0, 1), err
    results: list[dict[str, Any]] = json.loads(out)["results"]
    return results


def test_exact_shape_note_names_the_eager_value(tmp_path: Path) -> None:
    (r,) = check(
        tmp_path,
        """
func F(k string) {
	if _, ok := sm.Load(k); !ok {
		sm.Store(k, build())
	}
}
""",
    )
    assert r["fix"]["applicability"] == "unsafe"
    assert "build() is now evaluated even when the key is already there" in r["fix"]["note"]
    assert [e["content"] for e in r["fix"]["edits"]] == ["sm.LoadOrStore(k, build())"]


def test_parenthesised_negation(tmp_path: Path) -> None:
    (r,) = check(
        tmp_path,
        """
func F(k string) {
	if _, ok := sm.Load(k); !(ok) {
		sm.Store(k, 1)
	}
}
""",
    )
    assert r["fix"] is not None


def test_store_nested_in_the_miss_block_is_reported_without_fix(tmp_path: Path) -> None:
    (r,) = check(
        tmp_path,
        """
func F(k string, cond bool) {
	if _, ok := sm.Load(k); !ok {
		if cond {
			sm.Store(k, 1)
		}
	}
}
""",
    )
    assert r["fix"] is None


def test_store_in_a_goroutine_is_not_the_miss_path(tmp_path: Path) -> None:
    assert (
        check(
            tmp_path,
            """
func F(k string) {
	if _, ok := sm.Load(k); !ok {
		go func() { sm.Store(k, 1) }()
	}
}
""",
        )
        == []
    )


def test_memo_of_plain_values_is_silent_but_of_pointers_reported(tmp_path: Path) -> None:
    body = """
type conn struct{}

func Size(k string) int {
	if v, ok := sm.Load(k); ok {
		return v.(int)
	}
	n := len(k)
	sm.Store(k, n)
	return n
}

func Conn(k string) *conn {
	if v, ok := sm.Load(k); ok {
		return v.(*conn)
	}
	c := &conn{}
	sm.Store(k, c)
	return c
}

func Flag(k string) bool {
	if _, ok := sm.Load(k); !ok {
		sm.Store(k, true)
		return true
	}
	return false
}
"""
    lines = sorted(r["line"] for r in check(tmp_path, body))
    assert lines == [21, 30], "Conn (identity) and Flag (dedup) are hazards; Size is not"
