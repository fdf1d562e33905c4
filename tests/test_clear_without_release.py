"""GMF402 clear-without-release: the three shapes, the reassignment evidence, the gates."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from gomapfix.codemods.clear_without_release import ClearWithoutRelease

from gomapfix.analysis import AnalysisOptions, analyze_directory
from gomapfix.finding import Finding
from gomapfix.goversion import GoVersion

HEADER = """package p

import (
	"context"
	"net"
	"sync"
	"time"
)

var _ = context.Background
var _ net.Conn
var _ sync.Mutex
var _ time.Duration

type pool struct {
	mu     sync.Mutex
	conns  map[string]net.Conn
	timers map[string]*time.Timer
	names  map[string]*string
}
"""


STORES = """

func (p *pool) fillStores(c net.Conn) {
	p.conns["k"], _ = net.Dial("tcp", "x")
	p.timers["k"] = time.NewTimer(time.Second)
	m["k"] = open()
}
"""


def findings(src: str, minor: int = 24) -> list[Finding]:
    text = (HEADER + textwrap.dedent(src) + STORES).encode()
    options = AnalysisOptions(codemods=(ClearWithoutRelease,), go_version=GoVersion(1, minor))
    result = analyze_directory(Path("/tmp/p"), {"p.go": text}, ["p.go"], options)
    assert result["p.go"].error is None, result["p.go"].error
    return result["p.go"].findings


def test_clear_is_a_builtin_only_from_go_121() -> None:
    src = "func (p *pool) reset() {\n\tclear(p.conns)\n}\n"
    assert len(findings(src, 21)) == 1
    assert findings(src, 20) == []


@pytest.mark.parametrize(
    ("src", "reported"),
    [
        # a reset-like name: the map may hold entries
        ("func (p *pool) Reset() {\n\tp.conns = make(map[string]net.Conn)\n}\n", True),
        ("func (p *pool) Close() {\n\tp.timers = nil\n}\n", True),
        # used earlier in the function
        (
            "func (p *pool) swap(n int) int {\n\tk := len(p.conns)\n"
            "\tp.conns = map[string]net.Conn{}\n\treturn k + n\n}\n",
            True,
        ),
        # no evidence: an initialiser that happens not to be a constructor
        ("func (p *pool) serve() {\n\tp.conns = make(map[string]net.Conn)\n}\n", False),
        # constructors
        (
            "func newPool() *pool {\n\tp := &pool{}\n\tp.conns = make(map[string]net.Conn)\n"
            "\treturn p\n}\n",
            False,
        ),
        ("func (p *pool) initReset() {\n\tp.conns = make(map[string]net.Conn)\n}\n", False),
        # lazy initialisation
        (
            "func (p *pool) Reset() {\n\tif p.conns == nil {\n"
            "\t\tp.conns = make(map[string]net.Conn)\n\t}\n}\n",
            False,
        ),
        # a non-empty literal may carry entries over
        (
            "func (p *pool) Reset(k string) {\n\tp.conns = map[string]net.Conn{k: p.conns[k]}\n}\n",
            False,
        ),
        # a local map filled, then replaced
        (
            'func f() {\n\tm := map[string]net.Conn{}\n\tm["a"], _ = net.Dial("tcp", "x")\n'
            "\tm = make(map[string]net.Conn)\n\t_ = m\n}\n",
            True,
        ),
        # a local map never written before
        (
            "func f() map[string]net.Conn {\n\tvar m map[string]net.Conn\n"
            "\tm = make(map[string]net.Conn)\n\treturn m\n}\n",
            False,
        ),
        # values that need no release
        ("func (p *pool) Reset() {\n\tp.names = nil\n\tclear(p.names)\n}\n", False),
    ],
)
def test_reassignment_needs_evidence_of_entries(src: str, reported: bool) -> None:
    assert (len(findings(src)) == 1) is reported


@pytest.mark.parametrize(
    "src",
    [
        # released in a loop before
        "func (p *pool) Reset() {\n\tfor _, c := range p.conns {\n\t\tc.Close()\n\t}\n"
        "\tclear(p.conns)\n}\n",
        # handed over
        "func (p *pool) Reset() map[string]net.Conn {\n\told := p.conns\n"
        "\tp.conns = make(map[string]net.Conn)\n\treturn old\n}\n",
        # passed to a helper
        "func closeAll(m map[string]net.Conn) {}\n\nfunc (p *pool) Reset() {\n"
        "\tcloseAll(p.conns)\n\tclear(p.conns)\n}\n",
        # a helper that ranges over a map of that name and releases
        "func (p *pool) stopAll() {\n\tfor _, t := range p.timers {\n\t\tt.Stop()\n\t}\n}\n\n"
        "func (p *pool) Reset() {\n\tp.stopAll()\n\tclear(p.timers)\n}\n",
        # values collected for release after the unlock
        "func (p *pool) Reset() {\n\tp.mu.Lock()\n\tvar cs []net.Conn\n"
        "\tfor _, c := range p.conns {\n\t\tcs = append(cs, c)\n\t}\n\tclear(p.conns)\n"
        "\tp.mu.Unlock()\n\tfor _, c := range cs {\n\t\tc.Close()\n\t}\n}\n",
    ],
)
def test_released_values_are_silent(src: str) -> None:
    assert findings(src) == []


def test_fix_under_lock_collects_and_releases_after_unlock() -> None:
    src = "func (p *pool) Reset() {\n\tp.mu.Lock()\n\tclear(p.timers)\n\tp.mu.Unlock()\n}\n"
    found = findings(src)
    assert len(found) == 1 and found[0].fix is not None
    text = (HEADER + src + STORES).encode()
    for edit in sorted(found[0].fix.edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.text + text[edit.end :]
    out = text.decode()[len(HEADER) : -len(STORES)]
    assert out == (
        "func (p *pool) Reset() {\n\tp.mu.Lock()\n\tvar staleTimers []*time.Timer\n"
        "\tfor _, timer := range p.timers {\n\t\tstaleTimers = append(staleTimers, timer)\n\t}\n"
        "\tclear(p.timers)\n\tp.mu.Unlock()\n\tfor _, timer := range staleTimers {\n"
        "\t\ttimer.Stop()\n\t}\n}\n"
    )


def test_deferred_unlock_gives_no_fix() -> None:
    src = "func (p *pool) Reset() {\n\tp.mu.Lock()\n\tdefer p.mu.Unlock()\n\tclear(p.conns)\n}\n"
    found = findings(src)
    assert len(found) == 1 and found[0].fix is None
    assert "no fix: p.mu is unlocked by a deferred call" in found[0].message


def test_delete_all_loop_with_value_var_is_not_the_shape() -> None:
    src = (
        "func (p *pool) Reset() {\n\tfor k, c := range p.conns {\n\t\t_ = c\n"
        "\t\tdelete(p.conns, k)\n\t}\n}\n"
    )
    assert findings(src) == []
