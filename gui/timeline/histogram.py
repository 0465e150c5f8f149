"""A compact histogram of per-URL times with p50/p95/p99 marked.

Used under the main window's summary and once per mode in the compare window. The values
are the ``elapsed_ms`` of results that went over the network (invalid, duplicate and
cancelled rows are left out, as in :func:`core.run.stats.summarise`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from core.model import FetchResult
from core.run.stats import fetched, percentile
from gui.app.colors import phase_color, status_fill
from gui.timeline.paint import muted_text
from gui.timeline.time_format import format_duration, format_tick, tick_step, ticks

log = logging.getLogger(__name__)

PERCENTILES: tuple[int, ...] = (50, 95, 99)
OUTLIER_FACTOR = 3.0  # a maximum beyond 3 × p99 is cut off (counted in the last bin)


def elapsed_values(results: Iterable[FetchResult | None]) -> list[float]:
    """The per-URL times (ms) a histogram shows: fetched results only."""
    return [r.timings.elapsed_ms for r in results if r is not None and fetched(r)]


def auto_range(sorted_values: Sequence[float]) -> float:
    """The right end of the x axis: the maximum, unless a few outliers would squash the rest."""
    if not sorted_values:
        return 1.0
    top = sorted_values[-1]
    p99 = percentile(sorted_values, 99)
    if p99 > 0 and top > OUTLIER_FACTOR * p99:
        top = p99 * 1.5
    return max(top * 1.02, 1.0)


def histogram_bins(values: Iterable[float], n_bins: int, hi: float) -> tuple[list[int], int]:
    """Count values into ``n_bins`` equal bins over ``[0, hi]``.

    Returns:
        ``(counts, overflow)``: values above ``hi`` are counted in the last bin and in ``overflow``.
    """
    n_bins = max(1, n_bins)
    counts = [0] * n_bins
    overflow = 0
    width = hi / n_bins if hi > 0 else 1.0
    for v in values:
        k = int(max(v, 0.0) / width)
        if k >= n_bins:
            if v > hi:
                overflow += 1
            k = n_bins - 1
        counts[k] += 1
    return counts, overflow


class HistogramWidget(QWidget):
    """Distribution of per-URL times: bars, and lines at p50/p95/p99.

    Args:
        parent: parent widget.
        title: a caption drawn in the top-left corner (e.g. the mode), may be empty.
    """

    def __init__(self, parent: QWidget | None = None, title: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("latencyHistogram")
        self.setAccessibleName(self.tr("Distribution of per-URL times"))
        self.setToolTip(self.tr("How long each URL took (start to parsed), with the median (p50), p95 and p99"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._title = title
        self._values: list[float] = []
        self._fixed_max: float | None = None
        self._color: QColor | None = None

    # -- data ------------------------------------------------------------------------------
    def set_results(self, results: Iterable[FetchResult | None]) -> None:
        """Show the times of these results (only those fetched over the network)."""
        self.set_values(elapsed_values(results))

    def set_values(self, values_ms: Iterable[float]) -> None:
        self._values = sorted(float(v) for v in values_ms)
        self.update()

    def clear(self) -> None:
        self.set_values(())

    def set_max_ms(self, max_ms: float | None) -> None:
        """Fix the right end of the axis (a scale shared by several histograms), or ``None`` for auto."""
        self._fixed_max = max_ms
        self.update()

    def set_title(self, title: str) -> None:
        self._title = title
        self.update()

    def set_color(self, color: QColor | None) -> None:
        self._color = color
        self.update()

    def values(self) -> list[float]:
        return list(self._values)

    def percentiles(self) -> dict[int, float]:
        """``{50: ms, 95: ms, 99: ms}`` of the values shown (empty when there are none)."""
        if not self._values:
            return {}
        return {q: percentile(self._values, q) for q in PERCENTILES}

    def range_ms(self) -> float:
        return self._fixed_max if self._fixed_max else auto_range(self._values)

    def n_bins(self) -> int:
        return max(8, min(60, self.width() // 7))

    def bins(self) -> tuple[list[int], int]:
        return histogram_bins(self._values, self.n_bins(), self.range_ms())

    def sizeHint(self) -> QSize:
        return QSize(320, 120)

    def minimumSizeHint(self) -> QSize:
        return QSize(160, 80)

    # -- painting --------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.Text)
        mid = pal.color(QPalette.ColorRole.Mid)
        painter.fillRect(self.rect(), pal.color(QPalette.ColorRole.Base))
        fm = painter.fontMetrics()
        line_h = fm.height()
        top = line_h * 2 + 6
        plot = QRectF(6, top, self.width() - 12, self.height() - top - line_h - 6)
        if self._title:
            painter.setPen(text)
            painter.drawText(QPointF(6, fm.ascent() + 2), self._title)
        if not self._values or plot.height() < 4 or plot.width() < 10:
            painter.setPen(muted_text(pal))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("no times yet"))
            painter.end()
            return
        hi = self.range_ms()
        counts, overflow = histogram_bins(self._values, self.n_bins(), hi)
        peak = max(counts) or 1
        bw = plot.width() / len(counts)
        fill = self._color or phase_color("wait", pal)
        for k, c in enumerate(counts):
            if c:
                h = max(1.5, plot.height() * c / peak)
                painter.fillRect(QRectF(plot.left() + k * bw + 0.5, plot.bottom() - h, max(bw - 1.0, 1.0), h), fill)
        painter.setPen(QPen(mid, 1))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        # x axis: a few ticks
        ms_per_px = hi / plot.width()
        step = tick_step(ms_per_px, fm.horizontalAdvance("000 ms") * 1.5)
        painter.setPen(text)
        for t in ticks(0.0, hi, step):
            x = plot.left() + t / ms_per_px
            label = format_tick(t, step)
            lx = min(max(x - fm.horizontalAdvance(label) / 2, 0), self.width() - fm.horizontalAdvance(label))
            painter.drawText(QPointF(lx, plot.bottom() + fm.ascent() + 2), label)
        # Percentile lines with short tags; a tag that would overlap the previous one moves down.
        marker = status_fill("failed", pal)
        summary_x = 6.0
        prev_right, level = -1e9, 0
        for q, v in self.percentiles().items():
            x = plot.left() + min(v, hi) / ms_per_px
            color = text if q == 50 else marker
            painter.setPen(QPen(color, 1.2, Qt.PenStyle.SolidLine if q == 50 else Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            tag = f"p{q}"
            w = fm.horizontalAdvance(tag)
            lx = x + 3 if x + 3 + w <= self.width() - 2 else x - 3 - w
            level = level + 1 if lx < prev_right + 2 else 0
            prev_right = lx + w
            painter.setPen(color)
            painter.drawText(QPointF(lx, plot.top() + fm.ascent() + level * line_h), tag)
            summary = f"p{q} {format_duration(v)}"
            painter.drawText(QPointF(summary_x, line_h + fm.ascent() + 2), summary)
            summary_x += fm.horizontalAdvance(summary) + 12
        painter.setPen(muted_text(pal))
        note = self.tr("n = %1").replace("%1", str(len(self._values)))
        if overflow:
            note += "  " + self.tr("(+%1 beyond)").replace("%1", str(overflow))
        painter.drawText(QPointF(self.width() - fm.horizontalAdvance(note) - 6, fm.ascent() + 2), note)
        painter.end()


__all__ = ["HistogramWidget", "auto_range", "elapsed_values", "histogram_bins"]
