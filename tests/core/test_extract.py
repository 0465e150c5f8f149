"""Extraction: awkward HTML, charsets, non-HTML, and never an exception."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.parse.charset import sniff
from core.parse.extract import extract, is_html, media_type, parse_html

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
