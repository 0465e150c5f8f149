"""Targets, and the results as a text table (stdout) and as Markdown (docs/benchmarks.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

START = "<!-- bench-results:start -->"
END = "<!-- bench-results:end -->"


def _t(
    name: str, measured: float | None, limit: float, unit: str, lower_is_better: bool = True, note: str = ""
) -> dict[str, Any]:
    met = None if measured is None else (measured <= limit if lower_is_better else measured >= limit)
    return {
        "target": name,
        "measured": None if measured is None else round(measured, 3),
        "limit": limit,
        "unit": unit,
        "met": met,
        "note": note,
    }


def targets(key: str, med: dict[str, dict[str, Any]], floors: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's targets for workload ``key``, each with its measured figure."""
    fl = med.get("fetchlens", {})
    win = med.get("window", {})
    wall = fl.get("wall_s")
    out: list[dict[str, Any]] = []

    def ratio(a: float | None, b: float | None) -> float | None:
        return a / b if a and b else None

    if key == "W2":
        out.append(
            _t(
                "async within 2x of the latency floor",
                ratio(wall, floors["latency_floor_s"]),
                2.0,
                "x floor",
                note=f"floor {floors['latency_floor_s']:.2f} s",
            )
        )
    if key == "W3":
        out.append(
            _t(
                "async at least 5x faster than (a) sync",
                med.get("a_sync", {}).get("fetchlens_speedup"),
                5.0,
                "x",
                lower_is_better=False,
            )
        )
        out.append(
            _t(
                "async within 1.5x of the extraction floor (cost x pages / cores)",
                ratio(wall, floors["extraction_floor_s"]),
                1.5,
                "x floor",
                note=f"floor {floors['extraction_floor_s']:.2f} s",
            )
        )
    if key == "W4":
        out.append(
            _t(
                "async within 1.5x of the machine floor max((d), extraction)",
                ratio(wall, floors["machine_floor_s"]),
                1.5,
                "x floor",
                note=f"floor {floors['machine_floor_s']:.2f} s",
            )
        )
        out.append(
            _t(
                "async at least 4x faster than (c) naive",
                med.get("c_naive", {}).get("fetchlens_speedup"),
                4.0,
                "x",
                lower_is_better=False,
            )
        )
    if key == "W5":
        out.append(_t("headless peak RSS (process tree) under 300 MB", fl.get("peak_rss_mb"), 300.0, "MB"))
        if win:
            out.append(
                _t(
                    "window peak RSS (process tree) under 600 MB",
                    win.get("peak_rss_mb"),
                    600.0,
                    "MB",
                    note=f"{win.get('completed_runs', 0)}/{win.get('runs', 0)} runs held every row",
                )
            )
    if key in ("W3", "W4") and win:
        out.append(
            _t(
                "window worst event-loop stall under 50 ms",
                win.get("max_ui_stall_ms"),
                50.0,
                "ms",
                note=f"worst of {win.get('runs')} runs {win.get('max_ui_stall_ms_worst')}",
            )
        )
        out.append(
            _t(
                "window p99 event-loop stall under 16 ms",
                win.get("p99_ui_stall_ms"),
                16.0,
                "ms",
                note=f"worst of {win.get('runs')} runs {win.get('p99_ui_stall_ms_worst')}",
            )
        )
    return out


COLUMNS = (
    "program",
    "URLs run",
    "wall s",
    "full s",
    "pages/s",
    "peak RSS MB",
    "CPU s",
    "server core",
    "others cores",
    "time ÷ Fetchlens",
    "UI stall max/p99 ms",
)


def _rows(wl: dict[str, Any]) -> list[list[str]]:
    rows = []
    for m in wl["programs"].values():
        sp = m.get("fetchlens_speedup")
        stall = f"{m['max_ui_stall_ms']:.0f} / {m['p99_ui_stall_ms']:.0f}" if "max_ui_stall_ms" in m else ""
        mark = "~" if m["extrapolated"] else ""
        incomplete = "" if m["completed_runs"] == m["runs"] else f" ({m['completed_runs']}/{m['runs']} ok)"
        rows.append(
            [
                m["label"] + incomplete,
                f"{m['urls_run']:,}",
                f"{m['wall_s']:.2f}",
                f"{mark}{m['wall_s_full']:.2f}",
                f"{m['pages_per_s']:.0f}",
                f"{m['peak_rss_mb']:.0f}",
                f"{m['cpu_s']:.1f}",
                f"{m['server_core_share']:.2f}",
                f"{m['others_cores']:.2f}",
                f"{mark}{sp:.1f}x" if sp else "",
                stall,
            ]
        )
    return rows


def _floor_line(wl: dict[str, Any]) -> str:
    f = wl["floors"]
    raw = f"{f['raw_io_s']:.2f} s" if f.get("raw_io_s") else "-"
    return (
        f"extraction {f['extraction_ms_per_page']:.3f} ms/page (tutorial bs4 html.parser "
        f"{f['bs4_html_parser_ms_per_page']:.2f} ms); floors: extraction {f['extraction_floor_s']:.2f} s, "
        f"latency {f['latency_floor_s']:.2f} s, raw I/O (d) {raw}, machine {f['machine_floor_s']:.2f} s"
        + (f", CPU {f['cpu_floor_s']:.2f} s" if f.get("cpu_floor_s") else "")
    )


def _verdict(t: dict[str, Any]) -> str:
    return {True: "met", False: "MISSED", None: "not measured"}[t["met"]]


def render_text(results: dict[str, Any]) -> str:
    out = []
    for key, wl in results["workloads"].items():
        out.append(f"\n{key} {wl['workload']['title']}: {wl['workload']['describe']}")
        out.append("  " + _floor_line(wl))
        rows = [list(COLUMNS), *_rows(wl)]
        widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS))]
        for r in rows:
            out.append("  " + "  ".join(c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(r)))
        for t in wl["targets"]:
            m = "-" if t["measured"] is None else f"{t['measured']:.2f} {t['unit']}"
            out.append(
                f"  target: {t['target']}: {m} (limit {t['limit']:g}) -> {_verdict(t)}"
                + (f"  [{t['note']}]" if t["note"] else "")
            )
    out.append("\n~ = run on the first 'URLs run' URLs and extrapolated linearly to the whole workload.")
    out.append(f"suite took {results['suite_s']:.0f} s")
    return "\n".join(out)


def render_markdown(results: dict[str, Any]) -> str:
    """The results section of docs/benchmarks.md."""
    mi = results["machine"]
    pk = ", ".join(f"{k} {v}" for k, v in mi["packages"].items())
    out = [
        f"Measured {mi['date']} at commit `{mi['commit']}` with `{results['command']}` "
        f"(suite took {results['suite_s'] / 60:.1f} min).",
        "",
        f"* Machine: {mi['nproc']} cores, {mi['cpu']}, {mi['ram_gb']} GB RAM, {mi['os']}; shared with other "
        f"people's work (load average {mi['load_average_start'][0]} at the start, {mi['load_average_end'][0]} at "
        "the end; the *others cores* column is how many cores other processes kept busy during each run).",
        f"* Python {mi['python']}; {pk}.",
        "",
    ]
    for key, wl in results["workloads"].items():
        out.append(f"### {key} — {wl['workload']['title']}: {wl['workload']['describe']}")
        out.append("")
        out.append(_floor_line(wl) + ".")
        out.append("")
        out.append("| " + " | ".join(COLUMNS) + " |")
        out.append("|" + "|".join("---" if i == 0 else "---:" for i in range(len(COLUMNS))) + "|")
        for r in _rows(wl):
            out.append("| " + " | ".join(r) + " |")
        out.append("")
        for t in wl["targets"]:
            m = "-" if t["measured"] is None else f"{t['measured']:.2f} {t['unit']}"
            out.append(
                f"* Target — {t['target']}: **{m}** (limit {t['limit']:g}) → **{_verdict(t)}**"
                + (f" ({t['note']})" if t["note"] else "")
            )
        out.append("")
    return "\n".join(out)


def write_markdown(path: Path, results: dict[str, Any]) -> None:
    """Put the results between the markers of ``path`` (or make ``path`` just the results)."""
    body = render_markdown(results)
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    if START in old and END in old:
        head, _, rest = old.partition(START)
        _, _, tail = rest.partition(END)
        text = f"{head}{START}\n{body}\n{END}{tail}"
    else:
        text = body + "\n"
    path.write_text(text, encoding="utf-8")
