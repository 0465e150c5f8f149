"""Fetchlens's engine in-process, piece by piece: ``python -m tests.bench.engine VARIANT URLFILE``.

Where the headless run is slower than its floor, these variants of ``core.run.engine.Run`` (no
CLI, no journal, no progress bar) show which piece costs what:

* ``pool``: the real engine, parsing in the extraction process pool (as ``--headless``).
* ``inline``: the same, parsing in the event loop's own thread (``Extractor(inline=True)``):
  no pickling and no inter-process hops, but a single core for everything.
* ``noparse``: fetching only (``Settings.parse=False``), to compare with baseline (d).
* ``noparse_notrace``: fetching only, with aiohttp's per-request ``TraceConfig`` replaced by
  an empty one: what the phase timings cost.

Writes the run's summary (plus ``cpu_s`` of this process) as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time

VARIANTS = ("pool", "inline", "noparse", "noparse_notrace")


async def _run(variant: str, urlfile: str, concurrency: int) -> dict[str, object]:
    from core.model import Mode
    from core.parse.pool import Extractor
    from core.run.engine import Run
    from core.settings import Settings
    from core.urls import load_batch

    if variant == "noparse_notrace":
        import aiohttp

        import core.fetch.asynchronous

        core.fetch.asynchronous._trace_config = aiohttp.TraceConfig  # an empty one: no per-phase signals
    batch = load_batch([urlfile])
    settings = Settings(mode=Mode.ASYNC, concurrency=concurrency, parse=not variant.startswith("noparse"))
    extractor = Extractor(inline=variant == "inline")
    await extractor.warm_up()
    try:
        run = Run(batch, settings, extractor=extractor)
        summary = await run.execute()
    finally:
        extractor.shutdown()
    return summary.to_dict()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.bench.engine")
    p.add_argument("variant", choices=VARIANTS)
    p.add_argument("urlfile")
    p.add_argument("--concurrency", type=int, default=50)
    p.add_argument("--json", required=True)
    args = p.parse_args(argv)
    t0 = time.process_time()
    report = asyncio.run(_run(args.variant, args.urlfile, args.concurrency))
    report["variant"] = args.variant
    report["main_cpu_s"] = round(time.process_time() - t0, 3)
    tmp = f"{args.json}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(report, fh)
    os.replace(tmp, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
