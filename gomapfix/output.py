"""Turning a RunResult into text or JSON for people and programs."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

from gomapfix import __version__
from gomapfix.analysis import GENERATED_REASON
from gomapfix.finding import Finding
from gomapfix.fix import Applicability
from gomapfix.runner import RunResult, Status
from gomapfix.source import SourceText


def display_path(path: str) -> str:
    """A path relative to the working directory when it is below it, as users typed it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def _marker(finding: Finding, unsafe_fixes: bool) -> str:
    fix = finding.fix
    if fix is None or not fix.edits:
        return ""
    if fix.applicability is Applicability.SAFE:
        return " [*]"
    if fix.applicability is Applicability.UNSAFE:
        return " [*]" if unsafe_fixes else " [unsafe fix]"
    return ""


def format_text(result: RunResult, unsafe_fixes: bool, fixing: bool) -> str:
    lines: list[str] = []
    for f in result.findings:
        loc = f.location
        lines.append(
            f"{display_path(loc.path)}:{loc.line}:{loc.column}: {f.code} {f.message}"
            f"{_marker(f, unsafe_fixes)}"
        )
    findings = result.findings
    applied = result.applied
    summary: list[str] = []
    if fixing and applied:
        summary.append(
            f"Fixed {len(applied)} finding{'s' * (len(applied) != 1)} "
            f"in {len(result.changed)} file{'s' * (len(result.changed) != 1)}."
        )
    if findings:
        safe = sum(1 for f in findings if f.fix and f.fix.applicability is Applicability.SAFE)
        unsafe = sum(1 for f in findings if f.fix and f.fix.applicability is Applicability.UNSAFE)
        text = f"Found {len(findings)} finding{'s' * (len(findings) != 1)}"
        extras = []
        if safe and not fixing:
            extras.append(f"{safe} fixable with `gomapfix fix`")
        if unsafe and not unsafe_fixes:
            extras.append(f"{unsafe} more with `gomapfix fix --unsafe-fixes`")
        summary.append(text + (f" ({'; '.join(extras)})" if extras else "") + ".")
    elif not applied:
        summary.append("No findings.")
    return "\n".join(lines + ([""] if lines else []) + summary) + "\n"


def format_problems(result: RunResult) -> str:
    """Skipped and failed files, and notes, for stderr."""
    out: list[str] = []
    generated = 0
    for r in result.files:
        if r.status is Status.FAILED:
            out.append(f"error: {display_path(r.path)}: {(r.reason or '').rstrip()}")
        elif r.reason is not None and r.reason.startswith(GENERATED_REASON):
            generated += 1
        elif r.reason is not None:
            what = "skipped" if r.status is Status.SKIPPED else "partly skipped"
            out.append(f"warning: {what} {display_path(r.path)}: {r.reason}")
        out.extend(f"note: {display_path(r.path)}: {n}" for n in r.notes)
    if generated:
        out.append(
            f"note: {generated} generated file{'s' * (generated != 1)} left alone "
            "(--include-generated to include them)"
        )
    return "\n".join(out) + ("\n" if out else "")


class Sources:
    """File texts for positions, by path; read from disk only when a path is missing."""

    def __init__(self, texts: dict[str, bytes]) -> None:
        self._texts = texts
        self._sources: dict[str, SourceText | None] = {}

    def get(self, path: str) -> SourceText | None:
        if path not in self._sources:
            data = self._texts.get(path)
            if data is None:
                try:
                    data = Path(path).read_bytes()
                except OSError:
                    data = None
            self._sources[path] = SourceText(path, data) if data is not None else None
        return self._sources[path]


def range_json(path: str, start: int, end: int, sources: Sources) -> dict[str, Any]:
    """Byte offsets, 1-based line and byte column, and the LSP range (UTF-16)."""
    item: dict[str, Any] = {"path": display_path(path), "start": start, "end": end}
    source = sources.get(path)
    if source is not None:
        a, b = source.position(start), source.position(end)
        (la, ca), (lb, cb) = source.lsp_position(start), source.lsp_position(end)
        item.update(
            line=a.line,
            column=a.column,
            end_line=b.line,
            end_column=b.column,
            lsp={"start": {"line": la, "character": ca}, "end": {"line": lb, "character": cb}},
        )
    return item


def finding_json(f: Finding, sources: Sources) -> dict[str, Any]:
    item: dict[str, Any] = {"code": f.code, "name": f.name, "message": f.message}
    loc = f.location
    item.update(range_json(loc.path, loc.start, loc.end, sources))
    item["related"] = [
        {
            **range_json(r.location.path, r.location.start, r.location.end, sources),
            "message": r.message,
        }
        for r in f.related
    ]
    item["fix"] = (
        None
        if f.fix is None
        else {
            "title": f.fix.title,
            "applicability": f.fix.applicability.value,
            "note": f.fix.note,
            "edits": [
                {
                    **range_json(e.path, e.start, e.end, sources),
                    "content": e.text.decode("utf-8", "replace"),
                }
                for e in f.fix.edits
            ],
        }
    )
    return item


def rules_markdown() -> str:
    """The rule table of the README, generated from the registry."""
    from gomapfix.registry import all_codemods

    rows = ["| code | name | family | summary | default |", "|---|---|---|---|---|"]
    for c in all_codemods():
        rows.append(
            f"| {c.code} | `{c.name}` | {c.family} | {c.summary} | "
            f"{'on' if c.default_enabled else 'off'} |"
        )
    return "\n".join(rows) + "\n"


def format_json(result: RunResult) -> str:
    sources = final_sources(result)
    originals = Sources({r.path: r.original or b"" for r in result.files})
    doc = {
        "version": __version__,
        "summary": {
            "files": len(result.files),
            "findings": len(result.findings),
            "fixed": len(result.applied),
            "changed_files": len(result.changed),
            "skipped": len(result.skipped),
            "failed": len(result.failed),
            "packages": result.stats.packages,
            "packages_prefiltered": result.stats.prefiltered,
            "packages_cached": result.stats.cached,
            "packages_analysed": result.stats.analysed,
            "files_parsed": result.stats.files_parsed,
            "files_header_only": result.stats.files_header_only,
        },
        "results": [finding_json(f, sources) for f in result.findings],
        "fixed": dict(sorted(Counter(f.code for f in result.applied).items())),
        # Fixes applied by `fix` (positions in the text each was computed on: the
        # original for the first pass).
        "applied": [finding_json(f, originals) for f in result.applied],
        "skipped": [{"path": display_path(r.path), "reason": r.reason} for r in result.skipped],
        "failed": [{"path": display_path(r.path), "error": r.reason} for r in result.failed],
    }
    import json

    return json.dumps(doc, indent=2) + "\n"


def final_sources(result: RunResult) -> Sources:
    """The texts remaining findings are positioned in: after fixes, or as read."""
    texts: dict[str, bytes] = {}
    for r in result.files:
        data = r.new if r.new is not None else r.original
        if data is not None:
            texts[r.path] = data
    return Sources(texts)


def format_json_lines(result: RunResult) -> str:
    sources = final_sources(result)
    import json

    return "".join(json.dumps(finding_json(f, sources)) + "\n" for f in result.findings)


def relative_patch_path(path: str) -> str:
    return Path(display_path(path)).as_posix()
