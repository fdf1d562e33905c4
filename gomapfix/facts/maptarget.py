"""A map that a concurrency fix rewrites: a package-level variable or a struct field.

Shared vocabulary between the analysis that decides a map is shared (facts/concurrency)
and the fix styles that guard it or migrate it to a generated MapWrapper.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from tree_sitter import Node

from gomapfix.gotypes import GoType
from gomapfix.parse import ParsedFile


@dataclass(frozen=True)
class MapTarget:
    kind: Literal["var", "field"]
    name: str
    """The package variable's name, or the field's name."""
    owner_type: str | None
    """For a field: the name of the struct type declaring it (package-local)."""
    map_type: GoType
    """The map type as declared (``kind == "map"`` after resolving named types)."""
    decl: Node
    """The var_spec or field_declaration node that declares it."""
    file: ParsedFile
    """The file holding the declaration."""

    @property
    def exported(self) -> bool:
        return self.name[:1].isupper()

    @property
    def label(self) -> str:
        return f"{self.owner_type}.{self.name}" if self.owner_type else self.name
