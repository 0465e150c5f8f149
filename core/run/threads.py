"""Worker threads for the blocking modes that never hold up the end of the process.

``ThreadPoolExecutor`` threads are joined at interpreter exit, so one request stuck where no deadline
reaches it (a DNS lookup in ``getaddrinfo``, a connect) kept Ctrl-C / SIGTERM / closing the window waiting
for as long as it took. These threads are daemons: a run that is stopped stops waiting for them, and the
process ends while they are still blocked (their sockets are cut by the fetcher's watchdog anyway).
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
_names = itertools.count()


class DaemonThreadExecutor(Executor):
    """A fixed-size pool of daemon threads (``run_in_executor`` compatible).

    Args:
        workers: number of threads, started on demand.
        name: thread name prefix.
    """

    def __init__(self, workers: int, name: str = "fetch") -> None:
        self._max = max(1, workers)
        self._name = name
        self._jobs: queue.SimpleQueue[tuple[Future[Any], Callable[..., Any], tuple[Any, ...], dict[str, Any]] | None]
        self._jobs = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._idle = 0
        self._lock = threading.Lock()
        self._closed = False

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        fut: Future[T] = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("cannot schedule new work after shutdown")
            self._jobs.put((fut, fn, args, kwargs))
            if self._idle == 0 and len(self._threads) < self._max:
                t = threading.Thread(target=self._work, name=f"{self._name}-{next(_names)}", daemon=True)
                self._threads.append(t)
                t.start()
            elif self._idle:
                self._idle -= 1  # an idle thread takes it
        return fut

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            fut, fn, args, kwargs = job
            if fut.set_running_or_notify_cancel():
                try:
                    fut.set_result(fn(*args, **kwargs))
                except BaseException as exc:  # noqa: BLE001 - handed to the waiting side
                    fut.set_exception(exc)
            with self._lock:
                self._idle += 1

    def replace_stuck(self) -> None:
        """One thread is stuck for good (its caller gave up on it): allow one more in its place."""
        with self._lock:
            self._max += 1

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Stop taking work; ``wait=False`` returns at once even if threads are blocked."""
        with self._lock:
            self._closed = True
            threads = list(self._threads)
        if cancel_futures:
            with contextlib.suppress(queue.Empty):
                while True:
                    job = self._jobs.get_nowait()
                    if job is not None:
                        job[0].cancel()
        for _ in threads:
            self._jobs.put(None)
        if wait:
            for t in threads:
                t.join()
