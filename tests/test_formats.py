"""Positions editors can use (UTF-16, tabs, CRLF), SARIF 2.1.0 (schema-valid), GitHub."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import jsonschema
import pytest

from gomapfix.source import SourceText

from golden_support import ROOT
from helpers import go_module, run_cli

GUARDED = (
    "package p\n\nfunc drop(m map[string]int, k string) {\n"
    "\tif m != nil {\n\t\tdelete(m, k)\n\t}\n}\n"
)
SCHEMA = json.loads((ROOT / "tests" / "fixtures" / "sarif-schema-2.1.0.json").read_text())


def test_lsp_positions_count_utf16_units() -> None:
    text = 'x := "héllo 😀"; y\n\tz\r\nw'.encode()
    source = SourceText("f.go", text)
    y = text.index(b"; y") + 2
    # é is 1 UTF-16 unit (2 bytes), 😀 is 2 units (4 bytes).
    # x := "héllo 😀"; y -> 6 + 5 + 1 + 2 + 3 units before y; 6 + 6 + 1 + 4 + 3 bytes.
    assert source.lsp_position(y) == (0, 17)
    assert source.position(y).column == 21  # 1-based byte column, as go vet reports
    assert source.lsp_position(text.index(b"z")) == (1, 1)  # a tab is one unit
    assert source.lsp_position(text.index(b"w")) == (2, 0)  # CRLF ends the line


@pytest.mark.parametrize(
    ("prefix", "line_text"),
    [
        ("// héllo wörld 😀\n", "\tif m != nil {"),
        ("", "\tif m != nil {"),
    ],
)
def test_json_findings_carry_bytes_lines_and_lsp_ranges(
    tmp_path: Path, prefix: str, line_text: str
) -> None:
    src = GUARDED.replace("func drop", prefix + "func drop")
    src = src.replace("\tif m != nil {", '\tx := "ü😀"; _ = x; if m != nil {')
    go_module(tmp_path, {"a.go": src})
    data = (tmp_path / "a.go").read_bytes()
    _, out, _ = run_cli(tmp_path, ["check", "--output-format", "json", "."])
    (r,) = json.loads(out)["results"]
    assert data[r["start"] : r["end"]].startswith(b"if m != nil")
    line = data.splitlines()[r["line"] - 1]
    assert line[r["column"] - 1 :].startswith(b"if m != nil")
    lsp = r["lsp"]["start"]
    assert lsp["line"] == r["line"] - 1
    text_line = line.decode()
    units = sum(2 if ord(c) > 0xFFFF else 1 for c in text_line[: text_line.index("if m")])
    assert lsp["character"] == units
    edit = r["fix"]["edits"][0]
    assert edit["lsp"]["start"] == r["lsp"]["start"]


def test_crlf_file_positions(tmp_path: Path) -> None:
    go_module(tmp_path, {})
    (tmp_path / "a.go").write_bytes(GUARDED.replace("\n", "\r\n").encode())
    _, out, _ = run_cli(tmp_path, ["check", "--output-format", "json", "."])
    (r,) = json.loads(out)["results"]
    assert (r["line"], r["column"]) == (4, 2)
    assert r["lsp"]["start"] == {"line": 3, "character": 1}


def test_sarif_is_schema_valid_with_rules_related_locations_and_fixes(tmp_path: Path) -> None:
    go_module(tmp_path, {"a.go": GUARDED})
    code, out, _ = run_cli(tmp_path, ["check", "--output-format", "sarif", "."])
    assert code == 1
    doc = json.loads(out)
    jsonschema.validate(doc, SCHEMA)
    run = doc["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert "delete is a no-op" in rules["GMF203"]["help"]["text"]
    (result,) = run["results"]
    assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "GMF203"
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (4, 2)
    (change,) = result["fixes"][0]["artifactChanges"]
    (replacement,) = change["replacements"]
    assert replacement["insertedContent"]["text"] == "delete(m, k)"
    data = GUARDED.encode()
    start = replacement["deletedRegion"]["byteOffset"]
    assert data[start : start + replacement["deletedRegion"]["byteLength"]].startswith(b"if m")


def test_sarif_related_locations_and_failures_validate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gomapfix.finding import Finding, Location, RelatedLocation
    from gomapfix.formats import format_sarif
    from gomapfix.runner import FileResult, RunResult, Status

    loc = Location(str(tmp_path / "a.go"), 0, 7, 1, 1, 1, 8)
    finding = Finding(
        "GMF203", "redundant-delete-guard", "m", loc, related=(RelatedLocation(loc, "evidence"),)
    )
    result = RunResult(
        (
            FileResult(
                str(tmp_path / "a.go"),
                Status.UNCHANGED,
                findings=(finding,),
                original=b"package p\n",
            ),
            FileResult(str(tmp_path / "b.go"), Status.FAILED, reason="Traceback...\nBoom"),
        )
    )
    doc = json.loads(format_sarif(result))
    jsonschema.validate(doc, SCHEMA)
    assert doc["runs"][0]["results"][0]["relatedLocations"][0]["message"]["text"] == "evidence"


def test_github_annotations(tmp_path: Path) -> None:
    go_module(tmp_path, {"a.go": GUARDED})
    code, out, _ = run_cli(tmp_path, ["check", "--output-format", "github", "."])
    assert code == 1
    assert out == (
        "::warning file=a.go,line=4,endLine=6,col=2,title=GMF203 redundant-delete-guard::"
        "redundant nil check%3A delete on a nil map is a no-op (safe fix available: gomapfix fix)\n"
    ).replace("%3A", ":")


def test_stdin_buffer_with_a_syntax_error_still_gets_findings_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    go_module(tmp_path, {})
    broken = GUARDED + "\nfunc half( {\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(broken.encode())))
    code, out, _ = run_cli(tmp_path, ["check", "-", "--stdin-filename", "a.go"])
    assert code == 1 and "a.go:4:2: GMF203" in out
