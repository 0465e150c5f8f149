"""Filtering and sorting of the results model: the visible rows as a list of input indices.

A mixin of :class:`gui.results.model.ResultsModel` (kept apart so each module stays small). It
owns the visible order (``_order``, and ``_pos`` from input index to row), the filters
(``_needle``, ``_quick``) and the sort state (``_sort_col``, ``_sort_desc``, ``_sort_keys``),
and reads the model's per-row lists ``_urls``, ``_raw``, ``_cat`` and ``_hay``.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QAbstractTableModel, QModelIndex, Qt, SignalInstance

from gui.results.rows import NUMERIC_COLUMNS, QuickFilter

log = logging.getLogger(__name__)

# PySide6 exposes the overloads of layout(AboutToBe)Changed; the default one takes no hint.
_LAYOUT_SIG = "QList<QPersistentModelIndex>,QAbstractItemModel::LayoutChangeHint"


class RowOrderMixin(QAbstractTableModel):
    """The text and quick filters, the sort column and the re-layout that applies a new order."""

    refreshed: SignalInstance
    relayout_pending: SignalInstance
    _urls: list[str]
    _raw: list[list[Any]]
    _cat: list[int]
    _hay: list[str]
    _order: list[int]
    _pos: list[int]
    _sort_col: int | None
    _sort_desc: bool
    _sort_keys: list[Any]
    _needle: str
    _quick: QuickFilter

    def text_filter(self) -> str:
        return self._needle

    def quick_filter(self) -> QuickFilter:
        return self._quick

    def set_text_filter(self, text: str) -> None:
        """Show only rows whose URL, final URL, title or error contains ``text`` (any case)."""
        needle = text.strip().casefold()
        if needle == self._needle:
            return
        narrowing = self._needle in needle
        self._needle = needle
        if narrowing:  # a longer needle can only hide rows: filter the visible ones, order kept
            hay = self._hay
            self._relayout([i for i in self._order if needle in hay[i]])
        else:
            self._relayout(self._sorted(self._filtered()))
        self.refreshed.emit()

    def set_quick_filter(self, quick: QuickFilter) -> None:
        quick = QuickFilter(quick)
        if quick == self._quick:
            return
        self._quick = quick
        self._relayout(self._sorted(self._filtered()))
        self.refreshed.emit()

    def sort_column(self) -> tuple[int, Qt.SortOrder]:
        """The current sort column (-1 for input order) and order."""
        order = Qt.SortOrder.DescendingOrder if self._sort_desc else Qt.SortOrder.AscendingOrder
        return (-1 if self._sort_col is None else self._sort_col), order
    def _passes(self, i: int) -> bool:
        return bool(self._cat[i] & self._quick) and (not self._needle or self._needle in self._hay[i])
    def _filtered(self) -> list[int]:
        n = len(self._urls)
        if self._quick == QuickFilter.ALL and not self._needle:
            return list(range(n))
        cat, hay, bit, needle = self._cat, self._hay, self._quick.value, self._needle
        if not needle:
            return [i for i in range(n) if cat[i] & bit]
        return [i for i in range(n) if cat[i] & bit and needle in hay[i]]

    def _sort_key(self, value: Any) -> Any:
        """The sort column's key with empty cells mapped to a value that sorts last either way."""
        if value is not None:
            return value
        if self._sort_col in NUMERIC_COLUMNS:
            return -math.inf if self._sort_desc else math.inf
        return "" if self._sort_desc else "\U0010ffff"

    def _rebuild_sort_keys(self) -> None:
        col, key = self._sort_col, self._sort_key
        self._sort_keys = [] if col is None else [key(raw[col]) for raw in self._raw]

    def _sorted(self, order: list[int]) -> list[int]:
        """Sort visible input indices in place by the sort column (input order without one)."""
        if self._sort_col is None:
            order.sort()
        else:
            # Stable and adaptive: starting from the current order, a batch that moves a few
            # rows costs about one pass, and ties keep their previous relative order.
            order.sort(key=self._sort_keys.__getitem__, reverse=self._sort_desc)
        return order

    def _rebuild_pos(self) -> None:
        pos = [-1] * len(self._urls)
        for row, i in enumerate(self._order):
            pos[i] = row
        self._pos = pos

    def _relayout(self, new_order: list[int]) -> None:
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

