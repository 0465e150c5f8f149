"""The rows of a big run read from the journal in pages, sorted and filtered by SQLite in a worker thread.

A million rows as per-row Python lists (display strings, sort keys, search text) cost
gigabytes and seconds per sort. :class:`PagedRows` instead keeps per row only a byte of
state and a byte of quick-filter bits (``bytearray``), the visible order as an
``array('q')`` of input indices (none at all in input order), and:

* a small LRU of decoded rows around what the view paints, read from the journal in pages
  of :data:`PAGE` rows (``data()`` of a row not in it reads its page: a few ms);
* an overlay of the results applied since the journal's writer last committed (the writer
  commits every 0.1 s; entries are dropped once the journal has them) and of the rows in
  flight (progress);
* a worker thread with its own SQLite connection that computes the order for the current
  sort and filters (:meth:`core.store.Journal.order`, indexed columns of
  :mod:`core.row_index`), the duplicate-content rows and the counts, and hands them back as
  compact arrays through the ``ordered`` signal. The model swaps them in with one layout change.

While results arrive, a sorted or filtered order is recomputed at most every
:data:`REFRESH_S` seconds; rows that finished since keep their place until then.
"""

from __future__ import annotations

import collections
import itertools
import logging
import threading
import time
from array import array
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from core import row_index
from core.model import ErrorKind, FetchResult, Progress, RowState
from core.store import Journal
from gui.app.colors import StatusKind
from gui.results.rows import Column, format_bytes, pending_row, result_row

log = logging.getLogger(__name__)

PAGE = 128  #: rows read from the journal at once (around the row asked for, in display order)
CACHE_ROWS = 4096  #: decoded rows kept (a few screens)
REFRESH_S = 1.0  #: while results arrive, the order and counts are recomputed at most this often
_STATES = tuple(RowState)
_CODE = {s: n for n, s in enumerate(_STATES)}
_QUEUED, _DONE, _FAILED, _CANCELLED = (_CODE[s] for s in (RowState.QUEUED, RowState.DONE, RowState.FAILED,
                                                            RowState.CANCELLED))
_FINISHED = frozenset((_DONE, _FAILED, _CANCELLED))
_RUNNING = (RowState.CONNECTING, RowState.DOWNLOADING, RowState.PARSING)
_KEYS = {col: key for col, key in zip(range(Column.URL, Column.CONTENT_HASH + 1), row_index.KEYS, strict=True)}


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
    scan: bool
    overlay: tuple[int, ...]  # input indices old enough to have been written


@dataclass(slots=True)
class Ordered:
    """What the worker computed for one request (handed to the GUI thread).

    Attributes:
        generation: the request's number (an older answer than the latest request is dropped).
        order: visible input indices in display order, or ``None`` for every row in input order.
        pos: input index → visible row (-1: hidden), or ``None`` with ``order``.
        duplicates: input indices whose content another row shares.
        recorded: of the overlay's old entries, those the journal holds.
        scan: ``(states, cats)`` of every recorded row (a run opened from the journal), or ``None``.
        seconds: how long the computation took.
    """

    generation: int
    order: array[int] | None
    pos: array[int] | None
    duplicates: array[int]
    recorded: set[int]
    scan: tuple[bytearray, bytearray] | None = None
    seconds: float = 0.0
    error: str = ""
    counts: dict[int, int] = field(default_factory=dict)


class _Worker:
    """One thread with its own journal connection; only the latest request is computed."""

    def __init__(self, path: Path, run_id: int, n: int, urls: Sequence[str], pending_text: str,
                 done: Callable[[Ordered], None]) -> None:
        self._path, self._run_id, self._n, self._urls = path, run_id, n, urls
        self._pending_text = pending_text.casefold()
        self._done = done
        self._cond = threading.Condition()
        self._request: _Request | None = None
        self._closing = False
        self._thread = threading.Thread(target=self._loop, name=f"results-order-{run_id}", daemon=True)
        self._thread.start()

    def submit(self, request: _Request) -> None:
        with self._cond:
            self._request = request
            self._cond.notify()

    def close(self) -> None:
        with self._cond:
            self._closing = True
            self._cond.notify()
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
            while True:
                with self._cond:
                    while self._request is None and not self._closing:
                        self._cond.wait()
                    if self._closing:
                        return
                    request, self._request = self._request, None
                assert request is not None
                try:
                    if journal is None:
                        raise RuntimeError(failure)
                    self._done(self._compute(journal, request))
                except Exception as exc:  # a broken journal must not kill the thread silently
                    log.exception("ordering the results failed")
                    self._done(Ordered(request.generation, None, None, array("q"), set(), error=str(exc)))
        finally:
            if journal is not None:
                journal.close()

    def _compute(self, j: Journal, req: _Request) -> Ordered:
        t0 = time.perf_counter()
        run_id, n = self._run_id, self._n
        scan = None
        bits: dict[int, int] = {}
        if req.scan:
            j.fill_index(run_id)
            states, cats = bytearray([_QUEUED]) * n, bytearray([row_index.ALL]) * n
            for i, cat in j.scan_rows(run_id):
                if 0 <= i < n:
                    states[i] = _DONE if cat & row_index.OK else _FAILED if cat & row_index.FAILED else _CANCELLED
                    cats[i] = cat
            scan = (states, cats)
            counts = collections.Counter(cats)
            bits = {bit: sum(c for value, c in counts.items() if value & bit) for bit in (1 << b for b in range(8))}
            bits[row_index.ALL] = n
        duplicates = j.duplicate_rows(run_id)
        recorded = j.recorded(run_id, req.overlay) if req.overlay else set()
        order = pos = None
        if req.key is not None or req.descending or req.quick != row_index.ALL or req.needle:
            passing = j.order(run_id, req.key, req.descending, req.quick, req.needle, req.searched)
            rest = self._unrecorded(j, req) if req.quick == row_index.ALL else array("q")
            if req.key is None:  # input order: interleave the rows without a result
                mask = bytearray(n)
                for i in itertools.chain(passing, rest):
                    if 0 <= i < n:
                        mask[i] = 1
                order = array("q", itertools.compress(range(n), mask))
                if req.descending:
                    order.reverse()
            else:  # rows without a result have empty cells: last, in input order
                order = passing
                order.extend(rest)
            pos = array("q", [-1]) * n
            for row, i in enumerate(order):
                pos[i] = row
        return Ordered(req.generation, order, pos, duplicates, recorded, scan, time.perf_counter() - t0, counts=bits)

    def _unrecorded(self, j: Journal, req: _Request) -> array[int]:
        """Rows without a recorded result that pass the text filter (URL or their state text), in input order."""
        n = self._n
        mask = bytearray([1]) * n
        for i in j.order(self._run_id):
            if 0 <= i < n:
                mask[i] = 0
        rest = itertools.compress(range(n), mask)
        needle = req.needle
        if needle:
            if "url" not in req.searched:
                return array("q") if needle not in self._pending_text else array("q", rest)
            urls = self._urls
            return array("q", (i for i in rest if needle in urls[i].casefold() or needle in self._pending_text))
        return array("q", rest)


class PagedRows(QObject):
    """The rows of one run of ``n`` URLs recorded in the journal at ``path`` as run ``run_id``.

    Args:
        path: the journal file (read by a connection of the GUI thread and one of the worker).
        run_id: the journal run the rows belong to.
        urls, lines: the run's URLs and their input lines (kept by reference, not copied).
        state_text, kind_text: the Status column's words (translated by the model).
        scan: whether the run may already have results in the journal (opened from the history).

    Signals:
        ordered(Ordered): the worker's answer to :meth:`request`, on the GUI thread.
    """

    ordered = Signal(object)

    def __init__(self, path: Path, run_id: int, urls: Sequence[str], lines: Sequence[int],
                 state_text: Mapping[RowState, str], kind_text: Mapping[ErrorKind, str],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path, self.run_id = Path(path), run_id
        self.n = len(urls)
        self.urls, self.lines = urls, lines
        self.state_text, self.kind_text = state_text, kind_text
        self.states = bytearray([_QUEUED]) * self.n
        self.cats = bytearray([row_index.ALL]) * self.n
        self.order: array[int] | None = None  # None: every row, in input order
        self.pos: array[int] | None = None
        self.counts: dict[int, int] = dict.fromkeys((1 << b for b in range(8)), 0)
        self.counts[row_index.ALL] = self.n
        self.live: dict[int, tuple[RowState, tuple[int, int | None] | None]] = {}  # rows in flight
        self.overlay: dict[int, tuple[FetchResult, int]] = {}  # applied, maybe not written yet: (result, tick)
        self.unknown_length = 0
        self.generation = 0
        self.last_seconds = 0.0
        self._tick = 0
        self._cache: collections.OrderedDict[int, Row] = collections.OrderedDict()
        self._reader: Journal | None = None
        self._in_flight = False
        self._dirty = False
        self._last_request = 0.0
        self._params: tuple[Any, ...] = (None, False, row_index.ALL, "", row_index.KEYS)
        self._dups: set[int] = set()
        self._worker = _Worker(self.path, run_id, self.n, urls, state_text[RowState.QUEUED], self.ordered.emit)
        self.ordered.connect(self._on_ordered)
        self.on_ordered: Callable[[Ordered], None] = lambda _o: None

    def close(self) -> None:
        """Stop the worker and close the journal connections."""
        self._worker.close()
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
        if self.pos is None:
            return i
        row = self.pos[i]
        return row if row >= 0 else None

    def state(self, i: int) -> RowState:
        live = self.live.get(i)
        return live[0] if live is not None else _STATES[self.states[i]]

    def nbytes(self, i: int) -> tuple[int, int | None] | None:
        live = self.live.get(i)
        return live[1] if live is not None else None

    def row(self, i: int, visible_row: int | None = None) -> Row:
        """The row of input index ``i``, read with its page from the journal if it is not cached."""
        hit = self._cache.get(i)
        if hit is not None:
            self._cache.move_to_end(i)
            return hit
        over = self.overlay.get(i)
        if over is not None:
            return self._decoded(i, over[0])
        if self.states[i] not in _FINISHED or i in self.live:
            return self._pending(i)
        self._load_page(i if visible_row is None else visible_row, visible_row is not None)
        hit = self._cache.get(i)
        return hit if hit is not None else self._pending(i)

    def result(self, i: int) -> FetchResult | None:
        if not 0 <= i < self.n:
            return None
        over = self.overlay.get(i)
        if over is not None:
            return over[0]
        if self.states[i] not in _FINISHED or i in self.live:
            return None
        return self.row(i).result

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

    def _decoded(self, i: int, r: FetchResult) -> Row:
        disp, raw, _cat, kind = result_row(self.lines[i], self.urls[i], r, self.state_text, self.kind_text)
        row = Row(disp, raw, kind, r)
        self._cache[i] = row
        if len(self._cache) > CACHE_ROWS:
            self._cache.popitem(last=False)
        return row

    def _load_page(self, at: int, by_row: bool) -> None:
        """Read the recorded rows around ``at`` (a visible row, or an input index) into the cache."""
        if self._reader is None:
            self._reader = Journal(self.path, migrate=False)
        if by_row:
            first = max(0, at - PAGE // 4)
            rows = range(first, min(self.row_count(), first + PAGE))
            wanted = [self.input_index(r) for r in rows]
        else:
            wanted = list(range(max(0, at - PAGE // 4), min(self.n, at + PAGE)))
        wanted = [i for i in wanted if i not in self._cache and i not in self.overlay and self.states[i] in _FINISHED]
        for i, r in self._reader.results_at(self.run_id, wanted).items():
            self._decoded(i, r)

    def cached_rows(self) -> int:
        """How many decoded rows are held (the page cache)."""
        return len(self._cache)

    # -- changes -------------------------------------------------------------------------------
    def set_cat(self, i: int, cat: int) -> None:
        old = self.cats[i]
        if old != cat:
            counts = self.counts
            for bit in counts:
                if old & bit:
                    counts[bit] -= 1
                if cat & bit:
                    counts[bit] += 1
            self.cats[i] = cat

    def apply_progress(self, p: Progress) -> bool:
        """Fold a progress event in; False if the row already has its result (a late event)."""
        i = p.input_index
        if i in self.overlay or self.states[i] in _FINISHED:
            return False
        nbytes = (p.bytes_done, p.bytes_total) if p.state == RowState.DOWNLOADING else None
        old = self.live.get(i)
        was_busy = old is not None and old[1] is not None and old[1][1] is None
        busy = nbytes is not None and nbytes[1] is None
        self.unknown_length += int(busy) - int(was_busy)
        self.live[i] = (p.state, nbytes)
        return True

    def apply_result(self, r: FetchResult) -> bool:
        """Fold a result in; False if it is the one the row has already."""
        i = r.input_index
        over = self.overlay.get(i)
        if over is not None and over[0] is r:
            return False
        self._forget_live(i)
        self.overlay[i] = (r, self._tick)
        self._cache.pop(i, None)
        self.states[i] = _CODE[r.state]
        dup = self.cats[i] & row_index.DUPLICATE_CONTENT
        self.set_cat(i, row_index.index_values(r)[-1] | dup)
        self._dirty = True
        return True

    def clear_row(self, i: int) -> None:
        """Put a row back to queued (it is fetched again)."""
        self._forget_live(i)
        self.overlay.pop(i, None)
        self._cache.pop(i, None)
        self.states[i] = _QUEUED
        self.set_cat(i, row_index.ALL)
        self._dirty = True

    def _forget_live(self, i: int) -> None:
        old = self.live.pop(i, None)
        if old is not None and old[1] is not None and old[1][1] is None:
            self.unknown_length -= 1

    # -- order ---------------------------------------------------------------------------------
    def set_params(self, key: str | None, descending: bool, quick: int, needle: str,
                   searched: Sequence[str]) -> None:
        """The sort and filters the next order is computed for (call :meth:`request` to compute it)."""
        self._params = (key, descending, quick, needle, tuple(searched))

    def request(self, scan: bool = False, force: bool = True) -> None:
        """Have the worker compute the order (now if ``force``, else if due: at most every REFRESH_S)."""
        now = time.monotonic()
        if not force and (self._in_flight or now - self._last_request < REFRESH_S):
            self._dirty = True
            return
        self.generation += 1
        self._tick += 1
        self._in_flight = True
        self._dirty = False
        self._last_request = now
        old = tuple(i for i, (_r, tick) in self.overlay.items() if tick < self._tick - 1)
        key, descending, quick, needle, searched = self._params
        self._worker.submit(_Request(self.generation, key, descending, quick, needle, searched, scan, old))

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
        if o.scan is not None:
            self.states, self.cats = o.scan
            self.counts = dict(o.counts)
            for i, (r, _tick) in self.overlay.items():  # newer than the scan
                self.states[i] = _CODE[r.state]
                self.set_cat(i, row_index.index_values(r)[-1])
        for i in o.recorded:
            self.overlay.pop(i, None)
        dups = set(o.duplicates)
        for i in self._dups - dups:
            self.set_cat(i, self.cats[i] & ~row_index.DUPLICATE_CONTENT)
        for i in dups - self._dups:
            self.set_cat(i, self.cats[i] | row_index.DUPLICATE_CONTENT)
        self._dups = dups
        self.on_ordered(o)
        if self._dirty:
            self.request(force=False)

    def swap(self, o: Ordered) -> None:
        """Show the order of ``o``."""
        self.order, self.pos = o.order, o.pos

    def sort_key(self, column: int | None) -> str | None:
        """The journal column a table column sorts by (``None``: the ``#`` column, input order)."""
        return None if column is None or column == Column.INDEX else _KEYS[Column(column)]

    def searched_keys(self, columns: Sequence[int]) -> tuple[str, ...]:
        return tuple(_KEYS[Column(c)] for c in columns if c in _KEYS)
