"""TimelineView: selection, zoom around the cursor, tooltips, PNG export, 10,000 rows painted quickly."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QWheelEvent
from PySide6.QtWidgets import QApplication

from core.model import ErrorKind, FetchResult, Mode, Progress, RowState, Timings
from gui.timeline.export import TimelineExporter
from gui.timeline.view import TimelineView


def result(i: int, start: float, wait: float = 300.0, ok: bool = True) -> FetchResult:
    t = Timings(start, None, 0.5, 1.0, wait, 4.0, 6.0)
    t = dataclasses.replace(t, finished_ms=t.segments()[-1][2])
    return FetchResult(i, f"http://example.test/{i}", Mode.SYNC, ok=ok, status_code=200 if ok else 503,
                       error_kind=None if ok else ErrorKind.HTTP_ERROR, error="" if ok else "HTTP 503", timings=t)


@pytest.fixture
def view(qtbot: Any) -> TimelineView:
    v = TimelineView()
    qtbot.addWidget(v)
    v.resize(800, 400)
    v.show()
    qtbot.waitExposed(v)
    return v


def staircase(view: TimelineView, n: int) -> list[FetchResult]:
    results = [result(i, i * 312.0, ok=i % 7 != 3) for i in range(n)]
    view.reset_run([r.url for r in results])
    view.apply([], results)
    view.finish(n * 312.0)
    return results


def bar_centre(view: TimelineView, row: int) -> QPoint:
    m = view.model
    a, b = m.bar_span(row) or (0.0, 0.0)
    x = m.axis.x_of((a + b) / 2)
    y = m.layout.bar_top(row) + m.layout.bar_height / 2 - view.verticalScrollBar().value()
    return QPoint(round(x), round(y))


def test_object_name_and_empty_state(view: TimelineView) -> None:
    assert view.objectName() == "timelineView"
    assert view.grab().width() == 800  # paints the empty hint without errors


def test_click_emits_selected_with_the_input_index(view: TimelineView, qtbot: Any) -> None:
    staircase(view, 20)
    with qtbot.waitSignal(view.selected, timeout=1000) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=bar_centre(view, 12))
    assert blocker.args == [12]
    assert view.model.selected == 12


def test_select_input_index_scrolls_to_the_row(view: TimelineView) -> None:
    staircase(view, 2000)
    bar = view.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == 0
    view.select_input_index(1500)
    rows = view.model.layout.visible_rows(bar.value(), view.viewport().height())
    assert 1500 in rows
    assert view.model.selected == 1500
    view.select_input_index(-1)
    assert view.model.selected is None


def test_live_progress_grows_bars_to_the_clock(view: TimelineView) -> None:
    view.reset_run(["a", "b"])
    view.apply([Progress(0, RowState.CONNECTING, 5.0)], [])
    view.set_clock(100.0)
    assert view.model.bar_span(0) == (5.0, 100.0)
    view.set_clock(250.0)
    assert view.model.bar_span(0) == (5.0, 250.0)
    assert view.model.axis.end_ms >= 250.0  # following the run: the growing bar stays in view
    view.grab()


def test_wheel_zooms_around_the_cursor_and_fit_resets(view: TimelineView, qtbot: Any) -> None:
    staircase(view, 10)
    axis = view.model.axis
    full = axis.ms_per_px
    pos = QPointF(200.0, 50.0)
    t_under = axis.ms_of(pos.x())
    event = QWheelEvent(pos, QPointF(view.viewport().mapToGlobal(pos.toPoint())), QPoint(), QPoint(0, 240),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    with qtbot.waitSignal(view.view_changed, timeout=1000):
        QApplication.sendEvent(view.viewport(), event)
    assert axis.ms_per_px == pytest.approx(full / 1.25**2)
    assert axis.ms_of(pos.x()) == pytest.approx(t_under)
    assert not view.model.follow
    view.fit()
    assert axis.ms_per_px == pytest.approx(full)
    assert axis.x_of(view.model.extent_ms) <= view.viewport().width()


def test_drag_pans_and_keys_zoom(view: TimelineView, qtbot: Any) -> None:
    staircase(view, 10)
    axis = view.model.axis
    t0 = axis.ms_of(300)
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(300, 100))
    qtbot.mouseMove(view.viewport(), QPoint(340, 100))
    qtbot.mouseMove(view.viewport(), QPoint(400, 100))
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(400, 100))
    assert axis.x_of(t0) == pytest.approx(400, abs=1)
    scale = axis.ms_per_px
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert axis.ms_per_px < scale
    qtbot.keyClick(view, Qt.Key.Key_F)
    assert view.model.follow


def test_tooltip_shows_exact_times(view: TimelineView) -> None:
    results = staircase(view, 10)
    p = bar_centre(view, 3)
    text = view.tooltip_at(p.x(), p.y())
    r = results[3]
    assert r.url in text
    assert f"{r.timings.started_ms:.1f} ms" in text and f"{r.timings.finished_ms:.1f} ms" in text
    assert "HTTP 503" in text  # row 3 failed
    assert "300.0 ms" in text  # the wait phase's exact length
    assert view.tooltip_at(p.x(), 10_000) == ""


def test_save_png_writes_a_valid_image_at_twice_the_size(view: TimelineView, tmp_path: Path) -> None:
    staircase(view, 30)
    view.set_title("sync · 30 URLs")
    path = tmp_path / "timeline.png"
    assert TimelineExporter(view).save_png(path)
    image = QImage(str(path))
    assert not image.isNull()
    assert image.width() == 2 * view.viewport().width()
    assert image.height() > 2 * view.viewport().height()
    assert [p.name for p in tmp_path.iterdir()] == ["timeline.png"]  # no temporary file left behind


def test_save_png_async_writes_off_the_gui_thread(view: TimelineView, tmp_path: Path,
                                                  loop: asyncio.AbstractEventLoop) -> None:
    staircase(view, 5)
    path = tmp_path / "t.png"
    assert loop.run_until_complete(TimelineExporter(view).save_png_async(path))
    assert QImage(str(path)).width() == 2 * view.viewport().width()
    assert loop.run_until_complete(TimelineExporter(view).save_png_async(tmp_path / "missing" / "t.png")) is False


def test_save_png_into_a_missing_folder_fails_cleanly(view: TimelineView, tmp_path: Path) -> None:
    staircase(view, 3)
    assert TimelineExporter(view).save_png(tmp_path / "missing" / "t.png") is False


def test_ten_thousand_rows_paint_quickly(view: TimelineView) -> None:
    n = 10_000
    results = [result(i, (i % 50) * 2.0 + (i // 50) * 310.0) for i in range(n)]
    view.reset_run([r.url for r in results])
    view.apply([], results)
    view.select_input_index(5000)
    view.grab()  # warm-up (fonts, pens)
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        view.grab()
        best = min(best, time.perf_counter() - t)
    assert best < 0.050, f"painting 10,000 rows took {best * 1000:.1f} ms"
    visible = view.model.layout.visible_rows(view.verticalScrollBar().value(), view.viewport().height())
    assert len(visible) < 100  # only the visible rows are painted


def test_the_legend_never_runs_under_the_fit_button(qtbot) -> None:
    from PySide6.QtGui import QImage, QPainter

    from gui.timeline.paint import paint_legend

    view = TimelineView()
    qtbot.addWidget(view)
    for width in (560, 700, 1400):
        view.resize(width, 300)
        view.show()
        fit = view._fit_button.geometry()
        image = QImage(width, 40, QImage.Format.Format_ARGB32)
        painter = QPainter(image)
        painter.setFont(view.font())
        end = paint_legend(painter, view.palette(), 6.0, 6.0, view.viewport().width() - fit.width() - 8.0)
        painter.end()
        assert end <= fit.left(), (width, end, fit.left())
