"""Patch sets for review: one patch per rule, package or module, each applicable alone.

A platform team hands these to code owners: each patch carries a header naming the
rules, the number of fixes and their safety levels (git apply and patch skip text before
the first ``---``), and an index lists them all.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gomapfix.finding import Finding
from gomapfix.output import relative_patch_path
from gomapfix.patch import unified_diffs
from gomapfix.runner import FileResult, RunResult
from gomapfix.writer import write_atomic

SPLITS = ("rule", "package", "module")


@dataclass(frozen=True)
class PatchGroup:
    name: str
    title: str
    files: tuple[FileResult, ...]

    @property
    def applied(self) -> list[Finding]:
        return [f for r in self.files for f in r.applied]


def module_of(path: Path) -> Path:
    folder = path.resolve().parent
    for candidate in (folder, *folder.parents):
        if (candidate / "go.mod").is_file():
            return candidate
    return folder


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "root"


def group_by_location(result: RunResult, split: str) -> list[PatchGroup]:
    groups: dict[str, list[FileResult]] = defaultdict(list)
    for r in result.changed:
        path = Path(r.path)
        if split == "package":
            key = relative_patch_path(str(path.parent)) or "."
        else:
            key = relative_patch_path(str(module_of(path))) or "."
        groups[key].append(r)
    return [
        PatchGroup(f"{split}-{_slug(key)}", f"{split} {key}", tuple(files))
        for key, files in sorted(groups.items())
    ]


def group_by_rule(result: RunResult, rerun: Callable[[str], RunResult]) -> list[PatchGroup]:
    """One group per rule that fixed something, each from a run of that rule alone, so
    that each patch applies to the untouched tree on its own."""
    codes = sorted({f.code for f in result.applied})
    groups = []
    for code in codes:
        alone = rerun(code)
        name = next((f.name for f in alone.applied), code)
        groups.append(
            PatchGroup(f"rule-{code}-{name}", f"rule {code} {name}", tuple(alone.changed))
        )
    return groups


def _header(group: PatchGroup) -> str:
    applied = group.applied
    levels = Counter(f.fix.applicability.value for f in applied if f.fix is not None)
    rules = sorted({f"{f.code} {f.name}" for f in applied})
    level_text = ", ".join(f"{n} {level}" for level, n in sorted(levels.items()))
    return (
        f"gomapfix patch: {group.title}\n"
        f"rules: {', '.join(rules)}\n"
        f"fixes: {len(applied)} ({level_text})\n"
        f"files: {len(group.files)}\n\n"
    )


def patch_text(group: PatchGroup) -> str:
    body = unified_diffs(
        (relative_patch_path(r.path), r.original or b"", r.new or b"", r.created)
        for r in group.files
    )
    return _header(group) + body


def write_patch_set(groups: list[PatchGroup], directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    index: list[dict[str, Any]] = []
    for group in groups:
        if not group.files:
            continue
        path = directory / f"{group.name}.patch"
        write_atomic(path, patch_text(group).encode())
        written.append(path)
        applied = group.applied
        index.append(
            {
                "patch": path.name,
                "group": group.title,
                "rules": sorted({f.code for f in applied}),
                "fixes": len(applied),
                "levels": dict(
                    Counter(f.fix.applicability.value for f in applied if f.fix is not None)
                ),
                "files": [relative_patch_path(r.path) for r in group.files],
            }
        )
    write_atomic(directory / "index.json", (json.dumps(index, indent=2) + "\n").encode())
    lines = [
        "# gomapfix patch set",
        "",
        "| patch | group | rules | fixes | levels |",
        "|---|---|---|---|---|",
    ]
    for item in index:
        levels = ", ".join(f"{n} {k}" for k, n in sorted(item["levels"].items()))
        lines.append(
            f"| {item['patch']} | {item['group']} | {', '.join(item['rules'])} | "
            f"{item['fixes']} | {levels} |"
        )
    write_atomic(directory / "INDEX.md", ("\n".join(lines) + "\n").encode())
    return written
