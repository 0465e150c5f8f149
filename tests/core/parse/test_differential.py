"""Differential test: the extractor against an independent reader, bs4 with the html5lib tree builder.

html5lib implements the HTML standard's tokenizer, tree construction and encoding sniffing (BOM,
transport charset, prescan, change of encoding) in pure Python, with namespaces; bs4 is the API. The
reference reads the same fields by their definitions (README, "CSV columns") from its own tree. Both
get the same *detection* guess for pages that declare nothing (html5lib's ``likely_encoding``), because
detection is a heuristic outside the standards; everything else is decided independently.

Every field must agree on at least 99% of the test bed's corpus (:mod:`tests.testbed.corpus`); the
pages where they differ, and why, are listed in the README ("Reading a page").
"""

from __future__ import annotations

import logging
import re
import warnings
from collections import defaultdict
from urllib.parse import urljoin

import html5lib
import pytest
import webencodings
from bs4 import BeautifulSoup, Comment, Tag

from core.parse.charset import detect
from core.parse.extract import extract
from tests.testbed.corpus import CORPUS_SIZE, CorpusPage, corpus

log = logging.getLogger(__name__)

HTML_NS = "http://www.w3.org/1999/xhtml"
_WS = re.compile(r"[\t\n\x0c\r ]+")
FIELDS = (
    "charset", "title", "meta_description", "h1", "h1_count", "canonical", "lang", "meta_robots", "links",
    "og_title", "og_description", "og_image", "notes",
)
TREE_NOTES = {"multiple_titles", "title_outside_head", "canonical_outside_head", "meta_in_body"}
# Pages where the two readers are known to differ, with the reason (also in the README).
KNOWN: dict[str, str] = {}


def _collapse(s: str) -> str:
    return _WS.sub(" ", s).strip("\t\n\x0c\r ")[:1000]


def _reference_encoding(page: CorpusPage) -> str:
    params = [p.strip() for p in page.content_type.split(";")]
    transport = next((p.split("=", 1)[1].strip("\"' ") for p in params[1:] if p.lower().startswith("charset=")), None)
    if params[0].lower() == "application/xhtml+xml" and transport is None:
        # XML 1.0 §4.3.3: an XHTML document's own declaration, else UTF-8.
        m = re.match(rb"""<\?xml[^>]*encoding=["']([^"']+)""", page.body)
        transport = m.group(1).decode() if m else "utf-8"
    parser = html5lib.HTMLParser()
    parser.parse(page.body, transport_encoding=transport, likely_encoding=detect(page.body)[0], useChardet=False)
    return parser.tokenizer.stream.charEncoding[0].name


def _hidden(tag: Tag) -> bool:
    if tag.namespace != HTML_NS:
        return True
    return any(p.name == "template" and p.namespace == HTML_NS for p in tag.parents)


def _text(tag: Tag) -> str:
    """A heading's text as displayed: its strings, without comments and the contents of script, style and
    template elements."""
    out = []
    for string in tag.find_all(string=True):
        if isinstance(string, Comment):
            continue
        parent = string.parent
        while parent is not None and parent is not tag and parent.name not in ("script", "style", "template"):
            parent = parent.parent
        if parent is tag:
            out.append(str(string))
    return "".join(out)


def _canonical(link: Tag, soup: BeautifulSoup) -> str:
    """The href, resolved against the document base URL's ``<base href>`` (HTML §2.4.1: the first one)."""
    href = (link.get("href") or "").strip()
    base = next((b for b in soup.find_all("base") if b.get("href") is not None and not _hidden(b)), None)
    return urljoin(base["href"].strip(), href) if base is not None and href else _collapse(href)


def reference(page: CorpusPage) -> dict[str, object]:
    """The fields as bs4 + html5lib read them."""
    encoding = _reference_encoding(page)
    text, _ = webencodings.decode(page.body, encoding, errors="replace")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        soup = BeautifulSoup(text, "html5lib")
    head = soup.head

    def in_head(tag: Tag) -> bool:
        return head is not None and any(p is head for p in tag.parents)

    def visible(name: str) -> list[Tag]:
        return [t for t in soup.find_all(name) if not _hidden(t)]

    titles = visible("title")
    metas: dict[str, str] = {}
    meta_in_body = False
    for m in visible("meta"):
        if not in_head(m):
            meta_in_body |= any(m.get(a) is not None for a in ("name", "property", "http-equiv", "charset"))
            continue
        for key in (m.get("name"), m.get("property")):
            key = (key or "").strip().lower()
            if key in ("description", "robots", "og:title", "og:description", "og:image"):
                metas.setdefault(key, _collapse(m.get("content") or ""))
    canonicals = [lk for lk in visible("link") if "canonical" in [r.lower() for r in lk.get("rel") or []]]
    head_canonicals = [lk for lk in canonicals if in_head(lk)]
    h1s = visible("h1")
    notes = set()
    if len(titles) > 1:
        notes.add("multiple_titles")
    if titles and not in_head(titles[0]):
        notes.add("title_outside_head")
    if len(head_canonicals) < len(canonicals):
        notes.add("canonical_outside_head")
    if meta_in_body:
        notes.add("meta_in_body")
    root = soup.find("html")
    return {
        "charset": encoding.lower(),
        "title": _collapse(titles[0].get_text()) if titles else "",
        "meta_description": metas.get("description", ""),
        "h1": _collapse(_text(h1s[0])) if h1s else "",
        "h1_count": len(h1s),
        "canonical": _canonical(head_canonicals[0], soup) if head_canonicals else "",
        "lang": (root.get("lang") or "").strip()[:35] if root is not None else "",
        "meta_robots": metas.get("robots", ""),
        "links": sum(1 for a in visible("a") if a.get("href") is not None),
        "og_title": metas.get("og:title", ""),
        "og_description": metas.get("og:description", ""),
        "og_image": metas.get("og:image", ""),
        "notes": sorted(notes),
    }


def ours(page: CorpusPage) -> dict[str, object]:
    ex = extract(page.body, page.content_type)
    assert ex.page is not None, (page.name, ex.error)
    p = ex.page
    return {
        "charset": ex.charset.lower(),
        **{f: getattr(p, f) for f in FIELDS if f not in ("charset", "notes")},
        "notes": sorted(n for n in ex.notes.split(";") if n in TREE_NOTES),
    }


@pytest.fixture(scope="module")
def comparison() -> dict[str, list[tuple[str, object, object]]]:
    differ: dict[str, list[tuple[str, object, object]]] = defaultdict(list)
    for page in corpus():
        a, b = ours(page), reference(page)
        for f in FIELDS:
            if a[f] != b[f]:
                differ[f].append((page.name, a[f], b[f]))
    return differ


def test_corpus_is_varied() -> None:
    pages = corpus()
    assert len(pages) == CORPUS_SIZE >= 200
    assert len({p.body for p in pages}) == len(pages)
    kinds = {p.name.split("/")[0] for p in pages}
    ways = {p.name.split("/")[2] for p in pages}
    encodings = {p.name.split("/")[1] for p in pages}
    assert len(kinds) >= 20 and len(ways) == 8 and len(encodings) >= 10


@pytest.mark.parametrize("field", FIELDS)
def test_field_agrees_with_html5lib(field: str, comparison: dict[str, list[tuple[str, object, object]]]) -> None:
    rows = [r for r in comparison.get(field, []) if r[0] not in KNOWN]
    for name, a, b in comparison.get(field, []):
        log.info("%s differs on %s: ours %r, html5lib %r", field, name, a, b)
    assert len(comparison.get(field, [])) <= CORPUS_SIZE // 100, comparison.get(field)
    assert not rows, rows
