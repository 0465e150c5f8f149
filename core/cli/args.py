"""The command line's words: the one argument parser of ``main.py`` (window and headless), the
types of its values, the usage error and the exit statuses.

Exit codes (headless): 0 the run completed (failed URLs are results, not errors);
2 usage or input error (message on stderr, nothing written); 130 interrupted (the
partial CSV is still written).
"""

from __future__ import annotations

import argparse
import enum
import logging
import re
from typing import NoReturn

from core import __version__
from core.fetch.options import Method, OptionsError, RobotsMode, parse_cookie, parse_header
from core.model import Mode
from core.settings import DEFAULT_USER_AGENT

log = logging.getLogger(__name__)


class ExitStatus(enum.IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2
    INTERRUPTED = 130


class UsageError(Exception):
    """Bad arguments or input: exit 2 with this one-line message."""


_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*$", re.I)


def parse_size(text: str) -> int:
    """``10MB``, ``512k``, ``1048576`` → bytes."""
    m = _SIZE_RE.match(text)
    if not m:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (try 10MB)")
    unit = (m.group(2) or "b").lower()[:1]
    factor = {"b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit]
    return int(float(m.group(1)) * factor)


class _Parser(argparse.ArgumentParser):
    """argparse with a usage error as one line and a pointer to ``--help`` (not the whole usage block)."""

    def error(self, message: str) -> NoReturn:
        self.exit(ExitStatus.USAGE, f"fetchlens: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The one argument parser of ``main.py`` (window and headless)."""
    p = _Parser(
        prog="main.py",
        # No prefix matching: "--user alice:secret" once silently meant "--user-agent alice:secret".
        allow_abbrev=False,
        description="Fetchlens: fetch a batch of URLs in sync, threads or async mode and see every request. "
        "Without --headless it opens the window.",
        epilog="URL files: one URL per line; blank lines and # comments are ignored; a .csv file uses its "
        "'url' column; '-' reads standard input (headless). Exit codes (headless): 0 completed, "
        "2 usage or input error, 130 interrupted (partial CSV written).",
    )
    p.add_argument("--version", action="version", version=f"Fetchlens {__version__}")
    p.add_argument("files", nargs="*", metavar="URL_FILE", help="files of URLs to load ('-' = stdin)")
    p.add_argument("--headless", action="store_true", help="run without a window and exit")
    p.add_argument(
        "--mode",
        choices=[m.value for m in Mode] + ["compare"],
        default=None,
        help="sync: one request after another; threads: a thread pool (run_in_executor); "
        "async: aiohttp coroutines (default); compare: all three, one after another",
    )
    p.add_argument(
        "--concurrency",
        type=int,
        default=None,
        metavar="N",
        help="requests in flight at once (default 50; sync always uses 1)",
    )
    p.add_argument("--per-host", type=int, default=None, metavar="N", help="limit per host (default: none)")
    p.add_argument(
        "--timeout",
        type=float,
        default=None,
        metavar="S",
        help="total seconds per attempt, a deadline over the whole response (default 30)",
    )
    p.add_argument("--connect-timeout", type=float, default=None, metavar="S", help="connect timeout (default 10)")
    p.add_argument(
        "--retries",
        type=int,
        default=None,
        metavar="N",
        help="retries for connection failures, 429 and 503, honouring Retry-After (default 1)",
    )
    p.add_argument("--max-redirects", type=int, default=None, metavar="N", help="redirects to follow (default 10)")
    p.add_argument(
        "--max-size",
        type=parse_size,
        default=None,
        metavar="SIZE",
        help="largest body after decompression, e.g. 10MB (default)",
    )
    p.add_argument("--user-agent", default=None, metavar="UA", help=f"User-Agent (default {DEFAULT_USER_AGENT!r})")
    p.add_argument("--insecure", action="store_true", help="do not verify TLS certificates")
    p.add_argument("--fetch-duplicates", action="store_true", help="fetch repeated URLs again (default: once)")
    p.add_argument("--no-parse", action="store_true", help="do not parse pages (fetch only)")
    p.add_argument(
        "--cluster",
        metavar="ADDRESS|local:N",
        help="run on a Dask cluster: a running scheduler (tcp://host:port) or local:N worker processes "
        "started here; '' runs on this computer (needs requirements-cluster.txt; the config file's "
        "'cluster' and the window's Settings > Run on mean the same)",
    )
    p.add_argument(
        "--reorder-window",
        type=int,
        default=None,
        metavar="ROWS",
        help="headless: most rows held to write the outputs in input order (default 10000)",
    )
    p.add_argument("--csv", metavar="PATH", help="write results as CSV (in compare mode: PATH-<mode>.csv)")
    p.add_argument("--summary-json", metavar="PATH", help="write the run's summary as JSON")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar (headless)")
    p.add_argument("-v", "--verbose", action="count", default=0, help="more log output on stderr")
    add_request_arguments(p)
    add_audit_arguments(p)
    journal = p.add_argument_group("journal (every run is recorded in a SQLite database)")
    journal.add_argument("--data-dir", metavar="DIR", help="where the journal lives (default: the user data folder)")
    journal.add_argument("--no-journal", action="store_true", help="do not record this run")
    journal.add_argument("--resume", metavar="RUN_ID", help="finish an interrupted run ('last' for the latest)")
    journal.add_argument("--retry-failed", metavar="RUN_ID", help="fetch again only the failed rows of a run")
    journal.add_argument("--list-runs", action="store_true", help="list recorded runs and exit")
    gui = p.add_argument_group("window")
    gui.add_argument("--start", action="store_true", help="start the run as soon as the window opens")
    gui.add_argument("--quit-when-done", action="store_true", help="close the window when the run ends")
    gui.add_argument("--lang", metavar="CODE", help="user interface language, e.g. ko or en (default: system)")
    gui.add_argument("--demo", action="store_true", help="start the built-in offline demo site and load its URLs")
    desk = p.add_argument_group("desktop")
    desk.add_argument("--install-launcher", action="store_true", help="add Fetchlens to the desktop's app menu")
    desk.add_argument("--uninstall-launcher", action="store_true", help="remove the launcher again")
    return p


def _arg_type(parse: object) -> object:
    """An argparse ``type`` from a parser that raises OptionsError (the message becomes argparse's)."""

    def convert(text: str) -> object:
        try:
            return parse(text)  # type: ignore[operator]
        except OptionsError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__ = getattr(parse, "__name__", "value")
    return convert


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of requests per second: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("a rate is 0 (no limit) or more requests per second")
    return value


def _method(text: str) -> Method:
    try:
        return Method(text.replace(" ", "").upper())
    except ValueError:
        raise argparse.ArgumentTypeError("--method takes GET, HEAD or HEAD,GET") from None


def add_request_arguments(p: argparse.ArgumentParser) -> None:
    """The request options (README "Request options"); :func:`request_options_from_args` reads them."""
    g = p.add_argument_group("requests (headers, cookies, authentication, proxy, rate limits, robots.txt)")
    g.add_argument(
        "--header",
        action="append",
        type=_arg_type(parse_header),
        default=[],
        metavar="'NAME: VALUE'",
        help="send this header with every request (repeatable); Host, Content-Length, "
        "Transfer-Encoding and Connection are refused",
    )
    g.add_argument(
        "--cookie",
        action="append",
        type=_arg_type(parse_cookie),
        default=[],
        metavar="NAME=VALUE",
        help="send this cookie to each input URL's host (repeatable)",
    )
    g.add_argument(
        "--cookies",
        metavar="FILE",
        help="Netscape cookies.txt (as curl and browser extensions export); "
        "each cookie goes where its domain, path, secure flag and expiry say",
    )
    g.add_argument(
        "--user",
        metavar="USER:PASSWORD",
        help="HTTP Basic authentication for each input URL's origin "
        "(never sent to another origin after a redirect; never written anywhere)",
    )
    g.add_argument("--bearer", metavar="TOKEN", help="send 'Authorization: Bearer TOKEN' to each input URL's origin")
    g.add_argument(
        "--user-env",
        metavar="VAR",
        help="like --user, read from the environment variable VAR (keeps the password out of shell history)",
    )
    g.add_argument("--bearer-env", metavar="VAR", help="like --bearer, read from the environment variable VAR")
    g.add_argument(
        "--proxy",
        metavar="URL",
        help="proxy for every request: http://, https:// or socks5://"
        "[USER:PASSWORD@]HOST:PORT (default: HTTP_PROXY/HTTPS_PROXY/ALL_PROXY, minus NO_PROXY)",
    )
    g.add_argument("--no-proxy", action="store_true", help="connect directly; ignore the *_PROXY variables")
    g.add_argument(
        "--rate",
        type=_rate,
        default=None,
        metavar="N",
        help="at most N requests per second over the whole run (default: no limit)",
    )
    g.add_argument(
        "--host-rate",
        type=_rate,
        default=None,
        metavar="N",
        help="at most N requests per second to each host; halved after a 429/503 (default: no limit)",
    )
    g.add_argument(
        "--robots",
        choices=[m.value for m in RobotsMode],
        default=None,
        help="robots.txt: obey (skip disallowed URLs, error kind 'robots'), report (fetch, flag the "
        "row; default) or ignore",
    )
    g.add_argument(
        "--method",
        type=_method,
        default=None,
        metavar="GET|HEAD|HEAD,GET",
        help="request method; HEAD parses nothing; HEAD,GET asks again with GET after a 405/501 or a "
        "broken connection (default GET)",
    )
    g.add_argument(
        "--config",
        metavar="FILE.toml",
        help="request options per host pattern, e.g. "
        '[hosts."*.example.com"] (see README); the command line wins over the file',
    )


def add_audit_arguments(p: argparse.ArgumentParser) -> None:
    """List-mode audit: sitemaps in, JSON Lines and Excel out (the CSV is --csv)."""
    audit = p.add_argument_group("list-mode audit")
    audit.add_argument(
        "--sitemap",
        action="append",
        default=[],
        metavar="URL_OR_FILE",
        help="add the URLs of a sitemap, sitemap index (.xml or .xml.gz) or robots.txt "
        "(its Sitemap: lines), in document order; repeatable",
    )
    audit.add_argument("--jsonl", metavar="PATH", help="write results as JSON Lines (typed, every response header)")
    audit.add_argument("--xlsx", metavar="PATH", help="write results as an Excel workbook (results and summary)")
