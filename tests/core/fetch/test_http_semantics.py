"""One HTTP layer: every test-bed case of HTTP semantics gives the same, right row in sync, threads and async."""

from __future__ import annotations

import datetime
import gzip
import os
import time
import zlib

import brotli
import pytest
import zstandard

from core.fetch.codings import BodyDecoder, DecodeFailed, parse_codings
from core.fetch.common import TooLarge, retry_after_seconds
from core.fetch.cookies import UrlCookies
from core.fetch.headers import FramingError, content_length, content_type
from core.fetch.hosts import loopback_for, to_ascii
from core.fetch.redirects import BadRedirect, location_url, method_after
from core.model import ErrorKind, FetchResult, Mode
from core.urls import parse_lines
from tests.core.conftest import run_batch

pytestmark = pytest.mark.timeout(120)

# path on the raw server -> (error_kind, status, title, final path suffix or None)
INTERIM = {f"/interim/{k}/{i}": (None, 200, f"Interim {i}") for i, k in
           enumerate(["103", "102", "100", "103x2", "103same", "103", "102", "103same"])}
FRAMING = {
    "/frame/dup-cl/1": (None, 200, "Frame 1"),
    "/frame/list-cl/2": (None, 200, "Frame 2"),
    "/frame/te-cl/3": (None, 200, "Frame 3"),
    "/frame/conflict-cl/4": (ErrorKind.RESET, None, ""),
    "/frame/bad-cl/9": (ErrorKind.RESET, None, ""),
    "/frame/two-ctype/5": (None, 200, "Кадр 5"),
    "/frame/204/6": (None, 204, ""),
    "/frame/304/7": (None, 304, ""),
    "/frame/dup-cl/8": (None, 200, "Frame 8"),  # after the 204/304 on the same connection: its own page
}
CODINGS = {f"/coding/{k}/{i}": (None, 200, f"Coding {i}") for i, k in
           enumerate(["gzip", "x-gzip", "deflate-zlib", "deflate-raw", "br", "zstd", "gzip-br"])}
CODINGS["/coding/compress/9"] = (ErrorKind.DECODE, 200, "")
LOCATIONS = {
    "/loc/utf8": (None, 200, "At /to/caf%C3%A9"),
    "/loc/latin1": (None, 200, "At /to/caf%EF%BF%BD"),  # invalid UTF-8 byte -> U+FFFD, as browsers
    "/loc/space": (None, 200, "At /to/a%20b"),
    "/loc/backslash": (None, 200, "At /to/back"),
    "/loc/scheme": (ErrorKind.INVALID_URL, None, ""),
}
CASES = {**INTERIM, **FRAMING, **CODINGS, **LOCATIONS}


def _title(r: FetchResult) -> str:
    return r.page.title if r.page is not None else ""


@pytest.fixture(scope="module")
def by_mode(testbed, extractor) -> dict[Mode, list[FetchResult]]:
    lines = [testbed.raw_url + p for p in CASES]
    # keep-alive: few connections, so an interim response or a stray body left on one would reach the next URL
    return {m: run_batch(lines, m, extractor, concurrency=2, total_timeout=5.0, retries=0)[0] for m in Mode}


@pytest.mark.parametrize("mode", list(Mode), ids=[m.value for m in Mode])
def test_each_case_has_the_right_row(mode: Mode, by_mode) -> None:
    for r, (path, (kind, status, title)) in zip(by_mode[mode], CASES.items(), strict=True):
        assert (r.error_kind, r.status_code, _title(r)) == (kind, status, title), (mode, path, r.error)


def test_no_row_carries_another_urls_body(by_mode) -> None:
    for mode, rows in by_mode.items():
        for r, path in zip(rows, CASES, strict=True):
            pid = path.rsplit("/", 1)[-1]
            if _title(r):
                assert _title(r).endswith(pid) or path.startswith("/loc/"), (mode, path, _title(r))


def test_modes_agree(by_mode) -> None:
    base = [r.comparable() for r in by_mode[Mode.SYNC]]
    for mode in (Mode.THREADS, Mode.ASYNC):
        assert [r.comparable() for r in by_mode[mode]] == base, mode


def test_content_type_last_valid_wins_and_charset_is_used(by_mode) -> None:
    for rows in by_mode.values():
        r = rows[list(CASES).index("/frame/two-ctype/5")]
        assert (r.content_type, r.charset) == ("text/html; charset=windows-1251", "windows-1251")


@pytest.mark.parametrize("mode", list(Mode), ids=[m.value for m in Mode])
def test_cookies_stay_with_their_input_url(mode: Mode, testbed, extractor) -> None:
    u = testbed.raw_url
    lines = [f"{u}/cookie/consent", f"{u}/cookie/article/1", f"{u}/cookie/login/7", f"{u}/cookie/article/2"]
    rows, _ = run_batch(lines, mode, extractor, concurrency=1)
    assert [_title(r) for r in rows] == ["Consent given", "Article 1 consent no", "Logged in 7",
                                         "Article 2 consent no"]
    assert rows[2].redirects == (f"{u}/cookie/login/7", f"{u}/cookie/grant/7")  # the login loop needed its cookie
    [echo], _ = run_batch([f"{u}/echo"], mode, extractor)
    assert _title(echo) == "Accept-Encoding: gzip, deflate, br, zstd; Cookie: -"  # the same request in every mode


@pytest.mark.parametrize("mode", list(Mode), ids=[m.value for m in Mode])
def test_redirect_chain_limit_fragment_and_localhost(mode: Mode, testbed, closed_port_url, extractor) -> None:
    u = testbed.url
    port = u.rsplit(":", 1)[1]
    lines = [f"{u}/redirect/10", f"{u}/redirect/11", f"{testbed.raw_url}/loc/frag",
             f"http://fetchlens-check.localhost:{port}/page/local", closed_port_url + "/"]
    rows, _ = run_batch(lines, mode, extractor, retries=0)
    ten, eleven, frag, local, refused = rows
    assert ten.ok and len(ten.redirects) == 10
    assert eleven.error_kind is ErrorKind.TOO_MANY_REDIRECTS and len(eleven.redirects) == 11
    assert eleven.error.startswith(f"more than 10 redirects: {u}/redirect/11 → {u}/redirect/10")
    assert frag.final_url == f"{testbed.raw_url}/to/nofrag#keep" and _title(frag) == "At /to/nofrag"  # RFC 9110 §10.2.2
    assert local.ok and _title(local) == "Page local"  # RFC 6761: *.localhost is loopback in every mode
    # a refused connection spent its time connecting, not waiting for a first byte
    assert refused.error_kind is ErrorKind.CONNECT
    assert refused.timings.connect_ms is not None and refused.timings.wait_ms is None


@pytest.mark.parametrize("mode", list(Mode), ids=[m.value for m in Mode])
def test_deadline_holds_on_a_drip_fed_close_delimited_body(mode: Mode, testbed, extractor) -> None:
    t = time.perf_counter()
    [r], _ = run_batch([f"{testbed.raw_url}/drip-close"], mode, extractor, total_timeout=1.5, retries=0)
    assert r.error_kind is ErrorKind.TIMEOUT
    assert time.perf_counter() - t < 4.0


# --- the shared layer's rules, one by one ----------------------------------------------------------


def test_codings_decode_every_form_and_cap_after_decoding() -> None:
    body = b"<html>" + b"x" * 5000 + b"</html>"
    raw = zlib.compressobj(wbits=-15)
    forms = {"gzip": gzip.compress(body), "x-gzip": gzip.compress(body), "deflate": zlib.compress(body),
             "br": brotli.compress(body), "zstd": zstandard.ZstdCompressor().compress(body)}
    forms["deflate "] = raw.compress(body) + raw.flush()
    for name, coded in forms.items():
        d = BodyDecoder(parse_codings([name]), 10_000)
        for i in range(0, len(coded), 7):
            d.feed(coded[i : i + 7])
        assert d.finish() == body, name
    with pytest.raises(TooLarge):
        BodyDecoder(["gzip"], 1000).feed(gzip.compress(body))
    with pytest.raises(DecodeFailed):
        BodyDecoder(parse_codings(["compress"]), 1000)
    with pytest.raises(DecodeFailed):
        BodyDecoder(["gzip"], 1000).feed(b"\x1f\x8b not gzip at all")
    assert parse_codings(["gzip, identity", "br"]) == ["gzip", "br"]
    assert BodyDecoder(["gzip"], 1000).finish() == b""  # an empty body with a coding is an empty body
    cut = BodyDecoder(["gzip"], 10_000)
    cut.feed(gzip.compress(body)[:-8])  # no trailer: what was decoded is kept, as browsers do
    assert cut.finish() == body


def test_header_policy() -> None:
    assert content_length([("Content-Length", "98"), ("content-length", "98")]) == 98
    assert content_length([("Content-Length", "98, 98")]) == 98
    assert content_length([("Transfer-Encoding", "chunked"), ("Content-Length", "5")]) is None
    with pytest.raises(FramingError):
        content_length([("Content-Length", "98"), ("Content-Length", "7")])
    with pytest.raises(FramingError):
        content_length([("Content-Length", "-1")])
    # Fetch "extract a MIME type": the last valid one wins; a charset of the same essence survives
    assert content_type([("Content-Type", "text/html"), ("Content-Type", "text/html; charset=koi8-r")]) == \
        "text/html; charset=koi8-r"
    assert content_type([("Content-Type", "text/plain, bogus, text/html")]) == "text/html"
    assert content_type([("Content-Type", "text/html; charset=gbk"), ("Content-Type", "text/html")]) == \
        "text/html; charset=gbk"
    assert content_type([("Content-Type", "nonsense")]) == ""


def test_location_resolution_and_methods() -> None:
    base = "http://a.example/dir/page?x=1#top"
    assert location_url(base, "/caf\u00e9".encode()) == "http://a.example/caf%C3%A9#top"
    assert location_url(base, b"other#own") == "http://a.example/dir/other#own"
    assert location_url(base, b"//b.example/\xff") == "http://b.example/%EF%BF%BD#top"
    assert location_url(base, b"  https://FA\xc3\x9f.example/p  ") == "https://xn--fa-hia.example/p#top"
    for bad in (b"javascript:alert(1)", b"http://[::1"):
        with pytest.raises(BadRedirect):
            location_url(base, bad)
    assert [method_after(s, "POST") for s in (301, 302, 303, 307, 308)] == ["GET", "GET", "GET", "POST", "POST"]
    assert method_after(303, "HEAD") == "HEAD"


def test_hosts_uts46_nontransitional_everywhere() -> None:
    assert to_ascii("faß.example") == "xn--fa-hia.example" != to_ascii("fass.example")
    batch = parse_lines(["http://faß.example/", "http://fass.example/", "http://xn--fa-hia.example/"])
    assert [e.duplicate_of for e in batch.entries] == [None, None, 0]
    assert loopback_for("api.Localhost.") == "127.0.0.1" and loopback_for("localhost.example") is None


@pytest.mark.parametrize("value", ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
                                   "Sun Nov  6 08:49:37 1994"])
def test_retry_after_dates_are_utc_in_any_time_zone(value: str) -> None:
    when = datetime.datetime(1994, 11, 6, 8, 49, 37, tzinfo=datetime.UTC).timestamp()
    saved = os.environ.get("TZ")
    try:
        for zone in ("UTC", "America/New_York", "Asia/Kolkata"):
            os.environ["TZ"] = zone
            time.tzset()
            assert retry_after_seconds(value, now=when - 30) == pytest.approx(30.0), zone
    finally:
        if saved is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = saved
        time.tzset()


def test_cookie_jar_is_per_exchange() -> None:
    jar = UrlCookies()
    jar.store("http://127.0.0.1:8000/a/b", ["s=1; Path=/", "t=2; Path=/other"])
    assert jar.header_for("http://127.0.0.1:8000/x") == "s=1"
    assert UrlCookies().header_for("http://127.0.0.1:8000/x") is None
