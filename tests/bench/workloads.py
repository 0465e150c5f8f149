"""The workloads W1–W5 (and their ``--quick`` sizes) and their URL files.

URLs point at the test bed's ``/page/{id}?size=&latency=&jitter=``. Big workloads reuse
``ID_POOL`` page ids (with a unique ``n=`` so every URL is distinct and fetched): the server
keeps rendered pages in a 4,096-entry cache, and rendering a page costs it ~0.3 ms of
CPU, which would otherwise be charged to whoever fetches a page first. The page bodies
are the same size and shape either way.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

ID_POOL = 2000


@dataclass(frozen=True)
class Workload:
    """One benchmark workload.

    Attributes:
        key: ``W1`` .. ``W5``.
        title: what it stands for.
        urls: number of URLs.
        size: page size in bytes.
        latency_ms: server delay before the headers; ``jitter_ms`` is its ± half-width.
        concurrency: Fetchlens's ``--concurrency`` and the raw baseline's workers.
        samples: URLs given to each slow baseline (0 = all); more URLs are extrapolated.
        repeat: default number of repeats (the median is reported).
        gui: run the window too.
        breakdown: also run the in-process engine variants (see :mod:`tests.bench.engine`).
    """

    key: str
    title: str
    urls: int
    size: int
    latency_ms: float
    jitter_ms: float = 0.0
    concurrency: int = 50
    samples: dict[str, int] = dataclasses.field(default_factory=dict)
    repeat: int = 3
    gui: bool = True
    breakdown: bool = False

    def url_list(self, base: str) -> list[str]:
        q = f"size={self.size}&latency={self.latency_ms:g}"
        if self.jitter_ms:
            q += f"&jitter={self.jitter_ms:g}"
        if self.urls <= ID_POOL:
            return [f"{base}/page/{i}?{q}" for i in range(self.urls)]
        return [f"{base}/page/{i % ID_POOL}?{q}&n={i}" for i in range(self.urls)]

    def write(self, base: str, folder: Path) -> Path:
        path = folder / f"{self.key}.txt"
        path.write_text("\n".join(self.url_list(base)) + "\n", encoding="utf-8")
        return path

    def sample(self, baseline: str) -> int:
        """How many URLs ``baseline`` gets (the whole workload unless it has a sample size)."""
        n = self.samples.get(baseline, 0)
        return min(n, self.urls) if n else self.urls

    @property
    def latency_floor_s(self) -> float:
        """Pure waiting time with ``concurrency`` requests always in flight."""
        rounds = -(-self.urls // self.concurrency)
        return rounds * self.latency_ms / 1000.0

    def describe(self) -> str:
        lat = f"{self.latency_ms:g} ms" + (f" ± {self.jitter_ms:g}" if self.jitter_ms else "")
        return f"{self.urls:,} URLs, {lat}, {self.size / 1000:g} KB, concurrency {self.concurrency}"


FULL: dict[str, Workload] = {
    w.key: w
    for w in (
        Workload("W1", "the tutorial's own", 5, 50_000, 200, concurrency=50),
        Workload("W2", "latency-bound", 500, 20_000, 250, 50, concurrency=50, samples={"sync": 40, "executor": 200}),
        Workload(
            "W3", "parse-bound", 500, 100_000, 0, concurrency=50, breakdown=True, samples={"sync": 200, "executor": 200}
        ),
        Workload(
            "W4",
            "throughput",
            20_000,
            20_000,
            20,
            concurrency=100,
            repeat=1,
            breakdown=True,
            samples={"sync": 500, "executor": 1000, "naive": 2000},
        ),
        Workload(
            "W5",
            "scale (memory)",
            100_000,
            2_000,
            5,
            concurrency=100,
            repeat=1,
            samples={"sync": 500, "executor": 1000, "naive": 2000},
        ),
    )
}

QUICK: dict[str, Workload] = {
    w.key: w
    for w in (
        Workload("W1", "the tutorial's own", 5, 50_000, 200, concurrency=50, repeat=2),
        Workload(
            "W2", "latency-bound", 200, 20_000, 250, 50, concurrency=50, repeat=2, samples={"sync": 12, "executor": 60}
        ),
        Workload(
            "W3",
            "parse-bound",
            200,
            100_000,
            0,
            concurrency=50,
            repeat=2,
            breakdown=True,
            samples={"sync": 60, "executor": 100},
        ),
        Workload(
            "W4",
            "throughput",
            2_000,
            20_000,
            20,
            concurrency=100,
            repeat=1,
            breakdown=True,
            samples={"sync": 100, "executor": 300, "naive": 500},
        ),
        Workload(
            "W5",
            "scale (memory)",
            5_000,
            2_000,
            5,
            concurrency=100,
            repeat=1,
            samples={"sync": 100, "executor": 300, "naive": 500},
        ),
    )
}
