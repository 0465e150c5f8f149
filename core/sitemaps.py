"""Sitemaps as input: a sitemap, a sitemap index or a robots.txt → URLs in document order.

Follows the sitemaps.org protocol (0.9): a ``<urlset>`` lists ``<url><loc>`` (with an optional
``<lastmod>``); a ``<sitemapindex>`` lists ``<sitemap><loc>`` of child sitemaps, which are
fetched and expanded in order. A sitemap may be gzip-compressed (recognised by its magic bytes,
whatever its name or Content-Type says). The protocol's limits apply per sitemap: at most
50,000 URLs and 50 MB (52,428,800 bytes) uncompressed; past them a row says so.

XML is parsed with ``defusedxml``: entity declarations and external references are refused,
so an "XML bomb" (billion laughs, quadratic blow-up, external entities) never expands. A
sitemap that cannot be fetched or parsed becomes a :class:`~core.urls.Listed` item with an
``error`` (an invalid row that says why); nothing here raises for bad input.

A robots.txt URL expands to the sitemaps its ``Sitemap:`` lines name (sitemaps.org
"Specifying the Sitemap location in your robots.txt file"; RFC 9309 leaves other records
to other specifications).
"""

from __future__ import annotations

import logging
import re
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import Element

from core.settings import Settings
from core.urls import Listed, read_source

log = logging.getLogger(__name__)

MAX_URLS = 50_000  # sitemaps.org: "no more than 50,000 URLs"
MAX_BYTES = 50 * 1024 * 1024  # sitemaps.org: "no larger than 50MB (52,428,800 bytes)" uncompressed
MAX_DEPTH = 2  # an index may list sitemaps, not further indexes; one extra level is tolerated
_GZIP_MAGIC = b"\x1f\x8b"
_SITEMAP_LINE_RE = re.compile(r"^\s*sitemap\s*:\s*(\S+)", re.I | re.M)
_SITEMAP_NAME_RE = re.compile(r"sitemap[^/]*\.xml(\.gz)?$|\.xml\.gz$", re.I)


class SitemapError(Exception):
    """A sitemap could not be read; the message is fit to show a person."""


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched document: its final URL and body bytes (content codings already removed)."""

    url: str
    body: bytes


# (url, settings) -> Fetched; raises SitemapError. The one place sitemaps go to the network.
FetchFn = Callable[[str, Settings], Fetched]


def fetch(url: str, settings: Settings) -> Fetched:
    """Fetch ``url`` with the run's timeouts, User-Agent, TLS and redirect settings.

    The single network call site of this module (request options such as proxies and
    headers will come from the shared HTTP layer once it exists). Reads at most
    :data:`MAX_BYTES` + 1 bytes and enforces ``total_timeout`` as a deadline over the
    whole response.

    Raises:
        SitemapError: connection failure, HTTP status >= 400, timeout or over the size limit.
    """
    import requests

    deadline = time.monotonic() + settings.total_timeout
    try:
        with requests.Session() as sess:
            sess.max_redirects = settings.max_redirects
            resp = sess.get(url, stream=True, verify=settings.verify_tls,
                            headers={"User-Agent": settings.user_agent},
                            timeout=(settings.connect_timeout, settings.total_timeout))
            with resp:
                if resp.status_code >= 400:
                    raise SitemapError(f"{url} answered HTTP {resp.status_code} {resp.reason or ''}".strip())
                chunks: list[bytes] = []
                size = 0
                for chunk in resp.iter_content(64 * 1024):
                    size += len(chunk)
                    if size > MAX_BYTES:
                        raise SitemapError(f"{url} is larger than {MAX_BYTES // 2**20} MB (the sitemap limit)")
                    chunks.append(chunk)
                    if time.monotonic() > deadline:
                        raise SitemapError(f"{url}: no complete response within {settings.total_timeout:g} s")
                return Fetched(resp.url, b"".join(chunks))
    except requests.RequestException as exc:
        raise SitemapError(f"cannot fetch {url}: {exc}") from exc


def gunzip(data: bytes, limit: int = MAX_BYTES) -> bytes:
    """``data`` itself, or its gzip decompression when it starts with the gzip magic bytes.

    Raises:
        SitemapError: corrupt gzip, or more than ``limit`` bytes once decompressed.
    """
    if not data.startswith(_GZIP_MAGIC):
        return data
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)  # RFC 1952 container
    try:
        out = d.decompress(data, limit + 1)
    except zlib.error as exc:
        raise SitemapError(f"not valid gzip ({exc})") from exc
    if len(out) > limit:
        raise SitemapError(f"larger than {limit // 2**20} MB once decompressed (the sitemap limit)")
    return out


def _local(tag: object) -> str:
    name = tag if isinstance(tag, str) else ""
    return name.rsplit("}", 1)[-1]


def _child_text(el: Element, name: str) -> str:
    for child in el:
        if _local(child.tag) == name:
            return (child.text or "").strip()
    return ""


@dataclass(frozen=True, slots=True)
class Parsed:
    """One parsed sitemap document.

    Attributes:
        kind: ``"urlset"`` or ``"sitemapindex"``.
        entries: ``(loc, lastmod)`` in document order (page URLs, or child sitemap URLs).
        truncated: the document listed more than :data:`MAX_URLS` entries; only the first are kept.
    """

    kind: str
    entries: list[tuple[str, str]]
    truncated: int = 0


def parse(data: bytes) -> Parsed:
    """Parse sitemap bytes (gzip or plain XML) with entity expansion refused.

    Raises:
        SitemapError: too large, not XML, entity declarations (XML bomb), or not a sitemap.
    """
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    data = gunzip(data)
    if len(data) > MAX_BYTES:
        raise SitemapError(f"larger than {MAX_BYTES // 2**20} MB (the sitemap limit)")
    try:
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        name = getattr(exc, "name", None) or type(exc).__name__
        raise SitemapError(f"refused: the XML declares an entity ({name!s}) and entity expansion is off "
                           "(a possible XML bomb)") from exc
    except ParseError as exc:
        raise SitemapError(f"malformed XML ({exc})") from exc
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise SitemapError(f"not a sitemap (root element <{kind}>, expected <urlset> or <sitemapindex>)")
    item = "url" if kind == "urlset" else "sitemap"
    entries: list[tuple[str, str]] = []
    total = 0
    for el in root:
        if _local(el.tag) != item:
            continue
        loc = _child_text(el, "loc")
        if not loc:
            continue
        total += 1
        if total <= MAX_URLS:
            entries.append((loc, _child_text(el, "lastmod")))
    return Parsed(kind, entries, max(0, total - MAX_URLS))


def robots_sitemaps(text: str, base: str) -> list[str]:
    """The ``Sitemap:`` URLs of a robots.txt, resolved against its URL, in order."""
    return [urljoin(base, m.group(1)) for m in _SITEMAP_LINE_RE.finditer(text)]


def is_robots_url(text: str) -> bool:
    """True for an http(s) URL whose path is ``/robots.txt``."""
    try:
        parts = urlsplit(text.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and parts.path == "/robots.txt"


def looks_like_sitemap(text: str) -> bool:
    """True for a line that names a sitemap or robots.txt (by URL or file name) rather than a page.

    Used for pasted text and URL files: ``…/sitemap*.xml``, ``…/*.xml.gz``, ``…/robots.txt``.
    """
    lowered = text.lower()
    if ".xml" not in lowered and "robots.txt" not in lowered:  # the common case: 100k lines in ~20 ms
        return False
    s = text.strip()
    if not s or s.startswith("#"):
        return False
    if is_robots_url(s):
        return True
    path = urlsplit(s).path if "://" in s else s
    return bool(_SITEMAP_NAME_RE.search(path))


def is_sitemap_file(path: str) -> bool:
    """A local file read as a sitemap rather than a list of URLs: ``.xml`` or ``.xml.gz``."""
    return path != "-" and path.lower().endswith((".xml", ".xml.gz"))


class Expander:
    """Expands sitemap sources into :class:`~core.urls.Listed` items, in document order.

    Args:
        settings: the run's settings (timeouts, User-Agent, TLS) for fetching sitemaps.
        fetcher: how a URL is fetched (defaults to :func:`fetch`).
    """

    def __init__(self, settings: Settings | None = None, fetcher: FetchFn = fetch) -> None:
        self._settings = settings or Settings()
        self._fetch = fetcher
        self._seen: set[str] = set()

    def expand(self, source: str) -> list[Listed]:
        """A sitemap/index/robots.txt URL or a local sitemap file (``.xml``/``.xml.gz``) → items."""
        return list(self._expand(source.strip(), 0))

    def _expand(self, source: str, depth: int) -> Iterator[Listed]:
        if source in self._seen:
            yield Listed(source, error=f"sitemap {source} is listed twice (loop); skipped")
            return
        self._seen.add(source)
        try:
            data, base = self._read(source)
            if is_robots_url(base):
                found = robots_sitemaps(data.decode("utf-8", "replace"), base)
                if not found:
                    yield Listed(source, error=f"{source} names no sitemaps (no 'Sitemap:' lines)")
                for url in found:
                    yield from self._expand(url, depth + 1)
                return
            doc = parse(data)
        except SitemapError as exc:
            log.warning("sitemap %s: %s", source, exc)
            yield Listed(source, error=f"sitemap {source}: {exc}")
            return
        if doc.kind == "sitemapindex":
            if depth >= MAX_DEPTH:
                yield Listed(source, error=f"sitemap {source}: an index nested too deep (indexes of indexes)")
                return
            for loc, _lastmod in doc.entries:
                yield from self._expand(urljoin(base, loc), depth + 1)
        else:
            for loc, lastmod in doc.entries:
                yield Listed(loc, lastmod=lastmod)
        if doc.truncated:
            yield Listed(source, error=f"sitemap {source} lists {MAX_URLS + doc.truncated:,} URLs; "
                                       f"only the first {MAX_URLS:,} are used (the sitemap limit)")

    def _read(self, source: str) -> tuple[bytes, str]:
        if "://" in source:
            got = self._fetch(source, self._settings)
            return got.body, got.url
        path = Path(source)
        try:
            if path.stat().st_size > MAX_BYTES:
                raise SitemapError(f"larger than {MAX_BYTES // 2**20} MB (the sitemap limit)")
            return path.read_bytes(), path.resolve().as_uri()
        except OSError as exc:
            raise SitemapError(f"cannot read: {exc.strerror or exc}") from exc


def expand_lines(lines: list[str], settings: Settings | None = None, fetcher: FetchFn = fetch) -> list[str | Listed]:
    """Pasted text or a URL file: lines that name a sitemap or robots.txt expand in place."""
    return _expand_in_place(lines, Expander(settings, fetcher))


def _expand_in_place(lines: list[str], ex: Expander) -> list[str | Listed]:
    out: list[str | Listed] = []
    for line in lines:
        out.extend(ex.expand(line) if looks_like_sitemap(line) else (line,))
    return out


def read_inputs(files: list[str], sitemaps: list[str], settings: Settings | None = None,
                fetcher: FetchFn = fetch) -> list[str | Listed]:
    """The command line's inputs in order: URL files (a ``.xml``/``.xml.gz`` file is a sitemap;
    sitemap and robots.txt lines in a URL file expand in place), then each ``--sitemap`` source.

    Raises:
        InputError: a URL file cannot be read (a sitemap that cannot be read is an invalid row instead).
    """
    ex = Expander(settings, fetcher)
    out: list[str | Listed] = []
    for path in files:
        if is_sitemap_file(path):
            out.extend(ex.expand(path))
            continue
        out.extend(_expand_in_place(read_source(path), ex))
    for src in sitemaps:
        out.extend(ex.expand(src))
    return out
