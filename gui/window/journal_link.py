"""The window's side of the run journal: record every run, history, resume and retry.

Everything that touches the database in bulk (compressing a 100k-line batch, loading a
run) happens in worker threads; the GUI thread only does quick single-row updates.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from core.model import FetchResult
from core.settings import Settings
from core.store import Journal, JournalWriter
from core.urls import Batch
from gui.history.model import thread_journal
from gui.window.resume_prompt import offer_resume, plan_resume, plan_retry_failed

if TYPE_CHECKING:
    from gui.history.window import HistoryWindow
    from gui.window.main_window import MainWindow

log = logging.getLogger(__name__)


def _create_run(journal: Journal, lines: list[str], settings: Settings, total: int) -> int:
    with thread_journal(journal.path) as j:
        return j.create_run(lines, settings, total)


class JournalLink(QObject):
    """Connects a :class:`MainWindow` to a :class:`Journal` (``None``: runs are not recorded).

    Attributes:
        run_id: the journal run the window's table shows (``None`` before the first run).
    """

    def __init__(self, window: MainWindow, journal: Journal | None) -> None:
        super().__init__(window)
        self.window = window
        self.journal = journal
        self.run_id: int | None = None
        self.history: HistoryWindow | None = None

    # -- recording ---------------------------------------------------------------------------
    async def writers_for_new_run(self, batch: Batch, settings: Settings) -> list[JournalWriter]:
        """Create the journal run for a new batch (in a thread) and return its writer."""
        if self.journal is None:
            return []
        lines = [e.raw for e in batch.entries]  # parse_lines(lines) gives the same indices back
        try:
            self.run_id = await asyncio.to_thread(_create_run, self.journal, lines, settings, len(batch))
        except Exception:
            log.exception("could not record the run in the journal")
            return []
        return [JournalWriter(self.journal, self.run_id)]

    def writers_for_retry(self, prior: dict[int, FetchResult]) -> list[JournalWriter]:
        """Rows retried from the table are written into the run they belong to."""
        if self.journal is None or self.run_id is None:
            return []
        self.journal.reopen(self.run_id)
        return [JournalWriter(self.journal, self.run_id, skip=prior)]

    # -- history, resume, retry failed -------------------------------------------------------
    def show_history(self) -> None:
        if self.journal is None:
            self.window.statusBar().showMessage(self.tr("The journal is off (--no-journal): no history"), 5000)
            return
        if self.history is None:
            from gui.history.window import HistoryWindow

            self.history = HistoryWindow(self.journal, self.window)
            self.history.resume_requested.connect(lambda rid: self.window.spawn(self.continue_run(rid, "resume")))
            self.history.retry_failed_requested.connect(
                lambda rid: self.window.spawn(self.continue_run(rid, "retry")))
        self.history.set_run_active(self.window.controller.running)
        self.history.show()
        self.history.raise_()
        self.history.activateWindow()

    def run_started(self) -> None:
        if self.history is not None:
            self.history.set_run_active(True)

    def run_ended(self) -> None:
        if self.history is not None:
            self.history.set_run_active(False)
            if self.history.isVisible():
                self.history.spawn(self.history.refresh())

    async def continue_run(self, run_id: int, kind: str) -> asyncio.Task | None:  # type: ignore[type-arg]
        """Resume an interrupted run, or retry a run's failed rows, in the main window."""
        w = self.window
        if self.journal is None:
            return None
        if w.controller.running:
            w.statusBar().showMessage(self.tr("Stop the current run first"), 5000)
            return None
        plan = await (plan_resume if kind == "resume" else plan_retry_failed)(self.journal, run_id)
        if plan.to_fetch == 0:
            w.statusBar().showMessage(self.tr("Nothing to fetch again in run {0}").format(run_id), 5000)
            return None
        self.run_id = plan.run_id
        await w.url_panel.set_text("\n".join(plan.lines))
        w.apply_settings(plan.settings.replace(mode=w.current_settings().mode) if kind == "retry"
                         else plan.settings, remember=False)
        writer = JournalWriter(self.journal, plan.run_id, skip=plan.prior if kind == "resume" else ())
        log.info("%s of run %d: fetching %d URLs", kind, run_id, plan.to_fetch)
        return w.controller.start(plan.batch, w.current_settings(), prior=plan.prior, observers=[writer])

    async def offer_resume_at_start(self) -> None:
        """After the window is shown: offer to finish the last run if it was interrupted."""
        if self.journal is None:
            return
        run_id = await offer_resume(self.journal, self.window)
        if run_id is not None:
            await self.continue_run(run_id, "resume")

    async def shutdown(self) -> None:
        if self.history is not None:
            await self.history.shutdown()
