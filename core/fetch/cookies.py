"""One cookie jar per input URL, carried across that URL's own redirects and nowhere else.

A cookie one input URL sets (say ``/consent``) must not change what another input URL shows, or the rows
would depend on the mode and the order of the batch. The HTTP clients' own jars are switched off; every
hop's ``Cookie`` header comes from :meth:`UrlCookies.header_for` and every response's ``Set-Cookie``
fields go to :meth:`UrlCookies.store`. The rules (domain, path, expiry, ``Secure``) are the standard
library's :class:`http.cookiejar.CookieJar` (RFC 6265 as browsers apply it, IP hosts included).

Cookies the user supplies can be put in before the first request with :meth:`UrlCookies.add`.
"""

from __future__ import annotations

import email.message
import http.cookiejar
import logging
import urllib.request
from collections.abc import Sequence

log = logging.getLogger(__name__)


class _Response:
    """The one method :meth:`http.cookiejar.CookieJar.extract_cookies` calls on a response."""

    def __init__(self, set_cookies: Sequence[str]) -> None:
        self._msg = email.message.Message()
        for value in set_cookies:
            self._msg["Set-Cookie"] = value

    def info(self) -> email.message.Message:
        return self._msg


class UrlCookies:
    """The cookies of one input URL's exchange (all its hops). Not shared between input URLs."""

    def __init__(self) -> None:
        self._jar = http.cookiejar.CookieJar()

    def __len__(self) -> int:
        return len(self._jar)

    def add(self, cookie: http.cookiejar.Cookie) -> None:
        """Pre-fill the jar (user-supplied cookies)."""
        self._jar.set_cookie(cookie)

    def header_for(self, url: str) -> str | None:
        """The ``Cookie`` header value for a request to ``url``, or ``None`` when no cookie applies."""
        if not len(self._jar):
            return None  # the common case, and the jar's own matching costs ~0.1 ms per request
        req = urllib.request.Request(url)
        self._jar.add_cookie_header(req)
        return req.get_header("Cookie")

    def store(self, url: str, set_cookies: Sequence[str]) -> None:
        """Keep the cookies a response from ``url`` sets (its ``Set-Cookie`` field values)."""
        if set_cookies:
            self._jar.extract_cookies(_Response(set_cookies), urllib.request.Request(url))  # type: ignore[arg-type]
