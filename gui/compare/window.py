"""The comparison window: the same batch in sync, threads and async, side by side.

Runs :class:`core.run.compare.Comparer` (sync, then threads, then async) and shows each mode's
wall time with its speed-up, the sum of per-URL times, a timeline per mode on one shared
time scale (the staircase of sync beside the overlapping bars of async) and a histogram of
per-URL times. Before a long sync run it times a small sample and offers to cap the batch.
"""

from __future__ import annotations

import asyncio
import datetime
import enum
import itertools
import logging

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.model import FetchResult, Mode, RunSummary
from core.parse.pool import Extractor
from core.run.compare import ORDER, Comparer, Comparison, estimate_sync_seconds
from core.run.engine import Run
from core.run.observer import MultiObserver, RunObserver
from core.run.stats import fetched
from core.settings import Settings
from core.store import ComparisonRecorder, Journal
from core.urls import Batch
from gui.compare.export import CompareExporter
from gui.compare.feed import ModeFeed
from gui.compare.parts import LegendStrip, ModeCard, ModeRow, mode_name
from gui.timeline.histogram import auto_range
from gui.timeline.time_format import format_duration
from gui.timeline.view import TimelineView

log = logging.getLogger(__name__)


class CapChoice(enum.StrEnum):
    """The answer to "sync would take about N minutes"."""

    CAP = "cap"
    ALL = "all"
    CANCEL = "cancel"


class CompareWindow(QWidget):
    """Compare sync, threads and async on the same batch.

    Args:
        batch: the URLs.
        settings: shared settings (the mode is replaced per run).
        extractor: the app's parsing pool.
        parent: optional; the window stays a top-level window.
        journal: where the comparison is recorded (as three runs, see
            :class:`core.store.ComparisonRecorder`); ``None``: not recorded.

    Signals:
        finished(object): the :class:`core.run.compare.Comparison` (also when stopped early).
        asking(object): the ``QMessageBox`` offering to cap a long sync run, once shown.
    """

    finished = Signal(object)
    asking = Signal(object)

    SAMPLE_ABOVE = 100  # larger batches: time a sync sample first
    SAMPLE_SIZE = 5
    ASK_ABOVE_S = 15.0  # ask when sync is estimated to take longer than this
    CAP = 100  # "compare on the first N URLs"

    def __init__(self, batch: Batch, settings: Settings, extractor: Extractor, parent: QWidget | None = None,
                 journal: Journal | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("compareWindow")
        self.setWindowTitle(self.tr("Compare sync, threads and async — Fetchlens"))
        self.batch, self.settings, self.extractor = batch, settings, extractor
        self.comparison: Comparison | None = None
        self.journal = journal
        self.recorder: ComparisonRecorder | None = None
        self.task: asyncio.Task[Comparison | None] | None = None
        self._comparer: Comparer | None = None
        self._sample_run: Run | None = None
        self._n = len(batch)
        self._capped_from: int | None = None
        self._walls: dict[Mode, float] = {}
        self._current: Mode | None = None
        self._feeds: dict[Mode, ModeFeed] = {}
        self._linking = False
        self._cancelled = False
        self._build()

    # -- construction ----------------------------------------------------------------------
    def _build(self) -> None:
        self.content = QWidget(self)
        self.content.setObjectName("compareContent")
        self.content.setAutoFillBackground(True)
        self.content.setBackgroundRole(QPalette.ColorRole.Base)
        self._headline = QLabel(self.tr("Comparing sync, threads and async…"))
        self._headline.setObjectName("compareHeadline")
        font = self._headline.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self._headline.setFont(font)
        self._stamp = QLabel()
        self._stamp.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self._explain = QLabel()
        self._explain.setWordWrap(True)
        self.cards = {m: ModeCard(m, self.settings.concurrency) for m in ORDER}
        self.rows = {m: ModeRow(m, self.settings.concurrency) for m in ORDER}
        for prev, mode in itertools.pairwise(ORDER):
            self.rows[mode].timeline.set_placeholder(
                self.tr("{mode} runs after {prev}").format(mode=mode_name(mode), prev=mode_name(prev)))
        self.rows[ORDER[0]].timeline.set_placeholder(self.tr("starting…"))
        for r in self.rows.values():
            r.timeline.view_changed.connect(self._on_view_changed)
        top = QHBoxLayout()
        top.addWidget(self._headline, 1)
        top.addWidget(self._stamp)
        cards = QHBoxLayout()
        for c in self.cards.values():
            cards.addWidget(c, 1)
        lay = QVBoxLayout(self.content)
        lay.addLayout(top)
        lay.addWidget(self._explain)
        lay.addLayout(cards)
        lay.addWidget(LegendStrip())
        for r in self.rows.values():
            lay.addWidget(r, 1)
        self.fit_each = QCheckBox(self.tr("Fit each timeline"))
        self.fit_each.setToolTip(self.tr("Off: all three timelines share one time scale, so their lengths compare. "
                                         "On: each is stretched to its own run."))
        self.fit_each.toggled.connect(self._apply_scale)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Stop the comparison; finished runs stay"))
        self.stop_button.clicked.connect(self.cancel)
        self.png_button = QPushButton(self.tr("Save picture…"))
        self.png_button.setToolTip(self.tr("Save this comparison as a PNG image"))
        self.png_button.clicked.connect(lambda: self.exporter.ask_png())
        self.csv_button = QPushButton(self.tr("Save CSV…"))
        self.csv_button.setToolTip(self.tr("Save one row per mode (times, percentiles, speed-up) as CSV"))
        self.csv_button.clicked.connect(lambda: self.exporter.ask_csv())
        for b in (self.png_button, self.csv_button):
            b.setEnabled(False)
        self.status = QLabel()
        self.status.setObjectName("compareStatus")
        self.exporter = CompareExporter(self.content, lambda: self.comparison, self.status.setText)
        bar = QHBoxLayout()
        bar.addWidget(self.status, 1)
        for w in (self.fit_each, self.png_button, self.csv_button, self.stop_button):
            bar.addWidget(w)
        outer = QVBoxLayout(self)
        outer.addWidget(self.content, 1)
        outer.addLayout(bar)
        self._update_explain()

    def sizeHint(self) -> QSize:
        return QSize(1280, 860)

    def row(self, mode: Mode) -> ModeRow:
        return self.rows[mode]

    # -- running ---------------------------------------------------------------------------
    def start(self) -> asyncio.Task[Comparison | None]:
        """Start the comparison as an asyncio task (on the qasync loop); returns the task."""
        if self.task is None or self.task.done():
            self.task = asyncio.ensure_future(self._run())
            self.task.add_done_callback(self._task_done)
        return self.task

    @Slot()
    def cancel(self) -> None:
        """Stop: the current run ends, later modes are skipped."""
        if self._sample_run is not None:
            self._sample_run.cancel()
        if self._comparer is not None:
            self._comparer.cancel()
        self._cancelled = True

    async def _run(self) -> Comparison | None:
        batch = self.batch
        if len(batch) > self.SAMPLE_ABOVE:
            choice = await self._maybe_cap(batch)
            if choice is CapChoice.CANCEL or self._cancelled:
                self.status.setText(self.tr("Comparison cancelled."))
                self.stop_button.setEnabled(False)
                return None
            if choice is CapChoice.CAP:
                self._capped_from = len(batch)
                batch = Batch(batch.entries[: self.CAP])
        self._n = len(batch)
        self._update_explain()
        self._comparer = Comparer(batch, self.settings, self.extractor, observer_for=self._observer_for)
        if self.journal is not None:
            self.recorder = ComparisonRecorder(self.journal, [e.raw for e in batch.entries])
        if self._cancelled:  # stopped before the first run began
            self._comparer.cancel()
        try:
            comparison = await self._comparer.execute()
        finally:
            if self.recorder is not None:
                self.recorder.close()
        self._comparer = None
        self._current = None
        self._show(comparison)
        self.finished.emit(comparison)
        return comparison

    async def _maybe_cap(self, batch: Batch) -> CapChoice:
        self.status.setText(self.tr("Timing a sample of %1 URLs in sync mode…").replace("%1", str(self.SAMPLE_SIZE)))
        self._sample_run = Run(Batch(batch.entries[: self.SAMPLE_SIZE]), self.settings.replace(mode=Mode.SYNC),
                               extractor=self.extractor)
        await self._sample_run.execute()
        sample = [r.timings.elapsed_ms for r in self._sample_run.results if r is not None and fetched(r)]
        self._sample_run = None
        estimate = estimate_sync_seconds(sample, len(batch))
        log.info("sync estimate for %d URLs: %.1f s (sample of %d)", len(batch), estimate, len(sample))
        if estimate <= self.ASK_ABOVE_S or self._cancelled:
            return CapChoice.ALL
        return await self.ask_cap(estimate, len(batch))

    async def ask_cap(self, estimate_s: float, n: int) -> CapChoice:
        """Ask, without a nested event loop, whether to cap a long sync run."""
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Sync will be slow"),
                          self.tr("Sync would take about {t} for {n} URLs (one request after another, "
                                  "estimated from {k} URLs).").format(t=format_duration(estimate_s * 1000), n=n,
                                                                      k=self.SAMPLE_SIZE), parent=self)
        box.setInformativeText(self.tr("Threads and async run after sync, on the same URLs."))
        cap = box.addButton(self.tr("Compare on the first {n} URLs").format(n=self.CAP),
                            QMessageBox.ButtonRole.AcceptRole)
        every = box.addButton(self.tr("All {n} URLs").format(n=n), QMessageBox.ButtonRole.YesRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cap)
        box.setEscapeButton(cancel)
        future: asyncio.Future[CapChoice] = asyncio.get_running_loop().create_future()

        def done(_result: int) -> None:
            clicked = box.clickedButton()
            choice = CapChoice.CAP if clicked is cap else CapChoice.ALL if clicked is every else CapChoice.CANCEL
            if not future.done():
                future.set_result(choice)
            box.deleteLater()

        box.finished.connect(done)
        box.open()  # window-modal, returns at once: a modal exec() inside a task hangs qasync
        self.status.setText(self.tr("Sync would be slow: choose how many URLs to compare."))
        self.asking.emit(box)
        return await future

    def _observer_for(self, mode: Mode) -> RunObserver:
        self._current = mode
        self.cards[mode].set_running(0, self._n, 0.0)
        self._apply_scale()
        feed = self._feeds[mode] = ModeFeed(self, mode, self.rows[mode].timeline, self.on_live, self.mode_finished)
        if self.recorder is None:
            return feed
        return MultiObserver([feed, self.recorder.writer_for(self.settings.replace(mode=mode), self._n)])

    def on_live(self, mode: Mode, done: int, now_ms: float) -> None:
        """A feed tick: update the card and the status line."""
        self.cards[mode].set_running(done, self._n, now_ms)
        k = ORDER.index(mode) + 1
        self.status.setText(self.tr("Running {mode} ({k} of 3): {done} of {n} URLs, {t}").format(
            mode=mode_name(mode), k=k, done=done, n=self._n, t=format_duration(now_ms)))

    def mode_finished(self, mode: Mode, summary: RunSummary, results: list[FetchResult | None]) -> None:
        """One run ended: its final bars, histogram and card, and the shared scale grows to it."""
        self._walls[mode] = summary.wall_s * 1000.0
        self.rows[mode].set_results(summary, results)
        sync = self._walls.get(Mode.SYNC)
        speedup = sync / self._walls[mode] if sync and self._walls[mode] > 0 else None
        self.cards[mode].set_summary(summary, speedup)
        self._apply_scale()

    def _task_done(self, task: asyncio.Task[Comparison | None]) -> None:
        self.stop_button.setEnabled(False)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            log.error("comparison failed", exc_info=exc)
            self.status.setText(self.tr("The comparison failed: %1").replace("%1", str(exc)))

    # -- showing ---------------------------------------------------------------------------
    def _show(self, comparison: Comparison) -> None:
        self.comparison = comparison
        for mode, summary in comparison.summaries.items():
            self._walls[mode] = summary.wall_s * 1000.0
            results = comparison.results.get(mode, [])
            self.rows[mode].set_results(summary, results)
            self.cards[mode].set_summary(summary, comparison.speedup(mode))
        self._apply_scale()
        self._headline.setText(self.headline())
        self._stamp.setText("Fetchlens · " + datetime.datetime.now().strftime("%Y-%m-%d %H:%M"))
        self._update_explain()
        total = sum(s.wall_s for s in comparison.summaries.values())
        self.status.setText((self.tr("Stopped after %1.") if comparison.interrupted else self.tr("Done in %1."))
                            .replace("%1", format_duration(total * 1000)))
        for b in (self.png_button, self.csv_button):
            b.setEnabled(bool(comparison.summaries))

    def headline(self) -> str:
        """``async: 23.4× faster than sync on these 200 URLs`` (translated)."""
        c = self.comparison
        fast = c.speedup(Mode.ASYNC) if c is not None else None
        if fast is None:
            return self.tr("Comparison incomplete")
        return self.tr("async: {x}× faster than sync on these {n} URLs").format(x=f"{fast:.1f}", n=self._n)

    def _update_explain(self) -> None:
        parts = [self.tr("The same {n} URLs fetched three ways. Each bar is one request, from start to finish; "
                         "time runs left to right").format(n=self._n)]
        parts[0] += self.tr(", each timeline on its own scale.") if self.fit_each.isChecked() else \
            self.tr(", on the same scale in all three.")
        c = self.comparison
        s_p50 = c.summaries[Mode.SYNC].p50_ms if c is not None and Mode.SYNC in c.summaries else None
        a_p50 = c.summaries[Mode.ASYNC].p50_ms if c is not None and Mode.ASYNC in c.summaries else None
        if s_p50 is not None and a_p50 is not None:  # both fetched something
            args = {"s": format_duration(s_p50), "a": format_duration(a_p50)}
            if a_p50 >= 0.8 * s_p50:
                parts.append(self.tr("A single request is not faster in async (median {a}; in sync {s}): async "
                                     "finishes sooner only because it does not wait for one answer before asking "
                                     "for the next.").format(**args))
            else:
                parts.append(self.tr("Median time per request: {a} in async, {s} in sync; most of the gain comes "
                                     "from not waiting for one answer before asking for the next.").format(**args))
        if self._capped_from:
            parts.append(self.tr("(First {n} of {m} URLs.)").format(n=self._n, m=self._capped_from))
        self._explain.setText(" ".join(parts))

    @Slot()
    def _apply_scale(self) -> None:
        same = not self.fit_each.isChecked()
        domain = max(self._walls.values()) if same and self._walls else None
        for r in self.rows.values():
            r.timeline.set_domain(domain)
            r.timeline.fit()
            r.show_inset(domain)
        hist_max = None
        if same:
            ranges = [auto_range(h.values()) for r in self.rows.values() if (h := r.histogram).values()]
            hist_max = max(ranges) if ranges else None
        for r in self.rows.values():
            r.histogram.set_max_ms(hist_max)
        self._update_explain()

    @Slot(float, float)
    def _on_view_changed(self, t0_ms: float, ms_per_px: float) -> None:
        """Zooming one timeline zooms the others while they share a scale."""
        if self._linking or self.fit_each.isChecked():
            return
        source = self.sender()
        self._linking = True
        try:
            for r in self.rows.values():
                if r.timeline is source:
                    continue
                if isinstance(source, TimelineView) and source.model.follow:
                    r.timeline.fit()  # the user asked for a fit: fit all (same domain, same scale)
                else:
                    r.timeline.set_view(t0_ms, ms_per_px)
        finally:
            self._linking = False


    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc stops a comparison that is running, and closes the window once it is not."""
        if event.key() == Qt.Key.Key_Escape:
            if self.task is not None and not self.task.done():
                self.cancel()
            else:
                self.close()
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.task is not None and not self.task.done():
            self.cancel()
        super().closeEvent(event)
