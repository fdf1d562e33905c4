"""GMF503 missing-entry-dereference (stub: being written)."""

from __future__ import annotations

from gomapfix.codemod import Codemod


class MissingEntryDereference(Codemod):
    """Being written; not yet enabled."""

    code = "GMF503"
    name = "missing-entry-dereference"
    summary = "Being written; not yet enabled."
    family = "zero values"
    default_enabled = False
