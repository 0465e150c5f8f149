"""The words every window uses for the engine's enums, so the same thing has one name everywhere.

Mode names are shown in the run panel, the status bar, the history and the comparison.
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
