"""discover -> read -> parse -> facts -> codemods -> suppress -> apply; returns results.

The runner prints nothing and writes nothing: it hands back a ``RunResult`` that the
command line, the bot or an editor turns into output or writes. Work is done per package
directory, the unit that later runs fan out over processes.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from gomapfix.analysis import AnalysisOptions, FileAnalysis, analyze_directory
from gomapfix.apply import ConvergenceError, fix_to_convergence
from gomapfix.discover import DiscoveryOptions, PackageDir, discover
from gomapfix.finding import Finding
from gomapfix.goversion import module_go_version
from gomapfix.parallel import map_isolated


class Status(enum.Enum):
    FIXED = "fixed"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass(frozen=True)
class FileResult:
    path: str
    status: Status
    findings: tuple[Finding, ...] = ()
    """What remains to report, positioned in the final text."""
    applied: tuple[Finding, ...] = ()
    """Findings whose fixes were applied (positions in the text of their pass)."""
    original: bytes | None = None
    new: bytes | None = None
    reason: str | None = None
    """For skipped and failed files, or a file skipped in part (syntax errors)."""
    notes: tuple[str, ...] = ()
    created: bool = False
    """A file the fixes create (``original`` is then empty)."""


@dataclass(frozen=True)
class RunOptions:
    analysis: AnalysisOptions
    discovery: DiscoveryOptions = field(default_factory=DiscoveryOptions)
    fix: bool = False
    unsafe_fixes: bool = False
    jobs: int = 1
    """Worker processes; 1 runs in-process."""


@dataclass(frozen=True)
class RunResult:
    files: tuple[FileResult, ...]

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.files for f in r.findings]

    @property
    def applied(self) -> list[Finding]:
        return [f for r in self.files for f in r.applied]

    @property
    def skipped(self) -> list[FileResult]:
        return [r for r in self.files if r.reason is not None and r.status is not Status.FAILED]

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.files if r.status is Status.FAILED]

    @property
    def changed(self) -> list[FileResult]:
        return [r for r in self.files if r.status is Status.FIXED]


def run(
    paths: list[str],
    options: RunOptions,
    overrides: dict[Path, bytes] | None = None,
) -> RunResult:
    """Check or fix ``paths``; ``overrides`` replaces on-disk contents (editor buffers)."""
    packages = discover(paths, options.discovery)
    task = functools.partial(run_package, options=options, overrides=overrides or {})
    per_package = map_isolated(task, packages, options.jobs, _crashed)
    results = [r for package_results in per_package for r in package_results]
    results.sort(key=lambda r: r.path)
    return RunResult(tuple(results))


def _crashed(package: PackageDir, error: BaseException) -> list[FileResult]:
    reason = f"the worker process analysing this package died ({error}); please report it"
    return [FileResult(str(t), Status.FAILED, reason=reason) for t in sorted(package.targets)]


def run_package(
    package: PackageDir, options: RunOptions, overrides: dict[Path, bytes]
) -> list[FileResult]:
    # go.mod files may have changed since an earlier run in this process (editors, tests).
    module_go_version.cache_clear()
    texts: dict[str, bytes] = {}
    unreadable: list[FileResult] = []
    for file in package.files:
        key = str(file)
        if file in overrides:
            texts[key] = overrides[file]
            continue
        try:
            texts[key] = file.read_bytes()
        except OSError as exc:
            if file in package.targets:
                unreadable.append(
                    FileResult(key, Status.FAILED, reason=f"cannot read file: {exc.strerror}")
                )
    for file, data in overrides.items():
        if file.parent == package.directory:
            texts[str(file)] = data
    targets = [str(t) for t in package.targets if str(t) in texts]

    def analyze(current: dict[str, bytes]) -> dict[str, FileAnalysis]:
        return analyze_directory(package.directory, current, targets, options.analysis)

    if not options.fix:
        analysis = analyze(texts)
        return unreadable + [_result(p, a, texts[p], texts[p], []) for p, a in analysis.items()]
    try:
        outcome = fix_to_convergence(texts, analyze, options.unsafe_fixes, str(package.directory))
    except ConvergenceError as exc:
        return unreadable + [FileResult(p, Status.FAILED, reason=str(exc)) for p in targets]
    out = list(unreadable)
    for path in sorted(set(outcome.texts) - set(texts)):
        out.append(
            FileResult(
                path,
                Status.FIXED,
                applied=tuple(outcome.applied.get(path, [])),
                original=b"",
                new=outcome.texts[path],
                created=True,
            )
        )
    for path, file_analysis in outcome.analysis.items():
        out.append(
            _result(
                path,
                file_analysis,
                texts[path],
                outcome.texts[path],
                outcome.applied.get(path, []),
                outcome.notes.get(path, []),
            )
        )
    return out


def _result(
    path: str,
    analysis: FileAnalysis,
    original: bytes,
    new: bytes,
    applied: Iterable[Finding],
    notes: Iterable[str] = (),
) -> FileResult:
    all_notes = tuple(analysis.warnings) + tuple(notes)
    if analysis.error is not None:
        return FileResult(
            path, Status.FAILED, reason=analysis.error, original=original, notes=all_notes
        )
    if analysis.skip_reason is not None and not analysis.partial:
        return FileResult(
            path,
            Status.SKIPPED,
            reason=analysis.skip_reason,
            original=original,
            new=original,
            notes=all_notes,
        )
    status = Status.FIXED if new != original else Status.UNCHANGED
    return FileResult(
        path,
        status,
        findings=tuple(analysis.findings),
        applied=tuple(applied),
        original=original,
        new=new,
        reason=analysis.skip_reason,
        notes=all_notes,
    )
