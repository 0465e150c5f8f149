"""The live request timeline: one bar per URL on the run's clock, segmented by phase.

Geometry, zoom/pan state and hit testing live in :mod:`gui.timeline_model`; this module
paints only the rows that are visible (10,000 rows cost no more than 50), handles the
mouse and keyboard, and exports the picture as PNG.
"""

from __future__ import annotations

import asyncio
import datetime
import logging
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QPointF, QRectF, QSize, Qt, Signal, Slot
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QHelpEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QToolButton, QToolTip, QWidget

from core.model import FetchResult, Progress
from gui.colors import phase_color
from gui.timeline_model import PHASES, TimelineModel, format_duration, format_tick, tick_step, ticks

log = logging.getLogger(__name__)

LEGEND_H = 22
AXIS_H = 22
ZOOM_STEP = 1.25  # per wheel notch / key press

def _tr(text: str) -> str:
    return QCoreApplication.translate("Timeline", text)


def phase_label(phase: str) -> str:
    """The legend name of a phase."""
    return {
        "queued": _tr("waiting for a slot"),
        "dns": _tr("DNS"),
        "connect": _tr("connect (TCP, TLS)"),
        "wait": _tr("waiting for first byte"),
        "download": _tr("download"),
        "parse": _tr("parse"),
    }.get(phase, phase)


def phase_colors(palette: QPalette) -> dict[str, QColor]:
    """Fill colour of every phase for this palette (shared with the results table via gui.colors)."""
    return {name: phase_color(name, palette) for name in PHASES}


def failed_color(palette: QPalette) -> QColor:
    """Outline and hatch colour of failed requests."""
    return phase_color("failed", palette)


def muted_text(palette: QPalette) -> QColor:
    """Secondary text: the Text colour, half transparent (readable on light and dark bases)."""
    color = QColor(palette.color(QPalette.ColorRole.Text))
    color.setAlpha(150)
    return color


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


def paint_legend(painter: QPainter, palette: QPalette, x: float, y: float) -> float:
    """Draw the phase swatches and the failed sample in one line from ``(x, y)``; return the end x."""
    fm = painter.fontMetrics()
    text = palette.color(QPalette.ColorRole.Text)
    colors = phase_colors(palette)
    base = y + fm.ascent() - 1
    for phase in PHASES:
        label = phase_label(phase)
        painter.fillRect(QRectF(x, y, 12, 10), colors[phase])
        painter.setPen(text)
        painter.drawText(QPointF(x + 16, base), label)
        x += 16 + fm.horizontalAdvance(label) + 14
    rect = QRectF(x, y, 12, 10)
    red = failed_color(palette)
    painter.fillRect(rect, QColor(red.red(), red.green(), red.blue(), 60))
    painter.fillRect(rect, QBrush(red, Qt.BrushStyle.BDiagPattern))
    painter.setPen(QPen(red, 1.5))
    painter.drawRect(rect)
    painter.setPen(text)
    label = _tr("failed")
    painter.drawText(QPointF(x + 16, base), label)
    return x + 16 + fm.horizontalAdvance(label)


class _Header(QWidget):
    """Legend and time axis above the rows (fixed while the rows scroll)."""

    def __init__(self, view: TimelineView) -> None:
        super().__init__(view)
        self._view = view

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        self._view.paint_header(painter, self.width())
        painter.end()


class TimelineView(QAbstractScrollArea):
    """One horizontal bar per URL on the run's clock, live.

    Wheel: zoom the time axis around the cursor (Shift+wheel scrolls the rows); drag: pan;
    double-click or F: fit; click: select. Keyboard: Up/Down select, +/- zoom, Left/Right pan.

    Args:
        parent: parent widget.
        compact: an overview for the compare window: rows shrink to fit the height
            (down to 1 px), no legend and no fit button.

    Signals:
        selected(int): the input index of the bar the user clicked (or moved to with keys).
        view_changed(float, float): ``(t0_ms, ms_per_px)`` after the user zoomed, panned or asked for a fit.
    """

    selected = Signal(int)
    view_changed = Signal(float, float)

    def __init__(self, parent: QWidget | None = None, *, compact: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("timelineView")
        self.model = TimelineModel(min_pitch=1.0 if compact else 8.0, max_pitch=14.0 if compact else 18.0)
        self._compact = compact
        self._title = ""
        self._marker: tuple[float, str] | None = None
        self._placeholder = ""
        self._press: QPointF | None = None
        self._last: QPointF | None = None
        self._dragged = False
        self._header = _Header(self)
        self._fit_button = QToolButton(self._header)
        self._fit_button.setText(self.tr("Fit"))
        self._fit_button.setToolTip(self.tr("Show the whole run (F). Wheel zooms, drag pans."))
        self._fit_button.setAutoRaise(True)
        self._fit_button.clicked.connect(self._user_fit)
        self._fit_button.setVisible(not compact)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setViewportMargins(0, self._header_height(), 0, 0)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setMouseTracking(True)
        self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
        self.verticalScrollBar().valueChanged.connect(self.viewport().update)
        self.setToolTip(self.tr("Request timeline: wheel zooms, drag pans, double-click fits, click selects a URL"))
        self.setAccessibleName(self.tr("Request timeline"))

    # -- public API ------------------------------------------------------------------------
    def reset_run(self, urls: Sequence[str]) -> None:
        """Start a new run: one empty row per input URL."""
        self.model.reset(list(urls))
        self._marker = None
        self.verticalScrollBar().setValue(0)
        self._relayout()

    def apply(self, progress: Sequence[Progress], results: Sequence[FetchResult]) -> None:
        """Fold a batch of progress events and results into the bars."""
        self.model.apply(progress, results)
        self._refresh()

    def set_clock(self, now_ms: float) -> None:
        """The run's clock: in-flight bars grow to it."""
        self.model.set_clock(now_ms)
        self._refresh()

    def finish(self, wall_ms: float | None = None) -> None:
        """The run ended (bars stop growing; the fit shows exactly the run)."""
        self.model.finish(wall_ms)
        self._refresh()

    def load(self, urls: Sequence[str], results: Sequence[FetchResult | None], wall_ms: float | None = None) -> None:
        """Show a finished run at once."""
        self.model.load(list(urls), results, wall_ms)
        self._relayout()

    def set_domain(self, end_ms: float | None) -> None:
        """Fix the time range that ``fit`` shows (a shared scale), or ``None`` for this run's own."""
        self.model.domain_ms = end_ms
        if self.model.follow:
            self.fit()

    def set_view(self, t0_ms: float, ms_per_px: float) -> None:
        """Apply another timeline's zoom and pan (linked views); does not emit ``view_changed``."""
        self.model.follow = False
        self.model.axis.set_state(t0_ms, ms_per_px)
        self._repaint_all()

    def set_marker(self, ms: float | None, text: str = "") -> None:
        """A labelled vertical line, e.g. where the run ended (``None`` removes it)."""
        self._marker = None if ms is None else (ms, text)
        self.viewport().update()

    def set_placeholder(self, text: str) -> None:
        """The text shown while there are no rows (empty for the default)."""
        self._placeholder = text
        self.viewport().update()

    def set_title(self, title: str) -> None:
        """The headline written above the exported picture."""
        self._title = title

    @Slot()
    def fit(self) -> None:
        """Show the whole run (and keep following it while it runs)."""
        self.model.fit()
        self._repaint_all()

    def _user_fit(self) -> None:
        self.fit()
        self.view_changed.emit(*self.model.axis.state())

    @Slot(int)
    def select_input_index(self, index: int) -> None:
        """Highlight the bar of ``index`` and scroll to it (no ``selected`` signal)."""
        if not 0 <= index < len(self.model.rows):
            self.model.selected = None
            self.viewport().update()
            return
        self.model.selected = index
        bar = self.verticalScrollBar()
        bar.setValue(round(self.model.layout.scroll_to_show(index, bar.value(), self.viewport().height())))
        self.viewport().update()

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
        title = self._title or self.tr("Fetchlens — %n URL(s) on a time axis", "", len(self.model.rows))
        painter.drawText(QRectF(8, 0, w - 16, title_h), Qt.AlignmentFlag.AlignVCenter, f"{title}   ·   {stamp}")
        painter.setFont(self.font())
        painter.translate(0, title_h)
        self.paint_header(painter, w)
        painter.translate(0, self._header_height())
        self.paint_rows(painter, w, self.viewport().height(), self.verticalScrollBar().value())
        painter.end()
        return image

    # -- painting --------------------------------------------------------------------------
    def _header_height(self) -> int:
        return AXIS_H + (0 if self._compact else LEGEND_H)

    def paint_header(self, painter: QPainter, width: int) -> None:
        pal = self.palette()
        painter.fillRect(QRectF(0, 0, width, self._header_height()), pal.color(QPalette.ColorRole.Base))
        fm = painter.fontMetrics()
        text = pal.color(QPalette.ColorRole.Text)
        y = 0
        if not self._compact:
            paint_legend(painter, pal, 6.0, 6.0)
            y = LEGEND_H
        axis = self.model.axis
        step = tick_step(axis.ms_per_px, max(70.0, fm.horizontalAdvance("0000.00 ms") * 1.3))
        mid = pal.color(QPalette.ColorRole.Mid)
        painter.setPen(QPen(mid, 1))
        painter.drawLine(QPointF(0, y + AXIS_H - 0.5), QPointF(width, y + AXIS_H - 0.5))
        if not self.model.rows:
            return  # no run yet: a scale would be meaningless
        for t in ticks(axis.t0_ms, axis.end_ms, step):
            x = round(axis.x_of(t)) + 0.5
            painter.setPen(QPen(mid, 1))
            painter.drawLine(QPointF(x, y + AXIS_H - 5), QPointF(x, y + AXIS_H))
            label = format_tick(t, step)
            if x + 3 + fm.horizontalAdvance(label) <= width:  # a clipped label reads as a wrong number
                painter.setPen(text)
                painter.drawText(QPointF(x + 3, y + AXIS_H - 7), label)

    def paint_rows(self, painter: QPainter, width: int, height: int, scroll_y: float) -> None:
        """Paint the rows visible at ``scroll_y`` into ``[0, width] × [0, height]``."""
        pal = self.palette()
        painter.fillRect(QRectF(0, 0, width, height), pal.color(QPalette.ColorRole.Base))
        m = self.model
        axis, lay = m.axis, m.layout
        if not m.rows:
            painter.setPen(muted_text(pal))
            painter.drawText(QRectF(0, 0, width, height), Qt.AlignmentFlag.AlignCenter,
                             self._placeholder or self.tr("One bar per URL will appear here when a run starts."))
            return
        grid = QColor(pal.color(QPalette.ColorRole.Text))
        grid.setAlpha(28)
        step = tick_step(axis.ms_per_px, max(70.0, painter.fontMetrics().horizontalAdvance("0000.00 ms") * 1.3))
        bottom = min(height, lay.content_height - scroll_y)
        for t in ticks(axis.t0_ms, axis.end_ms, step):
            x = round(axis.x_of(t)) + 0.5
            painter.fillRect(QRectF(x - 0.5, 0, 1, bottom), grid)
        rows = lay.visible_rows(scroll_y, height)
        if m.selected is not None and m.selected in rows:
            hl = QColor(pal.color(QPalette.ColorRole.Highlight))
            hl.setAlpha(70)
            painter.fillRect(QRectF(0, m.selected * lay.pitch - scroll_y, width, lay.pitch), hl)
        colors = phase_colors(pal)
        red = failed_color(pal)
        hatch = QBrush(red, Qt.BrushStyle.BDiagPattern)
        cancelled_pen = QPen(pal.color(QPalette.ColorRole.Text), 1, Qt.PenStyle.DashLine)
        bar_h = lay.bar_height
        outline = bar_h >= 4
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        for i in rows:
            segs = m.segments(i)
            if not segs:
                continue
            y = lay.bar_top(i) - scroll_y
            x0, x1 = axis.x_of(segs[0][1]), axis.x_of(segs[-1][2])
            if x1 < -1 or x0 > width + 1:
                continue
            for phase, a, b in segs:
                xa, xb = max(axis.x_of(a), -2.0), min(axis.x_of(b), width + 2.0)
                if xb < 0 or xa > width:
                    continue
                painter.fillRect(QRectF(xa, y, max(xb - xa, 1.0), bar_h), colors.get(phase, colors["wait"]))
            row = m.rows[i]
            frame = QRectF(max(x0, -2.0), y, max(min(x1, width + 2.0) - max(x0, -2.0), 1.0), bar_h)
            if row.failed:
                painter.fillRect(frame, hatch)
                if outline:
                    painter.setPen(QPen(red, 1.5))
                    painter.drawRect(frame.adjusted(0.5, 0.5, -0.5, -0.5))
            elif row.cancelled and outline:
                painter.setPen(cancelled_pen)
                painter.drawRect(frame.adjusted(0.5, 0.5, -0.5, -0.5))
        if m.running:
            x = axis.x_of(m.now_ms)
            if 0 <= x <= width:
                painter.fillRect(QRectF(x, 0, 1, bottom), pal.color(QPalette.ColorRole.Text))
        if self._marker is not None:
            self._paint_marker(painter, width, bottom)

    def _paint_marker(self, painter: QPainter, width: int, bottom: float) -> None:
        assert self._marker is not None
        ms, text = self._marker
        x = round(self.model.axis.x_of(ms)) + 0.5
        if not 0 <= x <= width:
            return
        pal = self.palette()
        ink = pal.color(QPalette.ColorRole.Text)
        painter.setPen(QPen(ink, 1, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(x, 0), QPointF(x, bottom))
        if not text:
            return
        font = QFont(painter.font())
        font.setBold(True)
        painter.setFont(font)
        fm = painter.fontMetrics()
        w, h = fm.horizontalAdvance(text) + 10, fm.height() + 4
        left = x + 4 if x + 4 + w <= width else x - 4 - w
        box = QRectF(max(left, 0), 4, w, h)
        painter.fillRect(box, pal.color(QPalette.ColorRole.Base))
        painter.setPen(ink)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        painter.setFont(self.font())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        self.paint_rows(painter, self.viewport().width(), self.viewport().height(), self.verticalScrollBar().value())
        painter.end()

    # -- layout ----------------------------------------------------------------------------
    def _relayout(self) -> None:
        vp = self.viewport()
        self.model.resize(vp.width(), vp.height())
        bar = self.verticalScrollBar()
        bar.setRange(0, max(0, round(self.model.layout.content_height - vp.height())))
        bar.setPageStep(max(1, vp.height()))
        bar.setSingleStep(max(1, round(self.model.layout.pitch * 3)))
        self._repaint_all()

    def _refresh(self) -> None:
        if self.model.follow:
            self.model.fit()
            self._header.update()
        self.viewport().update()

    def _repaint_all(self) -> None:
        self._header.update()
        self.viewport().update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        cr = self.contentsRect()
        vp = self.viewport().geometry()
        self._header.setGeometry(cr.left(), cr.top(), vp.width(), self._header_height())
        hint = self._fit_button.sizeHint()
        self._fit_button.setGeometry(vp.width() - hint.width() - 2, 1, hint.width(), LEGEND_H - 2)
        self._relayout()

    def sizeHint(self) -> QSize:
        return QSize(640, 320)

    # -- interaction -----------------------------------------------------------------------
    def _user_view_changed(self) -> None:
        self._repaint_all()
        self.view_changed.emit(*self.model.axis.state())

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta()
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            bar = self.verticalScrollBar()
            notches = (delta.y() or delta.x()) / 120.0
            bar.setValue(round(bar.value() - notches * bar.singleStep()))
        elif delta.y():
            self.model.zoom(ZOOM_STEP ** (delta.y() / 120.0), event.position().x())
            self._user_view_changed()
        elif delta.x():
            self.model.pan(delta.x() / 2.0)
            self._user_view_changed()
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = self._last = event.position()
            self._dragged = False
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is not None and self._last is not None:
            pos = event.position()
            if (pos - self._press).manhattanLength() > 4:
                self._dragged = True
            if self._dragged:
                self.model.pan(pos.x() - self._last.x())
                bar = self.verticalScrollBar()
                bar.setValue(round(bar.value() - (pos.y() - self._last.y())))
                self._last = pos
                self._user_view_changed()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._press is not None:
            if not self._dragged:
                self._click(event.position())
            self._press = self._last = None
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._user_fit()

    def _click(self, pos: QPointF) -> None:
        hit = self.model.hit_test(pos.x(), pos.y() + self.verticalScrollBar().value())
        if hit is not None:
            self.model.selected = hit.row
            self.viewport().update()
            self.selected.emit(hit.row)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, n = event.key(), len(self.model.rows)
        centre = self.viewport().width() / 2
        cur = self.model.selected
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Home, Qt.Key.Key_End) and n:
            if key == Qt.Key.Key_Home:
                target = 0
            elif key == Qt.Key.Key_End:
                target = n - 1
            else:
                step = -1 if key == Qt.Key.Key_Up else 1
                target = 0 if cur is None else min(n - 1, max(0, cur + step))
            self.select_input_index(target)
            self.selected.emit(target)
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.model.zoom(ZOOM_STEP, centre)
            self._user_view_changed()
        elif key == Qt.Key.Key_Minus:
            self.model.zoom(1 / ZOOM_STEP, centre)
            self._user_view_changed()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            self.model.pan(centre / 4 * (1 if key == Qt.Key.Key_Left else -1))
            self._user_view_changed()
        elif key in (Qt.Key.Key_F, Qt.Key.Key_0):
            self._user_fit()
        else:
            super().keyPressEvent(event)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(event.pos().x(), event.pos().y())
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def tooltip_at(self, x: float, y: float) -> str:
        """The hover text for a viewport point: URL, exact times, phases, outcome."""
        hit = self.model.hit_test(x, y + self.verticalScrollBar().value())
        if hit is None:
            return ""
        row = self.model.rows[hit.row]
        lines = [f"#{hit.row + 1}  {row.url}"]
        span = self.model.bar_span(hit.row)
        if span is None:
            if row.result is not None and row.result.error:
                lines.append(row.result.error)
            else:
                lines.append(self.tr("not started yet"))
            return "\n".join(lines)
        a, b = span
        state = self.tr("in flight") if row.in_flight else format_duration(b - a)
        lines.append(self.tr("{start} → {end}  ({state})").format(
            start=f"{a:.1f} ms", end=f"{b:.1f} ms" if not row.in_flight else "…", state=state))
        for phase, s, e in self.model.segments(hit.row):
            mark = "▶ " if phase == hit.phase and s == hit.start_ms else "   "
            lines.append(f"{mark}{phase_label(phase)}: {e - s:.1f} ms")
        r = row.result
        if r is not None:
            outcome = f"HTTP {r.status_code}" if r.status_code is not None else ""
            if r.error_kind is not None:
                outcome = f"{outcome} {r.error_kind}: {r.error}".strip()
            lines.append(outcome)
        return "\n".join(lines)


__all__ = ["TimelineView", "failed_color", "paint_legend", "phase_colors", "phase_label", "write_image_atomic"]
