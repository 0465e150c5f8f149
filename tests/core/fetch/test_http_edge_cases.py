"""More raw-socket cases of HTTP semantics (the kinds of peer tools' bug reports), each the same, right row in
sync, threads and async: interim responses, ``Content-Length`` and chunked framing, transfer and content codings,
redirect targets and statuses, cookie rules, host forms. Served by ``/edge/{kind}/{id}`` of the raw server."""

from __future__ import annotations

import gzip

import brotli
import pytest

from core.fetch.codings import BodyDecoder
from core.fetch.common import TooLarge, retry_after_seconds
from core.fetch.headers import FramingError, chunk_size, content_length
from core.mime import media_type
from core.model import ErrorKind, FetchResult, Mode
from tests.core.conftest import run_batch

pytestmark = pytest.mark.timeout(120)

ECHO = "Accept-Encoding: gzip, deflate, br, zstd; Cookie: "
# /edge/{kind} -> (error_kind, status, title); every kind is followed on the same connection by /edge/ok/{i}n,
# which must get its own page (nothing a response left behind is read as the next one)
EDGE = {
    # 1xx: skipped whatever they carry, however many, however split (RFC 9110 §15.2, RFC 9112 §6.3 item 1)
    "1xx-cl": (None, 200, "Edge"),
    "103x20": (None, 200, "Edge"),
    "1xx-split": (None, 200, "Edge"),
    "101": (None, 101, ""),  # an upgrade nobody asked for: the final status, no body read
    # Content-Length = 1*DIGIT (RFC 9110 §8.6)
    "cl-zeros": (None, 200, "Edge"),
    "cl-space": (None, 200, "Edge"),
    "cl-plus": (ErrorKind.RESET, None, ""),
    "cl-neg": (ErrorKind.RESET, None, ""),
    "cl-sup": (ErrorKind.RESET, None, ""),  # a Latin-1 "²" is not a digit
    "cl-huge": (ErrorKind.RESET, None, ""),  # beyond 2**63 - 1: no integer overflow decides the framing
    "cl-short": (None, 200, "Edge"),  # the excess after the length is not the next response (RFC 9112 §6.3)
    # chunked (RFC 9112 §7.1) and other transfer codings (§6.1)
    "ch-ext": (None, 200, "Edge"),
    "ch-trailer": (None, 200, "Edge"),
    "ch-upper": (None, 200, "Edge"),
    "ch-split": (None, 200, "Edge"),
    "ch-nolast": (ErrorKind.RESET, 200, ""),  # closed before the last chunk: incomplete (§8)
    "ch-size-lead0": (None, 200, "Edge"),
    "ch-size-space": (None, 200, "Edge"),  # BWS before where an extension would start (§7.1.1)
    "ch-size-0x": (ErrorKind.RESET, 200, ""),  # chunk-size = 1*HEXDIG: not what Python's int(..., 16) takes
    "ch-size-plus": (ErrorKind.RESET, 200, ""),
    "ch-size-under": (ErrorKind.RESET, 200, ""),
    "ch-size-huge": (ErrorKind.RESET, 200, ""),  # the head stands: the status is kept when the body breaks
    "ch-overrun": (ErrorKind.RESET, 200, ""),  # more data than the chunk size said
    "te-gzip": (None, 200, "Edge"),  # gzip as a transfer coding is undone too
    "te-identity": (None, 200, "Edge"),  # not chunked: read to the close (RFC 9112 §6.3 item 4)
    # content codings (RFC 9110 §8.4)
    "ce-upper": (None, 200, "Edge"),
    "ce-gzip2": (None, 200, "Edge"),
    "ce-identity": (None, 200, "Edge"),
    "ce-empty": (None, 200, "Edge"),
    "ce-garbage": (None, 200, "Edge"),  # bytes after the gzip member are ignored, as browsers do
    "ce-members": (None, 200, "Edge"),
    "ce-badzlib": (ErrorKind.DECODE, 200, ""),
    # Content-Type charset (WHATWG MIME Sniffing §4.4): quoted, junk after the quotes, empty parameters,
    # the first of two, after an invalid "*/*"
    "ct-quoted": (None, 200, "Кадр"),
    "ct-junk": (None, 200, "Кадр"),
    "ct-semis": (None, 200, "Кадр"),
    "ct-first": (None, 200, "Кадр"),
    "ct-star": (None, 200, "Кадр"),
    # no body whatever the framing fields say (RFC 9110 §15.4.5, §15.3.5)
    "304-cl": (None, 304, ""),
    "204-te": (None, 204, ""),
    # status lines and field lines (RFC 9112 §2.2, §4, §5.2)
    "status-noreason": (None, 200, "Edge"),
    "status-lf": (None, 200, "Edge"),  # a bare LF ends a line
    "status-10": (None, 200, "Edge"),  # HTTP/1.0 without a length: read to the close
    "status-600": (ErrorKind.HTTP_ERROR, 600, "Edge"),  # three digits, an unknown class: still a response
    "status-4digit": (ErrorKind.RESET, None, ""),
    "fold-ctype": (None, 200, "Кадр"),  # obs-fold is replaced by a space (§5.2)
    "name-space": (None, 200, "Edge"),
    # redirects (RFC 9110 §15.4, WHATWG URL)
    "loc-query": (None, 200, "At /edge/loc-query/{i}?q=1"),
    "loc-tab": (None, 200, "At /to/tab"),
    "loc-dslash": (None, 200, "At /to/dslash"),
    "loc-data": (ErrorKind.INVALID_URL, None, ""),
    "loc-js": (ErrorKind.INVALID_URL, None, ""),
    "loc-self": (ErrorKind.TOO_MANY_REDIRECTS, None, ""),
    "loc-two": (ErrorKind.INVALID_URL, None, ""),  # two different targets: which one was meant is unknown
    "loc-twosame": (None, 200, "At /to/same"),
    "300": (None, 300, ""),
    "305": (None, 305, ""),
    "306": (None, 306, ""),
    "302-noloc": (None, 302, ""),
    # cookies across a redirect to /echo (RFC 6265 §5.1.4, §5.2.1, §5.2.2, §5.3)
    "ck-maxage0": (None, 200, ECHO + "kept=1"),
    "ck-expired": (None, 200, ECHO + "kept=1"),
    "ck-precedence": (None, 200, ECHO + "kept=1"),  # Max-Age wins over Expires; Max-Age=-1 expires
    "ck-path": (None, 200, ECHO + "kept=1"),
    "ck-default-path": (None, 200, ECHO + "kept=1"),
    "ck-samesite": (None, 200, ECHO + "kept=1"),
    "ck-quoted": (None, 200, ECHO + 'kept="a b"'),
}


def _title(r: FetchResult) -> str:
    return r.page.title if r.page is not None else ""


def _lines(raw_url: str) -> list[str]:
    lines = []
    for i, kind in enumerate(EDGE):
        lines += [f"{raw_url}/edge/{kind}/{i}", f"{raw_url}/edge/ok/{i}n"]
    return lines


@pytest.fixture(scope="module")
def by_mode(testbed, extractor) -> dict[Mode, list[FetchResult]]:
    lines = _lines(testbed.raw_url)
    return {m: run_batch(lines, m, extractor, concurrency=2, total_timeout=5.0, retries=0)[0] for m in Mode}


@pytest.mark.parametrize("mode", list(Mode), ids=[m.value for m in Mode])
def test_each_edge_case_has_the_right_row(mode: Mode, by_mode) -> None:
    rows = by_mode[mode]
    for i, (kind, (error_kind, status, title)) in enumerate(EDGE.items()):
        r, after = rows[2 * i], rows[2 * i + 1]
        want = title.format(i=i) + (f" {i}" if title in ("Edge", "Кадр") else "")
        assert (r.error_kind, r.status_code, _title(r)) == (error_kind, status, want), (mode, kind, r.error)
        if kind.startswith("ct-") or kind == "fold-ctype":
            assert r.charset == "windows-1251", (mode, kind, r.content_type)
        assert (after.error_kind, _title(after)) == (None, f"Edge {i}n"), (mode, kind, after.error)


def test_edge_modes_agree(by_mode) -> None:
    base = [r.comparable() for r in by_mode[Mode.SYNC]]
    for mode in (Mode.THREADS, Mode.ASYNC):
        assert [r.comparable() for r in by_mode[mode]] == base, mode


@pytest.mark.parametrize("mode", list(Mode), ids=[m.value for m in Mode])
def test_host_forms_reach_the_same_server(mode: Mode, testbed, extractor) -> None:
    port = testbed.raw_url.rsplit(":", 1)[1]
    forms = {  # WHATWG URL host parser: IPv4 in hex and short forms, case, trailing dot; RFC 6761 *.localhost
        f"http://0x7f.1:{port}/to/hex": f"http://127.0.0.1:{port}/to/hex",
        f"http://127.1:{port}/to/short": f"http://127.0.0.1:{port}/to/short",
        f"http://LOCALHOST.:{port}/to/dot": f"http://localhost.:{port}/to/dot",
        f"http://Sub.Localhost:{port}/to/sub": f"http://sub.localhost:{port}/to/sub",
        f"http://[::ffff:127.0.0.1]:{port}/to/v6": f"http://[::ffff:7f00:1]:{port}/to/v6",
    }
    rows, _ = run_batch(list(forms), mode, extractor, retries=0)
    for r, final in zip(rows, forms.values(), strict=True):
        assert (r.ok, r.final_url, _title(r)) == (True, final, "At " + final.split(port, 1)[1]), r.error


def test_charset_parameter_as_the_mime_standard_parses_it() -> None:
    cases = {
        'text/html; charset="koi8-r"': "koi8-r",
        'text/html; charset="utf-8"junk': "utf-8",
        'text/html; charset="a;b"; x=1': "a;b",
        'text/html; charset="\\"x"': '"x',
        "text/html;;charset=koi8-r": "koi8-r",
        "TEXT/HTML; CHARSET=KOI8-R": "koi8-r",
        "text/html; charset=utf-8; charset=koi8-r": "utf-8",  # the first one counts
        "text/html; charset = gbk": "",  # "charset " is another parameter's name
        "text/html; charset=": "",
        "text/html; foo; charset=gbk  ": "gbk",
    }
    for value, label in cases.items():
        assert media_type(value) == ("text/html", label), value


def test_chunk_size_is_hex_digits_within_64_bits() -> None:
    assert chunk_size(b"1A;name=value\r\n") == 26
    assert chunk_size(b"0001a \r\n") == 26
    for bad in (b"0x1a\r\n", b"+1a\r\n", b"1_a\r\n", b"-1\r\n", b"\r\n", b" 1a\r\n", b"f" * 17 + b"\r\n"):
        with pytest.raises(FramingError):
            chunk_size(bad)


def test_content_length_is_ascii_digits_within_64_bits() -> None:
    assert content_length([("Content-Length", "0098")]) == 98
    assert content_length([("Content-Length", str(2**63 - 1))]) == 2**63 - 1
    for bad in ("+5", "-1", "\u00b2", "\u0663", "1 2", "0x10", str(2**63), ""):
        with pytest.raises(FramingError):
            content_length([("Content-Length", bad)])


def test_retry_after_takes_ascii_delta_seconds_or_a_date() -> None:
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds(" 7 ") == 7.0
    for bad in ("-5", "1.5", "\u00b2", "\u0663", "soon", "+3"):
        assert retry_after_seconds(bad) is None, bad
    assert retry_after_seconds("Thu, 01 Jan 1970 00:00:00 GMT") == 0.0  # a date in the past: now


def test_gzip_garbage_after_a_member_is_ignored_and_br_is_capped() -> None:
    body = b"<html>" + b"x" * 5000
    d = BodyDecoder(["gzip"], 10_000)
    d.feed(gzip.compress(body))
    d.feed(b"\r\n\r\ntrailing junk")  # in its own read, as it comes off the wire
    assert d.finish() == body
    d = BodyDecoder(["gzip"], 10_000)
    d.feed(gzip.compress(body[:10]) + gzip.compress(body[10:]) + b"junk")
    assert d.finish() == body
    with pytest.raises(TooLarge):
        BodyDecoder(["br"], 1000).feed(brotli.compress(body))
