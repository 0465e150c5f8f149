"""Which rows of the results table are visible, and in which order: the filters and the sort.

:class:`RowOrder` is plain Python (no Qt): :class:`gui.results.model.ResultsModel` owns one,
passes it the per-row lists it keeps (quick-filter bits, search text, sort values) and applies
the order it returns inside one layout change.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from typing import Any

from gui.results.rows import NUMERIC_COLUMNS, QuickFilter

log = logging.getLogger(__name__)


class RowOrder:
    """The text and quick filters and the sort column of the results table.

    Attributes:
        needle: the casefolded text filter ("" shows every row).
        quick: the quick filter (a bit set over the rows' categories).
        column: the sort column, or ``None`` for input order.
        descending: the sort direction.
        keys: the sort key of every input index (empty without a sort column).
    """

    def __init__(self) -> None:
        self.needle = ""
        self.quick = QuickFilter.ALL
        self.column: int | None = None
        self.descending = False
        self.keys: list[Any] = []

    def passes(self, cat: int, hay: str) -> bool:
        """Whether a row with quick-filter bits ``cat`` and search text ``hay`` is shown."""
        return bool(cat & self.quick) and (not self.needle or self.needle in hay)

    def filtered(self, cat: Sequence[int], hay: Sequence[str]) -> list[int]:
        """The input indices that pass both filters, in input order."""
        n = len(cat)
        if self.quick == QuickFilter.ALL and not self.needle:
            return list(range(n))
        bit, needle = self.quick.value, self.needle
        if not needle:
            return [i for i in range(n) if cat[i] & bit]
        return [i for i in range(n) if cat[i] & bit and needle in hay[i]]

    def key(self, value: Any) -> Any:
        """The sort column's key with empty cells mapped to a value that sorts last either way."""
        if value is not None:
            return value
        if self.column in NUMERIC_COLUMNS:
            return -math.inf if self.descending else math.inf
        return "" if self.descending else "\U0010ffff"

    def rebuild_keys(self, raw: Sequence[Sequence[Any]]) -> None:
        """Recompute every row's key from its sort values (``raw[i][column]``)."""
        col, key = self.column, self.key
        self.keys = [] if col is None else [key(r[col]) for r in raw]

    def sort(self, order: list[int]) -> list[int]:
        """Sort visible input indices in place by the sort column (input order without one)."""
        if self.column is None:
            order.sort()
        else:
            # Stable and adaptive: starting from the current order, a batch that moves a few
            # rows costs about one pass, and ties keep their previous relative order.
            order.sort(key=self.keys.__getitem__, reverse=self.descending)
        return order
