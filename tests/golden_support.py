"""Loading golden cases and running gomapfix on them the way a user would (the CLI)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gomapfix.cli import main
from gomapfix.registry import lookup
from gomapfix.toolchain import Toolchain, find_toolchain

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "golden"
DEFAULT_GO = "1.24"
_WANT = re.compile(r'[ \t]*// want ((?:"(?:[^"\\]|\\.)*"[ \t]*)+)$', re.MULTILINE)
_WANT_ITEM = re.compile(r'"((?:[^"\\]|\\.)*)"')
_CASE_KEYS = {
    "go",
    "unsafe_fixes",
    "select",
    "input_compiles",
    "race",
    "description",
    "fix_style",
}


@dataclass(frozen=True)
class GoldenCase:
    rule: str
    name: str
    dir: Path
    go: str
    unsafe_fixes: bool
    select: tuple[str, ...]
    input_compiles: bool
    race: bool
    fix_style: str | None = None

    @property
    def id(self) -> str:
        return f"{self.rule}/{self.name}"

    @property
    def input_path(self) -> Path:
        return self.dir / "input.go"

    @property
    def expected_path(self) -> Path:
        return self.dir / "expected.go"

    @property
    def patch_path(self) -> Path:
        return self.dir / "expected.patch"

    @property
    def race_test(self) -> Path:
        return self.dir / "race_test.go"

    def effective_input(self) -> bytes:
        """input.go without its ``// want`` markers, which is what the tool is run on."""
        return _WANT.sub("", self.input_path.read_text(encoding="utf-8")).encode()

    def created_files(self) -> dict[str, bytes]:
        """Files the fix creates (e.g. gomapfix_mapwrapper.go), as the case expects them."""
        fixed = {"input.go", "expected.go", "race_test.go"}
        return {
            p.name: p.read_bytes() for p in sorted(self.dir.glob("*.go")) if p.name not in fixed
        }

    def expected_output(self) -> bytes:
        if self.expected_path.exists():
            return self.expected_path.read_bytes()
        return self.effective_input()

    def wants(self) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {}
        for lineno, line in enumerate(self.input_path.read_text().splitlines(), start=1):
            m = _WANT.search(line)
            if m:
                out[lineno] = [
                    bytes(p, "utf-8").decode("unicode_escape")
                    for p in _WANT_ITEM.findall(m.group(1))
                ]
        return out

    def flags(self) -> list[str]:
        flags = ["--no-config", "--select", ",".join(self.select)]
        if self.fix_style:
            flags += ["--fix-style", self.fix_style]
        return flags


def load_cases() -> list[GoldenCase]:
    cases: list[GoldenCase] = []
    if not GOLDEN.is_dir():
        return cases
    for rule_dir in sorted(p for p in GOLDEN.iterdir() if p.is_dir()):
        rule = lookup(rule_dir.name)
        for case_dir in sorted(p for p in rule_dir.iterdir() if p.is_dir()):
            config: dict[str, Any] = {}
            toml = case_dir / "case.toml"
            if toml.exists():
                config = tomllib.loads(toml.read_text())
                unknown = set(config) - _CASE_KEYS
                if unknown:
                    raise ValueError(f"{toml}: unknown keys {sorted(unknown)}")
            default_select = (rule.code,) if rule is not None else ()
            cases.append(
                GoldenCase(
                    rule=rule_dir.name,
                    name=case_dir.name,
                    dir=case_dir,
                    go=str(config.get("go", DEFAULT_GO)),
                    unsafe_fixes=bool(config.get("unsafe_fixes", False)),
                    select=tuple(config.get("select", default_select)),
                    input_compiles=bool(config.get("input_compiles", True)),
                    race=bool(config.get("race", False)),
                    fix_style=config.get("fix_style"),
                )
            )
    return cases


def write_module(directory: Path, go: str, files: dict[str, bytes]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "go.mod").write_text(f"module golden\n\ngo {go}\n")
    for name, data in files.items():
        (directory / name).write_bytes(data)


@contextlib.contextmanager
def chdir(path: Path) -> Iterator[None]:
    old = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def run_cli(cwd: Path, args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    return code, out.getvalue(), err.getvalue()


def check_json(case: GoldenCase, workdir: Path, data: bytes) -> dict[str, Any]:
    write_module(workdir, case.go, {"input.go": data})
    code, out, err = run_cli(workdir, ["check", "--output-format", "json", *case.flags(), "."])
    assert code in (0, 1), f"check exited {code}: {err}"
    doc: dict[str, Any] = json.loads(out)
    return doc


def fix_text(
    case: GoldenCase, workdir: Path, data: bytes, extra: dict[str, bytes] | None = None
) -> bytes:
    write_module(workdir, case.go, {"input.go": data, **(extra or {})})
    unsafe = ["--unsafe-fixes"] if case.unsafe_fixes else []
    code, _out, err = run_cli(workdir, ["fix", "-q", *unsafe, *case.flags(), "."])
    assert code in (0, 1), f"fix exited {code}: {err}"
    return (workdir / "input.go").read_bytes()


def diff_text(case: GoldenCase, workdir: Path, data: bytes) -> tuple[int, str]:
    write_module(workdir, case.go, {"input.go": data})
    unsafe = ["--unsafe-fixes"] if case.unsafe_fixes else []
    code, out, err = run_cli(workdir, ["fix", "--diff", "-q", *unsafe, *case.flags(), "."])
    assert code in (0, 1), f"fix --diff exited {code}: {err}"
    return code, out


def toolchain() -> Toolchain | None:
    return find_toolchain()


def git_apply(workdir: Path, data: bytes, patch: str) -> bytes:
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "input.go").write_bytes(data)
    (workdir / "fix.patch").write_text(patch)
    subprocess.run(
        ["git", "apply", "fix.patch"], cwd=workdir, check=True, capture_output=True, text=True
    )
    return (workdir / "input.go").read_bytes()


def patch_p1(workdir: Path, data: bytes, patch: str) -> bytes | None:
    if shutil.which("patch") is None:
        return None
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "input.go").write_bytes(data)
    subprocess.run(
        ["patch", "-p1", "--quiet"],
        cwd=workdir,
        input=patch,
        check=True,
        capture_output=True,
        text=True,
    )
    return (workdir / "input.go").read_bytes()
