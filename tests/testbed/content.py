"""Deterministic page bodies served by the test bed (pure functions, no I/O).

Everything here is reproducible byte for byte: the same arguments always give the same
bytes, in every process, whatever ``PYTHONHASHSEED`` is. The benchmarks import
:func:`render_page` directly to parse pages without a server.
"""

from __future__ import annotations

import functools
import hashlib
import html
import logging
import random
import re
import struct
import zlib

log = logging.getLogger(__name__)

__all__ = [
    "BAD_GZIP_BODY",
    "INVALID_BYTES_BODY",
    "MESSY_EXPECTED",
    "MESSY_HTML",
    "NO_HEAD_EXPECTED",
    "NO_HEAD_HTML",
    "PNG_1X1",
    "binary_bytes",
    "build_bomb",
    "cached_page",
    "page_delay",
    "render_page",
    "status_page",
]

_WORD_TEXT = (
    "network latency request response header socket buffer thread coroutine event loop "
    "queue worker batch crawler parser title anchor table column server client timeout "
    "retry redirect charset encoding stream chunk gzip deflate cache proxy domain host port "
    "index archive journal summary measure profile window widget signal slot model view "
    "the a of and to in for with on at by from quickly slowly every each some many few"
)
_WORDS = _WORD_TEXT.split()

_PAGE_CACHE_LIMIT = 256 * 1024


def _sentence(rng: random.Random, n_words: int) -> str:
    words = [rng.choice(_WORDS) for _ in range(n_words)]
    return " ".join(words).capitalize() + "."


def _paragraph_text(rng: random.Random) -> str:
    return " ".join(_sentence(rng, rng.randint(6, 14)) for _ in range(rng.randint(3, 6)))


def _anchor(page_id: str, index: int) -> str:
    href = html.escape(f"/page/{page_id}-{index}", quote=True)
    return f'<a href="{href}">Link {index}</a>'


def page_delay(page_id: str, latency_ms: float, jitter_ms: float) -> float:
    """Server-side delay for one page, in seconds.

    Args:
        page_id: Seeds the jitter so that a page always gets the same delay.
        latency_ms: Base latency in milliseconds.
        jitter_ms: Half-width of the uniform jitter in milliseconds (``latency ± jitter``).

    Returns:
        The delay in seconds, never negative.
    """
    offset = random.Random(f"jitter:{page_id}").uniform(-jitter_ms, jitter_ms) if jitter_ms > 0 else 0.0
    return max(0.0, latency_ms + offset) / 1000.0


def render_page(page_id: str, size: int, links: int, title: str) -> bytes:
    """Render a realistic, deterministic UTF-8 HTML page.

    The page has a doctype, ``<html lang="en">``, a head with charset, title, meta
    description (``Description of page {id}``) and canonical link (``/page/{id}``), a body
    with ``<h1>Heading {id}</h1>``, paragraphs, a table and ``links`` anchors spread over a
    nav bar, the paragraphs and a footer (hrefs ``/page/{id}-{k}``).

    Args:
        page_id: The page's identifier, used in the text and to seed the filler.
        size: Target size in bytes. The result is exactly this long unless the skeleton
            (head, heading, table and anchors) alone is longer, in which case it is the
            skeleton.
        links: Number of ``<a href>`` elements.
        title: Text of ``<title>`` (escaped here).

    Returns:
        The encoded page.
    """
    rng = random.Random(f"page:{page_id}")
    pid = html.escape(page_id, quote=True)
    anchors = [_anchor(page_id, k) for k in range(links)]
    n_nav = links // 4
    n_footer = links // 4
    nav, body_links, footer = anchors[:n_nav], anchors[n_nav : links - n_footer], anchors[links - n_footer :]

    head = (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title, quote=False)}</title>\n"
        f'<meta name="description" content="Description of page {pid}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<link rel="canonical" href="/page/{pid}">\n'
        "</head>\n<body>\n<header>\n"
        f"<h1>Heading {pid}</h1>\n"
        f"<nav>{' | '.join(nav)}</nav>\n</header>\n<main>\n"
    )
    parts: list[str] = []
    for start in range(0, len(body_links), 4):
        group = " ".join(body_links[start : start + 4])
        parts.append(f"<p>{_sentence(rng, 8)} {group} {_sentence(rng, 6)}</p>\n")
    table_rows = "".join(
        f"<tr><td>{row}</td><td>item {rng.randint(100, 999)}</td><td>{rng.randint(1, 9999)} ms</td></tr>\n"
        for row in range(1, 4)
    )
    table = f"<table>\n<tr><th>#</th><th>Item</th><th>Time</th></tr>\n{table_rows}</table>\n"
    parts.insert(len(parts) // 2, table)
    tail = f"</main>\n<footer>{' | '.join(footer)}</footer>\n</body>\n</html>\n"

    skeleton = head + "".join(parts)
    used = len(skeleton.encode()) + len(tail.encode())
    remaining = size - used
    filler: list[str] = []
    if remaining > 0:
        pool = [f"<p>{_paragraph_text(rng)}</p>\n" for _ in range(16)]
        index = 0
        while remaining >= len(pool[index % 16]) + 8:
            filler.append(pool[index % 16])
            remaining -= len(pool[index % 16])
            index += 1
        if remaining >= 8:
            text = (pool[index % 16][3:] * 2)[: remaining - 8]
            filler.append(f"<p>{text}</p>\n")
        else:
            filler.append("\n" * remaining)
    return (skeleton + "".join(filler) + tail).encode()


@functools.lru_cache(maxsize=4096)
def _cached(page_id: str, size: int, links: int, title: str, gzipped: bool) -> bytes:
    body = render_page(page_id, size, links, title)
    return zlib_gzip(body) if gzipped else body


def cached_page(page_id: str, size: int, links: int, title: str, gzipped: bool = False) -> bytes:
    """Like :func:`render_page`, memoised for small pages, optionally gzip-compressed."""
    if size <= _PAGE_CACHE_LIMIT:
        return _cached(page_id, size, links, title, gzipped)
    body = render_page(page_id, size, links, title)
    return zlib_gzip(body) if gzipped else body


def zlib_gzip(data: bytes) -> bytes:
    """Gzip ``data`` deterministically (no timestamp, no file name)."""
    comp = zlib.compressobj(6, zlib.DEFLATED, 31)
    return comp.compress(data) + comp.flush()


def status_page(code: int) -> bytes:
    """A small HTML page titled ``Status {code}``."""
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Status {code}</title>\n'
        f"</head>\n<body>\n<h1>Status {code}</h1>\n<p>The test bed answered {code}.</p>\n</body>\n</html>\n"
    ).encode()


def build_bomb(mebibytes: int) -> bytes:
    """Gzip of a small HTML prefix followed by ``mebibytes`` MiB of zero bytes.

    About 1 MB on the wire per GiB decompressed (level 9); 1 GiB takes ~3 s of CPU, so the
    server builds it lazily, once, in a thread.
    """
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    out = [comp.compress(b"<!DOCTYPE html>\n<html><head><title>Bomb</title></head><body>\n")]
    zeros = bytes(1 << 20)
    out.extend(comp.compress(zeros) for _ in range(mebibytes))
    out.append(comp.flush())
    data = b"".join(out)
    log.info("built a %d MiB gzip bomb: %d bytes compressed", mebibytes, len(data))
    return data


@functools.lru_cache(maxsize=16)
def binary_bytes(size: int) -> bytes:
    """Random-looking but deterministic bytes (SHA-256 in counter mode)."""
    blocks = (hashlib.sha256(struct.pack(">Q", i)).digest() for i in range(size // 32 + 1))
    return b"".join(blocks)[:size]


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


PNG_1X1: bytes = (
    b"\x89PNG\r\n\x1a\n"
    + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0))
    + _png_chunk(b"IDAT", zlib.compress(b"\x00\xff\x80\x00\xff"))
    + _png_chunk(b"IEND", b"")
)
"""A valid 1×1 RGBA PNG (orange pixel)."""

BAD_GZIP_BODY = b"<!DOCTYPE html><html><head><title>Not gzip</title></head><body>plain bytes</body></html>\n"
"""Served with ``Content-Encoding: gzip`` although it is not gzip."""

INVALID_BYTES_BODY = (
    b'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
    b"<title>Broken \xff\xfe bytes \xc3\x28 here</title>\n</head>\n"
    b"<body>\n<h1>Invalid UTF-8</h1>\n<p>Caf\xe9 au lait.</p>\n</body>\n</html>\n"
)
"""Declared UTF-8, with invalid sequences in the title (``0xff 0xfe`` and ``0xc3 0x28``)."""

NO_HEAD_HTML = b"""<!DOCTYPE html>
<html>
<body>
<title>No Head Here</title>
<h1>Body Only</h1>
<p>This page has no head element; its title sits in the body.
<a href="/page/1">one</a> and <a href="/page/2">two</a>.</p>
</body>
</html>
"""

NO_HEAD_EXPECTED: dict[str, str | int] = {
    "title": "No Head Here",
    "meta_description": "",
    "h1": "Body Only",
    "canonical": "",
    "links": 2,
}
"""What a correct extractor finds in :data:`NO_HEAD_HTML`."""

MESSY_HTML = b"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<HTML>
<HEAD>
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=utf-8">
<TITLE>
    Messy   &amp; Caf&eacute;
        Page
</TITLE>
<title>Second title (must be ignored)</title>
<META NAME="Description" CONTENT="A  messy page &amp; its d&eacute;tails">
<link rel="canonical" href="messy-canonical">
<script type="text/javascript">
  var html = "<a href='x'>not a link</a>";
  document.write("<h1>not a heading</h1>");
</script>
<style>a { color: red; } /* <a href="y">not a link either</a> */</style>
</HEAD>
<BODY BGCOLOR=white>
<!-- <h1>Commented heading</h1> <a href="/commented">commented link</a> -->
<H1 class=main>Main <span>Messy</span> Heading</H1>
<div id=nav>
<UL>
<LI><A HREF="/page/1">One</A>
<LI><a href='/page/2'>Two</a>
<LI><a href=/page/3>Three
</UL>
<p>Unclosed paragraph with <b>bold <i>and italic</b> text
<p>Another one &mdash; with &lt;escaped&gt; markup and a <a href="http://example.invalid/x?a=1&amp;b=2">query link</a>
<table><tr><td>cell 1<td>cell 2<tr><td><a href="#frag">fragment</a></table>
<h1>Second heading (must be ignored)</h1>
<img src=pic.png alt="picture">
<br>
<a name="anchor-without-href">not a link: no href</a>
<a href="mailto:someone@example.invalid">mail</a>
<A HREF="  /page/4  ">Padded</A>
</div>
"""

MESSY_EXPECTED: dict[str, str | int] = {
    "title": "Messy & Café Page",
    "meta_description": "A messy page & its détails",
    "h1": "Main Messy Heading",
    "canonical": "messy-canonical",
    "canonical_resolved": "/messy-canonical",
    "links": 7,
    "h1_count": 2,
}
"""What a correct extractor finds in :data:`MESSY_HTML` (whitespace collapsed, entities decoded).

``links`` counts ``<a>`` elements that have an ``href`` (mailto: and #fragment included; the
one without href, the one in ``<script>``, in ``<style>`` and in the comment are not links).
``h1_count`` counts real ``<h1>`` elements (not the commented or scripted ones).
"""

_WS = re.compile(r"\s+")


def collapse(text: str) -> str:
    """Collapse runs of whitespace to one space and strip (how expectations are written)."""
    return _WS.sub(" ", text).strip()
