"""GMF401 delete-without-release: value types, the release evidence, the lock shapes."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from gomapfix.codemods.delete_without_release import DeleteWithoutRelease

from gomapfix.analysis import AnalysisOptions, analyze_directory
from gomapfix.finding import Finding
from gomapfix.fix import Applicability
from gomapfix.goversion import GoVersion

HEADER = """package p

import (
	"context"
	"io"
	"net"
	"os"
	"sync"
	"time"
)

var _ = context.Background
var _ io.Closer
var _ net.Conn
var _ *os.File
var _ sync.Mutex
var _ time.Duration
"""


# The rule only judges maps the package fills with values it creates (see
# map_owns_values): every map name the snippets use is filled here.
STORES = """

func fillStores() {
	m["k"] = open()
	cancels["k"] = open()
	s.conns[1] = open()
	s.timers["k"] = open()
	r.files["k"] = open()
	r.bodies["k"] = open()
}
"""


def findings(
    src: str, minor: int = 24, header: str = HEADER, stores: str = STORES
) -> list[Finding]:
    text = (header + textwrap.dedent(src) + stores).encode()
    options = AnalysisOptions(codemods=(DeleteWithoutRelease,), go_version=GoVersion(1, minor))
    result = analyze_directory(Path("/tmp/p"), {"p.go": text}, ["p.go"], options)
    assert result["p.go"].error is None, result["p.go"].error
    return result["p.go"].findings


def fixed_text(src: str, minor: int = 24) -> str:
    """The fix of the single finding, applied to the source (edits are byte ranges)."""
    text = (HEADER + textwrap.dedent(src)).encode()
    found = findings(src, minor)
    assert len(found) == 1, found
    fix = found[0].fix
    assert fix is not None, found[0].message
    for edit in sorted(fix.edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.text + text[edit.end :]
    return text.decode()[len(HEADER) :]


DELETE = """
type closer struct{}

func (closer) Close() error {{ return nil }}

type stopper struct{{}}

func (s *stopper) Stop() {{}}

type canceller struct{{}}

func (c *canceller) Cancel() {{}}

type withArg struct{{}}

func (w *withArg) Close(force bool) {{}}

type iface interface {{ Close() error; Name() string }}

type embeds interface {{ io.Closer }}

type plain struct{{ n int }}

type alias = *time.Timer

func f(m map[string]{t}, k string) {{
	delete(m, k)
}}
""".replace("{{", "{").replace("}}", "}")


@pytest.mark.parametrize(
    ("value", "advice"),
    [
        ("context.CancelFunc", "value is a context.CancelFunc: call it"),
        ("context.CancelCauseFunc", "value is a context.CancelCauseFunc: call it"),
        ("*time.Timer", "value is a *time.Timer: call Stop"),
        ("*time.Ticker", "value is a *time.Ticker: call Stop"),
        ("*os.File", "value is a *os.File: call Close"),
        ("net.Conn", "value is a net.Conn: call Close"),
        ("net.Listener", "value is a net.Listener: call Close"),
        ("io.ReadCloser", "value is a io.ReadCloser: call Close"),
        ("closer", "value is a closer: call Close"),
        ("*closer", "value is a *closer: call Close"),
        ("*stopper", "value is a *stopper: call Stop"),
        ("*canceller", "value is a *canceller: call Cancel"),
        ("iface", "value is a iface: call Close"),
        ("embeds", "value is a embeds: call Close"),
        ("alias", "value is a *time.Timer: call Stop"),
    ],
)
def test_value_types_that_need_release(value: str, advice: str) -> None:
    found = findings(DELETE.replace("{t}", value))
    assert len(found) == 1
    assert advice in found[0].message
    assert found[0].fix is not None
    assert found[0].fix.applicability is Applicability.UNSAFE


@pytest.mark.parametrize(
    "value",
    [
        "*plain",  # no release method
        "plain",
        "*withArg",  # Close takes an argument: not a release we can call
        "time.Timer",  # a Timer value, not the *Timer time.NewTimer returns
        "*net.Conn",  # pointer to an interface
        "*int",
        "func()",  # not visibly a CancelFunc
        "struct{}",
        "io.Reader",
    ],
)
def test_value_types_left_alone(value: str) -> None:
    assert findings(DELETE.replace("{t}", value)) == []


def test_import_alias_is_resolved_and_unknown_qualifier_is_not() -> None:
    header = 'package p\n\nimport tm "time"\n\nvar _ tm.Duration\n'
    src = "func f(m map[int]*tm.Timer) {\n\tdelete(m, 1)\n}\n"
    found = findings(src, header=header)
    assert len(found) == 1 and "*time.Timer: call Stop" in found[0].message
    other = 'package p\n\nimport time "example.com/fake/time"\n\nvar _ time.X\n'
    assert findings("func f(m map[int]*time.Timer) {\n\tdelete(m, 1)\n}\n", header=other) == []


OWNERSHIP = """
type hub struct{{ clients map[int]*os.File }}

{store}

func (h *hub) remove(id int) {{
	delete(h.clients, id)
}}
""".replace("{{", "{").replace("}}", "}")


@pytest.mark.parametrize(
    ("store", "reported"),
    [
        ("func (h *hub) add(id int, name string) {\n\th.clients[id], _ = os.Open(name)\n}", True),
        (
            "func (h *hub) add(id int, name string) {\n\tf, err := os.Open(name)\n"
            "\tif err == nil {\n\t\th.clients[id] = f\n\t}\n}",
            True,
        ),
        ("func (h *hub) add(id int) {\n\th.clients[id] = os.Stdin\n}", False),
        # a registry: values owned by the caller
        ("func (h *hub) add(id int, f *os.File) {\n\th.clients[id] = f\n}", False),
        # never filled in the package: cannot judge
        ("", False),
        # one store from a parameter is enough to make it a registry
        (
            "func (h *hub) add(id int, f *os.File) {\n\th.clients[id] = f\n}\n\n"
            "func (h *hub) open(id int, name string) {\n\th.clients[id], _ = os.Open(name)\n}",
            False,
        ),
    ],
)
def test_only_maps_that_own_their_values(store: str, reported: bool) -> None:
    found = findings(OWNERSHIP.replace("{store}", store), stores="")
    assert (len(found) == 1) is reported


def test_type_parameter_values_are_not_claimed() -> None:
    src = "func f[V io.Closer](m map[string]V, k string) {\n\tdelete(m, k)\n}\n"
    assert findings(src) == []


RELEASED = [
    # released through a loaded variable, before or after the delete
    """
    func f(m map[string]*time.Timer, k string) {
    	t := m[k]
    	delete(m, k)
    	t.Stop()
    }
    """,
    # called through the map
    """
    func f(m map[string]context.CancelFunc, k string) {
    	m[k]()
    	delete(m, k)
    }
    """,
    # handed over: returned
    """
    func f(m map[string]net.Conn, k string) net.Conn {
    	c, ok := m[k]
    	if !ok {
    		return nil
    	}
    	delete(m, k)
    	return c
    }
    """,
    # handed over: passed to a call
    """
    func f(m map[string]net.Conn, k string, out chan<- net.Conn) {
    	if c, ok := m[k]; ok {
    		out <- c
    	}
    	delete(m, k)
    }
    """,
    # range value released
    """
    func f(m map[string]*os.File) {
    	for k, fh := range m {
    		if fh.Name() == "" {
    			fh.Close()
    			delete(m, k)
    		}
    	}
    }
    """,
    # deferred cancel somewhere in the function
    """
    func f(m map[string]context.CancelFunc, k string) {
    	ctx, cancel := context.WithCancel(context.Background())
    	defer cancel()
    	_ = ctx
    	delete(m, k)
    }
    """,
    # the value in hand: a parameter of the value type
    """
    type conn struct{}

    func (c *conn) Close() error { return nil }

    type server struct{ conns map[int]*conn }

    func (s *server) forget(c *conn, id int) {
    	delete(s.conns, id)
    }
    """,
    # the value's own method removes it from the registry
    """
    type conn struct {
    	srv *server
    	id  int
    }

    func (c *conn) Close() error {
    	delete(c.srv.conns, c.id)
    	return nil
    }

    type server struct{ conns map[int]*conn }
    """,
    # a fired timer: deleted from its own AfterFunc callback
    """
    type sched struct {
    	mu     sync.Mutex
    	timers map[string]*time.Timer
    }

    func (s *sched) add(k string) {
    	s.timers[k] = time.AfterFunc(time.Second, func() {
    		s.mu.Lock()
    		delete(s.timers, k)
    		s.mu.Unlock()
    	})
    }
    """,
    # a fired timer: its channel was received from
    """
    func f(m map[string]*time.Timer, k string) {
    	<-m[k].C
    	delete(m, k)
    }
    """,
    # a caller of the unregister helper cancels
    """
    var cancels = map[string]context.CancelFunc{}

    func unregister(id string) {
    	delete(cancels, id)
    }

    func run(id string) {
    	ctx, cancel := context.WithCancel(context.Background())
    	defer cancel()
    	cancels[id] = cancel
    	defer unregister(id)
    	_ = ctx
    }
    """,
    # the deleting helper runs from the timer's own callback, or after a Stop
    """
    type digest struct {
    	mu     sync.Mutex
    	timers map[string]*time.Timer
    }

    func (d *digest) add(p string) {
    	d.timers[p] = time.AfterFunc(time.Second, func() { d.flush(p) })
    }

    func (d *digest) flush(p string) {
    	d.mu.Lock()
    	delete(d.timers, p)
    	d.mu.Unlock()
    }
    """,
    # a method value as the AfterFunc callback
    """
    type sched struct{ timers map[string]*time.Timer }

    func (s *sched) add(k string) {
    	s.timers[k] = time.AfterFunc(time.Second, s.expire)
    }

    func (s *sched) expire() {
    	delete(s.timers, "k")
    }
    """,
    # a callback closure stored in a variable first
    """
    type deb struct{ timers map[string]*time.Timer }

    func (d *deb) add(k string) {
    	fire := func() {
    		delete(d.timers, k)
    	}
    	d.timers[k] = time.AfterFunc(time.Second, fire)
    }
    """,
    # keyed by a field of the object in hand (a watcher that already exited)
    """
    type watcher struct {
    	id   string
    	exit chan bool
    }

    func (w *watcher) Stop() { close(w.exit) }

    type reg struct{ watchers map[string]*watcher }

    func (r *reg) watch(id string) { r.watchers[id] = &watcher{id: id} }

    func (r *reg) send(ws []*watcher) {
    	for _, w := range ws {
    		select {
    		case <-w.exit:
    			delete(r.watchers, w.id)
    		default:
    		}
    	}
    }
    """,
    # a package helper releases
    """
    type reg struct{ files map[string]*os.File }

    func (r *reg) closeOne(k string) { r.files[k].Close() }

    func (r *reg) drop(k string) {
    	r.closeOne(k)
    	delete(r.files, k)
    }
    """,
]


@pytest.mark.parametrize("src", RELEASED)
def test_released_or_handed_over_is_silent(src: str) -> None:
    assert findings(src) == []


NOT_RELEASED = [
    # the loaded value is only compared and its fields read
    """
    func f(m map[string]*time.Timer, k string) {
    	if t, ok := m[k]; ok && t.C != nil {
    		delete(m, k)
    	}
    }
    """,
    # presence check only
    """
    func f(m map[string]context.CancelFunc, k string) {
    	if _, ok := m[k]; ok {
    		delete(m, k)
    	}
    }
    """,
    # a non-release method called on the value
    """
    func f(m map[string]*os.File, k string) {
    	if fh := m[k]; fh != nil && fh.Name() == "x" {
    		delete(m, k)
    	}
    }
    """,
]


@pytest.mark.parametrize("src", NOT_RELEASED)
def test_values_not_released_are_reported(src: str) -> None:
    assert len(findings(src)) == 1


def test_release_in_place_uses_the_bound_variable() -> None:
    out = fixed_text(
        """
        func f(m map[string]*time.Timer, k string) {
        	if t, ok := m[k]; ok && t.C != nil {
        		delete(m, k)
        	}
        }
        """
    )
    assert "\t\tt.Stop()\n\t\tdelete(m, k)\n" in out


def test_bound_variable_not_used_when_reassigned() -> None:
    out = fixed_text(
        """
        func f(m map[string]*time.Timer, k string) {
        	if t, ok := m[k]; ok && t.C != nil {
        		t = time.NewTimer(time.Second)
        		delete(m, k)
        	}
        }
        """
    )
    assert "if timer, ok := m[k]; ok {" in out


def test_plain_fix_shape() -> None:
    out = fixed_text(
        """
        func f(m map[string]context.CancelFunc, k string) {
        	delete(m, k)
        }
        """
    )
    assert out.endswith("\tif cancel, ok := m[k]; ok {\n\t\tcancel()\n\t\tdelete(m, k)\n\t}\n}\n")


def test_fresh_names_avoid_identifiers_of_the_function() -> None:
    out = fixed_text(
        """
        func f(m map[string]*time.Timer, timer string, ok bool) {
        	_ = ok
        	delete(m, timer)
        }
        """
    )
    # timer is taken; ok may be shadowed inside the if (the key does not mention it)
    assert "if timer2, ok := m[timer]; ok {" in out
    out = fixed_text(
        """
        func f(m map[bool]*time.Timer, ok bool) {
        	delete(m, ok)
        }
        """
    )
    assert "if timer, ok2 := m[ok]; ok2 {" in out


LOCKED = """
type s struct {
	mu sync.Mutex
	m  map[string]*os.File
}

func (x *s) f(keys []string, k string, c bool) {
%s
}
"""


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "\tx.mu.Lock()\n\tdelete(x.m, k)\n\tx.mu.Unlock()",
            "\tx.mu.Lock()\n\tfile := x.m[k]\n\tdelete(x.m, k)\n\tx.mu.Unlock()\n"
            "\tif file != nil {\n\t\tfile.Close()\n\t}",
        ),
        (
            "\tx.mu.Lock()\n\tfor _, k := range keys {\n\t\tdelete(x.m, k)\n\t}\n\tx.mu.Unlock()",
            "var files []*os.File",
        ),
    ],
)
def test_collect_then_release_after_unlock(body: str, expected: str) -> None:
    out = fixed_text(LOCKED % body)
    assert expected in out
    # the release comes after the Unlock
    assert out.index("Unlock()") < out.index(".Close()")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("\tx.mu.Lock()\n\tdefer x.mu.Unlock()\n\tdelete(x.m, k)", "unlocked by a deferred call"),
        (
            "\tx.mu.Lock()\n\tif c {\n\t\tdelete(x.m, k)\n\t\tx.mu.Unlock()\n\t\treturn\n\t}\n"
            "\tx.mu.Unlock()",
            "unlocked on several paths",
        ),
        (
            "\tx.mu.Lock()\n\tfor _, k := range keys {\n\t\tdelete(x.m, k)\n\t\tif c {\n"
            "\t\t\tgoto out\n\t\t}\n\t}\nout:\n\tx.mu.Unlock()",
            "",
        ),
    ],
)
def test_lock_shapes_without_fix(body: str, reason: str) -> None:
    found = findings(LOCKED % body)
    assert len(found) == 1
    assert found[0].fix is None
    assert "no fix:" in found[0].message and reason in found[0].message


def test_caller_holds_lock_convention() -> None:
    found = findings(
        """
        type s struct{ m map[string]*os.File }

        func (x *s) dropLocked(k string) {
        	delete(x.m, k)
        }
        """
    )
    assert len(found) == 1 and found[0].fix is None
    assert "caller's lock" in found[0].message


def test_ticker_wording_follows_go_version() -> None:
    src = "func f(m map[int]*time.Ticker) {\n\tdelete(m, 1)\n}\n"
    old = findings(src, minor=22)[0].message
    new = findings(src, minor=23)[0].message
    assert "never garbage collected before Go 1.23" in old
    assert "keeps ticking for any goroutine still receiving" in new
    assert "garbage collected" not in new


def test_delete_all_loop_is_left_to_gmf402() -> None:
    src = "func f(m map[int]*time.Ticker) {\n\tfor k := range m {\n\t\tdelete(m, k)\n\t}\n}\n"
    assert findings(src) == []


def test_shadowed_delete_is_not_the_builtin() -> None:
    src = (
        "func f(m map[int]*time.Ticker) {\n\tdelete := func(map[int]*time.Ticker, int) {}\n"
        "\tdelete(m, 1)\n}\n"
    )
    assert findings(src) == []
