"""Saving a request timeline as a picture, and writing a PNG file atomically.

:class:`TimelineExporter` is given a :class:`gui.timeline.view.TimelineView` and draws what it
shows, with a title line; :func:`write_image_atomic` is shared with the comparison window.
"""

from __future__ import annotations

import asyncio
import datetime
import logging
import os

from PySide6.QtCore import QObject, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QImage, QPainter, QPalette

from core.files import SaveError, atomic_target
from gui.timeline.view import TimelineView

log = logging.getLogger(__name__)


def write_image_atomic(image: QImage, path: str | os.PathLike[str]) -> None:
    """Save ``image`` as PNG with :func:`core.files.atomic_target` (atomic, ordinary permissions).

    Safe to call from a worker thread (``QImage`` is not tied to the GUI thread).

    Raises:
        core.files.SaveError: the folder or the file cannot be written, or the PNG could not be encoded.
    """
    with atomic_target(path) as tmp:
        if not image.save(tmp, "PNG"):
            raise SaveError(f"cannot write {path}: the picture could not be encoded as PNG")


class TimelineExporter(QObject):
    """The picture of a timeline to share: a title line with the date above the legend, axis and visible rows.

    Args:
        view: the timeline to draw (its current zoom, scroll position and size).
    """

    def __init__(self, view: TimelineView) -> None:
        super().__init__(view)
        self._view = view

    def save_png(self, path: str | os.PathLike[str]) -> bool:
        """Write the visible timeline with a title line at 2× scale; ``False`` if it failed."""
        try:
            write_image_atomic(self.render_image(), path)
        except SaveError as exc:
            log.warning("%s", exc)
            return False
        return True

    async def save_png_async(self, path: str | os.PathLike[str]) -> bool:
        """Like :meth:`save_png`, but encodes and writes in a worker thread (the GUI stays responsive)."""
        image = self.render_image()  # a few ms; QImage (unlike QPixmap) may be used from another thread
        try:
            await asyncio.to_thread(write_image_atomic, image, path)
        except SaveError as exc:
            log.warning("%s", exc)
            return False
        return True

    def render_image(self, scale: float = 2.0) -> QImage:
        """The picture: title and date, legend, axis and the visible rows, at ``scale`` device pixels per pixel."""
        view = self._view
        title_h = 30
        header_h = view.header_height()
        w, h = view.viewport().width(), header_h + view.viewport().height()
        image = QImage(QSize(round(w * scale), round((h + title_h) * scale)), QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(scale)
        image.fill(view.palette().color(QPalette.ColorRole.Base))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        font = QFont(view.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        painter.setFont(font)
        painter.setPen(view.palette().color(QPalette.ColorRole.Text))
        stamp = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
        title = view.title() or self.tr("Fetchlens — %n URL(s) on a time axis", "", len(view.model.rows))
        painter.drawText(QRectF(8, 0, w - 16, title_h), Qt.AlignmentFlag.AlignVCenter, f"{title}   ·   {stamp}")
        painter.setFont(view.font())
        painter.translate(0, title_h)
        view.paint_header(painter, w)
        painter.translate(0, header_h)
        view.paint_rows(painter, w, view.viewport().height(), view.verticalScrollBar().value())
        painter.end()
        return image
