"""Desktop launchers: a .desktop entry, Windows shortcuts or a small macOS app bundle.

``python main.py --install-launcher`` calls :func:`install_launcher`. Every launcher starts the
interpreter that ran the install (``sys.executable``, *not* resolved: in a virtual environment
that path is a symlink whose location is what selects the venv) with the absolute ``main.py``,
so it keeps working as long as both stay where they are.

The content builders are pure functions; the install functions take ``platform``, ``home`` and
``env`` so the Windows and macOS code paths can be exercised on Linux (PowerShell only runs on
Windows itself).
"""

from __future__ import annotations

import contextlib
import logging
import os
import plistlib
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePath

from resources import DESKTOP_TEMPLATE, ICNS_ICON, ICO_ICON, RESOURCES, icon_path

log = logging.getLogger(__name__)

APP_NAME = "Fetchlens"
APP_ID = "org.fetchlens.Fetchlens"
"""Reverse-DNS id: the .desktop file name, ``setDesktopFileName`` and the macOS bundle id."""
WM_CLASS = "fetchlens"
"""``StartupWMClass`` of the .desktop entry; the window's X11 WM_CLASS must match it."""
MAIN_PY = Path(__file__).resolve().parent.parent / "main.py"
WINDOWS_TEMPLATES = RESOURCES / "windows"
DESCRIPTION = "Fetch a batch of URLs in sync, threads or async mode and watch every request live"

# Desktop Entry Specification, "The Exec key": these characters force an argument into quotes,
# and inside quotes these four must be backslash-escaped.
_EXEC_RESERVED = frozenset(" \t\n\"'\\><~|&;$*?#()`")
_EXEC_QUOTED_ESCAPE = re.compile(r'(["`$\\])')
# PowerShell ends a single-quoted string at any of these; doubling one escapes it.
_PS_QUOTES = "'\u2018\u2019\u201a\u201b"
_PS_TIMEOUT_S = 60


class LauncherError(Exception):
    """A launcher could not be installed or removed; ``str()`` is a message for the user."""


# ----------------------------------------------------------------------------- content builders


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


def desktop_entry(python: Path, main_py: Path, icon: Path) -> str:
    """Build the freedesktop.org entry ``org.fetchlens.Fetchlens.desktop``.

    Args:
        python: Absolute path of the interpreter to run.
        main_py: Absolute path of ``main.py``.
        icon: Absolute path of the icon file.

    Returns:
        The file content; ``Exec`` ends with ``%F`` so URL files can be opened with the app.

    Raises:
        LauncherError: If a path is relative or cannot be written in a desktop entry.
    """
    for path in (python, main_py, icon):
        if not path.is_absolute():
            raise LauncherError(f"The desktop entry needs absolute paths, got {path}")
    exec_line = " ".join([_exec_arg(str(python)), _exec_arg(str(main_py)), "%F"])
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


def windows_shortcut_script(pythonw: PurePath, main_py: PurePath, icon: PurePath, *, remove: bool = False) -> str:
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
        "@ARGUMENTS@": f'"{main_py}"',
        "@WORKDIR@": str(main_py.parent),
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


def mac_launcher_script(python: Path, main_py: Path) -> str:
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
            f"# Generated by {APP_NAME} (core/launcher.py).",
            "# macOS before 10.9 passes a -psn_0_NNN process serial number; drop it.",
            "for arg do",
            "    shift",
            '    case "$arg" in -psn_*) ;; *) set -- "$@" "$arg" ;; esac',
            "done",
            f'exec {shlex.quote(str(python))} {shlex.quote(str(main_py))} "$@"',
            "",
        ]
    )


# ----------------------------------------------------------------------------- file system


def _family(platform: str | None) -> str:
    """Map a ``sys.platform``-style name to ``"windows"``, ``"macos"`` or ``"xdg"``."""
    name = (platform or sys.platform).lower()
    if name in ("win32", "windows"):
        return "windows"
    if name in ("darwin", "macos"):
        return "macos"
    if name.startswith(("linux", "freebsd", "openbsd", "netbsd", "dragonfly")):
        return "xdg"
    raise LauncherError(f"Launchers are not supported on this platform ({name}).")


def _host() -> str:
    """The family of the machine this runs on (``"other"`` when launchers are unsupported)."""
    try:
        return _family(None)
    except LauncherError:
        return "other"


def _require(path: Path, what: str) -> Path:
    if not path.exists():
        raise LauncherError(f"{what} not found: {path}")
    return path


def _interpreter(family: str, python: Path | None) -> Path:
    """The interpreter the launcher runs: this one (pythonw.exe beside it on Windows)."""
    if python is None:
        if not sys.executable:
            raise LauncherError("Cannot tell which Python runs Fetchlens (sys.executable is empty).")
        python = Path(sys.executable)
    python = python.absolute()  # not resolve(): a venv's python is a symlink that must stay one
    native = family == _host()
    if family == "windows" and python.name.lower() != "pythonw.exe":
        python = python.with_name("pythonw.exe")
        if native:
            _require(python, "pythonw.exe (needed to start without a console window)")
    elif native:
        _require(python, "Python interpreter")
    return python


def _write(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write a file atomically (temporary name in the same folder, then rename)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp, mode)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        raise LauncherError(f"Cannot write {path}: {exc.strerror or exc}") from exc


def _run_quietly(args: list[str]) -> None:
    """Run a cache-refresh helper; failing is harmless, so it is only logged."""
    try:
        subprocess.run(args, check=True, capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        log.debug("%s failed (ignored): %s", args[0], exc)


def _xdg_applications(home: Path, env: Mapping[str, str]) -> Path:
    data_home = env.get("XDG_DATA_HOME", "")
    # The XDG Base Directory spec says relative values are invalid and must be ignored.
    base = Path(data_home) if data_home and Path(data_home).is_absolute() else home / ".local" / "share"
    return base / "applications"


def _windows_script_dir(home: Path, env: Mapping[str, str]) -> Path:
    local = env.get("LOCALAPPDATA", "")
    return (Path(local) if local else home / "AppData" / "Local") / APP_NAME


def _run_powershell(script: Path) -> list[Path]:
    """Run a generated script with Windows PowerShell; return the paths it reports."""
    args = ["powershell", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-File", str(script)]
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # launched from pythonw: no console flash
    try:
        done = subprocess.run(args, capture_output=True, timeout=_PS_TIMEOUT_S, creationflags=flags)
    except FileNotFoundError as exc:
        raise LauncherError(f"PowerShell was not found; run {script} by hand to make the shortcuts.") from exc
    except subprocess.TimeoutExpired as exc:
        raise LauncherError(f"PowerShell did not finish within {_PS_TIMEOUT_S} s running {script}.") from exc
    out = done.stdout.decode("utf-8", "replace")
    if done.returncode != 0:
        err = done.stderr.decode("utf-8", "replace").strip() or out.strip()
        raise LauncherError(f"PowerShell failed running {script}: {err}")
    script.unlink(missing_ok=True)
    return [Path(line.strip()) for line in out.splitlines() if line.strip()]


def _mac_bundle(home: Path) -> Path:
    return home / "Applications" / f"{APP_NAME}.app"


def _is_our_bundle(bundle: Path) -> bool:
    try:
        with (bundle / "Contents" / "Info.plist").open("rb") as fh:
            return plistlib.load(fh).get("CFBundleIdentifier") == APP_ID
    except (OSError, plistlib.InvalidFileException, ValueError):
        return False


def _remove_bundle(bundle: Path) -> None:
    if not _is_our_bundle(bundle):
        raise LauncherError(f"{bundle} exists but is not a Fetchlens launcher; remove it yourself.")
    try:
        shutil.rmtree(bundle)
    except OSError as exc:
        raise LauncherError(f"Cannot remove {bundle}: {exc.strerror or exc}") from exc


def _register_mac_bundle(bundle: Path) -> None:
    """Tell Launch Services about the bundle so Spotlight and Launchpad find it at once."""
    lsregister = Path(
        "/System/Library/Frameworks/CoreServices.framework/Frameworks/LaunchServices.framework/Support/lsregister"
    )
    if lsregister.exists():
        _run_quietly([str(lsregister), "-f", str(bundle)])


def install_launcher(
    platform: str | None = None,
    home: Path | None = None,
    env: Mapping[str, str] | None = None,
    *,
    python: Path | None = None,
    main_py: Path = MAIN_PY,
) -> list[Path]:
    """Install the launcher for this (or the given) platform; installing again replaces it.

    Args:
        platform: A ``sys.platform`` value (``"linux"``, ``"win32"``, ``"darwin"``); this one by default.
        home: The user's home folder; ``Path.home()`` by default.
        env: Environment to read ``XDG_DATA_HOME`` / ``LOCALAPPDATA`` from; ``os.environ`` by default.
        python: Interpreter to start; ``sys.executable`` by default (on Windows ``pythonw.exe`` beside it).
        main_py: The entry point to start.

    Returns:
        What was installed: the ``.desktop`` file, the ``.app`` bundle, or the Windows shortcuts
        (when not actually on Windows: the PowerShell script that would make them).

    Raises:
        LauncherError: With a message for the user when anything is missing or cannot be written.
    """
    family = _family(platform)
    home = home or Path.home()
    env = os.environ if env is None else env
    main_py = _require(main_py.absolute(), "main.py")
    interpreter = _interpreter(family, python)

    if family == "xdg":
        icon = _require(icon_path(256), "Icon (run resources/make_icons.py)")
        apps = _xdg_applications(home, env)
        entry = apps / f"{APP_ID}.desktop"
        _write(entry, desktop_entry(interpreter, main_py, icon).encode("utf-8"))
        _run_quietly(["update-desktop-database", "-q", str(apps)])
        log.info("Installed %s", entry)
        return [entry]

    if family == "windows":
        icon = _require(ICO_ICON, "Icon (run resources/make_icons.py)")
        script = _windows_script_dir(home, env) / "install-shortcuts.ps1"
        _write(script, windows_shortcut_script(interpreter, main_py, icon).encode("utf-8-sig"))
        if _host() != "windows":
            log.info("Not on Windows: wrote %s but did not run PowerShell", script)
            return [script]
        shortcuts = _run_powershell(script)
        log.info("Installed %s", ", ".join(map(str, shortcuts)))
        return shortcuts

    icns = _require(ICNS_ICON, "Icon (run resources/make_icons.py)")
    bundle = _mac_bundle(home)
    if bundle.exists() and not _is_our_bundle(bundle):
        raise LauncherError(f"{bundle} exists but is not a Fetchlens launcher; remove it yourself.")
    staging = bundle.with_name(f".{bundle.name}.new")
    shutil.rmtree(staging, ignore_errors=True)
    contents = staging / "Contents"
    _write(contents / "Info.plist", mac_info_plist())
    _write(contents / "MacOS" / APP_NAME, mac_launcher_script(interpreter, main_py).encode("utf-8"), 0o755)
    _write(contents / "Resources" / icns.name, icns.read_bytes())
    if bundle.exists():
        _remove_bundle(bundle)
    try:
        staging.rename(bundle)
    except OSError as exc:
        raise LauncherError(f"Cannot create {bundle}: {exc.strerror or exc}") from exc
    if _host() == "macos":
        _register_mac_bundle(bundle)
    log.info("Installed %s", bundle)
    return [bundle]


def uninstall_launcher(
    platform: str | None = None,
    home: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> list[Path]:
    """Remove what :func:`install_launcher` installed; nothing installed is not an error.

    Args:
        platform: A ``sys.platform`` value; this one by default.
        home: The user's home folder; ``Path.home()`` by default.
        env: Environment to read ``XDG_DATA_HOME`` / ``LOCALAPPDATA`` from; ``os.environ`` by default.

    Returns:
        The paths removed (when not actually on Windows: the PowerShell script that would remove them).

    Raises:
        LauncherError: If something exists but cannot be removed.
    """
    family = _family(platform)
    home = home or Path.home()
    env = os.environ if env is None else env

    if family == "xdg":
        apps = _xdg_applications(home, env)
        entry = apps / f"{APP_ID}.desktop"
        if not entry.exists():
            return []
        try:
            entry.unlink()
        except OSError as exc:
            raise LauncherError(f"Cannot remove {entry}: {exc.strerror or exc}") from exc
        _run_quietly(["update-desktop-database", "-q", str(apps)])
        log.info("Removed %s", entry)
        return [entry]

    if family == "windows":
        script = _windows_script_dir(home, env) / "remove-shortcuts.ps1"
        text = windows_shortcut_script(Path("pythonw.exe"), MAIN_PY, ICO_ICON, remove=True)
        _write(script, text.encode("utf-8-sig"))
        if _host() != "windows":
            log.info("Not on Windows: wrote %s but did not run PowerShell", script)
            return [script]
        removed = _run_powershell(script)
        log.info("Removed %s", ", ".join(map(str, removed)) or "nothing")
        return removed

    bundle = _mac_bundle(home)
    if not bundle.exists():
        return []
    _remove_bundle(bundle)
    log.info("Removed %s", bundle)
    return [bundle]
