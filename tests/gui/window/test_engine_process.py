"""The window's runs happen in the engine process (core/run/host.py), never in the GUI process."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from typing import Any

import psutil
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from core.model import ErrorKind, Mode
from core.store import Journal
from gui.window.main_window import MainWindow
from tests.gui.conftest import wait_signal, wait_until

pytestmark = pytest.mark.gui

FAST, SLOW, WORKERS = 12, 6, 18


def _urls(testbed: Any) -> list[str]:
    fast = [f"{testbed.url}/page/{i}?size=3000" for i in range(FAST)]
    return fast + [f"{testbed.url}/page/{200 + i}?latency=8000" for i in range(SLOW)]


def _fetch_threads_here() -> list[str]:
    """Names of this process's request threads (core.run.threads names them ``fetch-<mode>-N``)."""
    return [t.name for t in threading.enumerate() if t.name.startswith("fetch-")]


def test_a_threads_run_fetches_in_the_engine_process_and_results_progress_stop_and_journal_work(
    jwindow: MainWindow, loop: asyncio.AbstractEventLoop, testbed: Any, journal: Journal
) -> None:
    jwindow.run_panel.set_mode(Mode.THREADS)
    jwindow.run_panel.concurrency.setValue(WORKERS)
    model = jwindow.results_panel.model
    seen: dict[str, Any] = {}

    async def scenario() -> Any:
        await jwindow.url_panel.set_text("\n".join(_urls(testbed)))
        task = await jwindow.start_run()
        assert task is not None
        await wait_until(lambda: sum(r is not None for r in model.results()) >= FAST, jwindow.controller.updated)
        pid = jwindow.controller.engine.pid
        seen["pid"] = pid
        seen["here"] = _fetch_threads_here()
        seen["there"] = psutil.Process(pid).num_threads() if pid else 0
        seen["progress"] = jwindow.run_panel.progress.value()
        QTest.keyClick(jwindow, Qt.Key.Key_Escape)  # the Stop shortcut
        return await asyncio.wait_for(task, 10)

    summary = loop.run_until_complete(scenario())
    assert seen["pid"] is not None and seen["pid"] != os.getpid()
    assert seen["here"] == []  # no requests thread in the window's process, while requests were in flight
    assert seen["there"] >= SLOW  # ... they are in the engine (its requests threads, blocked on the slow pages)
    assert seen["progress"] >= FAST
    assert summary.interrupted and summary.ok == FAST and summary.cancelled == SLOW
    results = model.results()
    assert all(r is not None and r.ok and r.mode is Mode.THREADS for r in results[:FAST])
    assert all(r is not None and r.error_kind is ErrorKind.CANCELLED for r in results[FAST:])
    assert results == jwindow.controller.run.results
    assert jwindow.run_panel.progress.value() == FAST and "stopped" in jwindow.run_panel.progress.text()
    # The journal (an observer given to the controller, fed on the GUI side) has every finished row and the stop.
    info = journal.run_info(jwindow.journal.run_id)
    assert (info.status, info.done, info.ok) == ("stopped", FAST, FAST)
    # The run's clock is the engine's: the timeline's rows sit on it.
    assert 0 < max(r.timings.finished_ms for r in results[:FAST]) <= summary.wall_s * 1000.0
    assert jwindow.controller.engine.pid == seen["pid"]  # kept for the next run (its parsers stay warm)


def test_killing_the_engine_mid_run_fails_the_run_clearly_and_leaves_nothing_running(
    jwindow: MainWindow, loop: asyncio.AbstractEventLoop, testbed: Any
) -> None:
    jwindow.run_panel.set_mode(Mode.ASYNC)
    jwindow.run_panel.concurrency.setValue(WORKERS)
    model = jwindow.results_panel.model

    async def scenario() -> tuple[str, list[psutil.Process], Any]:
        await jwindow.url_panel.set_text("\n".join(_urls(testbed)))
        task = await jwindow.start_run()
        assert task is not None
        await wait_until(lambda: sum(r is not None for r in model.results()) >= FAST, jwindow.controller.updated)
        pid = jwindow.controller.engine.pid
        assert pid is not None and pid != os.getpid()
        engine = psutil.Process(pid)
        family = [engine, *engine.children(recursive=True)]
        assert len(family) >= 3  # the engine, its parser processes and their resource tracker
        failed = asyncio.ensure_future(wait_signal(jwindow.controller.failed, 10))
        os.kill(pid, signal.SIGKILL)
        (message,) = await failed
        assert await asyncio.wait_for(task, 5) is None
        assert jwindow.statusBar().currentMessage() == f"The run failed: {message}"
        assert jwindow.run_panel.start_button.isEnabled() and not jwindow.controller.running
        # Another run starts a new engine.
        await jwindow.url_panel.set_text(f"{testbed.url}/page/1")
        again = await jwindow.start_run()
        assert again is not None
        return message, family, await asyncio.wait_for(again, 60)

    message, family, summary = loop.run_until_complete(scenario())
    assert "engine process ended unexpectedly" in message and "signal 9" in message
    _gone, alive = psutil.wait_procs(family, timeout=10)
    assert not alive, [p.pid for p in alive]
    assert summary is not None and summary.ok == 1
    assert jwindow.controller.engine.pid not in (None, family[0].pid)
