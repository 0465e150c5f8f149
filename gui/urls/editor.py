"""The URL box: a plain-text editor that marks bad lines without slowing down on huge batches.

Marks are painted only for the visible lines (a line-number gutter plus a tint), from a
``{line: (kind, reason)}`` map computed off the GUI thread; extra selections or a syntax
highlighter would touch every one of 100,000 lines on the GUI thread. Big pastes and
files are inserted in slices between event-loop iterations, so the window keeps painting.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

from PySide6.QtCore import QEvent, QMimeData, QObject, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QResizeEvent, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QToolTip, QWidget

log = logging.getLogger(__name__)

INVALID = "invalid"
DUPLICATE = "duplicate"
SLICE_LINES = 1000  # lines inserted per event-loop iteration (about 5 ms each here)
BIG_TEXT_LINES = 2 * SLICE_LINES


def mark_colour(kind: str, palette: QPalette, alpha: int = 255) -> QColor:
    """Red for invalid lines, amber for duplicates, brighter on dark palettes."""
    dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
    if kind == INVALID:
        colour = QColor(255, 110, 100) if dark else QColor(200, 40, 30)
    else:
        colour = QColor(240, 190, 80) if dark else QColor(180, 120, 0)
    colour.setAlpha(alpha)
    return colour


class _Gutter(QWidget):
    """Line numbers, with invalid and duplicate lines marked."""

    def __init__(self, editor: UrlEdit) -> None:
        super().__init__(editor)
        self._editor = editor
        self.setMouseTracking(True)

    def sizeHint(self) -> QSize:
        return QSize(self._editor.gutter_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._editor.paint_gutter(self, event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            pos = event.pos()  # type: ignore[attr-defined]
            cursor = self._editor.cursorForPosition(QPoint(0, pos.y()))
            self._editor.show_mark_tooltip(cursor.blockNumber(), event.globalPos(), self)  # type: ignore[attr-defined]
            return True
        return super().event(event)


class UrlEdit(QPlainTextEdit):
    """The editor behind ``urlInput``.

    Signals:
        files_dropped(list[str]): local files were dropped or pasted; the owner loads them.
        loading_changed(bool): a big text is being inserted in slices (the box is read-only meanwhile).
    """

    files_dropped = Signal(list)
    loading_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("urlInput")
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTabChangesFocus(True)
        self._marks: Mapping[int, tuple[str, str]] = {}
        self._gutter = _Gutter(self)
        self._loading: asyncio.Task[None] | None = None
        self.blockCountChanged.connect(self._update_margins)
        self.updateRequest.connect(self._scroll_gutter)
        self.viewport().installEventFilter(self)
        self._update_margins()

    # -- marks ------------------------------------------------------------------------------
    def set_marks(self, marks: Mapping[int, tuple[str, str]]) -> None:
        """Mark lines: ``{block number: (INVALID | DUPLICATE, reason)}``."""
        self._marks = marks
        self.viewport().update()
        self._gutter.update()

    def marks(self) -> Mapping[int, tuple[str, str]]:
        return self._marks

    def show_mark_tooltip(self, block: int, global_pos: QPoint, widget: QWidget) -> None:
        mark = self._marks.get(block)
        if mark is None:
            QToolTip.hideText()
        else:
            QToolTip.showText(global_pos, self.tr("Line {0}: {1}").format(block + 1, mark[1]), widget)

    def next_mark(self, kind: str = INVALID) -> int | None:
        """Move the cursor to the next marked line of ``kind`` (wrapping); its block number."""
        lines = sorted(b for b, (k, _r) in self._marks.items() if k == kind)
        if not lines:
            return None
        here = self.textCursor().blockNumber()
        target = next((b for b in lines if b > here), lines[0])
        block = self.document().findBlockByNumber(target)
        if block.isValid():
            self.setTextCursor(QTextCursor(block))
            self.centerCursor()
        return target

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.viewport() and event.type() == QEvent.Type.ToolTip:
            block = self.cursorForPosition(event.pos()).block()  # type: ignore[attr-defined]
            geo = self.blockBoundingGeometry(block).translated(self.contentOffset())
            on_line = geo.top() <= event.pos().y() <= geo.bottom()  # type: ignore[attr-defined]
            self.show_mark_tooltip(block.blockNumber() if on_line else -1, event.globalPos(), self.viewport())  # type: ignore[attr-defined]
            return True
        return super().eventFilter(watched, event)

    # -- painting ---------------------------------------------------------------------------
    def gutter_width(self) -> int:
        digits = len(str(max(1, self.blockCount())))
        return 10 + self.fontMetrics().horizontalAdvance("9") * (digits + 1)

    def _update_margins(self, _count: int = 0) -> None:
        self.setViewportMargins(self.gutter_width(), 0, 0, 0)

    def _scroll_gutter(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        cr = self.contentsRect()
        self._gutter.setGeometry(QRect(cr.left(), cr.top(), self.gutter_width(), cr.height()))

    def _visible_blocks(self, bottom: int) -> list[tuple[int, int, int]]:
        """``(block number, top, height)`` of the blocks on screen down to ``bottom``."""
        out = []
        block = self.firstVisibleBlock()
        offset = self.contentOffset()
        while block.isValid():
            geo = self.blockBoundingGeometry(block).translated(offset)
            if geo.top() > bottom:
                break
            if block.isVisible():
                out.append((block.blockNumber(), round(geo.top()), round(geo.height())))
            block = block.next()
        return out

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._marks:
            painter = QPainter(self.viewport())
            width = self.viewport().width()
            pal = self.palette()
            for number, top, height in self._visible_blocks(event.rect().bottom()):
                mark = self._marks.get(number)
                if mark is not None:
                    painter.fillRect(0, top, width, height, mark_colour(mark[0], pal, 40))
            painter.end()
        super().paintEvent(event)

    def paint_gutter(self, gutter: QWidget, event: QPaintEvent) -> None:
        painter = QPainter(gutter)
        pal = self.palette()
        painter.fillRect(event.rect(), pal.color(QPalette.ColorRole.AlternateBase))
        normal = pal.color(QPalette.ColorRole.PlaceholderText)
        right = gutter.width() - 4
        for number, top, height in self._visible_blocks(event.rect().bottom()):
            mark = self._marks.get(number)
            if mark is not None:
                colour = mark_colour(mark[0], pal)
                painter.fillRect(0, top, 3, height, colour)
                painter.setPen(colour)
            else:
                painter.setPen(normal)
            painter.drawText(0, top, right, height, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             str(number + 1))
        painter.end()

    # -- big text ---------------------------------------------------------------------------
    @property
    def loading(self) -> bool:
        return self._loading is not None and not self._loading.done()

    @property
    def loading_task(self) -> asyncio.Task[None] | None:
        """The task inserting a big text in slices, while it runs."""
        return self._loading if self.loading else None

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return source.hasUrls() or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        files = [u.toLocalFile() for u in source.urls() if u.isLocalFile()] if source.hasUrls() else []
        if files:
            self.files_dropped.emit(files)
            return
        text = source.text()
        if text.count("\n") >= BIG_TEXT_LINES:
            self.insert_text(text)
        else:
            super().insertFromMimeData(source)

    def insert_text(self, text: str, replace: bool = False) -> asyncio.Task[None] | None:
        """Insert (or with ``replace``, set) text; big texts go in slices on the running loop.

        Returns:
            The task inserting the slices, or ``None`` when the text went in at once.
        """
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            running = False
        else:
            running = True
        if self.loading:
            self._loading.cancel()  # type: ignore[union-attr]
        if not running or text.count("\n") < BIG_TEXT_LINES:
            if replace:
                self.setPlainText(text)
            else:
                self.insertPlainText(text)
            return None
        self._loading = asyncio.ensure_future(self._insert_slices(text, replace))
        return self._loading

    async def _insert_slices(self, text: str, replace: bool) -> None:
        lines = text.split("\n")
        self.setReadOnly(True)
        self.loading_changed.emit(True)
        try:
            if replace:
                self.setPlainText("")
            cursor = self.textCursor()
            for start in range(0, len(lines), SLICE_LINES):
                chunk = "\n".join(lines[start:start + SLICE_LINES])
                if start + SLICE_LINES < len(lines):
                    chunk += "\n"
                if start == 0:
                    cursor.beginEditBlock()
                else:
                    cursor.joinPreviousEditBlock()  # one undo step for the whole paste
                cursor.insertText(chunk)
                cursor.endEditBlock()
                await asyncio.sleep(0)
            self.setTextCursor(cursor)
            if replace:
                self.moveCursor(QTextCursor.MoveOperation.Start)
                self.document().clearUndoRedoStacks()
        finally:
            self.setReadOnly(False)
            self.loading_changed.emit(False)
