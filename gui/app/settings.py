"""What the window remembers between sessions, stored with QSettings.

Run settings are kept field by field under ``run/`` so a new field in
:class:`core.settings.Settings` simply falls back to its default.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

from core.files import SaveError, atomic_target
from core.model import Mode
from core.settings import Settings

log = logging.getLogger(__name__)

MAX_RECENT = 10
_RUN_FIELDS = tuple(f.name for f in dataclasses.fields(Settings))


def _coerce(value: object, default: object) -> object:
    """QSettings returns strings from INI files; turn them back into the default's type."""
    if isinstance(default, Mode):
        return Mode(str(value))
    if isinstance(default, bool):
        return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes")
    if isinstance(default, int):
        return int(value)  # type: ignore[call-overload]
    if isinstance(default, float):
        return float(value)  # type: ignore[arg-type]
    return str(value)


class AppSettings:
    """Typed access to the application's QSettings.

    Args:
        store: the QSettings to use; the default one (organisation and application name
            "Fetchlens") when omitted. Tests pass an INI file in a temporary folder.
    """

    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store if store is not None else QSettings()

    # -- run settings ---------------------------------------------------------------------
    def run_settings(self) -> Settings:
        """The remembered run settings; a value that no longer validates falls back to its default."""
        defaults = Settings()
        changes: dict[str, object] = {}
        for name in _RUN_FIELDS:
            key = f"run/{name}"
            if not self.store.contains(key):
                continue
            try:
                changes[name] = _coerce(self.store.value(key), getattr(defaults, name))
            except (TypeError, ValueError):
                log.warning("ignoring unreadable setting %s=%r", key, self.store.value(key))
        settings = defaults.replace(**changes)
        if settings.validate():
            log.warning("remembered settings are not valid (%s); using defaults", "; ".join(settings.validate()))
            return defaults
        return settings

    def set_run_settings(self, settings: Settings) -> None:
        for name in _RUN_FIELDS:
            value = getattr(settings, name)
            self.store.setValue(f"run/{name}", str(value) if isinstance(value, Mode) else value)

    def restore_defaults(self) -> Settings:
        """Forget the run settings; returns the defaults."""
        self.store.remove("run")
        return Settings()

    # -- files ----------------------------------------------------------------------------
    def recent_files(self) -> list[str]:
        value = self.store.value("files/recent", [])
        if isinstance(value, str):  # a one-element list comes back as a string from INI files
            value = [value]
        return [str(v) for v in (value or []) if v]

    def add_recent_file(self, path: str) -> list[str]:
        path = str(Path(path).resolve())
        files = [path] + [f for f in self.recent_files() if f != path]
        files = files[:MAX_RECENT]
        self.store.setValue("files/recent", files)
        return files

    def clear_recent_files(self) -> None:
        self.store.setValue("files/recent", [])

    def _folder(self, key: str, fallback: QStandardPaths.StandardLocation) -> str:
        """The remembered folder if it still exists, else ``fallback`` if it exists, else the home folder.

        A fresh account may have no Documents folder at all (QStandardPaths names it anyway).
        """
        for folder in (str(self.store.value(key, "") or ""), QStandardPaths.writableLocation(fallback)):
            if folder and Path(folder).is_dir():
                return folder
        return str(Path.home())

    def open_folder(self) -> str:
        return self._folder("files/open_folder", QStandardPaths.StandardLocation.DocumentsLocation)

    def set_open_folder(self, folder: str) -> None:
        self.store.setValue("files/open_folder", folder)

    def export_folder(self) -> str:
        return self._folder("files/export_folder", QStandardPaths.StandardLocation.DocumentsLocation)

    def set_export_folder(self, folder: str) -> None:
        self.store.setValue("files/export_folder", folder)

    # -- the URL box ------------------------------------------------------------------------
    def _url_box_file(self) -> Path:
        # A file beside the settings, not a value in them: the box may hold 100,000 lines.
        settings_file = Path(self.store.fileName())
        folder = settings_file.parent if settings_file.parent.is_dir() else Path(
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppConfigLocation) or Path.home())
        return folder / "url-box.txt"

    def url_box_text(self) -> str:
        """The URL box's text when the window last closed ("" if none or unreadable)."""
        try:
            return self._url_box_file().read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return ""

    def set_url_box_text(self, text: str) -> None:
        """Remember the URL box's text (written atomically; an empty box removes the file)."""
        target = self._url_box_file()
        try:
            if not text.strip():
                target.unlink(missing_ok=True)
                return
            target.parent.mkdir(parents=True, exist_ok=True)
            with atomic_target(target) as tmp:
                Path(tmp).write_text(text, encoding="utf-8")
        except (OSError, SaveError) as exc:
            log.warning("could not remember the URL box: %s", exc)

    # -- window ---------------------------------------------------------------------------
    def blob(self, key: str) -> QByteArray | None:
        value = self.store.value(f"window/{key}")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_blob(self, key: str, value: QByteArray) -> None:
        self.store.setValue(f"window/{key}", value)

    def sync(self) -> None:
        self.store.sync()
