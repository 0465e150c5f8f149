"""The journal's sort and filter keys (core.row_index): orders and counts from SQLite match Python's."""

from __future__ import annotations

import math
import random
import sqlite3
from pathlib import Path

import pytest

from core import row_index, store
from core.model import ErrorKind, FetchResult, Mode, PageFacts, PageInfo, Timings
from core.settings import Settings
from core.store import Journal, JournalWriter


def sample(n: int) -> list[FetchResult]:
    rnd = random.Random(11)
    out = []
    for i in range(n):
        url = f"https://h{i % 7}.example/p/{i}"
        t = Timings(started_ms=1.0, wait_ms=5.0, finished_ms=1.0 + rnd.choice((5.0, 10.0, rnd.uniform(1, 900))))
        if i % 9 == 4:
            out.append(FetchResult(i, url, Mode.ASYNC, error_kind=ErrorKind.DNS, error="Name not known", timings=t))
        elif i % 9 == 6:
            out.append(FetchResult(i, url, Mode.ASYNC, error_kind=ErrorKind.CANCELLED, error="stopped", timings=t))
        else:
            code = rnd.choice((200, 200, 200, 301, 404, 503))
            page = PageInfo(title=rnd.choice(("Über", "alpha", "Beta", "")), links=rnd.randint(0, 5),
                            facts=PageFacts(word_count=i % 4, content_hash=f"c{i % 40}"))
            out.append(FetchResult(i, url, Mode.ASYNC, final_url=url, status_code=200 if code == 301 else code,
                                   ok=code in (200, 301), redirects=(url + "/old",) if code == 301 else (),
                                   error_kind=None if code in (200, 301) else ErrorKind.HTTP_ERROR,
                                   content_type="text/html", bytes=rnd.randint(0, 99), page=page, timings=t))
    return out


@pytest.fixture
def recorded(tmp_path: Path) -> tuple[Journal, int, list[FetchResult]]:
    journal = Journal(tmp_path / "j.sqlite3")
    results = sample(500)
    run_id = journal.create_run([r.url for r in results], Settings(), len(results))
    writer = JournalWriter(journal, run_id)
    for r in results:
        writer.on_result(r)
    writer.close()
    yield journal, run_id, results
    journal.close()


def python_order(results: list[FetchResult], key: str, descending: bool) -> list[int]:
    """What the in-memory table does: a stable sort by the value, empty cells last."""
    col = row_index.KEYS.index(key)
    keyed = [(row_index.index_values(r)[_column(col)], r.input_index) for r in results]
    present = [k for k in keyed if k[0] is not None]
    present.sort(key=lambda k: k[0], reverse=descending)
    return [i for _v, i in present] + [i for v, i in keyed if v is None]


def _column(key_position: int) -> int:
    """The position in ``index_values`` of the sort key at ``key_position`` in ``KEYS``."""
    names = [c for c, _ in row_index.COLUMNS]
    return names.index(row_index.KEYS[key_position])


@pytest.mark.parametrize("key", row_index.KEYS)
def test_every_sort_key_orders_as_the_stable_python_sort(recorded: tuple[Journal, int, list[FetchResult]],
                                                         key: str) -> None:
    journal, run_id, results = recorded
    for descending in (False, True):
        assert list(journal.order(run_id, key, descending)) == python_order(results, key, descending), (key, descending)


def test_filters_and_counts(recorded: tuple[Journal, int, list[FetchResult]],
                            monkeypatch: pytest.MonkeyPatch) -> None:
    journal, run_id, results = recorded
    cats = [row_index.index_values(r)[-1] for r in results]
    counts = journal.quick_counts(run_id)
    for bit in (row_index.OK, row_index.REDIRECTED, row_index.CLIENT_ERROR, row_index.SERVER_ERROR,
                row_index.FAILED, row_index.NON_INDEXABLE):
        expect = [i for i, c in enumerate(cats) if c & bit]
        assert list(journal.order(run_id, quick=bit)) == expect and counts[bit] == len(expect), bit
    assert counts[row_index.FAILED] == sum(r.state.value == "failed" for r in results)
    dup_keys = [row_index.index_values(r)[-2] for r in results]
    dups = [i for i, k in enumerate(dup_keys) if k is not None and dup_keys.count(k) > 1]
    assert list(journal.duplicate_rows(run_id)) == dups and counts[row_index.DUPLICATE_CONTENT] == len(dups) > 0
    assert list(journal.order(run_id, needle="über")) == [r.input_index for r in results
                                                          if r.page is not None and r.page.title == "Über"]
    assert list(journal.order(run_id, needle="h3.example/p/1")) == [
        r.input_index for r in results if "h3.example/p/1" in r.url]
    assert list(journal.order(run_id, needle="h3.example", searched=("title",))) == []
    assert list(journal.order(run_id, needle="404 not found")) == [r.input_index for r in results
                                                                   if r.status_code == 404]
    # Each row's bits, DUPLICATE_CONTENT marking a recorded one, ALL alone past the recorded rows.
    assert list(journal.categories(run_id, 510)) == [c | row_index.DUPLICATE_CONTENT for c in cats] + [1] * 10
    assert list(journal.categories(run_id, 7)) == [c | row_index.DUPLICATE_CONTENT for c in cats[:7]]
    monkeypatch.setattr(store, "_CATS_CHUNK", 64)  # read in chunks: the same bytes
    assert list(journal.categories(run_id, 510)) == [c | row_index.DUPLICATE_CONTENT for c in cats] + [1] * 10
    elapsed = journal.elapsed_values(run_id)
    assert elapsed == sorted(elapsed) and len(elapsed) == sum(r.error_kind is not ErrorKind.CANCELLED for r in results)
    assert all(not math.isnan(v) for v in elapsed)


def test_a_journal_written_before_the_keys_is_filled_once(tmp_path: Path,
                                                         recorded: tuple[Journal, int, list[FetchResult]]) -> None:
    journal, run_id, results = recorded
    db = sqlite3.connect(journal.path)
    db.execute("DROP TABLE result_keys")  # as a journal of the previous version has it
    db.commit()
    db.close()
    reopened = Journal(journal.path)  # adds the table and its indexes
    try:
        assert list(reopened.order(run_id)) == []
        assert reopened.fill_index(run_id, chunk=64) == 500
        assert reopened.fill_index(run_id) == 0
        assert list(reopened.order(run_id, "elapsed", True)) == python_order(results, "elapsed", True)
        reopened.delete_run(run_id)
        assert list(reopened.order(run_id)) == [] and reopened.quick_counts(run_id)[row_index.OK] == 0
    finally:
        reopened.close()


def test_a_headless_run_leaves_the_keys_to_the_window(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite3")
    try:
        results = sample(300)
        run_id = journal.create_run([r.url for r in results], Settings(), len(results))
        writer = JournalWriter(journal, run_id, index_keys=False)  # as core.cli.runs records a run
        for r in results:
            writer.on_result(r)
        writer.close()
        assert journal.result_count(run_id) == 300 and list(journal.order(run_id)) == []
        assert journal.fill_index(run_id) == 300  # the window fills them when it opens the run
        assert list(journal.order(run_id, "size", False)) == python_order(results, "size", False)
    finally:
        journal.close()


def test_timings_come_from_the_journal_as_recorded(recorded: tuple[Journal, int, list[FetchResult]]) -> None:
    journal, run_id, results = recorded
    rows = list(journal.iter_timings(run_id))
    assert [row[0] for row in rows] == [r.input_index for r in results]
    for (i, ok, kind, code, error, timings), r in zip(rows, results, strict=True):
        assert (bool(ok), kind, code) == (r.ok, r.error_kind.value if r.error_kind else None, r.status_code), i
        assert (error or None) == (r.error or None if not r.ok else None), i
        assert timings == tuple(getattr(r.timings, f) for f in store._TIMING_FIELDS), i
    empty = journal.create_run(["https://a.example/"], Settings(), 1)
    assert list(journal.iter_timings(empty)) == []


def test_the_window_s_quick_filters_are_the_journal_s_bits() -> None:
    from gui.results.rows import QuickFilter  # the buttons; core.row_index.category computes their bits

    assert {q.name: q.value for q in QuickFilter} == {
        n: getattr(row_index, n) for n in ("ALL", "OK", "REDIRECTED", "CLIENT_ERROR", "SERVER_ERROR", "FAILED",
                                             "NON_INDEXABLE", "DUPLICATE_CONTENT")}


def test_a_run_notes_each_row_s_input_line_and_url_for_opening_without_parsing(tmp_path: Path) -> None:
    from core.urls import parse_lines

    journal = Journal(tmp_path / "j.sqlite3")
    try:
        lines = ["# a list", "https://a.example/x", "", "b.example", "  ", "not a url", "\ufeff# BOM comment",
                 "https://c.example/?q=1", "# end"]
        entries = parse_lines(lines).entries
        run_id = journal.create_run(lines, Settings(), len(entries))
        assert list(journal.input_lines(run_id, len(entries))) == [e.line for e in entries] == [2, 4, 6, 8]
        kept = [1, 3]  # a run cut short: rows 0 and 2 have no result
        writer = JournalWriter(journal, run_id)
        for i in kept:
            writer.on_result(FetchResult(i, entries[i].url or entries[i].raw, Mode.ASYNC, ok=True, status_code=200))
        writer.close()
        assert journal.input_urls(run_id, len(entries)) == [e.url or e.raw for e in entries]
        plain = journal.create_run([f"https://h.example/{i}" for i in range(5)], Settings(), 5)
        assert journal.input_lines(plain, 5) == range(1, 6)  # every line a row: nothing stored per row
        assert journal.input_urls(plain, 5) == [f"https://h.example/{i}" for i in range(5)]
    finally:
        journal.close()


def test_the_timeline_s_columns_are_the_results_timings(recorded: tuple[Journal, int, list[FetchResult]]) -> None:
    journal, run_id, results = recorded
    part = journal.timing_rows(run_id, 490, 505)  # past the recorded rows: no result
    assert part.start == 490 and len(part.states) == len(part.codes) == 15 and len(part.times) == 15 * 9
    for k, r in enumerate(results[490:]):
        assert part.states[k] == {"done": 1, "failed": 2, "cancelled": 3}[r.state.value]
        assert part.codes[k] == (r.status_code or 0)
        packed = part.times[k * 9:(k + 1) * 9]
        assert [None if v != v else v for v in packed] == [getattr(r.timings, f) for f in store._TIMING_FIELDS]
        assert part.failures.get(490 + k) == (None if r.ok else (r.error_kind, r.error))
    assert part.states[10:] == bytes(5) and part.codes[10:].tolist() == [0] * 5
    assert all(math.isnan(v) for v in part.times[90:])
    with pytest.raises(ValueError):
        journal.timing_rows(run_id, 5, 5)


def test_a_journal_of_the_previous_schema_is_migrated_and_filled(
        recorded: tuple[Journal, int, list[FetchResult]]) -> None:
    journal, _run_id, results = recorded
    lines = ["", *(r.url for r in results)]  # a blank first line: every row's line is its index + 2
    old = journal.create_run(lines, Settings(), len(results))
    writer = JournalWriter(journal, old)
    for r in results:
        writer.on_result(r)
    writer.close()
    expected = journal.timing_rows(old, 0, len(results))
    db = sqlite3.connect(journal.path)
    db.execute("ALTER TABLE runs DROP COLUMN entry_lines")  # as the previous version wrote it
    db.execute("ALTER TABLE result_keys DROP COLUMN times")
    db.execute("PRAGMA user_version=0")
    db.commit()
    db.close()
    reopened = Journal(journal.path)  # adds the columns, empty
    try:
        assert reopened._db.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
        before = reopened.timing_rows(old, 0, len(results))  # keys without times: outcomes, no bars yet
        assert before.states == expected.states and all(math.isnan(v) for v in before.times)
        assert reopened.fill_index(old) == 0  # every row has its keys
        assert reopened.fill_timings(old, chunk=64) == len(results)  # the packed timings alone
        assert reopened.fill_timings(old) == 0
        again = reopened.timing_rows(old, 0, len(results))
        assert again.times.tobytes() == expected.times.tobytes() and again.states == expected.states
        assert list(reopened.input_lines(old, len(results))) == list(range(2, len(results) + 2))
        assert reopened._db.execute("SELECT entry_lines IS NOT NULL FROM runs WHERE id=?", (old,)).fetchone() == (1,)
        Journal(journal.path).close()  # a second opening finds it migrated
    finally:
        reopened.close()
