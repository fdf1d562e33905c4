from __future__ import annotations

import pytest

from gomapfix.analysis import FileAnalysis
from gomapfix.apply import ConvergenceError, choose, fix_to_convergence, splice
from gomapfix.finding import Finding, Location
from gomapfix.fix import Applicability, Edit, Fix


def finding(start: int, edits: list[Edit], level: Applicability = Applicability.SAFE) -> Finding:
    loc = Location(edits[0].path, start, start, 1, 1, 1, 1)
    return Finding("GMF000", "t", "m", loc, Fix("t", tuple(edits), level))


def test_overlapping_fix_is_deferred_not_dropped() -> None:
    a = finding(0, [Edit("f", 0, 5, b"A")])
    b = finding(3, [Edit("f", 3, 8, b"B")])
    c = finding(9, [Edit("f", 9, 10, b"C")])
    taken, deferred = choose([b, a, c])
    assert taken == [a, c]
    assert deferred == [b]


def test_identical_edits_of_two_fixes_are_applied_once() -> None:
    imp = Edit("f", 0, 0, b"import\n")
    a = finding(1, [imp, Edit("f", 1, 2, b"X")])
    b = finding(3, [imp, Edit("f", 3, 4, b"Y")])
    taken, deferred = choose([a, b])
    assert taken == [a, b] and not deferred
    assert splice({"f": b"0123456"}, taken)["f"] == b"import\n0X2Y456"


def test_a_fix_is_atomic_across_its_edits() -> None:
    # b's second edit overlaps a: b is deferred whole, its first edit is not applied.
    a = finding(0, [Edit("f", 4, 6, b"A")])
    b = finding(1, [Edit("f", 0, 1, b"B"), Edit("f", 5, 7, b"b")])
    taken, deferred = choose([a, b])
    assert taken == [a] and deferred == [b]
    assert splice({"f": b"0123456789"}, taken)["f"] == b"0123A6789"


def test_fix_that_creates_syntax_error_is_reverted_and_reported() -> None:
    src = b"package p\n\nfunc f() {}\n"

    def analyze(texts: dict[str, bytes]) -> dict[str, FileAnalysis]:
        data = texts["f.go"]
        out = FileAnalysis(parsed=None)
        if b"func f()" in data:
            at = data.index(b"func f()")
            out.findings = [finding(at, [Edit("f.go", at, at + 4, b"fun(")])]
        return {"f.go": out}

    outcome = fix_to_convergence({"f.go": src}, analyze, unsafe_fixes=False)
    assert outcome.texts["f.go"] == src
    assert "invalid Go" in outcome.notes["f.go"][0]


def test_unsafe_fix_needs_opt_in() -> None:
    src = b"package p\n"

    def analyze(texts: dict[str, bytes]) -> dict[str, FileAnalysis]:
        out = FileAnalysis(parsed=None)
        if texts["f.go"] == src:
            out.findings = [finding(0, [Edit("f.go", 8, 9, b"q")], Applicability.UNSAFE)]
        return {"f.go": out}

    assert fix_to_convergence({"f.go": src}, analyze, False).texts["f.go"] == src
    assert fix_to_convergence({"f.go": src}, analyze, True).texts["f.go"] == b"package q\n"


def test_never_converging_fix_is_an_error() -> None:
    def analyze(texts: dict[str, bytes]) -> dict[str, FileAnalysis]:
        out = FileAnalysis(parsed=None)
        n = len(texts["f.go"])
        out.findings = [finding(0, [Edit("f.go", n, n, b"// x\n")])]
        return {"f.go": out}

    with pytest.raises(ConvergenceError):
        fix_to_convergence({"f.go": b"package p\n"}, analyze, False)


def test_fixes_declaring_the_same_name_in_one_function_are_not_applied_together() -> None:
    def declaring(start: int, name: str, scope: tuple[str, int, int]) -> Finding:
        loc = Location("f", start, start, 1, 1, 1, 1)
        fix = Fix(
            "t",
            (Edit("f", start, start + 1, b"x"),),
            Applicability.SAFE,
            declares=(name,),
            scope=scope,
        )
        return Finding("GMF000", "t", "m", loc, fix)

    a = declaring(10, "keys", ("f", 0, 100))
    b = declaring(50, "keys", ("f", 0, 100))
    c = declaring(150, "keys", ("f", 120, 200))  # another function
    d = declaring(60, "inner", ("f", 0, 100))  # another name
    taken, deferred = choose([a, b, c, d])
    assert taken == [a, d, c]
    assert deferred == [b]
