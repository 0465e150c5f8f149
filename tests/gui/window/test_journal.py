"""The window records its runs in the journal, opens the history, and resumes a crashed run."""

from __future__ import annotations

from typing import Any

import pytest

from core.model import Mode
from core.settings import Settings
from core.store import Journal, JournalWriter
from gui.window.main_window import MainWindow
from tests.gui.window.test_window import run_urls

pytestmark = pytest.mark.gui

DEAD_PID = 2**22 + 12345


def test_runs_are_recorded_and_retries_write_into_the_same_run(jwindow: MainWindow, loop: Any, testbed: Any,
                                                               journal: Journal) -> None:
    urls = [f"{testbed.url}/page/{i}" for i in range(5)] + [f"{testbed.url}/status/503", "not a url"]
    jwindow.run_panel.set_mode(Mode.ASYNC)
    summary = run_urls(jwindow, loop, urls)
    run_id = jwindow.journal.run_id
    assert run_id is not None
    info = journal.run_info(run_id)
    assert (info.status, info.total, info.done, info.ok, info.failed) == ("finished", 7, 7, 5, 2)
    assert info.wall_s == pytest.approx(summary.wall_s)
    _lines, _batch, _settings, stored = journal.load(run_id)
    assert [stored[i] for i in range(7)] == jwindow.results_panel.model.results()

    task = jwindow.retry([5])
    assert task is not None
    loop.run_until_complete(task)
    assert journal.runs()[0].id == run_id and len(journal.runs()) == 1  # no new run for a table retry
    assert journal.run_info(run_id).status == "finished"


def test_history_action_opens_the_history(jwindow: MainWindow, loop: Any, testbed: Any, journal: Journal) -> None:
    run_urls(jwindow, loop, [f"{testbed.url}/page/1"])
    jwindow.commands.history.trigger()
    history = jwindow.journal.history
    assert history is not None and history.isVisible()
    runs = loop.run_until_complete(history.refresh())
    assert [r.id for r in runs] == [jwindow.journal.run_id]


def test_crashed_run_is_resumed_in_the_window(jwindow: MainWindow, loop: Any, testbed: Any,
                                              journal: Journal, extractor: Any) -> None:
    from core.run.engine import Run
    from core.urls import parse_lines

    lines = [f"{testbed.url}/page/{i}" for i in range(6)]
    run_id = journal.create_run(lines, Settings(), len(lines))
    writer = JournalWriter(journal, run_id)
    loop.run_until_complete(Run(parse_lines(lines), Settings(), writer, extractor=extractor, only=[0, 1, 2]).execute())
    journal._db.execute("UPDATE runs SET status='running', finished_at=NULL, pid=? WHERE id=?", (DEAD_PID, run_id))
    assert [r.id for r in journal.interrupted_runs()] == [run_id]

    async def resume() -> Any:
        # One coroutine: a task left behind when run_until_complete returns would run its
        # next steps from Qt's event processing, outside the asyncio loop (qasync).
        task = await jwindow.continue_run(run_id, "resume")
        assert task is not None
        return await task

    summary = loop.run_until_complete(resume())
    errors = [r.error for r in jwindow.controller.run.results if r and not r.ok]
    assert summary is not None and summary.ok == 6, errors
    info = journal.run_info(run_id)
    assert (info.status, info.done, info.ok) == ("finished", 6, 6)
    assert jwindow.url_panel.text().splitlines() == lines
    assert journal.interrupted_runs() == []


def test_resume_keeps_the_windows_secrets(jwindow: MainWindow, loop: Any, journal: Journal, extractor: Any) -> None:
    """The journal stores no secrets: a resumed run gets the window's credentials back and is let in."""
    from core.fetch.options import Credentials, RequestOptions
    from core.run.engine import Run
    from core.urls import parse_lines
    from tests.testbed.background import BackgroundLoop
    from tests.testbed.echo import EchoServer

    with BackgroundLoop() as bg:
        server = EchoServer(bg).start()
        secret = server.basic[1]
        requests = RequestOptions(credentials=Credentials("basic", server.basic[0], secret))
        settings = Settings(requests=requests)
        lines = [f"{server.url}/basic?n={i}" for i in range(4)]
        run_id = journal.create_run(lines, settings, len(lines))
        loop.run_until_complete(Run(parse_lines(lines), settings, JournalWriter(journal, run_id),
                                    extractor=extractor, only=[0, 1]).execute())
        journal._db.execute("UPDATE runs SET status='running', finished_at=NULL, pid=? WHERE id=?", (DEAD_PID, run_id))
        stored = journal.load(run_id)[2]
        assert stored.requests.credentials is None or stored.requests.credentials.secret == ""  # never on disk
        jwindow.apply_settings(jwindow.current_settings().replace(requests=requests), remember=False)

        async def resume() -> Any:
            task = await jwindow.continue_run(run_id, "resume")
            assert task is not None
            return await task

        summary = loop.run_until_complete(resume())
        assert summary is not None and summary.ok == 4, [r.error for r in jwindow.controller.run.results if r]
        assert jwindow.current_settings().requests.credentials == requests.credentials
        assert [p for p in server.paths() if p.startswith("/basic")]  # the resumed rows reached the server
