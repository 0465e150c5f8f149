"""Desktop launchers: a .desktop entry, Windows shortcuts or a small macOS app bundle.

``python main.py --install-launcher`` calls :func:`install_launcher`. Every launcher starts the
interpreter that ran the install (``sys.executable``, *not* resolved: in a virtual environment
that path is a symlink whose location is what selects the venv) with the absolute ``main.py``,
so it keeps working as long as both stay where they are.

The content builders are pure functions (:mod:`core.desktop.content`); the install functions take
``platform``, ``home`` and ``env`` so the Windows and macOS code paths can be exercised on Linux
(PowerShell only runs on Windows itself).
"""

from __future__ import annotations

import contextlib
import logging
import os
import plistlib
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from core.desktop.content import (
    APP_ID,
    APP_NAME,
    LauncherError,
    desktop_entry,
    mac_info_plist,
    mac_launcher_script,
    windows_shortcut_script,
)
from resources import ICNS_ICON, ICO_ICON, icon_path

log = logging.getLogger(__name__)

MAIN_PY = Path(__file__).resolve().parents[2] / "main.py"
_PS_TIMEOUT_S = 60


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
    entry_point: Path | None
    if getattr(sys, "frozen", False) and python is None:
        # A packaged (PyInstaller) build: its executable is the whole app, there is no main.py.
        interpreter, entry_point = Path(sys.executable).absolute(), None
    else:
        entry_point = _require(main_py.absolute(), "main.py")
        interpreter = _interpreter(family, python)

    if family == "xdg":
        icon = _require(icon_path(256), "Icon (run resources/make_icons.py)")
        apps = _xdg_applications(home, env)
        entry = apps / f"{APP_ID}.desktop"
        _write(entry, desktop_entry(interpreter, entry_point, icon).encode("utf-8"))
        _run_quietly(["update-desktop-database", "-q", str(apps)])
        log.info("Installed %s", entry)
        return [entry]

    if family == "windows":
        icon = _require(ICO_ICON, "Icon (run resources/make_icons.py)")
        script = _windows_script_dir(home, env) / "install-shortcuts.ps1"
        _write(script, windows_shortcut_script(interpreter, entry_point, icon).encode("utf-8-sig"))
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
    _write(contents / "MacOS" / APP_NAME, mac_launcher_script(interpreter, entry_point).encode("utf-8"), 0o755)
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
