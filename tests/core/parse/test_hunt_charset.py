"""More pages of the kinds issue 12 fixed: label spellings, where a charset is declared, the Content-Type
parameter syntax, and decoders checked against the WHATWG indexes at their hard code points."""

from __future__ import annotations

import pytest

from core.mime import media_type
from core.parse.charset import decode, detect, lookup
from core.parse.extract import extract

KOI8_A = b"\xc1"  # KOI8-R "а"; windows-1252 "Á"


@pytest.mark.parametrize(
    ("label", "name"),
    [
        ("Shift_JIS", "Shift_JIS"), ("x-sjis", "Shift_JIS"), ("unicode-1-1-utf-8", "UTF-8"), ("latin1", "windows-1252"),
        ("ascii", "windows-1252"), ("utf-16le", "UTF-16LE"), ("x-mac-cyrillic", "x-mac-cyrillic"),
        ("x-mac-ukrainian", "x-mac-cyrillic"), ("iso-8859-8-i", "ISO-8859-8-I"), ("gb_2312-80", "GBK"),
        ("csiso2022jp", "ISO-2022-JP"), (" \tUTF-8\x0c", "UTF-8"), ("unicode11utf8", "UTF-8"),
        ("unicodefffe", "UTF-16BE"),
        ("ucs-2", "UTF-16LE"), ("koi8-ru", "KOI8-U"), ("dos-874", "windows-874"), ("x-cp1253", "windows-1253"),
        ("hz-gb-2312", "replacement"), ("mac", "macintosh"), ("x-user-defined", "x-user-defined"),
    ],
)
def test_label_spellings(label: str, name: str) -> None:
    # WHATWG Encoding §4.2 get an encoding: ASCII whitespace trimmed, ASCII case-insensitive.
    assert lookup(label) == name


@pytest.mark.parametrize(
    ("body", "charset", "title"),
    [
        (b'<meta charset="KOI8-R"><title>\xc1</title>', "KOI8-R", "а"),
        (b"<meta charset='koi8-r'><title>\xc1</title>", "KOI8-R", "а"),
        (b"<meta charset = koi8-r ><title>\xc1</title>", "KOI8-R", "а"),
        (b'<meta content="text/html; charset=koi8-r" http-equiv="Content-Type"><title>\xc1</title>', "KOI8-R", "а"),
        (b'<meta content="text/html; charset=koi8-r"><meta charset=windows-1252><title>\xc1</title>',  # no pragma
         "windows-1252", "Á"),
        (b"<meta charset><meta charset=koi8-r><title>\xc1</title>", "KOI8-R", "а"),
        (b"<meta charset=bogus><meta charset=koi8-r><title>\xc1</title>", "KOI8-R", "а"),
        (b"<meta charset=koi8-r><meta charset=windows-1252><title>\xc1</title>", "KOI8-R", "а"),
        (b"<meta charset=utf-16be><title>\xc3\xa9</title>", "UTF-8", "é"),
        (b"<meta charset=x-user-defined><title>\x80</title>", "windows-1252", "€"),
        (b"<head><noscript><meta charset=koi8-r></noscript><title>\xc1</title>", "KOI8-R", "а"),
        (b"<!-- <meta charset=koi8-r> --><meta charset=windows-1252><title>\xc1</title>", "windows-1252", "Á"),
        # §13.2.3.2: the prescan does not know <script>: its text's <meta charset> is a declaration.
        (b'<script>"<meta charset=koi8-r>"</script><meta charset=windows-1252><title>\xc1</title>', "KOI8-R", "а"),
    ],
)
def test_where_a_meta_declares(body: bytes, charset: str, title: str) -> None:
    got = extract(body, "text/html")
    assert (got.charset, got.page.title if got.page else None) == (charset, title)


@pytest.mark.parametrize(
    ("value", "label"),
    [
        ("text/html; charset=koi8-r; charset=utf-8", "koi8-r"),  # MIME Sniffing §4.4: the first one wins
        ("text/html; charset=bogus; charset=koi8-r", "bogus"),
        ('text/html; charset="koi8-r;x"', "koi8-r;x"),  # a quoted-string holds the ';'
        ('text/html;charset="KOI8-R"', "koi8-r"),
        ('text/html; foo="a;charset=x"; charset=utf-8', "utf-8"),
        ("text/html; charset=;charset=utf-8", "utf-8"),  # an empty value is no parameter
        ("text/html; charset=utf-8 ", "utf-8"),
        ("TEXT/HTML", ""),
    ],
)
def test_content_type_parameters(value: str, label: str) -> None:
    assert media_type(value)[1] == label


def test_an_unknown_header_label_goes_on_to_the_prescan() -> None:
    body = b"<meta charset=koi8-r><title>\xc1</title>"
    assert extract(body, "text/html; charset=bogus; charset=utf-8").charset == "KOI8-R"
    assert extract(body, 'text/html; charset="koi8-r;x"').charset == "KOI8-R"  # via the meta, not the header


@pytest.mark.parametrize(
    ("body", "ctype", "charset", "title"),
    [
        ("<title>é</title>".encode("utf-16le"), "text/html; charset=utf-16le", "UTF-16LE", "é"),
        ("<title>é</title>".encode("utf-16le"), "text/html; charset=utf-16", "UTF-16LE", "é"),
        ("<title>é</title>".encode("utf-16be"), "text/html; charset=utf-16be", "UTF-16BE", "é"),
        (b"\xef\xbb\xbf<title>\xc3\xa9</title>", "text/html; charset=koi8-r", "UTF-8", "é"),
        (b"\xfe\xff" + "<title>é</title>".encode("utf-16be"), "text/html; charset=koi8-r", "UTF-16BE", "é"),
        (b"\xff\xfe" + "<title>é</title>".encode("utf-16le"), "text/html", "UTF-16LE", "é"),
    ],
)
def test_boms_and_utf16_headers(body: bytes, ctype: str, charset: str, title: str) -> None:
    got = extract(body, ctype)
    assert (got.charset, got.page.title if got.page else None) == (charset, title)


@pytest.mark.parametrize("body", [b"<title>\xc1</title>", b"<p>caf\xe9 cr\xe8me</p>", b"<b>\xc1\xd2</b>" * 3])
def test_detection_never_answers_utf16(body: bytes) -> None:
    # UTF-16 is found by a BOM or a header only; detection on NUL-free bytes must not pick it.
    assert detect(body)[0] not in ("UTF-16LE", "UTF-16BE")


@pytest.mark.parametrize(
    ("name", "data", "text"),
    [
        # index-windows-1252: 0x80-0x9F, the five holes are C1 controls.
        ("windows-1252", bytes(range(0x80, 0xA0)),
         "€\x81‚ƒ„…†‡ˆ‰Š‹Œ\x8dŽ\x8f\x90‘’“”•–—˜™š›œ\x9džŸ"),
        ("ISO-8859-8", b"\xdf\xfd\xfe\xaf\xe0", "‗\u200e\u200f¯א"),
        ("KOI8-U", b"\xa4\xa6\xa7\xad\xae\xb4\xbe", "єіїґўЄЎ"),  # index-koi8-u is KOI8-RU
        ("macintosh", b"\xdb\xf0", "€\uf8ff"),
        ("x-mac-cyrillic", b"\xa2\xb6\xff\xdf", "Ґґ€я"),
        ("windows-874", b"\x80\x81\xdb\xa1", "€\x81\ufffdก"),
        ("gb18030", bytes.fromhex("81308130 8431A439 90308130 80"), "\x80\uffff\U00010000€"),
        ("GBK", bytes.fromhex("80 A1A1"), "€\u3000"),
        # index-gb18030: A3A0 is U+3000; A8BC / 8135F437 as GB18030-2005; GB18030-2022's 18 out of the PUA.
        ("gb18030", bytes.fromhex("A3A0 A8BC 8135F437 A6D9 A6DA A6DB A6F3 FE59 FEA0 84318236"),
         "\u3000ḿ\ue7c7︐︒︑︙龴龻︐"),
        ("GBK", bytes.fromhex("A3A0 A6D9 FE59"), "\u3000︐龴"),
        ("windows-1255", b"\xca\xe0\x80\xd9", "\u05baא€\ufffd"),
        ("Big5", bytes.fromhex("8862 8864 8740 9DEF"), "Ê̄Ê̌䏰嘅"),
        # index-big5 follows windows-950 in rows A1-A2 (Python's big5hkscs: • ､ ‾ ∼ ♁ ☉ ／ ＼ ¥ ¢ £) and has € at A3E1.
        ("Big5", bytes.fromhex("A145 A14E A1C2 A1E3 A1F2 A1F3 A244 A246 A247 A3E1"), "‧﹑¯～⊕⊙￥￠￡€"),
        ("Big5", bytes.fromhex("A241 A242 A1FE A240 41 A4A2 41"), "∕﹨／＼A丐A"),
        ("EUC-JP", bytes.fromhex("8FA2AF A4A2 ADA1 F9A1 FCFE"), "˘あ①纊＂"),  # JIS X 0212, NEC row 13, IBM rows
        # index-jis0208 (the Shift_JIS table) where Python's euc_jp differs: ～ ∥ － ￠ ￡ ￢
        ("EUC-JP", bytes.fromhex("A1C1 A1C2 A1DD A1F1 A1F2 A2CC"), "～∥－￠￡￢"),
        ("Shift_JIS", bytes.fromhex("8160 8161 817C 8740 ED40 FA40 F040 F9FC"), "～∥－①纊ⅰ\ue000\ue757"),
        ("ISO-2022-JP", b"\x1b$B\x30\x21\x1b(J\x5c\x7e\x1b(I\x21\x1b(B\x5c", "亜¥‾｡\\"),
        ("EUC-KR", bytes.fromhex("8C63 B0A1"), "똠가"),
    ],
)
def test_decoders_at_hard_code_points(name: str, data: bytes, text: str) -> None:
    assert decode(data, name) == text


def test_euc_jp_page_reads_like_its_shift_jis_twin() -> None:
    # The two encodings share index-jis0208, so the same characters must come out of both.
    text = "～∥－￠￡￢①纊"
    sjis = text.encode("cp932")
    euc = decode(sjis, "Shift_JIS").encode("cp932").decode("cp932")
    page = b"<meta charset=euc-jp><title>" + bytes.fromhex("A1C1A1C2A1DDA1F1A1F2A2CCADA1F9A1") + b"</title>"
    got = extract(page, "text/html")
    assert (got.charset, got.page.title if got.page else None) == ("EUC-JP", euc)
