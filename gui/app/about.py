"""The About box: what Fetchlens is and the versions it runs on."""

from __future__ import annotations

import html
import logging
import platform
from importlib import metadata

import PySide6
from PySide6.QtCore import QCoreApplication, qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

from gui.app.dialogs import show_message

log = logging.getLogger(__name__)

APP_VERSION = "0.1.0"


def _dist_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "?"


def versions() -> dict[str, str]:
    """Versions of the pieces Fetchlens is built on (shown in About and written to the log)."""
    return {
        "Fetchlens": APP_VERSION,
        "Python": platform.python_version(),
        "Qt": qVersion(),
        "PySide6": PySide6.__version__,
        "qasync": _dist_version("qasync"),
        "aiohttp": _dist_version("aiohttp"),
        "beautifulsoup4": _dist_version("beautifulsoup4"),
        "requests": _dist_version("requests"),
    }


def show_about(parent: QWidget | None) -> QMessageBox:
    """Open the About box (non-blocking)."""
    title = QCoreApplication.translate("About", "About Fetchlens")
    rows = "".join(f"<tr><td>{html.escape(k)}</td><td>&nbsp;{html.escape(v)}</td></tr>" for k, v in versions().items())
    intro = QCoreApplication.translate(
        "About", "Fetch a batch of URLs in sync, threads or async mode and watch every request live.")
    text = f"<h3>Fetchlens {APP_VERSION}</h3><p>{html.escape(intro)}</p><table>{rows}</table>"
    return show_message(parent, QMessageBox.Icon.Information, title, text)
