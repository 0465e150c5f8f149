"""More pages of the kinds issue 12 fixed, for the fields: each expectation is the HTML standard's rule."""

from __future__ import annotations

import time

import pytest

from core.model import PageInfo
from core.parse.extract import extract


def _page(doc: str, ctype: str = "text/html; charset=utf-8") -> tuple[PageInfo, str]:
    got = extract(doc.encode("utf-8"), ctype)
    assert got.page is not None, got.error
    return got.page, got.notes


@pytest.mark.parametrize(
    ("doc", "title"),
    [
        ("<title>A &amp; B &lt;i&gt; &#x41;&nbsp;</title>", "A & B <i> A\xa0"),
        ("<title><![CDATA[x]]></title>", "<![CDATA[x]]>"),  # RCDATA: no CDATA sections in HTML
        ("<title>a <b>b</b> c</title>", "a <b>b</b> c"),  # RCDATA: tags are text
        ("<TITLE>Up</TITLE>", "Up"),
        ("<title> \n </title><title>second</title>", ""),  # document.title: the first title element
        ("<body><title>in body</title>", "in body"),
        ("<svg><title>icon</title></svg><title>real</title>", "real"),
    ],
)
def test_title_kinds(doc: str, title: str) -> None:
    assert _page(doc)[0].title == title


@pytest.mark.parametrize(
    ("doc", "description"),
    [
        ('<meta NAME="Description" CONTENT="D">', "D"),
        ('<meta name=" description\n" content="D">', "D"),
        ('<meta name="description" content="first"><meta name="description" content="second">', "first"),
        ('<meta name="description" content=""><meta name="description" content="second">', ""),
        ('<meta name="description">', ""),
        ('<body><meta name="description" content="in body">', ""),
        ('<head><noscript><meta name="description" content="ns"></noscript></head>', "ns"),
    ],
)
def test_description_kinds(doc: str, description: str) -> None:
    assert _page(doc)[0].meta_description == description


@pytest.mark.parametrize(
    ("doc", "canonical"),
    [
        ('<link rel="Canonical" href="/a">', "/a"),
        ('<link rel="alternate canonical" href="/b">', "/b"),
        ('<link rel="canonicalize" href="/no">', ""),
        ('<link rel=canonical href="/1"><link rel=canonical href="/2">', "/1"),
        ('<link rel=canonical href="  https://x.test/a\n/b ">', "https://x.test/a/b"),  # URL parser strips
        # HTML §2.4.1: relative URLs resolve against the first <base href>, wherever it is.
        ('<base href="https://x.test/d/"><link rel=canonical href="p?q=1">', "https://x.test/d/p?q=1"),
        ('<link rel=canonical href="/p"><base target=_top><base href="https://x.test/d/">', "https://x.test/p"),
        ('<base href="/sub/"><link rel=canonical href="p">', "/sub/p"),
        ('<base href="https://x.test/"><link rel=canonical href="https://y.test/c">', "https://y.test/c"),
    ],
)
def test_canonical_kinds(doc: str, canonical: str) -> None:
    assert _page(doc)[0].canonical == canonical


def test_links_are_a_href_outside_svg_and_templates() -> None:
    doc = (
        '<a name="top">x</a><A HREF="/up">up</A><a href="">self</a><area href="/area"><link rel=next href="/n">'
        '<template><a href="/t">t</a></template><svg><a href="/s"/></svg><a href="/last">'
    )
    assert _page(doc)[0].links == 3


@pytest.mark.parametrize(
    ("doc", "lang"),
    [
        ('<html xml:lang="en" lang="de">', "de"),
        ('<html xml:lang="en">', ""),  # in an HTML document xml:lang is not the language attribute it reads
        ('<html lang=" de-AT \n">', "de-AT"),
        ('<html LANG="fr">', "fr"),
    ],
)
def test_lang_kinds(doc: str, lang: str) -> None:
    assert _page(doc + "<title>x</title>")[0].lang == lang


@pytest.mark.parametrize("first", ["<noscript><style>p{}</style></noscript>", "<noframes>x</noframes>", "<basefont>"])
def test_a_first_element_that_belongs_to_an_implied_head(first: str) -> None:
    # HTML §13.2.6.4.3 "before head": these start an implied head; the metadata after them is in it.
    page, notes = _page(f'{first}<title>T</title><meta name=description content=D><link rel=canonical href="/c">')
    assert (page.title, page.meta_description, page.canonical, notes) == ("T", "D", "/c", "")


def test_xhtml_head_is_its_head_element() -> None:
    doc = (
        '<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml" '
        'xmlns:svg="http://www.w3.org/2000/svg" lang="de"><head><svg:svg><svg:title>icon</svg:title></svg:svg>'
        '<title>real</title><meta name="description" content="D"/><link rel="canonical" href="/c"/></head>'
        '<body><h1>H</h1><a href="/x">x</a></body></html>'
    )
    page, notes = _page(doc, "application/xhtml+xml")
    assert (page.title, page.meta_description, page.canonical, page.h1, page.links, notes) == (
        "real", "D", "/c", "H", 1, "")


@pytest.mark.parametrize(
    "odd", ["<!-->", "<!--->", "<!-- x --!>", "<!-- <title>no</title> --!>"]
)
def test_malformed_comments_end_where_the_tokenizer_ends_them(odd: str) -> None:
    page, _ = _page(f"<head>{odd}<title>t</title>{odd}<meta name=description content=D></head><h1>H</h1>")
    assert (page.title, page.meta_description, page.h1) == ("t", "D", "H")


@pytest.mark.parametrize(
    ("tail", "h1_count", "links"),
    [("<script>var s = '<h1>x</h1><a href=/>", 1, 0), ("<plaintext><h1>x</h1><a href=/>", 1, 0),
     ("<textarea><a href=/>", 1, 0), ("<!-- <a href=/>", 1, 0)],
)
def test_raw_text_running_to_the_end_of_file(tail: str, h1_count: int, links: int) -> None:
    page, _ = _page("<title>t</title><h1>H</h1>" + tail)
    assert (page.title, page.h1_count, page.links) == ("t", h1_count, links)


@pytest.mark.parametrize(
    "nest",
    [
        "<div>" * 10_000 + "<h1>deep</h1><a href=/>x</a>",
        "<svg>" + "<g>" * 10_000 + "<h1>deep</h1><a href=/>x</a>",
        "<h1>deep" + "<span>" * 10_000 + "</h1><a href=/>x</a>",
        "<b>" * 10_000 + "<h1>deep</h1><a href=/>x</a>",
    ],
)
def test_ten_thousand_levels_deep(nest: str) -> None:
    # No recursion limit, and no content dropped at libxml2's depth limit (HTML has none).
    t0 = time.perf_counter()
    page, _ = _page("<title>d</title>" + nest)
    assert (page.title, page.h1, page.h1_count, page.links) == ("d", "deep", 1, 1)
    assert time.perf_counter() - t0 < 60


def test_nul_bytes_do_not_break_a_page() -> None:
    page, _ = _page("<title>a\x00b</title><meta name=description content='c\x00d'><h1>H</h1><a href=/>x</a>")
    assert (page.title, page.meta_description, page.h1, page.links) == ("a\ufffdb", "c\ufffdd", "H", 1)


def test_a_two_megabyte_page() -> None:
    doc = "<title>big</title><h1>H</h1>" + "<p>word <a href=/x>x</a></p>" * 75_000
    page, _ = _page(doc)
    assert len(doc) > 2_000_000  # one word per paragraph: "xword" (no space between them)
    assert (page.title, page.h1, page.links, page.facts.word_count) == ("big", "H", 75_000, 75_001)
