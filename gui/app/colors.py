"""Status and phase colours that stay readable in light and dark palettes.

Colours are not hard-coded RGB values: each kind has a hue and a saturation, and the
lightness comes from the palette (dark text on a light ``Base``, light text on a dark one).
Text colours are then nudged until they reach a WCAG contrast ratio of 4.5 against the
palette's ``Base`` colour, so they also work with high-contrast or unusual themes.

The timeline reuses :func:`phase_color` for its bars (hues follow the browsers' network
panels: DNS teal, connect orange, waiting green, download blue, parse purple).
"""

from __future__ import annotations

import enum
import logging
from functools import lru_cache

from PySide6.QtGui import QColor, QPalette

log = logging.getLogger(__name__)


class StatusKind(enum.StrEnum):
    """What a result row's status means, for colouring."""

    QUEUED = "queued"
    RUNNING = "running"
    OK = "ok"
    REDIRECT = "redirect"
    CLIENT_ERROR = "client_error"
    SERVER_ERROR = "server_error"
    FAILED = "failed"
    CANCELLED = "cancelled"


#: Phase names in the order they happen (the names used by ``core.model.Timings.segments``), plus ``failed``.
PHASES: tuple[str, ...] = ("rate_limit", "queued", "dns", "connect", "wait", "download", "parse", "failed")

# (hue 0–359 or -1 for grey, saturation 0–1)
_STATUS_HUES: dict[StatusKind, tuple[int, float]] = {
    StatusKind.QUEUED: (-1, 0.0),
    StatusKind.RUNNING: (212, 0.75),
    StatusKind.OK: (135, 0.65),
    StatusKind.REDIRECT: (190, 0.75),
    StatusKind.CLIENT_ERROR: (30, 0.90),
    StatusKind.SERVER_ERROR: (330, 0.75),
    StatusKind.FAILED: (0, 0.80),
    StatusKind.CANCELLED: (-1, 0.0),
}

_PHASE_HUES: dict[str, tuple[int, float]] = {
    "rate_limit": (50, 0.85),  # amber: held back on purpose (--rate, --host-rate, a 429 back-off)
    "queued": (220, 0.10),
    "dns": (175, 0.60),
    "connect": (28, 0.85),
    "wait": (120, 0.50),
    "download": (212, 0.75),
    "parse": (275, 0.50),
    "failed": (0, 0.75),
}


def is_dark(palette: QPalette) -> bool:
    """True when the palette draws light text on a dark background."""
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    return base.lightnessF() < text.lightnessF()


def _luminance(c: QColor) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio between two colours (1 to 21)."""
    la, lb = _luminance(a), _luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def _hsl(hue: int, sat: float, light: float) -> QColor:
    return QColor.fromHslF(max(hue, 0) / 360.0, sat if hue >= 0 else 0.0, min(max(light, 0.0), 1.0))


@lru_cache(maxsize=256)
def _text_color(hue: int, sat: float, base_rgb: int, dark: bool) -> QColor:
    base = QColor.fromRgb(base_rgb)
    light = 0.68 if dark else 0.36
    color = _hsl(hue, sat, light)
    # Walk away from the background until the text is comfortably readable.
    for _ in range(12):
        if contrast_ratio(color, base) >= 4.5:
            break
        light += 0.05 if dark else -0.05
        color = _hsl(hue, sat, light)
    return color


@lru_cache(maxsize=256)
def _fill_color(hue: int, sat: float, dark: bool) -> QColor:
    return _hsl(hue, sat * (0.85 if dark else 1.0), 0.46 if dark else 0.55)


def status_color(kind: StatusKind | str, palette: QPalette) -> QColor:
    """Text colour for a status of this kind, readable on the palette's ``Base``.

    Args:
        kind: a :class:`StatusKind` (or its string value).
        palette: the palette of the widget that paints the text.

    Returns:
        A new QColor (safe to modify).
    """
    hue, sat = _STATUS_HUES.get(StatusKind(kind), (-1, 0.0))
    base = palette.color(QPalette.ColorRole.Base)
    if hue < 0:  # greys: de-emphasised text, between Base and Text but still readable
        text = palette.color(QPalette.ColorRole.Text)
        t = 0.55
        color = _mix(base, text, t)
        while t < 1.0 and contrast_ratio(color, base) < 4.5:
            t += 0.05
            color = _mix(base, text, t)
        return color
    return QColor(_text_color(hue, sat, base.rgb(), is_dark(palette)))


def status_fill(kind: StatusKind | str, palette: QPalette) -> QColor:
    """Fill colour (bars, dots) for a status kind."""
    hue, sat = _STATUS_HUES.get(StatusKind(kind), (-1, 0.0))
    return QColor(_fill_color(hue, sat, is_dark(palette)))


def phase_color(phase: str, palette: QPalette) -> QColor:
    """Fill colour of a request phase: one of :data:`PHASES` (unknown names are grey).

    Args:
        phase: ``rate_limit``, ``queued``, ``dns``, ``connect``, ``wait``, ``download``, ``parse`` or ``failed``.
        palette: the palette of the widget that paints the bar.
    """
    hue, sat = _PHASE_HUES.get(phase, (-1, 0.0))
    return QColor(_fill_color(hue, sat, is_dark(palette)))


def text_on(fill: QColor) -> QColor:
    """Black or white, whichever is more readable on ``fill``."""
    black, white = QColor(0, 0, 0), QColor(255, 255, 255)
    return black if contrast_ratio(fill, black) >= contrast_ratio(fill, white) else white


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    t = min(max(t, 0.0), 1.0)
    return QColor.fromRgbF(a.redF() + (b.redF() - a.redF()) * t,
                           a.greenF() + (b.greenF() - a.greenF()) * t,
                           a.blueF() + (b.blueF() - a.blueF()) * t)


def track_color(palette: QPalette) -> QColor:
    """Background of an empty progress track: a little away from ``Base`` towards ``Text``."""
    return _mix(palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text), 0.12)
