"""The row details window: everything known about one URL (headers, redirect hops, hreflang, notes).

Opened from the results table with Enter or a double-click (a double-click on the URL cell
opens the browser instead). Non-modal and reused: it follows the row it was last asked for.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QVBoxLayout, QWidget

from core.indexability import judge
from core.model import FetchResult

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("RowDetails", text)


def details_text(url: str, r: FetchResult | None) -> str:
    """The details of one row as plain text, in sections (the text the window shows)."""
    if r is None:
        return f"{url}\n\n{_tr('Not finished yet.')}"
    lines = [url]
    if r.final_url and r.final_url != url:
        lines.append(_tr("final URL: {0}").format(r.final_url))
    status = str(r.status_code) if r.status_code is not None else (r.error_kind.value if r.error_kind else "")
    lines.append(_tr("status: {0}").format(status))
    if r.error:
        lines.append(_tr("error: {0}").format(r.error))
    verdict = judge(r)
    if verdict.indexable is not None:
        lines.append(_tr("indexability: {0}").format(verdict.reason or _tr("indexable")))
    if r.sitemap_lastmod:
        lines.append(_tr("sitemap lastmod: {0}").format(r.sitemap_lastmod))
    page = r.page
    facts = page.facts if page is not None else None
    if page is not None:
        lines.append(_tr("canonical: {0}").format(page.canonical or "-"))
        lines.append(_tr("meta robots: {0}").format(page.meta_robots or "-"))
    if facts is not None:
        lines.append(_tr("words: {0}").format(facts.word_count))
        lines.append(_tr("content hash: {0}").format(facts.content_hash or "-"))
    if r.hops:
        lines += ["", _tr("Redirect hops:")]
        lines += [f"  {status} → {loc}" for status, loc in r.hops]
        lines.append(f"  {r.status_code} {r.final_url}")
    if facts is not None and facts.hreflang:
        lines += ["", _tr("hreflang:")] + [f"  {lang} = {href}" for lang, href in facts.hreflang]
    notes = getattr(page, "notes", None)  # from the extraction issue's notes column, where it exists
    if notes:
        lines += ["", _tr("Notes:")] + [f"  {n}" for n in (notes if isinstance(notes, (list, tuple)) else [notes])]
    if r.headers:
        lines += ["", _tr("Response headers:")] + [f"  {k}: {v}" for k, v in r.headers]
    return "\n".join(lines)


class RowDetails(QDialog):
    """A read-only text of one row's details (objectName ``rowDetails``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rowDetails")
        self.setWindowTitle(self.tr("Row details"))
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(760, 480)
        self.setWindowModality(Qt.WindowModality.NonModal)

    def show_row(self, url: str, result: FetchResult | None) -> None:
        """Show this row's details and bring the window up (never a nested event loop)."""
        self.text.setPlainText(details_text(url, result))
        self.show()
        self.raise_()
        self.activateWindow()
