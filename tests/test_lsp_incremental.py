"""The language server's analysis of a changing buffer: siblings are parsed once, the
buffer incrementally, and the diagnostics are those of a fresh analysis."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pygls")

from gomapfix import analysis, apply, lsp
from gomapfix.parse import parse_source
from gomapfix.parsecache import ParseCache

from helpers import go_module

GUARDED = (
    "package p\n\nfunc drop(m map[string]int, k string) {\n"
    "\tif m != nil {\n\t\tdelete(m, k)\n\t}\n}\n"
)
SECOND = "\nfunc drop2(m map[int]bool) {\n\tif m != nil {\n\t\tdelete(m, 1)\n\t}\n}\n"


def _diagnostics(result: lsp.Analysis, uri: str) -> list[tuple[object, ...]]:
    return [
        (d.code, d.range.start.line, d.range.start.character, d.range.end.line, d.message)
        for d in result.diagnostics[uri]
    ]


def test_edits_reparse_only_the_buffer_and_match_a_fresh_analysis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    go_module(tmp_path, {"a.go": GUARDED, "b.go": "package p\n\nvar shared = map[string]int{}\n"})
    cache = ParseCache()
    monkeypatch.setattr(analysis, "parse_source", cache)
    monkeypatch.setattr(apply, "parse_source", cache)
    path = tmp_path / "a.go"
    uri = path.as_uri()
    settings = lsp.SettingsCache().for_directory(tmp_path)
    texts = [
        GUARDED,
        GUARDED + "// a comment\n",
        "// a comment first\n" + GUARDED,
        GUARDED + SECOND,
        GUARDED.replace("drop", "remove") + SECOND,
    ]
    for version, text in enumerate(texts, 1):
        docs = {uri: lsp.OpenDoc(uri, path, version, text.encode())}
        cached = lsp.analyse(tmp_path, docs, settings, "utf-16")
        monkeypatch.setattr(analysis, "parse_source", parse_source)
        fresh = lsp.analyse(tmp_path, docs, settings, "utf-16")
        monkeypatch.setattr(analysis, "parse_source", cache)
        assert _diagnostics(cached, uri) == _diagnostics(fresh, uri)
        assert len(cached.diagnostics[uri]) == (2 if SECOND in text else 1)
    # b.go parsed once; a.go once afresh, then incrementally at each edit.
    assert cache.misses == 1 + len(texts)
    assert cache.incremental_parses == len(texts) - 1


def test_the_memo_answers_the_same_content_and_nothing_else(tmp_path: Path) -> None:
    go_module(tmp_path, {"a.go": GUARDED, "b.go": "package p\n"})
    path = tmp_path / "a.go"
    uri = path.as_uri()
    settings = lsp.SettingsCache().for_directory(tmp_path)
    memo = lsp.AnalysisMemo()

    def at(version: int, text: str) -> lsp.Analysis:
        docs = {uri: lsp.OpenDoc(uri, path, version, text.encode())}
        return memo.analyse(tmp_path, docs, settings, "utf-16")

    first = at(1, GUARDED)
    saved = at(2, GUARDED)  # a save, or an undo back to this text: no new analysis
    assert memo.hits == 1
    assert saved.docs[uri].version == 2 and saved.key != first.key
    assert _diagnostics(saved, uri) == _diagnostics(first, uri) and len(first.diagnostics[uri]) == 1
    assert saved.messages == []

    edited = at(3, GUARDED + SECOND)  # a new text: analysed
    assert memo.hits == 1 and len(edited.diagnostics[uri]) == 2

    # A sibling changed on disk is an edit to the package too.
    (tmp_path / "b.go").write_text("package p\n\nfunc helper() {}\n")
    at(4, GUARDED)
    assert memo.hits == 1

    # So is go.mod (the Go version in force): the same texts are analysed again.
    at(5, GUARDED)
    assert memo.hits == 2
    (tmp_path / "go.mod").write_text("module x\n\ngo 1.21.0\n")
    at(6, GUARDED)
    assert memo.hits == 2
