"""GUI test fixtures: one QApplication (pytest-qt's ``qapp``), a qasync loop per test,
a future-based ``wait_signal``, an isolated settings store and a shared parsing pool.

``qtbot.waitSignal`` does not work with async slots (it spins a nested Qt loop inside the
running asyncio loop), so scenarios are coroutines run with ``loop.run_until_complete``.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_API", "pyside6")

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, SignalInstance
from PySide6.QtWidgets import QApplication

from core.parse.pool import Extractor

log = logging.getLogger(__name__)


# The offscreen platform plugin warns on every top-level show() and tooltip raise(); that is the test platform
# talking, not the app (qt_log_level_fail=WARNING would fail every window test on it).
OFFSCREEN_NOISE = r"This plugin does not support (propagateSizeHints|raise)\(\)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture(scope="session")
def qapp_args() -> list[str]:
    return ["fetchlens-tests"]


@pytest.fixture
def loop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    """A qasync event loop over the session's QApplication (not running between tests)."""
    import qasync  # after PySide6

    QCoreApplication.setApplicationName("FetchlensTests")
    QCoreApplication.setOrganizationName("FetchlensTests")
    # As in gui.app.runtime: closing the last window must not stop the loop under a running
    # coroutine (qasync #39, "Event loop stopped before Future completed").
    qapp.setQuitOnLastWindowClosed(False)
    ev = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(ev)
    try:
        yield ev
    finally:
        pending = [t for t in asyncio.all_tasks(ev) if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            ev.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        ev.run_until_complete(ev.shutdown_asyncgens())
        ev.close()
        asyncio.set_event_loop(None)
        # Collect the loop's QObjects (its timer) here, on the GUI thread: left to the cyclic
        # GC they may die in whichever thread allocates next ("Timers cannot be stopped from
        # another thread").
        del ev
        gc.collect()


async def wait_signal(signal: SignalInstance, timeout: float = 10.0) -> tuple[Any, ...]:  # noqa: ASYNC109
    """Wait until ``signal`` is emitted; returns its arguments.

    Raises:
        TimeoutError: not emitted within ``timeout`` seconds.
    """
    future: asyncio.Future[tuple[Any, ...]] = asyncio.get_running_loop().create_future()

    def slot(*args: Any) -> None:
        if not future.done():
            future.set_result(args)

    signal.connect(slot)
    try:
        return await asyncio.wait_for(future, timeout)
    finally:
        signal.disconnect(slot)


async def wait_until(predicate: Callable[[], bool], signal: SignalInstance,
                     timeout: float = 20.0) -> None:  # noqa: ASYNC109 (the helper's documented signature)
    """Wait on ``signal`` until ``predicate()`` holds (checked first and after every emission)."""
    async with asyncio.timeout(timeout):
        while not predicate():
            await wait_signal(signal, timeout)


@pytest.fixture(scope="session", autouse=True)
def english_plurals(qapp: QApplication) -> Iterator[None]:
    """The runtime installs the English plural forms ("1 line", "2 lines") in every language; so do the tests."""
    from gui.app.i18n import install_translators

    translators = install_translators(qapp, "en")
    yield
    for t in translators:
        qapp.removeTranslator(t)


@pytest.fixture
def settings_store(tmp_path: Path) -> Any:
    """An :class:`gui.app.settings.AppSettings` in a temporary INI file."""
    from gui.app.settings import AppSettings

    return AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def window(qtbot: Any, loop: asyncio.AbstractEventLoop, extractor: Extractor, settings_store: Any) -> Iterator[Any]:
    """The main window, shown offscreen; shut down (run stopped, tasks ended) afterwards."""
    from gui.window.main_window import MainWindow

    win = MainWindow(extractor, settings_store)
    # Shut down before pytest-qt closes and deleteLater()s the window: the loop that runs shutdown()
    # would otherwise be free to delete it midway.
    qtbot.addWidget(win, before_close_func=lambda w: loop.run_until_complete(w.shutdown()))
    win.show()
    yield win


def write_urls(path: Path, urls: list[str]) -> Path:
    path.write_text("\n".join(urls) + "\n", encoding="utf-8")
    return path


def visible_dialog(kind: type) -> Any:
    """A visible top-level widget of ``kind``, or ``None``."""
    for w in QApplication.topLevelWidgets():
        if isinstance(w, kind) and w.isVisible():
            return w
    return None


class _ShowWatcher(QObject):
    """Resolves a future when a widget of ``kind`` is shown (there is no signal for that)."""

    def __init__(self, kind: type, future: asyncio.Future[Any]) -> None:
        super().__init__()
        self.kind, self.future = kind, future

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, self.kind) and not self.future.done():
            self.future.set_result(watched)
        return False


async def wait_for_dialog(kind: type, timeout: float = 5.0) -> Any:  # noqa: ASYNC109
    """The visible top-level widget of ``kind``, once it has been shown."""
    shown = visible_dialog(kind)
    if shown is not None:
        return shown
    future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    watcher = _ShowWatcher(kind, future)
    app = QApplication.instance()
    app.installEventFilter(watcher)
    try:
        return await asyncio.wait_for(future, timeout)
    finally:
        app.removeEventFilter(watcher)
