"""The facts of one package, computed lazily once and shared by every codemod.

Each analysis is computed at most once per package per pass, however many codemods ask
for it; a codemod that needs none of them costs nothing here.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from gomapfix.facts.package import PackageModel
from gomapfix.facts.scope import Scopes


class PackageFacts:
    def __init__(self, model: PackageModel) -> None:
        self.model = model
        self._extra: dict[str, Any] = {}

    @cached_property
    def scopes(self) -> Scopes:
        return Scopes(self.model)

    def cached(self, key: str, compute: Any) -> Any:
        """A fact by key, computed by ``compute(self)`` on first use."""
        if key not in self._extra:
            self._extra[key] = compute(self)
        return self._extra[key]
