"""Test-wide settings: Qt runs offscreen, nothing touches the internet."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Journal databases, QSettings and launchers written by tests (and the subprocesses they
# start) go to a throw-away home, never the user's own folders.
_SANDBOX = tempfile.mkdtemp(prefix="fetchlens-tests-")
atexit.register(shutil.rmtree, _SANDBOX, ignore_errors=True)
for _var, _sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache")):
    os.environ[_var] = os.path.join(_SANDBOX, _sub)
os.environ.setdefault("QT_API", "pyside6")

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
