"""Memory and speed against the number of URLs: ``python -m tests.bench.scale [--n 10000 100000] [--baseline REV]``.

Runs ``main.py --headless`` on N generated URLs (2 KB pages from the test bed, concurrency 100)
for this tree and, with ``--baseline REV``, for a git revision of it extracted to a temporary
folder (e.g. ``main`` before the streaming change), one after another in the same session
against the same server. Prints a Markdown table: peak RSS of the whole process tree (sampled
every 50 ms, extraction workers included), of the main process alone, pages/s (the run's own
clock), and the whole process's time (start-up, reading the input and writing the CSV included:
the baseline writes its CSV after the run's clock stops, a streaming run while it runs).

With ``--resume``, each N-URL run is stopped at its middle row and the ``--resume last`` of it
is measured instead (each program on its own copy of the journal).

On demand only (not part of the test suite): 100k URLs take about two minutes per program on
a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

from tests.bench.measure import Measured, run_measured
from tests.testbed.process import ServerProcess

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]


def _extract(rev: str, folder: Path) -> Path:
    """The tree of ``rev`` in ``folder`` (``git archive``; the working tree is not touched)."""
    folder.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def _urls(base: str, n: int) -> Iterator[str]:
    """N distinct URLs over the test bed's 2,000 pages of 2 KB, one per line."""
    for i in range(n):
        yield f"{base}/page/{i % 2000}?size=2000&n={i}\n"


def _write_urls(base: str, n: int, path: Path) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        fh.writelines(_urls(base, n))
    return path


def _figures(tree: Path, m: Measured) -> dict[str, float]:
    """The table's figures of one measured run.

    Raises:
        RuntimeError: the run failed (its exit status and the end of its stderr).
    """
    if not m.ok:
        raise RuntimeError(f"{tree}: exit {m.returncode}\n{m.stderr_tail}")
    return {
        "peak_tree_mb": round(m.peak_rss_mb, 1),
        "peak_main_mb": round(m.peak_rss_main_mb, 1),
        "pages_per_s": float(m.report.get("pages_per_s", 0.0)),
        "wall_s": round(m.wall_s, 2),
        "process_s": round(m.process_wall_s, 2),
        "others_cpu_s": round(m.others_cpu_s, 1),
    }


def _hold_journal(path: Path, after_s: float, for_s: float, done: threading.Event) -> None:
    """Take the journal's write lock ``after_s`` seconds from now and keep it ``for_s`` seconds.

    Another process writing (or a slow disk) looks like this to the run: its journal writer cannot
    commit, so results wait in its queue; what that queue may hold is what this measures.
    """
    if done.wait(after_s):
        return
    db = sqlite3.connect(path, timeout=60, isolation_level=None)
    try:
        db.execute("BEGIN IMMEDIATE")
        log.info("holding the journal's write lock for %.0f s", for_s)
        done.wait(for_s)
        db.execute("COMMIT")
        log.info("journal lock released")
    finally:
        db.close()


def measure(
    tree: Path,
    urls: Path | Iterable[str],
    work: Path,
    server_pid: int | None,
    extra: list[str],
    curve_every_s: float = 0.0,
    hold_journal: tuple[float, float] | None = None,
) -> dict[str, float]:
    """One headless run of the program in ``tree`` on a file of URLs, or on lines streamed to its stdin.

    ``hold_journal``: ``(after_s, for_s)``: another connection holds the journal's write lock for
    ``for_s`` seconds, ``after_s`` seconds after the run starts (see :func:`_hold_journal`).
    """
    summary = work / "summary.json"
    streamed = not isinstance(urls, Path)
    cmd = [
        sys.executable,
        str(tree / "main.py"),
        "--headless",
        "--concurrency",
        "100",
        "--data-dir",
        str(work),
        "--csv",
        str(work / "out.csv"),
        "--summary-json",
        str(summary),
        *extra,
        "-" if streamed else str(urls),
    ]
    done = threading.Event()
    holder = None
    if hold_journal is not None:
        holder = threading.Thread(target=_hold_journal, args=(work / "journal.sqlite3", *hold_journal, done),
                                  name="journal-holder", daemon=True)
        holder.start()
    try:
        m = run_measured(
            cmd,
            summary,
            cwd=tree,
            server_pid=server_pid,
            timeout=6 * 3600,
            stdin_lines=urls if streamed else None,
            curve_every_s=curve_every_s,
        )
    finally:
        done.set()
        if holder is not None:
            holder.join(10)
    return _figures(tree, m)


def stop_half_way(tree: Path, server: ServerProcess, n: int, work: Path) -> Path:
    """A run of N URLs stopped at its middle row (a ``/hang``), recorded in ``work``'s journal.

    The run's settings (recorded, so a resume uses them) give ``/hang`` a 2 s timeout. Returns the
    data folder, for ``--resume last``.
    """
    key = uuid.uuid4().hex
    path = work / "urls.txt"
    with path.open("w", encoding="utf-8") as fh:
        for i, line in enumerate(_urls(server.url, n)):
            fh.write(f"{server.url}/hang?key={key}\n" if i == n // 2 else line)

    def hits() -> int:
        with urllib.request.urlopen(f"{server.url}/count?key={key}", timeout=10) as resp:
            return int(json.loads(resp.read()).get("count", 0))

    data = work / "data"
    cmd = [
        sys.executable,
        str(tree / "main.py"),
        "--headless",
        "--concurrency",
        "100",
        "--timeout",
        "2",
        "--data-dir",
        str(data),
        "--csv",
        str(work / "stopped.csv"),
        str(path),
    ]
    proc = subprocess.Popen(cmd, cwd=tree, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 6 * 3600
    while hits() < 1:
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the run to stop ended first: {proc.stderr.read().decode() if proc.stderr else ''}")
        time.sleep(0.2)  # polling the server's counter
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=600)
    if proc.returncode != 130:
        raise RuntimeError(f"stopping the run: exit {proc.returncode}\n{err.decode()[-2000:]}")
    return data


def measure_resume(tree: Path, data: Path, work: Path, server_pid: int | None) -> dict[str, float]:
    """``--resume last`` of the journal in ``data`` by the program in ``tree``, measured as :func:`measure`."""
    summary = work / "summary.json"
    cmd = [
        sys.executable,
        str(tree / "main.py"),
        "--headless",
        "--resume",
        "last",
        "--data-dir",
        str(data),
        "--csv",
        str(work / "resumed.csv"),
        "--summary-json",
        str(summary),
    ]
    m = run_measured(cmd, summary, cwd=tree, server_pid=server_pid, timeout=6 * 3600)
    return _figures(tree, m)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.bench.scale", description=__doc__.split("\n")[0])
    p.add_argument("--n", type=int, nargs="+", default=[10_000, 100_000], help="list sizes (default 10k 100k)")
    p.add_argument("--baseline", metavar="REV", help="also measure this git revision (e.g. main)")
    p.add_argument(
        "--stdin",
        action="store_true",
        help="stream the generated URLs to the program's stdin instead of a file (for 10 M)",
    )
    p.add_argument(
        "--curve", type=float, default=0.0, metavar="S", help="log the tree's RSS and the lines fed every S seconds"
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="measure --resume instead: each N-URL run is stopped at its middle row, then resumed by each "
        "program from its own copy of the same journal",
    )
    p.add_argument(
        "--hold-journal",
        metavar="AFTER,FOR",
        help="another connection holds each run's journal write lock FOR seconds, AFTER seconds into the run "
        "(what a journal writer that falls behind costs)",
    )
    p.add_argument("--extra", nargs=argparse.REMAINDER, default=[], help="more arguments for main.py")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    hold = tuple(float(x) for x in args.hold_journal.split(",")) if args.hold_journal else None
    rows = []
    with tempfile.TemporaryDirectory(prefix="fetchlens-scale-") as tmp, ServerProcess() as server:
        trees = {"this tree": ROOT}
        if args.baseline:
            trees[f"baseline {args.baseline}"] = _extract(args.baseline, Path(tmp, "baseline"))
        for n in args.n if args.resume else ():
            base = Path(tmp, f"stopped-{n}")
            base.mkdir()
            data = stop_half_way(ROOT, server, n, base)
            for name, tree in trees.items():
                work = Path(tmp, f"work-{len(rows)}")
                shutil.copytree(data, work / "data")
                r = measure_resume(tree, work / "data", work, server.pid)
                log.info("%s resume of N=%d: %s", name, n, r)
                rows.append((name, n, r))
        for n in () if args.resume else args.n:
            path = None if args.stdin else _write_urls(server.url, n, Path(tmp, f"urls-{n}.txt"))
            for name, tree in trees.items():
                work = Path(tmp, f"work-{len(rows)}")
                work.mkdir()
                urls = _urls(server.url, n) if path is None else path
                r = measure(tree, urls, work, server.pid, args.extra, args.curve, hold)
                log.info("%s N=%d: %s", name, n, r)
                rows.append((name, n, r))
    print(
        "| program | N | peak RSS tree (MB) | peak RSS main (MB) | pages/s | run wall s | process s | others' CPU s |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, n, r in rows:
        print(
            f"| {name} | {n:,} | {r['peak_tree_mb']} | {r['peak_main_mb']} | {r['pages_per_s']} | "
            f"{r['wall_s']} | {r['process_s']} | {r['others_cpu_s']} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
