"""The main window's actions and menus (every command reachable from the keyboard)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

log = logging.getLogger(__name__)

# Strings are translated in the main window's context (what its self.tr() uses at run time);
# pyside6-lupdate extracts translate("Context", "text") calls, the context must be a literal.
translate = QCoreApplication.translate


@dataclass(slots=True)
class Actions:
    open: QAction
    export_all: QAction
    export_visible: QAction
    quit: QAction
    start: QAction
    stop: QAction
    compare: QAction
    history: QAction
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


def _texts() -> dict[str, tuple[str, str]]:
    """Menu text and tooltip of every action (a function: translated when the window is built)."""
    return {
        "open": (translate("MainWindow", "&Open URL file…"),
                 translate("MainWindow", "Load URLs from a text or CSV file")),
        "export_all": (translate("MainWindow", "&Export…"),
                       translate("MainWindow", "Write every row to a CSV, JSON Lines or Excel file")),
        "export_visible": (translate("MainWindow", "Export &filtered rows…"),
                           translate("MainWindow", "Write only the rows the filter shows, in their current order")),
        "quit": (translate("MainWindow", "&Quit"),
                 translate("MainWindow", "Stop any run and close Fetchlens")),
        "start": (translate("MainWindow", "&Start"),
                  translate("MainWindow", "Fetch every URL in the box")),
        "stop": (translate("MainWindow", "S&top"),
                 translate("MainWindow", "Stop the run; finished rows are kept")),
        "compare": (translate("MainWindow", "&Compare modes…"),
                    translate("MainWindow", "Run the batch in sync, threads and async mode and compare")),
        "history": (translate("MainWindow", "&History…"),
                    translate("MainWindow", "Past runs: open, export, compare, resume, retry failed rows")),
        "settings": (translate("MainWindow", "S&ettings…"),
                     translate("MainWindow", "Timeouts, retries, limits, TLS; headers, cookies, login, proxy, "
                               "rate limits and robots.txt")),
        "demo": (translate("MainWindow", "&Try the demo"),
                 translate("MainWindow", "Start the built-in offline demo site and load its URLs")),
        "about": (translate("MainWindow", "&About Fetchlens"),
                  translate("MainWindow", "Versions of Fetchlens and the libraries it uses")),
        "focus_urls": (translate("MainWindow", "Go to the &URL box"),
                       translate("MainWindow", "Move the keyboard focus to the URL box")),
    }


_KEYS: dict[str, tuple[tuple[QKeySequence.StandardKey | str, ...], str]] = {
    "open": ((QKeySequence.StandardKey.Open,), "document-open"),
    "export_all": ((QKeySequence.StandardKey.Save,), "document-save"),
    "export_visible": (("Ctrl+Shift+S",), ""),
    "quit": (("Ctrl+Q",), "application-exit"),
    "start": (("Ctrl+Return", "Ctrl+Enter"), "media-playback-start"),
    "stop": (("Esc",), "media-playback-stop"),
    "compare": (("Ctrl+M",), ""),
    "history": (("Ctrl+H",), "document-open-recent"),
    "settings": (("Ctrl+,",), "preferences-system"),
    "demo": (("F1",), ""),
    "about": ((), ""),
    "focus_urls": (("Ctrl+L",), ""),
}


def build_actions(w: QMainWindow) -> Actions:
    """Create the actions and the File, Run and Help menus of ``w``."""
    made = {name: _action(w, text, tip, *_KEYS[name][0], icon=_KEYS[name][1])
            for name, (text, tip) in _texts().items()}
    a = Actions(**made, recent_menu=QMenu(translate("MainWindow", "Open &recent"), w))
    a.stop.setEnabled(False)
    bar = w.menuBar()
    file_menu = bar.addMenu(translate("MainWindow", "&File"))
    file_menu.addAction(a.open)
    file_menu.addMenu(a.recent_menu)
    file_menu.addSeparator()
    file_menu.addAction(a.export_all)
    file_menu.addAction(a.export_visible)
    file_menu.addSeparator()
    file_menu.addAction(a.quit)
    run_menu = bar.addMenu(translate("MainWindow", "&Run"))
    run_menu.addAction(a.start)
    run_menu.addAction(a.stop)
    run_menu.addSeparator()
    run_menu.addAction(a.compare)
    run_menu.addAction(a.history)
    run_menu.addAction(a.settings)
    run_menu.addSeparator()
    run_menu.addAction(a.focus_urls)
    help_menu = bar.addMenu(translate("MainWindow", "&Help"))
    help_menu.addAction(a.demo)
    help_menu.addAction(a.about)
    return a
