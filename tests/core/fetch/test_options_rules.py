"""The rules behind request options, one by one: header policy, host patterns, NO_PROXY, rate buckets,
robots.txt rule reporting, the TOML config and what the journal keeps."""

from __future__ import annotations

import itertools
import json

import pytest

from core import config
from core.fetch import secrets
from core.fetch.exchange import Exchange
from core.fetch.options import (
    Credentials,
    HostRule,
    OptionsError,
    ProxyOptions,
    RequestOptions,
    RequestPolicy,
    RobotsMode,
    environment_proxies,
    hide_password,
    may_send_credentials,
    no_proxy_match,
    parse_cookie,
    parse_header,
    split_proxy_credentials,
)
from core.fetch.ratelimit import MIN_RATE, OBSERVED_FLOOR, RECOVER_S, RateLimiter
from core.fetch.robots import matched_rule, product_token
from core.settings import Settings
from core.store import settings_from_json, settings_to_json


@pytest.mark.parametrize("text", ["Host: a", "content-length: 3", "Transfer-Encoding: chunked",
                                  "Connection: close", "Keep-Alive: 5", "Upgrade: h2c"])
def test_headers_the_http_layer_owns_are_refused(text: str) -> None:
    with pytest.raises(OptionsError, match="set by the HTTP layer"):
        parse_header(text)


@pytest.mark.parametrize("text", ["NoColon", ": v", "Bad Name: v", "X: a\r\nInjected: 1"])
def test_malformed_headers_are_refused(text: str) -> None:
    with pytest.raises(OptionsError):
        parse_header(text)


def test_header_and_cookie_parsing() -> None:
    assert parse_header("X-Test:  spaced value ") == ("X-Test", "spaced value")
    assert parse_cookie("sid=abc=def") == ("sid", "abc=def")
    with pytest.raises(OptionsError):
        parse_cookie("sid=a;b")


def test_most_specific_rule_wins() -> None:
    opts = RequestOptions(headers=(("X-A", "global"),), rules=(
        HostRule("*.example.com", headers=(("X-A", "wild"),)),
        HostRule("*", headers=(("X-A", "star"), ("X-B", "star"))),
        HostRule("api.example.com:8443", headers=(("X-A", "port"),)),
        HostRule("api.example.com", headers=(("x-a", "host"),)),
        HostRule("*.api.example.com", headers=(("X-A", "deep"),)),
    ))
    policy = RequestPolicy(opts, "UA", environ={})

    def xa(url: str) -> str:
        h = {k.lower(): v for k, v in policy.plan(url).headers.items()}
        return h["x-a"]

    assert xa("https://api.example.com:8443/") == "port"
    assert xa("https://api.example.com/") == "host"
    assert xa("https://v2.api.example.com/") == "deep"
    assert xa("https://www.example.com/") == "wild"
    assert xa("https://example.com/") == "star"  # *.example.com is subdomains only
    assert policy.plan("https://other.org/").headers["X-B"] == "star"
    assert len([k for k in policy.plan("https://api.example.com/").headers if k.lower() == "x-a"]) == 1


def test_credentials_header_and_redirect_rule() -> None:
    c = Credentials.basic("alice:pa:ss")
    assert c.header_value() == "Basic YWxpY2U6cGE6c3M="  # RFC 7617 §2 example form
    assert "pa:ss" not in repr(c) and c.public() == {"scheme": "basic", "user": "alice"}
    assert may_send_credentials("https://a.test/x", "https://a.test:443/y")
    assert not may_send_credentials("https://a.test/x", "https://b.test/x")
    assert not may_send_credentials("https://a.test/x", "http://a.test/x")
    assert not may_send_credentials("http://a.test:8080/", "http://a.test:8081/")
    with pytest.raises(OptionsError):
        Credentials.basic("no-colon")


@pytest.mark.parametrize(("entries", "host", "port", "expected"), [
    (("*",), "anything.test", 80, True),
    (("example.com",), "example.com", 80, True),
    (("example.com",), "www.example.com", 80, True),
    ((".example.com",), "www.example.com", 80, True),
    (("example.com",), "badexample.com", 80, False),
    (("10.0.0.0/8",), "10.1.2.3", 80, True),
    (("10.0.0.0/8",), "11.1.2.3", 80, False),
    (("127.0.0.1:8080",), "127.0.0.1", 8080, True),
    (("127.0.0.1:8080",), "127.0.0.1", 9090, False),
    (("::1",), "[::1]", 80, True),
    ((), "example.com", 80, False),
])
def test_no_proxy_matching(entries: tuple[str, ...], host: str, port: int, expected: bool) -> None:
    assert no_proxy_match(entries, host, port) is expected


def test_environment_proxies_lower_case_first_and_httpoxy() -> None:
    env = {"HTTP_PROXY": "http://upper:1", "http_proxy": "http://lower:1", "ALL_PROXY": "socks5://all:1",
           "NO_PROXY": "a.test, b.test"}
    proxies, no_proxy = environment_proxies(env)
    assert proxies == {"http": "http://lower:1", "https": "socks5://all:1"} and no_proxy == ("a.test", "b.test")
    proxies, _ = environment_proxies({"HTTP_PROXY": "http://evil:1", "REQUEST_METHOD": "GET"})
    assert "http" not in proxies  # httpoxy: a CGI request can set HTTP_PROXY


def test_policy_proxy_choice() -> None:
    env = {"HTTPS_PROXY": "http://envproxy:3128", "NO_PROXY": "internal.test"}
    p = RequestPolicy(RequestOptions(), "UA", environ=env)
    assert p.plan("https://x.test/").proxy == "http://envproxy:3128"
    assert p.plan("http://x.test/").proxy is None
    assert p.plan("https://a.internal.test/").proxy is None
    explicit = RequestPolicy(RequestOptions(proxy=ProxyOptions("socks5://s:1080", ("skip.test",))), "UA", environ=env)
    assert explicit.plan("http://x.test/").proxy == "socks5://s:1080"
    assert explicit.plan("http://skip.test/").proxy is None and explicit.plan("https://internal.test/").proxy is None
    off = RequestPolicy(RequestOptions(proxy=ProxyOptions(use_env=False)), "UA", environ=env)
    assert off.plan("https://x.test/").proxy is None


def test_proxy_credentials_split_and_hidden() -> None:
    url, auth = split_proxy_credentials("http://bob:p%40ss@proxy.test:3128")
    assert url == "http://proxy.test:3128" and auth == "Basic Ym9iOnBAc3M="
    assert hide_password("socks5://bob:pw123@h:1") == "socks5://bob:***@h:1"
    with pytest.raises(OptionsError):
        ProxyOptions("ftp://x:1")


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_token_bucket_spacing_and_burst() -> None:
    clock = Clock()
    lim = RateLimiter(rate=0, host_rate=4, burst=2, clock=clock)
    delays = [lim.reserve("h") for _ in range(5)]
    assert delays == pytest.approx([0, 0, 0.25, 0.5, 0.75])  # a bucket of 2, then one every 1/4 s
    assert lim.reserve("other") == 0  # each host has its own bucket


def test_overall_and_host_buckets_take_the_same_instant() -> None:
    clock = Clock()
    lim = RateLimiter(rate=2, host_rate=1, clock=clock)
    grants = [lim.reserve(h) for h in ("a", "a", "b", "b")]
    # a at 0 and 1 (its host rate); b's first slot waits for the overall bucket (1.5), its second for its own (2.5).
    assert grants == pytest.approx([0.0, 1.0, 1.5, 2.5])
    times = sorted(grants)
    assert all(b - a >= 0.5 - 1e-9 for a, b in itertools.pairwise(times))


def test_backoff_halves_and_recovers_slowly() -> None:
    clock = Clock()
    lim = RateLimiter(host_rate=8, clock=clock)
    assert lim.penalise("h") == 4.0
    assert lim.penalise("h") == 2.0
    clock.t += RECOVER_S
    assert lim.host_rate("h") == pytest.approx(2.5)
    clock.t += RECOVER_S * 20
    assert lim.host_rate("h") == 8.0  # back at its own rate, never above
    for _ in range(20):
        lim.penalise("h")
    assert lim.host_rate("h") == MIN_RATE


def test_backoff_of_a_host_without_a_rate_starts_from_what_it_was_served() -> None:
    clock = Clock()
    lim = RateLimiter(clock=clock)
    for _ in range(60):  # one every 1/8 s: 40 in the last 5 s, 8 per second
        lim.reserve("h")
        clock.t += 0.125
    assert lim.penalise("h") == pytest.approx(4.0)
    assert lim.reserve("h") == 0 and lim.reserve("h") == pytest.approx(0.25)
    lim.reserve("once")
    assert lim.penalise("once") == pytest.approx(OBSERVED_FLOOR / 2)  # a host seen once is not stalled
    clock.t += RECOVER_S * 4
    assert lim.host_rate("once") == 0  # back to no limit


def test_robots_rule_reporting() -> None:
    text = "User-agent: *\nDisallow: /a/\nDisallow: /a/b/*.html$\nAllow: /a/open\n"
    assert matched_rule(text, "https://x.test/a/b/c.html", "Fetchlens") == "Disallow: /a/b/*.html$"
    assert matched_rule(text, "https://x.test/a/z", "Fetchlens") == "Disallow: /a/"
    assert product_token("Fetchlens/1.2 (batch URL checker)") == "Fetchlens"


def test_config_file(tmp_path) -> None:
    path = tmp_path / "fetchlens.toml"
    path.write_text("""
headers = { "Accept-Language" = "de" }
robots = "obey"
rate = 3
host_rate = 1.5
method = "HEAD,GET"
per_host = 2
proxy = "http://proxy.test:3128"
no_proxy = ["localhost"]

[hosts."*.example.com"]
headers = ["X-Team: qa"]
cookies = { session = "cookie-value-123" }
bearer_env = "FL_TEST_TOKEN"
rate = 0.5
per_host = 1
robots = "ignore"
""")
    fc = config.load(path, environ={"FL_TEST_TOKEN": "env-token-456"})
    o = fc.options
    assert o.headers == (("Accept-Language", "de"),) and o.robots is RobotsMode.OBEY and o.rate == 3.0
    assert str(o.method) == "HEAD,GET" and fc.per_host == 2 and o.proxy.url == "http://proxy.test:3128"
    [rule] = o.rules
    assert rule.pattern == "*.example.com" and rule.headers == (("X-Team", "qa"),) and rule.per_host == 1
    assert rule.credentials is not None and rule.credentials.header_value() == "Bearer env-token-456"
    policy = RequestPolicy(o, "UA", environ={})
    plan = policy.plan("https://www.example.com/")
    assert plan.rate == 0.5 and plan.robots is RobotsMode.IGNORE and plan.headers["Authorization"].endswith("456")
    assert "Authorization" not in policy.plan("https://example.org/").headers


@pytest.mark.parametrize(("text", "message"), [
    ("colour = 1", "unknown key"),
    ('[hosts."a.test"]\nspeed = 1', "unknown key"),
    ('[hosts."a.test"]\nheaders = { Host = "x" }', "set by the HTTP layer"),
    ('robots = "maybe"', "obey, report or ignore"),
    ('[hosts."a.test"]\nuser_env = "FL_NOT_SET_ANYWHERE"', "not set"),
    ("rate = -1", "requests per second"),
    ("this is not toml", "fetchlens.toml"),
])
def test_config_errors_name_the_key(tmp_path, text: str, message: str) -> None:
    path = tmp_path / "fetchlens.toml"
    path.write_text(text)
    with pytest.raises(config.ConfigError, match=message):
        config.load(path, environ={})


def test_journal_keeps_no_secret() -> None:
    opts = RequestOptions(
        headers=(("X-Visible", "v"), ("X-Api-Key", "apikey-secret-1")),
        cookies=(("sid", "cookie-secret-2"),),
        credentials=Credentials.basic("alice:password-secret-3"),
        rules=(HostRule("*.x.test", credentials=Credentials("bearer", "", "token-secret-4"),
                        cookies=(("c", "cookie-secret-5"),), rate=2.0),),
        proxy=ProxyOptions("http://bob:proxy-secret-6@proxy.test:1"),
        robots=RobotsMode.OBEY,
    )
    text = settings_to_json(Settings(requests=opts))
    for secret in ("apikey-secret-1", "cookie-secret-2", "password-secret-3", "token-secret-4",
                   "cookie-secret-5", "proxy-secret-6"):
        assert secret not in text
        assert secret in secrets.known()
        assert secrets.redact(f"error with {secret} in it") == "error with *** in it"
    back = settings_from_json(text).requests
    assert back.robots is RobotsMode.OBEY and back.headers == (("X-Visible", "v"),)
    assert back.rules[0].rate == 2.0 and back.credentials is None and back.proxy.url == ""
    assert json.loads(text)["requests"]["credentials"] == {"scheme": "basic", "user": "alice"}


def test_public_and_secret_parts_make_the_whole() -> None:
    opts = RequestOptions(
        headers=(("X-Visible", "v"), ("Authorization", "Digest abc-secret-7")),
        cookies=(("sid", "cookie-secret-8"),),
        credentials=Credentials.basic("carol:password-secret-9"),
        rules=(HostRule("*.y.test", credentials=Credentials("bearer", "", "token-secret-10"),
                        headers=(("X-Api-Key", "key-secret-11"), ("X-Plain", "p"))),),
        proxy=ProxyOptions("socks5://u:proxy-secret-12@p.test:1080", ("a.test",)),
        remember_secrets=True,
    )
    public = json.dumps(opts.public())
    assert "secret" not in public.replace("remember_secrets", "")
    back = RequestOptions.from_public(json.loads(public)).with_secret_parts(json.loads(json.dumps(opts.secret_parts())))
    assert set(back.rules[0].headers) == set(opts.rules[0].headers)  # order within a rule may differ
    assert back.rules[0].credentials == opts.rules[0].credentials
    assert back.replace(rules=opts.rules) == opts


def test_redirect_headers_keep_global_credentials_at_the_input_origin() -> None:
    opts = RequestOptions(credentials=Credentials.basic("alice:pw-global"),
                          rules=(HostRule("b.test", credentials=Credentials("bearer", "", "tok-b")),))
    p = RequestPolicy(opts, "UA", environ={})
    assert p.hop_headers("https://a.test/y")["Authorization"].startswith("Basic ")
    assert p.hop_headers("https://c.test/y")["Authorization"].startswith("Basic ")  # an input URL of its own
    assert "Authorization" not in p.hop_headers("https://c.test/y", credentials=False)
    assert "Authorization" not in p.hop_headers("http://a.test/y", credentials=False)
    assert p.hop_headers("https://b.test/y", credentials=False)["Authorization"] == "Bearer tok-b"


def test_limiter_shared_by_threads_and_the_event_loop() -> None:
    import asyncio
    import threading
    import time

    lim = RateLimiter(rate=20)
    stamps: list[float] = []
    lock = threading.Lock()

    def in_thread() -> None:
        for _ in range(3):
            lim.acquire_blocking("h")
            with lock:
                stamps.append(time.monotonic())

    async def in_loop() -> None:
        for _ in range(3):
            await lim.acquire("h")
            with lock:
                stamps.append(time.monotonic())

    threads = [threading.Thread(target=in_thread) for _ in range(2)]
    for t in threads:
        t.start()
    asyncio.run(in_loop())
    for t in threads:
        t.join(10)
    stamps.sort()
    assert len(stamps) == 9
    # 9 slots at 20/s take 8 intervals; nobody got in before their slot (small scheduling slack).
    assert stamps[-1] - stamps[0] >= 8 / 20 * 0.9
    assert all(t - stamps[0] >= (k - 0.5) / 20 for k, t in enumerate(stamps))


def test_a_cookie_header_is_refused() -> None:
    with pytest.raises(OptionsError, match="cookie jar"):
        parse_header("Cookie: a=b")  # the input URL's jar builds Cookie on every hop


def test_exchange_hops_carry_the_policy_and_drop_credentials_once_off_origin() -> None:
    opts = RequestOptions(
        headers=(("accept", "text/plain"), ("X-A", "global")), credentials=Credentials.basic("alice:pw-hop"),
        rules=(HostRule("b.test", headers=(("X-A", "b"),)),),
        proxy=ProxyOptions("http://proxy.test:3128", ("b.test",), use_env=False),
    )
    policy = RequestPolicy(opts, "UA/1", environ={})
    ex = Exchange("https://a.test/x", Settings(), policy=policy)
    hop = ex.first()
    assert [k for k in hop.headers if k.lower() == "accept"] == ["accept"] and hop.headers["accept"] == "text/plain"
    assert hop.headers["User-Agent"] == "UA/1" and hop.headers["X-A"] == "global"
    assert hop.headers["Authorization"].startswith("Basic ") and hop.proxy == "http://proxy.test:3128"
    same = ex.answer(301, [("Location", "/y")])
    assert same is not None and same.headers["Authorization"].startswith("Basic ")
    away = ex.answer(302, [("Location", "https://b.test/z")])
    assert away is not None and "Authorization" not in away.headers
    assert away.headers["X-A"] == "b" and away.proxy is None  # b.test's rule, and NO_PROXY
    back = ex.answer(302, [("Location", "https://a.test/again")])
    assert back is not None and "Authorization" not in back.headers  # gone for the rest of the chain
    assert "Cookie" not in back.headers
