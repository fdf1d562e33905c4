"""The flags of ``gomapfix pr`` (the selection flags come from the shared parent parser)."""

from __future__ import annotations

import argparse

from gomapfix.patchset import SPLITS
from gomapfix.verify import LEVELS as VERIFY_LEVELS

DEFAULT_LABELS = ("gomapfix",)


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {value!r}")
    return int(value)


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if seconds <= 0:
        raise argparse.ArgumentTypeError(f"expected a number of seconds above 0, got {value!r}")
    return seconds


def add_pr_arguments(pr: argparse.ArgumentParser) -> None:
    pr.add_argument(
        "--split-by",
        choices=SPLITS,
        help="one pull request per rule, package or module (default: a single one)",
    )
    pr.add_argument(
        "--max-prs",
        type=_positive,
        metavar="N",
        help="open at most N new pull requests in this run (updates do not count)",
    )
    pr.add_argument("--base", help="the branch to fix and target (default: the remote's default)")
    pr.add_argument(
        "--remote", default="origin", help="the git remote to push to (default: origin)"
    )
    pr.add_argument(
        "--repo",
        metavar="OWNER/NAME",
        help="the repository on the code host (default: from the remote's URL)",
    )
    pr.add_argument(
        "--api-url",
        help="the code host's REST API (default: $GOMAPFIX_API_URL, else derived from the "
        "remote: https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise)",
    )
    pr.add_argument(
        "--label",
        dest="labels",
        action="append",
        metavar="NAME",
        help=f"label for the pull requests (repeatable; default: {', '.join(DEFAULT_LABELS)})",
    )
    pr.add_argument(
        "--author",
        metavar="'NAME <EMAIL>'",
        help="the bot's git identity (default: $GOMAPFIX_AUTHOR, else "
        "'gomapfix-bot <gomapfix-bot@users.noreply.github.com>'); commits by anyone else "
        "on a bot branch are never overwritten",
    )
    pr.add_argument(
        "--unsafe-fixes", action="store_true", default=None, help="also apply fixes marked unsafe"
    )
    pr.add_argument(
        "--verify",
        choices=VERIFY_LEVELS,
        metavar="[=test]",
        help="prove the changed packages with the Go toolchain before proposing them "
        "(default: build, when a toolchain is available)",
    )
    pr.add_argument(
        "--no-verify", action="store_true", help="propose the fixes without building them"
    )
    pr.add_argument(
        "--timeout",
        type=_seconds,
        default=30.0,
        metavar="SECONDS",
        help="time allowed for each request to the code host (default: 30)",
    )
    pr.add_argument(
        "--dry-run",
        action="store_true",
        help="print the branches, commits, pull requests and patch; change nothing",
    )
    pr.add_argument(
        "-v", "--verbose", action="store_true", help="log every git command and API request"
    )
