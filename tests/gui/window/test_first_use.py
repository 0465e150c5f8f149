"""The window as a new user meets it: fresh home folder, first export, closing mid-run, empty input."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from gui.app.settings import AppSettings
from gui.window.main_window import MainWindow
from tests.gui.conftest import visible_dialog
from tests.gui.window.test_window import run_urls

pytestmark = pytest.mark.gui


def test_default_folders_exist_on_a_fresh_account(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DOCUMENTS_DIR", raising=False)
    store = AppSettings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    assert store.export_folder() == store.open_folder() == str(home)  # no ~/Documents: home, not a phantom
    (home / "Documents").mkdir()
    assert store.export_folder() == str(home / "Documents")
    gone = home / "gone"
    gone.mkdir()
    store.set_export_folder(str(gone))
    assert store.export_folder() == str(gone)
    gone.rmdir()
    assert store.export_folder() == str(home / "Documents")


def test_a_failed_export_says_where_and_why(window: MainWindow, loop: asyncio.AbstractEventLoop, testbed: Any,
                                           tmp_path: Path) -> None:
    run_urls(window, loop, [f"{testbed.url}/page/1"])
    target = tmp_path / "missing" / "x.csv"
    assert loop.run_until_complete(window.files.export(path=str(target))) is None
    box = visible_dialog(QMessageBox)
    assert box is not None
    text = box.text()
    box.close()
    assert "was not saved" in text and f"{target.parent}: the folder does not exist" in text
