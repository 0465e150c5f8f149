"""The page columns end to end: test-bed corpus pages fetched in every mode, through the pool, into the CSV."""

from __future__ import annotations

import csv

from core.export import COLUMNS, write_csv
from core.model import Mode
from core.parse.extract import extract
from tests.core.conftest import ALL_MODES, run_batch
from tests.testbed.corpus import CORPUS_SIZE, corpus_page

PAGE_COLUMNS = ("charset", "title", "meta_description", "canonical", "lang", "og_title", "og_description",
                "og_image", "notes", "h1", "links")
# One page of each of these kinds (structure, way of declaring the encoding), as tests.testbed.corpus names them.
KINDS = (("canonical_in_body", ""), ("comments", "none"), ("", "late"), ("entities", ""), ("", "xml"),
         ("og_only", ""), ("svg_in_head", ""), ("title_in_body", ""), ("two_titles", ""), ("xhtml", ""),
         ("pixel_in_head", ""), ("", "mismatch"))


def _first(structure: str, way: str) -> int:
    for n in range(CORPUS_SIZE):
        s, _, w = corpus_page(n).name.split("/")
        if structure in ("", s) and way in ("", w):
            return n
    raise LookupError((structure, way))


PAGES = tuple(_first(s, w) for s, w in KINDS)


def _csv_rows(tmp_path, results) -> list[dict[str, str]]:
    path = tmp_path / "out.csv"
    write_csv(path, results)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_new_columns_follow_the_required_ones() -> None:
    at = COLUMNS.index("parse_ms") + 1  # after the earlier extra columns, before the audit's
    assert COLUMNS[at : at + 4] == ("og_title", "og_description", "og_image", "notes")


@ALL_MODES
def test_corpus_pages_reach_the_csv(mode: Mode, testbed, extractor, tmp_path) -> None:
    results, _ = run_batch([f"{testbed.url}/corpus/{n}" for n in PAGES], mode, extractor)
    rows = _csv_rows(tmp_path, results)
    assert len(rows) == len(PAGES)
    for n, row, result in zip(PAGES, rows, results, strict=True):
        page = corpus_page(n)
        ex = extract(page.body, page.content_type)
        assert result.ok and result.error_kind is None, (page.name, result.error)
        want = {"charset": ex.charset, "notes": ex.notes}
        want.update({c: str(getattr(ex.page, c)) for c in PAGE_COLUMNS if c not in want})
        assert {c: row[c].removeprefix("'") for c in PAGE_COLUMNS} == want, page.name
    assert any(r["notes"] for r in rows) and any(r["og_title"] for r in rows)


@ALL_MODES
def test_unreadable_charset_is_a_decode_failure(mode: Mode, testbed, extractor, tmp_path) -> None:
    # WHATWG Encoding §4.2: iso-2022-kr is a label of "replacement"; no field is invented for the page.
    results, _ = run_batch([f"{testbed.url}/corpus/3?charset=iso-2022-kr"], mode, extractor)
    [r] = results
    assert (r.ok, r.error_kind, r.charset, r.page) == (False, "decode", "replacement", None)
    [row] = _csv_rows(tmp_path, results)
    assert (row["title"], row["links"], row["h1_count"], row["error_kind"]) == ("", "", "", "decode")
