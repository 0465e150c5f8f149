"""The window's runs are recorded by the engine process (core/run/recording.py): no journal writer thread in
the window, stop and close recorded apart, and resumes and retries that send no earlier results down the pipe."""

from __future__ import annotations

import asyncio
import csv
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from core.model import FetchResult, Mode
from core.run.engine import Run
from core.run.recording import JournalTarget
from core.settings import Settings
from core.store import Journal, JournalWriter
from core.urls import parse_lines
from gui.results.model import ResultsModel
from gui.window.main_window import MainWindow
from tests.gui.conftest import wait_until

pytestmark = pytest.mark.gui

FAST, SLOW = 8, 4
DEAD_PID = 2**22 + 12345


def _journal_threads_here() -> list[str]:
    """This process's journal writer threads (core.store.JournalWriter names them ``journal-<run id>``)."""
    return [t.name for t in threading.enumerate() if t.name.startswith("journal-")]


def _spy_on_the_pipe(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """Every message the window sends to its engine (passed on unchanged)."""
    sent: list[tuple[Any, ...]] = []
    engine = window.controller.engine
    send = engine._send

    def spy(message: tuple[Any, ...]) -> None:
        sent.append(message)
        send(message)

    monkeypatch.setattr(engine, "_send", spy)
    return sent


def _results_in(message: tuple[Any, ...]) -> int:
    """How many FetchResults a pipe message carries (in its fields or its lists)."""
    n = 0
    for part in message:
        items = part if isinstance(part, (list, tuple)) else [part]
        n += sum(isinstance(x, FetchResult) for x in items)
    return n


def test_a_window_run_is_recorded_by_the_engine_and_stop_and_close_are_told_apart(
        jwindow: MainWindow, loop: asyncio.AbstractEventLoop, testbed: Any, journal: Journal) -> None:
    urls = [f"{testbed.url}/page/{i}?size=2000" for i in range(FAST)]
    urls += [f"{testbed.url}/page/{100 + i}?latency=8000" for i in range(SLOW)]
    jwindow.run_panel.set_mode(Mode.ASYNC)
    jwindow.run_panel.concurrency.setValue(FAST + SLOW)
    seen: dict[str, Any] = {}

    async def start() -> asyncio.Task[Any]:
        await jwindow.url_panel.set_text("\n".join(urls))
        task = await jwindow.start_run()
        assert task is not None
        run_id = jwindow.journal.run_id
        assert run_id is not None
        # Committed by the engine while the run goes on (the window's table pages from such rows).
        await wait_until(lambda: journal.result_count(run_id) >= FAST, jwindow.controller.clock)
        seen["threads"] = _journal_threads_here()
        seen["pid"] = journal._db.execute("SELECT pid FROM runs WHERE id=?", (run_id,)).fetchone()[0]
        seen["engine"] = jwindow.controller.engine.pid
        return task

    async def stopped() -> Any:
        task = await start()
        QTest.keyClick(jwindow, Qt.Key.Key_Escape)  # the user's Stop
        return await asyncio.wait_for(task, 10)

    summary = loop.run_until_complete(stopped())
    assert seen["threads"] == []  # no journal writer in the window's process while results were written
    assert seen["pid"] == seen["engine"] is not None  # the record names the process that writes it
    assert summary.interrupted
    info = journal.run_info(jwindow.journal.run_id)
    assert (info.status, info.done, info.ok, info.crashed) == ("stopped", FAST, FAST, False)
    assert journal.load(info.id)[3] == dict(enumerate(jwindow.results_panel.model.results()))

    async def closed() -> Any:
        task = await start()
        await jwindow.shutdown()  # the window closing mid-run (as the runtime does after "Stop and quit")
        return await asyncio.wait_for(task, 10)

    summary = loop.run_until_complete(closed())
    assert seen["threads"] == []
    info = journal.run_info(jwindow.journal.run_id)
    # Recorded by the engine as it ended (a summary), not inferred from a dead process.
    assert (info.status, info.done, info.crashed) == ("interrupted", FAST, False) and info.summary is not None
    assert summary.interrupted and _journal_threads_here() == []


def test_a_resume_in_the_window_reads_the_kept_results_in_the_engine(
        jwindow: MainWindow, loop: asyncio.AbstractEventLoop, testbed: Any, journal: Journal, extractor: Any,
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(ResultsModel, "PAGED_ABOVE", 4)  # the table pages from the journal, as at 100,000 rows
    lines = [f"{testbed.url}/page/{i}?size={1000 + i}" for i in range(10)]
    kept = list(range(6))
    run_id = journal.create_run(lines, Settings(), len(lines))
    loop.run_until_complete(Run(parse_lines(lines), Settings(), JournalWriter(journal, run_id),
                                extractor=extractor, only=kept).execute())
    journal._db.execute("UPDATE runs SET status='running', finished_at=NULL, pid=? WHERE id=?", (DEAD_PID, run_id))
    before = journal.results_at(run_id, kept)
    sent = _spy_on_the_pipe(jwindow, monkeypatch)

    async def resume() -> Any:
        task = await jwindow.continue_run(run_id, "resume")
        assert task is not None
        return await task

    summary = loop.run_until_complete(resume())
    assert summary is not None and summary.ok == 10 and summary.urls == 10
    assert sum(_results_in(m) for m in sent) == 0 and "prior" not in [m[0] for m in sent]
    [target] = [m[4] for m in sent if m[0] == "run"]
    assert isinstance(target, JournalTarget) and (target.run_id, target.kept_from) == (run_id, run_id)
    assert target.keep is not None and list(target.keep) == kept
    model = jwindow.results_panel.model
    assert model.paged() is not None and model.rowCount() == 10
    assert {i: model.result(i) for i in kept} == before  # the kept rows, as recorded, in the table
    assert all(r is not None and r.ok for r in model.results())
    assert set(jwindow.timeline.model.kept) == set(kept)  # ... and in the timeline's kept lane
    info = journal.run_info(run_id)
    assert (info.status, info.done, info.ok) == ("finished", 10, 10) and journal.result_count(run_id) == 10
    out = tmp_path / "resumed.csv"
    assert loop.run_until_complete(jwindow.files.export(path=str(out))) == str(out)
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["url"] for r in rows] == lines and all(r["ok"] in ("True", "true", "1") for r in rows)
    for i in kept:  # on the earlier run's clock: the recorded result, not a new fetch
        assert float(rows[i]["started_ms"]) == round(before[i].timings.started_ms, 1)


def test_a_retry_from_the_table_sends_indices_not_results(
        jwindow: MainWindow, loop: asyncio.AbstractEventLoop, testbed: Any, journal: Journal,
        monkeypatch: pytest.MonkeyPatch) -> None:
    urls = [f"{testbed.url}/page/{i}?size=1500" for i in range(5)] + [f"{testbed.url}/status/404"]
    jwindow.run_panel.set_mode(Mode.ASYNC)

    async def first_run() -> list[Any]:
        await jwindow.url_panel.set_text("\n".join(urls))
        task = await jwindow.start_run()
        assert task is not None
        await task
        return list(jwindow.results_panel.model.results())

    earlier = loop.run_until_complete(first_run())
    run_id = jwindow.journal.run_id
    sent = _spy_on_the_pipe(jwindow, monkeypatch)
    task = jwindow.retry([5])
    assert task is not None
    summary = loop.run_until_complete(task)
    assert summary is not None and summary.urls == 6 and summary.ok == 5
    assert sum(_results_in(m) for m in sent) == 0 and "prior" not in [m[0] for m in sent]
    [target] = [m[4] for m in sent if m[0] == "run"]
    assert (target.run_id, target.kept_from, list(target.keep)) == (run_id, run_id, [0, 1, 2, 3, 4])
    now = jwindow.results_panel.model.results()
    assert now[:5] == earlier[:5]  # kept, read from the journal by the engine
    assert now[5] is not None and now[5].status_code == 404 and now[5] != earlier[5]  # fetched again
    assert len(journal.runs()) == 1 and journal.run_info(run_id).status == "finished"
    assert journal.results_at(run_id, [5])[5] == now[5]


def test_a_run_that_fails_before_the_engine_records_it_is_not_left_running(
        jwindow: MainWindow, loop: asyncio.AbstractEventLoop, journal: Journal) -> None:
    """The window made the record; if the engine never took it over (it could not open the journal),
    a failed run's record says interrupted at once, not running until the window closes."""
    link = jwindow.journal
    batch = parse_lines(["http://127.0.0.1:9/a", "http://127.0.0.1:9/b"])
    target = loop.run_until_complete(link.target_for_new_run(batch, Settings()))
    assert target is not None and journal.run_info(target.run_id).status == "running"
    assert link.abandon()
    assert journal.run_info(target.run_id).status == "interrupted"

    taken = loop.run_until_complete(link.target_for_new_run(batch, Settings()))
    assert taken is not None
    journal._db.execute("UPDATE runs SET pid=1 WHERE id=?", (taken.run_id,))  # the engine's record now
    assert not link.abandon()  # the engine records its end itself
    assert journal.run_info(taken.run_id).status == "running"
