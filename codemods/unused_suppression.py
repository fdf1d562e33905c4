"""GMF900 unused-suppression: a suppression directive that suppressed nothing."""

from __future__ import annotations

from gomapfix.codemod import Codemod


class UnusedSuppression(Codemod):
    """
    What it finds:
        A ``//gomapfix:ignore CODE reason`` (or ``file-ignore``) directive whose rules
        reported nothing in the range it covers, in a run where all of its rules ran.

    Why it is a hazard:
        A stale suppression hides the next real finding at that place, and tells readers
        a hazard exists where none does. The engine reports this rule itself, after
        suppressions are matched; it has no query of its own.

    Example:
        //gomapfix:ignore GMF304 keeps NaN keys on purpose
        total := len(m)

    Fixed:
        total := len(m)

    Fix safety:
        safe: deleting a comment that suppresses nothing changes no behaviour.

    Minimum Go:
        any.
    """

    code = "GMF900"
    name = "unused-suppression"
    summary = "A //gomapfix:ignore directive that matched nothing."
    family = "suppressions"
    trigger_tokens = (b"gomapfix:",)
