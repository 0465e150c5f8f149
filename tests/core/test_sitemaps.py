"""Sitemaps as input: urlsets, indexes with gzipped children, limits, bombs, robots.txt, files."""

from __future__ import annotations

import asyncio
import gzip
import threading
from collections.abc import Iterator

import pytest
from aiohttp import web

from core.settings import Settings
from core.sitemaps import MAX_URLS, Expander, SitemapError, expand_lines, looks_like_sitemap, parse, read_inputs
from core.urls import Listed, parse_lines
from tests.testbed.audit import AUDIT_PAGES, BOMB, LASTMOD, MALFORMED, urlset

SETTINGS = Settings(total_timeout=20.0)


def _audit_urls(base: str) -> list[str]:
    return [f"{base}/audit/{n}" for n in AUDIT_PAGES]


def test_urlset_in_document_order_with_lastmod() -> None:
    doc = parse(urlset("http://h.example", AUDIT_PAGES))
    assert doc.kind == "urlset"
    assert [loc for loc, _ in doc.entries] == _audit_urls("http://h.example")
    assert {lastmod for _, lastmod in doc.entries} == {LASTMOD}


def test_gzip_is_recognised_by_its_magic_bytes() -> None:
    assert parse(gzip.compress(urlset("http://h.example", ("ok",)))).entries == [("http://h.example/audit/ok", LASTMOD)]


def test_entity_bomb_is_refused_not_expanded() -> None:
    with pytest.raises(SitemapError, match="XML bomb"):
        parse(BOMB)


@pytest.mark.parametrize(("data", "message"), [
    (MALFORMED, "malformed XML"),
    (b"<html><body>not a sitemap</body></html>", "not a sitemap"),
    (b"\x1f\x8bnot really gzip", "not valid gzip"),
])
def test_bad_documents_say_why(data: bytes, message: str) -> None:
    with pytest.raises(SitemapError, match=message):
        parse(data)


def test_index_with_two_gzipped_children_expands_in_order(testbed) -> None:
    items = Expander(SETTINGS).expand(f"{testbed.url}/sitemap_index.xml")
    assert all(not i.error for i in items), [i.error for i in items]
    assert [i.text for i in items] == _audit_urls(testbed.url)
    assert all(i.lastmod == LASTMOD for i in items)


@pytest.mark.parametrize(("path", "message"), [
    ("/sitemaps/malformed.xml", "malformed XML"),
    ("/sitemaps/bomb.xml", "XML bomb"),
    ("/sitemaps/huge.xml.gz", "larger than 50 MB"),
    ("/sitemaps/none.xml", "HTTP 404"),
])
def test_a_bad_sitemap_is_one_invalid_row_that_says_why(testbed, path: str, message: str) -> None:
    items = Expander(SETTINGS).expand(testbed.url + path)
    assert len(items) == 1 and message in items[0].error and path in items[0].error
    batch = parse_lines(items)
    assert len(batch) == 1 and not batch.entries[0].valid and message in batch.entries[0].error
    again = parse_lines([items[0].line])  # as the journal stores it: still an invalid line that says why
    assert not again.entries[0].valid and message in again.entries[0].raw


def test_more_than_50000_urls_keeps_the_first_and_says_so(testbed) -> None:
    items = Expander(SETTINGS).expand(f"{testbed.url}/sitemaps/many.xml")
    assert len(items) == MAX_URLS + 1
    assert items[0].text.endswith("/audit/p0") and items[MAX_URLS - 1].text.endswith(f"/audit/p{MAX_URLS - 1}")
    assert "50,001 URLs" in items[-1].error and "first 50,000" in items[-1].error


@pytest.fixture
def robots_site(testbed) -> Iterator[str]:
    """A tiny site whose robots.txt names the test bed's two sitemaps (one by a relative path)."""

    async def robots(_request: web.Request) -> web.Response:
        return web.Response(text=f"User-agent: *\nDisallow:\n\nSitemap: {testbed.url}/sitemap.xml\n"
                                 "sitemap: /sitemap_index.xml\n")

    async def proxy_index(_request: web.Request) -> web.Response:
        raise web.HTTPFound(f"{testbed.url}/sitemap_index.xml")

    app = web.Application()
    app.router.add_get("/robots.txt", robots)
    app.router.add_get("/sitemap_index.xml", proxy_index)
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(app)
    loop.run_until_complete(runner.setup())
    site = web.TCPSite(runner, "127.0.0.1", 0)
    loop.run_until_complete(site.start())
    port = runner.addresses[0][1]
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.run_until_complete(runner.cleanup())
        loop.close()


def test_robots_txt_expands_its_sitemap_lines(testbed, robots_site) -> None:
    items = Expander(SETTINGS).expand(f"{robots_site}/robots.txt")
    urls = _audit_urls(testbed.url)
    assert [i.text for i in items] == urls + urls  # sitemap.xml, then the index (via a redirect)


def test_local_files_and_pasted_lines(testbed, tmp_path) -> None:
    local = tmp_path / "site.xml.gz"
    local.write_bytes(gzip.compress(urlset(testbed.url, ("ok", "dup-a"))))
    urls_file = tmp_path / "urls.txt"
    urls_file.write_text(f"{testbed.url}/page/1\n{testbed.url}/sitemap.xml\n")
    items = read_inputs([str(local), str(urls_file)], [f"{testbed.url}/sitemaps/malformed.xml"], SETTINGS)
    texts = [i.text if isinstance(i, Listed) else i for i in items]
    assert texts[:3] == [f"{testbed.url}/audit/ok", f"{testbed.url}/audit/dup-a", f"{testbed.url}/page/1"]
    assert texts[3:-1] == _audit_urls(testbed.url)
    assert isinstance(items[-1], Listed) and "malformed XML" in items[-1].error
    batch = parse_lines(items)
    assert batch.entries[0].lastmod == LASTMOD and batch.entries[2].lastmod == ""
    pasted = expand_lines([f"{testbed.url}/page/1", f"{testbed.url}/sitemap_index.xml"], SETTINGS)
    assert [i.text if isinstance(i, Listed) else i for i in pasted] == [f"{testbed.url}/page/1",
                                                                         *_audit_urls(testbed.url)]


@pytest.mark.parametrize(("line", "expected"), [
    ("https://e.example/sitemap.xml", True), ("https://e.example/sitemap_index.xml.gz", True),
    ("https://e.example/robots.txt", True), ("https://e.example/posts.xml.gz", True),
    ("https://e.example/feed.xml", False), ("https://e.example/page", False), ("# sitemap.xml", False),
    ("https://e.example/a/robots.txt", False),
])
def test_which_lines_name_a_sitemap(line: str, expected: bool) -> None:
    assert looks_like_sitemap(line) is expected
