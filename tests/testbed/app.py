"""The aiohttp application behind the test bed: every behaviour the fetchers must survive.

Routes (latency and intervals in milliseconds):

* ``/page/{id}`` ``?size=2000&latency=0&jitter=0&links=20&title=Page {id}&status=200&gzip=0&ctype=``
* ``/status/{code}``; ``/redirect/{n}`` (``?code=302``); ``/redirect-loop``; ``/redirect-to?url=``
* ``/retry?key=&times=1&status=503&after=0``; ``/count?key=``
* ``/drip?chunks=10&interval=100``; ``/headers-then-stall``; ``/hang``; ``/endless``
* ``/bomb`` (``?mb=1024``); ``/bad-gzip``; ``/charset/{name}?via=header|meta|none|bom``
* ``/binary``, ``/binary-as-html`` (``?size=65536``), ``/json``, ``/image.png``, ``/text``
* ``/invalid-bytes``, ``/no-head``, ``/messy``, ``/big?size=N``, ``/big-chunked?size=N``
* sitemaps, ``/robots.txt`` and ``/audit/{name}`` pages: see :mod:`tests.testbed.audit`

Every route also honours ``latency`` and ``jitter`` (applied before the headers are sent;
the jitter is seeded by the page id, or the path, so it is repeatable), and every request
carrying ``?key=K`` is counted under ``K`` (read back with ``/count?key=K``).
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable

from aiohttp import web

from tests.testbed.audit import add_routes as add_audit_routes
from tests.testbed.charsets import CHARSET_TITLES, render_charset_page
from tests.testbed.content import (
    BAD_GZIP_BODY,
    INVALID_BYTES_BODY,
    MESSY_HTML,
    NO_HEAD_HTML,
    PNG_1X1,
    binary_bytes,
    build_bomb,
    cached_page,
    page_delay,
    render_page,
    status_page,
)
from tests.testbed.corpus import CORPUS_SIZE, corpus_page

log = logging.getLogger(__name__)

__all__ = ["CHARSET_TITLES", "HITS", "make_app", "render_page"]

HITS: web.AppKey[Counter[str]] = web.AppKey("hits", Counter)
"""Per-key request counts (every request with ``?key=``)."""
BOMBS: web.AppKey[dict[int, bytes]] = web.AppKey("bombs", dict)
BOMB_LOCK: web.AppKey[asyncio.Lock] = web.AppKey("bomb_lock", asyncio.Lock)

HTML = "text/html; charset=utf-8"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_GZIP = {"Content-Encoding": "gzip"}
_NO_BODY = frozenset({204, 304})
_FOREVER = 10**9
_ENDLESS_CHUNK = b"".join(b"<p>endless paragraph %06d of filler text for the stream</p>\n" % i for i in range(256))


def qint(request: web.Request, name: str, default: int, low: int = 0, high: int = 2**40) -> int:
    """An integer query parameter, or HTTP 400 if it is malformed or out of range."""
    raw = request.query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise web.HTTPBadRequest(text=f"{name} must be an integer") from None
    if not low <= value <= high:
        raise web.HTTPBadRequest(text=f"{name} must be between {low} and {high}")
    return value


def _qfloat(request: web.Request, name: str) -> float:
    try:
        value = float(request.query.get(name) or 0)
    except ValueError:
        raise web.HTTPBadRequest(text=f"{name} must be a number") from None
    if value < 0:
        raise web.HTTPBadRequest(text=f"{name} must not be negative")
    return value


@web.middleware
async def _common(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Count ``?key=`` hits, then apply ``latency``/``jitter`` before the handler answers."""
    key = request.query.get("key")
    if key is not None and request.path != "/count":
        request.app[HITS][key] += 1
    latency, jitter = _qfloat(request, "latency"), _qfloat(request, "jitter")
    if latency or jitter:
        await asyncio.sleep(page_delay(request.match_info.get("id", request.path), latency, jitter))
    return await handler(request)


def _bytes_response(
    body: bytes, status: int = 200, content_type: str = HTML, headers: dict[str, str] | None = None
) -> web.Response:
    if status in _NO_BODY:
        body = b""
    return web.Response(body=body, status=status, headers={"Content-Type": content_type, **(headers or {})})


async def page(request: web.Request) -> web.Response:
    """``/page/{id}``: a deterministic page (see :func:`render_page`)."""
    page_id = request.match_info["id"]
    size = qint(request, "size", 2000, 0, 512 * 2**20)
    links = qint(request, "links", 20, 0, 1_000_000)
    status = qint(request, "status", 200, 200, 599)
    title = request.query.get("title", f"Page {page_id}")
    gzipped = request.query.get("gzip") == "1"
    body = cached_page(page_id, size, links, title, gzipped)
    headers = {"Content-Encoding": "gzip"} if gzipped else {}
    return _bytes_response(body, status, request.query.get("ctype") or HTML, headers)


async def status(request: web.Request) -> web.Response:
    """``/status/{code}``: that status with a small page titled ``Status {code}``."""
    try:
        code = int(request.match_info["code"])
    except ValueError:
        raise web.HTTPBadRequest(text="code must be an integer") from None
    if not 200 <= code <= 599:
        raise web.HTTPBadRequest(text="code must be between 200 and 599")
    return _bytes_response(status_page(code), code)


def _redirect(location: str, code: int = 302) -> web.Response:
    return web.Response(status=code, headers={"Location": location, "Content-Type": HTML}, body=status_page(code))


async def redirect(request: web.Request) -> web.Response:
    """``/redirect/{n}``: n hops of ``code`` (302) ending at ``/page/final``; n=0 is the page itself."""
    try:
        hops = int(request.match_info["n"])
    except ValueError:
        raise web.HTTPBadRequest(text="n must be an integer") from None
    code = qint(request, "code", 302, 300, 308)
    if hops <= 0:
        return _bytes_response(cached_page("final", 2000, 20, "Page final"))
    return _redirect(f"/redirect/{hops - 1}" if hops > 1 else "/page/final", code)


async def redirect_loop(request: web.Request) -> web.Response:
    """``/redirect-loop``: redirects to itself forever."""
    return _redirect("/redirect-loop", qint(request, "code", 302, 300, 308))


async def redirect_to(request: web.Request) -> web.Response:
    """``/redirect-to?url=...``: 302 (or ``code``) to any Location, unchecked."""
    url = request.query.get("url")
    if not url:
        raise web.HTTPBadRequest(text="url is required")
    return _redirect(url, qint(request, "code", 302, 300, 308))


async def retry(request: web.Request) -> web.Response:
    """``/retry``: ``status`` with ``Retry-After: after`` for the first ``times`` hits of ``key``."""
    key = request.query.get("key")
    if not key:
        raise web.HTTPBadRequest(text="key is required")
    times = qint(request, "times", 1, 0, 1_000_000)
    code = qint(request, "status", 503, 400, 599)
    after = request.query.get("after", "0")
    if request.app[HITS][key] <= times:
        headers = {"Retry-After": after} if after != "none" else {}
        return _bytes_response(status_page(code), code, headers=headers)
    return _bytes_response(cached_page(f"retry-{key}", 2000, 5, "Retry OK"))


async def count(request: web.Request) -> web.Response:
    """``/count?key=K``: ``{"key": K, "count": hits}``."""
    key = request.query.get("key", "")
    return web.json_response({"key": key, "count": request.app[HITS][key]})


async def _write(response: web.StreamResponse, data: bytes) -> bool:
    """Write, returning False once the client has gone away."""
    try:
        await response.write(data)
    except ConnectionError:
        return False
    return True


async def _forever() -> None:
    await asyncio.sleep(_FOREVER)


async def drip(request: web.Request) -> web.StreamResponse:
    """``/drip?chunks=N&interval=MS``: a page sent as N small chunks, ``interval`` apart."""
    chunks = qint(request, "chunks", 10, 1, 100_000)
    interval = qint(request, "interval", 100, 0, 3_600_000) / 1000.0
    response = web.StreamResponse(headers={"Content-Type": HTML})
    response.enable_chunked_encoding()
    await response.prepare(request)
    for i in range(chunks):
        piece = b"<p>drip chunk %d</p>\n" % i
        if i == 0:
            piece = b'<!DOCTYPE html>\n<html lang="en">\n<head>\n<title>Drip</title>\n</head>\n<body>\n' + piece
        if i == chunks - 1:
            piece += b"</body>\n</html>\n"
        if not await _write(response, piece):
            return response
        if i < chunks - 1:
            await asyncio.sleep(interval)
    await response.write_eof()
    return response


async def headers_then_stall(request: web.Request) -> web.StreamResponse:
    """``/headers-then-stall``: chunked headers go out, then nothing, ever."""
    response = web.StreamResponse(headers={"Content-Type": HTML})
    response.enable_chunked_encoding()
    await response.prepare(request)
    await _forever()
    return response


async def hang(request: web.Request) -> web.StreamResponse:
    """``/hang``: never answers."""
    await _forever()
    raise web.HTTPGatewayTimeout()


async def endless(request: web.Request) -> web.StreamResponse:
    """``/endless``: an HTML stream that never ends, as fast as the client reads."""
    response = web.StreamResponse(headers={"Content-Type": HTML})
    response.enable_chunked_encoding()
    await response.prepare(request)
    if not await _write(response, b"<!DOCTYPE html>\n<html><head><title>Endless</title></head><body>\n"):
        return response
    while await _write(response, _ENDLESS_CHUNK):
        pass
    return response


async def bomb(request: web.Request) -> web.Response:
    """``/bomb?mb=1024``: gzip of ``mb`` MiB of zeros (~1 MB on the wire per GiB)."""
    mebibytes = qint(request, "mb", 1024, 1, 8192)
    cache = request.app[BOMBS]
    async with request.app[BOMB_LOCK]:
        if mebibytes not in cache:
            cache[mebibytes] = await asyncio.to_thread(build_bomb, mebibytes)
    return _bytes_response(cache[mebibytes], headers=_GZIP)


async def bad_gzip(request: web.Request) -> web.Response:
    """``/bad-gzip``: says gzip, is not."""
    return _bytes_response(BAD_GZIP_BODY, headers=_GZIP)


async def charset(request: web.Request) -> web.Response:
    """``/charset/{name}?via=header|meta|none|bom``: a page in a legacy charset."""
    name = request.match_info["name"].lower()
    if name not in CHARSET_TITLES:
        raise web.HTTPNotFound(text=f"unknown charset; try one of {', '.join(CHARSET_TITLES)}")
    try:
        body, content_type = render_charset_page(name, request.query.get("via", "header"))
    except ValueError as exc:
        raise web.HTTPBadRequest(text=str(exc)) from None
    return _bytes_response(body, content_type=content_type)


async def corpus(request: web.Request) -> web.Response:
    """``/corpus/{n}[?charset=LABEL]``: page ``n`` of the extraction corpus (:mod:`tests.testbed.corpus`), with
    its Content-Type, or ``text/html; charset=LABEL``."""
    try:
        page = corpus_page(int(request.match_info["n"]))
    except (ValueError, IndexError):
        raise web.HTTPNotFound(text=f"pages are 0..{CORPUS_SIZE - 1}") from None
    label = request.query.get("charset")
    return _bytes_response(page.body, content_type=f"text/html; charset={label}" if label else page.content_type)


async def binary(request: web.Request) -> web.Response:
    """``/binary?size=65536``: deterministic random-looking bytes."""
    return _bytes_response(
        binary_bytes(qint(request, "size", 65536, 0, 64 * 2**20)), content_type="application/octet-stream"
    )


async def binary_as_html(request: web.Request) -> web.Response:
    """``/binary-as-html``: the same bytes, labelled text/html."""
    return _bytes_response(binary_bytes(qint(request, "size", 65536, 0, 64 * 2**20)), content_type="text/html")


async def json_route(request: web.Request) -> web.Response:
    """``/json``: a small JSON document."""
    return web.json_response({"name": "fetchlens", "items": [1, 2, 3], "ok": True, "title": "Not HTML"})


async def image(request: web.Request) -> web.Response:
    """``/image.png``: a valid 1×1 PNG."""
    return _bytes_response(PNG_1X1, content_type="image/png")


async def text(request: web.Request) -> web.Response:
    """``/text``: plain text."""
    body = b"Plain text from the Fetchlens test bed.\nIt is not HTML and has no title.\n"
    return _bytes_response(body, content_type="text/plain; charset=utf-8")


async def invalid_bytes(request: web.Request) -> web.Response:
    """``/invalid-bytes``: declared UTF-8, invalid UTF-8 in the title."""
    return _bytes_response(INVALID_BYTES_BODY)


async def no_head(request: web.Request) -> web.Response:
    """``/no-head``: no ``<head>``, the title is in the body."""
    return _bytes_response(NO_HEAD_HTML)


async def messy(request: web.Request) -> web.Response:
    """``/messy``: awkward real-world HTML (see ``content.MESSY_EXPECTED``)."""
    return _bytes_response(MESSY_HTML)


def _big_body(request: web.Request) -> bytes:
    size = qint(request, "size", 20_000_000, 0, 1024 * 2**20)
    return render_page("big", size, 20, "Big page")


async def big(request: web.Request) -> web.Response:
    """``/big?size=N`` (default 20 MB): an N-byte page with Content-Length."""
    return _bytes_response(await asyncio.to_thread(_big_body, request))


async def big_chunked(request: web.Request) -> web.StreamResponse:
    """``/big-chunked?size=N``: the same page, chunked, no Content-Length."""
    body = memoryview(await asyncio.to_thread(_big_body, request))
    response = web.StreamResponse(headers={"Content-Type": HTML})
    response.enable_chunked_encoding()
    await response.prepare(request)
    for start in range(0, len(body), 65536):
        if not await _write(response, bytes(body[start : start + 65536])):
            return response
    await response.write_eof()
    return response


def make_app() -> web.Application:
    """Build the test-bed application (fresh hit counters and bomb cache)."""
    app = web.Application(middlewares=[_common])
    app[HITS] = Counter()
    app[BOMBS] = {}
    app[BOMB_LOCK] = asyncio.Lock()
    routes: dict[str, Handler] = {
        "/page/{id}": page,
        "/status/{code}": status,
        "/redirect/{n}": redirect,
        "/redirect-loop": redirect_loop,
        "/redirect-to": redirect_to,
        "/retry": retry,
        "/count": count,
        "/drip": drip,
        "/headers-then-stall": headers_then_stall,
        "/hang": hang,
        "/endless": endless,
        "/bomb": bomb,
        "/bad-gzip": bad_gzip,
        "/charset/{name}": charset,
        "/corpus/{n}": corpus,
        "/binary": binary,
        "/binary-as-html": binary_as_html,
        "/json": json_route,
        "/image.png": image,
        "/text": text,
        "/invalid-bytes": invalid_bytes,
        "/no-head": no_head,
        "/messy": messy,
        "/big": big,
        "/big-chunked": big_chunked,
    }
    for path, handler in routes.items():
        app.router.add_get(path, handler)  # add_get also answers HEAD
    add_audit_routes(app)
    return app
