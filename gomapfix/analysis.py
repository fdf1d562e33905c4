"""One analysis pass over a package directory: parse, facts, codemods, suppressions.

Pure with respect to its inputs (file bytes in, findings out), so that the fix loop can
re-run it on spliced text and later work can run it in worker processes or on an
editor's unsaved buffer.
"""

from __future__ import annotations

import traceback
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from tree_sitter import Node

from gomapfix.codemod import Codemod, FileContext, Hook, PackageEvidence, RuleOptions, SkipFile
from gomapfix.facts.package import PackageModel
from gomapfix.facts.store import PackageFacts
from gomapfix.finding import Finding
from gomapfix.goversion import GoVersion, version_in_force
from gomapfix.parse import ParsedFile, may_be_generated, parse_source
from gomapfix.query import file_nodes, matches, typed_file_nodes, will_analyse
from gomapfix.registry import all_codemods
from gomapfix.source import SourceText
from gomapfix.suppress import apply_suppressions, parse_directives

GENERATED_REASON = "generated file"

_COMMENT = frozenset({"comment"})
"""Not in the node index (``index_kinds``): only files with a ``gomapfix:`` directive or
a fix over a comment ask for their comments, and they query them then, where holding
every file's comments in its index (about one node in seven of the standard library's)
cost every file's query and every dispatch walk over the index."""


@dataclass(frozen=True)
class AnalysisOptions:
    codemods: tuple[type[Codemod], ...]
    go_version: GoVersion | None = None
    include_generated: bool = False
    rule_options: RuleOptions = field(default_factory=RuleOptions)
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    prefilter: bool = True
    """Skip rules whose trigger tokens (in the file) or package pattern are absent; off
    only to test that skipping them changes nothing."""


@dataclass
class ParseCounts:
    """The files this process's analyses parsed whole, and those read for package facts
    of which only the header was ever parsed (run statistics: a benchmark's "files
    parsed"; fix passes analyse again and count again)."""

    parsed: int = 0
    header_only: int = 0


PARSED = ParseCounts()


@dataclass
class FileAnalysis:
    parsed: ParsedFile | None
    findings: list[Finding] = field(default_factory=list)
    skip_reason: str | None = None
    """Why the file (or part of it) was not analysed."""
    partial: bool = False
    """True when the skip reason covers only part of the file (syntax error regions)."""
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


def analyze_directory(
    directory: Path,
    texts: dict[str, bytes],
    targets: Iterable[str],
    options: AnalysisOptions,
) -> dict[str, FileAnalysis]:
    """Analyse the target files of one directory, with every file of it as package context."""
    wanted = set(targets)
    # Files read only for package facts are parsed when a fact first needs them: files
    # outside the targets, and generated ones (never analysed themselves).
    parsed_all: dict[str, ParsedFile] = {
        path: parse_source(
            SourceText(path, data),
            deferred=path not in wanted
            or (not options.include_generated and may_be_generated(data)),
        )
        for path, data in texts.items()
    }
    for path in wanted:
        parsed = parsed_all[path]
        if not parsed.deferred:
            will_analyse(parsed)
    by_package: dict[str, list[ParsedFile]] = defaultdict(list)
    for parsed in parsed_all.values():
        if parsed.package is not None:
            by_package[parsed.package].append(parsed)
    facts = {
        name: PackageFacts(PackageModel.build(str(directory), name, files))
        for name, files in by_package.items()
    }
    # A rule whose package condition no file meets cannot report here: don't run it.
    instances = [c() for c in _live_codemods(options, list(texts.values()))]
    enabled = frozenset(c.code for c in options.codemods)
    names = {c.code: c.name for c in all_codemods()}
    known = frozenset(names)
    results: dict[str, FileAnalysis] = {}
    for path in sorted(wanted):
        parsed = parsed_all[path]
        results[path] = _analyze_file(
            parsed, facts, instances, enabled, known, names, directory, options
        )
    for parsed in parsed_all.values():
        if parsed.deferred:
            PARSED.header_only += 1
        else:
            PARSED.parsed += 1
    return results


def _live_codemods(options: AnalysisOptions, datas: list[bytes]) -> list[type[Codemod]]:
    """The enabled rules whose package condition some file meets (all, unprefiltered)."""
    if not options.prefilter:
        return list(options.codemods)
    evidence = PackageEvidence(datas)
    return [c for c in options.codemods if evidence.admits(c)]


def _analyze_file(
    parsed: ParsedFile,
    facts: dict[str, PackageFacts],
    instances: list[Codemod],
    enabled: frozenset[str],
    known: frozenset[str],
    names: dict[str, str],
    directory: Path,
    options: AnalysisOptions,
) -> FileAnalysis:
    if parsed.package is None:
        return FileAnalysis(parsed, skip_reason=_syntax_reason(parsed) or "no package clause")
    if parsed.generated and not options.include_generated:
        reason = f"{GENERATED_REASON} (Code generated ... DO NOT EDIT.)"
        return FileAnalysis(parsed, skip_reason=reason)
    go_version = version_in_force(parsed.build_go_version, directory, options.go_version)
    package_facts = facts[parsed.package]
    ignored = _ignored_codes(parsed.path, options)
    active = [c for c in instances if c.code not in ignored]
    result = FileAnalysis(parsed)
    try:
        findings = list(
            _run_codemods(
                parsed,
                package_facts,
                go_version,
                active,
                result,
                options.rule_options,
                options.prefilter,
            )
        )
    except SkipFile as skip:
        return FileAnalysis(parsed, skip_reason=str(skip) or "skipped by a codemod")
    except Exception:
        return FileAnalysis(parsed, error=traceback.format_exc())
    if parsed.error_regions:
        result.skip_reason = _syntax_reason(parsed)
        result.partial = True
        findings = _outside_errors(parsed, findings)
    findings = [_guard_comments(parsed, f) for f in findings]
    directives = parse_directives(parsed, known)
    findings = apply_suppressions(parsed, findings, directives, enabled, names)
    result.findings = sorted(findings, key=lambda f: f.sort_key)
    return result


def _ignored_codes(path: str, options: AnalysisOptions) -> frozenset[str]:
    import fnmatch

    ignored: set[str] = set()
    posix = Path(path).as_posix()
    for pattern, codes in options.per_file_ignores:
        if fnmatch.fnmatch(posix, pattern) or fnmatch.fnmatch(posix, "*/" + pattern):
            ignored.update(codes)
    return frozenset(ignored)


def _run_codemods(
    parsed: ParsedFile,
    facts: PackageFacts,
    go_version: GoVersion,
    codemods: list[Codemod],
    result: FileAnalysis,
    rule_options: RuleOptions,
    prefilter: bool = True,
) -> Iterable[Finding]:
    data = parsed.source.data
    # Hooks bound once per file: the walk below calls them for every node of their type.
    dispatch: dict[str, list[tuple[Hook, FileContext]]] = defaultdict(list)
    by_call_name: dict[str, list[tuple[Hook, FileContext]]] = defaultdict(list)
    present: dict[bytes, bool] = {}  # rules share tokens: each is searched once

    def has(token: bytes) -> bool:
        found = present.get(token)
        if found is None:
            found = present[token] = token in data
        return found

    for codemod in codemods:
        tokens = codemod.trigger_tokens
        if prefilter and tokens and not any(has(t) for t in tokens):
            continue
        ctx = FileContext(parsed, facts, go_version, codemod, result.warnings, rule_options)
        if codemod.query is not None:
            for match in matches(codemod.query, parsed.root):
                yield from codemod.on_match(ctx, match)
        for node_type in codemod.visited_types():
            hook = codemod.hook_for(node_type)
            if hook is None:
                continue
            if node_type == "call_expression" and codemod.call_names is not None:
                for name in codemod.call_names:
                    by_call_name[name].append((hook, ctx))
                dispatch.setdefault(node_type, [])
            else:
                dispatch[node_type].append((hook, ctx))
    if not dispatch:
        return
    # ``call_name`` of a call is asked of the bytes of its name: most calls name nothing
    # a rule wants, and decoding every one cost more than the comparison. A name the
    # file's text does not hold names no call of it (the callee is a slice of the text).
    by_name = {
        encoded: hooks
        for name, hooks in by_call_name.items()
        if has(encoded := name.encode("utf-8"))
    }
    names = tuple(by_name)
    get_hooks = dispatch.get
    for node, kind in typed_file_nodes(parsed, frozenset(dispatch), build=True):
        hooks = get_hooks(kind)
        if hooks is None:
            continue  # the index holds kinds no rule visits in this file
        for hook, ctx in hooks:
            yield from hook(ctx, node)
        if names and kind == "call_expression":
            for hook, ctx in by_name.get(_call_name_bytes(node, data, names) or b"", ()):
                yield from hook(ctx, node)


def _call_name_bytes(call: Node, data: bytes, names: tuple[bytes, ...]) -> bytes | None:
    """``syntax.call_name(call)`` as the bytes of the name, undecoded, when it is one of
    ``names``; None when it is none of them.

    The same name exactly: a rule's call names are valid text, so the bytes are its
    UTF-8 encoding exactly when their (replacing) decoding is the name. The name is the
    callee itself or the field that ends its selector, so it ends where the callee does:
    a callee that no name ends is rejected from ``data`` (one ``endswith``), without the
    field node and its text that most calls would otherwise make.
    """
    fn = call.child_by_field_name("function")
    if fn is None or not data.endswith(names, 0, fn.end_byte):
        return None
    kind = fn.type
    if kind == "identifier":
        return fn.text
    if kind == "selector_expression":
        field = fn.child_by_field_name("field")
        return field.text if field is not None else None
    return None


def _syntax_reason(parsed: ParsedFile) -> str | None:
    if not parsed.error_regions:
        return None
    first = parsed.error_regions[0]
    error_node = _first_error(parsed.root)
    at = error_node.start_byte if error_node is not None else first.start
    pos = parsed.source.position(at)
    return (
        f"syntax error at {pos.line}:{pos.column}; findings and fixes in "
        f"{len(parsed.error_regions)} declaration(s) around it skipped"
    )


def _first_error(node: Node) -> Node | None:
    if node.is_error or node.is_missing:
        return node
    for child in node.children:
        if child.has_error or child.is_error or child.is_missing:
            found = _first_error(child)
            if found is not None:
                return found
    return None


def _outside_errors(parsed: ParsedFile, findings: list[Finding]) -> list[Finding]:
    kept = []
    for f in findings:
        if parsed.touches_error(f.location.start, f.location.end):
            continue
        if f.fix is not None and any(
            e.path == parsed.path and parsed.touches_error(e.start, max(e.end, e.start + 1))
            for e in f.fix.edits
        ):
            f = replace(f, fix=None)
        kept.append(f)
    return kept


def _guard_comments(parsed: ParsedFile, finding: Finding) -> Finding:
    """Lower a fix to unsafe when one of its edits would drop a comment."""
    fix = finding.fix
    if fix is None or not fix.edits:
        return finding
    data = parsed.source.data
    for edit in fix.edits:
        if edit.path != parsed.path or edit.start == edit.end:
            continue
        if b"//" not in data[edit.start : edit.end] and b"/*" not in data[edit.start : edit.end]:
            continue
        for comment in file_nodes(parsed, _COMMENT):
            if comment.end_byte <= edit.start or comment.start_byte >= edit.end:
                continue
            text = comment.text or b""
            if text not in edit.text:
                return replace(finding, fix=fix.downgraded("the fix would drop a comment"))
    return finding
