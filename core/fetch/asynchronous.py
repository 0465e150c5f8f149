"""The async fetcher: one aiohttp ``ClientSession`` with tracing of every phase.

It sends one hop at a time (``allow_redirects=False``, ``auto_decompress=False``, no cookie jar of its own)
through the shared :class:`Exchange`, which decides redirects, cookies, framing and content codings for
every mode; this module only moves bytes.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import socket
import ssl
import time
from collections.abc import Awaitable, Callable
from types import SimpleNamespace, TracebackType
from typing import Any

import aiohttp
import aiohttp.abc
from yarl import URL

from core.fetch.aioframing import PolicyConnector, SocksPolicyConnector
from core.fetch.codings import DecodeFailed
from core.fetch.common import CHUNK, Attempt, ProgressFn, TooLarge, describe
from core.fetch.cookies import UrlCookies
from core.fetch.exchange import Exchange, Hop, record_head
from core.fetch.headers import FramingError, received
from core.fetch.hosts import loopback_for
from core.fetch.options import RequestPolicy, is_socks, split_proxy_credentials
from core.fetch.redirects import BadRedirect, TooManyRedirects
from core.model import ErrorKind, RowState
from core.settings import Settings

log = logging.getLogger(__name__)

_RESET_ERRNOS = {errno.ECONNRESET, errno.EPIPE, errno.ECONNABORTED}


def classify(exc: BaseException) -> ErrorKind:
    """Map an aiohttp or asyncio exception to an error kind, most specific first.

    aiohttp's total timeout raises a bare ``TimeoutError`` and its timeout classes are
    also ``OSError`` subclasses, so timeouts are checked before connection errors.
    """
    if isinstance(exc, TooLarge):
        return ErrorKind.TOO_LARGE
    if isinstance(exc, TooManyRedirects):
        return ErrorKind.TOO_MANY_REDIRECTS
    if isinstance(exc, BadRedirect):
        return ErrorKind.INVALID_URL
    if isinstance(exc, DecodeFailed):
        return ErrorKind.DECODE
    if isinstance(exc, FramingError):
        return ErrorKind.RESET
    if isinstance(exc, (TimeoutError, asyncio.TimeoutError, aiohttp.ServerTimeoutError)):
        return ErrorKind.TIMEOUT
    if isinstance(exc, aiohttp.TooManyRedirects):
        return ErrorKind.TOO_MANY_REDIRECTS
    if isinstance(exc, (aiohttp.InvalidURL, aiohttp.NonHttpUrlClientError, aiohttp.RedirectClientError)):
        return ErrorKind.INVALID_URL
    if isinstance(exc, (aiohttp.ClientConnectorCertificateError, aiohttp.ClientSSLError, ssl.SSLError)):
        return ErrorKind.TLS
    if isinstance(exc, (aiohttp.ClientConnectorDNSError, socket.gaierror)):
        return ErrorKind.DNS
    if isinstance(exc, aiohttp.ClientConnectorError):
        os_err = getattr(exc, "os_error", None)
        if isinstance(os_err, socket.gaierror):
            return ErrorKind.DNS
        if isinstance(os_err, TimeoutError):
            return ErrorKind.TIMEOUT
        return ErrorKind.CONNECT
    if isinstance(exc, aiohttp.ClientPayloadError):
        text = str(exc).lower()
        if "content-encoding" in text or "decompress" in text or "decod" in text:
            return ErrorKind.DECODE
        return ErrorKind.RESET
    if isinstance(exc, (aiohttp.ServerDisconnectedError, aiohttp.ClientConnectionResetError, ConnectionResetError)):
        return ErrorKind.RESET
    if isinstance(exc, aiohttp.ClientResponseError):
        # With raise_for_status off this is never a real HTTP status: aiohttp reports a
        # response it could not parse (garbage, broken chunking) as "400". requests calls
        # the same thing a broken connection (ProtocolError), so both modes say reset.
        return ErrorKind.RESET
    if isinstance(exc, aiohttp.ClientOSError):
        return ErrorKind.RESET if exc.errno in _RESET_ERRNOS else ErrorKind.CONNECT
    if isinstance(exc, OSError):
        return ErrorKind.RESET if exc.errno in _RESET_ERRNOS else ErrorKind.CONNECT
    return ErrorKind.OTHER


class _Resolver(aiohttp.abc.AbstractResolver):
    """``*.localhost`` to the loopback address (RFC 6761 §6.3, as the blocking modes do); others as usual."""

    def __init__(self, inner: aiohttp.abc.AbstractResolver) -> None:
        self._inner = inner

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[aiohttp.abc.ResolveResult]:
        loopback = loopback_for(host)
        if loopback is not None:
            return [{"hostname": host, "host": loopback, "port": port, "family": socket.AF_INET, "proto": 0,
                     "flags": socket.AI_NUMERICHOST}]
        return await self._inner.resolve(host, port, family)

    async def close(self) -> None:
        await self._inner.close()


def _make_resolver() -> aiohttp.abc.AbstractResolver:
    """aiodns when it works here; otherwise aiohttp's threaded default.

    The threaded resolver shares the loop's default executor (10 threads under qasync),
    which caps parallel lookups and lets a hung lookup delay exit.
    """
    try:
        inner: aiohttp.abc.AbstractResolver = aiohttp.AsyncResolver()
    except Exception as exc:  # noqa: BLE001 - missing or broken aiodns/pycares
        log.info("aiodns unavailable (%s); using the threaded resolver", exc)
        inner = aiohttp.ThreadedResolver()
    return _Resolver(inner)


_MARKS = {  # TraceConfig signal -> the mark it records (what _fill_phases reads)
    "on_connection_queued_start": "queue_start",
    "on_connection_queued_end": "queue_end",
    "on_dns_resolvehost_start": "dns_start",
    "on_dns_resolvehost_end": "dns_end",
    "on_connection_create_start": "conn_start",
    "on_connection_create_end": "conn_end",
    "on_request_end": "headers",
}


def _trace_config() -> aiohttp.TraceConfig:
    """Record phase times into the dict passed as ``trace_request_ctx``."""
    tc = aiohttp.TraceConfig()

    def marker(name: str) -> Callable[[object, SimpleNamespace, object], Awaitable[None]]:
        async def mark(_session: object, ctx: SimpleNamespace, _params: object) -> None:
            ctx.trace_request_ctx[name] = time.perf_counter()

        return mark

    async def on_request_start(_session: object, ctx: SimpleNamespace, _params: object) -> None:
        # Each redirect hop starts a new request: keep only the last hop's phases.
        marks = ctx.trace_request_ctx
        for name in _MARKS.values():
            marks.pop(name, None)

    for signal, name in _MARKS.items():
        getattr(tc, signal).append(marker(name))
    tc.on_request_start.append(on_request_start)
    return tc


def _span(marks: dict[str, float], start: str, end: str) -> float | None:
    a, b = marks.get(start), marks.get(end)
    return b - a if a is not None and b is not None and b >= a else None


class AsyncFetcher:
    """Fetches URLs with one shared ``ClientSession``; use as ``async with``."""

    def __init__(self, settings: Settings, policy: RequestPolicy | None = None) -> None:
        self._settings = settings
        self._policy = policy
        self._session: aiohttp.ClientSession | None = None
        self._socks: dict[str, aiohttp.ClientSession] = {}  # SOCKS proxy URL -> the session through it

    def _new_session(self, socks: str | None = None) -> aiohttp.ClientSession:
        """A session for direct and HTTP-proxy connections, or (``socks``) for one SOCKS proxy."""
        s = self._settings
        kwargs: dict[str, Any] = dict(limit=s.workers, limit_per_host=s.per_host,
                                      ssl=None if s.verify_tls else False, ttl_dns_cache=300)
        connector: aiohttp.BaseConnector
        if socks:
            # socks5h:// means "the proxy resolves host names" (as curl and requests); python-socks spells it rdns.
            remote_dns = socks.lower().startswith("socks5h://")
            url = "socks5://" + socks.split("://", 1)[1] if remote_dns else socks
            connector = SocksPolicyConnector.from_url(url, rdns=remote_dns, **kwargs)
        else:
            connector = PolicyConnector(resolver=_make_resolver(), **kwargs)
        # The connect timeout covers DNS, TCP and TLS; the total deadline is our own
        # asyncio.timeout around headers *and* body (aiohttp's ``total`` would also count
        # the time spent waiting for a pooled connection).
        timeout = aiohttp.ClientTimeout(total=None, connect=s.connect_timeout, sock_connect=s.connect_timeout)
        return aiohttp.ClientSession(
            connector=connector,
            timeout=timeout,
            trace_configs=[_trace_config()],
            cookie_jar=aiohttp.DummyCookieJar(),  # cookies live in each input URL's own jar
            auto_decompress=False,  # content codings are decoded by the shared layer
            raise_for_status=False,
            trust_env=False,  # proxies come from the request options, which read the environment for every mode
        )

    async def __aenter__(self) -> AsyncFetcher:
        self._session = self._new_session()
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        sessions = [*self._socks.values(), *([self._session] if self._session is not None else [])]
        self._socks.clear()
        self._session = None
        for session in sessions:
            await session.close()

    async def fetch(self, url: str, progress: ProgressFn, cookies: UrlCookies | None = None,
                    method: str = "GET") -> Attempt:
        """One attempt at ``url`` (all its redirect hops) starting with ``method`` (GET or HEAD).

        Never raises except ``CancelledError``.
        """
        assert self._session is not None, "use AsyncFetcher as an async context manager"
        s = self._settings
        att = Attempt(url)
        marks: dict[str, float] = {}
        try:
            async with asyncio.timeout(s.total_timeout):
                progress(RowState.CONNECTING, 0, None)
                await self._exchange(Exchange(url, s, cookies, method, self._policy), att, marks, progress)
        except TimeoutError:
            att.fail(ErrorKind.TIMEOUT, f"no complete response within {s.total_timeout:g} s")
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - every failure becomes a result
            att.fail(classify(exc), describe(exc))
            if isinstance(exc, TooManyRedirects):
                att.redirects = exc.chain[:-1]
        att.ended = time.perf_counter()
        self._fill_phases(att, marks)
        att.settle_phases()
        return att

    def _route(self, hop: Hop) -> tuple[aiohttp.ClientSession, dict[str, Any]]:
        """The session a hop goes through and the proxy arguments of its request."""
        assert self._session is not None
        if is_socks(hop.proxy):
            assert hop.proxy is not None
            session = self._socks.get(hop.proxy) or self._socks.setdefault(hop.proxy, self._new_session(hop.proxy))
            return session, {}
        if not hop.proxy:
            return self._session, {}
        proxy, auth = split_proxy_credentials(hop.proxy)
        if auth is None:
            return self._session, {"proxy": proxy}
        # aiohttp puts proxy_headers on the CONNECT of an https URL only; a plain-http request through the
        # proxy carries Proxy-Authorization itself (RFC 9110 §11.7.2).
        if hop.wire_url.lower().startswith("https:"):
            return self._session, {"proxy": proxy, "proxy_headers": {"Proxy-Authorization": auth}}
        return self._session, {"proxy": proxy, "headers": {**hop.headers, "Proxy-Authorization": auth}}

    async def _exchange(self, ex: Exchange, att: Attempt, marks: dict[str, float], progress: ProgressFn) -> None:
        hop = ex.first()
        while True:
            session, route = self._route(hop)
            async with session.request(
                hop.method, URL(hop.wire_url, encoded=True), **{"headers": hop.headers, **route},
                allow_redirects=False, trace_request_ctx=marks,
            ) as resp:
                marks.setdefault("headers", time.perf_counter())
                att.headers_at = marks["headers"]
                fields = received(resp.raw_headers)
                att.redirects = tuple(ex.chain)
                nxt = ex.answer(resp.status, fields)
                if nxt is None:
                    record_head(att, resp.status, resp.reason or "", ex.url, fields, ex.hops)
                    if ex.has_body(resp.status):
                        decoder = ex.decoder(fields)
                        progress(RowState.DOWNLOADING, 0, att.content_length)
                        async for chunk in resp.content.iter_chunked(CHUNK):
                            decoder.feed(chunk)
                            progress(RowState.DOWNLOADING, decoder.size, att.content_length)
                        att.body = decoder.finish()
                    else:
                        resp.close()  # bytes sent after a body-less response must not reach the next request
                    marks["body_end"] = time.perf_counter()
                    return
                if resp.content_length is not None and resp.content_length <= CHUNK:
                    await resp.read()  # a small redirect body: keep the connection for the next hop
            att.redirects = tuple(ex.chain)
            hop = nxt

    @staticmethod
    def _fill_phases(att: Attempt, m: dict[str, float]) -> None:
        """Turn trace marks into durations that add up to the attempt's time.

        ``wait`` is the remainder up to the first byte, so it also holds the earlier
        hops of a redirect chain and the sending of the request.
        """
        att.queued = _span(m, "queue_start", "queue_end")
        att.dns = _span(m, "dns_start", "dns_end")
        att.connect = _span(m, "conn_start", "conn_end")
        if att.dns is not None and att.connect is not None:
            att.connect = max(0.0, att.connect - att.dns)  # aiohttp's create span includes DNS
        first_byte = m.get("headers", att.ended)
        known = sum(v or 0.0 for v in (att.queued, att.dns, att.connect))
        att.wait = max(0.0, first_byte - att.started - known)
        if "headers" in m:
            att.download = max(0.0, m.get("body_end", att.ended) - m["headers"])
