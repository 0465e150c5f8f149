"""The command line and its ``--config`` file → :class:`core.settings.Settings`.

The command line wins over the file, and the file over the base (the defaults, the window's remembered
settings or a recorded run's). A bad value, file or environment variable is a usage error.
"""

from __future__ import annotations

import argparse
import logging

from core import config
from core.cli.args import UsageError
from core.fetch.options import OptionsError, ProxyOptions, RequestOptions, RequestPolicy, RobotsMode
from core.model import Mode
from core.settings import DEFAULT_USER_AGENT, Settings

log = logging.getLogger(__name__)


def _merge_pairs(
    base: tuple[tuple[str, str], ...], extra: list[tuple[str, str]], fold: bool
) -> tuple[tuple[str, str], ...]:
    """``base`` with ``extra`` added; an extra value replaces a base one of the same name."""
    key = (lambda n: n.lower()) if fold else (lambda n: n)
    names = {key(n) for n, _v in extra}
    return tuple((n, v) for n, v in base if key(n) not in names) + tuple(extra)


def request_options_from_args(
    args: argparse.Namespace, base: RequestOptions | None = None
) -> tuple[RequestOptions, config.FileConfig | None]:
    """The request options of the command line over ``--config`` over ``base``; and the config file read, if any
    (its per-host limit and cluster apply where the command line gives none).

    Raises:
        UsageError: a bad value, an unreadable config or cookies file, a missing environment variable.
    """
    opts = base or RequestOptions()
    file: config.FileConfig | None = None
    try:
        if getattr(args, "config", None):
            file = config.load(args.config)
            opts = file.options
        changes: dict[str, object] = {}
        if args.header:
            changes["headers"] = _merge_pairs(opts.headers, args.header, fold=True)
        if args.cookie:
            changes["cookies"] = _merge_pairs(opts.cookies, args.cookie, fold=False)
        if args.cookies:
            changes["cookies_file"] = args.cookies
        creds = config.credentials(args.user, args.bearer, args.user_env, args.bearer_env)
        if creds is not None:
            changes["credentials"] = creds
        if args.no_proxy and args.proxy:
            raise UsageError("--proxy and --no-proxy cannot be combined")
        if args.proxy:
            changes["proxy"] = ProxyOptions(args.proxy, opts.proxy.no_proxy, opts.proxy.use_env)
        if args.no_proxy:
            changes["proxy"] = ProxyOptions("", (), use_env=False)
        for name in ("rate", "host_rate"):
            if getattr(args, name) is not None:
                changes[name] = getattr(args, name)
        if args.robots:
            changes["robots"] = RobotsMode(args.robots)
        if args.method is not None:
            changes["method"] = args.method
        opts = opts.replace(**changes) if changes else opts
        if args.cookies or getattr(args, "config", None):
            RequestPolicy(opts, DEFAULT_USER_AGENT, environ={})  # reads the cookies file: report a bad one now
    except (OptionsError, config.ConfigError) as exc:
        raise UsageError(str(exc)) from exc
    return opts, file


def settings_from_args(args: argparse.Namespace, base: Settings | None = None) -> Settings:
    """Apply the command line's settings over ``base`` (defaults or remembered settings)."""
    s = base or Settings()
    changes: dict[str, object] = {}
    if args.mode and args.mode != "compare":
        changes["mode"] = Mode(args.mode)
    for name, attr in (
        ("concurrency", "concurrency"),
        ("per_host", "per_host"),
        ("timeout", "total_timeout"),
        ("connect_timeout", "connect_timeout"),
        ("retries", "retries"),
        ("max_redirects", "max_redirects"),
        ("max_size", "max_bytes"),
        ("user_agent", "user_agent"),
        ("reorder_window", "reorder_window"),
    ):
        value = getattr(args, name)
        if value is not None:
            changes[attr] = value
    if args.insecure:
        changes["verify_tls"] = False
    if args.fetch_duplicates:
        changes["fetch_duplicates"] = True
    if args.no_parse:
        changes["parse"] = False
    changes["requests"], file = request_options_from_args(args, s.requests)
    if file is not None and file.per_host is not None and args.per_host is None:
        changes["per_host"] = file.per_host
    # Where the run happens: --cluster, else the config file's ``cluster``, else ``base`` (the window's setting).
    if getattr(args, "cluster", None) is not None:
        changes["cluster"] = args.cluster.strip()
    elif file is not None and file.cluster is not None:
        changes["cluster"] = file.cluster
    s = s.replace(**changes)
    problems = s.validate()
    if problems:
        raise UsageError("; ".join(problems))
    return s
