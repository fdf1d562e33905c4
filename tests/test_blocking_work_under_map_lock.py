"""GMF302 blocking-work-under-map-lock: what counts as blocking, and when the fix is offered."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers import go_module, run_cli

HEADER = """
package p

import (
	"context"
	"io"
	"sync"
	"time"
)

type canceler interface{ cancel() }

type S struct {
	mu       sync.Mutex
	rw       sync.RWMutex
	conns    map[string]io.Closer
	cancels  map[string]context.CancelFunc
	children map[canceler]bool
	cbs      map[int]func(string)
	ch       chan string
	onClose  func(io.Closer)
}

func (s *S) take(k string) {
	s.mu.Lock()
	delete(s.conns, k)
	s.mu.Unlock()
}

func (s *S) plain(k string) {}
"""


def check(tmp_path: Path, body: str, *flags: str) -> list[dict[str, Any]]:
    go_module(tmp_path, {"p.go": HEADER + body})
    code, out, err = run_cli(
        tmp_path, ["check", "--select", "GMF302", "--output-format", "json", *flags, "."]
    )
    assert code in (0, 1), err
    doc = json.loads(out)
    assert doc["failed"] == []
    results: list[dict[str, Any]] = doc["results"]
    return results


def only(results: list[dict[str, Any]]) -> dict[str, Any]:
    assert len(results) == 1, [r["message"] for r in results]
    return results[0]


def test_select_with_default_is_not_blocking_but_without_is(tmp_path: Path) -> None:
    results = check(
        tmp_path,
        """
func (s *S) A() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range s.conns {
		select {
		case s.ch <- k:
		default:
		}
	}
}

func (s *S) B() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range s.conns {
		select {
		case s.ch <- k:
		case <-s.ch:
		}
	}
}
""",
    )
    r = only(results)
    lines = (tmp_path / "p.go").read_text().splitlines()
    b_start = lines.index("func (s *S) B() {")
    assert r["line"] == b_start + 4  # the loop of B (1-based line of its for)
    assert "channel send on s.ch" in r["message"]


def test_work_after_an_unlock_in_the_body_is_not_under_the_lock(tmp_path: Path) -> None:
    results = check(
        tmp_path,
        """
func (s *S) A() {
	s.mu.Lock()
	for k, c := range s.conns {
		s.mu.Unlock()
		c.Close()
		s.mu.Lock()
		delete(s.conns, k)
	}
	s.mu.Unlock()
}
""",
    )
    assert results == []


def test_method_named_cancel_is_not_a_cancel_func(tmp_path: Path) -> None:
    # context.go's parent->child cancel propagation: a method, by design.
    results = check(
        tmp_path,
        """
func (s *S) A() {
	s.mu.Lock()
	for child := range s.children {
		child.cancel()
	}
	s.mu.Unlock()
}
""",
    )
    assert results == []


def test_cancel_funcs_callbacks_and_what_never_blocks(tmp_path: Path) -> None:
    results = check(
        tmp_path,
        """
type job struct {
	cancel func()
	timer  *time.Timer
}

func (s *S) A(jobs map[string]*job) {
	s.mu.Lock()
	for _, f := range s.cancels {
		f() // context.CancelFunc: returns at once
	}
	for _, cancel := range s.cancels {
		cancel()
	}
	s.mu.Unlock()
}

func (s *S) B(msg string) {
	s.mu.Lock()
	for _, cb := range s.cbs {
		cb(msg)
	}
	s.mu.Unlock()
}

var (
	gmu  sync.Mutex
	jobs map[string]*job
)

func C() {
	gmu.Lock()
	for _, j := range jobs {
		j.timer.Stop() // time.Timer: returns at once
		j.cancel()
	}
	gmu.Unlock()
}
""",
    )
    messages = sorted(r["message"] for r in results)
    assert len(messages) == 2, messages
    assert "the cancel function j.cancel runs with gmu held" in messages[0]
    assert "the callback cb from s.cbs" in messages[1]


def test_reentrant_call_and_other_mutex(tmp_path: Path) -> None:
    results = check(
        tmp_path,
        """
func (s *S) A() {
	s.mu.Lock()
	for k := range s.conns {
		s.take(k)
	}
	s.mu.Unlock()
}

func (s *S) B() {
	s.rw.Lock()
	for k := range s.conns {
		s.take(k)
		s.plain(k)
	}
	s.rw.Unlock()
}
""",
    )
    r = only(results)
    assert "s.take takes s.mu again" in r["message"]


def test_local_map_and_unrelated_owner_are_silent(tmp_path: Path) -> None:
    results = check(
        tmp_path,
        """
func (s *S) A(other *S, local map[string]io.Closer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range local {
		c.Close()
	}
	for _, c := range other.conns {
		c.Close()
	}
}
""",
    )
    assert results == []


def test_nested_guarded_range_is_reported_once(tmp_path: Path) -> None:
    results = check(
        tmp_path,
        """
func (s *S) A() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range s.cancels {
		for _, c := range s.conns {
			c.Close()
		}
	}
}
""",
    )
    r = only(results)
    assert "s.conns" in r["message"]


def test_moved_work_reading_state_changed_before_unlock_gets_no_fix(tmp_path: Path) -> None:
    results = check(
        tmp_path,
        """
func (s *S) A() {
	s.mu.Lock()
	for _, c := range s.conns {
		s.onClose(c)
		c.Close()
	}
	s.onClose = nil
	s.mu.Unlock()
}
""",
    )
    r = only(results)
    assert r["fix"] is None
    assert "s.onClose changes between the loop and the unlock" in r["message"]


def test_fix_edits_and_safety(tmp_path: Path) -> None:
    results = check(
        tmp_path,
        """
func (s *S) A() {
	s.rw.RLock()
	for _, c := range s.conns {
		c.Close()
	}
	s.rw.RUnlock()
}
""",
    )
    r = only(results)
    assert "with s.rw.RLock() held" in r["message"]
    fix = r["fix"]
    assert fix["applicability"] == "unsafe"
    assert "after s.rw.RUnlock()" in fix["note"]
    contents = [e["content"] for e in fix["edits"]]
    assert "\tvictims := make([]io.Closer, 0, len(s.conns))\n" in contents
    assert "victims = append(victims, c)" in contents
    assert "\tfor _, c := range victims {\n\t\tc.Close()\n\t}\n" in contents


def test_fixed_output_compiles_shape(tmp_path: Path) -> None:
    go_module(
        tmp_path,
        {
            "p.go": HEADER
            + """
func (s *S) A() {
	s.mu.Lock()
	for k, c := range s.conns {
		c.Close()
		delete(s.conns, k)
	}
	for k := range s.conns {
		s.ch <- k
	}
	s.mu.Unlock()
}
"""
        },
    )
    for _ in range(3):
        run_cli(tmp_path, ["fix", "-q", "--unsafe-fixes", "--select", "GMF302", "."])
    text = (tmp_path / "p.go").read_text()
    # Two loops in one section: the second fix picks its own name.
    assert "victims := make([]io.Closer, 0, len(s.conns))" in text
    assert "keys := make([]string, 0, len(s.conns))" in text
    # The moved work keeps the loops' order: closes first, then the sends.
    assert text.index("for _, c := range victims") < text.index("for _, k := range keys")
    assert text.index("s.mu.Unlock()") < text.index("for _, c := range victims")
    code, out, _ = run_cli(tmp_path, ["check", "--select", "GMF302", "."])
    assert code == 0, out


def test_lock_taken_only_in_a_later_callback_is_not_a_reentry(tmp_path: Path) -> None:
    # grpc-go's startWatchTimersLocked: the lock is taken in a time.AfterFunc callback,
    # which runs later, not under the caller's lock.
    results = check(
        tmp_path,
        """
func (s *S) armLocked(k string) {
	go func() {
		s.take(k)
	}()
	func() {}()
	_ = func() {
		s.mu.Lock()
		defer s.mu.Unlock()
	}
}

func (s *S) indirect(k string) { s.take(k) }

func (s *S) A() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range s.conns {
		s.armLocked(k)
	}
}

func (s *S) B() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range s.conns {
		s.indirect(k)
	}
}
""",
    )
    r = only(results)
    assert "s.indirect takes s.mu again" in r["message"]


def test_locally_made_channels_are_not_claimed(tmp_path: Path) -> None:
    results = check(
        tmp_path,
        """
func (s *S) A() {
	s.mu.Lock()
	defer s.mu.Unlock()
	sem := make(chan int, 4)
	for k := range s.conns {
		sem <- 1
		go func() {
			defer func() { <-sem }()
			_ = k
		}()
	}
}

func (s *S) B(out chan<- string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range s.conns {
		out <- k
	}
}
""",
    )
    r = only(results)
    assert "channel send on out" in r["message"]
