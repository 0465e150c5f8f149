"""The results panel: a text filter and quick-filter buttons with live counts above the table.

``ResultsPanel`` = a text filter, quick-filter buttons with live counts and a
:class:`gui.results.view.ResultsView` (objectName ``resultsView``) over a
:class:`gui.results.model.ResultsModel`.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QItemSelectionModel, QLocale, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gui.app.flow_layout import FlowLayout
from gui.results.model import ResultsModel
from gui.results.rows import Column, QuickFilter
from gui.results.view import ResultsView

log = logging.getLogger(__name__)

_IMMEDIATE_FILTER_ROWS = 20_000  # above this, typing in the filter is debounced


class ResultsPanel(QWidget):
    """Filter bar (text + quick filters with counts) above the results table.

    Signals:
        retry_requested(list): input indices to fetch again.
        current_changed(int): input index of the current row, -1 for none (not emitted
            for changes made through :meth:`select_input_index`).
        message(str): a one-line note for the status bar (from the view).
    """

    retry_requested = Signal(list)
    current_changed = Signal(int)
    message = Signal(str)

    def __init__(self, parent: QWidget | None = None, model: ResultsModel | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultsPanel")
        self.model = model if model is not None else ResultsModel(self)
        self.view = ResultsView(self.model, self)
        self.view.retry_requested.connect(self.retry_requested)
        self.view.message.connect(self.message)
        self._last_current = -1
        self._syncing = False

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("resultsFilter")
        self.filter_edit.setPlaceholderText(self.tr("Filter the rows (any column shown)…"))
        self.filter_edit.setToolTip(
            self.tr("Show only rows where a visible column shows this text: URL, status, title, type, error… "
                    "(Ctrl+F; Esc clears)"))
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
            QuickFilter.NON_INDEXABLE: (self.tr("Non-indexable"), self.tr(
                "Pages a search engine would not index: not 200, redirected, noindex, canonicalised elsewhere")),
            QuickFilter.DUPLICATE_CONTENT: (self.tr("Duplicate content"), self.tr(
                "Pages whose visible text is the same as another row's (same content hash)")),
        }
        self.quick_buttons: dict[QuickFilter, QToolButton] = {}
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.filter_edit, 2)
        # The buttons wrap onto a second row rather than widen the window past a small screen.
        quick = QWidget(self)
        quick.setObjectName("quickFilters")
        quick.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        flow = FlowLayout(quick)
        for q, (_, tip) in self._quick_names.items():
            b = QToolButton(quick)
            b.setObjectName(f"quickFilter{q.name.title().replace('_', '')}")
            b.setCheckable(True)
            b.setAutoRaise(True)
            b.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            b.setToolTip(tip)
            b.setChecked(q == QuickFilter.ALL)
            self._group.addButton(b, q.value)
            self.quick_buttons[q] = b
            flow.addWidget(b)
        bar.addWidget(quick, 3)
        self._group.idClicked.connect(lambda qid: self.model.set_quick_filter(QuickFilter(qid)))
        self.count_label = QLabel(self)
        self.count_label.setObjectName("resultsCount")
        # Off the window's edge: its last glyph was cut by the frame (the table's scrollbar has one).
        margin = max(self.style().pixelMetric(QStyle.PixelMetric.PM_LayoutRightMargin) // 2, 4)
        self.count_label.setContentsMargins(0, 0, margin, 0)
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

