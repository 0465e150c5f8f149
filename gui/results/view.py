"""The results table's view: selection, clipboard, context menu, opening pages, the busy animation.

``ResultsView`` (objectName ``resultsView``) shows a :class:`gui.results.model.ResultsModel`,
painted by :class:`gui.results.delegate.ResultsDelegate`; the filter bar around it is
:class:`gui.results.panel.ResultsPanel`. Sorting and filtering happen inside the model (see
there why there is no proxy model).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPoint,
    QRect,
    QSettings,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QDesktopServices, QGuiApplication, QKeyEvent, QKeySequence, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QProxyStyle,
    QStyle,
    QStyleOption,
    QTableView,
    QWidget,
)

from gui.results.delegate import ResultsDelegate
from gui.results.details import RowDetails
from gui.results.model import ResultsModel
from gui.results.rows import HIDDEN_BY_DEFAULT, Column

log = logging.getLogger(__name__)

MAX_OPEN = 20  #: at most this many browser tabs from one "open" (a selection can be 100k rows)
_BUSY_INTERVAL_MS = 50
_PARK_ABOVE_ROWS = 200  # selections bigger than this are re-selected by input index after a re-sort
_PAD = 3  # extra horizontal margin of cells and header labels
HIDDEN_COLUMNS_KEY = "results/hiddenColumns"  #: QSettings: hidden columns' names, "-" for none


class _TableStyle(QProxyStyle):
    """Wider cell and header text margins, so a right-aligned number does not touch the next
    column's text (cells use PM_FocusFrameHMargin + 1 as their text margin, headers PM_HeaderMargin)."""

    def pixelMetric(self, metric: QStyle.PixelMetric, option: QStyleOption | None = None,
                    widget: QWidget | None = None) -> int:
        value = super().pixelMetric(metric, option, widget)
        if metric in (QStyle.PixelMetric.PM_HeaderMargin, QStyle.PixelMetric.PM_FocusFrameHMargin):
            return value + _PAD
        return value


class ResultsView(QTableView):
    """The results table (objectName ``resultsView``).

    Signals:
        retry_requested(list): input indices of the selected finished rows ("Retry" in the menu).
        message(str): a one-line note for the user (a page that could not be opened).
    """

    retry_requested = Signal(list)
    message = Signal(str)

    def __init__(self, model: ResultsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultsView")
        self._model = model
        self.retry_enabled = True
        self._table_style = _TableStyle()  # wraps the application style
        self._table_style.setParent(self)  # setStyle() does not take ownership
        self.setStyle(self._table_style)
        self.setModel(model)
        self._delegate = ResultsDelegate(self)
        self.setItemDelegate(self._delegate)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setCornerButtonEnabled(False)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # Uniform row heights: a fixed default section size lets 100k rows scroll smoothly.
        vh = self.verticalHeader()
        vh.setVisible(False)
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setMinimumSectionSize(1)
        self._fit_rows_to_font()
        hh = self.horizontalHeader()
        hh.setHighlightSections(False)
        # The header asks its selection model isColumnSelected() for every section it paints
        # (even without highlighting), which walks every row: 4 s after Ctrl+A on 100k rows.
        # An empty selection model of its own keeps header painting O(columns).
        self._header_selection = QItemSelectionModel(model, self)
        hh.setSelectionModel(self._header_selection)
        vh.setSelectionModel(self._header_selection)
        hh.setStyle(self._table_style)
        hh.setStretchLastSection(True)
        hh.setSortIndicatorClearable(True)  # third click: back to input order
        hh.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)
        self._set_column_widths()
        self._restore_hidden_columns()
        hh.setSectionsMovable(True)
        hh.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        hh.customContextMenuRequested.connect(
            lambda pos: self.header_menu().popup(hh.mapToGlobal(pos)))
        self.setAccessibleName(self.tr("Results"))
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._show_context_menu)
        self.doubleClicked.connect(self._on_double_click)
        self._details: RowDetails | None = None
        self._busy = QTimer(self)
        self._busy.setInterval(_BUSY_INTERVAL_MS)
        self._busy.timeout.connect(self._tick)
        model.refreshed.connect(self._update_busy)
        model.modelReset.connect(self._update_busy)
        self._parked: list[int] | None = None
        model.relayout_pending.connect(self._park_selection)
        model.layoutChanged.connect(self._restore_selection)

    def _set_column_widths(self) -> None:
        fm = self.fontMetrics()

        def w(sample: str) -> int:
            return fm.horizontalAdvance(sample) + 18

        # About 900 px at the default font; Error (the last section) stretches over the rest.
        widths = {Column.INDEX: w("100000"), Column.URL: w("x" * 34), Column.STATUS: w("3xx→404 Not Found"),
                  Column.TITLE: w("x" * 24), Column.TIME: w("12.34 s"), Column.SIZE: w("1023.9 KB"),
                  Column.TYPE: w("text/html+x"), Column.LINKS: w("Links")}
        for col, width in widths.items():
            self.setColumnWidth(col, width)

    def header_menu(self) -> QMenu:
        """Show or hide columns (the URL column always stays); the choice is remembered in QSettings."""
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        m = self._model
        for col in Column:
            act = menu.addAction(m.headerData(col, Qt.Orientation.Horizontal))
            act.setCheckable(True)
            act.setChecked(not self.isColumnHidden(col))
            act.setEnabled(col != Column.URL)
            act.toggled.connect(lambda on, c=col: self.show_column(c, on))
        return menu

    def show_column(self, col: Column, visible: bool) -> None:
        """Show or hide a column and remember the hidden ones (``HIDDEN_COLUMNS_KEY`` in QSettings);
        the text filter then searches what is shown."""
        self.setColumnHidden(col, not visible)
        hidden = [c.name.lower() for c in Column if self.isColumnHidden(c)]
        QSettings().setValue(HIDDEN_COLUMNS_KEY, ",".join(hidden) or "-")
        self._search_visible_columns()

    def _restore_hidden_columns(self) -> None:
        saved = QSettings().value(HIDDEN_COLUMNS_KEY, "")
        names = set(str(saved).split(",")) if saved else {c.name.lower() for c in HIDDEN_BY_DEFAULT}
        for col in Column:
            self.setColumnHidden(col, col != Column.URL and col.name.lower() in names)
        self._search_visible_columns()

    def _search_visible_columns(self) -> None:
        self._model.set_searched_columns([c for c in Column if not self.isColumnHidden(c)])

    def header_state(self) -> QByteArray:
        """Column order, widths, visibility and sort, for the app's settings."""
        return self.horizontalHeader().saveState()

    def restore_header_state(self, state: QByteArray | bytes) -> bool:
        ok = self.horizontalHeader().restoreState(QByteArray(state))
        self._search_visible_columns()
        if ok:  # the saved sort indicator is only a picture: sort the model to match it
            hh = self.horizontalHeader()
            self._model.sort(hh.sortIndicatorSection(), hh.sortIndicatorOrder())
        return ok

    # -- selection ----------------------------------------------------------------------------
    def selected_rows(self) -> list[int]:
        """Visible rows of the selection, top to bottom (from ranges: cheap for 100k rows)."""
        sm = self.selectionModel()
        rows: set[int] = set()
        for rng in sm.selection():
            rows.update(range(rng.top(), rng.bottom() + 1))
        return sorted(rows)

    def selected_input_indices(self) -> list[int]:
        m = self._model
        return [m.input_index_of(r) for r in self.selected_rows()]

    def _park_selection(self) -> None:
        """Before a re-sort/re-filter: keep a big selection as input indices and clear it."""
        sm = self.selectionModel()
        if sum(r.height() for r in sm.selection()) <= _PARK_ABOVE_ROWS:
            return  # small: Qt's persistent indexes are cheap enough
        self._parked = self.selected_input_indices()
        sm.clearSelection()

    def _restore_selection(self) -> None:
        parked, self._parked = self._parked, None
        if parked is None:
            return
        m = self._model
        rows = sorted(r for r in m.rows_of(parked) if r is not None)
        selection = QItemSelection()
        last = m.columnCount() - 1
        start = prev = -2
        for r in [*rows, -2]:  # contiguous rows become one range
            if r != prev + 1:
                if start >= 0:
                    selection.select(m.index(start, 0), m.index(prev, last))
                start = r
            prev = r
        self.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.Select)

    # -- actions -------------------------------------------------------------------------------
    def selection_as_tsv(self) -> str:
        """The selected rows as tab-separated text with a header row (visible columns, visual order)."""
        hh = self.horizontalHeader()
        cols = [hh.logicalIndex(v) for v in range(hh.count())]
        cols = [c for c in cols if not hh.isSectionHidden(c)]
        m = self._model
        lines = ["\t".join(_cell(m.headerData(c, Qt.Orientation.Horizontal)) for c in cols)]
        for row in self.selected_rows():
            cells = m.display_row(row)
            lines.append("\t".join(_cell(cells[c]) for c in cols))
        return "\n".join(lines) + "\n"

    def copy_selection(self) -> None:
        if not self.selectionModel().hasSelection():
            return
        QGuiApplication.clipboard().setText(self.selection_as_tsv())

    def copy_urls(self) -> None:
        urls = [self._model.url(i) for i in self.selected_input_indices()]
        if urls:
            QGuiApplication.clipboard().setText("\n".join(urls) + "\n")

    def open_rows(self, rows: list[int]) -> None:
        """Open the URLs of these visible rows in the browser (http and https only)."""
        for row in rows[:MAX_OPEN]:
            text = self._model.url(self._model.input_index_of(row))
            url = QUrl(text)
            if not (url.isValid() and url.scheme() in ("http", "https")):
                log.info("not opening %r: not an http(s) URL", text)
                self.message.emit(self.tr("Not opened: {0} is not a web address").format(text))
            elif not QDesktopServices.openUrl(url):  # no browser, or xdg-open missing
                log.warning("no application opened %s", text)
                self.message.emit(self.tr("Could not open {0}: no web browser was found").format(text))
                break
        if len(rows) > MAX_OPEN:
            log.info("opened the first %d of %d selected URLs", MAX_OPEN, len(rows))

    def _on_double_click(self, index: QModelIndex) -> None:
        if index.column() == Column.URL:
            self.open_rows([index.row()])
        else:
            self.show_details(index.row())

    def show_details(self, row: int) -> RowDetails:
        """Open (or update) the details window for a visible row: headers, hops, hreflang, notes."""
        if self._details is None:
            self._details = RowDetails(self)
        i = self._model.input_index_of(row)
        self._details.show_row(self._model.url(i), self._model.result(i))
        return self._details

    def request_retry(self) -> None:
        m = self._model
        indices = [i for i in self.selected_input_indices() if m.result(i) is not None]
        if indices:
            self.retry_requested.emit(indices)

    def context_menu(self) -> QMenu:
        """The menu for the current selection (the caller shows and owns it)."""
        menu = QMenu(self)
        rows = self.selected_rows()
        n = len(rows)
        has_rows = n > 0
        act = menu.addAction(self.tr("Copy URL") if n == 1 else self.tr("Copy URLs"), self.copy_urls)
        act.setEnabled(has_rows)
        act = menu.addAction(self.tr("Copy row") if n == 1 else self.tr("Copy rows"), self.copy_selection)
        act.setShortcut(QKeySequence(QKeySequence.StandardKey.Copy))
        act.setEnabled(has_rows)
        menu.addSeparator()
        act = menu.addAction(self.tr("Open in browser"), lambda: self.open_rows(rows))
        act.setEnabled(has_rows)
        menu.addSeparator()
        m = self._model
        finished = has_rows and any(m.result(m.input_index_of(r)) is not None for r in rows)
        act = menu.addAction(self.tr("Retry"), self.request_retry)
        act.setObjectName("retryAction")
        act.setToolTip(self.tr("Fetch the selected URLs again"))
        act.setEnabled(self.retry_enabled and finished)
        return menu

    def _show_context_menu(self, pos: QPoint) -> None:
        menu = self.context_menu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # popup(), not exec(): no nested event loop under qasync.
        menu.popup(self.viewport().mapToGlobal(pos))

    def dataChanged(self, top_left: QModelIndex, bottom_right: QModelIndex, roles: Sequence[int] = ()) -> None:
        """Repaint only the visible part of a change.

        Qt 6.11 repaints the whole viewport for any multi-row ``dataChanged``, even when every
        changed row is scrolled out of sight: 15–55 ms per 100 ms batch during a large run.
        Rows outside the viewport are painted fresh when they scroll in, so they are skipped.
        """
        if top_left.isValid() and bottom_right.isValid() and top_left.row() != bottom_right.row():
            first = self.rowAt(0)
            last = self.rowAt(self.viewport().height() - 1)
            if first >= 0:
                last = last if last >= 0 else self.model().rowCount() - 1
                top, bottom = max(top_left.row(), first), min(bottom_right.row(), last)
                if top > bottom:
                    return
                model = self.model()
                top_left = model.index(top, top_left.column())
                bottom_right = model.index(bottom, bottom_right.column())
        super().dataChanged(top_left, bottom_right, list(roles))

    def paintEvent(self, event: QPaintEvent) -> None:
        # A big run's rows not read yet paint as "…" and are read in a worker thread, not here.
        self._model.set_painting(True)
        try:
            super().paintEvent(event)
        finally:
            self._model.set_painting(False)

    def _fit_rows_to_font(self) -> None:
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_rows_to_font()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.show_details(self.currentIndex().row())
            event.accept()
            return
        super().keyPressEvent(event)

    # -- busy indicator -----------------------------------------------------------------------
    def _update_busy(self) -> None:
        busy = self._model.busy_count() > 0
        if busy and not self._busy.isActive():
            self._busy.start()
        elif not busy and self._busy.isActive():
            self._busy.stop()

    def busy_animating(self) -> bool:
        return self._busy.isActive()

    def _tick(self) -> None:
        self._delegate.phase = (self._delegate.phase + _BUSY_INTERVAL_MS / 1200) % 2.0
        if self.isColumnHidden(Column.STATUS):
            return
        x = self.columnViewportPosition(Column.STATUS)
        self.viewport().update(QRect(x, 0, self.columnWidth(Column.STATUS), self.viewport().height()))


def _cell(value: object) -> str:
    return "" if value is None else " ".join(str(value).split())

