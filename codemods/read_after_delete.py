"""GMF501 read-after-delete (stub: being written)."""

from __future__ import annotations

from gomapfix.codemod import Codemod


class ReadAfterDelete(Codemod):
    """Being written; not yet enabled."""

    code = "GMF501"
    name = "read-after-delete"
    summary = "Being written; not yet enabled."
    family = "zero values"
    default_enabled = False
