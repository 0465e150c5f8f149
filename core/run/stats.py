"""Summary statistics of a run's results."""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Collection, Sequence

from core.model import ErrorKind, FetchResult, Mode, RunSummary

log = logging.getLogger(__name__)


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) of already sorted values, linear interpolation; 0 if empty."""
    if not sorted_values:
        return 0.0
    if len(sorted_values) == 1:
        return float(sorted_values[0])
    pos = (len(sorted_values) - 1) * q / 100.0
    lo = math.floor(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return float(sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo))


def fetched(result: FetchResult) -> bool:
    """True for results that went over the network (not invalid, duplicate or cancelled)."""
    return result.duplicate_of is None and result.error_kind not in (ErrorKind.INVALID_URL, ErrorKind.CANCELLED)


def summarise(
    mode: Mode, results: Sequence[FetchResult | None], wall_s: float, interrupted: bool = False,
    kept: Collection[int] = (),
) -> RunSummary:
    """Build the summary of a run from its results (``None`` entries are ignored).

    Per-URL figures come from the results that went over the network in *this* run; with none,
    they are ``None``. ``kept``: input indices whose results a resume or a retry kept from an
    earlier run; they count as ok/failed (the batch's outcome) but not in times, bytes or rates,
    which were measured on another clock.
    """
    done = [r for r in results if r is not None]
    net = [r for r in done if fetched(r) and r.input_index not in kept]
    elapsed = sorted(r.timings.elapsed_ms for r in net)
    kinds = Counter(str(r.error_kind) for r in done if r.error_kind is not None)
    return RunSummary(
        mode=mode,
        urls=len(results),
        ok=sum(1 for r in done if r.ok),
        failed=sum(1 for r in done if not r.ok and r.error_kind is not ErrorKind.CANCELLED),
        cancelled=kinds.get(str(ErrorKind.CANCELLED), 0),
        wall_s=round(wall_s, 4),
        sum_elapsed_s=round(sum(elapsed) / 1000.0, 4),
        p50_ms=round(percentile(elapsed, 50), 2) if elapsed else None,
        p95_ms=round(percentile(elapsed, 95), 2) if elapsed else None,
        p99_ms=round(percentile(elapsed, 99), 2) if elapsed else None,
        max_ms=round(elapsed[-1], 2) if elapsed else None,
        bytes=sum(r.bytes for r in net),
        pages_per_s=round(len(net) / wall_s, 2) if net and wall_s > 0 else None,
        by_error_kind=dict(sorted(kinds.items())),
        interrupted=interrupted,
    )
