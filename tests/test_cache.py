"""The result cache: a warm run re-parses nothing, a change re-runs only its package."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import gomapfix.analysis

from helpers import go_module, run_cli

GUARDED = """
package p{n}

func drop(m map[string]int, k string) {{
	if m != nil {{
		delete(m, k)
	}}
}}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    go_module(tmp_path, {f"p{i}/a.go": GUARDED.format(n=i) for i in range(4)})
    (tmp_path / "gomapfix.toml").write_text('select = ["GMF203"]\n')
    return tmp_path


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = gomapfix.analysis.parse_source

    def counting(source, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(source.path)
        return real(source, **kwargs)

    monkeypatch.setattr(gomapfix.analysis, "parse_source", counting)
    return calls


def check(root: Path) -> tuple[int, str]:
    """Exit code and the findings as JSON (the run statistics differ by design)."""
    code, out, _ = run_cli(root, ["check", "-j", "1", "--output-format", "json", "."])
    doc = json.loads(out)
    return code, json.dumps({k: doc[k] for k in ("results", "skipped", "failed")})


def test_warm_run_parses_nothing_and_reports_the_same(project: Path, parses: list[str]) -> None:
    cold = check(project)
    assert len(parses) == 4
    parses.clear()
    _, out, _ = run_cli(project, ["check", "-j", "1", "--output-format", "json", "."])
    assert parses == []
    assert json.loads(out)["summary"]["packages_cached"] == 4
    assert check(project) == cold
    assert (project / ".gomapfix_cache" / ".gitignore").read_text().endswith("*\n")


def test_touching_one_file_reruns_only_its_package(project: Path, parses: list[str]) -> None:
    check(project)
    parses.clear()
    path = project / "p2" / "a.go"
    path.write_text(path.read_text() + "\nvar touched = 1\n")
    code, out = check(project)
    assert parses == [str(Path("p2") / "a.go")]
    assert code == 1 and len(json.loads(out)["results"]) == 4


def test_options_are_part_of_the_key(project: Path) -> None:
    assert check(project)[0] == 1
    code, _, _ = run_cli(project, ["check", "-j", "1", "--ignore", "GMF203", "."])
    assert code == 0


def test_no_cache_writes_nothing_and_clean_removes_it(project: Path) -> None:
    run_cli(project, ["check", "--no-cache", "."])
    assert not (project / ".gomapfix_cache").exists()
    check(project)
    assert (project / ".gomapfix_cache").is_dir()
    code, out, _ = run_cli(project, ["clean"])
    assert code == 0 and "removed" in out
    assert not (project / ".gomapfix_cache").exists()


def test_concurrent_runs_do_not_corrupt_the_cache(project: Path) -> None:
    cmd = [sys.executable, "-m", "gomapfix", "check", "--output-format", "json", "."]
    procs = [subprocess.Popen(cmd, cwd=project, stdout=subprocess.PIPE) for _ in range(4)]
    outs = [json.loads(p.communicate()[0])["results"] for p in procs]
    assert all(out == outs[0] for out in outs) and len(outs[0]) == 4
    again = subprocess.run(cmd, cwd=project, capture_output=True, check=False)
    assert json.loads(again.stdout)["results"] == outs[0]


def test_fix_results_are_cached_and_still_written(project: Path) -> None:
    # A cached fix result must still carry the new text to write.
    code, _, _ = run_cli(project, ["fix", "--diff", "."])
    assert code == 1
    code, _, _ = run_cli(project, ["fix", "."])
    assert code == 0
    assert "if m != nil" not in (project / "p0" / "a.go").read_text()
