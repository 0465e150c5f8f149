"""Summary statistics folded in one result at a time, in constant memory.

Counts and sums are exact. Percentiles of the per-URL time come from a DDSketch (Masson,
Rim & Lee, "DDSketch: a fast and fully-mergeable quantile sketch with relative-error
guarantees", VLDB 2019): every quantile it returns is within ``RELATIVE_ACCURACY`` (1 %) of
the exact value of that rank, whatever the number of results; memory is a few KB (its
buckets grow with the log of max/min time, not with the count). Sketches merge, so the
statistics of a cluster run are those of one run.
"""

from __future__ import annotations

import logging
from collections import Counter

from ddsketch import DDSketch

from core.model import ErrorKind, FetchResult, Mode, RunSummary
from core.run.stats import fetched

log = logging.getLogger(__name__)

RELATIVE_ACCURACY = 0.01  # each percentile is within 1 % of the exact one of its rank
_FLOOR_MS = 0.001  # DDSketch holds positive values; a 0 ms time counts as 1 us


class StreamStats:
    """Statistics of a run that never keeps its results.

    Feed every result once with :meth:`add` (any order); :meth:`summary` gives the same
    :class:`RunSummary` as :func:`core.run.stats.summarise` with p50/p95/p99 within 1 %.
    """

    def __init__(self) -> None:
        self.sketch = DDSketch(relative_accuracy=RELATIVE_ACCURACY)
        self.results = 0
        self.ok = 0
        self.failed = 0
        self.net = 0
        self.bytes = 0
        self.sum_elapsed_ms = 0.0
        self.max_ms = 0.0
        self.kinds: Counter[str] = Counter()

    def add(self, r: FetchResult, kept: bool = False) -> None:
        """Fold in one result (invalid, duplicate and cancelled rows count but have no time).

        ``kept``: a result a resume or a retry kept from an earlier run: it counts as ok or failed
        but not in times, bytes or rates, measured on another clock (as :func:`core.run.stats.summarise`).
        """
        self.results += 1
        if r.ok:
            self.ok += 1
        elif r.error_kind is not ErrorKind.CANCELLED:
            self.failed += 1
        if r.error_kind is not None:
            self.kinds[str(r.error_kind)] += 1
        if fetched(r) and not kept:
            ms = r.timings.elapsed_ms
            self.net += 1
            self.bytes += r.bytes
            self.sum_elapsed_ms += ms
            self.max_ms = max(self.max_ms, ms)
            self.sketch.add(max(ms, _FLOOR_MS))

    def quantile_ms(self, q: float) -> float:
        """The ``q`` quantile (0-1) of the fetched URLs' times in ms (0 when there are none)."""
        if self.net == 0:
            return 0.0
        v = self.sketch.get_quantile_value(q)
        return 0.0 if v is None else min(float(v), self.max_ms)

    def summary(self, mode: Mode, urls: int, wall_s: float, interrupted: bool = False) -> RunSummary:
        """The run's summary; ``urls`` is the number of input rows."""
        return RunSummary(
            mode=mode,
            urls=urls,
            ok=self.ok,
            failed=self.failed,
            cancelled=self.kinds.get(str(ErrorKind.CANCELLED), 0),
            wall_s=round(wall_s, 4),
            sum_elapsed_s=round(self.sum_elapsed_ms / 1000.0, 4),
            p50_ms=round(self.quantile_ms(0.50), 2),
            p95_ms=round(self.quantile_ms(0.95), 2),
            p99_ms=round(self.quantile_ms(0.99), 2),
            max_ms=round(self.max_ms, 2),
            bytes=self.bytes,
            pages_per_s=round(self.net / wall_s, 2) if wall_s > 0 else 0.0,
            by_error_kind=dict(sorted(self.kinds.items())),
            interrupted=interrupted,
        )
