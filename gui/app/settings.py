"""What the window remembers between sessions, stored with QSettings.

Run settings are kept field by field under ``run/`` so a new field in
:class:`core.settings.Settings` simply falls back to its default.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

from core.fetch.options import OptionsError, RequestOptions
from core.files import SaveError, atomic_target
from core.model import Mode
from core.settings import Settings

log = logging.getLogger(__name__)

MAX_RECENT = 10
KEYRING_SERVICE = "Fetchlens"
KEYRING_ENTRY = "request-secrets"  # one keyring item: the JSON of RequestOptions.secret_parts()
# Request options are not plain values and hold secrets: they are kept apart (see request_options).
_RUN_FIELDS = tuple(f.name for f in dataclasses.fields(Settings) if f.name != "requests")


def keyring_available() -> bool:
    """Whether a real system keyring is there (not keyring's "fail" or "null" backends)."""
    try:
        import keyring
        import keyring.backends.fail

        backend = keyring.get_keyring()
    except Exception as exc:  # noqa: BLE001 - a broken keyring set-up is "no keyring"
        log.info("no keyring: %s", exc)
        return False
    if isinstance(backend, keyring.backends.fail.Keyring):
        return False
    return getattr(backend, "priority", 1) > 0 and type(backend).__module__ != "keyring.backends.null"


def _keyring_get() -> str | None:
    import keyring

    try:
        return keyring.get_password(KEYRING_SERVICE, KEYRING_ENTRY)
    except Exception as exc:  # noqa: BLE001 - locked or broken keyring: the secrets are simply not there
        log.warning("could not read the keyring: %s", type(exc).__name__)
        return None


def _keyring_set(value: str | None) -> bool:
    import keyring

    try:
        if value is None:
            with contextlib.suppress(keyring.errors.PasswordDeleteError):
                keyring.delete_password(KEYRING_SERVICE, KEYRING_ENTRY)
        else:
            keyring.set_password(KEYRING_SERVICE, KEYRING_ENTRY, value)
        return True
    except Exception as exc:  # noqa: BLE001
        log.warning("could not write the keyring: %s", type(exc).__name__)
        return False


def _truthy(value: object) -> bool:
    return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes")


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
        changes["requests"] = self.request_options()
        settings = defaults.replace(**changes)
        if settings.validate():
            log.warning("remembered settings are not valid (%s); using defaults", "; ".join(settings.validate()))
            return defaults
        return settings

    def set_run_settings(self, settings: Settings) -> None:
        for name in _RUN_FIELDS:
            value = getattr(settings, name)
            self.store.setValue(f"run/{name}", str(value) if isinstance(value, Mode) else value)
        self.set_request_options(settings.requests)

    # -- request options (secrets only ever in the system keyring) -----------------------------
    def request_options(self) -> RequestOptions:
        """The remembered request options: the plain part from QSettings, secrets from the keyring."""
        text = self.store.value("requests/options", "")
        if not text:
            return RequestOptions()
        try:
            opts = RequestOptions.from_public(json.loads(str(text)))
        except (ValueError, TypeError, KeyError, OptionsError) as exc:
            log.warning("ignoring unreadable request options: %s", exc)
            return RequestOptions()
        if opts.remember_secrets and keyring_available():
            stored = _keyring_get()
            if stored:
                try:
                    opts = opts.with_secret_parts(json.loads(stored))
                except (ValueError, TypeError, KeyError, IndexError, OptionsError) as exc:
                    log.warning("ignoring unreadable secrets in the keyring: %s", type(exc).__name__)
        return opts

    def set_request_options(self, opts: RequestOptions) -> bool:
        """Remember ``opts``: secrets go to the keyring if asked and possible, never to QSettings.

        Returns:
            True if the secrets were stored (or there were none to store); False when they are kept
            for this session only (not asked, or no keyring).
        """
        stored = _truthy(self.store.value("requests/in_keyring", False))
        old = str(self.store.value("requests/options", "") or "")
        try:
            same_without_secrets = bool(old) and RequestOptions.from_public(json.loads(old)) == opts
        except (ValueError, TypeError, KeyError, OptionsError):
            same_without_secrets = False
        if stored and same_without_secrets:
            # The remembered options minus their secrets (as restored from the journal, which never
            # holds them): the keyring and the stored options still belong together; keep both.
            return True
        self.store.setValue("requests/options", json.dumps(opts.public()))
        if opts.remember_secrets and keyring_available():
            ok = _keyring_set(json.dumps(opts.secret_parts()))
            self.store.setValue("requests/in_keyring", ok)
            return ok
        if stored and keyring_available():
            _keyring_set(None)  # "remember" was unticked: forget what was stored
            self.store.setValue("requests/in_keyring", False)
        return not opts.remember_secrets

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
