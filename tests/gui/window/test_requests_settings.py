"""Settings → Requests: the page round-trips every request option; secrets live only in the keyring, and
only when "Remember" is ticked; without a keyring the page says so and keeps them for the session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import keyring.backends.fail
import pytest
from keyring.backend import KeyringBackend

from core.fetch.options import Credentials, HostRule, Method, ProxyOptions, RequestOptions, RobotsMode
from core.settings import Settings

PASSWORD = "gui-pw-never-in-ini"
TOKEN = "gui-token-never-in-ini"
COOKIE = "gui-cookie-never-in-ini"


class MemoryKeyring(KeyringBackend):
    """A real keyring backend that keeps items in memory (the test machine has no keyring daemon)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    old = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(old)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    old = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield
    keyring.set_keyring(old)


def _options(remember: bool) -> RequestOptions:
    return RequestOptions(
        headers=(("Accept-Language", "de"), ("X-Team", "qa")),
        cookies=(("sid", COOKIE),),
        credentials=Credentials.basic(f"alice:{PASSWORD}"),
        rules=(HostRule("*.api.test", headers=(("X-Api", "1"),), credentials=Credentials("bearer", "", TOKEN),
                        rate=1.5, per_host=2, robots=RobotsMode.IGNORE),
               HostRule("static.test:8080", cookies=(("cdn", "x1"),))),
        proxy=ProxyOptions("socks5://127.0.0.1:1080", ("localhost", ".internal"), use_env=False),
        rate=4.0, host_rate=2.0, robots=RobotsMode.OBEY, method=Method.HEAD_GET, remember_secrets=remember,
    )


def test_requests_page_round_trips_every_option(qtbot: Any, memory_keyring: MemoryKeyring) -> None:
    from gui.window.settings_dialog import SettingsDialog

    opts = _options(remember=True)
    dialog = SettingsDialog(Settings(requests=opts))
    qtbot.addWidget(dialog)
    page = dialog.requests_page
    assert page.remember.isEnabled() and page.keyring_note.isHidden()
    assert page.rule_model.rowCount() == 2 and page.rule_model.item(0, 5).text() != TOKEN  # the secret is masked
    assert dialog.settings().requests == opts
    page.host_rate.setValue(3.0)
    page.rule_model.item(1, 6).setText("0.5")
    edited = dialog.settings().requests
    assert edited.host_rate == 3.0 and edited.rules[1].rate == 0.5


@pytest.mark.parametrize(("widget", "text", "message"), [
    ("headers", "Host: evil.test", "set by the HTTP layer"),
    ("cookies", "novalue", "name=value"),
    ("proxy", "ftp://x:1", "not a proxy URL"),
])
def test_bad_request_option_keeps_the_dialog_open(qtbot: Any, memory_keyring: MemoryKeyring, widget: str,
                                                  text: str, message: str) -> None:
    from gui.window.settings_dialog import SettingsDialog

    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    field = getattr(dialog.requests_page, widget)
    (field.setPlainText if hasattr(field, "setPlainText") else field.setText)(text)
    dialog.accept()
    assert dialog.result() != SettingsDialog.DialogCode.Accepted
    assert message in dialog.problems.text()


def _ini_text(settings_store: Any) -> str:
    settings_store.sync()
    return Path(settings_store.store.fileName()).read_text(encoding="utf-8")


def test_secrets_are_remembered_only_in_the_keyring(settings_store: Any, memory_keyring: MemoryKeyring) -> None:
    opts = _options(remember=True)
    assert settings_store.set_request_options(opts) is True
    ini = _ini_text(settings_store)
    assert "socks5://127.0.0.1:1080" in ini or "127.0.0.1" in ini
    for secret in (PASSWORD, TOKEN, COOKIE):
        assert secret not in ini
        assert any(secret in v for v in memory_keyring.items.values())
    assert settings_store.run_settings().requests == opts

    forget = opts.replace(remember_secrets=False)
    assert settings_store.set_request_options(forget) is True
    assert memory_keyring.items == {}  # unticking "remember" forgets them
    back = settings_store.request_options()
    assert back.credentials is None and back.cookies == () and back.rules[0].credentials is None
    assert back.robots is RobotsMode.OBEY and back.rules[0].rate == 1.5
    for secret in (PASSWORD, TOKEN, COOKIE):
        assert secret not in _ini_text(settings_store)


def test_without_a_keyring_secrets_last_for_the_session(qtbot: Any, settings_store: Any, no_keyring: None) -> None:
    from gui.window.requests_page import RequestsPage

    page = RequestsPage()
    qtbot.addWidget(page)
    assert not page.remember.isEnabled() and "keyring" in page.keyring_note.text()
    opts = _options(remember=True)
    assert settings_store.set_request_options(opts) is False  # not stored: kept by the window for this session
    for secret in (PASSWORD, TOKEN, COOKIE):
        assert secret not in _ini_text(settings_store)
    assert settings_store.request_options().credentials is None


def test_unreadable_cookies_file_is_reported(qtbot: Any, memory_keyring: MemoryKeyring, tmp_path: Path) -> None:
    from gui.window.settings_dialog import SettingsDialog

    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    dialog.requests_page.cookies_file.setText(str(tmp_path / "missing-cookies.txt"))
    dialog.accept()
    assert dialog.result() != SettingsDialog.DialogCode.Accepted
    assert "cannot read the cookies file" in dialog.problems.text()


def test_options_restored_without_secrets_do_not_wipe_the_keyring(settings_store: Any,
                                                                  memory_keyring: MemoryKeyring) -> None:
    from core.store import settings_from_json, settings_to_json

    opts = _options(remember=True)
    settings_store.set_run_settings(Settings(requests=opts))
    from_journal = settings_from_json(settings_to_json(Settings(requests=opts)))  # as a resumed run has them
    assert from_journal.requests.credentials is None
    settings_store.set_run_settings(from_journal)  # e.g. the window remembering its mode afterwards
    assert settings_store.run_settings().requests == opts


def test_requests_page_is_readable(qtbot: Any, memory_keyring: MemoryKeyring) -> None:
    """Every label shows its text without a stray '&' (each has a buddy), and the rules table shows
    four rules and whole header titles, on the dialog's own size."""
    from PySide6.QtWidgets import QLabel

    from gui.window.settings_dialog import SettingsDialog

    dialog = SettingsDialog(Settings(requests=_options(remember=False)))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    page = dialog.requests_page
    dialog.pages.setCurrentIndex(1)
    qtbot.waitUntil(page.isVisible, timeout=2000)
    for label in page.findChildren(QLabel):
        if "&" in label.text():
            assert label.buddy() is not None, label.text()
    rules = page.rules
    assert rules.viewport().height() >= 4 * rules.verticalHeader().defaultSectionSize()
    header = rules.horizontalHeader()
    for col in range(page.rule_model.columnCount()):
        title = page.rule_model.horizontalHeaderItem(col).text()
        assert header.sectionSize(col) >= header.fontMetrics().horizontalAdvance(title), title
    assert dialog.height() <= dialog.screen().availableGeometry().height()


def test_requests_page_scrolls_on_a_small_screen(qtbot: Any, memory_keyring: MemoryKeyring,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """On a screen too short for the whole page (a 1366×768 laptop) the dialog still fits: the page scrolls."""
    from PySide6.QtWidgets import QApplication, QScrollArea

    from gui.window import settings_dialog
    from gui.window.settings_dialog import SettingsDialog

    room = 400  # about what a 1366×768 laptop's screen leaves for the page
    screen_height = QApplication.primaryScreen().availableGeometry().height()
    monkeypatch.setattr(settings_dialog, "SCREEN_CHROME_PX", screen_height - room)
    dialog = SettingsDialog(Settings(requests=_options(remember=False)))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.pages.setCurrentIndex(1)
    scroll = dialog.findChild(QScrollArea, "requestsScroll")
    assert scroll is not None and scroll.widget() is dialog.requests_page
    qtbot.waitUntil(scroll.isVisible, timeout=2000)
    assert scroll.height() < dialog.requests_page.sizeHint().height()
    assert scroll.verticalScrollBar().maximum() > 0  # the rest of the page is a scroll away
