"""From command-line paths to Go package directories and the files to report on.

A directory is searched recursively, as gofmt does; Go's ``dir/...`` pattern means the
same. Like the go command, directories named ``vendor`` or ``testdata`` and those whose
name starts with ``.`` or ``_`` are left out unless asked for. Every Go file of a
package directory is read for package facts, even when only some of them are targets.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from gomapfix.gitignore import GitIgnoreError, ignored_paths


class DiscoveryError(ValueError):
    pass


@dataclass(frozen=True)
class PackageDir:
    directory: Path
    files: tuple[Path, ...]
    """Every .go file of the directory (facts come from all of them)."""
    targets: frozenset[Path]
    """The files to report on and fix."""


@dataclass(frozen=True)
class DiscoveryOptions:
    include_vendor: bool = False
    include_testdata: bool = False
    include_ignored: bool = False
    """Also take files that git ignores (by default they are left alone)."""
    exclude: tuple[str, ...] = ()
    root: Path | None = None
    """Exclude patterns are matched against paths relative to this folder."""
    changed_since: str | None = None
    """Only files changed since this git revision (their packages still give facts)."""
    shard: tuple[int, int] | None = None
    """(K, N): only the packages that fall to shard K of N (1-based)."""


def _skipped_dir(name: str, options: DiscoveryOptions) -> bool:
    if name.startswith((".", "_")):
        return True
    if name == "vendor" and not options.include_vendor:
        return True
    return name == "testdata" and not options.include_testdata


def _excluded(path: Path, options: DiscoveryOptions) -> bool:
    if not options.exclude:
        return False
    root = options.root or Path.cwd()
    try:
        rel = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        rel = path.as_posix()
    parts = rel.split("/")
    for pattern in options.exclude:
        pat = pattern.rstrip("/")
        if fnmatch.fnmatch(rel, pat) or any(fnmatch.fnmatch(p, pat) for p in parts):
            return True
        if rel.startswith(pat + "/"):
            return True
    return False


def _go_files(directory: Path) -> list[Path]:
    try:
        with os.scandir(directory) as entries:
            names = sorted(e.name for e in entries if e.name.endswith(".go") and e.is_file())
    except OSError as exc:
        raise DiscoveryError(f"cannot read directory {directory}: {exc.strerror}") from exc
    return [directory / n for n in names]


def discover(paths: list[str], options: DiscoveryOptions) -> list[PackageDir]:
    targets: dict[Path, set[Path]] = {}
    listings: dict[Path, list[Path]] = {}
    """Directory -> its .go files, as the walk saw them (listed once, not again)."""
    explicit: set[Path] = set()
    for raw in paths:
        recursive = raw == "..." or raw.endswith("/...")
        base = raw[: -len("...")].rstrip("/") or "." if recursive else raw
        path = Path(base)
        if not path.exists():
            raise DiscoveryError(f"{raw}: no such file or directory")
        if path.is_file():
            if path.suffix != ".go":
                raise DiscoveryError(f"{raw}: not a Go source file")
            targets.setdefault(path.parent, set()).add(path)
            explicit.add(path)
            continue
        for here, dirnames, go_files in _walk(path):
            dirnames[:] = sorted(
                d
                for d in dirnames
                if not _skipped_dir(d, options) and not _excluded(here / d, options)
            )
            listings[here] = go_files
            files = {f for f in go_files if not options.exclude or not _excluded(f, options)}
            if files:
                targets.setdefault(here, set()).update(files)
    if not options.include_ignored:
        _drop_git_ignored(targets, explicit)
    if options.changed_since is not None:
        changed = changed_files(paths[0] if paths else ".", options.changed_since)
        for directory in targets:
            targets[directory] = {f for f in targets[directory] if f.resolve() in changed}
    result = []
    for directory in sorted(targets):
        if not targets[directory]:
            continue
        if options.shard is not None and shard_of(directory, options.shard[1]) != options.shard[0]:
            continue
        listed = listings.get(directory)
        if listed is None:
            listed = _go_files(directory)
        result.append(PackageDir(directory, tuple(listed), frozenset(targets[directory])))
    return result


def _walk(top: Path) -> Iterator[tuple[Path, list[str], list[Path]]]:
    """``os.walk`` for Go: (directory, subdirectory names to prune in place, its regular
    .go files sorted), telling files from directories by the entries' types (no stat
    per file, as ``Path.is_file`` would)."""
    stack = [top]
    while stack:
        here = stack.pop()
        dirs: list[str] = []
        names: list[str] = []
        try:
            with os.scandir(here) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):  # as os.walk: links not followed
                        dirs.append(entry.name)
                    elif entry.name.endswith(".go") and entry.is_file():
                        names.append(entry.name)
        except OSError as exc:
            _raise(exc)
        yield here, dirs, [here / n for n in sorted(names)]
        stack.extend(here / d for d in reversed(dirs))


def shard_of(directory: Path, shards: int) -> int:
    """The 1-based shard a package falls to: a stable hash of its path, same everywhere."""
    digest = hashlib.sha256(directory.as_posix().encode()).digest()
    return int.from_bytes(digest[:8], "big") % shards + 1


def changed_files(anchor: str, revision: str) -> set[Path]:
    """Files changed since ``revision`` (committed, staged, unstaged) and untracked ones."""
    import git

    try:
        repo = git.Repo(Path(anchor).resolve(), search_parent_directories=True)
        top = Path(repo.working_tree_dir or ".").resolve()
        names = repo.git.diff("--name-only", "-z", revision, "--").split("\0")
        untracked = repo.untracked_files
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
        raise DiscoveryError(f"--changed-since needs a git work tree ({exc})") from exc
    except git.GitCommandError as exc:
        raise DiscoveryError(
            f"--changed-since {revision}: git cannot compare with it: "
            f"{str(exc.stderr).strip().splitlines()[-1] if exc.stderr else exc}"
        ) from exc
    return {(top / n).resolve() for n in [*names, *untracked] if n}


def _drop_git_ignored(targets: dict[Path, set[Path]], explicit: set[Path]) -> None:
    """Remove git-ignored files, except those named on the command line."""
    candidates = sorted(f for files in targets.values() for f in files if f not in explicit)
    try:
        ignored = ignored_paths(candidates)
    except GitIgnoreError as exc:
        raise DiscoveryError(f"git check-ignore failed: {exc}") from exc
    for files in targets.values():
        files -= ignored


def _raise(error: OSError) -> None:
    raise DiscoveryError(f"cannot read {error.filename}: {error.strerror}")
