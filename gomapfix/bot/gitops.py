"""Git for the bot, through GitPython: checks, fetch, export, commits, push.

Nothing here changes the user's HEAD, index or working tree. The base is exported with a
private index file into a private folder; commits are made with ``hash-object``,
``update-index`` on that private index, ``write-tree`` and ``commit-tree``; the only refs
written are the remote-tracking refs that a fetch updates, the bot's own local branches
``gomapfix/*``, and (by the push) the bot's branches on the remote. Credentials reach
the git processes that talk to the remote through their environment only.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import git

from gomapfix.bot.credentials import Redactor
from gomapfix.bot.errors import BotError

BRANCH_PREFIX = "gomapfix/"


class GitError(BotError):
    pass


@dataclass(frozen=True)
class Identity:
    name: str
    email: str

    @staticmethod
    def parse(text: str) -> Identity:
        match = re.fullmatch(r"\s*([^<>]+?)\s*<([^<>\s]+@[^<>\s]+)>\s*", text)
        if match is None:
            raise BotError(f"--author must look like 'Name <email@example.com>', got {text!r}")
        return Identity(match.group(1), match.group(2))

    def env(self) -> dict[str, str]:
        return {
            "GIT_AUTHOR_NAME": self.name,
            "GIT_AUTHOR_EMAIL": self.email,
            "GIT_COMMITTER_NAME": self.name,
            "GIT_COMMITTER_EMAIL": self.email,
        }


@dataclass(frozen=True)
class BranchCommit:
    sha: str
    parent: str
    author: str
    """Name <email>."""
    author_email: str
    committer_email: str
    message: str

    def trailer(self, key: str) -> str | None:
        found = re.findall(rf"^{re.escape(key)}:\s*(\S+)\s*$", self.message, re.MULTILINE)
        return found[-1] if found else None


@dataclass(frozen=True)
class TreeEntry:
    path: str
    data: bytes
    mode: str = "100644"


class Git:
    def __init__(
        self,
        repo: git.Repo,
        remote: str,
        remote_env: dict[str, str],
        redact: Redactor,
        log: Callable[[str], None] | None,
    ) -> None:
        self.repo = repo
        self.remote = remote
        self.remote_env = remote_env
        self.redact = redact
        self.log = log

    def run(
        self,
        *args: str,
        env: dict[str, str] | None = None,
        data: bytes | None = None,
        remote: bool = False,
    ) -> str:
        """``git args...``; ``remote`` adds the credentials' environment (for fetch, push)."""
        full_env = dict(env or {})
        if remote:
            full_env.update(self.remote_env)
        if self.log is not None:
            self.log("git: " + " ".join(args))
        kwargs: dict[str, Any] = {"env": full_env, "strip_newline_in_stdout": False}
        try:
            if data is not None:
                with tempfile.TemporaryFile() as stdin:
                    stdin.write(data)
                    stdin.seek(0)
                    out = self.repo.git.execute(["git", *args], istream=stdin, **kwargs)
            else:
                out = self.repo.git.execute(["git", *args], **kwargs)
        except git.GitCommandError as exc:
            stderr = re.sub(r"^\s*stderr:\s*'", "", str(exc.stderr or "")).rstrip()
            stderr = stderr.removesuffix("'")
            lines = [
                ln.strip()
                for ln in stderr.splitlines()
                if ln.strip() and not ln.strip().startswith("hint:")
            ]
            fatal = [ln for ln in lines if ln.startswith(("fatal:", "error:"))]
            detail = (fatal or lines or [f"exit status {exc.status}"])[0]
            raise GitError(self.redact(f"git {args[0]} failed: {detail}")) from None
        return str(out)

    # The user's checkout -----------------------------------------------------------------

    def current_branch(self) -> str | None:
        try:
            return self.run("symbolic-ref", "--quiet", "--short", "HEAD").strip() or None
        except GitError:
            return None

    def status(self) -> list[str]:
        out = self.run("status", "--porcelain=v1", "-z", "--untracked-files=normal")
        return [item for item in out.split("\0") if item.strip()]

    def head_sha(self) -> str:
        return self.run("rev-parse", "--verify", "HEAD^{commit}").strip()

    def remote_url(self) -> str:
        try:
            return self.run("remote", "get-url", self.remote).strip()
        except GitError:
            raise GitError(
                f"no git remote named {self.remote!r} (see `git remote -v`, or pass --remote)"
            ) from None

    # The remote ---------------------------------------------------------------------------

    def remote_default_branch(self) -> str:
        out = self.run("ls-remote", "--symref", self.remote, "HEAD", remote=True)
        match = re.search(r"^ref:\s*refs/heads/(\S+)\s+HEAD$", out, re.MULTILINE)
        if match is None:
            raise GitError(f"cannot tell the default branch of remote {self.remote!r}; pass --base")
        return match.group(1)

    def remote_heads(self) -> dict[str, str]:
        out = self.run("ls-remote", "--heads", self.remote, remote=True)
        heads: dict[str, str] = {}
        for line in out.splitlines():
            sha, _, ref = line.partition("\t")
            if ref.startswith("refs/heads/"):
                heads[ref.removeprefix("refs/heads/")] = sha.strip()
        return heads

    def fetch(self, branches: Sequence[str], update_refs: bool) -> None:
        """Fetch ``branches``; with ``update_refs`` False only objects arrive (a dry run)."""
        if update_refs:
            specs = [f"+refs/heads/{b}:refs/remotes/{self.remote}/{b}" for b in branches]
            self.run("fetch", "--quiet", "--no-tags", self.remote, *specs, remote=True)
        else:
            specs = [f"refs/heads/{b}" for b in branches]
            self.run(
                "fetch",
                "--quiet",
                "--no-tags",
                "--no-write-fetch-head",
                "--refmap=",
                self.remote,
                *specs,
                remote=True,
            )

    def push(self, sha: str, branch: str, expected: str | None) -> None:
        """Set the remote ``branch`` to ``sha`` only if it still is ``expected`` (None: absent)."""
        lease = f"--force-with-lease=refs/heads/{branch}:{expected or ''}"
        self.run(
            "push", "--porcelain", lease, self.remote, f"+{sha}:refs/heads/{branch}", remote=True
        )

    def set_local_branch(self, branch: str, sha: str) -> None:
        self.run("update-ref", "-m", "gomapfix pr", f"refs/heads/{branch}", sha)

    # Objects ------------------------------------------------------------------------------

    def export(self, sha: str, index: Path, dest: Path) -> None:
        """Write the tree of ``sha`` into ``dest`` with a private index (``index``)."""
        env = {"GIT_INDEX_FILE": str(index)}
        self.run("read-tree", sha, env=env)
        prefix = str(dest.resolve()) + os.sep
        self.run("checkout-index", "--all", "--force", f"--prefix={prefix}", env=env)

    def file_modes(self, sha: str, paths: Sequence[str]) -> dict[str, str]:
        if not paths:
            return {}
        out = self.run("ls-tree", "-z", sha, "--", *paths)
        modes = {}
        for item in out.split("\0"):
            meta, _, path = item.partition("\t")
            if path:
                modes[path] = meta.split()[0]
        return modes

    def commit_stack(
        self,
        base: str,
        steps: Sequence[tuple[str, Sequence[TreeEntry]]],
        identity: Identity,
        index: Path,
    ) -> list[str]:
        """One commit per (message, files) on top of ``base``; returns their shas in order."""
        env = {"GIT_INDEX_FILE": str(index)}
        index.unlink(missing_ok=True)
        self.run("read-tree", base, env=env)
        parent = base
        shas: list[str] = []
        for message, entries in steps:
            lines = []
            for entry in entries:
                blob = self.run(
                    "hash-object", "-w", "--stdin", f"--path={entry.path}", data=entry.data
                ).strip()
                lines.append(f"{entry.mode} {blob}\t{entry.path}\n")
            self.run("update-index", "--index-info", env=env, data="".join(lines).encode())
            tree = self.run("write-tree", env=env).strip()
            sha = self.run(
                "commit-tree",
                tree,
                "-p",
                parent,
                "-F",
                "-",
                env=identity.env(),
                data=message.encode(),
            ).strip()
            shas.append(sha)
            parent = sha
        return shas

    def commits_since(self, base: str, tip: str) -> list[BranchCommit]:
        """Commits on ``tip`` that ``base`` lacks, newest first."""
        out = self.run(
            "log", "--format=%H%x1f%P%x1f%an <%ae>%x1f%ae%x1f%ce%x1f%B%x1e", f"{base}..{tip}"
        )
        commits = []
        for record in out.split("\x1e"):
            fields = record.strip("\n").split("\x1f")
            if len(fields) < 6:
                continue
            sha, parents, author, author_email, committer_email, message = fields[:6]
            commits.append(
                BranchCommit(
                    sha.strip(),
                    (parents.split() or [""])[0],
                    author,
                    author_email,
                    committer_email,
                    message,
                )
            )
        return commits


def open_repo(path: Path) -> git.Repo:
    try:
        repo = git.Repo(path, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise BotError(f"{path}: not inside a git working tree") from None
    if repo.bare or repo.working_tree_dir is None:
        raise BotError(f"{path}: a bare repository has no working tree to fix")
    return repo
