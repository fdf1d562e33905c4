"""GMF303 lazy-map-iterator-escapes-lock (stub: being written)."""

from __future__ import annotations

from gomapfix.codemod import Codemod


class LazyMapIteratorEscapesLock(Codemod):
    """Being written; not yet enabled."""

    code = "GMF303"
    name = "lazy-map-iterator-escapes-lock"
    summary = "Being written; not yet enabled."
    family = "range"
    default_enabled = False
