"""Runs happen in one helper process (the "engine process"), so the app's GUI thread only does GUI work.

A run in the window's own process shares the GIL and the CPU with the window: fifty ``requests`` threads
held its event loop up to 159 ms (threads mode, 2,000 × 100 KB pages), and the aiohttp loop, the pool's
queues and full garbage collections of a 100,000-row run did the same in async mode. Here the whole run
— :class:`core.run.engine.Run` with its aiohttp session, its ``requests`` threads and its extraction pool
— lives in a child process started once (``spawn``: no Qt state is inherited) and reused, so the pool
stays warm. The app side sees a :class:`RemoteRun` with the interface of ``Run`` (``execute()``,
``cancel()``, ``now_ms()``, ``results``, ``summary``) that calls the same observer methods, in the same
order, on the event loop's thread.

Wire format (``multiprocessing.Connection``, pickled tuples; secrets in the settings travel only here):

* app → engine: ``("entries", run_id, [entry fields, ...])`` and ``("prior", run_id, [FetchResult, ...])``
  in chunks (pickling 100,000 entries at once took 0.6 s of the GUI thread), then
  ``("run", run_id, settings, only, journal)`` where ``journal`` is a
  :class:`core.run.recording.JournalTarget` or ``None``; ``("started", run_id)`` once the app has handled
  ``on_start`` (the run waits for it, as it did in the window's thread); ``("cancel", run_id, stopped)``
  (``stopped``: the user's Stop, recorded as such; else the app is closing); ``("quit",)``.
* engine → app: ``("ready", pid)`` once its parser processes are warm; ``("events", run_id, clock_ms,
  [(observer method, event), ...])`` every ``FLUSH_S`` or ``MAX_EVENTS`` events (``on_start`` at once,
  without the URLs and lines the app sent: :class:`RemoteRun` reads them from its own batch);
  ``("finished", run_id, clock_ms, summary)``; ``("failed", run_id, message)``.

A run given a ``journal`` is recorded by the engine (:class:`core.run.recording.Recording`): its writer
thread and its reads of kept results never share the GIL with the window, and the run's record is
finished before ``"finished"`` is sent. ``prior`` results travel only for a run without a journal.

The app's end of the pipe is read by a thread that hands each message to the loop
(``call_soon_threadsafe``) and written by another, so the GUI thread never blocks on the pipe. The engine
exits when the pipe closes: the app quit, crashed or was killed, nothing is left running (its parser
processes follow it, see :mod:`core.parse.pool`); runs being recorded are stopped first and recorded as
``interrupted`` (within ``QUIT_TIMEOUT_S``). A crash of the engine fails the runs going on with
:class:`EngineError`; the next run starts a new engine.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import dataclasses
import logging
import multiprocessing
import os
import pickle
import queue
import signal
import sys
import threading
import time
import weakref
from collections.abc import Iterable, Mapping
from multiprocessing.connection import Connection
from operator import attrgetter
from typing import Any

from core.model import FetchResult, RunStarted, RunSummary
from core.run.engine import STREAM_STATS_ABOVE
from core.run.observer import MultiObserver, NullObserver, RunObserver
from core.run.recording import JournalTarget, Recording
from core.settings import Settings
from core.urls import Batch, EntryColumn, PackedEntries, UrlEntry, shown_url

log = logging.getLogger(__name__)

FLUSH_S = 0.05  # the engine sends its buffered events at least this often
MAX_EVENTS = 256  # ... and at once when this many wait (bounds one message's unpickling on the app side)
START_ACK_S = 10.0  # the most a run waits for the app to have handled its start (see _Outbox.on_start)
ENTRY_CHUNK = 2_000  # batch entries per message (~4 ms of pickling on the GUI thread)
PRIOR_CHUNK = 500  # prior results per message
START_TIMEOUT_S = 120.0  # spawning the engine and warming its parser processes, on a busy machine
QUIT_TIMEOUT_S = 5.0  # an engine asked to quit is killed after this long
# The engine yields the CPU to the window when both want it (its parser processes go 10 lower still), as the
# parser processes do: when the engine ran beside the window at the same priority, the window's thread waited
# for a core (p99 stall 72-78 ms, against 35-55 ms at nice 10, async, 2,000 × 100 KB, load 11-12).
ENGINE_NICE = 10

_ENTRY_FIELDS = tuple(f.name for f in dataclasses.fields(UrlEntry))
_entry_fields = attrgetter(*_ENTRY_FIELDS)  # entries travel as plain tuples: 3× cheaper to pickle


class EngineError(RuntimeError):
    """The engine process failed: it crashed, was killed, or could not start; the message says which."""


def _dumps(message: tuple[Any, ...]) -> bytes:
    return pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "it stopped answering"
    if code < 0:
        return f"killed by signal {-code}"
    return f"exit status {code}"


class RemoteRun:
    """One run in the engine process, seen from the app: the interface of :class:`core.run.engine.Run`.

    Made by :meth:`EngineHost.run`. Observer calls happen on the event loop's thread, in the order the
    engine made them, batched in time (up to ``FLUSH_S`` late) but never reordered.

    Attributes:
        results: every result received so far, by input index (``None`` until its row finished), for a
            batch of at most :data:`core.run.engine.STREAM_STATS_ABOVE` URLs; above that none is kept
            (all stay ``None``): the observer has each one as it arrives, and the window's table reads
            a big run's rows from the journal. (At 1,000,000 URLs they were ~1 KB a row in the window.)
        summary: the summary once :meth:`execute` returned.
    """

    def __init__(
        self,
        host: EngineHost,
        batch: Batch,
        settings: Settings,
        observer: RunObserver | None,
        only: Iterable[int] | None,
        prior: Mapping[int, FetchResult] | None,
        journal: JournalTarget | None = None,
    ) -> None:
        self._host = host
        self.batch = batch
        self.settings = settings
        self.observer: RunObserver = observer or NullObserver()
        self._only = None if only is None else sorted(set(only))
        self._prior = list((prior or {}).values())
        self.journal = journal
        self.results: list[FetchResult | None] = [None] * len(batch)
        self._keep = len(batch) <= STREAM_STATS_ABOVE
        self.summary: RunSummary | None = None
        self.run_id = 0
        self._sent = False
        self._cancelled = False
        self._stopped = False
        self._done: asyncio.Future[RunSummary] | None = None
        self._offset_ms: float | None = None  # app clock − engine run clock, least delayed sample

    # -- the Run interface ------------------------------------------------------------------
    def now_ms(self) -> float:
        """Milliseconds on the run's clock (the engine's), estimated from the messages' time stamps."""
        if self._offset_ms is None:
            return 0.0
        return time.perf_counter() * 1000.0 - self._offset_ms

    def cancel(self, stopped: bool = False) -> None:
        """Stop the run: finished results stay, everything else becomes ``cancelled``.

        ``stopped``: the user asked (Stop, Esc); a recorded run is then ``stopped``, else ``interrupted``
        (see :meth:`core.store.Journal.finish_run`).
        """
        if self._cancelled:
            return
        self._cancelled = True
        self._stopped = stopped
        if self._sent:
            self._host._send(("cancel", self.run_id, stopped))

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    async def execute(self) -> RunSummary:
        """Hand the batch to the engine and return the summary when it is done (or stopped).

        Raises:
            EngineError: the engine could not start, crashed or was killed during the run.
        """
        loop = asyncio.get_running_loop()
        await self._host.start()
        self._done = loop.create_future()
        self.run_id = self._host._register(self)
        try:
            entries = self.batch.entries
            for i in range(0, len(entries), ENTRY_CHUNK):  # a chunk per loop iteration: the window stays live
                self._host._send(("entries", self.run_id, list(map(_entry_fields, entries[i : i + ENTRY_CHUNK]))))
                await asyncio.sleep(0)
            for i in range(0, len(self._prior), PRIOR_CHUNK):
                self._host._send(("prior", self.run_id, self._prior[i : i + PRIOR_CHUNK]))
                await asyncio.sleep(0)
            self._host._send(("run", self.run_id, self.settings, self._only, self.journal))
            self._sent = True
            if self._cancelled:
                self._host._send(("cancel", self.run_id, self._stopped))
            return await self._done
        except asyncio.CancelledError:
            if self._sent and not self._done.done():
                self._host._send(("cancel", self.run_id, False))
            raise
        finally:
            self._host._unregister(self.run_id)
            if self._done.done() and not self._done.cancelled():
                self._done.exception()  # retrieved (the engine may have died while the batch was sent)

    # -- from the engine (on the loop's thread) ----------------------------------------------
    def _clock(self, clock_ms: float, received: float) -> None:
        offset = received * 1000.0 - clock_ms
        if self._offset_ms is None or offset < self._offset_ms:
            self._offset_ms = offset

    def _events(self, events: list[tuple[str, Any]]) -> None:
        observer = self.observer
        keep = self._keep
        for name, event in events:
            if keep and name == "on_result":
                self.results[event.input_index] = event
            elif name == "on_start":
                # Sent without its URLs and lines, which this batch holds: a million fresh strings from the
                # pipe were ~150 MB in the window and one unpickling that held the GIL.
                entries = self.batch.entries
                event = dataclasses.replace(event, urls=EntryColumn(entries, shown_url),
                                            lines=EntryColumn(entries, attrgetter("line")))
            try:
                getattr(observer, name)(event)
            except Exception:
                log.exception("observer %s failed", name)

    def _finished(self, summary: RunSummary) -> None:
        self.summary = summary
        try:
            self.observer.on_finish(summary)
        except Exception:
            log.exception("observer on_finish failed")
        if self._done is not None and not self._done.done():
            self._done.set_result(summary)

    def _failed(self, message: str) -> None:
        if self._done is not None and not self._done.done():
            self._done.set_exception(EngineError(message))


class EngineHost:
    """The app's side of the engine process: starts it, feeds it runs, reads its events.

    Args:
        workers: the engine's extraction processes (default: the number of CPUs).

    The process starts at the first :meth:`start` (or run) and is reused; :meth:`close` ends it.
    All methods are called on the event loop's thread.
    """

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers
        self._process: multiprocessing.process.BaseProcess | None = None
        self._conn: Connection | None = None
        self._outbox: queue.SimpleQueue[bytes | None] | None = None
        self._ready: asyncio.Future[int] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runs: dict[int, RemoteRun] = {}
        self._next_id = 0
        self._finalizer: weakref.finalize | None = None
        self._closing: multiprocessing.process.BaseProcess | None = None  # the engine close() is ending

    # -- public -----------------------------------------------------------------------------
    @property
    def pid(self) -> int | None:
        """The engine process's id, or ``None`` when it is not running."""
        p = self._process
        return p.pid if p is not None and p.is_alive() else None

    def run(
        self,
        batch: Batch,
        settings: Settings,
        observer: RunObserver | None = None,
        only: Iterable[int] | None = None,
        prior: Mapping[int, FetchResult] | None = None,
        journal: JournalTarget | None = None,
    ) -> RemoteRun:
        """A run of ``batch`` in the engine (the arguments of :class:`core.run.engine.Run`); call ``execute()``.

        ``journal``: record the run there, in the engine (the journal run exists already); its kept
        rows (``journal.keep``) are read from the journal there too, so give no ``prior`` with it.
        """
        return RemoteRun(self, batch, settings, observer, only, prior, journal)

    async def start(self) -> None:
        """Start the engine (if it is not running) and wait until its parser processes are warm.

        Raises:
            EngineError: it could not start within ``START_TIMEOUT_S``.
        """
        if self._process is None:
            self._spawn()
        assert self._ready is not None
        try:
            await asyncio.wait_for(asyncio.shield(self._ready), START_TIMEOUT_S)
        except TimeoutError:
            raise EngineError(f"the engine process did not start within {START_TIMEOUT_S:g} s") from None

    async def close(self) -> None:
        """Stop the engine: ask it to quit, wait up to ``QUIT_TIMEOUT_S``, then kill it."""
        proc, outbox = self._process, self._outbox
        if proc is None:
            return
        self._closing = proc
        if outbox is not None:
            outbox.put(_dumps(("quit",)))
            outbox.put(None)  # the writer thread ends after this
        await asyncio.to_thread(_end_process, proc, QUIT_TIMEOUT_S)
        self._ended(proc)

    # -- process -----------------------------------------------------------------------------
    def _spawn(self) -> None:
        self._loop = loop = asyncio.get_running_loop()
        ctx = multiprocessing.get_context("spawn")
        ours, theirs = ctx.Pipe(duplex=True)
        level = logging.getLogger().getEffectiveLevel()
        proc = ctx.Process(target=serve, args=(theirs, level, self.workers), name="fetchlens-engine", daemon=False)
        proc.start()  # spawn: a fork and exec, a few milliseconds
        theirs.close()  # only the engine holds its end now: the pipe closes when either side goes
        self._process, self._conn = proc, ours
        self._outbox = outbox = queue.SimpleQueue()
        self._ready = loop.create_future()
        threading.Thread(target=_write, args=(ours, outbox), name="engine-writer", daemon=True).start()
        threading.Thread(target=self._read, args=(ours, proc, loop), name="engine-reader", daemon=True).start()
        # Never outlive the app: multiprocessing joins a live non-daemon child at exit, which would wait forever.
        # (atexit directly: weakref's own exit hook may run after multiprocessing's.)
        self._finalizer = weakref.finalize(self, _end_process, proc, 0.0)
        atexit.register(self._finalizer)
        log.info("engine process %d started", proc.pid)

    def _forget(self, proc: multiprocessing.process.BaseProcess) -> None:
        if self._process is proc:
            self._process = self._conn = self._outbox = None
            self._ready = None

    def _send(self, message: tuple[Any, ...]) -> None:
        if self._outbox is None:
            raise EngineError("the engine process is not running")
        self._outbox.put(_dumps(message))  # pickled here (bounded by the chunk sizes), written by a thread

    def _register(self, run: RemoteRun) -> int:
        self._next_id += 1
        self._runs[self._next_id] = run
        return self._next_id

    def _unregister(self, run_id: int) -> None:
        self._runs.pop(run_id, None)

    # -- reading (a thread per engine; messages go to the loop) ------------------------------
    def _read(
        self, conn: Connection, proc: multiprocessing.process.BaseProcess, loop: asyncio.AbstractEventLoop
    ) -> None:
        while True:
            try:
                data = conn.recv_bytes()
                received = time.perf_counter()
                message = pickle.loads(data)
            except (EOFError, OSError):
                break
            try:
                loop.call_soon_threadsafe(self._dispatch, proc, message, received)
            except RuntimeError:  # the loop is closed: nobody is listening any more
                break
        proc.join(1.0)  # the pipe closed: the engine is ending; its exit status says how
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(self._ended, proc)
        with contextlib.suppress(OSError):
            conn.close()

    def _dispatch(self, proc: multiprocessing.process.BaseProcess, message: tuple[Any, ...], received: float) -> None:
        kind = message[0]
        if kind == "ready":
            if self._process is proc and self._ready is not None and not self._ready.done():
                self._ready.set_result(message[1])
            return
        run = self._runs.get(message[1])
        if kind == "events":
            if run is not None:  # else: a run that was given up (its task cancelled)
                run._clock(message[2], received)
                run._events(message[3])
            if message[3] and message[3][0][0] == "on_start" and self._outbox is not None:
                self._send(("started", message[1]))  # the window has built its rows: the engine goes on
            return
        if run is None:
            return
        if kind == "finished":
            run._clock(message[2], received)
            run._finished(message[3])
        elif kind == "failed":
            run._failed(message[2])

    def _ended(self, proc: multiprocessing.process.BaseProcess) -> None:
        """The engine's pipe closed: fail whatever was waiting on it."""
        if self._process is not proc:
            return
        if self._closing is proc:
            why = "the engine process was stopped"
        else:
            why = f"the engine process ended unexpectedly ({_describe_exit(proc.exitcode)})"
            log.error("%s", why)
        if self._ready is not None and not self._ready.done():
            self._ready.set_exception(EngineError(why))
            self._ready.exception()  # retrieved: start() re-raises it where it matters
        for run in list(self._runs.values()):
            run._failed(why)
        if self._outbox is not None:
            self._outbox.put(None)
        if proc.is_alive():  # its pipe broke but it lives on (never seen): it must not keep running
            proc.kill()
        if self._finalizer is not None:
            self._finalizer.detach()
            atexit.unregister(self._finalizer)
            self._finalizer = None
        self._forget(proc)


def _write(conn: Connection, outbox: queue.SimpleQueue[bytes | None]) -> None:
    """The writer thread: pickled messages to the pipe, in order, until ``None`` or the pipe breaks."""
    while (data := outbox.get()) is not None:
        try:
            conn.send_bytes(data)
        except OSError:
            return


def _end_process(proc: multiprocessing.process.BaseProcess, timeout: float) -> None:
    """Wait up to ``timeout`` seconds for ``proc`` to end, then kill it and reap it."""
    with contextlib.suppress(ValueError, AssertionError):  # already closed, or not started by us
        proc.join(timeout)
        if proc.is_alive():
            log.warning("engine process %d did not quit; killing it", proc.pid)
            proc.kill()
            proc.join(2.0)


# ---------------------------------------------------------------------------------------------
# The engine process's side.


class _Outbox:
    """The engine's observer: buffers a run's events and sends them in batches."""

    def __init__(self, run_id: int, send: Any, loop: asyncio.AbstractEventLoop) -> None:
        self.run_id = run_id
        self.run: Any = None
        self.started = threading.Event()  # set by the inbox thread when the app has handled ``on_start``
        self._send = send
        self._loop = loop
        self._buffer: list[tuple[str, Any]] = []
        self._timer: asyncio.TimerHandle | None = None

    def clock(self) -> float:
        return self.run.now_ms() if self.run is not None else 0.0

    def _add(self, name: str, event: Any) -> None:
        self._buffer.append((name, event))
        if len(self._buffer) >= MAX_EVENTS:
            self.flush()
        elif self._timer is None:
            self._timer = self._loop.call_later(FLUSH_S, self.flush)

    def flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._buffer:
            events, self._buffer = self._buffer, []
            self._send(("events", self.run_id, self.clock(), events))

    def on_start(self, info: RunStarted) -> None:
        self._buffer.append(("on_start", dataclasses.replace(info, urls=(), lines=())))  # the app has them
        self.flush()  # the window builds its rows now, not a flush later
        # ... and the run waits for it, as it did when it ran in the window's thread (the clock runs):
        # building 100,000 rows took the window 0.5 s of CPU, which the engine's first fetches then
        # fought for. Not forever: a window that does not answer does not hold up the run.
        if not self.started.wait(START_ACK_S):
            log.warning("the app did not acknowledge the start of run %d within %g s", self.run_id, START_ACK_S)

    def on_progress(self, progress: Any) -> None:
        self._add("on_progress", progress)

    def on_result(self, result: FetchResult) -> None:
        self._add("on_result", result)

    def on_finish(self, summary: RunSummary) -> None:
        self.flush()  # the summary itself follows in a "finished" message


def serve(conn: Connection, log_level: int, workers: int | None) -> None:
    """The engine process's entry point (a ``spawn`` target): serve runs until told to quit or orphaned."""
    from core.fetch import secrets

    logging.basicConfig(
        level=log_level, format="%(asctime)s %(levelname)s %(name)s [engine]: %(message)s", stream=sys.stderr
    )
    secrets.install_log_filter()  # passwords, tokens and cookie values never reach the log
    # Ctrl+C in a terminal reaches the whole process group: the app decides what stops (it sends "cancel").
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(os, "nice"):  # POSIX
        with contextlib.suppress(OSError):
            os.nice(ENGINE_NICE)
    asyncio.run(_serve(conn, workers))


async def _serve(conn: Connection, workers: int | None) -> None:
    from core.cluster.loop_run import make_run  # the one place that picks what runs a batch (here or a cluster)
    from core.parse.pool import Extractor

    loop = asyncio.get_running_loop()
    inbox: asyncio.Queue[tuple[Any, ...]] = asyncio.Queue()
    send_lock = threading.Lock()
    gone = threading.Event()  # the app has gone: nothing is sent any more

    def app_gone() -> None:
        # The app closed the pipe without a "quit": it crashed or was killed. With nothing being recorded
        # there is nothing to save: end now (the parser processes follow). Runs being recorded are stopped
        # and recorded as interrupted first, but not for longer than an app asking us to quit would wait.
        if not recordings:
            os._exit(0)
        if not gone.is_set():
            gone.set()
            watchdog = threading.Timer(QUIT_TIMEOUT_S, os._exit, (0,))
            watchdog.daemon = True
            watchdog.start()
            with contextlib.suppress(RuntimeError):  # the loop has closed: the engine is ending anyway
                loop.call_soon_threadsafe(inbox.put_nowait, ("gone",))

    def send(message: tuple[Any, ...]) -> None:
        if gone.is_set():
            return
        data = _dumps(message)
        with send_lock:
            try:
                conn.send_bytes(data)
            except OSError:
                app_gone()

    def read() -> None:
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                app_gone()
                return
            if message[0] == "started":
                if (outbox := outboxes.get(message[1])) is not None:
                    outbox.started.set()  # here: the loop's thread is waiting in on_start
                continue
            loop.call_soon_threadsafe(inbox.put_nowait, message)

    outboxes: dict[int, _Outbox] = {}
    recordings: dict[int, Recording] = {}
    threading.Thread(target=read, name="engine-inbox", daemon=True).start()
    extractor = Extractor(workers)
    await extractor.warm_up()
    send(("ready", os.getpid()))
    entries: dict[int, PackedEntries] = {}  # a run's batch, held for the whole run: compactly
    priors: dict[int, list[FetchResult]] = {}
    runs: dict[int, Any] = {}
    tasks: set[asyncio.Task[None]] = set()

    async def execute(run_id: int, run: Any, outbox: _Outbox) -> None:
        try:
            summary = await run.execute()
        except Exception as exc:
            log.exception("run %d crashed", run_id)
            message: tuple[Any, ...] = ("failed", run_id, f"{type(exc).__name__}: {exc}")
        else:
            message = ("finished", run_id, run.now_ms(), summary)
        finally:
            runs.pop(run_id, None)
            outboxes.pop(run_id, None)
            if (recording := recordings.pop(run_id, None)) is not None:
                recording.close()  # committed (and the run's status written) before the app hears of the end
        outbox.flush()
        send(message)

    def start(run_id: int, settings: Settings, only: list[int] | None, journal: JournalTarget | None) -> None:
        outbox = outboxes[run_id] = _Outbox(run_id, send, loop)
        prior: Mapping[int, FetchResult] = {r.input_index: r for r in priors.pop(run_id, [])}
        observer: RunObserver = outbox
        if journal is not None:
            try:
                recording = recordings[run_id] = Recording(journal)
            except Exception as exc:
                log.exception("run %d cannot be recorded in %s", run_id, journal.path)
                outboxes.pop(run_id, None)
                entries.pop(run_id, None)
                send(("failed", run_id, f"the journal cannot be written: {exc}"))
                return
            observer = MultiObserver([outbox, recording.writer])
            if recording.kept is not None:
                prior = recording.kept
        try:
            run = make_run(Batch(entries.pop(run_id, PackedEntries())), settings, observer, extractor, only, prior,
                           keep_results=False)  # each result goes to the window at once
        except Exception as exc:  # a bad setting the window let through: this run fails, the engine serves on
            log.exception("run %d cannot start", run_id)
            outboxes.pop(run_id, None)
            if (recording := recordings.pop(run_id, None)) is not None:
                recording.close()  # its writer ends; the record says interrupted, not running
            send(("failed", run_id, f"the run cannot start: {type(exc).__name__}: {exc}"))
            return
        outbox.run = runs[run_id] = run
        task = asyncio.ensure_future(execute(run_id, run, outbox))
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    try:
        while True:
            message = await inbox.get()
            kind = message[0]
            if kind == "entries":
                entries.setdefault(message[1], PackedEntries()).extend(UrlEntry(*fields) for fields in message[2])
            elif kind == "prior":
                priors.setdefault(message[1], []).extend(message[2])
            elif kind == "run":
                start(*message[1:])
            elif kind == "cancel":
                if (run := runs.get(message[1])) is not None:
                    if message[2] and (recording := recordings.get(message[1])) is not None:
                        recording.mark_stopped()
                    run.cancel()
            elif kind in ("quit", "gone"):
                break
    finally:
        for run in list(runs.values()):
            run.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=QUIT_TIMEOUT_S - 1.0)
        extractor.shutdown()
