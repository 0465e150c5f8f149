"""Saving the request timeline as a picture, and writing a PNG file atomically.

:class:`TimelineExportMixin` gives :class:`gui.timeline.view.TimelineView` its ``render_image``,
``save_png`` and ``save_png_async`` (kept apart so each module stays small); it uses the
view's ``model``, ``_title``, ``_header_height``, ``paint_header`` and ``paint_rows``.
:func:`write_image_atomic` is shared with the comparison window.
"""

from __future__ import annotations

import asyncio
import datetime
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QImage, QPainter, QPalette
from PySide6.QtWidgets import QAbstractScrollArea

from gui.timeline.model import TimelineModel

log = logging.getLogger(__name__)

# Strings are translated in the view's context: at run time PySide's self.tr() looks them up
# under the object's class (TimelineView), while pyside6-lupdate would file self.tr() strings
# of this mixin under "TimelineExportMixin". The context must be a literal for lupdate.
translate = QCoreApplication.translate


def write_image_atomic(image: QImage, path: str | os.PathLike[str]) -> bool:
    """Save ``image`` as PNG under a temporary name, then rename it into place.

    Safe to call from a worker thread (``QImage`` is not tied to the GUI thread).
    """
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        if not image.save(tmp, "PNG"):
            log.warning("could not encode PNG %s", target)
            return False
        os.replace(tmp, target)
        return True
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


class TimelineExportMixin(QAbstractScrollArea):
    """The timeline as a PNG picture: a title line with the date above the legend, axis and visible rows."""

    model: TimelineModel
    _title: str
    _header_height: Callable[[], int]
    paint_header: Callable[[QPainter, int], None]
    paint_rows: Callable[[QPainter, int, int, float], None]

    def save_png(self, path: str | os.PathLike[str]) -> bool:
        """Write the visible timeline with a title line at 2× scale; ``False`` if it failed."""
        try:
            return write_image_atomic(self.render_image(), path)
        except OSError:
            log.exception("could not save %s", path)
            return False

    async def save_png_async(self, path: str | os.PathLike[str]) -> bool:
        """Like :meth:`save_png`, but encodes and writes in a worker thread (the GUI stays responsive)."""
        image = self.render_image()  # a few ms; QImage (unlike QPixmap) may be used from another thread
        try:
            return await asyncio.to_thread(write_image_atomic, image, path)
        except OSError:
            log.exception("could not save %s", path)
            return False

    def render_image(self, scale: float = 2.0) -> QImage:
        """The picture to share: title and date, legend, axis and the visible rows."""
        title_h = 30
        w, h = self.viewport().width(), self._header_height() + self.viewport().height()
        image = QImage(QSize(round(w * scale), round((h + title_h) * scale)), QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(scale)
        image.fill(self.palette().color(QPalette.ColorRole.Base))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        painter.setFont(font)
        painter.setPen(self.palette().color(QPalette.ColorRole.Text))
        stamp = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
        title = self._title or translate("TimelineView", "Fetchlens — %n URL(s) on a time axis", "",
                                            len(self.model.rows))
        painter.drawText(QRectF(8, 0, w - 16, title_h), Qt.AlignmentFlag.AlignVCenter, f"{title}   ·   {stamp}")
        painter.setFont(self.font())
        painter.translate(0, title_h)
        self.paint_header(painter, w)
        painter.translate(0, self._header_height())
        self.paint_rows(painter, w, self.viewport().height(), self.verticalScrollBar().value())
        painter.end()
        return image
