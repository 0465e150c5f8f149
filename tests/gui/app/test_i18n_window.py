"""The window in Korean: chosen by ``--lang ko`` or by the system locale, Qt's own buttons included."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from gui.app import i18n
from gui.window.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def installed(qapp: QApplication) -> Iterator[Callable[[str | None], list[QTranslator]]]:
    """Install translators like the runtime does; every one is removed again after the test."""
    done: list[QTranslator] = []

    def install(lang: str | None) -> list[QTranslator]:
        translators = i18n.install_translators(qapp, lang)
        done.extend(translators)
        return translators

    yield install
    for t in done:
        qapp.removeTranslator(t)


def menu_titles(win: MainWindow) -> list[str]:
    return [a.text() for a in win.menuBar().actions()]


def test_lang_ko_translates_menus_buttons_and_counts(qtbot: Any, extractor: Any, settings_store: Any,
                                                     installed: Callable[[str | None], list[QTranslator]]) -> None:
    translators = installed("ko")
    assert len(translators) == 3  # the English plural forms, Qt's own qtbase_ko.qm, then Fetchlens's Korean

    win = MainWindow(extractor, settings_store)
    qtbot.addWidget(win)

    titles = menu_titles(win)
    assert titles[0] == "파일(&F)" and titles[-1] == "도움말(&H)" and "실행(&R)" in titles
    rp = win.run_panel
    assert rp.start_button.text() == "시작(&S)"
    assert rp.stop_button.text() == "중지(&T)"
    assert rp.export_button.text() == "내보내기(&E)…"
    assert [rp.mode_selector.itemText(i) for i in range(rp.mode_selector.count())] == ["동기", "스레드", "비동기"]
    assert rp.progress.format() == "준비됨"
    assert win.url_panel.counts_label.text() == "아직 URL이 없습니다"
    run_menu = win.menuBar().actions()[titles.index("실행(&R)")].menu()
    assert "모드 비교(&C)…" in [a.text() for a in run_menu.actions()]
    # Qt's standard dialog buttons come from qtbase_ko.qm.
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    assert sorted(b.text() for b in box.buttons()) == sorted(["확인", "취소"])


def test_korean_system_locale_is_followed_without_lang(qtbot: Any, extractor: Any, settings_store: Any,
                                                       installed: Callable[[str | None], list[QTranslator]],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    class KoreanSystem(QLocale):
        @staticmethod
        def system() -> QLocale:
            return QLocale("ko_KR")

    monkeypatch.setattr(i18n, "QLocale", KoreanSystem)
    assert i18n.language_code(None) == "ko"
    assert installed(None)
    win = MainWindow(extractor, settings_store)
    qtbot.addWidget(win)
    assert menu_titles(win)[0] == "파일(&F)"


def test_lang_en_overrides_a_korean_system(qtbot: Any, extractor: Any, settings_store: Any,
                                           installed: Callable[[str | None], list[QTranslator]]) -> None:
    assert [Path(t.filePath()).name for t in installed("en")] == ["fetchlens_en.qm"]  # only plural forms
    assert i18n.language_code("en_US") == "en"
    win = MainWindow(extractor, settings_store)
    qtbot.addWidget(win)
    titles = menu_titles(win)
    assert titles[0] == "&File" and titles[-1] == "&Help" and "&Run" in titles
    assert QCoreApplication.translate("UrlPanel", "No URLs yet") == "No URLs yet"


@pytest.mark.parametrize(("env", "expected"), [
    ({"LANG": "ko_KR.UTF-8"}, "ko"),
    ({"LANG": "en_US.UTF-8", "LANGUAGE": "ko:en"}, "ko"),
    ({"LANG": "C"}, "en"),
    ({"LANG": "ko_KR.UTF-8", "LC_ALL": "C"}, "en"),
])
def test_language_comes_from_the_environment(env: dict[str, str], expected: str) -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LC_") and k not in ("LANG", "LANGUAGE")}
    done = subprocess.run([sys.executable, "-c", "from gui.app.i18n import language_code; print(language_code(None))"],
                          cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.strip() == expected


@pytest.mark.parametrize("lang", ["xx", "de"])
def test_language_without_a_catalogue_stays_english_throughout(lang: str, installed: Callable[[str | None],
                                                                                            list[QTranslator]],
                                                                caplog: pytest.LogCaptureFixture) -> None:
    # Qt ships qtbase_de.qm, but German buttons in an English window would be worse than none.
    assert [Path(t.filePath()).name for t in installed(lang)] == ["fetchlens_en.qm"]  # English plurals only
    assert f"no translation for {lang!r}" in caplog.text
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert box.buttons()[0].text() == "Cancel"
