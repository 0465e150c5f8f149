"""Test-wide settings: Qt runs offscreen, nothing touches the internet."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Journal databases, QSettings and launchers written by tests (and the subprocesses they
# start) go to a throw-away home, never the user's own folders.
_SANDBOX = tempfile.mkdtemp(prefix="fetchlens-tests-")
atexit.register(shutil.rmtree, _SANDBOX, ignore_errors=True)
for _var, _sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache")):
    os.environ[_var] = os.path.join(_SANDBOX, _sub)
os.environ.setdefault("QT_API", "pyside6")
# Every process this test session starts inherits this mark, so the end-of-session check below finds
# exactly ours (other suites may run on the same machine at the same time).
SESSION_MARK = "FETCHLENS_TEST_SESSION"
os.environ[SESSION_MARK] = uuid.uuid4().hex
LEFTOVER_GRACE_S = 5.0  # how long a process started by a test may take to end after the suite

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from core.parse.pool import Extractor  # noqa: E402 - after the path set-up above

pytest_plugins = ["tests.testbed.fixtures"]


@pytest.fixture(scope="session")
def extractor() -> Iterator[Extractor]:
    """One parsing pool for the whole suite (starting its processes takes about a second)."""
    ex = Extractor(workers=2)
    ex.start()
    yield ex
    ex.shutdown()


def _ours(proc: psutil.Process, me: int) -> bool:
    """Started by this session (it carries our mark), and not the one that ends with us for sure."""
    try:
        if proc.pid == me or proc.environ().get(SESSION_MARK) != os.environ[SESSION_MARK]:
            return False
        # This process's own multiprocessing resource tracker ends when we do (its pipe closes).
        return not (proc.ppid() == me and "resource_tracker" in " ".join(proc.cmdline()))
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return False


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run if any process it started is still alive (after a grace period to end)."""
    me = os.getpid()
    left = [p for p in psutil.process_iter() if _ours(p, me)]
    _gone, alive = psutil.wait_procs(left, timeout=LEFTOVER_GRACE_S)
    alive = [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    if alive:
        described = []
        for p in alive:
            try:
                described.append(f"{p.pid} {' '.join(p.cmdline())[:200]}")
            except psutil.Error:
                described.append(str(p.pid))
        session.config.get_terminal_writer().line(
            "processes left behind by this test session:\n  " + "\n  ".join(described), red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
