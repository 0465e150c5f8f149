"""aiohttp connections that frame responses by the shared policy (:func:`core.fetch.headers.content_length`).

aiohttp's C parser (llhttp) rejects a response the blocking modes read fine: ``Content-Length`` sent twice
with the same value, ``Content-Length: 98, 98``, ``Transfer-Encoding`` together with ``Content-Length``.
The same response must mean the same in every mode, so a response whose head needs it is parsed by aiohttp's
pure-Python parser with the header section first put through our policy (every other response keeps the
fast C parser):

* identical ``Content-Length`` values are one value (RFC 9110 §8.6); differing, non-digit or too large ones
  are an error, as in the blocking modes;
* with ``Transfer-Encoding`` the ``Content-Length`` is dropped and the connection is closed after the
  response (RFC 9112 §6.3 item 3);

A ``204``/``304`` is complete without a body (RFC 9110 §6.4.1): bytes a server sends after its head anyway
are dropped, and the fetcher closes the connection, so they are never read as the next response.

This leans on aiohttp internals (``ResponseHandler.set_response_params`` and the parser's ``feed_data`` /
``feed_eof`` / ``pause_reading``, ``HttpResponseParserPy``, ``TCPConnector._factory``), checked by the
framing cases of the test bed in every mode.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
from ssl import SSLContext
from typing import Any

import aiohttp
from aiohttp.client_exceptions import ClientPayloadError
from aiohttp.client_proto import ResponseHandler
from aiohttp.http import HttpResponseParser  # the C parser where aiohttp has its extensions
from aiohttp.http_exceptions import BadHttpMessage
from aiohttp.http_parser import HttpResponseParserPy, RawResponseMessage
from aiohttp.streams import EMPTY_PAYLOAD
from aiohttp_socks import ProxyConnector
from python_socks.async_.asyncio.v2 import Proxy

from core.fetch.headers import FramingError, content_length

log = logging.getLogger(__name__)


class _PolicyParser(HttpResponseParserPy):
    _no_body: RawResponseMessage | None = None  # a 204/304 head just parsed: what follows is not a response

    def feed_data(self, data: bytes, *args: Any, **kwargs: Any) -> Any:
        if self._no_body is not None:
            return [], False, b""  # bytes after a 204/304 head: dropped (the fetcher closes the connection)
        try:
            return super().feed_data(data, *args, **kwargs)
        except BadHttpMessage:
            if self._no_body is None:
                raise
            return [(self._no_body, EMPTY_PAYLOAD)], False, b""  # the body sent anyway was not a next response

    def parse_message(self, lines: list[bytes]) -> RawResponseMessage:
        msg = super().parse_message(lines)
        if msg.code in (204, 304):
            self._no_body = msg
        return msg

    def parse_headers(self, lines: list[bytes]) -> Any:
        fields = []
        for line in lines:
            name, sep, value = line.partition(b":")
            if sep:
                fields.append((name.decode("latin-1").strip(), value.decode("latin-1").strip()))
        lengths = [f for f in fields if f[0].lower() == "content-length"]
        original: tuple[tuple[bytes, bytes], ...] = ()
        chunked_too = bool(lengths) and any(f[0].lower() == "transfer-encoding" for f in fields)
        if len(lengths) > 1 or (lengths and not lengths[0][1].isdigit()) or _long(lengths) or chunked_too:
            try:
                length = content_length(fields)
            except FramingError as exc:
                raise BadHttpMessage(str(exc)) from exc
            lines = [ln for ln in lines if not ln.lower().startswith(b"content-length:")]
            if length is not None:
                at = len(lines) - 1 if lines and lines[-1] == b"" else len(lines)  # before the blank line
                lines.insert(at, b"Content-Length: %d" % length)
            original = tuple((n.encode("latin-1"), v.encode("latin-1")) for n, v in fields)
        headers, raw_headers, close, compression, upgrade, chunked = super().parse_headers(lines)
        if original:
            raw_headers = original  # the row shows the fields as sent, as the blocking modes do
        if chunked_too:
            close = True
        return headers, raw_headers, close, compression, upgrade, chunked


def _long(lengths: list[tuple[str, str]]) -> bool:
    """Whether a ``Content-Length`` may pass the policy's maximum (llhttp would take it up to 2**64 - 1)."""
    return any(len(v) > 18 for _, v in lengths)


_HEAD_END = re.compile(rb"\r?\n\r?\n")
_MAX_HEAD = 64 * 1024


def _parser_for(buf: bytes) -> tuple[type | None, int, int | None]:
    """The parser class for the response whose start is ``buf`` (``None`` until its head is complete), where
    its final head ends in ``buf``, and its body length when the head gives it by one plain ``Content-Length``.

    aiohttp's C parser is kept for the ordinary response (it costs a fraction of the Python one); only a
    head that needs our framing policy goes to :class:`_PolicyParser`. Interim (1xx) heads are looked past.
    """
    pos = 0
    while True:
        end = _HEAD_END.search(buf, pos)
        if end is None:
            return (None if len(buf) - pos < _MAX_HEAD else HttpResponseParser), len(buf), None
        head = buf[pos : end.start()].lower()
        status = head.split(b"\n", 1)[0].split(None, 2)
        code = int(status[1]) if len(status) > 1 and status[1].isdigit() else 0
        if 100 <= code < 200 and code != 101:
            pos = end.end()
            continue
        if code in (204, 304):
            return _PolicyParser, end.end(), None
        lengths = head.count(b"\ncontent-length")
        if lengths == 0:
            return HttpResponseParser, end.end(), None
        at = head.find(b"\ncontent-length")
        line_end = head.find(b"\n", at + 1)
        value = head[at:] if line_end < 0 else head[at:line_end]
        digits = value.partition(b":")[2].strip()
        odd = lengths > 1 or not digits.isdigit() or len(digits) > 18 or b"\ntransfer-encoding" in head
        if odd:
            return _PolicyParser, end.end(), None
        return HttpResponseParser, end.end(), int(digits)


class _ChoosingParser:
    """Waits for the response head, then hands everything to the parser that head needs.

    Bytes past the end of a ``Content-Length`` body are not a next response (RFC 9112 §6.3 item 6: the
    length ends the message): they are dropped and the connection is closed, as urllib3 discards a pooled
    connection with unread bytes and curl warns of "excess found" and closes.

    The head is parsed apart from the body that came with it, so a body that breaks (a malformed chunk size)
    fails the body, not the head: the row keeps the status it got, as in the blocking modes, whatever the
    packets were.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._args, self._kwargs = args, kwargs
        self._inner: Any = None
        self._buf = b""
        self._left: int | None = None  # bytes of the response still to come, when its length is known
        self._broken = False  # the body broke after the head: anything more is dropped
        self._payloads: list[Any] = []  # the bodies of the responses whose heads were handed over last

    def feed_data(self, data: bytes, *args: Any, **kwargs: Any) -> Any:
        if self._inner is None:
            self._buf += data
            cls, head_end, length = _parser_for(self._buf)
            if cls is None:
                return [], False, b""
            self._inner = cls(*self._args, **self._kwargs)
            if length is not None and self._kwargs.get("response_with_body", True):
                self._left = head_end + length
            data, self._buf = self._buf, b""
            if 0 < head_end < len(data):
                return self._head_then_body(data[:head_end], data[head_end:], *args, **kwargs)
        return self._feed(data, *args, **kwargs)

    def _feed(self, data: bytes, *args: Any, **kwargs: Any) -> Any:
        if self._broken:
            return [], False, b""
        if self._left is not None:
            if len(data) > self._left:
                log.debug("dropping %d bytes after a Content-Length body; closing the connection",
                          len(data) - self._left)
                data = data[: self._left]
                self._args[0].force_close()
            self._left -= len(data)
            if not data:
                return [], False, b""
        try:
            messages, upgraded, tail = self._inner.feed_data(data, *args, **kwargs)
        except BadHttpMessage as exc:
            # A body that breaks after its head was handed over ends that response with an error, whether the
            # broken bytes came in the head's packet or a later one (aiohttp would otherwise leave the reader
            # waiting for a body that never ends, until the deadline).
            reading = [p for p in self._payloads if not p.is_eof()]
            if not reading:
                raise
            log.debug("response body broken after its head: %s", exc)
            self._broken = True
            self._args[0].force_close()
            for payload in reading:
                payload.set_exception(ClientPayloadError(f"broken body: {exc.message}"))
            return [], False, b""
        if messages:
            self._payloads = [payload for _, payload in messages]
        return messages, upgraded, tail

    def _head_then_body(self, head: bytes, body: bytes, *args: Any, **kwargs: Any) -> Any:
        messages, upgraded, tail = self._feed(head, *args, **kwargs)
        if upgraded:  # a 101: what follows its head belongs to the other protocol, not to this parser
            return messages, upgraded, tail + body
        if not messages:
            more = self._feed(body, *args, **kwargs)
            return [*messages, *more[0]], more[1], tail + more[2]
        more = self._feed(body, *args, **kwargs)
        if self._broken:  # the body broke: the response ends with an error (see _feed)
            return messages, upgraded, tail
        return [*messages, *more[0]], more[1], more[2]

    def feed_eof(self) -> Any:
        if self._inner is None:
            if not self._buf:
                return None
            self._inner = HttpResponseParser(*self._args, **self._kwargs)
            self._inner.feed_data(self._buf)
            self._buf = b""
        return self._inner.feed_eof()

    def pause_reading(self) -> None:
        if self._inner is not None:
            self._inner.pause_reading()


class _Protocol(ResponseHandler):
    writer_ref: asyncio.StreamWriter | None = None  # a SOCKS tunnel's writer, kept alive with the connection

    def set_response_params(self, **kwargs: Any) -> None:
        # Bytes that arrived early wait in ``_tail``; hold them back from the parser being replaced.
        tail, self._tail = self._tail, b""
        super().set_response_params(**kwargs)
        self._parser = _ChoosingParser(  # the same arguments as ResponseHandler.set_response_params uses
            self,
            self._loop,
            kwargs.get("read_bufsize", 2**16),
            timer=kwargs.get("timer"),
            payload_exception=ClientPayloadError,
            response_with_body=not kwargs.get("skip_payload", False),
            read_until_eof=kwargs.get("read_until_eof", False),
            auto_decompress=kwargs.get("auto_decompress", True),
            max_line_size=kwargs.get("max_line_size", 8190),
            max_field_size=kwargs.get("max_field_size", 8190),
            max_headers=kwargs.get("max_headers", 128),
        )
        self._tail = tail
        self._drain_tail()


class PolicyConnector(aiohttp.TCPConnector):
    """A ``TCPConnector`` whose connections parse responses by the shared framing policy."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._factory = functools.partial(_Protocol, loop=self._loop)


class SocksPolicyConnector(ProxyConnector):
    """aiohttp-socks' SOCKS connector whose connections frame responses like :class:`PolicyConnector`'s.

    aiohttp-socks makes its own protocol object for a tunnelled connection (``_connect_via_proxy``); this one
    makes ours instead, so a response read through a SOCKS proxy means what it means on a direct connection.
    Leans on ``ProxyConnector``'s attributes (``_proxy_type``, ``_proxy_host``, ...) of aiohttp-socks 0.9-0.12.
    """

    async def _connect_via_proxy(
        self, host: str, port: int, ssl: SSLContext | None = None, timeout: float | None = None,  # noqa: ASYNC109 - the library's signature
    ) -> tuple[asyncio.Transport, ResponseHandler]:
        proxy = Proxy(
            proxy_type=self._proxy_type, host=self._proxy_host, port=self._proxy_port,
            username=self._proxy_username, password=self._proxy_password, rdns=self._rdns,
            proxy_ssl=self._proxy_ssl,
        )
        stream = await proxy.connect(dest_host=host, dest_port=port, dest_ssl=ssl, timeout=timeout)
        transport = stream.writer.transport
        protocol = _Protocol(loop=self._loop)
        protocol.writer_ref = stream.writer  # the transport closes when its StreamWriter is collected
        transport.set_protocol(protocol)
        protocol.connection_made(transport)
        return transport, protocol  # type: ignore[return-value]
