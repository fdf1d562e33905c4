"""Monorepo discovery: --changed-since and --shard."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from helpers import go_module, run_cli

GUARDED = """
package p{n}

func drop(m map[string]int, k string) {{
	if m != nil {{
		delete(m, k)
	}}
}}
"""


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def paths(root: Path, *args: str) -> list[str]:
    code, out, err = run_cli(
        root, ["check", "--select", "GMF203", "--output-format", "json", *args]
    )
    assert code in (0, 1), err
    return sorted(r["path"] for r in json.loads(out)["results"])


def test_changed_since_reports_only_changed_and_untracked_files(tmp_path: Path) -> None:
    go_module(tmp_path, {f"p{i}/a.go": GUARDED.format(n=i) for i in range(3)})
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "base")
    assert paths(tmp_path, "--changed-since", "HEAD", ".") == []
    (tmp_path / "p1" / "a.go").write_text(GUARDED.format(n=1) + "\nvar x = 1\n")
    (tmp_path / "p2" / "b.go").write_text(GUARDED.format(n=2).replace("drop", "drop2"))
    assert paths(tmp_path, "--changed-since", "HEAD", ".") == ["p1/a.go", "p2/b.go"]


def test_changed_since_a_bad_revision_is_a_clear_error(tmp_path: Path) -> None:
    go_module(tmp_path, {"a.go": GUARDED.format(n=0)})
    git(tmp_path, "init", "-q")
    code, _, err = run_cli(tmp_path, ["check", "--changed-since", "nope", "."])
    assert code == 2 and "--changed-since nope" in err and len(err.splitlines()) == 1


def test_shards_partition_the_packages(tmp_path: Path) -> None:
    go_module(tmp_path, {f"p{i}/a.go": GUARDED.format(n=i) for i in range(12)})
    whole = paths(tmp_path, ".")
    parts = [paths(tmp_path, "--shard", f"{k}/3", ".") for k in (1, 2, 3)]
    assert sorted(p for part in parts for p in part) == whole
    assert all(parts), "a shard got no package: the split is not spreading work"
    assert sum(len(p) for p in parts) == len(whole)
    assert parts == [paths(tmp_path, "--shard", f"{k}/3", ".") for k in (1, 2, 3)]
