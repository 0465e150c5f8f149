"""The window's file commands: open, recent files, dropped files and export (CSV, JSON Lines, Excel).

:class:`FileCommands` is an object the main window has: it is given the window (the parent
of its dialogs, the owner of the status bar), the settings store, the URL box and the
results model, and knows nothing else about the window.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Coroutine, Iterable, Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QObject
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox, QProgressBar

from core.export import ExportError
from core.model import FetchResult
from core.urls import InputError
from gui.app.dialogs import ask_open_paths, ask_save_path, show_message
from gui.app.export_task import default_path, export_results
from gui.app.settings import AppSettings
from gui.results.model import ResultsModel
from gui.urls.panel import UrlPanel

log = logging.getLogger(__name__)

Spawn = Callable[[Coroutine[Any, Any, Any]], "asyncio.Task[Any]"]


class FileCommands(QObject):
    """Open, recent, drop and export for the main window.

    Args:
        window: the dialogs' parent; messages go to its status bar.
        store: remembers the recent files and the last folders.
        url_panel: the URL box the files are loaded into.
        model: the results the export writes.
        spawn: runs a coroutine as a task the window keeps.
        summary: the last run's summary (``RunSummary.to_dict()``) for an Excel file's Summary
            sheet, or ``None`` before any run finished.
    """

    def __init__(self, window: QMainWindow, store: AppSettings, url_panel: UrlPanel, model: ResultsModel,
                 spawn: Spawn, summary: Callable[[], Mapping[str, object] | None] = lambda: None) -> None:
        super().__init__(window)
        self._window, self._store, self._url_panel, self._model, self._spawn = window, store, url_panel, model, spawn
        self._summary = summary
        # Shown in the status bar while an export is written (in a worker thread).
        self.progress_bar = QProgressBar(window)
        self.progress_bar.setObjectName("exportProgress")
        self.progress_bar.setMaximumWidth(240)
        self.progress_bar.setTextVisible(True)
        self.progress_bar.hide()
        window.statusBar().addPermanentWidget(self.progress_bar)

    def _status(self, text: str, ms: int) -> None:
        self._window.statusBar().showMessage(text, ms)

    # -- files ----------------------------------------------------------------------------------
    async def open_files(self) -> None:
        """Ask for URL files and load them into the box."""
        paths = await ask_open_paths(self._window, self.tr("Open URL file"), self._store.open_folder(),
                                     self.tr("URL lists and sitemaps (*.txt *.csv *.list *.xml *.xml.gz);;"
                                             "All files (*)"))
        if paths:
            await self.load_files(paths)

    async def load_files(self, paths: Iterable[str]) -> bool:
        """Replace the box's text with the URLs of ``paths`` (asking first if it holds the user's own text).

        Returns:
            False if nothing was loaded: a file is unreadable (a message says which) or the user kept the text.
        """
        paths = [str(p) for p in paths]
        if not await self._url_panel.confirm_replace(", ".join(Path(p).name for p in paths)):
            return False
        try:
            await self._url_panel.load_files(paths)
        except InputError as exc:
            show_message(self._window, QMessageBox.Icon.Warning, self.tr("Cannot open"), str(exc))
            return False
        for p in paths:
            self._store.add_recent_file(p)
        self._remember_folder(paths[-1], export=False)
        names = ", ".join(Path(p).name for p in paths)
        self._status(self.tr("Loaded {0}").format(names), 5000)
        return True

    def _remember_folder(self, path: str, export: bool) -> None:
        folder = os.path.dirname(os.path.abspath(path))
        (self._store.set_export_folder if export else self._store.set_open_folder)(folder)

    def fill_recent_menu(self, menu: QMenu) -> None:
        """Rebuild the File → Open recent menu (called when it is about to show)."""
        menu.clear()
        files = self._store.recent_files()
        for n, path in enumerate(files, start=1):
            action = menu.addAction(f"&{n % 10} {Path(path).name}")
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _=False, p=path: self._spawn(self.load_files([p])))
        if files:
            menu.addSeparator()
            menu.addAction(self.tr("&Clear the list"), self._store.clear_recent_files)
        else:
            menu.addAction(self.tr("(no recent files)")).setEnabled(False)

    @staticmethod
    def accepts(mime: QMimeData) -> bool:
        """Whether a drag carries files or text the window takes."""
        return mime.hasUrls() or mime.hasText()

    def drop(self, mime: QMimeData) -> None:
        """Dropped files are loaded; dropped text is inserted at the cursor."""
        files = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()] if mime.hasUrls() else []
        if files:
            self._spawn(self.load_files(files))
        elif mime.hasText():
            self._url_panel.edit.insert_text(mime.text())

    # -- export ---------------------------------------------------------------------------------
    def export_rows(self, only_visible: bool = False) -> list[FetchResult | None]:
        """All rows in input order, or the rows the filter shows in their current order."""
        model = self._model
        return list(model.visible_results() if only_visible else model.results())

    async def export(self, only_visible: bool = False, path: str | None = None) -> str | None:
        """Write the rows (all, or the filtered ones) as CSV, JSON Lines or Excel (by the file's extension);
        asks for a file unless ``path`` is given.

        Returns:
            The file written, or ``None`` (nothing to export, cancelled, or an error shown to the user).
        """
        model = self._model
        rows: Iterable[FetchResult | None]
        if model.paged() is not None:
            # The rows of a big run (every one, or the visible ones): read from the journal in input
            # order by the writing thread, never held (a million decoded results would be gigabytes).
            source = model.visible_results() if only_visible else model.results()
            total = len(source) if only_visible else model.finished_count()  # type: ignore[arg-type]
            rows, streamed = iter(source), total
        else:
            rows = [r for r in self.export_rows(only_visible) if r is not None]
            total, streamed = len(rows), None
        if not total:
            self._status(self.tr("Nothing to export yet"), 5000)
            return None
        if path is None:
            path = await ask_save_path(self._window, self.tr("Export"), default_path(self._store.export_folder()),
                                       self.tr("CSV files (*.csv);;JSON Lines (*.jsonl);;Excel workbook (*.xlsx)"),
                                       "csv")
            if not path:
                return None

        bar = self.progress_bar

        def progress(done: int, total: int) -> None:  # on the GUI thread, posted by the writing thread
            bar.setRange(0, max(total, 1))
            bar.setValue(done)
            text = self.tr("Exporting {0} of {1} rows…")
            self._window.statusBar().showMessage(text.format(f"{done:,}", f"{total:,}"))

        bar.setFormat(self.tr("Export %p%"))
        bar.setToolTip(path)
        progress(0, total)
        bar.show()
        try:
            count = await export_results(path, rows, self._summary(), progress, model.line_numbers(), streamed)
        except ExportError as exc:
            self._window.statusBar().clearMessage()
            show_message(self._window, QMessageBox.Icon.Warning, self.tr("Export failed"),
                          self.tr("The file was not saved.") + "\n\n" + str(exc).capitalize() + ".")
            return None
        finally:
            bar.hide()
        self._remember_folder(path, export=True)
        self._status(self.tr("Exported %Ln row(s) to {0}", "", count).format(path), 10_000)
        return path
