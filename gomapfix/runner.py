"""discover -> read -> parse -> facts -> codemods -> suppress -> apply; returns results.

The runner prints nothing and writes nothing: it hands back a ``RunResult`` that the
command line, the bot or an editor turns into output or writes. Work is done per package
directory, the unit that later runs fan out over processes.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from gomapfix.analysis import PARSED, AnalysisOptions, FileAnalysis, analyze_directory
from gomapfix.apply import ConvergenceError, fix_to_convergence
from gomapfix.codemod import PackageEvidence
from gomapfix.discover import DiscoveryOptions, PackageDir, discover
from gomapfix.finding import Finding
from gomapfix.goversion import module_go_version


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
    cache_root: Path | None = None
    """Project root holding .gomapfix_cache/; None disables the cache."""
    writable: frozenset[str] | None = None
    """Paths fixes may edit (None: any file of the package, or a new one)."""
    progress: bool = False
    """A progress bar on stderr (the command line sets it only when stderr is a terminal)."""
    prefilter: bool = True
    """Skip parsing packages in which no enabled rule can report (byte-level, sound)."""


@dataclass(frozen=True)
class RunStats:
    packages: int = 0
    prefiltered: int = 0
    """Packages no enabled rule can report in: not parsed at all."""
    cached: int = 0
    """Packages answered from the result cache: not parsed."""
    analysed: int = 0
    files_parsed: int = 0
    """Files whose whole text was parsed (fix passes parse again, and count)."""
    files_header_only: int = 0
    """Files read for package facts of which only the package clause and imports were
    parsed: nothing asked about their declarations."""


@dataclass(frozen=True)
class RunResult:
    files: tuple[FileResult, ...]
    stats: RunStats = field(default_factory=RunStats)

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
    # go.mod files may have changed since an earlier run in this process (editors, tests).
    module_go_version.cache_clear()
    packages = discover(paths, options.discovery)
    results: list[FileResult] = []
    misses: list[PackageDir] = []
    prefiltered = 0
    # Biggest packages first, so that no worker starts a large one last while the
    # other waits (output order does not depend on it: results are sorted below).
    sizes = {p.directory: _size(p) for p in packages}
    by_size = sorted(packages, key=lambda p: sizes[p.directory], reverse=True)

    def needing_work(advance: Callable[[list[FileResult]], None] | None) -> Iterator[PackageDir]:
        """Packages the cheap answers (cache, prefilter) leave to the workers, found in
        this process while the workers already run the ones found before."""
        nonlocal prefiltered
        for package in by_size:
            quick = _answer(package, options, overrides or {}, compute=False)
            if quick is None:
                misses.append(package)
                yield package
                continue
            prefiltered += quick.how == "prefiltered"
            results.extend(_slim(quick.results))
            if advance is not None:
                advance(quick.results)

    task = functools.partial(_run_package_slim, options=options, overrides=overrides or {})
    from gomapfix.parallel import map_isolated  # process pools: whole runs only

    with _progress(options.progress, len(packages)) as advance:
        on_done = (lambda run: advance(run.results)) if advance is not None else None
        done = map_isolated(
            task,
            needing_work(advance),
            options.jobs,
            _crashed,
            on_done,
            weight=lambda p: _weight(sizes[p.directory]),
            budget=1,
        )
        parsed = header_only = 0
        for package_run in done:
            results.extend(package_run.results)
            parsed += package_run.parsed
            header_only += package_run.header_only
    results.sort(key=lambda r: r.path)
    stats = RunStats(
        packages=len(packages),
        prefiltered=prefiltered,
        cached=len(packages) - len(misses) - prefiltered,
        analysed=len(misses),
        files_parsed=parsed,
        files_header_only=header_only,
    )
    return RunResult(tuple(results), stats)


@contextlib.contextmanager
def _progress(enabled: bool, total: int) -> Iterator[Callable[[list[FileResult]], None] | None]:
    """Packages done / total, files per second and findings so far, on stderr."""
    if not enabled or total < 2:
        yield None
        return
    from tqdm import tqdm  # imported only for a terminal

    findings = 0
    with tqdm(total=total, unit="pkg", file=sys.stderr, leave=False) as bar:

        def advance(results: list[FileResult]) -> None:
            nonlocal findings
            findings += sum(len(r.findings) for r in results)
            bar.set_postfix(findings=findings, refresh=False)
            bar.update(1)

        yield advance


def _crashed(package: PackageDir, error: BaseException) -> _PackageRun:
    reason = f"the worker process analysing this package died ({error}); please report it"
    return _PackageRun(
        [FileResult(str(t), Status.FAILED, reason=reason) for t in sorted(package.targets)]
    )


@dataclass(frozen=True)
class _PackageRun:
    """A worker's answer for one package: its results and what it parsed."""

    results: list[FileResult]
    parsed: int = 0
    header_only: int = 0


@dataclass(frozen=True)
class _Answer:
    """A package's results and how they were had: prefiltered, cached or computed."""

    how: str
    results: list[FileResult]


def _size(package: PackageDir) -> int:
    total = 0
    for file in package.files:
        with contextlib.suppress(OSError):
            total += file.stat().st_size
    return total


def _run_package_slim(
    package: PackageDir, options: RunOptions, overrides: dict[Path, bytes]
) -> _PackageRun:
    """A worker's task: ``run_package`` without the go.mod cache reset (``run`` did it)
    and with lean results."""
    before = replace(PARSED)
    results = _slim(_computed(package, options, overrides))
    return _PackageRun(
        results, PARSED.parsed - before.parsed, PARSED.header_only - before.header_only
    )


_LARGE_PACKAGE = 3 * 2**20
"""Packages with more Go source than this run one at a time (beside any number of
smaller ones). A package whose files are all parsed takes about 50 MiB per MiB of source
(the std lib's runtime, 4.3 MiB: 220 MiB), so two large ones side by side and the parent
would pass 500 MiB (a monorepo holding the std lib twice would pair its runtime copies);
the smaller packages keep the other core busy meanwhile."""


def _weight(size: int) -> int:
    return 1 if size > _LARGE_PACKAGE else 0


def _slim(results: list[FileResult]) -> list[FileResult]:
    """Drop the texts of files with nothing to show or write: a run over a large tree
    would otherwise hold (and ship between processes) every file it read. Positions
    of later output read such a file from disk again, which nothing here changed."""
    out = []
    for r in results:
        idle = r.status in (Status.UNCHANGED, Status.SKIPPED) and not (r.findings or r.applied)
        if idle and not r.created and (r.original is not None or r.new is not None):
            # Built directly: dataclasses.replace costs more than the rest of a warm run.
            r = FileResult(r.path, r.status, reason=r.reason, notes=r.notes)
        out.append(r)
    return out


def run_package(
    package: PackageDir, options: RunOptions, overrides: dict[Path, bytes]
) -> list[FileResult]:
    module_go_version.cache_clear()  # see run()
    return _computed(package, options, overrides)


def _computed(
    package: PackageDir, options: RunOptions, overrides: dict[Path, bytes]
) -> list[FileResult]:
    answer = _answer(package, options, overrides, compute=True)
    assert answer is not None
    return answer.results


def _answer(
    package: PackageDir, options: RunOptions, overrides: dict[Path, bytes], compute: bool
) -> _Answer | None:
    """The results of one package; with ``compute=False``, None unless they are cheap
    (the cache has them, or the prefilter rules the package out)."""
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
    cache = None
    if options.cache_root and not overrides:  # never for editor buffers
        from gomapfix.cache import ResultCache, package_key

        cache = ResultCache(options.cache_root)
    key = ""
    if cache is not None:
        # Before the prefilter: a hash and a lookup cost less than scanning every rule's
        # tokens, and a warm run then reads only the cache.
        key = package_key(texts, targets, _cache_context(package, options))
        cached = cache.load(key, texts)
        if cached is not None:
            return _Answer("cached", unreadable + cached)
    if options.prefilter and not _may_report(texts, targets, options):
        unchanged = [
            FileResult(p, Status.UNCHANGED, original=texts[p], new=texts[p]) for p in targets
        ]
        if cache is not None:
            cache.store(key, unchanged, texts)
        return _Answer("prefiltered", unreadable + unchanged)
    if not compute:
        return None
    results = _run_texts(package, options, texts, targets)
    if cache is not None and not any(r.status is Status.FAILED for r in results):
        cache.store(key, results, texts)
    return _Answer("computed", unreadable + results)


def _may_report(texts: dict[str, bytes], targets: list[str], options: RunOptions) -> bool:
    """Whether any enabled rule could report in a target file, judged from bytes alone.

    Sound because every rule declares the byte strings of which one must occur in a
    file it reports in, and, where it needs one, a pattern some file of the package must
    match (a rule about maps needs a map written somewhere); a rule that declares no
    tokens disables the filter.
    """
    # Tokens never hold a NUL byte, so none matches across two files joined by one.
    joined = b"\0".join(texts[t] for t in targets)
    if b"gomapfix:" in joined:
        return True
    evidence = PackageEvidence(list(texts.values()))
    for codemod in options.analysis.codemods:
        if not codemod.trigger_tokens:
            return True
        if any(token in joined for token in codemod.trigger_tokens) and evidence.admits(codemod):
            return True
    return False


def _cache_context(package: PackageDir, options: RunOptions) -> str:
    module = module_go_version(package.directory.resolve())
    analysis = options.analysis
    return repr(
        (
            sorted(c.code for c in analysis.codemods),
            analysis.go_version,
            analysis.include_generated,
            analysis.per_file_ignores,
            analysis.rule_options,
            options.fix,
            options.unsafe_fixes,
            str(module),
            str(package.directory),
        )
    )


def _run_texts(
    package: PackageDir, options: RunOptions, texts: dict[str, bytes], targets: list[str]
) -> list[FileResult]:
    analysis_options = replace(options.analysis, prefilter=options.prefilter)

    def analyze(current: dict[str, bytes]) -> dict[str, FileAnalysis]:
        return analyze_directory(package.directory, current, targets, analysis_options)

    if not options.fix:
        analysis = analyze(texts)
        return [_result(p, a, texts[p], texts[p], []) for p, a in analysis.items()]
    try:
        outcome = fix_to_convergence(
            texts, analyze, options.unsafe_fixes, str(package.directory), options.writable
        )
    except ConvergenceError as exc:
        return [FileResult(p, Status.FAILED, reason=str(exc)) for p in targets]
    out: list[FileResult] = []
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
