"""What the journal indexes of a result so a big table sorts and filters in SQLite.

The window's results table sorts by a column and filters by quick-filter categories and a
text. Holding those values for a million rows as Python objects costs gigabytes, so the
journal keeps them in a table of their own, ``result_keys`` (one row per result, written by
:class:`core.store.JournalWriter` in the transaction that writes the result, indexed), and
:func:`order_query` builds the one query that returns the visible rows' input indices in
display order. The values here are language-independent: the table's translated words
(``timeout``, ``queued``) are display only.

Column keys (the ``KEYS`` order) follow the table's columns (``gui.results.rows.Column``)
from ``url`` on: sorting by the ``#`` column is sorting by ``input_index``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from http import HTTPStatus

from core.export import content_key
from core.indexability import judge
from core.model import ErrorKind, FetchResult, RowState

log = logging.getLogger(__name__)

#: Quick-filter bits (``gui.results.rows.QuickFilter`` names them for the window's buttons).
ALL = 1
OK = 2
REDIRECTED = 4
CLIENT_ERROR = 8
SERVER_ERROR = 16
FAILED = 32
NON_INDEXABLE = 64
DUPLICATE_CONTENT = 128

#: The indexed values of a result, in table-column order (``url`` is column 1, ``chash`` 15).
KEYS: tuple[str, ...] = ("url", "code", "title", "elapsed", "size", "ctype", "links", "error", "indexability",
                         "words", "hreflang", "canonical", "robots", "modified", "chash")
#: Text columns searched by the text filter (casefolded when stored, or lower-cased when searched).
SEARCHED: dict[str, tuple[str, ...]] = {
    "url": ("lower(url)", "lower(final_url)"), "code": ("status",), "title": ("title",), "ctype": ("ctype",),
    "error": ("error",), "indexability": ("indexability",), "canonical": ("lower(canonical)",),
    "robots": ("robots",), "modified": ("lower(modified)",), "chash": ("chash",),
}
#: The columns of ``result_keys`` after ``run_id, input_index`` (name, SQL type).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("url", "TEXT"), ("final_url", "TEXT"), ("code", "INTEGER"), ("status", "TEXT"), ("title", "TEXT"),
    ("elapsed", "REAL"), ("size", "INTEGER"), ("ctype", "TEXT"), ("links", "INTEGER"), ("error", "TEXT"),
    ("indexability", "TEXT"), ("words", "INTEGER"), ("hreflang", "INTEGER"), ("canonical", "TEXT"),
    ("robots", "TEXT"), ("modified", "TEXT"), ("chash", "TEXT"), ("dup_key", "TEXT"), ("cat", "INTEGER"),
)
#: Columns with an index ``(run_id, column)``: the common sorts, and duplicate detection.
INDEXED: tuple[str, ...] = ("url", "code", "title", "elapsed", "size", "ctype", "links", "words", "dup_key")
_PHRASES = {s.value: s.phrase for s in HTTPStatus}
_UNFETCHED = (ErrorKind.INVALID_URL, ErrorKind.CANCELLED, ErrorKind.ROBOTS)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def category(r: FetchResult, indexable: bool | None) -> int:
    """The quick-filter bits of a result (all but :data:`DUPLICATE_CONTENT`, which needs the other rows).

    ``indexable`` is :func:`core.indexability.judge`'s verdict for it. The window's in-memory rows
    and the journal's keys both take their bits from here.
    """
    code = r.status_code
    cat = ALL
    if r.ok:
        cat |= OK
    if r.redirects:
        cat |= REDIRECTED
    if code is not None and 400 <= code < 500:
        cat |= CLIENT_ERROR
    elif code is not None and 500 <= code < 600:
        cat |= SERVER_ERROR
    if r.state is RowState.FAILED:
        cat |= FAILED
    if indexable is False:
        cat |= NON_INDEXABLE
    return cat


def index_values(r: FetchResult) -> tuple[object, ...]:
    """The values of :data:`COLUMNS` for a result, in that order.

    Sort values are those the table sorts by (``None`` for an empty cell): title, error and
    X-Robots-Tag casefolded, the content type's essence lower-cased, the time only for URLs
    that were fetched. ``status`` is the searched text of the Status column without its
    translated words (``"3xx→404 not found"``, or the error kind: ``"timeout"``); ``cat`` the
    quick-filter bits except :data:`DUPLICATE_CONTENT` (found across rows by ``dup_key``, the
    :func:`core.export.content_key`).
    """
    code = r.status_code
    page = r.page
    facts = page.facts if page is not None else None
    title = _one_line(page.title).casefold() if page is not None else ""
    error = _one_line(r.error).casefold()
    if code is not None:
        phrase = _PHRASES.get(code)
        status = f"{code} {phrase}" if phrase else str(code)
        if r.redirects:
            hops = len(r.redirects)
            status = f"3xx→{status}" if hops == 1 else f"3xx×{hops}→{status}"
    else:
        status = r.error_kind.value if r.error_kind else ""
    ctype = r.content_type.split(";", 1)[0].strip().lower()
    verdict = judge(r)
    indexability = "" if verdict.indexable is None else (verdict.reason or "indexable")
    hreflang = len(facts.hreflang) if facts is not None else 0
    cat = category(r, verdict.indexable)
    return (
        r.url, r.final_url, code, status.casefold(), title or None,
        r.timings.elapsed_ms if r.error_kind not in _UNFETCHED else None,
        r.bytes if code is not None else None, ctype or None, page.links if page is not None else None,
        error or None, indexability or None, facts.word_count if facts is not None else None, hreflang or None,
        (page.canonical if page is not None else "") or None, r.header("x-robots-tag").casefold() or None,
        r.header("last-modified") or None, (facts.content_hash if facts is not None else "") or None,
        content_key(r) or None, cat,
    )


def order_query(key: str | None, descending: bool, quick: int, needle: str,
                searched: Sequence[str]) -> list[tuple[str, list[object]]]:
    """The queries for the input indices of a run's stored results that pass the filters, in display order.

    Args:
        key: the sort column (one of :data:`KEYS`), or ``None`` for input order.
        descending: the direction; empty cells come last either way and ties keep input order
            (as the in-memory table's stable sort does).
        quick: a quick-filter bit (``ALL`` shows every row).
        needle: the casefolded text filter (``""``: none).
        searched: the :data:`KEYS` whose text the filter searches (others are not searched).

    Returns:
        Queries whose results, one after the other, are the order; each takes ``run_id`` as
        its first parameter, before the returned ones. Two with a sort column and no filter
        (the cells with a value, by the column's index, then the empty ones), so SQLite walks
        the index instead of sorting every row; one scan and a sort of what passes otherwise.
    """
    where: list[str] = ["run_id=?1"]
    params: list[object] = []
    if quick == DUPLICATE_CONTENT:
        where.append("dup_key IN (SELECT dup_key FROM result_keys WHERE run_id=?1 AND dup_key IS NOT NULL"
                     " GROUP BY dup_key HAVING COUNT(*) > 1)")
    elif quick != ALL:
        where.append(f"(cat & {int(quick)})")
    if needle:
        texts = [t for k in searched if k in SEARCHED for t in SEARCHED[k]]
        if not texts:
            where.append("0")
        else:
            where.append("(" + " OR ".join(f"instr({t}, ?2)" for t in texts) + ")")
            params.append(needle)
    base = "SELECT input_index FROM result_keys WHERE " + " AND ".join(where)
    if key is None:
        return [(f"{base} ORDER BY input_index {'DESC' if descending else ''}", params)]
    if key not in KEYS:
        raise ValueError(f"not a sort key: {key!r}")
    direction = "DESC" if descending else ""
    if len(where) > 1:
        # Filtered: one scan, and the rows that pass are sorted. The unary + keeps SQLite from walking
        # the column's index instead (a lookup per row of the run to test the filter: 15 s, not 0.6,
        # for a million rows).
        return [(f"{base} ORDER BY +{key} IS NULL, +{key} {direction}, input_index", params)]
    return [(f"{base} AND {key} IS NOT NULL ORDER BY {key} {direction}, input_index", params),
            (f"{base} AND {key} IS NULL ORDER BY input_index", params)]
