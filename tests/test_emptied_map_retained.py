"""GMF601 emptied-map-retained: long-lived maps, aliasing (escapes), deliberate reuse."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers import go_module, run_cli


def check(tmp_path: Path, files: dict[str, str], go: str = "1.24") -> list[dict[str, Any]]:
    go_module(tmp_path, files, go=go)
    code, out, err = run_cli(
        tmp_path, ["check", "--select", "GMF601", "--output-format", "json", str(tmp_path)]
    )
    assert code in (0, 1), err
    doc = json.loads(out)
    assert doc["failed"] == []
    results: list[dict[str, Any]] = doc["results"]
    return results


HEAD = """package p

import "fmt"

var _ = fmt.Println

type S struct {
	m map[string]int
}

func (s *S) Reset() {
	clear(s.m)
}
"""


def reset_finding(tmp_path: Path, extra: str) -> dict[str, Any]:
    results = [r for r in check(tmp_path, {"p.go": HEAD + extra}) if r["line"] == 12]
    assert len(results) == 1, results
    return results[0]


def test_fix_offered_when_nothing_escapes(tmp_path: Path) -> None:
    r = reset_finding(tmp_path, "\nfunc (s *S) Len() int { return len(s.m) }\n")
    assert r["fix"]["applicability"] == "unsafe"
    assert [e["content"] for e in r["fix"]["edits"]] == ["s.m = make(map[string]int)"]


def test_passed_to_a_goroutine_withholds(tmp_path: Path) -> None:
    r = reset_finding(
        tmp_path,
        "\nfunc work(m map[string]int) {}\n\nfunc (s *S) Start() { go work(s.m) }\n",
    )
    assert r["fix"] is None
    assert "passed to work" in r["message"]
    assert r["related"], "the escape is shown as a related location"


def test_closure_reading_the_field_is_not_an_escape(tmp_path: Path) -> None:
    # The closure reads s.m when it runs, so it sees the new map.
    r = reset_finding(
        tmp_path,
        "\nfunc (s *S) Start() {\n\tgo func() { fmt.Println(len(s.m)) }()\n}\n",
    )
    assert r["fix"] is not None


def test_sent_on_channel_withholds(tmp_path: Path) -> None:
    r = reset_finding(tmp_path, "\nfunc (s *S) Send(c chan map[string]int) { c <- s.m }\n")
    assert r["fix"] is None and "sent on a channel" in r["message"]


def test_composite_literal_element_withholds(tmp_path: Path) -> None:
    r = reset_finding(
        tmp_path,
        "\ntype W struct{ inner map[string]int }\n\n"
        "func (s *S) Wrap() W { return W{inner: s.m} }\n",
    )
    assert r["fix"] is None and "composite literal" in r["message"]


def test_set_from_parameter_withholds(tmp_path: Path) -> None:
    r = reset_finding(tmp_path, "\nfunc (s *S) Use(m map[string]int) { s.m = m }\n")
    assert r["fix"] is None and "set from a value other code may hold" in r["message"]


def test_set_from_make_or_literal_is_fine(tmp_path: Path) -> None:
    r = reset_finding(
        tmp_path,
        "\nfunc New() *S { return &S{m: map[string]int{}} }\n\n"
        "func (s *S) Init() { s.m = make(map[string]int, 8) }\n",
    )
    assert r["fix"] is not None


def test_unknown_owner_with_same_field_name_withholds(tmp_path: Path) -> None:
    # x's type is not visible: x.m might be this very field.
    r = reset_finding(
        tmp_path,
        "\nfunc Leak(x interface{ M() }) any { return get().m }\n\nfunc get() *S { return nil }\n",
    )
    # get() is a call: its type is not visible, so .m may be S.m
    assert r["fix"] is None


def test_other_struct_field_of_same_name_does_not_withhold(tmp_path: Path) -> None:
    r = reset_finding(
        tmp_path,
        "\ntype T struct{ m map[string]int }\n\nfunc (t *T) M() map[string]int { return t.m }\n",
    )
    assert r["fix"] is not None


def test_reuse_idioms_are_silent(tmp_path: Path) -> None:
    src = """package p

type S struct {
	m   map[int]bool
	buf []int
}

func (s *S) fill(ks []int) {
	clear(s.m)
	for _, k := range ks {
		s.m[k] = true
	}
}

func (s *S) reset() {
	clear(s.m)
	s.buf = s.buf[:0]
}

func (s *S) rounds(n int) {
	for i := 0; i < n; i++ {
		clear(s.m)
	}
}
"""
    assert check(tmp_path, {"p.go": src}) == []


def test_service_loop_is_reported(tmp_path: Path) -> None:
    src = """package p

import "time"

var seen = map[string]bool{}

func Janitor(t *time.Ticker, stop chan struct{}) {
	for {
		select {
		case <-t.C:
			clear(seen)
		case <-stop:
			return
		}
	}
}
"""
    results = check(tmp_path, {"p.go": src})
    assert [r["line"] for r in results] == [11]


def test_type_from_another_file_needs_the_same_import(tmp_path: Path) -> None:
    files = {
        "a.go": 'package p\n\nimport "net/url"\n\nvar byHost map[string]*url.URL\n',
        "b.go": "package p\n\nfunc Reset() {\n\tclear(byHost)\n}\n",
        "c.go": (
            'package p\n\nimport "net/url"\n\nvar _ *url.URL\n\n'
            "func Reset2() {\n\tfor k := range byHost {\n\t\tdelete(byHost, k)\n\t}\n}\n"
        ),
    }
    results = {Path(r["path"]).name: r for r in check(tmp_path, files)}
    assert results["b.go"]["fix"] is None, "b.go does not import net/url"
    assert "not usable" in results["b.go"]["message"]
    assert [e["content"] for e in results["c.go"]["fix"]["edits"]] == [
        "byHost = make(map[string]*url.URL)"
    ]


def test_local_struct_and_value_param_roots(tmp_path: Path) -> None:
    src = """package p

type S struct{ m map[string]int }

func Local() {
	s := &S{m: map[string]int{}}
	clear(s.m)
}

func Value(s S) {
	clear(s.m)
}
"""
    results = check(tmp_path, {"p.go": src})
    assert [r["line"] for r in results] == [11], "a local owner is not long-lived"
    assert results[0]["fix"] is None and "copy" in results[0]["message"]


def test_package_var_initialised_from_another_map_withholds(tmp_path: Path) -> None:
    src = """package p

var defaults = map[string]int{"a": 1}

var current = defaults

func Reset() {
	clear(current)
}

func Reset2() {
	clear(defaults)
}
"""
    results = {r["line"]: r for r in check(tmp_path, {"p.go": src})}
    assert results[8]["fix"] is None
    assert "set from a value other code may hold" in results[8]["message"]
    assert results[12]["fix"] is None
    assert "assigned to another variable" in results[12]["message"]


def test_local_var_shadowing_a_package_var_is_not_its_alias(tmp_path: Path) -> None:
    src = """package p

var cache = map[string]int{}

func F(other map[string]int) int {
	var cache = other
	return len(cache)
}

func Reset() {
	clear(cache)
}
"""
    (r,) = check(tmp_path, {"p.go": src})
    assert r["fix"] is not None
