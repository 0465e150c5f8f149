"""The window's stall per mode (issue 13): ``python -m tests.bench.window_stall [options]``.

Starts the test bed, writes the URL files and runs the real window once per case (offscreen, a fresh
settings store and journal each time) under :mod:`tests.bench.post_probe`, so every case reports both
the window's own heartbeat and the independent posted-event probe. Cases:

* ``sync``, ``threads``, ``async``: ``--pages`` pages of ``--size`` bytes (default 2,000 × 100 KB, no
  added latency) at ``--concurrency`` (default 50);
* ``idle``: one URL that answers after 5 s: the window waits, doing nothing; its stalls are the floor
  that the machine's load alone causes (the scheduler's delay in giving the window's thread a core);
* ``rows``: async mode over ``--rows`` URLs (default 100,000) of 2 KB pages with ``--latency`` ms
  (default 5) at concurrency 100 (the W5 workload); ``--no-parse`` runs it without parsing (the live
  million-row run of issue 15: ``--cases rows --rows 1000000 --latency 0 --no-parse``).

The peak resident memory of each process is reported by role: the window, the engine process
(core/run/host.py) and its parser processes.

``--cases idle,sync,threads,async,rows`` picks and orders them; ``--repeat N`` runs the list N times;
``--json PATH`` writes every run's figures. The load average and the other processes' CPU share
are printed with each run: the machine may be shared.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil

from tests.testbed.process import ROOT, ServerProcess

ID_POOL = 4_096  # the test bed caches this many rendered pages (see tests.bench.workloads)


def _urls(base: str, n: int, size: int, latency_ms: int) -> Iterator[str]:
    q = f"size={size}&latency={latency_ms}"
    return (f"{base}/page/{i % ID_POOL}?{q}&n={i}" for i in range(n))


def run_case(case: str, url_file: Path, concurrency: int, mode: str, extra: tuple[str, ...] = ()) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="fetchlens-stall-") as tmp:
        env = dict(
            os.environ,
            QT_QPA_PLATFORM="offscreen",
            XDG_CONFIG_HOME=f"{tmp}/config",
            XDG_DATA_HOME=f"{tmp}/data",
            XDG_CACHE_HOME=f"{tmp}/cache",
        )
        out = Path(tmp) / "figures.json"
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
        cpu_before = psutil.cpu_times()
        t0 = time.perf_counter()
        cmd = [
            sys.executable,
            "-m",
            "tests.bench.post_probe",
            "--json",
            str(out),
            str(url_file),
            "--mode",
            mode,
            "--concurrency",
            str(concurrency),
            "--data-dir",
            f"{tmp}/journal",
            *extra,
        ]
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=4 * 3600)
        wall = time.perf_counter() - t0
        cpu_after = psutil.cpu_times()
        busy = sum(getattr(cpu_after, f) - getattr(cpu_before, f) for f in ("user", "system", "nice"))
        data: dict[str, Any] = {
            "case": case,
            "mode": mode,
            "load1": round(load, 2),
            "machine_cores_busy": round(busy / wall, 2),
        }
        try:
            data.update(json.loads(out.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            data["error"] = (proc.stderr or proc.stdout)[-2000:]
        return data


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.bench.window_stall", description=__doc__.split("\n")[0])
    p.add_argument("--cases", default="sync,threads,async,rows")
    p.add_argument("--pages", type=int, default=2_000)
    p.add_argument("--size", type=int, default=100_000)
    p.add_argument("--concurrency", type=int, default=50)
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--latency", type=int, default=5, help="ms each page of the rows case waits (default 5)")
    p.add_argument("--no-parse", action="store_true", help="run the rows case without parsing pages")
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--json", metavar="PATH")
    args = p.parse_args(argv)
    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="fetchlens-stall-urls-") as folder, ServerProcess(raw=False) as server:
        pages = Path(folder) / "pages.txt"
        pages.write_text("\n".join(_urls(server.url, args.pages, args.size, 0)) + "\n", encoding="utf-8")
        idle = Path(folder) / "idle.txt"
        idle.write_text(f"{server.url}/page/0?latency=5000\n", encoding="utf-8")
        rows = Path(folder) / "rows.txt"
        if "rows" in cases:
            with rows.open("w", encoding="utf-8") as fh:  # a line at a time: a million URLs is ~90 MB of str
                fh.writelines(f"{url}\n" for url in _urls(server.url, args.rows, 2_000, args.latency))
        for _ in range(args.repeat):
            for case in cases:
                if case == "rows":
                    r = run_case(case, rows, 100, "async", ("--no-parse",) if args.no_parse else ())
                elif case == "idle":
                    r = run_case(case, idle, 1, "async")
                else:
                    r = run_case(case, pages, args.concurrency, case)
                runs.append(r)
                print(
                    f"{case:8s} heartbeat worst {r.get('max_ui_stall_ms')} / p99 {r.get('p99_ui_stall_ms')} ms, "
                    f"posted events worst {r.get('post_worst_ms')} / p99 {r.get('post_p99_ms')} ms, "
                    f"run wall {r.get('wall_s')} s, {r.get('ok')} ok of {r.get('urls')}, "
                    f"window process CPU {r.get('process_cpu_s')} s of {r.get('process_s')} s; "
                    f"load {r['load1']}, machine {r['machine_cores_busy']} cores busy; "
                    f"peak RSS MB {r.get('peak_rss_mb')}"
                    + (f"\n  ERROR {r['error']}" if "error" in r else ""),
                    flush=True,
                )
    if args.json:
        Path(args.json).write_text(json.dumps(runs, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
