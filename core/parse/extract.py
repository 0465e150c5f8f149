"""Bytes of a response → :class:`PageInfo`: decoded as a browser decodes, read from one parsed tree.

This module runs inside worker processes (see :mod:`core.parse.pool`): it never imports Qt, and
returns plain data.

The text comes from :mod:`core.parse.charset` (HTML §13.2.3 sniffing over the WHATWG Encoding
Standard), including the parser's *change the encoding* step (§13.2.3.4) when nothing declared the
encoding up front. Every field is read from one tree of the whole document, never from the text.

The tree is libxml2's (lxml), the parser bs4's ``lxml`` tree builder drives, without bs4's Python
callback per node. Measured per page (test bed pages, a loaded 2-core machine): lxml tree
0.08 / 0.11 / 0.32 / 5.8 ms at 2 KB / 20 KB / 100 KB / 2 MB, against 1.8 / 3.0 / 8.0 / 123 ms for
bs4 with the ``lxml`` builder and 6.2 / 8.9 / 25 ms for bs4 with ``html5lib`` (the benchmarks' W4
allows no more than 1.25× the old ~0.5 ms at 20 KB). libxml2 (≥ 2.14) tokenizes as HTML5 does outside
SVG/MathML, but builds some trees differently from HTML §13.2.6. Where that matters to a field, the HTML
standard's rule is applied to libxml2's tree (which elements are in the head, SVG/MathML and template
content), or, for the few kinds of markup it cannot be recovered from (:func:`_diverges`), html5lib builds
the tree. The test suite checks every field against bs4 + html5lib on a generated corpus.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from core.mime import media_type
from core.model import ErrorKind, PageInfo
from core.parse import charset as cs
from core.parse.facts import audit_facts

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
_SNIFF_RE = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|title|meta)\b", re.I | re.S)
_ASCII_WS = "\t\n\x0c\r "
_TAB_NEWLINE = str.maketrans("", "", "\t\n\r")
_ASCII_WS_RE = re.compile(r"[\t\n\x0c\r ]+")
_AFTER_HTML_END = re.compile(  # content (not just a comment) after </html>; no re.I: it is twice as slow
    r"</[Hh][Tt][Mm][Ll](?:[\t\n\x0c\r /][^>]*)?>[\t\n\x0c\r ]*(?!<!--)[^\t\n\x0c\r ]"
)
MAX_FIELD = 1000  # characters kept of title, description, h1 and the Open Graph fields

# HTML §13.2.6.4.4 "in head": the elements that stay in the head; anything else ends it.
_HEAD_CONTENT = frozenset(
    {"base", "basefont", "bgsound", "link", "meta", "noframes", "script", "style", "template", "title", "noscript"}
)
# HTML §13.2.6.5: HTML integration points inside SVG and MathML (their children are HTML again).
_SVG_HTML_POINTS = frozenset({"foreignobject", "desc", "title"})
_MATH_HTML_POINTS = frozenset({"mi", "mo", "mn", "ms", "mtext"})
_SEO_META_ATTRS = ("name", "property", "http-equiv", "charset")
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_HEADING_END_TAGS = tuple(f": {h}" for h in sorted(_HEADINGS))
# HTML §13.2.6.5: start tags that end SVG/MathML content (``font`` only with color/face/size; left out).
_BREAKOUT = frozenset(
    {
        "b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em", "embed", "h1", "h2",
        "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li", "listing", "menu", "meta", "nobr", "ol", "p", "pre",
        "ruby", "s", "small", "span", "strong", "strike", "sub", "sup", "table", "tt", "u", "ul", "var",
    }
)
_NOT_TEXT = frozenset({"script", "style", "template"})
_FIELD_TAGS = ("title", "meta", "link", "h1", "a", "base")
# HTML §13.2.5: elements whose contents the tokenizer reads as text (RCDATA, RAWTEXT, script data, PLAINTEXT).
_RAW_TEXT = frozenset({"title", "textarea", "style", "xmp", "iframe", "noembed", "noframes", "script", "plaintext"})

# Notes (the CSV's ``notes`` column): stable codes, documented in the README.
MULTIPLE_TITLES = "multiple_titles"
TITLE_OUTSIDE_HEAD = "title_outside_head"
CANONICAL_OUTSIDE_HEAD = "canonical_outside_head"
META_IN_BODY = "meta_in_body"
CHARSET_MISMATCH = "charset_mismatch"
CHARSET_LATE = "charset_late"
PARSE_ERROR = "parse_error"


@dataclass(frozen=True, slots=True)
class Extracted:
    """What extraction returns across the process boundary.

    Attributes:
        page: the page facts, ``None`` for non-HTML content or a page that could not be read.
        charset: the encoding's standard name (``"Shift_JIS"``), or the header's label for non-HTML.
        parse_ms: CPU time spent, milliseconds.
        error: why the page could not be read (``""`` when it was).
        notes: ``;``-separated codes (see the module's constants).
        error_kind: set when the page could not be read (``decode``).
    """

    page: PageInfo | None
    charset: str
    parse_ms: float
    error: str = ""
    notes: str = ""
    error_kind: ErrorKind | None = None


def is_html(content_type: str, body: bytes) -> bool:
    """True when the response should be parsed as HTML (declared, or sniffed if undeclared)."""
    mtype, _ = media_type(content_type)
    if mtype in HTML_TYPES:
        return True
    if not mtype:
        return bool(_SNIFF_RE.match(body[:1024]))
    return False


def collapse(text: str) -> str:
    """Strip and collapse ASCII whitespace (HTML ``document.title``); U+00A0 and other spaces stay."""
    return _ASCII_WS_RE.sub(" ", text).strip(_ASCII_WS)[:MAX_FIELD]


_local = threading.local()


def _parser() -> Any:
    parser = getattr(_local, "parser", None)
    if parser is None:
        import lxml.etree

        # The text is handed over as UTF-8 with the encoding stated, so libxml2 never applies a
        # <meta> or an XML declaration of its own (lxml refuses str input that has one).
        parser = _local.parser = lxml.etree.HTMLParser(
            encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True, no_network=True
        )
    return parser


def parse_tree(text: str) -> Any:
    """The document's tree (an lxml ``<html>`` element), or ``None`` for an empty document.

    libxml2's tree is used unless the page holds markup on which libxml2 is known to build a different
    tree from HTML §13.2.6 in a way the fields see (:func:`_diverges`); then html5lib builds it (the
    same lxml element API, ~40× slower, so only for those pages).

    Raises:
        lxml.etree.ParserError / XMLSyntaxError: the parser rejected the document.
    """
    import lxml.etree

    parser = _parser()
    root = lxml.etree.fromstring(text.encode("utf-8", "surrogatepass"), parser)
    # libxml2 drops everything after </html> (HTML §13.2.6.4.22-23 reads it into the body); the pattern is
    # only a hint to take the slow path, the fields still come from a tree.
    if root is not None and (_AFTER_HTML_END.search(text) or _diverges(root, parser.error_log)):
        import html5lib

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # html5lib's DataLossWarning for names XML cannot hold (xml:lang)
            try:
                root = html5lib.parse(text, treebuilder="lxml", namespaceHTMLElements=False).getroot()
            except ValueError as exc:  # a control character (e.g. from &#x1;) lxml cannot hold: keep libxml2's
                log.debug("html5lib could not build an lxml tree (%s); using libxml2's", exc)
    return root


def _diverges(root: Any, errors: Any) -> bool:
    """True when libxml2's tree differs from the HTML standard's where a field looks.

    * It ignored a heading's end tag: it had closed the heading at a ``<p>``, ``<table>`` or ``<form>``
      inside it, which HTML §13.2.6.4.7 keeps inside (the h1's text).
    * It dropped an ``<html>`` start tag after the first, whose attributes the standard adds to the root.
    * It stopped at its nesting limit (2048 open elements) and dropped everything after; HTML §13.2 has no
      such limit.
    * It put a page's first ``<noscript>``/``<noframes>``… in the body (or before the head), not in the head.
    * An SVG/MathML element holds an HTML element that HTML §13.2.6.5 takes out of foreign content
      (``<svg><meta ...><title>``: the title after it is the document's), or markup that libxml2 read as
      the text of a ``<title>``/``<style>``… there, which in foreign content are ordinary elements.
    """
    for e in errors:
        message = e.message.lower().rstrip()
        if e.type_name == "ERR_TAG_NAME_MISMATCH" and message.endswith(_HEADING_END_TAGS):
            return True
        if message.endswith("misplaced <html> tag"):  # §13.2.6.4.7: its attributes go to the root (lang)
            return True
        if e.type_name == "ERR_RESOURCE_LIMIT":  # nesting past libxml2's depth limit: it drops the rest
            return True
    head = root.find("head")
    if head is None or head.getprevious() is not None:
        # It opened the body (or put the element before the head) for a page that starts with a ``<noscript>``,
        # ``<noframes>``, ``<basefont>`` or ``<bgsound>``, which HTML §13.2.6.4.3 "before head" puts in an
        # implied head, with the metadata after them. (A first ``<template>`` too, but html5lib 1.1 does the
        # same as libxml2 there: see the README's list of known differences.)
        body = root.find("body") if head is None else None
        first = head.getprevious() if head is not None else (next(iter(body), None) if body is not None else None)
        if first is not None and first.tag in _HEAD_CONTENT and first.tag != "template":
            return True
    for foreign in root.iter("svg", "math"):
        for el in foreign.iterdescendants():
            if el.tag in _BREAKOUT and not _in_integration_point(el, foreign):
                return True
            if el.tag in _RAW_TEXT and "<" in (el.text or ""):
                return True
    return False


def _in_integration_point(el: Any, foreign: Any) -> bool:
    """True when ``el`` sits in an HTML integration point between itself and ``foreign``."""
    points = _SVG_HTML_POINTS if foreign.tag == "svg" else _MATH_HTML_POINTS
    for node in el.iterancestors():
        if node is foreign:
            return False
        if node.tag in points:
            return True
    return False


def _hidden(root: Any) -> set[Any]:
    """The elements that are not HTML elements of the document: SVG/MathML content (HTML §13.2.6.5, except
    inside an HTML integration point) and a ``<template>``'s contents (a separate fragment, HTML §4.12.3).

    Only the subtrees under ``<svg>``, ``<math>`` and ``<template>`` are walked.
    """
    hidden: set[Any] = set()
    for top in root.iter("svg", "math", "template"):
        if top in hidden:
            continue
        if top.tag == "template":
            hidden.update(top.iterdescendants())
            continue
        stack = [(top, top.tag)]  # a stack, not recursion: a page may nest 10,000 elements
        while stack:
            node, foreign = stack.pop()
            for child in node:
                tag = child.tag
                if not isinstance(tag, str):
                    continue
                if foreign:
                    hidden.add(child)
                    if len(child):
                        points = _SVG_HTML_POINTS if foreign == "svg" else _MATH_HTML_POINTS
                        stack.append((child, "" if tag in points else foreign))
                elif tag == "template":
                    hidden.update(child.iterdescendants())
                elif len(child):
                    stack.append((child, tag if tag in ("svg", "math") else ""))
    return hidden


def _head_elements(root: Any, xml: bool = False) -> set[Any]:
    """The elements in the document's head as HTML §13.2.6.4.4-6 builds it.

    The head holds only metadata elements: the first other element, or non-whitespace text, ends it
    ("in head" → "after head" → body), also inside a ``<noscript>`` (a tracking pixel's ``<img>``).
    Metadata elements between ``</head>`` and ``<body>`` belong to the head ("after head" mode); libxml2
    leaves those beside it. For XHTML served as ``application/xhtml+xml`` (``xml``), no HTML insertion
    mode applies: the head is what the ``<head>`` element holds.
    """
    found: list[Any] = []
    head = root.find("head")
    if head is None:
        return set()
    if xml:  # XHTML (application/xhtml+xml) is XML: the head is the <head> element, whatever it holds
        return set(head.iter())
    shallow: list[Any] = []  # <noscript> elements whose children are judged one by one
    cut = bool((head.text or "").strip(_ASCII_WS))  # text in the head ends it (and starts the body)
    if not cut:
        for child in head:
            if isinstance(child.tag, str):  # not a comment (html5lib's trees keep them)
                if child.tag not in _HEAD_CONTENT:
                    cut = True
                    break
                if child.tag == "noscript":
                    shallow.append(child)
                    cut = not _noscript_in_head(child, found)
                    if cut:
                        break
                else:
                    found.append(child)
            if (child.tail or "").strip(_ASCII_WS):
                cut = True
                break
    if not cut:  # "after head": metadata between </head> and <body> still goes into the head
        for child in head.itersiblings():
            if isinstance(child.tag, str):
                if child.tag not in _HEAD_CONTENT:
                    break
                found.append(child)
            if (child.tail or "").strip(_ASCII_WS):
                break
    members: set[Any] = set(shallow)
    for el in found:
        members.update(el.iter())
    return members


def _noscript_in_head(noscript: Any, found: list[Any]) -> bool:
    """HTML §13.2.6.4.5 "in head noscript" (scripting disabled, as for a reader that runs no scripts): add
    the children that stay in the head to ``found``; False when one ends the head (``<img>``, text...)."""
    if (noscript.text or "").strip(_ASCII_WS):
        return False
    for child in noscript:
        if isinstance(child.tag, str):
            if child.tag not in _HEAD_CONTENT or child.tag == "noscript":
                return False
            found.append(child)
        if (child.tail or "").strip(_ASCII_WS):
            return False
    return True


def _visible(elements: Iterable[Any], hidden: set[Any]) -> list[Any]:
    return [el for el in elements if el not in hidden] if hidden else list(elements)


def _heading_text(el: Any) -> str:
    """A heading's text: its descendants' text up to a heading that is its child (HTML §13.2.6.4.7: an
    ``<h2>`` start tag right inside an open ``<h1>`` closes it; libxml2 nests it), without script, style
    and template contents."""
    out: list[str] = [el.text or ""]
    children: list[Any] = [iter(el)]  # a stack, not recursion: a page may nest 10,000 elements
    parents: list[Any] = [el]
    while children:
        child = next(children[-1], None)
        if child is None:
            children.pop()
            node = parents.pop()
            if children:
                out.append(node.tail or "")
            continue
        tag = child.tag
        if tag in _HEADINGS and parents[-1] is el:
            break
        if isinstance(tag, str) and tag not in _NOT_TEXT:
            out.append(child.text or "")
            children.append(iter(child))
            parents.append(child)
        else:
            out.append(child.tail or "")
    return collapse("".join(out))


def _attr(el: Any, name: str) -> str:
    return collapse(el.get(name) or "")


def _url(value: str) -> str:
    """An attribute holding a URL as the URL parser reads it (WHATWG URL §4.4 basic URL parser, first steps):
    leading and trailing C0 controls and spaces removed, every tab and newline inside removed."""
    return value.strip("".join(map(chr, range(0x21)))).translate(_TAB_NEWLINE)[:MAX_FIELD]


def _resolve(href: str, bases: list[Any]) -> str:
    """``href`` resolved against the document's ``<base href>`` (HTML §2.4.1: the first ``base`` element with an
    ``href`` in tree order) when it has one; as written otherwise (the page's own URL, which resolves it, is
    not known here: :mod:`core.indexability` resolves against the final URL)."""
    for base in bases:
        value = base.get("href")
        if value is not None:
            try:
                return urljoin(_url(value), href)[:MAX_FIELD]
            except ValueError:  # an invalid base URL (e.g. a bad IPv6 host): HTML falls back to the page's URL
                return href
    return href


def meta_declaration(root: Any, hidden: set[Any] | None = None) -> str | None:
    """The encoding the first ``<meta charset>`` / ``<meta http-equiv=content-type>`` in the tree declares
    (HTML §13.2.6.4.4, a ``meta`` start tag), as :func:`core.parse.charset.for_meta` maps it, or ``None``."""
    if root is None:
        return None
    hidden = _hidden(root) if hidden is None else hidden
    for meta in _visible(root.iter("meta"), hidden):
        label = meta.get("charset")
        name = cs.lookup(label) if label is not None else None
        if name is None and (meta.get("http-equiv") or "").lower() == "content-type":  # exact, no trimming
            name = cs.from_meta_content(meta.get("content") or "")
        if name is not None:
            return cs.for_meta(name)
    return None


def page_facts(root: Any, hidden: set[Any] | None = None, xml: bool = False) -> tuple[PageInfo, list[str]]:
    """The fields of one parsed document and the notes it earns.

    ``title`` is ``document.title`` (HTML §3.1.3: the first ``<title>`` in the HTML namespace, ASCII
    whitespace stripped and collapsed); ``meta_description``, ``meta_robots``, Open Graph and ``canonical``
    come from the head only (what search engines read), ``canonical`` resolved against the document's
    ``<base href>``; ``lang`` is the root element's ``lang``. ``xml``: the page was served as
    ``application/xhtml+xml`` (its head is the ``<head>`` element's content, XML has no insertion modes).
    ``facts`` (word count, hreflang, content hash, robots metas: :func:`core.parse.facts.audit_facts`)
    follow the same head; reading them removes the head and the script/style/template/noscript
    elements from ``root``, so it is read last.
    """
    if root is None:
        return PageInfo(), []
    hidden = _hidden(root) if hidden is None else hidden
    head = _head_elements(root, xml)
    notes: list[str] = []
    found: dict[str, list[Any]] = {tag: [] for tag in _FIELD_TAGS}
    for el in root.iter(*_FIELD_TAGS):  # one walk over the tree (it is C; five walks cost 5× on 2 MB)
        if el not in hidden:
            found[el.tag].append(el)
    titles = found["title"]
    if len(titles) > 1:
        notes.append(MULTIPLE_TITLES)
    if titles and titles[0] not in head:
        notes.append(TITLE_OUTSIDE_HEAD)
    meta: dict[str, str] = {}
    in_body = False
    for el in found["meta"]:
        if el not in head:
            in_body = in_body or any(el.get(a) is not None for a in _SEO_META_ATTRS)
            continue
        for key in (el.get("name"), el.get("property")):
            key = (key or "").strip(_ASCII_WS).lower()
            if key in ("description", "robots", "og:title", "og:description", "og:image") and key not in meta:
                meta[key] = _attr(el, "content")
    if in_body:
        notes.append(META_IN_BODY)
    canonical = ""
    canonical_found = False
    outside = False
    for el in found["link"]:
        if "canonical" not in (el.get("rel") or "").lower().split():
            continue
        if el not in head:
            outside = True
        elif not canonical_found:
            canonical, canonical_found = _url(el.get("href") or ""), True
    if canonical:
        canonical = _resolve(canonical, found["base"])
    if outside:
        notes.append(CANONICAL_OUTSIDE_HEAD)
    h1s = found["h1"]
    links = sum(1 for a in found["a"] if a.get("href") is not None)
    page = PageInfo(
        title=collapse(titles[0].text or "") if titles else "",
        meta_description=meta.get("description", ""),
        h1=_heading_text(h1s[0]) if h1s else "",
        h1_count=len(h1s),
        canonical=canonical,
        lang=(root.get("lang") or "").strip(_ASCII_WS)[:35],
        meta_robots=meta.get("robots", ""),
        links=links,
        og_title=meta.get("og:title", ""),
        og_description=meta.get("og:description", ""),
        og_image=meta.get("og:image", ""),
        facts=audit_facts(root, head, found["link"], found["meta"]),  # last: it prunes the tree
    )
    return page, notes


def parse_html(text: str) -> PageInfo:
    """The page facts of decoded HTML text (see :func:`page_facts`)."""
    return page_facts(parse_tree(text))[0]


def _well_formed(body: bytes) -> bool:
    """True when an ``application/xhtml+xml`` body is well-formed XML (XML 1.0 §2.1), so that a browser's XML
    parser builds its tree: then no HTML insertion mode moves elements out of the ``<head>``. A body that is
    not (HTML served with the XHTML type) is read with the HTML rules, as the HTML parser built it."""
    import lxml.etree

    parser = getattr(_local, "xml_parser", None)
    if parser is None:  # one per thread, as for HTML; no DTD, no network, no entities: only well-formedness
        parser = _local.xml_parser = lxml.etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True
        )
    try:
        lxml.etree.fromstring(body, parser)
    except lxml.etree.XMLSyntaxError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class Reading:
    """A body decoded and parsed: the encoding used, the tree, its non-HTML elements, the charset notes."""

    charset: str
    root: Any
    notes: tuple[str, ...]
    hidden: set[Any] = field(default_factory=set)
    xml: bool = False


def read(body: bytes, content_type: str) -> Reading:
    """Decode ``body`` as HTML §13.2.3 says and parse it.

    A tentative encoding (detected, not declared) gives way to the first ``<meta>`` declaration the
    parser meets (§13.2.3.4 *change the encoding*): the body is decoded again and parsed again.

    Raises:
        lxml.etree.ParserError / XMLSyntaxError: the parser rejected the document.
    """
    mtype, label = media_type(content_type)
    sniffed = cs.sniff(body, label, xml=mtype == "application/xhtml+xml")
    name = sniffed.name
    notes: list[str] = []
    if name == "replacement":
        return Reading(name, None, ())
    root = parse_tree(cs.decode(body[sniffed.skip :], name))
    hidden = _hidden(root) if root is not None else set()
    declared = sniffed.declared
    if not declared:
        late = meta_declaration(root, hidden)
        if late is not None:
            declared = late
            notes.append(CHARSET_LATE)
            if sniffed.tentative and late != name:
                name = late
                root = parse_tree(cs.decode(body, name))
                hidden = _hidden(root) if root is not None else set()
    if sniffed.header and declared and cs.for_meta(sniffed.header) != declared:
        notes.append(CHARSET_MISMATCH)
    xml = mtype == "application/xhtml+xml" and root is not None and _well_formed(body[sniffed.skip :])
    return Reading(name, root, tuple(notes), hidden, xml)


def extract(body: bytes, content_type: str) -> Extracted:
    """Decode and parse one response body. Never raises.

    Args:
        body: the response body after content decoding (gzip etc.).
        content_type: the Content-Type header (``""`` when missing).

    Returns:
        The page facts (``None`` for non-HTML content), the encoding's standard name, notes and the
        CPU time spent. A body that cannot be read (an encoding the standard maps to *replacement*, a
        document the parser rejects) gives ``page=None`` with ``error_kind`` ``decode``.
    """
    t0 = time.perf_counter()

    def ms() -> float:
        return (time.perf_counter() - t0) * 1000

    try:
        _, label = media_type(content_type)
        if not is_html(content_type, body):
            return Extracted(None, (cs.lookup(label) or label) if label else "", ms())
        try:
            reading = read(body, content_type)
        except Exception as exc:  # noqa: BLE001 - lxml's errors, whatever the version raises
            log.info("the parser rejected a page: %r", exc)
            return Extracted(None, "", ms(), f"{PARSE_ERROR}: {exc}", PARSE_ERROR, ErrorKind.DECODE)
        if reading.charset == "replacement":
            # WHATWG Encoding §4.2: labels such as iso-2022-kr and hz-gb-2312 read as one U+FFFD.
            why = f"the charset {label!r} names an encoding browsers refuse to decode (WHATWG 'replacement')"
            return Extracted(None, "replacement", ms(), why, "", ErrorKind.DECODE)
        page, notes = page_facts(reading.root, reading.hidden, reading.xml)
        return Extracted(page, reading.charset, ms(), notes=";".join((*reading.notes, *notes)))
    except Exception as exc:  # noqa: BLE001 - any input must give a result, never an exception
        log.warning("extraction failed: %r", exc)
        return Extracted(None, "", ms(), f"{type(exc).__name__}: {exc}")
