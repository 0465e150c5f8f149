"""A run as a whole: mode equivalence, overlap, cancellation, retries, per-host limits, events."""

from __future__ import annotations

import asyncio
import time
import tracemalloc
from collections import Counter

import pytest

from core.fetch.options import RequestOptions, RobotsMode
from core.model import ErrorKind, FetchResult, Mode, RowState, Timings
from core.run.engine import STREAM_STATS_ABOVE, Run
from core.run.observer import NullObserver, Recorder
from core.run.stats import fetched, percentile
from core.settings import Settings
from core.urls import parse_lines
from tests.core.conftest import ALL_MODES, run_batch


class _WaitFor(Recorder):
    """Sets ``reached`` once ``n`` results have arrived."""

    def __init__(self, n: int) -> None:
        super().__init__()
        self.n = n
        self.reached: asyncio.Event | None = None

    def on_result(self, result) -> None:  # type: ignore[no-untyped-def]
        super().on_result(result)
        if len(self.results) >= self.n and self.reached is not None:
            self.reached.set()


def _max_overlap(intervals: list[tuple[float, float]]) -> int:
    events = sorted([(a, 1) for a, _ in intervals] + [(b, -1) for _, b in intervals])
    best = cur = 0
    for _, d in events:
        cur += d
        best = max(best, cur)
    return best


def test_three_modes_agree(testbed, closed_port_url, extractor) -> None:
    u = testbed.url
    lines = [
        f"{u}/page/1?size=3000&links=5", f"{u}/status/404", f"{u}/redirect/2", f"{u}/redirect/11", f"{u}/messy",
        f"{u}/charset/euc-kr?via=none", f"{u}/charset/shift_jis?via=meta", f"{u}/charset/windows-1252?via=header",
        f"{u}/page/2?gzip=1&size=8000", f"{u}/json", f"{u}/no-head", f"{u}/big?size=50000", f"{u}/bad-gzip",
        f"{u}/redirect-to?url=ftp://x.example/", "not a url", f"{u}/page/1?size=3000&links=5",  # a duplicate
        closed_port_url + "/", f"{testbed.raw_url}/reset-before", f"{u}/hang",
    ]
    by_mode = {m: run_batch(lines, m, extractor, total_timeout=2.0, max_bytes=40_000)[0] for m in Mode}
    base = [r.comparable() for r in by_mode[Mode.SYNC]]
    for mode in (Mode.THREADS, Mode.ASYNC):
        for a, b in zip(base, (r.comparable() for r in by_mode[mode]), strict=True):
            assert a == b, (mode, a["url"])
    kinds = [r.error_kind for r in by_mode[Mode.ASYNC]]
    assert kinds[15] is None and by_mode[Mode.ASYNC][15].duplicate_of == 0
    assert kinds[-3:] == [ErrorKind.CONNECT, ErrorKind.RESET, ErrorKind.TIMEOUT]


@pytest.mark.parametrize(("mode", "overlap"), [(Mode.SYNC, False), (Mode.THREADS, True), (Mode.ASYNC, True)])
def test_intervals_overlap_only_when_concurrent(mode: Mode, overlap: bool, testbed, extractor) -> None:
    lines = [f"{testbed.url}/page/{i}?latency=200" for i in range(8)]
    results, run = run_batch(lines, mode, extractor, concurrency=8)
    spans = [(r.timings.started_ms, r.timings.finished_ms) for r in results]
    most = _max_overlap(spans)
    if overlap:
        assert most >= 6
        assert run.summary is not None and run.summary.wall_s < 1.2  # ~0.2 s of latency, not 8 x 0.2 s
    else:
        assert most == 1
        assert run.summary is not None and run.summary.wall_s >= 1.6
    # phases are laid end to end inside each result's span
    for r in results:
        segs = r.timings.segments()
        assert segs and segs[0][1] == pytest.approx(r.timings.started_ms)
        assert segs[-1][2] <= r.timings.finished_ms + 1.0
        assert {"wait", "parse"} <= {s[0] for s in segs}


def test_async_records_connect_phase(testbed, extractor) -> None:
    # robots.txt ignored: its fetch would open (and pool) the connection this test measures.
    [r], _ = run_batch([f"{testbed.url}/page/1?latency=50"], Mode.ASYNC, extractor,
                       requests=RequestOptions(robots=RobotsMode.IGNORE))
    assert r.timings.connect_ms is not None and r.timings.connect_ms >= 0
    assert r.timings.wait_ms is not None and r.timings.wait_ms >= 45
    assert r.timings.ttfb_ms is not None and r.timings.ttfb_ms >= r.timings.wait_ms


@ALL_MODES
def test_cancel_keeps_finished_results(mode: Mode, testbed, extractor) -> None:
    lines = [f"{testbed.url}/page/{i}" for i in range(3)] + [f"{testbed.url}/hang?i={i}" for i in range(6)]
    rec = _WaitFor(3)
    run = Run(parse_lines(lines), Settings(mode=mode, concurrency=4), rec, extractor=extractor)

    async def scenario() -> float:
        rec.reached = asyncio.Event()
        task = asyncio.ensure_future(run.execute())
        await asyncio.wait_for(rec.reached.wait(), timeout=20)
        t = time.perf_counter()
        run.cancel()
        await asyncio.wait_for(task, timeout=10)
        return time.perf_counter() - t

    stop_s = asyncio.run(scenario())
    assert stop_s < 3.0  # blocked threads are unblocked, not waited for (30 s timeout)
    assert [r.ok for r in run.results[:3]] == [True, True, True]
    assert all(r.error_kind is ErrorKind.CANCELLED for r in run.results[3:])
    assert run.summary is not None and run.summary.interrupted and run.summary.cancelled == 6
    assert len(rec.results) == 9 and len(rec.summaries) == 1


@ALL_MODES
def test_retry_after_is_honoured(mode: Mode, testbed, extractor, unique_key) -> None:
    u = testbed.url
    lines = [f"{u}/retry?key={unique_key}a&times=1&status=429&after=1",
             f"{u}/retry?key={unique_key}b&times=3&status=503&after=0",
             f"{u}/status/500?key={unique_key}c"]
    results, _ = run_batch(lines, mode, extractor, retries=1, concurrency=3)
    assert results[0].ok and results[0].attempts == 2
    assert results[0].timings.finished_ms >= 1000  # waited the Retry-After second
    assert results[1].status_code == 503 and results[1].error_kind is ErrorKind.HTTP_ERROR
    assert results[1].attempts == 2  # 1 retry only
    assert results[2].attempts == 1  # 500 is not retried


def test_retry_after_is_capped(testbed, extractor, unique_key) -> None:
    lines = [f"{testbed.url}/retry?key={unique_key}&times=1&status=429&after=3600"]
    t = time.perf_counter()
    [r], _ = run_batch(lines, Mode.ASYNC, extractor, retry_after_cap=0.3)
    assert r.ok and r.attempts == 2
    assert time.perf_counter() - t < 5


@ALL_MODES
def test_per_host_limit(mode: Mode, testbed, extractor) -> None:
    if mode is Mode.SYNC:
        pytest.skip("sync is one at a time anyway")
    lines = [f"{testbed.url}/page/{i}?latency=150" for i in range(8)]
    results, _ = run_batch(lines, mode, extractor, concurrency=8, per_host=2)
    spans = [(r.timings.started_ms, r.timings.finished_ms - (r.timings.parse_ms or 0)) for r in results]
    assert _max_overlap(spans) <= 2
    assert all(r.ok for r in results)


@ALL_MODES
def test_refusing_host_finishes_fast(mode: Mode, closed_port_url, extractor) -> None:
    n = 1000 if mode is not Mode.SYNC else 200
    lines = [f"{closed_port_url}/p{i}" for i in range(n)]
    t = time.perf_counter()
    results, _ = run_batch(lines, mode, extractor)
    elapsed = time.perf_counter() - t
    assert all(r.error_kind is ErrorKind.CONNECT for r in results)
    assert sum(r.attempts for r in results) < n * 1.1  # the host is not retried once it keeps refusing
    print(f"{mode}: {n} refused URLs in {elapsed:.2f} s")
    assert elapsed < 20


@ALL_MODES
def test_events(mode: Mode, testbed, extractor) -> None:
    rec = Recorder()
    lines = [f"{testbed.url}/page/{i}?size=300000" for i in range(3)] + ["bad url"]
    _results, _ = run_batch(lines, mode, extractor, observer=rec)
    assert len(rec.started) == 1 and rec.started[0].total == 4 and rec.started[0].mode is mode
    assert sorted(r.input_index for r in rec.results) == [0, 1, 2, 3]
    states = {(p.input_index, p.state) for p in rec.progress}
    for i in range(3):
        assert {(i, RowState.CONNECTING), (i, RowState.DOWNLOADING), (i, RowState.PARSING)} <= states
    done = [p for p in rec.progress if p.input_index == 0 and p.state is RowState.DOWNLOADING]
    assert done[-1].bytes_done == 300000 and done[-1].bytes_total == 300000
    s = rec.summaries[0]
    assert (s.urls, s.ok, s.failed, s.by_error_kind) == (4, 3, 1, {"invalid_url": 1})
    assert s.p50_ms > 0 and s.pages_per_s > 0 and s.bytes == 900000


def test_only_and_prior(testbed, extractor) -> None:
    lines = [f"{testbed.url}/page/{i}" for i in range(4)]
    first, _ = run_batch(lines, Mode.ASYNC, extractor)
    prior = {0: first[0], 2: first[2]}
    run = Run(parse_lines(lines), Settings(), None, extractor=extractor, only=[1, 3], prior=prior)
    asyncio.run(run.execute())
    assert run.results[0] is first[0] and run.results[2] is first[2]
    assert run.results[1] is not None and run.results[1].ok and run.results[1] is not first[1]


def test_a_run_that_hands_results_on_keeps_slim_copies(testbed, extractor) -> None:
    """The engine process's runs (keep_results=False): the observer gets whole results, the run
    keeps what the summary needs, and whole originals only where duplicates still copy them."""
    lines = [f"{testbed.url}/page/{i}" for i in range(6)] + [f"{testbed.url}/page/0", "bad url"]
    rec = Recorder()
    run = Run(parse_lines(lines), Settings(), rec, extractor=extractor, keep_results=False)
    summary = asyncio.run(run.execute())
    whole = {r.input_index: r for r in rec.results}
    assert sorted(whole) == list(range(8)) and whole[6].duplicate_of == 0
    assert all(whole[i].page is not None and whole[i].headers for i in range(6))  # the observer's are whole
    assert run.results[0] is whole[0]  # an original a duplicate copies stays whole
    for i in range(1, 6):
        kept = run.results[i]
        assert kept is not None and kept.page is None and kept.headers == ()
        assert (kept.ok, kept.status_code, kept.bytes, kept.timings) == (whole[i].ok, 200, whole[i].bytes,
                                                                       whole[i].timings)
    same = Run(parse_lines(lines), Settings(), None, extractor=extractor)
    full = asyncio.run(same.execute())
    assert (summary.urls, summary.ok, summary.failed, summary.bytes, summary.by_error_kind) == (
        full.urls, full.ok, full.failed, full.bytes, full.by_error_kind)


class _Times(NullObserver):
    """Keeps the time of each fetched result and counts the rest: holds nothing per row of a big batch."""

    def __init__(self) -> None:
        self.elapsed: list[float] = []
        self.results = 0
        self.kinds: Counter[str] = Counter()

    def on_result(self, result) -> None:  # type: ignore[no-untyped-def]
        self.results += 1
        if result.error_kind is not None:
            self.kinds[str(result.error_kind)] += 1
        if fetched(result) and result.input_index not in KEPT:
            self.elapsed.append(result.timings.elapsed_ms)


KEPT = (5, 6)  # rows of the big batch whose results come from an earlier run


@pytest.mark.slow
def test_a_big_run_that_hands_results_on_keeps_nothing_per_row(testbed, extractor) -> None:
    """Above STREAM_STATS_ABOVE URLs the engine process's run (keep_results=False) folds each result
    into streaming statistics: it kept a slim copy of every row before (~0.38 KB a row, 22.7 MB here;
    ~500 MB at 1,000,000 URLs), now one byte a row and the originals that duplicates copy."""
    n = STREAM_STATS_ABOVE + 10_000
    lines = [f"{testbed.url}/page/{i}?latency={i % 7 * 3}" for i in range(200)] + [f"{testbed.url}/page/3?latency=9"]
    lines += [f"bad url {i}" for i in range(n - len(lines))]  # results without a request: the bulk is cheap
    batch = parse_lines(lines)
    assert batch.entries[200].duplicate_of == 3
    prior = {i: FetchResult(i, lines[i], Mode.ASYNC, status_code=200, ok=True, timings=Timings(1.0, finished_ms=2.0))
             for i in KEPT}
    times = _Times()
    tracemalloc.start()
    try:
        run = Run(batch, Settings(concurrency=50), times, extractor=extractor, prior=prior, keep_results=False)
        summary = asyncio.run(run.execute())
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    # The run's own list of n slots (8 B each), its bitmap and the original row 200 copies; not 60,000 rows.
    assert held < 2_000_000, f"{held / n:.0f} B a row held after the run"
    assert [i for i, r in enumerate(run.results) if r is not None] == [3]
    assert times.results == n and summary.urls == n
    assert (summary.ok, summary.failed) == (201, n - 201) and summary.by_error_kind == dict(times.kinds)
    elapsed = sorted(times.elapsed)
    assert len(elapsed) == 198  # 200 fetched, less the 2 kept; the duplicate is not fetched
    for q, got in ((50, summary.p50_ms), (95, summary.p95_ms)):
        assert got == pytest.approx(percentile(elapsed, q), rel=0.02)  # DDSketch: within 1 % of that rank's value
    assert summary.max_ms == pytest.approx(elapsed[-1], abs=0.01)
