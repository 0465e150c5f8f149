"""Runs :func:`core.parse.extract.extract` in a process pool, created once and shared.

Parsing in a thread still stalls the event loop (the GIL, and the GC of parse trees:
50–600 ms measured under qasync); in worker processes the stall stays under 5 ms.
The pool uses the *spawn* start method so a worker never inherits Qt state.

Bodies travel in batches: one pool task per page cost the main process 0.36 ms of CPU
per 20 KB page (pickling, the pool's queues and threads) — as much as parsing itself.
While the pool is busy, pages that arrive wait and go together in the next task
(up to ``MAX_BATCH``); with 16 per task the main process spends 0.06 ms per page.
Workers also run at a lower priority, so on a 2-core machine the window's thread
gets the CPU when it needs it (worst stall 88–100 ms → 41–53 ms measured).
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
import weakref
from collections.abc import Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from core.parse.extract import Extracted, extract

log = logging.getLogger(__name__)


MAX_BATCH = 32  # pages per pool task at most
INFLIGHT_PER_WORKER = 2  # tasks queued per worker before pages start to wait and batch up


PARENT_POLL_S = 0.5  # how often a worker checks that the app is still there
SHUTDOWN_JOIN_S = 2.0  # the most a terminated worker is waited for


def _init_worker(parent: int) -> None:
    """Tie the worker's life to the app's, lower its priority, load the parser before the first page arrives."""
    _die_with_parent(parent)
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(10)
    _warm_up()


def _die_with_parent(parent: int) -> None:
    """End this worker when the app process ends, however it ends (``kill -9`` included).

    Linux: the kernel sends SIGKILL at once (``prctl(PR_SET_PDEATHSIG)``). Everywhere (macOS, and as a
    fallback): a daemon thread sees the parent go, within ``PARENT_POLL_S`` on POSIX (the orphan is
    re-parented, so ``os.getppid()`` changes) and at once on Windows (it waits on the parent's process
    handle). The multiprocessing resource tracker then ends
    too: it exits when the last process holding its pipe has gone.
    """
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG = 1
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)

    threading.Thread(target=_watch_parent, args=(parent,), name="parent-watch", daemon=True).start()


def _watch_parent(parent: int) -> None:
    """Return only to end the worker: when ``parent`` has gone."""
    if os.name == "nt":
        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x00100000, False, parent)  # SYNCHRONIZE
        if handle:
            kernel32.WaitForSingleObject(handle, 0xFFFFFFFF)  # INFINITE: returns when the parent exits
    else:
        while os.getppid() == parent:  # POSIX re-parents an orphan, so its parent id changes
            time.sleep(PARENT_POLL_S)  # a poll: nothing signals a parent's death on macOS
    os._exit(1)


def _warm_up() -> None:
    from core.parse.extract import parse_tree

    parse_tree("<title>warm-up</title>")  # imports lxml and builds this process's parser


def extract_many(items: Sequence[tuple[bytes, str]]) -> list[Extracted]:
    """Parse several bodies in one pool task."""
    return [extract(body, ctype) for body, ctype in items]


class _Batcher:
    """Per event loop: pages waiting for the pool, and how many tasks are out."""

    def __init__(self, owner: Extractor, loop: asyncio.AbstractEventLoop) -> None:
        self.owner = owner
        self.loop = loop
        self.pending: list[tuple[bytes, str, asyncio.Future[Extracted]]] = []
        self.inflight = 0
        self.scheduled = False

    def add(self, body: bytes, ctype: str) -> asyncio.Future[Extracted]:
        fut: asyncio.Future[Extracted] = self.loop.create_future()
        self.pending.append((body, ctype, fut))
        self._schedule()
        return fut

    def _schedule(self) -> None:
        if self.pending and not self.scheduled and self.inflight < self.owner.workers * INFLIGHT_PER_WORKER:
            self.scheduled = True
            # call_soon: every page that arrives in this loop iteration joins the same task.
            self.loop.call_soon(self._flush)

    def _flush(self) -> None:
        self.scheduled = False
        while self.pending and self.inflight < self.owner.workers * INFLIGHT_PER_WORKER:
            batch, self.pending = self.pending[:MAX_BATCH], self.pending[MAX_BATCH:]
            self.inflight += 1
            task = asyncio.ensure_future(self._run(batch))
            self.owner._tasks.add(task)
            task.add_done_callback(self.owner._tasks.discard)

    async def _run(self, batch: list[tuple[bytes, str, asyncio.Future[Extracted]]]) -> None:
        items = [(body, ctype) for body, ctype, _ in batch]
        try:
            results = await self.owner._submit(items)
        except asyncio.CancelledError:
            for _, _, fut in batch:
                fut.cancel()
            raise
        except Exception as exc:  # noqa: BLE001 - every waiting page gets the error as its result
            results = [Extracted(None, "", 0.0, f"parser failed: {exc!r}")] * len(batch)
        finally:
            self.inflight -= 1
            self._schedule()
        for (_, _, fut), result in zip(batch, results, strict=True):
            if not fut.done():
                fut.set_result(result)


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
        self._batchers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Batcher] = weakref.WeakKeyDictionary()
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def workers(self) -> int:
        return self._workers

    def _get_pool(self) -> Executor:
        with self._lock:
            if self._pool is None:
                ctx = multiprocessing.get_context("spawn")
                self._pool = ProcessPoolExecutor(self._workers, mp_context=ctx, initializer=_init_worker,
                                                 initargs=(os.getpid(),))
                log.info("started %d extraction processes", self._workers)
            return self._pool

    def start(self) -> None:
        """Start the worker processes now (they take a moment to import the parser)."""
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
        """Parse one body off the event loop's thread (batched with others arriving meanwhile)."""
        if self._inline:
            return extract(body, content_type)
        loop = asyncio.get_running_loop()
        batcher = self._batchers.get(loop)
        if batcher is None:
            batcher = self._batchers[loop] = _Batcher(self, loop)
        return await batcher.add(body, content_type)

    async def _submit(self, items: list[tuple[bytes, str]]) -> list[Extracted]:
        loop = asyncio.get_running_loop()
        for attempt in (1, 2):
            try:
                return await loop.run_in_executor(self._get_pool(), extract_many, items)
            except BrokenProcessPool as exc:
                # A worker died (out of memory, killed): start a new pool and try once more.
                log.warning("extraction pool broke (%s); restarting it", exc)
                with self._lock:
                    self._pool = None
                if attempt == 2:
                    return [Extracted(None, "", 0.0, f"parser process failed: {exc}")] * len(items)
        raise AssertionError("unreachable")

    def shutdown(self) -> None:
        """Stop the worker processes now; pending work is dropped.

        Workers keep no state, so they are terminated rather than asked to finish: a stopped run (Ctrl-C,
        SIGTERM, closing the window) must not wait for low-priority processes to tear down their
        interpreters on a busy machine (measured: 0.3 s idle, seconds under load).
        """
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is None:
            return
        # ProcessPoolExecutor exposes no public way to reach its processes; shutdown() drops this dict.
        procs = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for proc in procs:
            with contextlib.suppress(OSError, ValueError):
                proc.terminate()
        for proc in procs:
            proc.join(SHUTDOWN_JOIN_S)
        log.info("extraction processes stopped")

