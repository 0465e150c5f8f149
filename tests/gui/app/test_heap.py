"""gui.app.heap: freezing the long-lived objects stays cheap however many there are."""

from __future__ import annotations

import gc
import logging

import pytest

from gui.app import heap


def test_freezing_does_not_count_the_frozen_objects_unless_debugging(monkeypatch: pytest.MonkeyPatch,
                                                                     caplog: pytest.LogCaptureFixture) -> None:
    # gc.get_freeze_count() walks the whole permanent generation: 65 ms at 3 million objects, and a run
    # freezes every 250 results. It is only worth its cost for a debug log line.
    counted: list[int] = []
    real = gc.get_freeze_count

    def count() -> int:
        counted.append(1)
        return real()

    monkeypatch.setattr(gc, "get_freeze_count", count)
    caplog.set_level(logging.INFO, logger=heap.__name__)
    heap.freeze_long_lived("test", young_first=True)
    assert counted == []
    caplog.set_level(logging.DEBUG, logger=heap.__name__)
    heap.freeze_long_lived("test")
    assert counted == [1] and "froze" in caplog.text
