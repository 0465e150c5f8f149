"""Resume an interrupted run, retry a run's failed rows — and offer the resume at start-up.

:func:`offer_resume` asks (without blocking the loop) whether to finish the last run when
it was interrupted: a crash, a ``kill -9``, a power cut, or a window closed mid-run.
:func:`plan_resume` and :func:`plan_retry_failed` do the journal side of both, exactly as
``core.cli._plan`` does for ``--resume`` and ``--retry-failed``, in a worker thread with a
connection of its own; the caller starts the run with a :class:`core.store.JournalWriter`
on ``plan.run_id``.
"""

from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QMessageBox, QWidget

from core.model import ErrorKind, FetchResult
from core.settings import Settings
from core.store import Journal, RunInfo
from core.urls import Batch
from gui.dialogs import run_dialog
from gui.history_model import can_resume, thread_journal

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("ResumePrompt", text)


@dataclass(frozen=True, slots=True)
class ResumePlan:
    """What to run to resume a run or retry its failed rows.

    Attributes:
        run_id: the journal run to record into (the same run for a resume, a new
            ``kind='retry'`` run for a retry).
        source_id: the run the results came from.
        kind: ``"resume"`` or ``"retry"``.
        lines: the run's input lines.
        batch: the parsed batch (same indices as the stored results).
        settings: the settings the run was recorded with.
        prior: results that are kept and not fetched again (pass as ``Run(prior=...)``).
    """

    run_id: int
    source_id: int
    kind: str
    lines: list[str]
    batch: Batch
    settings: Settings
    prior: dict[int, FetchResult]

    @property
    def to_fetch(self) -> int:
        """How many URLs the run will fetch (everything without a kept result)."""
        return len(self.batch) - len(self.prior)


def _plan(path: str | os.PathLike[str], run_id: int, kind: str) -> ResumePlan:
    with thread_journal(path) as j:
        lines, batch, settings, results = j.load(run_id)
        if kind == "resume":
            # Same run; fetch only what has no result (cancelled rows are fetched again).
            prior = {i: r for i, r in results.items() if r.error_kind is not ErrorKind.CANCELLED}
            j.reopen(run_id)
            target = run_id
        else:
            # A new run that keeps the good rows (and invalid URLs: fetching them again cannot help).
            prior = {i: r for i, r in results.items() if r.ok or r.error_kind is ErrorKind.INVALID_URL}
            target = j.create_run(lines, settings, len(batch), kind="retry", parent_id=run_id)
    log.info("%s of run %d: %d kept, %d to fetch (journal run %d)", kind, run_id, len(prior),
             len(batch) - len(prior), target)
    return ResumePlan(target, run_id, kind, lines, batch, settings, prior)


async def plan_resume(journal: Journal, run_id: int) -> ResumePlan:
    """Reopen an interrupted run (status ``running`` again, this process) and say what is left.

    Raises:
        core.store.JournalError: no such run.
    """
    return await asyncio.to_thread(_plan, journal.path, run_id, "resume")


async def plan_retry_failed(journal: Journal, run_id: int) -> ResumePlan:
    """Record a new ``retry`` run of ``run_id`` that keeps its good rows.

    Raises:
        core.store.JournalError: no such run.
    """
    return await asyncio.to_thread(_plan, journal.path, run_id, "retry")


def _latest_if_interrupted(path: str | os.PathLike[str]) -> RunInfo | None:
    with thread_journal(path) as j:
        runs = j.runs(1)
    # Only a crash or a kill is offered at start-up; a run stopped on purpose stays in the history.
    return runs[0] if runs and runs[0].crashed and can_resume(runs[0]) else None


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
