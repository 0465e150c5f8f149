"""JSON Lines and Excel exports, read back and compared with the CSV; the headless audit end to end."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from core.export import COLUMNS, ExportError, write_csv, write_jsonl, write_xlsx
from core.model import FetchResult, Mode, PageFacts, PageInfo, Timings
from tests.core.conftest import run_batch
from tests.testbed.audit import AUDIT_PAGES, EXPECTED, LASTMOD

ROOT = Path(__file__).resolve().parents[2]
INTS = {"input_index", "status_code", "bytes", "links", "redirects", "attempts", "h1_count", "duplicate_of",
        "word_count", "hreflang_count", "duplicate_content_of"}
FLOATS = {c for c in COLUMNS if c.endswith("_ms")}
BOOLS = {"ok", "indexable"}
LISTS = {"redirect_chain", "hreflang", "content_length"}  # JSONL gives these their own types


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _as_csv(column: str, value: object) -> str:
    """What the CSV cell holds for a typed JSON value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.1f}"
    text = str(value)
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


def _hostile(i: int) -> FetchResult:
    return FetchResult(
        i, f"https://e.example/{i}", Mode.ASYNC, final_url=f"https://e.example/{i}", status_code=200, ok=True,
        attempts=1, bytes=10, content_type="text/html",
        page=PageInfo(title="=HYPERLINK(\"http://evil.example\",\"x\")", h1="+1", meta_description="@SUM(A1)",
                      canonical="https://e.example/" + "x" * 3000,
                      facts=PageFacts(word_count=3, hreflang=(("en", "https://e.example/en"),))),
        headers=(("server", "-x"), ("set-cookie", "sid=(redacted)"), ("set-cookie", "b=(redacted)")),
        hops=((301, "/a"),), timings=Timings(1.0, finished_ms=5.25))


@pytest.fixture(scope="module")
def audit_results(testbed, extractor) -> list[FetchResult]:
    lines = [f"{testbed.url}/audit/{n}" for n in AUDIT_PAGES] + ["not a url", f"{testbed.url}/audit/ok"]
    return run_batch(lines, Mode.THREADS, extractor)[0]


def test_jsonl_matches_the_csv_row_for_row(audit_results, tmp_path) -> None:
    rows = [*audit_results, _hostile(len(audit_results))]
    csv_path, jsonl_path = tmp_path / "o.csv", tmp_path / "o.jsonl"
    assert write_csv(csv_path, reversed(rows)) == write_jsonl(jsonl_path, reversed(rows)) == len(rows)
    objects = [json.loads(line) for line in jsonl_path.read_text(encoding="utf-8").splitlines()]
    table = _csv_rows(csv_path)
    assert [o["input_index"] for o in objects] == list(range(len(rows)))  # input order
    for obj, cells in zip(objects, table, strict=True):
        for column in COLUMNS:
            if column in LISTS:
                continue
            value = obj[column]
            assert cells[column] == _as_csv(column, value), (column, value)
            if value is not None:
                want = int if column in INTS else float if column in FLOATS else bool if column in BOOLS else str
                assert type(value) is want, (column, value)
    ok, redirect = objects[AUDIT_PAGES.index("ok")], objects[AUDIT_PAGES.index("redirect")]
    assert ok["hreflang"][0] == {"lang": "en", "url": "/audit/ok"} and ok["content_length"] == ok["bytes"]
    assert redirect["redirect_hops"] == [{"status": 301, "location": "/audit/ok"}]
    assert redirect["redirect_chain"] == [redirect["url"]] and redirect["indexability"] == "redirected"
    assert ["etag", '"ok-1"'] in ok["headers"] and all(k == k.lower() for k, _ in ok["headers"])
    hostile = objects[-1]
    assert hostile["title"].startswith("=HYPERLINK")  # JSON is data, not a spreadsheet: no quote added
    assert hostile["headers"][1:] == [["set-cookie", "sid=(redacted)"], ["set-cookie", "b=(redacted)"]]
    dup_b = objects[AUDIT_PAGES.index("dup-b")]
    assert dup_b["duplicate_content_of"] == AUDIT_PAGES.index("dup-a")
    assert objects[len(AUDIT_PAGES)]["error_kind"] == "invalid_url" and objects[len(AUDIT_PAGES)]["indexable"] is False


def test_xlsx_types_links_formula_guard_and_sheets(audit_results, tmp_path) -> None:
    rows = [*audit_results, _hostile(len(audit_results))]
    path = tmp_path / "o.xlsx"
    assert write_xlsx(path, rows, {"mode": "threads", "urls": len(rows), "wall_s": 0.5}) == len(rows)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Results", "Summary"]
    ws = wb["Results"]
    assert [c.value for c in ws[1]] == list(COLUMNS)
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    col = {name: i + 1 for i, name in enumerate(COLUMNS)}
    first = 2 + AUDIT_PAGES.index("ok")
    assert ws.cell(first, col["status_code"]).value == 200 and ws.cell(first, col["ok"]).value is True
    assert isinstance(ws.cell(first, col["elapsed_ms"]).value, (int, float))  # a number (12.0 reads back as 12)
    url_cell = ws.cell(first, col["url"])
    assert url_cell.hyperlink is not None and url_cell.hyperlink.target == url_cell.value
    assert ws.cell(first, col["indexable"]).value is True
    hostile = len(rows) + 1
    for name in ("title", "h1", "meta_description"):
        cell = ws.cell(hostile, col[name])
        assert cell.data_type == "s" and not str(cell.value).startswith("'"), name  # text, never a formula
    assert ws.cell(hostile, col["title"]).value.startswith("=HYPERLINK")
    long_url = ws.cell(hostile, col["canonical"])
    assert long_url.value == "https://e.example/" + "x" * 3000 and long_url.hyperlink is None  # too long for a link
    invalid = 2 + len(AUDIT_PAGES)
    assert ws.cell(invalid, col["url"]).hyperlink is None and ws.cell(invalid, col["url"]).value == "not a url"
    assert ws.column_dimensions["B"].width > 10
    summary = {r[0].value: r[1].value for r in wb["Summary"].iter_rows(min_row=2)}
    assert summary["mode"] == "threads" and summary["rows"] == len(rows) and summary["wall_s"] == 0.5
    assert summary["indexability: noindex"] == sum(1 for v in EXPECTED.values() if v == "noindex")


def test_exports_are_atomic(tmp_path) -> None:
    target = tmp_path / "keep.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(ExportError):
        write_jsonl(tmp_path / "missing" / "x.jsonl", [_hostile(0)])
    bad = FetchResult(0, "https://e.example/", Mode.ASYNC, page=PageInfo(title="x"), attempts=1,
                      timings=Timings(float("nan"), finished_ms=float("inf")))
    with pytest.raises(ExportError):
        write_xlsx(target, [bad])  # xlsxwriter refuses NaN/INF: the old file stays
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.xlsx"]


def test_headless_sitemap_audit_writes_all_three_in_input_order(testbed, tmp_path) -> None:
    out = {ext: tmp_path / f"out.{ext}" for ext in ("csv", "jsonl", "xlsx")}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--headless", "--no-journal", "--sitemap",
         f"{testbed.url}/sitemap_index.xml", "--sitemap", f"{testbed.url}/sitemaps/malformed.xml",
         "--csv", str(out["csv"]), "--jsonl", str(out["jsonl"]), "--xlsx", str(out["xlsx"])],
        capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    expected_urls = [f"{testbed.url}/audit/{n}" for n in AUDIT_PAGES] + [f"{testbed.url}/sitemaps/malformed.xml"]
    table = _csv_rows(out["csv"])
    assert [r["url"] for r in table] == expected_urls
    assert [r["indexability"] for r in table[:-1]] == list(EXPECTED.values())
    assert {r["sitemap_lastmod"] for r in table[:-1]} == {LASTMOD}
    assert table[-1]["error_kind"] == "invalid_url" and "malformed XML" in table[-1]["error"]
    objects = [json.loads(line) for line in out["jsonl"].read_text(encoding="utf-8").splitlines()]
    assert [o["url"] for o in objects] == expected_urls
    ws = openpyxl.load_workbook(out["xlsx"])["Results"]
    assert [ws.cell(r, 2).value for r in range(2, ws.max_row + 1)] == expected_urls
