"""An event loop in a background thread, for test-bed servers whose state a test reads directly.

Servers that count what passed through them (proxies, the echo server) run here rather than
in a subprocess so a test can read their records without another protocol. Everything binds
127.0.0.1 on a random port; :meth:`BackgroundLoop.close` stops the servers and joins the thread.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Self, TypeVar

log = logging.getLogger(__name__)

__all__ = ["BackgroundLoop"]

T = TypeVar("T")
START_TIMEOUT = 10.0


class BackgroundLoop:
    """A running asyncio loop in a daemon thread (context manager)."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._main, name="testbed-loop", daemon=True)
        self._closers: list[Callable[[], Awaitable[None]]] = []

    def _main(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.call_soon(self._ready.set)
        self.loop.run_forever()

    def start(self) -> Self:
        self._thread.start()
        if not self._ready.wait(START_TIMEOUT):
            raise RuntimeError("the test-bed loop did not start")
        return self

    def run(self, coro: Awaitable[T], timeout: float = START_TIMEOUT) -> T:
        """Run ``coro`` on the loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)  # type: ignore[arg-type]

    def on_close(self, closer: Callable[[], Awaitable[None]]) -> None:
        """Await ``closer()`` on the loop when closing (last registered, first run)."""
        self._closers.append(closer)

    def close(self) -> None:
        async def shutdown() -> None:
            for closer in reversed(self._closers):
                try:
                    await closer()
                except Exception:
                    log.exception("closing a test-bed server failed")
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        if self._thread.is_alive():
            self.run(shutdown())
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(START_TIMEOUT)
        self.loop.close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        self.close()
