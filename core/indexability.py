"""Indexability: would a search engine index this URL, and if not, why.

The rules follow Google Search Central's documentation, "Robots meta tag, data-nosnippet, and
X-Robots-Tag specifications" (developers.google.com/search/docs/crawling-indexing/robots-meta-tag)
and "Consolidate duplicate URLs" (rel=canonical):

* Rules come from ``<meta name="robots">`` / ``<meta name="googlebot">`` and from every
  ``X-Robots-Tag`` header field; all of them count, and when they conflict the more
  restrictive one wins ("If the rules conflict, the more restrictive rule applies").
* A rule may be scoped to a crawler: ``X-Robots-Tag: googlebot: noindex`` or
  ``<meta name="googlebot" content="noindex">``. Scoped rules for other crawlers are ignored;
  unscoped rules apply to every crawler. The crawler judged for is :data:`AGENT`.
* ``noindex`` and ``none`` (= ``noindex, nofollow``) keep the page out of the index.
* Directive names are case-insensitive; rules are comma-separated.

Only the first reason that applies is reported, in this order: ``blocked_by_robots``,
``non_200`` (with the status, or the error kind when there was no response), ``redirected``,
``noindex``, ``canonicalised``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urljoin

from core.model import ErrorKind, FetchResult
from core.urls import normalise

log = logging.getLogger(__name__)

AGENT = "googlebot"  # the crawler whose scoped rules apply (Google's, the one the rules above are written for)
NOINDEX = frozenset({"noindex", "none"})
# Rules that carry a value after a colon: "unavailable_after: 25 Jun 2030", "max-snippet: 20".
_VALUED = frozenset({"unavailable_after", "max-snippet", "max-image-preview", "max-video-preview"})
ROBOTS_ERROR_KIND = "robots"  # the error kind of a URL robots.txt disallowed (the --robots option)


@dataclass(frozen=True, slots=True)
class Indexability:
    """The verdict on one URL.

    Attributes:
        indexable: ``True``/``False``; ``None`` when the URL was not checked (run stopped first).
        reason: ``""`` when indexable, else one of ``blocked_by_robots``, ``non_200:<status or
            error kind>``, ``redirected``, ``noindex``, ``canonicalised``.
    """

    indexable: bool | None
    reason: str = ""


def directives(value: str, agent: str = AGENT) -> set[str]:
    """The lower-case rules of one ``X-Robots-Tag`` field value (or meta content) that apply to ``agent``.

    ``"googlebot: noindex, nofollow"`` → ``{"noindex", "nofollow"}`` for googlebot, ``set()``
    for another crawler. A crawler name prefixes the rules after it in the same field.
    """
    scope: str | None = None
    out: set[str] = set()
    for piece in value.split(","):
        piece = piece.strip()
        name, colon, rest = piece.partition(":")
        name = name.strip().lower()
        if colon and name not in _VALUED and rest.strip():
            scope, piece = name, rest.strip()  # "otherbot: noindex" names the crawler
        rule = piece.split(":", 1)[0].strip().lower()
        if rule and (scope is None or scope == agent):
            out.add(rule)
    return out


def robots_rules(result: FetchResult, agent: str = AGENT) -> set[str]:
    """Every robots rule that applies to ``agent``: X-Robots-Tag headers and robots meta tags together."""
    rules: set[str] = set()
    for name, value in result.headers:
        if name.lower() == "x-robots-tag":
            rules |= directives(value, agent)
    page = result.page
    if page is not None:
        metas: Iterable[tuple[str, str]] = page.facts.robots_meta if page.facts else (("robots", page.meta_robots),)
        for meta_name, content in metas:
            if meta_name in ("robots", agent):
                rules |= directives(content, agent)
    return rules


def _same_url(a: str, b: str) -> bool:
    """Compare two absolute URLs after normalising scheme/host case, default port, empty path, fragment."""
    ka, kb = normalise(a)[1], normalise(b)[1]
    return bool(ka) and ka == kb


def judge(result: FetchResult, agent: str = AGENT) -> Indexability:
    """Whether ``result``'s URL is indexable, and the first reason it is not (see the module docstring)."""
    kind = result.error_kind
    if kind is ErrorKind.CANCELLED:
        return Indexability(None)
    # Hook for robots.txt checking: a URL it disallowed carries the error kind "robots".
    if kind is not None and kind.value == ROBOTS_ERROR_KIND:
        return Indexability(False, "blocked_by_robots")
    if result.status_code != 200:
        detail = result.status_code if result.status_code is not None else (kind.value if kind else "no_response")
        return Indexability(False, f"non_200:{detail}")
    if result.redirects:
        return Indexability(False, "redirected")
    if robots_rules(result, agent) & NOINDEX:
        return Indexability(False, "noindex")
    page = result.page
    if page is not None and page.canonical:
        base = result.final_url or result.url
        if not _same_url(urljoin(base, page.canonical), base):
            return Indexability(False, "canonicalised")
    return Indexability(True)
