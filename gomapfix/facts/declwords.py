"""Which names a Go file may declare at the top level, judged from its text.

The package model reads a file parsed for its header only (``ParsedFile.deferred``)
when a lookup names something the file may declare. "May" must never be "no" for a name
the file does declare, or the model would answer differently than when every file is
read; a "yes" for a name it does not declare only costs a parse. So each set below holds
every word in a position where the declaration of its kind can put a name (with any
whitespace and comments in between), and more.
"""

from __future__ import annotations

import re
from functools import cached_property

_GAP = rb"(?:\s|//[^\n]*\n|/\*(?:[^*]|\*(?!/))*\*/)*"
"""Whitespace and comments, which Go allows between any two tokens."""
_IDENT = (
    rb"(?<![A-Za-z0-9_\x80-\xff])[A-Za-z_\x80-\xff][A-Za-z0-9_\x80-\xff]*(?![A-Za-z0-9_\x80-\xff])"
)
"""A whole word (never part of one: a receiver's name and type must not split a word)."""

# Each pattern matches its keyword or parenthesis and looks ahead for the name, so that a
# match never consumes the start of the next one (a comment ending in "func" before a
# declaration must not hide it).
_FUNC_NAME = re.compile(rb"\bfunc(?=" + _GAP + rb"(" + _IDENT + rb"))", re.DOTALL)
"""``func Name``: function names (and, harmlessly, words after ``func`` in types)."""
_METHOD_NAME = re.compile(rb"\)(?=" + _GAP + rb"(" + _IDENT + rb")" + _GAP + rb"[(\[])", re.DOTALL)
"""``) Name(``: the name after a method's receiver."""
_RECEIVER_TYPE = re.compile(
    rb"\bfunc(?="
    + _GAP
    + rb"\("
    + _GAP
    + rb"(?:"
    + _IDENT
    + _GAP
    + rb")?(?:[(*]"
    + _GAP
    + rb")*("
    + _IDENT
    + rb"))",
    re.DOTALL,
)
"""``func (r *T``: the receiver's base type (pointers and parentheses skipped)."""
_RECEIVER_FIRST = re.compile(
    rb"\bfunc(?=" + _GAP + rb"\(" + _GAP + rb"(?:[(*]" + _GAP + rb")*(" + _IDENT + rb"))",
    re.DOTALL,
)
"""``func (T``: the first word of the receiver, its type when it has no name (a regex
finds one reading per position: both are kept)."""
_SPEC_START = re.compile(rb"\b(?:type|var)\b" + _GAP, re.DOTALL)
"""``type``/``var`` and what follows up to the first name or ``(`` of a block."""
_SPEC_NAMES = re.compile(_IDENT + rb"(?:" + _GAP + rb"," + _GAP + _IDENT + rb")*", re.DOTALL)
"""The names of one spec (``a, b``), matched where the keyword's gap ends."""
_BLOCK_NAME = re.compile(
    rb"(?:^|[(;,])(?=" + _GAP + rb"(" + _IDENT + rb"))", re.DOTALL | re.MULTILINE
)
"""In a ``type (...)``/``var (...)`` block: names at the start of a line, after ``(``,
``;`` or ``,`` (``a, b int``), with words of values and comments besides."""
_TOKEN = re.compile(
    rb'"(?:[^"\\\n]|\\.)*"|`[^`]*`|\'(?:[^\'\\\n]|\\.)*\'|//[^\n]*|/\*.*?\*/|[()]',
    re.DOTALL,
)
"""Strings, runes and comments (whose parentheses do not count) and parentheses."""


def _block_end(data: bytes, open_paren: int) -> int:
    """The offset just past the ``)`` matching the ``(`` at ``open_paren`` (or the end)."""
    depth = 0
    for m in _TOKEN.finditer(data, open_paren):
        token = m[0]
        if token == b"(":
            depth += 1
        elif token == b")":
            depth -= 1
            if depth == 0:
                return m.end()
    return len(data)


def _spec_names(data: bytes, start: int) -> frozenset[bytes]:
    """Every word that may be the name of a type or variable declared in ``data``."""
    names: set[bytes] = set()
    at = start
    while True:
        m = _SPEC_START.search(data, at)
        if m is None:
            return frozenset(names)
        at = m.end()
        if data[at : at + 1] == b"(":
            end = _block_end(data, at)
            names.update(n[1] for n in _BLOCK_NAME.finditer(data, at, end))
            continue
        single = _SPEC_NAMES.match(data, at)
        if single is not None:
            names.update(w for w in _WORDS.findall(single[0]))


_WORDS = re.compile(_IDENT)
_METHOD_START = re.compile(rb"\bfunc" + _GAP + rb"\(", re.DOTALL)
_TYPE = re.compile(rb"\btype\b")
_VAR = re.compile(rb"\bvar\b")


def _with_parts(words: set[bytes] | frozenset[bytes]) -> frozenset[bytes]:
    """``words`` and, for words with non-ASCII bytes, every part between two character
    boundaries: a character that is not a letter (``☹m``) is a syntax error to
    tree-sitter, which then declares the identifier around it (``m``)."""
    out = set(words)
    for word in words:
        if word.isascii():
            continue
        starts = [i for i in range(len(word)) if not 0x80 <= word[i] < 0xC0] + [len(word)]
        out.update(word[a:b] for a in starts for b in starts if a < b)
    return frozenset(out)


class DeclarationWords:
    """The names one file may declare, per kind (each set computed on first use)."""

    def __init__(self, data: bytes, start: int = 0) -> None:
        self._data = data
        self._start = start
        """Where declarations may begin (after the package clause and imports)."""

    def _words(self, pattern: re.Pattern[bytes]) -> frozenset[bytes]:
        return _with_parts({m[1] for m in pattern.finditer(self._data, self._start)})

    @cached_property
    def funcs(self) -> frozenset[bytes]:
        return self._words(_FUNC_NAME)

    @cached_property
    def methods(self) -> frozenset[bytes]:
        return self._words(_METHOD_NAME)

    @cached_property
    def receivers(self) -> frozenset[bytes]:
        return self._words(_RECEIVER_TYPE) | self._words(_RECEIVER_FIRST)

    @cached_property
    def specs(self) -> frozenset[bytes]:
        """Type and variable names."""
        return _with_parts(_spec_names(self._data, self._start))

    def may_declare(self, kind: str, name: bytes) -> bool:
        """Whether the file may declare ``name`` as a ``kind`` ("types", "vars", "funcs",
        or "methods", where ``name`` is the receiver's type)."""
        if kind == "funcs":
            return name in self.funcs
        if kind == "methods":
            return name in self.receivers
        return name in self.specs

    def may_declare_method(self, receiver: bytes, name: bytes) -> bool:
        return receiver in self.receivers and name in self.methods

    def declares_any(self, kind: str) -> bool:
        """Whether the file may declare anything of ``kind``."""
        if kind == "funcs":
            return bool(self.funcs)
        if kind == "methods":  # any receiver, even one that is no type name ([]int)
            return _METHOD_START.search(self._data, self._start) is not None
        keyword = _TYPE if kind == "types" else _VAR
        return keyword.search(self._data, self._start) is not None
