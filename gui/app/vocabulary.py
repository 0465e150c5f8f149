"""The words every window uses for the engine's enums and the journal's states: one name per thing.

Mode names (run panel, status bar, history, comparison), run statuses and run kinds (history,
resume prompt), the same words the command line prints.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication

from core.model import Mode

log = logging.getLogger(__name__)


def mode_label(mode: Mode) -> str:
    """The translated name of a fetch mode ("Sync", "Threads", "Async")."""
    return {
        Mode.SYNC: QCoreApplication.translate("Vocabulary", "Sync"),
        Mode.THREADS: QCoreApplication.translate("Vocabulary", "Threads"),
        Mode.ASYNC: QCoreApplication.translate("Vocabulary", "Async"),
    }[mode]


def run_status_label(status: str) -> str:
    """A journal run's status as the window says it.

    ``stopped`` (the user pressed Stop or Esc) and ``interrupted`` (the window closed mid-run, a
    crash, a kill, Ctrl+C) are different words: only an interrupted run is offered at start-up.
    """
    return {
        "running": QCoreApplication.translate("Vocabulary", "running"),
        "finished": QCoreApplication.translate("Vocabulary", "finished"),
        "stopped": QCoreApplication.translate("Vocabulary", "stopped"),
        "interrupted": QCoreApplication.translate("Vocabulary", "interrupted"),
    }.get(status, status)


def run_kind_label(kind: str) -> str:
    """A journal run's kind (``run``, ``resume``, ``retry``): the words ``--list-runs`` prints, translated."""
    return {
        "run": QCoreApplication.translate("Vocabulary", "run"),
        "resume": QCoreApplication.translate("Vocabulary", "resume"),
        "retry": QCoreApplication.translate("Vocabulary", "retry"),
        "compare": QCoreApplication.translate("Vocabulary", "compare"),
    }.get(kind, kind)
