"""Mode, concurrency, start/stop and the overall progress bar (left side, under the URL box)."""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.model import Mode
from gui.app.vocabulary import mode_label

log = logging.getLogger(__name__)


def mode_explanation(mode: Mode) -> str:
    """One line saying what the mode does."""
    return {
        Mode.SYNC: QCoreApplication.translate(
            "RunPanel", "One request after another: each waits for the previous one to finish."),
        Mode.THREADS: QCoreApplication.translate(
            "RunPanel", "Blocking requests in a pool of threads (the run_in_executor recipe)."),
        Mode.ASYNC: QCoreApplication.translate(
            "RunPanel", "Coroutines on one event loop with aiohttp: many requests wait at once."),
    }[mode]


def format_duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class RunPanel(QWidget):
    """``modeSelector``, ``concurrencyInput``, ``startButton``, ``stopButton``, ``overallProgress``.

    Signals:
        settings_changed(): the mode or the concurrency was changed by the user.
    """

    settings_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode_selector = QComboBox(self)
        self.mode_selector.setObjectName("modeSelector")
        for mode in Mode:
            self.mode_selector.addItem(mode_label(mode), str(mode))
            self.mode_selector.setItemData(self.mode_selector.count() - 1, mode_explanation(mode),
                                           Qt.ItemDataRole.ToolTipRole)
        self.mode_selector.setToolTip(self.tr("How the batch is fetched: sync, a thread pool, or asyncio"))
        self.mode_help = QLabel(self)
        self.mode_help.setObjectName("modeHelp")
        self.mode_help.setWordWrap(True)
        self.concurrency = QSpinBox(self)
        self.concurrency.setObjectName("concurrencyInput")
        self.concurrency.setRange(1, 10_000)
        self.concurrency.setAccelerated(True)
        self.concurrency.setToolTip(self.tr("Requests in flight at once (threads mode: the number of threads; "
                                            "sync mode always uses 1)"))
        self.start_button = QPushButton(self.tr("&Start"), self)
        self.start_button.setObjectName("startButton")
        self.start_button.setToolTip(self.tr("Fetch every URL in the box (Ctrl+Enter)"))
        self.start_button.setDefault(True)
        self.stop_button = QPushButton(self.tr("S&top"), self)
        self.stop_button.setObjectName("stopButton")
        self.stop_button.setToolTip(self.tr("Stop the run; finished rows are kept (Esc)"))
        self.stop_button.setEnabled(False)
        self.export_button = QToolButton(self)
        self.export_button.setObjectName("exportButton")
        self.export_button.setText(self.tr("&Export…"))
        self.export_button.setToolTip(self.tr("Write the results to a CSV, JSON Lines or Excel file (Ctrl+S); "
                                              "the arrow offers only the rows the filter shows (Ctrl+Shift+S)"))
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.export_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.export_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.export_button.setEnabled(False)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("overallProgress")
        self.progress.setToolTip(self.tr("Finished URLs of the batch, with the rate and the time left"))
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat(self.tr("Ready"))

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("&Mode:"), self.mode_selector)
        form.addRow(self.mode_help)
        form.addRow(self.tr("&Concurrency:"), self.concurrency)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button, 1)
        buttons.addWidget(self.stop_button, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.export_button)

        self._t0 = 0.0
        self._concurrency = self.concurrency.value()  # the setting; sync mode shows 1 but keeps it
        self.mode_selector.currentIndexChanged.connect(self._mode_changed)
        self.mode_selector.currentIndexChanged.connect(self.settings_changed)
        self.concurrency.valueChanged.connect(self._concurrency_edited)
        self._mode_changed()

    # -- settings ---------------------------------------------------------------------------
    def mode(self) -> Mode:
        return Mode(self.mode_selector.currentData())

    def set_mode(self, mode: Mode) -> None:
        self.mode_selector.setCurrentIndex(self.mode_selector.findData(str(mode)))

    def concurrency_value(self) -> int:
        """The concurrency setting (what the box shows outside sync mode)."""
        return self._concurrency

    def set_concurrency(self, n: int) -> None:
        self._concurrency = n
        self._show_concurrency()

    def _concurrency_edited(self, n: int) -> None:
        if self.mode() is not Mode.SYNC:
            self._concurrency = n
            self.settings_changed.emit()

    def _show_concurrency(self) -> None:
        sync = self.mode() is Mode.SYNC
        self.concurrency.blockSignals(True)
        self.concurrency.setValue(1 if sync else self._concurrency)  # sync fetches one at a time: say so
        self.concurrency.blockSignals(False)

    def _mode_changed(self) -> None:
        mode = self.mode()
        self.mode_help.setText(mode_explanation(mode))
        self.concurrency.setEnabled(mode is not Mode.SYNC)
        self._show_concurrency()

    # -- running ----------------------------------------------------------------------------
    def set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.stop_button.setEnabled(running)
        self.mode_selector.setEnabled(not running)
        self.concurrency.setEnabled(not running and self.mode() is not Mode.SYNC)

    def _set_bar(self, value: int, text: str) -> None:
        # QProgressBar.setValue() calls repaint(): a synchronous paint of every dirty widget in
        # the window (13–37 ms per tick measured during a 2,000-URL run), right inside the
        # batched update. With updates off it only records the value, and turning updates
        # back on schedules an ordinary, coalesced paint.
        bar = self.progress
        bar.setUpdatesEnabled(False)
        try:
            bar.setValue(min(value, bar.maximum()))
            bar.setFormat(text.replace("%", "%%"))
        finally:
            bar.setUpdatesEnabled(True)

    def begin(self, total: int) -> None:
        self._t0 = time.perf_counter()
        self.progress.setRange(0, max(1, total))
        self.show_progress(0, total)

    def show_progress(self, done: int, total: int) -> None:
        """``done / total — rate/s — ETA m:ss`` in the bar."""
        elapsed = time.perf_counter() - self._t0
        text = f"{done:,} / {total:,}"
        if done and elapsed > 0.5:
            rate = done / elapsed
            text += self.tr(" — {0}/s").format(f"{rate:,.1f}")
            if done < total:
                text += self.tr(" — ETA {0}").format(format_duration((total - done) / rate))
        self._set_bar(done, text)

    def end(self, done: int, total: int, stopped: bool) -> None:
        elapsed = time.perf_counter() - self._t0
        text = f"{done:,} / {total:,}"
        text += self.tr(" — stopped") if stopped else self.tr(" — done in {0}").format(format_duration(elapsed))
        self._set_bar(done, text)
