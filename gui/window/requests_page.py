"""The "Requests" page of the settings dialog: the command line's request options and per-host rules.

The page edits a :class:`core.fetch.options.RequestOptions`: headers, cookies, a cookies.txt,
Basic/Bearer credentials, the proxy, rate limits, robots.txt and the method, plus a table of
rules per host pattern. Secrets are shown masked; they are remembered only when "Remember" is
ticked, and then in the system keyring (gui/app/settings.py), never in QSettings.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.fetch.options import (
    Credentials,
    HostRule,
    Method,
    OptionsError,
    ProxyOptions,
    RequestOptions,
    RequestPolicy,
    RobotsMode,
    parse_cookie,
    parse_header,
)
from gui.app.settings import keyring_available

log = logging.getLogger(__name__)

MASK = "••••••"
SECRET_ROLE = Qt.ItemDataRole.UserRole
# Columns of the per-host rules table.
PATTERN, HEADERS, COOKIES, AUTH, USER, SECRET, RATE, PER_HOST, ROBOTS = range(9)
_AUTH = ("", "basic", "bearer")
_ROBOTS = ("", "obey", "report", "ignore")


class _SecretDelegate(QStyledItemDelegate):
    """Edits the secret column with a password field; the item shows a mask, the value sits in a role."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        editor = QLineEdit(parent)
        editor.setEchoMode(QLineEdit.EchoMode.Password)
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QLineEdit)
        editor.setText(str(index.data(SECRET_ROLE) or ""))

    def setModelData(self, editor: QWidget, model: object, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QLineEdit)
        model.setData(index, editor.text(), SECRET_ROLE)  # type: ignore[attr-defined]
        model.setData(index, MASK if editor.text() else "", Qt.ItemDataRole.DisplayRole)  # type: ignore[attr-defined]


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\n", ";").split(";") if part.strip()]


class RequestsPage(QWidget):
    """The page; :meth:`show_options` fills it, :meth:`options` reads it back (raising on bad input)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("requestsPage")
        self.headers = QPlainTextEdit(self)
        self.headers.setObjectName("requestHeaders")
        self.headers.setPlaceholderText("Accept-Language: de\nX-Team: qa")
        self.headers.setToolTip(self.tr("One 'Name: value' per line, sent with every request. Host, "
                                        "Content-Length, Transfer-Encoding and Connection are refused."))
        self.headers.setFixedHeight(64)
        self.cookies = QLineEdit(self)
        self.cookies.setObjectName("requestCookies")
        self.cookies.setPlaceholderText("session=abc; lang=en")
        self.cookies.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        self.cookies.setToolTip(self.tr("name=value pairs separated by ';', sent to each input URL's host."))
        self.cookies_file = QLineEdit(self)
        self.cookies_file.setObjectName("cookiesFile")
        self.cookies_file.setToolTip(self.tr("A Netscape cookies.txt (curl, browser extensions)."))
        browse = QPushButton(self.tr("Browse…"), self)
        browse.clicked.connect(self._browse_cookies)
        cookie_row = QHBoxLayout()
        cookie_row.addWidget(self.cookies_file)
        cookie_row.addWidget(browse)

        self.auth = QComboBox(self)
        self.auth.setObjectName("authScheme")
        self.auth.addItems([self.tr("None"), self.tr("Basic"), self.tr("Bearer token")])
        self.user = QLineEdit(self)
        self.user.setObjectName("authUser")
        self.secret = QLineEdit(self)
        self.secret.setObjectName("authSecret")
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setToolTip(self.tr("Password or token: sent only to each input URL's own origin, never "
                                       "written to the CSV, the history or the log."))
        self.remember = QCheckBox(self.tr("Remember passwords, tokens and cookies (system keyring)"), self)
        self.remember.setObjectName("rememberSecrets")
        self.keyring_note = QLabel(self)
        self.keyring_note.setObjectName("keyringNote")
        self.keyring_note.setWordWrap(True)
        if not keyring_available():
            self.keyring_note.setText(self.tr("No system keyring is available: secrets are kept for this "
                                              "session only."))
            self.remember.setEnabled(False)
        else:
            self.keyring_note.hide()

        self.proxy = QLineEdit(self)
        self.proxy.setObjectName("proxyUrl")
        self.proxy.setPlaceholderText("http://proxy:3128  ·  socks5://127.0.0.1:1080")
        self.use_env = QCheckBox(self.tr("Use HTTP_PROXY / HTTPS_PROXY / NO_PROXY from the environment"), self)
        self.use_env.setObjectName("useEnvProxy")
        self.no_proxy = QLineEdit(self)
        self.no_proxy.setObjectName("noProxy")
        self.no_proxy.setPlaceholderText("localhost, .internal, 10.0.0.0/8")

        self.rate = QDoubleSpinBox(self)
        self.rate.setObjectName("rateInput")
        self.host_rate = QDoubleSpinBox(self)
        self.host_rate.setObjectName("hostRateInput")
        for box in (self.rate, self.host_rate):
            box.setRange(0, 10_000)
            box.setDecimals(2)
            box.setSuffix(self.tr(" /s"))
            box.setSpecialValueText(self.tr("no limit"))
        self.host_rate.setToolTip(self.tr("Halved for a host after a 429 or 503, then recovers slowly."))
        self.robots = QComboBox(self)
        self.robots.setObjectName("robotsMode")
        self.robots.addItems([m.value for m in RobotsMode])
        self.robots.setToolTip(self.tr("obey: skip disallowed URLs; report: fetch and flag them; ignore."))
        self.method = QComboBox(self)
        self.method.setObjectName("methodSelector")
        self.method.addItems([m.value for m in Method])
        self.method.setToolTip(self.tr("HEAD parses nothing; HEAD,GET asks again with GET after 405/501."))

        # A handful of rules: a QStandardItemModel under a QTableView (the results use their own model).
        self.rule_model = QStandardItemModel(0, 9, self)
        self.rule_model.setHorizontalHeaderLabels([
            self.tr("Host pattern"), self.tr("Headers"), self.tr("Cookies"), self.tr("Auth"), self.tr("User"),
            self.tr("Password / token"), self.tr("Rate /s"), self.tr("Per host"), self.tr("Robots")])
        self.rules = QTableView(self)
        self.rules.setObjectName("hostRulesTable")
        self.rules.setModel(self.rule_model)
        self.rules.setItemDelegateForColumn(SECRET, _SecretDelegate(self.rules))
        self.rules.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.rules.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rules.resizeColumnsToContents()  # each header readable; the table scrolls sideways
        # Room for four rules under the header (it was two rows tall).
        self.rules.setMinimumHeight(self.rules.horizontalHeader().sizeHint().height()
                                    + 4 * self.rules.verticalHeader().defaultSectionSize()
                                    + self.rules.horizontalScrollBar().sizeHint().height() + 4)
        self.rules.setToolTip(self.tr("Patterns: example.com, *.example.com (subdomains), optionally :port. "
                                      "Headers 'Name: value' and cookies 'name=value' separated by ';'. "
                                      "Auth: basic or bearer. Robots: obey, report or ignore."))
        add = QPushButton(self.tr("Add rule"), self)
        add.setObjectName("addHostRule")
        add.clicked.connect(lambda: self._add_rule(HostRule("*.example.com")))
        remove = QPushButton(self.tr("Remove rule"), self)
        remove.setObjectName("removeHostRule")
        remove.clicked.connect(self._remove_rule)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)

        form = QFormLayout()
        form.addRow(self.tr("&Headers:"), self.headers)
        form.addRow(self.tr("C&ookies:"), self.cookies)
        cookies_file_label = QLabel(self.tr("Cookies &file:"), self)  # a layout row has no buddy of its own
        cookies_file_label.setBuddy(self.cookies_file)
        form.addRow(cookies_file_label, cookie_row)
        form.addRow(self.tr("&Authentication:"), self.auth)
        form.addRow(self.tr("U&ser:"), self.user)
        form.addRow(self.tr("&Password / token:"), self.secret)
        form.addRow(self.remember)
        form.addRow(self.keyring_note)
        form.addRow(self.tr("Pro&xy:"), self.proxy)
        form.addRow(self.use_env)
        form.addRow(self.tr("&No proxy for:"), self.no_proxy)
        form.addRow(self.tr("Rate (&all hosts):"), self.rate)
        form.addRow(self.tr("Rate (&each host):"), self.host_rate)
        form.addRow(self.tr("&robots.txt:"), self.robots)
        form.addRow(self.tr("&Method:"), self.method)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("Rules per host pattern (the most specific wins):"), self))
        layout.addWidget(self.rules)
        layout.addLayout(buttons)

    def _browse_cookies(self) -> None:
        dialog = QFileDialog(self, self.tr("Cookies file"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self.cookies_file.setText)
        dialog.open()  # never exec() inside a running task (qasync)

    # -- filling and reading ------------------------------------------------------------------
    def show_options(self, o: RequestOptions) -> None:
        self.headers.setPlainText("\n".join(f"{n}: {v}" for n, v in o.headers))
        self.cookies.setText("; ".join(f"{n}={v}" for n, v in o.cookies))
        self.cookies_file.setText(o.cookies_file)
        c = o.credentials
        self.auth.setCurrentIndex(_AUTH.index(c.scheme) if c else 0)
        self.user.setText(c.user if c else "")
        self.secret.setText(c.secret if c else "")
        self.remember.setChecked(o.remember_secrets and self.remember.isEnabled())
        self.proxy.setText(o.proxy.url)
        self.use_env.setChecked(o.proxy.use_env)
        self.no_proxy.setText(", ".join(o.proxy.no_proxy))
        self.rate.setValue(o.rate)
        self.host_rate.setValue(o.host_rate)
        self.robots.setCurrentText(o.robots.value)
        self.method.setCurrentText(o.method.value)
        self.rule_model.setRowCount(0)
        for rule in o.rules:
            self._add_rule(rule)

    def _add_rule(self, r: HostRule) -> None:
        row = self.rule_model.rowCount()
        self.rule_model.insertRow(row)
        c = r.credentials
        cells = {
            PATTERN: r.pattern, HEADERS: "; ".join(f"{n}: {v}" for n, v in r.headers),
            COOKIES: "; ".join(f"{n}={v}" for n, v in r.cookies), AUTH: c.scheme if c else "",
            USER: c.user if c else "", RATE: "" if r.rate is None else f"{r.rate:g}",
            PER_HOST: "" if r.per_host is None else str(r.per_host), ROBOTS: r.robots.value if r.robots else "",
        }
        for col, text in cells.items():
            self.rule_model.setItem(row, col, QStandardItem(text))
        secret = QStandardItem(MASK if c and c.secret else "")
        secret.setData(c.secret if c else "", SECRET_ROLE)
        self.rule_model.setItem(row, SECRET, secret)

    def _remove_rule(self) -> None:
        for row in sorted({i.row() for i in self.rules.selectionModel().selectedIndexes()}, reverse=True):
            self.rule_model.removeRow(row)

    def _cell(self, row: int, col: int, role: Qt.ItemDataRole = Qt.ItemDataRole.DisplayRole) -> str:
        item = self.rule_model.item(row, col)
        return "" if item is None else str(item.data(role) or "").strip()

    def options(self) -> RequestOptions:
        """The edited options.

        Raises:
            OptionsError: a value that cannot be used; the message says which.
        """
        headers = tuple(parse_header(line) for line in self.headers.toPlainText().splitlines() if line.strip())
        cookies = tuple(parse_cookie(p) for p in _split(self.cookies.text()))
        creds = _credentials(_AUTH[self.auth.currentIndex()], self.user.text().strip(), self.secret.text())
        rules = tuple(self._rule(row) for row in range(self.rule_model.rowCount()) if self._cell(row, PATTERN))
        opts = RequestOptions(
            headers=headers, cookies=cookies, cookies_file=self.cookies_file.text().strip(), credentials=creds,
            rules=rules,
            proxy=ProxyOptions(self.proxy.text().strip(), tuple(_split(self.no_proxy.text().replace(",", ";"))),
                               self.use_env.isChecked()),
            rate=self.rate.value(), host_rate=self.host_rate.value(),
            robots=RobotsMode(self.robots.currentText()), method=Method(self.method.currentText()),
            remember_secrets=self.remember.isChecked(),
        )
        if opts.cookies_file:
            RequestPolicy(opts, "", environ={})  # reads the cookies file: a bad one is reported here
        return opts

    def _rule(self, row: int) -> HostRule:
        pattern = self._cell(row, PATTERN)

        def number(col: int, kind: type[float] | type[int]) -> float | int | None:
            text = self._cell(row, col)
            if not text:
                return None
            try:
                value = kind(text)
            except ValueError:
                raise OptionsError(f"rule {pattern}: {text!r} is not a number") from None
            if value < 0:
                raise OptionsError(f"rule {pattern}: numbers must be 0 or more")
            return value

        robots = self._cell(row, ROBOTS).lower()
        if robots not in _ROBOTS:
            raise OptionsError(f"rule {pattern}: robots is obey, report or ignore")
        auth = self._cell(row, AUTH).lower()
        if auth not in _AUTH:
            raise OptionsError(f"rule {pattern}: auth is basic or bearer")
        return HostRule(
            pattern,
            headers=tuple(parse_header(p) for p in _split(self._cell(row, HEADERS))),
            cookies=tuple(parse_cookie(p) for p in _split(self._cell(row, COOKIES))),
            credentials=_credentials(auth, self._cell(row, USER), self._cell(row, SECRET, SECRET_ROLE)),
            rate=number(RATE, float),  # type: ignore[arg-type]
            per_host=number(PER_HOST, int),  # type: ignore[arg-type]
            robots=RobotsMode(robots) if robots else None,
        )


def _credentials(scheme: str, user: str, secret: str) -> Credentials | None:
    if not scheme:
        return None
    if scheme == "basic" and not user:
        raise OptionsError("Basic authentication needs a user name")
    return Credentials(scheme, user if scheme == "basic" else "", secret)
