"""Resume an interrupted run, retry a run's failed rows — and offer the resume at start-up.

:func:`offer_resume` asks (without blocking the loop) whether to finish the last run when
it was interrupted: a crash, a ``kill -9``, a power cut, or a window closed mid-run.
:func:`plan_resume` and :func:`plan_retry_failed` do the journal side of both with
:meth:`core.store.Journal.continue_stream` (as ``--resume`` and ``--retry-failed`` do), in a
worker thread with a connection of its own: the kept rows are one bit each, no earlier result is
loaded here. The caller starts the run recorded on ``plan.run_id`` (the engine process writes it
and reads the kept results, see :mod:`core.run.recording`).
"""

from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QMessageBox, QWidget

from core.run.indexset import IndexSet
from core.settings import Settings
from core.store import Journal, RunInfo
from core.urls import Batch
from gui.app.dialogs import run_dialog
from gui.history.model import can_resume, thread_journal

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("ResumePrompt", text)


@dataclass(frozen=True, slots=True)
class Plan:
    """A resume or a retry of a recorded run, as the window starts it.

    Attributes:
        run_id: the journal run to record into (the same run for a resume, a new ``retry`` run).
        source_id: the run the lines and the kept results come from.
        kind: ``"resume"`` or ``"retry"``.
        lines: the run's input lines (what the URL box shows).
        batch: the parsed batch (the same indices as the recorded results).
        settings: the settings the run was recorded with (without secrets).
        keep: input indices whose results are kept, not fetched again (one bit per row).
    """

    run_id: int
    source_id: int
    kind: str
    lines: list[str]
    batch: Batch
    settings: Settings
    keep: IndexSet

    @property
    def to_fetch(self) -> int:
        """How many URLs the run will fetch (everything without a kept result)."""
        return len(self.batch) - len(self.keep)


def _plan(path: str | os.PathLike[str], run_id: int, kind: str) -> Plan:
    with thread_journal(path) as j:
        go = j.continue_stream(run_id, kind)
        lines, batch, _settings = j.load_inputs(go.source_id)
    return Plan(go.run_id, go.source_id, kind, lines, batch, go.settings, go.keep)


async def plan_resume(journal: Journal, run_id: int) -> Plan:
    """Reopen an interrupted run (status ``running`` again, this process) and say what is left.

    Raises:
        core.store.JournalError: no such run.
    """
    return await asyncio.to_thread(_plan, journal.path, run_id, "resume")


async def plan_retry_failed(journal: Journal, run_id: int) -> Plan:
    """Record a new ``retry`` run of ``run_id`` that keeps its good rows.

    Raises:
        core.store.JournalError: no such run.
    """
    return await asyncio.to_thread(_plan, journal.path, run_id, "retry")


def _latest_if_interrupted(path: str | os.PathLike[str]) -> RunInfo | None:
    with thread_journal(path) as j:
        runs = j.runs(1)
    # Only an interrupted run (a crash, a kill, the window closed mid-run) is offered at start-up;
    # a run the user stopped stays in the history, where Resume still works.
    return runs[0] if runs and runs[0].status == "interrupted" and can_resume(runs[0]) else None


def resume_question(info: RunInfo) -> str:
    loc = QLocale()
    return _tr("The last run was interrupted after {done} of {total} URLs. Resume it (fetch only the {left} "
               "without a result)?").format(done=loc.toString(info.done), total=loc.toString(info.total),
                                            left=loc.toString(info.total - info.done))


async def offer_resume(journal: Journal, parent: QWidget | None) -> int | None:
    """If the newest run in the journal was interrupted, offer to resume it.

    Only the newest run is offered: once the user has started another run, an old
    interrupted one stays in the history (where Resume still works) instead of being
    asked about at every start.

    Returns:
        The id of the run to resume, or ``None`` (nothing to resume, or "Not now").
    """
    info = await asyncio.to_thread(_latest_if_interrupted, journal.path)
    if info is None:
        return None
    box = QMessageBox(QMessageBox.Icon.Question, _tr("Resume the interrupted run?"), resume_question(info),
                      QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("resumePrompt")
    box.setInformativeText(_tr("Results fetched before the interruption are kept. The run stays in the "
                               "history either way."))
    resume = box.addButton(_tr("Resume"), QMessageBox.ButtonRole.AcceptRole)
    resume.setToolTip(_tr("Fetch the URLs of run #{0} that have no result yet").format(info.id))
    later = box.addButton(_tr("Not now"), QMessageBox.ButtonRole.RejectRole)
    later.setToolTip(_tr("Leave it; Resume is also in the history window"))
    box.setDefaultButton(resume)
    box.setEscapeButton(later)
    try:
        await run_dialog(box)
        return info.id if box.clickedButton() is resume else None
    finally:
        box.deleteLater()
