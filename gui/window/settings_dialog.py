"""The settings dialog: timeouts, retries, limits, User-Agent, TLS verification, where runs happen; and a Requests page
(headers, cookies, authentication, proxy, rate limits, robots.txt, method) that scrolls on a short screen.

Mode and concurrency live in the main window (they change often); everything else is here.
Open it with ``open()`` (never ``exec()`` inside a running task: that hangs qasync).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QStyle,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.cluster.address import INSTALL_HINT, dask_available
from core.fetch.options import OptionsError
from core.settings import Settings
from gui.window.requests_page import RequestsPage

log = logging.getLogger(__name__)

MB = 1024 * 1024
SCREEN_CHROME_PX = 170  # the dialog's tabs, buttons, margins and title bar around a page


class SettingsDialog(QDialog):
    """Edits the settings that are not in the main window.

    Args:
        settings: the current settings (mode and concurrency pass through unchanged).
        parent: the main window.
    """

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self._base = settings

        self.connect_timeout = QDoubleSpinBox(self)
        self.connect_timeout.setRange(0.1, 600)
        self.connect_timeout.setSuffix(self.tr(" s"))
        self.connect_timeout.setToolTip(self.tr("Longest wait for a connection (TCP and TLS) to open."))
        self.total_timeout = QDoubleSpinBox(self)
        self.total_timeout.setRange(0.1, 3600)
        self.total_timeout.setSuffix(self.tr(" s"))
        self.total_timeout.setToolTip(
            self.tr("Deadline for a whole response, from connecting to the last byte, per attempt and in every mode.")
        )
        self.retries = QSpinBox(self)
        self.retries.setRange(0, 10)
        self.retries.setToolTip(
            self.tr(
                "Retries for connection failures, 429 and 503 (honouring Retry-After "
                "up to 60 s). Other errors are never retried."
            )
        )
        self.per_host = QSpinBox(self)
        self.per_host.setRange(0, 10_000)
        self.per_host.setSpecialValueText(self.tr("no limit"))
        self.per_host.setToolTip(
            self.tr("Requests in flight at once to one host; 'no limit' means only the overall concurrency applies.")
        )
        self.max_redirects = QSpinBox(self)
        self.max_redirects.setRange(0, 100)
        self.max_redirects.setToolTip(self.tr("Redirects to follow before giving up (too_many_redirects)."))
        self.max_size = QDoubleSpinBox(self)
        self.max_size.setRange(0.01, 4096)
        self.max_size.setDecimals(2)
        self.max_size.setSuffix(self.tr(" MB"))
        self.max_size.setToolTip(self.tr("Largest body accepted after decompression (too_large)."))
        self.user_agent = QLineEdit(self)
        self.user_agent.setToolTip(self.tr("The User-Agent header sent with every request."))
        # Wide enough for the whole default User-Agent (the dialog otherwise shows its tail only).
        ua_width = self.user_agent.fontMetrics().horizontalAdvance(Settings().user_agent + "MMMM")
        self.user_agent.setMinimumWidth(max(ua_width, 320))
        self.verify_tls = QCheckBox(self.tr("Verify TLS certificates"), self)
        self.verify_tls.setToolTip(
            self.tr(
                "Turn off only for hosts you trust: without verification anyone on "
                "the way can read and change the pages."
            )
        )
        self.fetch_duplicates = QCheckBox(self.tr("Fetch repeated URLs again"), self)
        self.fetch_duplicates.setToolTip(
            self.tr("By default a URL that appears twice is fetched once and its result copied.")
        )
        self.parse = QCheckBox(self.tr("Parse pages (title, description, h1, links)"), self)
        self.parse.setToolTip(self.tr("Parsing runs in separate processes; turn it off to measure fetching only."))

        # Where runs happen: this computer, or a Dask cluster (Settings.cluster, as --cluster and the config file).
        self.run_on = QComboBox(self)
        self.run_on.setObjectName("runOnSelector")
        self.run_on.addItem(self.tr("This computer"), "")
        self.run_on.addItem(self.tr("Dask cluster"), "cluster")
        self.run_on.setToolTip(
            self.tr(
                "Fetch on this computer, or spread the URLs over the workers of a Dask "
                "cluster (the table, progress and timeline stay the same)."
            )
        )
        self.cluster_address = QLineEdit(self)
        self.cluster_address.setObjectName("clusterAddress")
        self.cluster_address.setPlaceholderText(self.tr("tcp://host:port or local:N"))
        self.cluster_address.setToolTip(
            self.tr(
                "A running Dask scheduler (tcp://host:port), or local:N to start N "
                "worker processes on this computer for each run."
            )
        )
        self.cluster_note = QLabel(self)
        self.cluster_note.setObjectName("clusterNote")
        self.cluster_note.setWordWrap(True)
        if not dask_available():
            self.cluster_note.setText(
                self.tr("Dask is not installed here; a cluster run needs it ({0}).").format(INSTALL_HINT)
            )
        self.cluster_note.setVisible(bool(self.cluster_note.text()))
        self.run_on.currentIndexChanged.connect(self._run_on_changed)

        form = QFormLayout()
        form.addRow(self.tr("&Connect timeout:"), self.connect_timeout)
        form.addRow(self.tr("&Total timeout:"), self.total_timeout)
        form.addRow(self.tr("&Retries:"), self.retries)
        form.addRow(self.tr("Per-&host limit:"), self.per_host)
        form.addRow(self.tr("Max &redirects:"), self.max_redirects)
        form.addRow(self.tr("Max &size:"), self.max_size)
        form.addRow(self.tr("&User-Agent:"), self.user_agent)
        form.addRow(self.tr("Run &on:"), self.run_on)
        form.addRow(self.tr("&Scheduler:"), self.cluster_address)
        form.addRow(self.cluster_note)
        form.addRow(self.verify_tls)
        form.addRow(self.fetch_duplicates)
        form.addRow(self.parse)
        self.problems = QLabel(self)
        self.problems.setWordWrap(True)
        self.problems.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults,
            self,
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        restore = self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        restore.setToolTip(self.tr("Put every setting back to its default (mode and concurrency too)."))
        restore.clicked.connect(self.restore_defaults)
        # Two pages: the general settings, and the request options (headers, auth, proxy, rates, robots).
        general = QWidget(self)
        general.setLayout(form)
        self.requests_page = RequestsPage(self)
        # The Requests page is taller than a small laptop screen leaves a dialog: it scrolls there, and
        # opens whole wherever it fits.
        requests_scroll = QScrollArea(self)
        requests_scroll.setObjectName("requestsScroll")
        requests_scroll.setFrameShape(QFrame.Shape.NoFrame)
        requests_scroll.setWidgetResizable(True)
        requests_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        requests_scroll.setWidget(self.requests_page)
        page_hint = self.requests_page.sizeHint()
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        room = self.screen().availableGeometry().height() - SCREEN_CHROME_PX
        requests_scroll.setMinimumSize(page_hint.width() + bar, max(min(page_hint.height(), room), 240))
        self.pages = QTabWidget(self)
        self.pages.addTab(general, self.tr("General"))
        self.pages.addTab(requests_scroll, self.tr("Requests"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        self._defaults_requested = False
        self._show(settings)

    def _show(self, s: Settings) -> None:
        self.connect_timeout.setValue(s.connect_timeout)
        self.total_timeout.setValue(s.total_timeout)
        self.retries.setValue(s.retries)
        self.per_host.setValue(s.per_host)
        self.max_redirects.setValue(s.max_redirects)
        self.max_size.setValue(s.max_bytes / MB)
        self.user_agent.setText(s.user_agent)
        self.verify_tls.setChecked(s.verify_tls)
        self.fetch_duplicates.setChecked(s.fetch_duplicates)
        self.parse.setChecked(s.parse)
        self.requests_page.show_options(s.requests)
        if s.cluster:
            self.cluster_address.setText(s.cluster)
        self.run_on.setCurrentIndex(1 if s.cluster else 0)
        self._run_on_changed()

    def _run_on_changed(self) -> None:
        self.cluster_address.setEnabled(self.on_cluster)

    @property
    def on_cluster(self) -> bool:
        """ "Run on" says a Dask cluster."""
        return self.run_on.currentData() == "cluster"

    @property
    def defaults_requested(self) -> bool:
        """Restore defaults was pressed: mode and concurrency go back to their defaults too."""
        return self._defaults_requested

    def restore_defaults(self) -> None:
        self._defaults_requested = True
        self._base = Settings()
        self._show(self._base)

    def settings(self) -> Settings:
        """The edited settings.

        Raises:
            OptionsError: a request option cannot be used (``accept`` shows it instead of closing).
        """
        return self._base.replace(
            requests=self.requests_page.options(),
            connect_timeout=self.connect_timeout.value(),
            total_timeout=self.total_timeout.value(),
            retries=self.retries.value(),
            per_host=self.per_host.value(),
            max_redirects=self.max_redirects.value(),
            max_bytes=max(1, round(self.max_size.value() * MB)),
            user_agent=self.user_agent.text().strip() or Settings().user_agent,
            verify_tls=self.verify_tls.isChecked(),
            fetch_duplicates=self.fetch_duplicates.isChecked(),
            parse=self.parse.isChecked(),
            cluster=self.cluster_address.text().strip() if self.on_cluster else "",
        )

    def accept(self) -> None:
        try:
            problems = self.settings().validate()
        except OptionsError as exc:
            problems = [str(exc)]
        if self.on_cluster and not self.cluster_address.text().strip():
            problems.append(self.tr("Enter the Dask scheduler's address (tcp://host:port), or local:N."))
        if problems:
            self.problems.setText("\n".join(problems))
            self.problems.show()
            return
        super().accept()
