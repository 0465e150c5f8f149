"""The summary strip: what the run achieved, and how responsive the window stayed meanwhile."""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from core.model import RunSummary
from gui.app.colors import StatusKind, status_color

log = logging.getLogger(__name__)

RESPONSIVE_MS = 50  # a stall below this is not noticeable
NOTICEABLE_MS = 200  # above this the window visibly freezes


def _ms(value: float | None) -> str:
    """``850 ms``, ``12.5 s``; "–" without data (nothing was fetched)."""
    if value is None:
        return "–"
    return f"{value:,.0f} ms" if value < 10_000 else f"{value / 1000:,.1f} s"


def _figure(value: float | None) -> str:
    return "–" if value is None else f"{value:,.1f}"


class _Tile(QWidget):
    """A caption over a value."""

    def __init__(self, caption: str, tooltip: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.caption = QLabel(caption, self)
        small = QFont(self.caption.font())
        small.setPointSizeF(max(6.0, small.pointSizeF() * 0.85))
        self.caption.setFont(small)
        self.caption.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.value = QLabel("–", self)
        bold = QFont(self.value.font())
        bold.setBold(True)
        self.value.setFont(bold)
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QGridLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.setVerticalSpacing(0)
        layout.addWidget(self.caption, 0, 0)
        layout.addWidget(self.value, 1, 0)
        self.setToolTip(tooltip)


class SummaryPanel(QFrame):
    """``summaryPanel``: wall time, sums, concurrency, percentiles, counts, rate, UI stalls."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("summaryPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.wall = _Tile(self.tr("Wall time"), self.tr("From the start of the run to its last result."), self)
        self.sum = _Tile(self.tr("Sum of per-URL times"),
                         self.tr("What the same requests would take one after another."), self)
        self.concurrency = _Tile(self.tr("Effective concurrency"),
                                 self.tr("Sum of per-URL times ÷ wall time: how many requests were in flight "
                                         "on average."), self)
        self.latency = _Tile(self.tr("p50 / p95"), self.tr("Median and 95th percentile of the per-URL times."), self)
        self.counts = _Tile(self.tr("OK / failed"),
                            self.tr("Pages fetched successfully / failures (errors of every kind)."), self)
        self.rate = _Tile(self.tr("Pages/s"), self.tr("Finished URLs per second of wall time."), self)
        self.stall = _Tile(self.tr("Window responsiveness"),
                           self.tr("The longest time the window could not react (event-loop stall) during the "
                                   "run, measured by a 10 ms heartbeat; below 50 ms nobody notices."), self)
        self.stall.value.setObjectName("stallLabel")
        layout = QGridLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        for col, tile in enumerate((self.wall, self.sum, self.concurrency, self.latency, self.counts, self.rate,
                                    self.stall)):
            layout.addWidget(tile, 0, col)
        layout.setColumnStretch(6, 1)
        self.stall_text = ""
        self._stall_kind: StatusKind | None = None

    def clear(self) -> None:
        for tile in (self.wall, self.sum, self.concurrency, self.latency, self.counts, self.rate, self.stall):
            tile.value.setText("–")
        self.stall_text = ""
        self._stall_kind = None
        self._colour_stall()

    def show_live(self, done: int, total: int, ok: int, failed: int, elapsed_s: float, worst_stall_ms: float) -> None:
        """Update while running (from the batched ticks)."""
        self.wall.value.setText(f"{elapsed_s:,.1f} s")
        self.counts.value.setText(f"{ok:,} / {failed:,}")
        self.rate.value.setText(f"{done / elapsed_s:,.1f}" if elapsed_s > 0 else "–")
        self.show_stall(worst_stall_ms, None)

    def show_summary(self, s: RunSummary, worst_stall_ms: float, p99_stall_ms: float) -> None:
        """Show a finished (or stopped) run."""
        self.wall.value.setText(f"{s.wall_s:,.2f} s")
        self.sum.value.setText(f"{s.sum_elapsed_s:,.2f} s")
        self.concurrency.value.setText(_figure(s.effective_concurrency))
        self.latency.value.setText(f"{_ms(s.p50_ms)} / {_ms(s.p95_ms)}")
        counts = f"{s.ok:,} / {s.failed:,}"
        if s.cancelled:
            counts += self.tr(" ({0} stopped)").format(f"{s.cancelled:,}")
        self.counts.value.setText(counts)
        self.rate.value.setText(_figure(s.pages_per_s))
        self.show_stall(worst_stall_ms, p99_stall_ms)

    def show_stall(self, worst_ms: float, p99_ms: float | None) -> None:
        if worst_ms < RESPONSIVE_MS:
            text = self.tr("stayed responsive: worst stall {0} ms").format(f"{worst_ms:.0f}")
        else:
            text = self.tr("worst stall {0} ms").format(f"{worst_ms:,.0f}")
        if p99_ms is not None:
            text += self.tr(" (p99 {0} ms)").format(f"{p99_ms:.0f}")
        self.stall_text = text
        self.stall.value.setText(text)
        self._stall_kind = None if worst_ms < RESPONSIVE_MS else (
            StatusKind.CLIENT_ERROR if worst_ms < NOTICEABLE_MS else StatusKind.FAILED)
        self._colour_stall()

    def _colour_stall(self) -> None:
        label = self.stall.value
        pal = QPalette(self.palette())
        if self._stall_kind is not None:  # orange when noticeable, red when the window visibly froze
            pal.setColor(QPalette.ColorRole.WindowText, status_color(self._stall_kind, pal))
        label.setPalette(pal)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # light/dark switch: recompute the warning colour
            self._colour_stall()
