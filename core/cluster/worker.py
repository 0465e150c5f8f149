"""What a Dask worker runs: one shard through the same engine as a run on one machine.

The shard's URLs become a small batch fetched by :class:`core.run.engine.Run` (same modes,
retries, timeouts and parsing; parsing inline, since a Dask worker is a daemon process that
may not start a process pool). Results come back with their input indices and with times on
the coordinator's clock (shifted by when the shard started, from wall-clock epochs).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import socket
import time

from core.model import FetchResult
from core.parse.pool import Extractor
from core.run.engine import Run
from core.settings import Settings
from core.urls import Batch, UrlEntry

log = logging.getLogger(__name__)


def fetch_shard(items: list[tuple[int, str]], settings: Settings, run_epoch: float) -> list[FetchResult]:
    """Fetch ``(input_index, url)`` pairs; returns one result per pair, in the same order.

    Args:
        items: valid, distinct URLs with their indices in the whole input.
        settings: the run's settings (duplicates were resolved by the coordinator).
        run_epoch: the coordinator's ``time.time()`` when the run started.
    """
    batch = Batch([UrlEntry(i, i + 1, url, url) for i, (_idx, url) in enumerate(items)])
    run = Run(batch, settings.replace(fetch_duplicates=True), extractor=Extractor(inline=True))
    shift_ms = (time.time() - run_epoch) * 1000.0
    asyncio.run(run.execute())
    log.info("shard of %d URLs done on %s", len(items), socket.gethostname())
    out = []
    for (idx, _url), r in zip(items, run.results, strict=True):
        assert r is not None
        t = r.timings
        out.append(
            dataclasses.replace(
                r,
                input_index=idx,
                timings=dataclasses.replace(
                    t, started_ms=t.started_ms + shift_ms, finished_ms=t.finished_ms + shift_ms
                ),
            )
        )
    return out
