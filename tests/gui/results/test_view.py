"""ResultsPanel / ResultsView: painting in every state, clipboard, context menu, filters, selection."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, QSettings, Qt, QUrl
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from core.model import Progress, RowState
from gui.app.colors import phase_color
from gui.results import view as results_view
from gui.results.panel import ResultsPanel
from gui.results.rows import HIDDEN_BY_DEFAULT, Column, QuickFilter
from gui.results.view import HIDDEN_COLUMNS_KEY
from tests.gui.results.test_model import ok, sample_rows

log = logging.getLogger(__name__)


@pytest.fixture
def panel(qtbot) -> ResultsPanel:
    p = ResultsPanel()
    qtbot.addWidget(p)
    urls, progress, results = sample_rows()
    p.model.reset_run(urls)
    p.model.apply(progress, results)
    p.resize(1300, 800)
    return p


def dark_palette() -> QPalette:
    pal = QPalette()
    for role, color in {
        QPalette.ColorRole.Window: "#2b2b2b", QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1e1e1e", QPalette.ColorRole.AlternateBase: "#262626",
        QPalette.ColorRole.Text: "#e6e6e6", QPalette.ColorRole.Button: "#333333",
        QPalette.ColorRole.ButtonText: "#e6e6e6", QPalette.ColorRole.Highlight: "#2f65ca",
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.PlaceholderText: "#8a8a8a",
    }.items():
        pal.setColor(role, QColor(color))
    return pal


def select_inputs(p: ResultsPanel, indices: list[int]) -> None:
    sm = p.view.selectionModel()
    sm.clearSelection()
    for i in indices:
        sm.select(p.model.index(p.model.row_of(i), 0),
                  QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_delegate_paints_every_state(panel: ResultsPanel, theme: str, tmp_path: Path) -> None:
    if theme == "dark":
        panel.setPalette(dark_palette())
    states = {panel.model.state(i) for i in range(panel.model.total_rows())}
    assert states == set(RowState)  # every state is on screen
    panel.view.selectRow(3)
    pixmap = panel.view.grab()
    assert not pixmap.isNull()
    # Row 25 downloads 45% of a known length: its bar starts with the download colour.
    view = panel.view
    rect = view.visualRect(panel.model.index(panel.model.row_of(25), Column.STATUS))
    image = view.viewport().grab().toImage()
    pixel = image.pixelColor(rect.left() + 8, rect.center().y())
    expected = phase_color("download", view.palette())
    if theme == "light":
        expected = expected.darker(120)
    assert abs(pixel.red() - expected.red()) + abs(pixel.green() - expected.green()) \
        + abs(pixel.blue() - expected.blue()) < 30, (pixel.name(), expected.name())
    if os.environ.get("FETCHLENS_SCREENSHOTS"):  # for a human look: FETCHLENS_SCREENSHOTS=dir
        panel.grab().save(str(Path(os.environ["FETCHLENS_SCREENSHOTS"]) / f"results-{theme}.png"))


def test_busy_indicator_animates_only_while_length_unknown(panel: ResultsPanel, qtbot) -> None:
    view = panel.view
    assert view.busy_animating()  # row 26: downloading, no Content-Length
    phase = view._delegate.phase
    qtbot.waitUntil(lambda: view._delegate.phase != phase, timeout=2000)
    panel.model.apply([], [ok(26, panel.model.url(26))])
    assert not view.busy_animating()
    panel.model.apply([Progress(29, RowState.DOWNLOADING, 1.0, 10, None)], [])
    assert view.busy_animating()
    view.grab()


def test_ctrl_c_copies_selection_as_tsv(panel: ResultsPanel, qtbot) -> None:
    select_inputs(panel, [2, 6])
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(panel.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    m = panel.model
    expected = (
        "#\tURL\tStatus\tTitle\tTime\tSize\tType\tLinks\tError\tIndexability\tWords\threflang\n"
        f"3\t{m.url(2)}\t200 OK\tTiny\t35 ms\t512 B\ttext/html\t2\t\tindexable\t\t\n"
        f"7\t{m.url(6)}\t404 Not Found\tNot Found\t60 ms\t345 B\ttext/html\t0\tHTTP 404\tnon_200:404\t\t\n"
    )
    assert QGuiApplication.clipboard().text() == expected


def test_copy_follows_display_order_and_hides_line_breaks(panel: ResultsPanel) -> None:
    panel.model.sort(Column.INDEX, Qt.SortOrder.DescendingOrder)
    select_inputs(panel, [11, 0])
    lines = panel.view.selection_as_tsv().splitlines()
    assert [line.split("\t")[0] for line in lines] == ["#", "12", "1"]
    assert all(len(line.split("\t")) == len(Column) - len(HIDDEN_BY_DEFAULT) for line in lines)


def test_context_menu_retry_emits_selected_input_indices(panel: ResultsPanel, qtbot) -> None:
    panel.model.sort(Column.TIME, Qt.SortOrder.DescendingOrder)
    select_inputs(panel, [6, 10, 29])  # 29 is still queued: nothing to retry there
    menu = panel.view.context_menu()
    retry = next(a for a in menu.actions() if a.objectName() == "retryAction")
    assert retry.isEnabled()
    with qtbot.waitSignal(panel.retry_requested) as sig:
        retry.trigger()
    assert sorted(sig.args[0]) == [6, 10]
    panel.set_retry_enabled(False)
    menu = panel.view.context_menu()
    assert not next(a for a in menu.actions() if a.objectName() == "retryAction").isEnabled()


def test_context_menu_copy_urls(panel: ResultsPanel) -> None:
    select_inputs(panel, [1, 3])
    menu = panel.view.context_menu()
    next(a for a in menu.actions() if a.text() == "Copy URLs").trigger()
    assert QGuiApplication.clipboard().text() == f"{panel.model.url(1)}\n{panel.model.url(3)}\n"


def test_double_click_opens_http_urls_only(panel: ResultsPanel, qtbot, monkeypatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(results_view.QDesktopServices, "openUrl",
                        lambda url: opened.append(url.toString()) is None)  # opened: True
    messages: list[str] = []
    panel.message.connect(messages.append)
    panel.show()
    qtbot.waitExposed(panel)
    view = panel.view
    for i in (0, 20):  # 20 is "htp:/broken"
        rect = view.visualRect(panel.model.index(panel.model.row_of(i), Column.URL))
        # QTest sends no press before the double click; the view wants one on the same index.
        qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened == [QUrl(panel.model.url(0)).toString()]
    assert messages == ["Not opened: htp:/broken is not a web address"]


def test_no_browser_is_said_not_silent(panel: ResultsPanel, monkeypatch) -> None:
    monkeypatch.setattr(results_view.QDesktopServices, "openUrl", lambda url: False)  # as without xdg-open
    messages: list[str] = []
    panel.message.connect(messages.append)
    panel.view.open_rows([panel.model.row_of(0), panel.model.row_of(1)])
    assert messages == [f"Could not open {panel.model.url(0)}: no web browser was found"]  # once, not per row


def test_quick_filter_buttons_show_counts_and_filter(panel: ResultsPanel, qtbot) -> None:
    b = panel.quick_buttons
    assert b[QuickFilter.FAILED].text() == "Failed (11)"
    assert b[QuickFilter.ALL].text() == "All (30)" and b[QuickFilter.CLIENT_ERROR].text() == "4xx (2)"
    qtbot.mouseClick(b[QuickFilter.SERVER_ERROR], Qt.MouseButton.LeftButton)
    assert [panel.model.input_index_of(r) for r in range(panel.model.rowCount())] == [8, 9]
    assert panel.count_label.text() == "2 of 30 shown"
    panel.model.apply([], [ok(29, panel.model.url(29), code=502)])  # counts follow each batch
    assert b[QuickFilter.SERVER_ERROR].text() == "5xx (3)" and b[QuickFilter.FAILED].text() == "Failed (12)"
    assert panel.model.rowCount() == 3
    panel.set_quick_filter(QuickFilter.ALL)
    assert b[QuickFilter.ALL].isChecked() and panel.model.rowCount() == 30


def test_text_filter_field(panel: ResultsPanel, qtbot) -> None:
    qtbot.keyClicks(panel.filter_edit, "REFUSED")
    assert panel.model.rowCount() == 1 and panel.model.input_index_of(0) == 12
    qtbot.keyClick(panel.filter_edit, Qt.Key.Key_Escape)
    assert panel.filter_edit.text() == "" and panel.model.rowCount() == 30


def test_select_input_index_and_current_changed(panel: ResultsPanel, qtbot) -> None:
    emitted: list[int] = []
    panel.current_changed.connect(emitted.append)
    panel.select_input_index(17)
    assert panel.view.selected_input_indices() == [17]
    assert emitted == []  # programmatic selection is not echoed back
    with qtbot.waitSignal(panel.current_changed) as sig:
        panel.view.setCurrentIndex(panel.model.index(panel.model.row_of(4), 0))
    assert sig.args == [4]
    panel.model.sort(Column.TIME, Qt.SortOrder.AscendingOrder)  # rows move, the selection follows
    assert panel.view.currentIndex().row() == panel.model.row_of(4)
    assert emitted == [4]
    panel.model.set_quick_filter(QuickFilter.FAILED)  # 4 is filtered out: no current row
    assert emitted == [4, -1]


def test_100k_rows_view_stays_responsive(qtbot) -> None:
    p = ResultsPanel()
    qtbot.addWidget(p)
    n = 100_000
    urls = [f"https://h{i % 13}.example/{i}" for i in range(n)]
    p.model.reset_run(urls)
    p.model.apply([], [ok(i, urls[i], ms=float(i % 997)) for i in range(0, n, 7)])
    p.resize(1000, 600)
    p.show()
    qtbot.waitExposed(p)
    p.view.sortByColumn(Column.TIME, Qt.SortOrder.DescendingOrder)
    p.view.scrollToBottom()
    QApplication.processEvents()
    assert p.view.rowAt(p.view.viewport().height() - 2) > n - 100
    assert p.model.index(0, Column.TIME).data() == "996 ms"


def test_big_selection_survives_sort_and_filter_quickly(qtbot) -> None:
    p = ResultsPanel()
    qtbot.addWidget(p)
    n = 20_000
    urls = [f"https://h{i % 13}.example/{i}" for i in range(n)]
    p.model.reset_run(urls)
    p.model.apply([], [ok(i, urls[i], ms=float((i * 7919) % 1000)) for i in range(n)])
    p.resize(900, 500)
    p.show()
    qtbot.waitExposed(p)
    sm = p.view.selectionModel()
    sm.select(QItemSelection(p.model.index(0, 0), p.model.index(9_999, len(Column) - 1)),
              QItemSelectionModel.SelectionFlag.Select)
    QApplication.processEvents()
    wanted = set(range(10_000))
    t0 = time.thread_time()
    p.model.sort(Column.TIME, Qt.SortOrder.DescendingOrder)
    QApplication.processEvents()
    assert set(p.view.selected_input_indices()) == wanted
    p.model.set_text_filter("h1.")  # hosts h1 only: a filter change (Qt would track every selected cell)
    QApplication.processEvents()
    cpu = time.thread_time() - t0
    assert set(p.view.selected_input_indices()) == {i for i in wanted if i % 13 == 1}
    p.model.set_text_filter("")  # rows hidden by the filter lost their selection (as with a proxy model)
    assert set(p.view.selected_input_indices()) == {i for i in wanted if i % 13 == 1}
    assert cpu < 2.0, cpu  # without parking the selection: ~4 s for the filter alone


@pytest.fixture(autouse=True)
def _default_columns() -> Iterator[None]:
    """Column choices persist in QSettings: every test starts from (and leaves) the defaults."""
    QSettings().remove(HIDDEN_COLUMNS_KEY)
    yield
    QSettings().remove(HIDDEN_COLUMNS_KEY)


def test_long_columns_hidden_by_default_and_the_choice_is_remembered(panel: ResultsPanel, qtbot) -> None:
    view = panel.view
    assert {c for c in Column if view.isColumnHidden(c)} == set(HIDDEN_BY_DEFAULT)
    menu = view.header_menu()
    next(a for a in menu.actions() if a.text() == "Content hash").setChecked(True)
    next(a for a in menu.actions() if a.text() == "Words").setChecked(False)
    again = ResultsPanel()
    qtbot.addWidget(again)
    hidden = {c for c in Column if again.view.isColumnHidden(c)}
    assert hidden == (set(HIDDEN_BY_DEFAULT) - {Column.CONTENT_HASH}) | {Column.WORDS}


def test_hidden_columns_and_header_state(panel: ResultsPanel, qtbot) -> None:
    view = panel.view
    menu = view.header_menu()
    next(a for a in menu.actions() if a.text() == "Links").setChecked(False)
    assert view.isColumnHidden(Column.LINKS)
    assert not next(a for a in menu.actions() if a.text() == "URL").isEnabled()
    select_inputs(panel, [0])
    assert view.selection_as_tsv().splitlines()[0] == (
        "#\tURL\tStatus\tTitle\tTime\tSize\tType\tError\tIndexability\tWords\threflang")
    view.sortByColumn(Column.SIZE, Qt.SortOrder.DescendingOrder)
    state = view.header_state()
    other = ResultsPanel()
    qtbot.addWidget(other)
    other.model.reset_run([panel.model.url(i) for i in range(3)])
    other.model.apply([], [ok(0, panel.model.url(0), size=5), ok(1, panel.model.url(1), size=50)])
    assert other.view.restore_header_state(state)
    assert other.view.isColumnHidden(Column.LINKS)
    assert [other.model.input_index_of(r) for r in range(3)] == [1, 0, 2]


def test_changes_outside_the_viewport_do_not_repaint_it(qtbot) -> None:
    from PySide6.QtCore import QEvent, QObject

    class PaintCounter(QObject):
        count = 0

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                PaintCounter.count += 1
            return False

    p = ResultsPanel()
    qtbot.addWidget(p)
    urls = [f"https://h.example/{i}" for i in range(2000)]
    p.model.reset_run(urls)
    p.resize(1000, 500)
    p.show()
    qtbot.waitExposed(p)
    counter = PaintCounter()
    p.view.viewport().installEventFilter(counter)
    QApplication.processEvents()
    PaintCounter.count = 0
    # Progress for rows far below the visible ones: nothing on screen changes.
    p.model.apply([Progress(i, RowState.CONNECTING, 1.0) for i in range(1500, 1600)], [])
    QApplication.processEvents()
    assert PaintCounter.count == 0
    p.model.apply([Progress(i, RowState.CONNECTING, 1.0) for i in range(0, 5)], [])
    QApplication.processEvents()
    assert PaintCounter.count >= 1
    assert p.view.rowAt(0) == 0


def test_row_count_stays_off_the_right_edge(panel: ResultsPanel, qtbot) -> None:
    """The "N of M shown" label keeps its whole text and a margin before the panel's (the window's) edge."""
    panel.resize(700, 300)
    panel.show()
    qtbot.waitExposed(panel)
    label = panel.count_label
    text_width = label.fontMetrics().horizontalAdvance(label.text())
    assert label.contentsRect().width() >= text_width
    right = label.mapTo(panel, label.contentsRect().topRight()).x()
    assert right <= panel.width() - 4
