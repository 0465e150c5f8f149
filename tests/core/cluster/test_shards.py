"""Splitting a batch into shards for a cluster run."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from core.cluster.address import parse_cluster
from core.cluster.shards import host_group, plan_shards
from core.settings import Settings


def _items(n: int) -> list[tuple[int, str]]:
    return [(i, f"http://h{i % 5}.example/p/{i}") for i in range(n)]


def test_a_per_host_limit_keeps_every_host_in_one_shard() -> None:
    shards = plan_shards(_items(2000), Settings(per_host=2), groups=4, shard_size=100)
    hosts_of = [{urlsplit(u).netloc for _i, u in sh.items} for sh in shards]
    for host in {f"h{k}.example" for k in range(5)}:
        assert sum(host in hosts for hosts in hosts_of) == 1  # the limit is enforced inside one worker
    assert sorted(i for sh in shards for i, _u in sh.items) == list(range(2000))
    assert all([i for i, _u in sh.items] == sorted(i for i, _u in sh.items) for sh in shards)


def test_without_a_host_limit_big_hosts_are_cut_into_pieces() -> None:
    shards = plan_shards(_items(2000), Settings(), groups=4, shard_size=100)
    assert max(len(sh.items) for sh in shards) == 100
    assert sorted(i for sh in shards for i, _u in sh.items) == list(range(2000))
    assert len({sh.key for sh in shards}) == len(shards)


def test_host_groups_are_stable_and_ignore_case() -> None:
    assert host_group("http://Example.COM/a", 8) == host_group("http://example.com/b", 8)
    assert 0 <= host_group("http://x.example/", 3) < 3


def test_cluster_spec() -> None:
    assert parse_cluster("local:3") == (None, 3)
    assert parse_cluster("10.0.0.5:8786") == ("tcp://10.0.0.5:8786", 0)
    assert parse_cluster("tcp://h:1") == ("tcp://h:1", 0)
    for bad in ("local:0", "local:x", " "):
        with pytest.raises(ValueError):
            parse_cluster(bad)
