"""The command line imports only what the command at hand needs (editors run it on every
save), and the choices it spells out agree with the modules it no longer imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from gomapfix import cli
from gomapfix.codemod import FIX_STYLES
from gomapfix.patchset import SPLITS
from gomapfix.verify import LEVELS

from helpers import go_module

GUARDED = (
    "package p\n\nfunc drop(m map[string]int, k string) {\n"
    "\tif m != nil {\n\t\tdelete(m, k)\n\t}\n}\n"
)
# Modules no stdin run needs: the bot, patch sets, verification, SARIF/GitHub formats,
# the language server and its libraries.
NOT_FOR_STDIN = (
    "gomapfix.bot.args",
    "gomapfix.patchset",
    "gomapfix.patch",
    "gomapfix.verify",
    "gomapfix.verify_result",
    "gomapfix.formats",
    "gomapfix.lsp",
    "lsprotocol",
    "pygls",
    "json",
)


def _modules_after(cwd: Path, argv: list[str], stdin: bytes = b"") -> tuple[int, set[str]]:
    """Run ``gomapfix.cli.main(argv)`` in a fresh interpreter: its exit code and the
    modules it had imported by the end."""
    # A finder first on sys.meta_path sees every module imported after it (json too:
    # the probe imports it only once main has returned and the list is taken).
    code = (
        "import sys\n"
        "seen = set()\n"
        "class Spy:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        seen.add(name)\n"
        "sys.meta_path.insert(0, Spy())\n"
        "from gomapfix.cli import main\n"
        f"code = main({argv!r})\n"
        "found = sorted(seen)\n"
        "import json\n"
        "sys.stderr.write('\\nMODULES' + json.dumps([code, found]))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], input=stdin, capture_output=True, cwd=cwd, timeout=120
    )
    marker = proc.stderr.rindex(b"\nMODULES")
    rc, modules = json.loads(proc.stderr[marker + len(b"\nMODULES") :])
    return rc, set(modules)


def test_a_stdin_check_and_fix_import_nothing_they_do_not_need(tmp_path: Path) -> None:
    go_module(tmp_path, {"a.go": GUARDED, "b.go": "package p\n"})
    for command in ("check", "fix"):
        argv = [command, "-q", "-", "--stdin-filename", "a.go"]
        rc, modules = _modules_after(tmp_path, argv, GUARDED.encode())
        assert rc == (1 if command == "check" else 0)
        assert "gomapfix.runner" in modules and "gomapfix.parsecache" in modules
        loaded = sorted(m for m in NOT_FOR_STDIN if m in modules)
        assert loaded == [], f"{command} - imported {loaded}"


def test_the_json_format_still_imports_json(tmp_path: Path) -> None:
    go_module(tmp_path, {"a.go": GUARDED})
    rc, modules = _modules_after(tmp_path, ["check", "--output-format", "json", "-j", "1", "."])
    assert rc == 1 and "json" in modules


def test_pr_still_has_its_flags() -> None:
    parser = cli.build_parser()
    args = parser.parse_args(["pr", "--max-prs", "2", "--split-by", "rule", "."])
    assert args.max_prs == 2 and args.split_by == "rule"
    # Built for another command, the parser still knows the pr command itself.
    lean = cli.build_parser(pr_arguments=False)
    assert lean.parse_args(["check", "."]).command == "check"


def test_pr_flags_are_parsed_by_main(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "gomapfix", "pr", "--help"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert proc.returncode == 0 and "--max-prs" in proc.stdout


def test_spelt_out_choices_agree_with_their_modules() -> None:
    assert cli.FIX_STYLES == FIX_STYLES
    assert cli.SPLITS == SPLITS
    assert cli.VERIFY_LEVELS == LEVELS
