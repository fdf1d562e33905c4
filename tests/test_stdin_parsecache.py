"""The editor paths' parse cache: incremental parses equal fresh ones, each file is
parsed once per stdin run, and the engine's parser is restored afterwards."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from tree_sitter import Tree

from gomapfix import parse
from gomapfix.cli import main
from gomapfix.parse import ParsedFile, parse_source
from gomapfix.parsecache import ParseCache, parse_cache_installed
from gomapfix.source import SourceText
from gomapfix.toolchain import find_toolchain

from helpers import go_module

ROOT = Path(__file__).resolve().parent.parent
GUARDED = (
    "package p\n\nfunc drop(m map[string]int, k string) {\n"
    "\tif m != nil {\n\t\tdelete(m, k)\n\t}\n}\n"
)
FIXED = "package p\n\nfunc drop(m map[string]int, k string) {\n\tdelete(m, k)\n}\n"


def _same(a: ParsedFile, b: ParsedFile) -> None:
    assert str(a.root) == str(b.root)
    assert [(n.type, n.start_byte, n.end_byte) for n in a.root.children] == [
        (n.type, n.start_byte, n.end_byte) for n in b.root.children
    ]
    for name in ("source", "package", "imports", "generated", "build_go_version"):
        assert getattr(a, name) == getattr(b, name), name
    assert a.error_regions == b.error_regions


def _go_files() -> list[Path]:
    files = sorted((ROOT / "golden").glob("*/*/input.go"))[:40]
    tc = find_toolchain()
    if tc is not None and tc.goroot is not None:
        files += sorted((tc.goroot / "src" / "regexp" / "syntax").glob("*.go"))
    return files


def test_incremental_parses_equal_fresh_parses() -> None:
    cache = ParseCache()
    checked = 0
    for path in _go_files():
        data = path.read_bytes()
        if parse_source(SourceText(str(path), data)).root.has_error:
            continue
        cache(SourceText(str(path), data))
        middle = data.find(b"\n", len(data) // 2) + 1
        edits = [
            data + b"// appended\n",  # the bench's edit
            b"// first\n" + data,
            data[:middle] + "\n// inserted é in the middle\n".encode() + data[middle:],
            data[:middle] + b"var _ = map[string]int{}\n" + data[middle:],
            data,  # back to the original: a cache hit
        ]
        for new in edits:
            source = SourceText(str(path), new)
            _same(cache(source), parse_source(source))
            checked += 1
    assert checked >= 20
    assert cache.incremental_parses >= checked // 2


def test_a_syntax_error_is_parsed_afresh() -> None:
    cache = ParseCache()
    good = GUARDED.encode()
    cache(SourceText("a.go", good))
    broken = good.replace(b"delete(m, k)", b"delete(m, k")
    _same(cache(SourceText("a.go", broken)), parse_source(SourceText("a.go", broken)))
    # Nor is a text parsed incrementally from a tree with errors.
    _same(cache(SourceText("a.go", good)), parse_source(SourceText("a.go", good)))
    assert cache.incremental_parses == 0


def test_the_cache_keeps_its_size() -> None:
    cache = ParseCache(size=3)
    for i in range(5):
        cache(SourceText(f"f{i}.go", b"package p\n"))
    assert cache.misses == 5
    cache(SourceText("f4.go", b"package p\n"))
    assert cache.hits == 1
    cache(SourceText("f0.go", b"package p\n"))  # evicted: parsed again
    assert cache.misses == 6


def test_stdin_fix_parses_each_sibling_once_and_restores_the_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    siblings = {f"s{i}.go": f"package p\n\nfunc f{i}() {{}}\n" for i in range(4)}
    go_module(tmp_path, {"a.go": FIXED, **siblings})
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(GUARDED.encode())))
    parsed: list[str] = []
    original = parse.parse_fresh

    def counting(source: SourceText, old_tree: Tree | None = None) -> ParsedFile:
        if old_tree is None:
            parsed.append(Path(source.path).name)
        return original(source, old_tree)

    monkeypatch.setattr("gomapfix.parsecache.parse_fresh", counting)
    code = main(["fix", "-q", "-", "--stdin-filename", "a.go"])
    assert code == 0
    assert capsysbinary.readouterr().out.decode() == FIXED
    # Two analyses (the fix, then nothing left) and the fix loop's syntax check: every
    # sibling parsed once, the buffer once afresh (its fixed text incrementally).
    assert sorted(parsed) == ["a.go", "s0.go", "s1.go", "s2.go", "s3.go"]
    assert not parse._hook  # the engine parses afresh again


def test_the_installed_cache_serves_the_fix_loop(tmp_path: Path) -> None:
    text = SourceText("a.go", GUARDED.encode())
    with parse_cache_installed() as cache:
        first = parse_source(text)
        assert parse_source(text) is first
        assert cache.hits == 1
    assert parse_source(text) is not first
