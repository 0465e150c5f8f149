"""Exports per DESIGN.md, all in input order and written atomically.

CSV (UTF-8 with BOM, RFC 4180, formula-safe), JSON Lines (typed values, every header) and
Excel (.xlsx with ``xlsxwriter``: a results sheet and a summary sheet, no formulas).
"""

from __future__ import annotations

import csv
import json
import logging
import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from core.files import SaveError, atomic_target
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


def content_duplicates(results: Iterable[FetchResult]) -> dict[int, int]:
    """``input_index`` → the ``input_index`` of the first row (in input order) with the same
    :func:`content_key`. The first row of a group maps to nothing."""
    first: dict[str, int] = {}
    out: dict[int, int] = {}
    for r in sorted(results, key=lambda r: r.input_index):
        key = content_key(r)
        if key and (orig := first.setdefault(key, r.input_index)) != r.input_index:
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


def _line(lines: Sequence[int], r: FetchResult) -> int | None:
    return lines[r.input_index] if 0 <= r.input_index < len(lines) else None


def _atomic(target: Path, write: Callable[[str], None]) -> None:
    """Run ``write(temporary path)`` in ``target``'s folder, then rename the file into place
    (:func:`core.files.atomic_target`).

    A failure (read-only folder, full disk, a writer error) never leaves half a file and never
    touches an existing one.

    Raises:
        ExportError: with a message fit to show a person (where and why).
    """
    try:
        with atomic_target(target) as tmp:
            write(tmp)
    except SaveError as exc:
        raise ExportError(str(exc)) from exc


def write_csv(path: str | os.PathLike[str], results: Iterable[FetchResult | None],
              progress: ProgressFn | None = None, *, lines: Sequence[int] = ()) -> int:
    """Write results (sorted into input order) to ``path`` atomically (see :func:`_atomic`);
    ``progress(done, total)`` is called every :data:`PROGRESS_EVERY` rows.

    ``lines`` gives each input index's 1-based line in the input (``UrlEntry.line``) for the
    ``line`` column; it stays empty without.

    Returns:
        The number of data rows written.

    Raises:
        ExportError: with a message fit to show a person.
    """
    target = Path(path)
    rows = _in_order(results)
    dups = content_duplicates(rows)

    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh, dialect="excel", lineterminator="\r\n")
            writer.writerow(COLUMNS)
            for n, r in enumerate(rows, start=1):
                writer.writerow(row(r, dups.get(r.input_index), _line(lines, r)))
                _report(progress, n, len(rows))
            fh.flush()
            os.fsync(fh.fileno())

    _atomic(target, write)
    log.info("wrote %d rows to %s", len(rows), target)
    return len(rows)


def write_jsonl(path: str | os.PathLike[str], results: Iterable[FetchResult | None],
                progress: ProgressFn | None = None, *, lines: Sequence[int] = ()) -> int:
    """Write one JSON object per result (see :func:`record`), in input order, atomically
    (``progress`` and ``lines`` as for :func:`write_csv`).

    JSON Lines (jsonlines.org): UTF-8, one object per ``\\n``-terminated line, no BOM.

    Returns:
        The number of lines written.

    Raises:
        ExportError: with a message fit to show a person.
    """
    target = Path(path)
    rows = _in_order(results)
    dups = content_duplicates(rows)

    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            for n, r in enumerate(rows, start=1):
                obj = record(r, dups.get(r.input_index), _line(lines, r))
                fh.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")))
                fh.write("\n")
                _report(progress, n, len(rows))
            fh.flush()
            os.fsync(fh.fileno())

    _atomic(target, write)
    log.info("wrote %d lines to %s", len(rows), target)
    return len(rows)


MAX_XLSX_LINKS = 65_530  # Excel's hyperlinks per worksheet (xlsxwriter warns past it); then plain text
MAX_XLSX_URL = 2079  # Excel's longest hyperlink
MAX_XLSX_TEXT = 32_767  # Excel's longest cell text


def write_xlsx(path: str | os.PathLike[str], results: Iterable[FetchResult | None],
               summary: Mapping[str, object] | None = None, progress: ProgressFn | None = None, *,
               lines: Sequence[int] = ()) -> int:
    """Write an Excel workbook atomically: a "Results" sheet and a "Summary" sheet
    (``progress`` and ``lines`` as for :func:`write_csv`).

    Results: the :data:`COLUMNS` as typed cells, header row frozen, autofilter, column widths
    from the content, URL columns as hyperlinks (http/https only). Text is written with
    ``write_string`` and the workbook's ``strings_to_formulas``/``strings_to_urls`` are off,
    so no cell is ever evaluated as a formula (CWE-1236). Summary: the run's ``summary``
    (``RunSummary.to_dict()``) as name/value rows, plus counts of indexability reasons.

    Returns:
        The number of data rows written.

    Raises:
        ExportError: with a message fit to show a person.
    """
    import xlsxwriter

    target = Path(path)
    rows = _in_order(results)
    dups = content_duplicates(rows)

    def write(tmp: str) -> None:
        wb = xlsxwriter.Workbook(tmp, {"strings_to_formulas": False, "strings_to_urls": False,
                                       "strings_to_numbers": False, "constant_memory": True})
        try:
            _xlsx_sheets(wb, rows, dups, lines, summary or {}, progress)
        finally:
            wb.close()

    try:
        _atomic(target, write)
    except ExportError:
        raise
    except Exception as exc:  # xlsxwriter reports its own limits with its exceptions
        raise ExportError(f"cannot write {target}: {exc}") from exc
    log.info("wrote %d rows to %s", len(rows), target)
    return len(rows)


def _xlsx_sheets(wb: Workbook, rows: list[FetchResult], dups: dict[int, int], lines: Sequence[int],
                 summary: Mapping[str, object], progress: ProgressFn | None) -> None:
    bold = wb.add_format({"bold": True})
    link = wb.add_format({"font_color": "blue", "underline": 1})
    ws = wb.add_worksheet("Results")
    table = [values(r, dups.get(r.input_index), _line(lines, r)) for r in rows]
    widths = [len(c) + 2 for c in COLUMNS]
    for vals in table[:500]:  # widths from a sample: the first rows show what a column holds
        for i, v in enumerate(vals):
            if v is not None:
                widths[i] = max(widths[i], min(60, len(str(v)) + 2))
    for i, w in enumerate(widths):
        ws.set_column(i, i, w)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(1, len(table)), len(COLUMNS) - 1)
    for i, name in enumerate(COLUMNS):
        ws.write_string(0, i, name, bold)
    links = 0
    for y, vals in enumerate(table, start=1):
        _report(progress, y, len(table))
        for x, v in enumerate(vals):
            if v is None:
                continue
            if isinstance(v, bool):
                ws.write_boolean(y, x, v)
            elif isinstance(v, (int, float)):
                ws.write_number(y, x, v)
            elif (COLUMNS[x] in URL_COLUMNS and links < MAX_XLSX_LINKS and len(v) <= MAX_XLSX_URL
                  and v.lower().startswith(("http://", "https://")) and ws.write_url(y, x, v, link, string=v) == 0):
                links += 1
            else:  # text, or a URL Excel would not take as a link (xlsxwriter returns non-zero and writes nothing)
                ws.write_string(y, x, v[:MAX_XLSX_TEXT])
    sheet = wb.add_worksheet("Summary")
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 20)
    counts = Counter(v[COLUMNS.index("indexability")] or "indexable" for v in table)
    items: list[tuple[str, object]] = [*summary.items(), ("rows", len(table)),
                                       *((f"indexability: {k}", n) for k, n in sorted(counts.items()))]
    sheet.write_string(0, 0, "name", bold)
    sheet.write_string(0, 1, "value", bold)
    for y, (k, v) in enumerate(items, start=1):
        sheet.write_string(y, 0, str(k))
        if isinstance(v, bool):
            sheet.write_boolean(y, 1, v)
        elif isinstance(v, (int, float)):
            sheet.write_number(y, 1, v)
        else:
            sheet.write_string(y, 1, json.dumps(v) if isinstance(v, (dict, list)) else str(v))
