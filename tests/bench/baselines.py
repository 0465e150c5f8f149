"""The baseline programs, each run as its own process: ``python -m tests.bench.baselines NAME URLFILE``.

* ``sync`` (a): the tutorial's synchronous program, ``requests.get`` then
  ``BeautifulSoup(..., 'html.parser')`` in a loop.
* ``executor`` (b): the tutorial's "async" program, ``run_in_executor`` (the loop's default
  executor) for ``requests.get`` and for ``BeautifulSoup``, then ``gather``.
* ``naive`` (c): aiohttp (one session, default connector) and ``gather`` over every URL,
  parsing with bs4 inline in the coroutine.
* ``raw`` (d): aiohttp fetching without any parsing, ``--concurrency`` worker coroutines
  pulling from one iterator: the I/O ceiling of this machine.

Every program extracts the same fields as Fetchlens (title, meta description, first h1,
number of ``<a href>`` links; ``raw`` none) and writes ``{"wall_s", "urls", "ok", "links"}``
as JSON; ``wall_s`` runs from the first request to the last result (imports excluded).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Callable
from typing import Any


def fields(soup: Any) -> tuple[str, str, str, int]:
    """Title, meta description, first h1 and link count of a parsed page (the tutorial's way)."""
    title = soup.title.get_text(strip=True) if soup.title else ""
    meta = soup.find("meta", attrs={"name": "description"})
    description = meta.get("content", "") if meta else ""
    h1 = soup.find("h1")
    return title, description, h1.get_text(strip=True) if h1 else "", len(soup.find_all("a", href=True))


def sync_program(urls: list[str], concurrency: int) -> list[tuple[str, str, str, int]]:
    """(a) One request after another, parsed as it arrives."""
    import requests
    from bs4 import BeautifulSoup

    out = []
    for url in urls:
        response = requests.get(url, timeout=30)
        out.append(fields(BeautifulSoup(response.text, "html.parser")))
    return out


def executor_program(urls: list[str], concurrency: int) -> list[tuple[str, str, str, int]]:
    """(b) ``run_in_executor`` for the request and for the parse, ``gather`` over all."""
    import requests
    from bs4 import BeautifulSoup

    async def one(url: str) -> tuple[str, str, str, int]:
        loop = asyncio.get_running_loop()
        response = await loop.run_in_executor(None, requests.get, url)
        soup = await loop.run_in_executor(None, BeautifulSoup, response.text, "html.parser")
        return fields(soup)

    async def main() -> list[tuple[str, str, str, int]]:
        return list(await asyncio.gather(*(one(u) for u in urls)))

    return asyncio.run(main())


def naive_program(urls: list[str], concurrency: int) -> list[tuple[str, str, str, int]]:
    """(c) aiohttp + ``gather``, bs4 inline (blocks the loop while it parses)."""
    import aiohttp
    from bs4 import BeautifulSoup

    async def one(session: aiohttp.ClientSession, url: str) -> tuple[str, str, str, int]:
        async with session.get(url) as response:
            text = await response.text()
        return fields(BeautifulSoup(text, "html.parser"))

    async def main() -> list[tuple[str, str, str, int]]:
        async with aiohttp.ClientSession() as session:
            return list(await asyncio.gather(*(one(session, u) for u in urls)))

    return asyncio.run(main())


def raw_program(urls: list[str], concurrency: int) -> list[tuple[str, str, str, int]]:
    """(d) aiohttp, ``concurrency`` workers, bodies read and dropped: no parsing at all."""
    import aiohttp

    async def main() -> list[tuple[str, str, str, int]]:
        out: list[tuple[str, str, str, int]] = []
        todo = iter(urls)
        connector = aiohttp.TCPConnector(limit=concurrency)
        async with aiohttp.ClientSession(connector=connector) as session:

            async def worker() -> None:
                for url in todo:
                    async with session.get(url) as response:
                        body = await response.read()
                    out.append(("raw" if response.status == 200 and body else "", "", "", 0))

            await asyncio.gather(*(worker() for _ in range(min(concurrency, len(urls)))))
        return out

    return asyncio.run(main())


PROGRAMS: dict[str, Callable[[list[str], int], list[tuple[str, str, str, int]]]] = {
    "sync": sync_program,
    "executor": executor_program,
    "naive": naive_program,
    "raw": raw_program,
}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.bench.baselines")
    p.add_argument("name", choices=sorted(PROGRAMS))
    p.add_argument("urlfile")
    p.add_argument("--limit", type=int, default=0, help="only the first N URLs (0: all)")
    p.add_argument("--concurrency", type=int, default=100, help="raw: worker coroutines")
    p.add_argument("--json", required=True)
    args = p.parse_args(argv)
    with open(args.urlfile, encoding="utf-8") as fh:
        urls = [line.strip() for line in fh if line.strip() and not line.startswith("#")]
    if args.limit:
        urls = urls[: args.limit]
    # Import the libraries before the clock starts, as Fetchlens does before its run clock.
    import aiohttp  # noqa: F401
    import bs4  # noqa: F401
    import requests  # noqa: F401

    t0 = time.perf_counter()
    rows = PROGRAMS[args.name](urls, args.concurrency)
    wall = time.perf_counter() - t0
    report = {
        "program": args.name,
        "wall_s": round(wall, 4),
        "urls": len(urls),
        "ok": sum(1 for r in rows if r[0]),
        "links": sum(r[3] for r in rows),
        "pages_per_s": round(len(urls) / wall, 2) if wall > 0 else 0.0,
    }
    with open(args.json, "w", encoding="utf-8") as fh:
        json.dump(report, fh)
    return 0


if __name__ == "__main__":
    sys.exit(main())
