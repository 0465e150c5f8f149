"""Which encoding a page is in, and its text: the HTML standard's sniffing over the WHATWG Encoding Standard.

Labels are looked up in the Encoding Standard's table (the ``webencodings`` package, which mirrors
``encodings.json``); the decoders are Python's codecs, with the few places where the standard's decoder
is a superset of the codec of the same name mapped to the codec that matches it (Shift_JIS is
windows-31j, EUC-KR is windows-949, Big5 includes HKSCS, GBK decodes as gb18030), and the code points
where the standard's index and that codec still differ put right (EUC-JP's JIS X 0208 as index-jis0208,
Big5's rows A1-A2 and €, gb18030's 2005 and 2022 changes, windows-1255 0xCA).

The order is the HTML standard's *encoding sniffing algorithm* (HTML §13.2.3.1): BOM, the transport
layer's ``charset``, the *prescan* of the first 1024 bytes (§13.2.3.2), and — when nothing declared
it — detection. A ``<meta>`` declaration the parser meets later (§13.2.3.4 "change the encoding") is
the caller's business, as it needs the parsed tree: see :func:`meta_declaration` and
:func:`for_meta`.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass

import webencodings

log = logging.getLogger(__name__)

# The encodings' names as the Encoding Standard spells them (§4.2), which ``document.characterSet`` shows.
STANDARD_NAMES: tuple[str, ...] = (
    "UTF-8", "IBM866", "ISO-8859-2", "ISO-8859-3", "ISO-8859-4", "ISO-8859-5", "ISO-8859-6", "ISO-8859-7",
    "ISO-8859-8", "ISO-8859-8-I", "ISO-8859-10", "ISO-8859-13", "ISO-8859-14", "ISO-8859-15", "ISO-8859-16",
    "KOI8-R", "KOI8-U", "macintosh", "windows-874", "windows-1250", "windows-1251", "windows-1252",
    "windows-1253", "windows-1254", "windows-1255", "windows-1256", "windows-1257", "windows-1258",
    "x-mac-cyrillic", "GBK", "gb18030", "Big5", "EUC-JP", "ISO-2022-JP", "Shift_JIS", "EUC-KR", "replacement",
    "UTF-16BE", "UTF-16LE", "x-user-defined",
)
_SPELLING = {name.lower(): name for name in STANDARD_NAMES}

# Where the standard's decoder is not the Python codec of the same name (WHATWG Encoding §10-§13).
_DECODER: dict[str, str] = {
    "Shift_JIS": "cp932",  # §13.3: Shift_JIS is windows-31j (NEC/IBM rows: 87 40 → ①)
    "EUC-KR": "cp949",  # §14.1: EUC-KR is windows-949 (UHC: 8C 63 → 똠)
    "Big5": "big5hkscs",  # §12.1: Big5 includes the HKSCS extensions
    "GBK": "gb18030",  # §11.1.1: the GBK decoder is the gb18030 decoder
    "gb18030": "gb18030",
    "ISO-2022-JP": "iso2022_jp_ext",  # §13.2: half-width katakana (ESC ( I) included
    "ISO-8859-8-I": "iso8859-8",
    "macintosh": "mac-roman",
    "x-mac-cyrillic": "mac-cyrillic",
    "windows-874": "cp874",
}

_ASCII_WS = b"\t\n\x0c\r "
_BOMS = ((codecs.BOM_UTF8, "UTF-8"), (codecs.BOM_UTF16_BE, "UTF-16BE"), (codecs.BOM_UTF16_LE, "UTF-16LE"))
PRESCAN_BYTES = 1024  # HTML §13.2.3.1 step 4: the prescan looks at the first 1024 bytes
_DETECT_BYTES = 65536
# HTML §13.2.3.1 step 8 (detection) answers with an encoding a page could be read as: UTF-16 is only ever
# found by its BOM (or a header), and replacement / x-user-defined are labels, never content.
_NEVER_DETECTED = frozenset({"UTF-16BE", "UTF-16LE", "replacement", "x-user-defined"})
# XML 1.0 §4.3.3: the encoding declaration of an XML (XHTML) document, in its first line.
_XML_DECL_RE = re.compile(rb"""^<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:\-]+)["']""")


def lookup(label: str) -> str | None:
    """WHATWG Encoding §4.2 *get an encoding*: a label → the standard's name (``"sjis"`` → ``"Shift_JIS"``).

    Returns:
        The encoding's name as the standard spells it, or ``None`` for a label the standard does not know.
    """
    enc = webencodings.lookup(label)
    return _SPELLING[enc.name] if enc is not None else None


def for_meta(name: str) -> str:
    """HTML §13.2.3.2 step "processing" / §13.2.3.4: UTF-16 declared inside a document means UTF-8,
    x-user-defined means windows-1252."""
    if name in ("UTF-16BE", "UTF-16LE"):
        return "UTF-8"
    return "windows-1252" if name == "x-user-defined" else name


def decode(data: bytes, name: str) -> str:
    """Decode ``data`` (BOM already removed) with the standard's decoder for ``name``; errors become U+FFFD.

    Raises:
        KeyError: ``name`` is not one of :data:`STANDARD_NAMES`.
    """
    if name == "replacement":  # WHATWG Encoding §14.2: one U+FFFD, then end of stream
        return "\ufffd" if data else ""
    if name == "x-user-defined":  # §14.5: 0x80-0xFF → U+F780-U+F7FF
        return webencodings.lookup("x-user-defined").codec_info.decode(data)[0]
    if name not in _SPELLING.values():
        raise KeyError(name)
    codec = _DECODER.get(name) or webencodings.lookup(name).codec_info.name
    if codec == "gb18030":
        text = data.decode(codec, errors=_GB18030_ERRORS)
        return text.translate(_GB18030_FIX) if _GB18030_FIX_RE.search(text) else text
    if name == "Big5":
        return _big5(data)
    if name == "EUC-JP":
        text = data.decode(codec, errors=_EUC_JP_ERRORS)
        return text.translate(_EUC_JP_FIX) if any(chr(c) in text for c in _EUC_JP_FIX) else text
    if name.startswith("windows-"):
        return data.decode(codec, errors="fetchlens-cp1255" if name == "windows-1255" else _C1_ERRORS)
    text = data.decode(codec, errors="replace")
    # WHATWG index-koi8-u is KOI8-RU: 0xAE is ў and 0xBE is Ў (Python's koi8_u has box drawings there).
    return text.translate(_KOI8_RU) if name == "KOI8-U" else text


def _gb18030_errors(exc: UnicodeError) -> tuple[str, int]:
    """WHATWG Encoding §11.2.1 gb18030 decoder, step 3: a lone byte 0x80 is U+20AC (Python's codec refuses it)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    if exc.object[exc.start : exc.start + 1] == b"\x80":
        return "\u20ac", exc.start + 1
    return "\ufffd", exc.end


# WHATWG index-gb18030 where Python's gb18030 (the 2000 edition) differs: 0xA3A0 is U+3000 (§11.1 note, for
# deployed content); GB18030-2005 swapped 0xA8BC (U+1E3F) and 0x8135F437 (U+E7C7, §11.1 index gb18030 ranges
# code point, pointer 7457); GB18030-2022 moved 18 two-byte characters out of the Private Use Area
# (whatwg/encoding#336). Each code point on the left comes out of Python's codec for one byte sequence only.
_GB18030_FIX = {
    0xE5E5: 0x3000, 0xE7C7: 0x1E3F, 0x1E3F: 0xE7C7,
    0xE78D: 0xFE10, 0xE78E: 0xFE12, 0xE78F: 0xFE11, 0xE790: 0xFE13, 0xE791: 0xFE14, 0xE792: 0xFE15,
    0xE793: 0xFE16, 0xE794: 0xFE17, 0xE795: 0xFE18, 0xE796: 0xFE19,
    0xE81E: 0x9FB4, 0xE826: 0x9FB5, 0xE82B: 0x9FB6, 0xE82C: 0x9FB7, 0xE832: 0x9FB8, 0xE843: 0x9FB9,
    0xE854: 0x9FBA, 0xE864: 0x9FBB,
}
_GB18030_FIX_RE = re.compile("[" + "".join(map(chr, _GB18030_FIX)) + "]")
_GB18030_ERRORS = "fetchlens-gb18030"
codecs.register_error(_GB18030_ERRORS, _gb18030_errors)


def _c1_errors(exc: UnicodeError) -> tuple[str, int]:
    """WHATWG index-windows-874 / -125x: a byte 0x80-0x9F the code page leaves undefined is the C1 control
    U+0080-U+009F of the same value (0x81 → U+0081), where Python's codecs fail."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    byte = exc.object[exc.start]
    return (chr(byte) if 0x80 <= byte <= 0x9F else "\ufffd"), exc.start + 1


def _cp1255_errors(exc: UnicodeError) -> tuple[str, int]:
    """index-windows-1255 pointer 74: 0xCA is U+05BA HEBREW POINT HOLAM HASER FOR VAV (a hole in cp1255)."""
    if isinstance(exc, UnicodeDecodeError) and exc.object[exc.start] == 0xCA:
        return "\u05ba", exc.start + 1
    return _c1_errors(exc)


def _jis0208_via_cp932(lead: int, trail: int) -> str | None:
    """WHATWG Encoding §13.1.1 EUC-JP decoder: a JIS X 0208 pair (lead and trail 0xA1-0xFE) is index-jis0208's
    code point for pointer ``(lead - 0xA1) × 94 + trail - 0xA1``. index-jis0208 is the table the Shift_JIS
    decoder reads too, which is windows-31j (cp932): the pointer's Shift_JIS bytes decoded by cp932 give it.
    ``None`` where the index has no code point."""
    if not (0xA1 <= lead <= 0xFE and 0xA1 <= trail <= 0xFE):
        return None
    pointer = (lead - 0xA1) * 94 + trail - 0xA1
    if pointer >= 8836:  # §13.3.1: 8836-10715 are Shift_JIS's user-defined area, not in EUC-JP's reach
        return None
    row, cell = divmod(pointer, 188)
    sjis = bytes((row + (0x81 if row < 0x1F else 0xC1), cell + (0x40 if cell < 0x3F else 0x41)))
    try:
        return sjis.decode("cp932")
    except UnicodeDecodeError:
        return None


def _euc_jp_errors(exc: UnicodeError) -> tuple[str, int]:
    """WHATWG Encoding §13.1: EUC-JP reads JIS X 0208 by index-jis0208, which has the NEC row 13 (0xADA1 → ①)
    and the NEC-selected IBM extensions (0xF9A1 → 纊, rows 89-92) that Python's euc_jp lacks."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    pair = exc.object[exc.start : exc.start + 2]
    if len(pair) == 2:
        char = _jis0208_via_cp932(pair[0], pair[1])
        if char is not None:
            return char, exc.start + 2
    return "\ufffd", exc.end


# Where Python's euc_jp (JIS0208.TXT) and index-jis0208 give different code points for the same JIS X 0208
# pair (0xA1C1 〜 → ～, 0xA1C2 ‖ → ∥, 0xA1DD − → －, 0xA1F1 ¢ → ￠, 0xA1F2 £ → ￡, 0xA2CC ¬ → ￢). None of the
# six is a JIS X 0212 (0x8F …) character in Python's codec, so mapping them after decoding is exact.
_EUC_JP_FIX = {ord(a): b for a, b in zip("\u301c\u2016\u2212\u00a2\u00a3\u00ac", "～∥－￠￡￢", strict=True)}


# WHATWG index-big5 where Python's big5hkscs differs: its A1/A2 rows follow Big5-2003 where the index follows
# windows-950 (‧ ﹑ ¯ ～ ⊕ ⊙ ∕ ﹨ ￥ ￠ ￡), and it lacks the euro sign at A3E1. The first nine come out of
# big5hkscs as characters no other byte pair gives, so they are replaced after decoding; A241 and A242 give
# the same characters as A1FE and A240, so a body holding them is split on Big5's pair boundaries first.
_BIG5_AFTER = {a: b for a, b in zip("•､‾∼♁☉¥¢£", "‧﹑¯～⊕⊙￥￠￡", strict=True)}
_BIG5_PAIRS = {b"\xa2\x41": "∕", b"\xa2\x42": "﹨"}
# A run of Big5 characters other than those two pairs (ASCII, or a lead byte and a trail byte), one of the two,
# or a lone lead byte whose next byte is no trail byte (an error, §12.1.1).
_BIG5_SPLIT = re.compile(
    rb"((?:(?!\xa2[\x41\x42])(?:[\x00-\x80\xff]|[\x81-\xfe][\x40-\x7e\xa1-\xfe]))+)|(\xa2[\x41\x42])|(.)", re.S
)


def _big5_errors(exc: UnicodeError) -> tuple[str, int]:
    """index-big5 pointer 5465 (A3E1) is U+20AC, which big5hkscs does not decode."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    if exc.object[exc.start : exc.start + 2] == b"\xa3\xe1":
        return "\u20ac", exc.start + 2
    return "\ufffd", exc.end


_BIG5_ERRORS = "fetchlens-big5"
codecs.register_error(_BIG5_ERRORS, _big5_errors)


def _big5(data: bytes) -> str:
    """WHATWG Encoding §12.1.1 Big5 decoder: big5hkscs with index-big5's code points where they differ."""
    if b"\xa2\x41" in data or b"\xa2\x42" in data:
        out: list[str] = []
        for run, pair, _lone in _BIG5_SPLIT.findall(data):
            out.append(_big5_plain(run) if run else _BIG5_PAIRS[pair] if pair else "\ufffd")
        return "".join(out)
    return _big5_plain(data)


def _big5_plain(data: bytes) -> str:
    text = data.decode("big5hkscs", errors=_BIG5_ERRORS)
    if not text.isascii():
        for old, new in _BIG5_AFTER.items():
            if old in text:
                text = text.replace(old, new)
    return text


_EUC_JP_ERRORS = "fetchlens-euc-jp"
codecs.register_error(_EUC_JP_ERRORS, _euc_jp_errors)
_C1_ERRORS = "fetchlens-c1"
codecs.register_error(_C1_ERRORS, _c1_errors)
codecs.register_error("fetchlens-cp1255", _cp1255_errors)
_KOI8_RU = str.maketrans({"\u255d": "\u045e", "\u256c": "\u040e"})


def bom(data: bytes) -> tuple[str, int] | None:
    """WHATWG Encoding §6 *BOM sniff*: ``(name, BOM length)`` or ``None``. A UTF-32 BOM reads as UTF-16LE."""
    for mark, name in _BOMS:
        if data.startswith(mark):
            return name, len(mark)
    return None


def from_meta_content(content: str) -> str | None:
    """HTML §2.6.4 *extracting a character encoding from a meta element*'s ``content`` attribute.

    ``"text/html; charset='utf-8'"`` → ``"UTF-8"``; ``None`` when there is none or its label is unknown.
    """
    lower = content.lower()
    pos = 0
    while True:
        pos = lower.find("charset", pos)
        if pos < 0:
            return None
        pos += 7
        while pos < len(lower) and lower[pos] in "\t\n\x0c\r ":
            pos += 1
        if pos >= len(lower) or lower[pos] != "=":
            continue
        pos += 1
        while pos < len(lower) and lower[pos] in "\t\n\x0c\r ":
            pos += 1
        if pos >= len(content):
            return None
        ch = content[pos]
        if ch in "\"'":
            end = content.find(ch, pos + 1)
            return lookup(content[pos + 1 : end]) if end >= 0 else None
        end = pos
        while end < len(content) and content[end] not in "\t\n\x0c\r ;":
            end += 1
        return lookup(content[pos:end])


class _End(Exception):
    """The prescan ran out of bytes."""


def _attribute(data: bytes, pos: int) -> tuple[tuple[bytes, bytes] | None, int]:
    """HTML §13.2.3.2 *get an attribute*: ``((name, value) or None, new position)``; names and values
    are lower-cased. Raises :class:`_End` at the end of the bytes."""
    n = len(data)

    def at(i: int) -> int:
        if i >= n:
            raise _End
        return data[i]

    while at(pos) in b"\t\n\x0c\r /":
        pos += 1
    if at(pos) == 0x3E:  # '>'
        return None, pos
    name = bytearray()
    value = bytearray()
    while True:  # attribute name
        b = at(pos)
        if b == 0x3D and name:  # '='
            pos += 1
            break
        if b in _ASCII_WS:
            while at(pos) in _ASCII_WS:
                pos += 1
            if at(pos) != 0x3D:
                return (bytes(name), b""), pos
            pos += 1
            break
        if b in b"/>":
            return (bytes(name), b""), pos
        name.append(b + 0x20 if 0x41 <= b <= 0x5A else b)
        pos += 1
    while at(pos) in _ASCII_WS:
        pos += 1
    b = at(pos)
    if b in b"\"'":  # quoted value
        quote = b
        while True:
            pos += 1
            c = at(pos)
            if c == quote:
                return (bytes(name), bytes(value)), pos + 1
            value.append(c + 0x20 if 0x41 <= c <= 0x5A else c)
    if b == 0x3E:
        return (bytes(name), b""), pos
    while True:  # unquoted value
        c = at(pos)
        if c in _ASCII_WS or c == 0x3E:
            return (bytes(name), bytes(value)), pos
        value.append(c + 0x20 if 0x41 <= c <= 0x5A else c)
        pos += 1


def _meta(data: bytes, pos: int) -> tuple[str | None, int]:
    """The ``<meta`` branch of the prescan: the declared encoding (or ``None``) and where to go on."""
    seen: set[bytes] = set()
    got_pragma = False
    need_pragma: bool | None = None
    charset: str | None = None
    while True:
        attr, pos = _attribute(data, pos)
        if attr is None:
            break
        name, value = attr
        if name in seen:
            continue
        seen.add(name)
        if name == b"http-equiv":
            got_pragma = got_pragma or value == b"content-type"
        elif name == b"content" and charset is None:
            found = from_meta_content(value.decode("latin-1"))
            if found is not None:
                charset, need_pragma = found, True
        elif name == b"charset":
            charset, need_pragma = lookup(value.decode("latin-1")), False
    if need_pragma is None or (need_pragma and not got_pragma) or charset is None:
        return None, pos
    return for_meta(charset), pos


def prescan(data: bytes) -> tuple[str, int] | None:
    """HTML §13.2.3.2 *prescan a byte stream to determine its encoding*, over the first 1024 bytes.

    Comments are skipped, other tags' attributes are parsed (so a ``charset=`` inside another tag's
    attribute value is not a declaration), ``<meta charset>`` and ``<meta http-equiv=content-type
    content=...>`` are read.

    Returns:
        ``(standard name, offset of the <meta> that declared it)``, or ``None``.
    """
    data = data[:PRESCAN_BYTES]
    n = len(data)
    pos = 0
    lower = data.lower()
    try:
        while pos < n:
            if lower.startswith(b"<!--", pos):
                end = data.find(b"-->", pos + 2)
                if end < 0:
                    return None
                pos = end + 3
                continue
            if lower.startswith(b"<meta", pos) and pos + 5 < n and data[pos + 5] in b"\t\n\x0c\r /":
                start = pos
                name, pos = _meta(data, pos + 6)
                if name is not None:
                    return name, start
            elif data[pos] == 0x3C and (
                (pos + 1 < n and chr(data[pos + 1]).isascii() and chr(data[pos + 1]).isalpha())
                or (data[pos + 1 : pos + 2] == b"/" and pos + 2 < n and chr(data[pos + 2]).isascii()
                    and chr(data[pos + 2]).isalpha())
            ):
                while pos < n and data[pos] not in b"\t\n\x0c\r >":
                    pos += 1
                while True:
                    attr, pos = _attribute(data, pos)
                    if attr is None:
                        break
            elif lower.startswith((b"<!", b"</", b"<?"), pos):
                end = data.find(b">", pos + 2)
                if end < 0:
                    return None
                pos = end
            pos += 1
            if pos < n and data[pos] != 0x3C:  # any other byte: on to the next "<" (every branch starts there)
                pos = data.find(b"<", pos)
                if pos < 0:
                    return None
    except _End:
        return None
    return None


@dataclass(frozen=True, slots=True)
class Sniffed:
    """The outcome of sniffing one body.

    Attributes:
        name: the encoding's standard name (``"Shift_JIS"``).
        source: what decided it: ``bom``, ``header``, ``xml`` (an XHTML document's declaration),
            ``meta`` (the prescan), ``detected`` or ``default``. Only the last two are *tentative*
            (HTML §13.2.3.1): a declaration the parser meets later may change them.
        skip: bytes of BOM to drop before decoding.
        header: the standard name of the header's charset, or ``""`` (none or an unknown label).
        declared: what the prescan found in the document, or ``""``.
    """

    name: str
    source: str
    skip: int = 0
    header: str = ""
    declared: str = ""

    @property
    def tentative(self) -> bool:
        return self.source in ("detected", "default")


def detect(data: bytes) -> tuple[str, str]:
    """Guess an undeclared page's encoding: ``(name, "default" | "detected")``.

    ASCII-only bytes get the standard's default for an unknown locale, windows-1252 (HTML §13.2.3.1
    step 9); valid UTF-8 is UTF-8; anything else is charset-normalizer's best guess, mapped to the
    standard's name, and windows-1252 when it has none or guesses UTF-16 (never a detector's answer).
    """
    sample = data[:_DETECT_BYTES]
    if sample.isascii():
        return "windows-1252", "default"
    try:
        sample.decode("utf-8")
        return "UTF-8", "detected"
    except UnicodeDecodeError as exc:
        if exc.start > len(sample) - 4 and len(data) > len(sample):  # a character cut at the sample's end
            return "UTF-8", "detected"
    from charset_normalizer import from_bytes  # imported lazily: only undeclared non-UTF-8 pages need it

    best = from_bytes(sample).best()
    name = _from_python_codec(best.encoding) if best is not None else None
    if name in _NEVER_DETECTED:  # a guess of UTF-16 for bytes with no BOM: browsers' detectors never say so
        name = None
    return (name or "windows-1252"), "detected"


def _from_python_codec(codec: str) -> str | None:
    """A Python codec name (what charset-normalizer reports) → the standard's encoding that reads it."""
    try:
        canonical = codecs.lookup(codec).name
    except LookupError:
        return None
    for name in STANDARD_NAMES:
        python = _DECODER.get(name)
        if python is None:
            enc = webencodings.lookup(name)
            python = enc.codec_info.name if enc is not None and name not in ("replacement", "x-user-defined") else ""
        if python and codecs.lookup(python).name == canonical:
            return name
    # Python's narrower codecs whose standard counterpart decodes a superset of them.
    return lookup(canonical.replace("_", "-")) or lookup(codec)


def _xml_declaration(data: bytes) -> str | None:
    m = _XML_DECL_RE.match(data[:200])
    return lookup(m.group(1).decode("ascii")) if m else None


def sniff(data: bytes, header_charset: str = "", xml: bool = False) -> Sniffed:
    """HTML §13.2.3.1 *encoding sniffing*: BOM, the header's charset, the prescan, then detection.

    Args:
        data: the body (after content codings).
        header_charset: the ``charset`` parameter of ``Content-Type`` (any label, ``""`` when absent).
        xml: the page is served as XHTML (``application/xhtml+xml``): after the header, the XML
            declaration's ``encoding`` decides, and UTF-8 is the default (XML 1.0 §4.3.3, Appendix F).
    """
    header = lookup(header_charset) if header_charset else None
    found = prescan(data)
    declared = found[0] if found else ""
    marked = bom(data)
    if marked is not None:
        return Sniffed(marked[0], "bom", marked[1], header or "", declared)
    if header is not None:
        return Sniffed(header, "header", 0, header, declared)
    if xml:
        return Sniffed(_xml_declaration(data) or "UTF-8", "xml", 0, "", declared)
    if found is not None:
        return Sniffed(declared, "meta", 0, "", declared)
    name, source = detect(data)
    return Sniffed(name, source, 0, "", "")
