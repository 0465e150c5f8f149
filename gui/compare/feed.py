"""The live feed of one mode's run in the comparison window.

A :class:`ModeFeed` is the observer of one run: it buffers progress events and results and
hands them to the mode's timeline about ten times a second, like the main window's controller,
and reports back to the window through the callbacks it was given.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Slot

from core.model import FetchResult, Mode, Progress, RunStarted, RunSummary
from gui.timeline.view import TimelineView

log = logging.getLogger(__name__)


class ModeFeed(QObject):
    """Observer of one mode's run: buffers events and hands them to the timeline at ~10 Hz.

    Args:
        parent: owns the feed.
        mode: the run's mode (passed back to the callbacks).
        timeline: the mode's timeline, fed live.
        on_live: ``(mode, done, now_ms)`` at every tick.
        on_finished: ``(mode, summary, results in input order)`` when the run ended.
    """

    def __init__(self, parent: QObject, mode: Mode, timeline: TimelineView,
                 on_live: Callable[[Mode, int, float], None],
                 on_finished: Callable[[Mode, RunSummary, list[FetchResult | None]], None]) -> None:
        super().__init__(parent)
        self._mode, self._timeline, self._on_live, self._on_finished = mode, timeline, on_live, on_finished
        self._progress: list[Progress] = []
        self._results: list[FetchResult] = []
        self._t0 = 0.0
        self.done = 0
        self.all: list[FetchResult | None] = []
        self._timer = QTimer(self)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self.flush)

    def now_ms(self) -> float:
        return (time.perf_counter() - self._t0) * 1000.0 if self._t0 else 0.0

    def on_start(self, info: RunStarted) -> None:
        self._t0 = time.perf_counter()
        self.all = [None] * info.total
        self._timeline.reset_run(info.urls)
        self._timer.start()

    def on_progress(self, progress: Progress) -> None:
        self._progress.append(progress)

    def on_result(self, result: FetchResult) -> None:
        self._results.append(result)
        if 0 <= result.input_index < len(self.all):
            self.all[result.input_index] = result
        self.done += 1

    def on_finish(self, summary: RunSummary) -> None:
        self._timer.stop()
        self.flush()
        self._on_finished(self._mode, summary, self.all)

    @Slot()
    def flush(self) -> None:
        view = self._timeline
        progress, self._progress = self._progress, []
        results, self._results = self._results, []
        if progress or results:
            view.apply(progress, results)
        view.set_clock(self.now_ms())
        self._on_live(self._mode, self.done, self.now_ms())
