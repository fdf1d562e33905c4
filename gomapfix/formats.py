"""Code-scanning formats: SARIF 2.1.0 for dashboards, GitHub workflow commands for CI logs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gomapfix import __version__
from gomapfix.finding import Finding
from gomapfix.fix import Applicability
from gomapfix.output import Sources, display_path, final_sources
from gomapfix.registry import all_codemods
from gomapfix.runner import RunResult

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Applicability.SAFE: "warning", Applicability.UNSAFE: "warning"}


def _uri(path: str) -> str:
    return Path(display_path(path)).as_posix()


def _region(path: str, start: int, end: int, sources: Sources) -> dict[str, Any]:
    region: dict[str, Any] = {"byteOffset": start, "byteLength": end - start}
    source = sources.get(path)
    if source is not None:
        # SARIF's default column kind is UTF-16 code units, 1-based.
        (la, ca), (lb, cb) = source.lsp_position(start), source.lsp_position(end)
        region.update(startLine=la + 1, startColumn=ca + 1, endLine=lb + 1, endColumn=cb + 1)
    return region


def _location(path: str, start: int, end: int, sources: Sources) -> dict[str, Any]:
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": _uri(path), "uriBaseId": "%SRCROOT%"},
            "region": _region(path, start, end, sources),
        }
    }


def _result(f: Finding, index: dict[str, int], sources: Sources) -> dict[str, Any]:
    loc = f.location
    result: dict[str, Any] = {
        "ruleId": f.code,
        "ruleIndex": index[f.code],
        "level": "warning",
        "message": {"text": f.message},
        "locations": [_location(loc.path, loc.start, loc.end, sources)],
    }
    if f.related:
        result["relatedLocations"] = [
            {
                "id": i,
                **_location(r.location.path, r.location.start, r.location.end, sources),
                "message": {"text": r.message},
            }
            for i, r in enumerate(f.related)
        ]
    if f.fix is not None and f.fix.edits:
        by_path: dict[str, list[dict[str, Any]]] = {}
        for e in f.fix.edits:
            by_path.setdefault(e.path, []).append(
                {
                    "deletedRegion": {"byteOffset": e.start, "byteLength": e.end - e.start},
                    "insertedContent": {"text": e.text.decode("utf-8", "replace")},
                }
            )
        result["fixes"] = [
            {
                "description": {
                    "text": f"{f.fix.title} ({f.fix.applicability.value} fix"
                    + (f": {f.fix.note})" if f.fix.note else ")")
                },
                "artifactChanges": [
                    {
                        "artifactLocation": {"uri": _uri(p), "uriBaseId": "%SRCROOT%"},
                        "replacements": reps,
                    }
                    for p, reps in sorted(by_path.items())
                ],
            }
        ]
        result["properties"] = {"applicability": f.fix.applicability.value}
    return result


def format_sarif(result: RunResult) -> str:
    rules = list(all_codemods())
    index = {c.code: i for i, c in enumerate(rules)}
    sources = final_sources(result)
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "gomapfix",
                        "version": __version__,
                        "informationUri": "https://pypi.org/project/gomapfix/",
                        "rules": [
                            {
                                "id": c.code,
                                "name": c.name,
                                "shortDescription": {"text": c.summary},
                                "fullDescription": {"text": c.summary},
                                "help": {"text": c.documentation()},
                                "defaultConfiguration": {
                                    "enabled": c.default_enabled,
                                    "level": "warning",
                                },
                                "properties": {"family": c.family},
                            }
                            for c in rules
                        ],
                    }
                },
                "columnKind": "utf16CodeUnits",
                "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().as_uri() + "/"}},
                "results": [_result(f, index, sources) for f in result.findings],
                "invocations": [
                    {
                        "executionSuccessful": not result.failed,
                        "toolExecutionNotifications": [
                            {
                                "level": "error",
                                "message": {"text": (r.reason or "failed").splitlines()[-1]},
                                "locations": [
                                    {
                                        "physicalLocation": {
                                            "artifactLocation": {
                                                "uri": _uri(r.path),
                                                "uriBaseId": "%SRCROOT%",
                                            }
                                        }
                                    }
                                ],
                            }
                            for r in result.failed
                        ],
                    }
                ],
            }
        ],
    }
    return json.dumps(doc, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(result: RunResult) -> str:
    """GitHub Actions workflow commands: one annotation per finding, errors per failure."""
    sources = final_sources(result)
    lines = []
    for f in result.findings:
        loc = f.location
        source = sources.get(loc.path)
        col = end_col = None
        if source is not None:
            col = source.lsp_position(loc.start)[1] + 1
            end_col = source.lsp_position(loc.end)[1] + 1
        props = [
            f"file={_escape_property(_uri(loc.path))}",
            f"line={loc.line}",
            f"endLine={loc.end_line}",
        ]
        if col is not None and loc.line == loc.end_line:
            props += [f"col={col}", f"endColumn={end_col}"]
        elif col is not None:
            props.append(f"col={col}")
        props.append(f"title={_escape_property(f'{f.code} {f.name}')}")
        fixable = ""
        if (
            f.fix is not None
            and f.fix.edits
            and f.fix.applicability is not (Applicability.DISPLAY_ONLY)
        ):
            fixable = f" ({f.fix.applicability.value} fix available: gomapfix fix)"
        lines.append(f"::warning {','.join(props)}::{_escape_data(f.message + fixable)}")
    for r in result.failed:
        message = (r.reason or "failed").strip().splitlines()[-1]
        lines.append(f"::error file={_escape_property(_uri(r.path))}::{_escape_data(message)}")
    return "".join(line + "\n" for line in lines)
