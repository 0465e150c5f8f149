"""The headless command line's entry points: logging set-up, which run an invocation is (a listing,
a cluster run, a continued run, a streamed or an in-memory one), ``main`` (``main.py --headless``) and
``main_launcher`` (``--install-launcher``, ``--uninstall-launcher``).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from core.cli.args import ExitStatus, UsageError, build_parser
from core.cli.cluster import run_on_cluster
from core.cli.continued import run_continued
from core.cli.outputs import check_outputs
from core.cli.report import list_runs
from core.cli.runs import run_in_memory, run_streamed
from core.cli.settings import settings_from_args
from core.fetch import secrets
from core.store import Journal, JournalError, default_path

log = logging.getLogger(__name__)


def _open_journal(args: argparse.Namespace, required: bool) -> Journal | None:
    if args.no_journal and not required:
        return None
    try:
        return Journal(default_path(args.data_dir))
    except JournalError as exc:
        if required:
            raise UsageError(str(exc)) from exc
        log.warning("%s; this run is not recorded", exc)
        return None


def run_headless(args: argparse.Namespace) -> int:
    """Run a batch without a window; returns the exit status."""
    check_outputs(args)
    if (args.resume or args.retry_failed) and args.mode == "compare":
        raise UsageError("--resume and --retry-failed cannot be combined with --mode compare")
    journal = _open_journal(args, required=bool(args.resume or args.retry_failed or args.list_runs))
    if args.list_runs:
        assert journal is not None
        print(list_runs(journal))
        return ExitStatus.OK
    if settings_from_args(args).cluster:  # --cluster, or the config file's cluster (a recorded run's is not reused)
        if args.mode == "compare":
            raise UsageError("a cluster run cannot be combined with --mode compare")
        return run_on_cluster(args, journal)
    if args.mode != "compare" and (args.resume or args.retry_failed):
        assert journal is not None
        return run_continued(args, journal)
    if args.mode != "compare":
        return run_streamed(args, journal)
    return run_in_memory(args, journal)


def configure_logging(verbosity: int) -> None:
    """Log to stderr: warnings (``verbosity`` 0), info (1, ``-v``) or everything (2, ``-vv``); secrets filtered out."""
    level = logging.WARNING if verbosity == 0 else (logging.INFO if verbosity == 1 else logging.DEBUG)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    secrets.install_log_filter()  # passwords, tokens and cookie values never reach the log


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the headless command line (``main.py --headless ...``)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(args.verbose)
    try:
        return run_headless(args)
    except UsageError as exc:
        print(f"fetchlens: {exc}", file=sys.stderr)
        return ExitStatus.USAGE


def main_launcher(argv: Sequence[str]) -> int:
    """``--install-launcher`` / ``--uninstall-launcher``: add or remove the desktop launcher."""
    args = build_parser().parse_args(argv)
    configure_logging(args.verbose)
    from core.desktop import launcher
    from core.desktop.content import LauncherError

    try:
        paths = launcher.install_launcher() if args.install_launcher else launcher.uninstall_launcher()
    except LauncherError as exc:
        print(f"fetchlens: {exc}", file=sys.stderr)
        return ExitStatus.ERROR
    verb = "installed" if args.install_launcher else "removed"
    for path in paths:
        print(f"{verb}: {path}")
    return ExitStatus.OK
