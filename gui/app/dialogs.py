"""Dialogs that can be awaited without blocking the event loop.

``QDialog.exec()`` inside a running asyncio task under qasync fails with "Cannot enter
into task" and then hangs (qasync #53). Here a dialog is opened with ``open()`` (window-
modal, the loop keeps running) and its ``finished`` signal resolves a future.
"""

from __future__ import annotations

import asyncio
import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

log = logging.getLogger(__name__)


async def run_dialog(dialog: QDialog) -> int:
    """Open ``dialog`` and wait for it to close; returns its result code."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[int] = loop.create_future()

    def done(code: int) -> None:
        if not future.done():
            future.set_result(code)

    dialog.finished.connect(done)
    dialog.open()
    try:
        return await future
    finally:
        dialog.finished.disconnect(done)
        if dialog.isVisible():
            dialog.reject()


async def ask_save_path(parent: QWidget | None, caption: str, path: str, name_filter: str,
                        suffix: str) -> str | None:
    """A save-file dialog; the chosen path or ``None``."""
    dialog = QFileDialog(parent, caption, path, name_filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setDefaultSuffix(suffix)
    dialog.selectFile(path)
    try:
        if await run_dialog(dialog) != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
            return None
        return dialog.selectedFiles()[0]
    finally:
        dialog.deleteLater()


async def ask_open_paths(parent: QWidget | None, caption: str, folder: str, name_filter: str) -> list[str]:
    """An open-files dialog; the chosen paths (empty when cancelled)."""
    dialog = QFileDialog(parent, caption, folder, name_filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    try:
        if await run_dialog(dialog) != QDialog.DialogCode.Accepted:
            return []
        return list(dialog.selectedFiles())
    finally:
        dialog.deleteLater()


_unparented: set[QMessageBox] = set()


def show_message(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
                 details: str = "") -> QMessageBox:
    """Show a message box without waiting for it (it deletes itself when closed)."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    if details:
        box.setDetailedText(details)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if parent is None:
        # Nothing owns it on the C++ side: without a Python reference it would be deleted
        # (and vanish) as soon as this function returns.
        _unparented.add(box)
        box.finished.connect(lambda _code: _unparented.discard(box))
    box.open()
    return box
