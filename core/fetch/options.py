"""Request options: headers, cookies, credentials and proxies, global and per host pattern.

:class:`RequestOptions` is the frozen configuration (from the command line, a TOML file or
the window); :class:`RequestPolicy` is its run-time form that both fetchers ask, once per
request, "what goes with this URL?" (:meth:`RequestPolicy.plan`). The answer is the same in
every mode because it is computed here, not by aiohttp or requests:

* Host patterns: ``*`` (every host), ``example.com`` (that host), ``*.example.com`` (its
  subdomains), each optionally with ``:port``. The most specific matching rule wins per
  header name (port > exact host > more labels > ``*``); the command line's global values
  rank with ``*``.
* Headers that the HTTP layer owns are refused (RFC 9110 §7.6.1 hop-by-hop fields, §8.6
  Content-Length, RFC 9112 §6.1 Transfer-Encoding, §7.2 Host).
* Credentials (Basic, RFC 7617; Bearer, RFC 6750) go only to the origin they were sent to
  first: :func:`may_send_credentials` is the redirect rule (same origin only, RFC 6454 §4).
* Proxies: an explicit proxy, or ``HTTP_PROXY``/``HTTPS_PROXY``/``ALL_PROXY`` from the
  environment (lower case first, as curl), minus ``NO_PROXY`` exceptions; ``use_env=False``
  (``--no-proxy``) ignores the environment. The environment is read once per run.
* Secrets (passwords, tokens, cookie values) are registered with :mod:`core.fetch.secrets`
  and left out of :meth:`RequestOptions.public`, which is what the journal stores.
"""

from __future__ import annotations

import base64
import enum
import http.cookiejar
import ipaddress
import logging
import os
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit, urlunsplit

from core.fetch import secrets
from core.fetch.redirects import same_origin

log = logging.getLogger(__name__)


class OptionsError(ValueError):
    """A request option that cannot be used; the message says which and why."""


class RobotsMode(enum.StrEnum):
    """What to do with robots.txt."""

    OBEY = "obey"  # skip disallowed URLs (error kind ``robots``)
    REPORT = "report"  # fetch anyway, flag the row
    IGNORE = "ignore"  # do not fetch robots.txt at all


class Method(enum.StrEnum):
    """The request method (``HEAD_GET``: HEAD, then GET if HEAD fails, as lychee does)."""

    GET = "GET"
    HEAD = "HEAD"
    HEAD_GET = "HEAD,GET"


# RFC 9110 §7.6.1 (Connection and the hop-by-hop fields it names), §8.6 Content-Length,
# RFC 9112 §6.1 Transfer-Encoding, §7.2 Host: the HTTP layer sets these from the request itself.
REFUSED_HEADERS = frozenset({
    "host", "content-length", "transfer-encoding", "connection", "keep-alive", "te", "trailer", "upgrade",
    "proxy-connection",
})
# Header values under these names are secrets: kept out of the journal and blotted out of logs.
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "x-api-key", "x-auth-token"})
_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")  # RFC 9110 §5.6.2 token


def parse_header(text: str) -> tuple[str, str]:
    """``"Name: value"`` → ``("Name", "value")``.

    Raises:
        OptionsError: no colon, a name that is not an RFC 9110 §5.6.2 token, CR/LF/NUL in the
            value (§5.5), or a header the HTTP layer owns.
    """
    name, sep, value = text.partition(":")
    name, value = name.strip(), value.strip()
    if not sep or not name:
        raise OptionsError(f"a header is 'Name: value', not {text!r}")
    check_header(name, value)
    return name, value


def check_header(name: str, value: str) -> None:
    """Refuse a header name or value that must not be sent (see :func:`parse_header`)."""
    if not _TOKEN.match(name):
        raise OptionsError(f"{name!r} is not a valid header name")
    if any(c in value for c in "\r\n\0"):
        raise OptionsError(f"the value of header {name} contains a line break or NUL")
    if name.lower() == "cookie":
        raise OptionsError("a Cookie header is built from the cookie jar on every hop; give cookies as "
                           "name=value (--cookie, the Cookies field) or a cookies.txt file instead")
    if name.lower() in REFUSED_HEADERS:
        raise OptionsError(f"header {name} is set by the HTTP layer from the request itself and cannot be given "
                           "(Host, Content-Length, Transfer-Encoding, Connection and other hop-by-hop headers)")


def parse_cookie(text: str) -> tuple[str, str]:
    """``"name=value"`` → ``("name", "value")`` (RFC 6265 §4.1.1 cookie-pair)."""
    name, sep, value = text.partition("=")
    name, value = name.strip(), value.strip()
    if not sep or not name or not _TOKEN.match(name):
        raise OptionsError(f"a cookie is 'name=value', not {text!r}")
    if any(c in value for c in ";,\r\n\0 \t\""):
        raise OptionsError(f"the value of cookie {name} has a character cookies cannot carry (RFC 6265 §4.1.1)")
    return name, value


@dataclass(frozen=True, slots=True)
class Credentials:
    """HTTP authentication for one host pattern: Basic (RFC 7617) or Bearer (RFC 6750).

    ``secret`` is the password or token; it never appears in ``repr`` or :meth:`public`.
    """

    scheme: str  # "basic" | "bearer"
    user: str = ""
    secret: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        if self.scheme not in ("basic", "bearer"):
            raise OptionsError(f"unknown authentication scheme {self.scheme!r} (basic or bearer)")
        if self.scheme == "basic" and ":" in self.user:
            raise OptionsError("a Basic user name cannot contain ':' (RFC 7617 §2)")
        if self.scheme == "bearer" and not self.secret:
            raise OptionsError("a Bearer token cannot be empty")
        secrets.register(self.secret, self.header_value().partition(" ")[2])

    @classmethod
    def basic(cls, text: str) -> Credentials:
        """``"user:password"`` → Basic credentials."""
        user, sep, password = text.partition(":")
        if not sep or not user:
            raise OptionsError("--user takes USER:PASSWORD")
        return cls("basic", user, password)

    def header_value(self) -> str:
        """The ``Authorization`` header value."""
        if self.scheme == "bearer":
            return f"Bearer {self.secret}"
        raw = f"{self.user}:{self.secret}".encode()  # RFC 7617 §2.1: UTF-8
        return "Basic " + base64.b64encode(raw).decode("ascii")

    def public(self) -> dict[str, str]:
        return {"scheme": self.scheme, "user": self.user}


@dataclass(frozen=True, slots=True)
class HostRule:
    """What applies to the hosts that match ``pattern`` (see the module docstring)."""

    pattern: str
    headers: tuple[tuple[str, str], ...] = ()
    cookies: tuple[tuple[str, str], ...] = ()
    credentials: Credentials | None = None
    rate: float | None = None  # requests per second for each matching host
    per_host: int | None = None  # requests in flight per matching host
    robots: RobotsMode | None = None

    def __post_init__(self) -> None:
        _check_pattern(self.pattern)
        for name, value in self.headers:
            check_header(name, value)
        secrets.register(*(v for _n, v in self.cookies))
        secrets.register(*(v for n, v in self.headers if n.lower() in SECRET_HEADERS))

    def public(self) -> dict[str, object]:
        return {
            "pattern": self.pattern,
            "headers": [[n, v] for n, v in self.headers if n.lower() not in SECRET_HEADERS],
            "cookies": [n for n, _v in self.cookies],
            "credentials": self.credentials.public() if self.credentials else None,
            "rate": self.rate,
            "per_host": self.per_host,
            "robots": str(self.robots) if self.robots else None,
        }


def _check_pattern(pattern: str) -> None:
    host, _, port = pattern.rpartition(":") if pattern.count(":") == 1 else (pattern, "", "")
    if port and not port.isdigit():
        raise OptionsError(f"host pattern {pattern!r}: the port must be a number")
    body = host.removeprefix("*.") if host != "*" else "x"
    if not body or "*" in body or "/" in body:
        raise OptionsError(f"host pattern {pattern!r}: use '*', 'example.com' or '*.example.com' (optionally :port)")


def pattern_rank(pattern: str, host: str, port: int) -> tuple[int, int, int] | None:
    """How specifically ``pattern`` matches ``host``:``port`` (higher is more specific), or None.

    Ranks: (has port, exact host, number of labels). ``*.example.com`` matches subdomains of
    example.com, not example.com itself (as TLS wildcard certificates, RFC 6125 §6.4.3).
    """
    p = pattern.lower()
    p_port: int | None = None
    if p.count(":") == 1:
        p, _, port_text = p.rpartition(":")
        p_port = int(port_text)
    if p_port is not None and p_port != port:
        return None
    host = host.lower().rstrip(".")
    if p == "*":
        return (int(p_port is not None), 0, 0)
    if p.startswith("*."):
        suffix = p[1:]
        return (int(p_port is not None), 0, p.count(".")) if host.endswith(suffix) else None
    return (int(p_port is not None), 1, p.count(".") + 1) if host == p else None


@dataclass(frozen=True, slots=True)
class ProxyOptions:
    """Which proxy to use. ``url`` ``http://``, ``https://`` or ``socks5://`` (``socks5h://``
    resolves names at the proxy), optionally with ``user:password@``."""

    url: str = ""
    no_proxy: tuple[str, ...] = ()  # NO_PROXY-style exceptions added to the environment's
    use_env: bool = True  # honour HTTP(S)_PROXY / ALL_PROXY / NO_PROXY

    def __post_init__(self) -> None:
        if self.url:
            parts = urlsplit(self.url)
            if parts.scheme not in ("http", "https", "socks5", "socks5h", "socks4") or not parts.hostname:
                raise OptionsError(f"not a proxy URL: {self.public_url()!r} (http://, https:// or socks5://HOST:PORT)")
            secrets.register(parts.password or "")

    def public_url(self) -> str:
        return hide_password(self.url)

    def public(self) -> dict[str, object]:
        return {"url": self.public_url(), "no_proxy": list(self.no_proxy), "use_env": self.use_env}


def hide_password(url: str) -> str:
    """``scheme://user:secret@host`` → ``scheme://user:***@host`` (other URLs unchanged)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if not parts.password:
        return url
    netloc = parts.netloc.rpartition("@")
    user = netloc[0].partition(":")[0]
    return urlunsplit(parts._replace(netloc=f"{user}:{secrets.MASK}@{netloc[2]}"))


def no_proxy_match(entries: tuple[str, ...], host: str, port: int) -> bool:
    """Whether ``host``:``port`` is exempt by ``NO_PROXY``-style ``entries``.

    An entry is ``*`` (everything), a domain (``example.com`` or ``.example.com``: the host and
    its subdomains, as curl and requests), an IP address or CIDR block, optionally with ``:port``.
    """
    host = host.lower().strip("[]").rstrip(".")
    try:
        addr: ipaddress.IPv4Address | ipaddress.IPv6Address | None = ipaddress.ip_address(host)
    except ValueError:
        addr = None
    for raw in entries:
        entry = raw.strip().lower()
        if not entry:
            continue
        if entry == "*":
            return True
        e_port: int | None = None
        if entry.count(":") == 1 and not entry.startswith("["):
            entry, _, port_text = entry.partition(":")
            e_port = int(port_text) if port_text.isdigit() else None
        entry = entry.strip("[]")
        if e_port is not None and e_port != port:
            continue
        if addr is not None:
            try:
                if addr in ipaddress.ip_network(entry, strict=False):
                    return True
            except ValueError:
                pass
            continue
        entry = entry.lstrip("*").lstrip(".")
        if entry and (host == entry or host.endswith("." + entry)):
            return True
    return False


def environment_proxies(environ: Mapping[str, str]) -> tuple[dict[str, str], tuple[str, ...]]:
    """Proxies by scheme and the NO_PROXY entries from an environment (lower case wins, as curl).

    ``HTTP_PROXY`` in upper case is ignored when ``REQUEST_METHOD`` is set (a CGI request can
    set it through a ``Proxy:`` header, "httpoxy"), as urllib and requests do.
    """
    def get(name: str) -> str:
        if name == "http_proxy" and "REQUEST_METHOD" in environ:
            return environ.get(name, "")
        return environ.get(name) or environ.get(name.upper()) or ""

    fallback = get("all_proxy")
    proxies = {scheme: get(f"{scheme}_proxy") or fallback for scheme in ("http", "https")}
    no_proxy = tuple(e for e in get("no_proxy").replace(" ", ",").split(",") if e)
    return {k: v for k, v in proxies.items() if v}, no_proxy


@dataclass(frozen=True, slots=True)
class RequestOptions:
    """Everything the user asked to send with requests; frozen, part of ``Settings``.

    Attributes:
        headers: global ``(name, value)`` headers (the command line's ``--header``).
        cookies: global ``(name, value)`` cookies, sent to every input URL's own host.
        cookies_file: a Netscape ``cookies.txt`` (curl, browser extensions); sent as it says.
        credentials: global credentials, sent to every input URL's own origin.
        rules: per host pattern settings (the TOML file's ``[hosts."pattern"]`` tables).
        proxy: the proxy settings.
        rate: requests per second over the whole run (0: no limit).
        host_rate: requests per second per host (0: no limit).
        robots: what to do with robots.txt.
        method: GET, HEAD, or HEAD then GET.
        remember_secrets: the window keeps the secrets in the system keyring between sessions
            (never in a file); otherwise they last for the session only.
    """

    headers: tuple[tuple[str, str], ...] = ()
    cookies: tuple[tuple[str, str], ...] = ()
    cookies_file: str = ""
    credentials: Credentials | None = None
    rules: tuple[HostRule, ...] = ()
    proxy: ProxyOptions = ProxyOptions()
    rate: float = 0.0
    host_rate: float = 0.0
    robots: RobotsMode = RobotsMode.REPORT
    method: Method = Method.GET
    remember_secrets: bool = False

    def __post_init__(self) -> None:
        for name, value in self.headers:
            check_header(name, value)
        secrets.register(*(v for _n, v in self.cookies))
        secrets.register(*(v for n, v in self.headers if n.lower() in SECRET_HEADERS))
        if self.rate < 0 or self.host_rate < 0:
            raise OptionsError("rates must be 0 (no limit) or more requests per second")

    def replace(self, **changes: object) -> RequestOptions:
        return replace(self, **changes)  # type: ignore[arg-type]

    def public(self) -> dict[str, object]:
        """These options without any secret (what the journal stores)."""
        return {
            "headers": [[n, v] for n, v in self.headers if n.lower() not in SECRET_HEADERS],
            "cookies": [n for n, _v in self.cookies],
            "cookies_file": self.cookies_file,
            "credentials": self.credentials.public() if self.credentials else None,
            "rules": [r.public() for r in self.rules],
            "proxy": self.proxy.public(),
            "rate": self.rate,
            "host_rate": self.host_rate,
            "robots": str(self.robots),
            "method": str(self.method),
            "remember_secrets": self.remember_secrets,
        }

    def secret_parts(self) -> dict[str, object]:
        """What :meth:`public` leaves out, to keep in a keyring: ``with_secret_parts`` puts it back."""
        def part(headers: tuple[tuple[str, str], ...], cookies: tuple[tuple[str, str], ...],
                 creds: Credentials | None) -> dict[str, object]:
            return {
                "headers": [[n, v] for n, v in headers if n.lower() in SECRET_HEADERS],
                "cookies": [[n, v] for n, v in cookies],
                "credentials": [creds.scheme, creds.user, creds.secret] if creds else None,
            }

        return {
            "global": part(self.headers, self.cookies, self.credentials),
            "rules": {r.pattern: part(r.headers, r.cookies, r.credentials) for r in self.rules},
            "proxy": self.proxy.url,
        }

    def with_secret_parts(self, parts: Mapping[str, object]) -> RequestOptions:
        """These options with the secrets of :meth:`secret_parts` put back (unknown patterns are dropped)."""
        def merge(headers: tuple[tuple[str, str], ...], part: object) -> dict[str, object]:
            if not isinstance(part, dict):
                return {}
            out: dict[str, object] = {}
            extra = tuple((str(n), str(v)) for n, v in part.get("headers") or [])
            if extra:
                out["headers"] = headers + extra
            out["cookies"] = tuple((str(n), str(v)) for n, v in part.get("cookies") or [])
            c = part.get("credentials")
            out["credentials"] = Credentials(str(c[0]), str(c[1]), str(c[2])) if c else None
            return out

        rule_parts = parts.get("rules") or {}
        rules = tuple(replace(r, **merge(r.headers, rule_parts.get(r.pattern)))  # type: ignore[union-attr]
                      for r in self.rules)
        changes = merge(self.headers, parts.get("global"))
        proxy = str(parts.get("proxy") or "")
        if proxy:
            changes["proxy"] = replace(self.proxy, url=proxy)
        return replace(self, rules=rules, **changes)  # type: ignore[arg-type]

    @classmethod
    def from_public(cls, d: Mapping[str, object]) -> RequestOptions:
        """Rebuild options from :meth:`public` (secrets, which were never stored, are absent)."""
        def pairs(v: object) -> tuple[tuple[str, str], ...]:
            return tuple((str(a), str(b)) for a, b in v) if isinstance(v, list) else ()  # type: ignore[misc]

        rules = []
        for r in d.get("rules") or []:  # type: ignore[union-attr]
            rules.append(HostRule(str(r["pattern"]), headers=pairs(r.get("headers")),
                                  rate=r.get("rate"), per_host=r.get("per_host"),
                                  robots=RobotsMode(r["robots"]) if r.get("robots") else None))
        p = d.get("proxy") or {}
        proxy_url = str(p.get("url") or "")  # type: ignore[union-attr]
        return cls(
            headers=pairs(d.get("headers")),
            cookies_file=str(d.get("cookies_file") or ""),
            rules=tuple(rules),
            proxy=ProxyOptions("" if secrets.MASK in proxy_url else proxy_url,
                               tuple(p.get("no_proxy") or ()), bool(p.get("use_env", True))),  # type: ignore[union-attr]
            rate=float(d.get("rate") or 0.0),  # type: ignore[arg-type]
            host_rate=float(d.get("host_rate") or 0.0),  # type: ignore[arg-type]
            robots=RobotsMode(str(d.get("robots") or "report")),
            method=Method(str(d.get("method") or "GET")),
            remember_secrets=bool(d.get("remember_secrets", False)),
        )


@dataclass(frozen=True, slots=True)
class RequestPlan:
    """What goes with one request (the answer of :meth:`RequestPolicy.plan`).

    Attributes:
        headers: every header to send, ``Authorization`` included when credentials apply.
        proxy: the proxy URL (with its credentials) or None for a direct connection.
        rate: requests per second for this host (0: no limit).
        robots: the robots.txt mode for this host.
    """

    headers: dict[str, str]
    proxy: str | None
    rate: float
    robots: RobotsMode


class RequestPolicy:
    """The run-time form of :class:`RequestOptions`; thread-safe, one per run.

    Args:
        options: the configuration.
        user_agent: the default ``User-Agent`` (a header rule may replace it).
        environ: the environment to read proxies from (default ``os.environ``), read once here.

    Raises:
        OptionsError: the cookies file cannot be read.
    """

    def __init__(self, options: RequestOptions, user_agent: str, environ: Mapping[str, str] | None = None) -> None:
        self.options = options
        self.user_agent = user_agent
        env_proxies, env_no_proxy = environment_proxies(os.environ if environ is None else environ)
        self._env_proxies = env_proxies if options.proxy.use_env else {}
        self._no_proxy = options.proxy.no_proxy + (env_no_proxy if options.proxy.use_env else ())
        for url in self._env_proxies.values():
            secrets.register(urlsplit(url).password or "")
        self._file_cookies = self._load_cookies(options.cookies_file) if options.cookies_file else []
        self._global = HostRule("*", options.headers, options.cookies, options.credentials)
        self._cache: dict[str, RequestPlan] = {}  # by "scheme://netloc" as written
        self._rule_cache: dict[tuple[str, int], list[HostRule]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _load_cookies(path: str) -> list[http.cookiejar.Cookie]:
        jar = http.cookiejar.MozillaCookieJar()
        try:
            jar.load(path, ignore_discard=True, ignore_expires=True)
        except (OSError, http.cookiejar.LoadError) as exc:
            raise OptionsError(f"cannot read the cookies file {path}: {exc}") from exc
        now = time.time()
        cookies = []
        for c in jar:
            if c.expires == 0:  # curl and browser extensions write 0 for a session cookie
                c.expires, c.discard = None, True
            if c.expires is not None and c.expires <= now:
                continue  # expired (RFC 6265 §5.3 step 3)
            cookies.append(c)
        secrets.register(*(c.value or "" for c in cookies))
        log.info("loaded %d cookies from %s", len(cookies), path)
        return cookies

    def _rules_for(self, host: str, port: int) -> list[HostRule]:
        """Matching rules, least specific first (global options act as a ``*`` rule); cached per host."""
        cached = self._rule_cache.get((host, port))
        if cached is not None:
            return cached
        ranked: list[tuple[tuple[int, int, int], int, HostRule]] = [((0, 0, -1), -1, self._global)]
        for i, rule in enumerate(self.options.rules):
            rank = pattern_rank(rule.pattern, host, port)
            if rank is not None:
                ranked.append((rank, i, rule))
        ranked.sort(key=lambda t: (t[0], t[1]))
        rules = [r for _rank, _i, r in ranked]
        with self._lock:
            self._rule_cache[(host, port)] = rules
        return rules

    def plan(self, url: str) -> RequestPlan:
        """Headers, proxy, rate and robots mode for ``url`` (cached per origin: ~1 µs when cached)."""
        start = url.find("://") + 3
        end = min((i for i in (url.find(c, start) for c in "/?#") if i >= 0), default=len(url))
        key = url[:end]
        cached = self._cache.get(key)  # dict reads are atomic; writes take the lock
        if cached is not None:
            return cached
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        host = (parts.hostname or "").lower()
        port = parts.port or (443 if scheme == "https" else 80)
        headers: dict[str, str] = {"User-Agent": self.user_agent}
        lower: dict[str, str] = {"user-agent": "User-Agent"}
        credentials: Credentials | None = None
        rate = self.options.host_rate
        robots = self.options.robots
        for rule in self._rules_for(host, port):
            for name, value in rule.headers:
                old = lower.pop(name.lower(), None)
                if old is not None:
                    headers.pop(old)
                headers[name] = value
                lower[name.lower()] = name
            if rule.credentials is not None:
                credentials = rule.credentials
            if rule.rate is not None:
                rate = rule.rate
            if rule.robots is not None:
                robots = rule.robots
        if credentials is not None:
            old = lower.pop("authorization", None)
            if old is not None:
                headers.pop(old)
            headers["Authorization"] = credentials.header_value()
        result = RequestPlan(headers, self._proxy_for(scheme, host, port), rate, robots)
        with self._lock:
            self._cache[key] = result
        return result

    def hop_headers(self, url: str, credentials: bool = True) -> dict[str, str]:
        """The policy's headers for one hop to ``url`` (a copy of :meth:`plan`'s).

        With ``credentials`` false (the exchange has left its input URL's origin), credentials of the command
        line (global, meant for each input URL's origin) are dropped (Fetch §4.4 "HTTP-redirect fetch" step 13:
        ``Authorization`` goes no further than the origin it was set for); a host rule's own credentials still
        go to the hosts the rule names.
        """
        headers = dict(self.plan(url).headers)
        if credentials:
            return headers
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        if not any(r.credentials for r in self._rules_for((parts.hostname or "").lower(), port)[1:]):
            for name in [n for n in headers if n.lower() == "authorization"]:
                del headers[name]
        return headers

    def per_host_limit(self, host: str, port: int) -> int | None:
        """The most specific rule's per-host limit for ``host``, or None."""
        limit = None
        for rule in self._rules_for(host, port):
            if rule.per_host is not None:
                limit = rule.per_host
        return limit

    def _proxy_for(self, scheme: str, host: str, port: int) -> str | None:
        proxy = self.options.proxy.url or self._env_proxies.get(scheme, "")
        if not proxy or no_proxy_match(self._no_proxy, host, port):
            return None
        return proxy

    def cookies_for(self, url: str) -> list[http.cookiejar.Cookie]:
        """Cookies to put in the jar before the first request to ``url``'s host.

        The file's cookies keep their own domain, path, secure flag and expiry; ``name=value``
        cookies of a rule are domain cookies of its pattern (``*.example.com`` →
        ``.example.com``; ``example.com`` → host-only); global ones and ``*`` rules become
        host-only cookies of ``url``'s host. The jar then decides, on every hop, what to send.
        """
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        port = parts.port or (443 if parts.scheme == "https" else 80)
        out = list(self._file_cookies)
        for rule in self._rules_for(host, port):
            if not rule.cookies:
                continue
            pat = rule.pattern.rpartition(":")[0] if rule.pattern.count(":") == 1 else rule.pattern
            if pat == "*":
                domain, specified = host, False
            elif pat.startswith("*."):
                domain, specified = pat[1:], True
            else:
                domain, specified = pat, False
            out.extend(make_cookie(n, v, domain, specified) for n, v in rule.cookies)
        return out


def make_cookie(name: str, value: str, domain: str, domain_specified: bool) -> http.cookiejar.Cookie:
    """A session cookie for ``domain`` (``.example.com`` with ``domain_specified`` for subdomains too)."""
    return http.cookiejar.Cookie(
        version=0, name=name, value=value, port=None, port_specified=False, domain=domain,
        domain_specified=domain_specified, domain_initial_dot=domain.startswith("."), path="/",
        path_specified=True, secure=False, expires=None, discard=True, comment=None, comment_url=None,
        rest={}, rfc2109=False,
    )


def may_send_credentials(first_url: str, next_url: str) -> bool:
    """Whether credentials meant for ``first_url`` may go with a redirect to ``next_url``.

    Same origin only (RFC 6454 §4): a redirect to another host, port or scheme drops the
    ``Authorization`` header, as browsers do (aiohttp and requests do the same).
    """
    return same_origin(first_url, next_url)


def split_proxy_credentials(url: str) -> tuple[str, str | None]:
    """``http://user:pw@proxy:3128`` → (``http://proxy:3128``, ``Basic ...`` for Proxy-Authorization).

    RFC 9110 §11.7.2: a proxy's credentials travel in ``Proxy-Authorization``, not in the URL.
    """
    parts = urlsplit(url)
    if parts.username is None:
        return url, None
    from urllib.parse import unquote

    host = parts.netloc.rpartition("@")[2]
    raw = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
    return urlunsplit(parts._replace(netloc=host)), "Basic " + base64.b64encode(raw).decode("ascii")


def is_socks(proxy: str | None) -> bool:
    """Whether ``proxy`` is a SOCKS proxy URL (needs a SOCKS connector, not an HTTP proxy request)."""
    return bool(proxy) and urlsplit(proxy).scheme.lower().startswith("socks")  # type: ignore[arg-type]
