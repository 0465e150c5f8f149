"""Against the test bed: the timeline built from a real run shows overlap in async mode, none in sync."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import pytest

from core.model import FetchResult, Mode, Progress, RunStarted, RunSummary
from core.parse.pool import Extractor
from core.run.engine import Run
from core.settings import Settings
from core.urls import parse_text
from gui.timeline.view import TimelineView

N = 10
LATENCY_MS = 200


class ViewFeed:
    """Feeds a TimelineView the way the main window's controller does (events, then the clock)."""

    def __init__(self, view: TimelineView) -> None:
        self.view = view
        self.run: Run | None = None
        self.clock_ticks = 0

    def on_start(self, info: RunStarted) -> None:
        self.view.reset_run(info.urls)

    def on_progress(self, progress: Progress) -> None:
        self.view.apply([progress], [])
        if self.run is not None:
            self.view.set_clock(self.run.now_ms())
            self.clock_ticks += 1

    def on_result(self, result: FetchResult) -> None:
        self.view.apply([], [result])

    def on_finish(self, summary: RunSummary) -> None:
        self.view.finish(summary.wall_s * 1000)


def run_into_view(loop: asyncio.AbstractEventLoop, extractor: Extractor, base: str, mode: Mode,
                  view: TimelineView) -> Run:
    batch = parse_text("\n".join(f"{base}/page/{i}?latency={LATENCY_MS}" for i in range(N)))
    feed = ViewFeed(view)
    run = Run(batch, Settings(mode=mode, concurrency=20), feed, extractor=extractor)
    feed.run = run
    summary = loop.run_until_complete(asyncio.wait_for(run.execute(), 60))
    assert summary.ok == N
    assert feed.clock_ticks > 0  # bars were grown live before the results came in
    return run


def overlapping_pairs(intervals: list[tuple[float, float]]) -> int:
    return sum(1 for i, (a0, a1) in enumerate(intervals) for b0, b1 in intervals[i + 1:] if a0 < b1 and b0 < a1)


@pytest.fixture
def view(qtbot: Any) -> TimelineView:
    v = TimelineView()
    qtbot.addWidget(v)
    v.resize(800, 300)
    v.show()
    return v


def test_async_requests_overlap(loop: asyncio.AbstractEventLoop, extractor: Extractor, testbed: Any,
                                view: TimelineView) -> None:
    run = run_into_view(loop, extractor, testbed.url, Mode.ASYNC, view)
    intervals = view.model.intervals()
    assert len(intervals) == N
    # Every bar sits where the recorded timings say.
    for r in run.results:
        assert r is not None
        assert view.model.bar_span(r.input_index) == (r.timings.started_ms, r.timings.finished_ms)
        assert r.timings.elapsed_ms >= LATENCY_MS * 0.9
    # All ten were in flight together: the last to start began before the first one ended.
    assert max(a for a, _ in intervals) < min(b for _, b in intervals)
    assert overlapping_pairs(intervals) == N * (N - 1) // 2
    assert view.grab().width() == 800


def test_sync_requests_never_overlap(loop: asyncio.AbstractEventLoop, extractor: Extractor, testbed: Any,
                                     view: TimelineView) -> None:
    run_into_view(loop, extractor, testbed.url, Mode.SYNC, view)
    intervals = view.model.intervals()
    assert len(intervals) == N
    assert overlapping_pairs(intervals) == 0
    # A staircase, in input order: each request starts after the previous one finished.
    for (_, prev_end), (start, _) in itertools.pairwise(intervals):
        assert start >= prev_end
    assert view.model.extent_ms >= N * LATENCY_MS
