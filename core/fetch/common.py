"""What both fetchers share: the record of one attempt, Retry-After parsing, body caps."""

from __future__ import annotations

import datetime
import email.utils
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from core.model import ErrorKind, RowState

log = logging.getLogger(__name__)

# Called from whatever thread the fetch runs in: (state, bytes so far, Content-Length or None).
ProgressFn = Callable[[RowState, int, int | None], None]

CHUNK = 64 * 1024


class TooLarge(Exception):
    """The body passed the size cap (counted after decompression)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"body larger than {limit:,} bytes (after decompression)")


class DeadlineExceeded(Exception):
    """The whole response did not arrive within the total timeout."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"no complete response within {seconds:g} s")


@dataclass(slots=True)
class Attempt:
    """One try at one URL, filled in by a fetcher as it goes. Times are ``perf_counter`` seconds."""

    url: str
    started: float = field(default_factory=time.perf_counter)
    status: int | None = None
    reason: str = ""
    final_url: str = ""
    content_type: str = ""
    content_length: int | None = None
    body: bytes = b""
    redirects: tuple[str, ...] = ()
    error_kind: ErrorKind | None = None
    error: str = ""
    retry_after: str | None = None
    headers: tuple[tuple[str, str], ...] = ()  # the final response's, as sent (see keep_headers)
    hops: tuple[tuple[int, str], ...] = ()  # (status, Location) of each redirect hop
    # Phase durations in seconds (None when this mode cannot see the phase).
    queued: float | None = None
    dns: float | None = None
    connect: float | None = None
    wait: float | None = None
    download: float | None = None
    ended: float = 0.0
    headers_at: float | None = None  # when the last hop's response head arrived
    body_at: float | None = None  # when the body was complete

    def fail(self, kind: ErrorKind, message: str) -> Attempt:
        self.error_kind = kind
        self.error = message or kind.value
        return self

    def settle_phases(self) -> None:
        """Put the time of a failure before the first byte where it was spent.

        A refused connection or a DNS or TLS failure never waited for a first byte: its time is
        ``dns`` (for ``dns``) or ``connect`` (for ``connect`` and ``tls``), not ``wait``.
        """
        if self.headers_at is None and self.error_kind in _PRE_CONNECTION:
            queued = self.queued or 0.0
            spent = max(0.0, self.ended - self.started - queued - (self.dns or 0.0) - (self.connect or 0.0))
            if self.error_kind is ErrorKind.DNS:
                self.dns = (self.dns or 0.0) + spent
            else:
                self.connect = (self.connect or 0.0) + spent
            self.wait = None
            self.download = None


_PRE_CONNECTION = frozenset({ErrorKind.DNS, ErrorKind.CONNECT, ErrorKind.TLS})


def keep_headers(att: Attempt, headers: Iterable[tuple[str, str]], history: Iterable[tuple[int, str]]) -> None:
    """Record the final response's header fields in order, and each redirect hop's status and Location.

    Names are lower-cased: field names are case-insensitive (RFC 9110 §5.1) and aiohttp's parser
    rewrites the case of some (``ETag`` → ``Etag``) where urllib3 keeps it, so lower case is the one
    spelling every mode agrees on (as in HTTP/2, RFC 9113 §8.2.1). Repeated fields stay separate
    pairs (RFC 9110 §5.3). ``Set-Cookie`` values are cut to the cookie's name: they are often
    session credentials, and secrets never reach a file.
    """
    att.headers = tuple((str(k).lower(), _redact(str(k), str(v))) for k, v in headers)
    att.hops = tuple((int(s), str(loc)) for s, loc in history)


def _redact(name: str, value: str) -> str:
    if name.lower() != "set-cookie":
        return value
    return value.split("=", 1)[0].strip() + "=(redacted)"


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Parse a Retry-After header: delta-seconds or an HTTP date. ``None`` when absent or bad.

    RFC 9110 §10.2.3 / §5.6.7: the date may come in any of three formats (IMF-fixdate, RFC 850,
    asctime) and is always UTC; asctime carries no zone, so it must not be read as local time.
    """
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # delta-seconds = 1*DIGIT, ASCII only (RFC 9110 §10.2.3)
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.UTC)  # RFC 9110 §5.6.7: HTTP dates are UTC
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def describe(exc: BaseException) -> str:
    """The library's message, with its class name when the message alone says little."""
    text = str(exc).strip()
    name = type(exc).__name__
    if not text:
        return name
    return text if len(text) > 20 else f"{name}: {text}"

