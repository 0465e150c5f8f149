"""Encodings as the WHATWG Encoding Standard defines them, and the HTML standard's sniffing order."""

from __future__ import annotations

import codecs

import pytest
import webencodings

from core.parse.charset import STANDARD_NAMES, decode, detect, lookup, prescan, sniff
from core.parse.extract import extract


@pytest.mark.parametrize(
    ("label", "data", "text", "name"),
    [
        # WHATWG Encoding §13.3: Shift_JIS is windows-31j (NEC row 13).
        ("shift_jis", bytes.fromhex("874087418742"), "①②③", "Shift_JIS"),
        ("sjis", bytes.fromhex("874087418742"), "①②③", "Shift_JIS"),
        # §14.1: EUC-KR is windows-949 (Unified Hangul Code).
        ("euc-kr", bytes.fromhex("8C63B9E6B0A2C7CF"), "똠방각하", "EUC-KR"),
        ("ks_c_5601-1987", bytes.fromhex("8C63"), "똠", "EUC-KR"),
        # §12.1: Big5 includes HKSCS.
        ("big5", bytes.fromhex("9DEF9DF79DF8"), "嘅咗啲", "Big5"),
        ("big5-hkscs", bytes.fromhex("9DEF"), "嘅", "Big5"),
        # iso-8859-9 and latin5 are labels of windows-1254.
        ("iso-8859-9", bytes.fromhex("93DD7374616E62756C94208035"), "“İstanbul” €5", "windows-1254"),
        ("latin5", bytes.fromhex("80"), "€", "windows-1254"),
        ("koi8", "Привет".encode("koi8_r"), "Привет", "KOI8-R"),
        ("windows-874", "สวัสดี".encode("cp874"), "สวัสดี", "windows-874"),
        ("tis-620", bytes.fromhex("80"), "€", "windows-874"),
        # gb2312 and GBK are GBK, decoded by the gb18030 decoder (4-byte sequences, 0x80 = €).
        ("gb2312", "中文".encode("gb2312"), "中文", "GBK"),
        ("gbk", bytes.fromhex("80") + "𠀀".encode("gb18030"), "€𠀀", "GBK"),
        ("iso-8859-1", bytes.fromhex("93"), "“", "windows-1252"),
        ("us-ascii", bytes.fromhex("80"), "€", "windows-1252"),
        ("x-user-defined", b"a\x80\xff", "a\uf780\uf7ff", "x-user-defined"),
        ("iso-2022-kr", b"anything", "\ufffd", "replacement"),
        ("hz-gb-2312", b"anything", "\ufffd", "replacement"),
        ("csiso2022jp", b"\x1b$B$3$s\x1b(B", "こん", "ISO-2022-JP"),
        ("x-mac-roman", b"\x8e", "é", "macintosh"),
        ("utf-16", "hi".encode("utf-16-le"), "hi", "UTF-16LE"),
        ("unicode-1-1-utf-8", "é".encode(), "é", "UTF-8"),
        # Bytes 0x80-0x9F a code page leaves undefined are C1 controls in the standard's indexes.
        ("windows-1252", b"\x80\x81\x8d\x9d", "€\x81\x8d\x9d", "windows-1252"),
        ("dos-874", b"\x81\x85", "\x81…", "windows-874"),
        ("euc-jp", b"\xad\xa1\xad\xa2\xc6\xfc", "①②日", "EUC-JP"),  # NEC row 13 is in index-jis0208
        # The standard's KOI8-U is KOI8-RU.
        ("koi8-ru", b"\xae\xbe\xc1", "ўЎа", "KOI8-U"),
    ],
)
def test_labels_and_decoders(label: str, data: bytes, text: str, name: str) -> None:
    assert lookup(label) == name
    assert lookup(f"  {label.upper()}\t") == name  # ASCII whitespace trimmed, case-insensitive (§4.2)
    assert decode(data, name) == text


@pytest.mark.parametrize("label", ["utf8mb4", "latin-1", "x-sjis-2004", "iso-8859-12", "utf-32", ""])
def test_unknown_labels_are_not_guessed(label: str) -> None:
    # "latin-1" and "utf-32" are Python codec names, not labels in the standard's table.
    assert lookup(label) is None


def test_every_label_of_the_table_has_a_decoder() -> None:
    names = {lookup(label) for label in webencodings.LABELS}
    assert names == set(STANDARD_NAMES)
    for name in STANDARD_NAMES:
        assert isinstance(decode(bytes(range(256)), name), str)


def test_header_label_names_a_standard_encoding() -> None:
    ex = extract("<title>Ğ</title>".encode("cp1254"), "text/html; charset=ISO-8859-9")
    assert (ex.charset, ex.page.title) == ("windows-1254", "Ğ")


def test_meta_declared_utf16_means_utf8_and_user_defined_means_1252() -> None:
    assert prescan(b'<meta charset="utf-16le">') == ("UTF-8", 0)
    assert prescan(b"<p><meta charset=x-user-defined>")[0] == "windows-1252"
    # In the header they keep their meaning.
    assert sniff(b"h\x00i\x00", "utf-16le").name == "UTF-16LE"


def test_prescan_skips_comments_and_reads_attributes() -> None:
    assert prescan(b'<!-- <meta charset="koi8-r"> --><meta charset="iso-8859-2">') == ("ISO-8859-2", 32)
    assert prescan(b'<div title="<meta charset=koi8-r>"><meta charset=big5>')[0] == "Big5"
    assert prescan(b'<meta name="x" content="text/html; charset=koi8-r">') is None  # no http-equiv
    assert prescan(b"<meta http-equiv=Content-Type content='text/html;charset=\"sjis\"'>")[0] == "Shift_JIS"
    assert prescan(b" " * 1020 + b"<meta charset=koi8-r>") is None  # past the first 1024 bytes


def test_order_bom_header_meta_detection() -> None:
    doc = b'<meta charset="koi8-r"><title>x</title>'
    assert sniff(codecs.BOM_UTF16_LE + "<p>".encode("utf-16-le"), "koi8-r").source == "bom"
    assert sniff(codecs.BOM_UTF8 + doc, "windows-1251") == sniff(codecs.BOM_UTF8 + doc, "windows-1251")
    assert (sniff(doc, "windows-1251").name, sniff(doc, "windows-1251").source) == ("windows-1251", "header")
    assert (sniff(doc, "bogus-label").name, sniff(doc).source) == ("KOI8-R", "meta")
    assert detect(b"<p>plain ascii</p>") == ("windows-1252", "default")
    assert detect("<p>café</p>".encode()) == ("UTF-8", "detected")


def test_detection_names_a_standard_encoding() -> None:
    text = "日本語の文字コード試験ページです。東京は日本の首都であり、世界でも有数の大都市です。" * 20
    ex = extract(f"<title>題名</title><p>{text}</p>".encode("shift_jis"), "text/html")
    assert ex.page.title == "題名"
    assert ex.charset in STANDARD_NAMES and ex.charset == "Shift_JIS"


def test_xhtml_declaration_decides_after_the_header() -> None:
    body = '<?xml version="1.0" encoding="ISO-8859-2"?><html><head><title>\u0105</title></head></html>'.encode(
        "iso8859_2"
    )
    ex = extract(body, "application/xhtml+xml")
    assert (ex.charset, ex.page.title) == ("ISO-8859-2", "\u0105")


def test_the_label_table_is_the_current_standards() -> None:
    # WHATWG Encoding §4.2: 228 labels of 40 encodings, including those added since webencodings 0.5
    # (UTF-16 aliases, koi8-ru); each encoding's labels spot-checked by the cases above.
    assert len(webencodings.LABELS) == 228
    added = {"unicode11utf8": "UTF-8", "x-unicode20utf8": "UTF-8", "koi8-ru": "KOI8-U", "unicodefffe": "UTF-16BE",
             "ucs-2": "UTF-16LE", "csunicode": "UTF-16LE", "iso-10646-ucs-2": "UTF-16LE", "unicodefeff": "UTF-16LE"}
    assert {label: lookup(label) for label in added} == added
    assert lookup("windows-949") == "EUC-KR" and lookup("ms932") == "Shift_JIS" and lookup("x-x-big5") == "Big5"
    assert lookup("dos-874") == "windows-874" and lookup("iso-8859-6-i") == "ISO-8859-6"
    assert lookup("logical") == "ISO-8859-8-I" and lookup("visual") == "ISO-8859-8"
