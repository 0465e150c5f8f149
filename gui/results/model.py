"""The results table's model: one row per input URL, sorted and filtered in place.

A ``QSortFilterProxyModel`` calls ``data()`` (Python) for every comparison: ~7 s to sort
100,000 rows here. This model instead keeps, per row, its display strings, its sort keys,
its quick-filter categories and a lower-cased search text, all computed once when a result
arrives, and keeps ``_order`` (the input indices of the visible rows, in display order).
Sorting is ``list.sort`` over a key list (tens of ms for 100k rows, and Timsort is close to
linear when a batch only moves a few rows); filtering is a list comprehension.

``apply()`` is called about ten times a second with everything that happened since the last
call. Rows whose change cannot move them (progress, or a result while neither the sort
column nor the filter is affected) get column-scoped ``dataChanged``; otherwise the order is
rebuilt once for the whole batch inside ``layoutAboutToBeChanged``/``layoutChanged`` with
persistent indexes (selection, current row) carried over.

What a row shows (display strings, sort values, tooltips) is computed in :mod:`gui.results.rows`;
which rows pass the filters and their sort keys are decided by the :class:`gui.results.order.RowOrder`
the model owns.

A run of more than :attr:`ResultsModel.PAGED_ABOVE` URLs recorded in the journal is not held
this way: :meth:`ResultsModel.reset_run` with ``journal=(path, run_id)`` hands its rows to a
:class:`gui.results.paged.PagedRows` (a byte or two per row in memory, the rows shown read from
the journal in pages, sort and filters computed by SQLite in a worker thread and swapped in
when ready). The methods below answer from it then; see that module for what differs (an
order that follows arriving results about once a second, a text filter over the recorded
texts rather than the translated words).
"""

from __future__ import annotations

import asyncio
import logging
from array import array
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from core.export import content_key
from core.model import FetchResult, Progress, RowState
from core.store import Journal
from gui.app.colors import StatusKind
from gui.results.order import RowOrder
from gui.results.paged import Ordered, PagedRows
from gui.results.rows import (
    Column,
    QuickFilter,
    error_kind_texts,
    format_bytes,
    header_labels,
    header_tips,
    pending_row,
    result_row,
    row_tooltip,
    search_text,
    state_texts,
)
from gui.timeline.histogram import elapsed_values

log = logging.getLogger(__name__)

RAW_ROLE = Qt.ItemDataRole.UserRole + 1  #: number (or casefolded text) used for sorting; None when empty
STATE_ROLE = Qt.ItemDataRole.UserRole + 2  #: the row's RowState
PROGRESS_ROLE = Qt.ItemDataRole.UserRole + 3  #: (bytes_done, bytes_total or None) while downloading, else None
KIND_ROLE = Qt.ItemDataRole.UserRole + 4  #: StatusKind of the row (colours)
INPUT_INDEX_ROLE = Qt.ItemDataRole.UserRole + 5  #: the row's input index
RESULT_ROLE = Qt.ItemDataRole.UserRole + 6  #: the FetchResult, or None while running

_Index = QModelIndex | QPersistentModelIndex

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_PAGED_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.TextAlignmentRole,
                          RAW_ROLE, STATE_ROLE, PROGRESS_ROLE, KIND_ROLE, INPUT_INDEX_ROLE, RESULT_ROLE})
_RIGHT_ALIGNED = frozenset({Column.INDEX, Column.TIME, Column.SIZE, Column.LINKS, Column.WORDS, Column.HREFLANG})
_QUICK_BITS = tuple((q, q.value) for q in QuickFilter)  # plain ints: enum arithmetic is slow per row
_ALL = QuickFilter.ALL.value
_DUP = QuickFilter.DUPLICATE_CONTENT.value
_RUNNING = (RowState.CONNECTING, RowState.DOWNLOADING, RowState.PARSING)
# PySide6 exposes the overloads of layout(AboutToBe)Changed; the default one takes no hint.
_LAYOUT_SIG = "QList<QPersistentModelIndex>,QAbstractItemModel::LayoutChangeHint"


class ResultsModel(QAbstractTableModel):
    """One row per input URL of the current run; see the module docstring.

    Signals:
        refreshed: after every ``reset_run``/``apply``/filter or sort change (counts, labels).
    """

    refreshed = Signal()
    #: a sort or filter is being computed (True) or its order is shown (False); paged rows only
    ordering = Signal(bool)
    #: runs of more URLs than this recorded in the journal are paged from it (gui.results.paged)
    PAGED_ABOVE = 50_000
    #: emitted just before ``layoutAboutToBeChanged`` while the old order is still in place, so a
    #: view can park a huge selection as input indices (Qt would track it as one persistent index
    #: per row or per cell: seconds for 100k rows).
    relayout_pending = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = header_labels()
        self._header_tips = header_tips()
        self._state_text = state_texts()
        self._kind_text = error_kind_texts()
        self._urls: list[str] = []
        self._lines: list[int] = []  # per input index: its line in the input (the # column)
        self._state: list[RowState] = []
        self._result: list[FetchResult | None] = []
        self._bytes: list[tuple[int, int | None] | None] = []
        self._disp: list[list[str]] = []
        self._raw: list[list[Any]] = []
        self._cat: list[int] = []
        self._hay: list[str] = []  # per row: the shown text of the searched columns, casefolded
        self._searched: tuple[int, ...] = tuple(Column)  # the columns the text filter searches (the visible ones)
        self._kind: list[StatusKind] = []
        self._order: list[int] = []
        self._pos: list[int] = []  # input index -> visible row, or -1
        self._hash: list[str] = []  # content hash a row takes part in duplicate detection with, or ""
        self._by_hash: dict[str, list[int]] = {}  # content hash -> rows with it
        self._view = RowOrder()  # filters and sort: which input indices are in _order, and how
        self._counts = dict.fromkeys(QuickFilter, 0)
        self._unknown_length = 0  # rows downloading without a Content-Length (busy indicator)
        self._paged: PagedRows | None = None

    # -- public API --------------------------------------------------------------------------
    def reset_run(self, urls: Sequence[str], lines: Sequence[int] = (),
                  journal: tuple[Path, int] | None = None) -> None:
        """Start over with one queued row per input URL (sort and filters are kept).

        ``lines``: each URL's 1-based line in the input (the URL box's line numbers), shown in
        the ``#`` column; without it, the position in the batch. ``journal``: the journal file
        and run id the run's results are recorded under (or were: a run opened from the
        history); above :attr:`PAGED_ABOVE` URLs the rows are then paged from it.
        """
        self.close()
        n = len(urls)
        if journal is not None and n > self.PAGED_ABOVE:
            self._reset_paged(urls, lines if len(lines) == n else range(1, n + 1), journal)
            return
        self.beginResetModel()
        self._urls = list(urls)
        self._lines = list(lines) if len(lines) == n else list(range(1, n + 1))
        self._state = [RowState.QUEUED] * n
        self._result = [None] * n
        self._bytes = [None] * n
        self._cat = [QuickFilter.ALL.value] * n
        self._kind = [StatusKind.QUEUED] * n
        queued = self._state_text[RowState.QUEUED]
        rows = [pending_row(self._lines[i], url, queued) for i, url in enumerate(self._urls)]
        self._disp = [d for d, _ in rows]
        self._raw = [r for _, r in rows]
        self._hash = [""] * n
        self._by_hash = {}
        self._hay = [self._pending_hay(i) for i in range(n)]
        self._counts = dict.fromkeys(QuickFilter, 0)
        self._counts[QuickFilter.ALL] = n
        self._unknown_length = 0
        self._view.rebuild_keys(self._raw)
        self._order = self._view.sort(self._view.filtered(self._cat, self._hay))
        self._rebuild_pos()
        self.endResetModel()
        self.refreshed.emit()

    def close(self) -> None:
        """Stop the paged rows' worker thread (if any); the model then shows nothing until the next reset."""
        if self._paged is not None:
            self._paged.close()
            self._paged = None

    def reset_rows(self, input_indices: Sequence[int]) -> None:
        """Put these rows back to ``queued`` (before they are fetched again)."""
        if (p := self._paged) is not None:
            shown = {i: True for i in input_indices if 0 <= i < p.n and p.is_cached(i)}
            for i in input_indices:
                if 0 <= i < p.n:
                    p.clear_row(i)
            self._paged_changed(shown)
            return
        self._clear_rows(input_indices)

    def apply(self, progress: Sequence[Progress], results: Sequence[FetchResult]) -> None:
        """Fold one batch of events into the table (progress first, then results)."""
        if self._paged is not None:
            self._apply_paged(progress, results)
            return
        self._update_rows(progress, results)

    def result(self, input_index: int) -> FetchResult | None:
        if self._paged is not None:
            return self._paged.result(input_index)
        return self._result[input_index] if 0 <= input_index < len(self._result) else None

    def results(self) -> Sequence[FetchResult | None]:
        """All results in input order (``None`` for rows still running).

        Paged rows: a sequence that reads them from the journal as it is iterated (a million
        results decoded at once would be gigabytes).
        """
        if self._paged is not None:
            return _JournalResults(self._paged)
        return list(self._result)

    def visible_results(self) -> Iterable[FetchResult | None]:
        """Finished results of the visible rows: in display order; paged rows in input order, read
        from the journal while iterated (in an export's worker thread), never on the GUI thread."""
        if self._paged is not None:
            return _JournalResults(self._paged, visible=True)
        res = self._result
        return [r for r in (res[i] for i in self._order) if r is not None]

    def finished_count(self) -> int:
        """Rows with a result (any outcome)."""
        if self._paged is not None:
            return self._paged.finished()
        return sum(r is not None for r in self._result)

    def line_numbers(self) -> Sequence[int]:
        """The input line of every row, by input index (what the ``#`` column shows)."""
        return self._paged.lines if self._paged is not None else list(self._lines)

    def url(self, input_index: int) -> str:
        return self._paged.urls[input_index] if self._paged is not None else self._urls[input_index]

    def state(self, input_index: int) -> RowState:
        return self._paged.state(input_index) if self._paged is not None else self._state[input_index]

    def total_rows(self) -> int:
        """Rows of the run, visible or not."""
        return self._paged.n if self._paged is not None else len(self._urls)

    def row_of(self, input_index: int) -> int | None:
        """The visible row of an input index, or None if it is filtered out (or unknown)."""
        if self._paged is not None:
            return self._paged.row_of(input_index)
        if 0 <= input_index < len(self._pos) and self._pos[input_index] >= 0:
            return self._pos[input_index]
        return None

    def rows_of(self, input_indices: Sequence[int]) -> list[int | None]:
        """:meth:`row_of` of many input indices at once."""
        if self._paged is not None:
            return self._paged.rows_of(input_indices)
        return [self.row_of(i) for i in input_indices]

    def input_index_of(self, row: int) -> int:
        return self._paged.input_index(row) if self._paged is not None else self._order[row]

    def display_row(self, row: int) -> list[str]:
        """The display strings of a visible row (all columns), without a ``data()`` call per cell."""
        if self._paged is not None:
            return list(self._paged.row(self._paged.input_index(row), row).disp)
        return list(self._disp[self._order[row]])

    def quick_filter_counts(self) -> dict[QuickFilter, int]:
        if self._paged is not None:
            return {q: self._paged.counts[q.value] for q in QuickFilter}
        return dict(self._counts)

    def busy_count(self) -> int:
        """Rows downloading without a known length (their indicator is animated)."""
        return self._paged.unknown_length if self._paged is not None else self._unknown_length

    def elapsed_values(self) -> list[float]:
        """The per-URL times (ms) of the fetched results, for the histogram (paged: from the journal;
        call it in a worker thread then)."""
        if self._paged is not None:
            journal = Journal(self._paged.path, migrate=False)
            try:
                return journal.elapsed_values(self._paged.run_id)
            finally:
                journal.close()
        return elapsed_values(self._result)

    async def wait_ordered(self) -> None:
        """Wait until the order for the current sort and filters is shown (at once for rows in memory)."""
        while (p := self._paged) is not None and p.busy:
            shown: asyncio.Future[None] = asyncio.get_running_loop().create_future()

            def done(busy: bool, shown: asyncio.Future[None] = shown) -> None:
                if not busy and not shown.done():
                    shown.set_result(None)

            self.ordering.connect(done)
            try:
                await shown
            finally:
                self.ordering.disconnect(done)

    def paged(self) -> PagedRows | None:
        """The paged rows of a big run (``None``: the rows are held in memory)."""
        return self._paged

    def set_painting(self, painting: bool) -> None:
        """The view paints (True) or is done painting (False). While it paints, a paged row not in
        the page cache shows "…" and is read in a worker thread, then repainted (``dataChanged``):
        the GUI thread never reads the journal to paint. A no-op for rows held in memory."""
        p = self._paged
        if p is not None:
            p.deferring = painting
            if not painting:
                p.fetch_wanted()

    # -- Qt model interface -----------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        if parent.isValid():
            return 0
        return self._paged.row_count() if self._paged is not None else len(self._order)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(Column):
            if role == Qt.ItemDataRole.DisplayRole:
                return self._headers[section]
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return _RIGHT if section in _RIGHT_ALIGNED else _LEFT
            if role == Qt.ItemDataRole.ToolTipRole:
                return self._header_tips.get(section)
        elif orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if self._paged is not None:
            return self._paged_data(row, col, role)
        if not (0 <= row < len(self._order) and 0 <= col < len(Column)):
            return None
        i = self._order[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._disp[i][col]
        if role == RAW_ROLE:
            return self._raw[i][col]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if col in _RIGHT_ALIGNED else _LEFT
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(i, col)
        if role == STATE_ROLE:
            return self._state[i]
        if role == PROGRESS_ROLE:
            return self._bytes[i] if self._state[i] == RowState.DOWNLOADING else None
        if role == KIND_ROLE:
            return self._kind[i]
        if role == INPUT_INDEX_ROLE:
            return i
        if role == RESULT_ROLE:
            return self._result[i]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column (numbers numerically; empty cells last either way); -1: input order."""
        view = self._view
        view.column = column if 0 <= column < len(Column) else None
        view.descending = order == Qt.SortOrder.DescendingOrder
        if self._paged is not None:
            self._request_order()
            return
        view.rebuild_keys(self._raw)
        self._relayout(view.sort(list(self._order)))
        self.refreshed.emit()

    # -- filters and sort --------------------------------------------------------------------
    def text_filter(self) -> str:
        return self._view.needle

    def quick_filter(self) -> QuickFilter:
        return self._view.quick

    def set_text_filter(self, text: str) -> None:
        """Show only rows whose shown text (in a searched column, any case) contains ``text``."""
        needle = text.strip().casefold()
        view = self._view
        if needle == view.needle:
            return
        narrowing = view.needle in needle
        view.needle = needle
        if self._paged is not None:
            self._request_order()
            return
        if narrowing:  # a longer needle can only hide rows: filter the visible ones, order kept
            hay = self._hay
            self._relayout([i for i in self._order if needle in hay[i]])
        else:
            self._relayout(view.sort(view.filtered(self._cat, self._hay)))
        self.refreshed.emit()

    def set_quick_filter(self, quick: QuickFilter) -> None:
        quick = QuickFilter(quick)
        view = self._view
        if quick == view.quick:
            return
        view.quick = quick
        if self._paged is not None:
            self._request_order()
            return
        self._relayout(view.sort(view.filtered(self._cat, self._hay)))
        self.refreshed.emit()

    def set_searched_columns(self, columns: Sequence[int]) -> None:
        """The text filter searches what these columns show (the view passes its visible columns)."""
        searched = tuple(sorted(set(columns)))
        if searched == self._searched:
            return
        self._searched = searched
        if self._paged is not None:
            if self._view.needle:
                self._request_order()
            return
        self._hay = [self._row_hay(i) for i in range(len(self._urls))]
        if self._view.needle:
            self._relayout(self._view.sort(self._view.filtered(self._cat, self._hay)))
            self.refreshed.emit()

    def _pending_hay(self, i: int) -> str:
        return search_text(self._disp[i], self._searched)

    def _row_hay(self, i: int) -> str:
        r = self._result[i]
        return search_text(self._disp[i], self._searched, r.final_url if r is not None else "")

    def sort_column(self) -> tuple[int, Qt.SortOrder]:
        """The current sort column (-1 for input order) and order."""
        view = self._view
        order = Qt.SortOrder.DescendingOrder if view.descending else Qt.SortOrder.AscendingOrder
        return (-1 if view.column is None else view.column), order

    def _rebuild_pos(self) -> None:
        pos = [-1] * len(self._urls)
        for row, i in enumerate(self._order):
            pos[i] = row
        self._pos = pos

    def _relayout(self, new_order: list[int]) -> None:
        """Show ``new_order`` (input indices), carrying persistent indexes (selection, current row) over."""
        if new_order == self._order:
            return
        same_rows = len(new_order) == len(self._order)
        hint = (QAbstractItemModel.LayoutChangeHint.VerticalSortHint if same_rows
                else QAbstractItemModel.LayoutChangeHint.NoLayoutChangeHint)
        self.relayout_pending.emit()
        self.layoutAboutToBeChanged[_LAYOUT_SIG].emit([], hint)
        old_order = self._order
        self._order = new_order
        self._rebuild_pos()
        persistent = self.persistentIndexList()
        if persistent:
            pos = self._pos
            new: list[QModelIndex] = []
            for p in persistent:
                row = pos[old_order[p.row()]] if 0 <= p.row() < len(old_order) else -1
                new.append(self.index(row, p.column()) if row >= 0 else QModelIndex())
            self.changePersistentIndexList(persistent, new)
        self.layoutChanged[_LAYOUT_SIG].emit([], hint)

    # -- row contents -----------------------------------------------------------------------
    def _fill_pending(self, i: int) -> None:
        url = self._urls[i]
        self._disp[i], self._raw[i] = pending_row(self._lines[i], url, self._state_text[RowState.QUEUED])
        self._hay[i] = self._pending_hay(i)

    def _fill_result(self, i: int, r: FetchResult) -> list[int]:
        """Fill row ``i``; returns the other rows whose duplicate-content bit changed."""
        disp, raw, cat, kind = result_row(self._lines[i], self._urls[i], r, self._state_text, self._kind_text)
        self._disp[i], self._raw[i] = disp, raw
        self._hay[i] = search_text(disp, self._searched, r.final_url)
        self._set_cat(i, cat)
        self._kind[i] = kind
        return self._set_hash(i, content_key(r))

    def _set_hash(self, i: int, key: str) -> list[int]:
        """Move row ``i`` to the group of rows with content hash ``key``; every row of a group of two
        or more has the DUPLICATE_CONTENT bit. Returns the rows (other than ``i``) whose bit changed."""
        old = self._hash[i]
        groups: list[list[int]] = []
        if old:
            group = self._by_hash[old]
            group.remove(i)
            groups.append(group)
            if not group:
                del self._by_hash[old]
        self._hash[i] = key
        if key:
            group = self._by_hash.setdefault(key, [])
            group.append(i)
            groups.append(group)
        changed: list[int] = []
        for group in groups:
            dup = len(group) > 1
            for j in group:
                has = bool(self._cat[j] & _DUP)
                if has != dup:
                    self._set_cat(j, self._cat[j] ^ _DUP)
                    if j != i:
                        changed.append(j)
        if not key and self._cat[i] & _DUP:
            self._set_cat(i, self._cat[i] & ~_DUP)
        return changed

    def _set_cat(self, i: int, cat: int) -> None:
        old = self._cat[i]
        if old != cat:
            counts = self._counts
            for q, bit in _QUICK_BITS:
                if old & bit:
                    counts[q] -= 1
                if cat & bit:
                    counts[q] += 1
            self._cat[i] = cat

    def _set_state(self, i: int, state: RowState, nbytes: tuple[int, int | None] | None) -> None:
        was_busy = self._state[i] == RowState.DOWNLOADING and self._bytes[i] is not None and self._bytes[i][1] is None
        self._state[i] = state
        self._bytes[i] = nbytes
        busy = state == RowState.DOWNLOADING and nbytes is not None and nbytes[1] is None
        self._unknown_length += int(busy) - int(was_busy)

    def _apply_progress(self, p: Progress) -> None:
        i = p.input_index
        nbytes = (p.bytes_done, p.bytes_total) if p.state == RowState.DOWNLOADING else None
        self._set_state(i, p.state, nbytes)
        disp = self._disp[i]
        text = self._state_text.get(p.state, str(p.state))
        if nbytes is not None and nbytes[1]:
            text = f"{text} {min(100, nbytes[0] * 100 // max(nbytes[1], 1))}%"
        disp[Column.STATUS] = text
        disp[Column.SIZE] = format_bytes(p.bytes_done) if p.state in _RUNNING and p.bytes_done else ""
        self._kind[i] = StatusKind.RUNNING if p.state in _RUNNING else StatusKind.QUEUED
        self._hay[i] = search_text(disp, self._searched)

    def _tooltip(self, i: int, col: int) -> str | None:
        return row_tooltip(col, self._urls[i], self._result[i], self._disp[i], self._raw[i], self._lines)

    # -- batches --------------------------------------------------------------------------
    def _clear_rows(self, input_indices: Sequence[int]) -> None:
        touched: dict[int, bool] = {}
        for i in input_indices:
            if 0 <= i < len(self._urls):
                self._result[i] = None
                self._set_state(i, RowState.QUEUED, None)
                self._fill_pending(i)
                for j in self._set_hash(i, ""):
                    touched[j] = True
                self._set_cat(i, _ALL)
                self._kind[i] = StatusKind.QUEUED
                touched[i] = True
        self._finish_batch(touched)

    def _update_rows(self, progress: Sequence[Progress], results: Sequence[FetchResult]) -> None:
        n = len(self._urls)
        touched: dict[int, bool] = {}  # input index -> whether its result (all columns) changed
        for p in progress:
            i = p.input_index
            # A progress event after the row's result is stale (e.g. a late thread callback).
            if 0 <= i < n and self._result[i] is None:
                self._apply_progress(p)
                touched.setdefault(i, False)
        for r in results:
            i = r.input_index
            if not 0 <= i < n:
                log.debug("result for unknown row %d ignored", i)
                continue
            if self._result[i] is r:  # re-reported (a retry run's ``prior``): nothing changes
                continue
            self._result[i] = r
            self._set_state(i, r.state, None)
            for j in self._fill_result(i, r):
                touched[j] = True
            touched[i] = True
        self._finish_batch(touched)

    def _finish_batch(self, touched: dict[int, bool]) -> None:
        if touched:
            self._refresh(touched)
            self.refreshed.emit()

    def _refresh(self, touched: dict[int, bool]) -> None:
        """Re-filter/re-sort once for the batch if needed, else emit column-scoped dataChanged."""
        view = self._view
        pos, col, keys, cat, hay = self._pos, view.column, view.keys, self._cat, self._hay
        added: list[int] = []
        removed: set[int] = set()
        moved = False
        needle = view.needle
        for i, full in touched.items():
            if not full and not needle:  # progress changes only Status and Size: the filter may care
                continue
            visible, passes = pos[i] >= 0, view.passes(cat[i], hay[i])
            if visible != passes:
                (added.append(i) if passes else removed.add(i))
            if col is not None:
                key = view.key(self._raw[i][col])
                if key != keys[i]:
                    keys[i] = key
                    moved = moved or passes
        if added or removed or moved:
            order = [i for i in self._order if i not in removed] if removed else list(self._order)
            order.extend(added)
            self._relayout(view.sort(order))
            return
        rows_full = sorted(pos[i] for i, full in touched.items() if full and pos[i] >= 0)
        rows_prog = sorted(pos[i] for i, full in touched.items() if not full and pos[i] >= 0)
        self._emit_changed(rows_full, 0, len(Column) - 1)
        self._emit_changed(rows_prog, Column.STATUS, Column.SIZE)

    def _emit_changed(self, rows: list[int], first_col: int, last_col: int) -> None:
        if not rows:
            return
        runs: list[tuple[int, int]] = []
        start = prev = rows[0]
        for r in rows[1:]:
            if r != prev + 1:
                runs.append((start, prev))
                start = r
            prev = r
        runs.append((start, prev))
        if len(runs) > 32:  # views repaint their viewport for a multi-row change anyway
            runs = [(rows[0], rows[-1])]
        for top, bottom in runs:
            self.dataChanged.emit(self.index(top, first_col), self.index(bottom, last_col), [])


    # -- paged rows (gui.results.paged) --------------------------------------------------------
    def _reset_paged(self, urls: Sequence[str], lines: Sequence[int], journal: tuple[Path, int]) -> None:
        self.beginResetModel()
        self._urls, self._lines, self._state, self._result, self._bytes = [], [], [], [], []
        self._disp, self._raw, self._cat, self._hay, self._kind = [], [], [], [], []
        self._order, self._pos, self._hash, self._by_hash = [], [], [], {}
        self._view.keys = []
        path, run_id = journal
        self._paged = PagedRows(path, run_id, urls, lines, self._state_text, self._kind_text)
        self._paged.on_ordered = self._on_ordered
        self._paged.on_paged = lambda rows: self._emit_changed(rows, 0, len(Column) - 1)
        self._paged.set_params(*self._paged_params())
        self.endResetModel()
        self._paged.request(scan=True)
        self.ordering.emit(True)
        self.refreshed.emit()

    def _paged_params(self) -> tuple[str | None, bool, int, str, tuple[str, ...]]:
        p, view = self._paged, self._view
        assert p is not None
        return (p.sort_key(view.column), view.descending, view.quick.value, view.needle,
                p.searched_keys(self._searched))

    def _request_order(self) -> None:
        """The sort or a filter changed: have the worker compute the new order."""
        p = self._paged
        assert p is not None
        p.set_params(*self._paged_params())
        p.request()
        self.ordering.emit(True)

    def _on_ordered(self, o: Ordered) -> None:
        """The worker's order for the current sort and filters: show it, selection carried over."""
        p = self._paged
        assert p is not None
        same = (o.order is None and p.order is None) or (
            o.order is not None and p.order is not None and o.order == p.order)
        if not same:
            self.relayout_pending.emit()
            hint = QAbstractItemModel.LayoutChangeHint.NoLayoutChangeHint
            self.layoutAboutToBeChanged[_LAYOUT_SIG].emit([], hint)
            persistent = self.persistentIndexList()
            old = [(p.input_index(x.row()) if 0 <= x.row() < p.row_count() else -1) for x in persistent]
            p.swap(o)
            if persistent:
                new: list[QModelIndex] = []
                for x, row in zip(persistent, p.rows_of(old), strict=True):
                    new.append(self.index(row, x.column()) if row is not None else QModelIndex())
                self.changePersistentIndexList(persistent, new)
            self.layoutChanged[_LAYOUT_SIG].emit([], hint)
        if not p.busy:
            self.ordering.emit(False)
        self.refreshed.emit()

    def _apply_paged(self, progress: Sequence[Progress], results: Sequence[FetchResult]) -> None:
        p = self._paged
        assert p is not None
        touched: dict[int, bool] = {}  # rows painted lately (in the page cache) that changed
        changed = False
        for e in progress:
            i = e.input_index
            if 0 <= i < p.n:
                shown = p.is_cached(i)
                if p.apply_progress(e) and shown:
                    touched.setdefault(i, False)
        for r in results:
            i = r.input_index
            if 0 <= i < p.n:
                shown = p.is_cached(i)
                if p.apply_result(r):
                    changed = True
                    if shown:
                        touched[i] = True
        self._paged_changed(touched, changed)

    def _paged_changed(self, touched: dict[int, bool], changed: bool = True) -> None:
        """Repaint the changed rows the view showed lately (the others are painted fresh when
        scrolled to); ``changed``: results arrived (the order and counts are due)."""
        p = self._paged
        assert p is not None
        if changed:
            p.request(force=False)  # the duplicates, the order while sorted or filtered, the overlay's trimming
        if touched:
            rows = {i: p.row_of(i) for i in touched}  # a few: the page cache's
            self._emit_changed(sorted(r for i, full in touched.items() if full and (r := rows[i]) is not None),
                               0, len(Column) - 1)
            self._emit_changed(sorted(r for i, full in touched.items() if not full and (r := rows[i]) is not None),
                               Column.STATUS, Column.SIZE)
        if changed or touched:
            self.refreshed.emit()

    def _paged_data(self, row: int, col: int, role: int) -> Any:
        p = self._paged
        assert p is not None
        if role not in _PAGED_ROLES or not (0 <= row < p.row_count() and 0 <= col < len(Column)):
            return None  # the font, colour, decoration… roles a delegate asks for each cell it paints
        i = p.input_index(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if col in _RIGHT_ALIGNED else _LEFT
        if role == INPUT_INDEX_ROLE:
            return i
        if role == STATE_ROLE:
            return p.state(i)
        if role == PROGRESS_ROLE:
            return p.nbytes(i)  # only a downloading row has them (and it is never read from the journal)
        shown = p.row(i, row)
        if role == Qt.ItemDataRole.DisplayRole:
            return shown.disp[col]
        if role == RAW_ROLE:
            return shown.raw[col]
        if role == KIND_ROLE:
            return shown.kind
        if role == RESULT_ROLE:
            return shown.result
        if role == Qt.ItemDataRole.ToolTipRole:
            return row_tooltip(col, p.urls[i], shown.result, shown.disp, shown.raw, p.lines)
        return None


class _JournalResults(Sequence[FetchResult | None]):
    """Every result of a paged run in input order, read from the journal while iterated.

    ``visible``: only the rows the sort and filter show (:attr:`PagedRows.order`), still in input
    order; its length is then the number of visible rows.
    """

    def __init__(self, paged: PagedRows, visible: bool = False) -> None:
        self._paged = paged
        self._visible = visible and paged.order is not None

    def __len__(self) -> int:
        return self._paged.row_count() if self._visible else self._paged.n

    def __getitem__(self, index: int) -> FetchResult | None:  # type: ignore[override]
        if not -len(self) <= index < len(self):
            raise IndexError(index)
        i = index % len(self)
        return self._paged.result(self._paged.input_index(i) if self._visible else i)

    def __iter__(self) -> Iterator[FetchResult | None]:
        """The rows in input order: what is not in the journal yet (results applied since its last
        commit, rows in flight) is copied now; the journal is read as the iterator is, by a
        connection of its own, in whichever thread reads it (an export's worker thread)."""
        p = self._paged
        overlay, live = {i: r for i, (r, _tick, _cat) in p.overlay.items()}, frozenset(p.live)
        if self._visible and p.order is not None:
            return _journal_rows_at(p.path, p.run_id, array(p.order.typecode, p.order), overlay, live)
        return _journal_rows(p.path, p.run_id, p.n, overlay, live)


def _journal_rows_at(path: Path, run_id: int, rows: array[int], overlay: dict[int, FetchResult],
                     live: frozenset[int], chunk: int = 4_096) -> Iterator[FetchResult | None]:
    """The rows of input indices ``rows`` (a copy of a sort and filter's order), in input order:
    ``overlay`` over the journal's, ``None`` for ``live`` rows; sorted and read where iterated."""
    wanted = sorted(rows)
    journal = Journal(path, migrate=False)
    try:
        for start in range(0, len(wanted), chunk):
            part = wanted[start:start + chunk]
            recorded = journal.results_at(run_id, (i for i in part if i not in overlay and i not in live))
            for i in part:
                yield overlay[i] if i in overlay else recorded.get(i)
    finally:
        journal.close()


def _journal_rows(path: Path, run_id: int, n: int, overlay: dict[int, FetchResult],
                  live: frozenset[int]) -> Iterator[FetchResult | None]:
    """:meth:`_JournalResults.__iter__`'s rows: ``overlay`` over the journal's, ``None`` for ``live`` rows."""
    journal = Journal(path, migrate=False)
    try:
        recorded = journal.iter_results(run_id)
        nxt = next(recorded, None)
        for i in range(n):
            while nxt is not None and nxt.input_index < i:
                nxt = next(recorded, None)
            if i in overlay:
                yield overlay[i]
            elif nxt is not None and nxt.input_index == i and i not in live:
                yield nxt
            else:
                yield None
    finally:
        journal.close()
