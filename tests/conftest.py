"""Test-wide settings: Qt runs offscreen, nothing touches the internet."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Journal databases, QSettings and launchers written by tests (and the subprocesses they
# start) go to a throw-away home, never the user's own folders.
_SANDBOX = tempfile.mkdtemp(prefix="fetchlens-tests-")
for _var, _sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache")):
    os.environ[_var] = os.path.join(_SANDBOX, _sub)
os.environ.setdefault("QT_API", "pyside6")

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

pytest_plugins = ["tests.testbed.fixtures"]
