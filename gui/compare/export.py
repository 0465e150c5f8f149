"""Saving a comparison: one CSV row per mode, or a picture of the window.

:func:`compare_rows` and :func:`write_compare_csv` work without a window; the comparison
window has a :class:`CompareExporter`, given its content widget, for the buttons and dialogs.
"""

from __future__ import annotations

import asyncio
import csv
import datetime
import logging
import os
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QPoint
from PySide6.QtGui import QImage, QPainter, QPalette
from PySide6.QtWidgets import QAbstractScrollArea, QFileDialog, QWidget

from core.files import SaveError, atomic_target
from core.run.compare import Comparison
from gui.timeline.export import write_image_atomic

log = logging.getLogger(__name__)

CSV_COLUMNS: tuple[str, ...] = ("mode", "urls", "ok", "failed", "wall_s", "sum_elapsed_s", "effective_concurrency",
                                "p50_ms", "p95_ms", "p99_ms", "pages_per_s", "speedup_vs_sync")


def _blank(value: float | None) -> float | str:
    """An empty cell for a figure without data (as the results CSV does)."""
    return "" if value is None else round(value, 3)


def compare_rows(comparison: Comparison) -> list[dict[str, object]]:
    """One CSV row per mode that ran, in run order."""
    rows: list[dict[str, object]] = []
    for mode, s in comparison.summaries.items():
        speedup = comparison.speedup(mode)
        rows.append({"mode": str(mode), "urls": s.urls, "ok": s.ok, "failed": s.failed, "wall_s": s.wall_s,
                     "sum_elapsed_s": s.sum_elapsed_s, "effective_concurrency": _blank(s.effective_concurrency),
                     "p50_ms": _blank(s.p50_ms), "p95_ms": _blank(s.p95_ms), "p99_ms": _blank(s.p99_ms),
                     "pages_per_s": _blank(s.pages_per_s),
                     "speedup_vs_sync": "" if speedup is None else round(speedup, 3)})
    return rows


def write_compare_csv(path: str | os.PathLike[str], rows: list[dict[str, object]]) -> None:
    """Write one row per mode (UTF-8 with BOM) with :func:`core.files.atomic_target`.

    Raises:
        core.files.SaveError: where and why, in plain words.
    """
    with atomic_target(path) as tmp, open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


class CompareExporter(QObject):
    """CSV and PNG export of a comparison window's content.

    Args:
        content: the widget the picture shows (headline, cards, timelines, histograms).
        comparison: returns the finished comparison, or ``None`` before there is one.
        report: shows a one-line outcome ("Saved …", "Could not save …") to the user.
    """

    def __init__(self, content: QWidget, comparison: Callable[[], Comparison | None],
                 report: Callable[[str], None]) -> None:
        super().__init__(content)
        self._content, self._comparison, self._report = content, comparison, report
        self._jobs: set[asyncio.Task[Any]] = set()

    def render_image(self, scale: float = 2.0) -> QImage:
        """The comparison as an image, at ``scale`` device pixels per pixel."""
        content = self._content
        size = content.size()
        image = QImage(round(size.width() * scale), round(size.height() * scale),
                       QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(scale)
        image.fill(content.palette().color(QPalette.ColorRole.Base))
        # A picture to share shows no scroll bars (the close-up timelines have some on screen).
        bars = [b for area in content.findChildren(QAbstractScrollArea)
                for b in (area.verticalScrollBar(), area.horizontalScrollBar()) if b.isVisible()]
        for bar in bars:
            bar.setVisible(False)
        painter = QPainter(image)
        try:
            content.render(painter, QPoint(0, 0))
        finally:
            painter.end()
            for bar in bars:
                bar.setVisible(True)
        return image

    def csv_rows(self) -> list[dict[str, object]]:
        comparison = self._comparison()
        return compare_rows(comparison) if comparison is not None else []

    async def save_png(self, path: str) -> bool:
        """Render on the GUI thread, encode and write in a worker thread."""
        image = self.render_image()
        try:
            await asyncio.to_thread(write_image_atomic, image, path)
        except SaveError as exc:
            log.warning("%s", exc)
            self._report(self.tr("Could not save %1: %2").replace("%1", path).replace("%2", str(exc)))
            return False
        self._report(self.tr("Saved %1").replace("%1", path))
        return True

    async def save_csv(self, path: str) -> bool:
        """Write the per-mode CSV in a worker thread (atomic)."""
        try:
            await asyncio.to_thread(write_compare_csv, path, self.csv_rows())
        except SaveError as exc:
            log.warning("%s", exc)
            self._report(self.tr("Could not save %1: %2").replace("%1", path).replace("%2", str(exc)))
            return False
        self._report(self.tr("Saved %1").replace("%1", path))
        return True

    def ask_png(self) -> None:
        """Ask where to save the picture (without blocking), then save it."""
        self._ask_path(self.tr("Save picture"), "png", self.save_png)

    def ask_csv(self) -> None:
        """Ask where to save the CSV (without blocking), then save it."""
        self._ask_path(self.tr("Save CSV"), "csv", self.save_csv)

    def _ask_path(self, title: str, suffix: str, action: Callable[[str], Coroutine[Any, Any, bool]]) -> None:
        name = f"fetchlens-compare-{datetime.date.today():%Y%m%d}.{suffix}"
        dialog = QFileDialog(self._content.window(), title, str(Path.home() / name), f"*.{suffix}")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(suffix)
        dialog.fileSelected.connect(lambda p: self._spawn(action(p)))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()  # not exec(): a nested loop inside qasync hangs (DESIGN.md hazards)

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        job = asyncio.ensure_future(coro)
        self._jobs.add(job)
        job.add_done_callback(self._jobs.discard)
