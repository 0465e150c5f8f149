"""core.files: atomic saves with ordinary permissions, and failures said in plain words."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from core.files import FILE_MODE, SaveError, atomic_target, check_writable, plain_reason


def test_a_saved_file_gets_the_mode_open_would_give_it(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with atomic_target(target) as tmp:
        Path(tmp).write_text("hello")
    assert target.read_text() == "hello"
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == FILE_MODE == 0o666 & ~mask
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_a_failed_save_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("precious")
    with pytest.raises(RuntimeError), atomic_target(target) as tmp:
        Path(tmp).write_text("half")
        raise RuntimeError("the writer failed")
    assert target.read_text() == "precious"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


@pytest.mark.parametrize(("where", "reason"), [
    ("missing/out.csv", "cannot write to {tmp}/missing: the folder does not exist"),
    ("file.txt/out.csv", "cannot write to {tmp}/file.txt: part of the path is not a folder"),
    ("folder", "cannot write {tmp}/folder: a folder of that name is in the way"),
])
def test_failures_say_where_and_why(tmp_path: Path, where: str, reason: str) -> None:
    (tmp_path / "file.txt").write_text("x")
    (tmp_path / "folder").mkdir()
    expected = reason.format(tmp=tmp_path)
    with pytest.raises(SaveError) as checked:
        check_writable(tmp_path / where)
    assert str(checked.value) == expected
    with pytest.raises(SaveError) as saved, atomic_target(tmp_path / where) as tmp:
        Path(tmp).write_text("x")
    assert str(saved.value) == expected


def test_check_writable_accepts_a_new_file_in_an_existing_folder(tmp_path: Path) -> None:
    check_writable(tmp_path / "new.csv")
    assert list(tmp_path.iterdir()) == []  # checking creates nothing


def test_plain_reasons() -> None:
    assert plain_reason(OSError(28, "No space left on device")) == "the disk is full"
    assert plain_reason(OSError(30, "Read-only file system")) == "the disk is read-only"
    assert plain_reason(OSError(99999, "Strange Thing")) == "strange thing"
