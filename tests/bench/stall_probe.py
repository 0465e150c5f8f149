"""Find what stalls the window's event loop: ``python -m tests.bench.stall_probe URLFILE [main.py options]``.

Runs the real window (offscreen unless ``QT_QPA_PLATFORM`` says otherwise) with two probes:

* every Qt event delivery is timed (a ``QApplication.notify`` override): the slow ones are
  grouped by receiver class and event type;
* every Python method of the ``gui`` package (and the engine process's event delivery,
  ``core.run.host``) is timed, except per-cell hot paths; calls longer than ``--threshold`` ms are grouped by
  name (inclusive time, so a slow flush shows up together with what it called).

The probes add some overhead of their own, so absolute figures are a little high; the
ranking is what matters. Prints the top entries and the run's own stall figures. For stall figures
without the probes' overhead, and an independent second measure, see :mod:`tests.bench.post_probe`.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import inspect
import json
import os
import pkgutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

HOT = {
    "paint",
    "data",
    "flags",
    "initStyleOption",
    "headerData",
    "rowCount",
    "columnCount",
    "sizeHint",
    "index",
    "parent",
    "pixelMetric",
    "styleHint",
    "drawControl",
    "drawPrimitive",
    "subElementRect",
    "eventFilter",
    "event",
    "viewportEvent",
}


def _same_signature(fn: Callable[..., Any], record: Callable[[float], None]) -> Callable[..., Any]:
    """A timing wrapper with ``fn``'s own positional parameters.

    PySide6 looks at a slot's parameter count to decide how many signal arguments to
    pass, so a ``*args`` wrapper would receive (and forward) too many.
    """
    code = fn.__code__
    flags = code.co_flags
    if flags & inspect.CO_VARARGS or flags & inspect.CO_VARKEYWORDS or code.co_kwonlyargcount:
        params = call = "*a, **k"
    else:
        names = code.co_varnames[: code.co_argcount]
        params = call = ", ".join(names)
    src = (
        f"def timed({params}):\n    t = pc()\n    try:\n        return fn({call})\n"
        f"    finally:\n        record(pc() - t)\n"
    )
    ns: dict[str, Any] = {"pc": time.perf_counter, "fn": fn, "record": record}
    exec(src, ns)  # builds the wrapper from our own template
    timed = ns["timed"]
    timed.__defaults__ = fn.__defaults__
    timed.__kwdefaults__ = fn.__kwdefaults__
    timed.__name__, timed.__qualname__, timed.__doc__ = fn.__name__, fn.__qualname__, fn.__doc__
    timed.__wrapped__ = fn
    return timed


class Probe:
    def __init__(self, threshold_ms: float) -> None:
        self.threshold = threshold_ms / 1000.0
        self.calls: dict[str, list[float]] = defaultdict(list)
        self.events: dict[str, list[float]] = defaultdict(list)
        self.cells: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])  # hot paths: count, total s
        self.event_cpu: dict[str, float] = defaultdict(float)  # main-thread CPU during the slow events
        self.gc: list[tuple[int, float]] = []  # (generation, seconds) of slow collections
        self._gc_start = 0.0

    def gc_callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_start = time.perf_counter()
        else:
            dt = time.perf_counter() - self._gc_start
            if dt >= self.threshold / 4:
                self.gc.append((info.get("generation", -1), dt))

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        threshold, calls = self.threshold, self.calls
        if inspect.iscoroutinefunction(fn):
            return fn  # a coroutine's time is spread over its steps; its callees are timed instead

        def record(dt: float) -> None:
            if dt >= threshold:
                calls[name].append(dt)

        return _same_signature(fn, record)

    def wrap_hot(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        cell = self.cells[name]

        def record(dt: float) -> None:
            cell[0] += 1
            cell[1] += dt

        return _same_signature(fn, record)

    def instrument(self, module: Any, cells: bool) -> None:
        for cname, cls in list(vars(module).items()):
            if not inspect.isclass(cls) or cls.__module__ != module.__name__:
                continue
            for attr, fn in list(vars(cls).items()):
                if not inspect.isfunction(fn) or attr.startswith("__"):
                    continue
                label = f"{module.__name__.split('.')[-1]}.{cname}.{attr}"
                if attr not in HOT:
                    setattr(cls, attr, self.wrap(label, fn))
                elif cells:
                    setattr(cls, attr, self.wrap_hot(label, fn))


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    p = argparse.ArgumentParser(prog="python -m tests.bench.stall_probe", add_help=True)
    p.add_argument("--threshold", type=float, default=10.0, help="record calls and events longer than this (ms)")
    p.add_argument("--top", type=int, default=25)
    p.add_argument("--cells", action="store_true", help="also total the per-cell hot paths (slows painting)")
    p.add_argument(
        "--gc-freeze",
        type=float,
        default=0.0,
        metavar="S",
        help="experiment: gc.freeze() every S seconds (full collections then skip the rows so far)",
    )
    p.add_argument(
        "--switch-interval",
        type=float,
        default=0.0,
        metavar="S",
        help="experiment: sys.setswitchinterval(S) (default 0.005: how long a thread waits for the GIL)",
    )
    p.add_argument(
        "--nice-workers",
        type=int,
        default=0,
        metavar="N",
        help="experiment: renice the extraction processes by N (the window's process wins the CPU)",
    )
    p.add_argument(
        "--memory",
        action="store_true",
        help="trace allocations (slow) and print what holds memory when the summary is written",
    )
    known, rest = p.parse_known_args(argv)
    if known.switch_interval > 0:
        sys.setswitchinterval(known.switch_interval)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    probe = Probe(known.threshold)

    import gui
    import gui.app.runtime as runtime

    for info in pkgutil.iter_modules(gui.__path__):
        probe.instrument(importlib.import_module(f"gui.{info.name}"), known.cells)
    import core.run.host

    # The run itself is in the engine process; what reaches this process's loop is its event batches.
    for cls, attrs in ((core.run.host.EngineHost, ("_dispatch",)), (core.run.host.RemoteRun, ("_events",))):
        for attr in attrs:
            setattr(cls, attr, probe.wrap(f"host.{cls.__name__}.{attr}", getattr(cls, attr)))

    from PySide6.QtWidgets import QApplication

    class ProbeApp(QApplication):
        depth = 0

        def notify(self, receiver: Any, event: Any) -> bool:
            ProbeApp.depth += 1
            t, c = time.perf_counter(), time.thread_time()
            try:
                return super().notify(receiver, event)
            finally:
                ProbeApp.depth -= 1
                dt = time.perf_counter() - t
                if ProbeApp.depth == 0 and dt >= probe.threshold:
                    key = f"{type(receiver).__name__} {event.type().name}"
                    probe.events[key].append(dt)
                    probe.event_cpu[key] += time.thread_time() - c

    import gc

    gc.callbacks.append(probe.gc_callback)
    snapshot: list[Any] = []
    if known.memory:
        import tracemalloc

        tracemalloc.start(1)
        write_json = runtime.write_json

        def write_json_and_snapshot(path: str, data: dict[str, Any]) -> None:
            gc.collect()
            snapshot.append(tracemalloc.take_snapshot())
            write_json(path, data)

        runtime.write_json = write_json_and_snapshot
    app = ProbeApp([sys.argv[0]])  # runtime.make_app() reuses this instance
    if known.nice_workers:
        import psutil
        from PySide6.QtCore import QTimer

        def renice() -> None:
            for child in psutil.Process().children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    if child.nice() < known.nice_workers:
                        child.nice(known.nice_workers)

        nicer = QTimer()
        nicer.setInterval(200)
        nicer.timeout.connect(renice)
        nicer.start()
    if known.gc_freeze > 0:
        from PySide6.QtCore import QTimer

        freezer = QTimer()
        freezer.setInterval(int(known.gc_freeze * 1000))
        freezer.timeout.connect(gc.freeze)
        freezer.start()
    summary = os.path.join(tempfile.mkdtemp(prefix="fetchlens-probe-"), "summary.json")
    args = [*rest, "--start", "--quit-when-done", "--summary-json", summary]
    t0 = time.perf_counter()
    status = runtime.main(args)
    wall = time.perf_counter() - t0
    del app

    def table(title: str, data: dict[str, list[float]]) -> None:
        print(f"\n{title} (>= {known.threshold:g} ms): count, total ms, max ms")
        for name, ds in sorted(data.items(), key=lambda kv: -max(kv[1]))[: known.top]:
            print(f"  {len(ds):6d} {sum(ds) * 1000:9.0f} {max(ds) * 1000:8.1f}  {name}")

    table("slow Qt event deliveries (outermost)", probe.events)
    print("  main-thread CPU share of those slow deliveries (the rest: waiting for the GIL or a core):")
    for name, ds in sorted(probe.events.items(), key=lambda kv: -sum(kv[1]))[:6]:
        print(f"    {100 * probe.event_cpu[name] / sum(ds):5.1f}%  {name}")
    if probe.gc:
        gens = sorted({g for g, _ in probe.gc})
        for g in gens:
            ds = [d for gg, d in probe.gc if gg == g]
            print(
                f"  garbage collections of generation {g} >= {known.threshold / 4:g} ms: {len(ds)}, "
                f"total {sum(ds) * 1000:.0f} ms, max {max(ds) * 1000:.1f} ms"
            )
    table("slow Python calls in gui/ (inclusive)", probe.calls)
    print("\nper-cell hot paths: calls, total ms")
    for name, (n, total) in sorted(probe.cells.items(), key=lambda kv: -kv[1][1])[:10]:
        print(f"  {n:9d} {total * 1000:9.0f}  {name}")
    if snapshot:
        stats = snapshot[0].statistics("lineno")
        total = sum(st.size for st in stats)
        print(f"\nlive Python memory when the run ended: {total / 2**20:.0f} MB; largest by line:")
        for st in stats[: known.top]:
            print(f"  {st.size / 2**20:8.1f} MB {st.count:9d} blocks  {st.traceback[0]}")
    try:
        with open(summary, encoding="utf-8") as fh:
            s = json.load(fh)
        print(
            f"\nrun: exit {status}, {s.get('ok')} ok of {s.get('urls')}, run wall {s.get('wall_s')} s "
            f"(process {wall:.1f} s), max stall {s.get('max_ui_stall_ms')} ms, p99 {s.get('p99_ui_stall_ms')} ms"
        )
    except (OSError, ValueError):
        print(f"\nrun: exit {status}, no summary written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
