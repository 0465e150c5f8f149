"""The command line as a new user meets it: one-line usage errors, --version, output paths checked
before any fetching, nothing to fetch, -q, and "–"/null for figures without data."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from core import __version__
from core.cli.report import format_summary
from core.model import ErrorKind, FetchResult, Mode
from core.run.stats import summarise

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)


def test_version() -> None:
    proc = _run("--version")
    assert proc.returncode == 0 and proc.stdout.strip() == f"Fetchlens {__version__}"


@pytest.mark.parametrize("args", [["--headless", "--bogus"], ["--headless", "--mode", "fast", "x.txt"],
                                  ["--headless", "--sum", "s.json", "x.txt"]])  # no abbreviations
def test_usage_errors_are_one_line_pointing_at_help(args: list[str]) -> None:
    proc = _run(*args)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("fetchlens: ")
    assert proc.stderr.rstrip().endswith("(see main.py --help)") and "usage:" not in proc.stderr


@pytest.mark.parametrize("flag", ["--csv", "--summary-json", "--jsonl", "--xlsx"])
def test_output_paths_are_checked_before_fetching(testbed: Any, tmp_path: Path, flag: str) -> None:
    urls = tmp_path / "urls.txt"
    key = f"cli-outputs-{flag}"
    urls.write_text(f"{testbed.url}/page/1?key={key}\n")
    for target, says in ((tmp_path, f"cannot write {tmp_path}: a folder of that name is in the way"),
                         (tmp_path / "missing" / "out", f"cannot write to {tmp_path / 'missing'}: the folder does "
                                                        "not exist")):
        proc = _run("--headless", "--no-journal", flag, str(target), str(urls))
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr == f"fetchlens: {says}\n"
    with urllib.request.urlopen(f"{testbed.url}/count?key={key}", timeout=10) as resp:
        assert json.load(resp)["count"] == 0  # nothing was fetched


def test_compare_mode_checks_every_per_mode_csv(tmp_path: Path) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text("http://127.0.0.1:9/\n")
    (tmp_path / "out-threads.csv").mkdir()  # a folder where the threads CSV would go
    proc = _run("--headless", "--no-journal", "--mode", "compare", "--csv", str(tmp_path / "out.csv"), str(urls))
    assert proc.returncode == 2 and "out-threads.csv: a folder of that name is in the way" in proc.stderr


def test_only_invalid_lines_is_nothing_to_fetch(tmp_path: Path) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text("# a comment\nnot a url\nhtp:/broken\n")
    summary = tmp_path / "s.json"
    proc = _run("--headless", "--no-journal", "--summary-json", str(summary), str(urls))
    assert proc.returncode == 2
    assert proc.stderr.strip() == "fetchlens: nothing to fetch: none of the 2 lines is a valid URL"
    assert not summary.exists()


def test_quiet_silences_the_invalid_lines_warning(testbed: Any, tmp_path: Path) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{testbed.url}/page/1\nnot a url\n")
    loud = _run("--headless", "--no-journal", str(urls))
    quiet = _run("--headless", "--no-journal", "-q", str(urls))
    assert loud.returncode == quiet.returncode == 0
    assert "not valid URLs" in loud.stderr and "not valid URLs" not in quiet.stderr


def test_figures_without_data_are_a_dash_and_null() -> None:
    invalid = FetchResult(0, "nope", Mode.ASYNC, error_kind=ErrorKind.INVALID_URL, error="not a URL")
    s = summarise(Mode.ASYNC, [invalid], wall_s=0.001)
    data = json.loads(json.dumps(s.to_dict()))
    for key in ("p50_ms", "p95_ms", "p99_ms", "max_ms", "pages_per_s", "effective_concurrency"):
        assert data[key] is None, key
    text = format_summary(s)
    assert "p50 –, p95 –, max –, – pages/s" in text and "effective concurrency –" in text
    assert "0 ms" not in text


def test_csv_line_column_is_the_input_line(testbed: Any, tmp_path: Path) -> None:
    import csv

    urls = tmp_path / "urls.txt"
    urls.write_text(f"# list\n{testbed.url}/page/1\n\nnot a url\n{testbed.url}/page/2\n")
    out = tmp_path / "out.csv"
    jsonl = tmp_path / "out.jsonl"
    proc = _run("--headless", "--no-journal", "-q", "--csv", str(out), "--jsonl", str(jsonl), str(urls))
    assert proc.returncode == 0, proc.stderr
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["input_index"], r["line"]) for r in rows] == [("0", "2"), ("1", "4"), ("2", "5")]
    objects = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert [(o["input_index"], o["line"]) for o in objects] == [(0, 2), (1, 4), (2, 5)]


def test_a_comparison_is_journaled_as_one_comparison_of_three_runs(testbed: Any, tmp_path: Path) -> None:
    from core.store import Journal

    urls = tmp_path / "urls.txt"
    urls.write_text("\n".join(f"{testbed.url}/page/{i}" for i in range(3)) + "\n")
    summary = tmp_path / "s.json"
    proc = _run("--headless", "-q", "--mode", "compare", "--data-dir", str(tmp_path / "data"),
                "--summary-json", str(summary), str(urls))
    assert proc.returncode == 0, proc.stderr
    listing = _run("--headless", "--list-runs", "--data-dir", str(tmp_path / "data"))
    assert listing.returncode == 0
    rows = [line.split() for line in listing.stdout.splitlines()[1:]]
    assert [(r[3], r[4], r[5]) for r in reversed(rows)] == [("sync", "compare", "finished"),
                                                             ("threads", "compare", "finished"),
                                                             ("async", "compare", "finished")]
    first = int(rows[-1][0])
    assert json.loads(summary.read_text())["run_id"] == first
    runs = Journal(tmp_path / "data" / "journal.sqlite3").runs()
    assert [r.parent_id or r.id for r in runs] == [first] * 3 and all(r.ok == 3 for r in runs)
