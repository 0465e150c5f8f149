"""The timeline without painting: bars and segments per URL, the time↔pixel transform, hit testing.

Everything here is plain Python (no Qt), so the geometry is unit-tested without a window;
``gui.timeline.view.TimelineView`` only paints what this module computes. Tick steps, tick labels and
durations are in :mod:`gui.timeline.time_format`.

Rows are kept compactly, so a run of a million URLs costs tens of megabytes here, not
gigabytes: per row the result's timings (nine doubles), a byte of flags, its status code and
error kind; the URLs are the caller's sequence (not copied); rows in flight and the few
failures' messages are in small dicts. A row's phases are recomputed from its timings when it
is painted (only the visible ones are).

Coordinates: *time* is milliseconds on the run's clock (0 = start of the run). *x* is pixels
from the left edge of the plot; *y* is pixels from the top of the rows' content (the view adds
its scroll offset).
"""

from __future__ import annotations

import itertools
import logging
import math
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from core.model import ErrorKind, FetchResult, Progress, RowState, Timings
from core.run.indexset import IndexSet
from core.store import TimingRows
from gui.timeline.time_format import nice_ceil

log = logging.getLogger(__name__)

PHASES: tuple[str, ...] = ("rate_limit", "queued", "dns", "connect", "wait", "download", "parse")
"""Phase names in the order ``Timings.segments()`` lays them out."""

# While a request is in flight only its state is known; the exact split arrives with the result.
_LIVE_PHASE: dict[RowState, str] = {
    RowState.QUEUED: "queued",  # waiting for a retry
    RowState.CONNECTING: "wait",  # connect + request + waiting for the first byte
    RowState.DOWNLOADING: "download",
    RowState.PARSING: "parse",
}

MIN_MS_PER_PX = 0.001  # 1 µs per pixel: deeper zoom shows nothing more
MAX_MS_PER_PX = 3_600_000.0  # an hour per pixel

Segment = tuple[str, float, float]


@dataclass(frozen=True, slots=True)
class Row:
    """What the timeline knows about one input URL (a view built on demand: nothing per row is kept).

    Attributes:
        url: the input URL.
        in_flight: started, no result yet.
        failed: finished without success (cancelled rows are not failed).
        cancelled: stopped before it finished.
        status_code: the HTTP status of the result, ``None`` without one.
        error_kind, error: how it failed (``None`` and ``""`` when it did not).
    """

    url: str
    in_flight: bool = False
    failed: bool = False
    cancelled: bool = False
    status_code: int | None = None
    error_kind: ErrorKind | None = None
    error: str = ""


class _Rows(Sequence[Row]):
    """``TimelineModel.rows``: one :class:`Row` per input URL, made when asked for."""

    def __init__(self, model: TimelineModel) -> None:
        self._model = model

    def __len__(self) -> int:
        return self._model.count

    def __getitem__(self, index: int) -> Row:  # type: ignore[override]
        n = self._model.count
        if not -n <= index < n:
            raise IndexError(index)
        return self._model.row(index % n)


# Per-row flags (a bytearray: one byte per row).
_HAS_RESULT, _FAILED, _CANCELLED = 1, 2, 4
_TIMING_FIELDS = tuple(Timings.__dataclass_fields__)  # started, queued, …, finished, rate_limit
_NT = len(_TIMING_FIELDS)
_NAN = math.nan
_FINISHED = _TIMING_FIELDS.index("finished_ms")
_KINDS = (None, *ErrorKind)
_KIND_CODE = {k: n for n, k in enumerate(_KINDS)}


@dataclass(frozen=True, slots=True)
class Hit:
    """What is under a point: a row, and the phase segment under x if the bar is there."""

    row: int
    phase: str | None = None
    start_ms: float | None = None
    end_ms: float | None = None


@dataclass(slots=True)
class Recorded:
    """A finished run's rows in the timeline's compact form (see :func:`recorded_rows`)."""

    flags: bytearray
    times: array[float]
    codes: array[int]
    kinds: bytearray
    errors: dict[int, str]
    extent_ms: float
    done: int
    kept: frozenset[int] = frozenset()


def _nans(count: int, piece: int = 1 << 18) -> array[float]:
    """An ``array('d')`` of ``count`` NaNs built a piece (2 MB) at a time: one repeat of 80 MB
    holds the GIL for 50–150 ms, a stall of the GUI thread when built in a worker thread."""
    out = array("d")
    block = array("d", [_NAN]) * min(count, piece)
    while block and len(out) + len(block) <= count:
        out.extend(block)
    out.extend(block[: count - len(out)])
    return out


# A row's outcome in the journal's columns (core.store.TimingRows.states) -> its flags here, and
# whether its end counts for the run's extent (a cancelled row's does not).
_STATE_FLAGS = bytes.maketrans(bytes((0, 1, 2, 3)), bytes((0, _HAS_RESULT, _HAS_RESULT | _FAILED,
                                                            _HAS_RESULT | _CANCELLED)))
_STATE_EXTENT = bytes.maketrans(bytes((0, 1, 2, 3)), bytes((0, 1, 1, 0)))


def recorded_rows(n: int, slices: Iterable[TimingRows]) -> Recorded:
    """The compact rows of a run of ``n`` URLs from consecutive slices of the journal's columns
    (:meth:`core.store.Journal.timing_rows`, from row 0 on; rows past the last slice have no result).

    Each slice is appended and translated by C code (array and bytes methods), with Python only
    per failed row: run in a worker thread, it leaves the GIL to the GUI thread at once.

    Raises:
        ValueError: a slice does not start where the previous one ended.
    """
    flags, kinds = bytearray(), bytearray()
    times, codes = array("d"), array("i")
    errors: dict[int, str] = {}
    extent, done = 0.0, 0
    for part in slices:
        if part.start != len(flags):
            raise ValueError(f"a slice of rows starts at {part.start}, not {len(flags)}")
        rows = len(part.states)
        flags += part.states.translate(_STATE_FLAGS)
        times.extend(part.times)
        codes.extend(part.codes)
        kinds += bytes(rows)
        for i, (kind, error) in part.failures.items():
            kinds[i] = _KIND_CODE[kind]
            if error:
                errors[i] = error
        ends = itertools.compress(part.times[_FINISHED::_NT], part.states.translate(_STATE_EXTENT))
        extent = max(extent, max(filter(math.isfinite, ends), default=0.0))
        done += rows - part.states.count(0)
    missing = n - len(flags)
    if missing > 0:
        flags += bytes(missing)
        kinds += bytes(missing)
        codes.extend(array("i", [0]) * missing)
        times.extend(_nans(missing * _NT))
    return Recorded(flags, times, codes, kinds, errors, extent, done)


class TimeAxis:
    """The horizontal transform: ``x = (t - t0_ms) / ms_per_px``."""

    def __init__(self, width_px: float = 600.0) -> None:
        self.t0_ms = 0.0
        self.ms_per_px = 1.0
        self.width_px = max(1.0, width_px)

    def x_of(self, ms: float) -> float:
        return (ms - self.t0_ms) / self.ms_per_px

    def ms_of(self, x: float) -> float:
        return self.t0_ms + x * self.ms_per_px

    @property
    def end_ms(self) -> float:
        """Time at the right edge of the plot."""
        return self.ms_of(self.width_px)

    def set_width(self, width_px: float) -> None:
        self.width_px = max(1.0, width_px)

    def fit(self, start_ms: float, end_ms: float, pad_px: float = 8.0) -> None:
        """Show ``[start_ms, end_ms]`` across the width, with ``pad_px`` free on the right."""
        span = max(end_ms - start_ms, 1e-3)
        usable = max(1.0, self.width_px - pad_px)
        self.ms_per_px = _clamp(span / usable, MIN_MS_PER_PX, MAX_MS_PER_PX)
        self.t0_ms = start_ms

    def zoom(self, factor: float, anchor_x: float) -> None:
        """Zoom in (``factor`` > 1) or out around ``anchor_x``; the time under it stays put."""
        anchor_ms = self.ms_of(anchor_x)
        self.ms_per_px = _clamp(self.ms_per_px / factor, MIN_MS_PER_PX, MAX_MS_PER_PX)
        self.t0_ms = anchor_ms - anchor_x * self.ms_per_px

    def pan(self, dx_px: float) -> None:
        """Move the content right by ``dx_px`` pixels (what a drag to the right does)."""
        self.t0_ms -= dx_px * self.ms_per_px

    def state(self) -> tuple[float, float]:
        return self.t0_ms, self.ms_per_px

    def set_state(self, t0_ms: float, ms_per_px: float) -> None:
        self.t0_ms = t0_ms
        self.ms_per_px = _clamp(ms_per_px, MIN_MS_PER_PX, MAX_MS_PER_PX)


class RowLayout:
    """The vertical layout: one band of ``pitch`` pixels per row, a bar centred in it."""

    def __init__(self, min_pitch: float = 8.0, max_pitch: float = 18.0) -> None:
        self.min_pitch = min_pitch
        self.max_pitch = max_pitch
        self.count = 0
        self.pitch = max_pitch

    def update(self, count: int, height_px: float) -> None:
        """Choose the pitch: fill ``height_px`` when the rows fit, else the minimum (and scroll)."""
        self.count = count
        if count <= 0:
            self.pitch = self.max_pitch
            return
        self.pitch = _clamp(height_px / count, self.min_pitch, self.max_pitch)

    @property
    def bar_height(self) -> float:
        """6–14 px for usual pitches; thinner only in a compact overview (pitch < 8)."""
        if self.pitch < 8:
            return max(1.0, self.pitch * 0.8)
        return _clamp(self.pitch - max(2.0, self.pitch * 0.22), 6.0, 14.0)

    @property
    def content_height(self) -> float:
        return self.count * self.pitch

    def bar_top(self, row: int) -> float:
        return row * self.pitch + (self.pitch - self.bar_height) / 2

    def visible_rows(self, scroll_y: float, height_px: float) -> range:
        """Rows intersecting ``[scroll_y, scroll_y + height_px)``: the only ones painted."""
        if self.count == 0:
            return range(0)
        first = max(0, int(scroll_y // self.pitch))
        last = min(self.count, math.ceil((scroll_y + height_px) / self.pitch))
        return range(first, max(first, last))

    def row_at(self, y_content: float) -> int | None:
        if y_content < 0 or self.count == 0:
            return None
        row = int(y_content // self.pitch)
        return row if row < self.count else None

    def scroll_to_show(self, row: int, scroll_y: float, height_px: float) -> float:
        """The scroll offset that brings ``row`` into view (unchanged if it already is)."""
        top, bottom = row * self.pitch, (row + 1) * self.pitch
        if top < scroll_y:
            return top
        if bottom > scroll_y + height_px:
            return max(0.0, min(bottom - height_px + self.pitch, self.content_height - height_px))
        return scroll_y


class TimelineModel:
    """Rows, the run clock and the view state (zoom/pan/fit) of one timeline."""

    def __init__(self, min_pitch: float = 8.0, max_pitch: float = 18.0) -> None:
        self._urls: Sequence[str] = ()
        self.count = 0
        self._flags = bytearray()
        self._times: array[float] = array("d")  # _NT per row, Timings field order; NaN for None
        self._codes: array[int] = array("i")  # status code, 0 for none
        self._kinds = bytearray()  # index into _KINDS
        self._errors: dict[int, str] = {}  # input index -> error message (failed rows only)
        self._live: dict[int, list[tuple[str, float]]] = {}  # (phase, since) of rows in flight
        self._stopped: dict[int, list[Segment]] = {}  # what was seen of rows cancelled in flight
        # Rows whose results a resume or retry kept from an earlier run: their times are on that
        # run's clock, so they get no bar on this one (they are painted as kept).
        self.kept: frozenset[int] | IndexSet = frozenset()
        self.now_ms = 0.0
        self.running = False
        self.axis = TimeAxis()
        self.layout = RowLayout(min_pitch, max_pitch)
        self.follow = True  # True: the view refits as the run grows (until the user zooms or pans)
        self.domain_ms: float | None = None  # fixed time range for fit (shared scale in compare)
        self.selected: int | None = None
        self._extent = 0.0
        self._done = 0  # rows with a result; when all have one the run is over even without finish()

    @property
    def rows(self) -> Sequence[Row]:
        """One :class:`Row` per input URL (``len()``, indexing; each made when asked for)."""
        return _Rows(self)

    def row(self, index: int) -> Row:
        flags = self._flags[index]
        kind = _KINDS[self._kinds[index]]
        code = self._codes[index]
        return Row(self._urls[index], in_flight=not flags & _HAS_RESULT and index in self._live,
                   failed=bool(flags & _FAILED), cancelled=bool(flags & _CANCELLED),
                   status_code=code or None, error_kind=kind, error=self._errors.get(index, ""))

    # -- data ------------------------------------------------------------------------------
    def reset(self, urls: Sequence[str], kept: Iterable[int] = ()) -> None:
        """One empty row per URL; ``kept``: input indices whose results come from an earlier run.

        ``urls`` is kept by reference (a run's URLs: not copied).
        """
        n = len(urls)
        self._reset_state(urls, kept)
        self._flags = bytearray(n)
        self._times = array("d", [_NAN]) * (n * _NT)
        self._codes = array("i", [0]) * n
        self._kinds = bytearray(n)

    def _reset_state(self, urls: Sequence[str], kept: Iterable[int]) -> None:
        """Everything :meth:`reset` clears but the per-row arrays (80 MB at a million rows:
        :meth:`load_recorded` hands over its own rather than have them filled and dropped)."""
        self._urls = urls
        self.count = len(urls)
        self._errors = {}
        self._live = {}
        self._stopped = {}
        # A bitmap of kept rows (a resume's) is looked up as it is: a frozenset of a million ints took 234 ms.
        self.kept = kept if isinstance(kept, (frozenset, IndexSet)) else frozenset(kept)
        self.now_ms = 0.0
        self.running = True
        self.selected = None
        self._extent = 0.0
        self._done = 0
        self.follow = True

    def apply(self, progress: Iterable[Progress] = (), results: Iterable[FetchResult | None] = ()) -> None:
        """Fold progress events, then results, into the rows (events arrive batched)."""
        n, flags, live = self.count, self._flags, self._live
        for p in progress:
            i = p.input_index
            if not 0 <= i < n or flags[i] & _HAS_RESULT:
                continue  # unknown row, or a late event of a finished one
            phase = _LIVE_PHASE.get(p.state)
            if phase is None:
                continue
            seen = live.get(i)
            if seen is None:
                live[i] = [(phase, p.t_ms)]
            elif seen[-1][0] != phase:
                seen.append((phase, p.t_ms))
            self._extent = max(self._extent, p.t_ms)
        for r in results:
            if r is not None and 0 <= r.input_index < n:
                i = r.input_index
                self._done += not flags[i] & _HAS_RESULT
                self._set_result(i, r)
        if n and self._done == n:
            self.running = False

    @staticmethod
    def _result_segments(t: Timings) -> list[Segment]:
        segs = list(t.segments())
        if not segs and t.finished_ms > t.started_ms:
            segs = [("wait", t.started_ms, t.finished_ms)]
        elif segs and t.finished_ms > segs[-1][2]:
            # The phases leave out a sliver of bookkeeping; end the bar where the result says.
            name, a, _b = segs[-1]
            segs[-1] = (name, a, t.finished_ms)
        return segs

    def _timings(self, i: int) -> Timings:
        values = self._times[i * _NT:(i + 1) * _NT]
        return Timings(*(None if v != v else v for v in values))  # NaN -> None

    def _set_result(self, i: int, r: FetchResult) -> None:
        seen = self._live.pop(i, None)
        self._stopped.pop(i, None)
        f = _HAS_RESULT
        if not r.ok and r.error_kind is not ErrorKind.CANCELLED:
            f |= _FAILED
        if r.error_kind is ErrorKind.CANCELLED:
            f |= _CANCELLED
        self._flags[i] = f
        self._codes[i] = r.status_code or 0
        self._kinds[i] = _KIND_CODE[r.error_kind]
        if r.error:
            self._errors[i] = r.error
        else:
            self._errors.pop(i, None)
        t = r.timings
        self._times[i * _NT:(i + 1) * _NT] = array("d", (_NAN if (v := getattr(t, name)) is None else v
                                                         for name in _TIMING_FIELDS))
        if i in self.kept:
            return  # measured on another run's clock: no bar here
        if r.error_kind is ErrorKind.CANCELLED and seen:
            # Stopped in flight: keep what was seen, up to the moment it stopped.
            segs = self._stopped[i] = self._live_segments(seen, t.finished_ms)
        else:
            segs = self._result_segments(t)
        if segs:
            self._extent = max(self._extent, segs[-1][2])

    def load_recorded(self, urls: Sequence[str], recorded: Recorded, wall_ms: float | None = None) -> None:
        """Show a finished run from what :func:`recorded_rows` built (in a worker thread) from the journal."""
        self._reset_state(urls, recorded.kept)
        self._flags, self._times, self._codes, self._kinds = (recorded.flags, recorded.times, recorded.codes,
                                                              recorded.kinds)
        self._errors = recorded.errors
        self._extent = recorded.extent_ms
        self._done = recorded.done
        self.running = False
        if wall_ms is not None:
            self.now_ms = wall_ms
            self._extent = max(self._extent, wall_ms)

    def load(self, urls: Sequence[str], results: Sequence[FetchResult | None], wall_ms: float | None = None) -> None:
        """Show a finished run at once (compare window, history)."""
        self.reset(urls)
        self.apply((), results)
        self.running = False
        if wall_ms is not None:
            self.now_ms = wall_ms
            self._extent = max(self._extent, wall_ms)

    def set_clock(self, now_ms: float) -> None:
        self.now_ms = max(self.now_ms, now_ms)
        if self.running:
            self._extent = max(self._extent, self.now_ms)

    def finish(self, wall_ms: float | None = None) -> None:
        if wall_ms is not None:
            self.set_clock(wall_ms)
        self.running = False

    @property
    def extent_ms(self) -> float:
        """The latest time anything happened (or the clock, while running)."""
        return self._extent

    def segments(self, index: int) -> list[Segment]:
        """The phases of one row on the run clock; in-flight rows extend to the clock; none for kept rows."""
        if index in self.kept:
            return []
        if self._flags[index] & _HAS_RESULT:
            stopped = self._stopped.get(index)
            return stopped if stopped is not None else self._result_segments(self._timings(index))
        seen = self._live.get(index)
        if seen:
            return self._live_segments(seen, max(self.now_ms, seen[-1][1]))
        return []

    @staticmethod
    def _live_segments(live: list[tuple[str, float]], until: float) -> list[Segment]:
        out: list[Segment] = []
        for k, (phase, since) in enumerate(live):
            end = live[k + 1][1] if k + 1 < len(live) else until
            if end > since or k == len(live) - 1:
                out.append((phase, since, max(since, end)))
        return out

    def bar_span(self, index: int) -> tuple[float, float] | None:
        segs = self.segments(index)
        return (segs[0][1], segs[-1][2]) if segs else None

    def intervals(self) -> list[tuple[float, float]]:
        """``(start_ms, end_ms)`` of every bar, in input order (rows without a bar are skipped)."""
        return [span for i in range(self.count) if (span := self.bar_span(i)) is not None]

    # -- view ------------------------------------------------------------------------------
    def resize(self, width_px: float, height_px: float) -> None:
        self.axis.set_width(width_px)
        self.layout.update(self.count, height_px)
        if self.follow:
            self.fit()

    def fit_end_ms(self) -> float:
        """The right end that ``fit`` shows: the fixed domain, or a rounded-up extent while live."""
        if self.domain_ms is not None:
            return max(self.domain_ms, self._extent, 1.0)
        end = max(self._extent, 1.0)
        # Live: round up to a 1-2-5 step so the scale changes in steps, not on every tick.
        return nice_ceil(end * 1.05) if self.running else end

    def fit(self) -> None:
        self.follow = True
        self.axis.fit(0.0, self.fit_end_ms())

    def zoom(self, factor: float, anchor_x: float) -> None:
        self.follow = False
        self.axis.zoom(factor, anchor_x)

    def pan(self, dx_px: float) -> None:
        self.follow = False
        self.axis.pan(dx_px)

    def hit_test(self, x: float, y_content: float, slop_px: float = 3.0) -> Hit | None:
        """The row at ``y_content`` and the phase under ``x`` (within ``slop_px`` of the bar)."""
        row = self.layout.row_at(y_content)
        if row is None:
            return None
        t = self.axis.ms_of(x)
        slop = slop_px * self.axis.ms_per_px
        segs = self.segments(row)
        for phase, a, b in segs:
            if a <= t <= b:
                return Hit(row, phase, a, b)
        if segs and segs[0][1] - slop <= t <= segs[-1][2] + slop:
            phase, a, b = segs[0] if t < segs[0][1] else segs[-1]
            return Hit(row, phase, a, b)
        return Hit(row)


def _clamp(v: float, lo: float, hi: float) -> float:
    return lo if v < lo else hi if v > hi else v
