"""-j: the same results in the same order whatever the number of workers, and a worker
that dies takes only its own package down."""

from __future__ import annotations

import contextlib
import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from tree_sitter import Node

import gomapfix.analysis
import gomapfix.registry
from gomapfix.codemod import Codemod, FileContext
from gomapfix.finding import Finding

from helpers import go_module, run_cli

GUARDED = """
package p{n}

func drop(m map[string]int, k string) {{
	if m != nil {{
		delete(m, k)
	}}
}}
"""


def tree(root: Path, n: int = 8) -> None:
    go_module(root, {f"p{i}/a.go": GUARDED.format(n=i) for i in range(n)})


def test_output_is_identical_for_any_jobs(tmp_path: Path) -> None:
    tree(tmp_path)
    outs = []
    for jobs in ("1", "2", "3"):
        args = ["check", "-j", jobs, "--select", "GMF203", "--output-format", "json", "."]
        code, out, _ = run_cli(tmp_path, [*args[:1], "--no-cache", *args[1:]])
        assert code == 1
        outs.append(json.loads(out)["results"])
    assert outs[0] == outs[1] == outs[2]
    paths = [r["path"] for r in outs[0]]
    assert paths == sorted(paths) and len(paths) == 8


class CrashesTheWorker(Codemod):
    """Test only: kills its process when it sees package p3 (a native crash stand-in)."""

    code = "GMF997"
    name = "test-crashes-the-worker"
    summary = "test only"

    def visit_package_clause(self, ctx: FileContext, node: Node) -> Iterator[Finding]:
        if ctx.text(node) == "package p3":
            os.kill(os.getpid(), signal.SIGKILL)
        return iter(())


def test_a_dying_worker_fails_only_its_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = (*gomapfix.registry.all_codemods(), CrashesTheWorker)
    monkeypatch.setattr(gomapfix.registry, "all_codemods", lambda: rules)
    monkeypatch.setattr(gomapfix.analysis, "all_codemods", lambda: rules)
    tree(tmp_path)
    code, out, _ = run_cli(
        tmp_path, ["check", "-j", "2", "--select", "GMF203,GMF997", "--output-format", "json", "."]
    )
    doc = json.loads(out)
    assert code == 2
    assert [f["path"] for f in doc["failed"]] == ["p3/a.go"]
    assert "worker process" in doc["failed"][0]["error"]
    assert sorted(r["path"] for r in doc["results"]) == [f"p{i}/a.go" for i in range(8) if i != 3]


def _stderr_of(root: Path, args: list[str], tty: bool) -> str:
    import pty
    import subprocess
    import sys

    cmd = [sys.executable, "-m", "gomapfix", *args]
    if not tty:
        return subprocess.run(cmd, cwd=root, capture_output=True, text=True).stderr
    import fcntl
    import struct
    import termios

    master, slave = pty.openpty()
    # A fresh pty is 0 columns wide; a real terminal is not (tqdm sizes its bar to it).
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    proc = subprocess.Popen(cmd, cwd=root, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait()
    os.close(master)
    return b"".join(chunks).decode(errors="replace")


def test_progress_bar_only_on_a_terminal_and_not_with_q(tmp_path: Path) -> None:
    tree(tmp_path)
    args = ["check", "--no-cache", "-j", "2", "--select", "GMF203", "."]
    assert "pkg" in _stderr_of(tmp_path, args, tty=True)
    assert "pkg" not in _stderr_of(tmp_path, args, tty=False)
    assert "pkg" not in _stderr_of(tmp_path, [*args, "-q"], tty=True)


def _timed(item: str) -> tuple[str, float, float]:
    import time

    start = time.monotonic()
    time.sleep(0.3 if item.startswith("big") else 0.05)
    return item, start, time.monotonic()


def test_heavy_packages_never_run_side_by_side_beyond_the_budget() -> None:
    from gomapfix.parallel import map_isolated

    items = ["big1", "big2", "s1", "s2", "s3", "s4"]
    weights = {"big1": 10, "big2": 10, "s1": 1, "s2": 1, "s3": 1, "s4": 1}
    out = map_isolated(
        _timed, items, 2, lambda item, exc: (item, 0.0, 0.0), weight=weights.__getitem__, budget=12
    )
    spans = {item: (start, end) for item, start, end in out}
    assert sorted(spans) == sorted(items)
    (a0, a1), (b0, b1) = spans["big1"], spans["big2"]
    assert a1 <= b0 or b1 <= a0, "the two heavy items overlapped"
    # The small ones did not wait for both heavy ones: some ran beside the first.
    assert any(spans[s][0] < a1 for s in ("s1", "s2", "s3", "s4"))


def test_a_heavy_package_is_not_queued_behind_the_small_ones_admitted_before_it() -> None:
    """The pool serves submissions in order: were every small item submitted while the
    first heavy one runs, the second would start only after all of them (a long tail
    with one core idle)."""
    from gomapfix.parallel import map_isolated

    small = [f"s{i}" for i in range(12)]
    items = ["big1", "big2", *small]
    weights = {"big1": 1, "big2": 1} | dict.fromkeys(small, 0)
    out = map_isolated(
        _timed, items, 2, lambda item, exc: (item, 0.0, 0.0), weight=weights.__getitem__, budget=1
    )
    spans = {item: (start, end) for item, start, end in out}
    big1_end, big2_start = spans["big1"][1], spans["big2"][0]
    # Between the end of big1 and the start of big2, only what was already queued.
    ahead = [s for s in small if big1_end <= spans[s][0] < big2_start]
    assert len(ahead) <= 2, f"big2 waited behind {ahead}"


def _pid(item: int) -> tuple[int, int]:
    return item, os.getpid()


def test_a_worker_past_the_memory_limit_is_replaced_after_its_package() -> None:
    from gomapfix.parallel import map_isolated

    def pids(limit: int) -> list[int]:
        out = map_isolated(_pid, range(10), 2, lambda item, exc: (item, 0), recycle_above=limit)
        assert sorted(item for item, _ in out) == list(range(10))
        return [pid for _, pid in out]

    # Every worker is past a limit of 0 bytes: each item gets a fresh process.
    assert len(set(pids(0))) == 10
    # Under a limit no worker reaches, two processes run everything.
    assert len(set(pids(2**40))) == 2
    assert os.getpid() not in pids(2**40)


def _fails_on_three(item: int) -> int:
    if item == 3:
        raise ValueError("three")
    return item


def test_an_exception_in_the_work_is_raised_to_the_caller() -> None:
    from gomapfix.parallel import map_isolated

    with pytest.raises(ValueError, match="three"):
        map_isolated(_fails_on_three, range(6), 2, lambda item, exc: -1)


def _collector_on(item: int) -> bool:
    import gc

    return gc.isenabled()


def test_workers_leave_cycles_to_their_replacement_not_to_the_collector() -> None:
    """The collector's passes cost ~7% of a cold run; a worker's memory is bounded by
    replacing it instead (the test above). The caller's process keeps its collector."""
    import gc

    from gomapfix.parallel import map_isolated

    assert map_isolated(_collector_on, range(4), 2, lambda item, exc: True) == [False] * 4
    assert gc.isenabled()


_SLOW_POOL = """
import time
from gomapfix.parallel import map_isolated
def nap(item):
    print("napping", flush=True)
    time.sleep(30)
try:
    map_isolated(nap, range(4), 2, lambda item, exc: None)
except KeyboardInterrupt:
    print("interrupted")
"""


def test_ctrl_c_is_the_parents_to_handle_and_stops_the_workers_quietly() -> None:
    import subprocess
    import sys
    import time

    def children(pid: int) -> list[int]:
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid and fields[0] != "Z":
                    found.append(int(stat.parent.name))
        return found

    proc = subprocess.Popen(
        [sys.executable, "-c", _SLOW_POOL],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert proc.stdout is not None
    assert [proc.stdout.readline(), proc.stdout.readline()] == ["napping\n"] * 2
    workers = children(proc.pid)
    assert len(workers) == 2
    for pid in workers:  # the parent owns Ctrl-C: a worker shrugs it off
        os.kill(pid, signal.SIGINT)
    time.sleep(0.3)
    assert all(pid in children(proc.pid) for pid in workers)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
    out, err = proc.communicate(timeout=20)
    assert out.strip() == "interrupted"
    assert err == "", err  # not "Process ForkProcess-1:" and a traceback per worker
    # Daemonic workers are reaped by their parent's exit; none is left running.
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)


def test_an_idle_worker_that_died_is_replaced_without_losing_an_item() -> None:
    from gomapfix.parallel import _Pool

    out: list[tuple[int, int]] = []
    with _Pool(_pid, 2, lambda item, exc: (item, -1), out.append, None, 2**40) as pool:
        pool.offer(0, 0)
        pool.drain()
        (idle,) = pool.idle
        os.kill(idle.process.pid, signal.SIGKILL)
        idle.process.join()
        pool.offer(1, 0)
        pool.drain()
    assert [item for item, _ in out] == [0, 1]
    assert out[1][1] not in (-1, idle.process.pid)


def test_where_processes_cannot_fork_the_packages_run_in_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import gomapfix.parallel

    monkeypatch.setattr(gomapfix.parallel, "_CAN_FORK", False)
    out = gomapfix.parallel.map_isolated(_pid, range(4), 2, lambda item, exc: (item, 0))
    assert out == [(i, os.getpid()) for i in range(4)]
