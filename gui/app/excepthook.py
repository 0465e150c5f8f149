"""Unhandled errors are logged and shown in a dialog instead of vanishing.

``qasync.asyncSlot`` routes exceptions of async slots to ``sys.excepthook``; exceptions in
plain slots and virtual overrides go there too (PySide prints them otherwise). Asyncio's
own "exception was never retrieved" reports go through the loop's exception handler.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
import traceback
from types import TracebackType
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from core.fetch import secrets
from gui.app.dialogs import show_message

log = logging.getLogger(__name__)

MAX_DIALOGS = 3  # an error in a paint event repeats forever: don't bury the screen in boxes


class ErrorReporter(QObject):
    """Installs the hooks; :meth:`report` logs an exception and shows it.

    Create it on the GUI thread: reports from other threads reach it through a queued signal
    (``QTimer.singleShot(0, ...)`` from a plain thread never runs).
    """

    _show_requested = Signal(str, str)

    def __init__(self) -> None:
        super().__init__()
        self._show_requested.connect(self._show)
        self.shown = 0
        self.reported: list[BaseException] = []
        self._previous = sys.excepthook
        self._previous_thread = threading.excepthook

    def install(self) -> None:
        sys.excepthook = self.excepthook
        threading.excepthook = self.thread_excepthook

    def uninstall(self) -> None:
        sys.excepthook = self._previous
        threading.excepthook = self._previous_thread

    def excepthook(self, etype: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(etype, KeyboardInterrupt):
            self._previous(etype, value, tb)
            return
        self.report(value, tb, "Unhandled error")

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            self.report(args.exc_value, args.exc_traceback, f"Unhandled error in thread {args.thread!r}")

    def loop_handler(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        if isinstance(exc, BaseException):
            self.report(exc, exc.__traceback__, context.get("message", "Unhandled error in the event loop"))
        else:
            loop.default_exception_handler(context)

    def report(self, value: BaseException, tb: TracebackType | None, message: str) -> None:
        log.error("%s", message, exc_info=(type(value), value, tb))
        self.reported.append(value)
        app = QApplication.instance()
        if not isinstance(app, QApplication) or self.shown >= MAX_DIALOGS:
            return
        # Secrets of the request options (passwords, tokens, cookie values) never reach the dialog either.
        details = secrets.redact("".join(traceback.format_exception(type(value), value, tb)))
        text = secrets.redact(f"{type(value).__name__}: {value}")
        self._show_requested.emit(text, details)  # direct on the GUI thread, queued from others

    def _show(self, text: str, details: str) -> None:
        self.shown += 1
        title = QCoreApplication.translate("ErrorReporter", "Fetchlens: unexpected error")
        intro = QCoreApplication.translate(
            "ErrorReporter", "Something went wrong inside Fetchlens. The details are in the log; "
            "your results so far are still here.")
        show_message(QApplication.activeWindow(), QMessageBox.Icon.Critical, title, f"{intro}\n\n{text}", details)
