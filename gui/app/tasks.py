"""Tasks a window starts and owns: kept referenced, errors shown, cancelled on shutdown.

asyncio keeps only weak references to tasks, so a fire-and-forget task can vanish
mid-way; and an exception in one would go unseen (qasync #39 era lesson in STYLE.md).
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Coroutine
from typing import Any

log = logging.getLogger(__name__)


class TaskKeeper:
    """Holds the tasks it spawns until they end; reports their errors to ``sys.excepthook``."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and (exc := task.exception()) is not None:
            sys.excepthook(type(exc), exc, exc.__traceback__)

    async def cancel_all(self) -> None:
        """Cancel every task still running and wait until they have ended."""
        tasks = [t for t in self._tasks if not t.done()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
