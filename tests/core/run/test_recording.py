"""A run's journal on the engine's side (core/run/recording.py): the kept results streamed from the journal,
the writer that skips what the run holds already, and the record finished when the app dies mid-run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import psutil
import pytest

from core.model import ErrorKind, FetchResult, Mode, RunSummary, Timings
from core.run.indexset import IndexSet
from core.run.recording import JournalTarget, KeptResults, Recording
from core.settings import Settings
from core.store import Journal, JournalWriter

pytestmark = pytest.mark.timeout(180)

ROOT = Path(__file__).resolve().parents[3]


def _result(i: int) -> FetchResult:
    return FetchResult(i, f"http://h/{i}", Mode.ASYNC, status_code=200, ok=True, bytes=i,
                       timings=Timings(float(i), finished_ms=i + 1.0))


def _recorded(journal: Journal, n: int, rows: list[int]) -> int:
    run_id = journal.create_run([f"http://h/{i}" for i in range(n)], Settings(), n)
    writer = JournalWriter(journal, run_id)
    for i in rows:
        writer.on_result(_result(i))
    writer.close()
    return run_id


def _keep(*rows: int) -> IndexSet:
    keep = IndexSet(16)
    for i in rows:
        keep.add(i)
    return keep


def test_kept_results_come_from_the_journal_in_input_order_and_out_of_it(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite3")
    run_id = _recorded(journal, 12, list(range(10)))
    kept = KeptResults(journal, run_id, _keep(1, 3, 4, 9))
    assert len(kept) == 4 and list(kept) == [1, 3, 4, 9] and 3 in kept and 2 not in kept
    assert [kept[i] for i in (1, 3, 4)] == [_result(1), _result(3), _result(4)]  # streamed, as a run asks
    assert kept[1] == _result(1)  # behind the stream: read alone
    assert kept[9] == _result(9)
    with pytest.raises(KeyError):
        kept[2]  # not kept
    assert dict(kept) == {i: _result(i) for i in (1, 3, 4, 9)}
    kept.close()
    journal.close()


def test_a_recording_keeps_only_recorded_rows_and_does_not_write_them_again(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite3")
    run_id = _recorded(journal, 6, [0, 1, 2])
    # A resume of the same run: row 5 is claimed kept but has no result, so it is fetched after all.
    recording = Recording(JournalTarget(journal.path, run_id, kept_from=run_id, keep=_keep(0, 2, 5)))
    assert recording.kept is not None and list(recording.kept) == [0, 2]
    assert journal.run_info(run_id).status == "running"  # reopened by this process
    changed = FetchResult(2, "http://h/2", Mode.ASYNC, error_kind=ErrorKind.TIMEOUT, error="x",
                          timings=Timings(0.0, finished_ms=1.0))
    recording.writer.on_result(changed)  # a kept row reported again: not written over
    recording.writer.on_result(_result(5))
    recording.close()
    assert journal.results_at(run_id, range(6)) == {i: _result(i) for i in (0, 1, 2, 5)}
    # A retry run gets the kept rows of the run it retries written into it.
    retry = journal.create_run([f"http://h/{i}" for i in range(6)], Settings(), 6, kind="retry", parent_id=run_id)
    recording = Recording(JournalTarget(journal.path, retry, kept_from=run_id, keep=_keep(0, 1)))
    assert recording.kept is not None
    for i in recording.kept:
        recording.writer.on_result(recording.kept[i])
    recording.close()
    assert journal.results_at(retry, range(6)) == {0: _result(0), 1: _result(1)}
    journal.close()


def test_a_recording_closed_without_a_summary_is_interrupted_not_running(tmp_path: Path) -> None:
    """A run that crashed in the engine (no ``on_finish``) must not stay ``running`` while the engine lives."""
    journal = Journal(tmp_path / "j.sqlite3")
    crashed = journal.create_run(["http://h/0", "http://h/1"], Settings(), 2)
    recording = Recording(JournalTarget(journal.path, crashed))
    recording.writer.on_result(_result(0))
    recording.close()  # as the engine does when run.execute() raised
    info = journal.run_info(crashed)
    assert (info.status, info.crashed, info.done) == ("interrupted", False, 1)
    assert [r.id for r in journal.interrupted_runs()] == [crashed]
    finished = journal.create_run(["http://h/0"], Settings(), 1)
    recording = Recording(JournalTarget(journal.path, finished))
    recording.writer.on_result(_result(0))
    recording.writer.on_finish(RunSummary(Mode.ASYNC, 1, 1, 0, 0, 1.0, 1.0, 1, 1, 1, 1, 0, 1.0))
    recording.close()
    assert journal.run_info(finished).status == "finished"  # a run that ended is left as it was recorded
    journal.close()


def test_when_the_app_dies_mid_run_the_engine_records_the_run_as_interrupted(testbed: Any, tmp_path: Path) -> None:
    fast = [f"{testbed.url}/page/{i}?size=1000" for i in range(3)]
    lines = fast + [f"{testbed.url}/page/{500 + i}?latency=60000" for i in range(2)]
    path = tmp_path / "journal.sqlite3"
    script = (
        "import asyncio, sys\n"
        "from core.run.host import EngineHost\n"
        "from core.run.observer import NullObserver\n"
        "from core.run.recording import JournalTarget\n"
        "from core.settings import Settings\n"
        "from core.store import Journal\n"
        "from core.urls import parse_lines\n"
        f"LINES = {lines!r}\n"
        "class Tell(NullObserver):\n"
        "    n = 0\n"
        "    def on_result(self, result):\n"
        "        self.n += 1\n"
        f"        if self.n == {len(fast)}:\n"
        "            print(engine.pid, flush=True)\n"
        "async def main():\n"
        "    global engine\n"
        "    journal = Journal(sys.argv[1])\n"
        "    run_id = journal.create_run(LINES, Settings(), len(LINES))\n"
        "    engine = EngineHost(workers=1)\n"
        "    target = JournalTarget(journal.path, run_id)\n"
        "    await engine.run(parse_lines(LINES), Settings(), Tell(), journal=target).execute()\n"
        "if __name__ == '__main__':\n"
        "    asyncio.run(main())\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script, str(path)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        engine = psutil.Process(int(proc.stdout.readline()))
        family = [engine, *engine.children(recursive=True)]
        os.kill(proc.pid, signal.SIGKILL)  # the app dies without a word, two requests in flight
        proc.wait(timeout=10)
        _gone, alive = psutil.wait_procs(family, timeout=15)
        assert not alive, [p.pid for p in alive]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    journal = Journal(path)
    [info] = journal.runs()
    # Written by the engine as it ended (a summary, the slow rows cancelled), not inferred from a dead process.
    assert (info.status, info.done, info.ok, info.crashed) == ("interrupted", len(fast), len(fast), False)
    assert info.summary is not None and info.summary["cancelled"] == 2
    assert journal.result_count(info.id) == len(lines)
    journal.close()
