"""GMF303 lazy-map-iterator-escapes-lock: escape analysis, version gate, fix forms."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers import go_module, run_cli

HEADER = """
package p

import (
	"iter"
	"maps"
	"sync"
)

type S struct {
	mu sync.RWMutex
	m  map[string]int
}
"""


def check(
    tmp_path: Path, body: str, go: str = "1.24", header: str = HEADER
) -> list[dict[str, Any]]:
    go_module(tmp_path, {"p.go": header + body}, go=go)
    code, out, err = run_cli(
        tmp_path, ["check", "--select", "GMF303", "--output-format", "json", "."]
    )
    assert code in (0, 1), err
    doc = json.loads(out)
    assert doc["failed"] == []
    results: list[dict[str, Any]] = doc["results"]
    return results


RETURNED = """
func (s *S) Keys() iter.Seq[string] {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return maps.Keys(s.m)
}
"""


def test_reported_from_go123_only(tmp_path: Path) -> None:
    assert len(check(tmp_path / "a", RETURNED, go="1.23")) == 1
    assert check(tmp_path / "b", RETURNED, go="1.22") == []


def test_other_maps_package_is_not_the_std_one(tmp_path: Path) -> None:
    header = HEADER.replace('"maps"', 'maps "golang.org/x/exp/maps"')
    assert check(tmp_path, RETURNED, header=header) == []


def test_lock_leaving_the_function_is_not_claimed(tmp_path: Path) -> None:
    body = """
func (s *S) Keys() iter.Seq[string] {
	s.mu.RLock()
	return maps.Keys(s.m)
}
"""
    assert check(tmp_path, body) == []


def test_local_variable_returned_after_explicit_unlock(tmp_path: Path) -> None:
    body = """
func (s *S) Keys() iter.Seq[string] {
	s.mu.RLock()
	it := maps.Keys(s.m)
	s.mu.RUnlock()
	return it
}

func (s *S) Fine() int {
	s.mu.RLock()
	it := maps.Keys(s.m)
	n := 0
	for range it {
		n++
	}
	s.mu.RUnlock()
	it = nil
	return n
}
"""
    results = check(tmp_path, body)
    assert len(results) == 1
    assert "it is returned and consumed after s.mu.RUnlock()" in results[0]["message"]
    assert results[0]["related"][0]["message"] == "the iterator escapes the lock here"


def test_goroutine_argument_escapes(tmp_path: Path) -> None:
    body = """
func consume(seq iter.Seq[int]) {
	for range seq {
	}
}

func (s *S) Async() {
	s.mu.Lock()
	defer s.mu.Unlock()
	go consume(maps.Values(s.m))
	consume(maps.Values(s.m))
}
"""
    results = check(tmp_path, body)
    assert len(results) == 1
    assert "handed to a goroutine" in results[0]["message"]


def test_fix_keeps_the_iterator_type(tmp_path: Path) -> None:
    body = """
func (s *S) Keys() any {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return maps.Keys(s.m)
}

func (s *S) All() iter.Seq2[string, int] {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return maps.All(s.m)
}
"""
    go_module(tmp_path, {"p.go": HEADER + body})
    code, _, err = run_cli(tmp_path, ["fix", "-q", "--select", "GMF303", "."])
    assert code in (0, 1), err
    text = (tmp_path / "p.go").read_text()
    # Even behind `any`, the dynamic type stays iter.Seq[string].
    assert "return slices.Values(slices.Collect(maps.Keys(s.m)))" in text
    assert "return maps.All(maps.Clone(s.m))" in text
    assert '\t"slices"\n' in text
    code, out, _ = run_cli(tmp_path, ["check", "--select", "GMF303", "."])
    assert code == 0, out


def test_maps_shadowed_by_a_local_is_not_the_package(tmp_path: Path) -> None:
    body = """
type fake struct{}

func (fake) Keys(m map[string]int) iter.Seq[string] { return nil }

func (s *S) Keys() iter.Seq[string] {
	s.mu.RLock()
	defer s.mu.RUnlock()
	maps := fake{}
	return maps.Keys(s.m)
}
"""
    assert check(tmp_path, body) == []
