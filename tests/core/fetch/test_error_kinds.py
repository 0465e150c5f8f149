"""Every error kind, in every mode, against real local servers (no mocks, no internet)."""

from __future__ import annotations

import pytest

from core.model import ErrorKind, Mode
from tests.core.conftest import ALL_MODES, run_batch

FAST = {"total_timeout": 2.0, "connect_timeout": 2.0, "retries": 0}


@ALL_MODES
def test_ok_page_is_parsed(mode: Mode, testbed, extractor) -> None:
    [r], _ = run_batch([f"{testbed.url}/page/7?size=5000&links=12"], mode, extractor)
    assert r.ok and r.status_code == 200 and r.error_kind is None
    assert r.page is not None and r.page.title == "Page 7" and r.page.links == 12
    assert r.bytes == 5000 and r.content_type.startswith("text/html") and r.charset == "UTF-8"
    assert r.attempts == 1 and r.timings.finished_ms >= r.timings.started_ms


@ALL_MODES
@pytest.mark.parametrize(
    ("path", "kind", "settings"),
    [
        ("/status/404", ErrorKind.HTTP_ERROR, {}),
        ("/status/500", ErrorKind.HTTP_ERROR, {}),
        ("/redirect-loop", ErrorKind.TOO_MANY_REDIRECTS, {}),
        ("/redirect/11", ErrorKind.TOO_MANY_REDIRECTS, {}),
        ("/redirect/3", ErrorKind.TOO_MANY_REDIRECTS, {"max_redirects": 2}),
        ("/redirect-to?url=ftp://files.example/x", ErrorKind.INVALID_URL, {}),
        ("/hang", ErrorKind.TIMEOUT, {}),
        ("/headers-then-stall", ErrorKind.TIMEOUT, {}),
        ("/drip?chunks=40&interval=100", ErrorKind.TIMEOUT, {}),  # requests alone would never time out
        ("/big?size=300000", ErrorKind.TOO_LARGE, {"max_bytes": 100_000}),
        ("/big-chunked?size=300000", ErrorKind.TOO_LARGE, {"max_bytes": 100_000}),
        ("/endless", ErrorKind.TOO_LARGE, {"max_bytes": 1_000_000}),
        ("/bomb", ErrorKind.TOO_LARGE, {"max_bytes": 10_000_000, "total_timeout": 30.0}),  # first hit builds it
        ("/bad-gzip", ErrorKind.DECODE, {}),
    ],
)
def test_http_level_failures(mode: Mode, path: str, kind: ErrorKind, settings: dict, testbed, extractor) -> None:
    [r], _ = run_batch([testbed.url + path], mode, extractor, **{**FAST, **settings})
    assert r.error_kind is kind, r.error
    assert not r.ok
    assert r.error  # the library's message is kept
    assert r.timings.elapsed_ms < 8000


@ALL_MODES
@pytest.mark.parametrize("path", ["/reset-before", "/reset-mid", "/short-body", "/bad-chunked", "/garbage"])
def test_connection_level_failures(mode: Mode, path: str, testbed, extractor) -> None:
    [r], _ = run_batch([testbed.raw_url + path], mode, extractor, **FAST)
    assert r.error_kind is ErrorKind.RESET, (r.error_kind, r.error)


@ALL_MODES
def test_refused_dns_invalid_and_tls(mode: Mode, closed_port_url, tls_server, extractor) -> None:
    lines = [closed_port_url + "/x", "http://fetchlens-test.invalid/", "not a url", tls_server.url + "/page/1"]
    results, _ = run_batch(lines, mode, extractor, **FAST)
    assert [r.error_kind for r in results] == [ErrorKind.CONNECT, ErrorKind.DNS, ErrorKind.INVALID_URL, ErrorKind.TLS]
    assert "certificate" in results[3].error.lower()
    # the time of a failure before any response is drawn as the phase it was spent in, never as waiting
    phases = [{name for name, _a, _b in r.timings.segments()} for r in results]
    assert [r.timings.wait_ms for r in results] == [r.timings.ttfb_ms for r in results] == [None] * 4
    assert results[0].timings.connect_ms is not None and results[3].timings.connect_ms is not None
    assert results[1].timings.dns_ms is not None
    assert not any("wait" in p or "download" in p for p in phases)


@ALL_MODES
def test_tls_verification_can_be_switched_off(mode: Mode, tls_server, extractor) -> None:
    [r], _ = run_batch([tls_server.url + "/page/1"], mode, extractor, verify_tls=False, **FAST)
    assert r.ok and r.page is not None and r.page.title == "Page 1"


@ALL_MODES
def test_redirect_chain_recorded(mode: Mode, testbed, extractor) -> None:
    [r, r10], _ = run_batch([f"{testbed.url}/redirect/3", f"{testbed.url}/redirect/10"], mode, extractor)
    assert r.ok and len(r.redirects) == 3 and r.final_url.endswith("/page/final")
    assert r.redirects[0].endswith("/redirect/3")
    assert r10.ok and len(r10.redirects) == 10  # the limit is "at most 10"


@ALL_MODES
def test_non_html_recorded_not_parsed(mode: Mode, testbed, extractor) -> None:
    paths = ["/binary", "/json", "/image.png", "/text", "/binary-as-html", "/invalid-bytes"]
    results, _ = run_batch([testbed.url + p for p in paths], mode, extractor)
    assert all(r.ok for r in results), [r.error for r in results]
    assert [r.page is None for r in results] == [True, True, True, True, False, False]
    assert "\ufffd" in results[5].page.title  # invalid bytes replaced, never an exception
