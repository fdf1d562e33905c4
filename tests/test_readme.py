from __future__ import annotations

import re

from gomapfix.output import rules_markdown

from golden_support import ROOT


def test_readme_rule_table_matches_the_registry() -> None:
    readme = (ROOT / "README.md").read_text()
    m = re.search(r"<!-- rules:start[^>]*-->\n(.*?)<!-- rules:end -->", readme, re.DOTALL)
    assert m, "README.md lost its rules markers"
    assert m.group(1) == rules_markdown(), (
        "README rule table drifted: regenerate it with `python scripts/update_readme_rules.py`"
    )


def test_readme_quick_start_has_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "gomapfix check examples/shop" in readme
    assert ".venv/bin/pytest" in readme
    ci = (ROOT / ".ci" / "run").read_text()
    assert "pip install -q '.[test]' && .venv/bin/pytest" in ci
