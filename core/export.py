"""CSV export per DESIGN.md: input order, UTF-8 with BOM, RFC 4180, formula-safe, atomic."""

from __future__ import annotations

import csv
import logging
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from core.files import SaveError, atomic_target
from core.model import FetchResult

log = logging.getLogger(__name__)

COLUMNS: tuple[str, ...] = (
    "input_index", "url", "final_url", "status_code", "ok", "error_kind", "error", "content_type", "charset",
    "bytes", "title", "meta_description", "h1", "canonical", "links", "redirects", "mode", "attempts",
    "started_ms", "ttfb_ms", "elapsed_ms", "finished_ms",
    # Extra columns (the contract allows more after the required ones).
    "lang", "h1_count", "meta_robots", "redirect_chain", "duplicate_of",
    "queued_ms", "dns_ms", "connect_ms", "wait_ms", "download_ms", "parse_ms",
    "line",  # the URL's 1-based line in the input: the window's # column (input_index counts URLs only)
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportError(Exception):
    """The CSV could not be written (the message says where and why); an existing file is untouched."""


def safe_cell(value: str) -> str:
    """Neutralise text a spreadsheet would run as a formula (CWE-1236) with a leading ``'``."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _ms(v: float | None) -> str:
    return "" if v is None else f"{v:.1f}"


def row(r: FetchResult, line: int | None = None) -> list[str]:
    """The CSV cells of one result, in :data:`COLUMNS` order (text cells formula-safe); ``line`` as in COLUMNS."""
    p = r.page
    t = r.timings
    fetched = r.attempts > 0  # invalid and cancelled rows have no times
    cells: list[object] = [
        r.input_index, r.url, r.final_url, "" if r.status_code is None else r.status_code,
        "true" if r.ok else "false", "" if r.error_kind is None else r.error_kind.value, r.error,
        r.content_type, r.charset, r.bytes,
        p.title if p else "", p.meta_description if p else "", p.h1 if p else "", p.canonical if p else "",
        "" if p is None else p.links, len(r.redirects), r.mode.value, r.attempts,
        _ms(t.started_ms) if fetched else "", _ms(t.ttfb_ms), _ms(t.elapsed_ms) if fetched else "",
        _ms(t.finished_ms) if fetched else "",
        p.lang if p else "", "" if p is None else p.h1_count, p.meta_robots if p else "",
        " -> ".join(r.redirects), "" if r.duplicate_of is None else r.duplicate_of,
        _ms(t.queued_ms), _ms(t.dns_ms), _ms(t.connect_ms), _ms(t.wait_ms), _ms(t.download_ms), _ms(t.parse_ms),
        "" if line is None else line,
    ]
    return [safe_cell(c) if isinstance(c, str) else str(c) for c in cells]


def write_csv(path: str | os.PathLike[str], results: Iterable[FetchResult | None],
              lines: Sequence[int] = ()) -> int:
    """Write results (sorted into input order) to ``path`` atomically.

    ``lines`` gives each input index's 1-based line in the input (``UrlEntry.line``) for the
    ``line`` column; it stays empty without.

    The file is written to a temporary name in the same folder and renamed into place,
    so a failure (read-only folder, full disk) never leaves half a file and never
    touches an existing one.

    Returns:
        The number of data rows written.

    Raises:
        ExportError: with a message fit to show a person.
    """
    target = Path(path)
    rows: Sequence[FetchResult] = sorted((r for r in results if r is not None), key=lambda r: r.input_index)
    try:
        with atomic_target(target) as tmp, open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh, dialect="excel", lineterminator="\r\n")
            writer.writerow(COLUMNS)
            for r in rows:
                writer.writerow(row(r, lines[r.input_index] if r.input_index < len(lines) else None))
            fh.flush()
            os.fsync(fh.fileno())
    except SaveError as exc:
        raise ExportError(str(exc)) from exc
    log.info("wrote %d rows to %s", len(rows), target)
    return len(rows)
