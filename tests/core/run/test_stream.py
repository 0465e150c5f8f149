"""Streaming runs: input order through the bounded window, back-pressure, duplicates, stop, statistics."""

from __future__ import annotations

import asyncio
import csv
import math
import random
import sqlite3
from collections.abc import Awaitable, Callable

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from core.export import CsvStream
from core.model import ErrorKind, FetchResult, Mode, RunStarted, Timings
from core.parse.pool import Extractor
from core.run.observer import MultiObserver, NullObserver, Recorder
from core.run.reorder import ReorderWindow
from core.run.sketch import RELATIVE_ACCURACY, StreamStats
from core.run.stats import percentile
from core.run.stream import StreamRun
from core.settings import Settings
from core.store import Journal, JournalWriter
from core.urls import iter_entries, parse_lines, scan

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


async def _serve(handler: Handler) -> TestServer:
    app = web.Application()
    app.router.add_get("/{name}", handler)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    return server


def _stream_run(lines: list[str], extractor: Extractor, recorder: Recorder, ordered: list[FetchResult],
                **settings: object) -> StreamRun:
    found = scan(lines)
    return StreamRun(iter_entries(lines, found.duplicates), found.counts["total"],
                     Settings(mode=Mode.ASYNC, retries=0, **settings),  # type: ignore[arg-type]
                     recorder, ordered=ordered.append, extractor=extractor, repeated=found.repeated)


def test_rows_leave_in_input_order_when_they_finish_out_of_order(extractor: Extractor) -> None:
    n = 30

    async def scenario() -> tuple[list[FetchResult], list[FetchResult]]:
        last_served = asyncio.Event()

        async def handler(request: web.Request) -> web.Response:
            name = request.match_info["name"]
            if name == "p0":
                await asyncio.wait_for(last_served.wait(), 30)  # the first URL ends after the last one
            if name == f"p{n - 1}":
                last_served.set()
            return web.Response(text=f"<title>{name}</title>", content_type="text/html")

        server = await _serve(handler)
        try:
            recorder, ordered = Recorder(), []
            lines = [str(server.make_url(f"/p{i}")) for i in range(n)]
            lines.insert(3, "not a url")
            lines.append(lines[5])  # a duplicate of a finished URL
            lines.append(lines[0])  # a duplicate of the URL still in flight: it waits for its result
            run = _stream_run(lines, extractor, recorder, ordered, concurrency=8, reorder_window=50)
            await asyncio.wait_for(run.execute(), 60)
            return recorder.results, ordered
        finally:
            await server.close()

    finished, ordered = asyncio.run(scenario())
    assert [r.input_index for r in ordered] == list(range(n + 3))
    assert [r.input_index for r in finished] != list(range(n + 3))  # they really finished out of order
    assert finished.index(next(r for r in finished if r.input_index == 0)) > 20
    assert ordered[3].error_kind is ErrorKind.INVALID_URL
    assert ordered[0].page is not None and ordered[0].page.title == "p0"
    assert ordered[-2].duplicate_of == 5 and ordered[-2].status_code == 200
    assert ordered[-1].duplicate_of == 0 and ordered[-1].page == ordered[0].page


class _Counting(Recorder):
    """A recorder whose ``reached`` future completes at the ``n``-th result."""

    def __init__(self, n: int) -> None:
        super().__init__()
        self._n = n
        self.reached: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def on_result(self, result: FetchResult) -> None:
        super().on_result(result)
        if len(self.results) == self._n and not self.reached.done():
            self.reached.set_result(None)


def test_a_full_window_stops_taking_urls_until_the_oldest_ends(extractor: Extractor) -> None:
    window, n = 8, 20

    async def scenario() -> tuple[int, int, int, list[FetchResult], StreamRun]:
        release = asyncio.Event()
        hits: list[str] = []

        async def handler(request: web.Request) -> web.Response:
            if request.match_info["name"] != "robots.txt":  # --robots report (the default) asks for it once
                hits.append(request.match_info["name"])
            if request.match_info["name"] == "p0":
                await asyncio.wait_for(release.wait(), 30)
            return web.Response(text="<title>t</title>", content_type="text/html")

        server = await _serve(handler)
        try:
            recorder, ordered = _Counting(window - 1), []
            lines = [str(server.make_url(f"/p{i}")) for i in range(n)]
            run = _stream_run(lines, extractor, recorder, ordered, concurrency=4, reorder_window=window)
            task = asyncio.ensure_future(run.execute())
            await asyncio.wait_for(recorder.reached, 30)  # every row after the slow one in the window is done
            await asyncio.wait_for(run.window.stalled.wait(), 30)  # and a worker found the window full
            seen = (len(hits), run.window.admitted, len(recorder.results))
            release.set()
            await asyncio.wait_for(task, 60)
            return (*seen, ordered, run)
        finally:
            await server.close()

    hits, admitted, done, ordered, run = asyncio.run(scenario())
    # The slow first URL holds the head: 7 later rows finished and wait; nothing beyond the window was taken.
    assert (hits, admitted, done) == (window, window, window - 1)
    assert [r.input_index for r in ordered] == list(range(n))
    assert run.window.high_water == window
    assert all(r.ok for r in ordered)


def test_stop_keeps_finished_rows_and_cancels_the_rest_of_the_input(extractor: Extractor, tmp_path) -> None:
    async def scenario() -> tuple[list[FetchResult], bool]:
        async def handler(request: web.Request) -> web.Response:
            if request.match_info["name"] == "hang":
                await asyncio.sleep(3600)  # until the run is stopped
            return web.Response(text="<title>t</title>", content_type="text/html")

        server = await _serve(handler)
        try:
            recorder, ordered = Recorder(), []
            lines = [str(server.make_url(f"/p{i}")) for i in range(3)] + [str(server.make_url("/hang"))]
            lines += [str(server.make_url(f"/q{i}")) for i in range(40)] + ["bad url"]
            run = _stream_run(lines, extractor, recorder, ordered, concurrency=2, reorder_window=5)
            task = asyncio.ensure_future(run.execute())
            await asyncio.wait_for(run.window.stalled.wait(), 30)
            run.cancel()
            summary = await asyncio.wait_for(task, 30)
            return ordered, summary.interrupted
        finally:
            await server.close()

    ordered, interrupted = asyncio.run(scenario())
    assert interrupted
    assert [r.input_index for r in ordered] == list(range(45))
    # Rows 4-7 finished while the hung row 3 held the window's head; everything after it was never taken.
    assert all(r.ok for r in ordered[:3] + ordered[4:8])
    assert ordered[3].error_kind is ErrorKind.CANCELLED
    assert {r.error_kind for r in ordered[8:44]} == {ErrorKind.CANCELLED}
    assert ordered[44].error_kind is ErrorKind.INVALID_URL


async def _counting_server() -> tuple[TestServer, list[str]]:
    """A server of small pages and the list of the page names it was asked for (robots.txt left out)."""
    hits: list[str] = []

    async def handler(request: web.Request) -> web.Response:
        if request.match_info["name"] != "robots.txt":
            hits.append(request.match_info["name"])
        return web.Response(text="<title>t</title>", content_type="text/html")

    return await _serve(handler), hits


class _LockOnStart(NullObserver):
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def on_start(self, info: RunStarted) -> None:
        self.db.execute("BEGIN IMMEDIATE")


def test_a_journal_that_cannot_commit_stops_the_run_taking_urls(extractor: Extractor, tmp_path) -> None:
    """The journal writer's backlog is bounded like the window: a run waits for it instead of piling up rows."""
    window, n = 5, 60

    async def scenario() -> tuple[int, int, int, int]:
        server, hits = await _counting_server()
        journal = Journal(tmp_path / "journal.sqlite3")
        lock = sqlite3.connect(journal.path, timeout=30, isolation_level=None)
        try:
            lines = [str(server.make_url(f"/p{i}")) for i in range(n)]
            settings = Settings(mode=Mode.ASYNC, retries=0, concurrency=2, reorder_window=window)
            run_id = journal.create_run(lines, settings, n)
            writer = JournalWriter(journal, run_id, index_keys=False)
            found = scan(lines)
            locker = _LockOnStart(lock)  # another process takes the journal's write lock as the run starts
            run = StreamRun(iter_entries(lines, found.duplicates), n, settings, MultiObserver([writer, locker]),
                            extractor=extractor, behind=writer.behind)
            task = asyncio.ensure_future(run.execute())
            loop = asyncio.get_running_loop()
            deadline = loop.time() + 30
            while run.behind_waits == 0:  # the writer's backlog reached the bound and taking stopped
                assert loop.time() < deadline, "the run never waited for the journal"
                await asyncio.sleep(0.01)
            fetched_while_locked = len(hits)
            await asyncio.sleep(0.3)  # (a run that ignores the backlog fetches all 60 in this time)
            still = len(hits)
            lock.execute("COMMIT")
            await asyncio.wait_for(task, 60)
            return fetched_while_locked, still, journal.result_count(run_id), run.behind_high_water
        finally:
            lock.close()
            journal.close()
            await server.close()

    fetched_while_locked, still, written, most = asyncio.run(scenario())
    assert fetched_while_locked == still  # nothing more was taken while the journal could not commit
    assert still <= 2 * window + 2  # backlog bound + window + requests in flight
    assert window <= most <= window + 2
    assert written == n


def test_a_journal_writer_that_failed_does_not_hold_the_run_up(extractor: Extractor, tmp_path) -> None:
    """A writer whose thread died (here: its run is not in the journal, the commit fails) drains nothing:
    the run goes on unrecorded instead of waiting forever for a backlog that never shrinks."""
    window, n = 3, 40

    async def scenario() -> tuple[int, StreamRun]:
        server, hits = await _counting_server()
        journal = Journal(tmp_path / "journal.sqlite3")
        try:
            lines = [str(server.make_url(f"/p{i}")) for i in range(n)]
            settings = Settings(mode=Mode.ASYNC, retries=0, concurrency=2, reorder_window=window)
            writer = JournalWriter(journal, 12345, index_keys=False)  # no such run: its first commit fails
            found = scan(lines)
            run = StreamRun(iter_entries(lines, found.duplicates), n, settings, writer, extractor=extractor,
                            behind=writer.behind)
            await asyncio.wait_for(run.execute(), 30)
            writer.close()
            assert writer.failed and writer.behind() == 0
            return len(hits), run
        finally:
            journal.close()
            await server.close()

    fetched, run = asyncio.run(scenario())
    assert fetched == n and run.summary is not None and not run.summary.interrupted


def test_the_disk_scan_finds_the_same_duplicates_as_the_in_memory_parse() -> None:
    rng = random.Random(7)
    pool = [f"https://h{i % 7}.example/p/{i}" for i in range(300)] + ["HTTPS://H1.example:443/p/1#frag", "bad url"]
    lines = [rng.choice(pool) for _ in range(3000)] + ["# comment", ""]
    found = scan(lines)
    batch = parse_lines(lines)
    assert found.duplicates == {e.index: e.duplicate_of for e in batch.entries if e.duplicate_of is not None}
    assert found.counts == batch.counts()
    assert list(iter_entries(lines, found.duplicates)) == batch.entries


def test_window_rejects_out_of_order_admission_and_foreign_results() -> None:
    out: list[int] = []
    w = ReorderWindow(3, lambda r: out.append(r.input_index))
    for i in range(3):
        w.admit(i)
    assert w.full()
    with pytest.raises(ValueError):
        w.admit(5)
    w.complete(FetchResult(2, "u", Mode.ASYNC))
    w.complete(FetchResult(1, "u", Mode.ASYNC))
    assert out == [] and w.full()
    with pytest.raises(ValueError):
        w.complete(FetchResult(7, "u", Mode.ASYNC))
    w.complete(FetchResult(0, "u", Mode.ASYNC))
    assert out == [0, 1, 2] and len(w) == 0


def test_streaming_percentiles_are_within_the_stated_error() -> None:
    rng = random.Random(15)
    times = [rng.lognormvariate(4.0, 1.2) for _ in range(50_000)]  # ms, a long tail like real latencies
    stats = StreamStats()
    for i, ms in enumerate(times):
        stats.add(FetchResult(i, "u", Mode.ASYNC, ok=True, status_code=200, attempts=1,
                              timings=Timings(started_ms=1000.0, finished_ms=1000.0 + ms)))
    exact = sorted(times)
    summary = stats.summary(Mode.ASYNC, len(times), wall_s=10.0)
    for q, got in ((50, summary.p50_ms), (95, summary.p95_ms), (99, summary.p99_ms)):
        pos = (len(exact) - 1) * q / 100
        lo, hi = exact[math.floor(pos)], exact[math.ceil(pos)]
        assert lo * (1 - RELATIVE_ACCURACY) - 0.01 <= got <= hi * (1 + RELATIVE_ACCURACY) + 0.01, (q, got, lo)
        assert abs(got - percentile(exact, q)) <= percentile(exact, q) * RELATIVE_ACCURACY + 0.01
    assert summary.ok == 50_000 and summary.max_ms == pytest.approx(max(times), abs=0.01)


def test_csv_stream_is_the_same_contract_and_untouched_on_failure(tmp_path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old")
    with pytest.raises(RuntimeError), CsvStream(target) as out:
        out.write(FetchResult(0, "=cmd()", Mode.ASYNC))
        raise RuntimeError("stopped")
    assert target.read_text() == "old" and list(tmp_path.iterdir()) == [target]
    with CsvStream(target) as out:
        out.write(FetchResult(0, "=cmd()", Mode.ASYNC, error="é"))
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[1][1] == "'=cmd()" and rows[1][6] == "é"
