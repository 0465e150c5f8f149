"""Exports per DESIGN.md, all in input order and written atomically.

CSV (UTF-8 with BOM, RFC 4180, formula-safe), JSON Lines (typed values, every header) and
Excel (.xlsx with ``xlsxwriter``: a results sheet and a summary sheet, no formulas).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import logging
import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from core.files import SaveError, atomic_target, plain_reason
from core.indexability import judge
from core.model import FetchResult

if TYPE_CHECKING:
    from xlsxwriter import Workbook  # imported when an Excel file is written, not with the module

log = logging.getLogger(__name__)

COLUMNS: tuple[str, ...] = (
    "input_index", "url", "final_url", "status_code", "ok", "error_kind", "error", "content_type", "charset",
    "bytes", "title", "meta_description", "h1", "canonical", "links", "redirects", "mode", "attempts",
    "started_ms", "ttfb_ms", "elapsed_ms", "finished_ms",
    # Extra columns (the contract allows more after the required ones).
    "lang", "h1_count", "meta_robots", "redirect_chain", "duplicate_of",
    "queued_ms", "dns_ms", "connect_ms", "wait_ms", "download_ms", "parse_ms",
    "og_title", "og_description", "og_image", "notes",
    # List-mode audit: indexability, response facts (as sent), page facts, sitemap.
    "indexable", "indexability", "x_robots_tag", "last_modified", "etag", "cache_control", "server",
    "content_length", "word_count", "hreflang", "hreflang_count", "content_hash", "duplicate_content_of",
    "sitemap_lastmod",
    # Request options: the method of the answer shown, the robots.txt rule, time waited for the host's rate.
    "method", "robots", "rate_limit_ms",
    "line",  # the URL's 1-based line in the input: the window's # column (input_index counts URLs only)
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_RESPONSE_HEADERS = {"x_robots_tag": "X-Robots-Tag", "last_modified": "Last-Modified", "etag": "ETag",
                     "cache_control": "Cache-Control", "server": "Server", "content_length": "Content-Length"}
URL_COLUMNS = frozenset({"url", "final_url", "canonical"})

Value = str | int | float | bool | None
ProgressFn = Callable[[int, int], None]  # (rows written, rows in all); called from the writing thread
PROGRESS_EVERY = 2000  # rows between progress calls


class ExportError(Exception):
    """The file could not be written (the message says where and why); an existing file is untouched."""


def safe_cell(value: str) -> str:
    """Neutralise text a spreadsheet would run as a formula (CWE-1236) with a leading ``'``."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _ms(v: float | None) -> float | None:
    return None if v is None else round(v, 1)


def content_key(r: FetchResult) -> str:
    """The content hash a row is compared by for duplicate content, ``""`` when it takes no part.

    Only pages fetched as themselves count: HTTP 200, not redirected, and not a repeat of an
    earlier input line (those already say ``duplicate_of``).
    """
    facts = r.page.facts if r.page is not None else None
    if facts is None or r.status_code != 200 or r.redirects or r.duplicate_of is not None:
        return ""
    return facts.content_hash


class ContentDuplicates:
    """Which earlier row has the same content: ``content hash -> first input_index``, fed in input order.

    Kept compact for big runs: a 16-byte BLAKE2b digest of each distinct :func:`content_key`
    (about 100 bytes per distinct page, whatever the hash's text), only for rows that take part.
    """

    __slots__ = ("_first",)

    def __init__(self) -> None:
        self._first: dict[bytes, int] = {}

    def __len__(self) -> int:
        return len(self._first)

    def of(self, r: FetchResult) -> int | None:
        """The ``input_index`` of the first row seen with ``r``'s content, or ``None`` (``r`` is first,
        or takes no part). Rows must come in input order."""
        key = content_key(r)
        if not key:
            return None
        digest = hashlib.blake2b(key.encode(), digest_size=16).digest()
        first = self._first.setdefault(digest, r.input_index)
        return None if first == r.input_index else first


def content_duplicates(results: Iterable[FetchResult]) -> dict[int, int]:
    """``input_index`` → the ``input_index`` of the first row (in input order) with the same
    :func:`content_key`. The first row of a group maps to nothing."""
    seen = ContentDuplicates()
    out: dict[int, int] = {}
    for r in sorted(results, key=lambda r: r.input_index):
        if (orig := seen.of(r)) is not None:
            out[r.input_index] = orig
    return out


def values(r: FetchResult, duplicate_content_of: int | None = None, line: int | None = None) -> list[Value]:
    """The typed values of one result in :data:`COLUMNS` order: ``None`` where there is nothing.

    Numbers are ``int``/``float`` (times in ms rounded to 0.1), ``ok``/``indexable`` are ``bool``;
    text is returned as is (no formula guard: each format applies its own). ``line`` is the
    URL's 1-based line in the input (the ``line`` column), ``None`` when not known.
    """
    p = r.page
    facts = p.facts if p is not None else None
    t = r.timings
    fetched = r.attempts > 0  # invalid and cancelled rows have no times
    verdict = judge(r)
    headers: list[Value] = [r.header(name) or None for name in _RESPONSE_HEADERS.values()]
    return [
        r.input_index, r.url, r.final_url, r.status_code, r.ok, None if r.error_kind is None else r.error_kind.value,
        r.error, r.content_type, r.charset, r.bytes,
        p.title if p else None, p.meta_description if p else None, p.h1 if p else None, p.canonical if p else None,
        None if p is None else p.links, len(r.redirects), r.mode.value, r.attempts,
        _ms(t.started_ms) if fetched else None, _ms(t.ttfb_ms), _ms(t.elapsed_ms) if fetched else None,
        _ms(t.finished_ms) if fetched else None,
        p.lang if p else None, None if p is None else p.h1_count, p.meta_robots if p else None,
        " -> ".join(r.redirects), r.duplicate_of,
        _ms(t.queued_ms), _ms(t.dns_ms), _ms(t.connect_ms), _ms(t.wait_ms), _ms(t.download_ms), _ms(t.parse_ms),
        p.og_title if p else None, p.og_description if p else None, p.og_image if p else None, r.notes or None,
        verdict.indexable, verdict.reason or None, *headers,
        facts.word_count if facts else None,
        ";".join(f"{lang}={url}" for lang, url in facts.hreflang) if facts else None,
        len(facts.hreflang) if facts else None, (facts.content_hash or None) if facts else None,
        duplicate_content_of, r.sitemap_lastmod or None,
        r.method, r.robots or None, _ms(t.rate_limit_ms),
        line,
    ]


def _csv_cell(v: Value) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return f"{v:.1f}"
    return safe_cell(v) if isinstance(v, str) else str(v)


def row(r: FetchResult, duplicate_content_of: int | None = None, line: int | None = None) -> list[str]:
    """The CSV cells of one result, in :data:`COLUMNS` order (text cells formula-safe); arguments as :func:`values`."""
    return [_csv_cell(v) for v in values(r, duplicate_content_of, line)]


def record(r: FetchResult, duplicate_content_of: int | None = None, line: int | None = None) -> dict[str, object]:
    """One JSON Lines object: every column typed, plus what a CSV cell cannot hold.

    Lists are lists: ``redirect_chain`` (URLs), ``hreflang`` (``{"lang", "url"}`` objects),
    ``redirect_hops`` (``{"status", "location"}`` per hop) and ``headers`` (every header of the
    final response as ``[name, value]`` pairs, in the order sent, repeats kept).
    """
    d: dict[str, object] = dict(zip(COLUMNS, values(r, duplicate_content_of, line), strict=True))
    facts = r.page.facts if r.page is not None else None
    d["redirect_chain"] = list(r.redirects)
    d["hreflang"] = [{"lang": lang, "url": url} for lang, url in facts.hreflang] if facts else []
    d["content_length"] = int(cl) if isinstance(cl := d["content_length"], str) and cl.isdigit() else cl
    d["redirect_hops"] = [{"status": status, "location": loc} for status, loc in r.hops]
    d["headers"] = [[k, v] for k, v in r.headers]
    return d


def _report(progress: ProgressFn | None, done: int, total: int) -> None:
    if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
        progress(done, total)


def _in_order(results: Iterable[FetchResult | None]) -> list[FetchResult]:
    return sorted((r for r in results if r is not None), key=lambda r: r.input_index)


def _reason(exc: Exception) -> str:
    return plain_reason(exc) if isinstance(exc, OSError) else str(exc)


def _line(lines: Sequence[int], r: FetchResult) -> int | None:
    return lines[r.input_index] if 0 <= r.input_index < len(lines) else None


class _Discarded(Exception):
    """Thrown into :func:`core.files.atomic_target` so it removes the temporary file."""


class ExportStream:
    """One export file written row by row, in the order given, and renamed into place at the end.

    The rows go to a temporary file next to the target (:func:`core.files.atomic_target`, the
    one atomic writer every format shares); :meth:`commit` finishes it and renames it over the
    target, :meth:`discard` removes it, so the target is either the complete new file or
    untouched. As a context manager it commits on a normal exit and discards on an exception.

    Rows must come in input order (a streaming run gives them so through its reorder window):
    ``duplicate_content_of`` is computed on the way with :class:`ContentDuplicates`. Subclasses
    implement :meth:`_open`, :meth:`_write` and :meth:`_finish` for one format.

    Args:
        path: the target file.
        progress: ``progress(rows written, total)`` every :data:`PROGRESS_EVERY` rows and at ``total``.
        total: the rows expected (0 when unknown), for ``progress`` only.

    Raises:
        ExportError: the folder or the file cannot be written (here, from :meth:`write` or :meth:`commit`).
    """

    def __init__(self, path: str | os.PathLike[str], progress: ProgressFn | None = None, total: int = 0) -> None:
        self.target = Path(path)
        self.rows = 0
        self._progress = progress
        self._total = total
        self._dups = ContentDuplicates()
        self._error: ExportError | None = None
        self._stack = contextlib.ExitStack()
        try:
            self._tmp = self._stack.enter_context(atomic_target(self.target))
        except SaveError as exc:
            raise ExportError(str(exc)) from exc
        try:
            self._open(self._tmp)
        except Exception as exc:  # OSError, or the writer's own
            self.discard()
            raise ExportError(f"cannot write {self.target}: {_reason(exc)}") from exc

    def write(self, result: FetchResult, line: int | None = None) -> None:
        """Append one result's row (results in input order); ``line`` is its 1-based input line.

        Raises:
            ExportError: this or an earlier row could not be written.
        """
        if self._error is not None:
            raise self._error
        try:
            self._write(result, self._dups.of(result), line)
        except Exception as exc:  # OSError, or a writer's own limits (xlsxwriter: TypeError for NaN)
            self._error = ExportError(f"cannot write {self.target}: {_reason(exc)}")
            raise self._error from exc
        self.rows += 1
        _report(self._progress, self.rows, self._total)

    def commit(self, summary: Mapping[str, object] | None = None) -> int:
        """Finish the file and rename it into place; returns the number of data rows.

        ``summary`` (``RunSummary.to_dict()``) is for formats that carry one (Excel).

        Raises:
            ExportError: a row could not be written earlier (the target is left untouched), or now.
        """
        if self._error is not None:
            self.discard()
            raise self._error
        try:
            self._finish(summary or {})
        except Exception as exc:  # OSError, or a writer's own limits (xlsxwriter raises its exceptions)
            self.discard()
            raise ExportError(f"cannot write {self.target}: {_reason(exc)}") from exc
        try:
            self._stack.close()
        except SaveError as exc:
            raise ExportError(str(exc)) from exc
        log.info("wrote %d rows to %s", self.rows, self.target)
        return self.rows

    def discard(self) -> None:
        """Drop the temporary file; the target stays as it was."""
        with contextlib.suppress(Exception):
            self._abandon()
        self._stack.__exit__(_Discarded, _Discarded(), None)

    def __enter__(self) -> ExportStream:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.discard()

    def _open(self, tmp: str) -> None:
        raise NotImplementedError

    def _write(self, result: FetchResult, duplicate_content_of: int | None, line: int | None) -> None:
        raise NotImplementedError

    def _finish(self, summary: Mapping[str, object]) -> None:
        raise NotImplementedError

    def _abandon(self) -> None:
        """Close what :meth:`_open` opened, without finishing it."""


class CsvStream(ExportStream):
    """CSV per DESIGN.md: UTF-8 with BOM, RFC 4180 (``excel`` dialect, CRLF), formula-safe cells."""

    def _open(self, tmp: str) -> None:
        self._fh = open(tmp, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed by _finish/_abandon
        self._writer = csv.writer(self._fh, dialect="excel", lineterminator="\r\n")
        self._writer.writerow(COLUMNS)

    def _write(self, result: FetchResult, duplicate_content_of: int | None, line: int | None) -> None:
        self._writer.writerow(row(result, duplicate_content_of, line))

    def _finish(self, summary: Mapping[str, object]) -> None:
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()

    def _abandon(self) -> None:
        self._fh.close()


class JsonlStream(ExportStream):
    """JSON Lines (jsonlines.org): UTF-8, one :func:`record` object per ``\\n``-terminated line, no BOM."""

    def _open(self, tmp: str) -> None:
        self._fh = open(tmp, "w", encoding="utf-8", newline="\n")  # noqa: SIM115 - closed by _finish/_abandon

    def _write(self, result: FetchResult, duplicate_content_of: int | None, line: int | None) -> None:
        obj = record(result, duplicate_content_of, line)
        self._fh.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")))
        self._fh.write("\n")

    def _finish(self, summary: Mapping[str, object]) -> None:
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()

    def _abandon(self) -> None:
        self._fh.close()


MAX_XLSX_LINKS = 65_530  # Excel's hyperlinks per worksheet (xlsxwriter warns past it); then plain text
MAX_XLSX_URL = 2079  # Excel's longest hyperlink
MAX_XLSX_TEXT = 32_767  # Excel's longest cell text
XLSX_WIDTH_SAMPLE = 500  # column widths come from the first rows: they show what a column holds


class XlsxStream(ExportStream):
    """An Excel workbook: a "Results" sheet and a "Summary" sheet.

    Results: the :data:`COLUMNS` as typed cells, header row frozen, autofilter, column widths
    from the first :data:`XLSX_WIDTH_SAMPLE` rows, URL columns as hyperlinks (http/https only,
    at most :data:`MAX_XLSX_LINKS`). Text is written with ``write_string`` and the workbook's
    ``strings_to_formulas``/``strings_to_urls`` are off, so no cell is ever evaluated as a
    formula (CWE-1236). Summary (written by :meth:`commit`): the run's summary as name/value
    rows, plus counts of indexability reasons.

    The workbook is in xlsxwriter's ``constant_memory`` mode: each row goes to a temporary
    file (next to the target) as it is written, strings inline, so memory does not grow with
    the rows; only the hyperlinks (bounded) and the reason counts are kept.
    """

    def _open(self, tmp: str) -> None:
        import xlsxwriter  # imported when an Excel file is written, not with the module

        self._wb: Workbook = xlsxwriter.Workbook(tmp, {"strings_to_formulas": False, "strings_to_urls": False,
                                                       "strings_to_numbers": False, "constant_memory": True,
                                                       "tmpdir": os.path.dirname(tmp) or "."})
        self._bold = self._wb.add_format({"bold": True})
        self._link = self._wb.add_format({"font_color": "blue", "underline": 1})
        self._ws = self._wb.add_worksheet("Results")
        self._ws.freeze_panes(1, 0)
        for i, name in enumerate(COLUMNS):
            self._ws.write_string(0, i, name, self._bold)
        self._widths = [len(c) + 2 for c in COLUMNS]
        self._links = 0
        self._reasons: Counter[str] = Counter()
        self._reason_at = COLUMNS.index("indexability")

    def _write(self, result: FetchResult, duplicate_content_of: int | None, line: int | None) -> None:
        ws, y = self._ws, self.rows + 1
        vals = values(result, duplicate_content_of, line)
        self._reasons[str(vals[self._reason_at] or "indexable")] += 1
        sample = y <= XLSX_WIDTH_SAMPLE
        for x, v in enumerate(vals):
            if v is None:
                continue
            if sample:
                self._widths[x] = max(self._widths[x], min(60, len(str(v)) + 2))
            if isinstance(v, bool):
                ws.write_boolean(y, x, v)
            elif isinstance(v, (int, float)):
                ws.write_number(y, x, v)
            elif (COLUMNS[x] in URL_COLUMNS and self._links < MAX_XLSX_LINKS and len(v) <= MAX_XLSX_URL
                  and v.lower().startswith(("http://", "https://"))
                  and ws.write_url(y, x, v, self._link, string=v) == 0):
                self._links += 1
            else:  # text, or a URL Excel would not take as a link (xlsxwriter returns non-zero and writes nothing)
                ws.write_string(y, x, v[:MAX_XLSX_TEXT])

    def _finish(self, summary: Mapping[str, object]) -> None:
        for i, w in enumerate(self._widths):
            self._ws.set_column(i, i, w)
        self._ws.autofilter(0, 0, max(1, self.rows), len(COLUMNS) - 1)
        sheet = self._wb.add_worksheet("Summary")
        sheet.set_column(0, 0, 28)
        sheet.set_column(1, 1, 20)
        items: list[tuple[str, object]] = [*summary.items(), ("rows", self.rows),
                                           *((f"indexability: {k}", n) for k, n in sorted(self._reasons.items()))]
        sheet.write_string(0, 0, "name", self._bold)
        sheet.write_string(0, 1, "value", self._bold)
        for y, (k, v) in enumerate(items, start=1):
            sheet.write_string(y, 0, str(k))
            if isinstance(v, bool):
                sheet.write_boolean(y, 1, v)
            elif isinstance(v, (int, float)):
                sheet.write_number(y, 1, v)
            else:
                sheet.write_string(y, 1, json.dumps(v) if isinstance(v, (dict, list)) else str(v))
        self._wb.close()

    def _abandon(self) -> None:
        # constant_memory keeps each sheet's rows in a named temporary file that only close() removes.
        for sheet in self._wb.worksheets():
            fh, name = getattr(sheet, "row_data_fh", None), getattr(sheet, "row_data_filename", None)
            if fh is not None:
                fh.close()
            if name:
                with contextlib.suppress(OSError):
                    os.unlink(name)


def _write_all(stream: type[ExportStream], path: str | os.PathLike[str], results: Iterable[FetchResult | None],
               progress: ProgressFn | None, lines: Sequence[int], summary: Mapping[str, object] | None = None,
               in_order: bool = False, total: int = 0) -> int:
    rows: Iterable[FetchResult]
    if not in_order:
        rows = _in_order(results)
        total = len(rows)
    else:  # streamed as given: nothing held but the row being written
        rows = (r for r in results if r is not None)
    with contextlib.ExitStack() as guard:
        out = stream(path, progress, total)
        guard.callback(out.discard)
        for r in rows:
            out.write(r, _line(lines, r))
        guard.pop_all()
    return out.commit(summary)


def write_csv(path: str | os.PathLike[str], results: Iterable[FetchResult | None],
              progress: ProgressFn | None = None, *, lines: Sequence[int] = (), in_order: bool = False,
              total: int = 0) -> int:
    """Write results (sorted into input order) to ``path`` atomically (:class:`CsvStream`);
    ``progress(done, total)`` is called every :data:`PROGRESS_EVERY` rows.

    ``lines`` gives each input index's 1-based line in the input (``UrlEntry.line``) for the
    ``line`` column; it stays empty without. ``in_order``: the results come in input order
    already (``None`` entries are skipped) and are written as they come, never held (a run read
    from the journal); ``total`` is then the number of rows expected, for ``progress``.

    Returns:
        The number of data rows written.

    Raises:
        ExportError: with a message fit to show a person.
    """
    return _write_all(CsvStream, path, results, progress, lines, in_order=in_order, total=total)


def write_jsonl(path: str | os.PathLike[str], results: Iterable[FetchResult | None],
                progress: ProgressFn | None = None, *, lines: Sequence[int] = (), in_order: bool = False,
                total: int = 0) -> int:
    """Write one JSON object per result (see :func:`record`), in input order, atomically
    (:class:`JsonlStream`; ``progress``, ``lines``, ``in_order`` and ``total`` as for :func:`write_csv`).

    Returns:
        The number of lines written.

    Raises:
        ExportError: with a message fit to show a person.
    """
    return _write_all(JsonlStream, path, results, progress, lines, in_order=in_order, total=total)


def write_xlsx(path: str | os.PathLike[str], results: Iterable[FetchResult | None],
               summary: Mapping[str, object] | None = None, progress: ProgressFn | None = None, *,
               lines: Sequence[int] = (), in_order: bool = False, total: int = 0) -> int:
    """Write an Excel workbook atomically (:class:`XlsxStream`; ``summary`` is
    ``RunSummary.to_dict()``; ``progress``, ``lines``, ``in_order`` and ``total`` as for :func:`write_csv`).

    Returns:
        The number of data rows written.

    Raises:
        ExportError: with a message fit to show a person.
    """
    return _write_all(XlsxStream, path, results, progress, lines, summary, in_order, total)


class Exports:
    """The export files of one run (any of CSV, JSON Lines, Excel), fed the same rows in input order.

    Args:
        csv, jsonl, xlsx: the target paths; ``None`` or ``""`` for a format not wanted.

    Raises:
        ExportError: a file cannot be created (the ones already opened are discarded).
    """

    def __init__(self, csv: str | None = None, jsonl: str | None = None, xlsx: str | None = None) -> None:
        self.streams: list[ExportStream] = []
        try:
            for path, kind in ((csv, CsvStream), (jsonl, JsonlStream), (xlsx, XlsxStream)):
                if path:
                    self.streams.append(kind(path))
        except ExportError:
            self.discard()
            raise

    def __bool__(self) -> bool:
        return bool(self.streams)

    def write(self, result: FetchResult, line: int | None = None) -> None:
        """Append one row to every file (rows in input order; ``line``: its 1-based input line)."""
        for s in self.streams:
            s.write(result, line)

    def commit(self, summary: Mapping[str, object] | None = None) -> None:
        """Finish and rename every file into place; after a failure the rest are discarded.

        Raises:
            ExportError: the first file that could not be written.
        """
        pending = list(self.streams)
        try:
            while pending:
                pending[0].commit(summary)
                pending.pop(0)
        finally:
            for s in pending[1:]:
                s.discard()

    def discard(self) -> None:
        """Drop every temporary file; the targets stay as they were."""
        for s in self.streams:
            s.discard()
