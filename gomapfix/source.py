"""Source text with a line index.

Byte offsets are the only offset type inside the engine; lines and columns are computed
at the edges (output formats), so every layer agrees on what a position means.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class Position:
    """A 1-based line and 1-based byte column, as the Go toolchain reports them."""

    line: int
    column: int


@dataclass(frozen=True)
class SourceText:
    path: str
    data: bytes

    @cached_property
    def _line_starts(self) -> tuple[int, ...]:
        """Computed on first use: most files of a package are never asked for a position."""
        starts = [0]
        find = self.data.find
        i = find(b"\n")
        while i != -1:
            starts.append(i + 1)
            i = find(b"\n", i + 1)
        return tuple(starts)

    @property
    def line_starts(self) -> tuple[int, ...]:
        return self._line_starts

    def position(self, offset: int) -> Position:
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return Position(line + 1, offset - self._line_starts[line] + 1)

    def lsp_position(self, offset: int) -> tuple[int, int]:
        """LSP's position: 0-based line and the column in UTF-16 code units.

        Editors count characters of the line as UTF-16 units (an astral character counts
        two, a tab one), so a byte column is wrong on any line with non-ASCII text.
        """
        line = bisect.bisect_right(self._line_starts, offset) - 1
        prefix = self.data[self._line_starts[line] : offset].decode("utf-8", "replace")
        return line, sum(2 if ord(c) > 0xFFFF else 1 for c in prefix)

    def line_start(self, offset: int) -> int:
        """Offset of the first byte of the line holding ``offset``."""
        return self._line_starts[bisect.bisect_right(self._line_starts, offset) - 1]

    def line_end(self, offset: int) -> int:
        """Offset just past the newline that ends the line holding ``offset``."""
        idx = bisect.bisect_right(self._line_starts, offset)
        return self._line_starts[idx] if idx < len(self._line_starts) else len(self.data)

    def indent_at(self, offset: int) -> bytes:
        """The leading whitespace of the line holding ``offset``."""
        start = self.line_start(offset)
        end = start
        while end < len(self.data) and self.data[end] in b" \t":
            end += 1
        return self.data[start:end]

    def text(self, start: int, end: int) -> str:
        return self.data[start:end].decode("utf-8", "replace")
