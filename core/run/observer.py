"""The small protocol through which a run reports: start, progress, result, finish.

The GUI adapts it to Qt signals in one place; the command line and the tests use plain
objects. Every call happens on the event loop's thread.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Protocol

from core.model import FetchResult, Progress, RunStarted, RunSummary

log = logging.getLogger(__name__)


class RunObserver(Protocol):
    """Receives a run's events. Implementations must be quick: they run on the loop."""

    def on_start(self, info: RunStarted) -> None: ...

    def on_progress(self, progress: Progress) -> None: ...

    def on_result(self, result: FetchResult) -> None: ...

    def on_finish(self, summary: RunSummary) -> None: ...


class NullObserver:
    """Ignores everything (the default)."""

    def on_start(self, info: RunStarted) -> None:
        pass

    def on_progress(self, progress: Progress) -> None:
        pass

    def on_result(self, result: FetchResult) -> None:
        pass

    def on_finish(self, summary: RunSummary) -> None:
        pass


class MultiObserver:
    """Fans every event out to several observers, in order; one failing does not stop the rest."""

    def __init__(self, observers: Iterable[RunObserver]) -> None:
        self.observers = list(observers)

    def _each(self, name: str, arg: object) -> None:
        for obs in self.observers:
            try:
                getattr(obs, name)(arg)
            except Exception:
                log.exception("observer %r failed in %s", obs, name)

    def on_start(self, info: RunStarted) -> None:
        self._each("on_start", info)

    def on_progress(self, progress: Progress) -> None:
        self._each("on_progress", progress)

    def on_result(self, result: FetchResult) -> None:
        self._each("on_result", result)

    def on_finish(self, summary: RunSummary) -> None:
        self._each("on_finish", summary)


class Recorder(NullObserver):
    """Keeps every event in lists (tests, compare mode)."""

    def __init__(self) -> None:
        self.started: list[RunStarted] = []
        self.progress: list[Progress] = []
        self.results: list[FetchResult] = []
        self.summaries: list[RunSummary] = []

    def on_start(self, info: RunStarted) -> None:
        self.started.append(info)

    def on_progress(self, progress: Progress) -> None:
        self.progress.append(progress)

    def on_result(self, result: FetchResult) -> None:
        self.results.append(result)

    def on_finish(self, summary: RunSummary) -> None:
        self.summaries.append(summary)
