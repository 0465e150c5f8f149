"""Make the README's screenshots from the real window: a demo run and a comparison, in one language.

Usage (from the repository root; a display is needed only for real fonts and hinting, ``offscreen`` works)::

    python resources/screenshots.py --lang en      # docs/screenshot-main.png, docs/screenshot-compare.png
    python resources/screenshots.py --lang ko      # docs/screenshot-ko.png, docs/screenshot-compare-ko.png
    python resources/screenshots.py --lang en --review /tmp/shots   # also settings, details, history, min size

The window runs on the built-in offline demo site with a fresh settings folder and journal (nothing of
the user's is read or changed), at the sizes the README shows: 1280×800 and the compare window 1280×860.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
log = logging.getLogger("fetchlens.screenshots")

MAIN_SIZE = (1280, 800)
COMPARE_SIZE = (1280, 860)


def _names(lang: str) -> tuple[str, str]:
    return ("screenshot-main.png", "screenshot-compare.png") if lang == "en" else \
        (f"screenshot-{lang}.png", f"screenshot-compare-{lang}.png")


async def _settle(app: object, seconds: float = 0.4) -> None:
    """Let the window lay out and paint (a picture, not a test: a short fixed pause is fine)."""
    await asyncio.sleep(seconds)
    app.processEvents()  # type: ignore[attr-defined]


async def shoot(lang: str, out_dir: Path, review: Path | None) -> list[Path]:
    from PySide6.QtWidgets import QApplication

    from core.parse.pool import Extractor
    from core.store import Journal
    from gui.app.settings import AppSettings
    from gui.window.main_window import MainWindow

    app = QApplication.instance()
    written: list[Path] = []
    extractor = Extractor()
    extractor.start()
    window = MainWindow(extractor, AppSettings(), journal=Journal(Path(os.environ["HOME"]) / "journal.sqlite3"))
    try:
        window.resize(*MAIN_SIZE)
        window.show()
        await window.try_demo()
        task = await window.start_run()
        assert task is not None
        await task
        await _settle(app)
        main_name, compare_name = _names(lang)
        written.append(out_dir / main_name)
        if not window.grab().save(str(written[-1])):
            raise OSError(f"cannot write {written[-1]}")

        compare = await window.open_compare(start=True, unattended=True)
        assert compare is not None and compare.task is not None
        await compare.task
        compare.resize(*COMPARE_SIZE)
        await _settle(app)
        written.append(out_dir / compare_name)
        if not compare.grab().save(str(written[-1])):
            raise OSError(f"cannot write {written[-1]}")
        compare.close()
        if review is not None:
            written += await _review(window, app, lang, review)
    finally:
        await window.shutdown()
        await asyncio.to_thread(extractor.shutdown)
        window.deleteLater()
    return written


async def _review(window: object, app: object, lang: str, out: Path) -> list[Path]:
    """Pictures to look at, not for the README: the settings pages, row details, history, minimum size."""
    from gui.window.settings_dialog import SettingsDialog

    shots: list[Path] = []

    def save(widget: object, name: str) -> None:
        shots.append(out / f"{lang}-{name}.png")
        widget.grab().save(str(shots[-1]))  # type: ignore[attr-defined]

    dialog = SettingsDialog(window.current_settings(), window)  # type: ignore[attr-defined]
    dialog.show()
    await _settle(app)
    save(dialog, "settings-general")
    dialog.pages.setCurrentIndex(1)  # the Requests page (inside its scroll area)
    await _settle(app)
    save(dialog, "settings-requests")
    dialog.reject()
    details = window.results_panel.view.show_details(1)  # type: ignore[attr-defined]
    await _settle(app)
    save(details, "details")
    details.close()
    window.commands.history.trigger()  # type: ignore[attr-defined]
    await _settle(app, 1.0)
    save(window.journal.history, "history")  # type: ignore[attr-defined]
    window.journal.history.close()  # type: ignore[attr-defined]
    window.resize(window.minimumSizeHint())  # type: ignore[attr-defined]
    await _settle(app)
    save(window, "minimum")
    return shots


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="en", help="user-interface language (en, ko)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder for the README's pictures")
    parser.add_argument("--review", type=Path, default=None, help="also write review pictures here")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for folder in (args.out, args.review):
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
    home = tempfile.mkdtemp(prefix="fetchlens-shots-")
    os.environ.update(HOME=home, XDG_CONFIG_HOME=home, XDG_DATA_HOME=home, LANGUAGE=args.lang)
    sys.path.insert(0, str(ROOT))
    from gui.app.i18n import install_translators
    from gui.app.runtime import make_app

    app = make_app()
    translators = install_translators(app, args.lang)  # noqa: F841 (kept alive with the app)
    import qasync

    for path in qasync.run(shoot(args.lang, args.out, args.review)):
        log.info("wrote %s", path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
