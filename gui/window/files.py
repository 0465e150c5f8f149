"""The window's file commands: open, recent files, drag and drop, CSV export.

A mixin of :class:`gui.window.main_window.MainWindow` (kept apart so each module stays small); it
uses the window's ``store``, ``url_panel``, ``results_panel``, ``controller`` and ``spawn``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QMainWindow, QMessageBox

from core.export import ExportError
from core.model import FetchResult
from core.urls import InputError
from gui.app.dialogs import ask_open_paths, ask_save_path, show_message
from gui.app.export_task import default_path, export_results

log = logging.getLogger(__name__)

# Strings are translated in the main window's context: at run time PySide's self.tr() looks
# them up under the object's class (MainWindow), while pyside6-lupdate would file self.tr()
# strings of this mixin under "FilesMixin". The context must be a literal for lupdate.
translate = QCoreApplication.translate


class FilesMixin(QMainWindow):
    """Open, recent, drop and export for the main window."""

    store: Any
    url_panel: Any
    results_panel: Any
    commands: Any
    controller: Any
    spawn: Any

    # -- files ----------------------------------------------------------------------------------
    async def open_files(self) -> None:
        paths = await ask_open_paths(self, translate("MainWindow", "Open URL file"), self.store.open_folder(),
                                     translate("MainWindow", "URL lists and sitemaps (*.txt *.csv *.list *.xml "
                                                             "*.xml.gz);;All files (*)"))
        if paths:
            await self.load_files(paths)

    async def load_files(self, paths: Iterable[str]) -> bool:
        """Replace the box's text with the URLs of ``paths``; False (and a message) if one is unreadable."""
        paths = [str(p) for p in paths]
        try:
            await self.url_panel.load_files(paths)
        except InputError as exc:
            show_message(self, QMessageBox.Icon.Warning, translate("MainWindow", "Cannot open"), str(exc))
            return False
        for p in paths:
            self.store.add_recent_file(p)
        self._remember_folder(paths[-1], export=False)
        names = ", ".join(Path(p).name for p in paths)
        self.statusBar().showMessage(translate("MainWindow", "Loaded {0}").format(names), 5000)
        return True

    def _remember_folder(self, path: str, export: bool) -> None:
        folder = os.path.dirname(os.path.abspath(path))
        (self.store.set_export_folder if export else self.store.set_open_folder)(folder)

    def _fill_recent_menu(self) -> None:
        menu = self.commands.recent_menu
        menu.clear()
        files = self.store.recent_files()
        for n, path in enumerate(files, start=1):
            action = menu.addAction(f"&{n % 10} {Path(path).name}")
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _=False, p=path: self.spawn(self.load_files([p])))
        if files:
            menu.addSeparator()
            menu.addAction(translate("MainWindow", "&Clear the list"), self.store.clear_recent_files)
        else:
            menu.addAction(translate("MainWindow", "(no recent files)")).setEnabled(False)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() or event.mimeData().hasText():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        files = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()] if mime.hasUrls() else []
        if files:
            self.spawn(self.load_files(files))
        elif mime.hasText():
            self.url_panel.edit.insert_text(mime.text())
        event.acceptProposedAction()

    # -- export ---------------------------------------------------------------------------------
    def export_rows(self, only_visible: bool = False) -> list[FetchResult | None]:
        """All rows in input order, or the rows the filter shows in their current order."""
        model = self.results_panel.model
        return list(model.visible_results() if only_visible else model.results())

    async def export(self, only_visible: bool = False, path: str | None = None) -> str | None:
        """Write the rows (all, or the filtered ones) as CSV, JSON Lines or Excel (by the file's extension);
        asks for a file unless ``path`` is given.

        Returns:
            The file written, or ``None`` (nothing to export, cancelled, or an error shown to the user).
        """
        rows = [r for r in self.export_rows(only_visible) if r is not None]
        if not rows:
            self.statusBar().showMessage(translate("MainWindow", "Nothing to export yet"), 5000)
            return None
        if path is None:
            path = await ask_save_path(self, translate("MainWindow", "Export"),
                                       default_path(self.store.export_folder()),
                                       translate("MainWindow", "CSV files (*.csv);;JSON Lines (*.jsonl);;"
                                                               "Excel workbook (*.xlsx)"), "csv")
            if not path:
                return None
        def progress(done: int, total: int) -> None:
            text = translate("MainWindow", "Exporting {0} of {1} rows…")
            self.statusBar().showMessage(text.format(f"{done:,}", f"{total:,}"))

        progress(0, len(rows))
        try:
            summary = self.controller.summary
            count = await export_results(path, rows, summary.to_dict() if summary is not None else None, progress)
        except ExportError as exc:
            show_message(self, QMessageBox.Icon.Warning, translate("MainWindow", "Export failed"), str(exc))
            return None
        self._remember_folder(path, export=True)
        done = translate("MainWindow", "Exported {0} rows to {1}").format(f"{count:,}", path)
        self.statusBar().showMessage(done, 10_000)
        return path
