"""Configuration files: ``gomapfix.toml`` or ``.gomapfix.toml``, found upward from a path.

Settings may sit at the top level of the file or under ``[tool.gomapfix]``. Unknown keys
and wrong types are errors, not silently ignored: a typo in ``ignore`` would otherwise
quietly turn a rule back on across a monorepo.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CONFIG_NAMES = ("gomapfix.toml", ".gomapfix.toml")


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = ()
    unsafe_fixes: bool = False
    go_version: str | None = None
    fix_style: str | None = None
    verify: str | None = None
    """None (off), "build" or "test"."""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def root(self) -> Path | None:
        return self.path.parent if self.path is not None else None


_LIST_KEYS = {"select", "extend-select", "ignore", "exclude"}
_KNOWN = _LIST_KEYS | {
    "per-file-ignores",
    "unsafe-fixes",
    "go-version",
    "fix-style",
    "verify",
}
_FIX_STYLES = ("guard", "wrapper")


def find_config(start: Path) -> Path | None:
    folder = start if start.is_dir() else start.parent
    folder = folder.resolve()
    for candidate_dir in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            candidate = candidate_dir / name
            if candidate.is_file():
                return candidate
    return None


def load_config(path: Path) -> Config:
    import tomllib  # only when there is a file to read

    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config: {exc.strerror}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    table: Any = raw.get("tool", {}).get("gomapfix") if "tool" in raw else raw
    if "tool" in raw and table is None:
        raise ConfigError(f"{path}: has a [tool] table but no [tool.gomapfix]")
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.gomapfix] must be a table")
    unknown = sorted(set(table) - _KNOWN)
    if unknown:
        raise ConfigError(
            f"{path}: unknown setting {', '.join(unknown)} (known: {', '.join(sorted(_KNOWN))})"
        )
    for key in _LIST_KEYS & set(table):
        value = table[key]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{path}: {key} must be a list of strings")
    if "unsafe-fixes" in table and not isinstance(table["unsafe-fixes"], bool):
        raise ConfigError(f"{path}: unsafe-fixes must be true or false")
    if "go-version" in table and not isinstance(table["go-version"], str):
        raise ConfigError(f'{path}: go-version must be a string such as "1.22"')
    if "fix-style" in table and table["fix-style"] not in _FIX_STYLES:
        raise ConfigError(f'{path}: fix-style must be "guard" or "wrapper"')
    verify = table.get("verify", False)
    if verify not in (True, False, "build", "test"):
        raise ConfigError(f'{path}: verify must be true, false, "build" or "test"')
    pfi = table.get("per-file-ignores", {})
    if not isinstance(pfi, dict) or not all(
        isinstance(v, list) and all(isinstance(c, str) for c in v) for v in pfi.values()
    ):
        raise ConfigError(f"{path}: per-file-ignores must map glob patterns to lists of codes")
    return Config(
        path=path,
        select=tuple(table["select"]) if "select" in table else None,
        extend_select=tuple(table.get("extend-select", ())),
        ignore=tuple(table.get("ignore", ())),
        per_file_ignores=tuple((k, tuple(v)) for k, v in sorted(pfi.items())),
        exclude=tuple(table.get("exclude", ())),
        unsafe_fixes=bool(table.get("unsafe-fixes", False)),
        go_version=table.get("go-version"),
        fix_style=table.get("fix-style"),
        verify="build" if verify is True else (verify or None),
    )
