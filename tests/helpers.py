"""Small helpers for engine tests: Go snippets on disk and the CLI run in-process."""

from __future__ import annotations

import textwrap
from pathlib import Path

from golden_support import run_cli

__all__ = ["go_module", "run_cli"]


def go_module(root: Path, files: dict[str, str], go: str = "1.24") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "go.mod").write_text(f"module example.com/m\n\ngo {go}\n")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip())
    return root
