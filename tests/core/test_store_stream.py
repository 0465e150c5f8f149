"""Reading a run back from the journal a piece at a time: its lines, the rows to keep, the kept results."""

from __future__ import annotations

import sqlite3

import pytest

from core.model import ErrorKind, FetchResult, Mode, Timings
from core.run.indexset import IndexSet
from core.settings import Settings
from core.store import Journal, JournalError, JournalWriter


def _result(i: int, ok: bool = True, kind: ErrorKind | None = None) -> FetchResult:
    return FetchResult(
        i,
        f"http://h/{i}",
        Mode.ASYNC,
        status_code=200 if ok else None,
        ok=ok,
        error_kind=kind,
        timings=Timings(1.0, finished_ms=2.0),
    )


def test_index_set_is_a_bitmap() -> None:
    s = IndexSet(10)
    for i in (0, 7, 8, 8, 9, 100):
        s.add(i)
    assert len(s) == 5 and list(s) == [0, 7, 8, 9, 100]
    assert 8 in s and 1 not in s and -1 not in s and 10_000 not in s and "8" not in s
    assert IndexSet(10_000_000).nbytes == 1_250_000


def test_index_set_of_every_row_less_some() -> None:
    for n in (0, 1, 7, 8, 9, 21):
        assert list(IndexSet.every(n)) == list(range(n)) and len(IndexSet.every(n)) == n
    s = IndexSet.every(21)
    for i in (3, 3, 20, 21, -1):
        s.discard(i)
    assert list(s) == [i for i in range(20) if i != 3] and len(s) == 19 and 20 not in s


def test_lines_come_back_as_given_a_piece_at_a_time(tmp_path) -> None:
    j = Journal(tmp_path / "j.sqlite3")
    lines = ["# comment", "", "http://h/ä", 'with "quotes", commas ] and [brackets', "\\ back\\slash"] * 30_000
    rid = j.create_run(iter(lines), Settings(), len(lines))
    assert list(j.run_lines(rid)) == lines
    with pytest.raises(JournalError):
        j.run_lines(rid + 1)
    db = sqlite3.connect(tmp_path / "j.sqlite3")
    with db:
        db.execute("UPDATE runs SET lines=? WHERE id=?", (b"not zlib at all", rid))
    db.close()
    with pytest.raises(JournalError, match="damaged"):
        list(j.run_lines(rid))


def test_kept_rows_and_results_for_a_resume_and_a_retry(tmp_path) -> None:
    j = Journal(tmp_path / "j.sqlite3")
    rid = j.create_run([f"http://h/{i}" for i in range(5000)], Settings(), 5000)
    w = JournalWriter(j, rid)
    for i in range(0, 5000, 2):  # odd rows never reached the journal
        kind = ErrorKind.CANCELLED if i % 10 == 0 else ErrorKind.HTTP_ERROR if i % 10 == 2 else None
        w.on_result(_result(i, ok=kind is None, kind=kind))
    w.on_result(_result(1, ok=False, kind=ErrorKind.INVALID_URL))
    w.close()
    resume = j.kept_indices(rid, "resume", 5000)
    assert list(resume) == [1] + [i for i in range(0, 5000, 2) if i % 10 != 0]
    retry = j.kept_indices(rid, "retry", 5000)
    assert list(retry) == [1] + [i for i in range(0, 5000, 2) if i % 10 not in (0, 2)]
    kept = list(j.iter_kept(rid, retry, page=300))
    assert [r.input_index for r in kept] == list(retry)
    assert kept[0].error_kind is ErrorKind.INVALID_URL and all(r.ok for r in kept[1:])

    go = j.continue_stream(rid, "retry")
    assert (go.source_id, go.kind, go.total, go.to_fetch) == (rid, "retry", 5000, 5000 - len(retry))
    assert go.run_id != rid and list(j.run_lines(go.run_id)) == list(j.run_lines(rid))
    go = j.continue_stream(rid, "resume", adjust=lambda s: s.replace(concurrency=7))
    assert go.run_id == rid and go.settings.concurrency == 7 and list(go.keep) == list(resume)
    assert j.run_info(rid).status == "running"
