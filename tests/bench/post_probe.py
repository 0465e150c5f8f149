"""An independent check of the window's stalls: ``python -m tests.bench.post_probe URLFILE [main.py options]``.

The window measures its own stalls with a 10 ms ``QTimer`` on its event loop (``max_ui_stall_ms`` and
``p99_ui_stall_ms`` of ``--summary-json``). This probe measures them another way, from outside the loop:
a plain Python thread in the window's process wakes every ``--period`` ms and emits a queued signal to an
object living on the GUI thread; the slot records how long after the emit it ran. That delay is what
a click or a repaint posted at that moment would have waited (the probe thread holds the GIL when it
emits, so a GUI thread busy in Python code is caught too). Only the main window's run counts
(``controller.running``), as for the heartbeat. The delay from the planned wake-up is kept as well
(``post_due_*``): it adds the probe thread's own wait for a core, which a loaded machine makes long.

Prints (and with ``--json PATH`` writes) the run's summary, the heartbeat's figures and the probe's:
worst, p99 and the number of samples, in milliseconds. Nothing else is instrumented, so the run costs
what it costs without probes (plus one tiny event per period).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
import threading
import time
from typing import Any

PERIOD_MS = 10.0
SLOW_MS = 100.0  # posted events at least this late are listed with their time in the run


def _role(child: Any, window_pid: int) -> str:
    """A child of the window named by what it is: the engine process (core/run/host.py), one of the
    engine's parser processes (core/parse/pool.py) or multiprocessing's resource tracker; with its pid."""
    cmdline = " ".join(child.cmdline())
    if "resource_tracker" in cmdline:
        return f"resource tracker {child.pid}"
    return f"{'engine' if child.ppid() == window_pid else 'parser'} {child.pid}"


class PostProbe:
    """A thread that posts a timestamped event to the GUI thread every ``period_ms``.

    Latencies (ms) are kept in whole-millisecond buckets, as the window's own
    :class:`gui.app.stall_monitor.StallStats` does, so long runs stay small.
    """

    def __init__(self, period_ms: float = PERIOD_MS) -> None:
        from PySide6.QtCore import QObject, Signal

        from gui.app.stall_monitor import StallStats

        class Receiver(QObject):
            posted = Signal(float, float)

        self.period = period_ms / 1000.0
        self.stats = StallStats()  # from the emit to the slot: the GUI thread's delay
        self.stats_due = StallStats()  # from the planned wake-up: the probe thread's own delay too
        self._receiver = Receiver()  # created on the GUI thread: its slots run there
        self._receiver.posted.connect(self._delivered)
        self._controller: Any = None  # the main window's RunController, once it exists
        self._stop = threading.Event()
        self._run_t0 = 0.0
        self.slow: list[tuple[float, int]] = []  # (seconds into the run, ms late) of each event >= SLOW_MS late
        self._sampled = 0.0
        self.peak_tree_rss = 0  # bytes: the window's process and its children together, at one sample
        self.peak_rss: dict[str, int] = {}  # bytes per process, the most seen
        self.thread_cpu: dict[str, float] = {}  # CPU seconds per thread name (the most seen: threads end)
        self._thread = threading.Thread(target=self._post, name="post-probe", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(2.0)

    def _post(self) -> None:
        due = time.perf_counter() + self.period
        while not self._stop.is_set():
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            # Emitted from this thread to a receiver on the GUI thread: a queued connection.
            self._receiver.posted.emit(due, time.perf_counter())
            due += self.period
            now = time.perf_counter()
            if now - self._sampled > 1.0:
                self._sample_threads()
                self._sampled = now
            if due < now:  # fell behind (the GIL, the CPU): skip missed ticks, don't burst
                due = now + self.period

    def _sample_threads(self) -> None:
        """CPU seconds per thread of this process (by name), to see which one keeps the GIL or a core busy;
        and the resident memory of this process and of its children (the engine, the parser processes)."""
        import psutil

        me = psutil.Process()
        with contextlib.suppress(psutil.Error):
            rss = {"window": me.memory_info().rss}
            for child in me.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    rss[_role(child, me.pid)] = child.memory_info().rss
            self.peak_tree_rss = max(self.peak_tree_rss, sum(rss.values()))
            for name, value in rss.items():
                self.peak_rss[name] = max(self.peak_rss.get(name, 0), value)
        names = {t.native_id: t.name for t in threading.enumerate()}
        names[threading.main_thread().native_id] = "GUI thread"
        for t in psutil.Process().threads():
            name = names.get(t.id, f"thread {t.id}")
            self.thread_cpu[name] = max(self.thread_cpu.get(name, 0.0), t.user_time + t.system_time)

    def _delivered(self, due: float, posted: float) -> None:
        now = time.perf_counter()
        if self._running():  # the run's time only, as the heartbeat (not the window's start-up)
            if not self._run_t0:
                self._run_t0 = now
            late = (now - posted) * 1000.0
            if late >= SLOW_MS:
                self.slow.append((round(now - self._run_t0, 2), round(late)))
            self.stats.add(late)
            self.stats_due.add((now - due) * 1000.0)

    def _running(self) -> bool:
        if self._controller is None:
            from PySide6.QtWidgets import QApplication

            for w in QApplication.topLevelWidgets():
                if hasattr(w, "controller"):
                    self._controller = w.controller
        return self._controller is not None and bool(self._controller.running)

    def figures(self) -> dict[str, float]:
        return {
            "post_worst_ms": round(self.stats.worst_ms, 1),
            "post_p99_ms": round(self.stats.p99_ms, 1),
            "post_samples": self.stats.samples,
            "post_due_worst_ms": round(self.stats_due.worst_ms, 1),
            "post_due_p99_ms": round(self.stats_due.p99_ms, 1),
            "slow_events": self.slow[:50],
            "peak_tree_rss_mb": round(self.peak_tree_rss / 2**20),
            "peak_rss_mb": {k: round(v / 2**20) for k, v in sorted(self.peak_rss.items(), key=lambda kv: -kv[1])},
            "thread_cpu_s": {k: round(v, 2) for k, v in sorted(self.thread_cpu.items(), key=lambda kv: -kv[1])},
        }


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    p = argparse.ArgumentParser(prog="python -m tests.bench.post_probe", add_help=True)
    p.add_argument("--period", type=float, default=PERIOD_MS, help="ms between two posted events (default 10)")
    p.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    known, rest = p.parse_known_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtWidgets import QApplication

    import gui.app.runtime as runtime

    app = QApplication([sys.argv[0]])  # runtime.make_app() reuses this instance
    probe = PostProbe(known.period)
    summary = os.path.join(tempfile.mkdtemp(prefix="fetchlens-post-probe-"), "summary.json")
    probe.start()
    t0, cpu0 = time.perf_counter(), time.process_time()
    try:
        status = runtime.main([*rest, "--start", "--quit-when-done", "--summary-json", summary])
    finally:
        probe.stop()
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    del app
    # The window process's own CPU (all its threads, not its children): what the GUI side costs.
    data: dict[str, Any] = {"exit": status, "process_s": round(wall, 2), "process_cpu_s": round(cpu, 2)}
    try:
        with open(summary, encoding="utf-8") as fh:
            data.update(json.load(fh))
    except (OSError, ValueError):
        pass
    data.update(probe.figures())
    print(
        f"run: exit {status}, {data.get('ok')} ok of {data.get('urls')}, run wall {data.get('wall_s')} s; "
        f"heartbeat worst {data.get('max_ui_stall_ms')} / p99 {data.get('p99_ui_stall_ms')} ms; "
        f"posted events worst {data['post_worst_ms']} / p99 {data['post_p99_ms']} ms "
        f"({data['post_samples']} samples); window process {data['process_cpu_s']} s CPU in {data['process_s']} s"
    )
    if data["slow_events"]:
        print(f"posted events >= {SLOW_MS:g} ms late (s into the run, ms):", data["slow_events"])
    print(f"peak RSS of the window and its children {data['peak_tree_rss_mb']} MB:", data["peak_rss_mb"])
    print("window process CPU by thread (s):", ", ".join(f"{k} {v}" for k, v in data["thread_cpu_s"].items()))
    if known.json:
        with open(known.json, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
