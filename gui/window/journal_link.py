"""The window's side of the run journal: record every run, show the history, plan resumes and retries.

Everything that touches the database in bulk (compressing a 100k-line batch, planning a
resume) happens in worker threads; the GUI thread only does quick single-row updates. The
results themselves are written by the engine process (:mod:`core.run.recording`): this process
runs no journal writer (a writer thread here took 13.9 s of the window's GIL in a 100,000-row
run). The link does not start runs: it creates the journal run, hands the window a plan
(:class:`gui.window.resume_prompt.Plan`) and the :class:`core.run.recording.JournalTarget` to
start the run with, and asks for runs through its ``continue_requested`` signal.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from core.run.indexset import IndexSet
from core.run.recording import JournalTarget
from core.settings import Settings
from core.store import Journal
from core.urls import Batch
from gui.history.model import thread_journal
from gui.history.window import HistoryWindow
from gui.results.model import ResultsModel
from gui.window.resume_prompt import Plan, offer_resume, plan_resume, plan_retry_failed

log = logging.getLogger(__name__)


def _create_run(journal: Journal, lines: list[str], settings: Settings, total: int) -> int:
    with thread_journal(journal.path) as j:
        return j.create_run(lines, settings, total)


class JournalLink(QObject):
    """Connects a window to a :class:`Journal` (``None``: runs are not recorded).

    Args:
        parent: the window: parent of the history window and of the resume question.
        journal: the journal, or ``None`` (``--no-journal``).

    Attributes:
        run_id: the journal run the window's table shows (``None`` before the first run).

    Signals:
        continue_requested(int, str): the history window asked to ``"resume"`` a run, or to
            ``"retry"`` its failed rows.
        message(str): a one-line note for the window's status bar.
    """

    continue_requested = Signal(int, str)
    message = Signal(str)

    def __init__(self, parent: QWidget, journal: Journal | None) -> None:
        super().__init__(parent)
        self._parent = parent
        self.journal = journal
        self.run_id: int | None = None
        self.history: HistoryWindow | None = None
        self._running = False
        self._target: JournalTarget | None = None  # where the last run is recorded (None: it is not)
        self._scratch: list[Journal] = []  # scratch journals of big runs without the journal

    # -- recording ---------------------------------------------------------------------------
    async def target_for_new_run(self, batch: Batch, settings: Settings) -> JournalTarget | None:
        """Create the journal run for a new batch (in a thread); where the engine is to record it.

        Without a journal (``--no-journal``), a batch of more than ``ResultsModel.PAGED_ABOVE``
        URLs is still recorded, in a scratch journal in the temporary folder that is deleted
        with the next such run or when the window closes: the results table of a big run
        reads its rows from a journal (``gui.results.paged``).

        Returns:
            The target, or ``None``: the run is not recorded (no journal and a small batch, or
            the journal could not record it: logged).
        """
        self._target = None
        journal = self.journal
        if journal is None:
            if len(batch) <= ResultsModel.PAGED_ABOVE:
                return None
            journal = self._new_scratch()
        lines = [e.raw for e in batch.entries]  # parse_lines(lines) gives the same indices back
        try:
            run_id = await asyncio.to_thread(_create_run, journal, lines, settings, len(batch))
        except Exception:
            log.exception("could not record the run in the journal")
            return None
        if self.journal is not None:
            self.run_id = run_id
        self._target = JournalTarget(journal.path, run_id)
        return self._target

    def target_for_retry(self, indices: Iterable[int], total: int) -> JournalTarget | None:
        """Rows retried from the table are written into the run they belong to; every other row's
        recorded result is kept (the engine reads it from the journal: nothing is sent for it).

        Args:
            indices: the input indices fetched again.
            total: the run's number of rows.

        Returns:
            The target, or ``None`` when the last run was not recorded (its results must go along).
        """
        last = self._target
        if last is None:
            return None
        keep = IndexSet.every(total)
        for i in indices:
            keep.discard(i)
        self._target = JournalTarget(last.path, last.run_id, kept_from=last.run_id, keep=keep)
        return self._target

    def abandon(self) -> bool:
        """The run failed in the engine before the engine took its record over (the journal could not
        be opened there, the run could not start): the record this process made is marked
        ``interrupted`` instead of staying ``running`` until the window closes. A record the engine
        holds is left to it (see :meth:`core.store.Journal.abandon_run`). True if one was marked."""
        target = self._target
        if target is None:
            return False
        journals = [j for j in (self.journal, *self._scratch) if j is not None and j.path == target.path]
        return any(j.abandon_run(target.run_id) for j in journals[:1])

    def recording(self) -> tuple[Path, int] | None:
        """The journal file and run id the run going on is recorded under (``None``: not recorded)."""
        if self._target is None:
            return None
        return self._target.path, self._target.run_id

    def _new_scratch(self) -> Journal:
        """A scratch journal for a big run without the journal; older ones (their runs no longer shown) go."""
        self._drop_scratch(keep_last=0)
        folder = Path(tempfile.mkdtemp(prefix="fetchlens-table-"))
        journal = Journal(folder / "scratch.sqlite3")
        self._scratch.append(journal)
        return journal

    def _drop_scratch(self, keep_last: int) -> None:
        while len(self._scratch) > keep_last:
            journal = self._scratch.pop(0)
            journal.close()
            shutil.rmtree(journal.path.parent, ignore_errors=True)

    # -- history, resume, retry failed -------------------------------------------------------
    def show_history(self) -> None:
        if self.journal is None:
            self.message.emit(self.tr("The journal is off (--no-journal): no history"))
            return
        if self.history is None:
            self.history = HistoryWindow(self.journal, self._parent)
            self.history.resume_requested.connect(lambda rid: self.continue_requested.emit(rid, "resume"))
            self.history.retry_failed_requested.connect(lambda rid: self.continue_requested.emit(rid, "retry"))
        self.history.set_run_active(self._running)
        self.history.show()
        self.history.raise_()
        self.history.activateWindow()

    def set_run_active(self, running: bool) -> None:
        """The window started (True) or ended (False) a run: the history's buttons and list follow."""
        self._running = running
        if self.history is None:
            return
        self.history.set_run_active(running)
        if not running and self.history.isVisible():
            self.history.spawn(self.history.refresh())

    async def plan(self, run_id: int, kind: str) -> Plan | None:
        """What ``"resume"`` (an interrupted run) or ``"retry"`` (a run's failed rows) would fetch.

        Returns:
            The plan (``to_fetch`` may be 0), or ``None`` without a journal.

        Raises:
            core.store.JournalError: no such run.
        """
        if self.journal is None:
            return None
        return await (plan_resume if kind == "resume" else plan_retry_failed)(self.journal, run_id)

    def target_for(self, plan: Plan) -> JournalTarget:
        """Where the engine records a planned resume or retry and what it keeps (read from the journal
        there); the window's table now shows ``plan.run_id``."""
        assert self.journal is not None  # a plan exists only with a journal
        self.run_id = plan.run_id
        self._target = JournalTarget(self.journal.path, plan.run_id, kept_from=plan.source_id, keep=plan.keep)
        return self._target

    async def interrupted_run(self) -> int | None:
        """After the window is shown: the run to resume if the last one was interrupted and the user agrees."""
        if self.journal is None:
            return None
        return await offer_resume(self.journal, self._parent)

    async def shutdown(self) -> None:
        """Close the history and delete the scratch journal (after the window's table let go of it)."""
        if self.history is not None:
            await self.history.shutdown()
        self._drop_scratch(keep_last=0)
