"""The texts the bot writes: commit messages, pull-request titles and bodies, comments."""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from gomapfix import __version__
from gomapfix.bot.plan import Fixed, Group, PackageCheck, Plan, Step
from gomapfix.patch import unified_diffs

FINGERPRINT_KEY = "Gomapfix-Fingerprint"
MAX_BODY = 60_000
"""GitHub refuses bodies above 65536 characters."""


@dataclass(frozen=True)
class Links:
    """Findings link to the base: ``{web}/{repo}/blob/{base_sha}/{path}#L{line}``."""

    web: str | None
    repo: str
    base_sha: str

    def file(self, fixed: Fixed) -> str:
        line = fixed.base_line or fixed.line
        label = f"`{fixed.path}:{line}`"
        if not self.web:
            return label
        return f"[{label}]({self.web}/{self.repo}/blob/{self.base_sha}/{fixed.path}#L{line})"


def marker(fingerprint: str) -> str:
    return f"<!-- gomapfix-fingerprint: {fingerprint} -->"


def fingerprint_in(text: str) -> str | None:
    found = re.findall(r"<!-- gomapfix-fingerprint: ([0-9a-f]+) -->", text or "")
    return found[-1] if found else None


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else ('es' if word.endswith('x') else 's')}"


def levels_text(levels: Mapping[str, int]) -> str:
    if len(levels) == 1:
        return next(iter(levels))
    return ", ".join(f"{n} {level}" for level, n in levels.items())


def _codes_text(codes: Sequence[str], limit: int = 4) -> str:
    if len(codes) <= limit:
        return ", ".join(codes)
    return f"{', '.join(codes[:limit])} and {len(codes) - limit} more"


def reproduce_command(group: Group, codes: Sequence[str], unsafe: bool, fix_style: str) -> str:
    parts = ["gomapfix", "fix", "--diff", "--select", ",".join(codes)]
    if unsafe:
        parts.append("--unsafe-fixes")
    if fix_style != "guard":
        parts += ["--fix-style", fix_style]
    quoted = [shlex.quote(p) for p in parts]
    # Globs stay unquoted: the shell expands them.
    return " ".join([*quoted, *group.scope])


def commit_message(step: Step, group: Group, plan: Plan, reproduce: str, fingerprint: str) -> str:
    subject = (
        f"gomapfix: {step.code} {step.name} "
        f"({_plural(len(step.fixed), 'fix')}, {levels_text(step.levels)})"
    )
    lines = [subject, "", step.explain, "", "Fixes:"]
    for fixed in step.fixed:
        text = f"- {fixed.path}:{fixed.line}: {fixed.message} [{fixed.level}]"
        lines.append(text if len(text) <= 200 else text[:199] + "…")
    lines += ["", verification_line(group, plan), f"Reproduce: {reproduce}", ""]
    lines += [
        f"Gomapfix-Rule: {step.code}",
        f"Gomapfix-Group: {group.name}",
        f"{FINGERPRINT_KEY}: {fingerprint}",
    ]
    return "\n".join(lines) + "\n"


def verification_line(group: Group, plan: Plan) -> str:
    if plan.verify_level is None:
        return f"Not verified: {plan.unverified_reason or 'verification was off'}."
    ok = [c.package for c in group.checks if c.outcome == "verified"]
    not_ok = [c.package for c in group.checks if c.outcome == "not verified"]
    what = "gofmt and go vet" + (" and the tests" if plan.verify_level == "test" else "")
    text = f"Verified: {what} passed with these fixes on {_plural(len(ok), 'package')}"
    if not_ok:
        text += f"; {_plural(len(not_ok), 'package')} could not be checked offline"
    return text + "."


def pr_title(group: Group) -> str:
    if group.name.startswith("rule-") and len(group.steps) == 1:
        step = group.steps[0]
        return f"gomapfix: {step.code} {step.name} ({_plural(step_fixes(step), 'fix')})"
    hazards = _plural(group.fixes, "Go map hazard")
    where = "" if group.name == "all" else f" in {group.title}"
    return f"gomapfix: fix {hazards}{where} ({_codes_text(group.codes)})"


def step_fixes(step: Step) -> int:
    return len(step.fixed)


def _where(group: Group, base: str) -> str:
    if group.name.startswith(("package-", "module-")):
        kind, _, folder = group.title.partition(" ")
        return f"{kind} `{folder}` of `{base}`"
    return f"`{base}`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _checks_section(group: Group, plan: Plan) -> list[str]:
    lines = ["### What was verified", ""]
    if plan.verify_level is None:
        lines.append(
            f"Not verified: {plan.unverified_reason or 'verification was off'}. Build and "
            "vet the branch before merging."
        )
        return lines
    what = "`gofmt` stays clean and `go vet` (which type-checks the package and its tests) passes"
    if plan.verify_level == "test":
        what += ", and the package's tests pass (with `-race` for concurrency fixes)"
    lines.append(
        f"Before this was proposed, each changed package was checked with the fixes applied: "
        f"{what}. Verification never downloads anything (`GOPROXY=off`)."
    )
    lines.append("")
    for check in group.checks:
        shown = "./" if check.package == "." else f"./{check.package}"
        if check.outcome == "verified":
            lines.append(f"- ✅ `{shown}`: verified ({check.detail or plan.verify_level})")
        elif check.outcome == "not verified":
            lines.append(f"- ⚠️ `{shown}`: not verified: {_cell(check.detail)}")
        else:
            lines.append(f"- ⏪ `{shown}`: left out (failed verification): {_cell(check.detail)}")
    return lines


def findings_table(group: Group, links: Links, limit: int = 20) -> list[str]:
    lines = ["| Rule | Fixes | Safety | Where |", "|---|---|---|---|"]
    for step in group.steps:
        where = [links.file(f) for f in step.fixed[:limit]]
        if len(step.fixed) > limit:
            where.append(f"and {len(step.fixed) - limit} more")
        lines.append(
            f"| **{step.code}** `{step.name}`<br>{_cell(step.summary)} | {len(step.fixed)} | "
            f"{levels_text(step.levels)} | {', '.join(where)} |"
        )
    return lines


def pr_body(
    group: Group,
    plan: Plan,
    links: Links,
    base: str,
    reproduce: str,
    fingerprint: str,
    commits: Sequence[str] = (),
) -> str:
    levels = group.levels
    safety = (
        "Every fix is **safe**: the kind `gomapfix fix` applies without asking."
        if set(levels) == {"safe"}
        else "Fixes marked **unsafe** need a reviewer's judgement (they were asked for with "
        "`--unsafe-fixes`): read them closely."
    )
    lines = [
        f"gomapfix found and fixed **{_plural(group.fixes, 'Go map hazard')}** in "
        f"{_where(group, base)}, with one commit per rule. {safety}",
        "",
        *findings_table(group, links),
        "",
        *_checks_section(group, plan),
        "",
        "### Reproduce locally",
        "",
        f"On an up-to-date checkout of `{base}`:",
        "",
        "```sh",
        reproduce,
        "```",
        "",
        "Without `--diff` it applies the fixes; `gomapfix explain CODE` says what each rule "
        "finds, why it is a hazard, and why its fix has its safety level.",
    ]
    if commits:
        lines += ["", "### Commits", ""]
        lines += [f"{i}. {c}" for i, c in enumerate(commits, 1)]
    details = ["", "<details><summary>Every fix</summary>", ""]
    for step in group.steps:
        for f in step.fixed:
            details.append(f"- {links.file(f)} {step.code} ({f.level}): {_cell(f.message)}")
    details += ["", "</details>"]
    footer = [
        "",
        f"<sub>Opened by gomapfix {__version__} (`gomapfix pr`). The bot updates this pull "
        "request when its fixes change, and never overwrites commits it did not make. "
        "Closing it without merging tells the bot not to propose these same fixes again.</sub>",
        "",
        marker(fingerprint),
    ]
    text = "\n".join([*lines, *details, *footer]) + "\n"
    if len(text) > MAX_BODY:
        text = "\n".join([*lines, *footer]) + "\n"
    return text


def human_comment(
    group: Group,
    plan: Plan,
    links: Links,
    base: str,
    humans: Sequence[str],
    reproduce: str,
    fingerprint: str,
) -> str:
    shown = ", ".join(humans[:3]) + (f" and {len(humans) - 3} more" if len(humans) > 3 else "")
    patch = unified_diffs((c.path, c.old, c.new, c.created) for c in group.final_changes())
    lines = [
        f"gomapfix has new fixes for `{group.branch}` but did **not** push them: the branch "
        f"has commits that gomapfix did not make ({shown}), and it never overwrites them.",
        "",
        f"With `{base}` as it is now, it would propose {_plural(group.fixes, 'fix')}, one "
        "commit per rule:",
        "",
        *findings_table(group, links),
        "",
        verification_line(group, plan),
        "",
        "To take them: merge or close this pull request and delete the branch (the next "
        "run starts a fresh one), or apply the patch below (it is against the base) and "
        "push it yourself. To reproduce:",
        "",
        "```sh",
        reproduce,
        "```",
    ]
    fence = "```"
    patch_block = [
        "",
        "<details><summary>Patch</summary>",
        "",
        f"{fence}diff",
        patch.rstrip("\n"),
        fence,
        "",
        "</details>",
    ]
    footer = ["", marker(fingerprint)]
    text = "\n".join([*lines, *patch_block, *footer]) + "\n"
    if len(text) > MAX_BODY:
        text = "\n".join([*lines, "", "(The patch is too large for a comment.)", *footer]) + "\n"
    return text


def group_patch(group: Group) -> str:
    return unified_diffs((c.path, c.old, c.new, c.created) for c in group.final_changes())


def check_summary(checks: Sequence[PackageCheck]) -> str:
    counts: dict[str, int] = {}
    for check in checks:
        counts[check.outcome] = counts.get(check.outcome, 0) + 1
    return ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items())) or "none"
