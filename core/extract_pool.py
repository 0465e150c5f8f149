"""Runs :func:`core.extract.extract` in a process pool, created once and shared.

Parsing in a thread still stalls the event loop (the GIL, and the GC of bs4 trees:
50–600 ms measured under qasync); in worker processes the stall stays under 5 ms.
The pool uses the *spawn* start method so a worker never inherits Qt state.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from core.extract import Extracted, extract

log = logging.getLogger(__name__)


def _warm_up() -> None:
    """Import the parser stack in the worker before the first page arrives."""
    import bs4  # noqa: F401
    import lxml.html  # noqa: F401


class Extractor:
    """Hands response bodies to worker processes and awaits the parsed facts.

    Args:
        workers: number of processes (default: the number of CPUs).
        inline: parse in the calling thread instead (tests, tiny batches, no pool).
    """

    def __init__(self, workers: int | None = None, inline: bool = False) -> None:
        self._workers = workers or max(1, os.cpu_count() or 1)
        self._inline = inline
        self._pool: Executor | None = None
        self._lock = threading.Lock()

    @property
    def workers(self) -> int:
        return self._workers

    def _get_pool(self) -> Executor:
        with self._lock:
            if self._pool is None:
                ctx = multiprocessing.get_context("spawn")
                self._pool = ProcessPoolExecutor(self._workers, mp_context=ctx, initializer=_warm_up)
                log.info("started %d extraction processes", self._workers)
            return self._pool

    def start(self) -> None:
        """Start the worker processes now (they take a moment to import bs4)."""
        if not self._inline:
            pool = self._get_pool()
            # Submitting one no-op per worker makes the pool spawn its processes.
            for _ in range(self._workers):
                pool.submit(_warm_up)

    async def warm_up(self) -> None:
        """Start the worker processes and wait until each has imported the parser."""
        if self._inline:
            return
        loop = asyncio.get_running_loop()
        pool = self._get_pool()
        await asyncio.gather(*(loop.run_in_executor(pool, _warm_up) for _ in range(self._workers)))

    async def extract(self, body: bytes, content_type: str) -> Extracted:
        """Parse one body off the event loop's thread."""
        if self._inline:
            return extract(body, content_type)
        loop = asyncio.get_running_loop()
        for attempt in (1, 2):
            try:
                return await loop.run_in_executor(self._get_pool(), extract, body, content_type)
            except BrokenProcessPool as exc:
                # A worker died (out of memory, killed): start a new pool and try once more.
                log.warning("extraction pool broke (%s); restarting it", exc)
                with self._lock:
                    self._pool = None
                if attempt == 2:
                    return Extracted(None, "", 0.0, f"parser process failed: {exc}")
        raise AssertionError("unreachable")

    def extract_blocking(self, body: bytes, content_type: str) -> Extracted:
        """Parse one body from a worker thread (blocking modes), in the process pool."""
        if self._inline:
            return extract(body, content_type)
        return self._get_pool().submit(extract, body, content_type).result()

    def shutdown(self) -> None:
        """Stop the worker processes; pending work is dropped."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
            log.info("extraction processes stopped")


class ThreadExtractor(Extractor):
    """Parses in a thread pool: only for comparison in benchmarks (it stalls the loop)."""

    def _get_pool(self) -> Executor:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix="extract")
            return self._pool
