"""The rows of the results table: columns, quick-filter categories and what a row shows.

What :class:`gui.results.model.ResultsModel` computes once per result (display strings, sort
values, the quick-filter bits, the colour kind) and on hover (tooltips), and the translated
headers and state names. Strings are translated in the ``ResultsModel`` context, as they were
when they were the model's own ``self.tr()`` calls.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from PySide6.QtCore import QCoreApplication

from core import row_index
from core.indexability import judge
from core.model import ErrorKind, FetchResult, RowState
from core.row_index import category
from gui.app.colors import StatusKind

log = logging.getLogger(__name__)


class Column(enum.IntEnum):
    INDEX = 0
    URL = 1
    STATUS = 2
    TITLE = 3
    TIME = 4
    SIZE = 5
    TYPE = 6
    LINKS = 7
    ERROR = 8
    # List-mode audit (core.indexability, core.parse.facts); the long ones are hidden by default.
    INDEXABILITY = 9
    WORDS = 10
    HREFLANG = 11
    CANONICAL = 12
    X_ROBOTS_TAG = 13
    LAST_MODIFIED = 14
    CONTENT_HASH = 15


NUMERIC_COLUMNS = frozenset({Column.INDEX, Column.STATUS, Column.TIME, Column.SIZE, Column.LINKS, Column.WORDS,
                             Column.HREFLANG})
HIDDEN_BY_DEFAULT = frozenset({Column.CANONICAL, Column.X_ROBOTS_TAG, Column.LAST_MODIFIED, Column.CONTENT_HASH})


class QuickFilter(enum.IntEnum):
    """The quick filter buttons above the table (each value is a bit in a row's category mask)."""

    ALL = row_index.ALL
    OK = row_index.OK
    REDIRECTED = row_index.REDIRECTED
    CLIENT_ERROR = row_index.CLIENT_ERROR
    SERVER_ERROR = row_index.SERVER_ERROR
    FAILED = row_index.FAILED
    NON_INDEXABLE = row_index.NON_INDEXABLE
    DUPLICATE_CONTENT = row_index.DUPLICATE_CONTENT  # set by the model: it needs the other rows (see content_key)


# The bits are core.row_index's, computed by core.row_index.category for the journal's keys too.
_PHRASES = {s.value: s.phrase for s in HTTPStatus}


def _tr(text: str) -> str:
    return QCoreApplication.translate("ResultsModel", text)


def format_ms(ms: float) -> str:
    """``850 ms``, ``1.25 s``, ``12.5 s``."""
    if ms < 1000:
        return f"{ms:.0f} ms"
    return f"{ms / 1000:.2f} s" if ms < 10_000 else f"{ms / 1000:.1f} s"


def format_bytes(n: int) -> str:
    """``512 B``, ``12.3 KB``, ``4.0 MB`` (powers of 1024)."""
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / (1024 * 1024):.1f} MB"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def header_labels() -> tuple[str, ...]:
    """The column titles, in :class:`Column` order."""
    return (_tr("#"), _tr("URL"), _tr("Status"), _tr("Title"), _tr("Time"),
            _tr("Size"), _tr("Type"), _tr("Links"), _tr("Error"), _tr("Indexability"), _tr("Words"),
            _tr("hreflang"), _tr("Canonical"), _tr("X-Robots-Tag"), _tr("Last-Modified"), _tr("Content hash"))


def pending_row(line: int, url: str, state_text: str) -> tuple[list[str], list[Any]]:
    """Display strings and sort values of the URL on input ``line`` without a result yet."""
    blanks = len(Column) - 3
    return [str(line), url, state_text, *[""] * blanks], [line, url, *[None] * (blanks + 1)]


def header_tips() -> dict[Column, str]:
    """The header tooltips of the columns that need one."""
    return {
        Column.INDEX: _tr("Line in the URL box (and the CSV's line column)"),
        Column.STATUS: _tr("State while running; HTTP status when done (3xx→ marks redirects)"),
        Column.TIME: _tr("From the start of the attempt to the parsed page (hover a cell for the phases)"),
        Column.SIZE: _tr("Body size after decompression"),
        Column.LINKS: _tr("Number of <a href> links on the page"),
        Column.INDEXABILITY: _tr("Indexable, or why not: non_200, redirected, noindex (meta robots or "
                                 "X-Robots-Tag), canonicalised, blocked_by_robots"),
        Column.WORDS: _tr("Words of the visible body text (scripts and styles excluded)"),
        Column.HREFLANG: _tr("Number of <link rel=alternate hreflang> (Enter shows them)"),
    }


def state_texts() -> dict[RowState, str]:
    """The Status column's text for each row state."""
    return {
        RowState.QUEUED: _tr("queued"), RowState.CONNECTING: _tr("connecting"),
        RowState.DOWNLOADING: _tr("downloading"), RowState.PARSING: _tr("parsing"),
        RowState.DONE: _tr("done"), RowState.FAILED: _tr("failed"),
        RowState.CANCELLED: _tr("cancelled"),
    }


def error_kind_texts() -> dict[ErrorKind, str]:
    """The Status column's text for each kind of failure without an HTTP status."""
    return {
        ErrorKind.INVALID_URL: _tr("invalid URL"), ErrorKind.DNS: _tr("DNS failure"),
        ErrorKind.CONNECT: _tr("connect failed"), ErrorKind.TLS: _tr("TLS error"),
        ErrorKind.TIMEOUT: _tr("timeout"), ErrorKind.TOO_MANY_REDIRECTS: _tr("too many redirects"),
        ErrorKind.HTTP_ERROR: _tr("HTTP error"), ErrorKind.TOO_LARGE: _tr("too large"),
        ErrorKind.DECODE: _tr("decode error"), ErrorKind.RESET: _tr("connection reset"),
        ErrorKind.ROBOTS: _tr("blocked by robots.txt"),
        ErrorKind.CANCELLED: _tr("cancelled"), ErrorKind.OTHER: _tr("error"),
    }


def search_text(disp: Sequence[str], columns: Sequence[int], final_url: str = "") -> str:
    """What the text filter searches in a row: the shown text of ``columns`` (casefolded).

    The final URL (shown when hovering the URL) counts as part of the URL column.
    """
    parts = [d for c in columns if (d := disp[c])]
    if final_url and Column.URL in columns and final_url != disp[Column.URL]:
        parts.append(final_url)
    return "\n".join(parts).casefold()


def result_row(line: int, url: str, r: FetchResult, state_text: Mapping[RowState, str],
               kind_text: Mapping[ErrorKind, str]) -> tuple[list[str], list[Any], int, StatusKind]:
    """The row of the URL on input ``line`` with its result: display strings, sort values, quick-filter
    bits, colour kind."""
    code = r.status_code
    state = r.state
    page = r.page
    title = _one_line(page.title) if page is not None else ""
    error = _one_line(r.error)
    if code is not None:
        phrase = _PHRASES.get(code)
        status = f"{code} {phrase}" if phrase else str(code)
        if r.redirects:
            hops = len(r.redirects)
            status = f"3xx→{status}" if hops == 1 else f"3xx×{hops}→{status}"
    else:
        status = kind_text.get(r.error_kind, "") if r.error_kind else state_text[state]
    ctype = r.content_type.split(";", 1)[0].strip().lower()
    has_body = code is not None
    # Invalid, cancelled and robots.txt-skipped URLs were never fetched: no time rather than a misleading "0 ms".
    fetched = r.error_kind not in (ErrorKind.INVALID_URL, ErrorKind.CANCELLED, ErrorKind.ROBOTS)
    elapsed = r.timings.elapsed_ms if fetched else None
    links = page.links if page is not None else None
    verdict = judge(r)
    indexability = "" if verdict.indexable is None else (verdict.reason or _tr("indexable"))
    facts = page.facts if page is not None else None
    words = facts.word_count if facts is not None else None
    hreflang = len(facts.hreflang) if facts is not None else None
    canonical = page.canonical if page is not None else ""
    robots, modified = r.header("x-robots-tag"), r.header("last-modified")
    content_hash = facts.content_hash if facts is not None else ""
    disp = [str(line), url, status, title, "" if elapsed is None else format_ms(elapsed),
            format_bytes(r.bytes) if has_body else "", ctype,
            "" if links is None else str(links), error, indexability, "" if words is None else str(words),
            "" if not hreflang else str(hreflang), canonical, robots, modified, content_hash]
    raw = [line, url, code, title.casefold() or None, elapsed,
           r.bytes if has_body else None, ctype or None, links, error.casefold() or None, indexability or None,
           words, hreflang or None, canonical or None, robots.casefold() or None, modified or None,
           content_hash or None]
    return disp, raw, category(r, verdict.indexable), _kind_of(r, state)


def row_tooltip(col: int, url: str, r: FetchResult | None, disp: Sequence[str], raw: Sequence[Any],
                line_of: Sequence[int] = ()) -> str | None:
    """A cell's tooltip: final URL, redirect chain, attempts, the phases of the time, full texts.

    ``line_of``: the input line of each input index (to name the row a duplicate repeats).
    """
    if col == Column.URL:
        if r is not None and r.final_url and r.final_url != url:
            return _tr("{url}\nfinal: {final}").format(url=url, final=r.final_url)
        return url
    if r is None:
        return disp[Column.STATUS] if col == Column.STATUS else None
    if col == Column.STATUS:
        lines = [disp[Column.STATUS]]
        if r.redirects:
            lines += [_tr("Redirect chain:")] + [f"  {u}" for u in r.redirects] + [f"→ {r.final_url}"]
        if r.duplicate_of is not None:
            first = line_of[r.duplicate_of] if r.duplicate_of < len(line_of) else r.duplicate_of + 1
            lines.append(_tr("Same URL as row #{n}: result reused").format(n=first))
        if r.attempts > 1:
            lines.append(_tr("{n} attempts").format(n=r.attempts))
        return "\n".join(lines)
    if col == Column.TIME:
        if raw[Column.TIME] is None:
            return None
        t = r.timings
        lines = [_tr("total {ms}").format(ms=format_ms(t.elapsed_ms))]
        names = {"queued": _tr("queued"), "dns": _tr("DNS"), "connect": _tr("connect"),
                 "wait": _tr("waiting (TTFB)"), "download": _tr("download"), "parse": _tr("parse")}
        for name, start, end in t.segments():
            lines.append(f"  {names[name]}: {format_ms(end - start)}")
        if t.ttfb_ms is not None:
            lines.append(_tr("first byte after {ms}").format(ms=format_ms(t.ttfb_ms)))
        lines.append(_tr("started at {ms} into the run").format(ms=format_ms(t.started_ms)))
        return "\n".join(lines)
    if col == Column.ERROR:
        return r.error or None
    if col == Column.TITLE:
        return disp[Column.TITLE] or None
    if col == Column.TYPE:
        return r.content_type or None
    return None


def _kind_of(r: FetchResult, state: RowState) -> StatusKind:
    if state == RowState.CANCELLED:
        return StatusKind.CANCELLED
    code = r.status_code
    if code is None:
        return StatusKind.FAILED
    if code >= 500:
        return StatusKind.SERVER_ERROR
    if code >= 400:
        return StatusKind.CLIENT_ERROR
    if r.redirects or 300 <= code < 400:
        return StatusKind.REDIRECT
    return StatusKind.OK if r.ok else StatusKind.FAILED
