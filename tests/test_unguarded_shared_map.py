"""GMF101/GMF103: which accesses count as shared and unguarded, and the guard fix's shape.

The golden cases show the main shapes end to end; these tests pin the tricky decisions of
gomapfix/facts/concurrency.py and codemods/_guard.py one by one.
"""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path
from typing import Any

import pytest
from tree_sitter import Node

from gomapfix.facts.concurrency import Concurrency
from gomapfix.facts.package import PackageModel
from gomapfix.facts.store import PackageFacts
from gomapfix.parse import node_text, parse_source
from gomapfix.query import nodes_of_types
from gomapfix.source import SourceText
from gomapfix.toolchain import find_toolchain

from helpers import go_module, run_cli

STORE = """
package p

import "sync"

type Store struct {
	mu   sync.RWMutex
	data map[string]int
}

func (s *Store) Get(k string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.data[k]
}
"""


def check(
    tmp_path: Path, files: dict[str, str], select: str = "GMF101,GMF103"
) -> list[dict[str, Any]]:
    go_module(tmp_path, files)
    code, out, err = run_cli(
        tmp_path, ["check", "--no-config", "--select", select, "--output-format", "json", "."]
    )
    assert code in (0, 1), err
    doc = json.loads(out)
    assert doc["failed"] == [], doc["failed"]
    results: list[dict[str, Any]] = doc["results"]
    return results


def fixed(tmp_path: Path, files: dict[str, str], *flags: str) -> dict[str, str]:
    go_module(tmp_path, files)
    code, _out, err = run_cli(
        tmp_path,
        ["fix", "-q", "--no-config", "--unsafe-fixes", "--select", "GMF101,GMF103", *flags, "."],
    )
    assert code in (0, 1), err
    return {p.name: p.read_text() for p in tmp_path.glob("*.go")}


def go_vet(module: Path) -> None:
    tc = find_toolchain()
    if tc is None:
        pytest.skip("no Go toolchain")
    vet = subprocess.run(
        [str(tc.go), "vet", "./..."], cwd=module, capture_output=True, text=True, env=tc.env()
    )
    assert vet.returncode == 0, vet.stdout + vet.stderr


def lines(results: list[dict[str, Any]]) -> list[int]:
    return sorted(r["line"] for r in results)


def line_of(source: str, needle: str) -> int:
    """1-based line of ``needle`` in ``source`` as go_module writes it."""
    text = textwrap.dedent(source).lstrip()
    return text[: text.index(needle)].count("\n") + 1


# What is shared, what is guarded ----------------------------------------------------------


def test_forgotten_lock_is_reported_with_the_lock_owner_and_a_guarded_access(
    tmp_path: Path,
) -> None:
    src = STORE + "\nfunc (s *Store) Put(k string) {\n\ts.data[k] = 1\n}\n"
    results = check(tmp_path, {"p.go": src})
    assert lines(results) == [line_of(src, "s.data[k] = 1")]
    related = {r["message"] for r in results[0]["related"]}
    assert any("lock owner: Store owns mu" in m for m in related)
    assert any("with s.mu held" in m for m in related)


def test_conditional_lock_counts_as_held(tmp_path: Path) -> None:
    body = """
func (s *Store) Put(k string, locked bool) {
	if !locked {
		s.mu.Lock()
		defer s.mu.Unlock()
	}
	s.data[k] = 1
}
"""
    assert check(tmp_path, {"p.go": STORE + body}) == []


def test_write_after_unlock_is_reported(tmp_path: Path) -> None:
    body = """
func (s *Store) Incr(k string) {
	s.mu.Lock()
	v := s.data[k]
	s.mu.Unlock()
	s.data[k] = v + 1
}
"""
    src = STORE + body
    assert lines(check(tmp_path, {"p.go": src})) == [line_of(src, "s.data[k] = v + 1")]


def test_helper_called_only_under_the_lock_is_protected(tmp_path: Path) -> None:
    body = """
func (s *Store) set(k string) {
	s.data[k] = 1
}

func (s *Store) Set(k string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.set(k)
}
"""
    assert check(tmp_path, {"p.go": STORE + body}) == []
    # One call without the lock: the helper is not protected any more, and the fix is
    # withheld because locking inside it would deadlock Set.
    unlocked = body + "\nfunc (s *Store) Other(k string) {\n\ts.set(k)\n}\n"
    results = check(tmp_path, {"p.go": STORE + unlocked})
    assert lines(results) == [line_of(STORE + unlocked, "s.data[k] = 1")]
    assert results[0]["fix"] is None
    assert "also called with a lock held" in results[0]["message"]


@pytest.mark.parametrize(
    "doc",
    [
        "// s.mu must be held.",
        "// Requires s.mu.",
        "// The caller must hold s.mu.",
        "// Assumes the lock is held.",
        "// must be called with s.mu locked",
        "// Lock is assumed held.",
        "// Lock held on entry.",
    ],
)
def test_doc_comment_conventions(tmp_path: Path, doc: str) -> None:
    body = f"\n{doc}\nfunc (s *Store) Put(k string) {{\n\ts.data[k] = 1\n}}\n"
    assert check(tmp_path, {"p.go": STORE + body}) == []


def test_lock_helper_methods_silence_the_function(tmp_path: Path) -> None:
    body = """
func (s *Store) lock() { s.mu.Lock() }

func (s *Store) unlock() { s.mu.Unlock() }

func (s *Store) Put(k string) {
	s.lock()
	defer s.unlock()
	s.data[k] = 1
}
"""
    assert check(tmp_path, {"p.go": STORE + body}) == []


def test_map_mostly_unguarded_is_not_claimed_guarded(tmp_path: Path) -> None:
    # One locked access against three unlocked functions: the mutex guards something
    # else (phases of a compiler, single-goroutine ownership...), not this map.
    body = """
func (s *Store) A(k string) { s.data[k] = 1 }

func (s *Store) B(k string) { delete(s.data, k) }

func (s *Store) C() int { return len(s.data) }
"""
    assert check(tmp_path, {"p.go": STORE + body}) == []


def test_copying_the_map_under_a_lock_is_no_evidence(tmp_path: Path) -> None:
    files = {
        "p.go": """
package p

import "sync"

type Config struct {
	mu    sync.Mutex
	names map[string]int
}

func (c *Config) Clone() *Config {
	c.mu.Lock()
	defer c.mu.Unlock()
	return &Config{names: c.names}
}

func (c *Config) Build() {
	c.names["x"] = 1
}
"""
    }
    assert check(tmp_path, files) == []


def test_unguarded_access_in_test_files_is_not_reported(tmp_path: Path) -> None:
    files = {
        "p.go": STORE
        + "\nfunc (s *Store) Put(k string) {\n\ts.mu.Lock()\n\ts.data[k] = 1\n\ts.mu.Unlock()\n}\n",
        "p_test.go": (
            "package p\n\nfunc dump(s *Store) {\n"
            "\tfor k := range s.data {\n\t\tdelete(s.data, k)\n\t}\n}\n"
        ),
    }
    assert check(tmp_path, files) == []


def test_constructor_and_once_writes_are_not_shared(tmp_path: Path) -> None:
    body = """
func New() *Store {
	s := &Store{data: map[string]int{}}
	s.data["a"] = 1
	s.fill()
	return s
}

func (s *Store) fill() { s.data["b"] = 2 }

var once sync.Once

func (s *Store) Lazy() {
	once.Do(func() {
		s.data["c"] = 3
	})
}
"""
    assert check(tmp_path, {"p.go": STORE + body}) == []


def test_build_tag_twins_keep_the_locked_convention(tmp_path: Path) -> None:
    twin = "package p\n\nfunc (s *Store) putLocked(k string) {\n\ts.data[k] = {n}\n}\n"
    files = {
        "p.go": STORE
        + "\nfunc (s *Store) Put(k string) {\n"
        + "\ts.mu.Lock()\n\ts.putLocked(k)\n\ts.mu.Unlock()\n}\n",
        "p_linux.go": twin.replace("{n}", "1"),
        "p_windows.go": twin.replace("{n}", "2"),
    }
    assert check(tmp_path, files) == []


# Goroutines ----------------------------------------------------------------------------


def test_local_map_read_by_the_parent_while_the_goroutine_writes(tmp_path: Path) -> None:
    files = {
        "p.go": """
package p

func F() int {
	m := map[int]int{}
	go func() {
		m[1] = 1
	}()
	return len(m)
}

func G() int {
	m := map[int]int{}
	done := make(chan bool)
	go func() {
		m[1] = 1
		done <- true
	}()
	<-done
	return len(m)
}
"""
    }
    results = check(tmp_path, files)
    assert lines(results) == [line_of(files["p.go"], "m[1] = 1")]
    assert "captures it" in results[0]["message"]


def test_loop_that_waits_each_iteration_is_confined(tmp_path: Path) -> None:
    files = {
        "p.go": """
package p

import "sync"

func F(n int) {
	m := map[int]int{}
	for i := 0; i < n; i++ {
		m[i] = i
		var wg sync.WaitGroup
		for r := 0; r < 4; r++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range m {
				}
			}()
		}
		wg.Wait()
	}
}
"""
    }
    assert check(tmp_path, files) == []


def test_package_map_written_by_one_goroutine_only_is_not_shared(tmp_path: Path) -> None:
    files = {
        "p.go": """
package p

var seen = map[int]bool{}

func worker(ch chan int) {
	for v := range ch {
		seen[v] = true
	}
}

func Start(ch chan int) {
	go worker(ch)
}
"""
    }
    assert check(tmp_path, files) == []


def test_goroutine_started_in_a_loop_races_with_itself(tmp_path: Path) -> None:
    files = {
        "p.go": """
package p

var seen = map[int]bool{}

func worker(v int) {
	seen[v] = true
}

func Start(vs []int) {
	for _, v := range vs {
		go worker(v)
	}
}
"""
    }
    results = check(tmp_path, files)
    assert lines(results) == [line_of(files["p.go"], "seen[v] = true")]
    assert "several at once" in results[0]["message"]


def test_struct_goroutine_joined_by_its_spawner_is_not_shared(tmp_path: Path) -> None:
    files = {
        "p.go": """
package p

type B struct {
	extra map[string]int
	done  chan bool
}

func (b *B) run() {
	go func() {
		b.extra["n"] = 1
		b.done <- true
	}()
	<-b.done
}

func (b *B) Report(k string) int { return b.extra[k] }
"""
    }
    assert check(tmp_path, files) == []


# The guard fix ----------------------------------------------------------------------------


def test_package_fix_spans_files_in_one_atomic_fix(tmp_path: Path) -> None:
    files = {
        "a.go": """
package p

import "net/http"

var hits = map[string]int{}

func handle(w http.ResponseWriter, r *http.Request) {
	hits[r.URL.Path] = 1
}
""",
        "b.go": """
package p

func Hits(path string) int {
	return hits[path]
}
""",
    }
    results = check(tmp_path, files)
    fix = results[0]["fix"]
    assert {e["path"].rsplit("/", 1)[-1] for e in fix["edits"]} == {"a.go", "b.go"}
    out = fixed(tmp_path / "fixed", files)
    assert "var hitsMu sync.RWMutex" in out["a.go"] and '"sync"' in out["a.go"]
    assert (
        "hitsMu.RLock()\n\thitsVal := hits[path]\n\thitsMu.RUnlock()\n\treturn hitsVal"
        in out["b.go"]
    )
    go_vet(tmp_path / "fixed")


def test_both_rules_share_one_fix_per_function(tmp_path: Path) -> None:
    body = """
func (s *Store) Put(k string) {
	s.mu.Lock()
	s.data[k] = 1
	s.mu.Unlock()
}

func (s *Store) Sweep() {
	for k, v := range s.data {
		if v == 0 {
			delete(s.data, k)
		}
	}
}
"""
    results = check(tmp_path, {"p.go": STORE + body})
    assert sorted(r["code"] for r in results) == ["GMF101", "GMF103"]
    assert results[0]["fix"]["edits"] == results[1]["fix"]["edits"]
    out = fixed(tmp_path / "fixed", {"p.go": STORE + body})
    assert out["p.go"].count("s.mu.Lock()") == 2  # Put's, and one around the whole loop
    assert "s.mu.RLock()\n\tfor" not in out["p.go"]
    go_vet(tmp_path / "fixed")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (
            """
func (s *Store) Find(v int) string {
	for k, x := range s.data {
		if x == v {
			goto found
		}
	}
	return ""
found:
	return "x"
}
""",
            "goto",
        ),
        (
            """
func (s *Store) First() int {
	for _, v := range s.data {
		return s.data["a"] + v
	}
	return 0
}
""",
            "reads the map",
        ),
        (
            """
func (s *Store) Pick(p *struct{ id string }) int {
	s.data["y"] = 1
	if len(s.data) > 10 {
		return 1
	} else if p != nil && s.data[p.id] > 0 {
		return 2
	}
	return 0
}
""",
            "conditionally",
        ),
    ],
)
def test_guard_fix_refusals(tmp_path: Path, body: str, reason: str) -> None:
    writer = (
        "\nfunc (s *Store) Put(k string) {\n\ts.mu.Lock()\n\ts.data[k] = 1\n\ts.mu.Unlock()\n}\n"
    )
    files = {"p.go": STORE + writer + body}
    results = check(tmp_path, files)
    assert results, "expected a finding"
    assert all(r["fix"] is None for r in results)
    assert any(reason in r["message"] for r in results), [r["message"] for r in results]


def test_consecutive_statements_share_one_lock_section(tmp_path: Path) -> None:
    body = """
func (s *Store) Move(a, b string) int {
	s.data[b] = s.data[a]
	delete(s.data, a)
	return s.data[b]
}
"""
    out = fixed(tmp_path, {"p.go": STORE + body})
    assert (
        "\ts.mu.Lock()\n\ts.data[b] = s.data[a]\n\tdelete(s.data, a)\n"
        "\tdataVal := s.data[b]\n\ts.mu.Unlock()\n\treturn dataVal\n"
    ) in out["p.go"]
    go_vet(tmp_path)


def test_wrapper_style_on_a_local_map_says_why_there_is_no_fix(tmp_path: Path) -> None:
    files = {
        "p.go": """
package p

import "sync"

func F(ks []int) map[int]int {
	m := map[int]int{}
	var wg sync.WaitGroup
	for _, k := range ks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m[k] = k
		}()
	}
	wg.Wait()
	return m
}
"""
    }
    go_module(tmp_path, files)
    _code, out, _err = run_cli(
        tmp_path,
        [
            "check",
            "--no-config",
            "--select",
            "GMF101",
            "--fix-style",
            "wrapper",
            "--output-format",
            "json",
            ".",
        ],
    )
    results = json.loads(out)["results"]
    assert len(results) == 1 and results[0]["fix"] is None
    assert "not local maps" in results[0]["message"]


def test_handler_reaches_the_store_through_an_interface(tmp_path: Path) -> None:
    files = {
        "p.go": """
package p

import "net/http"

type Store interface{ Record(name string) }

type memStore struct {
	wins map[string]int
}

func (m *memStore) Record(name string) {
	m.wins[name]++
}

type Server struct{ store Store }

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.store.Record(r.URL.Path)
}

func New() *Server { return &Server{store: &memStore{wins: map[string]int{}}} }
"""
    }
    results = check(tmp_path, files)
    assert len(results) == 1
    assert (
        "concurrent requests run it on the same value, and calls Record" in (results[0]["message"])
    )
    out = fixed(tmp_path / "fixed", files)
    assert "winsMu sync.RWMutex" in out["p.go"] and "m.winsMu.Lock()" in out["p.go"]
    go_vet(tmp_path / "fixed")


def test_unkeyed_literal_blocks_a_new_field(tmp_path: Path) -> None:
    files = {
        "p.go": """
package p

type Pool struct {
	jobs    chan string
	results map[string]int
}

func NewPool() *Pool { return &Pool{make(chan string), map[string]int{}} }

func (p *Pool) Run(n int) {
	for i := 0; i < n; i++ {
		go p.work()
	}
}

func (p *Pool) work() {
	for j := range p.jobs {
		p.results[j] = len(j)
	}
}
"""
    }
    results = check(tmp_path, files)
    assert len(results) == 1 and results[0]["fix"] is None
    assert "unkeyed composite literal" in results[0]["message"]


def test_a_test_setting_package_state_is_no_evidence(tmp_path: Path) -> None:
    files = {
        "p.go": """
package p

var flags = map[string]bool{"a": true}

func Flags() []string {
	var out []string
	for k := range flags {
		out = append(out, k)
	}
	return out
}

func Serve(n int) {
	for i := 0; i < n; i++ {
		go Flags()
	}
}
""",
        "p_test.go": """
package p

import "testing"

func TestFlags(t *testing.T) {
	flags["b"] = true
	Serve(2)
}
""",
    }
    assert check(tmp_path, files) == []


# The cheap first stage (Concurrency.may_race) -----------------------------------------------

GOLDEN = Path(__file__).resolve().parent.parent / "golden"


def _concurrency(files: dict[str, bytes]) -> Concurrency:
    parsed = [parse_source(SourceText(name, text)) for name, text in sorted(files.items())]
    name = next(p.package for p in parsed if p.package and not p.package.endswith("_test"))
    model = PackageModel.build(".", name, [p for p in parsed if p.package == name])
    return Concurrency(PackageFacts(model))


def _map_exprs(conc: Concurrency) -> list[Node]:
    kinds = frozenset({"identifier", "selector_expression"})
    return [n for f in conc.files for n in nodes_of_types(kinds, f.root)]


def test_maps_without_goroutines_or_lock_owners_skip_the_analysis() -> None:
    src = b"""package p

var hits = map[string]int{}

type Cache struct {
	items map[string]int
}

func (c *Cache) Put(k string) {
	c.items[k] = 1
	hits[k]++
	local := map[string]int{}
	f := func() { local[k] = 1 }
	f()
}
"""
    conc = _concurrency({"p.go": src})
    assert not any(conc.may_race(n) for n in _map_exprs(conc))
    assert not conc._complete  # the call graph and the accesses were never built


def test_may_race_keeps_goroutine_captures_and_lock_owners() -> None:
    src = b"""package p

import "sync"

type Store struct {
	mu   sync.Mutex
	data map[string]int
}

type Plain struct {
	items map[string]int
	seen  map[string]int
}

var global Plain

func Run(s *Store, p *Plain) {
	results := map[int]int{}
	other := map[int]int{}
	go func() {
		results[1] = 1
		p.items["x"] = 1
	}()
	other[1] = 1
	s.data["k"] = 1
	p.items["k"] = 1
	p.seen["k"] = 1
	global.seen["k"] = 1
}
"""
    conc = _concurrency({"p.go": src})
    racy = {node_text(n) for n in _map_exprs(conc) if conc.may_race(n)}
    # Captured by the goroutine, guarded by a lock owner, used in the goroutine, or a
    # field of a package-level value: all may race.
    assert {"results", "s.data", "p.items", "global.seen"} <= racy
    # A local that no goroutine names, and a field of a parameter that no goroutine
    # touches (and no lock guards) cannot show evidence.
    assert not {"other", "p.seen"} & racy


@pytest.mark.parametrize(
    "case",
    sorted(
        p
        for rule in ("unguarded-shared-map-write", "unguarded-shared-map-range")
        for p in (GOLDEN / rule).iterdir()
        if p.is_dir()
    ),
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_may_race_holds_wherever_evidence_exists(case: Path) -> None:
    files = {str(p): p.read_bytes() for p in sorted(case.glob("*.go"))}
    conc = _concurrency(files)
    conc.access_at(conc.files[0].root)  # completes the analysis
    for target in conc.targets.values():
        for access in target.accesses:
            evidence = conc.write_evidence(access) or conc.range_evidence(access)
            if evidence is not None:
                assert conc.may_race(access.expr), (target.label, access.what)
