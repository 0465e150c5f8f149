"""The URL box: live counts, marks with reasons, big pastes that do not block, files."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QMimeData, QPoint, QUrl
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from gui.app.stall_monitor import StallMonitor
from gui.urls.editor import DUPLICATE, INVALID
from gui.urls.panel import UrlPanel, analyse
from tests.gui.conftest import wait_signal


def test_analyse_maps_lines_to_editor_blocks() -> None:
    text = "# a comment\nhttp://a.example/\n\nnot a url\nhttp://a.example/\nftp://x.example/"
    result = analyse(text, 7)
    assert result.generation == 7
    assert result.counts == {"total": 4, "valid": 2, "invalid": 2, "duplicates": 1}
    assert result.marks[3][0] == INVALID  # "not a url" is block 3 (0-based)
    assert result.marks[4] == (DUPLICATE, "duplicate of line 2")
    assert "scheme" in result.marks[5][1]
    assert 1 not in result.marks


@pytest.fixture
def panel(qtbot: Any, loop: asyncio.AbstractEventLoop) -> Any:
    p = UrlPanel()
    qtbot.addWidget(p)
    p.resize(500, 400)
    p.show()
    yield p
    p.shutdown()


def test_counts_follow_edits_after_debounce(panel: UrlPanel, loop: asyncio.AbstractEventLoop) -> None:
    async def scenario() -> tuple[dict[str, int], dict[str, int]]:
        panel.edit.setPlainText("http://a.example/\nbad line\nhttp://a.example/")
        (first,) = await wait_signal(panel.counts_changed, 5)
        panel.edit.appendPlainText("https://b.example/x")
        (second,) = await wait_signal(panel.counts_changed, 5)
        return first, second

    first, second = loop.run_until_complete(scenario())
    assert first == {"total": 3, "valid": 2, "invalid": 1, "duplicates": 1}
    assert second["valid"] == 3
    assert "3 valid" in panel.counts_label.text() and "1 invalid" in panel.counts_label.text()
    assert panel.next_invalid.isVisibleTo(panel)


def test_invalid_line_has_reason_on_hover(panel: UrlPanel, loop: asyncio.AbstractEventLoop, qtbot: Any) -> None:
    panel.edit.setPlainText("http://ok.example/\nmailto:someone@example.com\n")
    loop.run_until_complete(panel.wait_counted())
    block = panel.edit.document().findBlockByNumber(1)
    geo = panel.edit.blockBoundingGeometry(block).translated(panel.edit.contentOffset())
    pos = QPoint(10, int(geo.center().y()))
    viewport = panel.edit.viewport()
    event = QHelpEvent(QEvent.Type.ToolTip, pos, viewport.mapToGlobal(pos))
    QApplication.sendEvent(viewport, event)
    assert "Line 2" in QToolTip.text() and "unsupported scheme" in QToolTip.text()
    assert panel.edit.next_mark(INVALID) == 1
    assert panel.edit.textCursor().blockNumber() == 1


def test_paste_of_100k_lines_does_not_block(panel: UrlPanel, loop: asyncio.AbstractEventLoop) -> None:
    lines = [f"http://127.0.0.1:9/page/{i}" for i in range(100_000)]
    lines[500] = "not a url at all"
    lines[99_000] = lines[10]
    mime = QMimeData()
    mime.setText("\n".join(lines))
    monitor = StallMonitor(parent=panel)

    async def scenario() -> dict[str, int]:
        monitor.start()
        t0 = time.perf_counter()
        panel.edit.insertFromMimeData(mime)  # what Ctrl+V does
        (counts,) = await wait_signal(panel.counts_changed, 30)
        monitor.stop()
        assert time.perf_counter() - t0 < 30
        return counts

    counts = loop.run_until_complete(scenario())
    assert counts == {"total": 100_000, "valid": 99_999, "invalid": 1, "duplicates": 1}
    assert panel.edit.blockCount() == 100_000
    assert panel.edit.marks()[500][0] == INVALID
    assert monitor.stats.samples > 10  # the loop kept ticking while the text went in and was counted
    assert monitor.worst_ms < 200, f"the window froze for {monitor.worst_ms:.0f} ms"
    panel.edit.undo()  # the paste is one undo step
    assert panel.edit.toPlainText() == ""


def test_load_files_and_drop(panel: UrlPanel, loop: asyncio.AbstractEventLoop, tmp_path: Path) -> None:
    txt = tmp_path / "a.txt"
    txt.write_text("# list\nhttp://a.example/\r\nhttp://b.example/\n", encoding="utf-8")
    csv = tmp_path / "b.csv"
    csv.write_text("name,url\nx,http://c.example/\n", encoding="utf-8")
    loop.run_until_complete(panel.load_files([str(txt), str(csv)]))
    assert panel.text().splitlines() == ["# list", "http://a.example/", "http://b.example/", "http://c.example/"]
    assert loop.run_until_complete(panel.wait_counted())["valid"] == 3

    dropped: list[list[str]] = []
    panel.files_dropped.connect(dropped.append)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(txt))])
    assert panel.edit.canInsertFromMimeData(mime)
    panel.edit.insertFromMimeData(mime)
    assert dropped == [[str(txt)]]
    assert "file://" not in panel.text()  # the file's name is not pasted as text
