"""The journal-backed (paged) results: sort, filters, counts and selection through SQLite; bounded memory."""

from __future__ import annotations

import asyncio
import random
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt

from core.model import ErrorKind, FetchResult, Mode, PageFacts, PageInfo, Timings
from core.settings import Settings
from core.store import Journal, JournalWriter
from gui.results.model import RAW_ROLE, ResultsModel
from gui.results.paged import CACHE_ROWS
from gui.results.rows import Column, QuickFilter

ASC, DESC = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder


def result(i: int, rnd: random.Random) -> FetchResult:
    url = f"https://host{i % 13}.example/page/{i}"
    if i % 10 == 3:
        return FetchResult(i, url, Mode.ASYNC, error_kind=ErrorKind.TIMEOUT, error="Timed out", attempts=1,
                           timings=Timings(started_ms=1.0, finished_ms=1.0 + rnd.uniform(1, 3000)))
    code = 404 if i % 10 == 7 else 200
    facts = PageFacts(word_count=i % 50, content_hash="same" if i % 100 == 0 else f"h{i}")
    return FetchResult(i, url, Mode.ASYNC, final_url=url, status_code=code, ok=code == 200,
                       error_kind=ErrorKind.HTTP_ERROR if code == 404 else None, content_type="text/html",
                       bytes=rnd.randint(10, 100_000), page=PageInfo(title=f"Title {i % 7}", links=i % 9, facts=facts),
                       attempts=1, timings=Timings(started_ms=1.0, finished_ms=1.0 + rnd.uniform(1, 3000)))


def record(journal: Journal, results: list[FetchResult]) -> int:
    """A finished run with these results, written the way a run writes them."""
    run_id = journal.create_run([r.url for r in results], Settings(), len(results))
    writer = JournalWriter(journal, run_id)
    for r in results:
        writer.on_result(r)
    writer.close()
    return run_id


async def ordered(model: ResultsModel) -> None:
    """Wait until the worker's order for the current sort and filters is shown."""
    assert model.paged() is not None
    await asyncio.wait_for(model.wait_ordered(), 120)


def shown(model: ResultsModel) -> list[int]:
    return [model.input_index_of(r) for r in range(model.rowCount())]


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    j = Journal(tmp_path / "journal.sqlite3")
    yield j
    j.close()


@pytest.fixture
def paged_model(qapp: Any, monkeypatch: pytest.MonkeyPatch) -> ResultsModel:
    monkeypatch.setattr(ResultsModel, "PAGED_ABOVE", 0)
    m = ResultsModel()
    yield m
    m.close()


def test_sort_filters_counts_and_selection_go_through_the_journal(paged_model: ResultsModel, journal: Journal,
                                                                  loop: asyncio.AbstractEventLoop) -> None:
    rnd = random.Random(3)
    results = [result(i, rnd) for i in range(3000)]
    run_id = record(journal, results)
    m = paged_model
    m.reset_run([r.url for r in results], journal=(journal.path, run_id))
    loop.run_until_complete(ordered(m))
    assert m.paged() is not None and m.rowCount() == 3000
    counts = m.quick_filter_counts()
    assert counts[QuickFilter.FAILED] == sum(not r.ok for r in results) == 600
    assert counts[QuickFilter.CLIENT_ERROR] == 300 and counts[QuickFilter.OK] == 2400
    assert counts[QuickFilter.DUPLICATE_CONTENT] == 30  # rows 0, 100, … share a content hash
    assert m.index(5, Column.TITLE).data() == "Title 5" and m.result(5) == results[5]

    selected = QPersistentModelIndex(m.index(1234, Column.URL))
    m.sort(Column.TIME, DESC)
    loop.run_until_complete(ordered(m))
    times = [m.index(r, Column.TIME).data(RAW_ROLE) for r in range(m.rowCount())]
    assert times == sorted(times, reverse=True) and m.rowCount() == 3000
    assert selected.isValid() and m.input_index_of(selected.row()) == 1234  # the selection follows its row

    m.set_quick_filter(QuickFilter.CLIENT_ERROR)
    loop.run_until_complete(ordered(m))
    assert sorted(shown(m)) == [i for i in range(3000) if i % 10 == 7]
    assert not selected.isValid()  # filtered out
    m.set_quick_filter(QuickFilter.ALL)
    m.set_text_filter("HOST12.example/page/1")
    loop.run_until_complete(ordered(m))
    expect = [i for i, r in enumerate(results) if "host12.example/page/1" in r.url]
    assert sorted(shown(m)) == expect and len(expect) > 5
    visible = m.visible_results()  # read from the journal as iterated, in input order
    assert len(visible) == len(expect)  # type: ignore[arg-type]
    assert [r.input_index for r in visible if r is not None] == sorted(shown(m))
    m.set_text_filter("")
    m.sort(-1, ASC)
    loop.run_until_complete(ordered(m))
    assert shown(m) == list(range(3000))
    assert [r.input_index for r in m.results() if r is not None] == list(range(3000))


@pytest.mark.slow
@pytest.mark.timeout(900)  # writing 200,000 results as a run does takes a minute or more on a loaded machine
def test_a_big_run_holds_only_its_page_cache(paged_model: ResultsModel, journal: Journal,
                                             loop: asyncio.AbstractEventLoop) -> None:
    n = 200_000
    rnd = random.Random(5)
    run_id = record(journal, [result(i, rnd) for i in range(n)])
    urls = [f"https://host{i % 13}.example/page/{i}" for i in range(n)]
    m = paged_model
    tracemalloc.start()
    try:
        m.reset_run(urls, journal=(journal.path, run_id))
        loop.run_until_complete(ordered(m))
        for row in range(0, n, 997):  # scroll through the whole table
            m.index(row, Column.STATUS).data()
        m.sort(Column.SIZE, ASC)
        loop.run_until_complete(ordered(m))
        m.set_quick_filter(QuickFilter.FAILED)
        loop.run_until_complete(ordered(m))
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    paged = m.paged()
    assert paged is not None and paged.cached_rows() <= CACHE_ROWS
    # A row held in memory costs ~1.5 KB; arrays of input indices 8 bytes, per-row state 2 bytes.
    assert peak < 60 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"
    assert m.rowCount() == n // 5  # the timeouts and the 404s
    sizes = [m.index(r, Column.SIZE).data(RAW_ROLE) for r in range(0, m.rowCount(), 50)]
    present = [s for s in sizes if s is not None]
    assert present == sorted(present) and sizes[-1] is None  # timeouts have no size: last
    m.set_quick_filter(QuickFilter.ALL)
    loop.run_until_complete(ordered(m))
    sizes = [m.index(r, Column.SIZE).data(RAW_ROLE) for r in range(0, m.rowCount(), 101)]
    present = [s for s in sizes if s is not None]
    assert present == sorted(present) and sizes[-1] is None


def test_the_view_paints_unread_rows_as_ellipses_and_they_are_read_in_a_worker_thread(
        paged_model: ResultsModel, journal: Journal, loop: asyncio.AbstractEventLoop) -> None:
    from gui.results.view import ResultsView

    rnd = random.Random(4)
    results = [result(i, rnd) for i in range(3000)]
    run_id = record(journal, results)
    m = paged_model
    m.reset_run([r.url for r in results], journal=(journal.path, run_id))
    loop.run_until_complete(ordered(m))
    paged = m.paged()
    assert paged is not None
    view = ResultsView(m)
    view.resize(900, 400)
    changed: asyncio.Future[tuple[int, int]] = loop.create_future()

    def on_changed(top: Any, bottom: Any, _roles: Any) -> None:
        if not changed.done() and bottom.row() >= 2000:
            changed.set_result((top.row(), bottom.row()))

    m.dataChanged.connect(on_changed)
    try:
        view.show()
        view.scrollTo(m.index(2000, 0))
        view.viewport().repaint()  # a paint: the rows are not cached, they show "…" and are asked for
        assert not paged.is_cached(2000)
        m.set_painting(True)
        assert m.index(2000, Column.TITLE).data() == "…"
        assert m.index(2000, Column.URL).data() == results[2000].url  # held in memory: shown at once
        m.set_painting(False)
        top, bottom = loop.run_until_complete(asyncio.wait_for(changed, 60))
        assert top <= 2000 <= bottom and paged.is_cached(2000)
        assert m.index(2000, Column.TITLE).data() == f"Title {2000 % 7}"
        assert paged._reader is None  # the GUI thread never opened the journal to paint
        # Outside painting, a row not cached is read at once (the details pane, exports).
        assert not paged.is_cached(20) and m.index(20, Column.TITLE).data() == f"Title {20 % 7}"
    finally:
        m.dataChanged.disconnect(on_changed)
        view.close()
        view.deleteLater()


def test_a_row_is_found_in_the_order_bytes_only_at_an_element_boundary() -> None:
    from array import array

    from gui.results.paged import _find

    order = array("q", [1 << 56, 0, 1, 7])  # 1's bytes also occur across the first two elements
    data = order.tobytes()
    assert [_find(data, v) for v in (1, 7, 0, 1 << 56, 5)] == [2, 3, 1, 0, None]


def test_a_row_fetched_again_keeps_its_new_result_until_the_journal_has_that_one(
        paged_model: ResultsModel, journal: Journal, loop: asyncio.AbstractEventLoop) -> None:
    """A row retried from the table has its old result in the journal: that is not the new one being
    written (the engine's writer may be behind), so the table must not fall back to the old result."""
    rnd = random.Random(5)
    results = [result(i, rnd) for i in range(50)]
    run_id = record(journal, results)
    m = paged_model
    m.reset_run([r.url for r in results], journal=(journal.path, run_id))
    loop.run_until_complete(ordered(m))
    assert m.result(3) == results[3] and not results[3].ok
    m.reset_rows([3])
    again = FetchResult(3, results[3].url, Mode.ASYNC, final_url=results[3].url, status_code=200, ok=True,
                        content_type="text/html", page=PageInfo(title="Fetched again"), attempts=1,
                        timings=Timings(started_ms=5000.0, finished_ms=5100.0))
    m.apply([], [again])  # the new result has reached the window, not the journal yet
    p = m.paged()
    assert p is not None
    for _ in range(4):  # refreshes: an overlay entry is dropped once the journal is seen to hold it
        p.request()
        loop.run_until_complete(ordered(m))
    assert m.result(3) == again and m.index(3, Column.TITLE).data() == "Fetched again"
    writer = JournalWriter(journal, run_id)  # the writer catches up
    writer.on_result(again)
    writer.close()
    for _ in range(4):
        p.request()
        loop.run_until_complete(ordered(m))
    assert 3 not in p.overlay  # held no longer than needed
    assert m.result(3) == again and m.index(3, Column.TITLE).data() == "Fetched again"
