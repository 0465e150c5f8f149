"""Is there a display to open a window on? Asked before Qt, which aborts the process without one.

On Linux, Qt's xcb plugin calls ``qFatal`` (exit 134, with a misleading hint about
``xcb-cursor0``) when ``DISPLAY`` is unset or its X server cannot be reached, and the
wayland plugin fails the same way without a compositor. :func:`display_problem` checks the
same things first, so the app can say in one line what is wrong and that ``--headless``
runs without a window.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import sys
from collections.abc import Mapping
from pathlib import Path

log = logging.getLogger(__name__)

# Platform plugins that need no display server.
_HEADLESS_PLATFORMS = frozenset({"offscreen", "minimal", "vnc", "linuxfb", "eglfs", "vkkhrdisplay"})
_X_DISPLAY = re.compile(r"^(?P<host>[^:]*):(?P<number>\d+)(?:\.\d+)?$")  # [host]:display[.screen]
X11_SOCKETS = Path("/tmp/.X11-unix")


def _can_connect(family: int, address: str | tuple[str, int], timeout: float = 1.0) -> bool:
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.settimeout(timeout)
        try:
            s.connect(address)
        except OSError:
            return False
    return True


def x_server_reachable(display: str, sockets: Path = X11_SOCKETS) -> bool:
    """Whether the X server named by ``display`` (``:0``, ``unix:1``, ``host:0.0``) accepts a connection."""
    m = _X_DISPLAY.match(display)
    if m is None:
        return True  # a form we do not know (e.g. a launchd path on macOS): let Qt decide
    host, number = m.group("host"), int(m.group("number"))
    if host in ("", "unix"):
        path = str(sockets / f"X{number}")
        # Linux X servers also listen on the abstract socket of the same name.
        return _can_connect(socket.AF_UNIX, path) or (
            sys.platform.startswith("linux") and _can_connect(socket.AF_UNIX, "\0" + path))
    return _can_connect(socket.AF_INET, (host, 6000 + number))


def display_problem(env: Mapping[str, str] | None = None, platform: str | None = None,
                    sockets: Path = X11_SOCKETS) -> str | None:
    """Why no window can be opened (one line), or ``None`` if a display looks usable.

    Only Linux and the BSDs are checked (X11 or Wayland); Windows and macOS always have one.
    """
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if not (platform.startswith("linux") or "bsd" in platform):
        return None
    qpa = env.get("QT_QPA_PLATFORM", "").split(":", 1)[0].strip().lower()
    if qpa in _HEADLESS_PLATFORMS:
        return None
    wayland, x_display = env.get("WAYLAND_DISPLAY", ""), env.get("DISPLAY", "")
    if wayland and qpa in ("", "wayland"):
        runtime = env.get("XDG_RUNTIME_DIR", "")
        path = wayland if os.path.isabs(wayland) else os.path.join(runtime, wayland)
        if _can_connect(socket.AF_UNIX, path):
            return None
        if qpa == "wayland" or not x_display:
            return f"cannot reach the Wayland display {wayland!r}"
    if x_display and qpa in ("", "xcb"):
        if x_server_reachable(x_display, sockets):
            return None
        return f"cannot reach the X display {x_display!r}"
    if qpa:
        return f"no display for the {qpa!r} platform (DISPLAY and WAYLAND_DISPLAY are not set)"
    return "no display (DISPLAY and WAYLAND_DISPLAY are not set)"
