"""The parts of the comparison window: a card and a row per mode, and the phase legend.

A :class:`ModeCard` shows one mode's headline numbers; a :class:`ModeRow` shows its label,
its timeline (with a close-up when the run fills only a sliver of the shared scale) and its
histogram of per-URL times; :class:`LegendStrip` shows the phase colours once for all rows.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from core.model import FetchResult, Mode, RunSummary
from gui.app.colors import status_color
from gui.timeline.histogram import HistogramWidget
from gui.timeline.paint import paint_legend
from gui.timeline.time_format import format_duration
from gui.timeline.view import TimelineView

log = logging.getLogger(__name__)

INSET_LEFT = 0.30  # the close-up starts at this fraction of the timeline's width
INSET_BELOW = 0.2  # ... and is shown when the run spans less than this fraction of the shared scale
LABEL_W = 110  # the mode labels left of the timelines (the legend lines up with the timelines)


def mode_name(mode: Mode) -> str:
    """A mode as the comparison names it: lowercase in English, as in its headline ("async: 6.6× faster
    than sync"), translated like that headline (Korean showed "sync" beside "동기보다 … 빠름")."""
    translate = QCoreApplication.translate  # lupdate reads translate("Context", ...), not tr("Context", ...)
    return {
        Mode.SYNC: translate("Compare", "sync"),
        Mode.THREADS: translate("Compare", "threads"),
        Mode.ASYNC: translate("Compare", "async"),
    }[mode]


def _mode_short(mode: Mode, concurrency: int) -> str:
    translate = QCoreApplication.translate  # lupdate reads translate("Context", ...), not tr("Context", ...)
    if mode is Mode.SYNC:
        return translate("Compare", "one at a time")
    if mode is Mode.THREADS:
        return translate("Compare", "{n} threads at once").format(n=concurrency)
    return translate("Compare", "{n} at once, one thread").format(n=concurrency)


def _mode_description(mode: Mode, concurrency: int) -> str:
    translate = QCoreApplication.translate  # lupdate reads translate("Context", ...), not tr("Context", ...)
    if mode is Mode.SYNC:
        return translate("Compare", "one request after another")
    if mode is Mode.THREADS:
        return translate("Compare", "{n} threads, blocking requests side by side").format(n=concurrency)
    return translate("Compare", "one thread, up to {n} requests in flight").format(n=concurrency)


class ModeCard(QFrame):
    """One mode's headline numbers: wall time, speed-up, sum of per-URL times, percentiles."""

    def __init__(self, mode: Mode, concurrency: int) -> None:
        super().__init__()
        self.setObjectName(f"compareCard_{mode}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.mode = mode
        self.title = QLabel(f"<b>{mode_name(mode)}</b> — {_mode_description(mode, concurrency)}")
        self.wall = QLabel("–")
        font = self.wall.font()
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        self.wall.setFont(font)
        self.speedup = QLabel(self.tr("waiting"))
        bold = self.speedup.font()
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.15)
        self.speedup.setFont(bold)
        self.details = QLabel()
        lay = QVBoxLayout(self)
        lay.setSpacing(2)
        for w in (self.title, self.wall, self.speedup, self.details):
            # Wrapped, not cut: long lines (Korean ones especially) must neither widen the window as
            # results arrive nor be clipped; the card takes the height its lines need.
            w.setWordWrap(True)
            lay.addWidget(w)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

    def _fit_height(self) -> None:
        # Wrapped labels need more height at a smaller width; the row of cards (a QHBoxLayout)
        # does not ask for height-for-width, so the card says its minimum itself.
        lay = self.layout()
        if lay is not None and self.width() > 0:
            self.setMinimumHeight(lay.totalHeightForWidth(self.width()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def set_running(self, done: int, n: int, now_ms: float) -> None:
        self.wall.setText(format_duration(now_ms))
        self.speedup.setText(self.tr("running… {done} of {n}").format(done=done, n=n))
        self._fit_height()

    def set_summary(self, s: RunSummary, speedup: float | None) -> None:
        self.wall.setText(format_duration(s.wall_s * 1000))
        if self.mode is Mode.SYNC:
            text, kind = self.tr("baseline"), "queued"
        elif speedup is None:
            text, kind = "", "queued"
        elif speedup >= 1:
            text, kind = self.tr("{x}× faster than sync").format(x=f"{speedup:.1f}"), "ok"
        else:
            text, kind = self.tr("{x}× slower than sync").format(x=f"{1 / speedup:.1f}"), "failed"
        self.speedup.setText(text + (self.tr(" (stopped)") if s.interrupted else ""))
        pal = self.speedup.palette()
        pal.setColor(QPalette.ColorRole.WindowText, status_color(kind, self.palette()))
        self.speedup.setPalette(pal)
        self.details.setText(self.tr("sum of per-URL times {sum} · {c} in flight on average\n"
                                     "p50 {p50} · p95 {p95} · {ok} ok, {failed} failed").format(
            sum=format_duration(s.sum_elapsed_s * 1000),
            c="–" if s.effective_concurrency is None else f"{s.effective_concurrency:.1f}",
            p50="–" if s.p50_ms is None else format_duration(s.p50_ms),
            p95="–" if s.p95_ms is None else format_duration(s.p95_ms), ok=s.ok, failed=s.failed))
        self._fit_height()


class ModeRow(QFrame):
    """A mode's label, its timeline (compact) and its histogram of per-URL times."""

    def __init__(self, mode: Mode, concurrency: int) -> None:
        super().__init__()
        self.setObjectName(f"compareRow_{mode}")
        self.mode = mode
        self._short = _mode_short(mode, concurrency)
        self.label = QLabel()
        self._set_label("")
        self.label.setFixedWidth(LABEL_W)
        self.label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.label.setWordWrap(True)
        # A wrapping label makes the whole row height-for-width, and QBoxLayout then treats the row's
        # preferred height as its minimum: three rigid rows left the cards above less than their
        # minimum, overlapping their lines (Korean fonts are taller). The label fits in any row height.
        policy = self.label.sizePolicy()
        policy.setHeightForWidth(False)
        self.label.setSizePolicy(policy)
        self.timeline = TimelineView(self, compact=True)
        self.timeline.setObjectName(f"compareTimeline_{mode}")
        self.timeline.setAccessibleName(self.tr("%1 timeline").replace("%1", mode_name(mode)))
        self.histogram = HistogramWidget(self, title=self.tr("per-URL time"))
        self.histogram.setFixedWidth(300)
        self.histogram.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.label)
        lay.addWidget(self.timeline, 1)
        lay.addWidget(self.histogram)
        # A close-up of a run that fills only a sliver of the shared scale, in the empty space beside it.
        self.inset = TimelineView(self.timeline.viewport(), compact=True)
        self.inset.setObjectName(f"compareInset_{mode}")
        self.inset.setToolTip(self.tr("Close-up of this run on its own time scale"))
        self.inset.hide()
        self.timeline.viewport().installEventFilter(self)
        self._wall_ms = 0.0
        self._done = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.timeline.viewport() and event.type() == QEvent.Type.Resize:
            self._place_inset()
        return False

    def _place_inset(self) -> None:
        vp = self.timeline.viewport()
        x = round(vp.width() * INSET_LEFT)
        self.inset.setGeometry(x, 30, vp.width() - x - 8, max(40, vp.height() - 36))

    def show_inset(self, domain_ms: float | None) -> None:
        """Show the close-up when this run spans less than a fifth of the shared scale."""
        wanted = domain_ms is not None and 0 < self._wall_ms < domain_ms * INSET_BELOW
        if wanted:
            self._place_inset()
            self.inset.fit()
        self.inset.setVisible(wanted)
        if self._wall_ms:
            self._set_marker()

    def _set_label(self, wall: str) -> None:
        big = f"<span style='font-size:large'><b>{mode_name(self.mode)}</b></span>"
        self.label.setText(f"{big}<br>{self._short}<br><b>{wall}</b>" if wall else f"{big}<br>{self._short}")

    def set_results(self, summary: RunSummary, results: list[FetchResult | None]) -> None:
        wall_ms = summary.wall_s * 1000
        urls = [r.url if r is not None else "" for r in results]
        self.timeline.load(urls, results, wall_ms)
        self.inset.load(urls, results, wall_ms)
        self._wall_ms = wall_ms
        self.histogram.set_results(results)
        self._set_label(format_duration(wall_ms))
        self._done = sum(1 for r in results if r is not None)
        self.inset.set_marker(wall_ms)
        self._set_marker()

    def _set_marker(self) -> None:
        text = self.tr("%Ln URL(s) done after {t}", "", self._done).format(t=format_duration(self._wall_ms))
        if self.inset.isVisibleTo(self):
            text += self.tr("  ·  close-up below ↘")
        self.timeline.set_marker(self._wall_ms, text)


class LegendStrip(QWidget):
    """The phase colours, once for the three timelines."""

    def sizeHint(self) -> QSize:
        return QSize(600, self.fontMetrics().height() + 6)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        paint_legend(painter, self.palette(), LABEL_W + 6.0, 4.0)
        painter.end()
