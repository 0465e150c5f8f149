"""The results table: the view, its progress delegate and the panel with the filter bar.

``ResultsPanel`` = a text filter, quick-filter buttons with live counts and a
``ResultsView`` (objectName ``resultsView``) over a :class:`gui.results_model.ResultsModel`.
Sorting and filtering happen inside the model (see there why there is no proxy model).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QLocale,
    QModelIndex,
    QObject,
    QPoint,
    QRect,
    QRectF,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QDesktopServices,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPainterPath,
    QPalette,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QProxyStyle,
    QStyle,
    QStyledItemDelegate,
    QStyleOption,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gui.colors import StatusKind, is_dark, phase_color, status_color, text_on, track_color
from gui.results_model import KIND_ROLE, PROGRESS_ROLE, Column, QuickFilter, ResultsModel, format_bytes

log = logging.getLogger(__name__)

MAX_OPEN = 20  #: at most this many browser tabs from one "open" (a selection can be 100k rows)
_BUSY_INTERVAL_MS = 50
_IMMEDIATE_FILTER_ROWS = 20_000  # above this, typing in the filter is debounced
_PARK_ABOVE_ROWS = 200  # selections bigger than this are re-selected by input index after a re-sort
_PAD = 3  # extra horizontal margin of cells and header labels


class _TableStyle(QProxyStyle):
    """Wider cell and header text margins, so a right-aligned number does not touch the next
    column's text (cells use PM_FocusFrameHMargin + 1 as their text margin, headers PM_HeaderMargin)."""

    def pixelMetric(self, metric: QStyle.PixelMetric, option: QStyleOption | None = None,
                    widget: QWidget | None = None) -> int:
        value = super().pixelMetric(metric, option, widget)
        if metric in (QStyle.PixelMetric.PM_HeaderMargin, QStyle.PixelMetric.PM_FocusFrameHMargin):
            return value + _PAD
        return value


class ResultsDelegate(QStyledItemDelegate):
    """Colours the Status and Error columns, elides URLs in the middle and draws download bars."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.phase = 0.0  #: position of the busy indicator, 0–2 (there and back)

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        super().initStyleOption(option, index)
        col = index.column()
        if col == Column.URL:
            option.textElideMode = Qt.TextElideMode.ElideMiddle
        elif col in (Column.STATUS, Column.ERROR):
            kind = index.data(KIND_ROLE) if col == Column.STATUS else StatusKind.FAILED
            if kind is not None:
                pal = QPalette(option.palette)
                pal.setColor(QPalette.ColorRole.Text, status_color(kind, pal))
                option.palette = pal

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        col = index.column()
        progress = index.data(PROGRESS_ROLE) if col == Column.STATUS else None
        if progress is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:  # background and selection, no text
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        self._paint_bar(painter, opt, progress)

    def _paint_bar(self, painter: QPainter, opt: QStyleOptionViewItem, progress: tuple[int, int | None]) -> None:
        done, total = progress
        bar = QRectF(opt.rect).adjusted(4, 3, -4, -3)
        if bar.width() < 8 or bar.height() < 4:
            return
        pal = opt.palette
        if total:
            frac = min(1.0, done / total)
            fill = QRectF(bar.left(), bar.top(), bar.width() * frac, bar.height())
            label = f"{int(frac * 100)}%"
        else:  # unknown length: a chunk sliding there and back
            w = bar.width() * 0.3
            t = self.phase if self.phase <= 1 else 2 - self.phase
            fill = QRectF(bar.left() + (bar.width() - w) * t, bar.top(), w, bar.height())
            label = format_bytes(done)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        track = QPainterPath()
        track.addRoundedRect(bar, 3, 3)
        painter.fillPath(track, track_color(pal))
        color = phase_color("download", pal)
        if not is_dark(pal):  # a shade darker, so white text on it stays readable
            color = color.darker(120)
        painter.setClipPath(track)
        painter.fillRect(fill, color)
        painter.setFont(opt.font)
        align = Qt.AlignmentFlag.AlignCenter
        # Text in two colours: readable over the track and over the filled part.
        painter.setClipRect(fill)
        painter.setPen(text_on(color))
        painter.drawText(bar, align, label)
        outside = QPainterPath()
        outside.addRect(bar)
        inside = QPainterPath()
        inside.addRect(fill)
        painter.setClipPath(outside.subtracted(inside))
        painter.setPen(pal.color(QPalette.ColorRole.Text))
        painter.drawText(bar, align, label)
        painter.restore()


class ResultsView(QTableView):
    """The results table (objectName ``resultsView``).

    Signals:
        retry_requested(list): input indices of the selected finished rows ("Retry" in the menu).
    """

    retry_requested = Signal(list)

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
        hh.setSectionsMovable(True)
        hh.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        hh.customContextMenuRequested.connect(
            lambda pos: self.header_menu().popup(hh.mapToGlobal(pos)))
        self.setAccessibleName(self.tr("Results"))
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._show_context_menu)
        self.doubleClicked.connect(lambda index: self.open_rows([index.row()]))
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
        """Show or hide columns (the URL column always stays)."""
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        m = self._model
        for col in Column:
            act = menu.addAction(m.headerData(col, Qt.Orientation.Horizontal))
            act.setCheckable(True)
            act.setChecked(not self.isColumnHidden(col))
            act.setEnabled(col != Column.URL)
            act.toggled.connect(lambda on, c=col: self.setColumnHidden(c, not on))
        return menu

    def header_state(self) -> QByteArray:
        """Column order, widths, visibility and sort, for the app's settings."""
        return self.horizontalHeader().saveState()

    def restore_header_state(self, state: QByteArray | bytes) -> bool:
        ok = self.horizontalHeader().restoreState(QByteArray(state))
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
        rows = sorted(r for r in (m.row_of(i) for i in parked) if r is not None)
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
            url = QUrl(self._model.url(self._model.input_index_of(row)))
            if url.isValid() and url.scheme() in ("http", "https"):
                QDesktopServices.openUrl(url)
            else:
                log.info("not opening %r: not an http(s) URL", url.toString())
        if len(rows) > MAX_OPEN:
            log.info("opened the first %d of %d selected URLs", MAX_OPEN, len(rows))

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
            self.open_rows([self.currentIndex().row()])
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


class ResultsPanel(QWidget):
    """Filter bar (text + quick filters with counts) above the results table.

    Signals:
        retry_requested(list): input indices to fetch again.
        current_changed(int): input index of the current row, -1 for none (not emitted
            for changes made through :meth:`select_input_index`).
    """

    retry_requested = Signal(list)
    current_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None, model: ResultsModel | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultsPanel")
        self.model = model if model is not None else ResultsModel(self)
        self.view = ResultsView(self.model, self)
        self.view.retry_requested.connect(self.retry_requested)
        self._last_current = -1
        self._syncing = False

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("resultsFilter")
        self.filter_edit.setPlaceholderText(self.tr("Filter URL, title or error…"))
        self.filter_edit.setToolTip(
            self.tr("Show only rows whose URL, title or error contains this text (Ctrl+F; Esc clears)"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._on_filter_text)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(150)
        self._filter_timer.timeout.connect(self.apply_text_filter)
        self.filter_edit.installEventFilter(self)  # Esc clears the filter
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(lambda: (self.filter_edit.setFocus(), self.filter_edit.selectAll()))

        self._quick_names = {
            QuickFilter.ALL: (self.tr("All"), self.tr("Show every URL")),
            QuickFilter.OK: (self.tr("OK"), self.tr("Pages fetched successfully")),
            QuickFilter.REDIRECTED: (self.tr("Redirected"), self.tr("URLs that redirected at least once")),
            QuickFilter.CLIENT_ERROR: (self.tr("4xx"), self.tr("Client errors (HTTP 400–499)")),
            QuickFilter.SERVER_ERROR: (self.tr("5xx"), self.tr("Server errors (HTTP 500–599)")),
            QuickFilter.FAILED: (self.tr("Failed"), self.tr("Every URL that did not succeed: HTTP errors, "
                                                              "network failures, timeouts, invalid URLs")),
        }
        self.quick_buttons: dict[QuickFilter, QToolButton] = {}
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.filter_edit, 2)
        for q, (_, tip) in self._quick_names.items():
            b = QToolButton(self)
            b.setObjectName(f"quickFilter{q.name.title().replace('_', '')}")
            b.setCheckable(True)
            b.setAutoRaise(True)
            b.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            b.setToolTip(tip)
            b.setChecked(q == QuickFilter.ALL)
            self._group.addButton(b, q.value)
            self.quick_buttons[q] = b
            bar.addWidget(b)
        self._group.idClicked.connect(lambda qid: self.model.set_quick_filter(QuickFilter(qid)))
        bar.addStretch(1)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("resultsCount")
        bar.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

        self.model.refreshed.connect(self._update_counts)
        self.model.modelReset.connect(self._update_counts)
        self.view.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.model.layoutChanged.connect(self._check_current)
        self.model.modelReset.connect(self._check_current)
        self._update_counts()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.filter_edit and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape and self.filter_edit.text()):
            self.filter_edit.clear()
            return True
        return super().eventFilter(watched, event)

    # -- filters --------------------------------------------------------------------------
    def _on_filter_text(self, _text: str) -> None:
        if self.model.total_rows() <= _IMMEDIATE_FILTER_ROWS:
            self.apply_text_filter()
        else:
            self._filter_timer.start()

    def apply_text_filter(self) -> None:
        """Apply the filter field now (typing is debounced on big tables)."""
        self._filter_timer.stop()
        self.model.set_text_filter(self.filter_edit.text())

    def set_quick_filter(self, quick: QuickFilter) -> None:
        self.quick_buttons[quick].setChecked(True)
        self.model.set_quick_filter(quick)

    def set_retry_enabled(self, enabled: bool) -> None:
        """Allow or forbid "Retry" in the context menu (e.g. while a run is going)."""
        self.view.retry_enabled = enabled

    def _update_counts(self) -> None:
        counts = self.model.quick_filter_counts()
        loc = QLocale()
        for q, b in self.quick_buttons.items():
            b.setText(self.tr("{name} ({count})").format(name=self._quick_names[q][0], count=loc.toString(counts[q])))
            if b.isChecked() != (q == self.model.quick_filter()):
                b.setChecked(q == self.model.quick_filter())
        shown, total = self.model.rowCount(), self.model.total_rows()
        self.count_label.setText(self.tr("{shown} of {total} shown").format(shown=loc.toString(shown),
                                                                              total=loc.toString(total)))

    # -- current row ------------------------------------------------------------------------
    def _emit_current(self, input_index: int) -> None:
        if input_index != self._last_current:
            self._last_current = input_index
            if not self._syncing:
                self.current_changed.emit(input_index)

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._emit_current(self.model.input_index_of(current.row()) if current.isValid() else -1)

    def _check_current(self) -> None:
        current = self.view.currentIndex()
        self._emit_current(self.model.input_index_of(current.row()) if current.isValid() else -1)

    def select_input_index(self, input_index: int) -> None:
        """Make this URL's row current and visible (nothing happens if it is filtered out)."""
        row = self.model.row_of(input_index)
        if row is None:
            return
        index = self.model.index(row, Column.URL)
        self._syncing = True
        try:
            flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            self.view.selectionModel().setCurrentIndex(index, flags)
            self.view.scrollTo(index)
        finally:
            self._syncing = False

