"""The lock-state analysis (gomapfix.facts.locks): held locks per statement, releases."""

from __future__ import annotations

import textwrap

from tree_sitter import Node

from gomapfix.facts.locks import (
    READ,
    WRITE,
    FunctionLocks,
    HeldLock,
    analyze_function,
    call_acquires,
    caller_holds_lock,
    lock_state,
    locks_held_at,
)
from gomapfix.facts.package import PackageModel
from gomapfix.facts.store import PackageFacts
from gomapfix.parse import ParsedFile, parse_source
from gomapfix.source import SourceText
from gomapfix.syntax import walk


def parse(body: str) -> ParsedFile:
    text = "package p\n\n" + textwrap.dedent(body).lstrip()
    return parse_source(SourceText("p.go", text.encode()))


def func(parsed: ParsedFile, name: str) -> Node:
    for top in parsed.root.named_children:
        if top.type in ("function_declaration", "method_declaration"):
            n = top.child_by_field_name("name")
            if n is not None and n.text == name.encode():
                return top
    raise AssertionError(name)


def calls(fn: Node, text: str) -> list[Node]:
    """Call expressions of ``fn`` written exactly ``text``, in source order."""
    return [n for n in walk(fn) if n.type == "call_expression" and n.text == text.encode()]


def held(locks: FunctionLocks, node: Node) -> set[tuple[str, str]]:
    return {(h.mutex, h.mode) for h in locks.held_at(node)}


def analyze(src: str, name: str = "f") -> tuple[Node, FunctionLocks]:
    fn = func(parse(src), name)
    return fn, analyze_function(fn)


def test_plain_pair_and_releases() -> None:
    fn, locks = analyze(
        """
        func f() {
        	a()
        	s.mu.RLock()
        	b()
        	s.mu.RUnlock()
        	c()
        }
        """
    )
    assert held(locks, calls(fn, "a()")[0]) == set()
    assert held(locks, calls(fn, "b()")[0]) == {("s.mu", READ)}
    assert held(locks, calls(fn, "c()")[0]) == set()
    acq = calls(fn, "s.mu.RLock()")[0]
    assert locks.releases(acq) == tuple(calls(fn, "s.mu.RUnlock()"))
    assert not locks.escapes(acq)
    (h,) = locks.acquisitions
    assert h == HeldLock("s.mu", READ, acq)


def test_defer_keeps_lock_to_the_end_and_is_a_release() -> None:
    fn, locks = analyze(
        """
        func f() int {
        	mu.Lock()
        	defer mu.Unlock()
        	if x {
        		return 1
        	}
        	b()
        	return 2
        }
        """
    )
    assert held(locks, calls(fn, "b()")[0]) == {("mu", WRITE)}
    acq = calls(fn, "mu.Lock()")[0]
    assert locks.releases(acq) == tuple(calls(fn, "mu.Unlock()"))
    assert locks.release_records(acq)[0].deferred
    assert not locks.escapes(acq)


def test_deferred_closure_unlock() -> None:
    fn, locks = analyze(
        """
        func f() {
        	mu.RLock()
        	defer func() {
        		mu.RUnlock()
        	}()
        	b()
        }
        """
    )
    acq = calls(fn, "mu.RLock()")[0]
    assert locks.releases(acq) == tuple(calls(fn, "mu.RUnlock()"))
    assert held(locks, calls(fn, "b()")[0]) == {("mu", READ)}


def test_early_return_release_in_branch() -> None:
    fn, locks = analyze(
        """
        func f() {
        	s.mu.RLock()
        	if x {
        		s.mu.RUnlock()
        		return
        	}
        	b()
        	s.mu.RUnlock()
        	c()
        }
        """
    )
    assert held(locks, calls(fn, "b()")[0]) == {("s.mu", READ)}
    assert held(locks, calls(fn, "c()")[0]) == set()
    acq = calls(fn, "s.mu.RLock()")[0]
    assert locks.releases(acq) == tuple(calls(fn, "s.mu.RUnlock()"))
    assert len(locks.releases(acq)) == 2
    assert not locks.escapes(acq)


def test_branch_that_falls_through_unlocked_drops_the_lock() -> None:
    fn, locks = analyze(
        """
        func f() {
        	mu.Lock()
        	if x {
        		mu.Unlock()
        	}
        	b()
        	switch y {
        	case 1:
        		mu.Lock()
        	default:
        		mu.Lock()
        		break
        	}
        	c()
        }
        """
    )
    assert held(locks, calls(fn, "b()")[0]) == set()
    # Two different acquisitions, one per case: neither is held in every branch.
    assert held(locks, calls(fn, "c()")[0]) == set()


def test_switch_cases_that_return_do_not_count() -> None:
    fn, locks = analyze(
        """
        func f() {
        	mu.RLock()
        	switch y {
        	case 1:
        		mu.RUnlock()
        		return
        	case 2:
        		mu.RUnlock()
        		panic("x")
        	default:
        	}
        	b()
        	select {
        	case <-ch:
        		mu.RUnlock()
        		return
        	case <-done:
        	}
        	c()
        }
        """
    )
    assert held(locks, calls(fn, "b()")[0]) == {("mu", READ)}
    assert held(locks, calls(fn, "c()")[0]) == {("mu", READ)}


def test_switch_without_default_falls_through_with_entry_state() -> None:
    fn, locks = analyze(
        """
        func f() {
        	switch y {
        	case 1:
        		mu.Lock()
        	}
        	b()
        }
        """
    )
    assert held(locks, calls(fn, "b()")[0]) == set()
    acq = calls(fn, "mu.Lock()")[0]
    assert locks.escapes(acq)
    assert locks.releases(acq) == ()


def test_loops_use_entry_state() -> None:
    fn, locks = analyze(
        """
        func f() {
        	mu.RLock()
        	for i := 0; i < 3; i++ {
        		a()
        		mu.RUnlock()
        		b()
        		mu.RLock()
        	}
        	c()
        	mu.RUnlock()
        }
        """
    )
    assert held(locks, calls(fn, "a()")[0]) == {("mu", READ)}
    assert held(locks, calls(fn, "b()")[0]) == set()
    assert held(locks, calls(fn, "c()")[0]) == {("mu", READ)}
    first, second = calls(fn, "mu.RLock()")
    top, bottom = calls(fn, "mu.RUnlock()")
    # The re-acquisition is released by the next iteration (back edge) or after the loop.
    assert locks.releases(second) == (top, bottom)
    assert locks.releases(first) == (top, bottom)
    assert not locks.escapes(first) and not locks.escapes(second)


def test_infinite_loop_without_break_does_not_fall_through() -> None:
    fn, locks = analyze(
        """
        func f() {
        	for {
        		mu.Lock()
        		if x {
        			mu.Unlock()
        			return
        		}
        		mu.Unlock()
        	}
        	dead()
        }
        """
    )
    acq = calls(fn, "mu.Lock()")[0]
    assert len(locks.releases(acq)) == 2
    assert not locks.escapes(acq)


def test_func_literal_starts_unlocked_and_is_its_own_function() -> None:
    parsed = parse(
        """
        func f() {
        	mu.Lock()
        	go func() {
        		inner()
        	}()
        	mu.Unlock()
        }
        """
    )
    fn = func(parsed, "f")
    facts = PackageFacts(PackageModel.build(".", "p", [parsed]))
    inner = calls(fn, "inner()")[0]
    assert locks_held_at(facts, inner) == frozenset()
    try:
        lock_state(facts, fn).held_at(inner)
    except ValueError:
        pass
    else:
        raise AssertionError("held_at accepted a node of a nested function")
    # The literal itself is a value made under the lock of the statement around it.
    literal = next(n for n in walk(fn) if n.type == "func_literal")
    assert {(h.mutex, h.mode) for h in lock_state(facts, fn).held_at(literal)} == {("mu", "W")}


def test_deferred_release_attaches_to_lock_held_at_exit() -> None:
    fn, locks = analyze(
        """
        func f() {
        	mu.RLock()
        	defer mu.RUnlock()
        	if ok {
        		return
        	}
        	mu.RUnlock()
        	mu.Lock()
        	w()
        	mu.Unlock()
        	mu.RLock()
        }
        """
    )
    first, second = calls(fn, "mu.RLock()")
    deferred, explicit = calls(fn, "mu.RUnlock()")
    assert set(locks.releases(first)) == {deferred, explicit}
    assert locks.releases(second) == (deferred,)
    assert held(locks, calls(fn, "w()")[0]) == {("mu", WRITE)}
    assert set(locks.released_by(deferred)) == {locks.acquisition(first), locks.acquisition(second)}


def test_labeled_break_out_of_switch_in_loop() -> None:
    fn, locks = analyze(
        """
        func f() {
        	mu.Lock()
        loop:
        	for {
        		switch x {
        		case 1:
        			break loop
        		}
        	}
        	a()
        	mu.Unlock()
        }
        """
    )
    assert held(locks, calls(fn, "a()")[0]) == {("mu", WRITE)}


def test_unmatched_release_is_recorded() -> None:
    _, locks = analyze(
        """
        func (s *S) unlockAll() {
        	s.mu.Unlock()
        }
        """,
        "unlockAll",
    )
    assert [c.mutex for c in locks.unmatched_releases] == ["s.mu"]


def test_entry_locks() -> None:
    fn = func(
        parse(
            """
            func (s *S) putLocked() {
            	a()
            	s.mu.Unlock()
            	b()
            }
            """
        ),
        "putLocked",
    )
    entry = frozenset({HeldLock("s.mu", WRITE, None)})
    locks = analyze_function(fn, entry)
    assert held(locks, calls(fn, "a()")[0]) == {("s.mu", WRITE)}
    assert held(locks, calls(fn, "b()")[0]) == set()
    assert caller_holds_lock(fn)


def test_caller_holds_lock_doc_comment() -> None:
    parsed = parse(
        """
        // evict drops the oldest entry. The caller must hold c.mu.
        func (c *C) evict() {}

        // get returns the entry.
        func (c *C) get() {}
        """
    )
    assert caller_holds_lock(func(parsed, "evict"))
    assert not caller_holds_lock(func(parsed, "get"))


def test_call_acquires_through_receiver_and_package_funcs() -> None:
    parsed = parse(
        """
        import "sync"

        var gmu sync.Mutex

        type S struct {
        	mu sync.RWMutex
        	m  map[string]int
        }

        func (s *S) get(k string) int {
        	s.mu.RLock()
        	defer s.mu.RUnlock()
        	return s.m[k]
        }

        func (s *S) indirect(k string) int { return s.get(k) }

        func (s *S) plain() int { return 1 }

        func global() { gmu.Lock(); gmu.Unlock() }

        func lockArg(x *S) { x.mu.Lock(); x.mu.Unlock() }

        func (s *S) caller(o *S) {
        	s.get("a")
        	s.indirect("a")
        	s.plain()
        	global()
        	lockArg(o)
        	o.get("b")
        }
        """
    )
    facts = PackageFacts(PackageModel.build(".", "p", [parsed]))
    fn = func(parsed, "caller")

    def acq(text: str) -> set[tuple[str, str]]:
        return set(call_acquires(facts, calls(fn, text)[0]))

    assert acq('s.get("a")') == {("s.mu", READ)}
    assert acq('s.indirect("a")') == {("s.mu", READ)}
    assert acq("s.plain()") == set()
    assert acq("global()") == {("gmu", WRITE)}
    assert acq("lockArg(o)") == {("o.mu", WRITE)}
    assert acq('o.get("b")') == {("o.mu", READ)}


def test_synchronous_acquires_leave_out_callbacks_and_indexed_arguments() -> None:
    parsed = parse(
        """
        import (
        	"sync"
        	"time"
        )

        type S struct{ mu sync.Mutex }

        func (s *S) later() { time.AfterFunc(time.Second, func() { s.mu.Lock(); s.mu.Unlock() }) }

        func (s *S) now() { s.mu.Lock(); s.mu.Unlock() }

        func lockArg(x *S) { x.mu.Lock(); x.mu.Unlock() }

        type pool struct{ all []*S }

        func (s *S) caller(p pool) {
        	s.later()
        	s.now()
        	lockArg(p.all[0])
        }
        """
    )
    facts = PackageFacts(PackageModel.build(".", "p", [parsed]))
    fn = func(parsed, "caller")

    def acq(text: str, synchronous: bool) -> set[tuple[str, str]]:
        return set(call_acquires(facts, calls(fn, text)[0], synchronous))

    # The callback may run later, not under the caller's lock: only "may" counts it.
    assert acq("s.later()", False) == {("s.mu", WRITE)}
    assert acq("s.later()", True) == set()
    assert acq("s.now()", False) == acq("s.now()", True) == {("s.mu", WRITE)}
    # A rule claiming a deadlock names a mutex only through a plain selector path.
    assert acq("lockArg(p.all[0])", False) == {("p.all[0].mu", WRITE)}
    assert acq("lockArg(p.all[0])", True) == set()
