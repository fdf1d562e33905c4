"""Parsed files cached by content, and incremental re-parsing, for the editor paths.

An editor analyses one buffer again and again inside the same package: the siblings do
not change between two analyses, and the buffer changes a little. ``ParseCache`` keeps
parsed files by (path, content), so that an analysis re-parses only what changed: the
fix loop's later passes (``gomapfix fix -``, "fix all") and every ``didChange`` of the
language server reuse the parses of the unchanged files, and the fix loop's syntax check
reuses the parse of the text it just analysed. A text not seen before is parsed
incrementally from the last parse of the same path (tree-sitter's ``tree.edit`` and
``parser.parse(new, old_tree)``), which is what an edit to a large buffer costs least.

The cache is installed as the engine's parse hook (``gomapfix.parse.parse_hook``), in
this process only. Parsed files are immutable and trees are copied before an edit, so
sharing them is safe.
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from collections.abc import Iterator

from tree_sitter import Point, Tree

from gomapfix.parse import ParsedFile, install_parse_hook, parse_fresh, parse_hook
from gomapfix.source import SourceText


def _point(source: SourceText, offset: int) -> Point:
    """Tree-sitter's point: 0-based row and byte column."""
    position = source.position(offset)
    return Point(position.line - 1, position.column - 1)


def edited_tree(old: ParsedFile, source: SourceText) -> Tree:
    """A copy of ``old``'s tree, edited to the one changed range between its text and
    ``source``'s (the common prefix and suffix kept), ready for a parse of ``source``."""
    before = old.source.data
    new = source.data
    limit = min(len(before), len(new))
    prefix = 0
    # Compare in chunks first: texts of thousands of lines, changed in one place.
    step = 4096
    while prefix + step <= limit and before[prefix : prefix + step] == new[prefix : prefix + step]:
        prefix += step
    while prefix < limit and before[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    room = limit - prefix
    while (
        suffix + step <= room
        and before[len(before) - suffix - step : len(before) - suffix]
        == new[len(new) - suffix - step : len(new) - suffix]
    ):
        suffix += step
    while suffix < room and before[len(before) - suffix - 1] == new[len(new) - suffix - 1]:
        suffix += 1
    old_end, new_end = len(before) - suffix, len(new) - suffix
    tree = old.tree.copy()
    tree.edit(
        start_byte=prefix,
        old_end_byte=old_end,
        new_end_byte=new_end,
        start_point=_point(old.source, prefix),
        old_end_point=_point(old.source, old_end),
        new_end_point=_point(source, new_end),
    )
    return tree


class ParseCache:
    """Parsed files by (path, content), least recently used first out.

    A miss for a path parsed before is parsed incrementally from its latest parse when
    that parse had no syntax error and neither has the result (error recovery may
    differ between a fresh and an incremental parse; a text with errors is parsed
    afresh, so findings around errors are those of the command line).
    """

    def __init__(self, size: int = 512) -> None:
        self._size = size
        self._entries: OrderedDict[tuple[str, bytes], ParsedFile] = OrderedDict()
        self._latest: dict[str, ParsedFile] = {}
        self.hits = 0
        self.misses = 0
        self.incremental_parses = 0

    def __call__(self, source: SourceText, *, deferred: bool = False) -> ParsedFile:
        """The parse of ``source``, reused or incremental. ``deferred`` is ignored: an
        editor re-analyses the same package files again and again, so a full parse kept
        is cheaper than parsing a header every time."""
        key = (source.path, source.data)
        parsed = self._entries.get(key)
        if parsed is not None:
            self.hits += 1
            self._entries.move_to_end(key)
            self._latest[source.path] = parsed
            return parsed
        self.misses += 1
        parsed = self._parse_new(source)
        self._entries[key] = parsed
        self._latest[source.path] = parsed
        while len(self._entries) > self._size:
            (path, _), dropped = self._entries.popitem(last=False)
            if self._latest.get(path) is dropped:
                del self._latest[path]
        return parsed

    def _parse_new(self, source: SourceText) -> ParsedFile:
        old = self._latest.get(source.path)
        if old is None or old.root.has_error:
            return parse_fresh(source)
        parsed = parse_fresh(source, edited_tree(old, source))
        if parsed.root.has_error:
            return parse_fresh(source)
        self.incremental_parses += 1
        return parsed


def install_parse_cache(cache: ParseCache | None = None) -> ParseCache:
    """Make the engine parse through a ParseCache for the rest of this process."""
    cache = cache or ParseCache()
    install_parse_hook(cache)
    return cache


@contextlib.contextmanager
def parse_cache_installed() -> Iterator[ParseCache]:
    """A fresh ParseCache stands in for the engine's parser inside the block."""
    cache = ParseCache()
    with parse_hook(cache):
        yield cache
