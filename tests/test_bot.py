"""gomapfix pr against real parts: a git repository (examples/shop, committed), a bare
remote behind a file URL, and a local GitHub-compatible API server recording every
request (gomapfix.bot.fakehost on pytest-httpserver)."""

from __future__ import annotations

import base64
import contextlib
import io
import logging
import os
import shutil
import subprocess
import tempfile
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from gomapfix.bot.credentials import Redactor, Token, display_url, git_auth_env, parse_remote
from gomapfix.bot.errors import BotError
from gomapfix.bot.fakehost import FakeHost
from gomapfix.bot.gitops import Identity
from gomapfix.cli import main

pytest.importorskip("requests")

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "ghp_t0kenUNDERtest_5f3c9a1b2d4e6f708192a3b4"
SELECT = ["--select", "GMF201,GMF203,GMF304"]
QUICK = [*SELECT, "--no-verify", "-j", "1"]
HUMAN = {
    "GIT_AUTHOR_NAME": "Jane Human",
    "GIT_AUTHOR_EMAIL": "jane@example.com",
    "GIT_COMMITTER_NAME": "Jane Human",
    "GIT_COMMITTER_EMAIL": "jane@example.com",
}

NEW_HAZARD = """\
package shop

// Forget drops a reservation; the presence check around delete is redundant.
func Forget(held map[string]int, sku string) {
	if _, ok := held[sku]; ok {
		delete(held, sku)
	}
}
"""


def git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@dataclass
class Run:
    code: int
    out: str
    err: str


@dataclass
class Repo:
    tmp: Path
    work: Path
    remote: Path
    host: FakeHost
    api: str
    capfd: pytest.CaptureFixture[str]
    caplog: pytest.LogCaptureFixture
    outputs: list[str]

    def bot(self, *args: str) -> Run:
        self.capfd.readouterr()
        code = main(["pr", "--repo", "acme/shop", *args])
        captured = self.capfd.readouterr()
        self.outputs += [captured.out, captured.err]
        return Run(code, captured.out, captured.err)

    def pushes(self) -> int:
        """Updates of the bot's branches the remote received (its pre-receive hook logs them)."""
        log = self.remote / "pushes.log"
        lines = log.read_text().splitlines() if log.exists() else []
        return sum(" refs/heads/gomapfix/" in line for line in lines)

    def remote_refs(self) -> str:
        return git(self.remote, "for-each-ref", "--format=%(refname) %(objectname)")

    def remote_sha(self, branch: str) -> str:
        return git(self.remote, "rev-parse", f"refs/heads/{branch}").strip()

    def commit_on_main(self, name: str, text: str) -> None:
        (self.work / name).write_text(text)
        git(self.work, "add", name)
        git(self.work, "commit", "--quiet", "-m", f"add {name}")
        git(self.work, "push", "--quiet", "origin", "main")

    def human_push(self, branch: str) -> str:
        clone = self.tmp / "human"
        git(self.tmp, "clone", "--quiet", "-b", branch, self.remote.as_uri(), str(clone))
        (clone / "NOTES.md").write_text("a reviewer's note\n")
        git(clone, "add", "NOTES.md")
        git(clone, "commit", "--quiet", "-m", "reviewer tweak", env=HUMAN)
        git(clone, "push", "--quiet", "origin", branch)
        return git(clone, "rev-parse", "HEAD").strip()

    def user_state(self) -> dict[str, object]:
        """What the user sees: branch, commit, status, files, index."""
        files = {
            p.relative_to(self.work).as_posix(): p.read_bytes()
            for p in sorted(self.work.rglob("*"))
            if p.is_file() and ".git" not in p.relative_to(self.work).parts
        }
        return {
            "HEAD": (self.work / ".git" / "HEAD").read_text(),
            "commit": git(self.work, "rev-parse", "HEAD"),
            "status": git(self.work, "status", "--porcelain", "--untracked-files=all"),
            "index": (self.work / ".git" / "index").read_bytes(),
            "files": files,
        }

    def local_state(self) -> dict[str, object]:
        """Everything local but the object store: refs, config, logs, FETCH_HEAD..."""
        meta = {
            p.relative_to(self.work / ".git").as_posix(): p.read_bytes()
            for p in sorted((self.work / ".git").rglob("*"))
            if p.is_file() and "objects" not in p.relative_to(self.work / ".git").parts
        }
        return {**self.user_state(), "git": meta}

    def assert_token_never_shown(self) -> None:
        texts = [*self.outputs, self.caplog.text]
        for folder in (self.work / ".git", self.remote):
            for path in folder.rglob("*"):
                if path.is_file() and "objects" not in path.parts:
                    texts.append(path.read_bytes().decode("utf-8", "replace"))
        basic = base64.b64encode(f"x-access-token:{TOKEN}".encode()).decode()
        for text in texts:
            assert TOKEN not in text
            assert basic not in text


@pytest.fixture
def repo(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    httpserver: HTTPServer,
) -> Iterator[Repo]:
    caplog.set_level(logging.DEBUG)
    for key, value in {
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Dev",
        "GIT_AUTHOR_EMAIL": "dev@example.com",
        "GIT_COMMITTER_NAME": "Dev",
        "GIT_COMMITTER_EMAIL": "dev@example.com",
        "GOMAPFIX_TOKEN": TOKEN,
    }.items():
        monkeypatch.setenv(key, value)
    for key in ("GITHUB_TOKEN", "GOMAPFIX_API_URL", "GOMAPFIX_AUTHOR", "GIT_CONFIG_COUNT"):
        monkeypatch.delenv(key, raising=False)
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", "-b", "main", str(remote))
    hook = remote / "hooks" / "pre-receive"
    hook.write_text('#!/bin/sh\ncat >> "$GIT_DIR/pushes.log"\n')
    hook.chmod(0o755)
    work = tmp_path / "shop"
    shutil.copytree(ROOT / "examples" / "shop", work)
    git(work, "init", "--quiet", "-b", "main")
    git(work, "add", ".")
    git(work, "commit", "--quiet", "-m", "shop")
    git(work, "remote", "add", "origin", remote.as_uri())
    git(work, "push", "--quiet", "-u", "origin", "main")
    monkeypatch.chdir(work)
    host = FakeHost("acme", "shop", TOKEN)
    host.attach(httpserver)  # the plugin's server lives for the session, cleared per test
    api = httpserver.url_for("").rstrip("/")
    monkeypatch.setenv("GOMAPFIX_API_URL", api)
    yield Repo(tmp_path, work, remote, host, api, capfd, caplog, [])


def messages(repo: Repo, branch: str) -> list[str]:
    out = git(repo.work, "log", "--reverse", "--format=%an <%ae>%n%B%x00", f"main..origin/{branch}")
    return [m.strip() for m in out.split("\0") if m.strip()]


# First run ------------------------------------------------------------------------------------


def test_first_run_opens_one_pull_request_with_one_commit_per_rule(repo: Repo) -> None:
    git(repo.work, "checkout", "--quiet", "-b", "feature")  # the user works elsewhere
    (repo.work / "feature.txt").write_text("mine\n")
    git(repo.work, "add", "feature.txt")
    git(repo.work, "commit", "--quiet", "-m", "feature")
    before = repo.user_state()

    run = repo.bot(*SELECT, "-j", "1")  # verification on (go vet), the default

    assert run.code == 0, run.err
    assert "opened #1" in run.out
    assert repo.user_state() == before
    assert [str(r).split(" -> ")[0] for r in repo.host.writes] == [
        "POST /repos/acme/shop/pulls",
        "POST /repos/acme/shop/issues/1/labels",
    ]
    pull = repo.host.pulls[1]
    assert (pull.head, pull.base, pull.labels) == ("gomapfix/all", "main", ["gomapfix"])
    assert pull.title == "gomapfix: fix 3 Go map hazards (GMF201, GMF203, GMF304)"
    # One commit per rule, by the bot, naming rule, fix count, safety and the explain line.
    commits = messages(repo, "gomapfix/all")
    assert len(commits) == 3
    for commit, (code, name) in zip(
        commits,
        [
            ("GMF201", "nil-map-write"),
            ("GMF203", "redundant-delete-guard"),
            ("GMF304", "map-clear-loop"),
        ],
        strict=True,
    ):
        assert commit.startswith("gomapfix-bot <gomapfix-bot@users.noreply.github.com>\n")
        subject = commit.splitlines()[1]
        assert subject == f"gomapfix: {code} {name} (1 fix, safe)"
        explained = io.StringIO()
        with contextlib.redirect_stdout(explained):
            assert main(["explain", code]) == 0
        assert explained.getvalue().splitlines()[0] in commit
        assert "Verified: gofmt and go vet passed" in commit
        assert f"Reproduce: gomapfix fix --diff --select {code} ." in commit
    # The body: a table per rule with links, safety, verification, reproduction.
    body = pull.body
    assert "| Rule | Fixes | Safety | Where |" in body
    assert "| **GMF201** `nil-map-write`" in body
    base = repo.remote_sha("main")
    catalog = (ROOT / "examples" / "shop" / "catalog.go").read_text().splitlines()
    alias = 1 + next(i for i, t in enumerate(catalog) if "c.aliases[name] = sku" in t)
    guard = 1 + next(i for i, t in enumerate(catalog) if "if _, ok := c.prices[sku]" in t)
    assert f"/acme/shop/blob/{base}/catalog.go#L{alias}" in body
    # GMF203 fixed the text GMF201 left (3 lines longer); the link is to the base's line.
    assert f"[`catalog.go:{guard}`](http://localhost:{repo.api.rsplit(':', 1)[1]}" in body
    assert f"/acme/shop/blob/{base}/catalog.go#L{guard})" in body
    assert f"catalog.go:{guard + 3}: redundant presence check" in commits[1]
    assert "| safe |" in body
    assert "✅ `./`: verified (vet)" in body
    assert "gomapfix fix --diff --select GMF201,GMF203,GMF304 ." in body
    assert "<!-- gomapfix-fingerprint: " in body
    # The branch is the base plus the fixes; the local bot branch mirrors it.
    assert git(repo.work, "merge-base", "main", "origin/gomapfix/all").strip() == repo.remote_sha(
        "main"
    )
    fixed = git(repo.work, "show", "origin/gomapfix/all:catalog.go")
    assert "c.aliases = make(map[string]string)" in fixed
    assert git(repo.work, "rev-parse", "gomapfix/all").strip() == repo.remote_sha("gomapfix/all")
    repo.assert_token_never_shown()


def _add_package(repo: Repo, folder: str, module: bool = False) -> None:
    path = repo.work / folder
    path.mkdir(parents=True)
    if module:
        (path / "go.mod").write_text(f"module example.com/{folder}\n\ngo 1.22\n")
    name = Path(folder).name
    (path / f"{name}.go").write_text(NEW_HAZARD.replace("package shop", f"package {name}"))
    git(repo.work, "add", ".")
    git(repo.work, "commit", "--quiet", "-m", f"add {folder}")
    git(repo.work, "push", "--quiet", "origin", "main")


@pytest.mark.parametrize(
    ("split", "branches"),
    [
        (
            "rule",
            [
                "gomapfix/rule-GMF201-nil-map-write",
                "gomapfix/rule-GMF203-redundant-delete-guard",
                "gomapfix/rule-GMF304-map-clear-loop",
            ],
        ),
        ("package", ["gomapfix/package-root", "gomapfix/package-internal-holds"]),
        ("module", ["gomapfix/module-root", "gomapfix/module-tools"]),
    ],
)
def test_split_opens_one_pull_request_per_group(
    repo: Repo, split: str, branches: list[str]
) -> None:
    if split == "package":
        _add_package(repo, "internal/holds")
    if split == "module":
        _add_package(repo, "tools", module=True)

    run = repo.bot(*QUICK, "--split-by", split)

    assert run.code == 0, run.err
    heads = {p.head for p in repo.host.pulls.values()}
    assert heads == set(branches)
    assert all(p.state == "open" and p.labels == ["gomapfix"] for p in repo.host.pulls.values())
    for branch in branches:
        base = git(repo.work, "merge-base", "origin/main", f"origin/{branch}").strip()
        assert base == repo.remote_sha("main")
        # The group's changes stay inside the group.
        changed = git(repo.work, "diff", "--name-only", f"origin/main...origin/{branch}").split()
        if split == "package" and branch.endswith("internal-holds"):
            assert changed == ["internal/holds/holds.go"]
        if split == "module" and branch.endswith("tools"):
            assert changed == ["tools/tools.go"]
        if split == "rule":
            assert len(messages(repo, branch)) == 1


def test_max_prs_stages_the_rollout(repo: Repo) -> None:
    first = repo.bot(*QUICK, "--split-by", "rule", "--max-prs", "2")
    assert first.code == 0, first.err
    assert len(repo.host.pulls) == 2
    assert "deferred by --max-prs 2" in first.out
    assert repo.pushes() == 2
    second = repo.bot(*QUICK, "--split-by", "rule", "--max-prs", "2")
    assert second.code == 0, second.err
    assert len(repo.host.pulls) == 3


def test_a_package_that_fails_verification_is_not_proposed(repo: Repo) -> None:
    broken = repo.work / "broken"
    broken.mkdir()
    (broken / "broken.go").write_text(
        textwrap.dedent(
            """\
            package broken

            import "fmt"

            func Drop(m map[string]int, k string) {
            \tif _, ok := m[k]; ok {
            \t\tdelete(m, k)
            \t}
            \tfmt.Printf("%d\\n", "not a number")
            }
            """
        )
    )
    git(repo.work, "add", ".")
    git(repo.work, "commit", "--quiet", "-m", "broken")
    git(repo.work, "push", "--quiet", "origin", "main")

    run = repo.bot("--select", "GMF203", "-j", "1")

    assert run.code == 0, run.err
    changed = git(repo.work, "diff", "--name-only", "origin/main...origin/gomapfix/all").split()
    assert changed == ["catalog.go"]
    body = repo.host.pulls[1].body
    assert "⏪ `./broken`: left out (failed verification): GMF203 redundant-delete-guard" in body
    assert "✅ `./`: verified (vet)" in body


# Idempotency ----------------------------------------------------------------------------------


def test_second_run_is_a_no_op(repo: Repo) -> None:
    assert repo.bot(*QUICK).code == 0
    requests, pushes, refs = len(repo.host.requests), repo.pushes(), repo.remote_refs()
    # An unrelated commit on the base changes nothing either.
    repo.commit_on_main("README.md", "the shop\n")
    refs = repo.remote_refs()

    run = repo.bot(*QUICK)

    assert run.code == 0, run.err
    assert "nothing new: no push, no API write" in run.out
    assert [r for r in repo.host.requests[requests:] if r.method != "GET"] == []
    assert repo.pushes() == pushes
    assert repo.remote_refs() == refs
    assert len(repo.host.pulls) == 1


def test_a_new_finding_updates_the_pull_request(repo: Repo) -> None:
    assert repo.bot(*QUICK).code == 0
    old_tip = repo.remote_sha("gomapfix/all")
    requests = len(repo.host.requests)
    repo.commit_on_main("holds.go", NEW_HAZARD)

    run = repo.bot(*QUICK)

    assert run.code == 0, run.err
    assert "updated #1" in run.out
    writes = [str(r).split(" -> ")[0] for r in repo.host.requests[requests:] if r.method != "GET"]
    assert writes == ["PATCH /repos/acme/shop/pulls/1"]
    assert len(repo.host.pulls) == 1
    assert "holds.go" in repo.host.pulls[1].body
    assert repo.remote_sha("gomapfix/all") != old_tip
    fixed = git(repo.work, "show", "origin/gomapfix/all:holds.go")
    assert "if _, ok" not in fixed and "delete(held, sku)" in fixed
    assert git(repo.work, "merge-base", "origin/main", "origin/gomapfix/all").strip() == (
        repo.remote_sha("main")
    )


def test_a_human_commit_on_the_branch_is_never_overwritten(repo: Repo) -> None:
    assert repo.bot(*QUICK).code == 0
    human_tip = repo.human_push("gomapfix/all")
    repo.commit_on_main("holds.go", NEW_HAZARD)
    pushes, requests = repo.pushes(), len(repo.host.requests)

    run = repo.bot(*QUICK)

    assert run.code == 0, run.err
    assert "not pushed" in run.out and "commented on #1" in run.out
    assert repo.remote_sha("gomapfix/all") == human_tip
    assert repo.pushes() == pushes
    writes = [r for r in repo.host.requests[requests:] if r.method != "GET"]
    assert [str(w).split(" -> ")[0] for w in writes] == ["POST /repos/acme/shop/issues/1/comments"]
    comment = repo.host.pulls[1].comments[0]
    assert "did **not** push" in comment and "Jane Human" in comment
    assert "+++ b/holds.go" in comment

    # Asked again, the bot does not repeat itself.
    requests = len(repo.host.requests)
    again = repo.bot(*QUICK)
    assert again.code == 0, again.err
    assert [r for r in repo.host.requests[requests:] if r.method != "GET"] == []
    assert repo.remote_sha("gomapfix/all") == human_tip


def test_a_closed_pull_request_is_not_reopened(repo: Repo) -> None:
    assert repo.bot(*QUICK).code == 0
    repo.host.close(1)
    pushes, requests = repo.pushes(), len(repo.host.requests)

    run = repo.bot(*QUICK)

    assert run.code == 0, run.err
    assert "#1 was closed without merging" in run.out
    assert [r for r in repo.host.requests[requests:] if r.method != "GET"] == []
    assert repo.pushes() == pushes
    assert repo.host.pulls[1].state == "closed"

    # New fixes are new: they get a pull request of their own.
    repo.commit_on_main("holds.go", NEW_HAZARD)
    fresh = repo.bot(*QUICK)
    assert fresh.code == 0, fresh.err
    assert repo.host.pulls[1].state == "closed"
    assert repo.host.pulls[2].state == "open"
    assert "holds.go" in repo.host.pulls[2].body


# Refusals --------------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["modified", "staged", "untracked"])
def test_a_dirty_tree_is_refused(repo: Repo, how: str) -> None:
    if how == "untracked":
        (repo.work / "scratch.go").write_text("package shop\n")
    else:
        with (repo.work / "catalog.go").open("a") as f:
            f.write("// local edit\n")
        if how == "staged":
            git(repo.work, "add", "catalog.go")
    before = repo.local_state()

    run = repo.bot(*QUICK)

    assert run.code == 2
    assert run.err.count("\n") == 1
    assert run.err.startswith("gomapfix: error: the working tree has uncommitted changes")
    assert repo.local_state() == before
    assert repo.host.requests == []
    assert repo.pushes() == 0


def test_a_detached_head_is_refused(repo: Repo) -> None:
    git(repo.work, "checkout", "--quiet", "--detach")
    before = repo.local_state()

    run = repo.bot(*QUICK)

    assert run.code == 2
    assert run.err == (
        "gomapfix: error: HEAD is detached: check out a branch first "
        "(gomapfix pr leaves it as it is)\n"
    )
    assert repo.local_state() == before
    assert repo.host.requests == []


# Failures ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ("401", "HTTP 401 UNAUTHORIZED (Bad credentials): the token was rejected"),
        ("403", "HTTP 403 FORBIDDEN (Resource not accessible by integration): the token lacks"),
        ("422", "HTTP 422 UNPROCESSABLE ENTITY (Validation Failed: A pull request already exists"),
        ("500", "HTTP 500 INTERNAL SERVER ERROR (injected failure): the code host failed"),
        ("502", "HTTP 502 BAD GATEWAY (injected failure): the code host failed; try again later"),
        ("timeout", "the code host did not answer within 0.3s"),
    ],
)
def test_api_errors_are_clear_and_leave_the_user_alone(
    repo: Repo, fault: str, expected: str
) -> None:
    host = repo.host
    if fault == "401":
        host.token = "another-token"
    elif fault == "403":
        host.fail("POST", r"/pulls$", 403, "Resource not accessible by integration")
    elif fault == "422":
        host.fail(
            "POST", r"/pulls$", 422, "Validation Failed: A pull request already exists for acme:x"
        )
    elif fault in ("500", "502"):
        host.fail("GET", r"/pulls$", int(fault))
    else:
        host.stall("GET", r"/pulls$", 1.0)
    before = repo.user_state()

    run = repo.bot(*QUICK, "--verbose", "--timeout", "0.3")

    assert run.code == 2
    errors = [line for line in run.err.splitlines() if line.startswith("gomapfix: error:")]
    assert len(errors) == 1, run.err
    assert expected in errors[0]
    assert repo.user_state() == before
    if fault in ("401", "500", "502", "timeout"):
        assert repo.pushes() == 0  # failed while reading: nothing was written anywhere
        assert host.writes == []
    repo.assert_token_never_shown()


def test_ctrl_c_leaves_everything_as_it_was(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    scratch = repo.tmp / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    before = repo.user_state()

    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("gomapfix.bot.host.HostAPI.create_pull", interrupt)
    run = repo.bot(*QUICK)

    assert run.code == 2
    assert run.err.endswith(
        "gomapfix: error: interrupted; your branch and working tree are as they were\n"
    )
    assert repo.user_state() == before
    assert list(scratch.iterdir()) == []


def test_token_reaches_git_only_in_memory(repo: Repo) -> None:
    """An https remote gets the token as a header through the environment of the git
    process; it is sent, and written nowhere."""
    url = f"{repo.api}/acme/shop.git"
    git(repo.work, "remote", "set-url", "origin", url)

    run = repo.bot(*QUICK, "--verbose")

    assert run.code == 2
    assert run.err.splitlines()[-1].startswith("gomapfix: error: git ls-remote failed")
    sent = [r.authorization for r in repo.host.requests if "shop.git" in r.path]
    basic = base64.b64encode(f"x-access-token:{TOKEN}".encode()).decode()
    assert sent and all(a == f"basic {basic}" for a in sent)
    assert "extraheader" not in (repo.work / ".git" / "config").read_text()
    repo.assert_token_never_shown()


def test_no_token_is_a_clear_error(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GOMAPFIX_TOKEN")
    run = repo.bot(*QUICK)
    assert run.code == 2
    assert run.err.startswith("gomapfix: error: no token: set GOMAPFIX_TOKEN or GITHUB_TOKEN")
    assert repo.host.requests == []


# Dry run ---------------------------------------------------------------------------------------


def test_dry_run_touches_nothing(repo: Repo) -> None:
    before, refs = repo.local_state(), repo.remote_refs()

    run = repo.bot(*QUICK, "--dry-run")

    assert run.code == 0, run.err
    assert "branch gomapfix/all (new branch): new fixes: would push" in run.out
    assert "commit 1: gomapfix: GMF201 nil-map-write (1 fix, safe)" in run.out
    assert "pull request: would open 'gomapfix: fix 3 Go map hazards" in run.out
    assert "+++ b/catalog.go" in run.out and "+\t\tc.aliases = make(map[string]string)" in run.out
    assert repo.local_state() == before
    assert repo.remote_refs() == refs and repo.pushes() == 0
    assert repo.host.writes == []

    # After a first run, a dry run shows the update it would make.
    assert repo.bot(*QUICK).code == 0
    repo.commit_on_main("holds.go", NEW_HAZARD)
    before, refs, requests = repo.local_state(), repo.remote_refs(), len(repo.host.requests)
    run = repo.bot(*QUICK, "--dry-run")
    assert run.code == 0, run.err
    assert "new fixes: would force-push" in run.out
    assert "pull request: would update #1" in run.out
    assert repo.local_state() == before and repo.remote_refs() == refs
    assert [r for r in repo.host.requests[requests:] if r.method != "GET"] == []
    repo.assert_token_never_shown()


# Pieces -----------------------------------------------------------------------------------------


def test_remote_urls() -> None:
    assert parse_remote("https://github.com/acme/shop.git").owner == "acme"
    where = parse_remote("git@github.example.com:acme/shop.git")
    assert (where.host, where.owner, where.name) == ("github.example.com", "acme", "shop")
    where = parse_remote("ssh://git@host:2222/group/sub/shop")
    assert (where.host, where.owner, where.name) == ("host", "group/sub", "shop")
    assert parse_remote("file:///srv/shop.git").host is None
    assert parse_remote("/srv/shop.git").host is None
    assert display_url("https://user:secret@github.com/acme/shop") == "https://github.com/acme/shop"


def test_redactor_and_git_env() -> None:
    token = Token("s3cret-value", "GOMAPFIX_TOKEN")
    assert "s3cret" not in repr(token) and "s3cret" not in str(token)
    redact = Redactor([token.value])
    basic = base64.b64encode(b"x-access-token:s3cret-value").decode()
    assert redact(f"a s3cret-value b {basic} https://x:y@h/p") == "a *** b *** https://h/p"
    env = git_auth_env("https://github.com/acme/shop.git", token)
    assert env["GIT_CONFIG_KEY_0"] == "http.https://github.com/.extraheader"
    assert env["GIT_CONFIG_VALUE_0"] == ""  # resets headers configured elsewhere
    assert env["GIT_CONFIG_VALUE_1"] == f"AUTHORIZATION: basic {basic}"
    assert git_auth_env("file:///srv/shop.git", token) == {"GIT_TERMINAL_PROMPT": "0"}
    assert git_auth_env("git@github.com:acme/shop.git", token) == {"GIT_TERMINAL_PROMPT": "0"}
    with pytest.raises(BotError):
        Identity.parse("no email")
