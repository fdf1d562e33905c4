"""GMF201 nil-map-write: what makes a write reportable, the fix forms, and the var-block
re-alignment (checked against the real gofmt)."""

from __future__ import annotations

import random
import re
import subprocess
import textwrap
from pathlib import Path

import pytest
from gomapfix.codemods.nil_map_write import NilMapWrite, _keep_type_column, _Row

from gomapfix.analysis import AnalysisOptions, analyze_directory
from gomapfix.finding import Finding
from gomapfix.fix import Applicability
from gomapfix.goversion import GoVersion
from gomapfix.toolchain import find_toolchain


def findings(src: str, extra: dict[str, str] | None = None) -> list[Finding]:
    texts = {"p.go": ("package p\n\n" + textwrap.dedent(src).lstrip()).encode()}
    for name, text in (extra or {}).items():
        texts[name] = textwrap.dedent(text).lstrip().encode()
    options = AnalysisOptions(codemods=(NilMapWrite,), go_version=GoVersion(1, 24))
    result = analyze_directory(Path("/tmp/p"), texts, ["p.go"], options)
    assert result["p.go"].error is None, result["p.go"].error
    return result["p.go"].findings


def applied(src: str, finding: Finding) -> str:
    data = ("package p\n\n" + textwrap.dedent(src).lstrip()).encode()
    assert finding.fix is not None
    for edit in sorted(finding.fix.edits, key=lambda e: e.start, reverse=True):
        data = data[: edit.start] + edit.text + data[edit.end :]
    return data.decode()


# Local variables ------------------------------------------------------------------------


def test_plain_local_is_reported_and_made_at_the_declaration() -> None:
    src = """
    func f(ws []string) int {
    	var m map[string]int
    	for _, w := range ws {
    		m[w]++
    	}
    	return len(m)
    }
    """
    (f,) = findings(src)
    assert f.location.line == 6
    assert f.fix is not None and f.fix.applicability is Applicability.SAFE
    assert "\tm := make(map[string]int)\n" in applied(src, f)


@pytest.mark.parametrize(
    "between",
    [
        "m = map[string]int{}",
        "m, n = map[string]int{}, 1",
        "_ = json(&m)",
        "m.fill()",
    ],
)
def test_any_initialisation_before_the_write_silences(between: str) -> None:
    src = f"""
    type M map[string]int

    func (m *M) fill() {{ *m = M{{}} }}

    func json(any) error {{ return nil }}

    func f() int {{
    	var m M
    	n := 0
    	{between}
    	m["a"] = n
    	return len(m)
    }}
    """
    assert findings(src) == []


def test_assignment_later_in_a_loop_around_both_silences() -> None:
    src = """
    func f(ws []string) {
    	var m map[string]int
    	for i, w := range ws {
    		if i > 0 {
    			m[w] = i
    		}
    		m = map[string]int{}
    	}
    }
    """
    assert findings(src) == []


def test_write_in_a_closure_with_a_later_assignment_silences() -> None:
    src = """
    func f() int {
    	var m map[string]int
    	add := func(k string) { m[k] = 1 }
    	m = map[string]int{}
    	add("x")
    	return len(m)
    }
    """
    assert findings(src) == []


def test_goto_with_a_later_assignment_silences() -> None:
    src = """
    func f(n int) int {
    	var m map[int]int
    again:
    	m[n] = n
    	m = nil
    	if n > 0 {
    		n--
    		goto again
    	}
    	return len(m)
    }
    """
    assert findings(src) == []


def test_shadowing_declaration_is_not_confused_with_the_outer_one() -> None:
    src = """
    func f() int {
    	var m map[string]int
    	{
    		m := map[string]int{}
    		m["a"] = 1
    	}
    	return len(m)
    }
    """
    assert findings(src) == []


@pytest.mark.parametrize(
    ("use", "observed"),
    [
        ("return m", "returned"),
        ("if m == nil {\n\t\treturn nil\n\t}\n\treturn nil", "compared with nil"),
        ("sink(m)\n\treturn nil", "passed to a function"),
        ("x := m\n\t_ = x\n\treturn nil", "stored"),
        ("_ = len(m)\n\treturn nil", None),
    ],
)
def test_observable_nil_lowers_to_unsafe(use: str, observed: str | None) -> None:
    src = f"""
    func sink(map[string]int) {{}}

    func f() map[string]int {{
    	var m map[string]int
    	m["a"] = 1
    	{use}
    }}
    """
    (f,) = findings(src)
    assert f.fix is not None
    if observed is None:
        assert f.fix.applicability is Applicability.SAFE
    else:
        assert f.fix.applicability is Applicability.UNSAFE
        assert f.fix.note is not None and observed in f.fix.note


def test_local_type_shadowing_a_package_map_type_is_left_alone() -> None:
    src = """
    type Set map[string]bool

    func f() {
    	type Set []bool
    	var s Set
    	s[0] = true
    }
    """
    assert findings(src) == []


def test_make_redeclared_in_the_package_gives_no_fix() -> None:
    src = """
    func make(int) int { return 0 }

    func f() {
    	var m map[string]int
    	m["a"] = 1
    }
    """
    (f,) = findings(src)
    assert f.fix is None and "make is redeclared" in f.message


# Var blocks -------------------------------------------------------------------------------


def test_keep_type_column_follows_go_printer() -> None:
    rows = [
        _Row("a", "int", None, None),
        _Row("b", None, "1", None),
        _Row("c", "string", '"x"', None),
        _Row("d", "int", None, None),
        _Row("e", None, "2", None),
    ]
    assert _keep_type_column(rows) == [False, True, True, False, False]


def _gofmt(text: str) -> str | None:
    toolchain = find_toolchain()
    if toolchain is None:
        pytest.skip("no gofmt")
    proc = subprocess.run([str(toolchain.gofmt)], input=text.encode(), capture_output=True)
    return proc.stdout.decode() if proc.returncode == 0 else None


def _random_block(rng: random.Random) -> tuple[str, str] | None:
    names = ["a", "bb", "index", "longername", "x"]
    types = ["int", "string", "[]byte", "map[string]int"]
    lines: list[str] = []
    declared: list[str] = []
    target: str | None = None
    for i in range(rng.randint(2, 6)):
        roll = rng.random()
        if roll < 0.1 and lines:
            lines.append("// doc")
            continue
        spec_names = [f"{rng.choice(names)}{i}{j}" for j in range(rng.randint(1, 2))]
        declared += spec_names
        kind = rng.choice([*types, None])
        if kind == "map[string]int" and target is None:
            target = spec_names[0]
            spec = f"{', '.join(spec_names)} {kind}"
        elif kind is None or rng.random() < 0.3:
            values = ", ".join("1" * len(spec_names))
            spec = f"{', '.join(spec_names)}{' int' if kind else ''} = {values}"
        else:
            spec = f"{', '.join(spec_names)} {kind}"
        if rng.random() < 0.3:
            spec += " // c" + "x" * rng.randint(0, 4)
        lines.append(spec)
    if target is None:
        return None
    uses = "\n".join(f"\t_ = {n}" for n in declared if n != target)
    body = "\n".join("\t\t" + line for line in lines)
    src = f'func f() {{\n\tvar (\n{body}\n\t)\n\t{target}["k"] = 1\n{uses}\n}}\n'
    return src, target


def test_var_block_rewrite_is_gofmt_clean() -> None:
    rng = random.Random(20240611)
    checked = 0
    for _ in range(150):
        made = _random_block(rng)
        if made is None:
            continue
        src, target = made
        formatted = _gofmt("package p\n\n" + src)
        assert formatted is not None
        src = formatted.removeprefix("package p\n\n")
        found = [f for f in findings(src) if f"map {target} " in f.message]
        assert len(found) == 1, src
        if found[0].fix is None:
            continue
        out = applied(src, found[0])
        assert _gofmt(out) == out, out
        assert re.search(rf"\t{target} += make\(map\[string\]int\)", out), out
        checked += 1
    assert checked > 50


# Struct fields -----------------------------------------------------------------------------


FIELD = """
    type T struct {
    	m map[string]int
    }
"""


def test_guard_covers_later_writes_in_the_same_block_and_nested_ones() -> None:
    src = (
        FIELD
        + """
    func (t *T) f(ok bool) {
    	t.m["a"] = 1
    	if ok {
    		t.m["b"] = 2
    	}
    	t.m["c"]++
    }
    """
    )
    (f,) = findings(src)
    out = applied(src, f)
    assert out.count("if t.m == nil {") == 1
    assert '\tif t.m == nil {\n\t\tt.m = make(map[string]int)\n\t}\n\tt.m["a"] = 1' in out


def test_owner_reassigned_between_writes_needs_a_second_guard() -> None:
    src = (
        FIELD
        + """
    func f(t, u *T) {
    	t.m["a"] = 1
    	t = u
    	t.m["b"] = 2
    }
    """
    )
    assert len(findings(src)) == 2


@pytest.mark.parametrize(
    "init",
    [
        "func newT() *T { return &T{m: map[string]int{}} }",
        "func newT() T { return T{map[string]int{}} }",
        "func newTs() []T { return []T{{map[string]int{}}} }",
        "func (t *T) init() { t.m = make(map[string]int) }",
        "func load(t *T) { decode(&t.m) }\n\nfunc decode(any) {}",
    ],
)
def test_field_initialised_somewhere_in_the_package_is_silent(init: str) -> None:
    src = (
        FIELD
        + init
        + """

    func (t *T) f() {
    	t.m["a"] = 1
    }
    """
    )
    assert findings(src) == []


def test_initialisation_in_another_file_of_the_package_counts() -> None:
    src = (
        FIELD
        + """
    func (t *T) f() {
    	t.m["a"] = 1
    }
    """
    )
    other = "package p\n\nfunc newT() *T { return &T{m: map[string]int{}} }\n"
    assert findings(src, {"q.go": other}) == []


def test_exported_field_is_left_alone() -> None:
    src = """
    type T struct {
    	M map[string]int
    }

    func (t *T) f() {
    	t.M["a"] = 1
    }
    """
    assert findings(src) == []


def test_embedded_field_is_found_through_the_outer_struct() -> None:
    src = (
        FIELD
        + """
    type Outer struct {
    	T
    	n int
    }

    func (o *Outer) f() {
    	o.m["a"] = 1
    }
    """
    )
    (f,) = findings(src)
    assert "T.m" in f.message
    assert "if o.m == nil {" in applied(src, f)


def test_map_element_owner_gets_no_fix() -> None:
    src = (
        FIELD
        + """
    func f(ts map[string]T) {
    	ts["x"].m["a"] = 1
    }
    """
    )
    (f,) = findings(src)
    assert f.fix is None and "no fix" in f.message


def test_generic_receiver_with_the_declared_parameter_names_is_fixed() -> None:
    src = """
    type Cache[K comparable, V any] struct {
    	m map[K]V
    }

    func (c *Cache[K, V]) Put(k K, v V) {
    	c.m[k] = v
    }
    """
    (f,) = findings(src)
    assert "c.m = make(map[K]V)" in applied(src, f)


def test_generic_receiver_with_renamed_parameters_gets_no_fix() -> None:
    src = """
    type Cache[K comparable, V any] struct {
    	m map[K]V
    }

    func (c *Cache[A, B]) Put(k A, v B) {
    	c.m[k] = v
    }
    """
    (f,) = findings(src)
    assert f.fix is None


def test_field_type_with_a_package_not_imported_here_gets_no_fix() -> None:
    decl = """
    package p

    import "time"

    type T struct {
    	m map[string]time.Duration
    }
    """
    src = """
    func (t *T) f() {
    	t.m["a"] = 0
    }
    """
    (f,) = findings(src, {"q.go": decl})
    assert f.fix is None and "time.Duration is not imported" in f.message


def test_guards_for_one_statement_share_a_single_insertion() -> None:
    src = (
        FIELD
        + """
    func f(s, t *T) {
    	s.m["a"], t.m["b"] = 1, 2
    }
    """
    )
    first, second = findings(src)
    assert first.fix is not None and second.fix is not None
    assert first.fix.edits == second.fix.edits
    out = applied(src, first)
    assert "if s.m == nil {" in out and "if t.m == nil {" in out


# Trailing comments stay aligned as gofmt aligns them --------------------------------------


def _statement(rng: random.Random, i: int, depth: int) -> list[str]:
    roll = rng.random()
    comment = (" // c" + "x" * rng.randint(0, 6)) if rng.random() < 0.6 else ""
    if roll < 0.15:
        write = f'm{i}["k"] = {i}' + (" // w" if rng.random() < 0.5 else "")
        return [f"var m{i} map[string]int{comment}", write]
    if roll < 0.3:
        return [f't.f["k{i}"] = {i}{comment}']
    if roll < 0.45:
        return [f'mm[a{i % 2}]["b"] += {i}{comment}']
    if roll < 0.55 and depth < 2:
        inner = [line for j in range(rng.randint(1, 3)) for line in _statement(rng, i * 10 + j, 1)]
        header = f'if a{i % 2} != "" {{' + (" // h" if rng.random() < 0.5 else "")
        return [header, *("\t" + line for line in inner), "}"]
    if roll < 0.6:
        return [""]
    if roll < 0.65:
        return ["// a comment line"]
    name = "v" * rng.randint(1, 12) + str(i)
    return [f"{name} := {i}{comment}", f"_ = {name}"]


def test_fixes_keep_trailing_comments_aligned_as_gofmt_does() -> None:
    from gomapfix.codemods.nested_nil_map_write import NestedNilMapWrite

    rng = random.Random(7)
    checked = 0
    for _ in range(60):
        lines = [line for i in range(rng.randint(2, 8)) for line in _statement(rng, i, 0)]
        body = "\n".join(("\t" + line) if line else "" for line in lines)
        src = _gofmt(
            "package p\n\ntype T struct{ f map[string]int }\n\n"
            "func (t *T) g(mm map[string]map[string]int, a0, a1 string) {\n" + body + "\n}\n"
        )
        assert src is not None
        for rule in (NilMapWrite, NestedNilMapWrite):
            options = AnalysisOptions(codemods=(rule,), go_version=GoVersion(1, 24))
            result = analyze_directory(Path("/tmp/p"), {"p.go": src.encode()}, ["p.go"], options)
            for finding in result["p.go"].findings:
                assert finding.fix is not None
                data = src.encode()
                for edit in sorted(finding.fix.edits, key=lambda e: e.start, reverse=True):
                    data = data[: edit.start] + edit.text + data[edit.end :]
                out = data.decode()
                assert _gofmt(out) == out, out
                checked += 1
    assert checked > 100


def test_write_only_nil_map_in_a_test_file_is_reported_without_a_fix(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # Found by the std-lib trial: runtime/crash_test.go writes a nil map to test the
    # panic; making the map would remove what the test checks.
    import json

    from helpers import go_module, run_cli

    src = (
        'package crash\n\nimport "testing"\n\nfunc TestPanic(t *testing.T) {\n'
        "\tdefer func() { _ = recover() }()\n\tvar m map[uint64]bool\n\tm[1234] = true\n}\n"
    )
    go_module(
        tmp_path,
        {
            "crash_test.go": src,
            "crash.go": src.replace("_test", "")
            .replace('import "testing"\n\n', "")
            .replace("TestPanic(t *testing.T)", "Panic()"),
        },
    )
    _, out, _ = run_cli(tmp_path, ["check", "--select", "GMF201", "--output-format", "json", "."])
    results = {r["path"]: r for r in json.loads(out)["results"]}
    assert results["crash_test.go"]["fix"] is None
    assert "nothing reads m" in results["crash_test.go"]["message"]
    assert results["crash.go"]["fix"] is not None  # outside tests the write is a bug


def test_field_initialised_in_another_file_counts() -> None:
    # Field facts are gathered per file, from the files naming the type or the field.
    src = """
        type T struct {
        	byName map[string]int
        }

        func (t *T) add(k string) {
        	t.byName[k] = 1
        }
        """
    assert len(findings(src)) == 1
    other = {"q.go": "package p\n\nfunc newT() *T {\n\treturn &T{byName: map[string]int{}}\n}\n"}
    assert findings(src, other) == []
