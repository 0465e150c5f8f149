"""How the request timeline is drawn: phase colours and names, the legend, the axis, the bars.

Functions over a :class:`gui.timeline.model.TimelineModel` and a palette, used by
:class:`gui.timeline.view.TimelineView`; the legend and the colours are shared with the
comparison window and the histogram.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPalette, QPen

from gui.app.colors import phase_color
from gui.timeline.model import PHASES, TimeAxis, TimelineModel
from gui.timeline.time_format import format_tick, tick_step, ticks

log = logging.getLogger(__name__)

LEGEND_H = 22
AXIS_H = 22


def _tr(text: str) -> str:
    return QCoreApplication.translate("Timeline", text)


def phase_label(phase: str, short: bool = False) -> str:
    """The legend name of a phase (``short``: a word, for a narrow legend)."""
    if short:
        return {"rate_limit": _tr("rate"), "queued": _tr("queued"), "connect": _tr("connect"),
                "wait": _tr("TTFB")}.get(phase) or phase_label(phase)
    return {
        "rate_limit": _tr("rate limit"),
        "queued": _tr("waiting for a slot"),
        "dns": _tr("DNS"),
        "connect": _tr("connect (TCP, TLS)"),
        "wait": _tr("waiting for first byte"),
        "download": _tr("download"),
        "parse": _tr("parse"),
    }.get(phase, phase)


def legend_width(fm: QFontMetrics, short: bool = False) -> float:
    """The width :func:`paint_legend` needs, in pixels."""
    labels = [phase_label(p, short) for p in PHASES] + [_tr("failed")]
    gap = _gap(short)
    return sum(16 + fm.horizontalAdvance(label) + gap for label in labels) - gap


def _gap(short: bool) -> float:
    """Space between legend entries: less in the short (narrow) legend."""
    return 8.0 if short else 14.0


def phase_colors(palette: QPalette) -> dict[str, QColor]:
    """Fill colour of every phase for this palette (shared with the results table via gui.app.colors)."""
    return {name: phase_color(name, palette) for name in PHASES}


def failed_color(palette: QPalette) -> QColor:
    """Outline and hatch colour of failed requests."""
    return phase_color("failed", palette)


def muted_text(palette: QPalette) -> QColor:
    """Secondary text: the Text colour, half transparent (readable on light and dark bases)."""
    color = QColor(palette.color(QPalette.ColorRole.Text))
    color.setAlpha(150)
    return color


def paint_legend(painter: QPainter, palette: QPalette, x: float, y: float, max_x: float | None = None) -> float:
    """Draw the phase swatches and the failed sample in one line from ``(x, y)``; return the end x.

    When the full names would pass ``max_x``, short ones are used (the legend never runs under
    what is drawn to its right, such as the Fit button).
    """
    fm = painter.fontMetrics()
    short = max_x is not None and x + legend_width(fm) > max_x
    text = palette.color(QPalette.ColorRole.Text)
    colors = phase_colors(palette)
    base = y + fm.ascent() - 1
    for phase in PHASES:
        label = phase_label(phase, short)
        painter.fillRect(QRectF(x, y, 12, 10), colors[phase])
        painter.setPen(text)
        painter.drawText(QPointF(x + 16, base), label)
        x += 16 + fm.horizontalAdvance(label) + _gap(short)
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



def paint_axis(painter: QPainter, palette: QPalette, model: TimelineModel, width: int, y: float) -> None:
    """Draw the time axis (base line, ticks, labels) in the ``AXIS_H`` pixels below ``y``."""
    fm = painter.fontMetrics()
    text = palette.color(QPalette.ColorRole.Text)
    axis = model.axis
    step = tick_step(axis.ms_per_px, max(70.0, fm.horizontalAdvance("0000.00 ms") * 1.3))
    mid = palette.color(QPalette.ColorRole.Mid)
    painter.setPen(QPen(mid, 1))
    painter.drawLine(QPointF(0, y + AXIS_H - 0.5), QPointF(width, y + AXIS_H - 0.5))
    if not model.rows:
        return  # no run yet: a scale would be meaningless
    for t in ticks(axis.t0_ms, axis.end_ms, step):
        x = round(axis.x_of(t)) + 0.5
        painter.setPen(QPen(mid, 1))
        painter.drawLine(QPointF(x, y + AXIS_H - 5), QPointF(x, y + AXIS_H))
        label = format_tick(t, step)
        if x + 3 + fm.horizontalAdvance(label) <= width:  # a clipped label reads as a wrong number
            painter.setPen(text)
            painter.drawText(QPointF(x + 3, y + AXIS_H - 7), label)


def paint_bars(painter: QPainter, palette: QPalette, model: TimelineModel, width: int, height: int,
               scroll_y: float) -> float:
    """Draw the grid, the selection, the bars visible at ``scroll_y`` and the clock line.

    Returns:
        The bottom of the painted rows (at most ``height``), where a marker line ends.
    """
    axis, lay = model.axis, model.layout
    grid = QColor(palette.color(QPalette.ColorRole.Text))
    grid.setAlpha(28)
    step = tick_step(axis.ms_per_px, max(70.0, painter.fontMetrics().horizontalAdvance("0000.00 ms") * 1.3))
    bottom = min(height, lay.content_height - scroll_y)
    for t in ticks(axis.t0_ms, axis.end_ms, step):
        x = round(axis.x_of(t)) + 0.5
        painter.fillRect(QRectF(x - 0.5, 0, 1, bottom), grid)
    rows = lay.visible_rows(scroll_y, height)
    if model.selected is not None and model.selected in rows:
        hl = QColor(palette.color(QPalette.ColorRole.Highlight))
        hl.setAlpha(70)
        painter.fillRect(QRectF(0, model.selected * lay.pitch - scroll_y, width, lay.pitch), hl)
    colors = phase_colors(palette)
    red = failed_color(palette)
    hatch = QBrush(red, Qt.BrushStyle.BDiagPattern)
    cancelled_pen = QPen(palette.color(QPalette.ColorRole.Text), 1, Qt.PenStyle.DashLine)
    bar_h = lay.bar_height
    outline = bar_h >= 4
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    kept = model.kept
    kept_fill = QColor(palette.color(QPalette.ColorRole.Text))
    kept_fill.setAlpha(22)
    for i in rows:
        if i in kept:  # a result from an earlier run: a faint full-width band, no time on this clock
            painter.fillRect(QRectF(0, lay.bar_top(i) - scroll_y, width, bar_h), kept_fill)
            continue
        segs = model.segments(i)
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
        row = model.rows[i]
        frame = QRectF(max(x0, -2.0), y, max(min(x1, width + 2.0) - max(x0, -2.0), 1.0), bar_h)
        if row.failed:
            painter.fillRect(frame, hatch)
            if outline:
                painter.setPen(QPen(red, 1.5))
                painter.drawRect(frame.adjusted(0.5, 0.5, -0.5, -0.5))
        elif row.cancelled and outline:
            painter.setPen(cancelled_pen)
            painter.drawRect(frame.adjusted(0.5, 0.5, -0.5, -0.5))
    if model.running:
        x = axis.x_of(model.now_ms)
        if 0 <= x <= width:
            painter.fillRect(QRectF(x, 0, 1, bottom), palette.color(QPalette.ColorRole.Text))
    return bottom


def paint_marker(painter: QPainter, palette: QPalette, axis: TimeAxis, marker: tuple[float, str], width: int,
                 bottom: float, restore_font: QFont) -> None:
    """Draw a labelled vertical line at ``marker = (ms, text)``; the label is bold, then ``restore_font`` is set."""
    ms, text = marker
    x = round(axis.x_of(ms)) + 0.5
    if not 0 <= x <= width:
        return
    ink = palette.color(QPalette.ColorRole.Text)
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
    painter.fillRect(box, palette.color(QPalette.ColorRole.Base))
    painter.setPen(ink)
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
    painter.setFont(restore_font)
