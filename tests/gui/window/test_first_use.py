"""The window as a new user meets it: fresh home folder, first export, closing mid-run, empty input."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from core.cli.report import list_runs
from core.store import Journal
from gui.app.settings import AppSettings
from gui.app.vocabulary import run_kind_label, run_status_label
from gui.history.model import kind_text
from gui.window.main_window import MainWindow
from gui.window.resume_prompt import _latest_if_interrupted
from tests.gui.conftest import visible_dialog, wait_for_dialog, wait_until
from tests.gui.window.test_window import run_urls

pytestmark = pytest.mark.gui


def test_default_folders_exist_on_a_fresh_account(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DOCUMENTS_DIR", raising=False)
    store = AppSettings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    assert store.export_folder() == store.open_folder() == str(home)  # no ~/Documents: home, not a phantom
    (home / "Documents").mkdir()
    assert store.export_folder() == str(home / "Documents")
    gone = home / "gone"
    gone.mkdir()
    store.set_export_folder(str(gone))
    assert store.export_folder() == str(gone)
    gone.rmdir()
    assert store.export_folder() == str(home / "Documents")


def test_a_failed_export_says_where_and_why(window: MainWindow, loop: asyncio.AbstractEventLoop, testbed: Any,
                                           tmp_path: Path) -> None:
    run_urls(window, loop, [f"{testbed.url}/page/1"])
    target = tmp_path / "missing" / "x.csv"
    assert loop.run_until_complete(window.files.export(path=str(target))) is None
    box = visible_dialog(QMessageBox)
    assert box is not None
    text = box.text()
    box.close()
    assert "was not saved" in text and f"{target.parent}: the folder does not exist" in text


async def _start_slow_run(window: MainWindow, testbed: Any, fast: int = 3, slow: int = 4,
                          latency_ms: int = 5000) -> asyncio.Task[Any]:
    urls = [f"{testbed.url}/page/{i}?size=500" for i in range(fast)]
    urls += [f"{testbed.url}/page/{100 + i}?latency={latency_ms}" for i in range(slow)]
    window.run_panel.concurrency.setValue(fast + slow)
    await window.url_panel.set_text("\n".join(urls))
    task = await window.start_run()
    assert task is not None
    model = window.results_panel.model
    await wait_until(lambda: sum(r is not None for r in model.results()) >= fast, window.controller.updated)
    return task


def _closed(window: MainWindow) -> asyncio.Future[None]:
    """A future set when the window emits ``closing`` (connected now: ``close()`` may emit at once)."""
    future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    window.closing.connect(lambda: future.done() or future.set_result(None))
    return future


async def _answer_close(window: MainWindow, button_text: str) -> str:
    window.close()
    box = await wait_for_dialog(QMessageBox)
    assert box.objectName() == "closeDuringRun"
    [button] = [b for b in box.buttons() if b.text() == button_text]
    text = box.text()
    button.click()
    return text


def test_closing_mid_run_asks_and_a_run_cut_short_by_closing_is_offered_for_resume(
        jwindow: MainWindow, loop: asyncio.AbstractEventLoop, testbed: Any, journal: Journal) -> None:
    async def scenario() -> Any:
        task = await _start_slow_run(jwindow, testbed)
        assert "3 of 7 URLs are done" in await _answer_close(jwindow, "Cancel")
        assert jwindow.isVisible() and jwindow.controller.running  # cancel: nothing happened
        closed = _closed(jwindow)
        await _answer_close(jwindow, "Stop and quit")
        await asyncio.wait_for(closed, 5)
        await jwindow.shutdown()  # what the runtime does once the window closed
        return await asyncio.wait_for(task, 5)

    summary = loop.run_until_complete(scenario())
    assert summary.interrupted
    run_id = jwindow.journal.run_id
    info = journal.run_info(run_id)
    assert (info.status, info.done, info.total) == ("interrupted", 3, 7)
    assert [r.id for r in journal.interrupted_runs()] == [run_id]
    assert _latest_if_interrupted(journal.path) == info  # the next start offers it


def test_quit_when_done_closes_after_the_run(jwindow: MainWindow, loop: asyncio.AbstractEventLoop,
                                             testbed: Any, journal: Journal) -> None:
    async def scenario() -> Any:
        task = await _start_slow_run(jwindow, testbed, slow=2, latency_ms=1500)
        closed = _closed(jwindow)
        await _answer_close(jwindow, "Quit when done")
        assert jwindow.isVisible() and jwindow.controller.running
        await asyncio.wait_for(closed, 10)
        assert task.done()  # closed because the run ended, not before
        return task.result()

    summary = loop.run_until_complete(scenario())
    assert not summary.interrupted
    assert journal.run_info(jwindow.journal.run_id).status == "finished"


def test_stopped_is_not_interrupted(jwindow: MainWindow, loop: asyncio.AbstractEventLoop, testbed: Any,
                                    journal: Journal) -> None:
    async def scenario() -> Any:
        task = await _start_slow_run(jwindow, testbed)
        QTest.keyClick(jwindow, Qt.Key.Key_Escape)  # the Stop shortcut
        return await asyncio.wait_for(task, 5)

    summary = loop.run_until_complete(scenario())
    assert summary.interrupted and "stopped" in jwindow.run_panel.progress.text()
    info = journal.run_info(jwindow.journal.run_id)
    assert info.status == "stopped" and info.resumable  # Resume stays in the history ...
    assert journal.interrupted_runs() == [] and _latest_if_interrupted(journal.path) is None  # ... not at start
    assert run_status_label(info.status) == "stopped"
    assert kind_text(info) == run_kind_label("run") == "run"  # the word --list-runs prints
    assert f"  {'run':<7}  {'stopped':<11}" in list_runs(journal)


def test_only_invalid_lines_is_nothing_to_fetch(window: MainWindow, loop: asyncio.AbstractEventLoop) -> None:
    async def scenario() -> Any:
        await window.url_panel.set_text("# my list\nnot a url\nhtp:/broken\n")
        return await window.start_run(), await window.open_compare()

    assert loop.run_until_complete(scenario()) == (None, None)
    assert not window.controller.running and window.controller.summary is None
    assert window.statusBar().currentMessage() == "Nothing to fetch: none of the 2 lines is a valid URL"
    assert window.summary.latency.value.text() == "–"  # no "0 ms / 0 ms"


def test_a_summary_without_data_shows_dashes(window: MainWindow) -> None:
    from core.model import ErrorKind, FetchResult, Mode
    from core.run.stats import summarise

    cancelled = FetchResult(0, "https://a.example/", Mode.ASYNC, error_kind=ErrorKind.CANCELLED, error="stopped")
    window.summary.show_summary(summarise(Mode.ASYNC, [cancelled], 0.2, interrupted=True), 3.0, 2.0)
    tiles = window.summary
    assert [t.value.text() for t in (tiles.concurrency, tiles.latency, tiles.rate)] == ["–", "– / –", "–"]


def test_counts_speak_in_singular_and_plural(window: MainWindow, loop: asyncio.AbstractEventLoop) -> None:
    async def counts(text: str) -> tuple[str, str]:
        await window.url_panel.set_text(text)
        await window.url_panel.wait_counted()
        return window.url_panel.counts_label.text(), window.status_counts.text()

    label, status = loop.run_until_complete(counts("https://a.example/\nhttps://a.example/"))
    assert "1 duplicate" in label and "duplicates" not in label and status == "2 lines"
    label, status = loop.run_until_complete(counts("https://a.example/\n" * 3))
    assert "2 duplicates" in label and status == "3 lines"
    _label, status = loop.run_until_complete(counts("https://a.example/"))
    assert status == "1 line"


def test_one_numbering_table_editor_and_csv(window: MainWindow, loop: asyncio.AbstractEventLoop, testbed: Any,
                                            tmp_path: Path) -> None:
    import csv

    from gui.results.rows import Column

    text = f"# my list\n{testbed.url}/page/1\n\n{testbed.url}/page/2\nnot a url\n"
    run_urls(window, loop, [line for line in text.splitlines()])
    model = window.results_panel.model
    shown = [model.index(r, Column.INDEX).data() for r in range(model.rowCount())]
    editor_lines = [n + 1 for n, line in enumerate(window.url_panel.text().splitlines())
                    if line.strip() and not line.startswith("#")]
    assert shown == [str(n) for n in editor_lines] == ["2", "4", "5"]
    out = tmp_path / "out.csv"
    assert loop.run_until_complete(window.files.export(path=str(out))) == str(out)
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["input_index"], r["line"]) for r in rows] == [("0", "2"), ("1", "4"), ("2", "5")]


def test_concurrency_shows_1_in_sync_and_keeps_the_setting(window: MainWindow) -> None:
    from core.model import Mode

    rp = window.run_panel
    rp.set_mode(Mode.ASYNC)
    rp.concurrency.setValue(37)
    rp.set_mode(Mode.SYNC)
    assert rp.concurrency.value() == 1 and not rp.concurrency.isEnabled()
    assert window.current_settings().concurrency == 37 and window.store.run_settings().concurrency == 37
    rp.set_mode(Mode.THREADS)
    assert rp.concurrency.value() == 37 and rp.concurrency.isEnabled()


async def _answered(action: Any, text: str) -> Any:
    """Run ``action`` (a coroutine), answer its "replace the URLs?" question with ``text``, return its result."""
    task = asyncio.ensure_future(action)  # starts after the dialog watcher below is in place
    box = await wait_for_dialog(QMessageBox)
    assert box.objectName() == "replaceUrls" and "2 lines you typed or pasted" in box.text()
    [button] = [b for b in box.buttons() if b.text() == text]
    button.click()
    return await asyncio.wait_for(task, 10)


def test_demo_and_open_ask_before_replacing_typed_text(window: MainWindow, loop: asyncio.AbstractEventLoop,
                                                       tmp_path: Path) -> None:
    typed = "https://mine.example/1\nhttps://mine.example/2"
    listed = tmp_path / "list.txt"
    listed.write_text("https://file.example/\n")

    async def scenario() -> None:
        window.url_panel.edit.setPlainText(typed)  # as if typed: the document is modified
        window.url_panel.edit.document().setModified(True)
        assert not await _answered(window.files.load_files([str(listed)]), "Cancel")
        assert window.url_panel.text() == typed
        await _answered(window.try_demo(), "Cancel")  # F1
        assert window.url_panel.text() == typed
        assert await _answered(window.files.load_files([str(listed)]), "Replace")
        assert window.url_panel.text() == "https://file.example/"
        assert await window.files.load_files([str(listed)])  # a file's text is not the user's own: no question

    loop.run_until_complete(scenario())


def test_the_url_box_is_restored_on_restart(qtbot: Any, loop: asyncio.AbstractEventLoop, extractor: Any,
                                            settings_store: Any) -> None:
    first = MainWindow(extractor, settings_store)
    qtbot.addWidget(first)
    loop.run_until_complete(first.url_panel.set_text("https://kept.example/a\nnot yet a url"))
    first.close()
    loop.run_until_complete(first.shutdown())
    second = MainWindow(extractor, settings_store)
    qtbot.addWidget(second)
    try:
        loop.run_until_complete(second.restore_url_box())
        assert second.url_panel.text() == "https://kept.example/a\nnot yet a url"
        assert second.url_panel.holds_own_text()  # so F1 or Open asks before replacing it
    finally:
        loop.run_until_complete(second.shutdown())


def test_a_retry_is_measured_on_its_own_clock(window: MainWindow, loop: asyncio.AbstractEventLoop,
                                              testbed: Any) -> None:
    from core.model import Mode

    window.run_panel.set_mode(Mode.SYNC)
    urls = [f"{testbed.url}/page/{i}?latency=150" for i in range(4)]
    run_urls(window, loop, urls)
    task = window.retry([3])
    assert task is not None
    summary = loop.run_until_complete(task)
    retried = window.results_panel.model.result(3)
    assert retried is not None
    assert summary.ok == 4  # the batch's outcome counts every row ...
    assert summary.p50_ms == pytest.approx(retried.timings.elapsed_ms, abs=0.01)  # ... times only this run's
    assert summary.effective_concurrency is not None and summary.effective_concurrency <= 1.05  # sync: one at a time
    timeline = window.timeline.model
    assert timeline.kept == frozenset({0, 1, 2}) and len(timeline.intervals()) == 1
