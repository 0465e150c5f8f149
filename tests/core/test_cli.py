"""The headless command line end to end, as a subprocess: CSV, summary JSON, exit codes."""

from __future__ import annotations

import csv
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, stdin: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], input=stdin, capture_output=True,
                          text=True, timeout=timeout, cwd=ROOT)


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_async_run_writes_csv_in_input_order(testbed, tmp_path) -> None:
    urls = tmp_path / "urls.txt"
    lines = [f"{testbed.url}/page/{i}?latency={(9 - i) * 30}" for i in range(10)]  # later ones finish first
    urls.write_text("# list\n" + "\n".join(lines[:5]) + "\nnot a url\n" + "\n".join(lines[5:]) + "\n")
    out, summary = tmp_path / "out.csv", tmp_path / "s.json"
    proc = _run("--headless", "--mode", "async", "--csv", str(out), "--summary-json", str(summary), str(urls))
    assert proc.returncode == 0, proc.stderr
    rows = _rows(out)
    assert [r["input_index"] for r in rows] == [str(i) for i in range(11)]
    assert rows[5]["error_kind"] == "invalid_url" and rows[5]["url"] == "not a url"
    assert rows[0]["title"] == "Page 0" and rows[0]["status_code"] == "200" and rows[0]["mode"] == "async"
    data = json.loads(summary.read_text())
    for key in ("mode", "urls", "ok", "failed", "wall_s", "sum_elapsed_s", "p50_ms", "p95_ms", "pages_per_s"):
        assert key in data
    assert (data["urls"], data["ok"], data["failed"]) == (11, 10, 1)
    assert "10 ok, 1 failed" in proc.stdout


def test_stdin_and_csv_input(testbed, tmp_path) -> None:
    src = tmp_path / "in.csv"
    src.write_text(f"id,url\n1,{testbed.url}/page/1\n2,{testbed.url}/status/404\n")
    out = tmp_path / "o.csv"
    proc = _run("--headless", "--mode", "threads", "--csv", str(out), str(src))
    assert proc.returncode == 0, proc.stderr
    assert [r["status_code"] for r in _rows(out)] == ["200", "404"]
    proc = _run("--headless", "--mode", "sync", "--csv", str(out), "-", stdin=f"{testbed.url}/page/9\n")
    assert proc.returncode == 0 and _rows(out)[0]["title"] == "Page 9"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--headless", "missing-file.txt"], "cannot read"),
        (["--headless"], "no URL file"),
        (["--headless", "--concurrency", "0", "EMPTY"], "concurrency"),
        (["--headless", "EMPTY"], "no URLs"),
        (["--headless", "--mode", "turbo", "EMPTY"], "invalid choice"),
        (["--headless", "--csv", "/no/such/folder/out.csv", "EMPTY"], "folder does not exist"),
    ],
)
def test_bad_input_exits_2_with_one_line(args: list[str], message: str, tmp_path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing here\n\n")
    proc = _run(*[str(empty) if a == "EMPTY" else a for a in args])
    assert proc.returncode == 2
    assert message in proc.stderr
    assert proc.stdout == ""
    assert not list(tmp_path.glob("*.csv"))


def test_help_documents_everything() -> None:
    proc = _run("--help")
    assert proc.returncode == 0
    for flag in ("--headless", "--mode", "--concurrency", "--timeout", "--retries", "--csv", "--summary-json",
                 "--start", "--quit-when-done", "--resume", "--retry-failed", "--install-launcher", "--lang"):
        assert flag in proc.stdout


def test_compare_mode(testbed, tmp_path) -> None:
    urls = tmp_path / "u.txt"
    urls.write_text("\n".join(f"{testbed.url}/page/{i}?latency=100" for i in range(6)))
    out, summary = tmp_path / "c.csv", tmp_path / "c.json"
    proc = _run("--headless", "--mode", "compare", "--csv", str(out), "--summary-json", str(summary), str(urls))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(summary.read_text())
    assert set(data["modes"]) == {"sync", "threads", "async"}
    assert data["speedup_vs_sync"]["async"] > 2
    assert "faster than sync on these 6 URLs" in proc.stdout
    for mode in ("sync", "threads", "async"):
        assert len(_rows(tmp_path / f"c-{mode}.csv")) == 6


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_interrupt_writes_partial_csv_and_exits_130(testbed, tmp_path, unique_key) -> None:
    import requests

    urls = tmp_path / "u.txt"
    # One at a time: when the server sees the /hang request, the three pages before it are done.
    urls.write_text("\n".join([f"{testbed.url}/page/{i}" for i in range(3)] + [f"{testbed.url}/hang?key={unique_key}"]))
    out = tmp_path / "o.csv"
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--headless", "--concurrency", "1",
                             "--csv", str(out), str(urls)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT)
    deadline = time.monotonic() + 60
    while requests.get(f"{testbed.url}/count?key={unique_key}", timeout=5).json().get("count", 0) < 1:
        assert time.monotonic() < deadline and proc.poll() is None, "the run never reached /hang"
        time.sleep(0.05)  # polling the server's counter, not a synchronisation guess
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    rows = _rows(out)
    assert len(rows) == 4
    assert rows[3]["error_kind"] == "cancelled"
    assert [r["ok"] for r in rows[:3]] == ["true"] * 3
