"""Extraction: awkward HTML, charsets, non-HTML, and never an exception."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.mime import media_type
from core.parse.charset import sniff
from core.parse.extract import extract, is_html, parse_html

MESSY = """<!DOCTYPE html>
<HTML LANG="fr-CA"><HEAD>
<META NAME="Description" CONTENT="  Une   description &amp; plus ">
<meta name="robots" content="noindex, follow">
<TITLE>
   Caf&eacute;   &amp;   Bar
</TITLE><title>second title</title>
<link rel="alternate stylesheet" href="/alt.css"><link rel="Canonical" href="/canon">
<script>var s = "<a href='x'>not a link</a>";</script>
</HEAD>
<body><!-- <h1>commented</h1> -->
<h1>Main <span>heading</span></h1><p>text<a href="/1">one<a href="/2">two</a>
<a name="anchor-only">no href</a><h1>Second</h1>
<table><tr><td><a href="/3">three</td></tr></table>
"""


def test_messy_html() -> None:
    page = parse_html(MESSY)
    assert page.title == "Café & Bar"
    assert page.meta_description == "Une description & plus"
    assert page.meta_robots == "noindex, follow"
    assert page.canonical == "/canon"
    assert page.lang == "fr-CA"
    assert page.h1 == "Main heading"
    assert page.h1_count == 2
    assert page.links == 3  # script text and the anchor without href do not count


def test_title_without_head() -> None:
    page = parse_html("<body><title>In body</title><h1>H</h1></body>")
    assert page.title == "In body"
    assert page.h1 == "H"


@pytest.mark.parametrize(
    ("charset", "text"),
    [
        ("euc-kr", "한국어 웹 페이지의 제목입니다"),
        ("shift_jis", "日本語のウェブページのタイトルです"),
        ("windows-1252", "Café “Zürich” – 5 €"),
    ],
)
@pytest.mark.parametrize("via", ["header", "meta", "none"])
def test_charsets(charset: str, text: str, via: str) -> None:
    filler = (text + " ") * 60  # enough real text for detection when nothing is declared
    meta = f'<meta charset="{charset}">' if via == "meta" else ""
    html = f"<html><head>{meta}<title>{text}</title></head><body><h1>{text}</h1><p>{filler}</p></body></html>"
    body = html.encode(charset)
    ctype = f"text/html; charset={charset}" if via == "header" else "text/html"
    ex = extract(body, ctype)
    assert ex.page is not None
    assert ex.page.title == text
    assert ex.page.h1 == text
    names = {"euc-kr": "EUC-KR", "shift_jis": "Shift_JIS", "windows-1252": "windows-1252"}
    assert ex.charset == names[charset] or via == "none"  # detection may pick a superset


def test_bom_outranks_header() -> None:
    body = codecs.BOM_UTF8 + "<title>Grüße</title>".encode()
    sniffed = sniff(body, "iso-8859-1")
    assert (sniffed.name, sniffed.skip, sniffed.source) == ("UTF-8", 3, "bom")
    assert extract(body, "text/html; charset=iso-8859-1").page.title == "Grüße"


def test_latin1_label_means_windows_1252() -> None:
    ex = extract("<title>“quoted”</title>".encode("cp1252"), "text/html; charset=ISO-8859-1")
    assert ex.page.title == "“quoted”"
    assert ex.charset == "windows-1252"


def test_invalid_bytes_in_declared_charset() -> None:
    ex = extract(b"<title>bad \xff\xfe bytes</title>", "text/html; charset=utf-8")
    assert ex.page is not None and ex.page.title.startswith("bad ")
    assert "\ufffd" in ex.page.title


def test_non_html_is_recorded_not_parsed() -> None:
    assert extract(b"\x89PNG\r\n\x1a\n", "image/png").page is None
    assert extract(b'{"a": 1}', "application/json").page is None
    assert extract(b"plain text", "text/plain; charset=utf-8").charset == "UTF-8"
    assert is_html("", b"  <!DOCTYPE html><html>")
    assert not is_html("", b"\x00\x01binary")
    assert media_type('text/html; Charset="UTF-8"') == ("text/html", "utf-8")


def test_fields_are_capped() -> None:
    page = parse_html("<title>" + "x" * 50_000 + "</title>")
    assert len(page.title) == 1000


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=4096), st.sampled_from(["text/html", "", "text/html; charset=utf-16", "text/html; x=1"]))
def test_extract_never_raises_on_any_bytes(body: bytes, ctype: str) -> None:
    ex = extract(body, ctype)
    assert ex.error == ""


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_parse_never_raises_on_any_text(text: str) -> None:
    page = parse_html(text)
    assert page.links >= 0


# -- one parsed tree: what a browser and a search engine see (issue: "SEO fields that mean what they say") --

HEAD_TAGS = (
    '<meta name="description" content="D"><link rel="canonical" href="/c"><meta name="robots" content="noindex">'
)


@pytest.mark.parametrize(
    "before",
    [
        '<script>var t = "<body class=x>";</script>',
        "<!-- </head><body> -->",
        "<style>/* </head> */ p {}</style>",
        '<noscript><link rel="stylesheet" href="/n.css"></noscript>',
    ],
)
def test_head_fields_come_from_the_tree(before: str) -> None:
    page = parse_html(f"<html><head><title>T</title>{before}{HEAD_TAGS}</head><body><h1>H</h1></body></html>")
    assert (page.meta_description, page.canonical, page.meta_robots) == ("D", "/c", "noindex")


@pytest.mark.parametrize(
    ("doc", "lang"),
    [
        ('<!-- <html lang="en"> --><html lang="de"><title>x</title>', "de"),
        ('<html xml:lang="en" lang="de"><title>x</title>', "de"),
        ('<html xml:lang="en"><title>x</title>', ""),
        ("<script>document.write('<html lang=en>')</script><p>x", ""),
    ],
)
def test_lang_is_the_root_elements(doc: str, lang: str) -> None:
    assert parse_html(doc).lang == lang


@pytest.mark.parametrize(
    ("doc", "title"),
    [
        ("<title>\n  Price:\xa010\xa0€ \t and\n\nmore </title>", "Price:\xa010\xa0€ and more"),
        ("<head><svg><title>icon</title></svg></head><title>Real</title>", "Real"),
        ("<body><math><title>formula</title></math><title>Real</title>", "Real"),
        ("<body><svg><foreignObject><title>html again</title></foreignObject></svg>", "html again"),
        ("<template><title>inert</title></template><title>Real</title>", "Real"),
        ("<title>a <b>not a tag</b> &amp; b</title>", "a <b>not a tag</b> & b"),
        ("<svg><title>only an icon</title></svg>", ""),
    ],
)
def test_title_is_document_title(doc: str, title: str) -> None:
    assert parse_html(doc).title == title


def test_description_is_meta_name_description_only() -> None:
    doc = '<head><meta property="og:description" content="OG"><meta property="og:title" content="OT">' \
          '<meta property="og:image" content="/i.png"><title>x</title></head>'
    page = parse_html(doc)
    assert page.meta_description == ""
    assert (page.og_title, page.og_description, page.og_image) == ("OT", "OG", "/i.png")


def _notes(doc: str | bytes, ctype: str = "text/html") -> list[str]:
    ex = extract(doc.encode() if isinstance(doc, str) else doc, ctype)
    return ex.notes.split(";") if ex.notes else []


def test_canonical_in_the_body_is_not_the_canonical() -> None:
    doc = '<head><title>x</title></head><body><p>x</p><link rel="canonical" href="/body"></body>'
    assert parse_html(doc).canonical == ""
    assert _notes(doc) == ["canonical_outside_head"]
    # An element the head may not hold ends it (HTML §13.2.6.4.4): what follows is in the body.
    doc2 = '<head><title>x</title><div></div><link rel="canonical" href="/c"><meta name="description" content="d">'
    assert (parse_html(doc2).canonical, parse_html(doc2).meta_description) == ("", "")
    assert sorted(_notes(doc2)) == ["canonical_outside_head", "meta_in_body"]
    # Between </head> and <body> a <link> still goes to the head ("after head" insertion mode).
    doc3 = '<head><title>x</title></head><link rel="canonical" href="/c"><body><p>x</p></body>'
    assert parse_html(doc3).canonical == "/c" and _notes(doc3) == []


def test_notes() -> None:
    assert sorted(_notes("<title>a</title><p>x</p><title>b</title>")) == ["multiple_titles"]
    assert _notes("<p>x</p><title>in body</title>") == ["title_outside_head"]
    assert _notes('<title>x</title><p><meta itemprop="price" content="1"></p>') == []  # microdata is fine
    assert _notes('<title>x</title><p><meta name="description" content="late"></p>') == ["meta_in_body"]
    assert _notes('<meta charset="utf-8"><title>x</title>', "text/html; charset=windows-1252") == [
        "charset_mismatch"]
    late = b"<title>x</title>" + b"<!-- pad -->" * 100 + b'<meta charset="koi8-r"><h1>\xf0</h1>'
    ex = extract(late, "text/html")
    assert (ex.charset, ex.notes, ex.page.h1) == ("KOI8-R", "charset_late", "П")


def test_xhtml_with_xml_declaration_gives_real_values() -> None:
    doc = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml" '
        'xml:lang="en" lang="en"><head><title>XHTML ü</title></head>'
        '<body><h1>Head</h1><p><a href="/a">a</a> <a href="/b">b</a></p></body></html>'
    )
    for ctype in ("application/xhtml+xml", "text/html; charset=utf-8"):
        ex = extract(doc.encode(), ctype)
        assert (ex.page.title, ex.page.h1, ex.page.h1_count, ex.page.links, ex.page.lang) == (
            "XHTML ü", "Head", 1, 2, "en")
    assert parse_html(doc).links == 2  # str input with an encoding declaration too


def test_an_unreadable_page_says_so() -> None:
    ex = extract(b"<title>x</title><a href=/>y</a>", "text/html; charset=iso-2022-kr")
    assert ex.page is None and ex.error_kind == "decode" and ex.charset == "replacement"


@pytest.mark.parametrize(
    ("doc", "field", "value"),
    [
        # libxml2 drops what follows </html>; the HTML standard reads it into the body.
        ("<title>t</title><p>a</p></html>\n<h1>After</h1><a href=/1>x</a>", "h1", "After"),
        ("<title>t</title></html><script>s()</script><a href=/1>x</a><a href=/2>y</a>", "links", 2),
        # A second <html> tag gives the root the attributes it lacks (HTML §13.2.6.4.7).
        ("<p>x</p><html lang=fr><title>t</title>", "lang", "fr"),
        # A heading is not closed by a <p>, <table> or <form> inside it; an <h2> right inside it closes it.
        ("<h1>A <p>b</p> c</h1>", "h1", "A b c"),
        ("<h1>A<table><tr><td>b</td></tr></table>c</h1>", "h1", "Abc"),
        ("<h1>A<h2>b</h2>c</h1>", "h1", "A"),
        ("<h1>A<div><h2>b</h2></div>c</h1>", "h1", "Abc"),
        ("<h1>A<script>var x = 1;</script><style>p {}</style>B</h1>", "h1", "AB"),
        # <title> in MathML is no RCDATA element: the markup after it is markup.
        ("<math><title>f</math><h1>Real</h1><a href=/a>a</a>", "links", 1),
        # Text in the head ends it: the metadata after it is in the body.
        ("<html><head>oops<title>t</title><meta name=description content=d></head>", "meta_description", ""),
    ],
)
def test_trees_libxml2_builds_differently(doc: str, field: str, value: object) -> None:
    assert getattr(parse_html(doc), field) == value


def test_a_tree_html5lib_cannot_hold_keeps_libxml2s() -> None:
    # &#x1; is a control character lxml refuses in a tree html5lib builds: the page is still read.
    page = parse_html("<title>t</title><h1>a<p>&#x1;b</p></h1><a href=/x>x</a>")
    assert (page.title, page.h1_count, page.links) == ("t", 1, 1)


def test_a_pixel_in_the_head_ends_it() -> None:
    # HTML §13.2.6.4.5 (no scripts): an <img> in a <noscript> in the head ends the head there.
    doc = ('<head><title>t</title><noscript><img src="https://px.example/t.gif"></noscript>'
           '<meta name="description" content="d"><link rel="canonical" href="/c"></head><body><p>x</p></body>')
    ex = extract(doc.encode(), "text/html")
    assert (ex.page.meta_description, ex.page.canonical) == ("", "")
    assert sorted(ex.notes.split(";")) == ["canonical_outside_head", "meta_in_body"]
    ok = doc.replace('<img src="https://px.example/t.gif">', '<link rel="stylesheet" href="/n.css">')
    assert (parse_html(ok).meta_description, parse_html(ok).canonical) == ("d", "/c")


def test_lang_is_document_element_lang_in_xhtml_too() -> None:
    # document.documentElement.lang reflects the lang attribute, whatever the xml:lang.
    doc = b'<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="de"><head><title>x</title></head></html>'
    assert extract(doc, "text/html").page.lang == "de"
    assert extract(doc, "application/xhtml+xml").page.lang == "de"
