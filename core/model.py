"""Plain data shared by every part of Fetchlens: results, timings, summaries, enums.

Everything here is a frozen, slotted dataclass or an enum, so it can cross thread and
process boundaries (pickling) and be handed to the GUI without copies or locks.
"""

from __future__ import annotations

import dataclasses
import enum
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

log = logging.getLogger(__name__)

_T = TypeVar("_T")


def _pickled_by_fields(cls: type[_T]) -> type[_T]:
    """Pickle a frozen, slotted dataclass as a call of its constructor with its field values.

    The dataclasses' own pickling of slotted classes (``__getstate__``/``__setstate__``) walks
    ``dataclasses.fields()`` in Python for every object: 256 results unpickled in 2.5 ms, 0.8 ms this
    way. The window's reader thread unpickles every result and progress event the engine process
    sends, holding the GIL the GUI thread needs (issue 13). Every field must be an ``__init__`` field.
    """
    names = tuple(f.name for f in dataclasses.fields(cls))  # type: ignore[arg-type]
    if any(not f.init for f in dataclasses.fields(cls)):  # type: ignore[arg-type]
        raise TypeError(f"{cls.__name__} has fields its constructor does not take")

    def __reduce__(self: _T) -> tuple[type[_T], tuple[object, ...]]:
        return cls, tuple([getattr(self, n) for n in names])

    cls.__reduce__ = __reduce__  # type: ignore[assignment,method-assign]
    return cls


class Mode(enum.StrEnum):
    """How a batch is fetched."""

    SYNC = "sync"
    THREADS = "threads"
    ASYNC = "async"


class ErrorKind(enum.StrEnum):
    """Every failure maps to exactly one of these (DESIGN.md contract)."""

    INVALID_URL = "invalid_url"
    DNS = "dns"
    CONNECT = "connect"
    TLS = "tls"
    TIMEOUT = "timeout"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    HTTP_ERROR = "http_error"
    TOO_LARGE = "too_large"
    DECODE = "decode"
    RESET = "reset"
    ROBOTS = "robots"  # robots.txt disallows the URL and robots mode is "obey"
    CANCELLED = "cancelled"
    OTHER = "other"


class RowState(enum.StrEnum):
    """Life cycle of one URL during a run, as shown in the results table."""

    QUEUED = "queued"
    CONNECTING = "connecting"
    DOWNLOADING = "downloading"
    PARSING = "parsing"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Timings:
    """Phase timings of one URL's final attempt, in milliseconds.

    ``started_ms`` and ``finished_ms`` are offsets from the start of the run; the other
    fields are durations laid end to end from ``started_ms``: rate_limit (waiting for the
    rate limit), queued (waiting for a connection or host slot), dns, connect (TCP and TLS),
    wait (request sent to first byte), download, parse. A phase that a mode cannot observe is ``None``.
    """

    started_ms: float = 0.0
    queued_ms: float | None = None
    dns_ms: float | None = None
    connect_ms: float | None = None
    wait_ms: float | None = None
    download_ms: float | None = None
    parse_ms: float | None = None
    finished_ms: float = 0.0
    rate_limit_ms: float | None = None  # last so positional construction keeps working

    @property
    def ttfb_ms(self) -> float | None:
        """Time from the start of the attempt to the first byte of the response (rate-limit wait excluded)."""
        if self.wait_ms is None:
            return None
        return sum(v or 0.0 for v in (self.queued_ms, self.dns_ms, self.connect_ms, self.wait_ms))

    @property
    def elapsed_ms(self) -> float:
        """Time from the start of the attempt to the finished result (parse included)."""
        return max(0.0, self.finished_ms - self.started_ms)

    def segments(self) -> list[tuple[str, float, float]]:
        """The phases as ``(name, start_ms, end_ms)`` on the run's clock, in order."""
        out: list[tuple[str, float, float]] = []
        t = self.started_ms
        for name in ("rate_limit", "queued", "dns", "connect", "wait", "download", "parse"):
            d = getattr(self, f"{name}_ms")
            if d is None or d <= 0:
                continue
            out.append((name, t, t + d))
            t += d
        return out


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class PageFacts:
    """Audit facts of an HTML page, from the same parsed tree as :class:`PageInfo` (see core.parse.facts).

    Attributes:
        word_count: words of the body's visible text (script, style, template, noscript excluded).
        hreflang: ``(lang, url)`` of each ``<link rel=alternate hreflang>``, in document order.
        content_hash: SHA-256 (hex) of the body's visible text, whitespace-normalised.
        robots_meta: ``(agent, content)`` of each ``<meta name=robots|googlebot|…>``; agent lower-case.
    """

    word_count: int = 0
    hreflang: tuple[tuple[str, str], ...] = ()
    content_hash: str = ""
    robots_meta: tuple[tuple[str, str], ...] = ()


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class PageInfo:
    """What the page parser found in an HTML page (core.parse.extract). Plain strings and ints only."""

    title: str = ""
    meta_description: str = ""
    h1: str = ""
    h1_count: int = 0
    canonical: str = ""
    lang: str = ""
    meta_robots: str = ""
    links: int = 0
    og_title: str = ""  # <meta property="og:title"> in the head (Open Graph), as are the next two
    og_description: str = ""
    og_image: str = ""
    facts: PageFacts | None = None


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class FetchResult:
    """The outcome of one input URL: a page, an HTTP error or a failure. Never an exception."""

    input_index: int
    url: str
    mode: Mode
    final_url: str = ""
    status_code: int | None = None
    ok: bool = False
    error_kind: ErrorKind | None = None
    error: str = ""
    content_type: str = ""
    charset: str = ""
    bytes: int = 0
    page: PageInfo | None = None
    redirects: tuple[str, ...] = ()
    attempts: int = 0
    timings: Timings = field(default_factory=Timings)
    duplicate_of: int | None = None
    method: str = "GET"  # the method of the answer shown: "HEAD" rows have nothing parsed
    robots: str = ""  # robots.txt rule that disallows this URL (report mode flags, obey mode skips)
    notes: str = ""  # ";"-separated codes of what an SEO checker flags (core.parse.extract)
    # Every header of the final response in order (names lower-cased, Set-Cookie values redacted), and
    # (status, Location) of each redirect hop before it.
    headers: tuple[tuple[str, str], ...] = ()
    hops: tuple[tuple[int, str], ...] = ()
    sitemap_lastmod: str = ""  # the <lastmod> of the sitemap that listed this URL

    def header(self, name: str) -> str:
        """The final response's header ``name`` (case-insensitive); repeated fields joined by ", " (RFC 9110 §5.3)."""
        name = name.lower()
        return ", ".join(v for k, v in self.headers if k.lower() == name)

    @property
    def state(self) -> RowState:
        if self.error_kind is ErrorKind.CANCELLED:
            return RowState.CANCELLED
        return RowState.DONE if self.ok else RowState.FAILED

    def comparable(self) -> dict[str, object]:
        """The fields that must agree between modes for the same server response."""
        d = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        for key in ("mode", "timings", "attempts", "error"):
            d.pop(key)
        d["headers"] = tuple(h for h in self.headers if h[0] != "date")  # the clock moves between runs
        return d


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Progress:
    """A change in one URL's state while it is being fetched."""

    input_index: int
    state: RowState
    t_ms: float
    bytes_done: int = 0
    bytes_total: int | None = None


@dataclass(frozen=True, slots=True)
class RunStarted:
    """Sent once when a run begins."""

    mode: Mode
    total: int
    urls: Sequence[str]  # a tuple; on the app's side of the engine process a view of the batch it sent
    concurrency: int
    started_at: float  # wall-clock epoch seconds
    lines: Sequence[int] = ()  # 1-based source line of each URL (the editor's line numbers); () if unknown


@dataclass(frozen=True, slots=True)
class RunSummary:
    """Statistics of a finished (or stopped) run.

    Figures that need at least one request over the network (``p50_ms``, ``p95_ms``, ``p99_ms``,
    ``max_ms``, ``pages_per_s``, ``effective_concurrency``) are ``None`` when nothing was fetched
    (only invalid lines, or stopped before the first answer): no data is not "0 ms".
    """

    mode: Mode
    urls: int
    ok: int
    failed: int
    cancelled: int
    wall_s: float
    sum_elapsed_s: float
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    max_ms: float | None
    bytes: int
    pages_per_s: float | None
    by_error_kind: dict[str, int] = field(default_factory=dict)
    interrupted: bool = False

    @property
    def effective_concurrency(self) -> float | None:
        """How many requests were in flight on average (sum of per-URL times / wall); None without data."""
        return self.sum_elapsed_s / self.wall_s if self.wall_s > 0 and self.p50_ms is not None else None

    def to_dict(self) -> dict[str, object]:
        """The summary as JSON-ready values (``None`` → ``null`` for figures without data)."""
        d = dataclasses.asdict(self)
        d["mode"] = str(self.mode)
        conc = self.effective_concurrency
        d["effective_concurrency"] = None if conc is None else round(conc, 3)
        return d
