"""Measuring one program run: wall time, peak RSS of its process tree, CPU, and the noise.

Every program under test (Fetchlens headless, the window, each baseline) runs as its own
subprocess so that its peak memory is its own process tree's: a sampler thread sums the
RSS of the process and all its descendants (the extraction pool's workers count) every
``SAMPLE_S`` seconds. ``os.wait4`` adds the kernel's exact CPU time of the whole tree
(its ``ru_maxrss`` is not used: on Linux it starts from the forking parent's size).

Because the machine is shared, each run also records how much CPU *other* processes
used meanwhile (system-wide busy time minus the program's and the load server's).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

log = logging.getLogger(__name__)

SAMPLE_S = 0.05
MB = 1024 * 1024


class TreeSampler:
    """Samples the summed RSS of a process and its descendants in a background thread."""

    def __init__(self, pid: int, interval: float = SAMPLE_S) -> None:
        self._pid = pid
        self._interval = interval
        self._stop = threading.Event()
        self.peak_tree = 0
        self.peak_main = 0
        self.last_tree = 0
        self.peak_procs = 0
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def start(self) -> TreeSampler:
        self._thread.start()
        return self

    def _sample(self, root: psutil.Process) -> None:
        try:
            main = root.memory_info().rss
            procs = root.children(recursive=True)
        except psutil.Error:
            return
        total = main
        for p in procs:
            with contextlib.suppress(psutil.Error):  # it may have just exited
                total += p.memory_info().rss
        self.last_tree = total
        self.peak_main = max(self.peak_main, main)
        self.peak_tree = max(self.peak_tree, total)
        self.peak_procs = max(self.peak_procs, 1 + len(procs))

    def _run(self) -> None:
        try:
            root = psutil.Process(self._pid)
        except psutil.Error:
            return
        while not self._stop.is_set():
            self._sample(root)
            self._stop.wait(self._interval)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)


def _busy_cpu_s() -> float:
    """System-wide CPU seconds spent not idle (all cores)."""
    t = psutil.cpu_times()
    return sum(t) - t.idle - getattr(t, "iowait", 0.0)


def _cpu_s(pid: int | None) -> float:
    if pid is None:
        return 0.0
    try:
        t = psutil.Process(pid).cpu_times()
    except psutil.Error:
        return 0.0
    return t.user + t.system


@dataclass
class Measured:
    """One program run as seen from outside, plus what the program reported itself."""

    ok: bool
    returncode: int
    process_wall_s: float  # interpreter start to exit
    peak_rss_mb: float  # summed over the process tree, sampled
    peak_rss_main_mb: float  # the main process alone, sampled
    processes: int
    cpu_s: float  # user + system of the whole tree (kernel)
    server_cpu_s: float
    others_cpu_s: float  # CPU that neither this program nor the server used (other people)
    report: dict[str, Any] = field(default_factory=dict)  # the program's own JSON
    stderr_tail: str = ""
    curve: list[tuple[float, int, float, float]] = field(default_factory=list)  # see run_measured

    @property
    def wall_s(self) -> float:
        """The program's own clock over the work (start-up excluded), else the process's."""
        w = self.report.get("wall_s")
        return float(w) if w else self.process_wall_s


def run_measured(
    cmd: list[str],
    report_path: Path | None,
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 1800.0,
    server_pid: int | None = None,
    stdin_lines: Iterable[str] | None = None,
    curve_every_s: float = 0.0,
) -> Measured:
    """Run ``cmd`` to the end, sampling its tree's memory; read ``report_path`` (JSON) after.

    ``stdin_lines`` are written to the program's standard input from a thread (a stream: the
    pipe's buffer and the program's own reading pace it). With ``curve_every_s`` the tree's
    RSS and the lines written so far are logged that often (``Measured.curve``: tuples of
    seconds, lines written, RSS MB now, peak RSS MB so far).
    """
    if report_path is not None:
        report_path.unlink(missing_ok=True)
    err_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"fetchlens-bench-{os.getpid()}.stderr"
    busy0, srv0 = _busy_cpu_s(), _cpu_s(server_pid)
    t0 = time.perf_counter()
    with err_path.open("wb") as err:
        proc = subprocess.Popen(
            cmd,
            env=env,
            cwd=cwd,
            stdin=subprocess.PIPE if stdin_lines is not None else subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    sampler = TreeSampler(proc.pid).start()
    fed = [0]
    feeder = curver = None
    done = threading.Event()
    curve: list[tuple[float, int, float, float]] = []
    if stdin_lines is not None:
        feeder = threading.Thread(target=_feed, args=(proc, stdin_lines, fed), name="stdin-feeder", daemon=True)
        feeder.start()
    if curve_every_s > 0:

        def log_curve() -> None:
            while not done.wait(curve_every_s):
                point = (
                    round(time.perf_counter() - t0, 1),
                    fed[0],
                    round(sampler.last_tree / MB, 1),
                    round(sampler.peak_tree / MB, 1),
                )
                curve.append(point)
                log.info("t=%.0f s  lines fed %d  RSS tree %.1f MB  peak %.1f MB", *point)

        curver = threading.Thread(target=log_curve, name="curve", daemon=True)
        curver.start()
    killer = threading.Timer(timeout, proc.kill)
    killer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        killer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    done.set()
    for t in (feeder, curver):
        if t is not None:
            t.join(5)
    sampler.stop()
    busy = _busy_cpu_s() - busy0
    srv = _cpu_s(server_pid) - srv0
    cpu = usage.ru_utime + usage.ru_stime
    report: dict[str, Any] = {}
    if report_path is not None and report_path.is_file():
        try:
            report = json.loads(report_path.read_text(encoding="utf-8"))
        except ValueError as exc:
            log.warning("unreadable report %s: %s", report_path, exc)
    text = err_path.read_text(errors="replace") if err_path.is_file() else ""
    tail = text[-3000:]
    err_path.unlink(missing_ok=True)
    if curve_every_s > 0:  # what the run said it holds (its -v lines), beside the curve
        for line in text.splitlines():
            if " held: " in line:
                log.info("%s", line)
    ok = proc.returncode == 0 and bool(report or report_path is None)
    if not ok:
        log.warning("run failed (exit %s): %s\n%s", proc.returncode, " ".join(cmd), tail)
    return Measured(
        ok=ok,
        returncode=proc.returncode,
        process_wall_s=wall,
        peak_rss_mb=sampler.peak_tree / MB,
        peak_rss_main_mb=sampler.peak_main / MB,
        processes=sampler.peak_procs,
        cpu_s=cpu,
        server_cpu_s=srv,
        others_cpu_s=max(0.0, busy - cpu - srv),
        report=report,
        stderr_tail=tail,
        curve=curve,
    )


def _feed(proc: subprocess.Popen[bytes], lines: Iterable[str], fed: list[int]) -> None:
    """Write ``lines`` to ``proc``'s stdin in 64 KB chunks, counting them in ``fed[0]``; close it at the end."""
    assert proc.stdin is not None
    chunk: list[str] = []
    size = 0
    try:
        for line in lines:
            chunk.append(line)
            size += len(line)
            if size >= 65536:
                proc.stdin.write("".join(chunk).encode())
                fed[0] += len(chunk)
                chunk, size = [], 0
        proc.stdin.write("".join(chunk).encode())
        fed[0] += len(chunk)
        proc.stdin.close()
    except (BrokenPipeError, ValueError, OSError):
        pass  # the program ended (or was killed) first


def extraction_cost_ms(size: int, min_time: float = 1.5, pages: int = 64) -> dict[str, float]:
    """Per-page CPU cost of Fetchlens's extraction and of the tutorial's bs4 parse, one process.

    Uses the same bodies the load server sends (:func:`render_page`); the fastest of three
    timed rounds is kept (the minimum is the least disturbed by other people's work).
    """
    from bs4 import BeautifulSoup

    from core.parse.extract import extract
    from tests.bench.baselines import fields
    from tests.testbed.content import render_page

    bodies = [render_page(str(i), size, 20, f"Page {i}") for i in range(pages)]
    ctype = "text/html; charset=utf-8"

    def fetchlens() -> None:
        for b in bodies:
            extract(b, ctype)

    def tutorial() -> None:
        for b in bodies:
            fields(BeautifulSoup(b.decode("utf-8"), "html.parser"))

    out: dict[str, float] = {}
    for name, fn in (("fetchlens_ms", fetchlens), ("bs4_html_parser_ms", tutorial)):
        fn()  # warm up (imports, caches)
        best = float("inf")
        for _ in range(3):
            n = 0
            t = time.perf_counter()
            while True:
                fn()
                n += 1
                el = time.perf_counter() - t
                if el >= min_time / 3:
                    break
            best = min(best, el / (n * len(bodies)))
        out[name] = best * 1000.0
    return out
