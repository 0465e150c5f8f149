"""Compare mode: the same batch in sync, threads and async, one after another."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from core.model import FetchResult, Mode, RunSummary
from core.parse.pool import Extractor
from core.run.engine import Run
from core.run.observer import NullObserver, RunObserver
from core.settings import Settings
from core.urls import Batch

log = logging.getLogger(__name__)

ORDER: tuple[Mode, ...] = (Mode.SYNC, Mode.THREADS, Mode.ASYNC)


@dataclass(slots=True)
class Comparison:
    """The outcome of a comparison: one summary and result list per mode."""

    summaries: dict[Mode, RunSummary] = field(default_factory=dict)
    results: dict[Mode, list[FetchResult | None]] = field(default_factory=dict)
    interrupted: bool = False

    def speedup(self, mode: Mode, baseline: Mode = Mode.SYNC) -> float | None:
        """How many times faster ``mode`` was than ``baseline`` (wall time), if both ran."""
        a, b = self.summaries.get(mode), self.summaries.get(baseline)
        if a is None or b is None or a.wall_s <= 0:
            return None
        return b.wall_s / a.wall_s

    def to_dict(self) -> dict[str, object]:
        modes = {str(m): s.to_dict() for m, s in self.summaries.items()}
        speedups = {str(m): round(v, 3) for m in self.summaries if (v := self.speedup(m)) is not None}
        first = next(iter(self.summaries.values()), None)
        return {"mode": "compare", "urls": first.urls if first else 0, "modes": modes,
                "speedup_vs_sync": speedups, "interrupted": self.interrupted}

    def headline(self, n_urls: int) -> str:
        """One sentence a person understands, e.g. ``async: 23.4× faster than sync on these 200 URLs``."""
        fast = self.speedup(Mode.ASYNC)
        if fast is None:
            return "comparison incomplete"
        return f"async: {fast:.1f}× faster than sync on these {n_urls} URLs"


def estimate_sync_seconds(sample: Sequence[float], n_urls: int) -> float:
    """Estimate a sync run's length from per-URL times (ms) seen so far."""
    if not sample:
        return 0.0
    return sum(sample) / len(sample) * n_urls / 1000.0


class Comparer:
    """Runs the modes in order; :meth:`cancel` stops the current run and skips the rest.

    Args:
        batch: the URLs.
        settings: shared settings; only the mode changes between runs.
        extractor: one parsing pool shared by the three runs.
        observer_for: gives the observer of each mode's run (live tables, timelines).
        modes: which modes, in which order.
    """

    def __init__(
        self,
        batch: Batch,
        settings: Settings,
        extractor: Extractor,
        observer_for: Callable[[Mode], RunObserver] | None = None,
        modes: Sequence[Mode] = ORDER,
    ) -> None:
        self.batch = batch
        self.settings = settings
        self.extractor = extractor
        self.observer_for = observer_for or (lambda _m: NullObserver())
        self.modes = tuple(modes)
        self.current: Run | None = None
        self._cancelled = False

    def cancel(self) -> None:
        self._cancelled = True
        if self.current is not None:
            self.current.cancel()

    async def execute(self) -> Comparison:
        out = Comparison()
        for mode in self.modes:
            if self._cancelled:
                out.interrupted = True
                break
            run = Run(self.batch, self.settings.replace(mode=mode), self.observer_for(mode), extractor=self.extractor)
            self.current = run
            summary = await run.execute()
            out.summaries[mode] = summary
            out.results[mode] = run.results
            if summary.interrupted:
                out.interrupted = True
                break
        self.current = None
        return out
