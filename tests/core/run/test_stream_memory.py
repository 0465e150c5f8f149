"""A headless run's memory does not grow with the number of URLs (the whole process tree, measured)."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

from tests.bench.measure import run_measured

ROOT = Path(__file__).resolve().parents[3]


def _measure(testbed, folder: Path, n: int) -> tuple[float, list[str]]:
    urls = folder / f"urls-{n}.txt"
    urls.write_text("\n".join(f"{testbed.url}/page/{i % 2000}?size=2000&n={i}" for i in range(n)) + "\n")
    out, summary = folder / f"out-{n}.csv", folder / f"s-{n}.json"
    m = run_measured([sys.executable, str(ROOT / "main.py"), "--headless", "--no-parse", "--concurrency", "100",
                      "--reorder-window", "2000", "--data-dir", str(folder), "--csv", str(out),
                      "--summary-json", str(summary), str(urls)], summary, cwd=ROOT, timeout=110)
    assert m.ok, m.stderr_tail
    assert m.report["urls"] == n and m.report["ok"] == n
    with open(out, encoding="utf-8-sig", newline="") as fh:
        indices = [row["input_index"] for row in csv.DictReader(fh)]
    return m.peak_rss_mb, indices


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_peak_memory_is_flat_from_10k_to_50k_urls(testbed, tmp_path) -> None:
    small, _ = _measure(testbed, tmp_path, 10_000)
    big, indices = _measure(testbed, tmp_path, 50_000)
    assert indices == [str(i) for i in range(50_000)]
    # Keeping every row (before streaming) grew ~1.1 KB per URL: +44 MB here, a ratio of ~1.5.
    # Streaming keeps the duplicate index (~100 B per URL) and a window of 2,000 rows.
    assert big / small < 1.2, f"peak RSS {small:.0f} MB at 10k, {big:.0f} MB at 50k"
