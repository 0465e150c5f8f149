"""Run settings shared by every mode, with the defaults of DESIGN.md."""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field

from core import __version__
from core.cluster.address import parse_cluster
from core.fetch.options import RequestOptions
from core.model import Mode

log = logging.getLogger(__name__)

DEFAULT_USER_AGENT = f"Fetchlens/{__version__} (batch URL checker)"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything that decides how a batch is fetched.

    The same settings give the same results in every mode; only timings differ.
    """

    mode: Mode = Mode.ASYNC
    concurrency: int = 50  # sync mode always uses 1
    per_host: int = 0  # 0 = no limit beyond ``concurrency``
    connect_timeout: float = 10.0
    total_timeout: float = 30.0  # per attempt, a deadline over the whole response
    retries: int = 1  # only for connection failures, 429 and 503
    retry_backoff: float = 0.5  # seconds, doubled per attempt
    retry_after_cap: float = 60.0
    max_redirects: int = 10
    max_bytes: int = 10 * 1024 * 1024  # after decompression
    user_agent: str = DEFAULT_USER_AGENT
    verify_tls: bool = True
    fetch_duplicates: bool = False
    parse: bool = True
    requests: RequestOptions = field(default_factory=RequestOptions)  # headers, cookies, auth, proxy, robots...
    # Headless streaming runs: rows taken from the input but not yet written out, at most. Rows that
    # finish early wait here for the ones before them; when it is full no new URL is taken until the
    # oldest unfinished one ends. About 1-2 KB per waiting row, so 10,000 rows hold 10-20 MB.
    reorder_window: int = 10_000
    # Where the run happens: "" this computer; "local:N" a Dask cluster of N worker processes started
    # for the run; "tcp://host:port" a running Dask scheduler (core/cluster/). Needs dask.distributed.
    cluster: str = ""

    @property
    def workers(self) -> int:
        """How many requests may be in flight at once in this mode."""
        return 1 if self.mode is Mode.SYNC else max(1, self.concurrency)

    def replace(self, **changes: object) -> Settings:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    def validate(self) -> list[str]:
        """Human-readable problems with these settings; empty when they are usable."""
        problems = []
        if self.concurrency < 1 or self.concurrency > 10_000:
            problems.append("concurrency must be between 1 and 10000")
        if self.reorder_window < self.workers:
            problems.append("the reorder window must hold at least as many rows as requests in flight")
        if self.per_host < 0:
            problems.append("per-host limit must be 0 (none) or more")
        if self.connect_timeout <= 0 or self.total_timeout <= 0:
            problems.append("timeouts must be positive")
        if self.retries < 0 or self.retries > 10:
            problems.append("retries must be between 0 and 10")
        if self.max_redirects < 0:
            problems.append("max redirects must be 0 or more")
        if self.max_bytes < 1:
            problems.append("max size must be positive")
        if self.cluster:
            try:
                parse_cluster(self.cluster)
            except ValueError as exc:
                problems.append(str(exc))
        return problems
