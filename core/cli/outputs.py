"""The files a headless run writes: checked before anything is fetched, ``--csv``, ``--jsonl`` and
``--xlsx`` (one file per mode in compare mode), ``--summary-json``, and the exit status that follows.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence

from core.cli.args import ExitStatus, UsageError
from core.export import ExportError, Exports, write_csv, write_jsonl, write_xlsx
from core.files import SaveError, atomic_target, check_writable
from core.model import Mode, RunSummary

log = logging.getLogger(__name__)


def mode_csv_path(path: str, mode: Mode | str) -> str:
    """Compare mode's file of one mode: ``out.csv`` → ``out-async.csv`` (also for .jsonl/.xlsx)."""
    root, ext = os.path.splitext(path)
    return f"{root}-{mode}{ext or '.csv'}"


def check_outputs(args: argparse.Namespace) -> None:
    """Fail before fetching anything if an output file (``--csv``, ``--jsonl``, ``--xlsx``,
    ``--summary-json``) cannot be written.

    Raises:
        UsageError: one line saying which path and why (a missing folder, a folder in the way, ...).
    """
    paths = [args.summary_json] if args.summary_json else []
    compare = args.mode == "compare"
    for out in (args.csv, args.jsonl, args.xlsx):
        if out:
            paths += [mode_csv_path(out, m) for m in Mode] if compare else [out]
    for path in paths:
        try:
            check_writable(path)
        except SaveError as exc:
            raise UsageError(str(exc)) from exc


def write_outputs(
    args: argparse.Namespace, results: dict[Mode, list], summary: dict[str, object], lines: Sequence[int] = ()
) -> None:
    """Write --csv, --jsonl and --xlsx (in compare mode one file per mode: PATH-<mode>.ext);
    ``lines`` is each input index's line in the input (the ``line`` column).

    Raises:
        ExportError: a file could not be written.
    """
    for path, write in (
        (args.csv, write_csv),
        (args.jsonl, write_jsonl),
        (args.xlsx, lambda p, rows, **kw: write_xlsx(p, rows, summary, **kw)),
    ):
        for mode, rows in results.items() if path else ():
            write(mode_csv_path(path, mode) if args.mode == "compare" else path, rows, lines=lines)


def write_json(path: str, data: dict[str, object]) -> None:
    """Write ``data`` as indented UTF-8 JSON through :func:`core.files.atomic_target`.

    Raises:
        SaveError: the file could not be written (where and why).
    """
    with atomic_target(path) as tmp, open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2, ensure_ascii=False)
        fh.write("\n")


def finish(args: argparse.Namespace, summary: dict[str, object], interrupted: bool) -> int:
    """Write ``--summary-json`` (if asked) and return the run's exit status."""
    if args.summary_json:
        try:
            write_json(args.summary_json, summary)
        except SaveError as exc:
            print(f"fetchlens: {exc}", file=sys.stderr)
            return ExitStatus.ERROR
    return ExitStatus.INTERRUPTED if interrupted else ExitStatus.OK


def commit_outputs(args: argparse.Namespace, out: Exports, summary: RunSummary, run_id: int | None) -> int:
    """Finish a streamed run's files: commit the outputs (``out``, whose rows are written), then
    ``--summary-json``; returns the exit status (an output that cannot be committed: ``ERROR``)."""
    data = summary.to_dict()
    if run_id is not None:
        data["run_id"] = run_id
    try:
        out.commit(data)
    except ExportError as exc:
        print(f"fetchlens: {exc}", file=sys.stderr)
        return ExitStatus.ERROR
    return finish(args, data, summary.interrupted)
