"""HistogramWidget: bins, outliers, which results count, percentiles as core.run.stats computes them."""

from __future__ import annotations

import random
from typing import Any

import pytest

from core.model import ErrorKind, FetchResult, Mode, Timings
from core.run.stats import percentile
from gui.timeline.histogram import HistogramWidget, auto_range, elapsed_values, histogram_bins


def res(i: int, ms: float, **kw: Any) -> FetchResult:
    return FetchResult(i, f"http://h/{i}", Mode.ASYNC, ok=True, timings=Timings(10.0, finished_ms=10.0 + ms), **kw)


def test_bins_count_every_value_and_overflow_goes_to_the_last_bin() -> None:
    counts, overflow = histogram_bins([0, 1, 9.9, 10, 55, 99.9, 100, 250], n_bins=10, hi=100)
    assert counts == [3, 1, 0, 0, 0, 1, 0, 0, 0, 3]
    assert overflow == 1
    assert sum(counts) == 8


def test_auto_range_ignores_a_few_far_outliers() -> None:
    values = sorted([300.0 + i % 10 for i in range(200)] + [30_000.0])
    hi = auto_range(values)
    assert 300 < hi < 1000
    assert auto_range(sorted([100.0, 200.0, 400.0])) == pytest.approx(408.0)
    assert auto_range([]) == 1.0


def test_only_fetched_results_count() -> None:
    results = [res(0, 120.0), None, res(2, 80.0, duplicate_of=0),
               res(3, 0.0, error_kind=ErrorKind.CANCELLED), res(4, 0.0, error_kind=ErrorKind.INVALID_URL),
               res(5, 300.0, error_kind=ErrorKind.TIMEOUT)]
    assert elapsed_values(results) == [120.0, 300.0]


def test_widget_marks_the_same_percentiles_as_the_summary(qtbot: Any) -> None:
    w = HistogramWidget(title="async")
    qtbot.addWidget(w)
    w.resize(320, 130)
    rng = random.Random(7)
    values = [rng.lognormvariate(5.5, 0.4) for _ in range(500)]
    w.set_results(res(i, v) for i, v in enumerate(values))
    ordered = sorted(values)
    got = w.percentiles()
    assert set(got) == {50, 95, 99}
    for q in (50, 95, 99):
        assert got[q] == pytest.approx(percentile(ordered, q))
    counts, overflow = w.bins()
    assert sum(counts) == 500 and overflow == sum(1 for v in values if v > w.range_ms())
    w.show()
    assert not w.grab().isNull()
    w.set_max_ms(5000.0)
    assert w.range_ms() == 5000.0
    w.clear()
    assert w.percentiles() == {} and w.bins()[0] == [0] * w.n_bins()
    assert not w.grab().isNull()  # the empty state paints too
