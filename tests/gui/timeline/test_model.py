"""The timeline's geometry without painting: bars, live growth, zoom/pan/fit, hit testing, ticks."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from core.model import ErrorKind, FetchResult, Mode, Progress, RowState, Timings
from core.run.indexset import IndexSet
from gui.timeline.model import RowLayout, TimeAxis, TimelineModel
from gui.timeline.time_format import format_duration, format_tick, nice_ceil, tick_step, ticks


def result(i: int, start: float, *, wait: float = 200.0, ok: bool = True, queued: float | None = None,
           dns: float | None = None, connect: float | None = None, download: float = 5.0,
           parse: float = 3.0) -> FetchResult:
    t = Timings(start, queued, dns, connect, wait, download, parse)
    t = dataclasses.replace(t, finished_ms=t.segments()[-1][2])
    return FetchResult(i, f"http://h/{i}", Mode.ASYNC, ok=ok, status_code=200 if ok else None,
                       error_kind=None if ok else ErrorKind.CONNECT, error="" if ok else "refused", timings=t)


def model_with(n: int) -> TimelineModel:
    m = TimelineModel()
    m.reset([f"http://h/{i}" for i in range(n)])
    return m


def test_bars_sit_where_the_timings_say() -> None:
    m = model_with(3)
    r0 = result(0, 10.0, queued=4.0, dns=1.0, connect=2.0, wait=100.0, download=20.0, parse=7.0)
    r2 = result(2, 50.0, wait=30.0)
    m.apply((), [r0, r2])
    assert m.segments(0) == [("queued", 10.0, 14.0), ("dns", 14.0, 15.0), ("connect", 15.0, 17.0),
                             ("wait", 17.0, 117.0), ("download", 117.0, 137.0), ("parse", 137.0, 144.0)]
    assert m.segments(0) == r0.timings.segments()
    assert m.bar_span(0) == (10.0, 144.0)
    assert m.bar_span(1) is None  # no result, no progress: no bar
    assert m.bar_span(2) == (50.0, 88.0)
    assert m.intervals() == [(10.0, 144.0), (50.0, 88.0)]
    assert m.extent_ms == 144.0


def test_live_bars_grow_with_the_clock_and_are_replaced_by_the_result() -> None:
    m = model_with(2)
    m.apply([Progress(0, RowState.CONNECTING, 10.0)])
    m.set_clock(30.0)
    assert m.segments(0) == [("wait", 10.0, 30.0)]
    assert m.rows[0].in_flight
    m.apply([Progress(0, RowState.DOWNLOADING, 40.0, 100, 1000), Progress(0, RowState.DOWNLOADING, 45.0, 500, 1000)])
    m.set_clock(60.0)
    assert m.segments(0) == [("wait", 10.0, 40.0), ("download", 40.0, 60.0)]
    assert m.extent_ms == 60.0
    m.apply([Progress(0, RowState.PARSING, 70.0)], [result(0, 10.0, wait=50.0)])
    assert m.segments(0) == result(0, 10.0, wait=50.0).timings.segments()
    assert not m.rows[0].in_flight
    m.apply([Progress(0, RowState.CONNECTING, 90.0)])  # a late event does not reopen a finished row
    assert m.segments(0)[0][1] == 10.0


def test_cancelled_in_flight_keeps_what_was_seen_and_queued_rows_have_no_bar() -> None:
    m = model_with(2)
    m.apply([Progress(0, RowState.CONNECTING, 5.0)])
    stopped = Timings(80.0, finished_ms=80.0)
    m.apply((), [FetchResult(0, "u", Mode.SYNC, error_kind=ErrorKind.CANCELLED, timings=stopped),
                 FetchResult(1, "v", Mode.SYNC, error_kind=ErrorKind.CANCELLED, timings=stopped)])
    assert m.segments(0) == [("wait", 5.0, 80.0)]
    assert m.rows[0].cancelled and not m.rows[0].failed
    assert m.segments(1) == []


def test_failed_rows_are_flagged() -> None:
    m = model_with(2)
    m.apply((), [result(0, 0.0, ok=False), result(1, 0.0)])
    assert m.rows[0].failed and not m.rows[1].failed


def test_fit_shows_everything() -> None:
    m = model_with(2)
    m.apply((), [result(0, 0.0, wait=1000.0), result(1, 500.0, wait=2000.0)])
    m.running = False
    m.resize(800, 300)
    end = m.extent_ms
    assert m.axis.x_of(0.0) == pytest.approx(0.0)
    assert 700 < m.axis.x_of(end) <= 800
    assert m.axis.ms_of(0) <= 0.0 and m.axis.end_ms >= end


def test_zoom_keeps_the_point_under_the_cursor_fixed() -> None:
    axis = TimeAxis(1000)
    axis.fit(0, 10_000)
    for factor, anchor in ((2.0, 300.0), (1.25, 0.0), (0.5, 999.0), (3.0, 123.4)):
        before = axis.ms_of(anchor)
        scale = axis.ms_per_px
        axis.zoom(factor, anchor)
        assert axis.ms_of(anchor) == pytest.approx(before)
        assert axis.ms_per_px == pytest.approx(scale / factor)


def test_pan_moves_content_with_the_pointer() -> None:
    axis = TimeAxis(500)
    axis.fit(0, 1000)
    t = axis.ms_of(100)
    axis.pan(50)  # dragging right by 50 px: what was at 100 px is now at 150 px
    assert axis.x_of(t) == pytest.approx(150)


def test_zoom_is_clamped() -> None:
    axis = TimeAxis(500)
    for _ in range(200):
        axis.zoom(10.0, 0)
    assert axis.ms_per_px > 0
    assert axis.ms_of(1) > axis.ms_of(0)


def test_user_zoom_stops_following_and_fit_restores_it() -> None:
    m = model_with(1)
    m.resize(1000, 200)
    m.apply([Progress(0, RowState.CONNECTING, 0.0)])
    m.set_clock(120.0)
    m.fit()
    assert m.follow and m.axis.end_ms >= 120.0
    assert m.fit_end_ms() == nice_ceil(120.0 * 1.05)  # live: the scale moves in 1-2-5 steps
    m.zoom(4.0, 500)
    assert not m.follow
    m.fit()
    assert m.follow and m.axis.t0_ms == 0.0


def test_shared_domain_sets_the_scale_but_never_hides_bars() -> None:
    m = model_with(1)
    m.load(["u"], [result(0, 0.0, wait=100.0)], wall_ms=110.0)
    m.resize(1000, 100)
    m.domain_ms = 5000.0
    m.fit()
    assert m.axis.end_ms == pytest.approx(5000.0, rel=0.02)
    m.domain_ms = 50.0
    m.fit()
    assert m.axis.end_ms >= 110.0


def test_row_layout_adapts_to_the_row_count() -> None:
    lay = RowLayout(8, 18)
    lay.update(10, 400)
    assert lay.pitch == 18 and 6 <= lay.bar_height <= 14
    lay.update(10_000, 400)
    assert lay.pitch == 8 and lay.bar_height >= 6
    assert lay.content_height == 80_000
    assert lay.visible_rows(8000, 400) == range(1000, 1050)
    assert lay.visible_rows(8004, 400) == range(1000, 1051)
    assert lay.row_at(8003) == 1000 and lay.row_at(-1) is None and lay.row_at(80_000) is None
    assert lay.scroll_to_show(5000, 0, 400) > 0
    shown = lay.scroll_to_show(5000, 0, 400)
    assert 5000 in lay.visible_rows(shown, 400)
    assert lay.scroll_to_show(1010, 8000, 400) == 8000  # already visible: unchanged


def test_hit_testing_returns_the_right_row_and_phase() -> None:
    m = model_with(3)
    m.apply((), [result(0, 0.0, wait=100.0, download=50.0, parse=10.0), result(2, 200.0, wait=100.0)])
    m.running = False
    m.resize(1000, 300)
    m.axis.set_state(0.0, 1.0)  # 1 ms per px
    pitch = m.layout.pitch
    hit = m.hit_test(120.0, pitch * 0.5)
    assert hit is not None and hit.row == 0 and hit.phase == "download" and (hit.start_ms, hit.end_ms) == (100, 150)
    hit = m.hit_test(50.0, pitch * 2.5)
    assert hit is not None and hit.row == 2 and hit.phase is None  # the row, but left of its bar
    hit = m.hit_test(198.5, pitch * 2.5)  # within the slop of the bar's start
    assert hit is not None and hit.phase == "wait"
    hit = m.hit_test(10.0, pitch * 1.5)
    assert hit is not None and hit.row == 1 and hit.phase is None
    assert m.hit_test(10.0, pitch * 3.5) is None
    assert m.hit_test(10.0, -1.0) is None


def test_ticks_are_readable() -> None:
    assert tick_step(1.0, 80) == 100.0
    assert tick_step(30.0, 80) == 5000.0
    assert tick_step(600.0, 80) == 60_000.0
    assert ticks(0, 1000, 250) == [0, 250, 500, 750, 1000]
    assert [format_tick(t, 250) for t in (0, 250, 1250)] == ["0", "250 ms", "1.25 s"]
    assert format_tick(90_000, 15_000) == "1 min 30 s"
    assert format_tick(2.5, 0.5) == "2.5 ms"
    assert [format_duration(x) for x in (302.4, 15_300, 150_000)] == ["302 ms", "15.3 s", "2 min 30 s"]
    assert nice_ceil(120) == 200 and nice_ceil(1000) == 1000 and nice_ceil(0.03) == pytest.approx(0.05)


def test_the_run_ends_when_every_row_has_a_result() -> None:
    m = model_with(2)
    m.apply([Progress(0, RowState.CONNECTING, 0.0)], [result(1, 0.0)])
    assert m.running
    m.apply((), [result(1, 0.0)])  # the same row again does not count twice
    assert m.running
    m.apply((), [result(0, 0.0)])
    assert not m.running
    m.set_clock(10_000.0)
    assert m.extent_ms < 10_000.0  # the clock no longer stretches the picture


def test_the_rate_limit_wait_is_its_own_phase_with_its_own_colour_and_legend_entry() -> None:
    from PySide6.QtGui import QPalette

    from gui.app.colors import PHASES as COLOR_PHASES
    from gui.timeline.model import PHASES
    from gui.timeline.paint import phase_colors, phase_label

    m = model_with(1)
    t = Timings(10.0, 1.0, None, None, 20.0, 5.0, 2.0, rate_limit_ms=40.0)
    r = FetchResult(0, "http://h/0", Mode.ASYNC, ok=True, status_code=200,
                    timings=dataclasses.replace(t, finished_ms=78.0))
    m.apply((), [r])
    assert m.segments(0)[0] == ("rate_limit", 10.0, 50.0)
    assert m.bar_span(0) == (10.0, 78.0)
    assert PHASES[0] == "rate_limit" and "rate_limit" in COLOR_PHASES
    colors = phase_colors(QPalette())
    assert colors["rate_limit"] not in [c for name, c in colors.items() if name != "rate_limit"]
    assert phase_label("rate_limit") == "rate limit"


def test_kept_rows_of_a_resumed_run_get_no_bar_on_this_runs_clock() -> None:
    m = TimelineModel()
    m.reset(["a", "b", "c", "d"], kept={0, 1})
    # Rows 0 and 1 were fetched by the earlier run, at 0 and 1,000 ms of *its* clock (a sync staircase).
    m.apply(results=[result(0, 0.0), result(1, 1000.0), result(2, 0.0), result(3, 300.0)])
    assert m.segments(0) == m.segments(1) == []
    assert m.intervals() == [m.bar_span(2), m.bar_span(3)]
    assert m.extent_ms < 1000.0  # the kept rows do not stretch this run's time axis
    assert not m.running  # every row has a result


def test_a_resumes_bitmap_of_kept_rows_is_used_as_it_is() -> None:
    """A million kept rows stay one bit each (a frozenset of them took 234 ms of the GUI thread)."""
    n = 1_000_000
    kept = IndexSet.every(n)
    kept.discard(n - 1)
    m = TimelineModel()
    m.reset(["u"] * n, kept=kept)
    assert m.kept is kept
    m.apply(results=[result(0, 0.0), result(n - 1, 50.0)])
    assert m.segments(0) == [] and m.segments(n - 1)  # kept: no bar; fetched now: its bar


def test_the_nan_filled_times_are_built_in_pieces_to_the_exact_length() -> None:
    import math

    from gui.timeline.model import _nans

    for count in (0, 1, 5, 1023, 1024, 1025, 3 * 1024 + 7):
        times = _nans(count, piece=1024)
        assert len(times) == count and all(math.isnan(v) for v in times), count


def test_rows_read_from_the_journal_s_columns_draw_as_the_results_do(tmp_path: Any) -> None:
    from core.settings import Settings
    from core.store import Journal, JournalWriter
    from gui.timeline.model import recorded_rows

    results = [result(i, 3.0 * i, ok=i % 5 != 2, queued=1.0 if i % 3 else None, dns=0.5) for i in range(40)]
    results[7] = dataclasses.replace(results[7], ok=False, error_kind=ErrorKind.CANCELLED, error="stopped")
    results[9] = dataclasses.replace(results[9], ok=False, status_code=404, error_kind=ErrorKind.HTTP_ERROR, error="")
    recorded_results = [r for r in results if r.input_index not in (30, 31)]  # two rows without a result
    journal = Journal(tmp_path / "j.sqlite3")
    try:
        run_id = journal.create_run([r.url for r in results], Settings(), len(results) + 3)
        writer = JournalWriter(journal, run_id)
        for r in recorded_results:
            writer.on_result(r)
        writer.close()
        n = len(results) + 3  # and three rows past the last slice
        rec = recorded_rows(n, (journal.timing_rows(run_id, s, min(40, s + 16)) for s in range(0, 40, 16)))
        with pytest.raises(ValueError):
            recorded_rows(n, [journal.timing_rows(run_id, 16, 20)])  # slices must follow each other
    finally:
        journal.close()
    urls = [f"http://h/{i}" for i in range(n)]
    m, reference = TimelineModel(), TimelineModel()
    m.load_recorded(urls, rec)
    reference.load(urls, [*recorded_results])
    assert [m.segments(i) for i in range(n)] == [reference.segments(i) for i in range(n)]
    assert list(m.rows) == list(reference.rows)
    assert m.extent_ms == reference.extent_ms > 0
    assert rec.done == len(recorded_results) and m.rows[30] == reference.rows[30]
