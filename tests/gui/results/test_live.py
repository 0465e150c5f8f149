"""The results panel fed by a real run against the local test bed (shapes of real results)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from core.model import FetchResult, Progress, RowState, RunStarted, RunSummary
from core.parse.pool import Extractor
from core.run.engine import Run
from core.settings import Settings
from core.urls import parse_text
from gui.app.colors import StatusKind
from gui.results.model import KIND_ROLE
from gui.results.panel import ResultsPanel
from gui.results.rows import Column, QuickFilter

log = logging.getLogger(__name__)


class PanelFeed:
    """A minimal observer: buffers events and applies them every 50 ms, like the controller."""

    def __init__(self, panel: ResultsPanel) -> None:
        self.panel = panel
        self.progress: list[Progress] = []
        self.results: list[FetchResult] = []
        self.saw_busy = False
        self.painted_while_running = 0

    def on_start(self, info: RunStarted) -> None:
        self.panel.model.reset_run(info.urls)

    def on_progress(self, progress: Progress) -> None:
        self.progress.append(progress)

    def on_result(self, result: FetchResult) -> None:
        self.results.append(result)

    def on_finish(self, summary: RunSummary) -> None:
        self.flush()

    def flush(self) -> None:
        progress, results, self.progress, self.results = self.progress, self.results, [], []
        self.panel.model.apply(progress, results)
        if self.panel.view.busy_animating():
            self.saw_busy = True
            assert not self.panel.view.grab().isNull()  # the busy bar paints mid-run
            self.painted_while_running += 1

    async def pump(self, done: asyncio.Future[Any]) -> None:
        while not done.done():
            self.flush()
            await asyncio.sleep(0.05)


def test_real_run_fills_the_table(qtbot: Any, loop: asyncio.AbstractEventLoop, extractor: Extractor,
                                  testbed: Any, closed_port_url: str) -> None:
    base = testbed.url
    urls = [
        f"{base}/page/1?size=3000&links=7&title=First",
        f"{base}/redirect/2",
        f"{base}/status/404",
        f"{base}/status/500",
        f"{closed_port_url}/nothing",
        f"{base}/drip?chunks=8&interval=100",  # chunked, no Content-Length: busy indicator
        "not a url",
    ]
    panel = ResultsPanel()
    qtbot.addWidget(panel)
    panel.resize(1100, 400)
    panel.show()
    feed = PanelFeed(panel)
    run = Run(parse_text("\n".join(urls)), Settings(retries=0, concurrency=10), feed, extractor=extractor)

    async def scenario() -> RunSummary:
        task = asyncio.ensure_future(run.execute())
        await asyncio.gather(task, feed.pump(task))
        return task.result()

    summary = loop.run_until_complete(asyncio.wait_for(scenario(), 30))
    m = panel.model
    assert m.rowCount() == len(urls)

    def cell(i: int, col: Column) -> Any:
        return m.index(m.row_of(i), col).data()

    assert cell(0, Column.STATUS) == "200 OK" and cell(0, Column.TITLE) == "First" and cell(0, Column.LINKS) == "7"
    assert cell(1, Column.STATUS) == "3xx×2→200 OK"
    assert cell(2, Column.STATUS) == "404 Not Found" and cell(3, Column.STATUS) == "500 Internal Server Error"
    assert cell(4, Column.STATUS) == "connect failed" and cell(4, Column.ERROR)
    assert cell(6, Column.STATUS) == "invalid URL"
    assert m.index(m.row_of(5), Column.STATUS).data(KIND_ROLE) == StatusKind.OK
    counts = m.quick_filter_counts()
    assert counts[QuickFilter.OK] == summary.ok == 3
    assert counts[QuickFilter.FAILED] == summary.failed == 4
    assert counts[QuickFilter.REDIRECTED] == 1
    assert all(m.state(i) in (RowState.DONE, RowState.FAILED) for i in range(len(urls)))
    assert not panel.view.busy_animating()
    assert feed.saw_busy and feed.painted_while_running > 0
