"""Audit facts of a page from the lxml tree extraction already built: words, hreflang, content hash.

Runs in the extraction worker processes (imports lxml, never Qt). :func:`page_facts` removes
the invisible elements from the tree's ``<body>`` to read its text in one C call (4x faster
than an XPath that skips them: 0.13 ms against 0.41 ms for a 20 KB page), so call it last.
"""

from __future__ import annotations

import hashlib
import logging

from lxml import etree

from core.model import PageFacts

log = logging.getLogger(__name__)

MAX_HREFLANG = 500  # pairs kept per page (a page listing every locale of a big site stays bounded)
MAX_VALUE = 2000  # characters kept of a URL or directive
# Text inside these is not shown to a reader (HTML §4.12.1 script, §4.12.2 noscript, §4.12.3
# template, §4.2.6 style).
HIDDEN = ("script", "style", "template", "noscript")


def _attr(el: etree._Element, name: str) -> str:
    return " ".join((el.get(name) or "").split())[:MAX_VALUE]


def visible_words(doc: etree._Element) -> list[bytes]:
    """The words (UTF-8) of the body's visible text, split on ASCII whitespace (HTML's collapsible spaces).

    Removes the :data:`HIDDEN` elements from ``doc``'s body (their tails stay).
    """
    body = doc.find("body")
    if body is None:
        return []
    etree.strip_elements(body, *HIDDEN, with_tail=False)
    return etree.tostring(body, method="text", encoding="utf-8").split()


def page_facts(doc: etree._Element) -> PageFacts:
    """Word count, hreflang pairs, content hash and robots meta tags of a parsed HTML document.

    Args:
        doc: the root ``<html>`` element from ``lxml.html.document_fromstring``; its body loses
            its script/style/template/noscript elements (see :func:`visible_words`).

    Returns:
        :class:`PageFacts`: ``word_count`` counts whitespace-separated words of the visible body
        text; ``content_hash`` is the SHA-256 hex digest of those words joined by single spaces
        (UTF-8), so pages that differ only in whitespace hash alike (``""`` for an empty body);
        ``hreflang`` holds ``(lang, href)`` of each head ``<link rel="alternate" hreflang>`` as
        written; ``robots_meta`` holds ``(name, content)`` of each head ``<meta name="robots">``
        or crawler-named meta (``googlebot``, ``googlebot-news``, ``bingbot``…), the forms
        Google's robots meta tag specification reads.
    """
    hreflang: list[tuple[str, str]] = []
    robots: list[tuple[str, str]] = []
    head = doc.find("head")
    for el in head.iter("link", "meta") if head is not None else ():
        if el.tag == "link":
            rel = (el.get("rel") or "").lower().split()
            lang = _attr(el, "hreflang")
            if "alternate" in rel and lang and len(hreflang) < MAX_HREFLANG:
                hreflang.append((lang, _attr(el, "href")))
        else:
            name = _attr(el, "name").lower()
            if name == "robots" or name.endswith("bot") or "bot-" in name:
                robots.append((name, _attr(el, "content")))
    words = visible_words(doc)
    return PageFacts(
        word_count=len(words),
        hreflang=tuple(hreflang),
        content_hash=hashlib.sha256(b" ".join(words)).hexdigest() if words else "",
        robots_meta=tuple(robots),
    )
