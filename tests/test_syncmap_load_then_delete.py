"""GMF701 syncmap-load-then-delete: type detection, the exact shape, the fix's safety."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers import go_module, run_cli


def check(tmp_path: Path, files: dict[str, str], go: str = "1.24") -> list[dict[str, Any]]:
    go_module(tmp_path, files, go=go)
    # An absolute path: the Go version is looked up per directory.
    code, out, err = run_cli(
        tmp_path,
        ["check", "--select", "GMF701", "--output-format", "json", str(tmp_path)],
    )
    assert code in (0, 1), err
    doc = json.loads(out)
    assert doc["failed"] == []
    results: list[dict[str, Any]] = doc["results"]
    return results


def one(tmp_path: Path, body: str, go: str = "1.24", head: str = "") -> dict[str, Any]:
    src = (
        'package p\n\nimport (\n\t"fmt"\n\t"sync"\n)\n\nvar _ = fmt.Println\n'
        "var sm sync.Map\n" + head + body
    )
    results = check(tmp_path, {"p.go": src}, go)
    assert len(results) == 1, [r["message"] for r in results]
    return results[0]


def test_safe_basic(tmp_path: Path) -> None:
    r = one(
        tmp_path,
        """
func F(k string) {
	if v, ok := sm.Load(k); ok {
		fmt.Println(v)
		sm.Delete(k)
	}
}
""",
    )
    assert r["fix"]["applicability"] == "safe"
    assert [e["content"] for e in r["fix"]["edits"]] == ["LoadAndDelete", ""]


def test_key_reassigned_before_delete_is_unsafe(tmp_path: Path) -> None:
    r = one(
        tmp_path,
        """
func F(k string) {
	if v, ok := sm.Load(k); ok {
		k = fmt.Sprint(v)
		sm.Delete(k)
	}
}
""",
    )
    assert r["fix"]["applicability"] == "unsafe"
    assert "key may change" in r["fix"]["note"]


def test_labelled_break_before_delete_is_unsafe(tmp_path: Path) -> None:
    r = one(
        tmp_path,
        """
func F(keys []string) {
outer:
	for _, k := range keys {
		if v, ok := sm.Load(k); ok {
			for range keys {
				if v == nil {
					break outer
				}
			}
			sm.Delete(k)
		}
	}
}
""",
    )
    assert r["fix"]["applicability"] == "unsafe"
    assert "leave the block" in r["fix"]["note"]


def test_continue_before_delete_is_unsafe(tmp_path: Path) -> None:
    r = one(
        tmp_path,
        """
func F(keys []string) {
	for _, k := range keys {
		if v, ok := sm.Load(k); ok {
			if v == nil {
				continue
			}
			sm.Delete(k)
		}
	}
}
""",
    )
    assert r["fix"]["applicability"] == "unsafe"


def test_impure_key_is_unsafe(tmp_path: Path) -> None:
    r = one(
        tmp_path,
        """
func key() string { return "k" }

func F() {
	if v, ok := sm.Load(key()); ok {
		fmt.Println(v)
		sm.Delete(key())
	}
}
""",
    )
    assert r["fix"]["applicability"] == "unsafe"
    assert "side effects" in r["fix"]["note"]


def test_below_go115_no_fix(tmp_path: Path) -> None:
    r = one(
        tmp_path,
        """
func F(k string) {
	if v, ok := sm.Load(k); ok {
		fmt.Println(v)
		sm.Delete(k)
	}
}
""",
        go="1.14",
    )
    assert r.get("fix") is None
    assert "needs go 1.15" in r["message"]


def test_import_alias_and_type_alias(tmp_path: Path) -> None:
    src = """package p

import (
	"fmt"
	gosync "sync"
)

type Registry = gosync.Map

func F(r *Registry, k int) {
	if v, ok := r.Load(k); ok {
		fmt.Println(v)
		r.Delete(k)
	}
}
"""
    results = check(tmp_path, {"p.go": src})
    assert len(results) == 1
    assert results[0]["fix"]["applicability"] == "safe"


def test_field_declared_in_another_file(tmp_path: Path) -> None:
    files = {
        "types.go": 'package p\n\nimport "sync"\n\ntype Q struct {\n\tjobs sync.Map\n}\n',
        "ops.go": """package p

import "fmt"

func (q *Q) Run(id string) {
	if j, ok := q.jobs.Load(id); ok {
		fmt.Println(j)
		q.jobs.Delete(id)
	}
}
""",
    }
    results = check(tmp_path, files)
    assert [r["line"] for r in results] == [6]


def test_not_visibly_sync_map_is_silent(tmp_path: Path) -> None:
    src = """package p

import "fmt"

type loader interface {
	Load(k any) (any, bool)
	Delete(k any)
}

func F(l loader, k string) {
	if v, ok := l.Load(k); ok {
		fmt.Println(v)
		l.Delete(k)
	}
}

type sync struct{}

func (sync) Load(k any) (any, bool) { return nil, false }
func (sync) Delete(k any)            {}

type Map = sync

func G(m Map, k string) {
	if v, ok := m.Load(k); ok {
		fmt.Println(v)
		m.Delete(k)
	}
}
"""
    assert check(tmp_path, {"p.go": src}) == []


def test_delete_in_go_func_literal_is_not_the_shape(tmp_path: Path) -> None:
    src = """package p

import "sync"

var sm sync.Map

func F(k string) {
	if _, ok := sm.Load(k); ok {
		defer func() { sm.Delete(k) }()
	}
}
"""
    assert check(tmp_path, {"p.go": src}) == []


def test_embedded_sync_map(tmp_path: Path) -> None:
    src = """package p

import (
	"fmt"
	"sync"
)

type cache struct{ sync.Map }

func (c *cache) take(k string) {
	if v, ok := c.Load(k); ok {
		c.Delete(k)
		fmt.Println(v)
	}
}

type own struct{ sync.Map }

func (o *own) Delete(k any) {}

func (o *own) take(k string) {
	if v, ok := o.Load(k); ok {
		o.Delete(k)
		fmt.Println(v)
	}
}
"""
    results = check(tmp_path, {"p.go": src})
    assert [r["line"] for r in results] == [11]
    assert results[0]["fix"]["applicability"] == "safe"
