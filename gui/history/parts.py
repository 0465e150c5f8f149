"""Widgets of the history window: the runs table, a run's detail pane and the two-run comparison."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.store import RunInfo
from gui.app.heap import no_collection_while_building
from gui.history.model import (
    CompareRow,
    LoadedRun,
    RunsModel,
    compare_headline,
    compare_rows,
    format_count,
    format_started,
    load_timeline,
    mode_text,
    wall_text,
)
from gui.results.panel import ResultsPanel
from gui.timeline.view import TimelineView

log = logging.getLogger(__name__)

CHUNK = 2000  #: results applied per turn of the loop when a run is opened (~30 ms of model work)


class RunsView(QTableView):
    """The runs table: Enter opens the current run, Delete deletes the selected ones.

    Signals:
        open_requested(): Enter, Return or a double-click on a row.
        delete_requested(): the Delete key.
    """

    open_requested = Signal()
    delete_requested = Signal()

    def __init__(self, model: RunsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyRuns")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        hh = self.horizontalHeader()
        hh.setHighlightSections(False)
        hh.setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.setSortingEnabled(True)
        self.setAccessibleName(self.tr("Past runs"))
        self.setToolTip(self.tr("Past runs, newest first. Enter opens the current run, Delete deletes the "
                                "selected ones; select two runs to compare them."))
        self.doubleClicked.connect(lambda _index: self.open_requested.emit())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit()
        elif key == Qt.Key.Key_Delete or event.matches(QKeySequence.StandardKey.Delete):
            self.delete_requested.emit()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def selected_rows(self) -> list[int]:
        return sorted({index.row() for index in self.selectionModel().selectedRows()})


class RunDetail(QWidget):
    """One opened run: a title line, its results table and its timeline (linked selection)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyRunDetail")
        self.title = QLabel(self)
        self.title.setObjectName("historyRunTitle")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.results_panel = ResultsPanel(self)
        self.results_panel.set_retry_enabled(False)  # fetching rows again is the main window's job
        self.timeline = TimelineView(self)
        self.results_panel.current_changed.connect(
            lambda i: self.timeline.select_input_index(i) if i >= 0 else None)
        self.timeline.selected.connect(self.results_panel.select_input_index)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.results_panel)
        self.splitter.addWidget(self.timeline)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.splitter, 1)

    async def show_run(self, run: LoadedRun, current: Callable[[], bool] = lambda: True) -> bool:
        """Fill the table and the timeline in slices, yielding to the loop between them.

        100k results cost about two seconds of model work; in slices of ``CHUNK`` the window
        keeps painting and answering. Stops early (returns False) once ``current()`` is False:
        the user opened another run meanwhile.
        """
        info = run.info
        self.title.setText(self.tr("<b>Run #{id}</b> · {mode} · {urls} URLs · started {started} · wall {wall} · "
                                   "{ok} OK · {failed} failed").format(
            id=info.id, mode=mode_text(info.mode), urls=format_count(info.total),
            started=format_started(info.created_at), wall=wall_text(info), ok=format_count(info.ok),
            failed=format_count(info.failed)))
        model = self.results_panel.model
        if run.paged and run.path is not None:  # the table reads the journal in pages; the bars come in a thread
            model.reset_run(run.urls, run.lines, journal=(run.path, info.id))
            self.timeline.load((), (), run.wall_ms)
            await model.wait_ordered()  # the rows' outcomes and counts
            recorded = await asyncio.to_thread(load_timeline, run.path, info.id, len(run.urls))
            if not current():
                return False
            self.timeline.load_recorded(run.urls, recorded, run.wall_ms)
            return True
        with no_collection_while_building(len(run.urls)):  # the models' rows live as long as the run is shown
            model.reset_run(run.urls, run.lines)
            await asyncio.sleep(0)  # a turn of the Qt loop (paint, input) between slices of ~50 ms
            if not current():
                return False
            self.timeline.load(run.urls, (), run.wall_ms)  # empty rows on the run's time scale
            done = [r for r in run.results if r is not None]
            for start in range(0, len(done), CHUNK):
                await asyncio.sleep(0)
                if not current():
                    return False
                chunk = done[start:start + CHUNK]
                model.apply((), chunk)
                self.timeline.apply((), chunk)
        return True


class ComparePanel(QWidget):
    """Two runs' summaries side by side, with how B compares with A and a one-line verdict."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyCompare")
        self.rows: list[CompareRow] = []
        self.headline = QLabel(self)
        self.headline.setObjectName("historyCompareHeadline")
        self.headline.setWordWrap(True)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.headline.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.headline.setFont(font)
        self.frame = QFrame(self)
        self.frame.setObjectName("historyCompareTable")
        self.frame.setFrameShape(QFrame.Shape.StyledPanel)
        self.grid = QGridLayout(self.frame)
        self.grid.setHorizontalSpacing(24)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(self.headline)
        layout.addWidget(self.frame)
        layout.addStretch(1)

    def show_pair(self, a: RunInfo, b: RunInfo) -> list[CompareRow]:
        self.rows = compare_rows(a, b)
        self.headline.setText(compare_headline(a, b))
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item is not None and (w := item.widget()) is not None:
                w.deleteLater()
        heads = ["", self.tr("A: run #{0}").format(a.id), self.tr("B: run #{0}").format(b.id),
                 self.tr("B compared with A")]
        for y, cells in enumerate([heads] + [[r.label, r.a, r.b, r.note] for r in self.rows]):
            for x, text in enumerate(cells):
                label = QLabel(text, self.frame)
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                if y == 0 or x == 0:
                    font = label.font()
                    font.setBold(True)
                    label.setFont(font)
                align = Qt.AlignmentFlag.AlignLeft if x in (0, 3) else Qt.AlignmentFlag.AlignRight
                self.grid.addWidget(label, y, x, alignment=align | Qt.AlignmentFlag.AlignVCenter)
        self.grid.setColumnStretch(4, 1)
        return self.rows
