"""The results table's item delegate: status colours, middle-elided URLs and download bars."""

from __future__ import annotations

import logging

from PySide6.QtCore import QModelIndex, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from gui.app.colors import StatusKind, is_dark, phase_color, status_color, text_on, track_color
from gui.results.model import KIND_ROLE, PROGRESS_ROLE
from gui.results.rows import Column, format_bytes

log = logging.getLogger(__name__)


class ResultsDelegate(QStyledItemDelegate):
    """Colours the Status and Error columns, elides URLs in the middle and draws download bars."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.phase = 0.0  #: position of the busy indicator, 0–2 (there and back)

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        super().initStyleOption(option, index)
        col = index.column()
        if col == Column.URL:
            option.textElideMode = Qt.TextElideMode.ElideMiddle
        elif col in (Column.STATUS, Column.ERROR):
            kind = index.data(KIND_ROLE) if col == Column.STATUS else StatusKind.FAILED
            if kind is not None:
                pal = QPalette(option.palette)
                pal.setColor(QPalette.ColorRole.Text, status_color(kind, pal))
                option.palette = pal

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        col = index.column()
        progress = index.data(PROGRESS_ROLE) if col == Column.STATUS else None
        if progress is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:  # background and selection, no text
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        self._paint_bar(painter, opt, progress)

    def _paint_bar(self, painter: QPainter, opt: QStyleOptionViewItem, progress: tuple[int, int | None]) -> None:
        done, total = progress
        bar = QRectF(opt.rect).adjusted(4, 3, -4, -3)
        if bar.width() < 8 or bar.height() < 4:
            return
        pal = opt.palette
        if total:
            frac = min(1.0, done / total)
            fill = QRectF(bar.left(), bar.top(), bar.width() * frac, bar.height())
            label = f"{int(frac * 100)}%"
        else:  # unknown length: a chunk sliding there and back
            w = bar.width() * 0.3
            t = self.phase if self.phase <= 1 else 2 - self.phase
            fill = QRectF(bar.left() + (bar.width() - w) * t, bar.top(), w, bar.height())
            label = format_bytes(done)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        track = QPainterPath()
        track.addRoundedRect(bar, 3, 3)
        painter.fillPath(track, track_color(pal))
        color = phase_color("download", pal)
        if not is_dark(pal):  # a shade darker, so white text on it stays readable
            color = color.darker(120)
        painter.setClipPath(track)
        painter.fillRect(fill, color)
        painter.setFont(opt.font)
        align = Qt.AlignmentFlag.AlignCenter
        # Text in two colours: readable over the track and over the filled part.
        painter.setClipRect(fill)
        painter.setPen(text_on(color))
        painter.drawText(bar, align, label)
        outside = QPainterPath()
        outside.addRect(bar)
        inside = QPainterPath()
        inside.addRect(fill)
        painter.setClipPath(outside.subtracted(inside))
        painter.setPen(pal.color(QPalette.ColorRole.Text))
        painter.drawText(bar, align, label)
        painter.restore()

