"""Splitting a batch into shards that workers fetch independently.

A shard keeps every URL of a host together when the settings limit hosts (``per_host``): the
limit is enforced inside the one worker that runs the shard, so it holds across the cluster.
Without a per-host limit a big host may also be cut into pieces of ``shard_size`` URLs, so one
site's list still spreads over the workers.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from core.settings import Settings

log = logging.getLogger(__name__)

SHARD_SIZE = 500  # URLs per shard at most when hosts may be split (a lost worker costs at most this)


@dataclass(slots=True)
class Shard:
    """URLs one worker fetches in one task.

    Attributes:
        key: a stable name (``"<group>-<part>"``), the task's name on the cluster.
        items: ``(input_index, url)`` in input order.
    """

    key: str
    items: list[tuple[int, str]] = field(default_factory=list)


def host_group(url: str, groups: int) -> int:
    """A host's group, stable across processes and runs (not Python's salted ``hash``)."""
    host = urlsplit(url).netloc.lower()
    digest = hashlib.blake2b(host.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % groups


def plan_shards(
    items: Iterable[tuple[int, str]], settings: Settings, groups: int, shard_size: int = SHARD_SIZE
) -> list[Shard]:
    """Group ``(index, url)`` pairs into shards by host.

    Args:
        items: the URLs to fetch, in input order.
        settings: ``per_host > 0`` keeps each host whole in one shard.
        groups: how many host groups (about two per worker spreads the work).
        shard_size: the most URLs of a shard when hosts may be split.

    Returns:
        Shards in the order their first URL appears.
    """
    whole_hosts = settings.per_host > 0
    open_shards: dict[int, Shard] = {}
    parts: dict[int, int] = {}
    out: list[Shard] = []
    for idx, url in items:
        g = host_group(url, groups)
        shard = open_shards.get(g)
        if shard is None or (not whole_hosts and len(shard.items) >= shard_size):
            part = parts.get(g, 0)
            parts[g] = part + 1
            shard = open_shards[g] = Shard(f"{g}-{part}")
            out.append(shard)
        shard.items.append((idx, url))
    return out
