"""Batch verification of golden outputs with the real Go toolchain.

One throwaway module per Go version holds every case as its own package, so that
``go vet ./...`` and ``go test -race ./...`` run once per version instead of once per case
(each go invocation costs seconds; the suite must stay quick on two cores).
"""

from __future__ import annotations

import json
import subprocess
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from gomapfix.toolchain import Toolchain

from golden_support import GoldenCase, write_module


@dataclass
class GoReport:
    gofmt_unclean: set[str] = field(default_factory=set)
    """Package directory names whose file gofmt would change."""
    vet_output: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    race_passed: dict[str, bool] = field(default_factory=dict)
    output: str = ""
    index: dict[str, int] = field(default_factory=dict)
    """Case id -> the number in its package directory names."""


def pkg_dir(case_index: int, role: str) -> str:
    return f"case{case_index:04d}{role}"


def verify(cases: list[GoldenCase], base: Path, tc: Toolchain) -> GoReport:
    report = GoReport()
    by_version: dict[str, list[tuple[int, GoldenCase]]] = defaultdict(list)
    for i, case in enumerate(cases):
        by_version[case.go].append((i, case))
        report.index[case.id] = i
    env = tc.env(offline=True)
    for version, items in sorted(by_version.items()):
        vet_root = base / f"vet-go{version}"
        write_module(vet_root, version, {})
        race_root = base / f"race-go{version}"
        race_items: list[str] = []
        files_for_fmt: list[Path] = []
        for i, case in items:
            if case.expected_path.exists() or case.input_compiles:
                # An unchanged case's expected output is its input: vet it only if it compiles.
                exp_dir = vet_root / pkg_dir(i, "expected")
                exp_dir.mkdir(parents=True)
                (exp_dir / "expected.go").write_bytes(case.expected_output())
                for name, data in case.created_files().items():
                    (exp_dir / name).write_bytes(data)
                files_for_fmt.append(exp_dir / "expected.go")
            if case.input_compiles:
                in_dir = vet_root / pkg_dir(i, "input")
                in_dir.mkdir(parents=True)
                (in_dir / "input.go").write_bytes(case.effective_input())
            if case.race and case.race_test.exists():
                for role, data in (
                    ("input", case.effective_input()),
                    ("expected", case.expected_output()),
                ):
                    d = race_root / pkg_dir(i, role)
                    d.mkdir(parents=True)
                    (d / "code.go").write_bytes(data)
                    (d / "race_test.go").write_bytes(case.race_test.read_bytes())
                    if role == "expected":
                        for name, created in case.created_files().items():
                            (d / name).write_bytes(created)
                    race_items.append(pkg_dir(i, role))
        fmt = subprocess.run(
            [str(tc.gofmt), "-l", *map(str, files_for_fmt)], capture_output=True, text=True, env=env
        )
        for line in fmt.stdout.splitlines():
            report.gofmt_unclean.add(Path(line).parent.name)
        vet = subprocess.run(
            [str(tc.go), "vet", "./..."], cwd=vet_root, capture_output=True, text=True, env=env
        )
        report.output += vet.stdout + vet.stderr
        for line in (vet.stdout + vet.stderr).splitlines():
            for i, _ in items:
                for role in ("expected", "input"):
                    name = pkg_dir(i, role)
                    if name + "/" in line or line.rstrip().endswith("/" + name):
                        report.vet_output[name].append(line)
        if race_items:
            write_module(race_root, version, {})
            test = subprocess.run(
                [str(tc.go), "test", "-race", "-count=1", "-json", "./..."],
                cwd=race_root,
                capture_output=True,
                text=True,
                env=env,
            )
            for line in test.stdout.splitlines():
                try:
                    event = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if event.get("Test") is None and event.get("Action") in ("pass", "fail"):
                    name = str(event.get("Package", "")).rsplit("/", 1)[-1]
                    report.race_passed[name] = event["Action"] == "pass"
            for name in race_items:
                report.race_passed.setdefault(name, False)
    return report
