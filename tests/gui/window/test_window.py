"""The main window end to end against the local test bed: run, stop, export, retry, settings."""

from __future__ import annotations

import asyncio
import csv
import gc
import logging
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QToolButton

from core.model import ErrorKind, Mode, RowState
from gui.results.rows import Column
from gui.window.main_window import MainWindow
from tests.gui.conftest import wait_signal, wait_until

pytestmark = pytest.mark.gui


def run_urls(window: MainWindow, loop: asyncio.AbstractEventLoop, urls: list[str]) -> Any:
    async def scenario() -> Any:
        await window.url_panel.set_text("\n".join(urls))
        task = await window.start_run()
        assert task is not None
        return await task

    return loop.run_until_complete(scenario())


def test_full_run_progress_and_table_agree(window: MainWindow, loop: asyncio.AbstractEventLoop, testbed: Any) -> None:
    urls = [f"{testbed.url}/page/{i}?size=3000" for i in range(40)]
    urls += [f"{testbed.url}/status/404", "not a url", f"{testbed.url}/page/3?size=3000"]
    window.run_panel.set_mode(Mode.ASYNC)
    window.run_panel.concurrency.setValue(8)
    summary = run_urls(window, loop, urls)

    model = window.results_panel.model
    results = model.results()
    assert summary.urls == len(urls) == model.rowCount() == len(results)
    assert all(r is not None for r in results)
    assert [r.input_index for r in results] == list(range(len(urls)))
    assert summary.ok == sum(r.ok for r in results) == 41  # 40 pages + the repeated one
    assert results[40].status_code == 404 and results[40].error_kind is ErrorKind.HTTP_ERROR
    assert results[41].error_kind is ErrorKind.INVALID_URL
    assert results[42].duplicate_of == 3
    assert results == window.controller.run.results
    bar = window.run_panel.progress
    assert bar.maximum() == len(urls) and bar.value() == len(urls)
    assert bar.text().startswith(f"{len(urls)} / {len(urls)}")
    assert window.run_panel.start_button.isEnabled() and not window.run_panel.stop_button.isEnabled()
    assert "stall" in window.summary.stall_text
    assert window.controller.stall.stats.samples > 0
    assert window.summary.counts.value.text() == "41 / 2"


def test_stop_keeps_finished_rows(window: MainWindow, loop: asyncio.AbstractEventLoop, testbed: Any) -> None:
    fast = [f"{testbed.url}/page/{i}?size=1000" for i in range(6)]
    slow = [f"{testbed.url}/page/{100 + i}?latency=2000" for i in range(6)]
    window.run_panel.concurrency.setValue(12)
    model = window.results_panel.model

    async def scenario() -> Any:
        await window.url_panel.set_text("\n".join(fast + slow))
        task = await window.start_run()
        assert task is not None
        await wait_until(lambda: sum(1 for r in model.results() if r is not None and r.ok) >= len(fast),
                         window.controller.updated)
        QTest.keyClick(window, Qt.Key.Key_Escape)  # the Stop shortcut
        return await asyncio.wait_for(task, 5)

    summary = loop.run_until_complete(scenario())
    assert summary.interrupted
    assert summary.wall_s < 2.0  # stopped before the slow pages answered
    results = model.results()
    assert all(r is not None and r.ok for r in results[: len(fast)])
    assert all(r is not None and r.error_kind is ErrorKind.CANCELLED for r in results[len(fast):])
    assert [model.state(i) for i in range(len(fast))] == [RowState.DONE] * len(fast)
    assert "stopped" in window.run_panel.progress.text()
    assert window.run_panel.start_button.isEnabled()


def test_export_all_and_filtered(window: MainWindow, loop: asyncio.AbstractEventLoop, testbed: Any,
                                 tmp_path: Path) -> None:
    from gui.results.rows import QuickFilter

    urls = [f"{testbed.url}/page/{i}?size=1500" for i in range(5)] + [f"{testbed.url}/status/500"]
    run_urls(window, loop, urls)
    everything = tmp_path / "all.csv"
    assert loop.run_until_complete(window.files.export(path=str(everything))) == str(everything)
    with everything.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["url"] for r in rows] == urls
    assert [r["ok"] for r in rows] == ["true"] * 5 + ["false"]
    assert rows[5]["status_code"] == "500"
    assert everything.read_bytes().startswith(b"\xef\xbb\xbf")
    assert window.store.export_folder() == str(tmp_path)

    button = window.findChild(QToolButton, "exportButton")
    assert button is not None and button.isEnabled() and button.menu() is not None

    window.results_panel.set_quick_filter(QuickFilter.FAILED)
    failed = tmp_path / "failed.csv"
    loop.run_until_complete(window.files.export(only_visible=True, path=str(failed)))
    with failed.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["url"] for r in rows] == [urls[5]]


def test_big_export_shows_progress_in_a_bar_off_the_gui_thread(window: MainWindow, loop: asyncio.AbstractEventLoop,
                                                                tmp_path: Path) -> None:
    """20,000 rows to Excel: the status bar's bar climbs to the total, the GUI thread keeps serving
    timers while the file is written, and the bar is hidden again afterwards."""
    import threading

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QProgressBar

    from core.model import FetchResult

    n = 20_000
    results = [FetchResult(i, f"http://example.test/{i}", Mode.ASYNC, ok=True, status_code=200) for i in range(n)]
    model = window.results_panel.model
    model.reset_run([r.url for r in results])
    model.apply([], results)
    bar = window.findChild(QProgressBar, "exportProgress")
    assert bar is not None and not bar.isVisible()
    values: list[tuple[int, int, bool]] = []
    bar.valueChanged.connect(lambda v: values.append((v, bar.maximum(), bar.isVisible())))
    gui_thread = threading.get_ident()
    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(threading.get_ident()))
    timer.start()
    out = tmp_path / "big.xlsx"
    try:
        assert loop.run_until_complete(window.files.export(path=str(out))) == str(out)
    finally:
        timer.stop()
    assert out.stat().st_size > 0
    assert values[-1] == (n, n, True)
    assert any(0 < v < n for v, _m, _vis in values)  # intermediate steps, not just 0 and done
    assert len(ticks) >= 3 and set(ticks) == {gui_thread}  # the GUI thread's loop ran during the export
    assert not bar.isVisible()


@pytest.mark.slow
@pytest.mark.timeout(600)  # writing 60,000 results as a run does takes a while on a loaded machine
def test_a_paged_run_exports_from_the_journal_in_input_order_without_holding_it(
        window: MainWindow, loop: asyncio.AbstractEventLoop, tmp_path: Path) -> None:
    """60,000 rows (above ResultsModel.PAGED_ABOVE: the table reads them from the journal): the export
    reads them in input order as it writes, so its peak memory is far below the rows' (~1 KB each)."""
    import tracemalloc

    from core.model import FetchResult, PageInfo, Timings
    from core.settings import Settings
    from core.store import Journal, JournalWriter

    n = 60_000
    lines = [f"http://example.test/page/{i}" for i in range(n)]
    lines.insert(10, "# not a row")

    def fetched(i: int, title: str) -> FetchResult:
        url = f"http://example.test/page/{i}"
        return FetchResult(i, url, Mode.ASYNC, final_url=url, ok=True, status_code=200, content_type="text/html",
                           bytes=1000 + i, page=PageInfo(title=title, meta_description="d" * 200), attempts=1,
                           timings=Timings(started_ms=i * 0.1, wait_ms=3.0, finished_ms=i * 0.1 + 5.0))

    journal = Journal(tmp_path / "journal.sqlite3")
    try:
        run_id = journal.create_run(lines, Settings(), n)
        writer = JournalWriter(journal, run_id)
        for i in range(n):
            writer.on_result(fetched(i, f"Page {i}"))
        writer.close()
        model = window.results_panel.model
        assert n > model.PAGED_ABOVE
        model.reset_run(journal.input_urls(run_id, n), journal.input_lines(run_id, n), journal=(journal.path, run_id))
        loop.run_until_complete(asyncio.wait_for(model.wait_ordered(), 120))
        assert model.paged() is not None
        model.apply([], [fetched(5, "applied, not in the journal yet")])  # the table's newer row wins
        out = tmp_path / "all.csv"
        tracemalloc.start()
        try:
            assert loop.run_until_complete(window.files.export(path=str(out))) == str(out)
            _now, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak < 30 * 2**20, f"peak {peak / 2**20:.0f} MB"  # the rows held: 60 MB and more
        with out.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert [int(r["input_index"]) for r in rows] == list(range(n))
        assert [r["line"] for r in rows[9:12]] == ["10", "12", "13"]  # the comment's line is skipped
        assert rows[5]["title"] == "applied, not in the journal yet" and rows[n - 1]["title"] == f"Page {n - 1}"

        # Only the rows a filter shows: read from the journal by the writing thread too, in input order.
        model.sort(Column.TIME, Qt.SortOrder.DescendingOrder)
        model.set_text_filter("example.test/page/59")
        loop.run_until_complete(asyncio.wait_for(model.wait_ordered(), 120))
        expect = [i for i in range(n) if f"/page/{i}".startswith("/page/59")]
        assert model.rowCount() == len(expect) == 1111
        shown = tmp_path / "shown.csv"
        assert loop.run_until_complete(window.files.export(only_visible=True, path=str(shown))) == str(shown)
        with shown.open(encoding="utf-8-sig", newline="") as fh:
            assert [int(r["input_index"]) for r in csv.DictReader(fh)] == expect
    finally:
        journal.close()


def test_export_type_chosen_in_the_dialog_sets_the_format(window: MainWindow, loop: asyncio.AbstractEventLoop,
                                                           testbed: Any, tmp_path: Path) -> None:
    """Choosing "Excel workbook" in the save dialog (the keyboard on its type box) renames the suggested
    .csv to .xlsx, and an Excel file is written, not a CSV under the name the user did not choose."""
    from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog

    run_urls(window, loop, [f"{testbed.url}/page/1"])
    window.store.set_export_folder(str(tmp_path))

    async def scenario() -> str | None:
        def open_dialog() -> QFileDialog | None:
            return next((w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog) and w.isVisible()),
                        None)

        app = QApplication.instance()
        assert isinstance(app, QApplication)
        task = asyncio.ensure_future(window.files.export())
        await wait_until(lambda: open_dialog() is not None, app.focusChanged, timeout=10)  # the dialog takes focus
        dialog = open_dialog()
        assert dialog is not None
        types = dialog.findChild(QComboBox, "fileTypeCombo")
        assert types is not None and types.count() == 3
        types.setFocus()
        QTest.keyClick(types, Qt.Key.Key_Down)
        QTest.keyClick(types, Qt.Key.Key_Down)
        assert dialog.selectedNameFilter().endswith("(*.xlsx)")
        assert dialog.selectedFiles()[0].endswith(".xlsx")
        dialog.accept()
        return await asyncio.wait_for(task, 30)

    written = loop.run_until_complete(scenario())
    assert written is not None and written.endswith(".xlsx")
    assert Path(written).read_bytes()[:2] == b"PK"  # a zip: the workbook, not CSV text


def test_export_error_is_shown_not_raised(window: MainWindow, loop: asyncio.AbstractEventLoop, testbed: Any,
                                          tmp_path: Path) -> None:
    run_urls(window, loop, [f"{testbed.url}/page/1"])
    assert loop.run_until_complete(window.files.export(path=str(tmp_path / "missing" / "x.csv"))) is None


def test_retry_fetches_only_the_chosen_rows(window: MainWindow, loop: asyncio.AbstractEventLoop,
                                           testbed: Any) -> None:
    urls = [f"{testbed.url}/page/{i}?size=1000" for i in range(4)]
    run_urls(window, loop, urls)
    before = window.results_panel.model.results()

    async def scenario() -> Any:
        window.results_panel.retry_requested.emit([2])
        (summary,) = await wait_signal(window.controller.finished, 20)
        return summary

    summary = loop.run_until_complete(scenario())
    after = window.results_panel.model.results()
    assert summary.urls == 4 and summary.ok == 4
    assert [after[i] for i in (0, 1, 3)] == [before[i] for i in (0, 1, 3)]  # kept, not fetched again
    assert after[2] is not None and after[2].ok and after[2] is not before[2]


def test_start_shortcut_and_empty_box(window: MainWindow, loop: asyncio.AbstractEventLoop, testbed: Any) -> None:
    async def scenario() -> Any:
        assert await window.start_run() is None  # nothing to fetch: no run, a hint instead
        await window.url_panel.set_text(f"{testbed.url}/page/7")
        window.url_panel.edit.setFocus()
        QTest.keyClick(window.url_panel.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        (summary,) = await wait_signal(window.controller.finished, 20)
        return summary

    summary = loop.run_until_complete(scenario())
    assert summary.ok == 1
    assert window.url_panel.text() == f"{testbed.url}/page/7"  # Ctrl+Enter did not insert a line


def test_selection_follows_between_table_and_timeline(window: MainWindow, loop: asyncio.AbstractEventLoop,
                                                      testbed: Any) -> None:
    run_urls(window, loop, [f"{testbed.url}/page/{i}" for i in range(5)])
    seen: list[int] = []
    window.results_panel.current_changed.connect(seen.append)
    window.timeline.selected.emit(3)  # a click on the fourth bar
    view = window.results_panel.view
    assert window.results_panel.model.input_index_of(view.currentIndex().row()) == 3
    window.results_panel.select_input_index(1)
    assert window.results_panel.model.input_index_of(view.currentIndex().row()) == 1


def test_settings_remembered_and_restored(qtbot: Any, loop: asyncio.AbstractEventLoop, extractor: Any,
                                         settings_store: Any) -> None:
    from gui.window.settings_dialog import SettingsDialog

    first = MainWindow(extractor, settings_store)
    qtbot.addWidget(first)
    first.run_panel.set_mode(Mode.THREADS)
    first.run_panel.concurrency.setValue(17)
    dialog = SettingsDialog(first.current_settings(), first)
    dialog.retries.setValue(3)
    dialog.verify_tls.setChecked(False)
    dialog.accept()
    first.apply_settings(dialog.settings())
    first.close()

    second = MainWindow(extractor, settings_store)
    qtbot.addWidget(second)
    s = second.current_settings()
    assert (s.mode, s.concurrency, s.retries, s.verify_tls) == (Mode.THREADS, 17, 3, False)
    assert second.run_panel.mode_help.text() and "thread" in second.run_panel.mode_help.text().lower()

    dialog = SettingsDialog(s, second)
    dialog.restore_defaults()
    dialog.accept()
    second.apply_settings(dialog.settings())
    defaults = second.current_settings()
    assert (defaults.mode, defaults.concurrency, defaults.retries, defaults.verify_tls) == (Mode.ASYNC, 50, 1, True)


def test_close_during_run_shuts_down_cleanly(qtbot: Any, loop: asyncio.AbstractEventLoop, extractor: Any,
                                            settings_store: Any, testbed: Any, caplog: pytest.LogCaptureFixture,
                                            capfd: pytest.CaptureFixture[str]) -> None:
    caplog.set_level(logging.DEBUG, logger="asyncio")
    win = MainWindow(extractor, settings_store)
    qtbot.addWidget(win)
    win.show()
    urls = [f"{testbed.url}/page/{i}?latency=3000" for i in range(20)]

    async def scenario() -> None:
        closing = asyncio.get_running_loop().create_future()
        win.closing.connect(lambda: closing.done() or closing.set_result(None))
        await win.url_panel.set_text("\n".join(urls))
        task = await win.start_run()
        assert task is not None
        await wait_until(lambda: win.controller.now_ms() > 200, win.controller.clock)
        win.close_now()  # as when the user confirmed "Stop and quit" (test_first_use asks)
        await asyncio.wait_for(closing, 5)
        await asyncio.wait_for(win.shutdown(), 10)
        assert task.done() and not win.controller.running

    loop.run_until_complete(scenario())
    gc.collect()
    summary = win.controller.summary
    assert summary is not None and summary.interrupted and summary.cancelled == len(urls)
    assert not [t for t in asyncio.all_tasks(loop) if not t.done()]
    _out, err = capfd.readouterr()
    for text in (caplog.text, err):
        assert "Task was destroyed" not in text
        assert "Event loop is closed" not in text
        assert "Unclosed" not in text


def test_window_layout_is_restored(qtbot: Any, loop: asyncio.AbstractEventLoop, extractor: Any,
                                   settings_store: Any) -> None:
    first = MainWindow(extractor, settings_store)
    qtbot.addWidget(first)
    first.show()
    first.resize(960, 650)  # the offscreen screen is 800 px wide: wider windows are clamped on restore
    first.main_splitter.setSizes([300, 660])
    first.right_splitter.setSizes([200, 300])
    sizes = first.main_splitter.sizes(), first.right_splitter.sizes()
    first.close()  # saves the state

    second = MainWindow(extractor, settings_store)
    qtbot.addWidget(second)
    second.show()
    assert second.size() == first.size()
    assert (second.main_splitter.sizes(), second.right_splitter.sizes()) == sizes


def test_widgets_have_their_object_names_and_tooltips(window: MainWindow) -> None:
    from PySide6.QtWidgets import QWidget

    for name in ("urlInput", "modeSelector", "concurrencyInput", "startButton", "stopButton", "overallProgress",
                 "resultsView", "exportButton", "timelineView", "summaryPanel"):
        widget = window.findChild(QWidget, name)
        assert widget is not None, name
    for name in ("urlInput", "modeSelector", "concurrencyInput", "startButton", "stopButton", "overallProgress",
                 "exportButton"):
        assert window.findChild(QWidget, name).toolTip(), name
    menus = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert menus == ["File", "Run", "Help"]


def test_distribution_tab_shows_per_url_times(window: MainWindow, loop: asyncio.AbstractEventLoop,
                                              testbed: Any) -> None:
    urls = [f"{testbed.url}/page/{i}?latency={20 * i}" for i in range(10)] + ["not a url"]
    run_urls(window, loop, urls)
    window.lower_tabs.setCurrentWidget(window.histogram)
    values = window.histogram.values()
    assert len(values) == 10  # the invalid line was never fetched
    p = window.histogram.percentiles()
    assert p[50] <= p[95] <= p[99] and p[99] >= 180
    assert window.findChild(type(window.timeline), "timelineView") is window.timeline
