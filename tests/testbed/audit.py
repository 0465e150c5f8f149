"""Test-bed routes for the list-mode audit: sitemaps and pages for every indexability reason.

Routes:

* ``/sitemap.xml``: a urlset of the audit pages with ``<lastmod>``.
* ``/sitemap_index.xml``: an index of two gzipped children, ``/sitemaps/a.xml.gz`` (served as
  ``application/gzip``, no Content-Encoding) and ``/sitemaps/b.xml.gz`` (the same gzip bytes as
  ``Content-Encoding: gzip``), which list :data:`AUDIT_PAGES` between them, in that order.
* ``/sitemaps/malformed.xml``; ``/sitemaps/bomb.xml`` (billion laughs); ``/sitemaps/many.xml``
  (50,001 URLs); ``/sitemaps/huge.xml.gz`` (gzip of more than 50 MB).
* ``/audit/{name}``: the pages of :data:`EXPECTED` (the reason each should get).
"""

from __future__ import annotations

import functools
import gzip
import logging

from aiohttp import web

log = logging.getLogger(__name__)

HTML = "text/html; charset=utf-8"
XML = "application/xml"
LASTMOD = "2026-01-02"

# name -> the indexability reason expected ("" = indexable).
EXPECTED: dict[str, str] = {
    "ok": "",
    "self-canonical": "",
    "other-bot": "",
    "meta-noindex": "noindex",
    "meta-none": "noindex",
    "header-noindex": "noindex",
    "bot-header": "noindex",
    "bot-meta": "noindex",
    "canonicalised": "canonicalised",
    "redirect": "redirected",
    "missing": "non_200:404",
    "dup-a": "",
    "dup-b": "",
}
AUDIT_PAGES = tuple(EXPECTED)
HREFLANG = (("en", "/audit/ok"), ("de", "/audit/ok?lang=de"), ("x-default", "/audit/ok"))
VISIBLE = "Alpha beta gamma delta. Epsilon zeta eta theta iota kappa."


def _page(name: str, head: str = "", body: str = "") -> bytes:
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Audit {name}</title>"
            f"{head}</head>\n<body>{body or '<p>' + name + ' page text here</p>'}</body></html>\n").encode()


def page_for(name: str) -> tuple[int, dict[str, str], bytes]:
    """``(status, extra headers, body)`` of ``/audit/{name}``."""
    headers: dict[str, str] = {"Last-Modified": "Fri, 02 Jan 2026 10:00:00 GMT", "ETag": f'"{name}-1"',
                               "Cache-Control": "max-age=60"}
    match name:
        case "ok":
            links = "".join(f'<link rel="alternate" hreflang="{lang}" href="{href}">' for lang, href in HREFLANG)
            body = (f"<h1>OK</h1><script>var hidden = 'not words';</script><style>p {{ color: red }}</style>"
                    f"<template><p>tmpl words</p></template><noscript>no script words</noscript><p>{VISIBLE}</p>")
            return 200, headers, _page(name, links, body)
        case "self-canonical":
            return 200, headers, _page(name, '<link rel="canonical" href="HTTP://127.0.0.1:{port}/audit/self-canonical#top">')
        case "other-bot":
            return 200, {**headers, "X-Robots-Tag": "otherbot: noindex"}, _page(name)
        case "meta-noindex":
            return 200, headers, _page(name, '<meta name="robots" content="NoIndex, follow">')
        case "meta-none":
            return 200, headers, _page(name, '<meta name="robots" content="none">')
        case "header-noindex":
            return 200, {**headers, "X-Robots-Tag": "noindex"}, _page(name)
        case "bot-header":
            return 200, {**headers, "X-Robots-Tag": "googlebot: noindex, nofollow"}, _page(name)
        case "bot-meta":
            return 200, headers, _page(name, '<meta name="googlebot" content="noindex">')
        case "canonicalised":
            return 200, headers, _page(name, '<link rel="canonical" href="/audit/ok">')
        case "dup-a":
            return 200, headers, _page(name, body="<p>Same words on\ntwo pages.</p>")
        case "dup-b":
            return 200, headers, _page(name, body="\n  <p>Same   words on two\t\tpages.</p>  \n")
    return 404, {}, _page("missing")


async def audit_page(request: web.Request) -> web.Response:
    """``/audit/{name}``."""
    name = request.match_info["name"]
    if name == "redirect":
        raise web.HTTPMovedPermanently("/audit/ok")
    status, headers, body = page_for(name)
    body = body.replace(b"{port}", str(request.url.port).encode())
    response = web.Response(body=body, status=status, headers={"Content-Type": HTML, **headers})
    if name == "ok":  # a repeated field, with a value that must not reach any file
        response.headers.add("Set-Cookie", "sid=secret-session-token; Path=/; HttpOnly")
        response.headers.add("Set-Cookie", "theme=dark")
    return response


def urlset(base: str, names: tuple[str, ...]) -> bytes:
    """A sitemap urlset of ``/audit/{name}`` pages with ``<lastmod>``."""
    items = "".join(f"<url><loc>{base}/audit/{n}</loc><lastmod>{LASTMOD}</lastmod></url>\n" for n in names)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{items}</urlset>\n").encode()


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&lol9;</loc></url></urlset>
"""
MALFORMED = b'<?xml version="1.0"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>x</url>'
SPLIT = 7  # the first SPLIT audit pages are in a.xml.gz, the rest in b.xml.gz


@functools.cache
def _many(base: str) -> bytes:
    return urlset(base, tuple(f"p{i}" for i in range(50_001)))


@functools.cache
def _huge() -> bytes:
    pad = b" " * (1024 * 1024)
    body = b'<?xml version="1.0"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' + pad * 51
    return gzip.compress(body + b"</urlset>", compresslevel=9, mtime=0)


async def sitemap(request: web.Request) -> web.Response:
    """Every sitemap route (see the module docstring)."""
    base = f"{request.url.scheme}://{request.host}"
    path = request.path
    if path == "/sitemap.xml":
        return web.Response(body=urlset(base, AUDIT_PAGES), content_type=XML)
    if path == "/sitemap_index.xml":
        kids = "".join(f"<sitemap><loc>{base}/sitemaps/{k}.xml.gz</loc><lastmod>{LASTMOD}</lastmod></sitemap>"
                       for k in ("a", "b"))
        body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex '
                f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{kids}</sitemapindex>\n').encode()
        return web.Response(body=body, content_type=XML)
    if path in ("/sitemaps/a.xml.gz", "/sitemaps/b.xml.gz"):
        names = AUDIT_PAGES[:SPLIT] if path.endswith("a.xml.gz") else AUDIT_PAGES[SPLIT:]
        data = gzip.compress(urlset(base, names), mtime=0)
        if path.endswith("b.xml.gz"):  # the same bytes as a transfer coding this time
            return web.Response(body=data, headers={"Content-Type": XML, "Content-Encoding": "gzip"})
        return web.Response(body=data, content_type="application/gzip")
    if path == "/sitemaps/malformed.xml":
        return web.Response(body=MALFORMED, content_type=XML)
    if path == "/sitemaps/bomb.xml":
        return web.Response(body=BOMB, content_type=XML)
    if path == "/sitemaps/many.xml":
        return web.Response(body=_many(base), content_type=XML)
    if path == "/sitemaps/huge.xml.gz":
        return web.Response(body=_huge(), content_type="application/gzip")
    raise web.HTTPNotFound()


def add_routes(app: web.Application) -> None:
    """Register the audit routes on the test-bed app."""
    for path in ("/sitemap.xml", "/sitemap_index.xml", "/sitemaps/{name}"):
        app.router.add_get(path, sitemap)
    app.router.add_get("/audit/{name}", audit_page)
