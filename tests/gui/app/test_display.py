"""Without a display the window says so in one line (exit 2) instead of Qt aborting (exit 134)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from gui.app.display import display_problem, x_server_reachable

ROOT = Path(__file__).resolve().parents[3]


def _without_display(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return {**env, **extra}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland")
@pytest.mark.parametrize(("extra", "says"), [
    ({}, "no display (DISPLAY and WAYLAND_DISPLAY are not set)"),
    ({"DISPLAY": ":4242"}, "cannot reach the X display ':4242'"),
])
def test_the_window_without_a_display_says_so_in_one_line(extra: dict[str, str], says: str) -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "main.py")], env=_without_display(**extra), cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr == f"fetchlens: {says}; run with --headless to work without a window\n"


def test_a_listening_x_socket_is_a_display(tmp_path: Path) -> None:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(tmp_path / "X7"))
        server.listen(8)  # connections are never accepted: room for each check
        assert x_server_reachable(":7", tmp_path) and x_server_reachable("unix:7.0", tmp_path)
        assert display_problem({"DISPLAY": ":7"}, "linux", tmp_path) is None
    assert not x_server_reachable(":8", tmp_path)
    assert display_problem({"DISPLAY": ":8"}, "linux", tmp_path) == "cannot reach the X display ':8'"


def test_platforms_that_need_no_display() -> None:
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert display_problem({}, "win32") is None and display_problem({}, "darwin") is None
    assert display_problem({"QT_QPA_PLATFORM": "xcb"}, "linux") == (
        "no display for the 'xcb' platform (DISPLAY and WAYLAND_DISPLAY are not set)")
