"""The main window: paste a batch, pick a mode, watch it run, export — and never freeze.

Left: the URL box with its counts and the run controls. Right: the results table over the
timeline. Bottom: the summary strip. The window only wires parts together; the run lives in
:class:`gui.window.controller.RunController`, the table and the timeline in their own modules.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QIcon
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QMessageBox, QSplitter, QTabWidget, QVBoxLayout, QWidget

from core.demo.site import DemoSite
from core.model import FetchResult, Progress, RowState, RunStarted, RunSummary
from core.parse.pool import Extractor
from core.run.host import EngineError, EngineHost
from core.settings import Settings
from core.store import Journal
from core.urls import Batch
from gui.app.about import show_about
from gui.app.dialogs import run_dialog
from gui.app.heap import no_collection_while_building
from gui.app.settings import AppSettings
from gui.app.tasks import TaskKeeper
from gui.app.vocabulary import mode_label
from gui.compare.window import CompareWindow
from gui.results.panel import ResultsPanel
from gui.timeline.histogram import HistogramWidget
from gui.timeline.view import TimelineView
from gui.urls.panel import UrlPanel
from gui.window.actions import build_actions
from gui.window.controller import RunController
from gui.window.files import FileCommands
from gui.window.journal_link import JournalLink
from gui.window.run_panel import RunPanel
from gui.window.settings_dialog import SettingsDialog
from gui.window.summary import SummaryPanel

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """The Fetchlens window.

    Args:
        extractor: the app's parsing pool for compare windows (created and shut down by the runtime).
        store: where settings and window state are remembered.
        icon: the window icon.
        journal: the run journal, or ``None`` to record nothing.
        engine: the engine process that runs the window's runs; by default the window starts its own
            (at the first run or :meth:`RunController.warm_up`) and ends it on :meth:`shutdown`.

    Signals:
        run_finished(RunSummary): a run ended and the window shows its summary.
        closing(): the user closed the window; the runtime shuts down.
    """

    run_finished = Signal(object)
    closing = Signal()

    def __init__(self, extractor: Extractor, store: AppSettings | None = None, icon: QIcon | None = None,
                 journal: Journal | None = None, engine: EngineHost | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("Fetchlens")
        if icon is not None:
            self.setWindowIcon(icon)
        self.setMinimumSize(960, 600)
        self.setAcceptDrops(True)
        self.store = store or AppSettings()
        self.settings = self.store.run_settings()
        self.extractor = extractor
        self.controller = RunController(engine, self)
        self.journal = JournalLink(self, journal)
        self._tasks = TaskKeeper()
        self._compare_windows: list[CompareWindow] = []
        self._demo: DemoSite | None = None
        self._starting = False
        self._ok = self._failed = 0
        self._close_confirmed = False  # closing may interrupt a run (asked, or a signal / --quit-when-done)
        self._quit_when_done = False
        self._close_box: QMessageBox | None = None

        self.url_panel = UrlPanel(self)
        self.run_panel = RunPanel(self)
        self.summary = SummaryPanel(self)
        self.results_panel = ResultsPanel(self)
        self.timeline = TimelineView(self)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 6, 6)
        left_layout.addWidget(self.url_panel, 1)
        left_layout.addWidget(self.run_panel)
        self.right_splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.right_splitter.setObjectName("rightSplitter")
        self.right_splitter.addWidget(self.results_panel)
        # Timeline and the distribution of per-URL times share the lower pane as tabs.
        self.histogram = HistogramWidget(self)
        self.histogram.set_title(self.tr("Per-URL time"))
        self.lower_tabs = QTabWidget(self)
        self.lower_tabs.setObjectName("lowerTabs")
        self.lower_tabs.setDocumentMode(True)
        self.lower_tabs.addTab(self.timeline, self.tr("Timeline"))
        self.lower_tabs.addTab(self.histogram, self.tr("Distribution"))
        self.lower_tabs.setTabToolTip(0, self.tr("Every request on the run's clock, by phase"))
        self.lower_tabs.setTabToolTip(1, self.tr("How per-URL times are spread, with p50, p95 and p99 marked"))
        self.lower_tabs.currentChanged.connect(lambda _i: self._update_histogram())
        self.right_splitter.addWidget(self.lower_tabs)
        self.right_splitter.setStretchFactor(0, 3)
        self.right_splitter.setStretchFactor(1, 2)
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.main_splitter.setObjectName("mainSplitter")
        self.main_splitter.addWidget(left)
        self.main_splitter.addWidget(self.right_splitter)
        self.main_splitter.setStretchFactor(0, 1)
        self.main_splitter.setStretchFactor(1, 3)
        self.main_splitter.setSizes([380, 1000])
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.main_splitter, 1)
        layout.addWidget(self.summary)
        self.setCentralWidget(central)
        self.status_counts = QLabel(self)
        self.statusBar().addPermanentWidget(self.status_counts)

        self.files = FileCommands(self, self.store, self.url_panel, self.results_panel.model, self.spawn,
                                  summary=lambda: None if (s := self.controller.summary) is None else s.to_dict())
        self.commands = build_actions(self)
        self._connect()
        self._show_settings(self.settings)
        self._restore_state()
        self._update_status()

    # -- construction ---------------------------------------------------------------------------
    def _connect(self) -> None:
        a = self.commands
        f = self.files
        a.open.triggered.connect(lambda: self.spawn(f.open_files()))
        a.recent_menu.aboutToShow.connect(lambda: f.fill_recent_menu(a.recent_menu))
        a.export_all.triggered.connect(lambda: self.spawn(f.export()))
        a.export_visible.triggered.connect(lambda: self.spawn(f.export(only_visible=True)))
        a.quit.triggered.connect(self.close)
        a.start.triggered.connect(lambda: self.spawn(self.start_run()))
        a.stop.triggered.connect(self.stop_run)
        a.compare.triggered.connect(lambda: self.spawn(self.open_compare()))
        a.history.triggered.connect(self.journal.show_history)
        a.settings.triggered.connect(lambda: self.spawn(self.edit_settings()))
        a.demo.triggered.connect(lambda: self.spawn(self.try_demo()))
        a.about.triggered.connect(lambda: show_about(self))
        a.focus_urls.triggered.connect(lambda: self.url_panel.edit.setFocus(Qt.FocusReason.ShortcutFocusReason))
        rp = self.run_panel
        rp.start_button.clicked.connect(a.start.trigger)
        rp.stop_button.clicked.connect(a.stop.trigger)
        export_menu = QMenu(rp.export_button)
        export_menu.addAction(a.export_all)
        export_menu.addAction(a.export_visible)
        rp.export_button.setMenu(export_menu)
        rp.export_button.clicked.connect(a.export_all.trigger)
        rp.settings_changed.connect(self._remember_run_panel)
        self.url_panel.counts_changed.connect(lambda _c: self._update_status())
        self.url_panel.files_dropped.connect(lambda paths: self.spawn(f.load_files(paths)))
        c = self.controller
        c.started.connect(self._on_started)
        c.started.connect(lambda _i: self.journal.set_run_active(True))
        c.finished.connect(lambda _s: self.journal.set_run_active(False))
        c.failed.connect(lambda _m: (self.journal.abandon(), self.journal.set_run_active(False)))
        self.journal.continue_requested.connect(lambda rid, kind: self.spawn(self.continue_run(rid, kind)))
        self.journal.message.connect(lambda text: self.statusBar().showMessage(text, 5000))
        c.updated.connect(self._on_updated)
        c.clock.connect(self._on_clock)
        c.finished.connect(self._on_finished)
        c.failed.connect(self._on_failed)
        self.results_panel.retry_requested.connect(self.retry)
        self.results_panel.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.results_panel.current_changed.connect(self._select_in_timeline)
        self.timeline.selected.connect(self.results_panel.select_input_index)

    def _select_in_timeline(self, index: int) -> None:
        if index >= 0:
            self.timeline.select_input_index(index)

    # -- tasks ----------------------------------------------------------------------------------
    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run ``coro`` as a task the window keeps (and cancels on shutdown); errors reach the excepthook."""
        return self._tasks.spawn(coro)

    # -- settings -------------------------------------------------------------------------------
    def current_settings(self) -> Settings:
        return self.settings.replace(mode=self.run_panel.mode(), concurrency=self.run_panel.concurrency_value())

    def _show_settings(self, s: Settings) -> None:
        rp = self.run_panel
        rp.blockSignals(True)
        rp.set_mode(s.mode)
        rp.set_concurrency(s.concurrency)
        rp.blockSignals(False)

    def apply_settings(self, s: Settings, remember: bool = True) -> None:
        """Use ``s`` from now on (the command line passes ``remember=False``)."""
        self.settings = s
        self._show_settings(s)
        if remember:
            self.store.set_run_settings(s)

    def _remember_run_panel(self) -> None:
        self.settings = self.current_settings()
        self.store.set_run_settings(self.settings)

    async def edit_settings(self) -> None:
        dialog = SettingsDialog(self.current_settings(), self)
        try:
            if await run_dialog(dialog) == SettingsDialog.DialogCode.Accepted:
                self.apply_settings(dialog.settings())
                self.statusBar().showMessage(self.tr("Settings saved"), 3000)
        finally:
            dialog.deleteLater()

    # -- running --------------------------------------------------------------------------------
    async def start_run(self) -> asyncio.Task[RunSummary | None] | None:
        """Start fetching the box's batch; the run's task, or ``None`` if nothing was started."""
        if self.controller.running or self._starting:
            return None
        self._starting = True
        try:
            await self.url_panel.expand_sitemaps(self.current_settings())
            batch = await self.url_panel.batch()
            if not self._has_work(batch):
                return None
            if self.controller.running:
                return None
            settings = self.current_settings()
            target = await self.journal.target_for_new_run(batch, settings)
            # Right after launch the engine's parser processes may still be importing lxml and take
            # both cores: the first run's clock starts once they are ready. A failure to start is
            # reported by the run itself (``failed``).
            with contextlib.suppress(EngineError):
                await self.controller.warm_up()
        finally:
            self._starting = False
        return self.controller.start(batch, settings, journal=target)

    def _has_work(self, batch: Batch) -> bool:
        """Whether ``batch`` has a URL to fetch; if not, say so (an empty box, or only invalid lines)."""
        if batch.valid:
            return True
        if batch.entries:
            self.statusBar().showMessage(self.tr("Nothing to fetch: none of the %Ln line(s) is a valid URL", "",
                                                 len(batch)), 8000)
        else:
            self.statusBar().showMessage(self.tr("Paste some URLs first — or try the demo (F1)"), 5000)
        self.url_panel.edit.setFocus()
        return False

    def stop_run(self) -> None:
        if self.controller.running:
            self.statusBar().showMessage(self.tr("Stopping…"))
            self.controller.stop(by_user=True)  # recorded as stopped, not interrupted

    def retry(self, indices: list[int]) -> asyncio.Task[RunSummary | None] | None:
        """Fetch again only ``indices`` of the last run; every other row keeps its result."""
        batch = self.controller.batch
        if self.controller.running or batch is None or not indices:
            return None
        again = set(indices)
        target = self.journal.target_for_retry(again, len(batch))
        if target is not None:  # the engine reads every other row's result from the journal
            return self.controller.start(batch, self.current_settings(), only=sorted(again), journal=target)
        # A run not recorded (no journal, at most ResultsModel.PAGED_ABOVE rows): its results go along.
        prior = {r.input_index: r for r in self.results_panel.model.results()
                 if r is not None and r.input_index not in again}
        return self.controller.start(batch, self.current_settings(), only=sorted(again), prior=prior)

    async def continue_run(self, run_id: int, kind: str) -> asyncio.Task[RunSummary | None] | None:
        """``"resume"`` an interrupted run, or ``"retry"`` a run's failed rows, in this window.

        Returns:
            The run's task, or ``None`` (a run is going, no journal, or nothing left to fetch).
        """
        if self.controller.running:
            self.statusBar().showMessage(self.tr("Stop the current run first"), 5000)
            return None
        plan = await self.journal.plan(run_id, kind)
        if plan is None:
            return None
        if plan.to_fetch == 0:
            self.statusBar().showMessage(self.tr("Nothing to fetch again in run {0}").format(run_id), 5000)
            return None
        await self.url_panel.set_text("\n".join(plan.lines))
        now = self.current_settings()
        # The journal keeps no secrets: the window's own (auth, cookies, secret headers, proxy
        # password) go back into the recorded options, so the continued run is still let in.
        recorded = plan.settings.replace(requests=plan.settings.requests.with_secret_parts(
            now.requests.secret_parts()))
        self.apply_settings(recorded.replace(mode=now.mode) if kind == "retry" else recorded, remember=False)
        target = self.journal.target_for(plan)  # the engine reads the kept results from the journal
        log.info("%s of run %d: fetching %d URLs", kind, run_id, plan.to_fetch)
        return self.controller.start(plan.batch, self.current_settings(), journal=target)

    async def restore_url_box(self) -> None:
        """A plain start: the URL box as it was when the window closed (the user's own text again)."""
        text = self.store.url_box_text()
        if text and not self.url_panel.text():
            await self.url_panel.set_text(text, modified=True)

    async def offer_resume_at_start(self) -> None:
        """After the window is shown: offer to finish the last run if it was interrupted."""
        run_id = await self.journal.interrupted_run()
        if run_id is not None:
            await self.continue_run(run_id, "resume")

    def _on_started(self, info: RunStarted) -> None:
        self._ok = self._failed = 0
        self.commands.start.setEnabled(False)
        self.commands.stop.setEnabled(True)
        self.commands.compare.setEnabled(False)
        self.run_panel.set_running(True)
        self.run_panel.export_button.setEnabled(False)
        self.run_panel.begin(info.total)
        self.results_panel.set_retry_enabled(False)
        self.summary.clear()
        # 100k rows: without a full collection in the middle (then frozen, see gui.app.heap) the two
        # resets took 400 ms instead of ~100 (the worst stall of a 100,000-URL run).
        with no_collection_while_building(info.total):
            self.results_panel.model.reset_run(info.urls, info.lines, journal=self.journal.recording())
            self.timeline.reset_run(info.urls, self.controller.kept)
        self.statusBar().showMessage(self.tr("Running %Ln URL(s) in {0} mode…", "", info.total).format(
            mode_label(info.mode)))

    def _on_updated(self, progress: list[Progress], results: list[FetchResult]) -> None:
        for r in results:
            if r.ok:
                self._ok += 1
            elif r.state is RowState.FAILED:
                self._failed += 1
        self.results_panel.model.apply(progress, results)
        self.timeline.apply(progress, results)
        if results:
            self.run_panel.show_progress(self.controller.done, self.controller.total)
            self._update_status()

    def _on_clock(self, now_ms: float) -> None:
        self.timeline.set_clock(now_ms)
        self.summary.show_live(self.controller.done, self.controller.total, self._ok, self._failed,
                               now_ms / 1000.0, self.controller.stall.worst_ms)

    def _end_run_ui(self) -> None:
        self.commands.start.setEnabled(True)
        self.commands.stop.setEnabled(False)
        self.commands.compare.setEnabled(True)
        self.run_panel.set_running(False)
        self.run_panel.export_button.setEnabled(self.results_panel.model.finished_count() > 0)
        self.results_panel.set_retry_enabled(True)

    def _update_histogram(self) -> None:
        """Sorting every time is cheap at the end of a run; during it, only when the tab is shown."""
        if self.lower_tabs.currentWidget() is self.histogram:
            model = self.results_panel.model
            if model.paged() is None:
                self.histogram.set_results(model.results())
            else:  # a big run's times come from the journal, in a thread
                self.spawn(self._histogram_from_journal())

    async def _histogram_from_journal(self) -> None:
        self.histogram.set_values(await asyncio.to_thread(self.results_panel.model.elapsed_values))

    def _on_finished(self, s: RunSummary) -> None:
        self._end_run_ui()
        stall = self.controller.stall
        self.summary.show_summary(s, stall.worst_ms, stall.p99_ms)
        self.run_panel.end(s.ok + s.failed, s.urls, s.interrupted)
        self.timeline.finish(s.wall_s * 1000.0)
        self._update_histogram()
        self._update_status()
        msg = self.tr("Stopped after {0} s") if s.interrupted else self.tr("Done in {0} s")
        self.statusBar().showMessage(msg.format(f"{s.wall_s:,.2f}") + " — " + self.summary.stall_text, 10_000)
        self.run_finished.emit(s)
        if self._quit_when_done:
            self.close_now()

    def _on_failed(self, message: str) -> None:
        self._end_run_ui()
        self.statusBar().showMessage(self.tr("The run failed: {0}").format(message))
        if self._quit_when_done:
            self.close_now()

    def _update_status(self) -> None:
        counts = self.url_panel.counts
        text = self.tr("%Ln line(s)", "", counts["total"])
        if self.controller.total and (self.controller.running or self.controller.summary is not None):
            text += " · " + self.tr("{0} OK · {1} failed").format(f"{self._ok:,}", f"{self._failed:,}")
        self.status_counts.setText(text)

    # -- compare and demo -----------------------------------------------------------------------
    async def open_compare(self, start: bool = True, unattended: bool = False) -> CompareWindow | None:
        """Open the compare window for the box's batch (and start it).

        ``unattended`` (the command line's ``--quit-when-done``): never stop to ask whether
        to cap a long sync run; nobody is there to answer.
        """
        await self.url_panel.expand_sitemaps(self.current_settings())  # as a run does: sitemap lines → URLs
        batch = await self.url_panel.batch()
        if not self._has_work(batch):
            return None
        for old in [w for w in self._compare_windows if w.isHidden() and (w.task is None or w.task.done())]:
            self._compare_windows.remove(old)  # closed and finished: free its results
            old.deleteLater()
        await self.extractor.warm_up()  # its processes start with the first compare window (see gui.app.runtime)
        window = CompareWindow(batch, self.current_settings(), self.extractor, parent=self,
                               journal=self.journal.journal)
        window.finished.connect(lambda _c: self.journal.set_run_active(self.controller.running))  # history refresh
        if unattended:
            window.SAMPLE_ABOVE = len(batch)  # no sync sample, so no question
        self._compare_windows.append(window)
        window.show()
        if start:
            window.start()
        return window

    async def try_demo(self) -> None:
        """Start the built-in demo site (once) and load its URLs into the box."""
        if not await self.url_panel.confirm_replace(self.tr("the demo's URLs")):
            return
        if self._demo is None:
            self._demo = DemoSite()
            await self._demo.start()
        await self.url_panel.set_text("\n".join(self._demo.urls()))
        hint = self.tr("Demo site running at {0} — press Start (Ctrl+Enter), or compare the three modes "
                       "on it (Ctrl+M)")
        self.statusBar().showMessage(hint.format(self._demo.base_url), 10_000)

    # -- state and shutdown ---------------------------------------------------------------------
    def _restore_state(self) -> None:
        for key, restore in (("geometry", self.restoreGeometry), ("state", self.restoreState),
                             ("main_splitter", self.main_splitter.restoreState),
                             ("right_splitter", self.right_splitter.restoreState)):
            blob = self.store.blob(key)
            if blob is not None:
                restore(blob)
        if self.store.blob("geometry") is None:
            self.resize(1280, 800)

    def save_state(self) -> None:
        blobs: dict[str, QByteArray] = {"geometry": self.saveGeometry(), "state": self.saveState(),
                                        "main_splitter": self.main_splitter.saveState(),
                                        "right_splitter": self.right_splitter.saveState()}
        for key, blob in blobs.items():
            self.store.set_blob(key, blob)
        self.store.set_url_box_text(self.url_panel.text())  # restored at the next start, as editors do
        # Run settings are stored when the user changes them, not here: values given on the
        # command line (--mode, --concurrency) apply to this session only.
        self.store.sync()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.files.accepts(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        self.files.drop(event.mimeData())
        event.acceptProposedAction()

    def close_now(self) -> bool:
        """Close without asking (Ctrl+C, SIGTERM, ``--quit-when-done``); a run going on is interrupted."""
        self._close_confirmed = True
        return self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.controller.running and not self._close_confirmed:
            event.ignore()  # ask first, without a nested event loop (DESIGN.md hazards)
            if self._close_box is None or not self._close_box.isVisible():  # not asking already
                self.spawn(self.ask_close())
            return
        self.save_state()
        event.accept()
        self.closing.emit()

    async def ask_close(self) -> None:
        """Closing mid-run: stop and quit (the run is offered for resume at the next start), quit when
        the run is done, or cancel."""
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("A run is going on"),
                          self.tr("{0} of {1} URLs are done. Quit Fetchlens?").format(
                              f"{self.controller.done:,}", f"{self.controller.total:,}"),
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("closeDuringRun")
        box.setInformativeText(self.tr("Results so far are kept. A run stopped by quitting is offered for "
                                       "resume at the next start."))
        stop = box.addButton(self.tr("Stop and quit"), QMessageBox.ButtonRole.DestructiveRole)
        later = box.addButton(self.tr("Quit when done"), QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(later)
        box.setEscapeButton(cancel)
        self._close_box = box
        try:
            await run_dialog(box)
            clicked = box.clickedButton()
        finally:
            if self._close_box is box:
                self._close_box = None
            box.deleteLater()
        if clicked is stop or (clicked is later and not self.controller.running):
            self.close_now()
        elif clicked is later:
            self._quit_when_done = True
            self.statusBar().showMessage(self.tr("Fetchlens quits when the run is done"))

    async def shutdown(self) -> None:
        """Stop the run and everything the window started; safe to call more than once."""
        comparing = []
        for window in self._compare_windows:
            window.cancel()
            window.close()
            if window.task is not None and not window.task.done():
                comparing.append(window.task)
        if comparing:  # let the cancelled runs close their sessions and threads
            await asyncio.wait(comparing, timeout=10)
        await self.controller.shutdown()
        self.results_panel.model.close()
        await self.journal.shutdown()
        self.url_panel.shutdown()
        await self._tasks.cancel_all()
        if self._demo is not None:
            try:
                await self._demo.stop()
            except Exception:
                log.exception("stopping the demo site failed")
            self._demo = None
