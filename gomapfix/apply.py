"""Applying fixes: atomic, non-overlapping, re-parsed and repeated until nothing applies.

A fix is all of its edits or none. Fixes are taken in source order; one that overlaps a
fix already taken is deferred to the next pass (when the text it was computed against
has changed and it is computed anew), never dropped silently. A pass whose result has
syntax errors the input did not have is undone for the files concerned.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from gomapfix.analysis import FileAnalysis
from gomapfix.finding import Finding
from gomapfix.fix import Edit
from gomapfix.parse import parse_source
from gomapfix.source import SourceText

MAX_PASSES = 10


class ConvergenceError(RuntimeError):
    pass


@dataclass
class FixOutcome:
    texts: dict[str, bytes]
    analysis: dict[str, FileAnalysis]
    """The analysis of the final texts: what remains to report."""
    applied: dict[str, list[Finding]] = field(default_factory=lambda: defaultdict(list))
    notes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def choose(candidates: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """Fixes to apply together this pass, and those deferred for overlapping them."""
    taken: list[Finding] = []
    deferred: list[Finding] = []
    taken_edits: set[Edit] = set()
    for finding in sorted(candidates, key=lambda f: f.sort_key):
        fix = finding.fix
        assert fix is not None
        fresh = [e for e in fix.edits if e not in taken_edits]
        if any(e.overlaps(t) for e in fresh for t in taken_edits) or any(
            fix.name_clash(t.fix) for t in taken if t.fix is not None
        ):
            deferred.append(finding)
            continue
        taken.append(finding)
        taken_edits.update(fix.edits)
    return taken, deferred


def splice(texts: dict[str, bytes], fixes: list[Finding]) -> dict[str, bytes]:
    by_path: dict[str, set[Edit]] = defaultdict(set)
    for finding in fixes:
        assert finding.fix is not None
        for edit in finding.fix.edits:
            by_path[edit.path].add(edit)
    result = dict(texts)
    for path, edits in by_path.items():
        data = texts.get(path, b"")  # a path not there yet is a file the fix creates
        out: list[bytes] = []
        cursor = 0
        for edit in sorted(edits, key=lambda e: (e.start, e.end)):
            out.append(data[cursor : edit.start])
            out.append(edit.text)
            cursor = edit.end
        out.append(data[cursor:])
        result[path] = b"".join(out)
    return result


@lru_cache(maxsize=256)
def _error_count(path: str, data: bytes) -> int:
    """Syntax-error regions of a text (cached: each pass compares against the last one)."""
    return len(parse_source(SourceText(path, data)).error_regions)


def _may_write(path: str, current: dict[str, bytes], directory: str | None) -> bool:
    """A fix may edit the package's files, or create a new file in the package directory."""
    if path in current:
        return True
    return directory is not None and str(Path(path).parent) == directory


def fix_to_convergence(
    texts: dict[str, bytes],
    analyze: Callable[[dict[str, bytes]], dict[str, FileAnalysis]],
    unsafe_fixes: bool,
    directory: str | None = None,
    writable: frozenset[str] | None = None,
) -> FixOutcome:
    """Fix until nothing applies; ``writable`` limits the paths fixes may edit (an
    editor's buffer: a fix that would also edit another file cannot be delivered)."""
    current = dict(texts)
    frozen: set[str] = set()
    applied: dict[str, list[Finding]] = defaultdict(list)
    notes: dict[str, list[str]] = defaultdict(list)
    for _ in range(MAX_PASSES):
        analysis = analyze(current)
        candidates = [
            f
            for result in analysis.values()
            for f in result.findings
            if f.fix is not None
            and f.fix.edits
            and f.fix.applicability.applies(unsafe_fixes)
            and not (f.fix.paths() & frozen)
            and all(_may_write(p, current, directory) for p in f.fix.paths())
            and (writable is None or f.fix.paths() <= writable)
        ]
        chosen, _deferred = choose(candidates)
        while chosen:
            spliced = splice(current, chosen)
            bad = {
                p
                for p in spliced
                if spliced[p] != current.get(p)
                and _error_count(p, spliced[p]) > _error_count(p, current.get(p, b""))
            }
            if not bad:
                break
            for p in sorted(bad):
                codes = sorted({f.code for f in chosen if p in f.fix.paths()})  # type: ignore[union-attr]
                notes[p].append(
                    f"fixes of {', '.join(codes)} produced invalid Go and were not applied "
                    "(please report this as a gomapfix bug)"
                )
            frozen |= bad
            chosen = [f for f in chosen if not (f.fix.paths() & bad)]  # type: ignore[union-attr]
        if not chosen:
            return FixOutcome(current, analysis, applied, notes)
        for f in chosen:
            applied[f.path].append(f)
        current = spliced
    raise ConvergenceError(
        f"fixes did not converge after {MAX_PASSES} passes; nothing was written for this package"
    )
