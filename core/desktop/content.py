"""What the desktop launchers contain: a .desktop entry, a PowerShell shortcut script, a macOS bundle.

Pure functions that build the files :mod:`core.desktop.launcher` installs, with the names and ids they
share.
"""

from __future__ import annotations

import logging
import plistlib
import re
import shlex
from pathlib import Path, PurePath

from resources import DESKTOP_TEMPLATE, ICNS_ICON, RESOURCES

log = logging.getLogger(__name__)

APP_NAME = "Fetchlens"
APP_ID = "org.fetchlens.Fetchlens"
"""Reverse-DNS id: the .desktop file name, ``setDesktopFileName`` and the macOS bundle id."""
WM_CLASS = "fetchlens"
"""``StartupWMClass`` of the .desktop entry; the window's X11 WM_CLASS must match it."""
WINDOWS_TEMPLATES = RESOURCES / "windows"
DESCRIPTION = "Fetch a batch of URLs in sync, threads or async mode and watch every request live"

# Desktop Entry Specification, "The Exec key": these characters force an argument into quotes,
# and inside quotes these four must be backslash-escaped.
_EXEC_RESERVED = frozenset(" \t\n\"'\\><~|&;$*?#()`")
_EXEC_QUOTED_ESCAPE = re.compile(r'(["`$\\])')
# PowerShell ends a single-quoted string at any of these; doubling one escapes it.
_PS_QUOTES = "'\u2018\u2019\u201a\u201b"


class LauncherError(Exception):
    """A launcher could not be installed or removed; ``str()`` is a message for the user."""


def _exec_arg(arg: str) -> str:
    """Quote one argument for a desktop entry's ``Exec`` key (before string-value escaping)."""
    if any(ch in arg for ch in "\n\r"):
        raise LauncherError(f"Cannot put a path with a line break in a desktop entry: {arg!r}")
    if any(ch in _EXEC_RESERVED for ch in arg):
        arg = '"' + _EXEC_QUOTED_ESCAPE.sub(r"\\\1", arg) + '"'
    return arg.replace("%", "%%")  # a literal percent sign is written %%


def _desktop_value(value: str) -> str:
    """Escape a string value of a desktop entry (spec: "Possible value types")."""
    if any(ch in value for ch in "\n\r"):
        raise LauncherError(f"Cannot put a line break in a desktop entry: {value!r}")
    return value.replace("\\", "\\\\").replace("\t", "\\t")


def desktop_entry(python: Path, main_py: Path | None, icon: Path) -> str:
    """Build the freedesktop.org entry ``org.fetchlens.Fetchlens.desktop``.

    Args:
        python: Absolute path of the interpreter to run.
        main_py: Absolute path of ``main.py``; ``None`` for a packaged build, whose executable
            is ``python`` itself.
        icon: Absolute path of the icon file.

    Returns:
        The file content; ``Exec`` ends with ``%F`` so URL files can be opened with the app.

    Raises:
        LauncherError: If a path is relative or cannot be written in a desktop entry.
    """
    for path in (python, main_py, icon):
        if path is not None and not path.is_absolute():
            raise LauncherError(f"The desktop entry needs absolute paths, got {path}")
    program = [str(python)] if main_py is None else [str(python), str(main_py)]
    exec_line = " ".join([*map(_exec_arg, program), "%F"])
    template = DESKTOP_TEMPLATE.read_text(encoding="utf-8")
    values = {
        "@EXEC@": _desktop_value(exec_line),
        "@TRYEXEC@": _desktop_value(str(python)),
        "@ICON@": _desktop_value(str(icon)),
        "@WMCLASS@": WM_CLASS,
    }
    for placeholder, value in values.items():
        template = template.replace(placeholder, value)
    return template


def _ps_literal(value: str) -> str:
    """A PowerShell single-quoted string literal holding ``value`` verbatim."""
    return "'" + "".join(ch * 2 if ch in _PS_QUOTES else ch for ch in value) + "'"


def windows_shortcut_script(pythonw: PurePath, main_py: PurePath | None, icon: PurePath, *,
                            remove: bool = False) -> str:
    """Build a PowerShell script that creates (or removes) the Start-menu and desktop shortcuts.

    The shortcuts are made with the ``WScript.Shell`` COM object, so no extra package is needed.
    The folders come from ``[Environment]::GetFolderPath`` at run time, which follows a desktop
    redirected to OneDrive. The script prints every shortcut it wrote or removed, one per line.

    Args:
        pythonw: Absolute path of ``pythonw.exe`` (no console window).
        main_py: Absolute path of ``main.py``.
        icon: Absolute path of ``fetchlens.ico``.
        remove: Build the uninstall script instead.

    Returns:
        The script text (save it as UTF-8 with a BOM so Windows PowerShell 5.1 reads it as UTF-8).

    Raises:
        LauncherError: If ``main.py``'s path contains a double quote.
    """
    if '"' in str(main_py):
        raise LauncherError(f"Cannot pass a path containing a double quote to Windows: {main_py}")
    values = {
        "@NAME@": f"{APP_NAME}.lnk",
        "@TARGET@": str(pythonw),
        "@ARGUMENTS@": f'"{main_py}"' if main_py is not None else "",  # packaged: the .exe is the app
        "@WORKDIR@": str((main_py or pythonw).parent),
        "@ICON@": str(icon),
        "@DESCRIPTION@": DESCRIPTION,
    }
    text = (WINDOWS_TEMPLATES / f"{'remove' if remove else 'create'}-shortcuts.ps1.in").read_text(encoding="utf-8")
    for placeholder, value in values.items():
        text = text.replace(placeholder, _ps_literal(value))
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def _app_version() -> str:
    """The installed package version, or the source tree's when it is run from a checkout."""
    from importlib import metadata

    try:
        return metadata.version("fetchlens")
    except metadata.PackageNotFoundError:
        return "0.1.0"


def mac_info_plist(version: str | None = None) -> bytes:
    """Build ``Contents/Info.plist`` of ``Fetchlens.app``.

    Args:
        version: Version string shown by Finder; the package version by default.

    Returns:
        The plist in XML format.
    """
    version = version or _app_version()
    info = {
        "CFBundleName": APP_NAME,
        "CFBundleDisplayName": APP_NAME,
        "CFBundleIdentifier": APP_ID,
        "CFBundleExecutable": APP_NAME,
        "CFBundleIconFile": ICNS_ICON.name,
        "CFBundlePackageType": "APPL",
        "CFBundleInfoDictionaryVersion": "6.0",
        "CFBundleShortVersionString": version,
        "CFBundleVersion": version,
        "LSApplicationCategoryType": "public.app-category.developer-tools",
        "LSMinimumSystemVersion": "11.0",
        "NSHighResolutionCapable": True,
        # Finder hands opened documents to the app as Apple Events (QFileOpenEvent), not argv.
        "CFBundleDocumentTypes": [
            {
                "CFBundleTypeName": "URL list",
                "CFBundleTypeRole": "Viewer",
                "LSHandlerRank": "Alternate",
                "LSItemContentTypes": ["public.plain-text", "public.comma-separated-values-text"],
            }
        ],
    }
    return plistlib.dumps(info, fmt=plistlib.FMT_XML)


def mac_launcher_script(python: Path, main_py: Path | None) -> str:
    """Build ``Contents/MacOS/Fetchlens``, the shell script that starts the app.

    Args:
        python: Absolute path of the interpreter to run.
        main_py: Absolute path of ``main.py``.

    Returns:
        A POSIX shell script that ``exec``s the interpreter with ``main.py "$@"``.
    """
    return "\n".join(
        [
            "#!/bin/sh",
            f"# Generated by {APP_NAME} (core/desktop/launcher.py).",
            "# macOS before 10.9 passes a -psn_0_NNN process serial number; drop it.",
            "for arg do",
            "    shift",
            '    case "$arg" in -psn_*) ;; *) set -- "$@" "$arg" ;; esac',
            "done",
            f'exec {" ".join(shlex.quote(str(p)) for p in (python, main_py) if p is not None)} "$@"',
            "",
        ]
    )
