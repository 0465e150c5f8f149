"""The results table at a million rows: ``python -m tests.bench.big_table [--n N] [--open-only] [--live]``.

Writes a finished run of N results into a journal (through :class:`core.store.JournalWriter`,
as a run writes them; reused when ``--journal`` names one that has it), then opens it in the
history window offscreen, as a user would, and measures with the window's own heartbeat
(:class:`gui.app.stall_monitor.StallMonitor`): the worst and p99 event-loop stall while the
run opens, while the table is scrolled from top to bottom, sorted by a column and filtered;
the time until each sort or filter is shown, and until the rows of a jump are read and
repainted (``page_in_ms``); the process's peak RSS. Prints one JSON line.

The open (``--open-only``: it alone) is measured after 3 s of the same heartbeat with the window
idle (``idle_*``: the floor the machine's other load sets): ``open_table_s`` until the table's
rows, counts and order are in, ``open_s`` until the timeline's bars are too, the worst and p99
stall meanwhile, the CPU time it took (``open_cpu_s``, all threads; ``open_gui_cpu_s``, the GUI
thread's) and the peak RSS by then.

With ``--live``, instead: a real run of N URLs in the window (offscreen) against the test bed
(2 KB pages, ``--no-parse``, concurrency 100, a journal in a temporary folder), measured as
``tests.bench.suite`` measures window runs: the window's ``--summary-json`` (worst and p99
event-loop stall) and the peak RSS of the process tree and of the window's process.

On demand only (not part of the test suite): writing a million results takes a few minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def _result(i: int, rnd: random.Random) -> Any:
    from core.model import ErrorKind, FetchResult, Mode, PageFacts, PageInfo, Timings

    url = f"http://127.0.0.1:8080/page/{i % 2000}?size=2000&n={i}"
    t = Timings(started_ms=i * 0.2, wait_ms=rnd.uniform(1, 40), download_ms=1.0,
                finished_ms=i * 0.2 + rnd.uniform(2, 60))
    if i % 50 == 7:
        return FetchResult(i, url, Mode.ASYNC, error_kind=ErrorKind.TIMEOUT, error="no response in 30 s",
                           attempts=1, timings=t)
    code = 404 if i % 50 == 9 else 200
    return FetchResult(i, url, Mode.ASYNC, final_url=url, status_code=code, ok=code == 200,
                       error_kind=ErrorKind.HTTP_ERROR if code != 200 else None,
                       content_type="text/html; charset=utf-8", charset="utf-8", bytes=2000 + i % 977,
                       page=PageInfo(title=f"Page {i % 2000}", links=i % 31,
                                     facts=PageFacts(word_count=300 + i % 200, content_hash=f"{i % 2000:032x}")),
                       attempts=1, timings=t)


def write_run(path: Path, n: int) -> int:
    """A finished run of ``n`` results in the journal at ``path`` (the newest such run if there is one)."""
    from core.model import Mode, RunSummary
    from core.settings import Settings
    from core.store import Journal, JournalWriter

    journal = Journal(path)
    try:
        for info in journal.runs():
            if info.total == n and info.done == n:
                return info.id
        lines = [_result(i, random.Random(0)).url for i in range(n)]
        run_id = journal.create_run(lines, Settings(), n)
        writer = JournalWriter(journal, run_id)
        rnd = random.Random(1)
        t0 = time.perf_counter()
        for i in range(n):
            writer.on_result(_result(i, rnd))
            while i - writer.written > 50_000:  # as fast as the writer, not faster (memory)
                time.sleep(0.05)
        writer.close()
        log.info("wrote %d results in %.0f s", n, time.perf_counter() - t0)
        journal.finish_run(run_id, RunSummary(mode=Mode.ASYNC, urls=n, ok=n, failed=0, cancelled=0, wall_s=200.0,
                                              sum_elapsed_s=0.0, p50_ms=0.0, p95_ms=0.0, p99_ms=0.0, max_ms=0.0,
                                              bytes=0, pages_per_s=n / 200.0))
        return run_id
    finally:
        journal.close()


def _rss_now_mb() -> float:
    """The process's resident memory now (Linux), what stays once the run is shown."""
    statm = Path("/proc/self/statm").read_text()
    return round(int(statm.split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)


async def measure(path: Path, run_id: int, open_only: bool = False) -> dict[str, float]:
    from PySide6.QtCore import Qt

    from core.store import Journal
    from gui.app.stall_monitor import StallMonitor
    from gui.history.window import HistoryWindow
    from gui.results.rows import Column, QuickFilter

    out: dict[str, float] = {}
    journal = Journal(path)
    history = HistoryWindow(journal)
    history.resize(1400, 900)
    history.show()
    model = history.results_panel.model
    view = history.results_panel.view
    stall = StallMonitor()

    shown = asyncio.Event()
    model.ordering.connect(lambda busy: shown.clear() if busy else shown.set())

    async def settle(step: str, started: float) -> None:
        paged = model.paged()
        if paged is not None and paged.busy:
            shown.clear()
            await asyncio.wait_for(shown.wait(), 600)
        out[f"{step}_s"] = round(time.perf_counter() - started, 3)

    async def step(name: str, action: Any) -> None:
        stall.start()
        t0 = time.perf_counter()
        action()
        await settle(name, t0)
        await asyncio.sleep(0.2)
        out[f"{name}_max_stall_ms"] = round(stall.worst_ms, 1)
        stall.stop()

    # In the app the main window's timeline has painted long before the history opens a run; here
    # the history is the process's first window. Its first paint has PySide6 build the Python enum
    # classes behind QPainter.fillRect's overloads (~150 ms, once per process): paid now, not in the open.
    history.timeline.grab()
    # The machine's noise floor: the same heartbeat with the window idle (the load of others alone).
    stall.start()
    await asyncio.sleep(3.0)
    out["idle_max_stall_ms"] = round(stall.worst_ms, 1)
    out["idle_p99_stall_ms"] = round(stall.p99_ms, 1)
    stall.stop()
    stall.start()
    t0 = time.perf_counter()
    cpu0, gui_cpu0 = time.process_time(), time.thread_time()

    def table_shown(busy: bool) -> None:  # the table's first order is in: rows, counts, sorting work
        if not busy and "open_table_s" not in out:
            out["open_table_s"] = round(time.perf_counter() - t0, 3)

    model.ordering.connect(table_shown)
    await history.open_run(run_id)
    await settle("open", t0)
    model.ordering.disconnect(table_shown)
    # CPU time of the open (all threads; the GUI thread's own): the work, whatever the machine's load.
    out["open_cpu_s"] = round(time.process_time() - cpu0, 2)
    out["open_gui_cpu_s"] = round(time.thread_time() - gui_cpu0, 2)
    await asyncio.sleep(0.2)
    out["open_max_stall_ms"] = round(stall.worst_ms, 1)
    out["open_p99_stall_ms"] = round(stall.p99_ms, 1)
    out["open_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    out["open_rss_now_mb"] = _rss_now_mb()
    stall.stop()
    if open_only:
        await history.shutdown()
        history.close()
        journal.close()
        return out
    stall.start()
    bar = view.verticalScrollBar()
    for k in range(0, 101):
        bar.setValue(bar.maximum() * k // 100)
        await asyncio.sleep(0.02)
    out["scroll_max_stall_ms"] = round(stall.worst_ms, 1)
    out["scroll_p99_stall_ms"] = round(stall.p99_ms, 1)
    stall.stop()
    # A jump to rows not read yet: they paint as "…" until the page reader's rows are repainted.
    top = bar.maximum() // 3
    arrived: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def on_changed(first: Any, last: Any, _roles: Any) -> None:
        if not arrived.done() and first.row() <= top <= last.row():
            arrived.set_result(None)

    model.dataChanged.connect(on_changed)
    t0 = time.perf_counter()
    bar.setValue(top)
    await asyncio.wait_for(arrived, 60)
    out["page_in_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    model.dataChanged.disconnect(on_changed)
    await step("sort_time", lambda: view.sortByColumn(Column.TIME, Qt.SortOrder.DescendingOrder))
    await step("sort_url", lambda: view.sortByColumn(Column.URL, Qt.SortOrder.AscendingOrder))
    await step("quick_failed", lambda: history.results_panel.set_quick_filter(QuickFilter.FAILED))
    await step("quick_all", lambda: history.results_panel.set_quick_filter(QuickFilter.ALL))

    def text() -> None:
        history.results_panel.filter_edit.setText("n=99999")
        history.results_panel.apply_text_filter()

    await step("text_filter", text)
    out["rows_shown_after_text_filter"] = model.rowCount()
    paged = model.paged()
    out["cached_rows"] = paged.cached_rows() if paged is not None else -1
    out["rows"] = model.total_rows()
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    out["rss_now_mb"] = _rss_now_mb()
    await history.shutdown()
    history.close()
    journal.close()
    return out


def live(n: int, extra: list[str]) -> dict[str, object]:
    """A run of ``n`` test-bed URLs in the window, to the end."""
    import tempfile

    from tests.bench.measure import run_measured
    from tests.testbed.process import ServerProcess

    root = Path(__file__).resolve().parents[2]
    with tempfile.TemporaryDirectory(prefix="fetchlens-big-table-") as tmp, ServerProcess() as server:
        urls = Path(tmp, "urls.txt")
        with urls.open("w", encoding="utf-8") as fh:
            fh.writelines(f"{server.url}/page/{i % 2000}?size=2000&n={i}\n" for i in range(n))
        summary = Path(tmp, "summary.json")
        cmd = [sys.executable, str(root / "main.py"), str(urls), "--mode", "async", "--concurrency", "100",
               "--no-parse", "--data-dir", tmp, "--start", "--quit-when-done", "--summary-json", str(summary), *extra]
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        m = run_measured(cmd, summary, env=env, cwd=root, server_pid=server.pid, timeout=4 * 3600)
        if not m.ok:
            raise RuntimeError(f"exit {m.returncode}\n{m.stderr_tail}")
        keys = ("urls", "ok", "failed", "wall_s", "pages_per_s", "max_ui_stall_ms", "p99_ui_stall_ms")
        return {**{k: m.report.get(k) for k in keys}, "peak_rss_tree_mb": round(m.peak_rss_mb, 1),
                "peak_rss_main_mb": round(m.peak_rss_main_mb, 1), "process_s": round(m.process_wall_s, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--journal", type=Path, default=None, help="journal file (default: a temporary one)")
    parser.add_argument("--write-only", action="store_true", help="only write the run (done in a child process)")
    parser.add_argument("--live", action="store_true", help="measure a real run of N URLs in the window instead")
    parser.add_argument("--open-only", action="store_true", help="only open the run from the history (no scroll,"
                        " sort or filter)")
    parser.add_argument("--extra", nargs=argparse.REMAINDER, default=[], help="more arguments for main.py (--live)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.live:
        print(json.dumps(live(args.n, args.extra)))
        return 0
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    path = args.journal or Path(os.environ.get("TMPDIR", "/tmp")) / f"fetchlens-big-table-{args.n}.sqlite3"
    if args.write_only:
        print(write_run(path, args.n))
        return 0
    t0 = time.perf_counter()
    # Written by a child process: the window's peak RSS below is its own.
    child = subprocess.run([sys.executable, "-m", "tests.bench.big_table", "--n", str(args.n), "--journal", str(path),
                            "--write-only"], check=True, capture_output=True, text=True)
    run_id = int(child.stdout.split()[-1])
    written_s = time.perf_counter() - t0

    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        result = loop.run_until_complete(measure(path, run_id, args.open_only))
    result["write_s"] = round(written_s, 1)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
