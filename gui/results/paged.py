"""The rows of a big run read from the journal in pages, sorted and filtered by SQLite in a worker thread.

A million rows as per-row Python lists (display strings, sort keys, search text) cost
gigabytes and seconds per sort. :class:`PagedRows` keeps per row one byte (its quick-filter
bits, so the counts stay exact as results arrive) and the visible order as an ``array('q')`` of
input indices (none at all in input order; its inverse, input index → row, only when many rows
are looked up), and:

* a small LRU of decoded rows around what the view paints, read from the journal in pages
  of :data:`PAGE` rows. While the view paints (:attr:`PagedRows.deferring`), a row not in it
  paints as "…" and its page is read and decoded by a second worker thread (its own SQLite
  connection), then handed back through ``paged_in``: the model repaints those rows. Outside
  painting (the details pane, an export, tests), ``data()`` of such a row reads its page at
  once (a few ms);
* an overlay of the results applied since the journal's writer last committed (the writer
  commits every 0.1 s; entries are dropped once the journal has them) and of the rows in
  flight (progress);
* a worker thread with its own SQLite connection that computes the order for the current
  sort and filters (:meth:`core.store.Journal.order`, indexed columns of
  :mod:`core.row_index`), reads the rows' bits of a run opened with results and counts the
  duplicate-content rows (at most every :data:`DUPLICATES_S`), and hands them back through the
  ``ordered`` signal. The model swaps them in with one layout change. The worker does no
  per-row Python: a Python loop over a million rows in a thread takes the GIL from the GUI
  thread for hundreds of milliseconds (see DESIGN.md's hazards).

While results arrive, a sorted or filtered order is recomputed at most every
:data:`REFRESH_S` seconds; rows that finished since keep their place until then.
"""

from __future__ import annotations

import collections
import itertools
import logging
import sys
import threading
import time
from array import array
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Signal

from core import row_index
from core.indexability import judge
from core.model import ErrorKind, FetchResult, Progress, RowState
from core.store import Journal
from gui.app.colors import StatusKind
from gui.results.rows import Column, format_bytes, pending_row, result_row

log = logging.getLogger(__name__)
T = TypeVar("T")

PAGE = 128  #: rows read from the journal at once (around the row asked for, in display order)
CACHE_ROWS = 4096  #: decoded rows kept (a few screens)
REFRESH_S = 1.0  #: while results arrive, the order is recomputed at most this often (or 3× its cost)
DUPLICATES_S = 5.0  #: … and the duplicate rows counted at most this often (or 10× the cost)
_HAS = row_index.DUPLICATE_CONTENT  # in ``PagedRows.cats``: the row has a result (duplicates are counted apart)
_RUNNING = (RowState.CONNECTING, RowState.DOWNLOADING, RowState.PARSING)
_KEYS = {col: key for col, key in zip(range(Column.URL, Column.CONTENT_HASH + 1), row_index.KEYS, strict=True)}


def _find(data: bytes, value: int) -> int | None:
    """The position of ``value`` in the bytes of an ``array('q')`` (a search in C, without a
    Python int per element as ``array.index`` makes), or None."""
    needle = value.to_bytes(8, sys.byteorder, signed=True)
    at = data.find(needle)
    while at >= 0 and at % 8:  # a match across two elements
        at = data.find(needle, at + 1)
    return at // 8 if at >= 0 else None


@dataclass(frozen=True, slots=True)
class Row:
    """What the table shows of one row: display strings, sort values, colour kind and the result."""

    disp: list[str]
    raw: list[Any]
    kind: StatusKind
    result: FetchResult | None


@dataclass(frozen=True, slots=True)
class _Request:
    generation: int
    key: str | None
    descending: bool
    quick: int
    needle: str
    searched: tuple[str, ...]
    scan: bool  # read every recorded row's quick-filter bits (a run opened with results)
    duplicates: bool  # count the rows with duplicate content
    overlay: tuple[FetchResult, ...]  # results applied lately: which of them has the journal written?
    complete: bool  # every row has a recorded result (none can be missing)


@dataclass(slots=True)
class Ordered:
    """What the worker computed for one request (handed to the GUI thread).

    Attributes:
        generation: the request's number (an older answer than the latest request is dropped).
        order: visible input indices in display order, or ``None`` for every row in input order.
        recorded: of the overlay's entries sent with the request, those the journal holds.
        cats: every row's quick-filter bits (``_HAS`` for a row with a result), or ``None``
            when not asked for (``scan``).
        duplicates: rows whose content another row shares, -1 when not asked for.
        seconds: how long the order took (not the scan or the duplicates).
        error: why it failed (the order is then input order).
    """

    generation: int
    order: array[int] | None
    recorded: set[int]
    cats: bytearray | None = None
    duplicates: int = -1
    seconds: float = 0.0
    error: str = ""


class _Latest(Generic[T]):
    """A one-slot hand-off to a worker thread: a new request replaces one not yet taken."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._request: T | None = None
        self._closing = False

    def put(self, request: T) -> None:
        with self._cond:
            self._request = request
            self._cond.notify()

    def take(self) -> T | None:
        """The latest request, waiting for one; ``None`` once :meth:`close` was called."""
        with self._cond:
            while self._request is None and not self._closing:
                self._cond.wait()
            if self._closing:
                return None
            request, self._request = self._request, None
            return request

    def close(self) -> None:
        with self._cond:
            self._closing = True
            self._cond.notify()


class _Worker:
    """One thread with its own journal connection; only the latest request is computed."""

    def __init__(self, path: Path, run_id: int, n: int, urls: Sequence[str], pending_text: str,
                 done: Callable[[Ordered], None]) -> None:
        self._path, self._run_id, self._n, self._urls = path, run_id, n, urls
        self._pending_text = pending_text.casefold()
        self._filled = False
        self._done = done
        self._requests: _Latest[_Request] = _Latest()
        self._thread = threading.Thread(target=self._loop, name=f"results-order-{run_id}", daemon=True)
        self._thread.start()

    def submit(self, request: _Request) -> None:
        self._requests.put(request)

    def close(self) -> None:
        self._requests.close()
        self._thread.join()

    def _loop(self) -> None:
        journal: Journal | None = None
        failure = ""
        try:
            journal = Journal(self._path)
        except Exception as exc:  # every request is then answered with the error (the table shows input order)
            log.exception("the results' journal could not be opened")
            failure = str(exc)
        try:
            while (request := self._requests.take()) is not None:
                try:
                    if journal is None:
                        raise RuntimeError(failure)
                    self._done(self._compute(journal, request))
                except Exception as exc:  # a broken journal must not kill the thread silently
                    log.exception("ordering the results failed")
                    self._done(Ordered(request.generation, None, set(), error=str(exc)))
        finally:
            if journal is not None:
                journal.close()

    def _compute(self, j: Journal, req: _Request) -> Ordered:
        t0 = time.perf_counter()
        run_id, n = self._run_id, self._n
        recorded = j.recorded(run_id, req.overlay) if req.overlay else set()
        cats = None
        if req.scan:
            j.fill_index(run_id)  # a run recorded before the keys were: once
            cats = j.categories(run_id, n)
        duplicates = j.quick_counts(run_id, duplicates_only=True)[row_index.DUPLICATE_CONTENT] if (
            req.duplicates) else -1
        t0 = time.perf_counter()
        order = None
        if req.key is not None or req.descending or req.quick != row_index.ALL or req.needle:
            order = j.order(run_id, req.key, req.descending, req.quick, req.needle, req.searched)
            if req.quick == row_index.ALL and not req.complete:
                rest = self._unrecorded(j, req)
                if rest and req.key is None:  # input order: the rows without a result in their place
                    order = array("q", sorted(itertools.chain(order, rest), reverse=req.descending))
                elif rest:  # sorted: rows without a result have empty cells, last
                    order.extend(rest)
        return Ordered(req.generation, order, recorded, cats, duplicates, time.perf_counter() - t0)

    def _unrecorded(self, j: Journal, req: _Request) -> array[int]:
        """Rows without a recorded result that pass the text filter (URL or their state text), in input order."""
        rest = j.missing(self._run_id, self._n)
        needle = req.needle
        if not needle or not rest:
            return rest
        if "url" not in req.searched:
            return rest if needle in self._pending_text else array("q")
        if needle in self._pending_text:
            return rest
        urls = self._urls
        return array("q", (i for i in rest if needle in urls[i].casefold()))


class _PageReader:
    """One thread with its own journal connection that reads and decodes pages of rows; only the
    latest request is read (the view has scrolled past the older ones)."""

    def __init__(self, path: Path, run_id: int, decode: Callable[[int, FetchResult], Row],
                 done: Callable[[tuple[int, list[int], dict[int, Row]]], None]) -> None:
        self._path, self._run_id, self._decode, self._done = path, run_id, decode, done
        self._requests: _Latest[tuple[int, list[int]]] = _Latest()
        self._thread = threading.Thread(target=self._loop, name=f"results-pages-{run_id}", daemon=True)
        self._thread.start()

    def submit(self, token: int, indices: list[int]) -> None:
        self._requests.put((token, indices))

    def close(self) -> None:
        self._requests.close()
        self._thread.join()

    def _loop(self) -> None:
        journal: Journal | None = None
        try:
            while (request := self._requests.take()) is not None:
                token, indices = request
                try:
                    if journal is None:
                        journal = Journal(self._path, migrate=False)
                    found = journal.results_at(self._run_id, indices)
                    self._done((token, indices, {i: self._decode(i, r) for i, r in found.items()}))
                except Exception:  # a broken journal must not kill the thread silently (the rows stay "…")
                    log.exception("reading a page of results failed")
        finally:
            if journal is not None:
                journal.close()


class PagedRows(QObject):
    """The rows of one run of ``n`` URLs recorded in the journal at ``path`` as run ``run_id``.

    Args:
        path: the journal file (read by a connection of the GUI thread and one of the worker).
        run_id: the journal run the rows belong to (it may have results already: opened from
            the history, or resumed).
        urls, lines: the run's URLs and their input lines (kept by reference, not copied).
        state_text, kind_text: the Status column's words (translated by the model).

    Attributes:
        deferring: while True (the view paints), :meth:`row` of a row not in the page cache
            returns a placeholder ("…") and has its page read in the page reader's thread
            (:meth:`fetch_wanted` sends the request); ``on_paged`` is then called with the
            visible rows read (sorted), on the GUI thread.

    Signals:
        ordered(Ordered): the worker's answer to :meth:`request`, on the GUI thread.
        paged_in(tuple): ``(token, input indices asked, {input index: Row})`` from the page
            reader (the rows it found recorded), on the GUI thread.
    """

    ordered = Signal(object)
    paged_in = Signal(object)

    def __init__(self, path: Path, run_id: int, urls: Sequence[str], lines: Sequence[int],
                 state_text: Mapping[RowState, str], kind_text: Mapping[ErrorKind, str],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path, self.run_id = Path(path), run_id
        self.n = len(urls)
        self.urls, self.lines = urls, lines
        self.state_text, self.kind_text = state_text, kind_text
        self.order: array[int] | None = None  # None: every row, in input order
        self._pos: array[int] | None = None  # the inverse of order, built when many rows are looked up
        self._painted: dict[int, int] = {}  # input index -> visible row, of rows painted in this order
        self.cats = bytearray([row_index.ALL]) * self.n  # quick-filter bits of each row, and _HAS
        self.counts: dict[int, int] = dict.fromkeys((1 << b for b in range(8)), 0)
        self.counts[row_index.ALL] = self.n
        self.live: dict[int, tuple[RowState, tuple[int, int | None] | None]] = {}  # rows in flight
        # applied, maybe not written yet: input index -> (result, tick applied at, quick-filter bits)
        self.overlay: dict[int, tuple[FetchResult, int, int]] = {}
        self.unknown_length = 0
        self.generation = 0
        self.last_seconds = 0.0
        self._tick = 0
        self._cache: collections.OrderedDict[int, Row] = collections.OrderedDict()
        self._reader: Journal | None = None
        self._in_flight = False
        self._dirty = False
        self._uncounted = False  # results arrived since the duplicates were last counted
        self._last_request = self._last_count = 0.0
        self._count_every = DUPLICATES_S
        self._params: tuple[Any, ...] = (None, False, row_index.ALL, "", row_index.KEYS)
        self._worker = _Worker(self.path, run_id, self.n, urls, state_text[RowState.QUEUED], self.ordered.emit)
        self.ordered.connect(self._on_ordered)
        self.on_ordered: Callable[[Ordered], None] = lambda _o: None
        self.deferring = False
        self._wanted: dict[int, int] = {}  # visible row -> input index, painted as "…" (not cached)
        self._asked: dict[int, int] = {}  # … sent to the page reader (the latest request)
        self._page_token = 0
        self._pages = _PageReader(self.path, run_id, self._decoded, self.paged_in.emit)
        self.paged_in.connect(self._on_paged_in)
        self.on_paged: Callable[[list[int]], None] = lambda _rows: None

    def close(self) -> None:
        """Stop the worker threads and close the journal connections."""
        self._worker.close()
        self._pages.close()
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    # -- rows ----------------------------------------------------------------------------------
    def row_count(self) -> int:
        return self.n if self.order is None else len(self.order)

    def input_index(self, row: int) -> int:
        return row if self.order is None else self.order[row]

    def row_of(self, i: int) -> int | None:
        if not 0 <= i < self.n:
            return None
        order = self.order
        if order is None:
            return i
        hint = self._painted.get(i)  # a row the view painted: where it was
        if hint is not None and hint < len(order) and order[hint] == i:
            return hint
        if self._pos is None:
            return _find(order.tobytes(), i)
        row = self._pos[i]
        return row if row >= 0 else None

    def rows_of(self, indices: Sequence[int]) -> list[int | None]:
        """:meth:`row_of` of many input indices, each distinct one looked up once (a persistent
        index per column of a selected row is one lookup): a search of the order's bytes each
        (a few ms for a million rows), or, for more than 32 distinct ones, the inverse order
        built once (~0.3 s for a million rows)."""
        order = self.order
        if order is None:
            return [self.row_of(i) for i in indices]
        distinct = {i for i in indices if 0 <= i < self.n}
        if self._pos is None and len(distinct) > 32:
            pos = array("q", [-1]) * self.n
            for row, j in enumerate(order):
                pos[j] = row
            self._pos = pos
        if self._pos is not None:
            return [self.row_of(i) for i in indices]
        found: dict[int, int | None] = {}
        data: bytes | None = None
        for i in distinct:
            hint = self._painted.get(i)
            if hint is not None and hint < len(order) and order[hint] == i:
                found[i] = hint
                continue
            if data is None:
                data = order.tobytes()  # 8 MB for a million rows, copied once
            found[i] = _find(data, i)
        return [found.get(i) for i in indices]

    def state(self, i: int) -> RowState:
        live = self.live.get(i)
        if live is not None:
            return live[0]
        r = self.result(i)
        return RowState.QUEUED if r is None else r.state

    def nbytes(self, i: int) -> tuple[int, int | None] | None:
        """``(bytes done, bytes total or None)`` of a downloading row, else None."""
        live = self.live.get(i)
        return live[1] if live is not None else None

    def row(self, i: int, visible_row: int | None = None) -> Row:
        """The row of input index ``i``, read with its page from the journal if it is not cached."""
        if visible_row is not None:
            if len(self._painted) > CACHE_ROWS:
                self._painted.clear()
            self._painted[i] = visible_row
        hit = self._cache.get(i)
        if hit is not None:
            self._cache.move_to_end(i)
            return hit
        over = self.overlay.get(i)
        if over is not None:
            return self._keep(i, self._decoded(i, over[0]))
        if i in self.live:
            return self._pending(i)
        if self.deferring:
            if visible_row is not None:
                self._wanted[visible_row] = i
            return self._placeholder(i)
        self._load_page(i if visible_row is None else visible_row, visible_row is not None)
        hit = self._cache.get(i)
        return hit if hit is not None else self._pending(i)

    def result(self, i: int) -> FetchResult | None:
        if not 0 <= i < self.n or i in self.live:
            return None
        over = self.overlay.get(i)
        return over[0] if over is not None else self.row(i).result

    def _pending(self, i: int) -> Row:
        state, nbytes = self.live.get(i, (RowState.QUEUED, None))
        disp, raw = pending_row(self.lines[i], self.urls[i], self.state_text[RowState.QUEUED])
        if state is not RowState.QUEUED:
            text = self.state_text.get(state, str(state))
            if nbytes is not None and nbytes[1]:
                text = f"{text} {min(100, nbytes[0] * 100 // max(nbytes[1], 1))}%"
            disp[Column.STATUS] = text
            done = nbytes[0] if nbytes is not None else 0
            disp[Column.SIZE] = format_bytes(done) if state in _RUNNING and done else ""
        return Row(disp, raw, StatusKind.RUNNING if state in _RUNNING else StatusKind.QUEUED, None)

    def _placeholder(self, i: int) -> Row:
        disp, raw = pending_row(self.lines[i], self.urls[i], "…")
        for c in range(Column.TITLE, len(Column)):
            disp[c] = "…"
        return Row(disp, raw, StatusKind.QUEUED, None)

    def fetch_wanted(self) -> None:
        """Have the page reader read the rows painted as "…" since the last call, with a page
        around them (:data:`PAGE` rows in display order); the latest request replaces an unread one."""
        if not self._wanted or self._wanted.items() <= self._asked.items():
            self._wanted.clear()
            return
        rows = sorted(self._wanted)
        first = max(0, rows[0] - PAGE // 4)
        last = min(self.row_count(), max(rows[-1] + 1, first + PAGE))
        indices = [self.input_index(r) for r in range(first, last)]
        indices = [i for i in indices if i not in self._cache and i not in self.overlay and i not in self.live]
        self._asked = dict(self._wanted)
        self._wanted.clear()
        self._page_token += 1
        self._pages.submit(self._page_token, indices)

    def _on_paged_in(self, page: tuple[int, list[int], dict[int, Row]]) -> None:
        token, indices, rows = page
        for i in indices:
            if i not in self._cache and i not in self.overlay and i not in self.live:
                row = rows.get(i)
                self._keep(i, row if row is not None else self._pending(i))  # not recorded: queued
        asked = self._asked
        if token == self._page_token:
            self._asked = {}
        n = self.row_count()
        self.on_paged(sorted(r for r, i in asked.items() if r < n and self.input_index(r) == i and i in self._cache))

    def _decoded(self, i: int, r: FetchResult) -> Row:
        disp, raw, _cat, kind = result_row(self.lines[i], self.urls[i], r, self.state_text, self.kind_text)
        return Row(disp, raw, kind, r)

    def _keep(self, i: int, row: Row) -> Row:
        self._cache[i] = row
        if len(self._cache) > CACHE_ROWS:
            self._cache.popitem(last=False)
        return row

    def _load_page(self, at: int, by_row: bool) -> None:
        """Read the rows around ``at`` (a visible row, or an input index) into the cache; rows the
        journal has no result for are cached as queued (a result arriving replaces them)."""
        if self._reader is None:
            self._reader = Journal(self.path, migrate=False)
        if by_row:
            first = max(0, at - PAGE // 4)
            wanted = [self.input_index(r) for r in range(first, min(self.row_count(), first + PAGE))]
        else:
            wanted = list(range(max(0, at - PAGE // 4), min(self.n, at + PAGE)))
        wanted = [i for i in wanted if i not in self._cache and i not in self.overlay and i not in self.live]
        found = self._reader.results_at(self.run_id, wanted)
        for i in wanted:
            r = found.get(i)
            self._keep(i, self._decoded(i, r) if r is not None else self._pending(i))

    def is_cached(self, i: int) -> bool:
        """Whether row ``i`` is in the page cache (painted lately, or about to be)."""
        return i in self._cache

    def cached_rows(self) -> int:
        """How many decoded rows are held (the page cache)."""
        return len(self._cache)

    # -- changes -------------------------------------------------------------------------------
    def _set_cat(self, i: int, cat: int) -> None:
        old = self.cats[i]
        if old != cat:
            counts = self.counts
            for bit in counts:
                if bit not in (row_index.ALL, _HAS):
                    counts[bit] += bool(cat & bit) - bool(old & bit)
            self.cats[i] = cat

    def apply_progress(self, p: Progress) -> bool:
        """Fold a progress event in; False if the row already has its result (a late event)."""
        i = p.input_index
        hit = self._cache.get(i)
        if i in self.overlay or (hit is not None and hit.result is not None):
            return False
        nbytes = (p.bytes_done, p.bytes_total) if p.state == RowState.DOWNLOADING else None
        old = self.live.get(i)
        was_busy = old is not None and old[1] is not None and old[1][1] is None
        busy = nbytes is not None and nbytes[1] is None
        self.unknown_length += int(busy) - int(was_busy)
        self.live[i] = (p.state, nbytes)
        self._cache.pop(i, None)
        return True

    def apply_result(self, r: FetchResult) -> bool:
        """Fold a result in; False if it is the one the row has already."""
        i = r.input_index
        over = self.overlay.get(i)
        if over is not None and over[0] is r:
            return False
        self._forget_live(i)
        cat = row_index.category(r, judge(r).indexable)  # only the bits: the other keys are the journal's
        self.overlay[i] = (r, self._tick, cat)
        self._cache.pop(i, None)
        self._set_cat(i, cat | _HAS)
        self._dirty = self._uncounted = True
        return True

    def clear_row(self, i: int) -> None:
        """Put a row back to queued (it is fetched again)."""
        self._forget_live(i)
        self.overlay.pop(i, None)
        self._set_cat(i, row_index.ALL)
        self._cache.pop(i, None)
        self.live[i] = (RowState.QUEUED, None)  # until its new result, whatever the journal still says
        self._dirty = self._uncounted = True

    def _forget_live(self, i: int) -> None:
        old = self.live.pop(i, None)
        if old is not None and old[1] is not None and old[1][1] is None:
            self.unknown_length -= 1

    def finished(self) -> int:
        """Rows with a result (recorded, or applied since the last count)."""
        return self.n - self.cats.count(row_index.ALL)

    # -- order ---------------------------------------------------------------------------------
    def set_params(self, key: str | None, descending: bool, quick: int, needle: str,
                   searched: Sequence[str]) -> None:
        """The sort and filters the next order is computed for (call :meth:`request` to compute it)."""
        self._params = (key, descending, quick, needle, tuple(searched))

    def request(self, scan: bool = False, force: bool = True) -> None:
        """Have the worker compute the order (now if ``force``, else if due: at most every REFRESH_S),
        read every row's quick-filter bits from the journal if ``scan``, and count the duplicate
        rows if results arrived since they were last counted (at most every DUPLICATES_S)."""
        now = time.monotonic()
        if not force and (self._in_flight or now - self._last_request < max(REFRESH_S, 3 * self.last_seconds)):
            self._dirty = True
            return
        duplicates = scan or (self._uncounted and now - self._last_count >= self._count_every)
        if duplicates:
            self._last_count = now
            self._uncounted = False
        self.generation += 1
        self._tick += 1
        self._in_flight = True
        self._dirty = False
        self._last_request = now
        overlay = tuple(r for r, tick, _cat in self.overlay.values() if tick < self._tick - 1)
        key, descending, quick, needle, searched = self._params
        complete = not scan and not self.live and not self.cats.count(row_index.ALL)
        self._worker.submit(_Request(self.generation, key, descending, quick, needle, searched, scan, duplicates,
                                     overlay, complete))

    @property
    def busy(self) -> bool:
        """A computation is under way (its answer not swapped in yet)."""
        return self._in_flight

    def _on_ordered(self, o: Ordered) -> None:
        if o.generation != self.generation:
            return  # an answer to an older request: a newer one is on its way
        self._in_flight = False
        self.last_seconds = o.seconds
        if o.error:
            log.warning("the results could not be ordered: %s", o.error)
        if o.cats is not None:
            overlay, cats = self.overlay, o.cats
            for i in self.live:  # newer than the scan
                cats[i] = self.cats[i]
            for i, (_r, _tick, cat) in overlay.items():
                cats[i] = cat | _HAS
            self.cats = cats
            self.counts = {bit: 0 for bit in self.counts}  # recounted in C: one pass per byte value
            for value in set(cats):
                c = cats.count(value)
                for bit in self.counts:
                    if value & bit:
                        self.counts[bit] += c
        if o.duplicates >= 0:
            self.counts[row_index.DUPLICATE_CONTENT] = o.duplicates
        for i in o.recorded:
            over = self.overlay.get(i)
            if over is not None and over[1] < self._tick - 1:  # written at least one refresh ago
                del self.overlay[i]
        self.on_ordered(o)
        if self._dirty or self._uncounted:
            self.request(force=False)

    def swap(self, o: Ordered) -> None:
        """Show the order of ``o``."""
        self.order, self._pos = o.order, None
        self._painted.clear()

    def sort_key(self, column: int | None) -> str | None:
        """The journal column a table column sorts by (``None``: the ``#`` column, input order)."""
        return None if column is None or column == Column.INDEX else _KEYS[Column(column)]

    def searched_keys(self, columns: Sequence[int]) -> tuple[str, ...]:
        return tuple(_KEYS[Column(c)] for c in columns if c in _KEYS)
