"""The built-in demo site: declared variety, real answers on 127.0.0.1, clean start and stop."""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from core.demo.site import DemoSite, pages, render, urls

ROOT = Path(__file__).resolve().parents[3]
HTML_KINDS = {"home", "section", "category", "article", "product", "about"}
HTML_PAGES = [p for p in pages() if p.kind in HTML_KINDS]


def test_site_declares_about_sixty_varied_pages() -> None:
    assert 55 <= len(HTML_PAGES) <= 70
    assert all(p.status == 200 and p.title for p in HTML_PAGES)
    sizes = [p.size for p in HTML_PAGES]
    assert min(sizes) >= 5_000 and max(sizes) <= 300_000
    assert min(sizes) < 10_000 and max(sizes) > 200_000 and len(set(sizes)) > 40
    links = [p.links for p in HTML_PAGES]
    assert min(links) >= 5 and max(links) <= 150 and max(links) > 90
    latencies = [p.latency_ms for p in HTML_PAGES]
    assert 150 <= statistics.median(latencies) <= 400
    slow = [ms for ms in latencies if ms >= 1000]
    assert 2 <= len(slow) <= 5 and max(slow) <= 2000
    assert all(p.latency_ms < 3000 for p in pages())
    assert any(p.description is None for p in HTML_PAGES) and any(p.description for p in HTML_PAGES)


def test_declared_pages_do_not_depend_on_the_hash_seed() -> None:
    code = (
        "import json; from core.demo.site import pages; "
        "print(json.dumps([(p.path, p.latency_ms, p.size, p.links) for p in pages()]))"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True, text=True, check=True, cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    ]  # fmt: skip
    assert runs[0] == runs[1]
    assert json.loads(runs[0]) == [[p.path, p.latency_ms, p.size, p.links] for p in pages()]


def test_rendered_pages_match_what_they_declare() -> None:
    for page in HTML_PAGES:
        body = render(page, "http://127.0.0.1:1")
        assert page.size <= len(body) <= page.size * 1.1 + 2_000, page.path
        assert body.count(b"<a href=") == page.links, page.path
        assert b'<link rel="canonical" href="http://127.0.0.1:1' + page.path.encode() + b'">' in body
        assert body.count(b"<h1>") == 1


def test_demo_batch_is_about_forty_unique_urls_with_the_failures() -> None:
    batch = urls("http://127.0.0.1:8/")
    assert 35 <= len(batch) <= 45
    assert len(set(batch)) == len(batch)
    assert all(u.startswith("http://127.0.0.1:8/") and "//" not in u[len("http://") :] for u in batch)
    paths = {u.removeprefix("http://127.0.0.1:8") for u in batch}
    assert {"/article/37", "/search?q=tent", "/old-shop/sale", "/reports/annual-2025", "/api/stock"} <= paths


async def _fetch(session: aiohttp.ClientSession, url: str) -> tuple[aiohttp.ClientResponse, bytes, float]:
    started = time.perf_counter()
    async with session.get(url) as response:
        body = await response.read()
    return response, body, time.perf_counter() - started


def test_live_site_serves_pages_errors_and_redirects() -> None:
    by_path = {p.path: p for p in pages()}

    async def scenario() -> None:
        site = DemoSite()
        base = await site.start()
        try:
            assert base.startswith("http://127.0.0.1:") and site.base_url == base
            async with aiohttp.ClientSession() as session:
                home, body, elapsed = await _fetch(session, base + "/")
                assert home.status == 200 and home.content_type == "text/html" and home.charset == "utf-8"
                assert int(home.headers["X-Demo-Latency-Ms"]) == by_path["/"].latency_ms
                assert elapsed >= by_path["/"].latency_ms / 1000  # the latency really happened
                assert b"<title>Gear for every trail" in body
                assert f'<link rel="canonical" href="{base}/">'.encode() in body

                article, body, _ = await _fetch(session, base + "/article/11")
                assert article.status == 200 and len(body) > 200_000  # the long read

                legacy, body, _ = await _fetch(session, base + "/article/3")
                assert legacy.charset is None and b'<meta charset="windows-1252">' in body
                body.decode("cp1252")

                missing, body, _ = await _fetch(session, base + "/article/37")
                assert missing.status == 404 and b"could not find" in body
                unknown, _, _ = await _fetch(session, base + "/no/such/page")
                assert unknown.status == 404

                broken, _, _ = await _fetch(session, base + "/search?q=tent")
                assert broken.status == 500

                moved, _, _ = await _fetch(session, base + "/old-shop/sale")
                assert [r.status for r in moved.history] == [301, 302]
                assert moved.status == 200 and moved.url.path == "/category/clearance"

                busy, _, _ = await _fetch(session, base + "/api/stock")
                assert busy.status == 503 and busy.headers["Retry-After"] == "1"
                retried, body, _ = await _fetch(session, base + "/api/stock")
                assert retried.status == 200 and json.loads(body)["in_stock"] > 0
        finally:
            await site.stop()
        assert site.base_url == ""

    asyncio.run(scenario())


def test_whole_batch_runs_concurrently_and_stop_closes_the_port() -> None:
    declared = {p.path: p for p in pages()}

    async def scenario() -> None:
        async with DemoSite(time_scale=0.25) as site:
            batch = site.urls()
            async with aiohttp.ClientSession() as session:
                started = time.perf_counter()
                results = await asyncio.gather(*(_fetch(session, url) for url in batch))
                wall = time.perf_counter() - started
            base = site.base_url
        paths = [url.removeprefix(base) for url in batch]
        statuses = {path: response.status for path, (response, _, _) in zip(paths, results, strict=True)}
        assert statuses["/article/37"] == 404 and statuses["/search?q=tent"] == 500
        assert statuses["/api/stock"] == 503 and statuses["/old-shop/sale"] == 200
        assert sum(status == 200 for status in statuses.values()) == len(batch) - 3
        sequential = sum(declared[path].latency_ms for path in paths) / 1000 * 0.25
        assert sequential > 3 and wall < sequential / 2  # served side by side, not one after another
        assert site.base_url == "" and site.requests_served == len(batch) + 2  # two redirect hops
        async with aiohttp.ClientSession() as session:
            with pytest.raises(aiohttp.ClientConnectionError):
                await _fetch(session, base + "/")
        await site.stop()  # a second stop is harmless

    asyncio.run(scenario())
