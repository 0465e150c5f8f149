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
    # Shut down before pytest-qt closes and deleteLater()s the window (as the ``window`` fixture does): the
    # loop that runs shutdown() (it waits for the engine process to end) would otherwise delete it midway.
    qtbot.addWidget(win, before_close_func=lambda w: loop.run_until_complete(w.shutdown()))
    win.show()
    yield win
