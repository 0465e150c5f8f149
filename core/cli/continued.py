"""``--resume`` and ``--retry-failed`` of a recorded run, streamed from the journal in memory that
does not grow with the run.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from core.cli.args import ExitStatus, UsageError
from core.cli.outputs import commit_outputs
from core.cli.runs import headless_streamed
from core.cli.settings import settings_from_args
from core.export import ExportError, Exports
from core.model import FetchResult, Progress, RunStarted, RunSummary
from core.run.indexset import IndexSet
from core.run.observer import NullObserver, RunObserver
from core.store import Journal, JournalError, JournalWriter
from core.urls import InputError, scan

log = logging.getLogger(__name__)


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
            headless_streamed(
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
    return commit_outputs(args, out, summary, go.run_id)
