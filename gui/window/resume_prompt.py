"""Resume an interrupted run, retry a run's failed rows — and offer the resume at start-up.

:func:`offer_resume` asks (without blocking the loop) whether to finish the last run when
it was interrupted: a crash, a ``kill -9``, a power cut, or a window closed mid-run.
:func:`plan_resume` and :func:`plan_retry_failed` do the journal side of both with
:meth:`core.store.Journal.continue_run` (as ``--resume`` and ``--retry-failed`` do), in a
worker thread with a connection of its own; the caller starts the run with a :class:`core.store.JournalWriter`
on ``plan.run_id``.
"""

from __future__ import annotations

import asyncio
import logging
import os

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QMessageBox, QWidget

from core.store import Continuation, Journal, RunInfo
from gui.app.dialogs import run_dialog
from gui.history.model import can_resume, thread_journal

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("ResumePrompt", text)


def _plan(path: str | os.PathLike[str], run_id: int, kind: str) -> Continuation:
    with thread_journal(path) as j:
        return j.continue_run(run_id, kind)


async def plan_resume(journal: Journal, run_id: int) -> Continuation:
    """Reopen an interrupted run (status ``running`` again, this process) and say what is left.

    Raises:
        core.store.JournalError: no such run.
    """
    return await asyncio.to_thread(_plan, journal.path, run_id, "resume")


async def plan_retry_failed(journal: Journal, run_id: int) -> Continuation:
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
