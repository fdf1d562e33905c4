"""The one place where the engine meets the codemods: the explicit list of rules."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

from gomapfix.codemod import Codemod


class UnknownRuleError(ValueError):
    pass


def _codemods_module() -> ModuleType:
    """``gomapfix.codemods``: installed, or the top-level codemods/ of a source checkout.

    ``python -m gomapfix`` run from the repository's root imports the engine from the
    checkout, where the codemods sit beside it rather than inside it; they are then
    loaded from there under the same name, so both layouts behave the same.
    """
    try:
        return importlib.import_module("gomapfix.codemods")
    except ModuleNotFoundError as exc:
        if exc.name != "gomapfix.codemods":
            raise
    folder = Path(__file__).resolve().parent.parent / "codemods"
    spec = importlib.util.spec_from_file_location(
        "gomapfix.codemods", folder / "__init__.py", submodule_search_locations=[str(folder)]
    )
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError("gomapfix.codemods", name="gomapfix.codemods")
    module = importlib.util.module_from_spec(spec)
    sys.modules["gomapfix.codemods"] = module
    spec.loader.exec_module(module)
    return module


@cache
def all_codemods() -> tuple[type[Codemod], ...]:
    # Imported by name: the engine knows no codemod, and codemods/ is mapped to
    # gomapfix.codemods only at install time (mypy checks it as its own package).
    module = _codemods_module()
    codemods: tuple[type[Codemod], ...] = module.CODEMODS
    return tuple(sorted(codemods, key=lambda c: c.code))


def by_code() -> dict[str, type[Codemod]]:
    return {c.code: c for c in all_codemods()}


def lookup(key: str) -> type[Codemod] | None:
    """A rule by code (case-insensitive) or kebab-case name."""
    upper = key.strip().upper()
    for codemod in all_codemods():
        if codemod.code == upper or codemod.name == key.strip().lower():
            return codemod
    return None


def expand(selector: str) -> list[type[Codemod]]:
    """Rules named by a code, a name, a code prefix (``GMF3``), or ``ALL``."""
    key = selector.strip()
    if not key:
        raise UnknownRuleError("empty rule selector")
    if key.upper() == "ALL":
        return list(all_codemods())
    exact = lookup(key)
    if exact is not None:
        return [exact]
    upper = key.upper()
    if upper.startswith("GMF"):
        prefixed = [c for c in all_codemods() if c.code.startswith(upper)]
        if prefixed:
            return prefixed
    raise UnknownRuleError(f"unknown rule {selector!r} (see `gomapfix rules` for codes and names)")


def select(
    select: list[str] | None,
    ignore: list[str],
    extend_select: tuple[str, ...] | list[str] = (),
) -> list[type[Codemod]]:
    """The enabled rules: the defaults (or ``select``), plus ``extend_select``, less ``ignore``."""
    if select is None:
        chosen = {c.code: c for c in all_codemods() if c.default_enabled}
    else:
        chosen = {c.code: c for sel in select for c in expand(sel)}
    for sel in extend_select:
        chosen.update({c.code: c for c in expand(sel)})
    for sel in ignore:
        for c in expand(sel):
            chosen.pop(c.code, None)
    return sorted(chosen.values(), key=lambda c: c.code)
