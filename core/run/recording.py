"""A window run's journal, written in the engine process, and the kept results it reads back from it.

The window creates the journal run (its id) and says where to record it with the message that starts
the run (:class:`JournalTarget`); the engine process then writes the results
(:class:`core.store.JournalWriter`) and finishes the run's record (:class:`Recording`). A writer thread
in the window's own process took 13.9 s of its GIL in a 100,000-row run: the main cause of its stalls
(issue 13). A resume or a retry reads the results it keeps out of the journal in the engine too
(:class:`KeptResults`): the window sends run ids and one bit per row, never earlier results (issue 15).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from core.model import FetchResult
from core.run.indexset import IndexSet
from core.store import Journal, JournalWriter

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class JournalTarget:
    """Where the engine records a run and which earlier results it keeps (sent with the run, pickled).

    Attributes:
        path: the journal file (the window's journal, or a scratch journal of a big run without it).
        run_id: the journal run to write into, created by the app (status ``running``).
        kept_from: the journal run whose results are kept instead of fetched: ``run_id`` itself for a
            resume or a retry from the table (they are not written again), the run retried for a
            ``retry`` run (they are copied into ``run_id``); ``None``: nothing kept.
        keep: the input indices kept from ``kept_from``; a row without a recorded result there is
            fetched after all.
        index_keys: also write each result's sort and filter keys (what the window's paged table reads).
    """

    path: Path
    run_id: int
    kept_from: int | None = None
    keep: IndexSet | None = None
    index_keys: bool = True


class KeptResults(Mapping[int, FetchResult]):
    """The results a run keeps from the journal run ``run_id``, read as the run asks for them.

    The ``prior`` of :class:`core.run.engine.Run`, which asks in input order: the results are streamed
    from the journal (:meth:`core.store.Journal.iter_kept`) one at a time, so a run of any size holds one
    bit per kept row, not the rows. A look-up out of order reads that row alone.

    Args:
        journal: the journal (its connection answers look-ups out of order; the stream has its own).
        run_id: the run the results are read from.
        keep: the kept input indices; each must have a recorded result (see
            :meth:`core.store.Journal.recorded_among`).
    """

    def __init__(self, journal: Journal, run_id: int, keep: IndexSet) -> None:
        self._journal = journal
        self._run_id = run_id
        self._keep = keep
        self._stream: Iterator[FetchResult] | None = None
        self._next: FetchResult | None = None

    def __contains__(self, index: object) -> bool:
        return index in self._keep

    def __len__(self) -> int:
        return len(self._keep)

    def __iter__(self) -> Iterator[int]:
        return iter(self._keep)

    def __getitem__(self, index: int) -> FetchResult:
        """The kept result of row ``index``.

        Raises:
            KeyError: the row is not kept, or the journal has no result for it.
        """
        if index not in self._keep:
            raise KeyError(index)
        if self._stream is None:
            self._stream = self._journal.iter_kept(self._run_id, self._keep)
        nxt = self._next
        while nxt is None or nxt.input_index < index:
            nxt = next(self._stream, None)
            if nxt is None:
                break
        self._next = nxt
        if nxt is not None and nxt.input_index == index:
            return nxt
        found = self._journal.results_at(self._run_id, [index]).get(index)  # out of order (not seen in a run)
        if found is None:
            raise KeyError(index)
        return found

    def close(self) -> None:
        """Stop the stream (its journal connection closes)."""
        if self._stream is not None:
            close = getattr(self._stream, "close", None)
            if close is not None:
                close()
            self._stream = None
        self._next = None


class Recording:
    """A run's journal on the engine's side: the writer (an observer of the run) and the kept results.

    Made when the run starts in the engine process: the run's record then names this process (a
    crash or a kill of the engine leaves it ``interrupted``, offered for resume).

    Args:
        target: what the app asked for.

    Attributes:
        writer: the run's observer that records every result (but kept rows already in ``run_id``) and,
            at the end, the run's status and summary.
        kept: the results kept from ``target.kept_from`` (the run's ``prior``), or ``None``.

    Raises:
        core.store.JournalError: the journal cannot be opened.
    """

    def __init__(self, target: JournalTarget) -> None:
        self.target = target
        self.journal = Journal(target.path, migrate=False)  # the app opened (and migrated) it already
        try:
            self.journal.reopen(target.run_id)
            keep: IndexSet | None = None
            self.kept: KeptResults | None = None
            if target.kept_from is not None and target.keep is not None and len(target.keep):
                keep = self.journal.recorded_among(target.kept_from, target.keep)
                self.kept = KeptResults(self.journal, target.kept_from, keep)
            # Kept rows of the same run are in it already (a resume, a retry from the table).
            skip = keep if keep is not None and target.kept_from == target.run_id else ()
            self.writer = JournalWriter(self.journal, target.run_id, skip=skip, index_keys=target.index_keys)
        except Exception:
            self.journal.close()
            raise
        log.info("recording run %d in %s (%d results kept from run %s)", target.run_id, target.path,
                 0 if keep is None else len(keep), target.kept_from)

    def mark_stopped(self) -> None:
        """The user stopped the run on purpose: it is recorded as ``stopped``, not ``interrupted``."""
        self.writer.stopped = True

    def close(self) -> None:
        """Write what is buffered, stop the writer thread and close the journal (after the run ended).

        A run that ended without its summary (it crashed: the engine lives on, so its record would
        stay ``running`` until the app quits) is recorded as ``interrupted``, offered for resume.
        """
        self.writer.close()
        try:
            if self.journal.abandon_run(self.target.run_id):
                log.warning("run %d ended without a summary: recorded as interrupted", self.target.run_id)
        except Exception:  # never raise here: the engine tells the app the run ended after this
            log.exception("run %d: its record could not be marked interrupted", self.target.run_id)
        finally:
            if self.kept is not None:
                self.kept.close()
            self.journal.close()
