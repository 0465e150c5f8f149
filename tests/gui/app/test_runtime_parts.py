"""Pieces of the runtime in-process: app identity, icon, excepthook dialog, awaitable dialogs,
stall statistics, the demo and the compare window opened from the main window."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QMimeData, QPointF, Qt
from PySide6.QtGui import QDropEvent, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from core.model import Mode
from gui.app.stall_monitor import StallStats
from gui.window.main_window import MainWindow
from tests.gui.conftest import visible_dialog, wait_for_dialog, wait_until, write_urls


def test_app_identity_and_icon(qapp: QApplication) -> None:
    from gui.app.runtime import DESKTOP_FILE, app_icon, make_app

    name, org = QCoreApplication.applicationName(), QCoreApplication.organizationName()
    try:
        app = make_app()
        assert app is qapp
        assert QCoreApplication.applicationName() == "Fetchlens"
        assert QCoreApplication.organizationName() == "Fetchlens"
        assert QGuiApplication.desktopFileName() == DESKTOP_FILE
        assert not app.quitOnLastWindowClosed()
        assert not app_icon().isNull()
        assert not app.windowIcon().isNull()
    finally:
        QCoreApplication.setApplicationName(name)
        QCoreApplication.setOrganizationName(org)


def test_stall_statistics() -> None:
    stats = StallStats()
    assert stats.p99_ms == 0.0 and stats.worst_ms == 0.0
    for _ in range(980):
        stats.add(0.4)
    for _ in range(20):  # 2 % of the ticks were late: the p99 is one of them
        stats.add(35.2)
    stats.add(-3)  # early ticks count as on time
    assert stats.samples == 1001
    assert stats.worst_ms == pytest.approx(35.2)
    assert stats.percentile(0.5) == 1.0  # the upper edge of the 0–1 ms bucket
    assert stats.p99_ms == 35.2


def test_excepthook_logs_and_shows_a_dialog(qtbot: Any, caplog: pytest.LogCaptureFixture) -> None:
    from gui.app.excepthook import ErrorReporter

    reporter = ErrorReporter()
    try:
        raise ValueError("boom in a slot")
    except ValueError as exc:
        reporter.excepthook(type(exc), exc, exc.__traceback__)
    box = visible_dialog(QMessageBox)
    assert box is not None and "boom in a slot" in box.text()
    assert "Traceback" in box.detailedText()
    assert "Unhandled error" in caplog.text and "boom in a slot" in caplog.text
    box.close()
    reporter.install()
    try:
        assert sys.excepthook == reporter.excepthook
    finally:
        reporter.uninstall()
    assert sys.excepthook != reporter.excepthook


def test_settings_dialog_opens_without_blocking_the_loop(window: MainWindow, loop: asyncio.AbstractEventLoop) -> None:
    from gui.window.settings_dialog import SettingsDialog

    async def scenario() -> None:
        task = window.spawn(window.edit_settings())
        dialog = await wait_for_dialog(SettingsDialog)
        t0 = time.perf_counter()
        await asyncio.sleep(0.05)  # the loop keeps running while the dialog is open (exec() would hang here)
        assert time.perf_counter() - t0 < 1 and not task.done()
        dialog.retries.setValue(4)
        dialog.accept()
        await asyncio.wait_for(task, 5)

    loop.run_until_complete(scenario())
    assert window.settings.retries == 4
    assert window.store.run_settings().retries == 4


def test_export_through_the_file_dialog(window: MainWindow, loop: asyncio.AbstractEventLoop, testbed: Any,
                                        tmp_path: Path) -> None:
    window.store.set_export_folder(str(tmp_path))

    async def scenario() -> str | None:
        await window.url_panel.set_text(f"{testbed.url}/page/1")
        task = await window.start_run()
        await task
        export = window.spawn(window.files.export())
        dialog = await wait_for_dialog(QFileDialog)
        chosen = dialog.selectedFiles()[0]
        assert Path(chosen).parent == tmp_path and Path(chosen).name.startswith("fetchlens-")
        assert chosen.endswith(".csv")
        dialog.accept()
        return await asyncio.wait_for(export, 10)

    path = loop.run_until_complete(scenario())
    assert path is not None and Path(path).is_file()
    assert Path(path).read_text(encoding="utf-8-sig").count("\n") == 2  # header + one row


def test_demo_loads_its_urls_and_stops_on_shutdown(window: MainWindow, loop: asyncio.AbstractEventLoop) -> None:
    loop.run_until_complete(window.try_demo())
    demo = window._demo
    assert demo is not None and demo.base_url
    lines = window.url_panel.text().splitlines()
    assert len(lines) > 20 and all(line.startswith(demo.base_url) for line in lines)
    loop.run_until_complete(window.shutdown())
    assert not demo.base_url  # stopped


def test_compare_window_runs_the_three_modes(window: MainWindow, loop: asyncio.AbstractEventLoop,
                                             testbed: Any) -> None:
    async def scenario() -> Any:
        await window.url_panel.set_text("\n".join(f"{testbed.url}/page/{i}?size=1000" for i in range(6)))
        compare = await window.open_compare(start=True)
        assert compare is not None and compare.isWindow()
        return await asyncio.wait_for(compare.task, 60)

    comparison = loop.run_until_complete(scenario())
    assert set(comparison.summaries) == {Mode.SYNC, Mode.THREADS, Mode.ASYNC}
    assert all(s.ok == 6 for s in comparison.summaries.values())


def test_recent_files_and_drops(window: MainWindow, loop: asyncio.AbstractEventLoop, tmp_path: Path) -> None:
    first = write_urls(tmp_path / "first.txt", ["http://a.example/"])
    second = write_urls(tmp_path / "second.txt", ["http://b.example/", "http://c.example/"])
    assert loop.run_until_complete(window.files.load_files([str(first)]))
    assert loop.run_until_complete(window.files.load_files([str(second)]))
    assert window.store.recent_files()[:2] == [str(second), str(first)]
    window.files.fill_recent_menu(window.commands.recent_menu)
    entries = [a for a in window.commands.recent_menu.actions() if a.toolTip() == str(first)]
    assert entries
    entries[0].trigger()
    loop.run_until_complete(wait_until(lambda: window.url_panel.text() == "http://a.example/",
                                       window.url_panel.edit.textChanged, 5))

    async def missing() -> Any:
        assert not await window.files.load_files([str(tmp_path / "nope.txt")])  # a message, no crash
        return await wait_for_dialog(QMessageBox)

    box = loop.run_until_complete(missing())
    assert "nope.txt" in box.text()
    box.close()

    mime = QMimeData()
    mime.setText("http://dropped.example/")
    event = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    assert "http://dropped.example/" in window.url_panel.text()


def test_about_lists_the_versions(window: MainWindow) -> None:
    from gui.app.about import show_about

    box = show_about(window)
    text = box.text()
    for name in ("Python", "Qt", "PySide6", "qasync", "aiohttp", "beautifulsoup4"):
        assert name in text
    box.close()


def test_mark_colours_follow_the_palette(qapp: QApplication) -> None:
    from gui.urls.editor import INVALID, mark_colour

    light, dark = QPalette(), QPalette()
    light.setColor(QPalette.ColorRole.Base, Qt.GlobalColor.white)
    dark.setColor(QPalette.ColorRole.Base, Qt.GlobalColor.black)
    assert mark_colour(INVALID, dark).lightness() > mark_colour(INVALID, light).lightness()


TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
<context><name>MainWindow</name>
<message><source>&amp;File</source><translation>파일(&amp;F)</translation></message>
<message><source>Export CSV</source><translation>CSV 내보내기</translation></message>
</context>
<context><name>UrlPanel</name>
<message><source>No URLs yet</source><translation>아직 URL이 없습니다</translation></message>
</context>
</TS>
"""


def test_language_from_the_command_line(qtbot: Any, qapp: QApplication, extractor: Any, settings_store: Any,
                                        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil
    import subprocess

    from gui.app import i18n

    lrelease = shutil.which("pyside6-lrelease")
    if lrelease is None:
        pytest.skip("pyside6-lrelease is not installed")
    (tmp_path / "fetchlens_ko.ts").write_text(TS, encoding="utf-8")
    subprocess.run([lrelease, str(tmp_path / "fetchlens_ko.ts"), "-qm", str(tmp_path / "fetchlens_ko.qm")],
                   check=True, capture_output=True, timeout=60)
    monkeypatch.setattr(i18n, "I18N_DIR", tmp_path)
    assert i18n.language_code("ko-KR") == "ko"
    translators = i18n.install_translators(qapp, "ko")
    try:
        assert translators
        win = MainWindow(extractor, settings_store)
        qtbot.addWidget(win)
        assert win.menuBar().actions()[0].text() == "파일(&F)"
        assert win.url_panel.counts_label.text() == "아직 URL이 없습니다"
    finally:
        for t in translators:
            qapp.removeTranslator(t)
    monkeypatch.undo()
    english = i18n.install_translators(qapp, "en")  # only the English plural forms, no Qt strings
    try:
        assert [Path(t.filePath()).name for t in english] == ["fetchlens_en.qm"]
        assert QCoreApplication.translate("MainWindow", "%Ln line(s)", "", 1) == "1 line"
        assert QCoreApplication.translate("MainWindow", "%Ln line(s)", "", 3) == "3 lines"
    finally:
        for t in english:
            qapp.removeTranslator(t)


def test_the_crash_dialog_blots_out_secrets(qtbot: Any) -> None:
    from core.fetch import secrets
    from gui.app.excepthook import ErrorReporter

    secrets.register("hunter2-crash-secret")
    reporter = ErrorReporter()
    try:
        raise RuntimeError("login with alice:hunter2-crash-secret failed")
    except RuntimeError as exc:
        reporter.excepthook(type(exc), exc, exc.__traceback__)
    box = visible_dialog(QMessageBox)
    assert box is not None
    try:
        assert "alice:***" in box.text() and "hunter2-crash-secret" not in box.text()
        assert "Traceback" in box.detailedText() and "hunter2-crash-secret" not in box.detailedText()
    finally:
        box.close()
