"""The cluster run behind an event loop (the window's): same events, same results, clear errors."""

from __future__ import annotations

import asyncio
import re
import socket
import sys
import threading

import pytest

distributed = pytest.importorskip("distributed")

from core.cluster.coordinator import ClusterError  # noqa: E402 - after the optional import check
from core.cluster.loop_run import LoopClusterRun, make_run  # noqa: E402
from core.model import ErrorKind, FetchResult, RunStarted  # noqa: E402
from core.run.engine import Run  # noqa: E402
from core.run.observer import Recorder  # noqa: E402
from core.settings import Settings  # noqa: E402
from core.urls import parse_lines  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]


class _Threads(Recorder):
    """Records every event and the thread it came on."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: set[int] = set()

    def on_start(self, info: RunStarted) -> None:
        self.threads.add(threading.get_ident())
        super().on_start(info)

    def on_result(self, result: FetchResult) -> None:
        self.threads.add(threading.get_ident())
        super().on_result(result)


def _lines(base: str, n: int) -> list[str]:
    port = base.rsplit(":", 1)[1]
    lines = [f"{base}/page/{i}?size=1200" if i % 2 else f"http://localhost:{port}/page/{i}?size=1200" for i in range(n)]
    lines[7] = "not a url"
    lines[20] = f"{base}/status/404"
    lines.append(lines[3])  # a duplicate
    return lines


def test_make_run_picks_the_class_from_the_settings() -> None:
    batch = parse_lines(["http://127.0.0.1:9/"])
    assert isinstance(make_run(batch, Settings()), Run)
    assert isinstance(make_run(batch, Settings(cluster="local:2")), LoopClusterRun)


def test_a_local_cluster_on_the_loop_gives_the_results_of_a_local_run(testbed, extractor) -> None:
    batch = parse_lines(_lines(testbed.url, 200))
    settings = Settings(concurrency=10)

    async def both() -> tuple[Run, LoopClusterRun, _Threads, float]:
        here = Run(batch, settings, extractor=extractor)
        await here.execute()
        seen = _Threads()
        there = LoopClusterRun(batch, settings.replace(cluster="local:2"), seen)
        summary = await there.execute()
        assert summary is there.summary
        return here, there, seen, there.now_ms()

    here, there, seen, clock = asyncio.run(both())
    assert seen.threads == {threading.get_ident()}  # every event on the loop's thread
    assert len(seen.started) == 1 and seen.started[0].urls == tuple(e.url or e.raw for e in batch.entries)
    assert seen.started[0].lines == tuple(range(1, len(batch) + 1))
    assert sorted(r.input_index for r in seen.results) == list(range(len(batch)))
    assert [(r.status_code, r.ok, r.error_kind, r.duplicate_of) for r in there.results] == [
        (r.status_code, r.ok, r.error_kind, r.duplicate_of) for r in here.results
    ]
    assert there.results[20].error_kind is ErrorKind.HTTP_ERROR and there.results[-1].duplicate_of == 3
    summary = seen.summaries[0]
    assert (summary.urls, summary.ok, summary.failed) == (len(batch), len(batch) - 2, 2)
    # Times are on the coordinator's clock: every row finished before the clock read after the run.
    assert 0 < max(r.timings.finished_ms for r in there.results if r is not None) <= clock


def test_stop_ends_a_cluster_run_soon_with_every_row_reported(testbed) -> None:
    batch = parse_lines([f"{testbed.url}/page/{i}?latency=100" for i in range(300)])
    seen = Recorder()

    async def go() -> None:
        run = LoopClusterRun(batch, Settings(concurrency=2, cluster="local:2"), seen, shard_size=20)
        task = asyncio.ensure_future(run.execute())
        while not seen.results:  # the first shard's results arrive
            await asyncio.wait({task}, timeout=0.05)
            assert not task.done()
        run.cancel()
        summary = await asyncio.wait_for(task, 60)
        assert summary.interrupted and summary.cancelled > 0
        assert summary.ok + summary.cancelled == len(batch)

    asyncio.run(go())
    assert sorted(r.input_index for r in seen.results) == list(range(300))
    assert seen.summaries[0].cancelled == sum(r.error_kind is ErrorKind.CANCELLED for r in seen.results)


def test_an_unreachable_scheduler_is_a_clear_error() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    run = LoopClusterRun(
        parse_lines(["http://127.0.0.1:9/"]), Settings(cluster=f"tcp://127.0.0.1:{port}", connect_timeout=2)
    )
    with pytest.raises(ClusterError, match=re.escape(f"cannot reach the Dask scheduler tcp://127.0.0.1:{port}")):
        asyncio.run(run.execute())


def test_without_dask_the_error_says_how_to_install_it(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # what an install without it looks like to import
    run = LoopClusterRun(parse_lines(["http://127.0.0.1:9/"]), Settings(cluster="local:2"))
    with pytest.raises(ClusterError, match=r"requirements-cluster\.txt"):
        asyncio.run(run.execute())


def test_the_per_host_limit_holds_across_the_cluster() -> None:
    from tests.testbed.background import BackgroundLoop
    from tests.testbed.hosts import HostsServer

    with BackgroundLoop() as bg:
        server = HostsServer(bg).start()
        lines = [f"{base}/p/{i}?ms=60" for i in range(60) for base in server.urls]
        batch = parse_lines(lines)
        seen = Recorder()
        run = LoopClusterRun(batch, Settings(concurrency=20, per_host=2, cluster="local:2"), seen)
        summary = asyncio.run(run.execute())
        peak, served = server.peak, server.served
    assert summary.ok == len(lines), {r.error for r in seen.results if not r.ok}
    hosts = {base.removeprefix("http://") for base in server.urls}
    assert set(peak) == hosts and all(served[h] >= 60 for h in hosts)
    assert max(peak.values()) == 2, peak  # each host was fetched 2 at a time, never more
    assert len(run.workers) == 2


def test_a_retry_on_the_cluster_fetches_only_the_rows_asked(testbed, unique_key) -> None:
    import requests

    lines = [f"{testbed.url}/page/{i}?key={unique_key}" for i in range(30)]
    batch = parse_lines(lines)
    prior = {i: FetchResult(i, lines[i], Settings().mode, status_code=200, ok=True) for i in range(20)}
    seen = Recorder()
    run = LoopClusterRun(batch, Settings(cluster="local:2"), seen, only=range(20, 30), prior=prior)
    summary = asyncio.run(run.execute())
    assert requests.get(f"{testbed.url}/count?key={unique_key}", timeout=5).json()["count"] == 10
    assert all(run.results[i] is prior[i] for i in prior) and all(r is not None and r.ok for r in run.results)
    assert summary.ok == 30 and sorted(r.input_index for r in seen.results) == list(range(30))
