"""The one adapter between a core run and Qt: observer events in, batched signals out.

The run itself happens in the engine process (:mod:`core.run.host`), in every mode: the GUI
thread only does GUI work (fifty ``requests`` threads in this process held it up 79–159 ms).
Its events arrive on the loop's thread (= the Qt thread under qasync) in batches; widgets get
them at most ten times a second, folded together (the latest state per row), so a fast run
never floods the window with repaints.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection, Iterable, Mapping

from PySide6.QtCore import QObject, QTimer, Signal

from core.model import FetchResult, Progress, RunStarted, RunSummary
from core.run.host import EngineError, EngineHost, RemoteRun
from core.run.recording import JournalTarget
from core.settings import Settings
from core.urls import Batch
from gui.app.heap import freeze_long_lived
from gui.app.stall_monitor import StallMonitor

log = logging.getLogger(__name__)

FLUSH_MS = 100
FREEZE_EVERY = 250  # results between two gc.freeze() calls during a run (see gui.app.heap and _flush)


class RunController(QObject):
    """Runs one batch at a time (in the engine process) and reports it through Qt signals.

    Args:
        engine: the engine process to run in; by default the controller starts its own at the first run
            (or :meth:`warm_up`) and ends it in :meth:`shutdown`.
        parent: the owning QObject.

    Signals:
        started(RunStarted): the run began (emitted at once, before any ``updated``).
        updated(list[Progress], list[FetchResult]): what changed since the last tick.
        clock(float): the run clock in milliseconds, every tick while running.
        finished(RunSummary): the run ended or was stopped (after a final ``updated``).
        failed(str): the run itself crashed (a bug); the message says why.
    """

    started = Signal(object)
    updated = Signal(list, list)
    clock = Signal(float)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, engine: EngineHost | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._own_engine = engine is None
        self.engine = engine or EngineHost()
        self.stall = StallMonitor(parent=self)
        self._timer = QTimer(self)
        self._timer.setInterval(FLUSH_MS)
        self._timer.timeout.connect(self._flush)
        self._run: RemoteRun | None = None
        self._task: asyncio.Task[RunSummary | None] | None = None
        self._progress: dict[int, Progress] = {}
        self._results: list[FetchResult] = []
        self.batch: Batch | None = None
        self.kept: Collection[int] = frozenset()  # input indices of the run whose results were kept
        self.total = 0
        self.done = 0
        self._frozen_at = 0
        self.summary: RunSummary | None = None
        self._error = ""

    # -- control ----------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    @property
    def run(self) -> RemoteRun | None:
        return self._run

    async def warm_up(self) -> None:
        """Start the engine process now (it takes a moment to import and to warm its parsers).

        Raises:
            EngineError: it could not start.
        """
        await self.engine.start()

    def now_ms(self) -> float:
        return self._run.now_ms() if self._run is not None else 0.0

    def start(
        self,
        batch: Batch,
        settings: Settings,
        only: Iterable[int] | None = None,
        prior: Mapping[int, FetchResult] | None = None,
        journal: JournalTarget | None = None,
    ) -> asyncio.Task[RunSummary | None]:
        """Start a run on the running loop; the returned task ends with its summary.

        ``journal``: where the engine process records the run (this process runs no journal writer),
        and the rows it keeps from an earlier run (read from the journal there). ``prior``: kept
        results sent along instead, for a run without a journal.

        Raises:
            RuntimeError: a run is still going.
        """
        if self.running:
            raise RuntimeError("a run is already in progress")
        self.batch = batch
        # Rows whose results come from an earlier run (a bitmap for a journal's: one bit a row).
        self.kept = journal.keep if journal is not None and journal.keep is not None else frozenset(prior or ())
        self.summary = None
        self._error = ""
        self._progress.clear()
        self._results.clear()
        self.done = 0
        self._frozen_at = 0
        self.total = len(batch)
        self._run = self.engine.run(batch, settings, self, only=only, prior=prior, journal=journal)
        # The batch and what the window built for it live as long as the table: out of the full collections.
        freeze_long_lived("run start", young_first=True)
        self.stall.start()
        self._timer.start()
        self._task = asyncio.ensure_future(self._execute(self._run))
        self._task.add_done_callback(self._task_done)
        log.info("run started: %d URLs, %s, %d workers", len(batch), settings.mode, settings.workers)
        return self._task

    def stop(self, by_user: bool = False) -> None:
        """Stop the run; finished rows are kept, the rest become ``cancelled``.

        ``by_user``: the user's Stop; the journal records the run as ``stopped``, else (the window
        closing, a signal) as ``interrupted``.
        """
        if self._run is not None and self.running:
            self._run.cancel(stopped=by_user)

    async def wait(self) -> RunSummary | None:
        """Wait for the current run (if any) to end."""
        if self._task is None:
            return None
        return await asyncio.shield(self._task) if not self._task.done() else self._task.result()

    async def shutdown(self) -> None:
        """Stop any run and wait until it has ended; then end the engine process if this controller owns it."""
        self.stop()
        if self._task is not None and not self._task.done():
            try:
                await asyncio.wait_for(asyncio.shield(self._task), timeout=10)
            except TimeoutError:
                log.warning("run did not stop within 10 s; cancelling its task")
                self._task.cancel()
                await asyncio.gather(self._task, return_exceptions=True)
        self._timer.stop()
        self.stall.stop()
        if self._own_engine:
            await self.engine.close()

    async def _execute(self, run: RemoteRun) -> RunSummary | None:
        try:
            return await run.execute()
        except asyncio.CancelledError:
            raise
        except EngineError as exc:
            log.error("run failed: %s", exc)
            self._error = str(exc)
            return None
        except Exception as exc:
            log.exception("run crashed")
            self._error = f"{type(exc).__name__}: {exc}"
            return None

    def _task_done(self, task: asyncio.Task[RunSummary | None]) -> None:
        # A done-callback, so that ``running`` is already False for every slot of ``finished``.
        if task is not self._task:
            return
        self._flush()
        self._timer.stop()
        self.stall.stop()
        summary = None if task.cancelled() else task.result()
        self.summary = summary
        if summary is not None:
            log.info(
                "run finished: %d ok, %d failed, %d cancelled in %.2f s (worst UI stall %.0f ms)",
                summary.ok,
                summary.failed,
                summary.cancelled,
                summary.wall_s,
                self.stall.worst_ms,
            )
            self.finished.emit(summary)
        else:
            self.failed.emit(self._error or self.tr("the run was cancelled"))

    def _flush(self) -> None:
        if self.done - self._frozen_at >= FREEZE_EVERY:
            # The rows of a big run live as long as the table: take them out of the full
            # collections, which otherwise walk every row (10 of them, 803 ms in all, during
            # 30,000 rows measured; 2 and 86 ms with a freeze every 2,000 results). A full
            # collection walks what arrived since the last freeze: 77 ms measured at 2,000 rows of
            # 100 KB pages, so freeze often (it costs a young collection, about a millisecond).
            self._frozen_at = self.done
            freeze_long_lived("run results", young_first=True)
        if self._progress or self._results:
            progress = list(self._progress.values())
            results = self._results
            self._progress = {}
            self._results = []
            self.updated.emit(progress, results)
        if self._run is not None and self._timer.isActive():
            self.clock.emit(self._run.now_ms())

    # -- observer protocol (called on the loop's thread) --------------------------------------
    def on_start(self, info: RunStarted) -> None:
        self.total = info.total
        self.started.emit(info)

    def on_progress(self, progress: Progress) -> None:
        self._progress[progress.input_index] = progress

    def on_result(self, result: FetchResult) -> None:
        self._progress.pop(result.input_index, None)
        self._results.append(result)
        self.done += 1

    def on_finish(self, summary: RunSummary) -> None:
        pass  # reported from the task's done-callback, once ``running`` is False
