"""Which paths git ignores, so that gomapfix never edits a build output or a scratch copy.

Asked of git itself (``git check-ignore``, through GitPython), so that every ignore
source (.gitignore files at any depth, .git/info/exclude, core.excludesFile) counts
exactly as git counts it. Outside a git work tree nothing is ignored, and GitPython is
not even imported (it costs a noticeable part of a warm run's time).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class GitIgnoreError(RuntimeError):
    pass


def _work_tree(start: Path) -> Path | None:
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def ignored_paths(paths: list[Path]) -> set[Path]:
    if not paths:
        return set()
    anchor = paths[0] if paths[0].is_dir() else paths[0].parent
    top = _work_tree(anchor)
    if top is None:
        return set()
    import git  # only inside a work tree

    try:
        repo = git.Repo(top)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return set()
    absolute = {p: os.path.abspath(p) for p in paths}
    prefix = str(top) + os.sep
    inside = {p: a for p, a in absolute.items() if a.startswith(prefix)}
    if not inside:
        return set()
    with tempfile.TemporaryFile() as listing:
        listing.write(b"\0".join(a.encode() for a in inside.values()) + b"\0")
        listing.seek(0)
        # Exit status 1 means "none ignored"; anything else above 0 is git's error.
        status, out, err = repo.git.execute(
            ["git", "check-ignore", "-z", "--stdin"],
            istream=listing,
            with_extended_output=True,
            with_exceptions=False,
            as_process=False,
        )
    if status not in (0, 1):
        raise GitIgnoreError(str(err).strip())
    ignored = set(str(out).split("\0"))
    return {p for p, a in inside.items() if a in ignored}
