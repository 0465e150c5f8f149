"""Run the test bed as a process: ``python -m tests.testbed.server [options]``.

Options: ``--host 127.0.0.1``, ``--port 0`` (0 picks a free port), ``--raw-port N`` (also
start the raw misbehaving server), ``--tls-cert PEM --tls-key PEM`` (serve HTTPS instead of
HTTP), ``--backlog 1024``, ``--log-level WARNING``.

Once listening it prints, on stdout, ``FETCHLENS_TESTBED http(s)://HOST:PORT`` and, with
``--raw-port``, ``FETCHLENS_RAW http://HOST:PORT``, then serves until SIGTERM or SIGINT,
on which it shuts down cleanly and exits with status 0. Logs go to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import ssl
import sys
from collections.abc import Sequence

from aiohttp import web

from tests.testbed.app import make_app
from tests.testbed.raw import RawServer

log = logging.getLogger(__name__)

__all__ = ["RAW_PREFIX", "TESTBED_PREFIX", "main", "parse_args", "serve"]

TESTBED_PREFIX = "FETCHLENS_TESTBED"
RAW_PREFIX = "FETCHLENS_RAW"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(prog="python -m tests.testbed.server", description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="HTTP(S) port; 0 picks a free one")
    parser.add_argument("--raw-port", type=int, default=None, help="also run the raw server on this port (0: any)")
    parser.add_argument("--tls-cert", default=None, help="PEM certificate chain: serve HTTPS")
    parser.add_argument("--tls-key", default=None, help="PEM private key for --tls-cert")
    parser.add_argument("--backlog", type=int, default=1024, help="listen backlog (default 1024)")
    parser.add_argument("--log-level", default="WARNING", help="logging level on stderr (default WARNING)")
    args = parser.parse_args(argv)
    if (args.tls_cert is None) != (args.tls_key is None):
        parser.error("--tls-cert and --tls-key go together")
    return args


def _server_ssl_context(cert: str, key: str) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def _url(scheme: str, host: str, port: int) -> str:
    return f"{scheme}://[{host}]:{port}" if ":" in host else f"{scheme}://{host}:{port}"


async def serve(args: argparse.Namespace, stop: asyncio.Event) -> list[str]:
    """Serve until ``stop`` is set; return the announced lines (for embedding and tests).

    Args:
        args: Options from :func:`parse_args`.
        stop: Set it to shut down.

    Returns:
        The lines that were printed on start-up.
    """
    runner = web.AppRunner(make_app(), handler_cancellation=True, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    raw: RawServer | None = None
    try:
        ssl_context = _server_ssl_context(args.tls_cert, args.tls_key) if args.tls_cert else None
        site = web.TCPSite(runner, args.host, args.port, backlog=args.backlog, ssl_context=ssl_context)
        await site.start()
        lines = [f"{TESTBED_PREFIX} {_url('https' if ssl_context else 'http', args.host, site.port)}"]
        if args.raw_port is not None:
            raw = RawServer(args.host, args.raw_port, backlog=args.backlog)
            await raw.start()
            lines.append(f"{RAW_PREFIX} {raw.url}")
        print("\n".join(lines), flush=True)
        await stop.wait()
        log.info("stopping")
        return lines
    finally:
        if raw is not None:
            await raw.close()
        await runner.cleanup()


async def _amain(args: argparse.Namespace) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    watch = asyncio.ensure_future(_stop_when_orphaned(stop))
    try:
        await serve(args, stop)
    finally:
        watch.cancel()


async def _stop_when_orphaned(stop: asyncio.Event, every_s: float = 0.5) -> None:
    """Stop once the process that started the server is gone (a test run killed before its fixtures'
    teardown must not leave servers behind)."""
    parent = os.getppid()
    while not stop.is_set():
        await asyncio.sleep(every_s)
        if os.getppid() != parent:
            log.info("parent %d is gone: stopping", parent)
            stop.set()


def _raise_fd_limit() -> None:
    """Lift the soft open-files limit to the hard one: benchmarks open thousands of sockets."""
    try:
        import resource  # POSIX only
    except ImportError:
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
    if soft != resource.RLIM_INFINITY and soft < target:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            log.info("open-files limit raised from %d to %d", soft, target)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    _raise_fd_limit()
    with contextlib.suppress(KeyboardInterrupt):  # only where signal handlers are unavailable (Windows)
        asyncio.run(_amain(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
