"""The history's data side: the runs table model, the two-run comparison and journal work in threads.

Every function that touches the journal here runs in a worker thread (``asyncio.to_thread``)
with a connection of its own, opened and closed in that thread: listing runs counts results
per run and loading one decodes up to 100k rows of JSON — seconds of Python that must not run
on the GUI thread. Only plain data (``RunInfo``, ``FetchResult``) comes back.
"""

from __future__ import annotations

import contextlib
import enum
import logging
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QDateTime, QLocale, QModelIndex, QObject, Qt
from PySide6.QtGui import QGuiApplication

from core.model import FetchResult, Mode
from core.settings import Settings
from core.store import Journal, RunInfo
from gui.app.colors import StatusKind, status_color
from gui.app.export_task import write_results
from gui.app.heap import no_collection_while_building
from gui.app.vocabulary import mode_label, run_kind_label, run_status_label
from gui.timeline.model import Recorded, recorded_rows
from gui.timeline.time_format import format_duration

log = logging.getLogger(__name__)

TIMELINE_SLICE = 8192  #: rows of timings read per query (0.6 MB of doubles: about a millisecond of GIL to decode)
RAW_ROLE = Qt.ItemDataRole.UserRole + 1  #: the number (or text) a column sorts by
RUN_ID_ROLE = Qt.ItemDataRole.UserRole + 2  #: the run's id, in every column

_Index = QModelIndex | Any  # QPersistentModelIndex too


def _tr(text: str) -> str:
    return QCoreApplication.translate("History", text)


class Column(enum.IntEnum):
    ID = 0
    STARTED = 1
    MODE = 2
    KIND = 3
    STATUS = 4
    URLS = 5
    OK = 6
    FAILED = 7
    WALL = 8


_NUMERIC = (Column.ID, Column.URLS, Column.OK, Column.FAILED, Column.WALL)


def headers() -> tuple[str, ...]:
    return (_tr("#"), _tr("Started"), _tr("Mode"), _tr("Kind"), _tr("Status"), _tr("URLs"), _tr("OK"),
            _tr("Failed"), _tr("Wall time"))


def format_started(ts: float) -> str:
    """Local date and time, sortable and unambiguous in every locale: ``2025-01-31 14:05:09``."""
    return QDateTime.fromMSecsSinceEpoch(int(ts * 1000)).toString("yyyy-MM-dd HH:mm:ss")


def format_count(n: int) -> str:
    return QLocale().toString(n)


def mode_text(mode: str) -> str:
    try:
        return mode_label(Mode(mode))
    except ValueError:
        return mode


def kind_text(info: RunInfo) -> str:
    """The Kind column: the journal's words (``run``, ``resume``, ``retry``), as ``--list-runs`` prints them."""
    word = run_kind_label(info.kind)
    if info.kind == "compare":  # the three runs of one comparison all name its first run
        return _tr("{0} #{1}").format(word, info.parent_id or info.id)
    return _tr("{0} of #{1}").format(word, info.parent_id) if info.kind == "retry" and info.parent_id else word


def wall_text(info: RunInfo) -> str:
    return "–" if info.wall_s is None else format_duration(info.wall_s * 1000.0)


def can_resume(info: RunInfo) -> bool:
    """Stopped or interrupted (closed, crashed, killed) with URLs that have no result yet."""
    return info.resumable


def can_retry(info: RunInfo) -> bool:
    """Finished or interrupted with failed rows (a live run is still writing)."""
    return info.status != "running" and info.failed > 0


class RunsModel(QAbstractTableModel):
    """The journal's runs, newest first (sortable by any column; a few hundred rows at most)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runs: list[RunInfo] = []
        self._headers = headers()
        self._sort: tuple[int, Qt.SortOrder] = (Column.ID, Qt.SortOrder.DescendingOrder)

    # -- API --------------------------------------------------------------------------------
    def set_runs(self, runs: Sequence[RunInfo]) -> None:
        self.beginResetModel()
        self._runs = self._sorted(list(runs))
        self.endResetModel()

    def run(self, row: int) -> RunInfo:
        return self._runs[row]

    def runs(self) -> list[RunInfo]:
        return list(self._runs)

    def row_of(self, run_id: int) -> int | None:
        for row, info in enumerate(self._runs):
            if info.id == run_id:
                return row
        return None

    # -- Qt ---------------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._runs)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(Column):
            if role == Qt.ItemDataRole.DisplayRole:
                return self._headers[section]
            if role == Qt.ItemDataRole.TextAlignmentRole and section in _NUMERIC:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._runs):
            return None
        info, col = self._runs[index.row()], Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(info, col)
        if role == RAW_ROLE:
            return self._raw(info, col)
        if role == RUN_ID_ROLE:
            return info.id
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if col in _NUMERIC else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            kind = self._kind(info, col)
            return None if kind is None else status_color(kind, QGuiApplication.palette())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(info)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(Column):
            column, order = Column.ID, Qt.SortOrder.DescendingOrder  # indicator cleared: newest first
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        old = [info.id for info in self._runs]
        self._runs = self._sorted(self._runs)
        new_rows = {info.id: row for row, info in enumerate(self._runs)}
        for index in self.persistentIndexList():
            if index.isValid():
                row = new_rows[old[index.row()]]
                self.changePersistentIndex(index, self.index(row, index.column()))
        self.layoutChanged.emit()

    # -- helpers ----------------------------------------------------------------------------
    def _sorted(self, runs: list[RunInfo]) -> list[RunInfo]:
        col, order = self._sort
        desc = order == Qt.SortOrder.DescendingOrder
        # Empty values (no wall time) go last in both directions; ties keep newest first.
        runs = sorted(runs, key=lambda r: r.id, reverse=True)
        present = [r for r in runs if self._raw(r, Column(col)) is not None]
        missing = [r for r in runs if self._raw(r, Column(col)) is None]
        present.sort(key=lambda r: self._raw(r, Column(col)), reverse=desc)
        return present + missing

    @staticmethod
    def _display(info: RunInfo, col: Column) -> str:
        return {
            Column.ID: str(info.id), Column.STARTED: format_started(info.created_at), Column.MODE: mode_text(info.mode),
            Column.KIND: kind_text(info), Column.STATUS: run_status_label(info.status),
            Column.URLS: format_count(info.total), Column.OK: format_count(info.ok),
            Column.FAILED: format_count(info.failed), Column.WALL: wall_text(info),
        }[col]

    @staticmethod
    def _raw(info: RunInfo, col: Column) -> Any:
        return {
            Column.ID: info.id, Column.STARTED: info.created_at, Column.MODE: info.mode, Column.KIND: info.kind,
            Column.STATUS: info.status, Column.URLS: info.total, Column.OK: info.ok, Column.FAILED: info.failed,
            Column.WALL: info.wall_s,
        }[col]

    @staticmethod
    def _kind(info: RunInfo, col: Column) -> StatusKind | None:
        if col == Column.STATUS:
            return {"interrupted": StatusKind.CLIENT_ERROR, "running": StatusKind.RUNNING}.get(info.status)
        if col == Column.FAILED and info.failed:
            return StatusKind.FAILED
        return None

    @staticmethod
    def _tooltip(info: RunInfo) -> str:
        def long(ts: float) -> str:
            return QLocale().toString(QDateTime.fromMSecsSinceEpoch(int(ts * 1000)), QLocale.FormatType.LongFormat)

        lines = [_tr("Run #{0}, started {1}").format(info.id, long(info.created_at))]
        if info.finished_at:
            lines.append(_tr("Ended {0}").format(long(info.finished_at)))
        lines.append(_tr("{done} of {total} URLs have a result: {ok} OK, {failed} failed").format(
            done=format_count(info.done), total=format_count(info.total), ok=format_count(info.ok),
            failed=format_count(info.failed)))
        if can_resume(info):
            lines.append(_tr("Interrupted: Resume fetches only the {0} URLs without a result").format(
                format_count(info.total - info.done)))
        return "\n".join(lines)


# -- comparing two runs -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CompareRow:
    label: str
    a: str
    b: str
    note: str = ""


def _num(summary: dict[str, object] | None, key: str) -> float | None:
    v = (summary or {}).get(key)
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _ratio(a: float | None, b: float | None, lower_is_better: bool) -> str:
    """B relative to A: ``B 2.40× faster`` (times) or ``B 2.40× more`` (rates); empty when unknown."""
    if a is None or b is None or a <= 0 or b <= 0:
        return ""
    x = b / a
    if abs(x - 1.0) < 0.005:
        return _tr("the same")
    if lower_is_better:
        return _tr("B {0}× faster").format(f"{1 / x:.2f}") if x < 1 else _tr("B {0}× slower").format(f"{x:.2f}")
    return _tr("B {0}× more").format(f"{x:.2f}") if x > 1 else _tr("B {0}× fewer").format(f"{1 / x:.2f}")


def compare_rows(a: RunInfo, b: RunInfo) -> list[CompareRow]:
    """The side-by-side table of two runs (A = the older, B = the newer is the usual reading)."""
    sa, sb = a.summary, b.summary

    def ms(s: dict[str, object] | None, key: str, scale: float = 1.0) -> str:
        v = _num(s, key)
        return "–" if v is None else format_duration(v * scale)

    def plain(s: dict[str, object] | None, key: str, fmt: str) -> str:
        v = _num(s, key)
        return "–" if v is None else format(v, fmt)

    return [
        CompareRow(_tr("Started"), format_started(a.created_at), format_started(b.created_at)),
        CompareRow(_tr("Mode"), mode_text(a.mode), mode_text(b.mode)),
        CompareRow(_tr("URLs"), format_count(a.total), format_count(b.total)),
        CompareRow(_tr("OK"), format_count(a.ok), format_count(b.ok)),
        CompareRow(_tr("Failed"), format_count(a.failed), format_count(b.failed)),
        CompareRow(_tr("Wall time"), ms(sa, "wall_s", 1000.0), ms(sb, "wall_s", 1000.0),
                   _ratio(_num(sa, "wall_s"), _num(sb, "wall_s"), lower_is_better=True)),
        CompareRow(_tr("Pages per second"), plain(sa, "pages_per_s", ".1f"), plain(sb, "pages_per_s", ".1f"),
                   _ratio(_num(sa, "pages_per_s"), _num(sb, "pages_per_s"), lower_is_better=False)),
        CompareRow(_tr("p50 per URL"), ms(sa, "p50_ms"), ms(sb, "p50_ms"),
                   _ratio(_num(sa, "p50_ms"), _num(sb, "p50_ms"), lower_is_better=True)),
        CompareRow(_tr("p95 per URL"), ms(sa, "p95_ms"), ms(sb, "p95_ms"),
                   _ratio(_num(sa, "p95_ms"), _num(sb, "p95_ms"), lower_is_better=True)),
        CompareRow(_tr("Sum of per-URL times"), ms(sa, "sum_elapsed_s", 1000.0), ms(sb, "sum_elapsed_s", 1000.0)),
        CompareRow(_tr("In flight on average"), plain(sa, "effective_concurrency", ".1f"),
                   plain(sb, "effective_concurrency", ".1f")),
    ]


def speedup(a: RunInfo, b: RunInfo) -> float | None:
    """Wall time of A divided by wall time of B (> 1: B was faster); ``None`` without both."""
    wa, wb = a.wall_s, b.wall_s
    return wa / wb if wa and wb and wa > 0 and wb > 0 else None


def compare_headline(a: RunInfo, b: RunInfo) -> str:
    """One sentence: which run was faster and by how much (by rate when the batches differ in size)."""
    x = speedup(a, b)
    if x is None:
        missing = a if a.wall_s is None else b
        return _tr("Run #{0} has no wall time: it ended before it could be summarised.").format(missing.id)
    if a.total != b.total:
        ra, rb = _num(a.summary, "pages_per_s"), _num(b.summary, "pages_per_s")
        if ra and rb:
            fast, slow, f = (b, a, rb / ra) if rb >= ra else (a, b, ra / rb)
            return _tr("Run #{fast} ({fm}) fetched {fr} pages/s, {f}× the rate of run #{slow} ({sm}, {sr} pages/s); "
                       "the runs have different numbers of URLs.").format(
                fast=fast.id, fm=mode_text(fast.mode), fr=f"{max(ra, rb):.1f}", f=f"{f:.1f}", slow=slow.id,
                sm=mode_text(slow.mode), sr=f"{min(ra, rb):.1f}")
    fast, slow, f = (b, a, x) if x >= 1 else (a, b, 1 / x)
    return _tr("Run #{fast} ({fm}) took {ft}: {f}× faster than run #{slow} ({sm}, {st}).").format(
        fast=fast.id, fm=mode_text(fast.mode), ft=wall_text(fast), f=f"{f:.1f}", slow=slow.id,
        sm=mode_text(slow.mode), st=wall_text(slow))


# -- journal work for worker threads -----------------------------------------------------------
@dataclass(frozen=True, slots=True)
class LoadedRun:
    """One run, ready to show: URLs and results in input order (``None``: no result).

    A big run (``paged``) comes without its results: the table reads them from the journal
    at ``path`` in pages (``gui.results.paged``).
    """

    info: RunInfo
    urls: Sequence[str]
    results: list[FetchResult | None]
    settings: Settings
    lines: Sequence[int] = ()  # each URL's line in the run's input (the # column)
    path: Path | None = None  # the journal the run was read from
    paged: bool = False

    @property
    def wall_ms(self) -> float | None:
        return None if self.info.wall_s is None else self.info.wall_s * 1000.0


@contextlib.contextmanager
def thread_journal(path: str | os.PathLike[str]) -> Iterator[Journal]:
    """A journal connection for the calling thread only (opened here, closed on exit)."""
    journal = Journal(path)
    try:
        yield journal
    finally:
        journal.close()


def list_runs(path: str | os.PathLike[str], limit: int = 500) -> list[RunInfo]:
    with thread_journal(path) as j:
        return j.runs(limit)


def load_run(path: str | os.PathLike[str], run_id: int, paged_above: int | None = None) -> LoadedRun:
    """A run of the journal at ``path``; with more than ``paged_above`` URLs, without its results.

    A big run's input is not parsed and no result is decoded: its URLs and line numbers are read
    as compact columns by SQLite (:meth:`core.store.Journal.input_urls`, ``input_lines``); the
    table's worker writes the keys of a run recorded without them (``fill_index``) when it opens.

    Raises:
        core.store.JournalError: no such run.
    """
    with thread_journal(path) as j:
        info = j.run_info(run_id)
        if paged_above is not None and info.total > paged_above:
            n = info.total
            return LoadedRun(info, j.input_urls(run_id, n), [], j.run_settings(run_id), j.input_lines(run_id, n),
                             Path(path), True)
        # 100k results are ~1M objects: full collections triggered in this thread would hold
        # the GIL (and so stall the window) for 20–100 ms each; build them, then freeze them.
        with no_collection_while_building(info.total):
            _lines, batch, settings, results = j.load(run_id)
    urls = tuple(e.url or e.raw for e in batch.entries)  # as the run reported them (RunStarted.urls)
    return LoadedRun(info, urls, [results.get(i) for i in range(len(urls))], settings,
                     tuple(e.line for e in batch.entries))


def load_timeline(path: str | os.PathLike[str], run_id: int, n: int) -> Recorded:
    """A run's timeline rows in compact form, straight from the journal's columns, a slice of
    :data:`TIMELINE_SLICE` rows per query (for a big run opened paged; its keys filled). Keys of a
    journal migrated from before the packed timings get them first (once)."""
    with thread_journal(path) as j:
        j.fill_timings(run_id)
        return recorded_rows(n, (j.timing_rows(run_id, start, min(n, start + TIMELINE_SLICE))
                                 for start in range(0, n, TIMELINE_SLICE)))


def export_run(path: str | os.PathLike[str], run_id: int, target: str) -> int:
    """Write a run's results to ``target`` as CSV, JSON Lines or Excel (by its extension, as
    :func:`gui.app.export_task.write_results`); the number of rows (raises ExportError).

    Streamed: the results are read from the journal in input order as they are written (constant
    memory at any size), the line numbers as a compact column (:meth:`core.store.Journal.input_lines`)."""
    with thread_journal(path) as j:
        total = j.run_info(run_id).total
        return write_results(target, j.iter_results(run_id), lines=j.input_lines(run_id, total), in_order=True,
                             total=j.result_count(run_id))


def delete_runs(path: str | os.PathLike[str], run_ids: Sequence[int]) -> None:
    with thread_journal(path) as j:
        for run_id in run_ids:
            j.delete_run(run_id)
