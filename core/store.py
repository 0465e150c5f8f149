"""The run journal: every run and every result in SQLite (WAL), committed as it arrives.

A writer thread takes results from a queue and commits them in small transactions
(at most every ``FLUSH_INTERVAL`` seconds), so the event loop never waits on the disk
and a crash, a closed window or a ``kill -9`` loses at most the results of the last
interval. Runs can be listed, reopened, resumed and their failed rows retried.
"""

from __future__ import annotations

import codecs
import collections
import itertools
import json
import logging
import math
import os
import sqlite3
import sys
import threading
import time
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from core import row_index
from core.fetch.options import RequestOptions
from core.model import ErrorKind, FetchResult, Mode, PageFacts, PageInfo, Progress, RunStarted, RunSummary, Timings
from core.run.indexset import IndexSet
from core.settings import Settings
from core.urls import Batch, entry_text, normalise, parse_lines

log = logging.getLogger(__name__)

FLUSH_INTERVAL = 0.1  # seconds: the most a kill -9 can lose
SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    created_at REAL NOT NULL,
    finished_at REAL,
    mode TEXT NOT NULL,
    total INTEGER NOT NULL,
    status TEXT NOT NULL,              -- running | finished | stopped | interrupted
    pid INTEGER,
    parent_id INTEGER,
    kind TEXT NOT NULL DEFAULT 'run',  -- run | resume | retry | compare
    settings TEXT NOT NULL,
    lines BLOB NOT NULL,               -- the input lines, zlib-compressed JSON
    summary TEXT,
    entry_lines BLOB                   -- each row's line in the input (see _EntryLines); NULL: not known yet
);
CREATE TABLE IF NOT EXISTS results (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    input_index INTEGER NOT NULL,
    ok INTEGER NOT NULL,
    error_kind TEXT,
    data TEXT NOT NULL,
    PRIMARY KEY (run_id, input_index)
) WITHOUT ROWID;
"""
# The sort and filter values of every result (core.row_index.COLUMNS) live in a table of their
# own, next to ``results``: small rows (a few hundred bytes) that a sort or filter scans without
# reading the JSON, which with them would pass SQLite's in-page limit and take an overflow page
# each. Journals written before it get it empty; ``Journal.fill_index`` fills a run's keys.
# With them, ``times``: the result's timings packed (``_pack_timings``), what the timeline draws,
# so a big run's timeline is read without decoding a JSON per row.
_KEY_COLUMNS = (*row_index.COLUMNS, ("times", "BLOB"))
SCHEMA += (
    "CREATE TABLE IF NOT EXISTS result_keys (run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " input_index INTEGER NOT NULL, " + ", ".join(f"{c} {t}" for c, t in _KEY_COLUMNS)
    + ", PRIMARY KEY (run_id, input_index)) WITHOUT ROWID;\n"
    + "".join(f"CREATE INDEX IF NOT EXISTS result_keys_by_{c} ON result_keys (run_id, {c});\n"
              for c in row_index.INDEXED)
)
_INSERT = "INSERT OR REPLACE INTO results (run_id, input_index, ok, error_kind, data) VALUES (?, ?, ?, ?, ?)"
_INSERT_KEYS = (f"INSERT OR REPLACE INTO result_keys (run_id, input_index, "
                f"{', '.join(c for c, _ in _KEY_COLUMNS)}) "
                f"VALUES ({', '.join('?' * (2 + len(_KEY_COLUMNS)))})")
#: ``PRAGMA user_version`` of a journal this version wrote or migrated (see ``Journal._migrate``):
#: 1 added ``runs.entry_lines`` and ``result_keys.times``.
SCHEMA_VERSION = 1
_ADDED_COLUMNS = (("runs", "entry_lines", "BLOB"), ("result_keys", "times", "BLOB"))


class JournalError(Exception):
    """The journal could not be opened or a run was not found."""


@dataclass(frozen=True, slots=True)
class RunInfo:
    """One row of the history."""

    id: int
    created_at: float
    finished_at: float | None
    mode: str
    total: int
    status: str
    kind: str
    parent_id: int | None
    done: int
    ok: int
    failed: int
    summary: dict[str, object] | None
    crashed: bool = False  # its process died mid-run (crash, kill, power cut), not stopped on purpose

    @property
    def resumable(self) -> bool:
        """Cut short (``stopped`` or ``interrupted``) with URLs that have no result yet."""
        return self.status in ("stopped", "interrupted") and self.done < self.total

    @property
    def wall_s(self) -> float | None:
        s = self.summary or {}
        v = s.get("wall_s")
        return float(v) if isinstance(v, (int, float)) else None


@dataclass(frozen=True, slots=True)
class Continuation:
    """What to run to resume a run or retry its failed rows.

    Attributes:
        run_id: the journal run to record into (the same run for a resume, a new
            ``kind='retry'`` run for a retry).
        source_id: the run the results came from.
        kind: ``"resume"`` or ``"retry"``.
        lines: the run's input lines.
        batch: the parsed batch (same indices as the stored results).
        settings: the settings the run was recorded with.
        prior: results that are kept and not fetched again (pass as ``Run(prior=...)``).
    """

    run_id: int
    source_id: int
    kind: str
    lines: list[str]
    batch: Batch
    settings: Settings
    prior: dict[int, FetchResult]

    @property
    def to_fetch(self) -> int:
        """How many URLs the run will fetch (everything without a kept result)."""
        return len(self.batch) - len(self.prior)


@dataclass(frozen=True, slots=True)
class StreamContinuation:
    """What to run to resume a run or retry its failed rows without holding it in memory.

    The input is read again from the journal (:meth:`Journal.run_lines`), the kept results are
    streamed out of it in input order (:meth:`Journal.iter_kept`); only ``keep`` (one bit per row)
    is held.

    Attributes:
        run_id: the journal run to record into (the same run for a resume, a new ``retry`` run).
        source_id: the run the lines and the kept results come from.
        kind: ``"resume"`` or ``"retry"``.
        settings: the settings the run was recorded with (after ``adjust``).
        total: the run's number of input rows.
        keep: input indices whose results are kept, not fetched again.
    """

    run_id: int
    source_id: int
    kind: str
    settings: Settings
    total: int
    keep: IndexSet

    @property
    def to_fetch(self) -> int:
        """How many URLs the run will fetch (everything without a kept result)."""
        return self.total - len(self.keep)


@dataclass(frozen=True, slots=True)
class TimingRows:
    """What a timeline draws of a slice of a run's rows (:meth:`Journal.timing_rows`).

    Attributes:
        start: the first row's input index.
        times: per row, the :class:`core.model.Timings` fields in their order (ms), NaN for ``None``
            and for a row without a result.
        codes: per row, the HTTP status code, 0 without one.
        states: per row, 0 without a result, 1 done, 2 failed, 3 cancelled (``FetchResult.state``).
        failures: input index -> (error kind, error message) of the rows with a result that is not ok.
    """

    start: int
    times: array[float]
    codes: array[int]
    states: bytes
    failures: dict[int, tuple[ErrorKind | None, str]]

    NO_RESULT = 0
    DONE = 1
    FAILED = 2
    CANCELLED = 3


def default_path(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """Where the journal lives: ``--data-dir`` or the user's data folder (platformdirs)."""
    if data_dir:
        return Path(data_dir) / "journal.sqlite3"
    from platformdirs import user_data_dir

    return Path(user_data_dir("Fetchlens", "Fetchlens")) / "journal.sqlite3"


# -- (de)serialising results -----------------------------------------------------------------
_RESULT_FIELDS = tuple(f for f in FetchResult.__dataclass_fields__ if f not in ("page", "timings"))
_PAGE_FIELDS = tuple(f for f in PageInfo.__dataclass_fields__ if f != "facts")
_TIMING_FIELDS = tuple(Timings.__dataclass_fields__)
_FACT_FIELDS = tuple(PageFacts.__dataclass_fields__)


_CATS_CHUNK = 100_000  #: rows of quick-filter bits read by one query (:meth:`Journal.categories`)
_COLUMN_CHUNK = 8192  #: rows of URLs read by one query (~0.5 MB of text: about a millisecond of GIL to split)
_NAN_TIMES = array("d", [math.nan] * len(_TIMING_FIELDS)).tobytes()
_BIG_ENDIAN = sys.byteorder == "big"


def _pack_timings(t: Timings) -> bytes:
    """The :class:`Timings` fields in their order as little-endian doubles (NaN for ``None``): 72 bytes."""
    packed = array("d", [math.nan if (v := getattr(t, f)) is None else v for f in _TIMING_FIELDS])
    if _BIG_ENDIAN:
        packed.byteswap()
    return packed.tobytes()


def _doubles(data: bytes) -> array[float]:
    """An ``array('d')`` of little-endian doubles (what :func:`_pack_timings` packs)."""
    out = array("d")
    out.frombytes(data)
    if _BIG_ENDIAN:
        out.byteswap()
    return out


class _EntryLines:
    """Each entry's 1-based line in a run's input, noted while the lines stream past.

    Lines that are no entry (blank, ``#`` comments; :func:`core.urls.entry_text`) leave gaps;
    :meth:`blob` is the line numbers as zlib-compressed little-endian ``int32``, or ``b""`` when
    every line is an entry (line = row + 1), which is how lists usually come. Compressed as it
    goes: nothing per line is held.
    """

    def __init__(self) -> None:
        self.count = 0
        self._gaps = False
        self._z = zlib.compressobj(6)
        self._parts: list[bytes] = []
        self._pending = array("i")

    def watch(self, lines: Iterable[str]) -> Iterator[str]:
        """The lines, unchanged, noting the entries among them."""
        pending = self._pending
        for number, line in enumerate(lines, start=1):
            if entry_text(line):
                self.count += 1
                if number != self.count:
                    self._gaps = True
                pending.append(number)
                if len(pending) >= 65_536:
                    self._flush()
            yield line

    def _flush(self) -> None:
        if _BIG_ENDIAN:
            self._pending.byteswap()
        self._parts.append(self._z.compress(self._pending.tobytes()))
        del self._pending[:]

    def blob(self) -> bytes:
        if not self._gaps:
            return b""
        self._flush()
        return b"".join((*self._parts, self._z.flush()))


def _pairs(value: object) -> tuple[tuple[object, ...], ...]:
    return tuple(tuple(p) for p in value or ())  # type: ignore[union-attr]


def _page_from_json(page: dict[str, object] | None) -> PageInfo | None:
    if not page:
        return None
    facts = page.pop("facts", None)
    if isinstance(facts, dict):
        facts = PageFacts(**{**facts, "hreflang": _pairs(facts.get("hreflang")),
                             "robots_meta": _pairs(facts.get("robots_meta"))})
    return PageInfo(**page, facts=facts)  # type: ignore[arg-type]


def result_to_json(r: FetchResult) -> str:
    # Built by hand: dataclasses.asdict deep-copies and was 8 % of the writer's time.
    d = {f: getattr(r, f) for f in _RESULT_FIELDS}
    d["mode"] = r.mode.value
    d["error_kind"] = r.error_kind.value if r.error_kind else None
    d["page"] = {f: getattr(r.page, f) for f in _PAGE_FIELDS} if r.page is not None else None
    if r.page is not None and r.page.facts is not None:
        d["page"]["facts"] = {f: getattr(r.page.facts, f) for f in _FACT_FIELDS}
    d["timings"] = {f: getattr(r.timings, f) for f in _TIMING_FIELDS}
    return json.dumps(d, separators=(",", ":"), ensure_ascii=False)


def result_from_json(text: str) -> FetchResult:
    d = json.loads(text)
    page = d.pop("page")
    timings = d.pop("timings")
    d["mode"] = Mode(d["mode"])
    d["error_kind"] = ErrorKind(d["error_kind"]) if d["error_kind"] else None
    d["redirects"] = tuple(d["redirects"])
    # Headers and hops (kept since the audit columns): absent in older journals.
    d["headers"] = _pairs(d.get("headers"))
    d["hops"] = _pairs(d.get("hops"))
    return FetchResult(**d, page=_page_from_json(page), timings=Timings(**timings))


def settings_to_json(s: Settings) -> str:
    """The settings as JSON, request options without their secrets (passwords, tokens, cookie values)."""
    d = asdict(s)
    d["mode"] = s.mode.value
    d["requests"] = s.requests.public()
    return json.dumps(d)


def settings_from_json(text: str) -> Settings:
    d = json.loads(text)
    d["mode"] = Mode(d["mode"])
    if isinstance(d.get("requests"), dict):
        d["requests"] = RequestOptions.from_public(d["requests"])
    known = set(Settings.__dataclass_fields__)
    return Settings(**{k: v for k, v in d.items() if k in known})


def _compress_lines(lines: Iterable[str]) -> bytes:
    """The lines as zlib-compressed JSON (an array of strings), built without listing them first.

    A streamed input of millions of lines never exists as one list or one JSON string: only
    the compressed bytes (about a quarter of the text) are held.
    """
    z = zlib.compressobj(6)
    parts: list[bytes] = [z.compress(b"[")]
    pending: list[str] = []
    first = True
    for line in lines:
        pending.append(json.dumps(line, ensure_ascii=False) if first else "," + json.dumps(line, ensure_ascii=False))
        first = False
        if len(pending) >= 4096:
            parts.append(z.compress("".join(pending).encode("utf-8")))
            pending.clear()
    parts.append(z.compress(("".join(pending) + "]").encode("utf-8")))
    parts.append(z.flush())
    return b"".join(parts)


def _iter_lines(blob: bytes, run_id: int) -> Iterator[str]:
    """The strings of a :func:`_compress_lines` blob (a zlib-compressed JSON array), one at a time."""
    inflate = zlib.decompressobj()
    text = codecs.getincrementaldecoder("utf-8")()
    decode = json.JSONDecoder().raw_decode
    buf = ""
    pos = 0
    step = 1 << 16
    fed = 0
    done = False
    while True:
        # Skip the separators before the next string: "[", ",", "]" and white space.
        while pos < len(buf) and buf[pos] in "[,] \n\r\t":
            pos += 1
        if pos < len(buf):
            try:
                value, end = decode(buf, pos)
            except json.JSONDecodeError:
                if done:
                    raise JournalError(f"the input lines of run {run_id} are damaged") from None
            else:  # a JSON string ends at its closing quote: a decoded one is whole
                yield value
                pos = end
                continue
            # else a string cut at the chunk's end: read on
        if done:
            return
        buf = buf[pos:]
        pos = 0
        try:
            chunk = inflate.decompress(blob[fed:fed + step]) if fed < len(blob) else inflate.flush()
        except zlib.error as exc:
            raise JournalError(f"the input lines of run {run_id} are damaged: {exc}") from exc
        done = fed >= len(blob)
        fed += step
        buf += text.decode(chunk, final=done)


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists but not ours, or a platform without signal 0: assume alive
    return True


class Journal:
    """The SQLite journal. Safe to use from one thread per instance; the writer has its own."""

    def __init__(self, path: str | os.PathLike[str], migrate: bool = True) -> None:
        """Open (or create) the journal at ``path``; ``migrate=False`` for a reader of a journal
        another connection has opened (and brought up to date) already.

        Raises:
            JournalError: the file cannot be opened or is not a journal.
        """
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = self._connect(self.path)
            if migrate:
                self._db.executescript(SCHEMA)
                self._migrate()
        except (OSError, sqlite3.Error) as exc:
            raise JournalError(f"cannot open the journal {self.path}: {exc}") from exc

    def _migrate(self) -> None:
        """Bring a journal an older version wrote up to :data:`SCHEMA_VERSION` (``PRAGMA user_version``).

        Columns added since are added empty (an ``ALTER TABLE … ADD COLUMN`` rewrites nothing); their
        values are filled when a run needs them (:meth:`fill_index`, :meth:`input_lines`). In one
        write transaction, so two processes opening the journal at once migrate it once.
        """
        if self._db.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
            return
        self._db.execute("BEGIN IMMEDIATE")
        try:
            if self._db.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                for table, column, kind in _ADDED_COLUMNS:
                    have = {row[1] for row in self._db.execute(f"PRAGMA table_info({table})")}
                    if column not in have:
                        self._db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
                        log.info("journal %s: added %s.%s", self.path, table, column)
                self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across process crashes
        db.execute("PRAGMA foreign_keys=ON")
        return db

    def close(self) -> None:
        self._db.close()

    # -- runs ------------------------------------------------------------------------------
    def create_run(self, lines: Iterable[str], settings: Settings, total: int, kind: str = "run",
                   parent_id: int | None = None) -> int:
        """Record a new run (its input lines and settings, and which line each row is) and return its id."""
        entries = _EntryLines()
        blob = _compress_lines(entries.watch(lines))
        cur = self._db.execute(
            "INSERT INTO runs (created_at, mode, total, status, pid, parent_id, kind, settings, lines, entry_lines)"
            " VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?, ?)",
            (time.time(), settings.mode.value, total, os.getpid(), parent_id, kind, settings_to_json(settings), blob,
             entries.blob()),
        )
        return int(cur.lastrowid or 0)

    def set_total(self, run_id: int, total: int) -> None:
        self._db.execute("UPDATE runs SET total=? WHERE id=?", (total, run_id))

    def reopen(self, run_id: int) -> None:
        """Mark an interrupted run as running again in this process (resume)."""
        self._db.execute("UPDATE runs SET status='running', pid=?, finished_at=NULL WHERE id=?", (os.getpid(), run_id))

    def finish_run(self, run_id: int, summary: RunSummary, stopped: bool = False) -> None:
        """Record how a run ended.

        Status: ``finished``; ``stopped`` when it was cut short and ``stopped`` says the user
        asked (Stop, Esc); otherwise a cut-short run is ``interrupted`` (the window closed
        mid-run, Ctrl+C, a signal) and is offered for resume like one whose process died.
        """
        status = "finished" if not summary.interrupted else "stopped" if stopped else "interrupted"
        self._db.execute("UPDATE runs SET status=?, finished_at=?, summary=?, mode=? WHERE id=?",
                         (status, time.time(), json.dumps(summary.to_dict()), summary.mode.value, run_id))

    def abandon_run(self, run_id: int) -> bool:
        """Record as ``interrupted`` a run of this process that ended without its summary (the run
        itself crashed), so it is not shown ``running`` while the process lives on; a run already
        finished, or running in another process, is left alone. True if it was marked."""
        cur = self._db.execute("UPDATE runs SET status='interrupted', finished_at=? WHERE id=? AND status='running'"
                               " AND pid=?", (time.time(), run_id, os.getpid()))
        return cur.rowcount > 0

    def delete_run(self, run_id: int) -> None:
        with self._db:
            self._db.execute("BEGIN")
            self._db.execute("DELETE FROM results WHERE run_id=?", (run_id,))
            self._db.execute("DELETE FROM result_keys WHERE run_id=?", (run_id,))
            self._db.execute("DELETE FROM runs WHERE id=?", (run_id,))

    def _info(self, row: tuple) -> RunInfo:  # type: ignore[type-arg]
        (rid, created, finished, mode, total, status, kind, parent, summary, pid, done, ok, failed) = row
        crashed = status == "running" and not _pid_alive(pid)
        if crashed:
            status = "interrupted"  # its process is gone: crashed or killed
        return RunInfo(rid, created, finished, mode, total, status, kind, parent, done or 0, ok or 0,
                       failed or 0, json.loads(summary) if summary else None, crashed)

    _INFO_SQL = (
        "SELECT r.id, r.created_at, r.finished_at, r.mode, r.total, r.status, r.kind, r.parent_id, r.summary, r.pid,"
        " (SELECT COUNT(*) FROM results x WHERE x.run_id=r.id AND x.error_kind IS NOT 'cancelled'),"
        " (SELECT COUNT(*) FROM results x WHERE x.run_id=r.id AND x.ok=1),"
        " (SELECT COUNT(*) FROM results x WHERE x.run_id=r.id AND x.ok=0 AND x.error_kind IS NOT 'cancelled')"
        " FROM runs r"
    )

    def runs(self, limit: int = 200) -> list[RunInfo]:
        """The history, newest first."""
        rows = self._db.execute(self._INFO_SQL + " ORDER BY r.id DESC LIMIT ?", (limit,)).fetchall()
        return [self._info(r) for r in rows]

    def run_info(self, run_id: int) -> RunInfo:
        row = self._db.execute(self._INFO_SQL + " WHERE r.id=?", (run_id,)).fetchone()
        if row is None:
            raise JournalError(f"no run {run_id} in the journal")
        return self._info(row)

    def resolve(self, ref: str) -> int:
        """A run id from ``'last'`` or a number."""
        if ref == "last":
            row = self._db.execute("SELECT MAX(id) FROM runs").fetchone()
            if not row or row[0] is None:
                raise JournalError("the journal has no runs yet")
            return int(row[0])
        try:
            return self.run_info(int(ref)).id
        except ValueError as exc:
            raise JournalError(f"not a run id: {ref!r} (a number or 'last')") from exc

    def interrupted_runs(self) -> list[RunInfo]:
        """Runs cut short without the user stopping them (crash, kill, window closed, Ctrl+C), with URLs left."""
        return [r for r in self.runs(50) if r.status == "interrupted" and r.done < r.total]

    def load(self, run_id: int) -> tuple[list[str], Batch, Settings, dict[int, FetchResult]]:
        """Everything needed to show, export, resume or retry a run."""
        lines, batch, settings = self.load_inputs(run_id)
        results = {idx: result_from_json(data) for idx, data in
                   self._db.execute("SELECT input_index, data FROM results WHERE run_id=?", (run_id,))}
        return lines, batch, settings, results

    def load_inputs(self, run_id: int) -> tuple[list[str], Batch, Settings]:
        """A run's input lines, parsed batch and settings, without its results (see :meth:`load`).

        Raises:
            JournalError: no such run.
        """
        row = self._db.execute("SELECT lines, settings FROM runs WHERE id=?", (run_id,)).fetchone()
        if row is None:
            raise JournalError(f"no run {run_id} in the journal")
        lines = json.loads(zlib.decompress(row[0]).decode("utf-8"))
        return lines, parse_lines(lines), settings_from_json(row[1])

    def continue_run(self, run_id: int, kind: str,
                     adjust: Callable[[Settings], Settings] | None = None) -> Continuation:
        """Prepare a resume (``kind="resume"``) or a retry of the failed rows (``"retry"``).

        A resume reopens the same run and keeps every result except the cancelled ones; a
        retry records a new ``retry`` run that keeps the good rows (and invalid URLs, which a
        second try cannot fix) and fetches the rest. ``adjust`` may change the recorded
        settings (command-line overrides); it runs before anything is written.

        Raises:
            JournalError: no such run.
        """
        lines, batch, settings, results = self.load(run_id)
        if adjust is not None:
            settings = adjust(settings)
        if kind == "resume":
            prior = {i: r for i, r in results.items() if r.error_kind is not ErrorKind.CANCELLED}
            self.reopen(run_id)
            target = run_id
        else:
            prior = {i: r for i, r in results.items() if r.ok or r.error_kind is ErrorKind.INVALID_URL}
            target = self.create_run(lines, settings, len(batch), kind="retry", parent_id=run_id)
        log.info("%s of run %d: %d kept, %d to fetch (journal run %d)", kind, run_id, len(prior),
                 len(batch) - len(prior), target)
        return Continuation(target, run_id, kind, lines, batch, settings, prior)

    def iter_results(self, run_id: int) -> Iterator[FetchResult]:
        """A run's recorded results in input order, one at a time (constant memory)."""
        db = self._connect(self.path)
        try:
            for (data,) in db.execute("SELECT data FROM results WHERE run_id=? ORDER BY input_index", (run_id,)):
                yield result_from_json(data)
        finally:
            db.close()

    def result_count(self, run_id: int) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM results WHERE run_id=?", (run_id,)).fetchone()[0])

    # -- resume and retry at any size (nothing per row in memory but one bit) ---------------------
    def run_lines(self, run_id: int) -> Iterator[str]:
        """A run's input lines, decompressed and decoded a piece at a time (never one list).

        Raises:
            JournalError: no such run, or its lines cannot be read.
        """
        row = self._db.execute("SELECT lines FROM runs WHERE id=?", (run_id,)).fetchone()
        if row is None:
            raise JournalError(f"no run {run_id} in the journal")
        return _iter_lines(bytes(row[0]), run_id)

    def kept_indices(self, run_id: int, kind: str, total: int) -> IndexSet:
        """The rows of ``run_id`` a resume (``kind="resume"``: all but cancelled) or a retry (``"retry"``:
        the good rows and invalid URLs, which a second try cannot fix) keeps, read row by row."""
        keep = IndexSet(total)
        if kind == "resume":
            sql = "SELECT input_index FROM results WHERE run_id=? AND error_kind IS NOT 'cancelled'"
        else:
            sql = "SELECT input_index FROM results WHERE run_id=? AND (ok=1 OR error_kind IS 'invalid_url')"
        for (idx,) in self._db.execute(sql, (run_id,)):
            keep.add(idx)
        return keep

    def recorded_among(self, run_id: int, rows: IndexSet) -> IndexSet:
        """Which of ``rows`` have a recorded result in ``run_id`` (any outcome), read row by row."""
        found = IndexSet(rows.nbytes * 8)
        for (idx,) in self._db.execute("SELECT input_index FROM results WHERE run_id=?", (run_id,)):
            if idx in rows:
                found.add(idx)
        return found

    def iter_kept(self, run_id: int, keep: IndexSet, page: int = 1000) -> Iterator[FetchResult]:
        """The results of ``run_id`` whose indices are in ``keep``, in input order, one at a time.

        Read ``page`` rows per short query on a connection of its own, so no read transaction stays
        open while a resume writes into the same run (rows it writes are not in ``keep``).
        """
        db = self._connect(self.path)
        try:
            last = -1
            while True:
                rows = db.execute("SELECT input_index, data FROM results WHERE run_id=? AND input_index>?"
                                  " ORDER BY input_index LIMIT ?", (run_id, last, page)).fetchall()
                if not rows:
                    return
                for idx, data in rows:
                    if idx in keep:
                        yield result_from_json(data)
                last = rows[-1][0]
        finally:
            db.close()

    def continue_stream(self, run_id: int, kind: str,
                        adjust: Callable[[Settings], Settings] | None = None) -> StreamContinuation:
        """Prepare a resume or a retry as :meth:`continue_run` does, without loading the run.

        Raises:
            JournalError: no such run.
        """
        row = self._db.execute("SELECT settings, total FROM runs WHERE id=?", (run_id,)).fetchone()
        if row is None:
            raise JournalError(f"no run {run_id} in the journal")
        settings = settings_from_json(row[0])
        if adjust is not None:
            settings = adjust(settings)
        total = int(row[1])
        keep = self.kept_indices(run_id, kind, total)
        if kind == "resume":
            self.reopen(run_id)
            target = run_id
        else:
            target = self.create_run(self.run_lines(run_id), settings, total, kind="retry", parent_id=run_id)
        log.info("%s of run %d: %d kept, %d to fetch (journal run %d; %d bytes of row flags)", kind, run_id,
                 len(keep), total - len(keep), target, keep.nbytes)
        return StreamContinuation(target, run_id, kind, settings, total, keep)

    # -- opening a big run: compact columns, no input parsed, no result decoded ---------------------
    def run_settings(self, run_id: int) -> Settings:
        """The settings a run was recorded with.

        Raises:
            JournalError: no such run.
        """
        row = self._db.execute("SELECT settings FROM runs WHERE id=?", (run_id,)).fetchone()
        if row is None:
            raise JournalError(f"no run {run_id} in the journal")
        return settings_from_json(row[0])

    def input_lines(self, run_id: int, n: int) -> Sequence[int]:
        """Each of the run's ``n`` rows' 1-based line in its input (the ``#`` column): a ``range`` when
        every line is a row, else an ``array('i')`` (4 bytes a row).

        Noted when the run was created; for a run recorded before that, worked out from its input
        lines once (about a second per million lines, in Python) and stored.

        Raises:
            JournalError: no such run, or its lines cannot be read.
        """
        row = self._db.execute("SELECT entry_lines FROM runs WHERE id=?", (run_id,)).fetchone()
        if row is None:
            raise JournalError(f"no run {run_id} in the journal")
        blob = row[0]
        if blob is None:
            entries = _EntryLines()
            for _line in entries.watch(self.run_lines(run_id)):
                pass
            blob = entries.blob()
            self._db.execute("UPDATE runs SET entry_lines=? WHERE id=?", (blob, run_id))
        if not blob:
            return range(1, n + 1)
        out = array("i")
        try:
            out.frombytes(zlib.decompress(blob))
        except zlib.error as exc:
            raise JournalError(f"the line numbers of run {run_id} are damaged: {exc}") from exc
        if _BIG_ENDIAN:
            out.byteswap()
        if len(out) < n:  # never expected: rows past the noted ones get numbers past the last
            last = out[-1] if out else 0
            out.extend(range(last + 1, last + 1 + n - len(out)))
        return out[:n] if len(out) > n else out

    def input_urls(self, run_id: int, n: int) -> list[str]:
        """The URL of each of the run's ``n`` rows, as the run reported it (``RunStarted.urls``).

        Read from the results' keys by SQLite, a chunk of rows joined into one string per query and
        split in C: no Python per row. Rows without keys (no result yet, or recorded without keys
        and not :meth:`fill_index`-ed) take theirs from the input lines, parsed only then.

        Raises:
            JournalError: no such run, or its lines cannot be read.
        """
        urls: list[str] = []
        for start in range(0, n, _COLUMN_CHUNK):
            stop = min(n, start + _COLUMN_CHUNK)
            rows, text = self._db.execute(
                "SELECT COUNT(*), group_concat(url, char(0)) FROM (SELECT url FROM result_keys WHERE run_id=?"
                " AND input_index>=? AND input_index<? ORDER BY input_index)", (run_id, start, stop)).fetchone()
            part = (text or "").split("\0") if rows == stop - start else []
            if len(part) != stop - start:  # rows without a result, or a URL with a NUL in it: row by row
                found = dict(self._db.execute("SELECT input_index, url FROM result_keys WHERE run_id=? AND"
                                              " input_index>=? AND input_index<?", (run_id, start, stop)))
                part = [found.get(i) or "" for i in range(start, stop)]
            urls.extend(part)
        if "" in urls:  # rows without a result (searched in C)
            want = {i for i, url in enumerate(urls) if not url}
            index = 0
            for line in self.run_lines(run_id):
                raw = entry_text(line)
                if not raw:
                    continue
                if index in want:
                    urls[index] = normalise(raw)[0] or raw
                index += 1
                if index >= n:
                    break
        return urls

    def timing_rows(self, run_id: int, start: int, stop: int) -> TimingRows:
        """What a timeline draws of rows ``start`` to ``stop`` (exclusive) of a run, from the results'
        keys (:meth:`fill_index` them first for a run recorded without): packed timings, status codes
        and outcomes built by SQLite as one string per column, decoded in C; only the failed rows'
        error kinds and messages come one row at a time.

        Raises:
            ValueError: an empty or negative range.
        """
        if not 0 <= start < stop:
            raise ValueError(f"not a range of rows: {start}..{stop}")
        count = stop - start
        columns = (" group_concat(hex(COALESCE(k.times, ?4)), ''),"
                   " group_concat(printf('%08x', COALESCE(k.code, 0)), ''),"
                   f" group_concat(CASE WHEN k.cat IS NULL THEN '00' WHEN k.cat & {row_index.OK} THEN '01'"
                   f" WHEN k.cat & {row_index.FAILED} THEN '02' ELSE '03' END, '')")
        # Every row recorded (a finished run): the keys' rows in a range, in order; else every row of
        # the range joined with its keys (a lookup a row).
        rows, times, codes, states = self._db.execute(
            f"SELECT COUNT(*), {columns} FROM (SELECT times, code, cat FROM result_keys WHERE run_id=?1"
            " AND input_index>=?2 AND input_index<?3 ORDER BY input_index) k", (run_id, start, stop, _NAN_TIMES)
        ).fetchone()
        if rows != count:
            times, codes, states = self._db.execute(
                "WITH RECURSIVE seq(i) AS (SELECT ?2 UNION ALL SELECT i + 1 FROM seq WHERE i + 1 < ?3)"
                f" SELECT {columns} FROM seq LEFT JOIN result_keys k ON k.run_id=?1 AND k.input_index=seq.i",
                (run_id, start, stop, _NAN_TIMES)).fetchone()
        packed = _doubles(bytes.fromhex(times))
        code_values = array("i")
        code_values.frombytes(bytes.fromhex(codes))  # big-endian, as printf wrote them
        if not _BIG_ENDIAN:
            code_values.byteswap()
        state_bytes = bytes.fromhex(states)
        if len(packed) != count * len(_TIMING_FIELDS) or len(code_values) != count or len(state_bytes) != count:
            raise JournalError(f"the timings of run {run_id} could not be read (rows {start}..{stop})")
        failures: dict[int, tuple[ErrorKind | None, str]] = {}
        for i, kind, error in self._db.execute(
                "SELECT r.input_index, r.error_kind, json_extract(r.data, '$.error') FROM result_keys k"
                " JOIN results r ON r.run_id=k.run_id AND r.input_index=k.input_index"
                f" WHERE k.run_id=?1 AND k.input_index>=?2 AND k.input_index<?3 AND NOT (k.cat & {row_index.OK})",
                (run_id, start, stop)):
            failures[i] = (ErrorKind(kind) if kind else None, error or "")
        return TimingRows(start, packed, code_values, state_bytes, failures)

    # -- the results table's queries (core.row_index) -----------------------------------------
    def fill_index(self, run_id: int, chunk: int = 5000) -> int:
        """Write the keys (:mod:`core.row_index`, and the packed timings) of a run's results recorded
        without them (by the headless command line, or before the keys were); the number of rows filled.

        Decodes each such row's JSON once (about 20k rows a second); a run recorded by this
        version's window has nothing to fill (found by counting, a few times faster than looking).
        Keys written before the packed timings were get those from :meth:`fill_timings`.
        """
        filled = 0
        (results,) = self._db.execute("SELECT COUNT(*) FROM results WHERE run_id=?", (run_id,)).fetchone()
        (keys,) = self._db.execute("SELECT COUNT(*) FROM result_keys WHERE run_id=?", (run_id,)).fetchone()
        last = -1
        while keys + filled < results:
            rows = self._db.execute(
                "SELECT r.input_index, r.data FROM results r WHERE r.run_id=?1 AND r.input_index>?3 AND NOT EXISTS"
                " (SELECT 1 FROM result_keys k WHERE k.run_id=?1 AND k.input_index=r.input_index)"
                " ORDER BY r.input_index LIMIT ?2", (run_id, chunk, last)).fetchall()
            if not rows:
                break
            with self._db:
                self._db.execute("BEGIN")
                self._db.executemany(_INSERT_KEYS, [(run_id, i, *row_index.index_values(r), _pack_timings(r.timings))
                                                    for i, data in rows if (r := result_from_json(data))])
            filled += len(rows)
            last = rows[-1][0]
        return filled

    def fill_timings(self, run_id: int, chunk: int = 20_000) -> int:
        """Write the packed timings of a run's keys written before they were (a journal migrated from
        schema version 0); the number of rows filled.

        The timings are read by SQLite's JSON functions and packed in Python (about 300k rows a second);
        a run recorded by this version has nothing to fill.
        """
        fields = ", ".join(f"json_extract(r.data, '$.timings.{f}')" for f in _TIMING_FIELDS)
        nan = math.nan
        filled, last = 0, -1
        while True:
            rows = self._db.execute(
                f"SELECT k.input_index, {fields} FROM result_keys k JOIN results r ON r.run_id=k.run_id AND"
                " r.input_index=k.input_index WHERE k.run_id=?1 AND k.input_index>?3 AND k.times IS NULL"
                " ORDER BY k.input_index LIMIT ?2", (run_id, chunk, last)).fetchall()
            if not rows:
                return filled
            packed = []
            for row in rows:
                values = array("d", [nan if v is None else v for v in row[1:]])
                if _BIG_ENDIAN:
                    values.byteswap()
                packed.append((values.tobytes(), run_id, row[0]))
            with self._db:
                self._db.execute("BEGIN")
                self._db.executemany("UPDATE result_keys SET times=? WHERE run_id=? AND input_index=?", packed)
            filled += len(rows)
            last = rows[-1][0]

    def order(self, run_id: int, key: str | None = None, descending: bool = False, quick: int = row_index.ALL,
              needle: str = "", searched: Sequence[str] = row_index.KEYS) -> array[int]:
        """Input indices of the run's recorded results that pass the filters, in display order.

        See :func:`core.row_index.order_query` for the arguments; an ``array('q')`` (8 bytes a row).
        """
        out = array("q")
        for sql, params in row_index.order_query(key, descending, quick, needle, searched):
            cur = self._db.execute(sql, (run_id, *params))
            while batch := cur.fetchmany(10_000):
                out.extend(itertools.chain.from_iterable(batch))
        return out

    def categories(self, run_id: int, n: int) -> bytearray:
        """The quick-filter bits of each of the run's ``n`` rows (``ALL`` alone for a row without a
        recorded result), with :data:`core.row_index.DUPLICATE_CONTENT` marking a row that has one."""
        # Built by SQLite as hex text, a chunk of rows at a time: no Python per row (a loop over a
        # million rows in a thread holds the GIL the GUI thread waits for).
        cats = bytearray()
        bits = f"printf('%02x', COALESCE(k.cat | {row_index.DUPLICATE_CONTENT}, {row_index.ALL}))"
        for start in range(0, n, _CATS_CHUNK):
            stop = min(n, start + _CATS_CHUNK)
            # Every row of the chunk recorded: its keys in a range, in order; else every row joined with
            # its keys (a lookup a row, a few times slower).
            rows, text = self._db.execute(
                f"SELECT COUNT(*), group_concat({bits}, '') FROM (SELECT cat FROM result_keys WHERE run_id=?"
                " AND input_index>=? AND input_index<? ORDER BY input_index) k", (run_id, start, stop)).fetchone()
            if rows != stop - start:
                (text,) = self._db.execute(
                    "WITH RECURSIVE seq(i) AS (SELECT ?2 UNION ALL SELECT i + 1 FROM seq WHERE i + 1 < ?3)"
                    f" SELECT group_concat({bits}, '') FROM seq LEFT JOIN result_keys k ON k.run_id=?1"
                    " AND k.input_index=seq.i", (run_id, start, stop)).fetchone()
            cats += bytes.fromhex(text)
        return cats

    def quick_counts(self, run_id: int, duplicates_only: bool = False) -> dict[int, int]:
        """How many recorded results have each quick-filter bit (:mod:`core.row_index`); ``ALL``: every one.

        ``duplicates_only``: only :data:`core.row_index.DUPLICATE_CONTENT` (the rows in groups of
        two or more with the same content).
        """
        bits = [b for b in (row_index.ALL, row_index.OK, row_index.REDIRECTED, row_index.CLIENT_ERROR,
                            row_index.SERVER_ERROR, row_index.FAILED, row_index.NON_INDEXABLE)]
        if duplicates_only:
            bits = []
        row = ()
        if bits:
            row = self._db.execute("SELECT " + ", ".join(f"COALESCE(SUM((cat & {b}) != 0), 0)" for b in bits)
                                   + " FROM result_keys WHERE run_id=?", (run_id,)).fetchone()
        counts = dict(zip(bits, (int(v) for v in row), strict=True))
        counts[row_index.DUPLICATE_CONTENT] = int(self._db.execute(
            "SELECT COALESCE(SUM(n), 0) FROM (SELECT COUNT(*) AS n FROM result_keys WHERE run_id=?"
            " AND dup_key IS NOT NULL GROUP BY dup_key HAVING n > 1)", (run_id,)).fetchone()[0])
        return counts

    def missing(self, run_id: int, n: int) -> array[int]:
        """The input indices in ``range(n)`` without a recorded result, ascending (counted by SQLite)."""
        out = array("q")
        cur = self._db.execute(
            "WITH RECURSIVE seq(i) AS (SELECT 0 WHERE ?2 > 0 UNION ALL SELECT i + 1 FROM seq WHERE i + 1 < ?2)"
            " SELECT i FROM seq WHERE NOT EXISTS (SELECT 1 FROM result_keys k WHERE k.run_id=?1 AND k.input_index=i)",
            (run_id, n))
        while batch := cur.fetchmany(10_000):
            out.extend(itertools.chain.from_iterable(batch))
        return out

    def elapsed_values(self, run_id: int) -> list[float]:
        """The per-URL times (ms) of a run's fetched results, ascending (what its histogram shows)."""
        return [v for (v,) in self._db.execute(
            "SELECT elapsed FROM result_keys INDEXED BY result_keys_by_elapsed WHERE run_id=? AND elapsed IS NOT NULL"
            " ORDER BY elapsed", (run_id,))]

    def iter_timings(self, run_id: int) -> Iterator[tuple[int, int, str | None, int | None, str | None,
                                                           tuple[float | None, ...]]]:
        """``(input_index, ok, error_kind, status_code, error or None, timings)`` of a run's results,
        in input order, read by SQLite's JSON functions (no result decoded in Python);
        ``timings`` has the :class:`core.model.Timings` fields in their order (what a timeline draws)."""
        fields = ", ".join(f"json_extract(data, '$.timings.{f}')" for f in _TIMING_FIELDS)
        cur = self._db.execute(
            f"SELECT input_index, ok, error_kind, json_extract(data, '$.status_code'),"
            f" CASE WHEN ok=0 THEN json_extract(data, '$.error') END, {fields}"
            f" FROM results WHERE run_id=? ORDER BY input_index", (run_id,))
        while batch := cur.fetchmany(10_000):
            for row in batch:
                yield row[0], row[1], row[2], row[3], row[4], row[5:]

    def scan_rows(self, run_id: int) -> Iterator[tuple[int, int]]:
        """``(input_index, cat)`` of every recorded result of a run with its keys, in input order.

        ``cat`` has the quick-filter bits of :mod:`core.row_index`: ``OK`` for a done row,
        ``FAILED`` for a failed one, neither for a cancelled one.
        """
        cur = self._db.execute("SELECT input_index, cat FROM result_keys WHERE run_id=?", (run_id,))
        while batch := cur.fetchmany(10_000):
            yield from batch

    def duplicate_rows(self, run_id: int) -> array[int]:
        """Input indices of the results whose content another result of the run shares."""
        return self.order(run_id, quick=row_index.DUPLICATE_CONTENT)

    def results_at(self, run_id: int, indices: Iterable[int]) -> dict[int, FetchResult]:
        """The recorded results of these input indices (missing ones are left out)."""
        wanted = sorted(set(indices))
        out: dict[int, FetchResult] = {}
        for start in range(0, len(wanted), 500):
            part = wanted[start:start + 500]
            marks = ",".join("?" * len(part))
            sql = f"SELECT input_index, data FROM results WHERE run_id=? AND input_index IN ({marks})"
            for i, data in self._db.execute(sql, (run_id, *part)):
                out[i] = result_from_json(data)
        return out

    def recorded(self, run_id: int, results: Iterable[FetchResult]) -> set[int]:
        """The input indices of those of ``results`` the journal holds: its row of that index has their
        timings (a row fetched again has its earlier result there until the new one is written; a row
        whose keys were written without timings, before they were stored, counts as held)."""
        packed = {r.input_index: r.timings for r in results}
        wanted = sorted(packed)
        out: set[int] = set()
        for start in range(0, len(wanted), 500):
            part = wanted[start:start + 500]
            sql = (f"SELECT input_index, times FROM result_keys WHERE run_id=? AND input_index IN "
                   f"({','.join('?' * len(part))})")
            out.update(i for i, times in self._db.execute(sql, (run_id, *part))
                       if times is None or bytes(times) == _pack_timings(packed[i]))
        return out


class JournalWriter:
    """A run observer that records results through a writer thread.

    ``on_result`` only appends to a deque (a ``Queue.put`` per result, with its lock and
    notify, was 13 % of the event loop's time at 1,000 pages/s); the thread wakes once,
    waits ``FLUSH_INTERVAL`` so results gather, takes them all and commits them in one
    transaction.

    Args:
        journal: the journal (its path is reopened by the writer thread).
        run_id: the run to write into.
        skip: input indices not to write (results the run already has in the journal); an
            :class:`core.run.indexset.IndexSet` is used as it is.
        index_keys: also write each result's sort and filter keys (:mod:`core.row_index`) for the
            window's paged table; a headless run leaves them out (a second row and nine index
            entries per result) and :meth:`Journal.fill_index` writes them if the window opens it.

    Attributes:
        stopped: set when the user stops the run on purpose: it is then recorded as
            ``stopped``, not ``interrupted`` (see :meth:`Journal.finish_run`).
        failed: the writer thread could not commit (logged): results are no longer recorded nor held.
    """

    def __init__(self, journal: Journal, run_id: int, skip: Iterable[int] = (), index_keys: bool = True) -> None:
        self.journal = journal
        self.run_id = run_id
        self.index_keys = index_keys
        self.stopped = False
        self.failed = False
        # Rows the journal holds already (a resumed run's kept results); a bitmap stays one (1 bit a row).
        self._skip: IndexSet | frozenset[int] = skip if isinstance(skip, IndexSet) else frozenset(skip)
        self._buffer: collections.deque[FetchResult] = collections.deque()  # thread-safe append/popleft
        self._wake = threading.Event()
        self._stop = threading.Event()  # cuts the gathering pause short: close() never waits it out
        self._stopping = False
        self.commits = 0
        self.written = 0
        self._writing = 0  # rows of the batch being committed
        self._thread = threading.Thread(target=self._loop, name=f"journal-{run_id}", daemon=True)
        self._thread.start()

    def behind(self) -> int:
        """Results handed in and not yet committed (the writer thread's backlog, rows); 0 once the
        writer has failed (nothing will drain it: a run waiting on it would wait forever)."""
        if self.failed:
            return 0
        return len(self._buffer) + self._writing

    def on_start(self, info: RunStarted) -> None:
        self.journal.set_total(self.run_id, info.total)

    def on_progress(self, progress: Progress) -> None:
        pass

    def on_result(self, result: FetchResult) -> None:
        if self.failed:
            return  # no thread writes them any more: holding them would only grow
        if result.input_index not in self._skip:
            self._buffer.append(result)
            if not self._wake.is_set():
                self._wake.set()

    def on_finish(self, summary: RunSummary) -> None:
        self.close()
        self.journal.finish_run(self.run_id, summary, stopped=self.stopped)

    def close(self) -> None:
        """Write everything buffered and stop the writer thread."""
        if self._thread.is_alive():
            self._stopping = True
            self._stop.set()
            self._wake.set()
            self._thread.join()

    def _loop(self) -> None:
        db = Journal._connect(self.journal.path)
        try:
            while True:
                self._wake.wait()
                if not self._stopping:
                    self._stop.wait(FLUSH_INTERVAL)  # let results gather: one transaction per interval
                self._wake.clear()
                batch = [self._buffer.popleft() for _ in range(len(self._buffer))]
                if batch:
                    self._writing = len(batch)
                    self._write(db, batch)
                    self._writing = 0
                if self._stopping and not self._buffer:
                    return
        except Exception:
            log.exception("journal writer failed; results are no longer recorded")
            self.failed = True
            self._writing = 0
            self._buffer.clear()
        finally:
            db.close()

    def _write(self, db: sqlite3.Connection, batch: list[FetchResult]) -> None:
        rows = [(self.run_id, r.input_index, 1 if r.ok else 0, r.error_kind.value if r.error_kind else None,
                 result_to_json(r)) for r in batch]
        db.execute("BEGIN")
        db.executemany(_INSERT, rows)
        if self.index_keys:
            db.executemany(_INSERT_KEYS, [(self.run_id, r.input_index, *row_index.index_values(r),
                                           _pack_timings(r.timings)) for r in batch])
        db.execute("COMMIT")
        self.commits += 1
        self.written += len(rows)


class ComparisonRecorder:
    """Records a comparison (sync, threads, async on one batch) as one comparison of three runs.

    Each mode's run is a journal run of kind ``compare``, created when that mode starts; the
    first one (sync) stands for the comparison and the others name it as their parent, so the
    history and ``--list-runs`` show them together ("compare #12").

    Args:
        journal: the journal.
        lines: the batch's input lines (as for :meth:`Journal.create_run`).
    """

    def __init__(self, journal: Journal, lines: Iterable[str]) -> None:
        self.journal = journal
        self.lines = list(lines)
        self.first: int | None = None
        self.run_ids: list[int] = []
        self.writers: list[JournalWriter] = []

    def writer_for(self, settings: Settings, total: int) -> JournalWriter:
        """The observer that records the run of ``settings.mode`` (created now, status ``running``)."""
        run_id = self.journal.create_run(self.lines, settings, total, kind="compare", parent_id=self.first)
        if self.first is None:
            self.first = run_id
        self.run_ids.append(run_id)
        writer = JournalWriter(self.journal, run_id)
        self.writers.append(writer)
        return writer

    def close(self) -> None:
        """Stop every writer thread (after the comparison, or when it was abandoned)."""
        for writer in self.writers:
            writer.close()
