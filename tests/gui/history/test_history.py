"""The history window and the resume prompt over a real journal (runs made against the test bed)."""

from __future__ import annotations

import asyncio
import csv
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton

from core.export import COLUMNS
from core.model import ErrorKind, FetchResult, Mode, PageInfo, Timings
from core.parse.pool import Extractor
from core.run.engine import Run
from core.run.observer import MultiObserver, Recorder
from core.run.recording import JournalTarget, Recording
from core.run.stats import summarise
from core.settings import Settings
from core.store import Journal, JournalWriter
from core.urls import parse_lines
from gui.history import parts as history_parts
from gui.history import window as history_window
from gui.history.model import Column, speedup
from gui.history.window import HistoryWindow
from gui.timeline.model import TimelineModel
from gui.window.resume_prompt import offer_resume, plan_resume, plan_retry_failed, resume_question
from tests.gui.conftest import wait_for_dialog, wait_signal

DEAD_PID = 2**22 + 12345  # no such process (pid_max is at most 2**22)


# -- helpers --------------------------------------------------------------------------------------
@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    j = Journal(tmp_path / "journal.sqlite3")
    yield j
    j.close()


@pytest.fixture
def history(qtbot: Any, loop: asyncio.AbstractEventLoop, journal: Journal) -> Iterator[HistoryWindow]:
    w = HistoryWindow(journal)
    qtbot.addWidget(w)
    yield w
    loop.run_until_complete(w.shutdown())


def record_run(loop: asyncio.AbstractEventLoop, journal: Journal, extractor: Extractor, lines: list[str],
               settings: Settings, only: list[int] | None = None) -> tuple[int, Run]:
    """A real run against the test bed, recorded through a JournalWriter."""
    run_id = journal.create_run(lines, settings, len(lines))
    run = Run(parse_lines(lines), settings, JournalWriter(journal, run_id), extractor=extractor, only=only)
    loop.run_until_complete(run.execute())
    return run_id, run


def fake_result(i: int, ok: bool = True, start_ms: float = 0.0, ms: float = 100.0) -> FetchResult:
    url = f"http://127.0.0.1:9/page/{i}"
    return FetchResult(i, url, Mode.ASYNC, final_url=url, status_code=200 if ok else 500, ok=ok,
                       error_kind=None if ok else ErrorKind.HTTP_ERROR, error="" if ok else "HTTP 500",
                       content_type="text/html", bytes=1000, page=PageInfo(title=f"Page {i}"), attempts=1,
                       timings=Timings(start_ms, 0.0, 1.0, 2.0, ms - 13.0, 8.0, 2.0, start_ms + ms))


def fake_run(journal: Journal, n: int, done: int | None = None, failed: int = 0, wall_s: float | None = 1.0,
             mode: Mode = Mode.ASYNC) -> int:
    """A run of ``n`` URLs written through a JournalWriter: ``done`` results (the first ``failed`` of them
    failed); finished with a summary when ``wall_s`` is given, else left as a crashed process's run."""
    lines = [f"http://127.0.0.1:9/page/{i}" for i in range(n)]
    run_id = journal.create_run(lines, Settings(mode=mode), n)
    writer = JournalWriter(journal, run_id)
    results: list[FetchResult | None] = [None] * n
    for i in range(n if done is None else done):
        results[i] = fake_result(i, ok=i >= failed, start_ms=i * 10.0)
        writer.on_result(results[i])  # type: ignore[arg-type]
    if wall_s is not None:
        writer.on_finish(summarise(mode, results, wall_s))
    else:
        writer.close()
        journal._db.execute("UPDATE runs SET pid=? WHERE id=?", (DEAD_PID, run_id))  # its process is gone
    return run_id


def cell(w: HistoryWindow, run_id: int, col: Column) -> str:
    row = w.model.row_of(run_id)
    assert row is not None
    return w.model.index(row, col).data()


# -- tests ----------------------------------------------------------------------------------------
def test_table_lists_runs_newest_first_with_counts(history: HistoryWindow, journal: Journal, qtbot: Any,
                                                   loop: asyncio.AbstractEventLoop, extractor: Extractor,
                                                   testbed: Any, qtmodeltester: Any) -> None:
    base = testbed.url
    a, _ = record_run(loop, journal, extractor, [f"{base}/page/{i}" for i in range(4)]
                      + [f"{base}/status/500", "not a url"], Settings(mode=Mode.ASYNC, retries=0))
    b, _ = record_run(loop, journal, extractor, [f"{base}/page/1", f"{base}/page/2"], Settings(mode=Mode.SYNC))
    c = fake_run(journal, 5, done=3, wall_s=None)

    async def shown() -> None:
        history.show()  # showing the window loads the list
        await wait_signal(history.refreshed)

    loop.run_until_complete(shown())
    assert [history.model.run(r).id for r in range(history.model.rowCount())] == [c, b, a]
    assert [cell(history, a, col) for col in (Column.ID, Column.MODE, Column.KIND, Column.STATUS, Column.URLS,
                                              Column.OK, Column.FAILED)] == [str(a), "Async", "run", "finished",
                                                                            "6", "4", "2"]
    assert cell(history, b, Column.MODE) == "Sync" and cell(history, b, Column.FAILED) == "0"
    assert cell(history, a, Column.WALL).endswith(("ms", "s")) and cell(history, c, Column.WALL) == "–"
    assert cell(history, c, Column.STATUS) == "interrupted" and cell(history, c, Column.OK) == "3"
    assert len(cell(history, a, Column.STARTED)) == len("2025-01-31 14:05:09")
    assert "Resume fetches only the 2 URLs" in history.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    qtmodeltester.check(history.model)
    history.model.sort(Column.URLS, Qt.SortOrder.AscendingOrder)
    assert [history.model.run(r).id for r in range(3)] == [b, c, a]
    history.model.sort(-1)  # sort indicator cleared: newest first again
    assert [history.model.run(r).id for r in range(3)] == [c, b, a]


def test_enter_opens_the_run_off_the_gui_thread(history: HistoryWindow, journal: Journal, qtbot: Any,
                                                loop: asyncio.AbstractEventLoop, extractor: Extractor,
                                                testbed: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    base = testbed.url
    lines = [f"{base}/page/{i}?size=1500" for i in range(3)] + [f"{base}/status/500", "not a url"]
    run_id, run = record_run(loop, journal, extractor, lines, Settings(retries=0))
    fake_run(journal, 2)  # another run, so the right one must be picked
    threads: list[str] = []
    real_load = history_window.load_run

    def spy(path: Any, rid: int, paged_above: int | None = None) -> Any:
        threads.append(threading.current_thread().name)
        return real_load(path, rid, paged_above)

    monkeypatch.setattr(history_window, "load_run", spy)
    monkeypatch.setattr(history_parts, "CHUNK", 2)  # five rows arrive in three slices

    async def scenario() -> tuple[Any, ...]:
        await history.refresh()
        assert history.select_run(run_id)
        qtbot.keyClick(history.view, Qt.Key.Key_Return)
        return await wait_signal(history.loaded)

    assert loop.run_until_complete(scenario()) == (run_id,)
    assert threads and threads[0] != threading.main_thread().name
    model = history.results_panel.model
    assert model.total_rows() == 5
    assert model.results() == run.results  # the very results the run produced, in input order
    assert [model.url(i) for i in range(5)][:3] == lines[:3]
    tl = history.timeline.model
    assert len(tl.rows) == 5 and all(tl.bar_span(i) is not None for i in range(5))
    assert all(tl.segments(i) for i in range(4))  # fetched rows have phase segments
    # Filled in slices, the timeline equals one loaded at once (what the compare window does).
    reference = TimelineModel()
    reference.load(history.opened.urls, run.results, history.opened.wall_ms)
    assert [tl.bar_span(i) for i in range(5)] == [reference.bar_span(i) for i in range(5)]
    assert (tl.extent_ms, tl.running) == (reference.extent_ms, False)
    assert history.stack.currentWidget() is history.detail
    assert f"Run #{run_id}" in history.detail.title.text()


def test_the_last_run_opened_wins(history: HistoryWindow, journal: Journal,
                                   loop: asyncio.AbstractEventLoop) -> None:
    first, second = fake_run(journal, 30), fake_run(journal, 4, failed=4)

    async def both() -> list[Any]:
        return list(await asyncio.gather(history.open_run(first), history.open_run(second)))

    older, newer = loop.run_until_complete(both())
    assert older is None and newer is not None and newer.info.id == second
    assert history.opened is newer and history.results_panel.model.total_rows() == 4
    assert loop.run_until_complete(history.open_run(999)) is None
    assert "Could not open run #999" in history.placeholder.text()


def test_export_writes_the_runs_csv(history: HistoryWindow, journal: Journal, loop: asyncio.AbstractEventLoop,
                                    tmp_path: Path) -> None:
    run_id = fake_run(journal, 4, failed=1)
    target = tmp_path / "direct.csv"
    assert loop.run_until_complete(history.export_results(run_id, str(target))) == str(target)
    rows = list(csv.DictReader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert tuple(rows[0]) == COLUMNS
    assert [r["input_index"] for r in rows] == ["0", "1", "2", "3"]
    assert [r["ok"] for r in rows] == ["false", "true", "true", "true"]
    assert "Exported 4 rows" in history.status.text()
    lines = tmp_path / "typed.jsonl"  # the extension picks the format, as in the main window
    assert loop.run_until_complete(history.export_results(run_id, str(lines))) == str(lines)
    records = [json.loads(line) for line in lines.read_text(encoding="utf-8").splitlines()]
    assert [r["input_index"] for r in records] == [0, 1, 2, 3] and [r["ok"] for r in records] == [False] + [True] * 3
    assert history.commands["export"].text() == "E&xport…"

    history.export_folder = str(tmp_path)

    async def through_the_dialog() -> str | None:
        await history.refresh()
        history.select_run(run_id)
        history.commands["export"].trigger()
        dialog = await wait_for_dialog(QFileDialog)
        chosen = Path(dialog.selectedFiles()[0])
        assert chosen.parent == tmp_path and chosen.name.endswith(f"-run{run_id}.csv")
        exported = asyncio.ensure_future(wait_signal(history.exported))
        dialog.accept()
        return (await exported)[0]

    chosen = loop.run_until_complete(through_the_dialog())
    assert Path(chosen).read_text(encoding="utf-8-sig").count("\n") == 5


def test_delete_asks_first_and_removes(history: HistoryWindow, journal: Journal, qtbot: Any,
                                       loop: asyncio.AbstractEventLoop) -> None:
    keep, first, second = fake_run(journal, 2), fake_run(journal, 3), fake_run(journal, 3)

    async def press_delete(delete: bool) -> str:
        qtbot.keyClick(history.view, Qt.Key.Key_Delete)
        box = await wait_for_dialog(QMessageBox)
        text = box.text()
        if delete:
            [button] = [b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole]
            refreshed = asyncio.ensure_future(wait_signal(history.refreshed))
            button.click()
            await refreshed
        else:
            box.button(QMessageBox.StandardButton.Cancel).click()
        return text

    async def scenario() -> None:
        await history.refresh()
        await history.open_run(second)
        history.select_run(first)
        history.select_run(second, add=True)
        assert "Delete 2 runs" in await press_delete(False)
        assert {r.id for r in journal.runs()} == {keep, first, second}
        assert "Delete 2 runs" in await press_delete(True)

    loop.run_until_complete(scenario())
    assert [r.id for r in journal.runs()] == [keep]
    assert history.model.rowCount() == 1
    assert history.opened is None and history.stack.currentWidget() is history.placeholder


def test_compare_two_runs_side_by_side(history: HistoryWindow, journal: Journal,
                                       loop: asyncio.AbstractEventLoop) -> None:
    slow = fake_run(journal, 10, failed=2, wall_s=4.0, mode=Mode.SYNC)
    fast = fake_run(journal, 10, failed=2, wall_s=1.0, mode=Mode.ASYNC)
    loop.run_until_complete(history.refresh())
    history.select_run(slow)
    assert not history.commands["compare"].isEnabled()
    history.select_run(fast, add=True)
    assert history.commands["compare"].isEnabled()
    history.commands["compare"].trigger()
    rows = {r.label: r for r in history.comparison.rows}
    assert (rows["Wall time"].a, rows["Wall time"].b, rows["Wall time"].note) == ("4.0 s", "1.0 s", "B 4.00× faster")
    assert (rows["Mode"].a, rows["Mode"].b) == ("Sync", "Async")
    assert (rows["OK"].a, rows["Failed"].b) == ("8", "2")
    assert rows["Pages per second"].note == "B 4.00× more"
    assert rows["p50 per URL"].a == "100 ms"
    assert history.stack.currentWidget() is history.comparison
    assert f"Run #{fast} (Async) took 1.0 s: 4.0× faster than run #{slow}" in history.comparison.headline.text()
    infos = {i.id: i for i in journal.runs()}
    assert speedup(infos[slow], infos[fast]) == pytest.approx(4.0)
    bigger = fake_run(journal, 20, wall_s=1.0)  # twice the URLs: wall times are not comparable, rates are
    loop.run_until_complete(history.refresh())
    history.select_run(slow)
    history.select_run(bigger, add=True)
    history.commands["compare"].trigger()
    assert (f"Run #{bigger} (Async) fetched 20.0 pages/s, 8.0× the rate of run #{slow} (Sync, 2.5 pages/s)"
            in history.comparison.headline.text())


def test_resume_and_retry_failed_signals(history: HistoryWindow, journal: Journal,
                                         loop: asyncio.AbstractEventLoop) -> None:
    with_failures = fake_run(journal, 4, failed=1)
    clean = fake_run(journal, 4)
    crashed = fake_run(journal, 5, done=3, failed=1, wall_s=None)
    loop.run_until_complete(history.refresh())
    resumed: list[int] = []
    retried: list[int] = []
    history.resume_requested.connect(resumed.append)
    history.retry_failed_requested.connect(retried.append)
    resume, retry = history.commands["resume"], history.commands["retry"]

    history.select_run(clean)
    assert not resume.isEnabled() and not retry.isEnabled()
    history.select_run(crashed)
    assert resume.isEnabled() and retry.isEnabled()
    history.findChild(QPushButton, "history_resumeButton").click()
    history.select_run(with_failures)
    assert not resume.isEnabled() and retry.isEnabled()
    retry.trigger()
    assert (resumed, retried) == ([crashed], [with_failures])
    history.set_run_active(True)  # the main window is busy: nothing else may start
    assert not retry.isEnabled()
    retry.trigger()
    assert retried == [with_failures]


def test_offer_resume_asks_about_the_interrupted_last_run(qtbot: Any, journal: Journal,
                                                          loop: asyncio.AbstractEventLoop) -> None:
    assert loop.run_until_complete(offer_resume(journal, None)) is None  # empty journal: no question
    crashed = fake_run(journal, 1000, done=312, wall_s=None)
    info = journal.run_info(crashed)
    assert resume_question(info).startswith("The last run was interrupted after 312 of ")

    async def answer(text: str) -> tuple[str, int | None]:
        task = asyncio.ensure_future(offer_resume(journal, None))
        box = await wait_for_dialog(QMessageBox)
        question = box.text()
        [button] = [b for b in box.buttons() if b.text() == text]
        button.click()
        return question, await asyncio.wait_for(task, 5)

    question, chosen = loop.run_until_complete(answer("Resume"))
    assert chosen == crashed
    assert question == resume_question(info) and "688" in question.replace(",", "").replace("\u00a0", "")
    assert loop.run_until_complete(answer("Not now"))[1] is None
    fake_run(journal, 2)  # a newer run: the old interrupted one is no longer offered at start-up
    assert loop.run_until_complete(offer_resume(journal, None)) is None
    assert [r.id for r in journal.interrupted_runs()] == [crashed]  # ... but still resumable from the history


def test_resume_fetches_only_missing_and_retry_only_failed(journal: Journal, loop: asyncio.AbstractEventLoop,
                                                           extractor: Extractor, testbed: Any) -> None:
    base = testbed.url
    lines = [f"{base}/page/{i}" for i in range(3)] + [f"{base}/status/500", "not a url", f"{base}/page/9"]
    # A run killed after its first four rows: results 0-3 committed, nothing else.
    run_id, _ = record_run(loop, journal, extractor, lines, Settings(retries=0), only=[0, 1, 2, 3])
    journal._db.execute("UPDATE runs SET status='running', finished_at=NULL, pid=? WHERE id=?", (DEAD_PID, run_id))
    assert journal.run_info(run_id).status == "interrupted"

    plan = loop.run_until_complete(plan_resume(journal, run_id))
    assert (plan.run_id, plan.kind, list(plan.keep), plan.to_fetch) == (run_id, "resume", [0, 1, 2, 3], 2)
    assert journal.run_info(run_id).status == "running"  # reopened by this process
    recorder = Recorder()
    # What the engine process does with the plan: record, and read the kept results from the journal.
    recording = Recording(JournalTarget(journal.path, plan.run_id, kept_from=plan.source_id, keep=plan.keep))
    resumed = Run(plan.batch, plan.settings, MultiObserver([recording.writer, recorder]),
                  extractor=extractor, prior=recording.kept)
    loop.run_until_complete(resumed.execute())
    recording.close()
    assert sorted(r.input_index for r in recorder.results) == list(range(6))  # kept rows are reported too
    assert {p.input_index for p in recorder.progress} == {5}  # only the URL without a result went out
    info = journal.run_info(run_id)
    assert (info.status, info.done, info.ok, info.failed) == ("finished", 6, 4, 2)
    assert journal.interrupted_runs() == []

    retry = loop.run_until_complete(plan_retry_failed(journal, run_id))
    assert retry.run_id != run_id and retry.kind == "retry"
    assert list(retry.keep) == [0, 1, 2, 4, 5]  # good rows and the invalid URL are kept
    recorder = Recorder()
    recording = Recording(JournalTarget(journal.path, retry.run_id, kept_from=retry.source_id, keep=retry.keep))
    loop.run_until_complete(Run(retry.batch, retry.settings, MultiObserver(
        [recording.writer, recorder]), extractor=extractor, prior=recording.kept).execute())
    recording.close()
    assert {p.input_index for p in recorder.progress} == {3}  # only the 500 was fetched again
    new = journal.run_info(retry.run_id)
    assert (new.kind, new.parent_id, new.status, new.done) == ("retry", run_id, "finished", 6)


def test_buttons_have_tooltips_and_names(history: HistoryWindow) -> None:
    assert history.objectName() == "historyWindow" and history.isWindow()
    buttons = history.findChildren(QPushButton)
    names = {b.objectName() for b in buttons if b.objectName().startswith("history_")}
    assert {f"history_{n}Button" for n in ("open", "export", "compare", "resume", "retry", "delete",
                                           "refresh")} <= names
    assert all(b.toolTip() for b in buttons if b.objectName().startswith("history_"))
    assert all(b.focusPolicy() & Qt.FocusPolicy.TabFocus for b in buttons)


def test_the_window_fits_the_screen_and_shows_a_dozen_runs(history: HistoryWindow,
                                                            loop: asyncio.AbstractEventLoop) -> None:
    async def shown() -> None:
        history.show()  # showing the window loads the list
        await wait_signal(history.refreshed)

    loop.run_until_complete(shown())
    screen = history.screen().availableGeometry()
    assert history.height() <= screen.height() and history.width() <= screen.width()
    row = history.view.verticalHeader().defaultSectionSize()
    assert history.view.viewport().height() >= 8 * row, history.splitter.sizes()  # not about 5 rows


def test_a_big_run_opens_paged_with_the_same_rows_and_bars(history: HistoryWindow, journal: Journal,
                                                            loop: asyncio.AbstractEventLoop, extractor: Extractor,
                                                            testbed: Any, monkeypatch: pytest.MonkeyPatch,
                                                            tmp_path: Path) -> None:
    from gui.results.model import ResultsModel

    lines = [f"{testbed.url}/page/{i}?size=1500" for i in range(6)] + [f"{testbed.url}/status/500", "not a url"]
    lines[3:3] = ["", "# a comment: not a row"]
    run_id, run = record_run(loop, journal, extractor, lines, Settings(retries=0))
    monkeypatch.setattr(ResultsModel, "PAGED_ABOVE", 3)  # above it, a run is read from the journal in pages
    opened = loop.run_until_complete(history.open_run(run_id))
    assert opened is not None and opened.paged and opened.results == []
    model = history.results_panel.model
    assert model.paged() is not None and model.total_rows() == 8
    assert list(model.results()) == run.results
    entries = parse_lines(lines).entries
    assert list(opened.urls) == [e.url or e.raw for e in entries]  # read from the journal's keys, not parsed
    assert list(model.line_numbers()) == [e.line for e in entries] == [1, 2, 3, 6, 7, 8, 9, 10]
    assert model.index(3, 0).data() == "6"  # the # column: the row's line in the input
    target = tmp_path / "paged.csv"
    assert loop.run_until_complete(history.export_results(run_id, str(target))) == str(target)
    exported = list(csv.DictReader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert [(r["input_index"], r["line"], r["url"]) for r in exported] == [
        (str(e.index), str(e.line), e.url or e.raw) for e in entries]
    assert model.quick_filter_counts()[model_quick("FAILED")] == 2
    tl = history.timeline.model
    reference = TimelineModel()
    reference.load(opened.urls, run.results, opened.wall_ms)
    assert [tl.segments(i) for i in range(8)] == [reference.segments(i) for i in range(8)]
    assert [tl.rows[i] for i in range(8)] == [reference.rows[i] for i in range(8)]
    assert (tl.extent_ms, tl.running) == (reference.extent_ms, False)


def model_quick(name: str) -> Any:
    from gui.results.rows import QuickFilter

    return QuickFilter[name]


def test_a_big_run_recorded_headless_opens_paged_with_its_keys_filled(
        history: HistoryWindow, journal: Journal, loop: asyncio.AbstractEventLoop,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line records no keys (JournalWriter(index_keys=False)): the URLs come from the input,
    the keys and the timeline's columns are written when the window opens the run."""
    from gui.results.model import ResultsModel

    lines = [f"http://127.0.0.1:9/page/{i}" for i in range(12)]
    run_id = journal.create_run(lines, Settings(), len(lines))
    writer = JournalWriter(journal, run_id, index_keys=False)
    results = [fake_result(i, ok=i % 4 != 1, start_ms=i * 10.0) for i in range(10)]  # the last two: no result
    for r in results:
        writer.on_result(r)
    writer.close()
    monkeypatch.setattr(ResultsModel, "PAGED_ABOVE", 3)
    opened = loop.run_until_complete(history.open_run(run_id))
    assert opened is not None and opened.paged and list(opened.urls) == lines
    assert journal.fill_index(run_id) == 0  # filled by the window
    tl = history.timeline.model
    reference = TimelineModel()
    reference.load(lines, results, opened.wall_ms)
    assert [tl.segments(i) for i in range(12)] == [reference.segments(i) for i in range(12)]
    assert list(tl.rows) == list(reference.rows) and tl.rows[5].failed and not tl.segments(11)
