"""Unified diffs that ``git apply`` and ``patch -p1`` accept.

difflib does not mark a last line without a newline; both tools need the
``\\ No newline at end of file`` marker there, or they reject or corrupt the patch.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

NO_NEWLINE = "\\ No newline at end of file\n"


def unified_diff(
    path: str, before: bytes, after: bytes, context: int = 3, created: bool = False
) -> str:
    """The patch of one file; ``created`` files come from /dev/null, as git writes them."""
    if before == after:
        return ""
    a = before.decode("utf-8", "surrogateescape").splitlines(keepends=True)
    b = after.decode("utf-8", "surrogateescape").splitlines(keepends=True)
    rel = path.lstrip("/")
    source = "/dev/null" if created else f"a/{rel}"
    lines = difflib.unified_diff(a, b, source, f"b/{rel}", n=context)
    out: list[str] = []
    for line in lines:
        if line.startswith(("---", "+++")):
            out.append(line.rstrip("\n") + "\n")
            continue
        if line.endswith("\n"):
            out.append(line)
        else:
            out.append(line + "\n")
            out.append(NO_NEWLINE)
    return "".join(out).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def unified_diffs(changes: Iterable[tuple[str, bytes, bytes, bool]]) -> str:
    """Patches of several files, in path order; each item is (path, before, after, created)."""
    return "".join(unified_diff(p, a, b, created=c) for p, a, b, c in sorted(changes))
