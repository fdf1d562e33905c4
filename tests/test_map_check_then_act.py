"""GMF104 map-check-then-act: what makes a check and an act a pair, and what breaks it."""

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
	m     map[string]*int
	other map[string]*int
}

func compute(string) *int { return new(int) }
"""


def check(tmp_path: Path, body: str) -> list[dict[str, Any]]:
    go_module(tmp_path, {"p.go": HEADER + body})
    code, out, err = run_cli(
        tmp_path, ["check", "--no-config", "--select", "GMF104", "--output-format", "json", "."]
    )
    assert code in (0, 1), err
    doc = json.loads(out)
    assert doc["failed"] == []
    results: list[dict[str, Any]] = doc["results"]
    return results


def line_of(tmp_path: Path, text: str) -> int:
    for i, line in enumerate((tmp_path / "p.go").read_text().splitlines(), start=1):
        if text in line:
            return i
    raise AssertionError(text)


def only(results: list[dict[str, Any]]) -> dict[str, Any]:
    assert len(results) == 1, [r["message"] for r in results]
    return results[0]


CLASSIC = """
func (c *C) F(k string) {
	c.mu.RLock()
	_, ok := c.m[k]
	c.mu.RUnlock()
	if !ok {
		%s
		c.mu.Lock()
		%s
		c.m[k] = compute(k)
		c.mu.Unlock()
	}
}
"""


def classic(between: str = "_ = 0", inside: str = "_ = 1") -> str:
    return CLASSIC % (between, inside)


def test_classic_shape_with_related_locations(tmp_path: Path) -> None:
    r = only(check(tmp_path, classic()))
    assert r["line"] == line_of(tmp_path, "c.m[k] = compute(k)")
    assert r["fix"] is None
    rel = [(x["line"], x["message"]) for x in r["related"]]
    assert rel == [
        (line_of(tmp_path, "_, ok := c.m[k]"), "presence check of c.m[k] under c.mu.RLock()"),
        (line_of(tmp_path, "c.mu.RLock()"), "first section: c.mu.RLock()"),
        (line_of(tmp_path, "c.mu.Lock()"), "second section: c.mu.Lock()"),
    ]


def test_key_changed_between_check_and_act_breaks_the_pair(tmp_path: Path) -> None:
    assert check(tmp_path / "a", classic(between='k = k + "x"')) == []
    assert check(tmp_path / "b", classic(between="for k = range c.other {\n\t\t}")) == []
    assert check(tmp_path / "c", classic(between='p := &k\n\t\t*p = "y"')) == []
    # Reading k is fine.
    assert len(check(tmp_path / "d", classic(between="println(k)"))) == 1


def test_any_look_at_the_key_in_the_second_section_is_a_recheck(tmp_path: Path) -> None:
    assert check(tmp_path / "a", classic(inside="if c.m[k] != nil {\n\t\t\treturn\n\t\t}")) == []
    assert check(tmp_path / "b", classic(inside="_ = c.m[k]")) == []
    # A condition on something else is no re-check.
    assert (
        len(check(tmp_path / "c", classic(inside="if c.other == nil {\n\t\t\treturn\n\t\t}"))) == 1
    )
    # Reading the key before the second Lock is no re-check either.
    assert len(check(tmp_path / "d", classic(between="_ = c.m[k]"))) == 1


def test_result_reassigned_or_shadowed_breaks_the_dependency(tmp_path: Path) -> None:
    reassigned = check(
        tmp_path / "a",
        """
        func (c *C) F(k string, b bool) {
        	c.mu.RLock()
        	_, ok := c.m[k]
        	c.mu.RUnlock()
        	ok = b
        	if !ok {
        		c.mu.Lock()
        		c.m[k] = compute(k)
        		c.mu.Unlock()
        	}
        }
        """,
    )
    assert reassigned == []
    shadowed = check(
        tmp_path / "b",
        """
        func (c *C) F(k string, b bool) {
        	c.mu.RLock()
        	_, ok := c.m[k]
        	c.mu.RUnlock()
        	_ = ok
        	if ok := b; !ok {
        		c.mu.Lock()
        		c.m[k] = compute(k)
        		c.mu.Unlock()
        	}
        }
        """,
    )
    assert shadowed == []


def test_early_exit_must_exit(tmp_path: Path) -> None:
    body = """
    func (c *C) F(k string) {
    	c.mu.RLock()
    	v := c.m[k]
    	c.mu.RUnlock()
    	if v != nil {
    		%s
    	}
    	c.mu.Lock()
    	c.m[k] = compute(k)
    	c.mu.Unlock()
    }
    """
    assert len(check(tmp_path / "a", body % "return")) == 1
    assert check(tmp_path / "b", body % "println(*v)") == []


def test_value_only_counts_as_presence_when_compared_with_zero(tmp_path: Path) -> None:
    results = check(
        tmp_path,
        """
        func (c *C) F(k string) {
        	c.mu.RLock()
        	v := c.m[k]
        	c.mu.RUnlock()
        	if *v > 3 {
        		c.mu.Lock()
        		c.m[k] = compute(k)
        		c.mu.Unlock()
        	}
        }
        """,
    )
    assert results == []


def test_one_section_or_a_loop_back_edge_is_not_two_sections(tmp_path: Path) -> None:
    results = check(
        tmp_path,
        """
        func (c *C) F(keys []string) {
        	for _, k := range keys {
        		c.mu.Lock()
        		if _, ok := c.m[k]; !ok {
        			c.m[k] = compute(k)
        		}
        		c.mu.Unlock()
        	}
        }
        """,
    )
    assert results == []


def test_act_in_a_nested_literal_is_not_this_function(tmp_path: Path) -> None:
    results = check(
        tmp_path,
        """
        func (c *C) F(k string, run func(func())) {
        	c.mu.RLock()
        	_, ok := c.m[k]
        	c.mu.RUnlock()
        	if !ok {
        		run(func() {
        			c.mu.Lock()
        			c.m[k] = compute(k)
        			c.mu.Unlock()
        		})
        	}
        }
        """,
    )
    assert results == []


def test_map_not_owned_by_the_mutex_is_silent(tmp_path: Path) -> None:
    results = check(
        tmp_path,
        """
        func (c *C) F(k string, m map[string]*int) {
        	c.mu.RLock()
        	_, ok := m[k]
        	c.mu.RUnlock()
        	if !ok {
        		c.mu.Lock()
        		m[k] = compute(k)
        		c.mu.Unlock()
        	}
        }
        """,
    )
    assert results == []


def test_delete_message(tmp_path: Path) -> None:
    r = only(
        check(
            tmp_path,
            """
            func (c *C) F(k string) {
            	c.mu.RLock()
            	_, ok := c.m[k]
            	c.mu.RUnlock()
            	if ok {
            		c.mu.Lock()
            		delete(c.m, k)
            		c.mu.Unlock()
            	}
            }
            """,
        )
    )
    assert r["message"].startswith("check-then-act: delete of c.m[k] under a second c.mu.Lock()")
