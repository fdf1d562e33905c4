from __future__ import annotations

import subprocess
from pathlib import Path

from gomapfix.patch import unified_diff


def apply_both(tmp_path: Path, before: bytes, after: bytes) -> None:
    patch = unified_diff("dir/f.go", before, after)
    for tool in (["git", "apply"], ["patch", "-p1", "--quiet"]):
        work = tmp_path / tool[0]
        (work / "dir").mkdir(parents=True)
        (work / "dir" / "f.go").write_bytes(before)
        if tool[0] == "git":
            (work / "p.patch").write_text(patch)
            subprocess.run([*tool, "p.patch"], cwd=work, check=True, capture_output=True)
        else:
            subprocess.run(tool, cwd=work, input=patch.encode(), check=True, capture_output=True)
        assert (work / "dir" / "f.go").read_bytes() == after, tool


def test_headers_have_a_and_b_prefixes() -> None:
    patch = unified_diff("x/f.go", b"a\n", b"b\n")
    assert patch.startswith("--- a/x/f.go\n+++ b/x/f.go\n")


def test_no_change_is_empty() -> None:
    assert unified_diff("f.go", b"a\n", b"a\n") == ""


def test_missing_final_newline_before(tmp_path: Path) -> None:
    apply_both(tmp_path, b"package p\n\nvar x = 1", b"package p\n\nvar x = 2\n")


def test_missing_final_newline_after(tmp_path: Path) -> None:
    apply_both(tmp_path, b"package p\n\nvar x = 1\n", b"package p\n\nvar x = 2")


def test_missing_final_newline_both(tmp_path: Path) -> None:
    apply_both(tmp_path, b"package p\nvar x = 1", b"package p\nvar y = 1")


def test_non_ascii_text(tmp_path: Path) -> None:
    apply_both(
        tmp_path,
        "package p\n// héllo\nvar x = 1\n".encode(),
        "package p\n// héllo wörld\nvar x = 1\n".encode(),
    )
