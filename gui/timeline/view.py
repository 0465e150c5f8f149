"""The live request timeline: one bar per URL on the run's clock, segmented by phase.

Geometry, zoom/pan state and hit testing live in :mod:`gui.timeline.model`; this module
paints only the rows that are visible (10,000 rows cost no more than 50; the drawing is in
:mod:`gui.timeline.paint`) and handles the mouse and keyboard. :mod:`gui.timeline.export` makes a
picture of a view.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal, Slot
from PySide6.QtGui import (
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QToolButton, QToolTip, QWidget

from core.model import FetchResult, Progress
from gui.timeline.model import Recorded, TimelineModel
from gui.timeline.paint import (
    AXIS_H,
    LEGEND_H,
    muted_text,
    paint_axis,
    paint_bars,
    paint_legend,
    paint_marker,
    phase_label,
)
from gui.timeline.time_format import format_duration

log = logging.getLogger(__name__)

ZOOM_STEP = 1.25  # per wheel notch / key press


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
        self.setViewportMargins(0, self.header_height(), 0, 0)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setMouseTracking(True)
        self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
        self.verticalScrollBar().valueChanged.connect(self.viewport().update)
        self.setToolTip(self.tr("Request timeline: wheel zooms, drag pans, double-click fits, click selects a URL"))
        self.setAccessibleName(self.tr("Request timeline"))

    # -- public API ------------------------------------------------------------------------
    def reset_run(self, urls: Sequence[str], kept: Iterable[int] = ()) -> None:
        """Start a new run: one empty row per input URL (``kept``: rows a resume or retry keeps)."""
        self.model.reset(urls, kept)
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
        self.model.load(urls, results, wall_ms)
        self._relayout()

    def load_recorded(self, urls: Sequence[str], recorded: Recorded, wall_ms: float | None = None) -> None:
        """Show a finished run read from the journal (see :func:`gui.timeline.model.recorded_rows`)."""
        self.model.load_recorded(urls, recorded, wall_ms)
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

    def title(self) -> str:
        return self._title

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

    # -- painting --------------------------------------------------------------------------
    def header_height(self) -> int:
        """Pixels above the rows: the time axis, and the legend unless compact."""
        return AXIS_H + (0 if self._compact else LEGEND_H)

    def paint_header(self, painter: QPainter, width: int) -> None:
        pal = self.palette()
        painter.fillRect(QRectF(0, 0, width, self.header_height()), pal.color(QPalette.ColorRole.Base))
        y = 0
        if not self._compact:
            paint_legend(painter, pal, 6.0, 6.0, width - self._fit_button.sizeHint().width() - 8.0)
            y = LEGEND_H
        paint_axis(painter, pal, self.model, width, y)

    def paint_rows(self, painter: QPainter, width: int, height: int, scroll_y: float) -> None:
        """Paint the rows visible at ``scroll_y`` into ``[0, width] × [0, height]``."""
        pal = self.palette()
        painter.fillRect(QRectF(0, 0, width, height), pal.color(QPalette.ColorRole.Base))
        if not self.model.rows:
            painter.setPen(muted_text(pal))
            painter.drawText(QRectF(0, 0, width, height), Qt.AlignmentFlag.AlignCenter,
                             self._placeholder or self.tr("One bar per URL will appear here when a run starts."))
            return
        bottom = paint_bars(painter, pal, self.model, width, height, scroll_y)
        if self._marker is not None:
            paint_marker(painter, pal, self.model.axis, self._marker, width, bottom, self.font())

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
        self._header.setGeometry(cr.left(), cr.top(), vp.width(), self.header_height())
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
            if row.error:
                lines.append(row.error)
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
        if not row.in_flight:
            outcome = f"HTTP {row.status_code}" if row.status_code is not None else ""
            if row.error_kind is not None:
                outcome = f"{outcome} {row.error_kind}: {row.error}".strip()
            lines.append(outcome)
        return "\n".join(lines)
