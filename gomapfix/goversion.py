"""The Go language version in force for a file, which gates every fix form.

Order, as the Go toolchain applies it: a ``//go:build go1.N`` constraint in the file, then
the ``go`` line of the nearest go.mod (or go.work above a directory with no go.mod), then
the command line's ``--go-version`` which overrides both. With nothing to go by, gomapfix
assumes go 1.16, the version cmd/go assumes for a go.mod without a ``go`` line: a fix
form that needs a newer Go is then not offered, rather than offered and broken.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_VERSION = re.compile(r"^(?:go)?1\.(\d+)(?:\.\d+|(?:rc|beta)\d+)?$")
_GO_LINE = re.compile(rb"^\s*go\s+(\S+)", re.MULTILINE)
_BUILD_LINE = re.compile(rb"^//go:build\s+(.+?)\s*$", re.MULTILINE)
_BUILD_GO = re.compile(r"^go1\.(\d+)$")


@dataclass(frozen=True, order=True)
class GoVersion:
    major: int
    minor: int

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}"

    def at_least(self, minor: int) -> bool:
        return (self.major, self.minor) >= (1, minor)


DEFAULT_GO_VERSION = GoVersion(1, 16)


def parse_go_version(text: str) -> GoVersion | None:
    """Parse ``1.21``, ``1.21.0``, ``1.21rc1`` or ``go1.21``; None when it is none of them."""
    match = _VERSION.match(text.strip())
    return GoVersion(1, int(match.group(1))) if match else None


def parse_build_constraint(header: bytes) -> GoVersion | None:
    """The minimum Go version a ``//go:build`` line guarantees, if it guarantees one.

    Only a ``go1.N`` term that must hold (a top-level conjunct, not negated, no ``||``)
    counts: ``//go:build go1.21 && linux`` guarantees 1.21, ``//go:build go1.21 || x`` does not.
    """
    match = _BUILD_LINE.search(header)
    if not match:
        return None
    expr = match.group(1).decode("utf-8", "replace")
    if "||" in expr:
        return None
    best: GoVersion | None = None
    for term in expr.replace("(", " ").replace(")", " ").split("&&"):
        m = _BUILD_GO.match(term.strip())
        if m:
            version = GoVersion(1, int(m.group(1)))
            best = version if best is None or version > best else best
    return best


@lru_cache(maxsize=4096)
def module_go_version(directory: Path) -> GoVersion | None:
    """The ``go`` line of the nearest go.mod (or go.work) at or above ``directory``."""
    for folder in (directory, *directory.parents):
        for name in ("go.mod", "go.work"):
            candidate = folder / name
            if candidate.is_file():
                try:
                    data = candidate.read_bytes()
                except OSError:
                    return None
                m = _GO_LINE.search(data)
                return parse_go_version(m.group(1).decode()) if m else DEFAULT_GO_VERSION
    return None


def version_in_force(
    build: GoVersion | None, directory: Path | None, override: GoVersion | None
) -> GoVersion:
    if override is not None:
        return override
    if build is not None:
        # Since Go 1.21 a file's go1.N build constraint sets that file's language version.
        return build
    # Cached by absolute path: a relative "." means a different folder after a chdir.
    module = module_go_version(directory.resolve()) if directory is not None else None
    return module if module is not None else DEFAULT_GO_VERSION
