"""The test bed itself behaves as specified (fast checks against the real servers)."""

from __future__ import annotations

import asyncio
import gzip
import json
import socket
import time
import zlib
from urllib.parse import urlsplit

import aiohttp
import bs4
import charset_normalizer
import pytest
import requests

from tests.testbed.app import CHARSET_TITLES, render_page
from tests.testbed.content import MESSY_EXPECTED, NO_HEAD_EXPECTED, collapse, page_delay
from tests.testbed.process import ServerProcess
from tests.testbed.tls import TLSServer

pytestmark = pytest.mark.timeout(60)

T = (3, 10)  # requests (connect, read) timeouts


def _soup(body: bytes) -> bs4.BeautifulSoup:
    return bs4.BeautifulSoup(body, "lxml")


def _raw(base: str, path: str, read_timeout: float = 5.0) -> tuple[bytes, BaseException | None]:
    """Send a bare GET over a socket; return what came back and how the read ended."""
    parts = urlsplit(base)
    assert parts.hostname and parts.port
    data = bytearray()
    with socket.create_connection((parts.hostname, parts.port), timeout=3) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode())
        sock.settimeout(read_timeout)
        try:
            while chunk := sock.recv(65536):
                data += chunk
        except OSError as exc:
            return bytes(data), exc
    return bytes(data), None


# --- pages ---------------------------------------------------------------------------------


def test_render_page_is_deterministic_exact_and_complete() -> None:
    body = render_page("42", 5000, 20, "Page 42")
    assert body == render_page("42", 5000, 20, "Page 42")
    assert len(body) == 5000
    assert body != render_page("43", 5000, 20, "Page 42")
    soup = _soup(body)
    assert soup.title is not None and soup.title.string == "Page 42"
    assert soup.find("meta", attrs={"name": "description"})["content"] == "Description of page 42"
    assert soup.find("link", rel="canonical")["href"] == "/page/42"
    assert soup.h1 is not None and soup.h1.get_text() == "Heading 42"
    assert len(soup.find_all("a", href=True)) == 20
    assert soup.table is not None and body.startswith(b"<!DOCTYPE html>")
    assert len(render_page("big", 3_000_001, 20, "Big")) == 3_000_001
    assert len(render_page("tiny", 10, 0, "T")) > 10  # the skeleton wins over a tiny size


def test_page_defaults(testbed: ServerProcess) -> None:
    r = requests.get(f"{testbed.url}/page/7", timeout=T)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    assert r.content == render_page("7", 2000, 20, "Page 7")


def test_page_parameters(testbed: ServerProcess) -> None:
    url = f"{testbed.url}/page/abc?size=30000&links=55&title=Hello%20%26%20bye&status=404&ctype=text/html"
    r = requests.get(url, timeout=T)
    assert (r.status_code, r.headers["Content-Type"], len(r.content)) == (404, "text/html", 30000)
    soup = _soup(r.content)
    assert soup.title is not None and soup.title.string == "Hello & bye"
    assert len(soup.find_all("a", href=True)) == 55

    r = requests.get(f"{testbed.url}/page/z?gzip=1", timeout=T, stream=True)
    wire = r.raw.read(decode_content=False)
    assert r.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(wire) == render_page("z", 2000, 20, "Page z")


def test_latency_and_repeatable_jitter(testbed: ServerProcess) -> None:
    assert page_delay("p1", 100, 50) == page_delay("p1", 100, 50)
    delays = {page_delay(f"p{i}", 100, 50) for i in range(50)}
    assert len(delays) > 40 and all(0.05 <= d <= 0.15 for d in delays)
    assert page_delay("x", 0, 0) == 0.0 and page_delay("x", 10, 1000) >= 0.0
    started = time.monotonic()
    r = requests.get(f"{testbed.url}/page/slow?latency=300", timeout=T)
    assert r.ok and time.monotonic() - started >= 0.3


@pytest.mark.parametrize("code", [200, 204, 404, 418, 500, 503, 599])
def test_status(testbed: ServerProcess, code: int) -> None:
    r = requests.get(f"{testbed.url}/status/{code}", timeout=T)
    assert r.status_code == code
    if code != 204:
        assert b"<title>Status %d</title>" % code in r.content


# --- redirects and retries -------------------------------------------------------------------


def test_redirects(testbed: ServerProcess) -> None:
    r = requests.get(f"{testbed.url}/redirect/3", timeout=T)
    assert [h.status_code for h in r.history] == [302, 302, 302]
    assert r.url == f"{testbed.url}/page/final" and r.status_code == 200

    with requests.Session() as session:
        session.max_redirects = 10
        with pytest.raises(requests.TooManyRedirects):
            session.get(f"{testbed.url}/redirect-loop", timeout=T)

    r = requests.get(f"{testbed.url}/redirect-to", params={"url": "ftp://example.invalid/x"}, timeout=T,
                     allow_redirects=False)  # fmt: skip
    assert (r.status_code, r.headers["Location"]) == (302, "ftp://example.invalid/x")


def test_retry_and_count(testbed: ServerProcess, unique_key: str) -> None:
    url = f"{testbed.url}/retry?key={unique_key}&times=2&status=429&after=1"
    answers = [requests.get(url, timeout=T) for _ in range(3)]
    assert [a.status_code for a in answers] == [429, 429, 200]
    assert answers[0].headers["Retry-After"] == "1" and "Retry-After" not in answers[2].headers
    count = requests.get(f"{testbed.url}/count", params={"key": unique_key}, timeout=T).json()
    assert count == {"key": unique_key, "count": 3}
    requests.get(f"{testbed.url}/status/500?key={unique_key}x", timeout=T)
    assert requests.get(f"{testbed.url}/count?key={unique_key}x", timeout=T).json()["count"] == 1


# --- slow, stalled and endless bodies ------------------------------------------------------


def test_drip_is_slow_but_complete(testbed: ServerProcess) -> None:
    started = time.monotonic()
    r = requests.get(f"{testbed.url}/drip?chunks=5&interval=100", timeout=T)
    assert time.monotonic() - started >= 0.4
    assert r.headers["Transfer-Encoding"] == "chunked" and r.headers["Content-Type"].startswith("text/html")
    assert r.content.count(b"drip chunk") == 5 and r.content.endswith(b"</html>\n")


def test_headers_then_stall(testbed: ServerProcess) -> None:
    with requests.get(f"{testbed.url}/headers-then-stall", timeout=(3, 0.5), stream=True) as r:
        assert r.status_code == 200 and r.headers["Transfer-Encoding"] == "chunked"
        with pytest.raises(requests.ConnectionError, match="timed out"):
            next(r.iter_content(1024))


def test_hang(testbed: ServerProcess) -> None:
    with pytest.raises(requests.ReadTimeout):
        requests.get(f"{testbed.url}/hang", timeout=(3, 0.5))


def test_endless(testbed: ServerProcess) -> None:
    with requests.get(f"{testbed.url}/endless", timeout=T, stream=True) as r:
        assert "Content-Length" not in r.headers
        got = 0
        for chunk in r.iter_content(65536):
            got += len(chunk)
            if got >= 4 * 2**20:
                break
    assert got >= 4 * 2**20


# --- encodings -----------------------------------------------------------------------------


def test_bomb_is_small_on_the_wire(testbed: ServerProcess) -> None:
    with requests.get(f"{testbed.url}/bomb", timeout=(3, 30), stream=True) as r:
        assert r.headers["Content-Encoding"] == "gzip" and r.headers["Content-Type"].startswith("text/html")
        wire = r.raw.read(8 * 2**20, decode_content=False)
    assert 100_000 < len(wire) < 2 * 2**20 and int(r.headers["Content-Length"]) == len(wire)
    inflated = zlib.decompressobj(31).decompress(wire[:65536], 10 * 2**20)
    assert inflated.startswith(b"<!DOCTYPE html>") and len(inflated) > 2**20
    assert int(r.headers["Content-Length"]) * 500 < 2**30  # ratio: 1 GiB behind ~1 MB


def test_bad_gzip(testbed: ServerProcess) -> None:
    with pytest.raises(requests.exceptions.ContentDecodingError):
        requests.get(f"{testbed.url}/bad-gzip", timeout=T)


@pytest.mark.parametrize("name", ["euc-kr", "shift_jis", "windows-1252", "utf-8"])
def test_charset_pages(testbed: ServerProcess, name: str) -> None:
    title = CHARSET_TITLES[name]
    r = requests.get(f"{testbed.url}/charset/{name}?via=header", timeout=T)
    assert r.headers["Content-Type"] == f"text/html; charset={name}"
    assert f"<title>{title}</title>" in r.content.decode(name)

    r = requests.get(f"{testbed.url}/charset/{name}?via=meta", timeout=T)
    assert r.headers["Content-Type"] == "text/html"
    assert f'<meta charset="{name}">'.encode() in r.content
    soup = _soup(r.content)
    assert soup.title is not None and soup.title.string == title

    r = requests.get(f"{testbed.url}/charset/{name}?via=none", timeout=T)
    assert r.headers["Content-Type"] == "text/html" and b"charset" not in r.content.lower()
    assert len(r.content) >= 2048
    best = charset_normalizer.from_bytes(r.content).best()
    assert best is not None and f"<title>{title}</title>" in str(best)


def test_charset_bom_and_errors(testbed: ServerProcess) -> None:
    r = requests.get(f"{testbed.url}/charset/utf-8?via=bom", timeout=T)
    assert r.content.startswith(b"\xef\xbb\xbf") and r.headers["Content-Type"] == "text/html"
    assert CHARSET_TITLES["utf-8"] in r.content.decode("utf-8-sig")
    assert requests.get(f"{testbed.url}/charset/euc-kr?via=bom", timeout=T).status_code == 400
    assert requests.get(f"{testbed.url}/charset/klingon", timeout=T).status_code == 404


def test_other_content_types(testbed: ServerProcess) -> None:
    binary = requests.get(f"{testbed.url}/binary", timeout=T)
    as_html = requests.get(f"{testbed.url}/binary-as-html", timeout=T)
    assert binary.headers["Content-Type"] == "application/octet-stream" and len(binary.content) == 65536
    assert as_html.headers["Content-Type"] == "text/html" and as_html.content == binary.content
    assert binary.content == requests.get(f"{testbed.url}/binary", timeout=T).content
    with pytest.raises(UnicodeDecodeError):
        binary.content.decode("utf-8")

    js = requests.get(f"{testbed.url}/json", timeout=T)
    assert js.headers["Content-Type"].startswith("application/json") and json.loads(js.content)["ok"] is True
    png = requests.get(f"{testbed.url}/image.png", timeout=T)
    assert png.headers["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG\r\n\x1a\n")
    text = requests.get(f"{testbed.url}/text", timeout=T)
    assert text.headers["Content-Type"].startswith("text/plain") and b"<" not in text.content


def test_invalid_bytes(testbed: ServerProcess) -> None:
    r = requests.get(f"{testbed.url}/invalid-bytes", timeout=T)
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    with pytest.raises(UnicodeDecodeError):
        r.content.decode("utf-8")
    assert "<title>Broken \ufffd\ufffd bytes \ufffd( here</title>" in r.content.decode("utf-8", "replace")


@pytest.mark.parametrize(("path", "expected"), [("/messy", MESSY_EXPECTED), ("/no-head", NO_HEAD_EXPECTED)])
def test_awkward_html(testbed: ServerProcess, path: str, expected: dict[str, str | int]) -> None:
    soup = _soup(requests.get(testbed.url + path, timeout=T).content)
    assert soup.title is not None and collapse(soup.title.get_text()) == expected["title"]
    meta = soup.find("meta", attrs={"name": lambda v: v is not None and v.lower() == "description"})
    assert collapse(meta["content"] if meta else "") == expected["meta_description"]
    assert soup.h1 is not None and collapse(soup.h1.get_text(" ")) == expected["h1"]
    canonical = soup.find("link", rel="canonical")
    assert (canonical["href"] if canonical else "") == expected["canonical"]
    assert len(soup.find_all("a", href=True)) == expected["links"]


def test_big_pages(testbed: ServerProcess) -> None:
    r = requests.get(f"{testbed.url}/big?size=12000000", timeout=T)
    assert int(r.headers["Content-Length"]) == len(r.content) == 12_000_000
    r = requests.get(f"{testbed.url}/big-chunked?size=12000000", timeout=T)
    assert "Content-Length" not in r.headers and len(r.content) == 12_000_000


def test_many_concurrent_connections(testbed: ServerProcess) -> None:
    async def fetch_all() -> list[int]:
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector) as session:

            async def one(i: int) -> int:
                async with session.get(f"{testbed.url}/page/c{i}?latency=200") as r:
                    await r.read()
                    return r.status

            return await asyncio.gather(*(one(i) for i in range(600)))

    assert set(asyncio.run(fetch_all())) == {200}


# --- raw server, closed port, TLS, process ---------------------------------------------------


def test_raw_ok(testbed: ServerProcess) -> None:
    data, error = _raw(testbed.raw_url, "/anything")
    assert error is None and data.startswith(b"HTTP/1.1 200 OK\r\n") and b"<title>Raw OK</title>" in data


def test_raw_resets(testbed: ServerProcess) -> None:
    data, error = _raw(testbed.raw_url, "/reset-before")
    assert data == b"" and isinstance(error, ConnectionResetError)
    data, error = _raw(testbed.raw_url, "/reset-mid")
    assert isinstance(error, ConnectionResetError)
    assert data.startswith(b"HTTP/1.1 200 OK\r\n") and b"Content-Length: 100000" in data and len(data) < 100_000


def test_raw_broken_bodies(testbed: ServerProcess) -> None:
    data, error = _raw(testbed.raw_url, "/short-body")
    head, _, body = data.partition(b"\r\n\r\n")
    assert error is None and b"Content-Length: 10000" in head and len(body) == 100
    data, error = _raw(testbed.raw_url, "/bad-chunked")
    head, _, body = data.partition(b"\r\n\r\n")
    assert b"Transfer-Encoding: chunked" in head and body.startswith(b"this is not a chunk size\r\n")
    data, error = _raw(testbed.raw_url, "/garbage")
    assert error is None and data and not data.startswith(b"HTTP/")
    data, error = _raw(testbed.raw_url, "/no-answer", read_timeout=0.5)
    assert data == b"" and isinstance(error, TimeoutError)


def test_closed_port(closed_port_url: str) -> None:
    with pytest.raises(requests.ConnectionError):
        requests.get(closed_port_url, timeout=T)


def test_tls_server(tls_server: TLSServer) -> None:
    assert tls_server.url.startswith("https://127.0.0.1:")
    r = requests.get(f"{tls_server.url}/page/secure", timeout=T, verify=tls_server.ca_path)
    assert r.status_code == 200 and r.content == render_page("secure", 2000, 20, "Page secure")
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(f"{tls_server.url}/page/secure", timeout=T)


def test_server_process_exits_cleanly() -> None:
    with ServerProcess(raw=False) as server:
        assert server.raw_url == "" and requests.get(f"{server.url}/text", timeout=T).ok
        url = server.url
    assert server.returncode == 0 and not server.log_path.exists()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/text", timeout=T)


def test_a_test_bed_whose_starter_is_killed_stops_by_itself() -> None:
    """A test run killed before its fixtures' teardown leaves no test-bed server behind."""
    import os
    import signal
    import subprocess
    import sys

    import psutil

    from tests.testbed.process import ROOT

    starter = subprocess.Popen(
        [sys.executable, "-c", "from tests.testbed.process import ServerProcess; import sys, threading\n"
         "s = ServerProcess().start(); print(s.pid, flush=True); threading.Event().wait()"],
        cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)), stdout=subprocess.PIPE, text=True)
    server = None
    try:
        assert starter.stdout is not None
        server = psutil.Process(int(starter.stdout.readline()))
        assert server.is_running()
        os.kill(starter.pid, signal.SIGKILL)
        starter.wait(10)
        server.wait(10)  # raises psutil.TimeoutExpired if the server outlives its starter
    finally:
        if starter.poll() is None:
            starter.kill()
        if server is not None and server.is_running():
            server.kill()  # (only when the test failed)
