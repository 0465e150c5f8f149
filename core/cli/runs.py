"""A headless run on this computer: streamed when it can (in memory that does not grow with the
input), held in memory when it must (compare mode, sitemaps; from a :class:`Plan` of the batch).

Ctrl-C and SIGTERM stop a run gracefully: the results so far are kept and written.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from core.cli.args import ExitStatus, UsageError
from core.cli.outputs import commit_outputs, finish, write_outputs
from core.cli.report import ProgressBar, bar_on, format_comparison, format_summary
from core.cli.settings import settings_from_args
from core.export import ExportError, Exports
from core.model import FetchResult, Mode, RunSummary
from core.parse.pool import Extractor
from core.run.compare import Comparer
from core.run.engine import Run
from core.run.observer import MultiObserver, RunObserver
from core.run.stream import StreamRun
from core.settings import Settings
from core.sitemaps import is_sitemap_file, looks_like_sitemap, read_inputs
from core.store import ComparisonRecorder, Journal, JournalError, JournalWriter
from core.urls import Batch, InputError, LineSource, Listed, Scan, iter_entries, parse_lines, scan

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Plan:
    """What a headless invocation will run."""

    lines: list[str]
    batch: Batch
    settings: Settings
    prior: dict[int, FetchResult] = field(default_factory=dict)
    run_id: int | None = None


def plan_run(args: argparse.Namespace, journal: Journal | None, files: list[str] | None = None) -> Plan:
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


def install_interrupt(loop: asyncio.AbstractEventLoop, cancel: object) -> None:
    """Ctrl-C / SIGTERM stop the run gracefully (results so far are kept and written)."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, cancel)  # type: ignore[arg-type]
        except (NotImplementedError, RuntimeError, ValueError):  # Windows, or not the main thread
            signal.signal(sig, lambda *_: loop.call_soon_threadsafe(cancel))  # type: ignore[arg-type]


def run_in_memory(args: argparse.Namespace, journal: Journal | None, files: list[str] | None = None) -> int:
    """A headless run holding the batch and its results in memory (compare mode, resume, retry,
    sitemaps); the outputs are written at the end. ``files`` as for :func:`plan_run`."""
    plan = plan_run(args, journal, files)
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
    return finish(args, summary, interrupted)


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
                return MultiObserver([*observers, *recorded, ProgressBar(bar_on(args))])

            comparer = Comparer(batch, settings, extractor, observer_for=observer_for)
            install_interrupt(loop, comparer.cancel)
            comparison = await comparer.execute()
            print(format_comparison(comparison, len(batch)))
            return comparison.to_dict(), dict(comparison.results), comparison.interrupted
        run = Run(
            batch,
            settings,
            MultiObserver([*observers, ProgressBar(bar_on(args))]),
            extractor=extractor,
            prior=plan.prior,
        )
        install_interrupt(loop, run.cancel)
        summary = await run.execute()
        print(format_summary(summary))
        return summary.to_dict(), {settings.mode: run.results}, summary.interrupted
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
            summary = asyncio.run(headless_streamed(args, settings, source.lines(), found, observers, out))
        except BaseException:
            out.discard()
            raise
        finally:
            if writer is not None:
                writer.close()
    return commit_outputs(args, out, summary, run_id)


async def headless_streamed(
    args: argparse.Namespace,
    settings: Settings,
    lines: Iterable[str],
    found: Scan,
    observers: Sequence[RunObserver],
    out: Exports,
    prior: Iterable[FetchResult] = (),
) -> RunSummary:
    """Stream ``lines`` (scanned before as ``found``) through a :class:`StreamRun` and print its summary.

    Results go to ``observers`` as they finish and to ``out`` in input order through the reorder window;
    ``prior`` holds results already known, in input order (a continued run's kept rows), written in their
    place. Ctrl-C and SIGTERM stop the run with the results so far. Returns the run's summary.
    """
    extractor = Extractor()
    await extractor.warm_up()  # as in _headless: the pool's start-up is not the first pages' time
    try:
        run = StreamRun(
            iter_entries(lines, found.duplicates),
            found.counts["total"],
            settings,
            MultiObserver([*observers, ProgressBar(bar_on(args))]),
            ordered=(lambda r: out.write(r, run.line_of(r.input_index))) if out else None,
            extractor=extractor,
            repeated=found.repeated,
            prior=prior,
            behind=lambda: sum(o.behind() for o in observers if isinstance(o, JournalWriter)),
        )
        install_interrupt(asyncio.get_running_loop(), run.cancel)
        summary = await run.execute()
        print(format_summary(summary))
        return summary
    finally:
        extractor.shutdown()
