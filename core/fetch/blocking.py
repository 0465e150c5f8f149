"""The blocking fetcher: ``requests``, used by the sync and threads modes from worker threads.

``requests`` has no total timeout (its timeout is per socket operation, so a server that
drips one byte a second never times out) and no size cap, so this module streams the
body itself and a watchdog thread shuts the socket down when the deadline passes.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable

import requests
import requests.adapters
import urllib3.exceptions

from core.fetch.common import CHUNK, Attempt, DeadlineExceeded, ProgressFn, TooLarge, describe, keep_headers
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
    if isinstance(exc, requests.TooManyRedirects):
        return ErrorKind.TOO_MANY_REDIRECTS
    if isinstance(exc, (requests.exceptions.InvalidSchema, requests.exceptions.MissingSchema,
                        requests.exceptions.InvalidURL, requests.exceptions.InvalidHeader)):
        return ErrorKind.INVALID_URL
    if isinstance(exc, requests.exceptions.SSLError):
        return ErrorKind.TLS
    if isinstance(exc, (requests.Timeout, socket.timeout, TimeoutError)):
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


def _shutdown(resp: requests.Response) -> None:
    """Unblock a thread reading ``resp`` by shutting its socket down."""
    try:
        conn = getattr(resp.raw, "connection", None) or getattr(resp.raw, "_connection", None)
        sock = getattr(conn, "sock", None)
        if sock is not None:
            sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


class BlockingFetcher:
    """Fetches URLs with ``requests``; thread-safe (one ``Session`` per thread)."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()
        self.watchdog = Watchdog()

    def _session(self) -> requests.Session:
        sess: requests.Session | None = getattr(self._local, "session", None)
        if sess is None:
            s = self._settings
            sess = requests.Session()
            sess.max_redirects = s.max_redirects  # requests' own default is 30
            sess.headers["User-Agent"] = s.user_agent
            sess.verify = s.verify_tls
            adapter = requests.adapters.HTTPAdapter(pool_connections=16, pool_maxsize=4, max_retries=0)
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
        """Break every response being read now (stop button)."""
        self.watchdog.fire_all()

    def fetch(self, url: str, progress: ProgressFn) -> Attempt:
        """One attempt at ``url``, blocking. Never raises."""
        s = self._settings
        att = Attempt(url)
        deadline = time.monotonic() + s.total_timeout
        headers_at: float | None = None
        resp: requests.Response | None = None
        key: int | None = None
        timed_out = threading.Event()
        try:
            progress(RowState.CONNECTING, 0, None)
            # verify passed per request: a Session's own ``verify = False`` loses to
            # REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE in the environment (requests issue #3829).
            resp = self._session().get(url, stream=True, allow_redirects=True, verify=s.verify_tls,
                                       timeout=(s.connect_timeout, s.total_timeout))
            headers_at = time.perf_counter()
            if time.monotonic() > deadline:
                raise DeadlineExceeded(s.total_timeout)
            r = resp

            def expire() -> None:
                timed_out.set()
                _shutdown(r)

            key = self.watchdog.arm(deadline, expire)
            att.status = resp.status_code
            att.reason = resp.reason or ""
            att.final_url = resp.url
            att.redirects = tuple(h.url for h in resp.history)
            att.content_type = resp.headers.get("Content-Type", "")
            att.retry_after = resp.headers.get("Retry-After")
            keep_headers(att, resp.raw.headers.items(), ((h.status_code, h.headers.get("Location", ""))
                                                         for h in resp.history))
            cl = resp.headers.get("Content-Length")
            att.content_length = int(cl) if cl and cl.isdigit() else None
            progress(RowState.DOWNLOADING, 0, att.content_length)
            chunks: list[bytes] = []
            size = 0
            for chunk in resp.iter_content(CHUNK):
                size += len(chunk)
                if size > s.max_bytes:
                    raise TooLarge(s.max_bytes)
                chunks.append(chunk)
                progress(RowState.DOWNLOADING, size, att.content_length)
                if time.monotonic() > deadline:
                    raise DeadlineExceeded(s.total_timeout)
            if timed_out.is_set():
                raise DeadlineExceeded(s.total_timeout)
            att.body = b"".join(chunks)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a result
            if timed_out.is_set() or (time.monotonic() > deadline and not isinstance(exc, TooLarge)):
                att.fail(ErrorKind.TIMEOUT, f"no complete response within {s.total_timeout:g} s")
            else:
                att.fail(classify(exc), describe(exc))
        finally:
            if key is not None:
                self.watchdog.disarm(key)
            if resp is not None:
                resp.close()
        att.ended = time.perf_counter()
        first_byte = headers_at if headers_at is not None else att.ended
        att.wait = max(0.0, first_byte - att.started)
        if headers_at is not None:
            att.download = max(0.0, att.ended - headers_at)
        return att
