"""The blocking fetcher: ``requests``, used by the sync and threads modes from worker threads.

It sends one hop at a time (``allow_redirects=False``) through the shared :class:`Exchange`, which decides
redirects, cookies, framing and content codings for every mode; this module only moves bytes.

``requests`` has no total timeout (its timeout is per socket operation, so a server that drips one byte
a second never times out), so a watchdog thread shuts the fetch's socket down at the deadline, on every
read path (headers, body, redirect hops). Its connections skip every 1xx interim response, which
``http.client`` does not (it skips only ``100``).
"""

from __future__ import annotations

import contextlib
import heapq
import http.client
import http.cookiejar
import itertools
import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable
from typing import Any

import requests
import requests.adapters
import urllib3
import urllib3.connection
import urllib3.exceptions
from urllib3.contrib.socks import (
    SOCKSConnection,
    SOCKSHTTPConnectionPool,
    SOCKSHTTPSConnection,
    SOCKSHTTPSConnectionPool,
    SOCKSProxyManager,
)

from core.fetch.codings import BodyDecoder, DecodeFailed
from core.fetch.common import CHUNK, Attempt, DeadlineExceeded, ProgressFn, TooLarge, describe
from core.fetch.cookies import UrlCookies
from core.fetch.exchange import NO_BODY_STATUSES, Exchange, record_head
from core.fetch.headers import FramingError, chunk_size, content_length, received, values
from core.fetch.hosts import loopback_for
from core.fetch.options import RequestPolicy
from core.fetch.redirects import BadRedirect, TooManyRedirects
from core.model import ErrorKind, RowState
from core.settings import Settings

log = logging.getLogger(__name__)

# urllib3 warns on every unverified HTTPS request when verification is switched off on purpose.
urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)


class Watchdog:
    """One thread that runs callbacks at deadlines (cheaper than a Timer thread per request)."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Callable[[], None]]] = []
        self._live: dict[int, Callable[[], None]] = {}
        self._cond = threading.Condition()
        self._ids = itertools.count()
        self._thread: threading.Thread | None = None
        self._stopped = False

    def arm(self, deadline: float, fn: Callable[[], None]) -> int:
        with self._cond:
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="fetch-watchdog", daemon=True)
                self._thread.start()
            key = next(self._ids)
            self._live[key] = fn
            heapq.heappush(self._heap, (deadline, key, fn))
            self._cond.notify()
            return key

    def disarm(self, key: int) -> None:
        with self._cond:
            self._live.pop(key, None)

    def fire_all(self) -> None:
        """Run every armed callback now (used to stop a run quickly)."""
        with self._cond:
            fns = list(self._live.values())
            self._live.clear()
        for fn in fns:
            fn()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify()

    def _loop(self) -> None:
        while True:
            with self._cond:
                while not self._stopped and (not self._heap or self._heap[0][0] > time.monotonic()):
                    timeout = self._heap[0][0] - time.monotonic() if self._heap else None
                    self._cond.wait(timeout)
                if self._stopped:
                    return
                _, key, fn = heapq.heappop(self._heap)
                if self._live.pop(key, None) is None:
                    continue
            try:
                fn()
            except Exception:
                log.exception("watchdog callback failed")


def classify(exc: BaseException) -> ErrorKind:
    """Map a requests/urllib3 exception to an error kind, most specific first."""
    if isinstance(exc, TooLarge):
        return ErrorKind.TOO_LARGE
    if isinstance(exc, DeadlineExceeded):
        return ErrorKind.TIMEOUT
    if isinstance(exc, (TooManyRedirects, requests.TooManyRedirects)):
        return ErrorKind.TOO_MANY_REDIRECTS
    if isinstance(exc, BadRedirect):
        return ErrorKind.INVALID_URL
    if isinstance(exc, DecodeFailed):
        return ErrorKind.DECODE
    if isinstance(exc, FramingError) or any(isinstance(c, urllib3.exceptions.InvalidHeader) for c in _causes(exc)):
        return ErrorKind.RESET  # a response whose framing cannot be trusted is a broken response
    if isinstance(exc, (requests.exceptions.InvalidSchema, requests.exceptions.MissingSchema,
                        requests.exceptions.InvalidURL, requests.exceptions.InvalidHeader)):
        return ErrorKind.INVALID_URL
    if isinstance(exc, requests.exceptions.SSLError):
        return ErrorKind.TLS
    if isinstance(exc, (requests.Timeout, socket.timeout, TimeoutError, urllib3.exceptions.TimeoutError)):
        return ErrorKind.TIMEOUT
    if isinstance(exc, requests.exceptions.ContentDecodingError):
        return ErrorKind.DECODE
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return ErrorKind.RESET
    if isinstance(exc, requests.ConnectionError):
        chain = _causes(exc)
        if any(isinstance(c, (urllib3.exceptions.NameResolutionError, socket.gaierror)) for c in chain):
            return ErrorKind.DNS
        if any(isinstance(c, ssl.SSLError) for c in chain):
            return ErrorKind.TLS
        if any(isinstance(c, urllib3.exceptions.NewConnectionError) for c in chain):
            return ErrorKind.CONNECT
        if any(isinstance(c, (urllib3.exceptions.ProtocolError, ConnectionResetError)) for c in chain):
            return ErrorKind.RESET
        return ErrorKind.CONNECT
    if isinstance(exc, (urllib3.exceptions.ProtocolError, ConnectionResetError, BrokenPipeError)):
        return ErrorKind.RESET
    if isinstance(exc, urllib3.exceptions.DecodeError):
        return ErrorKind.DECODE
    return ErrorKind.OTHER


def _causes(exc: BaseException) -> list[BaseException]:
    out: list[BaseException] = []
    seen: set[int] = set()
    stack: list[BaseException] = [exc]
    while stack:
        e = stack.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        out.append(e)
        stack.extend(x for x in (e.__cause__, e.__context__) if x is not None)
        stack.extend(a for a in getattr(e, "args", ()) if isinstance(a, BaseException))
        reason = getattr(e, "reason", None)
        if isinstance(reason, BaseException):
            stack.append(reason)
    return out


class _Line:
    """The socket one fetch is using now, so the watchdog can cut it at the deadline (any read path).

    urllib3 2.x sets ``conn.sock`` to ``None`` once a ``Connection: close`` response owns the socket,
    so the socket is taken when the request is sent, before ownership moves.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self.cut = False

    def attach(self, sock: socket.socket | None) -> None:
        with self._lock:
            self._sock = sock
            cut = self.cut
        if cut:
            _shut(sock)

    def cut_now(self) -> None:
        with self._lock:
            self.cut = True
            sock = self._sock
        _shut(sock)


def _shut(sock: socket.socket | None) -> None:
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


_current = threading.local()  # .line: the _Line of the fetch running on this thread


class _FinalResponse(http.client.HTTPResponse):
    """``http.client``'s response, made to skip *every* interim response and to apply our framing policy.

    ``http.client`` skips only ``100 Continue``: a ``103 Early Hints`` became the final response and
    its real response was left on the connection for the next URL (silent data corruption).
    """

    def _read_status(self) -> tuple[str, int, str]:
        while True:
            version, status, reason = super()._read_status()
            if 100 <= status < 200 and status != 101:  # RFC 9110 §15.2: interim, the final one follows
                http.client.parse_headers(self.fp)
                continue
            return version, status, reason

    def begin(self) -> None:
        super().begin()
        fields = list(self.msg.items())
        if self.chunked and values(fields, "Content-Length"):
            self.will_close = True  # RFC 9112 §6.3 item 3: chunked wins, then the connection is closed
        elif not self.chunked and self.length is None and values(fields, "Content-Length"):
            try:
                self.length = content_length(fields)  # "98, 98" is 98 (http.client gives up on it)
            except FramingError:
                self.will_close = True  # the exchange reports it; the connection is not reused
        if self.status in NO_BODY_STATUSES:
            self.length = 0  # RFC 9110 §6.4.1 ...
            self.will_close = True  # ... and bytes a server sent anyway must not reach the next request


class _Response(urllib3.HTTPResponse):
    """urllib3's response with chunk sizes read by the shared rule (:func:`core.fetch.headers.chunk_size`).

    urllib3 builds its response inside ``HTTPConnection.getresponse`` (no class to configure), so each
    connection class below re-labels the one it returns (:func:`_strict`; same fields, one method more strict).
    """

    def _update_chunk_length(self) -> None:
        if self.chunk_left is not None:
            return
        line = self._fp.fp.readline()  # type: ignore[union-attr]
        if not line:
            self.close()
            raise urllib3.exceptions.ProtocolError("Response ended prematurely")
        try:
            self.chunk_left = chunk_size(line)
        except FramingError:
            self.close()
            raise urllib3.exceptions.InvalidChunkLength(self, line) from None


def _strict(resp: urllib3.HTTPResponse) -> urllib3.HTTPResponse:
    resp.__class__ = _Response
    return resp


class _Conn(urllib3.connection.HTTPConnection):
    response_class = _FinalResponse

    def _new_conn(self) -> socket.socket:
        return _connect_via_loopback(self, super()._new_conn)

    def request(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        super().request(*args, **kwargs)
        _track(self.sock)

    def getresponse(self) -> urllib3.HTTPResponse:  # type: ignore[override]
        return _strict(super().getresponse())


class _TLSConn(urllib3.connection.HTTPSConnection):
    response_class = _FinalResponse

    def _new_conn(self) -> socket.socket:
        return _connect_via_loopback(self, super()._new_conn)

    def request(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        super().request(*args, **kwargs)
        _track(self.sock)

    def getresponse(self) -> urllib3.HTTPResponse:  # type: ignore[override]
        return _strict(super().getresponse())


def _connect_via_loopback(
    conn: urllib3.connection.HTTPConnection, connect: Callable[[], socket.socket]
) -> socket.socket:
    """``*.localhost`` goes to the loopback address (RFC 6761 §6.3); the Host header and SNI stay the name."""
    loopback = loopback_for(conn._dns_host)
    if loopback is None:
        return connect()
    name, conn._dns_host = conn._dns_host, loopback
    try:
        return connect()
    finally:
        conn._dns_host = name


def _track(sock: socket.socket | None) -> None:
    line: _Line | None = getattr(_current, "line", None)
    if line is not None:
        line.attach(sock)


class _SocksConn(SOCKSConnection):
    response_class = _FinalResponse

    def request(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        super().request(*args, **kwargs)
        _track(self.sock)

    def getresponse(self) -> urllib3.HTTPResponse:  # type: ignore[override]
        return _strict(super().getresponse())


class _SocksTLSConn(SOCKSHTTPSConnection):
    response_class = _FinalResponse

    def request(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        super().request(*args, **kwargs)
        _track(self.sock)

    def getresponse(self) -> urllib3.HTTPResponse:  # type: ignore[override]
        return _strict(super().getresponse())


class _SocksPool(SOCKSHTTPConnectionPool):
    ConnectionCls = _SocksConn


class _SocksTLSPool(SOCKSHTTPSConnectionPool):
    ConnectionCls = _SocksTLSConn


class _Pool(urllib3.HTTPConnectionPool):
    ConnectionCls = _Conn


class _TLSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _TLSConn


class _Adapter(requests.adapters.HTTPAdapter):
    """requests' adapter over our connection classes."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _Pool, "https": _TLSPool}

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> urllib3.PoolManager:
        manager = super().proxy_manager_for(proxy, **kwargs)
        if type(manager) is urllib3.ProxyManager:  # an HTTP(S) proxy: the same connections as direct
            manager.pool_classes_by_scheme = {"http": _Pool, "https": _TLSPool}
        elif type(manager) is SOCKSProxyManager:  # a SOCKS proxy (PySocks): the same response framing
            manager.pool_classes_by_scheme = {"http": _SocksPool, "https": _SocksTLSPool}
        return manager


class _OneHopSession(requests.Session):
    """A session that never looks at ``Location``: redirects are the shared layer's.

    Even with ``allow_redirects=False`` requests decodes ``Location`` for ``Response.next``, and fails on
    bytes that are not UTF-8 (a browser reads them as U+FFFD).
    """

    def get_redirect_target(self, resp: requests.Response) -> None:
        return None


class BlockingFetcher:
    """Fetches URLs with ``requests``, one hop at a time through :class:`Exchange`; thread-safe."""

    def __init__(self, settings: Settings, policy: RequestPolicy | None = None) -> None:
        self._settings = settings
        self._policy = policy
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()
        self.watchdog = Watchdog()

    def _session(self) -> requests.Session:
        sess: requests.Session | None = getattr(self._local, "session", None)
        if sess is None:
            sess = _OneHopSession()
            sess.headers.clear()  # every header comes from the exchange (headers.request_headers)
            sess.cookies.set_policy(_NO_COOKIES)  # cookies live in the input URL's own jar
            sess.trust_env = False  # no proxy or netrc from the environment: the same requests as async
            adapter = _Adapter(pool_connections=16, pool_maxsize=4, max_retries=0)
            sess.mount("http://", adapter)
            sess.mount("https://", adapter)
            self._local.session = sess
            with self._lock:
                self._sessions.append(sess)
        return sess

    def close(self) -> None:
        self.watchdog.fire_all()
        self.watchdog.stop()
        with self._lock:
            sessions, self._sessions = self._sessions, []
        for sess in sessions:
            sess.close()

    def abort_all(self) -> None:
        """Break every request in flight now (stop button)."""
        self.watchdog.fire_all()

    def fetch(self, url: str, progress: ProgressFn, cookies: UrlCookies | None = None, method: str = "GET") -> Attempt:
        """One attempt at ``url`` (all its redirect hops) starting with ``method`` (GET or HEAD), blocking.

        Never raises.
        """
        s = self._settings
        att = Attempt(url)
        line = _Line()
        key = self.watchdog.arm(time.monotonic() + s.total_timeout, line.cut_now)
        _current.line = line
        try:
            progress(RowState.CONNECTING, 0, None)
            self._exchange(Exchange(url, s, cookies, method, self._policy), att, progress)
            if line.cut:  # the cut socket read as a clean end of a close-delimited body
                raise DeadlineExceeded(s.total_timeout)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a result
            if line.cut:
                att.body = b""
                att.fail(ErrorKind.TIMEOUT, f"no complete response within {s.total_timeout:g} s")
            else:
                att.fail(classify(exc), describe(exc))
            if isinstance(exc, TooManyRedirects):
                att.redirects = exc.chain[:-1]
        finally:
            _current.line = None
            self.watchdog.disarm(key)
        att.ended = time.perf_counter()
        att.wait = max(0.0, (att.headers_at or att.ended) - att.started)
        if att.headers_at is not None:
            att.download = max(0.0, att.ended - att.headers_at)
        att.settle_phases()
        return att

    def _exchange(self, ex: Exchange, att: Attempt, progress: ProgressFn) -> None:
        s = self._settings
        hop = ex.first()
        while True:
            # verify passed per request: a Session's own ``verify = False`` loses to
            # REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE in the environment (requests issue #3829).
            # A proxy URL carries its credentials; requests sends them as Proxy-Authorization (RFC 9110 §11.7.2).
            proxies = {"http": hop.proxy, "https": hop.proxy} if hop.proxy else {}
            resp = self._session().request(hop.method, hop.wire_url, headers=hop.headers, proxies=proxies,
                                           stream=True, allow_redirects=False, verify=s.verify_tls,
                                           timeout=(min(s.connect_timeout, s.total_timeout), s.total_timeout))
            att.headers_at = time.perf_counter()
            raw = resp.raw
            try:
                fields = received(raw.headers.items())
                att.redirects = tuple(ex.chain)
                nxt = ex.answer(resp.status_code, fields)
                if nxt is None:
                    record_head(att, resp.status_code, resp.reason or "", ex.url, fields, ex.hops)
                    if ex.has_body(resp.status_code):
                        att.body = self._read_body(raw, ex.decoder(fields), att, progress)
                    raw.release_conn()
                elif raw.length_remaining is not None and raw.length_remaining <= CHUNK:
                    raw.drain_conn()  # a small redirect body: keep the connection for the next hop
                    raw.release_conn()
            finally:
                if raw.connection is not None:
                    raw.close()  # not released: the connection is not reused
            att.redirects = tuple(ex.chain)
            if nxt is None:
                return
            hop = nxt

    @staticmethod
    def _read_body(raw: urllib3.HTTPResponse, decoder: BodyDecoder, att: Attempt, progress: ProgressFn) -> bytes:
        progress(RowState.DOWNLOADING, 0, att.content_length)
        for chunk in raw.stream(CHUNK, decode_content=False):
            decoder.feed(chunk)
            progress(RowState.DOWNLOADING, decoder.size, att.content_length)
        body = decoder.finish()
        att.body_at = time.perf_counter()
        return body


class _RefuseAll(http.cookiejar.DefaultCookiePolicy):
    def set_ok(self, cookie: http.cookiejar.Cookie, request: object) -> bool:
        return False

    def return_ok(self, cookie: http.cookiejar.Cookie, request: object) -> bool:
        return False


_NO_COOKIES = _RefuseAll()
