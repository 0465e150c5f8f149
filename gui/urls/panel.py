"""The URL input: the box, live counts of valid, invalid and duplicate lines, and file loading.

Counting 100,000 lines takes about half a second of Python, so it never runs on the GUI
thread: 300 ms after the last edit the text goes to a worker thread and only the counts
and the line marks come back.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QToolButton, QVBoxLayout, QWidget

from core.settings import Settings
from core.sitemaps import expand_lines, is_sitemap_file, looks_like_sitemap, read_inputs
from core.urls import Batch, Listed, parse_lines, read_source
from gui.app.dialogs import run_dialog
from gui.app.heap import no_collection_while_building
from gui.urls.editor import DUPLICATE, INVALID, UrlEdit

log = logging.getLogger(__name__)

DEBOUNCE_MS = 300


@dataclass(frozen=True, slots=True)
class Analysis:
    """What a parse of the box found (computed in a worker thread)."""

    generation: int
    batch: Batch
    counts: dict[str, int]
    marks: dict[int, tuple[str, str]] = field(default_factory=dict)


def analyse(text: str, generation: int) -> Analysis:
    """Parse the box's text; line ``n`` of the batch is block ``n - 1`` of the editor."""
    # Split on "\n" only (not str.splitlines) so line numbers match the editor's blocks.
    lines = text.split("\n")
    with no_collection_while_building(len(lines)):
        batch = parse_lines(lines)
        marks: dict[int, tuple[str, str]] = {}
        entries = batch.entries
        for e in entries:
            if e.error:
                marks[e.line - 1] = (INVALID, e.error)
            elif e.duplicate_of is not None:
                # QCoreApplication.translate is thread-safe; this runs in the parsing thread.
                marks[e.line - 1] = (DUPLICATE, QCoreApplication.translate("UrlPanel", "duplicate of line {0}").format(
                    entries[e.duplicate_of].line))
        return Analysis(generation, batch, batch.counts(), marks)


def read_files(paths: list[str]) -> str:
    """The URL lines of several files (``.csv`` files give their ``url`` column; ``.xml``/``.xml.gz``
    files are sitemaps and give their URLs), joined. Sitemap URLs in a list stay as they are until
    a run starts (see :meth:`UrlPanel.expand_sitemaps`)."""
    items: list[str | Listed] = []
    for path in paths:
        items.extend(read_inputs([path], []) if is_sitemap_file(path) else read_source(path))
    return render(items)


def render(items: Sequence[str | Listed]) -> str:
    """Items as the box's lines: a sitemap that could not be read becomes a line that says why
    (it is not a URL, so it is marked invalid and becomes an ``invalid_url`` row)."""
    return "\n".join(item.line if isinstance(item, Listed) else item.rstrip("\r") for item in items)


def has_sitemaps(text: str) -> bool:
    """Whether a line of the box names a sitemap or a robots.txt."""
    return any(looks_like_sitemap(line) for line in text.split("\n"))


def expand_text(text: str, settings: Settings) -> str:
    """The box's text with its sitemap and robots.txt lines replaced by the URLs they list."""
    return render(expand_lines(text.split("\n"), settings))


class UrlPanel(QWidget):
    """``urlInput`` with its counts line.

    Signals:
        counts_changed(dict): ``{"total", "valid", "invalid", "duplicates"}`` after each analysis.
        files_dropped(list[str]): files were dropped on the box (the window loads them).
    """

    counts_changed = Signal(dict)
    files_dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = UrlEdit(self)
        self.edit.setPlaceholderText(self.tr("Paste URLs here, one per line — or try the demo (F1)…"))
        self.edit.setToolTip(self.tr("One URL per line. Blank lines and lines starting with # are ignored.\n"
                                     "Invalid lines are marked red, repeated URLs amber; hover for the reason."))
        self.counts_label = QLabel(self)
        self.counts_label.setObjectName("urlCounts")
        self.next_invalid = QToolButton(self)
        self.next_invalid.setText(self.tr("Next invalid"))
        self.next_invalid.setShortcut(QKeySequence("F8"))
        self.next_invalid.setToolTip(self.tr("Jump to the next invalid line (F8)"))
        self.next_invalid.clicked.connect(lambda: self.edit.next_mark(INVALID))
        self.next_invalid.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.counts_label, 1)
        row.addWidget(self.next_invalid)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addLayout(row)

        self._executor = ThreadPoolExecutor(1, thread_name_prefix="url-parse")
        self._generation = 0
        self._analysis: Analysis | None = None
        self._task: asyncio.Task[None] | None = None
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._analyse_soon)
        self.edit.textChanged.connect(self._on_text_changed)
        self.edit.files_dropped.connect(self.files_dropped)
        self.edit.loading_changed.connect(self._show_loading)
        self._show_counts({"total": 0, "valid": 0, "invalid": 0, "duplicates": 0})

    # -- public -----------------------------------------------------------------------------
    @property
    def counts(self) -> dict[str, int]:
        return dict(self._analysis.counts) if self._analysis else {"total": 0, "valid": 0, "invalid": 0,
                                                                   "duplicates": 0}

    @property
    def up_to_date(self) -> bool:
        return self._analysis is not None and self._analysis.generation == self._generation

    def text(self) -> str:
        return self.edit.toPlainText()

    async def set_text(self, text: str, modified: bool = False) -> None:
        """Replace the box's text (in slices when it is big) and wait until it is in.

        ``modified``: whether the text counts as the user's own, unsaved work, which
        :meth:`confirm_replace` asks about (typed or pasted text always does); text from a file,
        the demo or the journal does not.
        """
        task = self.edit.insert_text(text, replace=True)
        if task is not None:
            await task
        self.edit.document().setModified(modified)

    def holds_own_text(self) -> bool:
        """Whether the box holds text the user typed, pasted or edited (not saved anywhere else)."""
        return self.edit.document().isModified() and bool(self.text().strip())

    async def confirm_replace(self, replacement: str) -> bool:
        """Ask before replacing the user's own text with ``replacement`` (e.g. "urls.txt"), as editors do.

        Returns:
            True to go on: nothing of the user's would be lost, or they chose Replace.
        """
        if not self.holds_own_text():
            return True
        lines = sum(1 for line in self.text().splitlines() if line.strip())
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Replace the URLs?"),
                          self.tr("The URL box holds %Ln line(s) you typed or pasted. Replace them with {0}?", "",
                                  lines).format(replacement), QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("replaceUrls")
        replace = box.addButton(self.tr("Replace"), QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        try:
            await run_dialog(box)
            return box.clickedButton() is replace
        finally:
            box.deleteLater()

    async def load_files(self, paths: list[str]) -> None:
        """Replace the box's text with the URLs of ``paths``.

        Raises:
            core.urls.InputError: a file could not be read.
        """
        text = await asyncio.get_running_loop().run_in_executor(self._executor, read_files, paths)
        await self.set_text(text)

    async def expand_sitemaps(self, settings: Settings) -> bool:
        """Replace sitemap and robots.txt lines in the box by the URLs they list (fetched off the
        GUI thread with ``settings``); True when something was expanded."""
        if self.edit.loading_task is not None:
            await asyncio.wait({self.edit.loading_task})
        text = self.edit.toPlainText()
        loop = asyncio.get_running_loop()
        if not await loop.run_in_executor(self._executor, has_sitemaps, text):
            return False
        self.counts_label.setText(self.tr("Reading sitemaps…"))
        expanded = await loop.run_in_executor(self._executor, expand_text, text, settings)
        await self.set_text(expanded, modified=self.edit.document().isModified())  # typed text stays the user's
        return True

    async def batch(self) -> Batch:
        """The batch in the box now (parsed off the GUI thread if the last analysis is stale)."""
        while True:
            if (loading := self.edit.loading_task) is not None:
                await asyncio.wait({loading})  # a cancelled slice task does not raise here
                continue
            if self.up_to_date:
                break
            self._debounce.stop()
            if self._task is None or self._task.done():
                self._task = asyncio.ensure_future(self._analyse())
                self._task.add_done_callback(_log_failure)
            task = self._task
            await asyncio.wait({task})
            if not task.cancelled() and task.exception() is not None:
                raise task.exception()  # type: ignore[misc]
        assert self._analysis is not None
        return self._analysis.batch

    async def wait_counted(self) -> dict[str, int]:
        """Wait until the counts describe the current text."""
        await self.batch()
        return self.counts

    def shutdown(self) -> None:
        self._debounce.stop()
        if self._task is not None:
            self._task.cancel()
        self._executor.shutdown(wait=False, cancel_futures=True)

    # -- analysis ---------------------------------------------------------------------------
    def _on_text_changed(self) -> None:
        self._generation += 1
        self._debounce.start()
        if not self.counts_label.text().endswith("…"):
            self.counts_label.setText(self.counts_label.text() + " …")

    def _analyse_soon(self) -> None:
        if self.edit.loading:
            self._debounce.start()  # wait for the last slice
            return
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._analyse())
            self._task.add_done_callback(_log_failure)

    async def _analyse(self) -> None:
        while not self.up_to_date:
            generation = self._generation
            text = self.edit.toPlainText()
            loop = asyncio.get_running_loop()
            result = await loop.run_in_executor(self._executor, analyse, text, generation)
            if result.generation != self._generation:
                continue  # edited meanwhile: the marks would land on the wrong lines
            self._analysis = result
            self.edit.set_marks(result.marks)
            self._show_counts(result.counts)
            self.counts_changed.emit(dict(result.counts))

    def _show_loading(self, loading: bool) -> None:
        if loading:
            self.counts_label.setText(self.tr("Loading…"))

    def _show_counts(self, counts: dict[str, int]) -> None:
        if not counts["total"]:
            self.counts_label.setText(self.tr("No URLs yet"))
            self.counts_label.setToolTip("")
            self.next_invalid.hide()
            return
        parts = [self.tr("{0} valid").format(f"{counts['valid']:,}")]
        if counts["invalid"]:
            parts.append(self.tr("{0} invalid").format(f"{counts['invalid']:,}"))
        if counts["duplicates"]:
            parts.append(self.tr("%Ln duplicate(s)", "", counts["duplicates"]))
        self.counts_label.setText(" · ".join(parts))
        self.counts_label.setToolTip(self.tr("{0} lines: {1} valid (of which {2} repeat an earlier URL and are "
                                             "fetched once), {3} invalid").format(
            f"{counts['total']:,}", f"{counts['valid']:,}", f"{counts['duplicates']:,}", f"{counts['invalid']:,}"))
        self.next_invalid.setVisible(counts["invalid"] > 0)


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        exc = task.exception()
        log.error("counting the URLs failed", exc_info=(type(exc), exc, exc.__traceback__))
