"""The process always ends and leaves nothing behind: signals with stuck requests (headless and window), and
kill -9 of the parent."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
import requests

from core.store import Journal, default_path

pytestmark = pytest.mark.timeout(120)

ROOT = Path(__file__).resolve().parents[3]


def _wait_for_hits(url: str, key: str, n: int, timeout: float = 30.0) -> None:
    """Wait until the test bed has seen ``n`` requests with ``key`` (they are then stuck in the app)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if requests.get(f"{url}/count", params={"key": key}, timeout=5).json()["count"] >= n:
            return
        time.sleep(0.05)  # polling the server's counter: there is no event to wait on across processes
    raise AssertionError(f"the app did not reach the server within {timeout} s")


@pytest.mark.parametrize("app", ["headless", "window"])
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
@pytest.mark.parametrize("mode", ["sync", "threads", "async"])
def test_signal_ends_the_run_within_2_s(mode: str, sig: signal.Signals, app: str, testbed, unique_key,
                                        tmp_path) -> None:
    lines = [f"{testbed.url}/page/1", *(f"{testbed.url}/hang?key={unique_key}&i={i}" for i in range(6))]
    src = tmp_path / "u.txt"
    src.write_text("\n".join(lines))
    out = tmp_path / "o.csv"
    how = ["--headless"] if app == "headless" else ["--start"]  # the window runs offscreen (tests/conftest.py)
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), *how, "--mode", mode, "--timeout", "60",
                             "--concurrency", "4", "--csv", str(out), "--data-dir", str(tmp_path), str(src)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        # sync: a first stuck request means /page/1 is done; 4 at once: the 4th started when /page/1 ended
        _wait_for_hits(testbed.url, unique_key, 1 if mode == "sync" else 4)
        t = time.perf_counter()
        proc.send_signal(sig)
        code = proc.wait(timeout=10)
        took = time.perf_counter() - t
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    stderr = proc.stderr.read() if proc.stderr else ""
    print(f"{mode}: exit {code} {took:.2f} s after {sig.name}")
    assert code == 130, stderr
    assert took < 2.0, f"{mode}: {took:.2f} s after {sig.name}; stderr: {stderr[-2000:]}"
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["ok"] == "true" and {r["error_kind"] for r in rows[1:]} == {"cancelled"}
    journal = Journal(default_path(tmp_path))
    try:
        [run] = journal.runs()
        # the finished row is journalled; cancelled ones are not (a resume fetches them)
        assert (run.status, run.done, run.ok) == ("interrupted", 1, 1)
    finally:
        journal.close()


def test_parsing_workers_die_with_their_parent() -> None:
    script = ("import asyncio, os, sys, time\n"
              "from core.parse.pool import Extractor\n"
              "ex = Extractor(workers=2)\n"
              "asyncio.run(ex.warm_up())\n"
              "print(os.getpid(), flush=True)\n"
              "time.sleep(120)\n")
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and int(proc.stdout.readline()) == proc.pid
        children = psutil.Process(proc.pid).children(recursive=True)
        kinds = [" ".join(c.cmdline()) for c in children]
        assert sum("spawn_main" in k for k in kinds) == 2 and any("resource_tracker" in k for k in kinds), kinds
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        _gone, alive = psutil.wait_procs(children, timeout=5)
        assert not alive, [p.info if hasattr(p, "info") else p.pid for p in alive]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
