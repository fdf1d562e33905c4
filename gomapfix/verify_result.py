"""Applying verification verdicts to a run: packages that fail keep their old text."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from gomapfix.runner import FileResult, RunResult, Status
from gomapfix.toolchain import Toolchain
from gomapfix.verify import PackageChange, verify


def verify_result(result: RunResult, level: str, toolchain: Toolchain) -> RunResult:
    by_dir: dict[Path, list[FileResult]] = defaultdict(list)
    for r in result.changed:
        by_dir[Path(r.path).parent].append(r)
    changes = [
        PackageChange(
            directory=directory,
            files={Path(r.path): (r.original or b"", r.new or b"") for r in files},
            concurrency=any(f.code.startswith("GMF1") for r in files for f in r.applied),
        )
        for directory, files in sorted(by_dir.items())
    ]
    verdicts = {v.directory: v for v in verify(changes, level, toolchain)}
    files: list[FileResult] = []
    for r in result.files:
        verdict = verdicts.get(Path(r.path).parent) if r.status is Status.FIXED else None
        if verdict is None:
            files.append(r)
        elif not verdict.ok:
            codes = ", ".join(sorted({f"{f.code} {f.name}" for f in r.applied})) or "none here"
            reason = (
                f"verification failed at {verdict.step}; this package's fixes were rolled "
                f"back (fixes in this file: {codes})\n{verdict.output.rstrip()}"
            )
            files.append(
                replace(r, status=Status.FAILED, new=r.original, reason=reason, applied=())
            )
        elif not verdict.verified:
            note = "not verified: the module's dependencies are not available offline"
            files.append(replace(r, notes=(*r.notes, note)))
        else:
            files.append(replace(r, notes=(*r.notes, f"verified ({verdict.step})")))
    return RunResult(tuple(files))
