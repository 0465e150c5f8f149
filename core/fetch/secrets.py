"""Secrets the user gave (passwords, tokens, cookie values): remembered so they can be blotted out.

Every secret that enters the process through :mod:`core.fetch.options` is registered here;
:func:`redact` replaces them in any text (error messages, log records) and
:class:`RedactingFilter` does it for every log record a handler emits. The registry is
process-wide because a log record can come from any module or thread.
"""

from __future__ import annotations

import logging
import threading

log = logging.getLogger(__name__)

MASK = "***"
_MIN_LEN = 3  # shorter "secrets" would blot out ordinary words
_lock = threading.Lock()
_secrets: frozenset[str] = frozenset()


def register(*values: str) -> None:
    """Remember ``values`` as secrets (empty and very short ones are ignored)."""
    global _secrets
    new = {v for v in values if v and len(v) >= _MIN_LEN}
    if not new:
        return
    with _lock:
        _secrets = _secrets | new


def known() -> frozenset[str]:
    """The registered secrets (for tests)."""
    return _secrets


def redact(text: str) -> str:
    """``text`` with every registered secret replaced by ``***`` (longest first)."""
    secrets = _secrets
    if not secrets or not text:
        return text
    for s in sorted(secrets, key=len, reverse=True):
        if s in text:
            text = text.replace(s, MASK)
    return text


class RedactingFilter(logging.Filter):
    """A handler filter that blots registered secrets out of each record's final message."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not _secrets:
            return True
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken record is the logging module's to report
            return True
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def install_log_filter(logger: logging.Logger | None = None) -> None:
    """Add a :class:`RedactingFilter` to every handler of ``logger`` (default: the root logger)."""
    target = logger or logging.getLogger()
    for handler in target.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
