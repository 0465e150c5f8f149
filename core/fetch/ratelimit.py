"""Request rate limits: token buckets overall and per host, usable from asyncio and from threads.

Each bucket is kept as the Generic Cell Rate Algorithm (ITU-T I.371), the virtual-scheduling
form of a token bucket: a bucket of rate ``r`` per second and size ``b`` lets ``b`` requests
through at once and then one every ``1/r`` seconds. A request takes a token from the overall
bucket *and* its host's bucket at the same instant (the earliest one both allow), so neither
limit is ever exceeded, not even for a moment.

Back-off rule (after a ``429`` or ``503``, RFC 6585 §4 / RFC 9110 §15.6.4): the host's rate
halves (at least :data:`MIN_RATE`); a host without a rate of its own is first given the rate it
was actually served at over the last :data:`OBSERVE_S` seconds (at least :data:`OBSERVED_FLOOR`
per second, so one 503 from a host seen once does not stall it), then halved. Every
:data:`RECOVER_S` seconds without another 429/503 the rate grows by a quarter (×1.25), until it
is back at the host's own rate (or, for a host without one, the limit is lifted).

Callers reserve a slot with :meth:`RateLimiter.reserve` (thread-safe, never blocks) and wait
the returned delay themselves — :meth:`RateLimiter.acquire` with ``await``, or
:meth:`RateLimiter.acquire_blocking` in a thread. The delay is the time to show as the
"rate limit" phase of the timeline.
"""

from __future__ import annotations

import asyncio
import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

MIN_RATE = 0.05  # requests per second: a host is never slowed below one request per 20 s
RECOVER_S = 10.0  # seconds without a 429/503 for each ×1.25 step back up
RECOVER_FACTOR = 1.25
OBSERVE_S = 5.0  # seconds of history that give a host without a rate its starting rate
OBSERVED_FLOOR = 2.0  # requests per second: the least starting rate of a host without a rate


@dataclass(slots=True)
class _Bucket:
    """One GCRA bucket: ``tat`` is the theoretical arrival time of the next request."""

    rate: float  # requests per second; 0 or inf = no limit
    burst: int = 1
    tat: float = 0.0

    def earliest(self, t: float) -> float:
        if not self.rate or math.isinf(self.rate):
            return t
        tolerance = (self.burst - 1) / self.rate
        return max(t, self.tat - tolerance)

    def take(self, t: float) -> None:
        if self.rate and not math.isinf(self.rate):
            self.tat = max(self.tat, t) + 1.0 / self.rate


@dataclass(slots=True)
class _Host:
    bucket: _Bucket
    own_rate: float  # configured (0: none)
    penalised_rate: float = 0.0  # the halved rate (0: no penalty)
    penalised_at: float = 0.0
    observed_cap: float = 0.0  # for a host without its own rate: the rate seen when it was penalised
    grants: deque[float] = field(default_factory=lambda: deque(maxlen=256))

    def current_rate(self, now: float) -> float:
        if not self.penalised_rate:
            return self.own_rate
        steps = int((now - self.penalised_at) // RECOVER_S)
        rate = self.penalised_rate * (RECOVER_FACTOR ** steps)
        if self.own_rate and rate >= self.own_rate:
            self.penalised_rate = 0.0
            return self.own_rate
        if not self.own_rate and steps and rate >= self.observed_cap:
            self.penalised_rate = 0.0
            return 0.0
        return rate


class RateLimiter:
    """Overall and per-host token buckets (see the module docstring for the rules).

    Args:
        rate: requests per second over the whole run; 0 for no limit.
        host_rate: default requests per second per host; 0 for no limit.
        burst: bucket size: how many requests may start at once after a quiet spell (≥ 1).
        clock: a monotonic clock in seconds (tests may pass their own).
    """

    def __init__(self, rate: float = 0.0, host_rate: float = 0.0, burst: int = 1,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._burst = max(1, burst)
        self._overall = _Bucket(rate, self._burst)
        self._host_rate = host_rate
        self._hosts: dict[str, _Host] = {}
        self._lock = threading.Lock()

    def _host(self, host: str) -> _Host:
        h = self._hosts.get(host)
        if h is None:
            h = self._hosts[host] = _Host(_Bucket(self._host_rate, self._burst), self._host_rate)
        return h

    def set_host_rate(self, host: str, rate: float) -> None:
        """Give ``host`` its own rate (a host rule, or robots.txt's Crawl-delay); 0 lifts it."""
        with self._lock:
            h = self._host(host)
            h.own_rate = rate
            h.bucket.rate = h.current_rate(self._clock())

    def host_rate(self, host: str) -> float:
        """The rate ``host`` is held to now (0: none)."""
        with self._lock:
            return self._host(host).current_rate(self._clock())

    @property
    def active(self) -> bool:
        """Whether any limit is configured or in force (else :meth:`reserve` always says 0)."""
        return bool(self._overall.rate or self._host_rate or self._hosts)

    def reserve(self, host: str) -> float:
        """Take a slot for one request to ``host``; returns the seconds to wait before sending it."""
        with self._lock:
            now = self._clock()
            h = self._host(host)
            h.bucket.rate = h.current_rate(now)
            t = max(self._overall.earliest(now), h.bucket.earliest(now))
            t = max(self._overall.earliest(t), h.bucket.earliest(t))  # both are idempotent: one pass settles
            self._overall.take(t)
            h.bucket.take(t)
            h.grants.append(t)
            return t - now

    def penalise(self, host: str) -> float:
        """A ``429``/``503`` from ``host``: halve its rate. Returns the new rate (requests/s)."""
        with self._lock:
            now = self._clock()
            h = self._host(host)
            base = h.current_rate(now)
            if not base:
                recent = [g for g in h.grants if now - OBSERVE_S <= g <= now]
                base = max(len(recent) / OBSERVE_S, OBSERVED_FLOOR)
                h.observed_cap = base
            h.penalised_rate = max(MIN_RATE, base / 2)
            h.penalised_at = now
            h.bucket.rate = h.penalised_rate
            log.info("%s answered 429/503: its rate is now %.2f requests/s", host, h.penalised_rate)
            return h.penalised_rate

    async def acquire(self, host: str) -> float:
        """Wait (asyncio) for a slot; returns the seconds waited."""
        delay = self.reserve(host)
        if delay > 0:
            await asyncio.sleep(delay)
        return delay

    def acquire_blocking(self, host: str, cancelled: threading.Event | None = None) -> float:
        """Wait (in a thread) for a slot; returns the seconds waited. ``cancelled`` cuts the wait short."""
        delay = self.reserve(host)
        if delay > 0:
            (cancelled or threading.Event()).wait(delay)
        return delay
