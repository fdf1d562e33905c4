"""Patch sets: each patch applies alone, with a header, and an index lists them."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from helpers import go_module, run_cli

TWO_RULES = """
package p{n}

func drop(m map[string]int, k string) {{
	if m != nil {{
		delete(m, k)
	}}
	for k := range m {{
		delete(m, k)
	}}
}}
"""


@pytest.mark.parametrize("split", ["rule", "package", "module"])
def test_each_patch_applies_alone(tmp_path: Path, split: str) -> None:
    go_module(tmp_path / "repo", {f"p{i}/a.go": TWO_RULES.format(n=i) for i in range(3)})
    repo = tmp_path / "repo"
    out_dir = tmp_path / "patches"
    code, _, err = run_cli(
        repo,
        [
            "fix",
            "--diff",
            "--select",
            "GMF203,GMF304",
            "--split-by",
            split,
            "--patch-dir",
            str(out_dir),
            ".",
        ],
    )
    assert code == 1, err
    index = json.loads((out_dir / "index.json").read_text())
    expected = {"rule": 2, "package": 3, "module": 1}[split]
    assert len(index) == expected
    assert (out_dir / "INDEX.md").read_text().startswith("# gomapfix patch set")
    for item in index:
        patch = (out_dir / item["patch"]).read_text()
        assert patch.startswith("gomapfix patch: ")
        assert f"fixes: {item['fixes']} (" in patch
        subprocess.run(
            ["git", "apply", "--check", str(out_dir / item["patch"])],
            cwd=repo,
            check=True,
            capture_output=True,
        )
    # Nothing was written to the tree itself.
    assert "if m != nil" in (repo / "p0" / "a.go").read_text()


def test_split_needs_diff(tmp_path: Path) -> None:
    go_module(tmp_path, {"a.go": TWO_RULES.format(n=0)})
    code, _, err = run_cli(tmp_path, ["fix", "--split-by", "rule", "."])
    assert code == 2 and "go together with --diff" in err
