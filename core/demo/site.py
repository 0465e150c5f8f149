"""A built-in demo web site: an outdoor-gear shop with a journal, served on 127.0.0.1.

The demo runs offline inside the app's own (running) asyncio loop, so a first-time user can
press Start and watch the three modes differ. Every page is deterministic: its size, number of
links and latency come from a seeded generator, so two runs (and the three modes) see the same
site. A few addresses fail on purpose, so the results table also shows errors:

* ``/article/37`` was "removed": 404.
* ``/search?q=tent`` hits a broken search back end: 500.
* ``/old-shop/sale`` redirects twice before landing on ``/category/clearance``.
* ``/reports/annual-2025`` is slow (about 2.5 s).
* ``/api/stock`` answers 503 with ``Retry-After: 1`` on every other request (a retry succeeds).

Usage::

    async with DemoSite() as site:
        batch = site.urls()
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
from dataclasses import dataclass
from html import escape
from types import TracebackType

from aiohttp import web

log = logging.getLogger(__name__)

SITE_NAME = "Northwind Trail Co."
_CHUNK = 16 * 1024
_BYTES_PER_S = 1_500_000  # simulated bandwidth of one connection
_MAX_LINKS = 150

_SUBJECTS = (
    "A good tent", "The right sleeping bag", "Layering", "A lightweight stove", "Waterproof boots",
    "Your first multi-day hike", "Trail running shoes", "A well-packed rucksack", "Merino wool",
    "Down insulation", "A headlamp with spare batteries", "An early start", "Good navigation",
    "A repair kit", "Knowing the forecast",
)  # fmt: skip
_VERBS = (
    "makes all the difference on", "matters more than most people think for",
    "is often overlooked when planning", "can save the day on", "changes how you feel about",
    "pays for itself after a season of", "deserves a second look before", "is the quiet hero of",
)  # fmt: skip
_OBJECTS = (
    "cold nights above the tree line", "long days in wet weather", "a weekend in the hills",
    "shoulder-season trips", "family camping", "steep, rocky descents", "river crossings",
    "windy coastal paths", "a first winter overnight", "crowded summer campsites",
)  # fmt: skip
_TAILS = (
    "", "", " We tested it over three seasons.", " Our staff agree, mostly.",
    " — at least in our experience.", " Read on for the details.", " The numbers below explain why.",
)  # fmt: skip
_PREFIXES = (
    "A Beginner's Guide to", "How We Test", "Ten Lessons From", "The Complete Guide to",
    "What Nobody Tells You About", "Field Notes:", "Repair Café:", "Why We Love",
)  # fmt: skip
_TOPICS = (
    "Winter Camping", "Ultralight Packing", "Trail Running Shoes", "Down Jackets", "Backcountry Cooking",
    "Map and Compass", "Hammock Camping", "Rain Gear", "Bikepacking", "Hut-to-Hut Trekking",
    "Sleeping Pads", "Water Filters",
)  # fmt: skip
_PRODUCT_NAMES = ("Alpine", "Ridge", "Summit", "Fjord", "Cascade", "Tundra", "Granite", "Aurora")
_PRODUCT_ITEMS = (
    "2-Person Tent", "Down Jacket", "Trekking Poles", "40 L Backpack", "Sleeping Bag −5 °C",
    "Headlamp 400", "Rain Shell", "Camp Stove", "Water Filter", "Merino Base Layer",
)  # fmt: skip
_CATEGORIES = ("tents", "backpacks", "clothing", "cooking", "clearance")
_AUTHORS = ("Maja Lindqvist", "Tomás Ortega", "Priya Natarajan", "Ewan MacLeod", "Ana Kovač")
_SLOW_ARTICLES = {5: 1450, 17: 1150, 29: 1900}  # a few pages whose back end is slow (ms)
_LONGREADS = {11: 295_000, 23: 210_000}  # long photo essays (bytes)
_LEGACY_ARTICLE = 3  # migrated from an old CMS: windows-1252, charset only in <meta>
_ERROR_TEXT = {
    404: "Sorry, we could not find that page. It may have been moved or retired with last season's range.",
    500: "Something went wrong on our side. Our team has been notified; please try again in a few minutes.",
}


@dataclass(frozen=True, slots=True)
class DemoPage:
    """What one address of the demo site does, declared up front.

    Attributes:
        path: Path (and query, for ``/search``) below the base URL.
        kind: ``home``, ``section``, ``category``, ``article``, ``product``, ``about``, ``missing``,
            ``error``, ``redirect``, ``slow`` or ``flaky``.
        title: Page title (empty for non-HTML answers).
        status: HTTP status of the (first) answer.
        latency_ms: Time to first byte before the time scale is applied.
        size: Approximate body size in bytes (HTML pages land within a paragraph above it).
        links: Number of ``<a href>`` links in the body.
        description: The meta description, or ``None`` when the page has none.
        location: Redirect target for ``redirect`` pages.
    """

    path: str
    kind: str
    title: str
    status: int
    latency_ms: int
    size: int
    links: int
    description: str | None = None
    location: str | None = None


def _rng(*parts: object) -> random.Random:
    # A str seed is hashed with SHA-512, so it does not depend on PYTHONHASHSEED.
    return random.Random(":".join(map(str, parts)))


def _latency(path: str) -> int:
    """Typical server latency: log-normal around 220 ms, clipped to 40-900 ms."""
    value = _rng("latency", path).lognormvariate(math.log(220), 0.5)
    return round(min(900.0, max(40.0, value)))


def _size(path: str, low: int, high: int) -> int:
    """A log-uniform size between ``low`` and ``high`` bytes."""
    return round(math.exp(_rng("size", path).uniform(math.log(low), math.log(high))))


def _build_pages() -> tuple[DemoPage, ...]:
    rng = _rng("titles")
    titles = [f"{p} {t}" for p in _PREFIXES for t in _TOPICS]
    articles = rng.sample(titles, 36)
    products = [f"{n} {i}" for n, i in rng.sample([(n, i) for n in _PRODUCT_NAMES for i in _PRODUCT_ITEMS], 14)]
    pages = [
        DemoPage("/", "home", "Gear for every trail", 200, _latency("/"), 46_000, 42, "Tents, packs and advice."),
        DemoPage("/about", "about", "About us", 200, _latency("/about"), 5_200, 5, "A small shop run by hikers."),
        DemoPage("/contact", "about", "Contact", 200, _latency("/contact"), 6_100, 6, None),
        DemoPage("/journal", "section", "The Journal", 200, _latency("/journal"), 38_000, 48, "Stories and guides."),
    ]
    for slug in _CATEGORIES:
        path = f"/category/{slug}"
        links = _rng("links", path).randint(60, _MAX_LINKS)
        pages.append(
            DemoPage(path, "category", f"Shop {slug}", 200, _latency(path), _size(path, 30_000, 90_000), links)
        )
    for n, title in enumerate(articles, start=1):
        path = f"/article/{n}"
        size = _LONGREADS.get(n) or _size(path, 8_000, 120_000)
        links = _rng("links", path).randint(8, 60)
        latency = _SLOW_ARTICLES.get(n) or _latency(path)
        desc = None if n % 7 == 0 else f"{title}: practical advice from the {SITE_NAME} team."
        pages.append(DemoPage(path, "article", title, 200, latency, size, links, desc))
    for n, title in enumerate(products, start=1):
        path = f"/product/{n}"
        links = _rng("links", path).randint(12, 40)
        pages.append(DemoPage(path, "product", title, 200, _latency(path), _size(path, 15_000, 60_000), links, title))
    pages += [
        DemoPage("/article/37", "missing", "Page not found", 404, 90, 700, 6),
        DemoPage("/search?q=tent", "error", "Internal Server Error", 500, 450, 500, 0),
        DemoPage("/old-shop/sale", "redirect", "", 301, 60, 0, 0, location="/sale"),
        DemoPage("/sale", "redirect", "", 302, 70, 0, 0, location="/category/clearance"),
        DemoPage("/reports/annual-2025", "slow", "Annual report 2025", 200, 2_400, 40_000, 20, "Our year in numbers."),
        DemoPage("/api/stock", "flaky", "", 503, 120, 60, 0),
    ]
    return tuple(pages)


_PAGES = _build_pages()
_BY_PATH = {page.path.partition("?")[0]: page for page in _PAGES}
_BATCH = (
    ["/", "/about", "/journal", "/category/tents", "/category/backpacks", "/category/clearance"]
    + [f"/article/{n}" for n in range(1, 23)]
    + [f"/product/{n}" for n in range(1, 9)]
    + ["/article/37", "/search?q=tent", "/old-shop/sale", "/reports/annual-2025", "/api/stock"]
)


def pages() -> tuple[DemoPage, ...]:
    """Every address the demo site answers, with its declared status, latency and size."""
    return _PAGES


def urls(base: str) -> list[str]:
    """The demo batch: about 40 URLs of the site at ``base``, including the deliberate failures.

    Args:
        base: The site's base URL, as returned by :meth:`DemoSite.start`.

    Returns:
        Absolute URLs in a fixed order.
    """
    return [base.rstrip("/") + path for path in _BATCH]


def _paragraphs() -> tuple[str, ...]:
    rng = _rng("paragraphs")
    result = []
    for _ in range(80):
        sentences = [
            f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}.{rng.choice(_TAILS)}"
            for _ in range(rng.randint(4, 8))
        ]
        result.append(escape(" ".join(sentences)))
    return tuple(result)


_PARAGRAPHS = _paragraphs()


def _link_targets(page: DemoPage) -> list[tuple[str, str]]:
    """``page.links`` (href, text) pairs: site navigation first, then related pages and the web."""
    rng = _rng("targets", page.path)
    nav = [("/", "Home"), ("/journal", "Journal"), ("/category/tents", "Tents"), ("/about", "About us")]
    nav += [("/contact", "Contact"), ("/category/clearance", "Sale")]
    pool = [(p.path, p.title) for p in _PAGES if p.kind in ("article", "product", "category") and p.path != page.path]
    external = [(f"https://www.example.org/trails/{n}", f"Trail report {n}") for n in range(1, 40)]
    internal = rng.sample(pool, len(pool))
    reviews = [(f"{href}#reviews", f"Reviews: {text}") for href, text in internal]  # shop cards link twice
    extra = internal + reviews + external
    return (nav + extra)[: page.links]


def render(page: DemoPage, origin: str) -> bytes:
    """The HTML of one page (deterministic for a given ``origin``).

    Args:
        page: The page to render.
        origin: Scheme and authority for the canonical link, e.g. ``http://127.0.0.1:8080``.

    Returns:
        The encoded body (UTF-8, or windows-1252 for the one legacy article).
    """
    rng = _rng("render", page.path)
    legacy = page.path == f"/article/{_LEGACY_ARTICLE}"
    links = [f'<a href="{escape(href)}">{escape(text)}</a>' for href, text in _link_targets(page)]
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="windows-1252">' if legacy else '<meta charset="utf-8">',
        f"<title>{escape(page.title)} – {SITE_NAME}</title>",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
    ]
    if page.description is not None:
        head.append(f'<meta name="description" content="{escape(page.description)}">')
    if page.status == 200:
        head.append(f'<link rel="canonical" href="{escape(origin + page.path)}">')
    head += ['<link rel="stylesheet" href="/static/site.css">', "</head>", "<body>"]
    body = [f"<header><nav>{' | '.join(links[:6])}</nav></header>", "<main>", f"<h1>{escape(page.title)}</h1>"]
    if page.kind == "article":
        body.append(f'<p class="byline">By {rng.choice(_AUTHORS)} · {rng.randint(3, 25)} min read</p>')
    elif page.kind == "product":
        body.append(f'<p class="price">€{rng.randint(19, 649)}.{rng.choice(("00", "50", "95"))}</p>')
    related = links[6:]
    footer = ["</main>", f"<footer><p>© 2026 {SITE_NAME}</p></footer>", "</body>", "</html>", ""]
    encoding = "cp1252" if legacy else "utf-8"

    def size_of(part: str) -> int:
        return len(part.encode(encoding, "xmlcharrefreplace")) + 1  # + the newline that joins parts

    aside_open, aside_close = "<aside><h2>Related</h2><ul>", "</ul></aside>"
    length = sum(map(size_of, head + body + footer)) - 1
    aside = size_of(aside_open + aside_close) + sum(size_of(f"<li>{a}</li>") - 1 for a in related) if related else 0
    filler: list[str] = []
    if page.status >= 400:
        filler.append(f"<p>{_ERROR_TEXT[page.status]}</p>")
    while page.status < 400 and length + aside < page.size:
        paragraph = f"<p>{rng.choice(_PARAGRAPHS)}</p>"
        if related and rng.random() < 0.3:  # weave some links into the text, as a writer would
            link = related.pop()
            paragraph = paragraph[:-4] + f" See also {link}.</p>"
            aside = aside - size_of(f"<li>{link}</li>") + 1 if related else 0
        filler.append(paragraph)
        length += size_of(paragraph)
    if related:
        filler.append(aside_open + "".join(f"<li>{a}</li>" for a in related) + aside_close)
    return "\n".join(head + body + filler + footer).encode(encoding, "xmlcharrefreplace")


class DemoSite:
    """The demo site, served by aiohttp inside the running asyncio loop.

    Args:
        host: Address to listen on; keep the loopback so nothing is exposed.
        port: TCP port; 0 picks a free one.
        time_scale: Multiplies every delay (tests use a small value to run fast).
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, time_scale: float = 1.0) -> None:
        self._host, self._port = host, port
        self._scale = max(0.0, time_scale)
        self._runner: web.AppRunner | None = None
        self._base_url = ""
        self._cache: dict[tuple[str, str], bytes] = {}
        self._flaky_calls = 0
        self.requests_served = 0

    @property
    def base_url(self) -> str:
        """The base URL while running (``http://127.0.0.1:PORT``), else an empty string."""
        return self._base_url

    def urls(self) -> list[str]:
        """The demo batch for this running site (see :func:`urls`)."""
        if not self._base_url:
            raise RuntimeError("the demo site is not running")
        return urls(self._base_url)

    async def start(self) -> str:
        """Start serving in the running loop.

        Returns:
            The base URL, e.g. ``http://127.0.0.1:45678``.
        """
        if self._runner is not None:
            return self._base_url
        app = web.Application()
        app.router.add_get("/{tail:.*}", self._handle)
        # A short shutdown timeout: stop() must not wait for the slow page to finish.
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await runner.setup()
        try:
            await web.TCPSite(runner, self._host, self._port).start()
        except OSError:
            await runner.cleanup()
            raise
        self._runner = runner
        host, port = runner.addresses[0][:2]
        self._base_url = f"http://{host}:{port}"
        log.info("Demo site with %d pages at %s", len(_PAGES), self._base_url)
        return self._base_url

    async def stop(self) -> None:
        """Stop serving and close every connection; calling it again does nothing."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
            log.info("Demo site at %s stopped after %d requests", self._base_url, self.requests_served)
        self._base_url = ""

    async def __aenter__(self) -> DemoSite:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.requests_served += 1
        page = _BY_PATH.get(request.path) or _BY_PATH["/article/37"]
        headers = {"Server": "fetchlens-demo", "X-Demo-Latency-Ms": str(page.latency_ms)}
        await asyncio.sleep(page.latency_ms / 1000 * self._scale)
        if page.kind == "redirect":
            return web.Response(status=page.status, headers={**headers, "Location": str(page.location)})
        if page.kind == "flaky":
            self._flaky_calls += 1
            if self._flaky_calls % 2:
                return web.json_response(
                    {"error": "stock service busy"}, status=503, headers={**headers, "Retry-After": "1"}
                )
            return web.json_response({"in_stock": 1287, "warehouses": 3}, headers=headers)
        key = (page.path, f"{request.scheme}://{request.host}")
        body = self._cache.get(key)
        if body is None:
            body = self._cache[key] = render(page, key[1])
        legacy = page.path == f"/article/{_LEGACY_ARTICLE}"
        response = web.StreamResponse(status=page.status, headers=headers)
        response.content_type = "text/html"
        if not legacy:  # the legacy page declares its charset only in <meta>
            response.charset = "utf-8"
        response.content_length = len(body)
        return await self._send(request, response, body)

    async def _send(self, request: web.Request, response: web.StreamResponse, body: bytes) -> web.StreamResponse:
        """Send the body in chunks at the simulated bandwidth, so downloads take visible time."""
        try:
            await response.prepare(request)
            if request.method != "HEAD":
                for start in range(0, len(body), _CHUNK):
                    await response.write(body[start : start + _CHUNK])
                    await asyncio.sleep(min(_CHUNK, len(body) - start) / _BYTES_PER_S * self._scale)
            await response.write_eof()
        except ConnectionResetError:  # the client gave up (a stopped run); nothing to clean up
            log.debug("Client left during %s", request.path)
        return response
