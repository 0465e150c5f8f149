"""The coordinator of a cluster run: shards out, results back, one journal and one set of outputs.

The coordinator reads the input, records what needs no request (invalid URLs, duplicates,
results kept from an earlier run), submits one task per shard (:mod:`core.cluster.shards`) and
takes results back with ``as_completed`` as shards finish. It alone reports to the observer
(the journal, a progress bar); the outputs are then written from the journal in input order,
so they are the same file a run on one machine writes.

A worker that dies loses its running shard: the scheduler runs it again on another worker
(``distributed.scheduler.allowed-failures``); a shard that still fails is submitted again up to
``RESUBMIT`` times, then its URLs become ``other`` errors. A result for an index already
recorded is dropped, so nothing is recorded twice; a shard's results are recorded only when the
whole shard is back, so a URL is fetched a second time only if its first result was never
recorded.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import tempfile
import threading
import time
import uuid
import zipfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from core.cluster.address import INSTALL_HINT, parse_cluster
from core.cluster.shards import SHARD_SIZE, Shard, plan_shards
from core.cluster.worker import fetch_shard
from core.model import ErrorKind, FetchResult, RunStarted, RunSummary, Timings
from core.run.observer import NullObserver, RunObserver
from core.run.sketch import StreamStats
from core.settings import Settings
from core.urls import UrlEntry

log = logging.getLogger(__name__)

RESUBMIT = 2  # extra submissions of a shard whose task failed (beyond the scheduler's own reruns)
MIN_CONNECT_S = 1.0  # the scheduler gets the run's connect timeout, but at least this long
POLL_S = 0.05  # how often the coordinator looks for finished shards (and a cancel) while it waits


class ClusterError(Exception):
    """The cluster could not be reached or started (message fit to show a person)."""


def _upload_code(client: Any) -> None:
    """Send this Fetchlens's ``core`` package to the scheduler and workers (they need only its requirements).

    Workers on other machines would otherwise need the same checkout on their ``sys.path``; the
    plugin also gives the package to workers that join (or restart) later.
    """
    import core

    root = Path(core.__file__).resolve().parent
    with tempfile.TemporaryDirectory(prefix="fetchlens-upload-") as tmp:
        archive = Path(tmp) / "fetchlens_core.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
            for path in sorted(root.rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    z.write(path, path.relative_to(root.parent).as_posix())
        if client.run_on_scheduler(os.getpid) != os.getpid():
            client.upload_file(str(archive))  # the scheduler unpickles task graphs, so it needs the code too
        else:
            # A scheduler in this very process has our code; loading the archive there would swap
            # this process's own ``core`` package for a zip that is gone after the run.
            from distributed.diagnostics.plugin import UploadFile

            client.register_plugin(UploadFile(str(archive), load=True), name=f"fetchlens-core-{uuid.uuid4().hex}")


class ClusterRun:
    """Fetch entries on a Dask cluster, reporting like :class:`core.run.engine.Run`.

    Args:
        cluster: ``local:N`` (a ``LocalCluster`` of N worker processes, started and stopped
            here) or a running scheduler's address (``tcp://host:port``).
        entries: the input in order (any iterable; read once).
        total: the number of entries.
        settings: how workers fetch; ``per_host`` makes shards keep hosts whole.
        observer: every event (results in the order shards finish).
        prior: results already known (resume, retry): reported, not fetched.
        repeated: indices whose result later duplicates copy.
        shard_size: most URLs per shard when hosts may be split.
        behind: how many results a consumer in another thread still holds (e.g.
            :meth:`core.store.JournalWriter.behind`); while it is ``settings.reorder_window`` or more,
            no further shard's results are taken from the cluster (they wait on the workers), so
            the coordinator's memory stays bounded as in a streamed run (:class:`core.run.stream.StreamRun`).
    """

    def __init__(
        self,
        cluster: str,
        entries: Iterable[UrlEntry],
        total: int,
        settings: Settings,
        observer: RunObserver | None = None,
        prior: Mapping[int, FetchResult] | None = None,
        repeated: Iterable[int] = (),
        shard_size: int = SHARD_SIZE,
        behind: Callable[[], int] | None = None,
    ) -> None:
        self.address, self.local_workers = parse_cluster(cluster)
        self._entries = entries
        self.total = total
        self.settings = settings
        self.observer: RunObserver = observer or NullObserver()
        self._prior = prior or {}
        self._repeated = set(repeated)
        self.shard_size = shard_size
        self._behind = behind or (lambda: 0)
        self.behind_waits = 0  # how often taking a shard's results waited for the consumer
        self.stats = StreamStats()
        self._recorded: set[int] = set()
        self._originals: dict[int, FetchResult] = {}
        self._waiting: dict[int, list[UrlEntry]] = {}
        self._t0 = 0.0
        self._cancelled = False
        self._stop = threading.Event()
        self.summary: RunSummary | None = None
        self.workers: list[str] = []  # addresses of the workers seen at the start
        self.resubmitted = 0

    def now_ms(self) -> float:
        return (time.perf_counter() - self._t0) * 1000.0 if self._t0 else 0.0

    def cancel(self) -> None:
        """Stop: shards not back yet are cancelled on the cluster and become ``cancelled`` rows.

        Thread-safe and quick: it only raises a flag the coordinator looks at every ``POLL_S``.
        """
        self._cancelled = True
        self._stop.set()

    # -- the run -------------------------------------------------------------------------
    def execute(self) -> RunSummary:
        """Run to the end (blocking) and return the summary.

        Raises:
            ClusterError: dask.distributed is not installed, the scheduler cannot be reached or
                the local cluster cannot start.
        """
        try:
            import distributed  # the optional dependency: only a cluster run needs it
        except ImportError as exc:
            raise ClusterError(
                f"running on a Dask cluster needs dask.distributed, which is not installed ({INSTALL_HINT})"
            ) from exc

        # distributed configures its own INFO logging on import; follow the command line's level.
        logging.getLogger("distributed").setLevel(logging.getLogger().getEffectiveLevel())
        cluster = None
        try:
            if self.address is None:
                cluster = distributed.LocalCluster(
                    n_workers=self.local_workers, threads_per_worker=1, processes=True, dashboard_address=None
                )
                client = distributed.Client(cluster)
            else:
                client = distributed.Client(self.address, timeout=max(self.settings.connect_timeout, MIN_CONNECT_S))
                _upload_code(client)
        except (OSError, TimeoutError) as exc:
            if cluster is not None:
                cluster.close()
            raise ClusterError(f"cannot reach the Dask scheduler {self.address or 'local'}: {exc}") from exc
        try:
            with client:
                return self._execute(client, distributed)
        finally:
            if cluster is not None:
                cluster.close()

    def _execute(self, client: Any, distributed: Any) -> RunSummary:
        s = self.settings
        self.workers = sorted(client.scheduler_info().get("workers", {}))
        log.info("cluster %s with %d workers", client.scheduler.address, len(self.workers))
        self._t0 = time.perf_counter()
        epoch = time.time()
        self._emit("on_start", RunStarted(s.mode, self.total, (), s.workers, epoch))
        to_fetch: list[tuple[int, str]] = []
        for entry in self._entries:  # read to the end even after a stop: every row gets its result
            if entry.index in self._prior:
                self._record(self._prior[entry.index])
            elif not entry.valid:
                self._record(
                    FetchResult(
                        entry.index,
                        entry.raw,
                        s.mode,
                        error_kind=ErrorKind.INVALID_URL,
                        error=entry.error,
                        timings=Timings(self.now_ms(), finished_ms=self.now_ms()),
                    )
                )
            elif self._cancelled:
                self._record(self._stopped(entry.index, entry.url))
            elif entry.duplicate_of is not None and not s.fetch_duplicates and entry.duplicate_of in self._repeated:
                orig = self._originals.get(entry.duplicate_of)
                if orig is not None:
                    self._record(self._as_duplicate(orig, entry))
                else:
                    self._waiting.setdefault(entry.duplicate_of, []).append(entry)
            else:
                to_fetch.append((entry.index, entry.url))
        if self._cancelled:  # stopped while the input was read: nothing goes to the cluster
            for idx, url in to_fetch:
                self._record(self._stopped(idx, url))
            to_fetch = []
        groups = max(2 * max(1, len(self.workers)), 1)
        shards = plan_shards(to_fetch, s, groups, self.shard_size)
        del to_fetch
        log.info("%d URLs in %d shards", sum(len(sh.items) for sh in shards), len(shards))
        settings = s  # each shard runs at the run's concurrency in its worker
        futures: dict[Any, tuple[Shard, int]] = {}
        for shard in shards:
            fut = client.submit(
                fetch_shard, shard.items, settings, epoch, key=f"fetchlens-{shard.key}-{epoch:.6f}", pure=False
            )
            futures[fut] = (shard, 0)
        pending = distributed.as_completed(list(futures))
        try:
            while not self._cancelled:
                if self._behind() >= s.reorder_window:  # the journal is behind: leave results on the workers
                    self.behind_waits += 1
                    self._stop.wait(POLL_S)
                    continue
                if not pending.has_ready():
                    if pending.is_empty():
                        break
                    self._stop.wait(POLL_S)  # a cancel() ends the wait at once
                    continue
                fut = next(pending)
                shard, tries = futures.pop(fut)
                try:
                    results: list[FetchResult] = fut.result()
                except Exception as exc:  # noqa: BLE001 - KilledWorker or any worker-side crash: run the shard again
                    if tries < RESUBMIT and not self._cancelled:
                        log.warning("shard %s failed (%s); submitting it again", shard.key, exc)
                        self.resubmitted += 1
                        again = client.submit(
                            fetch_shard,
                            shard.items,
                            settings,
                            epoch,
                            key=f"fetchlens-{shard.key}-{epoch:.6f}-{tries + 1}",
                            pure=False,
                        )
                        futures[again] = (shard, tries + 1)
                        pending.add(again)
                        continue
                    results = [
                        self._failed(idx, url, f"shard failed on the cluster: {exc!r}") for idx, url in shard.items
                    ]
                finally:
                    fut.release()
                for r in results:
                    self._record(r)
                if self._cancelled:
                    break
        except KeyboardInterrupt:
            self._cancelled = True
        if futures:
            client.cancel(list(futures))
            for shard, _tries in futures.values():
                for idx, url in shard.items:
                    self._record(self._stopped(idx, url))
        for dups in list(self._waiting.values()):
            for entry in dups:
                self._record(self._stopped(entry.index, entry.url))
        self._waiting.clear()
        self.summary = self.stats.summary(s.mode, self.total, self.now_ms() / 1000.0, interrupted=self._cancelled)
        self._emit("on_finish", self.summary)
        return self.summary

    # -- results -------------------------------------------------------------------------
    def _failed(self, idx: int, url: str, error: str) -> FetchResult:
        now = self.now_ms()
        return FetchResult(
            idx, url, self.settings.mode, error_kind=ErrorKind.OTHER, error=error, timings=Timings(now, finished_ms=now)
        )

    def _stopped(self, idx: int, url: str) -> FetchResult:
        now = self.now_ms()
        return FetchResult(
            idx,
            url,
            self.settings.mode,
            error_kind=ErrorKind.CANCELLED,
            error="stopped before this URL finished",
            timings=Timings(now, finished_ms=now),
        )

    @staticmethod
    def _as_duplicate(orig: FetchResult, entry: UrlEntry) -> FetchResult:
        return dataclasses.replace(orig, input_index=entry.index, url=entry.url, duplicate_of=orig.input_index)

    def _record(self, result: FetchResult) -> None:
        idx = result.input_index
        if idx in self._recorded:
            log.info("dropping a second result for row %d (its shard ran twice)", idx)
            return
        self._recorded.add(idx)
        self.stats.add(result, kept=idx in self._prior)  # kept results count, but not in times
        try:
            self.observer.on_result(result)
        except Exception:
            log.exception("observer on_result failed")
        if idx in self._repeated and result.duplicate_of is None:
            self._originals[idx] = result
            for dup in self._waiting.pop(idx, ()):
                self._record(self._as_duplicate(result, dup))

    def _emit(self, name: str, arg: object) -> None:
        try:
            getattr(self.observer, name)(arg)
        except Exception:
            log.exception("observer %s failed", name)
