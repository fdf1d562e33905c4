"""What a codemod reports."""

from __future__ import annotations

from dataclasses import dataclass

from gomapfix.fix import Fix


@dataclass(frozen=True)
class Location:
    path: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class RelatedLocation:
    location: Location
    message: str


@dataclass(frozen=True)
class Finding:
    code: str
    name: str
    message: str
    location: Location
    fix: Fix | None = None
    related: tuple[RelatedLocation, ...] = ()

    @property
    def path(self) -> str:
        return self.location.path

    @property
    def sort_key(self) -> tuple[str, int, str]:
        return (self.location.path, self.location.start, self.code)
