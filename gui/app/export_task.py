"""CSV export off the GUI thread, with a timestamped default name."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from core.export import write_csv
from core.model import FetchResult

log = logging.getLogger(__name__)


def default_name(now: datetime | None = None, suffix: str = "") -> str:
    """``fetchlens-20250101-120000.csv`` (``suffix`` goes before the extension)."""
    return f"fetchlens-{(now or datetime.now()):%Y%m%d-%H%M%S}{suffix}.csv"


def default_path(folder: str, now: datetime | None = None) -> str:
    return str(Path(folder) / default_name(now))


async def export_csv(path: str, results: Sequence[FetchResult | None], lines: Sequence[int] = ()) -> int:
    """Write ``results`` to ``path`` in a worker thread (100k rows take seconds of Python).

    ``lines``: each input index's line in the input (the CSV's ``line`` column).

    Returns:
        The number of rows written.

    Raises:
        core.export.ExportError: with a message fit to show a person.
    """
    rows = list(results)  # a snapshot: the model may change while the thread writes
    count = await asyncio.to_thread(write_csv, path, rows, list(lines))
    log.info("exported %d rows to %s", count, path)
    return count
