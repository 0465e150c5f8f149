"""Keep CPython's full garbage collections short while the window is live.

A full (generation 2) collection walks every tracked object and holds the GIL meanwhile,
so it stalls the event loop in whatever thread triggers it: ~50–110 ms here once a
100,000-line batch is in memory (measured while pasting 100k URLs). Objects that live as
long as the window (modules, widgets, the parsed batch) are moved to the permanent
generation with :func:`gc.freeze`, so later collections skip them; they are still freed
normally by reference counting when dropped. The cost: reference cycles that exist at the
moment of freezing are never collected (a small, bounded leak for a desktop app).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import time
from collections.abc import Iterator

log = logging.getLogger(__name__)

BIG_BATCH = 10_000  # entries from which a batch's objects are worth freezing


@contextlib.contextmanager
def no_collection_while_building(expected_objects: int) -> Iterator[None]:
    """Build many long-lived objects without a full collection in the middle, then freeze them.

    A worker thread that allocates 100,000 objects triggers full collections itself, and
    those hold the GIL (a 231 ms stall of the GUI thread measured). Small builds run as usual.
    """
    if expected_objects < BIG_BATCH or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        freeze_long_lived("new batch")
        gc.enable()


def freeze_long_lived(reason: str, young_first: bool = False) -> None:
    """Move every object alive now out of the collector's reach (see the module docstring).

    ``young_first``: collect the young generations first (about a millisecond), so that cycles
    that just became garbage are freed rather than frozen. For frequent calls during a run.
    """
    t = time.perf_counter()
    if young_first:
        gc.collect(1)
    gc.freeze()
    # Not gc.get_freeze_count() unless asked: it walks the whole permanent generation (65 ms measured at
    # 3 million frozen objects, what a 100,000-row run holds), and a run freezes every 250 results.
    if log.isEnabledFor(logging.DEBUG):
        log.debug("froze %d objects (%s) in %.1f ms", gc.get_freeze_count(), reason, (time.perf_counter() - t) * 1000)
