"""GMF901 invalid-suppression: a directive without rule codes or without a reason."""

from __future__ import annotations

from gomapfix.codemod import Codemod


class InvalidSuppression(Codemod):
    """
    What it finds:
        A ``//gomapfix:ignore`` or ``//gomapfix:file-ignore`` directive that names no rule
        code, names an unknown code, gives no reason, or (file-ignore) comes after the
        package clause.

    Why it is a hazard:
        A suppression is a reviewed decision; one without codes would silence every rule
        and one without a reason cannot be reviewed. gomapfix therefore lets an invalid
        directive suppress nothing, and says so, rather than guess what was meant.

    Example:
        delete(m, k) //gomapfix:ignore

    Fixed:
        delete(m, k) //gomapfix:ignore GMF203 the guard documents intent

    Fix safety:
        no fix: only the author knows which rule and why.

    Minimum Go:
        any.
    """

    code = "GMF901"
    name = "invalid-suppression"
    summary = "A //gomapfix:ignore directive without rule codes or without a reason."
    family = "suppressions"
    trigger_tokens = (b"gomapfix:",)
