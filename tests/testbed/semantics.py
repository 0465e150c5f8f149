"""Raw-socket cases of HTTP semantics where the two HTTP libraries disagreed (rebuilt from peer tools' bug
reports). Served by :class:`tests.testbed.raw.RawServer` under these paths; ``{id}`` makes every URL's
page its own (its title is ``<case> {id}``), so a row carrying another URL's body is visible.

* ``/interim/{kind}/{id}``, kind ``103`` (with ``Link``), ``102``, ``100`` (unsolicited), ``103x2``,
  ``103same`` (the 103 and the 200 in one write): interim responses, then the page; keep-alive.
* ``/frame/{kind}/{id}``, kind ``dup-cl`` (``Content-Length`` twice), ``list-cl`` (``98, 98``), ``te-cl``
  (chunked plus a wrong ``Content-Length``), ``conflict-cl``, ``bad-cl`` (``12abc``), ``two-ctype`` (``text/html`` then
  ``text/html; charset=windows-1251``, a windows-1251 page), ``204`` and ``304`` (with a body anyway);
  keep-alive.
* ``/coding/{kind}/{id}``: the page coded as ``gzip``, ``x-gzip``, ``deflate-zlib``, ``deflate-raw``,
  ``br``, ``zstd``, ``gzip-br`` (both, in that order) or ``compress`` (unsupported), sent unasked.
* ``/cookie/consent`` sets ``consent=yes``; ``/cookie/article/{id}`` is titled ``Article {id} consent
  yes|no`` by the cookie it receives; ``/cookie/login/{id}`` without a ``session`` cookie redirects to
  ``/cookie/grant/{id}``, which sets it and redirects back.
* ``/loc/{kind}``: a redirect whose ``Location`` is raw bytes: ``utf8`` (``/to/café`` as UTF-8), ``latin1``
  (``/to/caf\\xe9``, invalid UTF-8), ``space`` (``/to/a b``), ``backslash`` (``\\to\\back``), ``frag``
  (``/loc/nofrag#keep``), ``nofrag`` (``/to/nofrag``, so the fragment of the hop before is inherited),
  ``scheme`` (``mailto:x@example.com``);
  ``/to/...`` answers with a page titled by the raw request target it received.
* ``/echo``: a page titled by the request's ``Accept-Encoding`` and ``Cookie`` headers.
* ``/drip-close``: headers with ``Connection: close`` and no length, then one byte every 0.5 s forever.
* ``/edge/{kind}/{id}``: one raw answer per kind (:func:`_edge_response`: 1xx variants, ``Content-Length``
  and chunk-size forms, transfer and content codings, ``Content-Type`` charsets, status and field lines,
  ``304``/``204`` with framing fields) or a redirect (:func:`_edge_hop`: ``Location`` forms, 3xx not
  followed, ``Set-Cookie`` rules then ``/echo``); any other kind, or a target with a query, is a page.
"""

from __future__ import annotations

import asyncio
import gzip
import logging
import zlib
from collections.abc import Awaitable, Callable

import brotli
import zstandard

log = logging.getLogger(__name__)

__all__ = ["SEMANTIC_ROUTES", "Request", "page"]


class Request:
    """What a raw handler needs to know about the request it answers."""

    def __init__(self, target: str, head: bytes) -> None:
        self.target = target
        self.path = target.split("?", 1)[0]
        self.head = head

    def header(self, name: str) -> str:
        for line in self.head.split(b"\r\n")[1:]:
            key, _, value = line.partition(b":")
            if key.strip().lower() == name.lower().encode():
                return value.strip().decode("latin-1")
        return ""


Route = Callable[[asyncio.StreamWriter, Request, list[str]], Awaitable[bool]]
"""Answer one request; return whether the connection stays open for the next one."""


def page(title: str, charset: str = "utf-8") -> bytes:
    """A small page whose title identifies the URL it belongs to."""
    return (
        f'<!DOCTYPE html>\n<html><head><meta charset="{charset}"><title>{title}</title></head>\n'
        f"<body><h1>{title}</h1><p>{'filler text ' * 20}</p></body></html>\n"
    ).encode(charset)


def _head(status: str, *fields: tuple[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in fields), "", ""]
    return "\r\n".join(lines).encode("latin-1")


async def _send(writer: asyncio.StreamWriter, *parts: bytes) -> None:
    for part in parts:
        writer.write(part)
        await writer.drain()


async def _interim(writer: asyncio.StreamWriter, req: Request, args: list[str]) -> bool:
    kind, pid = [*args, "", ""][:2]
    body = page(f"Interim {pid}")
    final = _head("200 OK", ("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))) + body
    early = _head("103 Early Hints", ("Link", "</style.css>; rel=preload; as=style"))
    interim = {
        "103": [early],
        "102": [_head("102 Processing")],
        "100": [_head("100 Continue")],
        "103x2": [early, _head("103 Early Hints", ("Link", "</app.js>; rel=preload; as=script"))],
    }
    if kind == "103same":
        await _send(writer, early + final)
    else:
        await _send(writer, *interim.get(kind, []), final)
    return True


async def _frame(writer: asyncio.StreamWriter, req: Request, args: list[str]) -> bool:
    kind, pid = [*args, "", ""][:2]
    body = page(f"Frame {pid}")
    n = str(len(body))
    html = ("Content-Type", "text/html; charset=utf-8")
    if kind == "dup-cl":
        await _send(writer, _head("200 OK", html, ("Content-Length", n), ("Content-Length", n)) + body)
    elif kind == "list-cl":
        await _send(writer, _head("200 OK", html, ("Content-Length", f"{n}, {n}")) + body)
    elif kind == "te-cl":
        chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
        await _send(writer, _head("200 OK", html, ("Transfer-Encoding", "chunked"), ("Content-Length", "7")) + chunked)
        return False  # RFC 9112 §6.3: the client closes after such a response
    elif kind == "bad-cl":
        await _send(writer, _head("200 OK", html, ("Content-Length", "12abc")) + body)
        return False
    elif kind == "conflict-cl":
        await _send(writer, _head("200 OK", html, ("Content-Length", n), ("Content-Length", "7")) + body)
        return False
    elif kind == "two-ctype":
        cyr = page(f"Кадр {pid}", "windows-1251").replace(b'<meta charset="windows-1251">', b"")
        await _send(writer, _head("200 OK", ("Content-Type", "text/html"),
                                  ("Content-Type", "text/html; charset=windows-1251"),
                                  ("Content-Length", str(len(cyr)))) + cyr)
    elif kind in ("204", "304"):
        reason = "No Content" if kind == "204" else "Not Modified"
        stray = b"<p>a body a 204/304 must not have</p>\r\n\r\n"
        await _send(writer, _head(f"{kind} {reason}", ("Content-Length", str(len(stray)))) + stray)
    return True


def _code(kind: str, body: bytes) -> tuple[str, bytes]:
    if kind in ("gzip", "x-gzip"):
        return kind, gzip.compress(body)
    if kind == "deflate-zlib":
        return "deflate", zlib.compress(body)
    if kind == "deflate-raw":
        c = zlib.compressobj(wbits=-15)
        return "deflate", c.compress(body) + c.flush()
    if kind == "br":
        return "br", brotli.compress(body)
    if kind == "zstd":
        return "zstd", zstandard.ZstdCompressor().compress(body)
    if kind == "gzip-br":
        return "gzip, br", brotli.compress(gzip.compress(body))
    return kind, zlib.compress(body)  # "compress" and anything else: a coding no client supports


async def _coding(writer: asyncio.StreamWriter, req: Request, args: list[str]) -> bool:
    kind, pid = [*args, "", ""][:2]
    name, coded = _code(kind, page(f"Coding {pid}"))
    await _send(writer, _head("200 OK", ("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", name),
                              ("Content-Length", str(len(coded)))) + coded)
    return True


async def _cookie(writer: asyncio.StreamWriter, req: Request, args: list[str]) -> bool:
    kind, pid = [*args, "", ""][:2]
    cookies = req.header("Cookie")
    html = ("Content-Type", "text/html; charset=utf-8")
    if kind == "consent":
        body = page("Consent given")
        fields = [html, ("Set-Cookie", "consent=yes; Path=/"), ("Content-Length", str(len(body)))]
    elif kind == "article":
        body = page(f"Article {pid} consent {'yes' if 'consent=yes' in cookies else 'no'}")
        fields = [html, ("Content-Length", str(len(body)))]
    elif kind == "grant":
        body = b""
        fields = [("Set-Cookie", f"session={pid}; Path=/cookie"), ("Location", f"/cookie/login/{pid}"),
                  ("Content-Length", "0")]
        await _send(writer, _head("302 Found", *fields))
        return True
    elif f"session={pid}" in cookies:
        body = page(f"Logged in {pid}")
        fields = [html, ("Content-Length", str(len(body)))]
    else:
        await _send(writer, _head("302 Found", ("Location", f"/cookie/grant/{pid}"), ("Content-Length", "0")))
        return True
    await _send(writer, _head("200 OK", *fields) + body)
    return True


_LOCATIONS = {
    "utf8": "/to/café".encode(),
    "latin1": b"/to/caf\xe9",
    "space": b"/to/a b",
    "backslash": b"\\to\\back",
    "nofrag": b"/to/nofrag",
    "frag": b"/loc/nofrag#keep",
    "scheme": b"mailto:x@example.com",
}


async def _location(writer: asyncio.StreamWriter, req: Request, args: list[str]) -> bool:
    loc = _LOCATIONS.get(args[0] if args else "", b"/to/unknown")
    await _send(writer, b"HTTP/1.1 302 Found\r\nLocation: " + loc + b"\r\nContent-Length: 0\r\n\r\n")
    return True


async def _to(writer: asyncio.StreamWriter, req: Request, args: list[str]) -> bool:
    body = page(f"At {req.target}")
    await _send(writer, _head("200 OK", ("Content-Type", "text/html; charset=utf-8"),
                              ("Content-Length", str(len(body)))) + body)
    return True


async def _echo(writer: asyncio.StreamWriter, req: Request, args: list[str]) -> bool:
    body = page(f"Accept-Encoding: {req.header('Accept-Encoding')}; Cookie: {req.header('Cookie') or '-'}")
    await _send(writer, _head("200 OK", ("Content-Type", "text/html; charset=utf-8"),
                              ("Content-Length", str(len(body)))) + body)
    return True


async def _drip_close(writer: asyncio.StreamWriter, req: Request, args: list[str]) -> bool:
    await _send(writer, _head("200 OK", ("Content-Type", "text/html"), ("Connection", "close")) + b"<html>")
    while not writer.transport.is_closing():
        await asyncio.sleep(0.5)  # server-side pacing: one byte every half second, no length, forever
        await _send(writer, b"x")
    return False


def _edge_response(kind: str, pid: str, host: str) -> tuple[list[bytes], bool]:
    """The raw bytes of one ``/edge/{kind}/{id}`` answer (written part by part) and whether to keep alive."""
    body = page(f"Edge {pid}")
    n = len(body)
    html = ("Content-Type", "text/html; charset=utf-8")
    ok = _head("200 OK", html, ("Content-Length", str(n))) + body
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (n, body)
    te = ("Transfer-Encoding", "chunked")
    gz = gzip.compress(body)
    cyr = page(f"Кадр {pid}", "windows-1251").replace(b'<meta charset="windows-1251">', b"")
    rest = _head("200 OK", html, ("Content-Length", str(n)))[17:] + body  # what follows "HTTP/1.1 200 OK\r\n"
    cases: dict[str, tuple[list[bytes], bool]] = {
        # 1xx (RFC 9110 §15.2, RFC 9112 §6.3 item 1: a 1xx never has a body)
        "1xx-cl": ([_head("100 Continue", ("Content-Length", "5")) + ok], True),
        "103x20": ([_head("103 Early Hints", ("Link", f"</s{i}.css>; rel=preload")) for i in range(20)] + [ok], True),
        "1xx-split": ([b"HTTP/1.1 10", b"3 Early Hints\r\nLink: </a.css>", b"; rel=preload\r\n", b"\r\nHTTP/1.1 200",
                       b" OK\r\n", _head("200 OK", html, ("Content-Length", str(n)))[17:] + body], True),
        "101": ([_head("101 Switching Protocols", ("Upgrade", "websocket"), ("Connection", "Upgrade")) + ok], False),
        # Content-Length (RFC 9110 §8.6: 1*DIGIT)
        "cl-zeros": ([_head("200 OK", html, ("Content-Length", f"000{n}")) + body], True),
        "cl-plus": ([_head("200 OK", html, ("Content-Length", f"+{n}")) + body], False),
        "cl-neg": ([_head("200 OK", html, ("Content-Length", "-1")) + body], False),
        "cl-space": ([_head("200 OK", html, ("Content-Length", f"  {n}  ")) + body], True),
        "cl-sup": ([_head("200 OK", html, ("Content-Length", "\u00b2")) + body], False),
        "cl-short": ([_head("200 OK", html, ("Content-Length", str(n - 40))) + body], True),
        "cl-huge": ([_head("200 OK", html, ("Content-Length", "9" * 30), ("Connection", "close")) + body], False),
        # chunked (RFC 9112 §7.1)
        "ch-ext": ([_head("200 OK", html, te) + b"%x;name=value;q=\"a b\"\r\n%s\r\n0;end\r\n\r\n" % (n, body)], True),
        "ch-trailer": ([_head("200 OK", html, te) + chunked[:-2] + b"X-Checksum: 1\r\nX-Other: 2\r\n\r\n"], True),
        "ch-upper": ([_head("200 OK", html, te) + b"%X\r\n%s\r\n0\r\n\r\n" % (n, body)], True),
        "ch-split": ([_head("200 OK", html, te) + b"%x\r\n%s\r\n" % (40, body[:40]),
                      b"%x\r\n%s\r\n0\r\n\r\n" % (n - 40, body[40:])], True),
        "ch-nolast": ([_head("200 OK", html, te, ("Connection", "close")) + chunked[:-5]], False),
        **{f"ch-size-{name}": ([_head("200 OK", html, te) + size + b"\r\n%s\r\n0\r\n\r\n" % body], False)
           for name, size in {"space": b"%x " % n, "0x": b"0x%x" % n, "plus": b"+%x" % n, "under": b"%x_" % n,
                              "huge": b"f" * 20, "lead0": b"000%x" % n}.items()},
        "ch-overrun": ([_head("200 OK", html, te) + b"%x\r\n%sEXTRA\r\n0\r\n\r\n" % (n, body)], False),
        "fold-ctype": ([_head("200 OK", ("Content-Type", "text/html;\r\n charset=windows-1251"),
                              ("Content-Length", str(len(cyr)))) + cyr], True),
        "name-space": ([_head("200 OK", html, ("Content-Length ", str(n))) + body], False),
        "status-noreason": ([b"HTTP/1.1 200\r\n" + rest], True),
        "status-lf": ([_head("200 OK", html, ("Content-Length", str(n))).replace(b"\r\n", b"\n") + body], True),
        "status-10": ([b"HTTP/1.0 200 OK\r\n" + _head("200 OK", html)[17:] + body], False),
        "status-600": ([b"HTTP/1.1 600 Odd\r\n" + rest], True),
        "status-4digit": ([b"HTTP/1.1 2000 OK\r\n" + rest], False),
        "te-gzip": ([_head("200 OK", html, ("Transfer-Encoding", "gzip, chunked")) +
                     b"%x\r\n%s\r\n0\r\n\r\n" % (len(gz), gz)], False),
        "te-identity": ([_head("200 OK", html, ("Transfer-Encoding", "identity"), ("Connection", "close")) + body],
                        False),
        # content codings (RFC 9110 §8.4)
        "ce-upper": ([_head("200 OK", html, ("Content-Encoding", "GZIP"), ("Content-Length", str(len(gz)))) + gz],
                     True),
        "ce-gzip2": ([_head("200 OK", html, ("Content-Encoding", "gzip, gzip"),
                            ("Content-Length", str(len(gzip.compress(gz))))) + gzip.compress(gz)], True),
        "ce-identity": ([_head("200 OK", html, ("Content-Encoding", "identity"), ("Content-Length", str(n))) + body],
                        True),
        "ce-empty": ([_head("200 OK", html, ("Content-Encoding", ""), ("Content-Length", str(n))) + body], True),
        "ce-garbage": ([_head("200 OK", html, ("Content-Encoding", "gzip"), ("Content-Length", str(len(gz) + 9))) +
                        gz + b"\r\ngarbage"], True),
        "ce-members": ([_head("200 OK", html, ("Content-Encoding", "gzip"), ("Content-Length", str(
            len(gzip.compress(body[:50]) + gzip.compress(body[50:]))))) + gzip.compress(body[:50]) +
            gzip.compress(body[50:])], True),
        "ce-badzlib": ([_head("200 OK", html, ("Content-Encoding", "deflate"), ("Content-Length", "11")) +
                        b"\x78\x9c garbage!"], True),
        # Content-Type (WHATWG MIME Sniffing §4.4; Fetch "extract a MIME type"): a windows-1251 page, no <meta>
        **{k: ([_head("200 OK", ("Content-Type", v), ("Content-Length", str(len(cyr)))) + cyr], True) for k, v in {
            "ct-quoted": 'text/html; charset="windows-1251"',
            "ct-junk": 'text/html; charset="windows-1251"junk; x=1',
            "ct-semis": "TEXT/HTML;;CHARSET=windows-1251",
            "ct-first": "text/html; charset=windows-1251; charset=utf-8",
            "ct-star": "*/*, text/html; charset=windows-1251",
        }.items()},
        # HEAD-like: no body whatever the framing fields say (RFC 9110 §15.4.5, §15.3.5)
        "304-cl": ([_head("304 Not Modified", ("Content-Length", "5000"))], True),
        "204-te": ([_head("204 No Content", te)], True),
    }
    if kind in cases:
        return cases[kind]
    hop = _edge_hop(kind, host)
    if hop is not None:
        status, fields = hop
        return [_head(status, *fields, ("Content-Length", "0"))], True
    return [ok], True


_PAST = "Thu, 01 Jan 1970 00:00:00 GMT"
_COOKIES = {  # kind -> Set-Cookie values of a redirect to /echo (RFC 6265 §5.2, §5.3)
    "ck-maxage0": ["gone=1; Path=/; Max-Age=0", "kept=1; Path=/"],
    "ck-expired": [f"gone=1; Path=/; Expires={_PAST}", "kept=1; Path=/"],
    "ck-precedence": [f"kept=1; Path=/; Expires={_PAST}; Max-Age=60", "gone=1; Path=/; Max-Age=-1"],
    "ck-path": ["gone=1; Path=/edge/other", "kept=1; Path=/"],
    "ck-default-path": ["gone=1", "kept=1; Path=/"],  # §5.1.4: the default path is /edge/ck-default-path
    "ck-samesite": ["kept=1; Path=/; SameSite=Strict; HttpOnly"],
    "ck-quoted": ['kept="a b"; Path=/'],
}
_LOCS = {  # kind -> Location of a 302
    "loc-query": "?q=1",
    "loc-tab": "/to/t\tab",
    "loc-data": "data:text/html,<title>data</title>",
    "loc-js": "javascript:alert(1)",
    "loc-self": "/edge/loc-self/0",
}


def _edge_hop(kind: str, host: str) -> tuple[str, list[tuple[str, str]]] | None:
    """A redirect-ish answer for ``kind``: status line and fields (no body), or ``None``."""
    if kind in _COOKIES:
        return "302 Found", [*(("Set-Cookie", v) for v in _COOKIES[kind]), ("Location", "/echo")]
    if kind in _LOCS:
        return "302 Found", [("Location", _LOCS[kind])]
    if kind == "loc-dslash":
        return "302 Found", [("Location", f"//{host}/to/dslash")]
    if kind == "loc-two":
        return "302 Found", [("Location", "/to/one"), ("Location", "/to/two")]
    if kind == "loc-twosame":
        return "302 Found", [("Location", "/to/same"), ("Location", "/to/same")]
    if kind in ("300", "305", "306"):  # RFC 9110 §15.4.1, §15.4.6, §15.4.7: not followed automatically
        return f"{kind} Redirect", [("Location", "/to/never")]
    if kind == "302-noloc":  # RFC 9110 §15.4: without Location there is nowhere to go, the 3xx is final
        return "302 Found", []
    return None


async def _edge(writer: asyncio.StreamWriter, req: Request, args: list[str]) -> bool:
    kind, pid = [*args, "", ""][:2]
    if "?" in req.target:
        return await _to(writer, req, args)
    parts, keep = _edge_response(kind, pid, req.header("Host"))
    for part in parts:
        await _send(writer, part)
        if len(parts) > 1:
            await asyncio.sleep(0.01)  # server-side pacing: each part its own packet
    return keep


SEMANTIC_ROUTES: dict[str, Route] = {
    "interim": _interim,
    "frame": _frame,
    "coding": _coding,
    "cookie": _cookie,
    "loc": _location,
    "to": _to,
    "drip-close": _drip_close,
    "echo": _echo,
    "edge": _edge,
}
"""First path segment → handler."""
