"""Icons, the desktop-entry template and other files shipped beside the code.

This package never imports Qt, so ``core`` may use it (the launcher needs icon paths).
"""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)

RESOURCES = Path(__file__).parent
"""The folder holding every resource file."""

ICON_SIZES: tuple[int, ...] = (16, 24, 32, 48, 64, 128, 256, 512)
"""Pixel sizes of the pre-rendered PNG icons in ``icons/``."""

SVG_ICON = RESOURCES / "fetchlens.svg"
ICO_ICON = RESOURCES / "fetchlens.ico"
ICNS_ICON = RESOURCES / "fetchlens.icns"
DESKTOP_TEMPLATE = RESOURCES / "org.fetchlens.Fetchlens.desktop.in"


def icon_path(size: int | None = None) -> Path:
    """Path of the application icon.

    Args:
        size: Wanted edge length in pixels, or ``None`` for the scalable SVG. A size without
            its own PNG gets the smallest larger one (or the largest there is), because
            scaling down looks better than scaling up.

    Returns:
        The absolute path of the SVG or of a PNG in ``icons/``.

    Raises:
        ValueError: If ``size`` is not positive.
    """
    if size is None:
        return SVG_ICON
    if size <= 0:
        raise ValueError(f"icon size must be positive, got {size}")
    chosen = next((s for s in ICON_SIZES if s >= size), ICON_SIZES[-1])
    return RESOURCES / "icons" / f"fetchlens-{chosen}.png"
