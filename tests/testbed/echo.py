"""A recording origin server for request options: it keeps every request's method, path and headers.

Runs on a :class:`~tests.testbed.background.BackgroundLoop` (127.0.0.1, random port). Routes:

* ``/echo`` and ``/echo/...``: a small HTML page; the request is recorded (headers, cookies).
* ``/basic``: 200 only with ``Authorization: Basic`` for ``basic`` (user, password), else 401.
* ``/bearer``: 200 only with ``Authorization: Bearer`` ``bearer``, else 401.
* ``/to?url=U``: ``302`` to ``U``.
* ``/status/{code}``: that status with a small page.
* ``/no-head``: 405 to HEAD (``Allow: GET``), a page to GET.
* ``/robots.txt``: ``robots`` (404 when it is None).
* anything else: a small HTML page.

``records`` lists :class:`Seen` in arrival order with a ``time.monotonic()`` stamp taken when
the request's head has been read.
"""

from __future__ import annotations

import base64
import threading
import time
from dataclasses import dataclass, field

from aiohttp import web

from tests.testbed.background import BackgroundLoop

__all__ = ["EchoServer", "Seen"]

PAGE = "<!DOCTYPE html><html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>"


@dataclass(frozen=True, slots=True)
class Seen:
    """One request as the server saw it (header names lower-cased)."""

    t: float
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)


class EchoServer:
    """The recording server; ``url`` is ``http://127.0.0.1:PORT``.

    Args:
        bg: the background loop to run on.
        basic: the (user, password) ``/basic`` accepts.
        bearer: the token ``/bearer`` accepts.
        robots: the robots.txt body, or None for 404.
    """

    def __init__(self, bg: BackgroundLoop, basic: tuple[str, str] = ("alice", "s3cret-pw"),
                 bearer: str = "tok-9f8e7d", robots: str | None = None) -> None:
        self._bg = bg
        self.basic = basic
        self.bearer = bearer
        self.robots = robots
        self._records: list[Seen] = []
        self._lock = threading.Lock()
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def records(self) -> list[Seen]:
        with self._lock:
            return list(self._records)

    def paths(self) -> list[str]:
        return [r.path for r in self.records]

    def clear(self) -> None:
        with self._lock:
            self._records.clear()

    def start(self) -> EchoServer:
        async def go() -> None:
            app = web.Application()
            app.router.add_route("*", "/{tail:.*}", self._handle)
            self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
            await self._runner.setup()
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            await site.start()
            self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

        self._bg.run(go())
        self._bg.on_close(self._close)
        return self

    async def _close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def _page(self, title: str, status: int = 200, **headers: str) -> web.Response:
        return web.Response(text=PAGE.format(title=title), status=status, content_type="text/html", headers=headers)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        seen = Seen(time.monotonic(), request.method, request.path_qs,
                    {k.lower(): v for k, v in request.headers.items()}, dict(request.cookies))
        with self._lock:
            self._records.append(seen)
        path = request.path
        auth = request.headers.get("Authorization", "")
        if path == "/robots.txt":
            if self.robots is None:
                return web.Response(status=404, text="no robots.txt")
            return web.Response(text=self.robots, content_type="text/plain")
        if path == "/basic":
            good = "Basic " + base64.b64encode(":".join(self.basic).encode()).decode()
            if auth != good:
                return self._page("login required", 401, **{"WWW-Authenticate": 'Basic realm="bed"'})
            return self._page("basic ok")
        if path == "/bearer":
            if auth != f"Bearer {self.bearer}":
                return self._page("token required", 401, **{"WWW-Authenticate": "Bearer"})
            return self._page("bearer ok")
        if path == "/to":
            raise web.HTTPFound(request.query["url"])
        if path.startswith("/status/"):
            return self._page(f"status {path[8:]}", int(path[8:]))
        if path == "/no-head" and request.method == "HEAD":
            return web.Response(status=405, headers={"Allow": "GET"})
        return self._page(f"echo {path}")
