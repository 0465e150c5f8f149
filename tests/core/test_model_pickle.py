"""Results cross processes (engine -> window, parsers, Dask workers) pickled as constructor calls."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from core.model import FetchResult, Mode, PageFacts, PageInfo, Progress, RowState, Timings


def _result(i: int) -> FetchResult:
    facts = PageFacts(120, (("en", "http://x.test/en"),), "9f" * 32, (("robots", "noindex"),))
    return FetchResult(i, f"http://x.test/{i}", Mode.ASYNC, final_url=f"http://x.test/{i}/", status_code=200, ok=True,
                       page=PageInfo(title="T", canonical="/c", facts=facts), redirects=(f"http://x.test/{i}",),
                       headers=(("Content-Type", "text/html"),), hops=((301, f"http://x.test/{i}/"),),
                       timings=Timings(1.0, 0.1, 0.2, 0.3, 4.0, 1.0, 0.5, 8.0, 0.7))


@pytest.mark.parametrize("protocol", [2, pickle.DEFAULT_PROTOCOL, pickle.HIGHEST_PROTOCOL])
def test_results_and_progress_come_back_equal_through_pickle_and_copy(protocol: int) -> None:
    batch = [_result(i) for i in range(3)] + [Progress(7, RowState.QUEUED, 12.5, 10, None)]
    assert pickle.loads(pickle.dumps(batch, protocol=protocol)) == batch
    assert copy.copy(batch[0]) == batch[0] and copy.deepcopy(batch[0]) == batch[0]


def test_unpickling_calls_the_constructor_with_every_field() -> None:
    """Not the dataclasses' Python __setstate__, which walks fields() per object (3x slower)."""
    r = _result(1)
    for obj in (r, r.page, r.page.facts, r.timings, Progress(1, RowState.QUEUED, 0.0)):
        assert obj is not None
        cls, args = obj.__reduce__()
        assert cls is type(obj) and cls(*args) == obj
        assert len(args) == len(dataclasses.fields(obj))
