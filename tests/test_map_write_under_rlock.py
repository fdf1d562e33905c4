"""GMF102 map-write-under-rlock: which writes are reported, and the fix's safety."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers import go_module, run_cli

HEADER = """
package p

import "sync"

type C struct {
	mu    sync.RWMutex
	other sync.RWMutex
	m     map[string]int
	n     map[string]int
	cb    func(string)
}

func (c *C) get(k string) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.m[k]
}

func (c *C) plain() int { return 1 }

func work() {}
"""


def check(tmp_path: Path, body: str) -> list[dict[str, Any]]:
    go_module(tmp_path, {"p.go": HEADER + body})
    code, out, err = run_cli(
        tmp_path, ["check", "--select", "GMF102", "--output-format", "json", "."]
    )
    assert code in (0, 1), err
    doc = json.loads(out)
    assert doc["failed"] == []
    results: list[dict[str, Any]] = doc["results"]
    return results


def only(results: list[dict[str, Any]]) -> dict[str, Any]:
    assert len(results) == 1, [r["message"] for r in results]
    return results[0]


def edits(result: dict[str, Any]) -> list[tuple[int, str]]:
    return [(e["line"], e["content"]) for e in result["fix"]["edits"]]


def test_reentrant_call_downgrades(tmp_path: Path) -> None:
    r = only(
        check(
            tmp_path,
            """
func (c *C) F(k string) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	c.m[k] = c.get(k)
}
""",
        )
    )
    assert r["fix"]["applicability"] == "unsafe"
    assert "c.get" in r["fix"]["note"] and "deadlock" in r["fix"]["note"]


def test_call_without_lock_stays_safe(tmp_path: Path) -> None:
    r = only(
        check(
            tmp_path,
            """
func (c *C) F(k string) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	c.m[k] = c.plain()
	work()
}
""",
        )
    )
    assert r["fix"]["applicability"] == "safe"
    assert [c for _, c in edits(r)] == ["Lock", "Unlock"]


def test_call_after_release_does_not_count(tmp_path: Path) -> None:
    r = only(
        check(
            tmp_path,
            """
func (c *C) F(k string) {
	c.mu.RLock()
	delete(c.m, k)
	c.mu.RUnlock()
	c.get(k)
}
""",
        )
    )
    assert r["fix"]["applicability"] == "safe"


def test_function_value_downgrades(tmp_path: Path) -> None:
    r = only(
        check(
            tmp_path,
            """
func (c *C) F(k string) {
	c.mu.RLock()
	c.cb(k)
	delete(c.m, k)
	c.mu.RUnlock()
}
""",
        )
    )
    assert r["fix"]["applicability"] == "unsafe"
    assert "function value c.cb" in r["fix"]["note"]


def test_lock_leaving_the_function_downgrades(tmp_path: Path) -> None:
    r = only(
        check(
            tmp_path,
            """
func (c *C) F(k string) func() {
	c.mu.RLock()
	delete(c.m, k)
	return c.mu.RUnlock
}
""",
        )
    )
    assert r["fix"]["applicability"] == "unsafe"
    assert "not in this function" in r["fix"]["note"]


def test_nested_rlock_of_same_mutex_downgrades(tmp_path: Path) -> None:
    r = only(
        check(
            tmp_path,
            """
func (c *C) F(k string) {
	c.mu.RLock()
	c.mu.RLock()
	c.mu.RUnlock()
	delete(c.m, k)
	c.mu.RUnlock()
}
""",
        )
    )
    assert r["fix"]["applicability"] == "unsafe"
    assert "locked again" in r["fix"]["note"]


def test_early_return_and_final_release_all_rewritten(tmp_path: Path) -> None:
    r = only(
        check(
            tmp_path,
            """
func (c *C) F(k string) {
	c.mu.RLock()
	if k == "" {
		c.mu.RUnlock()
		return
	}
	c.m[k]++
	c.mu.RUnlock()
}
""",
        )
    )
    assert r["fix"]["applicability"] == "safe"
    assert [c for _, c in edits(r)] == ["Lock", "Unlock", "Unlock"]


def test_unlock_relock_in_loop_rewrites_both_acquisitions(tmp_path: Path) -> None:
    r = only(
        check(
            tmp_path,
            """
func (c *C) F(keys []string) {
	c.mu.RLock()
	for _, k := range keys {
		delete(c.m, k)
		c.mu.RUnlock()
		work()
		c.mu.RLock()
	}
	c.mu.RUnlock()
}
""",
        )
    )
    assert r["fix"]["applicability"] == "safe"
    assert [c for _, c in edits(r)] == ["Lock", "Unlock", "Lock", "Unlock"]


def test_silent_shapes(tmp_path: Path) -> None:
    results = check(
        tmp_path,
        """
// A write lock of another mutex is held: that one guards the write.
func (c *C) A(k string) {
	c.mu.RLock()
	c.other.Lock()
	c.n[k] = 1
	c.other.Unlock()
	c.mu.RUnlock()
}

// A map reached from another variable.
func (c *C) B(d *C, k string) {
	c.mu.RLock()
	delete(d.m, k)
	c.mu.RUnlock()
}

// A local map.
func (c *C) D() map[string]int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := map[string]int{}
	for k := range c.m {
		out[k]++
	}
	return out
}

// The write runs in a function literal, which starts with no lock held.
func (c *C) E(k string) {
	c.mu.RLock()
	f := func() { delete(c.m, k) }
	c.mu.RUnlock()
	f()
}

// Not visibly a map: no claim.
func (c *C) G(s []int) {
	c.mu.RLock()
	s[0] = 1
	c.mu.RUnlock()
}
""",
    )
    assert results == []


def test_conditional_lock_is_not_held_after_the_branch(tmp_path: Path) -> None:
    results = check(
        tmp_path,
        """
func (c *C) F(k string, read bool) {
	if read {
		c.mu.RLock()
	} else {
		c.mu.Lock()
	}
	c.m[k] = 1
}
""",
    )
    assert results == []
