"""GMF705 syncmap-compare-uncomparable: which evidence counts, per sync.Map."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers import go_module, run_cli


def check(tmp_path: Path, files: dict[str, str]) -> list[dict[str, Any]]:
    go_module(tmp_path, files)
    code, out, err = run_cli(
        tmp_path, ["check", "--select", "GMF705", "--output-format", "json", str(tmp_path)]
    )
    assert code in (0, 1), err
    doc = json.loads(out)
    assert doc["failed"] == []
    results: list[dict[str, Any]] = doc["results"]
    return results


def test_evidence_in_another_file_for_the_same_field(tmp_path: Path) -> None:
    files = {
        "a.go": (
            'package p\n\nimport "sync"\n\ntype C struct{ m sync.Map }\n\n'
            "func (c *C) Put(k string, v map[string]int) { c.m.Store(k, v) }\n"
        ),
        "b.go": (
            "package p\n\nfunc Swap(c *C, k string, old, next any) bool {\n"
            "\treturn c.m.CompareAndSwap(k, old, next)\n}\n"
        ),
    }
    results = check(tmp_path, files)
    assert len(results) == 1
    assert Path(results[0]["path"]).name == "b.go"
    assert "map[string]int" in results[0]["message"]
    assert Path(results[0]["related"][0]["path"]).name == "a.go"


def test_struct_holding_a_slice_is_uncomparable(tmp_path: Path) -> None:
    src = """package p

import "sync"

type entry struct {
	name string
	tags []string
}

var m sync.Map

func Put(k string) { m.Store(k, entry{name: k}) }

func Del(k string, old any) { m.CompareAndDelete(k, old) }
"""
    results = check(tmp_path, {"p.go": src})
    assert len(results) == 1 and "entry" in results[0]["message"]


def test_comparable_struct_is_fine(tmp_path: Path) -> None:
    src = """package p

import "sync"

type entry struct {
	name string
	n    int
}

var m sync.Map

func Put(k string) { m.Store(k, entry{name: k}) }

func Del(k string, old any) { m.CompareAndDelete(k, old) }
"""
    assert check(tmp_path, {"p.go": src}) == []


def test_two_instances_of_a_local_map_are_different(tmp_path: Path) -> None:
    src = """package p

import "sync"

func F() {
	var a, b sync.Map
	a.Store("k", []int{1})
	b.Store("k", 1)
	b.CompareAndSwap("k", 1, 2)
	var old any
	b.CompareAndDelete("k", old)
}
"""
    assert check(tmp_path, {"p.go": src}) == []


def test_conversion_and_append_values(tmp_path: Path) -> None:
    src = """package p

import "sync"

var m sync.Map

func Put(k string, s string, xs []int) {
	m.Store(k, []byte(s))
	m.Store(k+"x", append(xs, 1))
}

func Del(k string, old any) { m.CompareAndDelete(k, old) }
"""
    results = check(tmp_path, {"p.go": src})
    assert len(results) == 1
    assert len(results[0]["related"]) == 2
