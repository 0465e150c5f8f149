"""User-interface translations: ``resources/i18n/fetchlens_<lang>.qm`` plus Qt's own strings."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

I18N_DIR = Path(__file__).resolve().parents[2] / "resources" / "i18n"


def language_code(lang: str | None) -> str:
    """``--lang`` if given, else the system's language (``ko``, ``en``, ...)."""
    # QLocale.system() follows LANGUAGE, LC_ALL, LC_MESSAGES and LANG on Unix, the user's
    # display language on Windows and macOS; the C/POSIX locale means untranslated.
    code = (lang or QLocale.system().name()).replace("-", "_").split("_")[0].lower()
    return "en" if code in ("", "c", "posix") else code


def _load(app: QCoreApplication, path: Path) -> QTranslator | None:
    translator = QTranslator(app)
    return translator if path.is_file() and translator.load(str(path)) else None


def install_translators(app: QCoreApplication, lang: str | None) -> list[QTranslator]:
    """Load the translations for ``lang`` into ``app``.

    English plural forms ("1 line", "2 lines": ``fetchlens_en.qm`` holds only ``%n`` messages)
    are installed first in every language, so a language without a catalogue still says them
    right; the language's own catalogue, installed later, is searched first.

    Returns:
        The installed translators (keep them alive as long as the app).
    """
    code = language_code(lang)
    installed: list[QTranslator] = []
    plurals = _load(app, I18N_DIR / "fetchlens_en.qm")
    if plurals is not None:
        app.installTranslator(plurals)
        installed.append(plurals)
    if code == "en":
        return installed
    path = I18N_DIR / f"fetchlens_{code}.qm"
    own = _load(app, path)
    if own is None:
        # No Fetchlens translation: stay English throughout rather than mix in Qt's own strings.
        if lang:
            log.warning("no translation for %r (looked for %s); using English", lang, path)
        return installed
    qt = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt.load(QLocale(code), "qtbase", "_", qt_dir):  # standard buttons and dialogs
        app.installTranslator(qt)
        installed.append(qt)
        log.debug("Qt's own strings: %s", qt.filePath())
    else:
        log.debug("no qtbase_%s.qm in %s: standard buttons stay English", code, qt_dir)
    app.installTranslator(own)
    installed.append(own)
    log.info("user interface language: %s", code)
    return installed
