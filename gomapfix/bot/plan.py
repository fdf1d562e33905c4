"""What the bot proposes: fixes computed on the base, one step per rule, split in groups.

Work happens in a private export of the base branch. Rules run one after the other, each
on the text the previous ones left, so that each rule becomes one commit whose tree is
exactly what was analysed. Verification (``gofmt`` + ``go vet``, or tests) runs on each
changed package's final text; when a package fails, its steps are recomputed with each
step verified on its own, and the steps that fail are left out, so that no patch that
does not build is proposed.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from gomapfix.codemod import Codemod
from gomapfix.finding import Finding
from gomapfix.runner import FileResult, RunOptions, RunResult, Status, run
from gomapfix.toolchain import Toolchain
from gomapfix.verify_result import verify_result

Log = Callable[[str], None]


@dataclass(frozen=True)
class Fixed:
    """One applied fix, as shown to reviewers (path relative to the repository)."""

    path: str
    line: int
    """In the text the rule fixed (the parent of its commit)."""
    column: int
    message: str
    level: str
    base_line: int = 0
    """The same place in the base's text (what the pull request links to)."""


@dataclass(frozen=True)
class FileChange:
    path: str
    """Relative to the repository, with / separators."""
    old: bytes
    new: bytes
    created: bool = False


@dataclass(frozen=True)
class Step:
    """One rule's fixes: one commit."""

    code: str
    name: str
    summary: str
    fixed: tuple[Fixed, ...]
    changes: tuple[FileChange, ...]
    findings: tuple[Finding, ...] = field(default=(), compare=False, repr=False)

    @property
    def explain(self) -> str:
        """The first line of ``gomapfix explain CODE``."""
        return f"{self.code} {self.name}: {self.summary}"

    @property
    def levels(self) -> dict[str, int]:
        return dict(sorted(Counter(f.level for f in self.fixed).items()))

    def only(self, paths: set[str]) -> Step | None:
        changes = tuple(c for c in self.changes if c.path in paths)
        if not changes:
            return None
        return replace(
            self,
            changes=changes,
            fixed=tuple(f for f in self.fixed if f.path in paths),
        )


@dataclass(frozen=True)
class PackageCheck:
    package: str
    """Relative folder of the package ("." for the repository's root)."""
    outcome: str
    """verified, not verified, rolled back."""
    detail: str = ""


@dataclass(frozen=True)
class Group:
    name: str
    """Branch-safe: all, rule-GMF201-nil-map-write, package-internal-cache, module-root."""
    title: str
    steps: tuple[Step, ...]
    checks: tuple[PackageCheck, ...] = ()
    scope: tuple[str, ...] = (".",)
    """Paths that reproduce the group with `gomapfix fix --diff`."""

    @property
    def branch(self) -> str:
        return f"gomapfix/{self.name}"

    @property
    def fixes(self) -> int:
        return sum(len(s.fixed) for s in self.steps)

    @property
    def codes(self) -> list[str]:
        return [s.code for s in self.steps]

    @property
    def levels(self) -> dict[str, int]:
        total: Counter[str] = Counter()
        for step in self.steps:
            total.update(step.levels)
        return dict(sorted(total.items()))

    def final_changes(self) -> list[FileChange]:
        """Base text to final text of each file the group changes."""
        first: dict[str, FileChange] = {}
        last: dict[str, bytes] = {}
        for step in self.steps:
            for change in step.changes:
                first.setdefault(change.path, change)
                last[change.path] = change.new
        return [FileChange(p, first[p].old, last[p], first[p].created) for p in sorted(first)]

    @property
    def fingerprint(self) -> str:
        """Identifies the proposed fixes: the rules, and each file's text before and after.

        It does not change when the base moves on in files the fixes leave alone, so an
        unrelated commit on the base does not churn the pull request."""
        payload = [
            self.name,
            [
                [
                    s.code,
                    [[c.path, "" if c.created else _blob(c.old), _blob(c.new)] for c in s.changes],
                ]
                for s in self.steps
            ],
        ]
        return hashlib.sha256(json.dumps(payload).encode()).hexdigest()[:24]


@dataclass(frozen=True)
class Plan:
    groups: tuple[Group, ...]
    verify_level: str | None
    """The level the changes were proven at; None when they were not verified."""
    unverified_reason: str | None = None
    problems: tuple[str, ...] = ()
    """Files the engine could not analyse or fix (reported, never fatal)."""


def _blob(data: bytes) -> str:
    """git's blob id of ``data`` (computed here: a dry run writes no object)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def slug(text: str) -> str:
    """A branch-name-safe form of a path or rule name."""
    if text in ("", "."):
        return "root"
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")
    return cleaned or "root"


class _Workspace:
    """The export of the base: remembers what it overwrote, to go back to the base."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.base: dict[str, bytes | None] = {}

    def write(self, changes: Iterable[FileChange]) -> None:
        for change in changes:
            path = self.root / change.path
            if change.path not in self.base:
                self.base[change.path] = None if change.created else change.old
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(change.new)

    def reset(self) -> None:
        for rel, data in self.base.items():
            path = self.root / rel
            if data is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(data)
        self.base.clear()


class Planner:
    def __init__(
        self,
        root: Path,
        paths: list[str],
        options: RunOptions,
        verify_level: str | None,
        toolchain: Toolchain | None,
        log: Log | None = None,
    ) -> None:
        self.root = root.resolve()
        self.paths = paths
        self.options = replace(options, fix=True, progress=False, cache_root=None)
        self.level = verify_level if toolchain is not None else None
        self.toolchain = toolchain
        self.log = log
        self.workspace = _Workspace(self.root)
        self.problems: list[str] = []

    def rel(self, path: str | Path) -> str:
        p = Path(path)
        try:
            return p.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return p.as_posix()

    def _say(self, text: str) -> None:
        if self.log is not None:
            self.log(text)

    def plan(self, split: str | None, scope: Sequence[str]) -> list[Group]:
        everything = run(self.paths, self.options)
        for r in everything.failed:
            reason = (r.reason or "failed").splitlines()[0]
            self.problems.append(f"{self.rel(r.path)}: {reason}")
        changed_dirs = {Path(r.path).parent for r in everything.changed}
        if not changed_dirs:
            return []
        # Rules then run only on the packages that have something to fix.
        targets = sorted(
            r.path
            for r in everything.files
            if Path(r.path).parent in changed_dirs and not r.created and Path(r.path).is_file()
        )
        codemods = sorted(self.options.analysis.codemods, key=lambda c: c.code)
        if split == "rule":
            groups = []
            for codemod in codemods:
                steps, checks = self._build(targets, [codemod])
                self.workspace.reset()
                if steps:
                    groups.append(
                        Group(
                            f"rule-{codemod.code}-{slug(codemod.name)}",
                            f"rule {codemod.code} {codemod.name}",
                            tuple(steps),
                            tuple(checks),
                            tuple(scope),
                        )
                    )
            return groups
        steps, checks = self._build(targets, codemods)
        self.workspace.reset()
        if not steps:
            return []
        if split is None:
            return [Group("all", "all packages", tuple(steps), tuple(checks), tuple(scope))]
        return self._split(split, steps, checks)

    # Locations ----------------------------------------------------------------------------

    def _module(self, rel_path: str) -> str:
        folder = (self.root / rel_path).parent
        for candidate in (folder, *folder.parents):
            if (candidate / "go.mod").is_file():
                return self.rel(candidate) if candidate != self.root else "."
            if candidate == self.root:
                break
        return "."

    def _split(self, split: str, steps: list[Step], checks: list[PackageCheck]) -> list[Group]:
        keys: dict[str, set[str]] = defaultdict(set)
        for step in steps:
            for change in step.changes:
                if split == "package":
                    key = Path(change.path).parent.as_posix()
                else:
                    key = self._module(change.path)
                keys[key or "."].add(change.path)
        groups = []
        for key, paths in sorted(keys.items()):
            group_steps = tuple(s for s in (step.only(paths) for step in steps) if s is not None)
            folders = {_folder(p) for p in paths}
            group_checks = tuple(c for c in checks if c.package in folders)
            if split == "package":
                scope = ("*.go",) if key == "." else (f"{key}/*.go",)
            else:
                scope = ("./...",) if key == "." else (f"./{key}/...",)
            shown = "./" if key == "." else f"./{key}"
            groups.append(
                Group(f"{split}-{slug(key)}", f"{split} {shown}", group_steps, group_checks, scope)
            )
        return groups

    # Steps ----------------------------------------------------------------------------------

    def _build(
        self, targets: list[str], codemods: Sequence[type[Codemod]]
    ) -> tuple[list[Step], list[PackageCheck]]:
        steps, rolled = self._stack(targets, codemods, verify_each=set())
        if self.level is None or not steps:
            return steps, []
        checks, failed = self._verify_final(steps)
        if failed:
            # Again, proving each step of the failing packages on its own.
            self._say(f"verify: {len(failed)} package(s) failed; checking each rule's fixes")
            self.workspace.reset()
            steps, rolled = self._stack(targets, codemods, verify_each=failed)
            again, still = self._verify_final(steps)
            checks = [c for c in checks if c.package not in {self.rel(d) for d in failed}]
            checks += [c for c in again if c.package in {self.rel(d) for d in failed}]
            if still:
                drop = {self.rel(d) for d in still}
                steps = [
                    s
                    for s in (
                        step.only({c.path for c in step.changes if _folder(c.path) not in drop})
                        for step in steps
                    )
                    if s is not None
                ]
                rolled += [
                    PackageCheck(p, "rolled back", "all fixes (the package still failed)")
                    for p in sorted(drop)
                ]
                checks = [c for c in checks if c.package not in drop]
        return steps, sorted([*checks, *rolled], key=lambda c: (c.package, c.outcome, c.detail))

    def _options_for(self, codemod: type[Codemod]) -> RunOptions:
        return replace(self.options, analysis=replace(self.options.analysis, codemods=(codemod,)))

    def _stack(
        self, targets: list[str], codemods: Sequence[type[Codemod]], verify_each: set[Path]
    ) -> tuple[list[Step], list[PackageCheck]]:
        steps: list[Step] = []
        rolled: list[PackageCheck] = []
        for codemod in codemods:
            result = run(targets, self._options_for(codemod))
            files = list(result.files)
            if verify_each and self.level is not None and self.toolchain is not None:
                checked = [r for r in files if Path(r.path).parent in verify_each]
                others = [r for r in files if Path(r.path).parent not in verify_each]
                verdicts = verify_result(RunResult(tuple(checked)), self.level, self.toolchain)
                for r in verdicts.files:
                    if (
                        r.status is Status.FAILED
                        and r.reason
                        and r.reason.startswith("verification")
                    ):
                        rolled.append(
                            PackageCheck(
                                self.rel(Path(r.path).parent) or ".",
                                "rolled back",
                                f"{codemod.code} {codemod.name}: {_failure_line(r.reason)}",
                            )
                        )
                files = others + list(verdicts.files)
            changed = [
                r for r in files if r.status is Status.FIXED and r.new is not None and r.applied
            ]
            if not changed:
                continue
            changes = tuple(
                FileChange(self.rel(r.path), r.original or b"", r.new or b"", r.created)
                for r in sorted(changed, key=lambda r: r.path)
            )
            findings = tuple(f for r in changed for f in r.applied)
            before = {c.path: c.old for c in changes}
            fixed = tuple(
                Fixed(
                    rel,
                    f.location.line,
                    f.location.column,
                    f.message,
                    f.fix.applicability.value if f.fix is not None else "safe",
                    self._base_line(rel, before.get(rel), f.location.line),
                )
                for f in sorted(findings, key=lambda f: f.sort_key)
                for rel in [self.rel(f.location.path)]
            )
            self.workspace.write(changes)
            self._say(
                f"fix: {codemod.code} {codemod.name}: {len(fixed)} fix(es) in "
                f"{len(changes)} file(s)"
            )
            steps.append(
                Step(codemod.code, codemod.name, codemod.summary, fixed, changes, findings)
            )
        return steps, _unique(rolled)

    def _base_line(self, rel: str, current: bytes | None, line: int) -> int:
        """Where ``line`` of the text an earlier rule left was in the base's text."""
        base = self.workspace.base.get(rel, current)
        if rel not in self.workspace.base or base is None or current is None:
            return line
        ops = difflib.SequenceMatcher(
            None, base.splitlines(), current.splitlines(), autojunk=False
        ).get_opcodes()
        for tag, i1, _i2, j1, j2 in ops:
            if j1 <= line - 1 < j2:
                return i1 + (line - 1 - j1) + 1 if tag == "equal" else i1 + 1
        return line

    def _verify_final(self, steps: list[Step]) -> tuple[list[PackageCheck], set[Path]]:
        """Verify each changed package's final text against the base."""
        assert self.level is not None and self.toolchain is not None
        first: dict[str, FileChange] = {}
        applied: dict[str, list[Finding]] = defaultdict(list)
        for step in steps:
            for change in step.changes:
                first.setdefault(change.path, change)
            for finding in step.findings:
                applied[self.rel(finding.location.path)].append(finding)
        files = tuple(
            FileResult(
                str(self.root / rel),
                Status.FIXED,
                applied=tuple(applied.get(rel, ())),
                original=b"" if change.created else change.old,
                new=(self.root / rel).read_bytes(),
                created=change.created,
            )
            for rel, change in sorted(first.items())
        )
        self._say(f"verify: {self.level} on {len({_folder(p) for p in first})} package(s)")
        verdicts = verify_result(RunResult(files), self.level, self.toolchain)
        checks: dict[str, PackageCheck] = {}
        failed: set[Path] = set()
        for r in verdicts.files:
            folder = _folder(self.rel(r.path))
            if r.status is Status.FAILED:
                failed.add(Path(r.path).parent)
                continue
            note = next((n for n in r.notes if n.startswith(("verified", "not verified"))), "")
            if note.startswith("verified"):
                checks[folder] = PackageCheck(
                    folder, "verified", note.removeprefix("verified").strip(" ()")
                )
            elif note:
                checks[folder] = PackageCheck(
                    folder, "not verified", note.removeprefix("not verified:").strip()
                )
        return [checks[k] for k in sorted(checks)], failed


def _folder(rel_path: str) -> str:
    return Path(rel_path).parent.as_posix() or "."


def _failure_line(reason: str) -> str:
    lines = [ln.strip() for ln in reason.splitlines()[1:] if ln.strip() and not ln.startswith("#")]
    return (lines[0] if lines else reason.splitlines()[0])[:200]


def _unique(checks: list[PackageCheck]) -> list[PackageCheck]:
    return list(dict.fromkeys(checks))
