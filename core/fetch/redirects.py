"""Redirects as a browser follows them, the same in every mode (both clients send one hop at a time).

* ``Location`` is read as the Fetch standard reads it: the raw header bytes decoded as UTF-8 (an invalid
  byte becomes U+FFFD), then parsed against the current URL with the WHATWG URL parser (``ada-url``):
  spaces and non-ASCII are percent-encoded, ``\\`` is ``/`` in http(s) URLs, hosts map by UTS 46.
* A ``Location`` without a fragment inherits the current URL's fragment (RFC 9110 §10.2.2).
* The method changes per status (RFC 9110 §15.4): ``303`` turns anything but ``HEAD`` into ``GET``;
  ``301``/``302`` turn ``POST`` into ``GET``; ``307``/``308`` keep it.
* At most ``max_redirects`` hops; one more is :class:`TooManyRedirects`, which carries the chain.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from ada_url import URL, join_url, normalize_url

log = logging.getLogger(__name__)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
FOLLOWED_SCHEMES = frozenset({"http:", "https:"})


class TooManyRedirects(Exception):
    """More hops than allowed. ``chain`` is every URL visited, the last one the hop not taken."""

    def __init__(self, chain: Sequence[str], limit: int) -> None:
        self.chain = tuple(chain)
        shown = " → ".join(self.chain[:3])
        if len(self.chain) > 5:
            shown += f" → … ({len(self.chain) - 5} more) → " + " → ".join(self.chain[-2:])
        elif len(self.chain) > 3:
            shown += " → " + " → ".join(self.chain[3:])
        super().__init__(f"more than {limit} redirects: {shown}")


class BadRedirect(Exception):
    """A ``Location`` that cannot be followed (unparseable, or not http/https): kind ``invalid_url``."""


def parse_url(text: str) -> str:
    """``text`` as the WHATWG URL parser serialises it (raises :class:`BadRedirect` if it does not parse)."""
    try:
        return normalize_url(text)
    except ValueError as exc:
        raise BadRedirect(f"not a valid URL: {text!r}") from exc


def location_url(current: str, raw: bytes) -> str:
    """The absolute URL a ``Location`` header (``raw``, bytes as received) points to from ``current``.

    Raises:
        BadRedirect: the value does not parse, or it leads to a scheme other than http/https.
    """
    text = raw.decode("utf-8", "replace")  # Fetch §4.4 "location URL": header bytes → URL parser
    try:
        target = URL(join_url(current, text))
    except ValueError as exc:
        raise BadRedirect(f"redirect to an invalid URL: {text!r}") from exc
    if target.protocol not in FOLLOWED_SCHEMES:
        raise BadRedirect(f"redirect to an unsupported scheme: {target.href}")
    if not target.hash:
        inherited = URL(current).hash
        if inherited:
            target.hash = inherited  # RFC 9110 §10.2.2
    return target.href


def method_after(status: int, method: str) -> str:
    """The method of the next hop after a ``status`` redirect (RFC 9110 §15.4.2–§15.4.4, Fetch §4.4)."""
    if status == 303 and method != "HEAD":
        return "GET"
    if status in (301, 302) and method == "POST":
        return "GET"
    return method


def same_origin(a: str, b: str) -> bool:
    """Whether two URLs share scheme, host and port (RFC 6454 §5)."""
    return URL(a).origin == URL(b).origin


def without_fragment(url: str) -> str:
    """The URL as sent on the wire (a fragment never leaves the client)."""
    return url.split("#", 1)[0]
