"""The history window: past runs from the journal; open, export, compare, delete, resume, retry.

The runs table lists what :class:`core.store.Journal` recorded, newest first. Opening a run
shows its results table and timeline again in the detail pane; two selected runs can be
compared side by side. Resume and "retry failed" are only *requested* here (signals): the
main window owns the one running batch and starts it (see :mod:`gui.window.resume_prompt`).

Everything that reads or writes the journal runs in a worker thread with its own SQLite
connection (:mod:`gui.history.model`), so a 100k-row run opens without freezing the window.
"""

from __future__ import annotations

import asyncio
import datetime
import logging
import sqlite3
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QStandardPaths, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core.export import ExportError
from core.store import Journal, JournalError, RunInfo
from gui.app.dialogs import ask_save_path, run_dialog, show_message
from gui.app.export_task import default_name
from gui.app.tasks import TaskKeeper
from gui.history.model import (
    CompareRow,
    LoadedRun,
    RunsModel,
    can_resume,
    can_retry,
    delete_runs,
    export_run,
    list_runs,
    load_run,
)
from gui.history.parts import ComparePanel, RunDetail, RunsView

log = logging.getLogger(__name__)


class HistoryWindow(QWidget):
    """Past runs of the journal (objectName ``historyWindow``), a window of its own.

    Args:
        journal: the app's journal (only its path is used; threads open their own connections).
        parent: usually the main window (the history stays a separate top-level window).

    Signals:
        resume_requested(int): the user wants to finish this interrupted run.
        retry_failed_requested(int): the user wants this run's failed rows fetched again.
        loaded(int): a run was opened and is shown in the detail pane.
        refreshed(): the runs table was reloaded from the journal.
        exported(str): a run was written to this file.
    """

    resume_requested = Signal(int)
    retry_failed_requested = Signal(int)
    loaded = Signal(int)
    refreshed = Signal()
    exported = Signal(str)

    def __init__(self, journal: Journal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setObjectName("historyWindow")
        self.setWindowTitle(self.tr("History — Fetchlens"))
        self.journal = journal
        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        self.export_folder = docs or str(Path.home())
        self.opened: LoadedRun | None = None
        self._tasks = TaskKeeper()
        self._list_gen = self._open_gen = 0
        self._run_active = False

        self.model = RunsModel(self)
        self.view = RunsView(self.model, self)
        self.commands = self._make_actions()
        buttons = QHBoxLayout()
        for name in ("open", "export", "compare", "resume", "retry", "delete"):
            buttons.addWidget(self._button(self.commands[name]))
        buttons.addStretch(1)
        buttons.addWidget(self._button(self.commands["refresh"]))
        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(6, 6, 6, 0)
        top_layout.addWidget(self.view, 1)
        top_layout.addLayout(buttons)

        self.placeholder = QLabel(self)
        self.placeholder.setObjectName("historyPlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setEnabled(False)  # drawn in the palette's disabled (muted) text colour
        self.detail = RunDetail(self)
        self.results_panel = self.detail.results_panel
        self.timeline = self.detail.timeline
        self.comparison = ComparePanel(self)
        self.stack = QStackedWidget(self)
        for page in (self.placeholder, self.detail, self.comparison):
            self.stack.addWidget(page)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("historySplitter")
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.status = QLabel(self)
        self.status.setObjectName("historyStatus")
        self.status.setContentsMargins(8, 0, 8, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.status)

        self.view.open_requested.connect(self.commands["open"].trigger)
        self.view.delete_requested.connect(self.commands["delete"].trigger)
        self.view.selectionModel().selectionChanged.connect(self._update_actions)
        self.model.modelReset.connect(self._update_actions)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._show_menu)
        self._show_placeholder(self.tr("Open a run (Enter or double-click) to see its table and timeline again; "
                                       "select two runs to compare them."))
        self._update_actions()
        self._fit_screen()

    def _fit_screen(self) -> None:
        """1100×780, but never past the screen's edges; the run list gets room for about a dozen runs."""
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        width, height = 1100, 780
        if screen is not None:
            width, height = min(width, screen.width() * 9 // 10), min(height, screen.height() * 9 // 10)
        self.resize(width, height)
        top = self.splitter.widget(0)
        extra = top.sizeHint().height() - self.view.sizeHint().height()  # the toolbar above the list
        rows = self.view.verticalHeader().defaultSectionSize() * 12 + self.view.horizontalHeader().sizeHint().height()
        top_height = min(rows + max(extra, 0) + 8, height * 3 // 5)
        self.splitter.setSizes([top_height, height - top_height])

    # -- construction ---------------------------------------------------------------------------
    def _make_actions(self) -> dict[str, QAction]:
        spec: dict[str, tuple[str, str, Callable[[], None], QKeySequence | None]] = {
            "open": (self.tr("&Open"), self.tr("Show the selected run's table and timeline (Enter)"),
                     lambda: self._with_one(lambda i: self.spawn(self.open_run(i.id))), None),
            "export": (self.tr("E&xport…"),
                       self.tr("Write the selected run's results to a CSV, JSON Lines or Excel file"),
                       lambda: self._with_one(lambda i: self.spawn(self.export_results(i.id))),
                       QKeySequence(QKeySequence.StandardKey.Save)),
            "compare": (self.tr("&Compare"), self.tr("Compare the two selected runs side by side: wall time, "
                                                     "p50/p95, OK and failed, speed-up"), self.compare_selected, None),
            "resume": (self.tr("&Resume"), self.tr("Finish the selected interrupted run: fetch only the URLs "
                                                   "that have no result yet"), self.request_resume, None),
            "retry": (self.tr("Retry &failed"), self.tr("Fetch again only the failed rows of the selected run "
                                                        "(a new run; the good rows are kept)"),
                      self.request_retry, None),
            "delete": (self.tr("&Delete…"), self.tr("Delete the selected runs from the history (Delete)"),
                       lambda: self.spawn(self.delete_selected()), None),
            "refresh": (self.tr("Refres&h"), self.tr("Reload the list of runs (F5)"),
                        lambda: self.spawn(self.refresh()), QKeySequence(QKeySequence.StandardKey.Refresh)),
        }
        made: dict[str, QAction] = {}
        for name, (text, tip, slot, keys) in spec.items():
            action = QAction(text, self)
            action.setObjectName(f"history_{name}")
            action.setToolTip(tip)
            action.setStatusTip(tip)
            if keys is not None:
                action.setShortcut(keys)
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                self.addAction(action)
            action.triggered.connect(slot)
            made[name] = action
        return made

    def _button(self, action: QAction) -> QPushButton:
        button = QPushButton(action.text(), self)  # a push button keeps the &mnemonic and takes Tab focus
        button.setObjectName(f"{action.objectName()}Button")
        button.setToolTip(action.toolTip())
        button.setEnabled(action.isEnabled())
        button.clicked.connect(action.trigger)
        action.enabledChanged.connect(button.setEnabled)
        return button

    # -- tasks ------------------------------------------------------------------------------------
    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run ``coro`` as a task this window keeps; errors reach the excepthook."""
        return self._tasks.spawn(coro)

    async def shutdown(self) -> None:
        """Cancel what this window started (a thread already reading finishes on its own)."""
        await self._tasks.cancel_all()
        self.results_panel.model.close()

    # -- selection and actions --------------------------------------------------------------------
    def selected_runs(self) -> list[RunInfo]:
        return [self.model.run(r) for r in self.view.selected_rows()]

    def select_run(self, run_id: int, add: bool = False) -> bool:
        """Select (and make current) the row of ``run_id``; ``add`` keeps the existing selection."""
        row = self.model.row_of(run_id)
        if row is None:
            return False
        sm = self.view.selectionModel()
        flags = sm.SelectionFlag.Rows | (sm.SelectionFlag.Select if add else sm.SelectionFlag.ClearAndSelect)
        sm.setCurrentIndex(self.model.index(row, 0), flags)
        return True

    def _with_one(self, fn: Callable[[RunInfo], object]) -> None:
        if len(runs := self.selected_runs()) == 1:
            fn(runs[0])

    def set_run_active(self, active: bool) -> None:
        """The main window is running a batch: Resume and Retry failed wait until it ends."""
        self._run_active = active
        self._update_actions()

    def _update_actions(self, *_args: object) -> None:
        runs = self.selected_runs()
        one = runs[0] if len(runs) == 1 else None
        a = self.commands
        a["open"].setEnabled(one is not None)
        a["export"].setEnabled(one is not None)
        a["compare"].setEnabled(len(runs) == 2)
        a["resume"].setEnabled(one is not None and can_resume(one) and not self._run_active)
        a["retry"].setEnabled(one is not None and can_retry(one) and not self._run_active)
        a["delete"].setEnabled(bool(runs) and all(r.status != "running" for r in runs))

    def _show_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        for name in ("open", "export", "compare", None, "resume", "retry", None, "delete", None, "refresh"):
            if name is None:
                menu.addSeparator()
            else:
                menu.addAction(self.commands[name])
        menu.popup(self.view.viewport().mapToGlobal(pos))  # popup(), not exec(): no nested loop under qasync

    def _show_placeholder(self, text: str) -> None:
        self.placeholder.setText(text)
        self.stack.setCurrentWidget(self.placeholder)

    # -- listing ----------------------------------------------------------------------------------
    async def refresh(self) -> list[RunInfo]:
        """Reload the runs from the journal (keeps the selection where the runs still exist)."""
        self._list_gen += 1
        gen = self._list_gen
        try:
            runs = await asyncio.to_thread(list_runs, self.journal.path)
        except (JournalError, sqlite3.Error) as exc:
            self.status.setText(self.tr("Could not read the history: {0}").format(exc))
            return []
        if gen != self._list_gen:  # a newer refresh was started meanwhile
            return runs
        keep = [r.id for r in self.selected_runs()]
        current = self.view.currentIndex()
        current_id = self.model.run(current.row()).id if current.isValid() else None
        self.model.set_runs(runs)
        for run_id in keep:
            self.select_run(run_id, add=True)
        if current_id is not None and (row := self.model.row_of(current_id)) is not None:
            self.view.selectionModel().setCurrentIndex(self.model.index(row, 0),
                                                       self.view.selectionModel().SelectionFlag.NoUpdate)
        self.view.resizeColumnsToContents()
        if not self.status.text():
            self.status.setText(self.tr("%Ln run(s) in the history", "", len(runs)))
        self.refreshed.emit()
        return runs

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous():
            self.spawn(self.refresh())

    # -- open -------------------------------------------------------------------------------------
    async def open_run(self, run_id: int) -> LoadedRun | None:
        """Load a run in a worker thread and show its table and timeline."""
        self._open_gen += 1
        gen = self._open_gen
        self._show_placeholder(self.tr("Loading run #{0}…").format(run_id))
        try:
            run = await asyncio.to_thread(load_run, self.journal.path, run_id,
                                          self.results_panel.model.PAGED_ABOVE)
        except (JournalError, sqlite3.Error) as exc:
            if gen == self._open_gen:
                self._show_placeholder(self.tr("Could not open run #{0}: {1}").format(run_id, exc))
            return None
        if gen != self._open_gen:  # the user opened another run meanwhile
            return None
        self.opened = run
        self.stack.setCurrentWidget(self.detail)
        if not await self.detail.show_run(run, lambda: gen == self._open_gen):
            return None
        self.status.setText(self.tr("Run #{0}: %Ln row(s)", "", len(run.urls)).format(run_id))
        self.loaded.emit(run_id)
        return run

    # -- export -----------------------------------------------------------------------------------
    async def export_results(self, run_id: int, path: str | None = None) -> str | None:
        """Export a run's results as CSV, JSON Lines or Excel, by the file's extension (asks where unless
        ``path`` is given); the path written."""
        if path is None:
            row = self.model.row_of(run_id)
            started = (datetime.datetime.fromtimestamp(self.model.run(row).created_at) if row is not None else None)
            suggestion = str(Path(self.export_folder) / default_name(started, suffix=f"-run{run_id}"))
            path = await ask_save_path(self, self.tr("Export run #{0}").format(run_id), suggestion,
                                       self.tr("CSV files (*.csv);;JSON Lines (*.jsonl);;Excel workbook (*.xlsx)"),
                                       "csv")
            if path is None:
                return None
            self.export_folder = str(Path(path).parent)
        self.status.setText(self.tr("Exporting run #{0}…").format(run_id))
        try:
            count = await asyncio.to_thread(export_run, self.journal.path, run_id, path)
        except (ExportError, JournalError, sqlite3.Error) as exc:
            self.status.setText(self.tr("Export failed"))
            show_message(self, QMessageBox.Icon.Warning, self.tr("Export failed"), str(exc))
            return None
        self.status.setText(self.tr("Exported %Ln row(s) of run #{0} to {1}", "", count).format(run_id, path))
        self.exported.emit(path)
        return path

    # -- compare ----------------------------------------------------------------------------------
    def compare_selected(self) -> None:
        if len(runs := self.selected_runs()) == 2:
            self.compare(*sorted(runs, key=lambda r: r.id))

    def compare(self, a: RunInfo, b: RunInfo) -> list[CompareRow]:
        """Show two runs' summaries side by side (A, B and how B compares with A)."""
        rows = self.comparison.show_pair(a, b)
        self.stack.setCurrentWidget(self.comparison)
        self.status.setText(self.tr("Comparing run #{0} with run #{1}").format(a.id, b.id))
        return rows

    # -- delete -----------------------------------------------------------------------------------
    async def delete_selected(self) -> bool:
        runs = [r for r in self.selected_runs() if r.status != "running"]
        return await self.delete_runs([r.id for r in runs]) if runs else False

    async def delete_runs(self, run_ids: list[int], confirm: bool = True) -> bool:
        """Delete runs (after a non-blocking confirmation unless ``confirm`` is False)."""
        if not run_ids:
            return False
        if confirm:
            text = (self.tr("Delete run #{0} and its results from the history?").format(run_ids[0])
                    if len(run_ids) == 1 else
                    self.tr("Delete %Ln run(s) and their results from the history?", "", len(run_ids)))
            box = QMessageBox(QMessageBox.Icon.Question, self.tr("Delete runs"), text,
                              QMessageBox.StandardButton.NoButton, self)
            box.setObjectName("historyDeleteQuestion")
            box.setInformativeText(self.tr("This cannot be undone. Exported CSV files are not touched."))
            delete = box.addButton(self.tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
            keep = box.addButton(QMessageBox.StandardButton.Cancel)
            box.setDefaultButton(keep)
            box.setEscapeButton(keep)
            try:
                await run_dialog(box)
                if box.clickedButton() is not delete:
                    return False
            finally:
                box.deleteLater()
        try:
            await asyncio.to_thread(delete_runs, self.journal.path, run_ids)
        except (JournalError, sqlite3.Error) as exc:
            show_message(self, QMessageBox.Icon.Warning, self.tr("Delete failed"), str(exc))
            return False
        if self.opened is not None and self.opened.info.id in run_ids:
            self.opened = None
            self._open_gen += 1  # a load still on its way must not show a deleted run
            self._show_placeholder(self.tr("The run was deleted."))
        self.status.setText(self.tr("Deleted run #{0}").format(run_ids[0]) if len(run_ids) == 1
                            else self.tr("Deleted %Ln run(s)", "", len(run_ids)))
        await self.refresh()
        return True

    # -- resume and retry -------------------------------------------------------------------------
    def request_resume(self) -> None:
        runs = self.selected_runs()
        if len(runs) == 1 and can_resume(runs[0]) and not self._run_active:
            self.status.setText(self.tr("Resuming run #{0} in the main window…").format(runs[0].id))
            self.resume_requested.emit(runs[0].id)

    def request_retry(self) -> None:
        runs = self.selected_runs()
        if len(runs) == 1 and can_retry(runs[0]) and not self._run_active:
            self.status.setText(self.tr("Retrying the failed rows of run #{0} in the main window…").format(runs[0].id))
            self.retry_failed_requested.emit(runs[0].id)

