"""A bounded window that turns results finishing in any order back into input order.

Indices are admitted in input order (0, 1, 2, ...) when a run takes them from its input and
completed in any order; completed results leave through ``emit`` strictly in input order. At
most ``bound`` indices are admitted and not yet emitted: that is the memory a streaming run
holds for rows, whatever the size of the input. When the window is full, :meth:`wait_room`
blocks the taker until the oldest unfinished index completes (back-pressure).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from core.model import FetchResult

log = logging.getLogger(__name__)


class ReorderWindow:
    """Input-order release of results with at most ``bound`` rows in the window.

    Args:
        bound: most indices admitted but not yet emitted (>= 1).
        emit: called once per result, in input order, on the loop's thread.
        first: the first index to expect (0 for a whole run).
    """

    def __init__(self, bound: int, emit: Callable[[FetchResult], None], first: int = 0) -> None:
        if bound < 1:
            raise ValueError("the reorder window must hold at least one row")
        self.bound = bound
        self._emit = emit
        self._head = first  # next index to emit
        self._next = first  # next index to admit
        self._done: dict[int, FetchResult] = {}
        self._room = asyncio.Event()
        self._room.set()
        self.stalled = asyncio.Event()  # set while a taker waits for room (the slowest row holds the head)
        self.high_water = 0  # most rows ever held (tests, benchmarks)
        self.full_waits = 0  # how often a taker had to wait for room

    def __len__(self) -> int:
        """Rows admitted and not yet emitted (in flight, waiting for a host, or done but early)."""
        return self._next - self._head

    @property
    def emitted(self) -> int:
        """How many rows have left the window so far."""
        return self._head

    @property
    def admitted(self) -> int:
        return self._next

    def full(self) -> bool:
        return len(self) >= self.bound

    async def wait_room(self) -> None:
        """Return once another index may be admitted."""
        while self.full():
            self.full_waits += 1
            self._room.clear()
            self.stalled.set()
            await self._room.wait()

    def admit(self, index: int) -> None:
        """Take ``index`` into the window (indices come in order, one by one)."""
        if index != self._next:
            raise ValueError(f"admitted {index}, expected {self._next}")
        self._next += 1
        self.high_water = max(self.high_water, len(self))

    def complete(self, result: FetchResult) -> None:
        """Hand in the result of an admitted index; emits every result now at the head."""
        idx = result.input_index
        if not self._head <= idx < self._next or idx in self._done:
            raise ValueError(f"result for index {idx} outside the window [{self._head}, {self._next})")
        self._done[idx] = result
        if idx != self._head:
            return
        done = self._done
        while self._head in done:
            r = done.pop(self._head)
            self._head += 1
            try:
                self._emit(r)
            except Exception:
                log.exception("writing row %d failed", r.input_index)
        if not self.full():
            self.stalled.clear()
            self._room.set()
