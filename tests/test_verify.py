"""--verify with the real Go toolchain: broken fixes are rolled back per package."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tree_sitter import Node

import gomapfix.analysis
import gomapfix.registry
from gomapfix.codemod import Codemod, FileContext
from gomapfix.finding import Finding
from gomapfix.fix import Applicability

from helpers import go_module, run_cli

GUARDED = """
package a

func Drop(m map[string]int, k string) {
	if m != nil {
		delete(m, k)
	}
}
"""
ANSWER = """
package b

func Answer() int {
	answer := 42
	return answer
}
"""


class BreaksTheBuild(Codemod):
    """A test-only rule whose fix renames a use but not its declaration: valid syntax,
    but the package no longer type-checks."""

    code = "GMF998"
    name = "test-breaks-the-build"
    summary = "test only"

    def visit_return_statement(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        for ident in node.named_children[0].named_children if node.named_children else []:
            if ident.type == "identifier" and ctx.text(ident) == "answer":
                fix = ctx.fix("rename", [ctx.replace(ident, "answr")], Applicability.SAFE)
                yield ctx.report(ident, "test finding", fix)


@pytest.fixture
def with_breaking_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    rules = (*gomapfix.registry.all_codemods(), BreaksTheBuild)
    monkeypatch.setattr(gomapfix.registry, "all_codemods", lambda: rules)
    monkeypatch.setattr(gomapfix.analysis, "all_codemods", lambda: rules)


@pytest.mark.usefixtures("with_breaking_rule")
def test_verify_rolls_back_the_broken_package_and_keeps_the_good_one(tmp_path: Path) -> None:
    go_module(tmp_path, {"a/a.go": GUARDED, "b/b.go": ANSWER})
    before_b = (tmp_path / "b" / "b.go").read_text()
    code, _, err = run_cli(tmp_path, ["fix", "--verify", "--select", "GMF203,GMF998", "./..."])
    assert code == 2
    assert "verification failed at vet" in err and "GMF998" in err
    assert "undefined: answr" in err
    assert (tmp_path / "b" / "b.go").read_text() == before_b
    assert "delete(m, k)\n}" in (tmp_path / "a" / "a.go").read_text()
    assert "if m != nil" not in (tmp_path / "a" / "a.go").read_text()


@pytest.mark.usefixtures("with_breaking_rule")
def test_without_verify_the_broken_fix_is_written(tmp_path: Path) -> None:
    # The control: the rule really does break the build when nothing checks it.
    go_module(tmp_path, {"b/b.go": ANSWER})
    run_cli(tmp_path, ["fix", "--select", "GMF998", "./..."])
    assert "return answr" in (tmp_path / "b" / "b.go").read_text()


@pytest.mark.usefixtures("with_breaking_rule")
def test_verify_with_diff_prints_only_verified_packages(tmp_path: Path) -> None:
    go_module(tmp_path, {"a/a.go": GUARDED, "b/b.go": ANSWER})
    code, out, _ = run_cli(
        tmp_path, ["fix", "--diff", "--verify", "--select", "GMF203,GMF998", "."]
    )
    assert code == 2
    assert "a/a.go" in out and "b/b.go" not in out


def test_verify_test_level_runs_the_tests(tmp_path: Path) -> None:
    test = """
    package a

    import "testing"

    func TestDrop(t *testing.T) {
    	m := map[string]int{"x": 1}
    	Drop(m, "x")
    	if len(m) != 0 {
    		t.Fatal("not dropped")
    	}
    }
    """
    go_module(tmp_path, {"a/a.go": GUARDED, "a/a_test.go": test})
    code, _, err = run_cli(tmp_path, ["fix", "--verify=test", "./..."])
    assert code == 0, err
    assert "verified (test)" in err


def test_missing_dependencies_skip_verification_with_a_message(tmp_path: Path) -> None:
    src = GUARDED + '\nimport _ "example.com/not/downloaded"\n'
    src = src.replace("package a\n", 'package a\n\nimport _ "example.com/not/downloaded"\n', 1)
    src = src.rsplit("\nimport _", 1)[0] + "\n"
    go_module(tmp_path, {"a/a.go": src})
    (tmp_path / "go.mod").write_text(
        "module example.com/m\n\ngo 1.24\n\nrequire example.com/not v1.0.0\n"
    )
    code, _, err = run_cli(tmp_path, ["fix", "--verify", "./..."])
    assert code == 0, err
    assert "not verified: the module's dependencies are not available offline" in err
    assert "if m != nil" not in (tmp_path / "a" / "a.go").read_text()


def test_verify_without_a_toolchain_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gomapfix.verify

    monkeypatch.setattr(gomapfix.verify, "find_toolchain", lambda: None)
    go_module(tmp_path, {"a.go": GUARDED})
    before = (tmp_path / "a.go").read_text()
    code, _, err = run_cli(tmp_path, ["fix", "--verify", "."])
    assert code == 2 and "--verify needs the Go toolchain" in err
    assert (tmp_path / "a.go").read_text() == before
