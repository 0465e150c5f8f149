"""CSV export: schema, input order, BOM, RFC 4180 quoting, formula neutralising, atomic writes."""

from __future__ import annotations

import csv
import os

import pytest

from core.export import COLUMNS, ExportError, safe_cell, write_csv
from core.model import ErrorKind, FetchResult, Mode, PageInfo, Timings

REQUIRED = [
    "input_index", "url", "final_url", "status_code", "ok", "error_kind", "error", "content_type", "charset", "bytes",
    "title", "meta_description", "h1", "canonical", "links", "redirects", "mode", "attempts", "started_ms", "ttfb_ms",
    "elapsed_ms", "finished_ms",
]


def _result(i: int, **kw: object) -> FetchResult:
    base = dict(input_index=i, url=f"https://e.example/{i}", mode=Mode.ASYNC, final_url=f"https://e.example/{i}",
                status_code=200, ok=True, content_type="text/html", charset="utf-8", bytes=100, attempts=1,
                page=PageInfo(title=f"T{i}", links=3), timings=Timings(10.0, 1.0, None, 2.0, 30.0, 5.0, 1.5, 60.0))
    base.update(kw)
    return FetchResult(**base)  # type: ignore[arg-type]


def _read(path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, so spreadsheets pick the right encoding
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_required_columns_first_in_order() -> None:
    assert list(COLUMNS[: len(REQUIRED)]) == REQUIRED


def test_round_trip_in_input_order(tmp_path) -> None:
    results = [_result(2), None, _result(0, page=PageInfo(title='Comma, "quote"\nnewline')), _result(1)]
    out = tmp_path / "out.csv"
    assert write_csv(out, results) == 3
    rows = _read(out)
    assert [r["input_index"] for r in rows] == ["0", "1", "2"]
    assert rows[0]["title"] == 'Comma, "quote"\nnewline'
    assert rows[1]["ok"] == "true" and rows[1]["status_code"] == "200" and rows[1]["mode"] == "async"
    assert rows[1]["ttfb_ms"] == "33.0" and rows[1]["elapsed_ms"] == "50.0" and rows[1]["finished_ms"] == "60.0"
    assert b"\r\n" in out.read_bytes()  # RFC 4180 line ends


def test_failures_and_invalid_rows(tmp_path) -> None:
    results = [
        _result(0, ok=False, status_code=None, error_kind=ErrorKind.CONNECT, error="refused", page=None, bytes=0),
        FetchResult(1, "bad url", Mode.SYNC, error_kind=ErrorKind.INVALID_URL, error="contains a space"),
    ]
    out = tmp_path / "out.csv"
    write_csv(out, results)
    rows = _read(out)
    assert rows[0]["error_kind"] == "connect" and rows[0]["status_code"] == "" and rows[0]["title"] == ""
    assert rows[1]["error_kind"] == "invalid_url" and rows[1]["started_ms"] == ""


@pytest.mark.parametrize("value", ["=1+1", "+cmd", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_neutralised(value: str, tmp_path) -> None:
    assert safe_cell(value) == "'" + value
    out = tmp_path / "f.csv"
    write_csv(out, [_result(0, page=PageInfo(title=value, h1=value))])
    row = _read(out)[0]
    assert row["title"] == "'" + value
    assert row["h1"] == "'" + value
    assert row["links"] == "0"  # numbers are not touched


def test_plain_cells_untouched() -> None:
    assert safe_cell("Hello = world") == "Hello = world"


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else False, reason="root ignores permissions")
def test_read_only_folder_keeps_existing_file(tmp_path) -> None:  # pragma: no cover - not as root
    folder = tmp_path / "ro"
    folder.mkdir()
    target = folder / "out.csv"
    target.write_text("precious")
    folder.chmod(0o500)
    try:
        with pytest.raises(ExportError, match="cannot write"):
            write_csv(target, [_result(0)])
        assert target.read_text() == "precious"
    finally:
        folder.chmod(0o700)


def test_failed_write_keeps_existing_file(tmp_path) -> None:
    # A directory where the file should go: the rename fails, the temporary file is removed.
    target = tmp_path / "out.csv"
    target.mkdir()
    (target / "keep").write_text("precious")
    with pytest.raises(ExportError):
        write_csv(target, [_result(0)])
    assert (target / "keep").read_text() == "precious"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_missing_folder_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(ExportError, match="cannot write to"):
        write_csv(tmp_path / "nope" / "out.csv", [_result(0)])


FULL_DISK_SCRIPT = r"""
import resource, signal, sys
sys.path.insert(0, sys.argv[2])
from tests.core.test_export import _result
from core.export import ExportError, write_csv
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit then fails with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))
try:
    write_csv(sys.argv[1], [_result(i) for i in range(2000)])
except ExportError as exc:
    print("EXPORT-ERROR", exc)
"""


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX resource limits")
def test_disk_full_is_a_clear_error_and_keeps_existing_file(tmp_path) -> None:
    import subprocess
    import sys
    from pathlib import Path

    target = tmp_path / "out.csv"
    target.write_text("precious")
    root = str(Path(__file__).resolve().parents[2])
    proc = subprocess.run([sys.executable, "-c", FULL_DISK_SCRIPT, str(target), root],
                          capture_output=True, text=True, timeout=60)
    assert "EXPORT-ERROR cannot write" in proc.stdout, proc.stderr
    assert target.read_text() == "precious"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]  # no temporary file left behind
