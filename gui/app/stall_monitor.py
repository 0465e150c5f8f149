"""A heartbeat that measures how long the event loop fails to answer.

Under qasync the asyncio loop *is* the Qt loop, so any callback that runs too long
freezes the window. A precise 10 ms timer measures how late each tick fires; the
lateness is the stall a person would feel (a click or a repaint waits just as long).
"""

from __future__ import annotations

import logging
import time
from collections import Counter

from PySide6.QtCore import QObject, Qt, QTimer

log = logging.getLogger(__name__)

INTERVAL_MS = 10
LOG_STALL_MS = 30  # stalls logged (at debug level) to find their cause


class StallStats:
    """Lateness samples in whole-millisecond buckets (memory stays bounded on long runs)."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self._buckets: Counter[int] = Counter()
        self.samples = 0
        self.worst_ms = 0.0

    def add(self, late_ms: float) -> None:
        late_ms = max(0.0, late_ms)
        self.samples += 1
        self._buckets[int(late_ms)] += 1
        if late_ms > self.worst_ms:
            self.worst_ms = late_ms

    def percentile(self, q: float) -> float:
        """The ``q`` quantile (0..1) of the lateness, to the millisecond (0 without samples)."""
        if not self.samples:
            return 0.0
        rank = q * self.samples
        seen = 0
        for ms in sorted(self._buckets):
            seen += self._buckets[ms]
            if seen >= rank:
                return float(min(ms + 1, self.worst_ms))  # the bucket's upper edge, never above the worst
        return self.worst_ms

    @property
    def p99_ms(self) -> float:
        return self.percentile(0.99)


class StallMonitor(QObject):
    """Ticks every ``interval_ms`` while running and records how late each tick came.

    Args:
        interval_ms: the heartbeat period; 10 ms resolves stalls a person can notice.
        parent: the owning QObject.
    """

    def __init__(self, interval_ms: int = INTERVAL_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._interval_ms = interval_ms
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)
        self._last = self._started = 0.0
        self.stats = StallStats()

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    @property
    def worst_ms(self) -> float:
        return self.stats.worst_ms

    @property
    def p99_ms(self) -> float:
        return self.stats.p99_ms

    def start(self) -> None:
        """Forget earlier samples and start measuring."""
        self.stats.reset()
        self._last = self._started = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        """Stop measuring; the figures stay readable until the next :meth:`start`."""
        if not self._timer.isActive():
            return
        self._tick()
        self._timer.stop()
        log.debug("event-loop stalls: worst %.1f ms, p99 %.1f ms over %d ticks",
                  self.stats.worst_ms, self.stats.p99_ms, self.stats.samples)

    def _tick(self) -> None:
        now = time.perf_counter()
        late = (now - self._last) * 1000.0 - self._interval_ms
        self.stats.add(late)
        if late >= LOG_STALL_MS:
            log.debug("event loop stalled %.0f ms (%.3f s after the monitor started)", late, now - self._started)
        self._last = now
