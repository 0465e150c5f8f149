"""A streamed run with results kept from an earlier run: kept rows are reported, not fetched, in order."""

from __future__ import annotations

import asyncio

import requests

from core.model import FetchResult, Mode, Timings
from core.run.observer import Recorder
from core.run.stream import StreamRun
from core.settings import Settings
from core.urls import iter_entries, scan


def test_kept_rows_are_not_fetched_and_keep_their_place(testbed, extractor, unique_key) -> None:
    lines = [f"{testbed.url}/page/{i}?key={unique_key}&latency={(i * 7) % 30}" for i in range(60)]
    lines[10] = lines[3]  # a duplicate of a kept row: copied from it, not fetched
    found = scan(lines)
    kept = {
        i: FetchResult(
            i, lines[i], Mode.ASYNC, status_code=200, ok=True, bytes=1, timings=Timings(0.0, finished_ms=10_000_000.0)
        )  # another run's clock
        for i in range(0, 60, 3)
    }
    ordered: list[FetchResult] = []
    seen = Recorder()
    run = StreamRun(
        iter_entries(lines, found.duplicates),
        len(lines),
        Settings(concurrency=8, reorder_window=16),
        seen,
        ordered=ordered.append,
        extractor=extractor,
        repeated=found.repeated,
        prior=(kept[i] for i in sorted(kept)),
    )
    summary = asyncio.run(run.execute())
    assert [r.input_index for r in ordered] == list(range(60))
    assert all(ordered[i] is kept[i] for i in kept)  # the kept results themselves, in their rows
    assert ordered[10].duplicate_of == 3 and ordered[10].bytes == 1
    assert run.kept == len(kept) == 20
    hits = requests.get(f"{testbed.url}/count?key={unique_key}", timeout=5).json()["count"]
    assert hits == 60 - 20 - 1  # only the rows without a kept result, the duplicate not either
    assert summary.ok == 60 and summary.urls == 60
    assert summary.max_ms < 10_000_000  # kept times are on another clock: not in this run's figures
