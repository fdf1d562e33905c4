"""GMF502 zero-value-presence-test (stub: being written)."""

from __future__ import annotations

from gomapfix.codemod import Codemod


class ZeroValuePresenceTest(Codemod):
    """Being written; not yet enabled."""

    code = "GMF502"
    name = "zero-value-presence-test"
    summary = "Being written; not yet enabled."
    family = "zero values"
    default_enabled = False
