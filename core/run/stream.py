"""A run over an input of any length, in memory that does not grow with it.

Entries are read from an iterator as workers need them; every result goes to the observer
as soon as it exists (the journal, a progress bar) and, in input order, through a
:class:`~core.run.reorder.ReorderWindow` of ``settings.reorder_window`` rows to ``ordered``
(the streaming CSV writer). Statistics come from :class:`~core.run.sketch.StreamStats`.
Fetching one URL is the engine's own (:meth:`core.run.engine.Run.fetch_entry`), so every mode,
retry rule and timing means the same as in an in-memory run.

What stays in memory: the window (at most ``reorder_window`` rows), at most as many results
waiting for a consumer in another thread (the journal's writer, see ``behind``), the map of repeated lines
that :func:`core.urls.scan` found on disk, and the results of URLs that are repeated later in
the input (one per distinct repeated URL), which their duplicates copy.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import sys
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from urllib.parse import urlsplit

from core.model import ErrorKind, FetchResult, RunStarted, RunSummary, Timings
from core.parse.pool import Extractor
from core.run.engine import Run
from core.run.observer import NullObserver, RunObserver
from core.run.reorder import ReorderWindow
from core.run.sketch import StreamStats
from core.settings import Settings
from core.urls import Batch, UrlEntry

log = logging.getLogger(__name__)

HELD_LOG_S = 60.0  # seconds between the -v lines on what a run holds
BEHIND_POLL_S = 0.02  # seconds between looks at a consumer that is behind (it lives in another thread)


class StreamRun:
    """Fetch a stream of entries once, in one mode.

    Args:
        entries: the input in order (indices 0, 1, 2, ...), read lazily, e.g. :func:`core.urls.iter_entries`.
        total: how many entries there are (for progress and the summary).
        settings: how to fetch; ``settings.reorder_window`` bounds the rows held.
        observer: every event, results as they finish (any order).
        ordered: called with every result in input order (the outputs).
        extractor: the parsing pool; a private one is made if omitted.
        repeated: indices whose result later duplicates copy (from :func:`core.urls.scan`);
            a duplicate of any other index is fetched itself.
        prior: results kept from an earlier run (a resume, a retry), in input order, read as the
            input reaches them (e.g. :meth:`core.store.Journal.iter_kept`): reported, not fetched.
        behind: how many results a slower consumer in another thread still holds (e.g.
            :attr:`core.store.JournalWriter.behind`); while it is ``settings.reorder_window`` or
            more, no new URL is taken, so that backlog is bounded like the window.
    """

    def __init__(
        self,
        entries: Iterable[UrlEntry],
        total: int,
        settings: Settings,
        observer: RunObserver | None = None,
        ordered: Callable[[FetchResult], None] | None = None,
        extractor: Extractor | None = None,
        repeated: Iterable[int] = (),
        prior: Iterable[FetchResult] = (),
        behind: Callable[[], int] | None = None,
    ) -> None:
        self.settings = settings
        self.total = total
        self.observer: RunObserver = observer or NullObserver()
        self._entries: Iterator[UrlEntry] = iter(entries)
        self._ordered = ordered or (lambda _r: None)
        self._behind = behind or (lambda: 0)
        self.behind_waits = 0  # how often taking stopped because the consumer was behind
        self.behind_high_water = 0  # the largest backlog seen when taking
        self._lines: dict[int, int] = {}  # input line of each admitted, not yet emitted row (window-bounded)
        self.window = ReorderWindow(settings.reorder_window, self._out)
        self.stats = StreamStats()
        self._run = Run(Batch(), settings, self.observer, extractor=extractor)
        self._repeated = set(repeated)
        self._prior: Iterator[FetchResult] = iter(prior)
        self._next_kept: FetchResult | None = next(self._prior, None)
        self.kept = 0  # results taken from ``prior``
        self._originals: dict[int, FetchResult] = {}  # results that later duplicates copy
        self._waiting: dict[int, list[UrlEntry]] = {}  # original index -> its duplicates not yet resolved
        self._per_host = settings.per_host
        self._active: Counter[str] = Counter()
        self._deferred: dict[str, deque[UrlEntry]] = {}
        self._ready: deque[str] = deque()
        self._wake = asyncio.Event()
        self._exhausted = False
        self._in_flight: dict[int, UrlEntry] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._cancelled = False
        self.summary: RunSummary | None = None

    # -- control -------------------------------------------------------------------------
    def cancel(self) -> None:
        """Stop: finished rows stay; the rest of the input becomes ``cancelled`` rows."""
        if self._cancelled:
            return
        self._cancelled = True
        self._run.cancel()
        for task in self._tasks:
            task.cancel()
        self._wake.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def now_ms(self) -> float:
        return self._run.now_ms()

    # -- the run -------------------------------------------------------------------------
    async def execute(self) -> RunSummary:
        """Run to the end of the input (or until :meth:`cancel`) and return the summary."""
        s = self.settings
        await self._run.open()
        self._emit("on_start", RunStarted(s.mode, self.total, (), s.workers, time.time()))
        held = asyncio.ensure_future(self._log_held()) if log.isEnabledFor(logging.INFO) else None
        try:
            self._tasks = [asyncio.ensure_future(self._worker()) for _ in range(s.workers)]
            if self._cancelled:
                for t in self._tasks:
                    t.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
        finally:
            if held is not None:
                held.cancel()
            await self._run.close()
            self._finish_cancelled()
        self.summary = self.stats.summary(s.mode, self.total, self.now_ms() / 1000.0, interrupted=self._cancelled)
        self._emit("on_finish", self.summary)
        return self.summary

    async def _log_held(self) -> None:
        """Every ``HELD_LOG_S`` (with ``-v``): what the run holds in memory, for big-list benchmarks."""
        while True:
            await asyncio.sleep(HELD_LOG_S)
            log.info(
                "%d of %d rows out; held: window %d rows (most %d), consumer behind %d (most %d, waits %d), "
                "originals %d, deferred %d; peak RSS %.0f MB",
                self.window.emitted, self.total, len(self.window), self.window.high_water, self._behind(),
                self.behind_high_water, self.behind_waits, len(self._originals),
                sum(len(d) for d in self._deferred.values()), _peak_rss_mb(),
            )

    async def _worker(self) -> None:
        while not self._cancelled:
            entry = await self._next()
            if entry is None:
                return
            self._in_flight[entry.index] = entry
            try:
                result = await self._run.fetch_entry(entry)
            finally:
                self._release(entry)
            del self._in_flight[entry.index]
            self._record(result)

    # -- taking work ---------------------------------------------------------------------
    @staticmethod
    def _host(entry: UrlEntry) -> str:
        return urlsplit(entry.url).netloc.lower()

    def _take_deferred(self) -> UrlEntry | None:
        while self._ready:
            host = self._ready.popleft()
            dq = self._deferred.get(host)
            if dq and self._active[host] < self._per_host:
                self._active[host] += 1
                entry = dq.popleft()
                if not dq:
                    del self._deferred[host]
                return entry
        return None

    async def _next(self) -> UrlEntry | None:
        """The next entry to fetch: input order, per-host limit, and room in the window."""
        while not self._cancelled:
            if self._per_host > 0:
                entry = self._take_deferred()
                if entry is not None:
                    return entry
            if self._exhausted:
                if not self._deferred:
                    return None
                self._wake.clear()
                await self._wake.wait()
                continue
            if self.window.full():
                # Back-pressure: the oldest row is unfinished; take nothing new until it ends.
                # A host slot freed meanwhile must wake us too, hence both waits.
                self._wake.clear()
                room = asyncio.ensure_future(self.window.wait_room())
                wake = asyncio.ensure_future(self._wake.wait())
                try:
                    await asyncio.wait((room, wake), return_when=asyncio.FIRST_COMPLETED)
                finally:
                    room.cancel()
                    wake.cancel()
                continue
            if self._consumer_behind():
                await asyncio.sleep(BEHIND_POLL_S)
                continue
            entry = next(self._entries, None)
            if entry is None:
                self._exhausted = True
                continue
            self._admit(entry)
            kept = self._kept(entry.index)
            if kept is not None:
                self._record(kept, kept=True)
                continue
            if not self._needs_fetch(entry):
                continue
            if self._per_host <= 0:
                return entry
            host = self._host(entry)
            if self._active[host] < self._per_host:
                self._active[host] += 1
                return entry
            self._deferred.setdefault(host, deque()).append(entry)
        return None

    def _consumer_behind(self) -> bool:
        """True while the other thread's consumer holds ``reorder_window`` results or more (back-pressure)."""
        n = self._behind()
        if n > self.behind_high_water:
            self.behind_high_water = n
        if n < self.settings.reorder_window:
            return False
        self.behind_waits += 1
        return True

    def _kept(self, index: int) -> FetchResult | None:
        """The kept result of row ``index``, if there is one (``prior`` is read in step with the input)."""
        while self._next_kept is not None and self._next_kept.input_index < index:
            log.warning("kept result of row %d has no input row; ignored", self._next_kept.input_index)
            self._next_kept = next(self._prior, None)
        if self._next_kept is None or self._next_kept.input_index != index:
            return None
        result, self._next_kept = self._next_kept, next(self._prior, None)
        self.kept += 1
        return result

    def _needs_fetch(self, entry: UrlEntry) -> bool:
        """Record what needs no request (invalid URLs, known duplicates); True for the rest."""
        if not entry.valid:
            self._record(self._invalid(entry))
            return False
        orig = entry.duplicate_of
        if orig is None or self.settings.fetch_duplicates or orig not in self._repeated:
            return True
        if orig in self._originals:
            self._record(self._as_duplicate(self._originals[orig], entry))
        else:
            self._waiting.setdefault(orig, []).append(entry)
        return False

    def _release(self, entry: UrlEntry) -> None:
        if self._per_host <= 0:
            return
        host = self._host(entry)
        self._active[host] -= 1
        if host in self._deferred:
            self._ready.append(host)
            self._wake.set()

    # -- results -------------------------------------------------------------------------
    def _invalid(self, entry: UrlEntry) -> FetchResult:
        now = self.now_ms()
        return FetchResult(
            entry.index,
            entry.raw,
            self.settings.mode,
            error_kind=ErrorKind.INVALID_URL,
            error=entry.error,
            timings=Timings(now, finished_ms=now),
        )

    @staticmethod
    def _as_duplicate(orig: FetchResult, entry: UrlEntry) -> FetchResult:
        return dataclasses.replace(orig, input_index=entry.index, url=entry.url, duplicate_of=orig.input_index)

    def _cancelled_row(self, entry: UrlEntry) -> FetchResult:
        if not entry.valid:
            return self._invalid(entry)
        now = self.now_ms()
        return FetchResult(
            entry.index,
            entry.url,
            self.settings.mode,
            error_kind=ErrorKind.CANCELLED,
            error="stopped before this URL finished",
            timings=Timings(now, finished_ms=now),
        )

    def _record(self, result: FetchResult, kept: bool = False) -> None:
        self.stats.add(result, kept=kept)
        self._emit("on_result", result)
        self.window.complete(result)
        idx = result.input_index
        if idx in self._repeated and result.duplicate_of is None:
            self._originals[idx] = result
            for dup in self._waiting.pop(idx, ()):
                self._record(self._as_duplicate(result, dup))

    def _finish_cancelled(self) -> None:
        """After a stop: every row not finished, and the rest of the input, as ``cancelled``."""
        pending = [
            *self._in_flight.values(),
            *(e for dq in self._deferred.values() for e in dq),
            *(e for dups in self._waiting.values() for e in dups),
        ]
        self._in_flight.clear()
        self._deferred.clear()
        self._waiting.clear()
        for entry in sorted(pending, key=lambda e: e.index):
            self._record(self._cancelled_row(entry))
        # The input not read yet goes to the outputs only: the journal need not hold a row for
        # it (a resume fetches whatever the journal lacks), so a stop is quick at any size.
        for entry in self._entries:
            kept = self._kept(entry.index)
            row = kept if kept is not None else self._cancelled_row(entry)
            self.stats.add(row, kept=kept is not None)
            self._admit(entry)
            self.window.complete(row)

    def _admit(self, entry: UrlEntry) -> None:
        self._lines[entry.index] = entry.line
        self.window.admit(entry.index)

    def _out(self, result: FetchResult) -> None:
        self._ordered(result)
        self._lines.pop(result.input_index, None)

    def line_of(self, index: int) -> int | None:
        """The 1-based input line of a row being emitted (or still in the window), ``None`` otherwise."""
        return self._lines.get(index)

    def _emit(self, name: str, arg: object) -> None:
        try:
            getattr(self.observer, name)(arg)
        except Exception:
            log.exception("observer %s failed", name)


def _peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB (0 where the platform does not say)."""
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
