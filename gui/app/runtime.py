"""Start-up and orderly shutdown of the window: QApplication, then ``qasync.run``.

Order matters here:

* PySide6 is imported before qasync so qasync picks this binding.
* ``setQuitOnLastWindowClosed(False)``: closing the window resolves a future and the main
  coroutine shuts down (stop the run, close its HTTP session, stop the parsing processes)
  *before* the loop ends; quitting from Qt first would leave "Task was destroyed but it is
  pending" and "Event loop stopped before Future completed" behind (qasync #39).
* PySide6 6.12.0 on Python < 3.12 corrupts the refcount of ``None`` on every void Qt call and
  aborts after ~8,000 loop iterations; requirements.txt pins < 6.12 there and
  tests/gui/test_runtime_guard.py runs 20,000 iterations to catch a regression.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import signal
import sys
from collections.abc import Sequence
from typing import Any

os.environ.setdefault("QT_API", "pyside6")

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from core.cli.args import ExitStatus, UsageError, build_parser
from core.cli.entry import configure_logging
from core.cli.outputs import check_outputs, write_json, write_outputs
from core.cli.settings import settings_from_args
from core.desktop.content import WM_CLASS
from core.export import ExportError
from core.files import SaveError
from core.parse.pool import Extractor
from core.run.host import EngineError
from core.sitemaps import read_inputs
from core.store import Journal, JournalError, default_path
from core.urls import InputError
from gui.app.about import versions
from gui.app.display import display_problem
from gui.app.excepthook import ErrorReporter
from gui.app.heap import freeze_long_lived
from gui.app.i18n import install_translators
from gui.app.settings import AppSettings
from gui.app.stall_monitor import StallMonitor
from gui.urls.panel import read_files, render

log = logging.getLogger(__name__)

APP_NAME = "Fetchlens"
DESKTOP_FILE = "org.fetchlens.Fetchlens"
"""The desktop entry's name (Wayland app id) and the Windows AppUserModelID."""


def app_icon() -> QIcon:
    """The window icon from ``resources/`` (every PNG size plus the SVG); empty if missing."""
    icon = QIcon()
    try:
        import resources

        for size in resources.ICON_SIZES:
            path = resources.icon_path(size)
            if path.is_file():
                icon.addFile(str(path))
        if resources.icon_path().is_file():
            icon.addFile(str(resources.icon_path()))
    except (ImportError, AttributeError, OSError, ValueError) as exc:
        log.warning("application icon not available: %s", exc)
    return icon


def set_platform_identity() -> None:
    """Names the desktop uses to match the window to its launcher; call before the QApplication.

    * X11: Qt's xcb plugin takes WM_CLASS from ``RESOURCE_NAME`` or else argv[0] ("main.py"),
      which would not match the desktop entry's ``StartupWMClass`` (core.desktop.launcher.WM_CLASS):
      the dock would show a second, generic icon and the startup notification would spin on.
    * Windows: without an explicit AppUserModelID the taskbar groups the window under
      python(w).exe, with Python's icon.
    """
    os.environ.setdefault("RESOURCE_NAME", WM_CLASS)
    if sys.platform == "win32":
        import ctypes

        try:
            ctypes.windll.shell32.SetCurrentProcessExplicitAppUserModelID(DESKTOP_FILE)  # type: ignore[attr-defined]
        except (AttributeError, OSError) as exc:
            log.warning("could not set the Windows AppUserModelID: %s", exc)


def make_app(argv: Sequence[str] | None = None) -> QApplication:
    """The QApplication with Fetchlens's names, or the existing one (tests)."""
    QGuiApplication.setDesktopFileName(DESKTOP_FILE)  # before any window: the Wayland app id
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([sys.argv[0] if sys.argv else APP_NAME, *(argv or [])])
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setOrganizationName(APP_NAME)
    QCoreApplication.setOrganizationDomain("fetchlens.org")
    QGuiApplication.setApplicationDisplayName(APP_NAME)
    app.setQuitOnLastWindowClosed(False)
    icon = app_icon()
    if not icon.isNull():
        app.setWindowIcon(icon)
    return app


class _PaintWatcher(QObject):
    """Resolves a future once the watched window has been painted."""

    def __init__(self, future: asyncio.Future[None]) -> None:
        super().__init__()
        self._future = future

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._future.done():
            # Resolved on a later loop iteration, after the rest of this paint pass.
            self._future.get_loop().call_soon(lambda: self._future.done() or self._future.set_result(None))
        return False


async def wait_first_paint(window: Any, timeout: float = 2.0) -> None:  # noqa: ASYNC109
    """Wait until the window has been painted once (or ``timeout`` seconds).

    A run started by ``--start`` otherwise begins during the window's first layout and paint,
    and the stall monitor would charge that one-off cost to the run.
    """
    future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    watcher = _PaintWatcher(future)
    window.installEventFilter(watcher)
    window.update()
    try:
        await asyncio.wait_for(future, timeout)
    except TimeoutError:
        log.debug("no paint event within %.1f s; going on", timeout)
    finally:
        window.removeEventFilter(watcher)


async def _autorun(window: Any, args: Any, text: str | None) -> int:
    """What the command line asks for: load, run, export, write the summary, quit."""
    if args.demo:
        await window.try_demo()
    elif text is not None:
        await window.url_panel.set_text(text)
        for path in args.files:
            window.store.add_recent_file(path)
    if not args.start:
        if not args.demo and text is None:
            # A plain start: the URL box as it was, then offer to finish an interrupted run.
            await window.restore_url_box()
            await wait_first_paint(window)
            await window.offer_resume_at_start()
        return ExitStatus.OK
    status: int = ExitStatus.ERROR
    try:
        await wait_first_paint(window)
        status = await _run_and_report(window, args)
    except Exception:
        log.exception("the run requested on the command line failed")
    finally:
        # Scripts rely on --quit-when-done: quit on every path, errors included.
        if args.quit_when_done and not window.isHidden():
            window.close_now()
    return status


async def _run_and_report(window: Any, args: Any) -> int:
    """Run (or compare), then write --csv/--jsonl/--xlsx and --summary-json; the exit status."""
    if not (await window.url_panel.batch()).entries:
        log.error("no URLs to fetch")
        return ExitStatus.USAGE
    status = ExitStatus.OK
    if args.mode == "compare":
        stall = StallMonitor(parent=window)
        stall.start()
        compare = await window.open_compare(start=True, unattended=args.quit_when_done)
        comparison = await compare.task if compare is not None and compare.task is not None else None
        stall.stop()
        if comparison is None:
            return ExitStatus.INTERRUPTED
        data: dict[str, object] = comparison.to_dict()
        try:  # --csv/--jsonl/--xlsx, one file per mode, as the command line writes them
            lines = [e.line for e in compare.batch.entries]
            await asyncio.to_thread(write_outputs, args, comparison.results, data, lines)
        except ExportError as exc:
            log.error("%s", exc)
            status = ExitStatus.ERROR
    else:
        task = await window.start_run()
        summary = await task if task is not None else None
        if summary is None:
            return ExitStatus.ERROR
        stall = window.controller.stall
        data = summary.to_dict()
        for path in (args.csv, args.jsonl, args.xlsx):  # the format follows the file's extension
            if path and await window.files.export(path=path) is None:
                status = ExitStatus.ERROR
        if summary.interrupted and status == ExitStatus.OK:
            status = ExitStatus.INTERRUPTED
    if args.summary_json:
        data["max_ui_stall_ms"] = round(stall.worst_ms, 1)
        data["p99_ui_stall_ms"] = round(stall.p99_ms, 1)
        try:
            await asyncio.to_thread(write_json, args.summary_json, data)
        except SaveError as exc:
            log.error("%s", exc)
            status = ExitStatus.ERROR
    return status


REPORT_GRACE_S = 1.0  # how long closing waits for a stopped command-line run to write its files


def _install_signal_handlers(loop: asyncio.AbstractEventLoop, window: Any) -> list[int]:
    """Ctrl+C or SIGTERM close the window the orderly way; the returned list receives the signals seen."""
    seen: list[int] = []

    def on_signal(sig: int) -> None:
        seen.append(sig)
        window.close_now()  # no question: a run going on is interrupted (offered for resume next time)

    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, on_signal, sig)
        except (NotImplementedError, RuntimeError, ValueError):  # Windows, or not the main thread
            signal.signal(sig, lambda s, _f: loop.call_soon_threadsafe(on_signal, s))
    return seen


def open_journal(args: Any) -> Journal | None:
    """The run journal (``--data-dir``), or ``None`` with ``--no-journal`` or when it cannot be opened."""
    if getattr(args, "no_journal", False):
        return None
    try:
        return Journal(default_path(args.data_dir))
    except JournalError as exc:
        log.warning("%s; runs are not recorded", exc)
        return None


async def _warm_up(window: Any) -> None:
    """Start the engine process now, so that the first run does not wait for it."""
    try:
        await window.controller.warm_up()
    except EngineError as exc:
        log.warning("%s", exc)  # the first run reports it again, in the window


async def run_app(app: QApplication, args: Any, text: str | None, reporter: ErrorReporter) -> int:
    """The main coroutine: show the window, wait until it closes, shut everything down."""
    from gui.window.main_window import MainWindow

    loop = asyncio.get_running_loop()
    loop.set_exception_handler(reporter.loop_handler)
    # Compare windows parse here (its processes start with the first one); the main window's runs happen
    # in the engine process. Started during a run, they took the window's core: stalls of 200-500 ms.
    extractor = Extractor()
    window = MainWindow(extractor, AppSettings(), app.windowIcon(), journal=open_journal(args))
    window.spawn(_warm_up(window))
    # Modules, Qt wrappers and widgets live as long as the app: take them out of every later
    # full collection (see gui.app.heap) before the window appears.
    gc.collect()
    freeze_long_lived("start-up")
    closed: asyncio.Future[None] = loop.create_future()
    window.closing.connect(lambda: closed.done() or closed.set_result(None))
    signalled = _install_signal_handlers(loop, window)
    try:
        window.apply_settings(settings_from_args(args, window.settings), remember=False)
        window.show()
        auto = window.spawn(_autorun(window, args, text))
        await closed
        # A run still going stops now (finished rows stay); a command-line run then still writes its
        # partial --csv / --summary-json before the window goes.
        window.controller.stop()
        if not auto.done():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(auto), timeout=REPORT_GRACE_S)
        status = auto.result() if auto.done() and not auto.cancelled() and auto.exception() is None \
            else ExitStatus.OK
        if signalled:
            status = ExitStatus.INTERRUPTED  # Ctrl+C / SIGTERM: 130, as the command line
        log.info("window closed; shutting down")
        await window.shutdown()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(Exception):
                loop.remove_signal_handler(sig)
        # The pool's processes are joined in a thread so the loop can still deliver
        # the last callbacks (closing transports) meanwhile.
        await asyncio.to_thread(extractor.shutdown)
        window.deleteLater()
    return int(status)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the window (``main.py`` without ``--headless``); returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help or a usage error (argparse printed it)
        return int(exc.code or 0)
    configure_logging(args.verbose)
    text = None
    try:
        settings = settings_from_args(args)  # report bad values before any window appears
        if args.files:
            text = read_files(args.files)
        if args.sitemap:  # read before the window opens, with the run's timeouts and User-Agent
            text = "\n".join(t for t in (text, render(read_inputs([], args.sitemap, settings))) if t)
        check_outputs(args)
    except (UsageError, InputError) as exc:
        sys.stderr.write(f"fetchlens: {exc}\n")
        return int(ExitStatus.USAGE)
    problem = display_problem()
    if problem is not None:  # Qt would abort the process (exit 134) with a misleading message
        sys.stderr.write(f"fetchlens: {problem}; run with --headless to work without a window\n")
        return int(ExitStatus.USAGE)
    set_platform_identity()
    app = make_app()
    translators = install_translators(app, args.lang)
    log.info("starting %s", ", ".join(f"{k} {v}" for k, v in versions().items()))
    reporter = ErrorReporter()
    reporter.install()
    import qasync  # after PySide6 (and with QT_API set) so qasync binds to PySide6, not another Qt binding

    try:
        return qasync.run(run_app(app, args, text, reporter))
    finally:
        reporter.uninstall()
        for t in translators:
            app.removeTranslator(t)
