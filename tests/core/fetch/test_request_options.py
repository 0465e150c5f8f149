"""Request options end to end in every mode: headers, cookies, credentials, proxies, rate limits, robots, HEAD.

Real servers on 127.0.0.1: recording origin servers (tests/testbed/echo.py), an HTTP forward
proxy and a SOCKS5 proxy (tests/testbed/proxies.py) in a background loop, and the HTTPS test bed.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.fetch.options import (
    Credentials,
    HostRule,
    Method,
    ProxyOptions,
    RequestOptions,
    RobotsMode,
)
from core.model import ErrorKind, Mode
from tests.core.conftest import ALL_MODES, run_batch
from tests.testbed.background import BackgroundLoop
from tests.testbed.echo import EchoServer
from tests.testbed.proxies import HttpProxy, Socks5Proxy

NO_ROBOTS = RobotsMode.IGNORE
ROBOTS_TXT = """\
User-agent: otherbot
Disallow: /

User-agent: *
Disallow: /private/
Allow: /private/open
Disallow: /*.pdf$
Crawl-delay: 0.25
"""


@pytest.fixture(scope="module")
def bed() -> Iterator[dict[str, object]]:
    with BackgroundLoop() as bg:
        yield {
            "a": EchoServer(bg).start(),
            "b": EchoServer(bg).start(),
            "c": EchoServer(bg).start(),
            "robots": EchoServer(bg, robots=ROBOTS_TXT).start(),
            "http_proxy": HttpProxy(bg).start(),
            "auth_proxy": HttpProxy(bg, credentials=("pxuser", "px-pass-77")).start(),
            "socks": Socks5Proxy(bg).start(),
            "auth_socks": Socks5Proxy(bg, credentials=("sxuser", "sx-pass-88")).start(),
        }


@pytest.fixture
def servers(bed: dict[str, object]) -> dict[str, object]:
    for s in bed.values():
        s.clear()  # type: ignore[attr-defined]
    return bed


def _hostport(server: EchoServer) -> str:
    return f"127.0.0.1:{server.port}"


# -- authentication ------------------------------------------------------------------------
@ALL_MODES
def test_basic_and_bearer_go_only_to_their_hosts(mode: Mode, servers, extractor) -> None:
    a, b, c = servers["a"], servers["b"], servers["c"]
    opts = RequestOptions(robots=NO_ROBOTS, rules=(
        HostRule(_hostport(a), credentials=Credentials.basic("alice:s3cret-pw")),
        HostRule(_hostport(b), credentials=Credentials("bearer", "", "tok-9f8e7d")),
    ))
    lines = [
        f"{a.url}/basic", f"{b.url}/bearer", f"{c.url}/basic",
        f"{a.url}/to?url={c.url}/echo/from-a", f"{b.url}/to?url={c.url}/echo/from-b",
        f"{a.url}/to?url={a.url}/basic",  # same origin: the credentials follow
    ]
    results, _ = run_batch(lines, mode, extractor, requests=opts)
    assert [r.status_code for r in results] == [200, 200, 401, 200, 200, 200]
    assert results[0].page is not None and results[0].page.title == "basic ok"
    assert results[1].page is not None and results[1].page.title == "bearer ok"
    assert results[3].final_url == f"{c.url}/echo/from-a"
    seen_c = c.records
    assert {r.path for r in seen_c} == {"/basic", "/echo/from-a", "/echo/from-b"}
    assert all("authorization" not in r.headers for r in seen_c), [r.headers for r in seen_c]
    assert all(r.headers.get("authorization", "").startswith("Basic ") for r in a.records)
    assert all(r.headers.get("authorization") == "Bearer tok-9f8e7d" for r in b.records)


# -- headers and cookies --------------------------------------------------------------------
def _cookies_txt(path: Path, port: int) -> Path:
    lines = [
        "# Netscape HTTP Cookie File",
        "127.0.0.1\tFALSE\t/echo/sub\tFALSE\t0\tsub\tfrom-file",  # session cookie, path-scoped
        "127.0.0.1\tFALSE\t/\tFALSE\t1000000000\told\texpired-2001",  # expired in 2001
        "127.0.0.1\tFALSE\t/\tTRUE\t0\tsec\thttps-only",  # secure: never over http
        ".example.test\tTRUE\t/\tFALSE\t0\tother\telsewhere",  # another domain
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


@ALL_MODES
def test_headers_and_cookies_reach_the_server(mode: Mode, servers, extractor, tmp_path) -> None:
    a, b = servers["a"], servers["b"]
    opts = RequestOptions(
        robots=NO_ROBOTS,
        headers=(("X-Global", "g"), ("User-Agent", "CustomAgent/2"), ("Accept-Language", "fr")),
        cookies=(("glob", "one"),),
        cookies_file=str(_cookies_txt(tmp_path / "cookies.txt", a.port)),
        rules=(
            HostRule("*", headers=(("X-Star", "s"),)),
            HostRule("127.0.0.1", headers=(("X-Global", "host"),)),
            HostRule(_hostport(b), headers=(("X-Global", "host-port"),), cookies=(("bonly", "b1"),)),
            HostRule("*.example.test", cookies=(("never", "x"),)),
        ),
    )
    lines = [f"{a.url}/echo/plain", f"{a.url}/echo/sub/page", f"{b.url}/echo/b"]
    results, _ = run_batch(lines, mode, extractor, requests=opts)
    assert all(r.ok for r in results), [r.error for r in results]
    plain, sub = sorted(a.records, key=lambda r: r.path)
    assert plain.path == "/echo/plain" and sub.path == "/echo/sub/page"
    assert plain.headers["x-global"] == "host" and plain.headers["x-star"] == "s"
    assert plain.headers["user-agent"] == "CustomAgent/2" and plain.headers["accept-language"] == "fr"
    # Each input URL has its own jar, filled with the cookies meant for it: B's rule cookie never reaches A,
    # whichever was fetched first.
    assert plain.cookies == {"glob": "one"}
    assert sub.cookies.get("sub") == "from-file" and "sub" not in plain.cookies
    for rec in (plain, sub):
        assert "old" not in rec.cookies and "sec" not in rec.cookies and "never" not in rec.cookies
        assert "other" not in rec.cookies
    [brec] = b.records
    assert brec.headers["x-global"] == "host-port"  # the most specific rule wins
    assert brec.cookies.get("bonly") == "b1" and brec.cookies.get("glob") == "one"


# -- proxies ---------------------------------------------------------------------------------
@ALL_MODES
@pytest.mark.parametrize("kind", ["http_proxy", "auth_proxy", "socks", "auth_socks"])
def test_requests_go_through_the_proxy(mode: Mode, kind: str, servers, extractor) -> None:
    a, proxy = servers["a"], servers[kind]
    url = proxy.url
    if proxy.credentials:
        user, password = proxy.credentials
        url = url.replace("://", f"://{user}:{password}@")
    opts = RequestOptions(robots=NO_ROBOTS, proxy=ProxyOptions(url))
    results, _ = run_batch([f"{a.url}/echo/p1", f"{a.url}/echo/p2"], mode, extractor, requests=opts)
    assert all(r.ok for r in results), [r.error for r in results]
    records = proxy.records
    assert records, "nothing went through the proxy"
    assert {r.target for r in records} == {_hostport(a)}
    if kind.endswith("proxy"):
        assert sorted(r.path for r in records) == ["/echo/p1", "/echo/p2"]
        if proxy.credentials:
            assert all(r.proxy_authorization.startswith("Basic ") for r in records)
    assert sorted(r.path for r in a.records) == ["/echo/p1", "/echo/p2"]


# The raw test bed's framing cases (tests/core/fetch/test_http_semantics.py): path -> (error kind, status, title).
FRAMING = {
    "/frame/dup-cl/1": (None, 200, "Frame 1"),
    "/frame/te-cl/3": (None, 200, "Frame 3"),
    "/frame/conflict-cl/4": (ErrorKind.RESET, None, ""),
    "/frame/204/6": (None, 204, ""),
    "/frame/dup-cl/8": (None, 200, "Frame 8"),
}


@ALL_MODES
@pytest.mark.parametrize("kind", ["http_proxy", "socks"])
def test_framing_policy_holds_through_a_proxy(mode: Mode, kind: str, servers, testbed, extractor) -> None:
    """The shared framing policy is kept on proxied connections (aiohttp-socks and PySocks ones included)."""
    proxy = servers[kind]
    opts = RequestOptions(robots=NO_ROBOTS, proxy=ProxyOptions(proxy.url, use_env=False))
    results, _ = run_batch([testbed.raw_url + p for p in FRAMING], mode, extractor, requests=opts)
    got = {p: (r.error_kind, r.status_code, r.page.title if r.page else "")
           for p, r in zip(FRAMING, results, strict=True)}
    assert got == FRAMING
    assert proxy.records, "nothing went through the proxy"


@ALL_MODES
def test_deadline_holds_on_a_drip_fed_body_through_a_socks_proxy(mode: Mode, servers, testbed, extractor,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    """The watchdog of the blocking modes cuts a SOCKS connection at the deadline, as a direct one (without
    it the run's last resort gives the request up a second later and leaves its thread behind)."""
    opts = RequestOptions(robots=NO_ROBOTS, proxy=ProxyOptions(servers["socks"].url, use_env=False))
    t = time.perf_counter()
    [r], _ = run_batch([f"{testbed.raw_url}/drip-close"], mode, extractor, requests=opts, total_timeout=1.5,
                       retries=0)
    assert r.error_kind is ErrorKind.TIMEOUT, r.error
    assert time.perf_counter() - t < 4.0
    assert "outlived its deadline" not in caplog.text


@ALL_MODES
def test_socks5h_lets_the_proxy_resolve_names(mode: Mode, servers, extractor) -> None:
    a, socks = servers["a"], servers["socks"]
    opts = RequestOptions(robots=NO_ROBOTS, proxy=ProxyOptions(socks.url.replace("socks5://", "socks5h://")))
    [r], _ = run_batch([f"http://localhost:{a.port}/echo/named"], mode, extractor, requests=opts)
    assert r.ok, r.error
    assert [x.target for x in socks.records] == [f"localhost:{a.port}"]  # the name, not an address


@ALL_MODES
@pytest.mark.parametrize("kind", ["http_proxy", "socks"])
def test_https_through_the_proxy(mode: Mode, kind: str, servers, tls_server, extractor) -> None:
    proxy = servers[kind]
    opts = RequestOptions(robots=NO_ROBOTS, proxy=ProxyOptions(proxy.url))
    [r], _ = run_batch([f"{tls_server.url}/page/7"], mode, extractor, requests=opts, verify_tls=False)
    assert r.ok and r.page is not None and r.page.title == "Page 7", r.error
    port = tls_server.url.rsplit(":", 1)[1]
    expected = "connect" if kind == "http_proxy" else "socks"
    assert [(x.kind, x.target) for x in proxy.records] == [(expected, f"127.0.0.1:{port}")]


@ALL_MODES
def test_environment_proxy_and_no_proxy_are_honoured_alike(mode: Mode, servers, extractor, monkeypatch) -> None:
    a, b, proxy = servers["a"], servers["b"], servers["http_proxy"]
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", f"example.test,127.0.0.1:{b.port}")
    lines = [f"{a.url}/echo/env", f"{b.url}/echo/direct"]
    results, _ = run_batch(lines, mode, extractor, requests=RequestOptions(robots=NO_ROBOTS))
    assert all(r.ok for r in results)
    assert [(r.target, r.path) for r in proxy.records] == [(_hostport(a), "/echo/env")]
    proxy.clear()
    off = RequestOptions(robots=NO_ROBOTS, proxy=ProxyOptions(use_env=False))  # --no-proxy
    results, _ = run_batch(lines, mode, extractor, requests=off)
    assert all(r.ok for r in results) and proxy.records == []


# -- robots.txt ------------------------------------------------------------------------------
ROBOT_PATHS = ["/public", "/private/x", "/private/open", "/doc.pdf", "/doc.pdf?v=2"]


@ALL_MODES
def test_robots_obey(mode: Mode, servers, extractor) -> None:
    srv = servers["robots"]
    results, _ = run_batch([srv.url + p for p in ROBOT_PATHS], mode, extractor,
                           requests=RequestOptions(robots=RobotsMode.OBEY), concurrency=4)
    kinds = [r.error_kind for r in results]
    assert kinds == [None, ErrorKind.ROBOTS, None, ErrorKind.ROBOTS, None]
    assert results[1].error == "Disallow: /private/" and results[3].error == "Disallow: /*.pdf$"
    paths = srv.paths()
    assert paths.count("/robots.txt") == 1
    assert "/private/x" not in paths and "/doc.pdf" not in paths
    # Crawl-delay 0.25 s feeds the host's rate in obey mode.
    times = sorted(r.t for r in srv.records if r.path != "/robots.txt")
    assert len(times) == 3
    early = [(k, t - times[0]) for k, t in enumerate(times) if t - times[0] < (k - 0.5) * 0.25]
    assert not early, early


@ALL_MODES
def test_robots_report_and_ignore(mode: Mode, servers, extractor) -> None:
    srv = servers["robots"]
    results, _ = run_batch([srv.url + p for p in ROBOT_PATHS], mode, extractor,
                           requests=RequestOptions(robots=RobotsMode.REPORT))
    assert all(r.ok for r in results)
    assert [r.robots for r in results] == ["", "Disallow: /private/", "", "Disallow: /*.pdf$", ""]
    assert srv.paths().count("/robots.txt") == 1 and "/private/x" in srv.paths()
    srv.clear()
    results, _ = run_batch([srv.url + p for p in ROBOT_PATHS], mode, extractor,
                           requests=RequestOptions(robots=RobotsMode.IGNORE))
    assert all(r.ok and not r.robots for r in results) and "/robots.txt" not in srv.paths()


@ALL_MODES
def test_robots_txt_is_fetched_with_the_same_credentials(mode: Mode, servers, extractor) -> None:
    srv = servers["robots"]
    opts = RequestOptions(robots=RobotsMode.REPORT, credentials=Credentials("bearer", "", "robots-token-1"),
                          headers=(("X-Team", "qa"),))
    run_batch([f"{srv.url}/public"], mode, extractor, requests=opts)
    [robots] = [r for r in srv.records if r.path == "/robots.txt"]
    assert robots.headers.get("authorization") == "Bearer robots-token-1" and robots.headers["x-team"] == "qa"


# -- rate limits -----------------------------------------------------------------------------
@ALL_MODES
def test_host_rate_spaces_requests_at_the_server(mode: Mode, servers, extractor) -> None:
    a = servers["a"]
    rate, n = 5.0, 8
    opts = RequestOptions(robots=NO_ROBOTS, host_rate=rate)
    results, _ = run_batch([f"{a.url}/echo/r{i}" for i in range(n)], mode, extractor, requests=opts,
                           concurrency=n)
    assert all(r.ok for r in results)
    times = sorted(r.t for r in a.records)
    assert len(times) == n
    measured = (n - 1) / (times[-1] - times[0])
    if mode is Mode.SYNC:  # one request at a time: the rate is a ceiling a slow request may stay under
        assert measured <= rate * 1.10, measured
    else:
        assert measured == pytest.approx(rate, rel=0.10), measured
    # Bucket size 1: the k-th request never arrives before its slot k/rate (half a slot of slack for
    # the first one arriving late); a burst of two would put some request a whole slot early.
    early = [(k, t - times[0]) for k, t in enumerate(times) if t - times[0] < (k - 0.5) / rate]
    assert not early, early
    waited = [r.timings.rate_limit_ms or 0.0 for r in results]
    assert sum(waited) >= (n - 1) / rate * 1000 * 0.8  # the time waited for slots is recorded ...
    assert any(seg[0] == "rate_limit" for r in results for seg in r.timings.segments())  # ... shown as a phase


@ALL_MODES
def test_overall_rate_across_hosts(mode: Mode, servers, extractor) -> None:
    a, b = servers["a"], servers["b"]
    rate, n = 10.0, 10
    lines = [f"{(a if i % 2 else b).url}/echo/o{i}" for i in range(n)]
    opts = RequestOptions(robots=NO_ROBOTS, rate=rate)
    run_batch(lines, mode, extractor, requests=opts, concurrency=n)
    times = sorted(r.t for r in a.records + b.records)
    measured = (n - 1) / (times[-1] - times[0])
    if mode is Mode.SYNC:  # one request at a time: the rate is a ceiling a slow request may stay under
        assert measured <= rate * 1.10, measured
    else:
        assert measured == pytest.approx(rate, rel=0.10), measured


# -- HEAD --------------------------------------------------------------------------------------
@ALL_MODES
def test_head_and_head_then_get(mode: Mode, servers, extractor) -> None:
    a = servers["a"]
    results, _ = run_batch([f"{a.url}/echo/h", f"{a.url}/no-head"], mode, extractor,
                           requests=RequestOptions(robots=NO_ROBOTS, method=Method.HEAD))
    assert [(r.method, r.status_code, r.page) for r in results] == [("HEAD", 200, None), ("HEAD", 405, None)]
    assert [r.method for r in a.records] == ["HEAD", "HEAD"] or sorted(r.method for r in a.records) == ["HEAD"] * 2
    a.clear()
    results, _ = run_batch([f"{a.url}/echo/h", f"{a.url}/no-head"], mode, extractor,
                           requests=RequestOptions(robots=NO_ROBOTS, method=Method.HEAD_GET))
    assert [(r.method, r.status_code) for r in results] == [("HEAD", 200), ("GET", 200)]
    assert results[0].page is None and results[1].page is not None and results[1].page.title == "echo /no-head"
    assert sorted((r.method, r.path) for r in a.records) == [("GET", "/no-head"), ("HEAD", "/echo/h"),
                                                            ("HEAD", "/no-head")]


@ALL_MODES
def test_per_host_limit_of_a_host_rule(mode: Mode, testbed, extractor) -> None:
    port = testbed.url.rsplit(":", 1)[1]
    opts = RequestOptions(robots=NO_ROBOTS, rules=(HostRule(f"127.0.0.1:{port}", per_host=1),))
    results, _ = run_batch([f"{testbed.url}/page/{i}?latency=120" for i in range(4)], mode, extractor,
                           requests=opts, concurrency=4)
    assert all(r.ok for r in results)
    spans = sorted((r.timings.started_ms, r.timings.finished_ms) for r in results)
    assert all(b[0] >= a[1] - 5 for a, b in itertools.pairwise(spans)), spans  # never two at once


@ALL_MODES
def test_429_halves_the_host_rate(mode: Mode, servers, extractor) -> None:
    a = servers["a"]
    rate = 8.0
    lines = [f"{a.url}/status/429"] + [f"{a.url}/echo/after{i}" for i in range(4)]
    results, _ = run_batch(lines, mode, extractor, requests=RequestOptions(robots=NO_ROBOTS, host_rate=rate),
                           concurrency=1, retries=0)
    assert results[0].status_code == 429 and all(r.ok for r in results[1:])
    times = [r.t for r in a.records]
    gaps = [b - a for a, b in itertools.pairwise(times)][1:]  # the first also holds the 429 page's parsing
    assert all(g >= (2 / rate) * 0.9 for g in gaps), gaps  # 4 per second after the 429, not 8
    assert sum(gaps) / len(gaps) == pytest.approx(2 / rate, rel=0.15), gaps
