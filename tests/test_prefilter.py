"""The byte-level prefilter: which packages and rules are skipped, and that no golden
case would be."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gomapfix.registry import all_codemods

from golden_support import run_cli
from helpers import go_module

GOLDEN = Path(__file__).resolve().parent.parent / "golden"

NEEDS_NO_PACKAGE_PATTERN = {
    "GMF900": "suppression comments, found by their own trigger token",
    "GMF901": "suppression comments, found by their own trigger token",
}


def test_every_rule_decides_its_package_pattern() -> None:
    undecided = [
        c.code
        for c in all_codemods()
        if c.package_pattern is None and c.code not in NEEDS_NO_PACKAGE_PATTERN
    ]
    assert not undecided, f"declare package_pattern (or list why none is needed): {undecided}"


def _cases() -> list[tuple[str, Path]]:
    by_name = {c.name: c.code for c in all_codemods()}
    out = []
    for rule_dir in sorted(GOLDEN.iterdir()):
        if rule_dir.name not in by_name:
            continue
        for case in sorted(p for p in rule_dir.iterdir() if (p / "input.go").is_file()):
            if b"// want" in (case / "input.go").read_bytes():
                out.append((by_name[rule_dir.name], case))
    return out


@pytest.mark.parametrize(("code", "case"), _cases(), ids=lambda v: getattr(v, "name", v))
def test_no_golden_finding_is_prefiltered(code: str, case: Path) -> None:
    rule = next(c for c in all_codemods() if c.code == code)
    texts = [p.read_bytes() for p in case.glob("*.go") if not p.name.startswith("expected")]
    data = (case / "input.go").read_bytes()
    assert any(token in data for token in rule.trigger_tokens), "trigger tokens miss the file"
    assert rule.may_report_in_package(texts), "package pattern misses the package"


def test_a_package_without_maps_is_not_parsed_and_one_with_maps_is(tmp_path: Path) -> None:
    go_module(
        tmp_path,
        {
            # Index writes, range and == trigger map rules' tokens, but no map is
            # written in this package.
            "plain/a.go": """
                package plain

                var xs []int

                func Add(x int) {
                    for i := range xs {
                        if xs[i] == 0 {
                            xs[i] = x
                        }
                    }
                }
            """,
            "maps/a.go": """
                package maps

                func Set() int {
                    var m map[string]int
                    m["a"] = 1
                    return len(m)
                }
            """,
        },
    )
    code, out, err = run_cli(
        tmp_path, ["check", "--no-cache", "-j", "1", "--output-format", "json", "."]
    )
    assert code == 1, err
    summary = json.loads(out)["summary"]
    assert summary["packages"] == 2
    assert summary["packages_prefiltered"] == 1
    assert summary["files_parsed"] == 1
    assert summary["findings"] >= 1  # GMF201 in maps/a.go
    args = ["check", "--no-cache", "-j", "1", "--no-prefilter", "--output-format", "json", "."]
    code, out, err = run_cli(tmp_path, args)
    assert json.loads(out)["summary"]["files_parsed"] == 2


@pytest.mark.parametrize(
    ("pattern", "literals"),
    [
        (rb"\b(?:map|delete|clear|maps)\b", (b"map", b"delete", b"clear", b"maps")),
        (rb"\bMap\b", (b"Map",)),
        (rb"\bR?Lock\b", (b"Lock",)),
        (rb"\babc?de\b", (b"ab",)),  # the longest run that no "?" makes optional
        (rb"\ba?\b", None),  # nothing is certain to be there
        (rb"map\s*\[", None),  # not a shape the substring search understands
    ],
)
def test_package_patterns_reject_by_substring_only_what_they_cannot_match(
    pattern: bytes, literals: tuple[bytes, ...] | None
) -> None:
    import re

    from gomapfix.codemod import _necessary_literals, pattern_found

    assert _necessary_literals(pattern) == literals
    texts = [
        b"x := map[string]int{}",
        b"delete(m, k)",
        b"s.RLock()",
        b"mu.Lock()",
        b"abde",
        b"abcde",
    ]
    texts += [b"bitmap", b"sync.Map", b"Locker", b"acde", b""]
    for text in texts:
        assert pattern_found(pattern, text) == bool(re.search(pattern, text)), text
