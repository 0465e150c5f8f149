"""CSV export per DESIGN.md: input order, UTF-8 with BOM, RFC 4180, formula-safe, atomic."""

from __future__ import annotations

import contextlib
import csv
import logging
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from core.model import FetchResult

log = logging.getLogger(__name__)

COLUMNS: tuple[str, ...] = (
    "input_index", "url", "final_url", "status_code", "ok", "error_kind", "error", "content_type", "charset",
    "bytes", "title", "meta_description", "h1", "canonical", "links", "redirects", "mode", "attempts",
    "started_ms", "ttfb_ms", "elapsed_ms", "finished_ms",
    # Extra columns (the contract allows more after the required ones).
    "lang", "h1_count", "meta_robots", "redirect_chain", "duplicate_of",
    "queued_ms", "dns_ms", "connect_ms", "wait_ms", "download_ms", "parse_ms",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportError(Exception):
    """The CSV could not be written; any existing file at the target is untouched."""


def safe_cell(value: str) -> str:
    """Neutralise text a spreadsheet would run as a formula (CWE-1236) with a leading ``'``."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _ms(v: float | None) -> str:
    return "" if v is None else f"{v:.1f}"


def row(r: FetchResult) -> list[str]:
    """The CSV cells of one result, in :data:`COLUMNS` order (text cells formula-safe)."""
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
    ]
    return [safe_cell(c) if isinstance(c, str) else str(c) for c in cells]


class CsvStream:
    """A CSV file written row by row (DESIGN.md's contract) and renamed into place at the end.

    Rows go to a temporary file in the target's folder as they come; :meth:`commit` flushes,
    syncs and renames it over the target, :meth:`discard` removes it. Used as a context
    manager it commits on a normal exit and discards on an exception, so the target is
    either the complete new file or untouched. The caller gives rows in the order they
    should appear (a streaming run: input order through its reorder window).

    Raises:
        ExportError: the folder or the file cannot be written.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.target = Path(path)
        folder = self.target.parent if str(self.target.parent) else Path(".")
        try:
            fd, self._tmp = tempfile.mkstemp(prefix=f".{self.target.name}.", suffix=".tmp", dir=folder)
        except OSError as exc:
            raise ExportError(f"cannot write to {folder}: {exc.strerror or exc}") from exc
        self.rows = 0
        self._error: ExportError | None = None
        try:
            self._fh = os.fdopen(fd, "w", encoding="utf-8-sig", newline="")
            self._writer = csv.writer(self._fh, dialect="excel", lineterminator="\r\n")
            self._writer.writerow(COLUMNS)
        except OSError as exc:
            self.discard()
            raise ExportError(f"cannot write {self.target}: {exc.strerror or exc}") from exc

    def write(self, result: FetchResult) -> None:
        """Append one result's row."""
        if self._error is not None:
            raise self._error
        try:
            self._writer.writerow(row(result))
        except OSError as exc:
            self._error = ExportError(f"cannot write {self.target}: {exc.strerror or exc}")
            raise self._error from exc
        self.rows += 1

    def commit(self) -> int:
        """Finish the file and rename it into place; returns the number of data rows.

        Raises:
            ExportError: a row could not be written earlier (the target is left untouched), or now.
        """
        if self._error is not None:
            self.discard()
            raise self._error
        try:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
            with contextlib.suppress(OSError):
                os.chmod(self._tmp, 0o644)
            os.replace(self._tmp, self.target)
        except OSError as exc:
            self.discard()
            raise ExportError(f"cannot write {self.target}: {exc.strerror or exc}") from exc
        log.info("wrote %d rows to %s", self.rows, self.target)
        return self.rows

    def discard(self) -> None:
        """Drop the temporary file; the target stays as it was."""
        with contextlib.suppress(OSError, AttributeError):
            self._fh.close()
        with contextlib.suppress(OSError):
            os.unlink(self._tmp)

    def __enter__(self) -> CsvStream:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.discard()


def write_csv(path: str | os.PathLike[str], results: Iterable[FetchResult | None]) -> int:
    """Write results (sorted into input order) to ``path`` atomically.

    The file is written to a temporary name in the same folder and renamed into place,
    so a failure (read-only folder, full disk) never leaves half a file and never
    touches an existing one.

    Returns:
        The number of data rows written.

    Raises:
        ExportError: with a message fit to show a person.
    """
    rows: Sequence[FetchResult] = sorted((r for r in results if r is not None), key=lambda r: r.input_index)
    with CsvStream(path) as out:
        for r in rows:
            out.write(r)
    return out.rows
