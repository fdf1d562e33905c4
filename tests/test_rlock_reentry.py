"""GMF105 rlock-reentry: which calls and acquisitions are reported, and the evidence."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers import go_module, run_cli

HEADER = """
package p

import (
	"sync"
	"time"
)

type C struct {
	mu    sync.RWMutex
	other sync.Mutex
	m     map[string]int
}

func (c *C) get(k string) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.m[k]
}

func (c *C) set(k string, v int) {
	c.mu.Lock()
	c.m[k] = v
	c.mu.Unlock()
}

var _ = time.Second
"""


def check(tmp_path: Path, body: str, extra: dict[str, str] | None = None) -> list[dict[str, Any]]:
    files = {"p.go": HEADER + body, **(extra or {})}
    go_module(tmp_path, files)
    code, out, err = run_cli(
        tmp_path, ["check", "--no-config", "--select", "GMF105", "--output-format", "json", "."]
    )
    assert code in (0, 1), err
    doc = json.loads(out)
    assert doc["failed"] == []
    results: list[dict[str, Any]] = doc["results"]
    return results


def lines(results: list[dict[str, Any]]) -> list[int]:
    return sorted(r["line"] for r in results)


def only(results: list[dict[str, Any]]) -> dict[str, Any]:
    assert len(results) == 1, [r["message"] for r in results]
    return results[0]


def line_of(tmp_path: Path, text: str, name: str = "p.go") -> int:
    for i, line in enumerate((tmp_path / name).read_text().splitlines(), start=1):
        if text in line:
            return i
    raise AssertionError(text)


def test_defer_unlock_then_locking_call_is_reported_with_evidence(tmp_path: Path) -> None:
    r = only(
        check(
            tmp_path,
            """
            func (c *C) Incr(k string) {
            	c.mu.Lock()
            	defer c.mu.Unlock()
            	c.m[k] = c.get(k) + 1
            }
            """,
        )
    )
    assert r["line"] == line_of(tmp_path, "c.m[k] = c.get(k) + 1")
    assert "c.get() takes c.mu.RLock() while c.mu.Lock() is held" in r["message"]
    assert "not reentrant" in r["message"]
    rel = {(x["line"], x["message"]) for x in r["related"]}
    assert any(m == "c.mu.Lock() taken here" for _, m in rel)
    assert (line_of(tmp_path, "c.mu.RLock()"), "get takes c.mu.RLock() here") in rel


def test_callee_lock_site_in_another_file(tmp_path: Path) -> None:
    other = """
    package p

    func (c *C) size() int {
    	c.mu.RLock()
    	defer c.mu.RUnlock()
    	return len(c.m)
    }
    """
    r = only(
        check(
            tmp_path,
            """
            func (c *C) Full() bool {
            	c.mu.Lock()
            	defer c.mu.Unlock()
            	return c.size() > 3
            }
            """,
            {"q.go": other},
        )
    )
    callee = [x for x in r["related"] if x["path"].endswith("q.go")]
    assert len(callee) == 1 and callee[0]["line"] == 4


def test_released_on_every_path_before_the_call_is_silent(tmp_path: Path) -> None:
    results = check(
        tmp_path,
        """
        func (c *C) A(k string, b bool) {
        	c.mu.Lock()
        	if b {
        		c.mu.Unlock()
        	} else {
        		c.mu.Unlock()
        	}
        	_ = c.get(k)
        }
        """,
    )
    assert results == []


def test_go_defer_and_stored_literals_do_not_count(tmp_path: Path) -> None:
    results = check(
        tmp_path,
        """
        func (c *C) A(k string) func() {
        	c.mu.Lock()
        	defer c.mu.Unlock()
        	defer c.set(k, 1)
        	go c.set(k, 2)
        	f := func() { c.set(k, 3) }
        	time.AfterFunc(time.Second, func() { c.set(k, 4) })
        	return f
        }
        """,
    )
    assert results == []


def test_argument_of_go_statement_is_evaluated_now(tmp_path: Path) -> None:
    results = check(
        tmp_path,
        """
        func use(int) {}

        func (c *C) A(k string) {
        	c.mu.Lock()
        	defer c.mu.Unlock()
        	go use(c.get(k))
        }
        """,
    )
    assert lines(results) == [line_of(tmp_path, "go use(c.get(k))")]


def test_callee_that_runs_a_literal_on_the_spot_takes_the_lock(tmp_path: Path) -> None:
    results = check(
        tmp_path,
        """
        func (c *C) viaLiteral() {
        	func() {
        		c.mu.Lock()
        		defer c.mu.Unlock()
        	}()
        }

        func (c *C) viaGo() {
        	go func() {
        		c.mu.Lock()
        		defer c.mu.Unlock()
        	}()
        }

        func (c *C) A() {
        	c.mu.Lock()
        	defer c.mu.Unlock()
        	c.viaLiteral()
        	c.viaGo()
        }
        """,
    )
    assert lines(results) == [line_of(tmp_path, "	c.viaLiteral()")]


def test_reassigned_receiver_is_another_mutex(tmp_path: Path) -> None:
    results = check(
        tmp_path,
        """
        func (c *C) Walk(next *C) {
        	c.mu.Lock()
        	defer c.mu.Unlock()
        	c = next
        	_ = c.get("x")
        }

        func (c *C) Shadow(next *C) {
        	c.mu.Lock()
        	defer c.mu.Unlock()
        	{
        		c := next
        		_ = c.get("x")
        	}
        }
        """,
    )
    assert results == []


def test_literal_releasing_the_outer_lock_then_locking_is_silent(tmp_path: Path) -> None:
    # cmd/go's vcweb shape: an immediately invoked literal trades the read lock for the
    # write lock and back.
    results = check(
        tmp_path,
        """
        func (c *C) Refresh(k string) {
        	c.mu.RLock()
        	defer c.mu.RUnlock()
        	func() {
        		c.mu.RUnlock()
        		c.mu.Lock()
        		defer func() {
        			c.mu.Unlock()
        			c.mu.RLock()
        		}()
        		c.m[k] = 1
        	}()
        }
        """,
    )
    assert results == []


def test_literal_invoked_under_the_lock_inherits_it(tmp_path: Path) -> None:
    results = check(
        tmp_path,
        """
        func (c *C) A(k string) {
        	c.mu.RLock()
        	defer c.mu.RUnlock()
        	func() {
        		c.mu.Lock()
        		c.m[k] = 1
        		c.mu.Unlock()
        	}()
        }
        """,
    )
    r = only(results)
    assert "cannot be upgraded" in r["message"]


def test_drop_and_retake_helper_and_locked_helpers_do_not_take_the_lock(tmp_path: Path) -> None:
    results = check(
        tmp_path,
        """
        func (c *C) waitForIt() {
        	c.mu.Unlock()
        	time.Sleep(time.Millisecond)
        	c.mu.Lock()
        }

        // Caller must hold c.mu; it calls get only after dropping it.
        func (c *C) flushLocked() {
        	c.m = nil
        }

        func (c *C) A() {
        	c.mu.Lock()
        	defer c.mu.Unlock()
        	c.waitForIt()
        	c.flushLocked()
        }
        """,
    )
    assert results == []


def test_transitive_chain_is_named(tmp_path: Path) -> None:
    r = only(
        check(
            tmp_path,
            """
            func (c *C) a() int { return c.b() }
            func (c *C) b() int { return c.get("k") }

            func (c *C) A() {
            	c.mu.Lock()
            	defer c.mu.Unlock()
            	_ = c.a()
            }
            """,
        )
    )
    assert "(through C.b -> C.get)" in r["message"]
    assert "move the body of get into an unlocked getLocked helper" in r["message"]


def test_recursion_under_the_lock_is_reported_once(tmp_path: Path) -> None:
    results = check(
        tmp_path,
        """
        func (c *C) Walk(n int) {
        	c.mu.Lock()
        	defer c.mu.Unlock()
        	if n > 0 {
        		c.Walk(n - 1)
        	}
        }
        """,
    )
    assert lines(results) == [line_of(tmp_path, "c.Walk(n - 1)")]


def test_modes(tmp_path: Path) -> None:
    results = check(
        tmp_path,
        """
        func (c *C) RR() {
        	c.mu.RLock()
        	defer c.mu.RUnlock()
        	_ = c.get("k")
        }

        func (c *C) RW() {
        	c.mu.RLock()
        	defer c.mu.RUnlock()
        	c.set("k", 1)
        }

        func (c *C) Other() {
        	c.other.Lock()
        	defer c.other.Unlock()
        	c.set("k", 1)
        }
        """,
    )
    assert len(results) == 2, [r["message"] for r in results]
    rr, rw = sorted(results, key=lambda r: r["line"])
    assert rr["line"] == line_of(tmp_path, '_ = c.get("k")')
    assert "recursive read lock" in rr["message"]
    assert "c.set() takes c.mu.Lock() while c.mu.RLock() is held" in rw["message"]
    assert "cannot be upgraded" in rw["message"]


def test_caller_holds_convention_needs_a_known_mutex(tmp_path: Path) -> None:
    # Two mutex fields and a doc comment naming neither: which one the caller holds is
    # not visible, so nothing is claimed; naming it in the comment makes it visible.
    results = check(
        tmp_path,
        """
        func (c *C) resetLocked() { _ = c.get("k") }

        // clearLocked empties the map; c.mu must be held.
        func (c *C) clearLocked() { _ = c.get("k") }
        """,
    )
    r = only(results)
    assert "clearLocked runs with c.mu already held by its caller" in r["message"]


def test_a_locked_callee_is_reported_inside_not_at_its_callers(tmp_path: Path) -> None:
    # By the convention, refreshLocked does not take c.mu: its callers are right to
    # call it under the lock; its own call to get is the bug, reported once, there.
    results = check(
        tmp_path,
        """
        // refreshLocked runs under c.mu.
        func (c *C) refreshLocked() { c.m["n"] = c.get("k") }

        func (c *C) Refresh() {
        	c.mu.Lock()
        	defer c.mu.Unlock()
        	c.refreshLocked()
        }
        """,
    )
    r = only(results)
    assert r["line"] == line_of(tmp_path, "func (c *C) refreshLocked()")
    assert (
        "refreshLocked runs with c.mu already held by its caller (its name says so)" in r["message"]
    )


def test_convention_method_without_lock_text_is_still_checked(tmp_path: Path) -> None:
    # Its text holds no "Lock" (no lock can be held in it), but it runs under the
    # caller's c.mu by its doc comment: the call to get still re-takes it.
    r = only(
        check(
            tmp_path,
            """
            // refresh reads an entry; the caller must hold c.mu.
            func (c *C) refresh() int {
            	return c.get("x")
            }
            """,
        )
    )
    assert r["line"] == line_of(tmp_path, 'return c.get("x")')
