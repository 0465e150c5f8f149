"""An origin server under several host names that records how many requests each had in flight at once.

Runs on a :class:`~tests.testbed.background.BackgroundLoop`, listening on one port of 127.0.0.1,
127.0.0.2 and 127.0.0.3 (all loopback on Linux), so ``http://127.0.0.N:PORT`` are three hosts to a
client. Every request counts under its ``Host`` header while it is being answered; ``peak`` is the
most a host ever had at once. Routes: ``/robots.txt`` is 404; anything else answers a small page
after ``?ms=`` milliseconds (default 100).
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter

from aiohttp import web

from tests.testbed.background import BackgroundLoop

__all__ = ["ADDRESSES", "HostsServer"]

ADDRESSES = ("127.0.0.1", "127.0.0.2", "127.0.0.3")


class HostsServer:
    """The recording server; ``urls`` are one base URL per address."""

    def __init__(self, bg: BackgroundLoop) -> None:
        self._bg = bg
        self._lock = threading.Lock()
        self._active: Counter[str] = Counter()
        self._peak: Counter[str] = Counter()
        self._served: Counter[str] = Counter()
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def urls(self) -> list[str]:
        return [f"http://{a}:{self.port}" for a in ADDRESSES]

    @property
    def peak(self) -> dict[str, int]:
        """Host header → the most requests it had in flight at once."""
        with self._lock:
            return dict(self._peak)

    @property
    def served(self) -> dict[str, int]:
        """Host header → requests answered."""
        with self._lock:
            return dict(self._served)

    def start(self) -> HostsServer:
        async def go() -> None:
            app = web.Application()
            app.router.add_route("*", "/{tail:.*}", self._handle)
            self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
            await self._runner.setup()
            first = web.TCPSite(self._runner, ADDRESSES[0], 0)
            await first.start()
            self.port = first._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
            for address in ADDRESSES[1:]:
                await web.TCPSite(self._runner, address, self.port).start()

        self._bg.run(go())
        self._bg.on_close(self._close)
        return self

    async def _close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        host = request.headers.get("Host", "")
        with self._lock:
            self._active[host] += 1
            self._peak[host] = max(self._peak[host], self._active[host])
        try:
            if request.path == "/robots.txt":
                return web.Response(status=404, text="no robots.txt")
            await asyncio.sleep(int(request.query.get("ms", "100")) / 1000.0)
            return web.Response(
                text=f"<html><head><title>{request.path}</title></head></html>", content_type="text/html"
            )
        finally:
            with self._lock:
                self._active[host] -= 1
                self._served[host] += 1
