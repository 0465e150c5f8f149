"""Saving a file the user asked for: atomically, with ordinary permissions, failures in plain words.

Every file Fetchlens writes for the user (CSV exports, comparison CSVs, pictures) goes through
:func:`atomic_target`: the content is written under a temporary name in the target's folder and
renamed into place, so a failure never leaves half a file and never touches an existing one; the
file gets the permissions a plain ``open()`` would give it (0666 less the umask, 0644 usually),
not the 0600 of :func:`tempfile.mkstemp`.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger(__name__)


def _umask() -> int:
    # os.umask can only be read by setting it; done once, at import, before any worker thread writes.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


FILE_MODE = 0o666 & ~_umask()
"""The mode of a saved file: what ``open(path, "w")`` would create."""

_REASONS = {
    errno.ENOENT: "the folder does not exist",
    errno.ENOTDIR: "part of the path is not a folder",
    errno.EACCES: "no permission to write there",
    errno.EPERM: "no permission to write there",
    errno.EROFS: "the disk is read-only",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EFBIG: "the file is too large for this disk (or the disk is full)",
    errno.EISDIR: "a folder of that name is in the way",
    errno.ENAMETOOLONG: "the file name is too long",
}


class SaveError(Exception):
    """A file could not be saved; the message says where and why in plain words."""


def plain_reason(exc: OSError) -> str:
    """Why a write failed, in words a person understands (``strerror`` for the rare cases)."""
    return _REASONS.get(exc.errno or 0) or (exc.strerror or str(exc)).lower()


def check_writable(path: str | os.PathLike[str]) -> None:
    """Fail early, before any work, if ``path`` cannot be saved (no folder, a folder in the way, read-only).

    Raises:
        SaveError: ``cannot write to <folder>: <reason>`` or ``cannot write <path>: <reason>``.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise SaveError(f"cannot write {target}: {_REASONS[errno.EISDIR]}")
    if not folder.is_dir():
        raise SaveError(f"cannot write to {folder}: "
                        + (_REASONS[errno.ENOENT] if not folder.exists() else _REASONS[errno.ENOTDIR]))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise SaveError(f"cannot write to {folder}: {_REASONS[errno.EACCES]}")


@contextlib.contextmanager
def atomic_target(path: str | os.PathLike[str]) -> Iterator[str]:
    """Yield a temporary file name next to ``path``; on a clean exit it becomes ``path``.

    Write the whole content to the yielded name (it exists, empty). Without an exception
    it gets :data:`FILE_MODE` and is renamed over ``path``; with one it is removed.

    Raises:
        SaveError: the folder cannot take a new file, or writing or renaming failed
            (``cannot write to <folder>: <reason>`` / ``cannot write <path>: <reason>``).
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise SaveError(f"cannot write to {folder}: {plain_reason(exc)}") from exc
    os.close(fd)
    try:
        yield tmp
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, target)
    except OSError as exc:
        raise SaveError(f"cannot write {target}: {plain_reason(exc)}") from exc
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
