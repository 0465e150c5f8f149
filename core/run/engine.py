"""One run over a batch: queueing, per-host limits, retries, cancellation, events, summary.

A fixed set of worker coroutines pulls from a queue (one task per URL costs seconds of
pure overhead at 100k URLs on qasync). The three modes differ only in how one attempt is
made: awaited with aiohttp, or run in a thread with requests (a pool of one thread for
sync, of ``concurrency`` threads for threads mode, the ``run_in_executor`` recipe).
Parsing always happens in the extraction process pool.
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import logging
import random
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Mapping
from operator import attrgetter
from urllib.parse import urlsplit

from core.fetch import secrets
from core.fetch.asynchronous import AsyncFetcher
from core.fetch.blocking import BlockingFetcher
from core.fetch.common import Attempt, retry_after_seconds
from core.fetch.cookies import UrlCookies
from core.fetch.options import Method, OptionsError, RequestPolicy, RobotsMode
from core.fetch.ratelimit import RateLimiter
from core.fetch.robots import RobotsCache, RobotsVerdict
from core.model import ErrorKind, FetchResult, Mode, Progress, RowState, RunStarted, RunSummary, Timings
from core.parse.pool import Extractor
from core.run.observer import NullObserver, RunObserver
from core.run.sketch import StreamStats
from core.run.stats import summarise
from core.run.threads import DaemonThreadExecutor
from core.settings import Settings
from core.urls import Batch, EntryColumn, UrlEntry, shown_url

log = logging.getLogger(__name__)

PROGRESS_INTERVAL = 0.1  # seconds between byte-progress events of one URL
_SHARED: dict[str, str] = {}
ROBOTS_TIMEOUT = 10.0  # seconds for a robots.txt answer; then it is treated as absent
HOST_DOWN_AFTER = 3  # consecutive connection failures after which a host is not retried
STUCK_GRACE_S = 1.0  # past the deadline, a blocking request the watchdog could not cut is given up
# A run that does not keep its results (the window's engine process) and has more URLs than this folds each
# result into streaming statistics (core/run/sketch.py) instead of keeping a slim copy for the summary:
# ~0.5 KB a row, 500 MB at 1,000,000 URLs. At or below it the summary's percentiles stay exact. The same
# size as the window's paged table (gui.results.model.ResultsModel.PAGED_ABOVE), so a run either holds
# its rows on both sides of the pipe or on neither.
STREAM_STATS_ABOVE = 50_000


class _Scheduler:
    """Hands out work in input order while keeping each host under its limit."""

    def __init__(self, items: Iterable[int], host_of: Callable[[int], str], per_host: int,
                 limit_of: Callable[[str], int] | None = None) -> None:
        self._pending: deque[int] = deque(items)
        self._host_of = host_of
        self._per_host = per_host if limit_of is None else max(per_host, 1)
        self._limit_of = limit_of or (lambda _host: per_host)
        self._active: Counter[str] = Counter()
        self._deferred: dict[str, deque[int]] = {}
        self._ready: deque[str] = deque()
        self._wake = asyncio.Event()

    def remaining(self) -> list[int]:
        return list(self._pending) + [i for dq in self._deferred.values() for i in dq]

    def _take(self) -> int | None:
        if self._per_host <= 0:
            return self._pending.popleft() if self._pending else None
        while self._ready:
            host = self._ready.popleft()
            dq = self._deferred.get(host)
            if dq and self._active[host] < self._limit_of(host):
                self._active[host] += 1
                return dq.popleft()
        while self._pending:
            idx = self._pending.popleft()
            host = self._host_of(idx)
            if self._active[host] < self._limit_of(host):
                self._active[host] += 1
                return idx
            self._deferred.setdefault(host, deque()).append(idx)
        return None

    async def next(self) -> int | None:
        while True:
            idx = self._take()
            if idx is not None:
                return idx
            if not self._pending and not any(self._deferred.values()):
                return None
            self._wake.clear()
            await self._wake.wait()

    def release(self, idx: int) -> None:
        if self._per_host <= 0:
            return
        host = self._host_of(idx)
        self._active[host] -= 1
        if self._deferred.get(host):
            self._ready.append(host)
            self._wake.set()


class Run:
    """Fetch a batch once, in one mode, reporting to an observer.

    Args:
        batch: the parsed input; invalid entries become ``invalid_url`` results.
        settings: how to fetch (mode, concurrency, timeouts, ...).
        observer: receives start, progress, result and finish events on the loop's thread.
        extractor: the parsing pool; a private one is made (and shut down) if omitted.
        only: fetch just these input indices (resume, retry failed); others come from ``prior``.
        prior: results already known (from the journal); reported, not fetched again. Asked for in input
            order and not copied: a mapping that streams them (:class:`core.run.recording.KeptResults`)
            holds none of them for long.
        keep_results: keep every result whole in ``results``. The window's engine process passes
            False: it hands each result on at once, so ``results`` keeps a slim copy (the outcome,
            status, size and timings the summary needs, ~0.3 KB instead of the page's facts,
            headers and hops, ~3 KB) except for rows whose duplicates still copy them; above
            ``STREAM_STATS_ABOVE`` URLs not even that: ``results`` then holds only those originals
            (every other entry stays ``None``) and the summary comes from
            :class:`core.run.sketch.StreamStats` (p50/p95/p99 within 1 %).
    """

    def __init__(
        self,
        batch: Batch,
        settings: Settings,
        observer: RunObserver | None = None,
        extractor: Extractor | None = None,
        only: Iterable[int] | None = None,
        prior: Mapping[int, FetchResult] | None = None,
        keep_results: bool = True,
    ) -> None:
        self.batch = batch
        self.settings = settings
        self.observer: RunObserver = observer or NullObserver()
        self._own_extractor = extractor is None
        self.extractor = extractor or Extractor()
        self.results: list[FetchResult | None] = [None] * len(batch)
        self._keep_whole: frozenset[int] | None = None if keep_results else frozenset(
            e.duplicate_of for e in batch.entries if e.duplicate_of is not None)  # originals duplicates copy
        # Above STREAM_STATS_ABOVE without keep_results: no result is kept for the summary (see the class);
        # which rows are done is then one byte a row.
        self._stats: StreamStats | None = None
        self._done: bytearray | None = None
        if not keep_results and len(batch) > STREAM_STATS_ABOVE:
            self._stats, self._done = StreamStats(), bytearray(len(batch))
        self._only = None if only is None else set(only)
        self._prior: Mapping[int, FetchResult] = prior if prior is not None else {}  # read, never copied
        self._t0 = 0.0
        self._tasks: list[asyncio.Task[None]] = []
        self._cancelled = False
        self._dups: dict[int, list[int]] = {}
        self._host_failures: Counter[str] = Counter()
        self._blocking: BlockingFetcher | None = None
        self._threads: DaemonThreadExecutor | None = None
        self._async: AsyncFetcher | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.summary: RunSummary | None = None
        # Request options (core/fetch/options.py), rate limits and robots.txt: one of each per run.
        try:
            self.policy = RequestPolicy(settings.requests, settings.user_agent)
        except OptionsError as exc:  # the command line and the window check this first; a file can vanish
            log.error("%s; fetching without those cookies", exc)
            self.policy = RequestPolicy(settings.requests.replace(cookies_file=""), settings.user_agent)
        self.limiter = RateLimiter(settings.requests.rate, settings.requests.host_rate)
        self.robots = RobotsCache(self._robots_fetch)
        self._host_rates: set[str] = set()

    # -- clock ---------------------------------------------------------------------------
    def now_ms(self) -> float:
        """Milliseconds since the run started."""
        return (time.perf_counter() - self._t0) * 1000.0 if self._t0 else 0.0

    def _ms(self, t: float) -> float:
        return (t - self._t0) * 1000.0

    # -- control -------------------------------------------------------------------------
    def cancel(self) -> None:
        """Stop the run: finished results stay, everything else becomes ``cancelled``."""
        if self._cancelled:
            return
        self._cancelled = True
        log.info("run cancelled at %.0f ms", self.now_ms())
        if self._blocking is not None:
            self._blocking.abort_all()
        for task in self._tasks:
            task.cancel()

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    # -- the run -------------------------------------------------------------------------
    async def execute(self) -> RunSummary:
        """Run the batch to the end (or until :meth:`cancel`) and return the summary."""
        self._loop = asyncio.get_running_loop()
        self._t0 = time.perf_counter()
        s = self.settings
        entries = self.batch.entries
        # Views of the batch, not tuples: a packed batch (the engine process's) would make a million strings.
        self._emit("on_start", RunStarted(s.mode, len(entries), EntryColumn(entries, shown_url), s.workers,
                                          time.time(), EntryColumn(entries, attrgetter("line"))))
        work: list[int] = []
        for e in entries:
            if e.index in self._prior:
                self._record(self._prior[e.index], fan_out=False, kept=True)
            elif self._only is not None and e.index not in self._only:
                continue
            elif not e.valid:
                self._record(FetchResult(e.index, e.raw, s.mode, error_kind=ErrorKind.INVALID_URL, error=e.error,
                                         timings=Timings(self.now_ms(), finished_ms=self.now_ms())))
            elif e.duplicate_of is not None and not s.fetch_duplicates:
                self._dups.setdefault(e.duplicate_of, []).append(e.index)
                orig = self.results[e.duplicate_of]
                if orig is not None:
                    self._record(self._as_duplicate(orig, e.index))
            else:
                work.append(e.index)
        sched = _Scheduler(work, lambda i: urlsplit(entries[i].url).netloc.lower(), s.per_host,
                           self._host_limit if any(r.per_host for r in s.requests.rules) else None)
        try:
            await self._open()
            n = min(s.workers, len(work))
            self._tasks = [asyncio.ensure_future(self._worker(sched)) for _ in range(n)]
            if self._cancelled:
                for t in self._tasks:
                    t.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
        finally:
            await self._close()
            self._finish_cancelled()
        if self._stats is not None:
            self.summary = self._stats.summary(s.mode, len(self.results), self.now_ms() / 1000.0,
                                               interrupted=self._cancelled)
            if not self._stats.net:  # nothing fetched: no figures, as summarise gives (see RunSummary)
                self.summary = dataclasses.replace(self.summary, p50_ms=None, p95_ms=None, p99_ms=None,
                                                   max_ms=None, pages_per_s=None)
        else:
            self.summary = summarise(s.mode, self.results, self.now_ms() / 1000.0, interrupted=self._cancelled,
                                     kept=self._prior.keys())
        self._emit("on_finish", self.summary)
        return self.summary

    async def open(self) -> None:
        """Start the clock and open the fetcher, for a caller that schedules URLs itself.

        A streaming run (:mod:`core.run.stream`) uses a ``Run`` this way: :meth:`open`, then
        :meth:`fetch_entry` per URL, then :meth:`close`; :meth:`cancel` still aborts requests.
        """
        self._loop = asyncio.get_running_loop()
        self._t0 = time.perf_counter()
        await self._open()

    async def close(self) -> None:
        """Close what :meth:`open` opened (and the private extractor, if any)."""
        await self._close()

    async def fetch_entry(self, entry: UrlEntry) -> FetchResult:
        """Fetch (with retries) and parse one valid entry; never raises but ``CancelledError``."""
        try:
            return await self._process(entry)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.exception("processing %s failed", entry.url)
            return FetchResult(entry.index, entry.url, self.settings.mode, error_kind=ErrorKind.OTHER,
                               error=f"internal error: {exc!r}",
                               timings=Timings(self.now_ms(), finished_ms=self.now_ms()))

    async def _open(self) -> None:
        mode = self.settings.mode
        if mode is Mode.ASYNC:
            self._async = AsyncFetcher(self.settings, self.policy)
            await self._async.__aenter__()
        else:
            self._blocking = BlockingFetcher(self.settings, self.policy)
            self._threads = DaemonThreadExecutor(self.settings.workers, name=f"fetch-{mode}")

    async def _close(self) -> None:
        if self._async is not None:
            await self._async.__aexit__(None, None, None)
        if self._blocking is not None:
            self._blocking.close()
        if self._threads is not None:
            # Threads still blocked in a request were unblocked by abort_all(); don't wait.
            self._threads.shutdown(wait=False, cancel_futures=True)
        if self._own_extractor:
            self.extractor.shutdown()

    def _finish_cancelled(self) -> None:
        now = self.now_ms()
        for e in self.batch.entries:
            if not self._is_done(e.index) and (self._only is None or e.index in self._only):
                url = e.url or e.raw
                self._record(FetchResult(e.index, url, self.settings.mode, error_kind=ErrorKind.CANCELLED,
                                         error="stopped before this URL finished",
                                         timings=Timings(now, finished_ms=now)), fan_out=False)

    async def _worker(self, sched: _Scheduler) -> None:
        while not self._cancelled:
            idx = await sched.next()
            if idx is None:
                return
            try:
                result = await self.fetch_entry(self.batch.entries[idx])
            finally:
                sched.release(idx)
            self._record(result)

    # -- one URL -------------------------------------------------------------------------
    def _progress_fn(self, idx: int, threaded: bool) -> Callable[[RowState, int, int | None], None]:
        last = [RowState.QUEUED, 0.0]
        loop = self._loop
        assert loop is not None

        def progress(state: RowState, done: int, total: int | None) -> None:
            t = time.perf_counter()
            if state == last[0] and t - last[1] < PROGRESS_INTERVAL and (total is None or done < total):
                return
            last[0], last[1] = state, t
            ev = Progress(idx, state, self._ms(t), done, total)
            if threaded:
                loop.call_soon_threadsafe(self._emit, "on_progress", ev)
            else:
                self._emit("on_progress", ev)

        return progress

    def _host_limit(self, host: str) -> int:
        """The per-host limit of ``host`` (``host:port``): its rule's, else the run's (0: none)."""
        parts = urlsplit(f"//{host}")
        limit = self.policy.per_host_limit(parts.hostname or "", parts.port or 0)
        return limit if limit is not None else (self.settings.per_host or 1_000_000)

    async def _attempt(self, url: str, idx: int | None, cookies: UrlCookies, method: str = "GET") -> Attempt:
        def quiet(_state: RowState, _done: int, _total: int | None) -> None:
            pass

        if self._async is not None:
            return await self._async.fetch(url, self._progress_fn(idx, threaded=False) if idx is not None else quiet,
                                           cookies, method)
        assert self._blocking is not None and self._loop is not None
        submitted = time.perf_counter()
        progress = self._progress_fn(idx, threaded=True) if idx is not None else quiet
        fetch = self._blocking.fetch

        def job() -> Attempt:
            picked = time.perf_counter()
            att = fetch(url, progress, cookies, method)
            att.queued = picked - submitted
            att.started = submitted
            return att

        assert self._threads is not None
        pending = self._loop.run_in_executor(self._threads, job)
        try:
            return await asyncio.wait_for(asyncio.shield(pending), self.settings.total_timeout + STUCK_GRACE_S)
        except TimeoutError:
            # Stuck where the watchdog cannot cut (a DNS lookup in getaddrinfo): the row times out at the
            # deadline like in async mode; the daemon thread is left to finish on its own, and replaced.
            log.warning("%s: a blocked request outlived its deadline; leaving its thread behind", url)
            self._threads.replace_stuck()
            att = Attempt(url, started=submitted)
            att.fail(ErrorKind.TIMEOUT, f"no complete response within {self.settings.total_timeout:g} s")
            att.ended = time.perf_counter()
            return att

    def _cookie_jar(self, url: str) -> UrlCookies:
        """The jar of one input URL, for its own redirects and retries and nothing else, pre-filled with the
        user's cookies (``--cookie``, ``--cookies`` and host rules): each keeps its domain, path, secure flag
        and expiry, so the jar decides on every hop which of them go (RFC 6265 §5.4)."""
        jar = UrlCookies()
        for cookie in self.policy.cookies_for(url):
            jar.add(copy.copy(cookie))  # a jar may change its cookie; another URL's must not see that
        return jar

    def _retry_delay(self, att: Attempt, attempts: int, host: str) -> float | None:
        s = self.settings
        if attempts > s.retries or self._cancelled:
            return None
        backoff = s.retry_backoff * (2 ** (attempts - 1)) * random.uniform(0.8, 1.2)
        if att.error_kind is None and att.status in (429, 503):
            ra = retry_after_seconds(att.retry_after)
            return min(ra, s.retry_after_cap) if ra is not None else backoff
        if att.error_kind in (ErrorKind.CONNECT, ErrorKind.RESET):
            if self._host_failures[host] >= HOST_DOWN_AFTER:
                return None  # the host keeps refusing: a retry would only cost time
            return backoff
        return None

    async def _rate_wait(self, url: str) -> float:
        """Wait for the rate limit (core/fetch/ratelimit.py) before one request; returns the seconds waited."""
        host = urlsplit(url).netloc.lower()
        if host not in self._host_rates:
            self._host_rates.add(host)
            rate = self.policy.plan(url).rate
            if rate != self.settings.requests.host_rate:
                self.limiter.set_host_rate(host, rate)
        return await self.limiter.acquire(host)  # also records the host's pace for the 429/503 back-off

    async def _robots_fetch(self, url: str) -> tuple[int | None, bytes]:
        """GET a robots.txt with the run's fetcher (same headers, proxy and credentials), rate-limited."""
        await self._rate_wait(url)
        try:
            # A robots.txt that hangs must not hold every URL of its origin for the full timeout.
            att = await asyncio.wait_for(self._attempt(url, None, self._cookie_jar(url), "GET"),
                                         min(ROBOTS_TIMEOUT, self.settings.total_timeout))
        except TimeoutError:
            log.info("robots.txt at %s did not answer within %g s", url, ROBOTS_TIMEOUT)
            return None, b""
        return (att.status if att.error_kind is None else None), att.body

    async def _robots_check(self, url: str) -> RobotsVerdict | None:
        """robots.txt's verdict for ``url`` (core/fetch/robots.py), or None when robots are ignored."""
        plan = self.policy.plan(url)
        if plan.robots is RobotsMode.IGNORE:
            return None
        verdict = await self.robots.check(url, plan.headers.get("User-Agent", self.settings.user_agent))
        if plan.robots is RobotsMode.OBEY and verdict.crawl_delay:
            host = urlsplit(url).netloc.lower()
            rate = 1.0 / verdict.crawl_delay
            current = self.limiter.host_rate(host)
            if not current or rate < current:
                self.limiter.set_host_rate(host, rate)
        return verdict

    async def _process(self, entry: UrlEntry) -> FetchResult:
        idx = entry.index
        s = self.settings
        host = urlsplit(entry.url).netloc.lower()
        attempts = 0
        # robots.txt: one check before the fetch.
        verdict = await self._robots_check(entry.url)
        robots_rule = verdict.rule if verdict is not None and not verdict.allowed else ""
        if robots_rule and self.policy.plan(entry.url).robots is RobotsMode.OBEY:
            now = self.now_ms()
            return FetchResult(idx, entry.url, s.mode, error_kind=ErrorKind.ROBOTS, error=robots_rule,
                               robots=robots_rule, timings=Timings(now, finished_ms=now))
        method = "GET" if s.requests.method is Method.GET else "HEAD"
        cookies = self._cookie_jar(entry.url)
        while True:
            attempts += 1
            waited = await self._rate_wait(entry.url)  # rate limit: one acquire before each request
            att = await self._attempt(entry.url, idx, cookies, method)
            if method == "HEAD" and s.requests.method is Method.HEAD_GET and (
                    att.status in (405, 501) or att.error_kind in (ErrorKind.CONNECT, ErrorKind.RESET)):
                method = "GET"  # HEAD refused or broke the connection: ask again with GET, as lychee does
                attempts -= 1
                continue
            if att.error_kind is None and att.status in (429, 503):
                self.limiter.penalise(host)
            if att.error_kind in (ErrorKind.CONNECT, ErrorKind.DNS):
                self._host_failures[host] += 1
            elif att.status is not None:
                self._host_failures[host] = 0
            delay = self._retry_delay(att, attempts, host)
            if delay is None:
                break
            log.debug("retrying %s in %.2f s (%s)", entry.url, delay, att.error or att.status)
            self._emit("on_progress", Progress(idx, RowState.QUEUED, self.now_ms()))
            await asyncio.sleep(delay)
        page = None
        charset = notes = ""
        parse_ms: float | None = None
        error_kind, error = att.error_kind, secrets.redact(att.error)
        if error_kind is None and att.status is not None and att.status >= 400:
            error_kind, error = ErrorKind.HTTP_ERROR, f"HTTP {att.status} {att.reason}".strip()
        if att.error_kind is None and att.body and s.parse and method == "GET":
            self._emit("on_progress", Progress(idx, RowState.PARSING, self.now_ms(), len(att.body), len(att.body)))
            t = time.perf_counter()
            ex = await self.extractor.extract(att.body, att.content_type)
            parse_ms = (time.perf_counter() - t) * 1000.0
            page, charset, notes = ex.page, ex.charset, ex.notes
            if ex.error and error_kind is None:
                error_kind, error = ex.error_kind, f"could not parse the page: {ex.error}"
        elif att.content_type:
            from core.mime import media_type
            from core.parse.charset import lookup

            label = media_type(att.content_type)[1]
            charset = (lookup(label) or label) if label else ""
        timings = Timings(
            started_ms=self._ms(att.started) - waited * 1000.0,
            rate_limit_ms=waited * 1000.0 if waited > 0 else None,
            queued_ms=_ms_or_none(att.queued),
            dns_ms=_ms_or_none(att.dns),
            connect_ms=_ms_or_none(att.connect),
            wait_ms=_ms_or_none(att.wait),
            download_ms=_ms_or_none(att.download),
            parse_ms=parse_ms,
            finished_ms=self.now_ms(),
        )
        return FetchResult(
            input_index=idx,
            url=entry.url,
            mode=s.mode,
            # Share strings that repeat (100k rows hold ~1 KB each): the final URL is usually
            # the URL itself, and a run sees only a handful of distinct Content-Types.
            final_url=entry.url if att.final_url == entry.url else att.final_url,
            status_code=att.status,
            ok=error_kind is None and att.status is not None,
            error_kind=error_kind,
            error=error,
            content_type=_SHARED.setdefault(att.content_type, att.content_type),
            charset=charset,
            bytes=len(att.body),
            page=page,
            redirects=att.redirects,
            attempts=attempts,
            timings=timings,
            method=method,
            robots=robots_rule,
            headers=att.headers,
            hops=att.hops,
            sitemap_lastmod=entry.lastmod,
            notes=notes,
        )

    # -- results and events ---------------------------------------------------------------
    def _as_duplicate(self, orig: FetchResult, idx: int) -> FetchResult:
        return dataclasses.replace(orig, input_index=idx, url=self.batch.entries[idx].url,
                                   duplicate_of=orig.input_index)

    def _is_done(self, idx: int) -> bool:
        return bool(self._done[idx]) if self._done is not None else self.results[idx] is not None

    def _record(self, result: FetchResult, fan_out: bool = True, kept: bool = False) -> None:
        """Keep (or fold in) and report one result; ``kept``: it comes from ``prior`` (see ``StreamStats.add``)."""
        idx = result.input_index
        whole = self._keep_whole is None or idx in self._keep_whole
        if self._stats is not None and self._done is not None:
            self._stats.add(result, kept=kept)
            self._done[idx] = 1
            if whole:
                self.results[idx] = result
        else:
            self.results[idx] = result if whole else _slim(result)
        self._emit("on_result", result)
        if fan_out:
            for dup in self._dups.get(result.input_index, ()):
                if not self._is_done(dup):
                    self._record(self._as_duplicate(result, dup), fan_out=False)

    def _emit(self, name: str, arg: object) -> None:
        try:
            getattr(self.observer, name)(arg)
        except Exception:
            log.exception("observer %s failed", name)


def _slim(result: FetchResult) -> FetchResult:
    """``result`` with only what :func:`core.run.stats.summarise` reads (outcome, status, bytes, timings)."""
    return dataclasses.replace(result, url="", final_url="", error="", content_type="", charset="", page=None,
                               redirects=(), robots="", notes="", headers=(), hops=(), sitemap_lastmod="")


def _ms_or_none(seconds: float | None) -> float | None:
    return None if seconds is None else seconds * 1000.0
