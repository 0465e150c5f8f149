"""The command line: one parser for the window and the headless mode, and the headless run.

Exit codes (headless): 0 the run completed (failed URLs are results, not errors);
2 usage or input error (message on stderr, nothing written); 130 interrupted (the
partial CSV is still written).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import enum
import json
import logging
import os
import re
import signal
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from core import __version__, config
from core.export import ExportError, Exports, write_csv, write_jsonl, write_xlsx
from core.fetch import secrets
from core.fetch.options import (
    Method,
    OptionsError,
    ProxyOptions,
    RequestOptions,
    RequestPolicy,
    RobotsMode,
    parse_cookie,
    parse_header,
)
from core.files import SaveError, atomic_target, check_writable
from core.model import FetchResult, Mode, Progress, RunStarted, RunSummary
from core.parse.pool import Extractor
from core.run.compare import Comparer, Comparison
from core.run.engine import Run
from core.run.indexset import IndexSet
from core.run.observer import MultiObserver, NullObserver, RunObserver
from core.run.stream import StreamRun
from core.settings import DEFAULT_USER_AGENT, Settings
from core.sitemaps import is_sitemap_file, looks_like_sitemap, read_inputs
from core.store import ComparisonRecorder, Journal, JournalError, JournalWriter, default_path
from core.urls import Batch, InputError, LineSource, Listed, Scan, UrlEntry, iter_entries, parse_lines, scan

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
        # No prefix matching: "--user alice:secret" once silently meant "--user-agent alice:secret".
        allow_abbrev=False,
        description="Fetchlens: fetch a batch of URLs in sync, threads or async mode and see every request. "
        "Without --headless it opens the window.",
        epilog="URL files: one URL per line; blank lines and # comments are ignored; a .csv file uses its "
        "'url' column; '-' reads standard input (headless). Exit codes (headless): 0 completed, "
        "2 usage or input error, 130 interrupted (partial CSV written).",
    )
    p.add_argument("--version", action="version", version=f"Fetchlens {__version__}")
    p.add_argument("files", nargs="*", metavar="URL_FILE", help="files of URLs to load ('-' = stdin)")
    p.add_argument("--headless", action="store_true", help="run without a window and exit")
    p.add_argument(
        "--mode",
        choices=[m.value for m in Mode] + ["compare"],
        default=None,
        help="sync: one request after another; threads: a thread pool (run_in_executor); "
        "async: aiohttp coroutines (default); compare: all three, one after another",
    )
    p.add_argument(
        "--concurrency",
        type=int,
        default=None,
        metavar="N",
        help="requests in flight at once (default 50; sync always uses 1)",
    )
    p.add_argument("--per-host", type=int, default=None, metavar="N", help="limit per host (default: none)")
    p.add_argument(
        "--timeout",
        type=float,
        default=None,
        metavar="S",
        help="total seconds per attempt, a deadline over the whole response (default 30)",
    )
    p.add_argument("--connect-timeout", type=float, default=None, metavar="S", help="connect timeout (default 10)")
    p.add_argument(
        "--retries",
        type=int,
        default=None,
        metavar="N",
        help="retries for connection failures, 429 and 503, honouring Retry-After (default 1)",
    )
    p.add_argument("--max-redirects", type=int, default=None, metavar="N", help="redirects to follow (default 10)")
    p.add_argument(
        "--max-size",
        type=parse_size,
        default=None,
        metavar="SIZE",
        help="largest body after decompression, e.g. 10MB (default)",
    )
    p.add_argument("--user-agent", default=None, metavar="UA", help=f"User-Agent (default {DEFAULT_USER_AGENT!r})")
    p.add_argument("--insecure", action="store_true", help="do not verify TLS certificates")
    p.add_argument("--fetch-duplicates", action="store_true", help="fetch repeated URLs again (default: once)")
    p.add_argument("--no-parse", action="store_true", help="do not parse pages (fetch only)")
    p.add_argument(
        "--cluster",
        metavar="ADDRESS|local:N",
        help="run on a Dask cluster: a running scheduler (tcp://host:port) or local:N worker processes "
        "started here; '' runs on this computer (needs requirements-cluster.txt; the config file's "
        "'cluster' and the window's Settings > Run on mean the same)",
    )
    p.add_argument(
        "--reorder-window",
        type=int,
        default=None,
        metavar="ROWS",
        help="headless: most rows held to write the outputs in input order (default 10000)",
    )
    p.add_argument("--csv", metavar="PATH", help="write results as CSV (in compare mode: PATH-<mode>.csv)")
    p.add_argument("--summary-json", metavar="PATH", help="write the run's summary as JSON")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar (headless)")
    p.add_argument("-v", "--verbose", action="count", default=0, help="more log output on stderr")
    add_request_arguments(p)
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


def _arg_type(parse: object) -> object:
    """An argparse ``type`` from a parser that raises OptionsError (the message becomes argparse's)."""

    def convert(text: str) -> object:
        try:
            return parse(text)  # type: ignore[operator]
        except OptionsError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__ = getattr(parse, "__name__", "value")
    return convert


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of requests per second: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("a rate is 0 (no limit) or more requests per second")
    return value


def _method(text: str) -> Method:
    try:
        return Method(text.replace(" ", "").upper())
    except ValueError:
        raise argparse.ArgumentTypeError("--method takes GET, HEAD or HEAD,GET") from None


def add_request_arguments(p: argparse.ArgumentParser) -> None:
    """The request options (README "Request options"); :func:`request_options_from_args` reads them."""
    g = p.add_argument_group("requests (headers, cookies, authentication, proxy, rate limits, robots.txt)")
    g.add_argument(
        "--header",
        action="append",
        type=_arg_type(parse_header),
        default=[],
        metavar="'NAME: VALUE'",
        help="send this header with every request (repeatable); Host, Content-Length, "
        "Transfer-Encoding and Connection are refused",
    )
    g.add_argument(
        "--cookie",
        action="append",
        type=_arg_type(parse_cookie),
        default=[],
        metavar="NAME=VALUE",
        help="send this cookie to each input URL's host (repeatable)",
    )
    g.add_argument(
        "--cookies",
        metavar="FILE",
        help="Netscape cookies.txt (as curl and browser extensions export); "
        "each cookie goes where its domain, path, secure flag and expiry say",
    )
    g.add_argument(
        "--user",
        metavar="USER:PASSWORD",
        help="HTTP Basic authentication for each input URL's origin "
        "(never sent to another origin after a redirect; never written anywhere)",
    )
    g.add_argument("--bearer", metavar="TOKEN", help="send 'Authorization: Bearer TOKEN' to each input URL's origin")
    g.add_argument(
        "--user-env",
        metavar="VAR",
        help="like --user, read from the environment variable VAR (keeps the password out of shell history)",
    )
    g.add_argument("--bearer-env", metavar="VAR", help="like --bearer, read from the environment variable VAR")
    g.add_argument(
        "--proxy",
        metavar="URL",
        help="proxy for every request: http://, https:// or socks5://"
        "[USER:PASSWORD@]HOST:PORT (default: HTTP_PROXY/HTTPS_PROXY/ALL_PROXY, minus NO_PROXY)",
    )
    g.add_argument("--no-proxy", action="store_true", help="connect directly; ignore the *_PROXY variables")
    g.add_argument(
        "--rate",
        type=_rate,
        default=None,
        metavar="N",
        help="at most N requests per second over the whole run (default: no limit)",
    )
    g.add_argument(
        "--host-rate",
        type=_rate,
        default=None,
        metavar="N",
        help="at most N requests per second to each host; halved after a 429/503 (default: no limit)",
    )
    g.add_argument(
        "--robots",
        choices=[m.value for m in RobotsMode],
        default=None,
        help="robots.txt: obey (skip disallowed URLs, error kind 'robots'), report (fetch, flag the "
        "row; default) or ignore",
    )
    g.add_argument(
        "--method",
        type=_method,
        default=None,
        metavar="GET|HEAD|HEAD,GET",
        help="request method; HEAD parses nothing; HEAD,GET asks again with GET after a 405/501 or a "
        "broken connection (default GET)",
    )
    g.add_argument(
        "--config",
        metavar="FILE.toml",
        help="request options per host pattern, e.g. "
        '[hosts."*.example.com"] (see README); the command line wins over the file',
    )


def _merge_pairs(
    base: tuple[tuple[str, str], ...], extra: list[tuple[str, str]], fold: bool
) -> tuple[tuple[str, str], ...]:
    """``base`` with ``extra`` added; an extra value replaces a base one of the same name."""
    key = (lambda n: n.lower()) if fold else (lambda n: n)
    names = {key(n) for n, _v in extra}
    return tuple((n, v) for n, v in base if key(n) not in names) + tuple(extra)


def request_options_from_args(
    args: argparse.Namespace, base: RequestOptions | None = None
) -> tuple[RequestOptions, config.FileConfig | None]:
    """The request options of the command line over ``--config`` over ``base``; and the config file read, if any
    (its per-host limit and cluster apply where the command line gives none).

    Raises:
        UsageError: a bad value, an unreadable config or cookies file, a missing environment variable.
    """
    opts = base or RequestOptions()
    file: config.FileConfig | None = None
    try:
        if getattr(args, "config", None):
            file = config.load(args.config)
            opts = file.options
        changes: dict[str, object] = {}
        if args.header:
            changes["headers"] = _merge_pairs(opts.headers, args.header, fold=True)
        if args.cookie:
            changes["cookies"] = _merge_pairs(opts.cookies, args.cookie, fold=False)
        if args.cookies:
            changes["cookies_file"] = args.cookies
        creds = config.credentials(args.user, args.bearer, args.user_env, args.bearer_env)
        if creds is not None:
            changes["credentials"] = creds
        if args.no_proxy and args.proxy:
            raise UsageError("--proxy and --no-proxy cannot be combined")
        if args.proxy:
            changes["proxy"] = ProxyOptions(args.proxy, opts.proxy.no_proxy, opts.proxy.use_env)
        if args.no_proxy:
            changes["proxy"] = ProxyOptions("", (), use_env=False)
        for name in ("rate", "host_rate"):
            if getattr(args, name) is not None:
                changes[name] = getattr(args, name)
        if args.robots:
            changes["robots"] = RobotsMode(args.robots)
        if args.method is not None:
            changes["method"] = args.method
        opts = opts.replace(**changes) if changes else opts
        if args.cookies or getattr(args, "config", None):
            RequestPolicy(opts, DEFAULT_USER_AGENT, environ={})  # reads the cookies file: report a bad one now
    except (OptionsError, config.ConfigError) as exc:
        raise UsageError(str(exc)) from exc
    return opts, file


def add_audit_arguments(p: argparse.ArgumentParser) -> None:
    """List-mode audit: sitemaps in, JSON Lines and Excel out (the CSV is --csv)."""
    audit = p.add_argument_group("list-mode audit")
    audit.add_argument(
        "--sitemap",
        action="append",
        default=[],
        metavar="URL_OR_FILE",
        help="add the URLs of a sitemap, sitemap index (.xml or .xml.gz) or robots.txt "
        "(its Sitemap: lines), in document order; repeatable",
    )
    audit.add_argument("--jsonl", metavar="PATH", help="write results as JSON Lines (typed, every response header)")
    audit.add_argument("--xlsx", metavar="PATH", help="write results as an Excel workbook (results and summary)")


def write_outputs(
    args: argparse.Namespace, results: dict[Mode, list], summary: dict[str, object], lines: Sequence[int] = ()
) -> None:
    """Write --csv, --jsonl and --xlsx (in compare mode one file per mode: PATH-<mode>.ext);
    ``lines`` is each input index's line in the input (the ``line`` column).

    Raises:
        ExportError: a file could not be written.
    """
    for path, write in (
        (args.csv, write_csv),
        (args.jsonl, write_jsonl),
        (args.xlsx, lambda p, rows, **kw: write_xlsx(p, rows, summary, **kw)),
    ):
        for mode, rows in results.items() if path else ():
            write(mode_csv_path(path, mode) if args.mode == "compare" else path, rows, lines=lines)


def settings_from_args(args: argparse.Namespace, base: Settings | None = None) -> Settings:
    """Apply the command line's settings over ``base`` (defaults or remembered settings)."""
    s = base or Settings()
    changes: dict[str, object] = {}
    if args.mode and args.mode != "compare":
        changes["mode"] = Mode(args.mode)
    for name, attr in (
        ("concurrency", "concurrency"),
        ("per_host", "per_host"),
        ("timeout", "total_timeout"),
        ("connect_timeout", "connect_timeout"),
        ("retries", "retries"),
        ("max_redirects", "max_redirects"),
        ("max_size", "max_bytes"),
        ("user_agent", "user_agent"),
        ("reorder_window", "reorder_window"),
    ):
        value = getattr(args, name)
        if value is not None:
            changes[attr] = value
    if args.insecure:
        changes["verify_tls"] = False
    if args.fetch_duplicates:
        changes["fetch_duplicates"] = True
    if args.no_parse:
        changes["parse"] = False
    changes["requests"], file = request_options_from_args(args, s.requests)
    if file is not None and file.per_host is not None and args.per_host is None:
        changes["per_host"] = file.per_host
    # Where the run happens: --cluster, else the config file's ``cluster``, else ``base`` (the window's setting).
    if getattr(args, "cluster", None) is not None:
        changes["cluster"] = args.cluster.strip()
    elif file is not None and file.cluster is not None:
        changes["cluster"] = file.cluster
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
    lines = [
        f"{'mode':<8} {'wall s':>8} {'sum s':>9} {'conc.':>6} {'p50 ms':>8} {'p95 ms':>8} {'ok':>6} "
        f"{'failed':>6} {'speed-up':>9}"
    ]
    for mode, s in c.summaries.items():
        sp = c.speedup(mode)
        lines.append(
            f"{mode!s:<8} {s.wall_s:>8.2f} {s.sum_elapsed_s:>9.2f} {_fig(s.effective_concurrency, '.1f'):>6} "
            f"{_fig(s.p50_ms, '.0f'):>8} {_fig(s.p95_ms, '.0f'):>8} {s.ok:>6} {s.failed:>6} "
            f"{(f'{sp:.1f}x' if sp else '-'):>9}"
        )
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


async def _headless(
    args: argparse.Namespace, plan: Plan, observers: Sequence[RunObserver], recorder: ComparisonRecorder | None = None
) -> tuple[dict[str, object], dict[Mode, list], bool]:
    batch, settings = plan.batch, plan.settings
    extractor = Extractor()
    loop = asyncio.get_running_loop()
    # Start the parser processes before the clock starts, so the first pages' times
    # do not include the pool's start-up (~0.5 s to spawn and import the parser).
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
        run = Run(
            batch,
            settings,
            MultiObserver([*observers, ProgressBar(_bar_on(args))]),
            extractor=extractor,
            prior=plan.prior,
        )
        _install_interrupt(loop, run.cancel)
        summary = await run.execute()
        print(format_summary(summary))
        return summary.to_dict(), {settings.mode: run.results}, summary.interrupted
    finally:
        extractor.shutdown()


async def _headless_streamed(
    args: argparse.Namespace,
    settings: Settings,
    lines: Iterable[str],
    found: Scan,
    observers: Sequence[RunObserver],
    out: Exports,
    prior: Iterable[FetchResult] = (),
) -> RunSummary:
    extractor = Extractor()
    await extractor.warm_up()  # as in _headless: the pool's start-up is not the first pages' time
    try:
        run = StreamRun(
            iter_entries(lines, found.duplicates),
            found.counts["total"],
            settings,
            MultiObserver([*observers, ProgressBar(_bar_on(args))]),
            ordered=(lambda r: out.write(r, run.line_of(r.input_index))) if out else None,
            extractor=extractor,
            repeated=found.repeated,
            prior=prior,
            behind=lambda: sum(o.behind() for o in observers if isinstance(o, JournalWriter)),
        )
        _install_interrupt(asyncio.get_running_loop(), run.cancel)
        summary = await run.execute()
        print(format_summary(summary))
        return summary
    finally:
        extractor.shutdown()


def run_streamed(args: argparse.Namespace, journal: Journal | None) -> int:
    """A new headless run in memory that does not grow with the input.

    The input is read twice and never held: a scan (counts, duplicates), then the run, whose
    results go to the journal as they finish and to the CSV in input order through the
    reorder window (``--reorder-window`` rows at most), and so to --jsonl and --xlsx. An input
    with sitemaps (``--sitemap``, a ``.xml`` file, sitemap or robots.txt lines) runs in memory.
    """
    if args.sitemap:
        return run_in_memory(args, journal)
    if not args.files:
        raise UsageError("no URL file given (use '-' to read URLs from standard input)")
    settings = settings_from_args(args)
    try:
        source = LineSource(args.files)
    except InputError as exc:
        raise UsageError(str(exc)) from exc
    with source:
        try:
            if any(is_sitemap_file(p) for p in args.files) or any(looks_like_sitemap(x) for x in source.lines()):
                # Sitemaps expand to at most 50,000 URLs each, fetched once: that input is read in memory.
                return run_in_memory(args, journal, source.paths)
            found = scan(source.lines())
        except InputError as exc:
            raise UsageError(str(exc)) from exc
        counts = found.counts
        if counts["total"] == 0:
            raise UsageError("no URLs found in the input")
        if counts["invalid"] == counts["total"]:
            raise UsageError(f"nothing to fetch: none of the {counts['total']:,} lines is a valid URL")
        log.info("streaming %d lines (reorder window %d rows)", counts["total"], settings.reorder_window)
        if counts["invalid"] and not args.quiet:
            log.warning(
                "%d of %d lines are not valid URLs (they appear as invalid_url rows)",
                counts["invalid"],
                counts["total"],
            )
        run_id = journal.create_run(source.lines(), settings, counts["total"]) if journal is not None else None
        observers: list[RunObserver] = []
        writer = None
        if journal is not None and run_id is not None:
            writer = JournalWriter(journal, run_id, index_keys=False)
            observers.append(writer)
            log.info("recording as run %d in %s", run_id, journal.path)
        try:
            out = Exports(args.csv, args.jsonl, args.xlsx)
        except ExportError as exc:
            print(f"fetchlens: {exc}", file=sys.stderr)
            return ExitStatus.ERROR
        try:
            summary = asyncio.run(_headless_streamed(args, settings, source.lines(), found, observers, out))
        except BaseException:
            out.discard()
            raise
        finally:
            if writer is not None:
                writer.close()
    data = summary.to_dict()
    if run_id is not None:
        data["run_id"] = run_id
    try:
        out.commit(data)
    except ExportError as exc:
        print(f"fetchlens: {exc}", file=sys.stderr)
        return ExitStatus.ERROR
    return _finish(args, data, summary.interrupted)


class _SkipRows(NullObserver):
    """Passes every event to ``observer`` but the results of ``rows`` (a resume's kept rows, already recorded)."""

    def __init__(self, observer: RunObserver, rows: IndexSet) -> None:
        self._observer = observer
        self._rows = rows

    def on_start(self, info: RunStarted) -> None:
        self._observer.on_start(info)

    def on_progress(self, progress: Progress) -> None:
        self._observer.on_progress(progress)

    def on_result(self, result: FetchResult) -> None:
        if result.input_index not in self._rows:
            self._observer.on_result(result)

    def on_finish(self, summary: RunSummary) -> None:
        self._observer.on_finish(summary)


def run_continued(args: argparse.Namespace, journal: Journal) -> int:
    """``--resume`` or ``--retry-failed`` of a recorded run, in memory that does not grow with it.

    What is missing is read from the journal, not loaded: the kept rows as one bit each
    (:meth:`Journal.continue_stream`), the input lines decompressed as they are read (twice: a scan
    for duplicates, then the run), the kept results streamed out in input order
    (:meth:`Journal.iter_kept`) into the outputs beside the fetched ones, through the reorder window.
    """
    kind = "resume" if args.resume else "retry"
    try:
        # Where it runs is this invocation's choice (--cluster, the config file), not the recorded one.
        go = journal.continue_stream(
            journal.resolve(args.resume or args.retry_failed),
            kind,
            adjust=lambda stored: settings_from_args(args, stored.replace(cluster="")),
        )
        found = scan(journal.run_lines(go.source_id))
    except (JournalError, InputError) as exc:
        raise UsageError(str(exc)) from exc
    log.info(
        "%s of run %d: %d rows kept, %d to fetch, recorded as run %d",
        kind,
        go.source_id,
        len(go.keep),
        go.to_fetch,
        go.run_id,
    )
    writer = JournalWriter(journal, go.run_id, index_keys=False)
    # A resume writes into the same run, which holds its kept rows already; a retry's new run gets them all.
    recorder: RunObserver = _SkipRows(writer, go.keep) if kind == "resume" else writer
    try:
        out = Exports(args.csv, args.jsonl, args.xlsx)
    except ExportError as exc:
        writer.close()
        print(f"fetchlens: {exc}", file=sys.stderr)
        return ExitStatus.ERROR
    try:
        summary = asyncio.run(
            _headless_streamed(
                args,
                go.settings,
                journal.run_lines(go.source_id),
                found,
                [recorder],
                out,
                prior=journal.iter_kept(go.source_id, go.keep),
            )
        )
    except BaseException:
        out.discard()
        raise
    finally:
        writer.close()
    data = summary.to_dict()
    data["run_id"] = go.run_id
    try:
        out.commit(data)
    except ExportError as exc:
        print(f"fetchlens: {exc}", file=sys.stderr)
        return ExitStatus.ERROR
    return _finish(args, data, summary.interrupted)


def run_on_cluster(args: argparse.Namespace, journal: Journal | None) -> int:
    """A headless run (new, resumed or retried) on a Dask cluster (``--cluster``).

    The coordinator (this process) records results in the journal as shards come back and
    writes the CSV from the journal in input order; without a journal it uses a temporary one.
    """
    try:
        from core.cluster.coordinator import ClusterError, ClusterRun
    except ImportError as exc:
        raise UsageError(f"--cluster needs dask.distributed (pip install -r requirements-cluster.txt): {exc}") from exc
    with contextlib.ExitStack() as stack:
        if journal is None:
            tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="fetchlens-cluster-"))
            journal = Journal(Path(tmp) / "journal.sqlite3")
            stack.callback(journal.close)
        skip: Iterable[int] = ()
        if args.resume or args.retry_failed or args.sitemap:
            plan = _plan(args, journal)

            def again() -> Iterable[UrlEntry]:  # the entries once more, for the line numbers
                return plan.batch.entries  # a sitemap's URLs (at most 50,000 each) are expanded in memory

            settings, run_id, prior = plan.settings, plan.run_id, plan.prior
            entries: Iterable[UrlEntry] = plan.batch.entries
            total = len(plan.batch)
            repeated = {e.duplicate_of for e in plan.batch.entries if e.duplicate_of is not None}
            skip = prior if args.resume else ()
        else:
            if not args.files:
                raise UsageError("no URL file given (use '-' to read URLs from standard input)")
            settings = settings_from_args(args)
            try:
                source = stack.enter_context(LineSource(args.files))
                found = scan(source.lines())
            except InputError as exc:
                raise UsageError(str(exc)) from exc
            total = found.counts["total"]
            if total == 0:
                raise UsageError("no URLs found in the input")
            prior, repeated = {}, found.repeated
            run_id = journal.create_run(source.lines(), settings, total)
            entries = iter_entries(source.lines(), found.duplicates)

            def again() -> Iterable[UrlEntry]:  # the input read once more, for the line numbers
                return iter_entries(source.lines(), found.duplicates)

        assert run_id is not None
        writer = JournalWriter(journal, run_id, skip=skip, index_keys=False)
        try:
            run = ClusterRun(
                settings.cluster,
                entries,
                total,
                settings,
                MultiObserver([writer, ProgressBar(_bar_on(args))]),
                prior=prior,
                repeated=repeated,
            )
        except ValueError as exc:
            writer.close()
            raise UsageError(str(exc)) from exc
        previous = signal.signal(signal.SIGTERM, lambda *_: run.cancel())
        try:
            summary = run.execute()  # Ctrl-C: KeyboardInterrupt stops it inside, results so far kept
        except ClusterError as exc:
            print(f"fetchlens: {exc}", file=sys.stderr)
            return ExitStatus.ERROR
        finally:
            signal.signal(signal.SIGTERM, previous)
            writer.close()
        print(format_summary(summary))
        data = summary.to_dict()
        data["run_id"] = run_id
        data["workers"] = len(run.workers)
        try:
            out = Exports(args.csv, args.jsonl, args.xlsx)
            try:
                numbered = iter(again())
                for r in journal.iter_results(run_id):  # both in input order
                    entry = next(numbered, None)
                    while entry is not None and entry.index < r.input_index:
                        entry = next(numbered, None)
                    out.write(r, entry.line if entry is not None and entry.index == r.input_index else None)
            except BaseException:
                out.discard()
                raise
            out.commit(data)
        except ExportError as exc:
            print(f"fetchlens: {exc}", file=sys.stderr)
            return ExitStatus.ERROR
    return _finish(args, data, summary.interrupted)


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


def _plan(args: argparse.Namespace, journal: Journal | None, files: list[str] | None = None) -> Plan:
    """Work out the batch, settings and already-known results of this invocation (``files``: the
    URL files to read instead of ``args.files``, e.g. standard input already spooled)."""
    ref = args.resume or args.retry_failed
    if ref:
        assert journal is not None
        try:
            # Settings given on the command line apply over the run's recorded ones.
            # Where it runs is this invocation's choice (--cluster, the config file), not the recorded one.
            go = journal.continue_run(
                journal.resolve(ref),
                "resume" if args.resume else "retry",
                adjust=lambda stored: settings_from_args(args, stored.replace(cluster="")),
            )
        except JournalError as exc:
            raise UsageError(str(exc)) from exc
        return Plan(go.lines, go.batch, go.settings, go.prior, go.run_id)
    if not args.files and not args.sitemap:
        raise UsageError("no URL file given (use '-' to read URLs from standard input, or --sitemap)")
    settings = settings_from_args(args)
    try:
        items = read_inputs(args.files if files is None else files, args.sitemap, settings)
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
    out = [
        f"{'id':>5}  {'started':<19}  {'mode':<7}  {'kind':<7}  {'status':<11}  {'urls':>7}  {'ok':>7}  "
        f"{'failed':>7}  {'wall s':>8}"
    ]
    for r in journal.runs():
        started = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(r.created_at))
        wall = f"{r.wall_s:.2f}" if r.wall_s is not None else "-"
        out.append(
            f"{r.id:>5}  {started:<19}  {r.mode:<7}  {r.kind:<7}  {r.status:<11}  {r.total:>7}  {r.ok:>7}  "
            f"{r.failed:>7}  {wall:>8}"
        )
    return "\n".join(out)


def _finish(args: argparse.Namespace, summary: dict[str, object], interrupted: bool) -> int:
    """Write ``--summary-json`` (if asked) and return the run's exit status."""
    if args.summary_json:
        try:
            write_json(args.summary_json, summary)
        except SaveError as exc:
            print(f"fetchlens: {exc}", file=sys.stderr)
            return ExitStatus.ERROR
    return ExitStatus.INTERRUPTED if interrupted else ExitStatus.OK


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
    if settings_from_args(args).cluster:  # --cluster, or the config file's cluster (a recorded run's is not reused)
        if args.mode == "compare":
            raise UsageError("a cluster run cannot be combined with --mode compare")
        return run_on_cluster(args, journal)
    if args.mode != "compare" and (args.resume or args.retry_failed):
        assert journal is not None
        return run_continued(args, journal)
    if args.mode != "compare":
        return run_streamed(args, journal)
    return run_in_memory(args, journal)


def run_in_memory(args: argparse.Namespace, journal: Journal | None, files: list[str] | None = None) -> int:
    """A headless run holding the batch and its results in memory (compare mode, resume, retry,
    sitemaps); the outputs are written at the end. ``files`` as for :func:`_plan`."""
    plan = _plan(args, journal, files)
    counts = plan.batch.counts()
    if counts["invalid"] and not args.quiet:
        log.warning(
            "%d of %d lines are not valid URLs (they appear as invalid_url rows)", counts["invalid"], counts["total"]
        )
    observers: list[RunObserver] = []
    writer = None
    if journal is not None and plan.run_id is not None:
        # A resume writes into the same run: its kept results are there already.
        writer = JournalWriter(journal, plan.run_id, skip=plan.prior if args.resume else (), index_keys=False)
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
    return _finish(args, summary, interrupted)


def configure_logging(verbosity: int) -> None:
    level = logging.WARNING if verbosity == 0 else (logging.INFO if verbosity == 1 else logging.DEBUG)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    secrets.install_log_filter()  # passwords, tokens and cookie values never reach the log


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
