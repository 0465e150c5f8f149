"""A raw asyncio TCP server for misbehaviour an HTTP framework refuses to produce.

One request per connection; the request path picks the misbehaviour:

* ``/reset-before``: reads the request, then resets the connection (RST, no response).
* ``/reset-mid``: headers with ``Content-Length: 100000``, 5000 bytes of body, then RST.
* ``/short-body``: ``Content-Length: 10000``, 100 bytes, then a clean close (FIN).
* ``/bad-chunked``: ``Transfer-Encoding: chunked`` followed by a garbage chunk-size line.
* ``/no-answer``: reads the request and never answers (until the client goes away).
* ``/garbage``: non-HTTP bytes, then a clean close.
* the HTTP-semantics cases of :mod:`tests.testbed.semantics` by their first path segment (these may
  keep the connection open for the next request);
* anything else: ``200 OK`` with a small HTML page and ``Connection: close``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import struct
from collections.abc import Awaitable, Callable
from typing import Any

from tests.testbed.semantics import SEMANTIC_ROUTES, Request

log = logging.getLogger(__name__)

__all__ = ["RAW_PATHS", "RawServer"]

_HEAD_LIMIT = 64 * 1024
_READ_TIMEOUT = 30.0
_SMALL_PAGE = (
    b'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Raw OK</title>\n</head>\n'
    b"<body>\n<h1>Raw OK</h1>\n<p>The raw server behaved.</p>\n</body>\n</html>\n"
)

RawHandler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


def _head(status: str, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in headers.items()), "", ""]
    return "\r\n".join(lines).encode("latin-1")


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with RST: SO_LINGER (on, 0 s) makes close() discard the connection abruptly."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def _reset_before(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    _reset(writer)


async def _reset_mid(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(_head("200 OK", {"Content-Type": "text/html; charset=utf-8", "Content-Length": "100000"}))
    writer.write(b"<!DOCTYPE html>\n<html><head><title>Reset mid-body</title></head><body>\n".ljust(5000, b"x"))
    await writer.drain()
    # Server-side pacing only: let loopback deliver the partial body before the RST.
    await asyncio.sleep(0.05)
    _reset(writer)


async def _short_body(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(_head("200 OK", {"Content-Type": "text/html; charset=utf-8", "Content-Length": "10000"}))
    writer.write(b"<!DOCTYPE html>\n<html><head><title>Short body</title></head><body>\n".ljust(100, b"y"))
    await writer.drain()
    writer.close()


async def _bad_chunked(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(_head("200 OK", {"Content-Type": "text/html; charset=utf-8", "Transfer-Encoding": "chunked"}))
    writer.write(b"this is not a chunk size\r\n<html><head><title>Bad chunked</title></head></html>\r\n")
    await writer.drain()
    writer.close()


async def _no_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while await reader.read(65536):
        pass
    writer.close()


async def _garbage(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(b"SSH-2.0-OpenSSH_9.6\r\n\x00\xff\xfe garbage, not HTTP \x01\x02\r\n\r\n")
    await writer.drain()
    writer.close()


async def _ok(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    headers = {"Content-Type": "text/html; charset=utf-8", "Content-Length": str(len(_SMALL_PAGE))}
    writer.write(_head("200 OK", {**headers, "Connection": "close"}) + _SMALL_PAGE)
    await writer.drain()
    writer.close()


RAW_PATHS: dict[str, RawHandler] = {
    "/reset-before": _reset_before,
    "/reset-mid": _reset_mid,
    "/short-body": _short_body,
    "/bad-chunked": _bad_chunked,
    "/no-answer": _no_answer,
    "/garbage": _garbage,
}
"""Misbehaving paths; any other path gets a normal small page."""


class RawServer:
    """The raw TCP server; start it inside a running event loop.

    Attributes:
        host: Interface to bind.
        port: The bound port once started (the requested one before).
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, backlog: int = 1024) -> None:
        """Prepare the server.

        Args:
            host: Interface to bind.
            port: Port to bind; 0 picks a free one.
            backlog: Listen backlog.
        """
        self.host = host
        self.port = port
        self._backlog = backlog
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task[Any]] = set()

    @property
    def url(self) -> str:
        """Base URL, ``http://host:port``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    async def start(self) -> None:
        """Bind and start accepting connections."""
        self._server = await asyncio.start_server(
            self._handle, self.host, self.port, backlog=self._backlog, limit=_HEAD_LIMIT
        )
        self.port = self._server.sockets[0].getsockname()[1]
        log.info("raw server listening on %s", self.url)

    async def close(self) -> None:
        """Stop accepting, drop every open connection and wait for the handlers."""
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        self._writers.add(writer)
        try:
            while True:
                req = await self._read_request(reader)
                if req is None:
                    writer.close()
                    return
                log.debug("raw request %s", req.target)
                route = SEMANTIC_ROUTES.get(req.path.split("/")[1])
                if route is None:
                    await RAW_PATHS.get(req.path, _ok)(reader, writer)
                    return
                if not await route(writer, req, req.path.split("/")[2:]):
                    return
        except (ConnectionError, OSError) as exc:
            log.debug("raw connection ended: %r", exc)
        finally:
            self._writers.discard(writer)
            if task is not None:
                self._tasks.discard(task)
            if not writer.transport.is_closing():
                writer.close()

    @staticmethod
    async def _read_request(reader: asyncio.StreamReader) -> Request | None:
        """Read the request head, or None if there is none."""
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), _READ_TIMEOUT)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError):
            return None
        parts = head.split(b"\r\n", 1)[0].split()
        if len(parts) < 2:
            return None
        return Request(parts[1].decode("latin-1"), head)
