"""The list-mode audit in the window: quick filters, new columns, row details, export formats, sitemaps in the box."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import Qt

from core.model import FetchResult, Mode, PageFacts, PageInfo
from gui.app.export_task import export_results
from gui.results.details import RowDetails, details_text
from gui.results.model import ResultsModel
from gui.results.panel import ResultsPanel
from gui.results.rows import Column, QuickFilter
from gui.urls.panel import UrlPanel, read_files
from tests.gui.conftest import wait_signal
from tests.gui.results.test_model import ok
from tests.testbed.audit import AUDIT_PAGES, urlset


def _page(i: int, url: str, content_hash: str, **kw: Any) -> FetchResult:
    facts = PageFacts(word_count=7, hreflang=(("de", "https://e.example/de"),), content_hash=content_hash)
    r = ok(i, url, title=f"T{i}")
    return dataclasses.replace(r, page=PageInfo(title=f"T{i}", facts=facts, **kw),
                               headers=(("x-robots-tag", "googlebot: noindex"),) if i == 3 else (("etag", '"e"'),))


def _rows() -> tuple[list[str], list[FetchResult]]:
    urls = [f"https://e.example/{i}" for i in range(5)]
    return urls, [_page(0, urls[0], "h1"), _page(1, urls[1], "h2"), _page(2, urls[2], "h1"),
                  _page(3, urls[3], "h3"), _page(4, urls[4], "h4", canonical="https://e.example/0")]


def test_quick_filters_for_non_indexable_and_duplicate_content(qtmodeltester) -> None:
    m = ResultsModel()
    urls, results = _rows()
    m.reset_run(urls)
    m.apply([], results[:2])
    assert m.quick_filter_counts()[QuickFilter.DUPLICATE_CONTENT] == 0
    m.apply([], results[2:])  # row 2 has row 0's content: both are duplicates now
    counts = m.quick_filter_counts()
    assert counts[QuickFilter.DUPLICATE_CONTENT] == 2 and counts[QuickFilter.NON_INDEXABLE] == 2
    m.set_quick_filter(QuickFilter.DUPLICATE_CONTENT)
    assert [m.input_index_of(r) for r in range(m.rowCount())] == [0, 2]
    m.set_quick_filter(QuickFilter.NON_INDEXABLE)
    assert [m.input_index_of(r) for r in range(m.rowCount())] == [3, 4]
    assert m.data(m.index(0, Column.INDEXABILITY)) == "noindex"
    assert m.data(m.index(1, Column.INDEXABILITY)) == "canonicalised"
    m.set_quick_filter(QuickFilter.DUPLICATE_CONTENT)
    m.reset_rows([2])  # retried: row 0 is unique again
    assert m.rowCount() == 0 and m.quick_filter_counts()[QuickFilter.DUPLICATE_CONTENT] == 0
    m.set_quick_filter(QuickFilter.ALL)
    assert m.data(m.index(0, Column.WORDS)) == "7" and m.data(m.index(0, Column.HREFLANG)) == "1"
    qtmodeltester.check(m)


def test_text_filter_searches_the_audit_columns_that_are_shown(qtbot) -> None:
    from PySide6.QtCore import QSettings

    from gui.results.view import HIDDEN_COLUMNS_KEY

    panel = ResultsPanel()
    qtbot.addWidget(panel)
    urls, results = _rows()
    m = panel.model
    m.reset_run(urls)
    m.apply([], results)

    def shown(text: str) -> list[int]:
        m.set_text_filter(text)
        return [m.input_index_of(r) for r in range(m.rowCount())]

    try:
        assert shown("canonicalised") == [4]  # the Indexability column
        panel.view.show_column(Column.CONTENT_HASH, False)
        assert shown("h3") == []  # a hidden column is not searched
        panel.view.show_column(Column.CONTENT_HASH, True)
        assert m.rowCount() == 1 and shown("h3") == [3]
        panel.view.show_column(Column.INDEXABILITY, False)
        assert shown("canonicalised") == []
    finally:
        QSettings().remove(HIDDEN_COLUMNS_KEY)  # the next view starts with the default columns


def test_quick_filter_buttons(qtbot) -> None:
    panel = ResultsPanel()
    qtbot.addWidget(panel)
    urls, results = _rows()
    panel.model.reset_run(urls)
    panel.model.apply([], results)
    button = panel.findChild(type(panel.quick_buttons[QuickFilter.ALL]), "quickFilterDuplicateContent")
    assert button is not None and button.text() == "Duplicate content (2)"
    assert panel.quick_buttons[QuickFilter.NON_INDEXABLE].text() == "Non-indexable (2)"
    button.click()
    assert panel.model.rowCount() == 2


def test_enter_and_double_click_open_the_row_details(qtbot, monkeypatch) -> None:
    from gui.results import view as results_view

    opened: list[str] = []
    monkeypatch.setattr(results_view.QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    panel = ResultsPanel()
    qtbot.addWidget(panel)
    urls, results = _rows()
    panel.model.reset_run(urls)
    panel.model.apply([], results)
    panel.show()
    qtbot.waitExposed(panel)
    view = panel.view
    view.setCurrentIndex(panel.model.index(3, Column.TITLE))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    details = view.findChild(RowDetails)
    assert details is not None and details.isVisible()
    text = details.text.toPlainText()
    assert "indexability: noindex" in text and "x-robots-tag: googlebot: noindex" in text and "de = " in text
    rect = view.visualRect(panel.model.index(1, Column.TITLE))
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert details.text.toPlainText().startswith(urls[1]) and opened == []
    rect = view.visualRect(panel.model.index(1, Column.URL))
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened == [urls[1]]
    details.close()


def test_details_text_lists_redirect_hops() -> None:
    r = dataclasses.replace(ok(0, "https://e.example/a", redirects=("https://e.example/a",)),
                            hops=((301, "/b"),), headers=(("server", "x"),))
    text = details_text("https://e.example/a", r)
    assert "301 → /b" in text and "indexability: redirected" in text and "server: x" in text
    assert "Not finished" in details_text("https://e.example/a", None)


@pytest.mark.parametrize("ext", ["csv", "jsonl", "xlsx"])
def test_export_writes_the_format_of_the_extension(loop: asyncio.AbstractEventLoop, tmp_path: Path,
                                                   ext: str) -> None:
    _urls, results = _rows()
    path = tmp_path / f"out.{ext}"
    seen: list[tuple[int, int]] = []
    count = loop.run_until_complete(export_results(str(path), list(reversed(results)),
                                                   progress=lambda done, total: seen.append((done, total)),
                                                   lines=[2, 3, 5, 6, 9]))
    assert count == len(results)
    # Progress is posted to the loop before the thread's result is: it has all arrived by now.
    assert seen[-1] == (len(results), len(results))
    if ext == "jsonl":
        objects = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        assert [o["input_index"] for o in objects] == list(range(5)) and objects[2]["duplicate_content_of"] == 0
        assert [o["line"] for o in objects] == [2, 3, 5, 6, 9]
    elif ext == "xlsx":
        book = openpyxl.load_workbook(path)
        assert book.sheetnames == ["Results", "Summary"]
        sheet = book["Results"]
        col = [c.value for c in sheet[1]].index("line")
        assert [row[col].value for row in sheet.iter_rows(min_row=2)] == [2, 3, 5, 6, 9]
    else:
        assert path.read_bytes().startswith(b"\xef\xbb\xbfinput_index,")
        assert path.read_text(encoding="utf-8-sig").splitlines()[1].endswith(",2")  # the line column, last


def test_sitemap_files_and_lines_in_the_url_box(qtbot, loop: asyncio.AbstractEventLoop, testbed,
                                                tmp_path: Path) -> None:
    local = tmp_path / "sitemap.xml"
    local.write_bytes(urlset(testbed.url, AUDIT_PAGES[:2]))
    bad = tmp_path / "broken.xml"
    bad.write_bytes(b"<urlset><url>")
    assert read_files([str(local), str(bad)]).split("\n")[:2] == [f"{testbed.url}/audit/{n}" for n in AUDIT_PAGES[:2]]
    assert "malformed XML" in read_files([str(bad)])
    panel = UrlPanel()
    qtbot.addWidget(panel)

    async def scenario() -> dict[str, int]:
        await panel.set_text(f"{testbed.url}/page/1\n{testbed.url}/sitemap_index.xml\n")
        from core.settings import Settings

        assert await panel.expand_sitemaps(Settings(mode=Mode.ASYNC))
        assert not await panel.expand_sitemaps(Settings())  # nothing left to expand
        (counts,) = await wait_signal(panel.counts_changed, 10)
        return counts

    try:
        counts = loop.run_until_complete(scenario())
        assert panel.text().split("\n")[:3] == [f"{testbed.url}/page/1", *(f"{testbed.url}/audit/{n}"
                                                                           for n in AUDIT_PAGES[:2])]
        assert counts["valid"] == 1 + len(AUDIT_PAGES)
    finally:
        panel.shutdown()


def test_quick_filters_wrap_rather_than_widen_the_window(qtbot) -> None:
    panel = ResultsPanel()
    qtbot.addWidget(panel)
    buttons = list(panel.quick_buttons.values())
    assert panel.minimumSizeHint().width() < sum(b.sizeHint().width() for b in buttons)  # eight buttons, all counts
    for width, wraps in ((1400, False), (500, True)):
        panel.resize(width, 400)
        panel.show()
        qtbot.waitUntil(lambda w=width: panel.width() == w)
        qtbot.waitUntil(lambda: all(b.geometry().right() <= panel.width() for b in buttons))
        tops = sorted({b.y() for b in buttons})
        assert (len(tops) > 1) == wraps, (width, tops)
        assert panel.view.y() >= max(b.geometry().bottom() for b in buttons)  # the table starts below them
