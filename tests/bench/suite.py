"""The benchmark suite: start the load server, run every program on every workload, compare.

``python -m tests.bench [--only W2,W4] [--repeat N] [--quick] [--json PATH] [--no-gui]``

Each repeat runs every program once, interleaved (Fetchlens, the window, then the
baselines d, c, b, a), so that a burst of other people's work on this shared machine
hurts all of them alike; the median over repeats is reported. Slow baselines run on the
first N URLs of a big workload and their time is extrapolated linearly (marked ``~``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from tests.bench import report
from tests.bench.measure import Measured, extraction_cost_ms, run_measured
from tests.bench.workloads import FULL, ID_POOL, QUICK, Workload
from tests.testbed.process import ROOT, ServerProcess

log = logging.getLogger("tests.bench")

CORES = os.cpu_count() or 1
PROGRAMS = (
    "fetchlens",
    "window",
    "engine_pool",
    "engine_inline",
    "engine_noparse",
    "d_raw",
    "c_naive",
    "b_executor",
    "a_sync",
)
ENGINE = ("engine_pool", "engine_inline", "engine_noparse")
LABELS = {
    "fetchlens": "Fetchlens async (headless)",
    "window": "Fetchlens async (window)",
    "engine_pool": "engine: core.run.engine.Run, pool",
    "engine_inline": "engine: Run, parse inline",
    "engine_noparse": "engine: Run, no parsing",
    "d_raw": "(d) aiohttp, no parsing",
    "c_naive": "(c) naive aiohttp + gather",
    "b_executor": "(b) tutorial run_in_executor",
    "a_sync": "(a) tutorial sync",
}
BASELINE_NAME = {"d_raw": "raw", "c_naive": "naive", "b_executor": "executor", "a_sync": "sync"}


def machine_info() -> dict[str, Any]:
    """What the numbers were measured on."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    import psutil

    versions = {}
    for pkg in ("aiohttp", "requests", "beautifulsoup4", "lxml", "PySide6-Essentials", "qasync", "aiodns", "psutil"):
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = "-"
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return {
        "nproc": CORES,
        "cpu": cpu,
        "ram_gb": round(psutil.virtual_memory().total / 1024**3, 1),
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "packages": versions,
        "commit": commit,
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
    }


class Suite:
    """Runs the workloads against one load server and collects the measurements."""

    def __init__(
        self, workloads: list[Workload], repeat: int | None, gui: bool, folder: Path, breakdown: bool = True
    ) -> None:
        self.workloads = workloads
        self.breakdown = breakdown
        self.repeat = repeat
        self.gui = gui
        self.folder = folder
        self.server: ServerProcess | None = None
        self.env = dict(os.environ)
        self.env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), self.env.get("PYTHONPATH", "")) if p)
        # Fresh, private settings and journal for the app (no remembered concurrency etc.).
        for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
            path = folder / var.lower()
            path.mkdir(exist_ok=True)
            self.env[var] = str(path)
        self.env["QT_QPA_PLATFORM"] = "offscreen"
        self.env.pop("PYTHONASYNCIODEBUG", None)

    # -- one program ---------------------------------------------------------------------
    def _command(self, program: str, w: Workload, urlfile: Path, out: Path) -> list[str]:
        py = sys.executable
        conc = str(w.concurrency)
        if program == "fetchlens":
            return [
                py,
                "main.py",
                "--headless",
                "--mode",
                "async",
                "--concurrency",
                conc,
                "-q",
                "--summary-json",
                str(out),
                str(urlfile),
            ]
        if program == "window":
            return [
                py,
                "main.py",
                str(urlfile),
                "--mode",
                "async",
                "--concurrency",
                conc,
                "--start",
                "--quit-when-done",
                "--summary-json",
                str(out),
            ]
        if program in ENGINE:
            return [
                py,
                "-m",
                "tests.bench.engine",
                program.removeprefix("engine_"),
                str(urlfile),
                "--concurrency",
                conc,
                "--json",
                str(out),
            ]
        return [
            py,
            "-m",
            "tests.bench.baselines",
            BASELINE_NAME[program],
            str(urlfile),
            "--limit",
            str(self._urls_for(program, w)),
            "--concurrency",
            conc,
            "--json",
            str(out),
        ]

    @staticmethod
    def _urls_for(program: str, w: Workload) -> int:
        return w.sample(BASELINE_NAME[program]) if program in BASELINE_NAME else w.urls

    def run_program(self, program: str, w: Workload, urlfile: Path) -> dict[str, Any]:
        assert self.server is not None
        out = self.folder / f"{w.key}-{program}.json"
        n = self._urls_for(program, w)
        # Generous: 20x the slowest plausible rate, at least 2 minutes.
        timeout = max(
            120.0,
            n
            * (w.latency_ms / 1000.0 + 0.02)
            * 20
            / max(1, w.concurrency if program in ("fetchlens", "window", "d_raw", *ENGINE) else 1),
        )
        m = run_measured(
            self._command(program, w, urlfile, out),
            out,
            env=self.env,
            cwd=ROOT,
            timeout=min(timeout, 1800.0),
            server_pid=self.server.pid,
        )
        return self._record(program, w, n, m)

    @staticmethod
    def _record(program: str, w: Workload, n: int, m: Measured) -> dict[str, Any]:
        r = m.report
        ok = int(r.get("ok", 0))
        rec: dict[str, Any] = {
            "program": program,
            "urls": n,
            "extrapolated": n < w.urls,
            "ok": ok,
            "completed": m.ok and ok == n,
            "returncode": m.returncode,
            "wall_s": round(m.wall_s, 4),
            "process_wall_s": round(m.process_wall_s, 3),
            "pages_per_s": round(n / m.wall_s, 2) if m.wall_s > 0 else 0.0,
            "peak_rss_mb": round(m.peak_rss_mb, 1),
            "peak_rss_main_mb": round(m.peak_rss_main_mb, 1),
            "processes": m.processes,
            "cpu_s": round(m.cpu_s, 2),
            "server_cpu_s": round(m.server_cpu_s, 2),
            "server_core_share": round(m.server_cpu_s / m.wall_s, 3) if m.wall_s > 0 else 0.0,
            "others_cpu_s": round(m.others_cpu_s, 2),
            "others_cores": round(m.others_cpu_s / m.process_wall_s, 2) if m.process_wall_s > 0 else 0.0,
        }
        if "max_ui_stall_ms" in r:
            rec["max_ui_stall_ms"] = r.get("max_ui_stall_ms")
            rec["p99_ui_stall_ms"] = r.get("p99_ui_stall_ms")
        if program in ("fetchlens", "window", *ENGINE):
            rec["p50_ms"] = r.get("p50_ms")
            rec["p95_ms"] = r.get("p95_ms")
        if not rec["completed"]:
            rec["stderr_tail"] = m.stderr_tail[-1500:]
        log.info(
            "%s %-10s %6d URLs  %8.2f s  %8.1f p/s  %7.1f MB  cpu %.1f s  server %.0f%%  others %.2f cores%s",
            w.key,
            program,
            n,
            rec["wall_s"],
            rec["pages_per_s"],
            rec["peak_rss_mb"],
            rec["cpu_s"],
            100 * rec["server_core_share"],
            rec["others_cores"],
            "" if rec["completed"] else f"  INCOMPLETE ok={ok} rc={m.returncode}",
        )
        return rec

    # -- one workload --------------------------------------------------------------------
    def _warm_server(self, urls: list[str]) -> None:
        """Fetch each distinct page once so the server's page cache is hot for everyone."""
        import aiohttp

        distinct = urls[: min(len(urls), ID_POOL)]
        distinct = [u.replace("latency=", "x=").replace("jitter=", "y=") for u in distinct]

        async def go() -> None:
            it = iter(distinct)
            async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=50)) as s:

                async def worker() -> None:
                    for u in it:
                        async with s.get(u) as r:
                            await r.read()

                await asyncio.gather(*(worker() for _ in range(50)))

        asyncio.run(go())

    def run_workload(self, w: Workload) -> dict[str, Any]:
        assert self.server is not None
        urlfile = w.write(self.server.url, self.folder)
        self._warm_server(w.url_list(self.server.url))
        costs = extraction_cost_ms(w.size)
        log.info(
            "%s: %s; extraction %.3f ms/page (tutorial bs4 %.2f ms)",
            w.key,
            w.describe(),
            costs["fetchlens_ms"],
            costs["bs4_html_parser_ms"],
        )
        programs = [
            p
            for p in PROGRAMS
            if (p != "window" or (self.gui and w.gui)) and (p not in ENGINE or (self.breakdown and w.breakdown))
        ]
        repeat = self.repeat or w.repeat
        runs: dict[str, list[dict[str, Any]]] = {p: [] for p in programs}
        for rep in range(repeat):
            log.info("%s: repeat %d of %d", w.key, rep + 1, repeat)
            for p in programs:
                runs[p].append(self.run_program(p, w, urlfile))
        urlfile.unlink(missing_ok=True)
        return summarise_workload(w, costs, runs)

    def run(self) -> dict[str, Any]:
        info = machine_info()
        started = time.perf_counter()
        load0 = os.getloadavg()
        results: dict[str, Any] = {}
        with ServerProcess(raw=False) as server:
            self.server = server
            log.info("load server pid %s at %s", server.pid, server.url)
            for w in self.workloads:
                results[w.key] = self.run_workload(w)
        info["load_average_start"] = [round(x, 2) for x in load0]
        info["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
        return {"machine": info, "suite_s": round(time.perf_counter() - started, 1), "workloads": results}


def _median(values: list[float]) -> float:
    values = [v for v in values if v is not None]
    return float(statistics.median(values)) if values else 0.0


def summarise_workload(w: Workload, costs: dict[str, float], runs: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Medians per program, floors, ratios and the targets of this workload."""
    med: dict[str, dict[str, Any]] = {}
    for p, rs in runs.items():
        good = [r for r in rs if r["completed"]] or rs
        scale = w.urls / rs[0]["urls"] if rs and rs[0]["urls"] else 1.0
        wall = _median([r["wall_s"] for r in good])
        m = {
            "label": LABELS[p],
            "urls_run": rs[0]["urls"] if rs else 0,
            "extrapolated": bool(rs and rs[0]["extrapolated"]),
            "runs": len(rs),
            "completed_runs": sum(1 for r in rs if r["completed"]),
            "wall_s": round(wall, 3),
            "wall_s_full": round(wall * scale, 2),
            "pages_per_s": round(_median([r["pages_per_s"] for r in good]), 1),
            "peak_rss_mb": round(_median([r["peak_rss_mb"] for r in good]), 1),
            "peak_rss_mb_max": round(max((r["peak_rss_mb"] for r in good), default=0.0), 1),
            "cpu_s": round(_median([r["cpu_s"] for r in good]), 2),
            "server_core_share": round(_median([r["server_core_share"] for r in good]), 3),
            "others_cores": round(_median([r["others_cores"] for r in good]), 2),
        }
        if any("max_ui_stall_ms" in r for r in good):
            m["max_ui_stall_ms"] = round(_median([r.get("max_ui_stall_ms") for r in good]), 1)
            m["max_ui_stall_ms_worst"] = max((r.get("max_ui_stall_ms") or 0.0) for r in good)
            m["p99_ui_stall_ms"] = round(_median([r.get("p99_ui_stall_ms") for r in good]), 1)
            m["p99_ui_stall_ms_worst"] = max((r.get("p99_ui_stall_ms") or 0.0) for r in good)
        med[p] = m
    fl = med.get("fetchlens", {}).get("wall_s_full", 0.0)
    for p, m in med.items():
        m["fetchlens_speedup"] = round(m["wall_s_full"] / fl, 2) if fl and p != "fetchlens" else None
    floors = {
        "extraction_ms_per_page": round(costs["fetchlens_ms"], 4),
        "bs4_html_parser_ms_per_page": round(costs["bs4_html_parser_ms"], 3),
        "extraction_floor_s": round(costs["fetchlens_ms"] * w.urls / 1000.0 / CORES, 3),
        "latency_floor_s": round(w.latency_floor_s, 3),
        "raw_io_s": med.get("d_raw", {}).get("wall_s_full"),
    }
    floors["machine_floor_s"] = round(max(floors["extraction_floor_s"], floors["raw_io_s"] or 0.0), 3)
    # Fetching and parsing share the same two cores: the CPU the raw fetch needed (client and
    # server, one run of (d)) plus the extraction's, spread over every core.
    d_runs = [r for r in runs.get("d_raw", []) if r["completed"]]
    if d_runs:
        fetch_cpu = _median([r["cpu_s"] + r["server_cpu_s"] for r in d_runs])
        floors["cpu_floor_s"] = round((fetch_cpu + costs["fetchlens_ms"] * w.urls / 1000.0) / CORES, 3)
    return {
        "workload": {
            "key": w.key,
            "title": w.title,
            "describe": w.describe(),
            "urls": w.urls,
            "size": w.size,
            "latency_ms": w.latency_ms,
            "jitter_ms": w.jitter_ms,
            "concurrency": w.concurrency,
        },
        "floors": floors,
        "programs": med,
        "targets": report.targets(w.key, med, floors),
        "runs": runs,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__.split("\n")[0])
    p.add_argument("--only", help="comma-separated workloads, e.g. W2,W4 (default: all)")
    p.add_argument("--repeat", type=int, default=None, help="repeats per workload (default 3; 1 for W4 and W5)")
    p.add_argument("--quick", action="store_true", help="smaller workloads: a smoke run of a few minutes")
    p.add_argument("--json", default=str(ROOT / "docs" / "bench-results.json"), help="where to write the results")
    p.add_argument(
        "--markdown",
        default=None,
        metavar="PATH",
        help="also write the tables as Markdown: between the results markers if PATH has them "
        "(docs/benchmarks.md), else the whole file",
    )
    p.add_argument("--no-gui", action="store_true", help="skip the window runs")
    p.add_argument("--no-breakdown", action="store_true", help="skip the in-process engine variants (W3, W4)")
    p.add_argument("-v", "--verbose", action="store_true")
    args = p.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s %(message)s",
        datefmt="%H:%M:%S",
    )
    table = QUICK if args.quick else FULL
    keys = [k.strip().upper() for k in args.only.split(",")] if args.only else list(table)
    unknown = [k for k in keys if k not in table]
    if unknown:
        p.error(f"unknown workload(s): {', '.join(unknown)} (choose from {', '.join(table)})")
    if args.no_gui is False:
        try:
            import PySide6  # noqa: F401
        except ImportError:
            log.warning("PySide6 is not installed: skipping the window runs")
            args.no_gui = True
    with tempfile.TemporaryDirectory(prefix="fetchlens-bench-") as tmp:
        suite = Suite([table[k] for k in keys], args.repeat, not args.no_gui, Path(tmp), not args.no_breakdown)
        results = suite.run()
    results["command"] = " ".join(["python -m tests.bench", *(argv if argv is not None else sys.argv[1:])])
    results["quick"] = args.quick
    text = report.render_text(results)
    print(text)
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp_out = out.with_suffix(out.suffix + ".tmp")
    tmp_out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp_out, out)
    log.info("results written to %s", out)
    if args.markdown:
        report.write_markdown(Path(args.markdown), results)
        log.info("markdown written to %s", args.markdown)
    return 0
