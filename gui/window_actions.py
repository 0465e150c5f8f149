"""The main window's actions and menus (every command reachable from the keyboard)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Actions:
    open: QAction
    export_all: QAction
    export_visible: QAction
    quit: QAction
    start: QAction
    stop: QAction
    compare: QAction
    settings: QAction
    demo: QAction
    about: QAction
    focus_urls: QAction
    recent_menu: QMenu


def _action(window: QMainWindow, text: str, tip: str, *keys: QKeySequence | QKeySequence.StandardKey | str,
            icon: str = "") -> QAction:
    action = QAction(QIcon.fromTheme(icon) if icon else QIcon(), text, window)
    action.setStatusTip(tip)
    action.setToolTip(tip)
    if keys:
        action.setShortcuts([k if isinstance(k, QKeySequence) else QKeySequence(k) for k in keys])
    window.addAction(action)  # shortcuts work even while the menu bar is hidden
    return action


def build_actions(w: QMainWindow) -> Actions:
    """Create the actions and the File, Run and Help menus of ``w``."""
    tr = w.tr
    a = Actions(
        open=_action(w, tr("&Open URL file…"), tr("Load URLs from a text or CSV file"),
                     QKeySequence.StandardKey.Open, icon="document-open"),
        export_all=_action(w, tr("&Export CSV…"), tr("Write every row to a CSV file"),
                           QKeySequence.StandardKey.Save, icon="document-save"),
        export_visible=_action(w, tr("Export &filtered rows…"),
                               tr("Write only the rows the filter shows, in their current order"),
                               "Ctrl+Shift+S"),
        quit=_action(w, tr("&Quit"), tr("Stop any run and close Fetchlens"), "Ctrl+Q", icon="application-exit"),
        start=_action(w, tr("&Start"), tr("Fetch every URL in the box"), "Ctrl+Return", "Ctrl+Enter",
                      icon="media-playback-start"),
        stop=_action(w, tr("S&top"), tr("Stop the run; finished rows are kept"), "Esc",
                     icon="media-playback-stop"),
        compare=_action(w, tr("&Compare modes…"), tr("Run the batch in sync, threads and async mode and compare"),
                        "Ctrl+M"),
        settings=_action(w, tr("S&ettings…"), tr("Timeouts, retries, limits, User-Agent, TLS verification"),
                         "Ctrl+,", icon="preferences-system"),
        demo=_action(w, tr("&Try the demo"), tr("Start the built-in offline demo site and load its URLs"), "F1"),
        about=_action(w, tr("&About Fetchlens"), tr("Versions of Fetchlens and the libraries it uses")),
        focus_urls=_action(w, tr("Go to the &URL box"), tr("Move the keyboard focus to the URL box"), "Ctrl+L"),
        recent_menu=QMenu(tr("Open &recent"), w),
    )
    a.stop.setEnabled(False)
    bar = w.menuBar()
    file_menu = bar.addMenu(tr("&File"))
    file_menu.addAction(a.open)
    file_menu.addMenu(a.recent_menu)
    file_menu.addSeparator()
    file_menu.addAction(a.export_all)
    file_menu.addAction(a.export_visible)
    file_menu.addSeparator()
    file_menu.addAction(a.quit)
    run_menu = bar.addMenu(tr("&Run"))
    run_menu.addAction(a.start)
    run_menu.addAction(a.stop)
    run_menu.addSeparator()
    run_menu.addAction(a.compare)
    run_menu.addAction(a.settings)
    run_menu.addSeparator()
    run_menu.addAction(a.focus_urls)
    help_menu = bar.addMenu(tr("&Help"))
    help_menu.addAction(a.demo)
    help_menu.addAction(a.about)
    return a
