"""One input URL's exchange with the server: what to send on each hop and what each answer means.

Both fetchers drive the same :class:`Exchange` (no I/O here): they send :meth:`Exchange.first`, hand every
response's status and fields to :meth:`Exchange.answer` (which returns the next hop of a redirect, or
``None`` for the final response), and read the final body through :meth:`Exchange.decoder`. So a mode
changes how requests are scheduled, never what a response means.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.fetch.codings import BodyDecoder, parse_codings
from core.fetch.common import Attempt, keep_headers
from core.fetch.cookies import UrlCookies
from core.fetch.headers import Fields, content_length, content_type, first, request_headers, values
from core.fetch.redirects import (
    REDIRECT_STATUSES,
    BadRedirect,
    TooManyRedirects,
    location_url,
    method_after,
    parse_url,
    same_origin,
    without_fragment,
)
from core.settings import Settings

if TYPE_CHECKING:
    from core.fetch.options import RequestPolicy

log = logging.getLogger(__name__)

NO_BODY_STATUSES = frozenset({204, 304})  # RFC 9110 §6.4.1: complete at the end of the header section


@dataclass(frozen=True, slots=True)
class Hop:
    """One request to send.

    Attributes:
        method: ``GET`` (or another method a redirect keeps).
        url: the URL of this hop, fragment included (what the row records).
        wire_url: the URL as sent (no fragment), already percent-encoded.
        headers: every header of the request (the clients add only ``Host`` and framing).
        proxy: the proxy URL this hop goes through (credentials included), ``None`` for a direct connection.
    """

    method: str
    url: str
    wire_url: str
    headers: dict[str, str]
    proxy: str | None = None


class Exchange:
    """The redirect chain, cookies and response meaning of one input URL (one per attempt).

    Args:
        url: the input URL.
        settings: the run's settings (redirect limit, size cap, headers).
        cookies: this input URL's jar; a fresh one when omitted. Pass the same jar to a retry.
        method: the first hop's method.
        policy: the run's request options (headers per host, credentials, proxy); none when omitted.

    Raises:
        BadRedirect: ``url`` does not parse as a URL.
    """

    def __init__(self, url: str, settings: Settings, cookies: UrlCookies | None = None, method: str = "GET",
                 policy: RequestPolicy | None = None) -> None:
        self._settings = settings
        self._policy = policy
        self._credentials = True  # false once a redirect has left the input URL's origin, for good
        self.cookies = cookies if cookies is not None else UrlCookies()
        self.url = parse_url(url)
        self.method = method
        self.chain: list[str] = []
        """URLs that answered with a redirect, in order."""
        self.hops: list[tuple[int, str]] = []
        """Each redirect's status and ``Location`` value as sent, in order."""

    def first(self) -> Hop:
        """The first request."""
        return self._hop()

    def _hop(self) -> Hop:
        headers = request_headers(self._settings, self.url, self._policy, self._credentials)
        cookie = self.cookies.header_for(self.url)
        if cookie:
            headers["Cookie"] = cookie
        proxy = self._policy.plan(self.url).proxy if self._policy is not None else None
        return Hop(self.method, self.url, without_fragment(self.url), headers, proxy)

    def answer(self, status: int, fields: Fields) -> Hop | None:
        """Take a (final, non-1xx) response's status and header fields.

        Returns:
            The next hop when this is a redirect to follow, ``None`` when this is the final response.

        Raises:
            TooManyRedirects: a redirect beyond ``settings.max_redirects``.
            BadRedirect: a ``Location`` that cannot be followed, or several that differ.
        """
        self.cookies.store(self.url, values(fields, "Set-Cookie"))
        locations = values(fields, "Location")
        if status not in REDIRECT_STATUSES or not locations:
            return None
        if len(set(locations)) > 1:
            # RFC 9110 §10.2.2: one URI-reference, not a list; browsers refuse differing ones
            # (Chromium ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION) rather than guess which was meant
            raise BadRedirect(f"differing Location fields: {', '.join(repr(v) for v in locations[:3])}")
        location = locations[0]
        # http.client and aiohttp both hand over field values as ISO-8859-1: these are the bytes received.
        target = location_url(self.url, location.encode("latin-1", "replace"))
        self.chain.append(self.url)
        self.hops.append((status, location))
        if len(self.chain) > self._settings.max_redirects:
            raise TooManyRedirects([*self.chain, target], self._settings.max_redirects)
        self._follow(target, status)
        return self._hop()

    def _follow(self, target: str, status: int) -> None:
        """Move to ``target``: the one place where a hop's request changes.

        Credentials set for one origin must not follow a redirect to another (Fetch §4.4 "HTTP-redirect
        fetch" step 13, as requests and browsers do): once a hop leaves the origin, the command line's
        ``Authorization`` is dropped for the rest of the chain, even if it comes back.
        """
        crossing = not same_origin(self.url, target)
        if crossing:
            log.debug("redirect leaves the origin: %s -> %s", self.url, target)
            self._credentials = False
        self.method = method_after(status, self.method)
        self.url = target

    def has_body(self, status: int) -> bool:
        """Whether the final response has a body to read (RFC 9110 §6.4.1, §9.3.2)."""
        return self.method != "HEAD" and status not in NO_BODY_STATUSES and not 100 <= status < 200

    def decoder(self, fields: Fields) -> BodyDecoder:
        """A decoder for the final body: its codings undone, the size cap applied after decoding.

        Both clients undo ``chunked`` only; a transfer coding listed before it (``Transfer-Encoding: gzip,
        chunked``) was applied on top of the content codings, so it is undone first (RFC 9112 §6.1, §7).

        Raises:
            DecodeFailed: a coding no mode supports.
        """
        transfer = [c for c in parse_codings(values(fields, "Transfer-Encoding")) if c != "chunked"]
        codings = parse_codings(values(fields, "Content-Encoding")) + transfer
        return BodyDecoder(codings, self._settings.max_bytes)


def record_head(
    att: Attempt, status: int, reason: str, url: str, fields: Fields, hops: Iterable[tuple[int, str]] = ()
) -> None:
    """Record the final response's status line and header fields, and the redirect ``hops`` before it.

    Every mode records the head through this one function, so every mode reads it the same way.

    Raises:
        FramingError: the response's length cannot be known; nothing is recorded (aiohttp rejects such a
            response before its status is seen, so no mode shows one).
    """
    att.content_length = content_length(fields)
    att.status = status
    att.reason = reason
    att.final_url = url
    att.content_type = content_type(fields)
    att.retry_after = first(fields, "Retry-After")
    keep_headers(att, fields, hops)
