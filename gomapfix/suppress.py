"""Suppression directives: ``//gomapfix:ignore CODES reason`` and ``//gomapfix:file-ignore``.

A directive must name rule codes and give a reason, because a suppression without a
reason is a decision nobody can review later. A malformed one suppresses nothing and is
reported (GMF901); one that matched nothing is reported with a fix that removes it (GMF900).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from tree_sitter import Node

from gomapfix.finding import Finding, Location
from gomapfix.fix import Applicability, Edit, Fix
from gomapfix.parse import ParsedFile, node_text
from gomapfix.query import file_nodes

UNUSED_CODE = "GMF900"
INVALID_CODE = "GMF901"
_DIRECTIVE = re.compile(r"^//\s?gomapfix:(?P<kind>ignore|file-ignore)\b(?P<rest>.*)$", re.DOTALL)
_CODE = re.compile(r"^GMF\d{3}$")


@dataclass
class Directive:
    comment: Node
    kind: str
    codes: tuple[str, ...]
    reason: str
    start: int
    """Byte range the directive covers."""
    end: int
    problem: str | None = None
    used: bool = field(default=False)


def parse_directives(parsed: ParsedFile, known_codes: frozenset[str]) -> list[Directive]:
    data = parsed.source.data
    if b"gomapfix:" not in data:
        return []
    package = next((c for c in parsed.root.named_children if c.type == "package_clause"), None)
    directives: list[Directive] = []
    for comment in file_nodes(parsed, frozenset({"comment"})):
        text = node_text(comment)
        m = _DIRECTIVE.match(text)
        if not m:
            continue
        kind = m.group("kind")
        rest = m.group("rest").strip()
        code_field, _, reason = rest.partition(" ")
        codes = tuple(c.strip().upper() for c in code_field.split(",") if c.strip())
        problem = None
        if not codes:
            problem = "names no rule code"
        elif bad := [c for c in codes if not _CODE.match(c) or c not in known_codes]:
            problem = f"names unknown rule code {', '.join(bad)}"
        elif not reason.strip():
            problem = "gives no reason (write one after the codes)"
        if kind == "file-ignore":
            start, end = 0, len(data)
            if package is not None and comment.start_byte > package.start_byte:
                problem = problem or "file-ignore must come before the package clause"
        else:
            start, end = _covered_range(parsed, comment)
        directives.append(Directive(comment, kind, codes, reason.strip(), start, end, problem))
    return directives


def _covered_range(parsed: ParsedFile, comment: Node) -> tuple[int, int]:
    source = parsed.source
    line_start = source.line_start(comment.start_byte)
    before = source.data[line_start : comment.start_byte]
    if before.strip():
        # Trailing directive: the line it is on.
        return line_start, source.line_end(comment.start_byte)
    sibling = comment.next_named_sibling
    while sibling is not None and sibling.type == "comment":
        sibling = sibling.next_named_sibling
    if sibling is not None and sibling.type == "statement_list":
        # A comment that opens a block sits beside the block's statement list, not in it.
        sibling = next((c for c in sibling.named_children if c.type != "comment"), None)
    if sibling is None:
        return comment.start_byte, comment.end_byte
    return source.line_start(sibling.start_byte), sibling.end_byte


def apply_suppressions(
    parsed: ParsedFile,
    findings: Iterable[Finding],
    directives: list[Directive],
    enabled: frozenset[str],
    names: dict[str, str],
) -> list[Finding]:
    """Drop suppressed findings and add GMF900/GMF901 findings for the directives."""
    kept: list[Finding] = []
    for finding in findings:
        suppressed = False
        for d in directives:
            if (
                d.problem is None
                and finding.code in d.codes
                and (d.start <= finding.location.start < d.end)
            ):
                d.used = True
                suppressed = True
        if not suppressed:
            kept.append(finding)
    for d in directives:
        if d.problem is not None and INVALID_CODE in enabled:
            message = f"invalid suppression: {d.problem}; it suppresses nothing"
            kept.append(_directive_finding(parsed, d, INVALID_CODE, names, message))
        elif (
            d.problem is None
            and not d.used
            and UNUSED_CODE in enabled
            and all(code in enabled for code in d.codes)
        ):
            kept.append(
                _directive_finding(
                    parsed,
                    d,
                    UNUSED_CODE,
                    names,
                    f"unused suppression: {', '.join(d.codes)} reported nothing here",
                    fix=_removal(parsed, d.comment),
                )
            )
    return kept


def _directive_finding(
    parsed: ParsedFile,
    d: Directive,
    code: str,
    names: dict[str, str],
    message: str,
    fix: Fix | None = None,
) -> Finding:
    source = parsed.source
    a = source.position(d.comment.start_byte)
    b = source.position(d.comment.end_byte)
    location = Location(
        parsed.path, d.comment.start_byte, d.comment.end_byte, a.line, a.column, b.line, b.column
    )
    return Finding(code, names.get(code, code), message, location, fix)


def _removal(parsed: ParsedFile, comment: Node) -> Fix:
    source = parsed.source
    data = source.data
    line_start = source.line_start(comment.start_byte)
    if not data[line_start : comment.start_byte].strip():
        start, end = line_start, source.line_end(comment.start_byte)
    else:
        start = comment.start_byte
        while start > line_start and data[start - 1] in b" \t":
            start -= 1
        end = comment.end_byte
    return Fix(
        "Remove the unused suppression",
        (Edit(parsed.path, start, end, b""),),
        Applicability.SAFE,
    )
