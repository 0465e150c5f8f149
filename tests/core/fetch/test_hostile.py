"""A whole run against misbehaving servers: each gets its error kind, memory stays bounded."""

from __future__ import annotations

import csv
import resource
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

HOSTILE = {
    "/page/1": "",
    "/bomb?mb=64": "too_large",  # 64 MiB of zeros in ~64 KB on the wire
    "/endless": "too_large",
    "/big?size=30000000": "too_large",
    "/big-chunked?size=30000000": "too_large",
    "/drip?chunks=50&interval=100": "timeout",
    "/headers-then-stall": "timeout",
    "/hang": "timeout",
    "/redirect-loop": "too_many_redirects",
    "/redirect/12": "too_many_redirects",
    "/redirect-to?url=javascript:alert(1)": "invalid_url",
    "/bad-gzip": "decode",
    "/binary-as-html": "",
    "/invalid-bytes": "",
    "/status/429": "http_error",
    "/page/2": "",
}
RAW = {"/reset-before": "reset", "/reset-mid": "reset", "/short-body": "reset", "/bad-chunked": "reset",
       "/no-answer": "timeout", "/garbage": "reset"}


@pytest.mark.parametrize("mode", ["sync", "threads", "async"])
def test_hostile_batch_in_a_subprocess(mode: str, testbed, tls_server, tmp_path) -> None:
    urls = [testbed.url + p for p in HOSTILE] + [testbed.raw_url + p for p in RAW] + [tls_server.url + "/page/1"]
    expected = [*HOSTILE.values(), *RAW.values(), "tls"]
    src = tmp_path / "u.txt"
    src.write_text("\n".join(urls))
    out = tmp_path / "o.csv"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "--headless", "--no-journal", "--mode", mode,
                           "--timeout", "3", "--retries", "0", "--concurrency", "8", "--csv", str(out), str(src)],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["error_kind"] for r in rows] == expected
    # The bomb decompresses to 64 MiB and /endless never ends: the 10 MB cap keeps memory bounded.
    peak_mb = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    print(f"{mode}: peak RSS of a child process {peak_mb:.0f} MB")
    assert peak_mb < 400
