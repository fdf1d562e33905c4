"""Regenerate the README's rule table from the registry (tests/test_readme.py checks it)."""

from __future__ import annotations

import re
from pathlib import Path

from gomapfix.output import rules_markdown

README = Path(__file__).resolve().parent.parent / "README.md"


def main() -> None:
    text = README.read_text()
    new = re.sub(
        r"(<!-- rules:start[^>]*-->\n).*?(<!-- rules:end -->)",
        lambda m: m.group(1) + rules_markdown() + m.group(2),
        text,
        flags=re.DOTALL,
    )
    README.write_text(new)


if __name__ == "__main__":
    main()
