"""``--cluster``: a headless run (new, resumed or retried) on a Dask cluster, recorded and written
out in input order by this process.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import signal
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from core.cli.args import ExitStatus, UsageError
from core.cli.outputs import finish
from core.cli.report import ProgressBar, bar_on, format_summary
from core.cli.runs import plan_run
from core.cli.settings import settings_from_args
from core.export import ExportError, Exports
from core.run.observer import MultiObserver
from core.store import Journal, JournalWriter
from core.urls import InputError, LineSource, UrlEntry, iter_entries, scan

log = logging.getLogger(__name__)


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
            plan = plan_run(args, journal)

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
                MultiObserver([writer, ProgressBar(bar_on(args))]),
                prior=prior,
                repeated=repeated,
                behind=writer.behind,
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
    return finish(args, data, summary.interrupted)
