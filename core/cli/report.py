"""What the command line shows on the terminal: the progress bar on stderr, a run's summary, the
comparison table of compare mode and the table of recorded runs (``--list-runs``).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time

from core.model import FetchResult, Progress, RunStarted, RunSummary
from core.run.compare import Comparison
from core.run.observer import NullObserver
from core.store import Journal

log = logging.getLogger(__name__)


def bar_on(args: argparse.Namespace) -> bool:
    """Whether a run shows the progress bar: not ``--quiet`` and stderr is a terminal."""
    return not args.quiet and sys.stderr.isatty()


class ProgressBar(NullObserver):
    """A tqdm progress bar on stderr (only when stderr is a terminal)."""

    def __init__(self, enabled: bool) -> None:
        self._enabled = enabled
        self._bar = None

    def on_start(self, info: RunStarted) -> None:
        if self._enabled:
            from tqdm import tqdm

            self._bar = tqdm(total=info.total, desc=str(info.mode), unit="url", file=sys.stderr, leave=False)

    def on_result(self, result: FetchResult) -> None:
        if self._bar is not None:
            self._bar.update(1)

    def on_progress(self, progress: Progress) -> None:
        pass

    def on_finish(self, summary: RunSummary) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _fig(value: float | None, spec: str, unit: str = "") -> str:
    """A figure, or "–" when there is no data (nothing was fetched)."""
    return "–" if value is None else f"{value:{spec}}{unit}"


def format_summary(s: RunSummary) -> str:
    """The short summary printed on stdout ("–" for figures without data)."""
    kinds = ", ".join(f"{k} {v}" for k, v in s.by_error_kind.items()) or "none"
    return (
        f"{s.mode}: {s.urls} URLs, {s.ok} ok, {s.failed} failed, {s.cancelled} cancelled"
        f"{' (interrupted)' if s.interrupted else ''}\n"
        f"  wall {s.wall_s:.2f} s, sum of per-URL times {s.sum_elapsed_s:.2f} s, "
        f"effective concurrency {_fig(s.effective_concurrency, '.1f')}\n"
        f"  p50 {_fig(s.p50_ms, '.0f', ' ms')}, p95 {_fig(s.p95_ms, '.0f', ' ms')}, "
        f"max {_fig(s.max_ms, '.0f', ' ms')}, {_fig(s.pages_per_s, '.1f')} pages/s, {s.bytes:,} bytes\n"
        f"  errors: {kinds}"
    )


def format_comparison(c: Comparison, n_urls: int) -> str:
    """A table of the modes side by side."""
    lines = [
        f"{'mode':<8} {'wall s':>8} {'sum s':>9} {'conc.':>6} {'p50 ms':>8} {'p95 ms':>8} {'ok':>6} "
        f"{'failed':>6} {'speed-up':>9}"
    ]
    for mode, s in c.summaries.items():
        sp = c.speedup(mode)
        lines.append(
            f"{mode!s:<8} {s.wall_s:>8.2f} {s.sum_elapsed_s:>9.2f} {_fig(s.effective_concurrency, '.1f'):>6} "
            f"{_fig(s.p50_ms, '.0f'):>8} {_fig(s.p95_ms, '.0f'):>8} {s.ok:>6} {s.failed:>6} "
            f"{(f'{sp:.1f}x' if sp else '-'):>9}"
        )
    lines.append(c.headline(n_urls))
    return "\n".join(lines)


def list_runs(journal: Journal) -> str:
    """The history as a table."""
    out = [
        f"{'id':>5}  {'started':<19}  {'mode':<7}  {'kind':<7}  {'status':<11}  {'urls':>7}  {'ok':>7}  "
        f"{'failed':>7}  {'wall s':>8}"
    ]
    for r in journal.runs():
        started = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(r.created_at))
        wall = f"{r.wall_s:.2f}" if r.wall_s is not None else "-"
        out.append(
            f"{r.id:>5}  {started:<19}  {r.mode:<7}  {r.kind:<7}  {r.status:<11}  {r.total:>7}  {r.ok:>7}  "
            f"{r.failed:>7}  {wall:>8}"
        )
    return "\n".join(out)
