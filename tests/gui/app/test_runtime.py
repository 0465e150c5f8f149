"""The window's command line and its shutdown, as real processes (offscreen)."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.gui.conftest import write_urls

ROOT = Path(__file__).resolve().parents[3]
SHUTDOWN_NOISE = ("Task was destroyed", "Event loop is closed", "Unclosed", "Traceback", "was never awaited")


def _env(tmp_path: Path) -> dict[str, str]:
    # A private settings folder: the test must not read or change the user's QSettings.
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_API": "pyside6",
            "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data")}


def test_command_line_runs_exports_and_quits(testbed: Any, tmp_path: Path) -> None:
    urls = [f"{testbed.url}/page/{i}?size=2000" for i in range(25)] + [f"{testbed.url}/status/503"]
    url_file = write_urls(tmp_path / "urls.txt", urls)
    out_csv, out_json = tmp_path / "out.csv", tmp_path / "s.json"
    proc = subprocess.run(
        [sys.executable, "main.py", str(url_file), "--start", "--quit-when-done", "--mode", "threads",
         "--concurrency", "5", "--retries", "0", "--csv", str(out_csv), "--summary-json", str(out_json)],
        cwd=ROOT, env=_env(tmp_path), capture_output=True, text=True, timeout=100)
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = json.loads(out_json.read_text(encoding="utf-8"))
    assert summary["mode"] == "threads" and summary["urls"] == 26
    assert summary["ok"] == 25 and summary["failed"] == 1
    for key in ("wall_s", "sum_elapsed_s", "p50_ms", "p95_ms", "pages_per_s", "max_ui_stall_ms", "p99_ui_stall_ms"):
        assert isinstance(summary[key], int | float), key
    assert 0 <= summary["p99_ui_stall_ms"] <= summary["max_ui_stall_ms"]
    with out_csv.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["url"] for r in rows] == urls
    assert {r["mode"] for r in rows} == {"threads"}
    assert not any(noise in proc.stderr for noise in SHUTDOWN_NOISE), proc.stderr[-3000:]


@pytest.mark.parametrize("args", [["--concurrency", "0"], ["missing-file.txt"], ["--mode", "fast"]])
def test_bad_command_line_exits_2_without_a_window(tmp_path: Path, args: list[str]) -> None:
    proc = subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, env=_env(tmp_path), capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.strip()


def test_sigterm_during_a_run_shuts_down_cleanly(testbed: Any, tmp_path: Path) -> None:
    urls = [f"{testbed.url}/page/{i}?latency=5000" for i in range(30)]
    url_file = write_urls(tmp_path / "slow.txt", urls)
    proc = subprocess.Popen([sys.executable, "main.py", str(url_file), "--start", "-v"], cwd=ROOT,
                            env=_env(tmp_path), stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        assert proc.stderr is not None
        seen = []
        deadline = time.monotonic() + 60
        for line in proc.stderr:  # wait for the run to begin (requests are now in flight)
            seen.append(line)
            if "run started" in line or time.monotonic() > deadline:
                break
        assert any("run started" in line for line in seen), "".join(seen)
        t0 = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        rest = proc.stderr.read()
        rc = proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    stderr = "".join(seen) + rest
    assert rc == 130, stderr[-3000:]  # interrupted by a signal, as the command line
    assert time.monotonic() - t0 < 10  # did not wait for the 5 s pages
    assert "shutting down" in stderr and "extraction processes stopped" in stderr
    assert not any(noise in stderr for noise in SHUTDOWN_NOISE), stderr[-3000:]


def test_command_line_compare_mode(testbed: Any, tmp_path: Path) -> None:
    urls = [f"{testbed.url}/page/{i}?size=1000&latency=50" for i in range(6)]
    url_file = write_urls(tmp_path / "urls.txt", urls)
    out_json, out_csv = tmp_path / "compare.json", tmp_path / "c.csv"
    proc = subprocess.run(
        [sys.executable, "main.py", str(url_file), "--mode", "compare", "--start", "--quit-when-done",
         "--summary-json", str(out_json), "--csv", str(out_csv)],
        cwd=ROOT, env=_env(tmp_path), capture_output=True, text=True, timeout=100)
    assert proc.returncode == 0, proc.stderr[-3000:]
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert data["mode"] == "compare" and set(data["modes"]) == {"sync", "threads", "async"}
    assert data["modes"]["async"]["ok"] == 6 and "max_ui_stall_ms" in data
    for mode in ("sync", "threads", "async"):
        assert (tmp_path / f"c-{mode}.csv").read_text(encoding="utf-8-sig").count("\n") == 7
    assert not any(noise in proc.stderr for noise in SHUTDOWN_NOISE), proc.stderr[-3000:]


def test_start_with_nothing_to_fetch_quits_with_status_2(tmp_path: Path) -> None:
    url_file = write_urls(tmp_path / "empty.txt", ["# nothing but a comment"])
    proc = subprocess.run([sys.executable, "main.py", str(url_file), "--start", "--quit-when-done"], cwd=ROOT,
                          env=_env(tmp_path), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "no URLs" in proc.stderr
