"""Real proxies for the tests: an HTTP forward proxy (absolute-form requests and CONNECT) and SOCKS5.

Both run on a :class:`~tests.testbed.background.BackgroundLoop`, listen on 127.0.0.1 with a
random port and record what passed through them (``records``: one entry per request or
tunnel), so a test can show that a request really went through the proxy.

* :class:`HttpProxy`: RFC 9112 §3.2.2 absolute-form ``GET http://host:port/path`` is forwarded
  in origin form with ``Connection: close`` (so one request per client connection); RFC 9110
  §9.3.6 ``CONNECT host:port`` opens a tunnel (HTTPS through the proxy). With ``credentials``
  it answers 407 unless ``Proxy-Authorization`` carries them (RFC 9110 §11.7.2).
* :class:`Socks5Proxy`: RFC 1928 CONNECT with "no authentication", or RFC 1929
  username/password when ``credentials`` is set; IPv4, IPv6 and domain-name addresses.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import ipaddress
import logging
import struct
import threading
from dataclasses import dataclass

from tests.testbed.background import BackgroundLoop

log = logging.getLogger(__name__)

__all__ = ["HttpProxy", "ProxyRecord", "Socks5Proxy"]

_HEAD_LIMIT = 64 * 1024
_HOP_BY_HOP = {b"connection", b"keep-alive", b"proxy-connection", b"proxy-authorization", b"te", b"upgrade"}


@dataclass(frozen=True, slots=True)
class ProxyRecord:
    """One request or tunnel: ``kind`` is ``forward``, ``connect`` or ``socks``; ``target`` host:port."""

    kind: str
    target: str
    path: str = ""
    proxy_authorization: str = ""


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()


async def _tunnel(a_r: asyncio.StreamReader, a_w: asyncio.StreamWriter,
                  b_r: asyncio.StreamReader, b_w: asyncio.StreamWriter) -> None:
    await asyncio.gather(_pipe(a_r, b_w), _pipe(b_r, a_w), return_exceptions=True)


class _RecordingServer:
    """Common parts: start/stop on a background loop and a thread-safe record list."""

    def __init__(self, bg: BackgroundLoop, credentials: tuple[str, str] | None = None) -> None:
        self._bg = bg
        self.credentials = credentials
        self._records: list[ProxyRecord] = []
        self._lock = threading.Lock()
        self._server: asyncio.Server | None = None
        self.port = 0

    def start(self) -> _RecordingServer:
        async def go() -> None:
            self._server = await asyncio.start_server(self._guarded, "127.0.0.1", 0)
            self.port = self._server.sockets[0].getsockname()[1]

        self._bg.run(go())
        self._bg.on_close(self._close)
        return self

    async def _close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def _record(self, rec: ProxyRecord) -> None:
        with self._lock:
            self._records.append(rec)

    @property
    def records(self) -> list[ProxyRecord]:
        with self._lock:
            return list(self._records)

    def clear(self) -> None:
        with self._lock:
            self._records.clear()

    async def _guarded(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        # A connection still open when the loop shuts down ends quietly: asyncio's streams (3.11)
        # would log the cancelled handler as "Exception in callback".
        try:
            await self._handle(reader, writer)
        except asyncio.CancelledError:
            writer.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        raise NotImplementedError


class HttpProxy(_RecordingServer):
    """An HTTP forward proxy; ``url`` is ``http://127.0.0.1:PORT`` (credentials not included)."""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _authorised(self, header: str) -> bool:
        if self.credentials is None:
            return True
        expected = "Basic " + base64.b64encode(":".join(self.credentials).encode()).decode()
        return header == expected

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            writer.close()
            return
        lines = head.split(b"\r\n")
        method, target, _version = lines[0].decode("latin-1").split(" ", 2)
        headers = [(k.strip(), v.strip()) for k, _, v in (ln.partition(b":") for ln in lines[1:] if ln)]
        proxy_auth = next((v.decode("latin-1") for k, v in headers if k.lower() == b"proxy-authorization"), "")
        if not self._authorised(proxy_auth):
            writer.write(b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"p\"\r\n"
                         b"Content-Length: 0\r\nConnection: close\r\n\r\n")
            await writer.drain()
            writer.close()
            return
        if method == "CONNECT":
            host, _, port = target.rpartition(":")
            self._record(ProxyRecord("connect", target, proxy_authorization=proxy_auth))
            try:
                up_r, up_w = await asyncio.open_connection(host.strip("[]"), int(port))
            except OSError:
                writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                writer.close()
                return
            writer.write(b"HTTP/1.1 200 Connection Established\r\n\r\n")
            await writer.drain()
            await _tunnel(reader, writer, up_r, up_w)
            return
        await self._forward(method, target, headers, proxy_auth, writer)

    async def _forward(self, method: str, target: str, headers: list[tuple[bytes, bytes]], proxy_auth: str,
                       writer: asyncio.StreamWriter) -> None:
        from urllib.parse import urlsplit

        parts = urlsplit(target)
        port = parts.port or 80
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self._record(ProxyRecord("forward", f"{parts.hostname}:{port}", path, proxy_auth))
        try:
            up_r, up_w = await asyncio.open_connection(parts.hostname, port)
        except OSError:
            writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            writer.close()
            return
        out = [f"{method} {path} HTTP/1.1".encode()]
        out += [k + b": " + v for k, v in headers if k.lower() not in _HOP_BY_HOP]
        out.append(b"Connection: close")
        up_w.write(b"\r\n".join(out) + b"\r\n\r\n")
        await up_w.drain()
        try:
            resp_head = await up_r.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            writer.close()
            up_w.close()
            return
        rl = resp_head.split(b"\r\n")
        kept = [rl[0]] + [ln for ln in rl[1:] if ln and ln.partition(b":")[0].strip().lower() not in _HOP_BY_HOP]
        writer.write(b"\r\n".join([*kept, b"Connection: close"]) + b"\r\n\r\n")
        await _pipe(up_r, writer)
        up_w.close()


class Socks5Proxy(_RecordingServer):
    """A SOCKS5 server; ``url`` is ``socks5://127.0.0.1:PORT`` (credentials not included)."""

    @property
    def url(self) -> str:
        return f"socks5://127.0.0.1:{self.port}"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await self._serve(reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError, ValueError) as exc:
            log.debug("socks client went away: %s", exc)
            writer.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        ver, n = await reader.readexactly(2)
        if ver != 5:
            raise ValueError("not SOCKS5")
        methods = await reader.readexactly(n)
        want = 0x02 if self.credentials else 0x00
        if want not in methods:
            writer.write(b"\x05\xff")
            await writer.drain()
            writer.close()
            return
        writer.write(bytes([5, want]))
        await writer.drain()
        user = ""
        if want == 0x02:  # RFC 1929
            _v, ulen = await reader.readexactly(2)
            user = (await reader.readexactly(ulen)).decode()
            (plen,) = await reader.readexactly(1)
            password = (await reader.readexactly(plen)).decode()
            ok = (user, password) == self.credentials
            writer.write(b"\x01\x00" if ok else b"\x01\x01")
            await writer.drain()
            if not ok:
                writer.close()
                return
        _ver, cmd, _rsv, atyp = await reader.readexactly(4)
        if atyp == 1:
            host = str(ipaddress.IPv4Address(await reader.readexactly(4)))
        elif atyp == 4:
            host = str(ipaddress.IPv6Address(await reader.readexactly(16)))
        elif atyp == 3:
            (ln,) = await reader.readexactly(1)
            host = (await reader.readexactly(ln)).decode()
        else:
            raise ValueError("bad address type")
        (port,) = struct.unpack("!H", await reader.readexactly(2))
        if cmd != 1:
            writer.write(b"\x05\x07\x00\x01" + bytes(6))  # command not supported
            writer.close()
            return
        self._record(ProxyRecord("socks", f"{host}:{port}", proxy_authorization=user))
        try:
            up_r, up_w = await asyncio.open_connection(host, port)
        except OSError:
            writer.write(b"\x05\x05\x00\x01" + bytes(6))  # connection refused
            writer.close()
            return
        writer.write(b"\x05\x00\x00\x01" + bytes(6))
        await writer.drain()
        await _tunnel(reader, writer, up_r, up_w)
