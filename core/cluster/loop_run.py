"""A cluster run for an event loop (the window): the interface of :class:`core.run.engine.Run`.

:class:`~core.cluster.coordinator.ClusterRun` blocks, so it runs in a thread of its own; its
observer events are queued there and handed to the loop's thread in batches (one
``call_soon_threadsafe`` per batch, not per event), in the order they happened. The clock is
the coordinator's: result times and :meth:`LoopClusterRun.now_ms` both count from the moment
the coordinator started the run on the cluster.

:func:`make_run` picks the run class from the settings: ``settings.cluster`` empty runs on this
computer (:class:`core.run.engine.Run`), ``local:N`` or ``tcp://host:port`` on a Dask cluster.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import threading
from collections.abc import Iterable, Mapping

from core.cluster.shards import SHARD_SIZE
from core.model import ErrorKind, FetchResult, RunStarted, RunSummary, Timings
from core.parse.pool import Extractor
from core.run.engine import Run
from core.run.observer import NullObserver, RunObserver
from core.settings import Settings
from core.urls import Batch

log = logging.getLogger(__name__)


class _ToLoop:
    """An observer called from the coordinator's thread that replays every event on ``loop``.

    Events wait in a list; the first one of a batch schedules one flush on the loop, which takes
    everything gathered by then. ``wrap`` passes each event through the run first.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop, deliver: RunObserver) -> None:
        self._loop = loop
        self._deliver = deliver
        self._lock = threading.Lock()
        self._events: list[tuple[str, object]] = []
        self.batches = 0

    def _put(self, name: str, arg: object) -> None:
        with self._lock:
            first = not self._events
            self._events.append((name, arg))
        if first:
            try:
                self._loop.call_soon_threadsafe(self.flush)
            except RuntimeError:  # the loop is closed: nobody is listening any more
                log.debug("event loop closed; dropping run events")

    def flush(self) -> None:
        """Deliver every queued event (on the loop's thread)."""
        with self._lock:
            events, self._events = self._events, []
        if events:
            self.batches += 1
        for name, arg in events:
            try:
                getattr(self._deliver, name)(arg)
            except Exception:
                log.exception("observer %s failed", name)

    def on_start(self, info: RunStarted) -> None:
        self._put("on_start", info)

    def on_progress(self, progress: object) -> None:
        self._put("on_progress", progress)

    def on_result(self, result: FetchResult) -> None:
        self._put("on_result", result)

    def on_finish(self, summary: RunSummary) -> None:
        self._put("on_finish", summary)


class LoopClusterRun:
    """Fetch a batch on a Dask cluster, awaited on an event loop like :class:`core.run.engine.Run`.

    Args:
        batch: the parsed input; invalid entries become ``invalid_url`` results.
        settings: how to fetch; ``settings.cluster`` says where (``local:N`` or ``tcp://host:port``).
        observer: receives start, result and finish events on the loop's thread (no byte progress:
            shards report when they are done).
        extractor: unused (workers parse in their own processes); accepted for the same signature.
        only: fetch just these input indices (resume, retry failed); others come from ``prior``.
        prior: results already known (from the journal); reported, not fetched again.
        shard_size: most URLs per shard when hosts may be split (:mod:`core.cluster.shards`).

    Attributes:
        results: one slot per input row, filled as results arrive (``None`` until then).
        summary: the summary once :meth:`execute` returned.
    """

    def __init__(
        self,
        batch: Batch,
        settings: Settings,
        observer: RunObserver | None = None,
        extractor: Extractor | None = None,
        only: Iterable[int] | None = None,
        prior: Mapping[int, FetchResult] | None = None,
        shard_size: int = SHARD_SIZE,
    ) -> None:
        from core.cluster.coordinator import ClusterRun  # no Dask import here: that waits for execute()

        del extractor
        self.batch = batch
        self.settings = settings
        self.observer: RunObserver = observer or NullObserver()
        self.results: list[FetchResult | None] = [None] * len(batch)
        self._prior: Mapping[int, FetchResult] = prior if prior is not None else {}  # read, never copied
        wanted = None if only is None else set(only) | set(self._prior)
        self._entries = [e for e in batch.entries if wanted is None or e.index in wanted]
        repeated = {e.duplicate_of for e in batch.entries if e.duplicate_of is not None}
        self._relay: _ToLoop | None = None
        self._cluster = ClusterRun(
            settings.cluster,
            self._entries,
            len(batch),
            settings,
            None,
            prior=self._prior,
            repeated=repeated,
            shard_size=shard_size,
        )
        self._cancelled = False
        self.summary: RunSummary | None = None

    # -- clock and control ---------------------------------------------------------------
    def now_ms(self) -> float:
        """Milliseconds since the coordinator started the run (0 while the cluster starts)."""
        return self._cluster.now_ms()

    def cancel(self) -> None:
        """Stop: finished rows stay, the rest become ``cancelled`` (returns at once; thread-safe)."""
        self._cancelled = True
        self._cluster.cancel()

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    @property
    def workers(self) -> list[str]:
        """The workers' addresses seen when the run started."""
        return self._cluster.workers

    # -- the run -------------------------------------------------------------------------
    async def execute(self) -> RunSummary:
        """Run the batch on the cluster to the end (or until :meth:`cancel`) and return the summary.

        Raises:
            ClusterError: dask.distributed is missing, or the cluster cannot be reached or started
                (the message is fit to show a person).
        """
        loop = asyncio.get_running_loop()
        relay = self._relay = _ToLoop(loop, _Deliver(self))
        self._cluster.observer = relay
        done: asyncio.Future[RunSummary] = loop.create_future()

        def settle(value: RunSummary | None, error: BaseException | None) -> None:
            relay.flush()  # every event before the end, in order
            if done.done():
                return
            if error is not None:
                done.set_exception(error)
            else:
                done.set_result(value)  # type: ignore[arg-type]

        def work() -> None:
            try:
                summary = self._cluster.execute()
            except BaseException as exc:  # noqa: BLE001 - handed to the awaiting task
                loop.call_soon_threadsafe(settle, None, exc)
            else:
                loop.call_soon_threadsafe(settle, summary, None)

        thread = threading.Thread(target=work, name="cluster-coordinator", daemon=True)
        thread.start()
        try:
            summary = await asyncio.shield(done)
        except asyncio.CancelledError:
            self.cancel()  # the task was cancelled: the coordinator stops within POLL_S and closes the cluster
            raise
        finally:
            if thread.is_alive():
                await asyncio.to_thread(thread.join)
        return self.summary or summary

    def finish_cancelled(self, summary: RunSummary) -> RunSummary:
        """Report rows a stop left without a result (not read from the input yet) as ``cancelled``.

        Returns:
            ``summary`` counting those rows too.
        """
        now = self.now_ms()
        added = 0
        for e in self._entries:
            if self.results[e.index] is None:
                r = FetchResult(
                    e.index,
                    e.url or e.raw,
                    self.settings.mode,
                    error_kind=ErrorKind.CANCELLED,
                    error="stopped before this URL finished",
                    timings=Timings(now, finished_ms=now),
                )
                self.results[e.index] = r
                added += 1
                try:
                    self.observer.on_result(r)
                except Exception:
                    log.exception("observer on_result failed")
        if not added:
            return summary
        kinds = dict(summary.by_error_kind)
        kinds[str(ErrorKind.CANCELLED)] = kinds.get(str(ErrorKind.CANCELLED), 0) + added
        return dataclasses.replace(
            summary, cancelled=summary.cancelled + added, by_error_kind=dict(sorted(kinds.items()))
        )


class _Deliver:
    """The loop-side end: completes the start event, keeps ``results`` and passes events on."""

    def __init__(self, run: LoopClusterRun) -> None:
        self._run = run

    def on_start(self, info: RunStarted) -> None:
        entries = self._run.batch.entries
        info = dataclasses.replace(
            info, urls=tuple(e.url or e.raw for e in entries), lines=tuple(e.line for e in entries)
        )
        self._run.observer.on_start(info)

    def on_progress(self, progress: object) -> None:
        self._run.observer.on_progress(progress)  # type: ignore[arg-type]

    def on_result(self, result: FetchResult) -> None:
        self._run.results[result.input_index] = result
        self._run.observer.on_result(result)

    def on_finish(self, summary: RunSummary) -> None:
        summary = self._run.summary = self._run.finish_cancelled(summary)
        self._run.observer.on_finish(summary)


def make_run(
    batch: Batch,
    settings: Settings,
    observer: RunObserver | None = None,
    extractor: Extractor | None = None,
    only: Iterable[int] | None = None,
    prior: Mapping[int, FetchResult] | None = None,
    keep_results: bool = True,
) -> Run | LoopClusterRun:
    """The run for ``settings``: on this computer, or on the Dask cluster ``settings.cluster`` names.

    Both have ``async execute() -> RunSummary``, ``cancel()``, ``now_ms()`` and ``results``, and
    call the observer on the loop's thread. Arguments as for :class:`core.run.engine.Run`
    (``keep_results`` is for a run here only).

    Raises:
        ValueError: ``settings.cluster`` is not a cluster address (``Settings.validate`` says so first).
    """
    if not settings.cluster:
        return Run(batch, settings, observer, extractor=extractor, only=only, prior=prior, keep_results=keep_results)
    return LoopClusterRun(batch, settings, observer, extractor=extractor, only=only, prior=prior)
