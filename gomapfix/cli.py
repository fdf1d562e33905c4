"""The command line: check, fix, explain, rules.

Exit codes: 0 nothing left to report (or an empty diff); 1 findings remain, or --diff
printed a patch; 2 usage, configuration or internal error, or a failed file.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from gomapfix import __version__

if TYPE_CHECKING:
    from gomapfix.config import Config
    from gomapfix.runner import RunOptions, RunResult

# Editors run `gomapfix check -` on every save, so this module imports only what every
# command needs; each path imports the rest when it runs (`python -X importtime`).
# The choices below are those of gomapfix.codemod, gomapfix.patchset and
# gomapfix.verify, spelt out so that building the parser imports none of them (a test
# checks they agree).
FIX_STYLES = ("guard", "wrapper")
SPLITS = ("rule", "package", "module")
VERIFY_LEVELS = ("build", "test")

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FORMATS = ("text", "json", "json-lines", "sarif", "github")


class UsageError(Exception):
    pass


def _shard(value: str) -> tuple[int, int]:
    k, sep, n = value.partition("/")
    if not sep or not k.isdigit() or not n.isdigit() or not 1 <= int(k) <= int(n):
        raise argparse.ArgumentTypeError(f"expected K/N with 1 <= K <= N, got {value!r}")
    return int(k), int(n)


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def build_parser(pr_arguments: bool = True) -> argparse.ArgumentParser:
    """The command line's parser; ``pr_arguments=False`` leaves out the flags of ``pr``
    (they import the bot's modules), for a command line that is not ``gomapfix pr``."""
    parser = argparse.ArgumentParser(
        prog="gomapfix",
        description="Find unsafe Go map patterns and rewrite them into reviewable patches.",
    )
    parser.add_argument("--version", action="version", version=f"gomapfix {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "paths",
        nargs="*",
        default=None,
        help="files, directories (searched recursively) or ./... ; - for stdin",
    )
    common.add_argument("--select", type=_csv, help="rules to run: codes, names or prefixes")
    common.add_argument(
        "--extend-select",
        type=_csv,
        default=[],
        help="rules to add to the selection (e.g. off-by-default GMF305)",
    )
    common.add_argument("--ignore", type=_csv, default=[], help="rules to leave out")
    common.add_argument("--output-format", choices=FORMATS, default="text")
    common.add_argument("--go-version", help="Go version to assume for every file (e.g. 1.22)")
    common.add_argument("--config", type=Path, help="use this config file")
    common.add_argument("--no-config", action="store_true", help="ignore config files")
    common.add_argument("--stdin-filename", help="the path of the buffer read from stdin")
    common.add_argument(
        "--include-generated",
        action="store_true",
        help="also edit files marked 'Code generated ... DO NOT EDIT.'",
    )
    common.add_argument("--include-vendor", action="store_true", help="descend into vendor/")
    common.add_argument("--include-testdata", action="store_true", help="descend into testdata/")
    common.add_argument(
        "--fix-style",
        choices=FIX_STYLES,
        help="concurrency fixes: guard with the owner's mutex (default) or migrate to a "
        "generated MapWrapper",
    )
    common.add_argument(
        "--changed-since",
        metavar="REV",
        help="only files changed since this git revision (and untracked ones)",
    )
    common.add_argument(
        "--shard",
        metavar="K/N",
        type=_shard,
        help="only the packages of shard K of N (a stable split for CI matrices)",
    )
    common.add_argument(
        "--no-cache", action="store_true", help="neither read nor write .gomapfix_cache/"
    )
    common.add_argument(
        "--no-prefilter",
        action="store_true",
        help="parse every package, even those no rule can report in (for debugging)",
    )
    common.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=None,
        help="worker processes (default: the number of cores; 1 runs in-process)",
    )
    common.add_argument(
        "--include-ignored", action="store_true", help="also take files that git ignores"
    )
    common.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="print findings only: no summary, warnings or progress",
    )

    sub.add_parser("check", parents=[common], help="report findings")
    fix = sub.add_parser("fix", parents=[common], help="apply fixes")
    fix.add_argument("--diff", action="store_true", help="print a patch instead of writing")
    fix.add_argument(
        "--split-by",
        choices=SPLITS,
        help="with --diff and --patch-dir: one patch per rule, package or module",
    )
    fix.add_argument(
        "--patch-dir", type=Path, help="write the patch set here (with an index) instead"
    )
    fix.add_argument(
        "--verify",
        choices=VERIFY_LEVELS,
        metavar="[=test]",
        help="check each changed package with the Go toolchain before writing (gofmt, "
        "go vet; =test also runs its tests) and roll back the packages that fail",
    )
    fix.add_argument(
        "--unsafe-fixes", action="store_true", default=None, help="also apply fixes marked unsafe"
    )
    pr = sub.add_parser(
        "pr", parents=[common], help="push the fixes and open or update pull requests"
    )
    if pr_arguments:
        from gomapfix.bot.args import add_pr_arguments

        add_pr_arguments(pr)
    explain = sub.add_parser("explain", help="explain a rule")
    explain.add_argument("rule", help="code (GMF201) or name (nil-map-write)")
    clean = sub.add_parser("clean", help="remove the result cache (.gomapfix_cache/)")
    clean.add_argument("path", nargs="?", default=".", help="a folder of the project")
    rules = sub.add_parser("rules", help="list the rules")
    rules.add_argument("--output-format", choices=("text", "json", "markdown"), default="text")
    sub.add_parser("lsp", help="run the language server over stdio (needs gomapfix[lsp])")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    _interrupt_on_sigterm()
    # A bare --verify means --verify=build; an optional argparse value would swallow a path.
    raw = list(sys.argv[1:] if argv is None else argv)
    argv = ["--verify=build" if a == "--verify" else a for a in raw]
    parser = build_parser(pr_arguments=_command(argv) in ("pr", None))
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_ERROR if exc.code not in (0, None) else EXIT_CLEAN
    try:
        if args.command == "explain":
            return _explain(args.rule)
        if args.command == "rules":
            return _rules(args.output_format)
        if args.command == "clean":
            return _clean(Path(args.path))
        if args.command in ("check", "fix"):
            return _check_or_fix(args)
        if args.command == "pr":
            return _pr(args)
        if args.command == "lsp":
            return _lsp()
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    except _user_errors() as exc:  # evaluated only when something was raised
        print(f"gomapfix: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        # `gomapfix explain X | head`: the reader left; say nothing more.
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - replaces the closed pipe
        return EXIT_CLEAN
    except KeyboardInterrupt:
        print("gomapfix: interrupted; no file was left half-written", file=sys.stderr)
        return EXIT_ERROR


def _command(argv: Sequence[str]) -> str | None:
    """The subcommand named on the command line (its first word not an option)."""
    return next((a for a in argv if not a.startswith("-")), None)


def _user_errors() -> tuple[type[Exception], ...]:
    """The errors reported as ``gomapfix: error: ...`` (exit 2) rather than raised."""
    from gomapfix.config import ConfigError
    from gomapfix.discover import DiscoveryError
    from gomapfix.registry import UnknownRuleError
    from gomapfix.verify import VerifyError

    return (UsageError, ConfigError, DiscoveryError, UnknownRuleError, VerifyError)


def _pr(args: argparse.Namespace) -> int:
    from gomapfix.bot.command import run_pr  # GitPython and requests only when asked for

    return run_pr(args, lambda anchor: _options(args, _load_config(args, [anchor])))


def _interrupt_on_sigterm() -> None:
    """SIGTERM ends a run like Ctrl-C: files already written stay, none is half-written."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    with contextlib.suppress(ValueError):  # not the main thread (embedded use)
        signal.signal(signal.SIGTERM, handler)


def _lsp() -> int:
    try:
        from gomapfix.lsp import serve
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in ("pygls", "lsprotocol", "cattrs", "attrs"):
            raise
        raise UsageError(
            f"`gomapfix lsp` needs the lsp extra ({exc.name} is missing): "
            "pip install 'gomapfix[lsp]'"
        ) from exc
    return serve()


def _clean(path: Path) -> int:
    from gomapfix.cache import cache_root_for
    from gomapfix.cache import clean as clean_cache

    root = cache_root_for(path)
    removed = clean_cache(root)
    print(f"removed {root / '.gomapfix_cache'}" if removed else "no cache to remove")
    return EXIT_CLEAN


def _explain(key: str) -> int:
    from gomapfix.registry import lookup

    codemod = lookup(key)
    if codemod is None:
        raise UsageError(f"unknown rule {key!r} (see `gomapfix rules`)")
    print(f"{codemod.code} {codemod.name}: {codemod.summary}\n")
    print(codemod.documentation())
    return EXIT_CLEAN


def _rules(fmt: str) -> int:
    from gomapfix.registry import all_codemods

    if fmt == "markdown":
        from gomapfix.output import rules_markdown

        sys.stdout.write(rules_markdown())
        return EXIT_CLEAN
    if fmt == "json":
        import json

        print(
            json.dumps(
                [
                    {
                        "code": c.code,
                        "name": c.name,
                        "summary": c.summary,
                        "default": c.default_enabled,
                        "family": c.family,
                    }
                    for c in all_codemods()
                ],
                indent=2,
            )
        )
        return EXIT_CLEAN
    for c in all_codemods():
        flag = "" if c.default_enabled else "  (off by default)"
        print(f"{c.code}  {c.name:<34} {c.summary}{flag}")
    return EXIT_CLEAN


def _load_config(args: argparse.Namespace, paths: list[str]) -> Config:
    from gomapfix.config import Config, ConfigError, find_config, load_config

    if args.no_config:
        return Config()
    if args.config is not None:
        if not args.config.is_file():
            raise ConfigError(f"{args.config}: no such config file")
        return load_config(args.config)
    anchor = Path(paths[0].removesuffix("...") or ".") if paths else Path(".")
    if paths and paths[0] == "-" and args.stdin_filename:
        anchor = Path(args.stdin_filename)
    if not anchor.exists():
        anchor = Path(".")
    found = find_config(anchor)
    return load_config(found) if found is not None else Config()


def _options(args: argparse.Namespace, config: Config) -> RunOptions:
    from gomapfix.analysis import AnalysisOptions
    from gomapfix.codemod import RuleOptions
    from gomapfix.discover import DiscoveryOptions
    from gomapfix.goversion import parse_go_version
    from gomapfix.registry import select
    from gomapfix.runner import RunOptions

    go_text = args.go_version or config.go_version
    go_version = None
    if go_text is not None:
        go_version = parse_go_version(go_text)
        if go_version is None:
            raise UsageError(f"invalid Go version {go_text!r} (expected e.g. 1.22)")
    selected = (
        args.select
        if args.select is not None
        else (list(config.select) if config.select is not None else None)
    )
    codemods = select(
        selected,
        ignore=[*config.ignore, *args.ignore],
        extend_select=[*config.extend_select, *args.extend_select],
    )
    for _, codes in config.per_file_ignores:
        for code in codes:
            select([code], [])  # validates the code
    unsafe = getattr(args, "unsafe_fixes", None)
    return RunOptions(
        analysis=AnalysisOptions(
            codemods=tuple(codemods),
            go_version=go_version,
            include_generated=args.include_generated,
            rule_options=RuleOptions(fix_style=args.fix_style or config.fix_style or "guard"),
            per_file_ignores=tuple(
                (pattern, tuple(c.code for code in codes for c in select([code], [])))
                for pattern, codes in config.per_file_ignores
            ),
        ),
        discovery=DiscoveryOptions(
            include_vendor=args.include_vendor,
            include_testdata=args.include_testdata,
            include_ignored=args.include_ignored,
            changed_since=args.changed_since,
            shard=args.shard,
            exclude=config.exclude,
            root=config.root,
        ),
        fix=args.command == "fix",
        # One buffer is one package, analysed in this process: no pool to size.
        jobs=1 if (args.paths or []) == ["-"] and args.jobs is None else _jobs(args.jobs),
        cache_root=None if args.no_cache else (config.root or _project_root(args)),
        prefilter=not args.no_prefilter,
        progress=not args.quiet and sys.stderr.isatty(),
        unsafe_fixes=bool(unsafe) if unsafe is not None else config.unsafe_fixes,
    )


def _project_root(args: argparse.Namespace) -> Path:
    from gomapfix.cache import cache_root_for

    paths = args.paths or ["."]
    first = (
        Path(args.stdin_filename)
        if paths == ["-"] and args.stdin_filename
        else Path(paths[0].removesuffix("...") or ".")
    )
    return cache_root_for(first if first.exists() else Path("."))


def _jobs(value: int | None) -> int:
    if value is None:
        from gomapfix.parallel import default_jobs

        return default_jobs()
    if value < 1:
        raise UsageError("--jobs must be at least 1")
    return value


def _check_or_fix(args: argparse.Namespace) -> int:
    paths: list[str] = args.paths or ["."]
    stdin_mode = paths == ["-"]
    if "-" in paths and not stdin_mode:
        raise UsageError("- (stdin) cannot be combined with other paths")
    if stdin_mode and not args.stdin_filename:
        raise UsageError("reading from stdin (-) needs --stdin-filename PATH")
    config = _load_config(args, paths)
    options = _options(args, config)
    fixing = args.command == "fix"
    diff = fixing and args.diff
    verify_level = (getattr(args, "verify", None) or config.verify) if fixing else None
    if fixing and (args.split_by or args.patch_dir) and not (diff and args.patch_dir):
        raise UsageError("--split-by and --patch-dir go together with --diff")
    toolchain = None
    if verify_level:
        from gomapfix.verify import require_toolchain

        toolchain = require_toolchain()
    if verify_level and stdin_mode:
        raise UsageError("--verify checks packages on disk; it does not apply to stdin")
    buffer = sys.stdin.buffer.read() if stdin_mode else b""
    if stdin_mode:
        result = _run_buffer(Path(args.stdin_filename), buffer, options)
    else:
        from gomapfix.runner import run

        result = run(paths, options)
    if toolchain is not None and verify_level is not None:
        from gomapfix.verify_result import verify_result

        result = verify_result(result, verify_level, toolchain)
    from gomapfix.output import format_problems

    if not args.quiet:
        sys.stderr.write(format_problems(result))
    if fixing and stdin_mode and not diff:
        target = result.files[0] if result.files else None
        # ruff-style: the (fixed) buffer goes back on stdout, whatever happened.
        sys.stdout.buffer.write(target.new if target and target.new is not None else buffer)
        return _exit_code(result, fixing=True)
    if diff and args.patch_dir is not None:
        return _write_patch_set(args, options, paths, result)
    if diff:
        from gomapfix.output import relative_patch_path
        from gomapfix.patch import unified_diffs

        changes = [
            (relative_patch_path(r.path), r.original, r.new, r.created)
            for r in result.changed
            if r.original is not None and r.new is not None
        ]
        patch = unified_diffs(changes)
        sys.stdout.write(patch)
        if _failed(result):
            return EXIT_ERROR
        return EXIT_FINDINGS if patch else EXIT_CLEAN
    if fixing:
        _write(result)
    _print(result, args, options.unsafe_fixes, fixing)
    return _exit_code(result, fixing)


def _write_patch_set(
    args: argparse.Namespace, options: RunOptions, paths: list[str], result: RunResult
) -> int:
    from dataclasses import replace

    from gomapfix.patchset import group_by_location, group_by_rule, write_patch_set
    from gomapfix.runner import run

    split = args.split_by or "package"
    if split == "rule":

        def rerun(code: str) -> RunResult:
            alone = replace(
                options,
                analysis=replace(
                    options.analysis,
                    codemods=tuple(c for c in options.analysis.codemods if c.code == code),
                ),
            )
            return run(paths, alone)

        groups = group_by_rule(result, rerun)
    else:
        groups = group_by_location(result, split)
    written = write_patch_set(groups, args.patch_dir)
    if not args.quiet:
        print(
            f"wrote {len(written)} patch{'es' * (len(written) != 1)} and an index to "
            f"{args.patch_dir}",
            file=sys.stderr,
        )
    if _failed(result):
        return EXIT_ERROR
    return EXIT_FINDINGS if written else EXIT_CLEAN


def _run_buffer(path: Path, data: bytes, options: RunOptions) -> RunResult:
    """Run on an editor's buffer standing in for ``path``; its siblings come from disk.

    Only the buffer is analysed (its siblings give package facts), each file is parsed
    once however many passes the fix loop makes (siblings do not change between them),
    and the buffer's later passes are re-parsed incrementally.
    """
    from dataclasses import replace

    from gomapfix.discover import PackageDir
    from gomapfix.parsecache import parse_cache_installed
    from gomapfix.runner import RunResult, run_package

    directory = path.parent if str(path.parent) else Path(".")
    siblings = sorted(p for p in directory.glob("*.go") if p.is_file() and p != path)
    package = PackageDir(directory, (*siblings, path), frozenset({path}))
    # Only the buffer comes back to the editor: a fix that also edits a sibling file
    # cannot be delivered, so it is not applied (its finding is still reported).
    options = replace(options, writable=frozenset({str(path)}))
    with parse_cache_installed():
        results = run_package(package, options, {path: data})
    return RunResult(tuple(r for r in results if r.path == str(path)))


def _write(result: RunResult) -> None:
    from gomapfix.writer import write_atomic

    for r in result.changed:
        if r.new is not None:
            write_atomic(Path(r.path), r.new)


def _print(result: RunResult, args: argparse.Namespace, unsafe: bool, fixing: bool) -> None:
    from gomapfix.output import format_json, format_json_lines, format_text

    fmt = args.output_format
    if fmt == "json":
        sys.stdout.write(format_json(result))
    elif fmt == "json-lines":
        sys.stdout.write(format_json_lines(result))
    elif fmt == "sarif":
        from gomapfix.formats import format_sarif

        sys.stdout.write(format_sarif(result))
    elif fmt == "github":
        from gomapfix.formats import format_github

        sys.stdout.write(format_github(result))
    else:
        text = format_text(result, unsafe, fixing)
        if args.quiet:
            text = "".join(line + "\n" for line in text.splitlines() if ": GMF" in line)
        sys.stdout.write(text)


def _failed(result: RunResult) -> bool:
    from gomapfix.runner import Status

    return any(r.status is Status.FAILED for r in result.files)


def _exit_code(result: RunResult, fixing: bool) -> int:
    if _failed(result):
        return EXIT_ERROR
    return EXIT_FINDINGS if result.findings else EXIT_CLEAN
