"""Content codings, decoded by us in every mode (both HTTP clients hand over the bytes as sent).

Supported: ``gzip`` / ``x-gzip`` (RFC 9110 §8.4.1.3), ``deflate`` in both forms servers send (zlib-wrapped
as RFC 9110 §8.4.1.2 says, and raw DEFLATE as some servers send anyway), ``br`` (RFC 7932, the ``brotli``
package), ``zstd`` (RFC 8878, the ``zstandard`` package) and ``identity``. Several codings apply in the
order listed, so they are undone in reverse (RFC 9110 §8.4). Anything else is a ``decode`` failure: the
bytes are never handed to the parser as if they were text.

The size cap counts *decoded* bytes, and gzip/deflate/br decoding stops as soon as the cap is passed,
so a compression bomb costs at most the cap in memory.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Callable, Sequence

import brotli
import zstandard

from core.fetch.common import TooLarge

log = logging.getLogger(__name__)

ACCEPT_ENCODING = "gzip, deflate, br, zstd"
"""Advertised in every mode (the same header whatever the HTTP client)."""


class DecodeFailed(Exception):
    """The body could not be decoded, or its coding is unknown (error kind ``decode``)."""


class _Stage:
    """One coding being undone; ``feed`` returns at most ``limit`` bytes plus what must be flushed."""

    def feed(self, data: bytes, limit: int) -> bytes:
        raise NotImplementedError

    def finish(self, limit: int) -> bytes:
        """Whatever is left once the body ended. A stream that stops short keeps what it decoded (as browsers
        and both HTTP clients before did); an empty body with a coding is an empty body."""
        return b""


class _Zlib(_Stage):
    """gzip (multi-member too) or deflate; deflate picks zlib or raw from its first two bytes."""

    def __init__(self, gzip: bool) -> None:
        self._gzip = gzip
        self._d: zlib._Decompress | None = zlib.decompressobj(16 + zlib.MAX_WBITS) if gzip else None
        self._head = b""
        self._members = False  # a gzip member has ended: what follows is another member or ignored garbage
        self._done = False  # what followed a member was not one: the rest of the body is ignored

    def feed(self, data: bytes, limit: int) -> bytes:
        if self._d is None:
            self._head += data
            if len(self._head) < 2:
                return b""
            b0, b1 = self._head[0], self._head[1]
            zlib_wrapped = b0 & 0x0F == 8 and (b0 << 8 | b1) % 31 == 0  # RFC 1950 §2.2 header check
            self._d = zlib.decompressobj(zlib.MAX_WBITS if zlib_wrapped else -zlib.MAX_WBITS)
            data, self._head = self._head, b""
        out = bytearray()
        if self._done:
            return b""
        try:
            while data:
                out += self._d.decompress(data, max(1, limit + 1 - len(out)))
                if len(out) > limit:
                    break
                if self._d.unconsumed_tail:
                    data = self._d.unconsumed_tail
                elif self._d.eof and self._d.unused_data and self._gzip:
                    data = self._d.unused_data.lstrip(b"\0")  # the next gzip member (RFC 1952 §2.2)
                    self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)
                    self._members = True
                else:
                    data = b""
        except zlib.error as exc:
            if self._members:
                # bytes after a complete member that are not a gzip member: ignored, as Chromium's
                # GzipSourceStream and urllib3's GzipDecoder do (RFC 1952 §2.2 defines no trailer after one)
                log.debug("ignoring bytes after the last gzip member (%s)", exc)
                self._done = True
                return bytes(out)
            raise DecodeFailed(f"{'gzip' if self._gzip else 'deflate'} data is corrupt ({exc})") from exc
        return bytes(out)


class _Brotli(_Stage):
    def __init__(self) -> None:
        self._d = brotli.Decompressor()

    def feed(self, data: bytes, limit: int) -> bytes:
        try:
            out = bytearray(self._d.process(data, output_buffer_limit=limit + 1))
            while len(out) <= limit and not self._d.can_accept_more_data():
                out += self._d.process(b"", output_buffer_limit=limit + 1 - len(out))
        except brotli.error as exc:
            raise DecodeFailed(f"br data is corrupt ({exc})") from exc
        return bytes(out)



class _Zstd(_Stage):
    def __init__(self) -> None:
        self._d = zstandard.ZstdDecompressor().decompressobj()

    def feed(self, data: bytes, limit: int) -> bytes:
        try:
            return self._d.decompress(data)
        except zstandard.ZstdError as exc:
            raise DecodeFailed(f"zstd data is corrupt ({exc})") from exc


_STAGES: dict[str, Callable[[], _Stage]] = {
    "gzip": lambda: _Zlib(gzip=True),
    "x-gzip": lambda: _Zlib(gzip=True),  # RFC 9110 §8.4.1.3: a recipient SHOULD treat x-gzip as gzip
    "deflate": lambda: _Zlib(gzip=False),
    "br": _Brotli,
    "zstd": _Zstd,
}


def parse_codings(values: Sequence[str]) -> list[str]:
    """The codings named by every ``Content-Encoding`` field, in the order applied (lower case, no identity)."""
    out = []
    for value in values:
        for token in value.split(","):
            name = token.strip().lower()
            if name and name != "identity":
                out.append(name)
    return out


class BodyDecoder:
    """Undo the content codings of one response as its bytes arrive, under a size cap.

    Args:
        codings: from :func:`parse_codings`.
        limit: the most decoded bytes accepted; more raises :class:`TooLarge`.

    Raises:
        DecodeFailed: at construction for an unknown coding, or while feeding corrupt data.
    """

    def __init__(self, codings: Sequence[str], limit: int) -> None:
        unknown = [c for c in codings if c not in _STAGES]
        if unknown:
            raise DecodeFailed(f"unsupported Content-Encoding: {', '.join(unknown)}")
        self._stages = [_STAGES[c]() for c in reversed(codings)]
        self._limit = limit
        self._parts: list[bytes] = []
        self.size = 0
        """Decoded bytes so far."""

    def feed(self, data: bytes) -> None:
        """Take the next bytes as they came off the wire."""
        for stage in self._stages:
            data = stage.feed(data, self._limit - self.size)
        self._take(data)

    def finish(self) -> bytes:
        """The whole decoded body."""
        for i, stage in enumerate(self._stages):
            data = stage.finish(self._limit - self.size)
            for later in self._stages[i + 1 :]:
                data = later.feed(data, self._limit - self.size)
            self._take(data)
        return b"".join(self._parts)

    def _take(self, data: bytes) -> None:
        if data:
            self.size += len(data)
            if self.size > self._limit:
                raise TooLarge(self._limit)
            self._parts.append(data)
