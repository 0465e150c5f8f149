"""Exports (CSV, JSON Lines, Excel) off the GUI thread, with a timestamped default name."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path

from core.export import write_csv, write_jsonl, write_xlsx
from core.model import FetchResult

log = logging.getLogger(__name__)


def default_name(now: datetime | None = None, suffix: str = "") -> str:
    """``fetchlens-20250101-120000.csv`` (``suffix`` goes before the extension)."""
    return f"fetchlens-{(now or datetime.now()):%Y%m%d-%H%M%S}{suffix}.csv"


def write_results(path: str, results: Iterable[FetchResult | None], summary: Mapping[str, object] | None = None,
                  progress: Callable[[int, int], None] | None = None, lines: Sequence[int] = (),
                  in_order: bool = False, total: int = 0) -> int:
    """Write ``results`` in the format of ``path``'s extension: ``.jsonl`` JSON Lines, ``.xlsx`` Excel
    (``summary`` on its second sheet), anything else CSV; blocking (call it in a worker thread).
    ``progress(done, total)`` as :func:`core.export.write_csv` calls it; ``in_order``: the results
    come in input order and are streamed, not held (``total`` of them expected, for ``progress``).

    Returns:
        The number of rows written.

    Raises:
        core.export.ExportError: with a message fit to show a person.
    """
    suffix = Path(path).suffix.lower()
    if suffix == ".jsonl":
        return write_jsonl(path, results, progress, lines=lines, in_order=in_order, total=total)
    if suffix == ".xlsx":
        return write_xlsx(path, results, dict(summary or {}), progress, lines=lines, in_order=in_order, total=total)
    return write_csv(path, results, progress, lines=lines, in_order=in_order, total=total)


async def export_results(path: str, results: Iterable[FetchResult | None],
                         summary: Mapping[str, object] | None = None,
                         progress: Callable[[int, int], None] | None = None, lines: Sequence[int] = (),
                         streamed: int | None = None) -> int:
    """Write ``results`` in the format of ``path``'s extension (.csv, .jsonl, .xlsx; others: CSV)
    in a worker thread; an Excel file also gets ``summary`` (``RunSummary.to_dict()``) on its second sheet.
    ``progress(done, total)`` is called on the event loop's thread as rows are written; ``lines``
    is each input index's line in the input (the ``line`` column, by input index, not changed meanwhile).

    ``streamed``: ``results`` is an iterator in input order that takes its snapshot when made
    and is read in the worker thread as the rows are written (a paged run's rows, read from the
    journal: :meth:`gui.results.model.ResultsModel.results`), of about ``streamed`` rows; without
    it, ``results`` is copied first (the model may change while the thread writes).

    Raises:
        core.export.ExportError: with a message fit to show a person.
    """
    rows = results if streamed is not None else list(results)
    loop = asyncio.get_running_loop()

    def report(done: int, total: int) -> None:  # called in the writing thread
        if progress is not None:
            loop.call_soon_threadsafe(progress, done, total)

    count = await asyncio.to_thread(write_results, path, rows, summary, report, lines, streamed is not None,
                                    streamed or 0)
    log.info("exported %d rows to %s", count, path)
    return count


def default_path(folder: str, now: datetime | None = None) -> str:
    return str(Path(folder) / default_name(now))
