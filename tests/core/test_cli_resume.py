"""Headless --resume and --retry-failed read what is missing from the journal (streamed), and give the
CSV an uninterrupted run gives."""

from __future__ import annotations

import csv
import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from core.export import COLUMNS

ROOT = Path(__file__).resolve().parents[2]
TIMES = frozenset(c for c in COLUMNS if c.endswith("_ms"))  # the timing columns differ between two runs
N = 3000

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(300),
    pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals"),
]


def _main(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--headless", *args],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=ROOT,
    )


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [{k: v for k, v in r.items() if k not in TIMES} for r in csv.DictReader(fh)]


def _journal(data: Path, run_id: int) -> dict[int, str]:
    db = sqlite3.connect(data / "journal.sqlite3")
    try:
        return dict(db.execute("SELECT input_index, data FROM results WHERE run_id=?", (run_id,)))
    finally:
        db.close()


def test_resume_and_retry_of_a_stopped_streamed_run_give_the_uninterrupted_csv(testbed, tmp_path, unique_key) -> None:
    lines = [f"{testbed.url}/page/{i}?size=800&links=3" for i in range(N)]
    lines[5] = "not a url"
    lines[40] = f"{testbed.url}/status/404"
    lines[2500] = f"{testbed.url}/status/404"
    lines[1200] = f"{testbed.url}/hang?key={unique_key}"  # where the first run is stopped
    lines.insert(0, "# a comment line: indices count URLs, the CSV's line column counts lines")
    lines.append(lines[11])  # a duplicate of a row done before the stop
    lines.append(lines[2900])  # ... and of one fetched by the resume
    urls = tmp_path / "urls.txt"
    urls.write_text("\n".join(lines) + "\n")
    common = ("--concurrency", "10", "--timeout", "3")  # /hang ends as a timeout row within 3 s
    full = tmp_path / "full.csv"
    proc = _main(*common, "--no-journal", "--csv", str(full), str(urls))
    assert proc.returncode == 0, proc.stderr

    def hang_hits() -> int:
        return int(requests.get(f"{testbed.url}/count?key={unique_key}", timeout=5).json().get("count", 0))

    seen = hang_hits()  # the uninterrupted run's
    data = tmp_path / "data"
    stopped = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "--headless",
            *common,
            "--data-dir",
            str(data),
            "--csv",
            str(tmp_path / "stopped.csv"),
            str(urls),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 120
    while hang_hits() <= seen:
        assert time.monotonic() < deadline and stopped.poll() is None, "the run never reached /hang"
        time.sleep(0.05)  # polling the server's counter, not a synchronisation guess
    stopped.send_signal(signal.SIGINT)
    _out, err = stopped.communicate(timeout=60)
    assert stopped.returncode == 130, err
    before = _journal(data, 1)
    assert 1000 < len(before) < N  # stopped part way: what is missing is what the journal lacks

    resumed = tmp_path / "resumed.csv"
    proc = _main(
        "--resume",
        "last",
        "--data-dir",
        str(data),
        "--csv",
        str(resumed),
        "--summary-json",
        str(tmp_path / "resume.json"),
    )
    assert proc.returncode == 0, proc.stderr
    assert _rows(resumed) == _rows(full)
    after = _journal(data, 1)
    assert len(after) == N + 2
    kept = [i for i, d in before.items() if json.loads(d)["error_kind"] != "cancelled"]
    assert kept and all(after[i] == before[i] for i in kept)  # kept rows were neither fetched nor rewritten
    summary = json.loads((tmp_path / "resume.json").read_text())
    assert (summary["urls"], summary["ok"], summary["failed"], summary["run_id"]) == (N + 2, N - 4 + 2, 4, 1)

    retried = tmp_path / "retried.csv"
    proc = _main(
        "--retry-failed",
        "1",
        "--data-dir",
        str(data),
        "--csv",
        str(retried),
        "--summary-json",
        str(tmp_path / "retry.json"),
    )
    assert proc.returncode == 0, proc.stderr
    assert _rows(retried) == _rows(full)
    retry_id = json.loads((tmp_path / "retry.json").read_text())["run_id"]
    again = _journal(data, retry_id)
    assert len(again) == N + 2  # the retry's run holds every row: kept ones copied, failed ones fetched again
    ok_rows = [i for i, d in after.items() if json.loads(d)["ok"]]
    assert all(again[i] == after[i] for i in ok_rows)
