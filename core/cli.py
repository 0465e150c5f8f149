"""The command line: one parser for the window and the headless mode, and the headless run.

Exit codes (headless): 0 the run completed (failed URLs are results, not errors);
2 usage or input error (message on stderr, nothing written); 130 interrupted (the
partial CSV is still written).
"""

from __future__ import annotations

import argparse
import asyncio
import enum
import json
import logging
import os
import re
import signal
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NoReturn

from core import __version__
from core.export import ExportError, write_csv, write_jsonl, write_xlsx
from core.files import SaveError, atomic_target, check_writable
from core.model import FetchResult, Mode, Progress, RunStarted, RunSummary
from core.parse.pool import Extractor
from core.run.compare import Comparer, Comparison
from core.run.engine import Run
from core.run.observer import MultiObserver, NullObserver, RunObserver
from core.settings import DEFAULT_USER_AGENT, Settings
from core.sitemaps import read_inputs
from core.store import ComparisonRecorder, Journal, JournalError, JournalWriter, default_path
from core.urls import Batch, InputError, Listed, parse_lines

log = logging.getLogger(__name__)


class ExitStatus(enum.IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2
    INTERRUPTED = 130


class UsageError(Exception):
    """Bad arguments or input: exit 2 with this one-line message."""


_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*$", re.I)


def parse_size(text: str) -> int:
    """``10MB``, ``512k``, ``1048576`` → bytes."""
    m = _SIZE_RE.match(text)
    if not m:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (try 10MB)")
    unit = (m.group(2) or "b").lower()[:1]
    factor = {"b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit]
    return int(float(m.group(1)) * factor)


class _Parser(argparse.ArgumentParser):
    """argparse with a usage error as one line and a pointer to ``--help`` (not the whole usage block)."""

    def error(self, message: str) -> NoReturn:
        self.exit(ExitStatus.USAGE, f"fetchlens: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The one argument parser of ``main.py`` (window and headless)."""
    p = _Parser(
        prog="main.py",
        allow_abbrev=False,  # --sum must not silently mean --summary-json
        description="Fetchlens: fetch a batch of URLs in sync, threads or async mode and see every request. "
        "Without --headless it opens the window.",
        epilog="URL files: one URL per line; blank lines and # comments are ignored; a .csv file uses its "
        "'url' column; '-' reads standard input (headless). Exit codes (headless): 0 completed, "
        "2 usage or input error, 130 interrupted (partial CSV written).",
    )
    p.add_argument("--version", action="version", version=f"Fetchlens {__version__}")
    p.add_argument("files", nargs="*", metavar="URL_FILE", help="files of URLs to load ('-' = stdin)")
    p.add_argument("--headless", action="store_true", help="run without a window and exit")
    p.add_argument("--mode", choices=[m.value for m in Mode] + ["compare"], default=None,
                   help="sync: one request after another; threads: a thread pool (run_in_executor); "
                   "async: aiohttp coroutines (default); compare: all three, one after another")
    p.add_argument("--concurrency", type=int, default=None, metavar="N",
                   help="requests in flight at once (default 50; sync always uses 1)")
    p.add_argument("--per-host", type=int, default=None, metavar="N", help="limit per host (default: none)")
    p.add_argument("--timeout", type=float, default=None, metavar="S",
                   help="total seconds per attempt, a deadline over the whole response (default 30)")
    p.add_argument("--connect-timeout", type=float, default=None, metavar="S", help="connect timeout (default 10)")
    p.add_argument("--retries", type=int, default=None, metavar="N",
                   help="retries for connection failures, 429 and 503, honouring Retry-After (default 1)")
    p.add_argument("--max-redirects", type=int, default=None, metavar="N", help="redirects to follow (default 10)")
    p.add_argument("--max-size", type=parse_size, default=None, metavar="SIZE",
                   help="largest body after decompression, e.g. 10MB (default)")
    p.add_argument("--user-agent", default=None, metavar="UA", help=f"User-Agent (default {DEFAULT_USER_AGENT!r})")
    p.add_argument("--insecure", action="store_true", help="do not verify TLS certificates")
    p.add_argument("--fetch-duplicates", action="store_true", help="fetch repeated URLs again (default: once)")
    p.add_argument("--no-parse", action="store_true", help="do not parse pages (fetch only)")
    p.add_argument("--csv", metavar="PATH", help="write results as CSV (in compare mode: PATH-<mode>.csv)")
    p.add_argument("--summary-json", metavar="PATH", help="write the run's summary as JSON")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar (headless)")
    p.add_argument("-v", "--verbose", action="count", default=0, help="more log output on stderr")
    add_audit_arguments(p)
    journal = p.add_argument_group("journal (every run is recorded in a SQLite database)")
    journal.add_argument("--data-dir", metavar="DIR", help="where the journal lives (default: the user data folder)")
    journal.add_argument("--no-journal", action="store_true", help="do not record this run")
    journal.add_argument("--resume", metavar="RUN_ID", help="finish an interrupted run ('last' for the latest)")
    journal.add_argument("--retry-failed", metavar="RUN_ID", help="fetch again only the failed rows of a run")
    journal.add_argument("--list-runs", action="store_true", help="list recorded runs and exit")
    gui = p.add_argument_group("window")
    gui.add_argument("--start", action="store_true", help="start the run as soon as the window opens")
    gui.add_argument("--quit-when-done", action="store_true", help="close the window when the run ends")
    gui.add_argument("--lang", metavar="CODE", help="user interface language, e.g. ko or en (default: system)")
    gui.add_argument("--demo", action="store_true", help="start the built-in offline demo site and load its URLs")
    desk = p.add_argument_group("desktop")
    desk.add_argument("--install-launcher", action="store_true", help="add Fetchlens to the desktop's app menu")
    desk.add_argument("--uninstall-launcher", action="store_true", help="remove the launcher again")
    return p


def add_audit_arguments(p: argparse.ArgumentParser) -> None:
    """List-mode audit: sitemaps in, JSON Lines and Excel out (the CSV is --csv)."""
    audit = p.add_argument_group("list-mode audit")
    audit.add_argument("--sitemap", action="append", default=[], metavar="URL_OR_FILE",
                       help="add the URLs of a sitemap, sitemap index (.xml or .xml.gz) or robots.txt "
                       "(its Sitemap: lines), in document order; repeatable")
    audit.add_argument("--jsonl", metavar="PATH", help="write results as JSON Lines (typed, every response header)")
    audit.add_argument("--xlsx", metavar="PATH", help="write results as an Excel workbook (results and summary)")


def write_outputs(args: argparse.Namespace, results: dict[Mode, list], summary: dict[str, object],
                  lines: Sequence[int] = ()) -> None:
    """Write --csv, --jsonl and --xlsx (in compare mode one file per mode: PATH-<mode>.ext);
    ``lines`` is each input index's line in the input (the ``line`` column).

    Raises:
        ExportError: a file could not be written.
    """
    for path, write in ((args.csv, write_csv), (args.jsonl, write_jsonl),
                        (args.xlsx, lambda p, rows, **kw: write_xlsx(p, rows, summary, **kw))):
        for mode, rows in results.items() if path else ():
            write(mode_csv_path(path, mode) if args.mode == "compare" else path, rows, lines=lines)


def settings_from_args(args: argparse.Namespace, base: Settings | None = None) -> Settings:
    """Apply the command line's settings over ``base`` (defaults or remembered settings)."""
    s = base or Settings()
    changes: dict[str, object] = {}
    if args.mode and args.mode != "compare":
        changes["mode"] = Mode(args.mode)
    for name, attr in (("concurrency", "concurrency"), ("per_host", "per_host"), ("timeout", "total_timeout"),
                       ("connect_timeout", "connect_timeout"), ("retries", "retries"),
                       ("max_redirects", "max_redirects"), ("max_size", "max_bytes"), ("user_agent", "user_agent")):
        value = getattr(args, name)
        if value is not None:
            changes[attr] = value
    if args.insecure:
        changes["verify_tls"] = False
    if args.fetch_duplicates:
        changes["fetch_duplicates"] = True
    if args.no_parse:
        changes["parse"] = False
    s = s.replace(**changes)
    problems = s.validate()
    if problems:
        raise UsageError("; ".join(problems))
    return s


class ProgressBar(NullObserver):
    """A tqdm progress bar on stderr (only when stderr is a terminal)."""

    def __init__(self, enabled: bool) -> None:
        self._enabled = enabled
        self._bar = None

    def on_start(self, info: RunStarted) -> None:
        if self._enabled:
            from tqdm import tqdm

            self._bar = tqdm(total=info.total, desc=str(info.mode), unit="url", file=sys.stderr, leave=False)

    def on_result(self, result: FetchResult) -> None:
        if self._bar is not None:
            self._bar.update(1)

    def on_progress(self, progress: Progress) -> None:
        pass

    def on_finish(self, summary: RunSummary) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _fig(value: float | None, spec: str, unit: str = "") -> str:
    """A figure, or "–" when there is no data (nothing was fetched)."""
    return "–" if value is None else f"{value:{spec}}{unit}"


def format_summary(s: RunSummary) -> str:
    """The short summary printed on stdout ("–" for figures without data)."""
    kinds = ", ".join(f"{k} {v}" for k, v in s.by_error_kind.items()) or "none"
    return (
        f"{s.mode}: {s.urls} URLs, {s.ok} ok, {s.failed} failed, {s.cancelled} cancelled"
        f"{' (interrupted)' if s.interrupted else ''}\n"
        f"  wall {s.wall_s:.2f} s, sum of per-URL times {s.sum_elapsed_s:.2f} s, "
        f"effective concurrency {_fig(s.effective_concurrency, '.1f')}\n"
        f"  p50 {_fig(s.p50_ms, '.0f', ' ms')}, p95 {_fig(s.p95_ms, '.0f', ' ms')}, "
        f"max {_fig(s.max_ms, '.0f', ' ms')}, {_fig(s.pages_per_s, '.1f')} pages/s, {s.bytes:,} bytes\n"
        f"  errors: {kinds}"
    )


def format_comparison(c: Comparison, n_urls: int) -> str:
    """A table of the modes side by side."""
    lines = [f"{'mode':<8} {'wall s':>8} {'sum s':>9} {'conc.':>6} {'p50 ms':>8} {'p95 ms':>8} {'ok':>6} "
             f"{'failed':>6} {'speed-up':>9}"]
    for mode, s in c.summaries.items():
        sp = c.speedup(mode)
        lines.append(f"{mode!s:<8} {s.wall_s:>8.2f} {s.sum_elapsed_s:>9.2f} {_fig(s.effective_concurrency, '.1f'):>6} "
                     f"{_fig(s.p50_ms, '.0f'):>8} {_fig(s.p95_ms, '.0f'):>8} {s.ok:>6} {s.failed:>6} "
                     f"{(f'{sp:.1f}x' if sp else '-'):>9}")
    lines.append(c.headline(n_urls))
    return "\n".join(lines)


def write_json(path: str, data: dict[str, object]) -> None:
    """Write ``data`` as indented UTF-8 JSON through :func:`core.files.atomic_target`.

    Raises:
        SaveError: the file could not be written (where and why).
    """
    with atomic_target(path) as tmp, open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2, ensure_ascii=False)
        fh.write("\n")


def mode_csv_path(path: str, mode: Mode | str) -> str:
    """Compare mode's file of one mode: ``out.csv`` → ``out-async.csv`` (also for .jsonl/.xlsx)."""
    root, ext = os.path.splitext(path)
    return f"{root}-{mode}{ext or '.csv'}"


def check_outputs(args: argparse.Namespace) -> None:
    """Fail before fetching anything if an output file (``--csv``, ``--jsonl``, ``--xlsx``,
    ``--summary-json``) cannot be written.

    Raises:
        UsageError: one line saying which path and why (a missing folder, a folder in the way, ...).
    """
    paths = [args.summary_json] if args.summary_json else []
    compare = args.mode == "compare"
    for out in (args.csv, args.jsonl, args.xlsx):
        if out:
            paths += [mode_csv_path(out, m) for m in Mode] if compare else [out]
    for path in paths:
        try:
            check_writable(path)
        except SaveError as exc:
            raise UsageError(str(exc)) from exc


def _install_interrupt(loop: asyncio.AbstractEventLoop, cancel: object) -> None:
    """Ctrl-C / SIGTERM stop the run gracefully (results so far are kept and written)."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, cancel)  # type: ignore[arg-type]
        except (NotImplementedError, RuntimeError, ValueError):  # Windows, or not the main thread
            signal.signal(sig, lambda *_: loop.call_soon_threadsafe(cancel))  # type: ignore[arg-type]


async def _headless(args: argparse.Namespace, plan: Plan, observers: Sequence[RunObserver],
                    recorder: ComparisonRecorder | None = None) -> tuple[dict[str, object], dict[Mode, list], bool]:
    batch, settings = plan.batch, plan.settings
    extractor = Extractor()
    loop = asyncio.get_running_loop()
    # Start the parser processes before the clock starts, so the first pages' times
    # do not include the pool's start-up (~0.5 s to spawn and import bs4).
    await extractor.warm_up()
    try:
        if args.mode == "compare":
            def observer_for(mode: Mode) -> RunObserver:
                recorded = [recorder.writer_for(settings.replace(mode=mode), len(batch))] if recorder else []
                return MultiObserver([*observers, *recorded, ProgressBar(_bar_on(args))])

            comparer = Comparer(batch, settings, extractor, observer_for=observer_for)
            _install_interrupt(loop, comparer.cancel)
            comparison = await comparer.execute()
            print(format_comparison(comparison, len(batch)))
            return comparison.to_dict(), dict(comparison.results), comparison.interrupted
        run = Run(batch, settings, MultiObserver([*observers, ProgressBar(_bar_on(args))]), extractor=extractor,
                  prior=plan.prior)
        _install_interrupt(loop, run.cancel)
        summary = await run.execute()
        print(format_summary(summary))
        return summary.to_dict(), {settings.mode: run.results}, summary.interrupted
    finally:
        extractor.shutdown()


def _bar_on(args: argparse.Namespace) -> bool:
    return not args.quiet and sys.stderr.isatty()


@dataclass(slots=True)
class Plan:
    """What a headless invocation will run."""

    lines: list[str]
    batch: Batch
    settings: Settings
    prior: dict[int, FetchResult] = field(default_factory=dict)
    run_id: int | None = None


def _open_journal(args: argparse.Namespace, required: bool) -> Journal | None:
    if args.no_journal and not required:
        return None
    try:
        return Journal(default_path(args.data_dir))
    except JournalError as exc:
        if required:
            raise UsageError(str(exc)) from exc
        log.warning("%s; this run is not recorded", exc)
        return None


def _plan(args: argparse.Namespace, journal: Journal | None) -> Plan:
    """Work out the batch, settings and already-known results of this invocation."""
    ref = args.resume or args.retry_failed
    if ref:
        assert journal is not None
        try:
            # Settings given on the command line apply over the run's recorded ones.
            go = journal.continue_run(journal.resolve(ref), "resume" if args.resume else "retry",
                                      adjust=lambda stored: settings_from_args(args, stored))
        except JournalError as exc:
            raise UsageError(str(exc)) from exc
        return Plan(go.lines, go.batch, go.settings, go.prior, go.run_id)
    if not args.files and not args.sitemap:
        raise UsageError("no URL file given (use '-' to read URLs from standard input, or --sitemap)")
    settings = settings_from_args(args)
    try:
        items = read_inputs(args.files, args.sitemap, settings)
    except InputError as exc:
        raise UsageError(str(exc)) from exc
    batch = parse_lines(items)
    lines = [item.line if isinstance(item, Listed) else item for item in items]
    if len(batch) == 0:
        raise UsageError("no URLs found in the input")
    if not batch.valid:
        raise UsageError(f"nothing to fetch: none of the {len(batch):,} lines is a valid URL")
    run_id = journal.create_run(lines, settings, len(batch)) if journal and args.mode != "compare" else None
    return Plan(lines, batch, settings, {}, run_id)


def list_runs(journal: Journal) -> str:
    """The history as a table."""
    out = [f"{'id':>5}  {'started':<19}  {'mode':<7}  {'kind':<7}  {'status':<11}  {'urls':>7}  {'ok':>7}  "
           f"{'failed':>7}  {'wall s':>8}"]
    for r in journal.runs():
        started = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(r.created_at))
        wall = f"{r.wall_s:.2f}" if r.wall_s is not None else "-"
        out.append(f"{r.id:>5}  {started:<19}  {r.mode:<7}  {r.kind:<7}  {r.status:<11}  {r.total:>7}  {r.ok:>7}  "
                   f"{r.failed:>7}  {wall:>8}")
    return "\n".join(out)


def run_headless(args: argparse.Namespace) -> int:
    """Run a batch without a window; returns the exit status."""
    check_outputs(args)
    if (args.resume or args.retry_failed) and args.mode == "compare":
        raise UsageError("--resume and --retry-failed cannot be combined with --mode compare")
    journal = _open_journal(args, required=bool(args.resume or args.retry_failed or args.list_runs))
    if args.list_runs:
        assert journal is not None
        print(list_runs(journal))
        return ExitStatus.OK
    plan = _plan(args, journal)
    counts = plan.batch.counts()
    if counts["invalid"] and not args.quiet:
        log.warning("%d of %d lines are not valid URLs (they appear as invalid_url rows)",
                    counts["invalid"], counts["total"])
    observers: list[RunObserver] = []
    writer = None
    if journal is not None and plan.run_id is not None:
        # A resume writes into the same run: its kept results are there already.
        writer = JournalWriter(journal, plan.run_id, skip=plan.prior if args.resume else ())
        observers.append(writer)
        log.info("recording as run %d in %s", plan.run_id, journal.path)
    # A comparison is recorded as three runs, one per mode, each created when its mode starts.
    recorder = ComparisonRecorder(journal, plan.lines) if journal is not None and args.mode == "compare" else None
    try:
        summary, results, interrupted = asyncio.run(_headless(args, plan, observers, recorder))
    finally:
        if writer is not None:
            writer.close()
        if recorder is not None:
            recorder.close()
    if plan.run_id is not None:
        summary["run_id"] = plan.run_id
    elif recorder is not None and recorder.first is not None:
        summary["run_id"] = recorder.first  # the comparison's first run; the others name it as parent
    try:
        write_outputs(args, results, summary, [e.line for e in plan.batch.entries])
    except ExportError as exc:
        print(f"fetchlens: {exc}", file=sys.stderr)
        return ExitStatus.ERROR
    if args.summary_json:
        try:
            write_json(args.summary_json, summary)
        except SaveError as exc:
            print(f"fetchlens: {exc}", file=sys.stderr)
            return ExitStatus.ERROR
    return ExitStatus.INTERRUPTED if interrupted else ExitStatus.OK


def configure_logging(verbosity: int) -> None:
    level = logging.WARNING if verbosity == 0 else (logging.INFO if verbosity == 1 else logging.DEBUG)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the headless command line (``main.py --headless ...``)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(args.verbose)
    try:
        return run_headless(args)
    except UsageError as exc:
        print(f"fetchlens: {exc}", file=sys.stderr)
        return ExitStatus.USAGE


def main_launcher(argv: Sequence[str]) -> int:
    """``--install-launcher`` / ``--uninstall-launcher``: add or remove the desktop launcher."""
    args = build_parser().parse_args(argv)
    configure_logging(args.verbose)
    from core.desktop import launcher
    from core.desktop.content import LauncherError

    try:
        paths = launcher.install_launcher() if args.install_launcher else launcher.uninstall_launcher()
    except LauncherError as exc:
        print(f"fetchlens: {exc}", file=sys.stderr)
        return ExitStatus.ERROR
    verb = "installed" if args.install_launcher else "removed"
    for path in paths:
        print(f"{verb}: {path}")
    return ExitStatus.OK
