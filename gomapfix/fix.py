"""Edits, fixes and their safety levels.

tree-sitter trees are immutable, so codemods never build new nodes: a fix is a set of
byte-range edits against the file as it was read, applied all together or not at all.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace


class Applicability(enum.Enum):
    """How much a fix may be trusted; see rules.md "Fix safety levels"."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY_ONLY = "display-only"

    def downgraded(self) -> Applicability:
        return Applicability.UNSAFE if self is Applicability.SAFE else self

    def applies(self, unsafe_fixes: bool) -> bool:
        if self is Applicability.SAFE:
            return True
        return self is Applicability.UNSAFE and unsafe_fixes


@dataclass(frozen=True, order=True)
class Edit:
    """Replace bytes [start, end) of ``path`` with ``text`` (an insertion when start == end)."""

    path: str
    start: int
    end: int
    text: bytes

    def overlaps(self, other: Edit) -> bool:
        if self.path != other.path:
            return False
        if self.start == self.end or other.start == other.end:
            # Insertions conflict only when strictly inside the other range, or at the
            # same point (their relative order would be a guess).
            if self.start == self.end and other.start == other.end:
                return self.start == other.start
            point, span = (self, other) if self.start == self.end else (other, self)
            return span.start < point.start < span.end
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Fix:
    title: str
    edits: tuple[Edit, ...]
    applicability: Applicability
    note: str | None = None
    """Why the fix has its level when it was lowered (shown to the user)."""
    declares: tuple[str, ...] = ()
    """New identifiers the fix introduces, chosen to be free in the text it was computed on."""
    scope: tuple[str, int, int] | None = None
    """Path and byte range where ``declares`` must stay unique (the enclosing function).

    Two fixes computed on the same text pick the same "free" name; applied in one pass
    they would declare it twice. The fix loop defers the second to the next pass, where
    it is computed anew and sees the first one's name.
    """

    def name_clash(self, other: Fix) -> bool:
        if not self.declares or not other.declares or self.scope is None or other.scope is None:
            return False
        path, start, end = self.scope
        o_path, o_start, o_end = other.scope
        if path != o_path or start >= o_end or o_start >= end:
            return False
        return bool(set(self.declares) & set(other.declares))

    def downgraded(self, why: str) -> Fix:
        if self.applicability is not Applicability.SAFE:
            return self
        note = why if self.note is None else f"{self.note}; {why}"
        return replace(self, applicability=Applicability.UNSAFE, note=note)

    def paths(self) -> frozenset[str]:
        return frozenset(e.path for e in self.edits)
