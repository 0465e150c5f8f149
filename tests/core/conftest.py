"""Engine test helpers: one extraction pool for the session and a way to run a batch."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from core.model import FetchResult, Mode
from core.parse.pool import Extractor
from core.run.engine import Run
from core.run.observer import RunObserver
from core.settings import Settings
from core.urls import parse_lines


def run_batch(
    lines: Sequence[str],
    mode: Mode,
    extractor: Extractor,
    observer: RunObserver | None = None,
    **settings: object,
) -> tuple[list[FetchResult], Run]:
    """Run ``lines`` to the end on a fresh event loop; return the results in input order."""
    run = Run(parse_lines(lines), Settings(mode=mode, **settings), observer, extractor=extractor)  # type: ignore[arg-type]
    asyncio.run(asyncio.wait_for(run.execute(), timeout=90))
    assert all(r is not None for r in run.results)
    return [r for r in run.results if r is not None], run


ALL_MODES = pytest.mark.parametrize("mode", list(Mode), ids=[m.value for m in Mode])
