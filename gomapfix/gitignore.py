"""Which paths git ignores, so that gomapfix never edits a build output or a scratch copy.

Asked of git itself (``git check-ignore``, through GitPython), so that every ignore
source (.gitignore files at any depth, .git/info/exclude, core.excludesFile) counts
exactly as git counts it. Outside a git work tree nothing is ignored.
"""

from __future__ import annotations

from pathlib import Path

import git

_CHUNK = 500


def ignored_paths(paths: list[Path]) -> set[Path]:
    if not paths:
        return set()
    anchor = paths[0] if paths[0].is_dir() else paths[0].parent
    try:
        repo = git.Repo(anchor, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return set()
    if repo.bare or repo.working_tree_dir is None:
        return set()
    top = Path(repo.working_tree_dir).resolve()
    resolved = {p: p.resolve() for p in paths}
    inside = [p for p, r in resolved.items() if r.is_relative_to(top)]
    ignored: set[str] = set()
    for i in range(0, len(inside), _CHUNK):
        chunk = [str(resolved[p]) for p in inside[i : i + _CHUNK]]
        # Exit status 1 means "none ignored"; 128 is a real error, reported by git.
        status, out, err = repo.git.check_ignore(
            *chunk, with_extended_output=True, with_exceptions=False
        )
        if status not in (0, 1):
            raise git.GitCommandError(["git", "check-ignore"], status, err)
        ignored.update(line for line in out.splitlines() if line)
    return {p for p in inside if str(resolved[p]) in ignored}
