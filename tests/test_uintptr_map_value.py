"""GMF403 uintptr-map-value: Go-pointer derivations reported, plain integers not."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from gomapfix.codemods.uintptr_map_value import UintptrMapValue

from gomapfix.analysis import AnalysisOptions, analyze_directory
from gomapfix.finding import Finding
from gomapfix.goversion import GoVersion

HEADER = """package p

import (
	"reflect"
	"unsafe"
)

var _ = reflect.ValueOf
var _ unsafe.Pointer

type T struct{ n int }
type addr uintptr

var m = map[int]uintptr{}
var named = map[int]addr{}
var ptrs = map[int]unsafe.Pointer{}
var anys = map[int]any{}
"""


def findings(src: str) -> list[Finding]:
    text = (HEADER + textwrap.dedent(src)).encode()
    options = AnalysisOptions(codemods=(UintptrMapValue,), go_version=GoVersion(1, 24))
    result = analyze_directory(Path("/tmp/p"), {"p.go": text}, ["p.go"], options)
    assert result["p.go"].error is None, result["p.go"].error
    return result["p.go"].findings


@pytest.mark.parametrize(
    "store",
    [
        "m[1] = uintptr(unsafe.Pointer(p))",
        "m[1] = uintptr(unsafe.Pointer(&p.n)) + 8",
        "m[1] = (uintptr(unsafe.Pointer(&x)))",
        "m[1] = uintptr(unsafe.Pointer(new(T)))",
        "m[1] = uintptr(unsafe.Pointer(unsafe.SliceData(b)))",
        "m[1] = reflect.ValueOf(p).Pointer()",
        "named[1] = addr(0)\n\tnamed[2] = uintptr(unsafe.Pointer(p))",
        "u := uintptr(unsafe.Pointer(p))\n\tm[1] = u",
        "u := uintptr(unsafe.Pointer(p))\n\tptrs[1] = unsafe.Pointer(u)",
    ],
)
def test_go_pointer_addresses_are_reported(store: str) -> None:
    src = f"func f(p *T, b []byte) {{\n\tvar x int\n\t_ = x\n\t{store}\n}}\n"
    found = findings(src)
    assert len(found) == 1, found
    assert found[0].fix is None


@pytest.mark.parametrize(
    "store",
    [
        "m[1] = uintptr(n)",  # a counter or a size
        "m[1] = unsafe.Sizeof(T{})",
        "m[1]++",
        "m[1] = uintptr(unsafe.Pointer(uintptr(n)))",  # an integer address, not a Go pointer
        "ptrs[1] = unsafe.Pointer(p)",  # a real pointer: keeps the object alive
        "anys[1] = uintptr(unsafe.Pointer(p))",  # not a uintptr map: not this rule's claim
        "var s []uintptr\n\ts = append(s, uintptr(unsafe.Pointer(p)))",
        "u := uintptr(n)\n\tptrs[1] = unsafe.Pointer(u)",  # vet's business, not a Go pointer
    ],
)
def test_plain_integers_are_not_reported(store: str) -> None:
    src = f"func f(p *T, n int) {{\n\t{store}\n}}\n"
    assert findings(src) == []


def test_stored_address_converted_back() -> None:
    src = (
        "func put(p *T) {\n\tm[1] = uintptr(unsafe.Pointer(p))\n}\n\n"
        "func get() {\n\tptrs[1] = unsafe.Pointer(m[1])\n}\n"
    )
    found = findings(src)
    assert [f.location.line for f in found] == [
        HEADER.count("\n") + 2,
        HEADER.count("\n") + 6,
    ]
    assert "made from a Go address kept in a uintptr" in found[1].message


def test_map_literal_values() -> None:
    src = 'var lit = map[string]uintptr{"a": uintptr(unsafe.Pointer(new(T))), "b": 3}\n'
    found = findings(src)
    assert len(found) == 1 and "literal map[string]uintptr" in found[0].message
