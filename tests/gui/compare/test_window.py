"""CompareWindow against the test bed: three summaries over the same URLs, shared scale, cap, export."""

from __future__ import annotations

import asyncio
import csv
import stat
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMessageBox

from core.files import FILE_MODE, SaveError
from core.model import Mode, RunSummary
from core.parse.pool import Extractor
from core.run.compare import Comparison
from core.settings import Settings
from core.urls import parse_text
from gui.compare.export import CSV_COLUMNS, compare_rows, write_compare_csv
from gui.compare.window import CompareWindow

MODES = (Mode.SYNC, Mode.THREADS, Mode.ASYNC)


def make_window(qtbot: Any, extractor: Extractor, base: str, n: int, latency: int) -> CompareWindow:
    batch = parse_text("\n".join(f"{base}/page/{i}?latency={latency}" for i in range(n)))
    w = CompareWindow(batch, Settings(concurrency=20), extractor)
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    return w


def run(loop: asyncio.AbstractEventLoop, w: CompareWindow) -> Comparison | None:
    return loop.run_until_complete(asyncio.wait_for(w.start(), 90))


def overlaps(intervals: list[tuple[float, float]]) -> int:
    return sum(1 for i, (a0, a1) in enumerate(intervals) for b0, b1 in intervals[i + 1:] if a0 < b1 and b0 < a1)


def test_three_modes_over_the_same_urls(loop: asyncio.AbstractEventLoop, extractor: Extractor, testbed: Any,
                                        qtbot: Any, tmp_path: Path) -> None:
    w = make_window(qtbot, extractor, testbed.url, 8, 200)
    emitted: list[object] = []
    w.finished.connect(emitted.append)
    comparison = run(loop, w)
    assert comparison is not None and emitted == [comparison]
    assert list(comparison.summaries) == list(MODES)
    urls = [r.url for r in comparison.results[Mode.SYNC] if r is not None]
    assert len(urls) == 8
    for mode in MODES:
        s = comparison.summaries[mode]
        assert (s.urls, s.ok, s.failed) == (8, 8, 0)
        assert [r.url for r in comparison.results[mode] if r is not None] == urls
    # The pictures: a staircase for sync, overlapping bars for async.
    sync_bars = w.row(Mode.SYNC).timeline.model.intervals()
    async_bars = w.row(Mode.ASYNC).timeline.model.intervals()
    assert len(sync_bars) == len(async_bars) == 8
    assert overlaps(sync_bars) == 0 and overlaps(async_bars) == 28
    # One time scale for all three: the async run fills only a small part of the width.
    scales = {round(w.row(m).timeline.model.axis.ms_per_px, 6) for m in MODES}
    assert len(scales) == 1
    sync_wall = comparison.summaries[Mode.SYNC].wall_s * 1000
    assert w.row(Mode.ASYNC).timeline.model.axis.end_ms >= sync_wall
    # A run that fills only a sliver of the shared scale gets a close-up on its own scale beside it.
    inset = w.row(Mode.ASYNC).inset
    async_wall = comparison.summaries[Mode.ASYNC].wall_s * 1000
    assert inset.isVisibleTo(w) == (async_wall < 0.2 * sync_wall)
    assert not w.row(Mode.SYNC).inset.isVisibleTo(w)
    assert inset.model.intervals() == async_bars
    # Zooming one timeline zooms all three while they share the scale; a fit fits all three.
    qtbot.keyClick(w.row(Mode.SYNC).timeline, Qt.Key.Key_Plus)
    states = {w.row(m).timeline.model.axis.state() for m in MODES}
    assert len(states) == 1 and next(iter(states))[1] < next(iter(scales))
    qtbot.keyClick(w.row(Mode.THREADS).timeline, Qt.Key.Key_F)
    assert all(w.row(m).timeline.model.follow for m in MODES)
    assert {round(w.row(m).timeline.model.axis.ms_per_px, 6) for m in MODES} == scales
    w.fit_each.setChecked(True)
    assert w.row(Mode.ASYNC).timeline.model.axis.ms_per_px < w.row(Mode.SYNC).timeline.model.axis.ms_per_px / 2
    assert not inset.isVisibleTo(w)
    w.fit_each.setChecked(False)
    # Headline, cards, histograms.
    speedup = comparison.speedup(Mode.ASYNC)
    assert speedup is not None and speedup > 2
    assert w.headline() == f"async: {speedup:.1f}× faster than sync on these 8 URLs"
    assert "faster than sync" in w.cards[Mode.ASYNC].speedup.text()
    assert w.cards[Mode.SYNC].speedup.text() == "baseline"
    assert len(w.row(Mode.THREADS).histogram.values()) == 8
    # CSV: one row per mode.
    csv_path = tmp_path / "compare.csv"
    assert loop.run_until_complete(w.exporter.save_csv(str(csv_path)))
    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames or ()) == CSV_COLUMNS
        rows = list(reader)
    assert [r["mode"] for r in rows] == ["sync", "threads", "async"]
    assert float(rows[0]["speedup_vs_sync"]) == 1.0
    assert float(rows[2]["wall_s"]) == comparison.summaries[Mode.ASYNC].wall_s
    assert float(rows[2]["speedup_vs_sync"]) == pytest.approx(speedup, rel=1e-3)
    # PNG: the shareable picture at 2×.
    png = tmp_path / "compare.png"
    assert loop.run_until_complete(w.exporter.save_png(str(png)))
    assert stat.S_IMODE(png.stat().st_mode) == stat.S_IMODE(csv_path.stat().st_mode) == FILE_MODE
    image = QImage(str(png))
    assert not image.isNull()
    assert (image.width(), image.height()) == (2 * w.content.width(), 2 * w.content.height())
    assert loop.run_until_complete(w.exporter.save_png(str(tmp_path / "missing" / "c.png"))) is False
    assert "Could not save" in w.status.text()


def answer_with(w: CompareWindow, role: QMessageBox.ButtonRole | None, seen: list[str]) -> None:
    def on_asking(box: QMessageBox) -> None:
        seen.append(box.text())
        for button in box.buttons():
            if role is None and box.standardButton(button) == QMessageBox.StandardButton.Cancel:
                button.click()
                return
            if role is not None and box.buttonRole(button) == role:
                button.click()
                return

    w.asking.connect(on_asking)


def test_long_sync_run_is_estimated_and_can_be_capped(loop: asyncio.AbstractEventLoop, extractor: Extractor,
                                                      testbed: Any, qtbot: Any) -> None:
    w = make_window(qtbot, extractor, testbed.url, 8, 50)
    w.SAMPLE_ABOVE, w.SAMPLE_SIZE, w.ASK_ABOVE_S, w.CAP = 4, 2, 0.0, 3
    seen: list[str] = []
    answer_with(w, QMessageBox.ButtonRole.AcceptRole, seen)  # "Compare on the first 3 URLs"
    comparison = run(loop, w)
    assert len(seen) == 1 and "for 8 URLs" in seen[0]
    assert comparison is not None
    assert [s.urls for s in comparison.summaries.values()] == [3, 3, 3]
    assert "8 URLs" not in w.headline() and "3 URLs" in w.headline()


def test_cancelling_at_the_question_runs_nothing(loop: asyncio.AbstractEventLoop, extractor: Extractor,
                                                 testbed: Any, qtbot: Any) -> None:
    w = make_window(qtbot, extractor, testbed.url, 6, 0)
    w.SAMPLE_ABOVE, w.SAMPLE_SIZE, w.ASK_ABOVE_S = 2, 1, 0.0
    seen: list[str] = []
    answer_with(w, None, seen)
    assert run(loop, w) is None
    assert len(seen) == 1
    assert w.comparison is None and all(not w.row(m).timeline.model.rows for m in MODES)


def test_stop_before_start_ends_at_once(loop: asyncio.AbstractEventLoop, extractor: Extractor, testbed: Any,
                                        qtbot: Any) -> None:
    w = make_window(qtbot, extractor, testbed.url, 5, 1000)
    task = w.start()
    w.cancel()
    comparison = loop.run_until_complete(asyncio.wait_for(task, 30))
    assert comparison is not None and comparison.interrupted and not comparison.summaries
    assert w.headline() == "Comparison incomplete"


def summary(mode: Mode, wall: float) -> RunSummary:
    return RunSummary(mode, 10, 9, 1, 0, wall, 3.0, 300.0, 310.0, 320.0, 330.0, 1000, 10 / wall)


def test_csv_rows_and_atomic_write(tmp_path: Path) -> None:
    c = Comparison(summaries={Mode.SYNC: summary(Mode.SYNC, 3.0), Mode.ASYNC: summary(Mode.ASYNC, 0.25)})
    rows = compare_rows(c)
    assert [r["mode"] for r in rows] == ["sync", "async"]
    assert rows[1]["speedup_vs_sync"] == 12.0 and rows[1]["effective_concurrency"] == 12.0
    assert all(set(r) == set(CSV_COLUMNS) for r in rows)
    target = tmp_path / "c.csv"
    target.write_text("old")
    write_compare_csv(target, rows)
    text = target.read_bytes()
    assert text.startswith(b"\xef\xbb\xbf") and b"old" not in text
    assert [p.name for p in tmp_path.iterdir()] == ["c.csv"]
    assert stat.S_IMODE(target.stat().st_mode) == FILE_MODE  # like every other saved file, not mkstemp's 0600
    with pytest.raises(SaveError, match="missing: the folder does not exist"):
        write_compare_csv(tmp_path / "missing" / "c.csv", rows)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_results_neither_widen_the_window_nor_get_cut(loop: asyncio.AbstractEventLoop, extractor: Extractor,
                                                      testbed: Any, qtbot: Any, qapp: Any, lang: str) -> None:
    from gui.app import i18n

    translators = i18n.install_translators(qapp, lang)
    try:
        w = make_window(qtbot, extractor, testbed.url, 4, 20)
        before = w.minimumSizeHint().width()
        run(loop, w)
        assert w.minimumSizeHint().width() <= max(before, 940)  # the cards wrap: the window can stay narrow
        w.resize(933, 600)  # the size it opens at without a window manager
        qapp.processEvents()
        for card in w.cards.values():
            for label in (card.title, card.speedup, card.details):
                needed = label.heightForWidth(label.width()) if label.wordWrap() else label.sizeHint().height()
                assert label.height() >= needed, (lang, label.text())  # every line whole
        # The cards name the modes in the window's language, as its headline does.
        names = {"en": {"sync": "sync", "threads": "threads", "async": "async"},
                 "ko": {"sync": "동기", "threads": "스레드", "async": "비동기"}}[lang]
        for mode, card in w.cards.items():
            assert card.title.text().startswith(f"<b>{names[str(mode)]}</b> — "), card.title.text()
    finally:
        for t in translators:
            qapp.removeTranslator(t)


def test_escape_stops_then_closes(loop: asyncio.AbstractEventLoop, extractor: Extractor, testbed: Any,
                                  qtbot: Any) -> None:
    w = make_window(qtbot, extractor, testbed.url, 6, 3000)

    async def scenario() -> Comparison | None:
        task = w.start()
        qtbot.keyClick(w, Qt.Key.Key_Escape)  # running: stop
        return await asyncio.wait_for(task, 10)

    comparison = loop.run_until_complete(scenario())
    assert comparison is None or comparison.interrupted
    assert w.isVisible()
    qtbot.keyClick(w, Qt.Key.Key_Escape)  # done: close
    assert not w.isVisible()


def test_a_comparison_is_recorded_in_the_history_as_one_comparison(loop: asyncio.AbstractEventLoop,
                                                                   extractor: Extractor, testbed: Any, qtbot: Any,
                                                                   tmp_path: Path) -> None:
    from core.store import Journal
    from gui.history.model import kind_text

    journal = Journal(tmp_path / "journal.sqlite3")
    batch = parse_text("\n".join(f"{testbed.url}/page/{i}" for i in range(3)))
    w = CompareWindow(batch, Settings(concurrency=5), extractor, journal=journal)
    qtbot.addWidget(w)
    w.show()
    comparison = run(loop, w)
    assert comparison is not None
    runs = list(reversed(journal.runs()))
    assert [(r.mode, r.kind, r.status, r.ok) for r in runs] == [(m.value, "compare", "finished", 3) for m in MODES]
    first = runs[0].id
    assert [kind_text(r) for r in runs] == [f"compare #{first}"] * 3
