"""Time on an axis and in words: 1-2-5 tick steps, tick positions and labels, human durations.

Plain Python (no Qt), shared by the timeline, the histogram, the comparison and history windows.
"""

from __future__ import annotations

import logging
import math

log = logging.getLogger(__name__)

_NICE = (1.0, 2.0, 5.0)


def nice_ceil(value: float) -> float:
    """The smallest 1-2-5 × 10^k that is ≥ ``value``."""
    if value <= 0:
        return 0.0
    k = math.floor(math.log10(value))
    for m in (*_NICE, 10.0):
        if m * 10**k >= value * (1 - 1e-12):
            return m * 10**k
    return 10.0 ** (k + 1)


def tick_step(ms_per_px: float, min_px: float = 80.0) -> float:
    """A 1-2-5 step in ms (or 10/15/30 s, 1/2/5/10/15/30 min) at least ``min_px`` apart."""
    target = ms_per_px * min_px
    if target >= 1000.0:
        for step in (1e3, 2e3, 5e3, 1e4, 15e3, 3e4, 6e4, 12e4, 3e5, 6e5, 9e5, 18e5, 36e5):
            if step >= target:
                return step
    return nice_ceil(target)


def ticks(start_ms: float, end_ms: float, step: float) -> list[float]:
    """Multiples of ``step`` in ``[start_ms, end_ms]``."""
    if step <= 0 or end_ms < start_ms:
        return []
    first = math.ceil(start_ms / step - 1e-9)
    last = math.floor(end_ms / step + 1e-9)
    if last - first > 10_000:
        return []
    return [k * step for k in range(first, last + 1)]


def format_tick(ms: float, step: float) -> str:
    """A tick label with as many decimals as the step needs: ``250 ms``, ``1.5 s``, ``2 min 30 s``."""
    if abs(ms) < 1e-9:
        return "0"
    if step >= 1000.0 or (abs(ms) >= 1000.0 and step >= 1.0):
        s = ms / 1000.0
        if abs(s) >= 60 and step % 1000 == 0:
            sign = "-" if s < 0 else ""
            m, rest = divmod(round(abs(s)), 60)
            return f"{sign}{m} min {rest} s" if rest else f"{sign}{m} min"
        return f"{s:.{_decimals(step / 1000.0)}f} s"
    return f"{ms:.{_decimals(step)}f} ms"


def format_duration(ms: float) -> str:
    """A human duration: ``302 ms``, ``15.3 s``, ``2 min 30 s``."""
    if ms < 1.0:
        return f"{ms:.2f} ms"
    if ms < 1000.0:
        return f"{ms:.0f} ms"
    s = ms / 1000.0
    if s < 60:
        return f"{s:.1f} s"
    m, rest = divmod(round(s), 60)
    if m >= 60:
        h, m = divmod(m, 60)
        return f"{h} h {m} min"
    return f"{m} min {rest} s" if rest else f"{m} min"


def _decimals(step: float) -> int:
    """Decimals needed to print multiples of ``step`` exactly (0.25 → 2, 0.5 → 1, 5 → 0)."""
    for d in range(7):
        scaled = step * 10**d
        if abs(scaled - round(scaled)) < 1e-6 * max(1.0, scaled):
            return d
    return 6
