"""robots.txt (RFC 9309), parsed by protego (Google's matching rules): one fetch per origin per run.

The run asks :meth:`RobotsCache.check` before fetching a URL (unless the mode is ``ignore``).
robots.txt is fetched once per origin with the run's own fetcher (so the same headers, proxy
and credentials apply) and cached; concurrent checks of one origin wait for the same fetch.

How the answer to the robots.txt request is read (RFC 9309 §2.3.1):

* 2xx: parsed (only the first 500 KiB, §2.5);
* 4xx (including 404): no rules, everything allowed (§2.3.1.3);
* 5xx: "complete disallow" (§2.3.1.4);
* no answer at all (connection refused, DNS, timeout): treated as no rules, because the page's
  own fetch will fail the same way and report the real error instead of ``robots``.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

log = logging.getLogger(__name__)

MAX_ROBOTS_BYTES = 500 * 1024  # RFC 9309 §2.5
_RULE_LINE = re.compile(r"^\s*(allow|disallow)\s*:\s*(\S*)", re.I | re.M)

# (status or None when there was no answer, body) of GET origin/robots.txt
RobotsFetch = Callable[[str], Awaitable[tuple[int | None, bytes]]]


@dataclass(frozen=True, slots=True)
class RobotsVerdict:
    """Whether a URL may be fetched, and why not.

    Attributes:
        allowed: False when robots.txt disallows the URL for our user agent.
        rule: the matching rule as written (``Disallow: /private/*``), or the reason
            (``robots.txt answered 503: complete disallow``); empty when allowed.
        crawl_delay: the ``Crawl-delay`` for our user agent, in seconds, or None.
    """

    allowed: bool
    rule: str = ""
    crawl_delay: float | None = None


@dataclass(frozen=True, slots=True)
class _Robots:
    parser: Protego | None  # None: no rules (allow all)
    text: str = ""
    disallow_all: str = ""  # the reason, when everything is disallowed


def product_token(user_agent: str) -> str:
    """``"Fetchlens/1.0 (batch URL checker)"`` → ``"Fetchlens"`` (RFC 9309 §2.2.1)."""
    token = user_agent.strip().split("/", 1)[0].split(" ", 1)[0]
    return token or "*"


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


class RobotsCache:
    """robots.txt verdicts for one run. Use from the run's event loop.

    Args:
        fetch: gets a URL with the run's fetcher; returns ``(status or None, body)``.
    """

    def __init__(self, fetch: RobotsFetch) -> None:
        self._fetch = fetch
        self._origins: dict[str, asyncio.Future[_Robots]] = {}
        self.fetches = 0  # how many robots.txt requests were made (one per origin)

    async def check(self, url: str, user_agent: str) -> RobotsVerdict:
        """The verdict for ``url`` for ``user_agent`` (its product token is what robots.txt names)."""
        origin = origin_of(url)
        fut = self._origins.get(origin)
        if fut is None:
            fut = self._origins[origin] = asyncio.get_running_loop().create_future()
            try:
                fut.set_result(await self._load(origin))
            except BaseException as exc:
                # Nobody else may wait forever on a fetch that was cancelled.
                fut.set_result(_Robots(None))
                if isinstance(exc, asyncio.CancelledError):
                    raise
                log.exception("robots.txt of %s could not be read", origin)
        robots = await asyncio.shield(fut)
        return verdict(robots, url, product_token(user_agent))

    async def _load(self, origin: str) -> _Robots:
        self.fetches += 1
        status, body = await self._fetch(f"{origin}/robots.txt")
        if status is None:
            log.info("robots.txt of %s: no answer; treating it as absent", origin)
            return _Robots(None)
        if 500 <= status <= 599:
            return _Robots(None, disallow_all=f"robots.txt answered {status}: complete disallow (RFC 9309 §2.3.1.4)")
        if not 200 <= status <= 299:
            return _Robots(None)
        text = body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")  # RFC 9309 §2.3: UTF-8
        return _Robots(Protego.parse(text), text)


def verdict(robots: _Robots, url: str, token: str) -> RobotsVerdict:
    """Apply parsed robots.txt to ``url`` (see :class:`RobotsCache`)."""
    if robots.disallow_all:
        return RobotsVerdict(False, robots.disallow_all)
    if robots.parser is None:
        return RobotsVerdict(True)
    delay = robots.parser.crawl_delay(token)
    if robots.parser.can_fetch(url, token):
        return RobotsVerdict(True, crawl_delay=delay)
    return RobotsVerdict(False, matched_rule(robots.text, url, token), delay)


def matched_rule(text: str, url: str, token: str) -> str:
    """The ``Disallow`` line that blocks ``url``: the longest one that matches (RFC 9309 §2.2.2).

    protego answers only yes or no, so each Disallow value of the file is tried on its own;
    of those that match, the longest is the one protego applied.
    """
    best = ""
    for m in _RULE_LINE.finditer(text):
        if m.group(1).lower() != "disallow" or not m.group(2):
            continue
        value = m.group(2)
        if len(value) > len(best) and not Protego.parse(f"User-agent: *\nDisallow: {value}\n").can_fetch(url, token):
            best = value
    return f"Disallow: {best}" if best else "disallowed by robots.txt"
