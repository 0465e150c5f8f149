"""Guard against the PySide6 6.12.0 / Python 3.11 refcount bug (requirements.txt pins < 6.12).

That release drops a reference to ``None`` on every void Qt call; under qasync the process
aborts with "none_dealloc" after ~8,000 loop iterations. The loop runs in a subprocess so an
abort fails this test instead of killing pytest.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
ITERATIONS = 20_000

SCRIPT = f"""
import asyncio, os, sys
os.environ["QT_API"] = "pyside6"
from PySide6.QtWidgets import QApplication, QLabel, QProgressBar
import qasync

app = QApplication(["guard"])
label = QLabel()
bar = QProgressBar()
bar.setRange(0, 100)

async def spin():
    before = sys.getrefcount(None)
    for i in range({ITERATIONS}):
        await asyncio.sleep(0)          # one qasync loop iteration (a Qt timer event)
        label.setText(str(i))           # void Qt calls: each one hit the bug
        bar.setValue(i % 100)
        label.update()
    after = sys.getrefcount(None)
    print("ITERATIONS", {ITERATIONS}, "NONE_REFS", before, after, flush=True)

qasync.run(spin())
"""


def test_twenty_thousand_qasync_iterations_do_not_abort() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_API": "pyside6"}
    proc = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=110)
    assert proc.returncode == 0, f"qasync loop aborted (rc {proc.returncode}):\n{proc.stderr[-2000:]}"
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("ITERATIONS"))
    _, n, _, before, after = line.split()
    assert int(n) == ITERATIONS
    # The bug loses one reference per void call (60,000 here); normal drift is a few hundred at most.
    assert int(after) - int(before) > -ITERATIONS // 2, f"refcount of None fell from {before} to {after}"
    assert "none_dealloc" not in proc.stderr
