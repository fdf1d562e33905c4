"""The codemods: one module per rule, named after the hazard, and the explicit registry.

Installed as ``gomapfix.codemods``. Adding a rule means adding its module and one line
here; the engine reaches codemods only through this list.
"""

from __future__ import annotations

from gomapfix.codemod import Codemod
from gomapfix.codemods.invalid_suppression import InvalidSuppression
from gomapfix.codemods.redundant_delete_guard import RedundantDeleteGuard
from gomapfix.codemods.unused_suppression import UnusedSuppression

CODEMODS: tuple[type[Codemod], ...] = (
    RedundantDeleteGuard,
    UnusedSuppression,
    InvalidSuppression,
)
