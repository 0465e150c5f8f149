"""The ``--config FILE.toml`` file (read with ``tomllib``): request options, global and per host pattern, and
where runs happen (``cluster``).

Example::

    # top level: applies to every host (the command line wins over these)
    headers = { "Accept-Language" = "en" }
    robots = "obey"            # obey | report | ignore
    rate = 10                  # requests per second, whole run
    host_rate = 2              # requests per second, each host
    method = "GET"             # GET | HEAD | "HEAD,GET"
    proxy = "socks5://127.0.0.1:1080"
    no_proxy = ["localhost", ".internal"]
    cookies_file = "cookies.txt"
    cluster = "local:4"        # where runs happen: "" this computer, "local:N" or "tcp://host:port" (Dask)

    [hosts."*.example.com"]    # subdomains of example.com; "example.com" is that host only
    headers = { "X-Team" = "qa" }
    cookies = { session = "abc" }
    user_env = "STAGING_LOGIN" # USER:PASSWORD read from this variable (or user = "USER:PASSWORD")
    bearer_env = "API_TOKEN"   # or bearer = "TOKEN"
    rate = 1
    per_host = 2
    robots = "ignore"

Keys and types are checked; an unknown key or a wrong type is an error naming it.
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from core.cluster.address import parse_cluster
from core.fetch.options import (
    Credentials,
    HostRule,
    Method,
    OptionsError,
    ProxyOptions,
    RequestOptions,
    RobotsMode,
    check_header,
    parse_cookie,
)

log = logging.getLogger(__name__)

_AUTH_KEYS = {"user", "bearer", "user_env", "bearer_env"}
_RULE_KEYS = {"headers", "cookies", "rate", "per_host", "robots"} | _AUTH_KEYS
_TOP_KEYS = (_RULE_KEYS - {"rate"}) | {
    "rate",
    "host_rate",
    "method",
    "proxy",
    "no_proxy",
    "cookies_file",
    "hosts",
    "cluster",
}


class ConfigError(Exception):
    """The config file cannot be read or holds a bad value; the message names the file and key."""


@dataclass(frozen=True, slots=True)
class FileConfig:
    """What a config file says.

    Attributes:
        options: the request options (top level and ``[hosts."pattern"]`` rules).
        per_host: the top-level ``per_host`` limit, or None.
        cluster: where runs happen (``""`` this computer, ``local:N``, ``tcp://host:port``), or None.
        set_keys: the top-level keys the file set (so the command line can override only those it gives).
    """

    options: RequestOptions
    per_host: int | None
    set_keys: frozenset[str]
    cluster: str | None = None


def credentials(
    user: str | None = None,
    bearer: str | None = None,
    user_env: str | None = None,
    bearer_env: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Credentials | None:
    """Credentials from ``USER:PASSWORD``, a token, or environment variables holding either.

    Raises:
        OptionsError: more than one was given, or a named variable is not set.
    """
    import os

    env = os.environ if environ is None else environ
    given = [
        k for k, v in (("user", user), ("bearer", bearer), ("user_env", user_env), ("bearer_env", bearer_env)) if v
    ]
    if len(given) > 1:
        raise OptionsError(f"give only one of {', '.join(given)}")
    for var in (user_env, bearer_env):
        if var and not env.get(var):
            raise OptionsError(f"environment variable {var} is not set (or empty)")
    if user_env:
        user = env[user_env]
    if bearer_env:
        bearer = env[bearer_env]
    if user:
        return Credentials.basic(user)
    if bearer:
        return Credentials("bearer", "", bearer)
    return None


def _pairs(value: object, where: str, parse: object) -> tuple[tuple[str, str], ...]:
    if isinstance(value, dict):
        out = tuple((str(k), str(v)) for k, v in value.items())
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        out = tuple(parse(v) for v in value)  # type: ignore[operator]
    else:
        raise ConfigError(f"{where} must be a table of name = value (or a list of strings)")
    return out


def _header_list(text: str) -> tuple[str, str]:
    name, _, value = text.partition(":")
    return name.strip(), value.strip()


def _rule_fields(table: Mapping[str, object], where: str, environ: Mapping[str, str] | None) -> dict[str, object]:
    out: dict[str, object] = {}
    if "headers" in table:
        headers = _pairs(table["headers"], f"{where}.headers", _header_list)
        for name, value in headers:
            check_header(name, value)
        out["headers"] = headers
    if "cookies" in table:
        cookies = _pairs(table["cookies"], f"{where}.cookies", parse_cookie)
        for name, value in cookies:
            parse_cookie(f"{name}={value}")
        out["cookies"] = cookies
    if "rate" in table:
        rate = table["rate"]
        if not isinstance(rate, (int, float)) or isinstance(rate, bool) or rate < 0:
            raise ConfigError(f"{where}.rate must be a number of requests per second (0 or more)")
        out["rate"] = float(rate)
    if "per_host" in table:
        ph = table["per_host"]
        if not isinstance(ph, int) or isinstance(ph, bool) or ph < 0:
            raise ConfigError(f"{where}.per_host must be a whole number (0 or more)")
        out["per_host"] = ph
    if "robots" in table:
        try:
            out["robots"] = RobotsMode(str(table["robots"]))
        except ValueError:
            raise ConfigError(f"{where}.robots must be obey, report or ignore") from None
    auth = {k: table[k] for k in _AUTH_KEYS if k in table}
    for k, v in auth.items():
        if not isinstance(v, str):
            raise ConfigError(f"{where}.{k} must be a string")
    if auth:
        out["credentials"] = credentials(environ=environ, **auth)  # type: ignore[arg-type]
    return out


def load(path: str | Path, environ: Mapping[str, str] | None = None) -> FileConfig:
    """Read a config file (see the module docstring).

    Raises:
        ConfigError: unreadable file, TOML syntax error, unknown key or bad value.
    """
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    try:
        return _build(data, environ)
    except (OptionsError, ConfigError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc


def _build(data: Mapping[str, object], environ: Mapping[str, str] | None) -> FileConfig:
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise ConfigError(f"unknown key(s): {', '.join(sorted(unknown))}")
    top = _rule_fields(data, "top level", environ)
    rules = []
    hosts = data.get("hosts", {})
    if not isinstance(hosts, dict):
        raise ConfigError('hosts must be tables: [hosts."*.example.com"]')
    for pattern, table in hosts.items():
        where = f'hosts."{pattern}"'
        if not isinstance(table, dict):
            raise ConfigError(f"{where} must be a table")
        bad = set(table) - _RULE_KEYS
        if bad:
            raise ConfigError(f"{where}: unknown key(s): {', '.join(sorted(bad))}")
        rules.append(HostRule(pattern, **_rule_fields(table, where, environ)))  # type: ignore[arg-type]
    kwargs: dict[str, object] = {"rules": tuple(rules)}
    for key in ("headers", "cookies", "credentials", "robots"):
        if key in top:
            kwargs[key] = top[key]
    if "rate" in top:
        kwargs["rate"] = top["rate"]
    for key in ("host_rate",):
        if key in data:
            v = data[key]
            if not isinstance(v, (int, float)) or isinstance(v, bool) or v < 0:
                raise ConfigError(f"{key} must be a number of requests per second (0 or more)")
            kwargs[key] = float(v)
    if "method" in data:
        try:
            kwargs["method"] = Method(str(data["method"]).replace(" ", "").upper())
        except ValueError:
            raise ConfigError('method must be "GET", "HEAD" or "HEAD,GET"') from None
    if "cookies_file" in data:
        kwargs["cookies_file"] = str(data["cookies_file"])
    if "proxy" in data or "no_proxy" in data:
        no_proxy = data.get("no_proxy", [])
        if isinstance(no_proxy, str):
            no_proxy = [e for e in no_proxy.split(",") if e.strip()]
        if not isinstance(no_proxy, list):
            raise ConfigError("no_proxy must be a list of host names or a comma-separated string")
        kwargs["proxy"] = ProxyOptions(str(data.get("proxy", "")), tuple(str(e) for e in no_proxy))
    cluster = data.get("cluster")
    if cluster is not None:
        if not isinstance(cluster, str):
            raise ConfigError('cluster must be a string: "" (this computer), "local:N" or "tcp://host:port"')
        if cluster.strip():
            try:
                parse_cluster(cluster)
            except ValueError as exc:
                raise ConfigError(f"cluster: {exc}") from None
        cluster = cluster.strip()
    return FileConfig(
        RequestOptions(**kwargs),
        top.get("per_host"),
        frozenset(data),  # type: ignore[arg-type]
        cluster,
    )
