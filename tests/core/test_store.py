"""The run journal: round trips, history, resume, retry failed, and a SIGKILL crash test."""

from __future__ import annotations

import asyncio
import csv
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.model import ErrorKind, FetchResult, Mode, PageInfo, RunSummary, Timings
from core.run.engine import Run
from core.settings import Settings
from core.store import Journal, JournalWriter, result_from_json, result_to_json
from core.urls import parse_lines

ROOT = Path(__file__).resolve().parents[2]


def test_result_round_trip() -> None:
    r = FetchResult(3, "https://e.example/", Mode.THREADS, final_url="https://e.example/x", status_code=404,
                    error_kind=ErrorKind.HTTP_ERROR, error="HTTP 404 Not Found", page=PageInfo(title="ü", links=2),
                    redirects=("https://e.example/",), attempts=2,
                    timings=Timings(1.0, 2.0, None, 3.0, 4.0, 5.0, 6.0, 30.0))
    assert result_from_json(result_to_json(r)) == r


def test_journal_records_a_run_and_history(testbed, extractor, tmp_path) -> None:
    journal = Journal(tmp_path / "j.sqlite3")
    lines = [f"{testbed.url}/page/{i}" for i in range(5)] + [f"{testbed.url}/status/500", "bad url"]
    settings = Settings(mode=Mode.ASYNC)
    run_id = journal.create_run(lines, settings, len(lines))
    writer = JournalWriter(journal, run_id)
    run = Run(parse_lines(lines), settings, writer, extractor=extractor)
    summary = asyncio.run(run.execute())
    info = journal.run_info(run_id)
    assert (info.status, info.total, info.done, info.ok, info.failed) == ("finished", 7, 7, 5, 2)
    assert info.wall_s == pytest.approx(summary.wall_s)
    got_lines, batch, got_settings, results = journal.load(run_id)
    assert got_lines == lines and got_settings == settings and len(batch) == 7
    assert [results[i] for i in range(7)] == run.results
    assert writer.commits <= writer.written  # batched: never more commits than results
    assert journal.resolve("last") == run_id
    journal.delete_run(run_id)
    assert journal.runs() == []


def test_dead_process_means_interrupted(tmp_path) -> None:
    journal = Journal(tmp_path / "j.sqlite3")
    run_id = journal.create_run(["https://a.example/"], Settings(), 1)
    # Pretend the run belonged to a process that no longer exists.
    journal._db.execute("UPDATE runs SET pid=? WHERE id=?", (2**22 + 12345, run_id))
    assert journal.run_info(run_id).status == "interrupted"
    assert [r.id for r in journal.interrupted_runs()] == [run_id]
    journal.finish_run(run_id, RunSummary(Mode.ASYNC, 1, 1, 0, 0, 1.0, 1.0, 1, 1, 1, 1, 0, 1.0))
    assert journal.interrupted_runs() == []


def _cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "--headless", *args],
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT)


def test_retry_failed_refetches_only_failed_rows(testbed, tmp_path, unique_key) -> None:
    urls = tmp_path / "u.txt"
    k = unique_key
    urls.write_text(f"{testbed.url}/page/1?key={k}ok\n{testbed.url}/retry?key={k}r&times=2&status=503&after=0\n")
    dd = str(tmp_path / "data")
    first = _cli("--data-dir", dd, "--retries", "0", str(urls))
    assert first.returncode == 0 and "1 ok, 1 failed" in first.stdout
    out = tmp_path / "o.csv"
    second = _cli("--data-dir", dd, "--retries", "0", "--retry-failed", "last", "--csv", str(out))
    assert second.returncode == 0, second.stderr
    second_again = _cli("--data-dir", dd, "--retries", "0", "--retry-failed", "last")
    assert "2 ok, 0 failed" in second_again.stdout
    import requests

    hits = {s: requests.get(f"{testbed.url}/count?key={k}{s}", timeout=5).json()["count"] for s in ("ok", "r")}
    assert hits == {"ok": 1, "r": 3}  # the good page was never fetched again
    runs = Journal(Path(dd) / "journal.sqlite3").runs()
    assert [r.kind for r in runs] == ["retry", "retry", "run"]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_sigkill_then_resume_loses_nothing(testbed, tmp_path, unique_key) -> None:
    n = 120
    urls = tmp_path / "u.txt"
    urls.write_text("\n".join(f"{testbed.url}/page/{i}?latency=150&key={unique_key}-{i}" for i in range(n)))
    dd = tmp_path / "data"
    db_path = dd / "journal.sqlite3"
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--headless", "--concurrency", "4",
                             "--data-dir", str(dd), str(urls)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    committed = 0
    while committed < 30:  # poll the journal itself: the test waits on the state it checks
        assert time.monotonic() < deadline and proc.poll() is None
        if db_path.exists():
            try:
                with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5) as db:
                    committed = db.execute("SELECT COUNT(*) FROM results").fetchone()[0]
            except sqlite3.OperationalError:
                committed = 0
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    with sqlite3.connect(db_path) as db:
        before = dict(db.execute("SELECT input_index, data FROM results"))
    assert 30 <= len(before) < n

    listing = _cli("--data-dir", str(dd), "--list-runs")
    assert "interrupted" in listing.stdout
    out = tmp_path / "o.csv"
    resumed = _cli("--data-dir", str(dd), "--resume", "last", "--csv", str(out))
    assert resumed.returncode == 0, resumed.stderr
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [int(r["input_index"]) for r in rows] == list(range(n))  # exactly one result per URL
    assert all(r["ok"] == "true" for r in rows)
    with sqlite3.connect(db_path) as db:
        after = dict(db.execute("SELECT input_index, data FROM results"))
        status = db.execute("SELECT status FROM runs").fetchall()
    assert status == [("finished",)]
    for idx, data in before.items():  # nothing committed before the kill was lost or refetched
        assert after[idx] == data
    import requests

    refetched = [i for i in before
                 if requests.get(f"{testbed.url}/count?key={unique_key}-{i}", timeout=5).json()["count"] != 1]
    assert refetched == []


def test_close_does_not_wait_out_the_gathering_pause(tmp_path, monkeypatch) -> None:
    # The window closes the writer on the GUI thread when a run ends: it must not sit out
    # the pause in which results gather (a 100 ms stall at every run's end, seen in the app).
    import core.store

    monkeypatch.setattr(core.store, "FLUSH_INTERVAL", 30.0)
    journal = Journal(tmp_path / "j.sqlite3")
    run_id = journal.create_run(["https://a.example/"], Settings(), 1)
    writer = JournalWriter(journal, run_id)
    writer.on_result(FetchResult(0, "https://a.example/", Mode.ASYNC, status_code=200, ok=True))
    t = time.perf_counter()
    writer.close()
    assert time.perf_counter() - t < 10  # far below the 30 s pause
    assert journal.result_count(run_id) == 1
