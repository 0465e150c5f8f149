"""The window's "Run on" setting: a run on a local Dask cluster fills the same table as a run here,
the choice survives a restart, and an unreachable scheduler is a message, not a crash."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import pytest

from core.model import RowState
from gui.window.main_window import MainWindow
from gui.window.settings_dialog import SettingsDialog

distributed = pytest.importorskip("distributed")

pytestmark = [pytest.mark.gui, pytest.mark.slow, pytest.mark.timeout(300)]


def _urls(base: str, n: int = 200) -> list[str]:
    port = base.rsplit(":", 1)[1]
    urls = [f"{base}/page/{i}?size=1500" if i % 2 else f"http://localhost:{port}/page/{i}?size=1500" for i in range(n)]
    urls[5] = "not a url"
    urls[50] = f"{base}/status/404"
    urls[120] = f"{base}/status/500"
    urls.append(urls[3])  # a duplicate
    return urls


def _run(window: MainWindow, loop: asyncio.AbstractEventLoop, urls: list[str]) -> Any:
    async def scenario() -> Any:
        await window.url_panel.set_text("\n".join(urls))
        task = await window.start_run()
        assert task is not None
        return await task

    return loop.run_until_complete(scenario())


def _table(window: MainWindow) -> list[tuple[object, ...]]:
    model = window.results_panel.model
    rows = []
    for r in model.results():
        assert r is not None
        state = model.state(r.input_index)
        assert state is (RowState.DONE if r.ok else RowState.FAILED), (r.input_index, state)
        rows.append(
            (
                r.input_index,
                state,
                r.url,
                r.status_code,
                r.ok,
                r.error_kind,
                r.duplicate_of,
                r.page.title if r.page else None,
            )
        )
    return rows


def test_run_on_a_local_cluster_is_remembered_and_fills_the_same_table(
    qtbot: Any, loop: asyncio.AbstractEventLoop, extractor: Any, settings_store: Any, testbed: Any
) -> None:
    first = MainWindow(extractor, settings_store)
    qtbot.addWidget(first)
    dialog = SettingsDialog(first.current_settings(), first)
    assert dialog.run_on.currentIndex() == 0 and not dialog.cluster_address.isEnabled()
    dialog.run_on.setCurrentIndex(1)
    assert dialog.cluster_address.isEnabled()
    dialog.accept()
    assert dialog.isVisible() is False and dialog.problems.text()  # no address yet: the dialog says so
    dialog.cluster_address.setText("local:2")
    dialog.accept()
    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    first.apply_settings(dialog.settings())
    loop.run_until_complete(first.shutdown())
    first.close()

    # A restart: the second window reads the same settings store.
    window = MainWindow(extractor, settings_store)
    qtbot.addWidget(window, before_close_func=lambda w: loop.run_until_complete(w.shutdown()))
    window.show()
    assert window.current_settings().cluster == "local:2"
    again = SettingsDialog(window.current_settings(), window)
    assert again.run_on.currentIndex() == 1 and again.cluster_address.text() == "local:2"
    again.deleteLater()

    clock: list[float] = []
    window.controller.clock.connect(clock.append)
    urls = _urls(testbed.url)
    window.run_panel.concurrency.setValue(10)
    summary = _run(window, loop, urls)
    assert summary is not None and summary.urls == len(urls) == window.results_panel.model.rowCount()
    on_cluster = _table(window)
    # The window's run went to the engine process with the cluster setting; there make_run
    # (tested in tests/core/cluster/test_loop_run.py) picks the cluster run for it.
    assert window.controller.run is not None and window.controller.run.settings.cluster == "local:2"
    bar = window.run_panel.progress
    assert bar.maximum() == len(urls) and bar.value() == len(urls)
    assert clock and max(clock) > 0  # the timeline's clock ran, on the coordinator's time
    assert max(r.timings.finished_ms for r in window.results_panel.model.results() if r) <= max(clock) + 1000

    window.apply_settings(window.current_settings().replace(cluster=""))
    here = _run(window, loop, urls)
    assert window.controller.run is not None and window.controller.run.settings.cluster == ""
    assert _table(window) == on_cluster
    assert (here.ok, here.failed) == (summary.ok, summary.failed) == (len(urls) - 3, 3)


def test_an_unreachable_scheduler_is_reported_in_the_window(
    window: MainWindow, loop: asyncio.AbstractEventLoop, testbed: Any
) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    window.apply_settings(window.current_settings().replace(cluster=f"tcp://127.0.0.1:{port}", connect_timeout=1.0))
    assert _run(window, loop, [f"{testbed.url}/page/1"]) is None
    message = window.statusBar().currentMessage()
    assert f"cannot reach the Dask scheduler tcp://127.0.0.1:{port}" in message, message
    assert window.run_panel.start_button.isEnabled()
