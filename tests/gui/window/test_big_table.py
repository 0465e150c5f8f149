"""The main window's table of a big run reads from the journal: sort, filters and selection in a real run."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from core.model import Mode
from gui.results.model import RAW_ROLE, ResultsModel
from gui.results.rows import Column, QuickFilter
from tests.gui.results.test_paged import ordered, shown
from tests.gui.window.test_window import run_urls

pytestmark = pytest.mark.gui

DESC = Qt.SortOrder.DescendingOrder


def test_a_window_run_is_sorted_and_filtered_through_the_journal(jwindow: Any, loop: asyncio.AbstractEventLoop,
                                                                 testbed: Any,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ResultsModel, "PAGED_ABOVE", 100)
    urls = [f"{testbed.url}/page/{i % 50}?size={500 + i}&n={i}" for i in range(2000)]
    urls += [f"{testbed.url}/status/404?n={i}" for i in range(40)]
    jwindow.run_panel.set_mode(Mode.ASYNC)
    jwindow.run_panel.concurrency.setValue(50)
    summary = run_urls(jwindow, loop, urls)
    panel = jwindow.results_panel
    m = panel.model
    assert m.paged() is not None and summary.urls == m.rowCount() == 2040
    loop.run_until_complete(ordered(m))
    assert m.quick_filter_counts()[QuickFilter.CLIENT_ERROR] == 40
    panel.view.sortByColumn(Column.SIZE, DESC)
    loop.run_until_complete(ordered(m))
    sizes = [m.index(r, Column.SIZE).data(RAW_ROLE) for r in range(m.rowCount())]
    assert sizes[:2000] == sorted(sizes[:2000], reverse=True)
    panel.select_input_index(1999)
    assert m.input_index_of(panel.view.currentIndex().row()) == 1999
    panel.set_quick_filter(QuickFilter.CLIENT_ERROR)
    loop.run_until_complete(ordered(m))
    assert sorted(shown(m)) == list(range(2000, 2040))
    panel.set_quick_filter(QuickFilter.ALL)
    panel.filter_edit.setText("n=1999")
    panel.apply_text_filter()
    loop.run_until_complete(ordered(m))
    assert shown(m) == [1999]
    view = panel.view
    view.selectionModel().select(m.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                                 | QItemSelectionModel.SelectionFlag.Rows)
    assert view.selected_input_indices() == [1999] and "n=1999" in view.selection_as_tsv()


def test_without_the_journal_a_big_run_pages_from_a_scratch_journal_that_goes_with_the_window(
        window: Any, loop: asyncio.AbstractEventLoop, testbed: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ResultsModel, "PAGED_ABOVE", 100)
    assert window.journal.journal is None  # --no-journal
    urls = [f"{testbed.url}/page/{i % 20}?size={300 + i}&n={i}" for i in range(300)]
    run_urls(window, loop, urls)
    m = window.results_panel.model
    paged = m.paged()
    assert paged is not None and m.rowCount() == 300
    scratch = paged.path
    assert scratch.exists() and window.journal.recording() == (scratch, paged.run_id)
    window.results_panel.view.sortByColumn(Column.SIZE, DESC)
    loop.run_until_complete(ordered(m))
    sizes = [m.index(r, Column.SIZE).data(RAW_ROLE) for r in range(m.rowCount())]
    assert sizes == sorted(sizes, reverse=True) and m.result(299) is not None
    loop.run_until_complete(window.shutdown())
    assert not scratch.parent.exists()
