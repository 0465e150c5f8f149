"""Host names as browsers see them: UTS 46 mapping without transitional processing, and ``*.localhost``.

The same mapping gives the duplicate key (:mod:`core.urls`) and the name a request goes to, so
``faß.example`` is ``xn--fa-hia.example`` everywhere (IDNA 2003 / transitional UTS 46 would make it
``fass.example``, a different host).
"""

from __future__ import annotations

import functools
import logging

import idna

log = logging.getLogger(__name__)

LOOPBACK = "127.0.0.1"


@functools.lru_cache(maxsize=65536)
def to_ascii(host: str) -> str:
    """The ASCII (A-label) form of a host name, lower-cased, trailing dot dropped.

    UTS 46 §4 with ``transitional=False`` (as the WHATWG URL standard's "domain to ASCII"); ASCII names
    are only lower-cased (underscores and other names DNS allows stay as they are).

    Raises:
        UnicodeError: the name has no valid A-label form.
    """
    if host.isascii():
        return host.lower().rstrip(".")
    try:
        return idna.encode(host.rstrip("."), uts46=True, transitional=False).decode("ascii").lower()
    except idna.IDNAError as exc:
        raise UnicodeError(str(exc)) from exc


def loopback_for(host: str) -> str | None:
    """``127.0.0.1`` for ``localhost`` and every name under it (RFC 6761 §6.3), else ``None``."""
    name = host.lower().rstrip(".")
    return LOOPBACK if name == "localhost" or name.endswith(".localhost") else None
