"""Fixtures of the main-window tests: a window recording into its own journal."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.store import Journal
from gui.window.main_window import MainWindow


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    return Journal(tmp_path / "journal.sqlite3")


@pytest.fixture
def jwindow(qtbot: Any, loop: asyncio.AbstractEventLoop, extractor: Any, settings_store: Any,
            journal: Journal) -> Iterator[MainWindow]:
    win = MainWindow(extractor, settings_store, journal=journal)
    qtbot.addWidget(win)
    win.show()
    yield win
    loop.run_until_complete(win.shutdown())
