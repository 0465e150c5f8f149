"""Audit facts of a page from the lxml tree extraction already built: words, hreflang, content hash.

Runs in the extraction worker processes (imports lxml, never Qt). :func:`page_facts` removes
the invisible elements from the tree's ``<body>`` to read its text in one C call, so call it
last. Every step over the text is a C-level bytes operation: 0.08 ms for the 20 KB W4 page,
against 0.41 ms for an XPath that skips hidden text plus ``str.split`` (measured on a loaded
2-core machine).
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


_ASCII_WS = b" \t\n\x0c\r"  # WHATWG Infra "ASCII whitespace"
# Every byte to "a" except ASCII whitespace to " ": word starts are then the " a" pairs, counted in C
# (0.02 ms for a 20 KB page against 0.09 ms for bytes.split()).
_WORD_MASK = bytes(0x20 if c in _ASCII_WS else 0x61 for c in range(256))


def _attr(el: etree._Element, name: str) -> str:
    return " ".join((el.get(name) or "").split())[:MAX_VALUE]


def visible_text(doc: etree._Element) -> bytes:
    """The body's visible text as UTF-8: its ``textContent`` (DOM §4.4) without the :data:`HIDDEN` elements.

    Removes the :data:`HIDDEN` elements from ``doc``'s body (their tails stay). Like
    ``textContent``, adjacent elements' text is not separated (``<h1>A</h1><p>B</p>`` → ``AB``).
    """
    body = doc.find("body")
    if body is None:
        return b""
    etree.strip_elements(body, *HIDDEN, with_tail=False)
    return etree.tostring(body, method="text", encoding="utf-8")


def word_count(text: bytes) -> int:
    """Runs of non-whitespace in UTF-8 ``text``, split on ASCII whitespace (HTML's collapsible spaces)."""
    mask = text.translate(_WORD_MASK)
    return mask.count(b" a") + (mask[:1] == b"a")


def page_facts(doc: etree._Element) -> PageFacts:
    """Word count, hreflang pairs, content hash and robots meta tags of a parsed HTML document.

    Args:
        doc: the root ``<html>`` element from ``lxml.html.document_fromstring``; its body loses
            its script/style/template/noscript elements (see :func:`visible_words`).

    Returns:
        :class:`PageFacts`: ``word_count`` counts whitespace-separated words of the visible body
        text; ``content_hash`` is the SHA-256 hex digest of that text (UTF-8) with its ASCII
        whitespace removed, so pages that differ only in whitespace hash alike (``""`` for a
        body without text);
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
    text = visible_text(doc)
    squeezed = text.translate(None, _ASCII_WS)
    return PageFacts(
        word_count=word_count(text),
        hreflang=tuple(hreflang),
        content_hash=hashlib.sha256(squeezed).hexdigest() if squeezed else "",
        robots_meta=tuple(robots),
    )
