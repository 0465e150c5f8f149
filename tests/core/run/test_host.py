"""The engine process (core/run/host.py): the same run as in-process, events in order, stop, resume, and
nothing left behind when the app dies."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psutil
import pytest

from core.model import ErrorKind, FetchResult, Mode, Timings
from core.parse.pool import Extractor
from core.run import host
from core.run.engine import STREAM_STATS_ABOVE
from core.run.host import EngineHost
from core.run.observer import Recorder
from core.settings import Settings
from core.urls import parse_lines
from tests.core.conftest import run_batch

pytestmark = pytest.mark.timeout(180)

ROOT = Path(__file__).resolve().parents[3]
SAME = (
    "input_index",
    "url",
    "final_url",
    "status_code",
    "ok",
    "error_kind",
    "bytes",
    "duplicate_of",
    "redirects",
    "charset",
    "page",
)


def _in_engine(
    lines: list[str], mode: Mode, recorder: Recorder | None = None, cancel_after: int = 0, **kwargs: Any
) -> tuple[Any, Any, int | None]:
    """Run ``lines`` in a fresh engine; returns (remote run, summary, engine pid)."""

    async def scenario() -> tuple[Any, Any, int | None]:
        engine = EngineHost(workers=1)
        try:
            run = engine.run(parse_lines(lines), Settings(mode=mode, concurrency=8), recorder, **kwargs)
            task = asyncio.ensure_future(run.execute())
            if cancel_after:
                while sum(r is not None for r in run.results) < cancel_after:
                    await asyncio.wait([task], timeout=0.02)  # results arrive on this loop; nothing to signal
                    assert not task.done()
                run.cancel()
            summary = await asyncio.wait_for(task, 60)
            return run, summary, engine.pid
        finally:
            await engine.close()

    return asyncio.run(scenario())


@pytest.mark.parametrize("mode", [Mode.THREADS, Mode.ASYNC], ids=["threads", "async"])
def test_the_engine_gives_what_an_in_process_run_gives(
    mode: Mode, testbed: Any, extractor: Extractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(host, "ENTRY_CHUNK", 3)  # the batch crosses in several chunks
    lines = [f"{testbed.url}/page/{i}?size=4000" for i in range(6)]
    lines += [f"{testbed.url}/status/404", "not a url", f"{testbed.url}/page/2?size=4000", f"{testbed.url}/redirect/2"]
    recorder = Recorder()
    run, summary, pid = _in_engine(lines, mode, recorder)
    assert pid is not None and pid != os.getpid()
    local, _ = run_batch(lines, mode, extractor, concurrency=8)
    remote = run.results
    assert [[getattr(r, f) for f in SAME] for r in remote] == [[getattr(r, f) for f in SAME] for r in local]
    assert remote[8] is not None and remote[8].duplicate_of == 2 and remote[7].error_kind is ErrorKind.INVALID_URL
    # The observer saw what an in-process observer sees, in order: start, progress and results, finish.
    assert len(recorder.started) == 1 and recorder.started[0].total == len(lines) and recorder.started[0].mode is mode
    in_process = Recorder()
    run_batch(lines, mode, extractor, in_process, concurrency=8)
    assert list(recorder.started[0].urls) == list(in_process.started[0].urls)  # read from the batch sent
    assert list(recorder.started[0].lines) == list(in_process.started[0].lines)
    assert sorted(r.input_index for r in recorder.results) == list(range(len(lines)))
    assert recorder.summaries == [summary] and summary.urls == len(lines) and summary.ok == 8
    assert {p.input_index for p in recorder.progress} <= set(range(len(lines)))
    # The clock is the engine's run clock: every row finished within the run's wall time.
    assert max(r.timings.finished_ms for r in remote) <= summary.wall_s * 1000.0 + 1
    assert run.now_ms() >= summary.wall_s * 1000.0 - 50


def test_stop_and_resume_in_the_engine(testbed: Any) -> None:
    fast = [f"{testbed.url}/page/{i}?size=1000" for i in range(4)]
    slow = [f"{testbed.url}/page/{300 + i}?latency=8000" for i in range(3)]
    run, summary, _pid = _in_engine(fast + slow, Mode.ASYNC, cancel_after=len(fast))
    assert summary.interrupted and summary.ok == len(fast) and summary.cancelled == len(slow)
    assert all(r is not None and r.error_kind is ErrorKind.CANCELLED for r in run.results[len(fast) :])
    assert summary.wall_s < 5  # stopped, not waited out
    # Resume: the known rows come back as they were, only the rest is fetched.
    kept = FetchResult(0, fast[0], Mode.ASYNC, status_code=200, ok=True, timings=Timings(1.0, finished_ms=2.0))
    run, summary, _pid = _in_engine(fast[:2], Mode.ASYNC, prior={0: kept}, only=[1])
    assert run.results[0] == kept
    assert run.results[1] is not None and run.results[1].ok and run.results[1].timings.started_ms > 0
    assert summary.ok == 2


def test_a_crash_in_the_engine_fails_the_run_and_the_next_run_starts_a_new_engine(testbed: Any) -> None:
    async def scenario() -> tuple[str, int | None, int | None, Any]:
        engine = EngineHost(workers=1)
        try:
            slow = [f"{testbed.url}/page/{400 + i}?latency=8000" for i in range(3)]
            run = engine.run(parse_lines(slow), Settings(mode=Mode.ASYNC))
            task = asyncio.ensure_future(run.execute())
            await engine.start()
            first = engine.pid
            assert first is not None
            os.kill(first, signal.SIGKILL)
            with pytest.raises(host.EngineError) as caught:
                await asyncio.wait_for(task, 30)
            again = engine.run(parse_lines([f"{testbed.url}/page/1"]), Settings(mode=Mode.ASYNC))
            summary = await asyncio.wait_for(again.execute(), 60)
            return str(caught.value), first, engine.pid, summary
        finally:
            await engine.close()

    message, first, second, summary = asyncio.run(scenario())
    assert message == "the engine process ended unexpectedly (killed by signal 9)"
    assert second is not None and second != first and summary.ok == 1
    assert not psutil.pid_exists(first) or psutil.Process(first).status() == psutil.STATUS_ZOMBIE


def test_the_engine_and_its_parsers_end_when_the_app_is_killed(testbed: Any) -> None:
    script = (
        "import asyncio, os, sys\n"
        "from core.run.host import EngineHost\n"
        "from core.settings import Settings\n"
        "from core.urls import parse_lines\n"
        "async def main():\n"
        "    engine = EngineHost(workers=2)\n"
        f"    run = engine.run(parse_lines(['{testbed.url}/page/1?latency=60000']), Settings())\n"
        "    task = asyncio.ensure_future(run.execute())\n"
        "    await engine.start()\n"
        "    print(engine.pid, flush=True)\n"
        "    await task\n"
        "if __name__ == '__main__':\n"
        "    asyncio.run(main())\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        engine = psutil.Process(int(proc.stdout.readline()))
        family = [engine, *engine.children(recursive=True)]
        kinds = [" ".join(p.cmdline()) for p in family]
        assert sum("spawn_main" in k for k in kinds) == 3, kinds  # the engine and its two parser processes
        os.kill(proc.pid, signal.SIGKILL)  # the app dies without a word (a crash, kill -9)
        proc.wait(timeout=10)
        _gone, alive = psutil.wait_procs(family, timeout=10)
        assert not alive, [" ".join(p.cmdline()) for p in alive]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


class _SlowStart(Recorder):
    """An app that takes 300 ms to handle the start (the window building 100,000 rows)."""

    def on_start(self, info: Any) -> None:
        super().on_start(info)
        time.sleep(0.3)  # stands for the work, not a wait for anything


def test_the_engine_waits_until_the_app_has_handled_the_start(testbed: Any) -> None:
    recorder = _SlowStart()
    run, summary, _pid = _in_engine([f"{testbed.url}/page/{i}?size=1000" for i in range(4)], Mode.ASYNC, recorder)
    assert summary.ok == 4
    # As in the window's own thread before: the run's clock runs meanwhile, no request starts before.
    assert min(r.timings.started_ms for r in run.results) >= 300


def test_a_run_that_cannot_start_fails_alone_and_its_record_is_not_left_running(testbed: Any, tmp_path) -> None:
    """A setting the engine refuses (a cluster address that is not one, let through without validation):
    that run fails with a message, its journal record says interrupted, and the same engine runs the next."""
    from core.run.recording import JournalTarget
    from core.store import Journal

    journal = Journal(tmp_path / "journal.sqlite3")
    lines = [f"{testbed.url}/page/1"]
    bad = Settings(mode=Mode.ASYNC, cluster="not a cluster")
    run_id = journal.create_run(lines, bad, 1)

    async def scenario() -> tuple[str, int | None, int | None, Any]:
        engine = EngineHost(workers=1)
        try:
            run = engine.run(parse_lines(lines), bad, journal=JournalTarget(journal.path, run_id))
            with pytest.raises(host.EngineError) as caught:
                await asyncio.wait_for(run.execute(), 60)
            first = engine.pid
            again = engine.run(parse_lines(lines), Settings(mode=Mode.ASYNC))
            summary = await asyncio.wait_for(again.execute(), 60)
            return str(caught.value), first, engine.pid, summary
        finally:
            await engine.close()

    try:
        message, first, second, summary = asyncio.run(scenario())
        info = journal.run_info(run_id)
    finally:
        journal.close()
    assert "ValueError" in message and "not a cluster" in message
    assert first is not None and second == first and summary.ok == 1  # the engine lived on and served
    assert info.status == "interrupted"


@pytest.mark.slow
def test_a_big_remote_run_holds_no_result_in_the_app(testbed: Any) -> None:
    """Above STREAM_STATS_ABOVE URLs the app's RemoteRun keeps no result (they were ~1.4 KB a row in the
    window: 1.4 GB at 1,000,000 URLs; its table reads them from the journal) and its start event's URLs
    are the batch's own strings, not a copy through the pipe."""
    n = STREAM_STATS_ABOVE + 1_000
    lines = [f"{testbed.url}/page/{i}" for i in range(20)] + [f"bad url {i}" for i in range(n - 20)]
    recorder = Recorder()

    async def scenario() -> tuple[Any, Any, Any]:
        engine = EngineHost(workers=1)
        try:
            batch = parse_lines(lines)
            run = engine.run(batch, Settings(concurrency=8), recorder)
            return batch, run, await asyncio.wait_for(run.execute(), 120)
        finally:
            await engine.close()

    batch, run, summary = asyncio.run(scenario())
    assert len(recorder.results) == n and all(r is None for r in run.results)
    assert (summary.urls, summary.ok, summary.failed) == (n, 20, n - 20) and summary.p50_ms is not None
    started = recorder.started[0]
    assert len(started.urls) == n and started.urls[5] is batch.entries[5].url and started.urls[-1] == lines[-1]
    assert list(started.lines[:3]) == [1, 2, 3] and started.lines[n - 1] == n
