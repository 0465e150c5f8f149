"""Where a run happens: ``""`` (this computer), ``local:N`` or a Dask scheduler's address.

One reading of the address for the command line (``--cluster``), the config file (``cluster``)
and the window's Settings ("Run on"). Nothing here imports Dask.
"""

from __future__ import annotations

import importlib.util
import logging

log = logging.getLogger(__name__)

INSTALL_HINT = "pip install -r requirements-cluster.txt"


def parse_cluster(spec: str) -> tuple[str | None, int]:
    """``local:N`` → ``(None, N)``; a scheduler address → ``(address, 0)`` (``tcp://`` added if missing).

    Raises:
        ValueError: ``local:`` without a positive number, or an empty address.
    """
    spec = spec.strip()
    if spec.startswith("local:"):
        n = spec.removeprefix("local:")
        if not n.isdigit() or int(n) < 1:
            raise ValueError(f"a local cluster needs a number of workers (local:N), not {n!r}")
        return None, int(n)
    if not spec:
        raise ValueError("a cluster needs a scheduler address (tcp://host:port) or local:N")
    return (spec if "://" in spec else f"tcp://{spec}"), 0


def dask_available() -> bool:
    """Whether ``dask.distributed`` can be imported (looked up without importing it)."""
    try:
        return importlib.util.find_spec("distributed") is not None
    except (ImportError, ValueError):
        return False
