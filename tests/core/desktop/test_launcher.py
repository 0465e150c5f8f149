"""Desktop launchers (Linux entry, Windows script, macOS bundle) and the icon files they use."""

from __future__ import annotations

import configparser
import json
import os
import plistlib
import shlex
import shutil
import struct
import subprocess
import sys
from pathlib import Path, PureWindowsPath

import pytest

from core.desktop import content, launcher
from core.desktop.content import APP_ID, LauncherError
from core.desktop.launcher import install_launcher, uninstall_launcher
from resources import ICNS_ICON, ICO_ICON, ICON_SIZES, RESOURCES, SVG_ICON, icon_path

PYTHON = Path(sys.executable).absolute()
# A stand-in for main.py that reports the arguments it was started with.
ECHO_MAIN = "import json, sys\nprint(json.dumps(sys.argv[1:]))\n"


@pytest.fixture
def main_py(tmp_path: Path) -> Path:
    """A main.py in a folder whose name needs quoting."""
    path = tmp_path / "my apps" / "main.py"
    path.parent.mkdir()
    path.write_text(ECHO_MAIN, encoding="utf-8")
    return path


def read_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def validate(path: Path) -> None:
    exe = shutil.which("desktop-file-validate")
    if exe is None:
        pytest.skip("desktop-file-validate is not installed")
    done = subprocess.run([exe, str(path)], capture_output=True, text=True, check=False)
    report = done.stdout + done.stderr
    assert done.returncode == 0, report
    assert "error:" not in report and "warning:" not in report, report


# --------------------------------------------------------------------------------------- Linux


def test_linux_entry_is_written_to_xdg_data_home_and_validates(tmp_path: Path, main_py: Path) -> None:
    data = tmp_path / "data"
    paths = install_launcher("linux", tmp_path / "home", {"XDG_DATA_HOME": str(data)}, python=PYTHON, main_py=main_py)

    entry = data / "applications" / f"{APP_ID}.desktop"
    assert paths == [entry]
    validate(entry)
    keys = read_entry(entry)
    assert keys["Type"] == "Application"
    assert keys["Terminal"] == "false"
    assert keys["StartupWMClass"] == "fetchlens"
    assert set(keys["MimeType"].rstrip(";").split(";")) == {"text/plain", "text/csv", "text/uri-list"}
    assert keys["Categories"].rstrip(";").split(";")
    icon = Path(keys["Icon"])
    assert icon.is_absolute() and icon.is_file()
    argv = shlex.split(keys["Exec"])
    assert argv == [str(PYTHON), str(main_py), "%F"]
    assert '"' in keys["Exec"]  # the space in "my apps" forced quotes


def test_linux_exec_line_really_starts_main_with_the_files(tmp_path: Path, main_py: Path) -> None:
    (entry,) = install_launcher("linux", tmp_path, {}, python=PYTHON, main_py=main_py)
    argv = shlex.split(read_entry(entry)["Exec"])
    url_file = tmp_path / "urls list.txt"
    command = [*argv[:-1], str(url_file)]  # what the desktop does with %F

    done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=60)

    assert json.loads(done.stdout) == [str(url_file)]


def test_linux_default_location_and_relative_xdg_data_home_is_ignored(tmp_path: Path, main_py: Path) -> None:
    paths = install_launcher("linux", tmp_path, {"XDG_DATA_HOME": "relative/dir"}, python=PYTHON, main_py=main_py)
    assert paths == [tmp_path / ".local" / "share" / "applications" / f"{APP_ID}.desktop"]
    assert paths[0].is_file()


def test_linux_reserved_characters_are_escaped(tmp_path: Path) -> None:
    weird = tmp_path / 'we ird $HOME %x `q` "quoted" back\\slash' / "main.py"
    weird.parent.mkdir()
    weird.write_text(ECHO_MAIN, encoding="utf-8")
    (entry,) = install_launcher("linux", tmp_path, {}, python=PYTHON, main_py=weird)
    validate(entry)
    raw = next(line for line in entry.read_text(encoding="utf-8").splitlines() if line.startswith("Exec="))
    assert "%%x" in raw and "\\\\$HOME" in raw and '\\\\"quoted\\\\"' in raw and "back\\\\\\\\slash" in raw


def test_linux_uninstall_removes_the_entry(tmp_path: Path, main_py: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path / "data")}
    (entry,) = install_launcher("linux", tmp_path, env, python=PYTHON, main_py=main_py)
    assert uninstall_launcher("linux", tmp_path, env) == [entry]
    assert not entry.exists()
    assert uninstall_launcher("linux", tmp_path, env) == []  # nothing left: not an error


def test_desktop_entry_refuses_relative_paths() -> None:
    with pytest.raises(LauncherError, match="absolute"):
        content.desktop_entry(Path("python3"), Path("/x/main.py"), Path("/x/icon.png"))


def test_missing_main_py_and_unknown_platform_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(LauncherError, match=r"main\.py not found"):
        install_launcher("linux", tmp_path, {}, python=PYTHON, main_py=tmp_path / "nope" / "main.py")
    with pytest.raises(LauncherError, match="not supported"):
        install_launcher("plan9", tmp_path, {})


# ------------------------------------------------------------------------------------- Windows


def test_windows_script_quotes_paths_and_makes_both_shortcuts() -> None:
    pythonw = PureWindowsPath(r"C:\Program Files\Python311\pythonw.exe")
    main = PureWindowsPath(r"C:\Users\O'Brien\Fetch’lens\main.py")
    icon = PureWindowsPath(r"C:\Users\O'Brien\Fetch’lens\resources\fetchlens.ico")

    script = content.windows_shortcut_script(pythonw, main, icon)

    assert "$target = 'C:\\Program Files\\Python311\\pythonw.exe'\r\n" in script
    # ' and ’ both end a PowerShell single-quoted string, so both are doubled.
    assert "$arguments = '\"C:\\Users\\O''Brien\\Fetch’’lens\\main.py\"'\r\n" in script
    assert "$workdir = 'C:\\Users\\O''Brien\\Fetch’’lens'\r\n" in script
    assert "$icon = 'C:\\Users\\O''Brien\\Fetch’’lens\\resources\\fetchlens.ico'" in script
    assert "$shortcut.IconLocation = $icon + ',0'" in script
    assert "GetFolderPath('Programs')" in script and "GetFolderPath('DesktopDirectory')" in script
    assert "New-Object -ComObject WScript.Shell" in script and "$shortcut.Save()" in script
    assert "\n" not in script.replace("\r\n", "")  # CRLF throughout
    assert "@" + "TARGET@" not in script and "@NAME@" not in script


def test_windows_remove_script_removes_both_and_creates_nothing() -> None:
    script = content.windows_shortcut_script(Path("pythonw.exe"), Path("/x/main.py"), Path("/x/i.ico"), remove=True)
    assert "Remove-Item -LiteralPath $path" in script
    assert "GetFolderPath('Programs')" in script and "GetFolderPath('DesktopDirectory')" in script
    assert "CreateShortcut" not in script


def test_windows_script_rejects_a_double_quote_in_main_path() -> None:
    with pytest.raises(LauncherError, match="double quote"):
        content.windows_shortcut_script(Path("pythonw.exe"), Path('/x/"q"/main.py'), Path("/x/i.ico"))


@pytest.mark.skipif(sys.platform == "win32", reason="on Windows this would really make shortcuts")
def test_windows_install_writes_the_script_with_pythonw_beside_this_python(tmp_path: Path, main_py: Path) -> None:
    local = tmp_path / "Local AppData"
    paths = install_launcher("win32", tmp_path, {"LOCALAPPDATA": str(local)}, main_py=main_py)

    assert paths == [local / "Fetchlens" / "install-shortcuts.ps1"]
    data = paths[0].read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Windows PowerShell 5.1 then reads UTF-8
    text = data.decode("utf-8-sig")
    assert f"$target = '{PYTHON.with_name('pythonw.exe')}'" in text
    assert str(ICO_ICON) in text
    (removal,) = uninstall_launcher("win32", tmp_path, {"LOCALAPPDATA": str(local)})
    assert "Remove-Item" in removal.read_text(encoding="utf-8-sig")


# --------------------------------------------------------------------------------------- macOS


def test_mac_bundle_has_plist_icon_and_an_executable_launcher(tmp_path: Path, main_py: Path) -> None:
    (bundle,) = install_launcher("darwin", tmp_path, {}, python=PYTHON, main_py=main_py)

    assert bundle == tmp_path / "Applications" / "Fetchlens.app"
    contents = bundle / "Contents"
    info = plistlib.loads((contents / "Info.plist").read_bytes())
    assert info["CFBundleIdentifier"] == APP_ID
    assert info["CFBundlePackageType"] == "APPL"
    exe = contents / "MacOS" / info["CFBundleExecutable"]
    assert os.access(exe, os.X_OK)
    script = exe.read_text(encoding="utf-8")
    assert script.startswith("#!/bin/sh\n")
    assert f'exec {shlex.quote(str(PYTHON))} {shlex.quote(str(main_py))} "$@"' in script
    icns = contents / "Resources" / info["CFBundleIconFile"]
    assert icns.read_bytes()[:4] == b"icns"


@pytest.mark.skipif(shutil.which("sh") is None, reason="needs a POSIX shell")
def test_mac_launcher_script_passes_arguments_and_drops_psn(tmp_path: Path, main_py: Path) -> None:
    (bundle,) = install_launcher("darwin", tmp_path, {}, python=PYTHON, main_py=main_py)
    exe = bundle / "Contents" / "MacOS" / "Fetchlens"

    done = subprocess.run([str(exe), "-psn_0_12345", "a b.txt", "$x"], capture_output=True, text=True, check=True)

    assert json.loads(done.stdout) == ["a b.txt", "$x"]


def test_mac_reinstall_replaces_and_uninstall_removes(tmp_path: Path, main_py: Path) -> None:
    (bundle,) = install_launcher("darwin", tmp_path, {}, python=PYTHON, main_py=main_py)
    (bundle / "Contents" / "stale").write_text("old", encoding="utf-8")
    assert install_launcher("darwin", tmp_path, {}, python=PYTHON, main_py=main_py) == [bundle]
    assert not (bundle / "Contents" / "stale").exists()
    assert uninstall_launcher("darwin", tmp_path, {}) == [bundle]
    assert not bundle.exists()
    assert uninstall_launcher("darwin", tmp_path, {}) == []


def test_mac_leaves_someone_elses_bundle_alone(tmp_path: Path, main_py: Path) -> None:
    foreign = tmp_path / "Applications" / "Fetchlens.app" / "Contents"
    foreign.mkdir(parents=True)
    (foreign / "Info.plist").write_bytes(plistlib.dumps({"CFBundleIdentifier": "com.example.other"}))
    with pytest.raises(LauncherError, match="not a Fetchlens launcher"):
        install_launcher("darwin", tmp_path, {}, python=PYTHON, main_py=main_py)
    with pytest.raises(LauncherError, match="not a Fetchlens launcher"):
        uninstall_launcher("darwin", tmp_path, {})
    assert (foreign / "Info.plist").is_file()
    assert sorted(p.name for p in (tmp_path / "Applications").iterdir()) == ["Fetchlens.app"]


# ------------------------------------------------------------------------------------ resources


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_every_png_icon_exists_at_its_size() -> None:
    assert SVG_ICON.is_file() and b"<svg" in SVG_ICON.read_bytes()
    for size in ICON_SIZES:
        assert png_size(icon_path(size)) == (size, size)
    assert icon_path(20) == icon_path(24)  # no 20 px render: the next larger one
    assert icon_path(4096) == icon_path(512)
    assert icon_path() == SVG_ICON
    with pytest.raises(ValueError):
        icon_path(0)


def test_ico_and_icns_hold_png_images() -> None:
    ico = ICO_ICON.read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind) == (0, 1) and count >= 5
    sizes = set()
    for i in range(count):
        width, _, _, _, _, _, length, offset = struct.unpack("<BBBBHHII", ico[6 + 16 * i : 22 + 16 * i])
        assert ico[offset : offset + 8] == b"\x89PNG\r\n\x1a\n" and offset + length <= len(ico)
        sizes.add(width or 256)
    assert {16, 32, 48, 256} <= sizes

    icns = ICNS_ICON.read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)
    kinds, pos = set(), 8
    while pos < len(icns):
        kinds.add(icns[pos : pos + 4])
        pos += struct.unpack(">I", icns[pos + 4 : pos + 8])[0]
    assert pos == len(icns)
    assert {b"icp4", b"ic07", b"ic08", b"ic09", b"ic10"} <= kinds


def test_desktop_template_has_every_placeholder() -> None:
    template = (RESOURCES / f"{APP_ID}.desktop.in").read_text(encoding="utf-8")
    for placeholder in ("@EXEC@", "@TRYEXEC@", "@ICON@", "@WMCLASS@"):
        assert placeholder in template


# ------------------------------------------------------------------------- the entry starts the app

MAIN_DIR = launcher.MAIN_PY.parent
CLEAN_ENV_DROP = ("DISPLAY", "WAYLAND_DISPLAY", "RESOURCE_NAME", "QT_QPA_PLATFORM")


def app_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a freshly logged-in user whose home is ``tmp_path``."""
    env = {k: v for k, v in os.environ.items() if k not in CLEAN_ENV_DROP and not k.startswith("XDG_")}
    env.update(HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_CACHE_HOME=str(tmp_path / "cache"), **extra)
    return env


@pytest.mark.slow
def test_installed_exec_line_starts_the_real_window(tmp_path: Path) -> None:
    env = app_env(tmp_path)
    (entry,) = install_launcher("linux", tmp_path, env, python=PYTHON)
    argv = shlex.split(read_entry(entry)["Exec"])
    assert argv[-1] == "%F"
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    # What a double-click on an empty URL file does, plus --start --quit-when-done so it ends by itself:
    # the window comes up, finds no URLs and quits with the usage status.
    command = [*argv[:-1], "--start", "--quit-when-done", str(empty)]

    done = subprocess.run(command, env={**env, "QT_QPA_PLATFORM": "offscreen"}, capture_output=True, text=True,
                          timeout=90, check=False)

    assert done.returncode == 2, done.stderr
    assert "no URLs to fetch" in done.stderr


WM_CLASS_CHILD = """
import sys
from PySide6.QtWidgets import QWidget
from gui.app.runtime import make_app, set_platform_identity
set_platform_identity()
app = make_app()
window = QWidget()
window.show()
app.processEvents()
print(int(window.winId()), flush=True)
sys.stdin.readline()
"""


@pytest.mark.skipif(not (shutil.which("Xvfb") and shutil.which("xprop")), reason="needs Xvfb and xprop (x11-utils)")
def test_x11_window_class_matches_the_entrys_startup_wm_class(tmp_path: Path) -> None:
    (entry,) = install_launcher("linux", tmp_path, {"XDG_DATA_HOME": str(tmp_path / "data")}, python=PYTHON)
    wanted = read_entry(entry)["StartupWMClass"]
    read_fd, write_fd = os.pipe()
    # -displayfd: Xvfb picks a free display and writes its number once it accepts clients.
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "640x480x24", "-nolisten", "tcp"],
                            pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as f:
            display = ":" + f.readline().strip()
        env = app_env(tmp_path, DISPLAY=display, QT_QPA_PLATFORM="xcb")
        child = subprocess.Popen([str(PYTHON), "-c", WM_CLASS_CHILD], cwd=MAIN_DIR, env=env, text=True,
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            assert child.stdout is not None and child.stdin is not None
            win_id = child.stdout.readline().strip()
            assert win_id, child.communicate(timeout=30)[1]
            prop = subprocess.run(["xprop", "-id", win_id, "WM_CLASS"], env=env, capture_output=True, text=True,
                                  check=True, timeout=30).stdout
            child.stdin.write("\n")
            child.stdin.flush()
            child.wait(timeout=30)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
        # WM_CLASS(STRING) = "instance", "class": the desktop matches StartupWMClass against either.
        instance, klass = [part.strip().strip('"') for part in prop.split("=", 1)[1].split(",")]
        assert instance == wanted == content.WM_CLASS
        assert klass == "Fetchlens"
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=30)


def test_packaged_build_launches_its_own_executable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # In a PyInstaller build sys.executable *is* the app and there is no main.py beside it.
    exe = tmp_path / "dist" / "Fetchlens" / "Fetchlens"
    exe.parent.mkdir(parents=True)
    exe.write_text("#!/bin/sh\n", encoding="utf-8")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    data = tmp_path / "data"
    [entry] = install_launcher("linux", tmp_path / "home", {"XDG_DATA_HOME": str(data)},
                               main_py=tmp_path / "missing" / "main.py")
    validate(entry)
    assert shlex.split(read_entry(entry)["Exec"]) == [str(exe), "%F"]
    [bundle] = install_launcher("darwin", tmp_path / "home", {})
    script = (bundle / "Contents" / "MacOS" / "Fetchlens").read_text(encoding="utf-8")
    assert f'exec {shlex.quote(str(exe))} "$@"' in script
    [ps1] = install_launcher("win32", tmp_path / "home", {"LOCALAPPDATA": str(tmp_path / "local")})
    text = ps1.read_text(encoding="utf-8-sig")
    assert str(exe) in text and "main.py" not in text
