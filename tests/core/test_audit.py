"""The list-mode audit through a real run in every mode: indexability, response facts, page facts, duplicates."""

from __future__ import annotations

import dataclasses
import hashlib

import pytest

from core.export import COLUMNS, content_duplicates, values
from core.indexability import directives, judge
from core.model import ErrorKind, FetchResult, Mode, PageFacts, PageInfo
from core.parse.extract import parse_html
from core.store import result_from_json, result_to_json
from tests.core.conftest import ALL_MODES, run_batch
from tests.testbed.audit import AUDIT_PAGES, EXPECTED, HREFLANG, VISIBLE


@pytest.fixture(scope="module")
def audited(testbed, extractor) -> dict[Mode, list[FetchResult]]:
    """Every audit page fetched once per mode."""
    lines = [f"{testbed.url}/audit/{name}" for name in AUDIT_PAGES]
    return {mode: run_batch(lines, mode, extractor)[0] for mode in Mode}


@ALL_MODES
def test_every_indexability_reason(audited, mode: Mode) -> None:
    got = {name: judge(r) for name, r in zip(AUDIT_PAGES, audited[mode], strict=True)}
    assert {name: v.reason for name, v in got.items()} == EXPECTED
    assert all(v.indexable is (EXPECTED[name] == "") for name, v in got.items())


@ALL_MODES
def test_headers_and_hops_are_kept(audited, mode: Mode, testbed) -> None:
    rows = dict(zip(AUDIT_PAGES, audited[mode], strict=True))
    bot = rows["bot-header"]
    assert bot.header("x-robots-tag") == "googlebot: noindex, nofollow"
    assert bot.header("ETag") == '"bot-header-1"' and bot.header("cache-control") == "max-age=60"
    assert ("last-modified", "Fri, 02 Jan 2026 10:00:00 GMT") in bot.headers
    assert bot.header("content-length") == str(bot.bytes)
    assert rows["redirect"].hops == ((301, "/audit/ok"),) and rows["ok"].hops == ()
    cookies = [v for k, v in rows["ok"].headers if k == "set-cookie"]
    assert cookies == ["sid=(redacted)", "theme=(redacted)"]  # both fields kept, values never stored
    assert "secret-session-token" not in repr(rows["ok"])
    assert rows["redirect"].final_url == f"{testbed.url}/audit/ok"


@ALL_MODES
def test_page_facts_and_duplicate_content(audited, mode: Mode) -> None:
    rows = dict(zip(AUDIT_PAGES, audited[mode], strict=True))
    ok = rows["ok"].page.facts
    assert ok.word_count == len(("OK" + VISIBLE).split())  # h1 and paragraph text touch: textContent
    assert ok.hreflang == HREFLANG
    a, b = rows["dup-a"].page.facts, rows["dup-b"].page.facts
    assert a.content_hash == b.content_hash and len(a.content_hash) == 64
    assert a.word_count == b.word_count == 5
    dups = content_duplicates(audited[mode])
    index = AUDIT_PAGES.index
    # dup-b repeats dup-a; the redirect lands on /audit/ok's content but is not a page of its own.
    assert dups == {index("dup-b"): index("dup-a")}


def test_modes_agree(audited) -> None:
    base = [r.comparable() for r in audited[Mode.ASYNC]]
    for mode in (Mode.SYNC, Mode.THREADS):
        assert [r.comparable() for r in audited[mode]] == base


def test_journal_keeps_headers_hops_and_facts(audited) -> None:
    for r in audited[Mode.ASYNC]:
        back = result_from_json(result_to_json(r))
        assert back == r
        assert values(back) == values(r)


@pytest.mark.parametrize(("value", "agent", "rules"), [
    ("noindex", "googlebot", {"noindex"}),
    ("googlebot: noindex, nofollow", "googlebot", {"noindex", "nofollow"}),
    ("googlebot: noindex", "bingbot", set()),
    ("otherbot: noindex", "googlebot", set()),
    ("NONE", "googlebot", {"none"}),
    ("unavailable_after: 25 Jun 2010 15:00:00 PST", "googlebot", {"unavailable_after"}),
    ("max-snippet: 20, NOINDEX", "googlebot", {"max-snippet", "noindex"}),
    ("googlebot:noindex", "googlebot", {"noindex"}),
])
def test_robots_directives(value: str, agent: str, rules: set[str]) -> None:
    assert directives(value, agent) == rules


def _result(**kw: object) -> FetchResult:
    base = dict(input_index=0, url="https://e.example/a", mode=Mode.ASYNC, final_url="https://e.example/a",
                status_code=200, ok=True, attempts=1, page=PageInfo(title="A"))
    base.update(kw)
    return FetchResult(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(("result", "indexable", "reason"), [
    (_result(), True, ""),
    (_result(status_code=503, ok=False, error_kind=ErrorKind.HTTP_ERROR), False, "non_200:503"),
    (_result(status_code=None, ok=False, error_kind=ErrorKind.TIMEOUT, page=None), False, "non_200:timeout"),
    (_result(status_code=None, error_kind=ErrorKind.CANCELLED, page=None), None, ""),
    (_result(page=PageInfo(canonical="HTTPS://E.EXAMPLE:443/a#x")), True, ""),
    (_result(page=PageInfo(canonical="https://e.example/b")), False, "canonicalised"),
    (_result(headers=(("X-Robots-Tag", "nofollow"), ("x-robots-tag", "googlebot: none"))), False, "noindex"),
    (_result(page=PageInfo(facts=PageFacts(robots_meta=(("bingbot", "noindex"),)))), True, ""),
    (_result(page=PageInfo(meta_robots="noindex")), False, "noindex"),  # a journal from before page facts
])
def test_judge(result: FetchResult, indexable: bool | None, reason: str) -> None:
    got = judge(result)
    assert (got.indexable, got.reason) == (indexable, reason)


def test_blocked_by_robots_hook() -> None:
    robots = next((k for k in ErrorKind if k.value == "robots"), None)
    if robots is None:
        pytest.skip("robots.txt checking (the 'robots' error kind) has not landed on this branch")
    assert judge(_result(status_code=None, ok=False, error_kind=robots, page=None)).reason == "blocked_by_robots"


def test_facts_skip_hidden_text_and_keep_hreflang() -> None:
    facts = parse_html(
        "<html><head><link rel='alternate' hreflang='fr' href='/fr'><meta name='GoogleBot-News' content='noindex'>"
        "</head><body><p>one two</p><script>three</script><style>four</style><template>five</template>"
        "<noscript>six</noscript> seven\t\teight <!-- nine --></body></html>").facts
    assert facts is not None
    assert facts.word_count == 4  # one two seven eight
    assert facts.hreflang == (("fr", "/fr"),)
    assert facts.robots_meta == (("googlebot-news", "noindex"),)
    empty = parse_html("<html><body> </body></html>").facts
    assert empty is not None and empty.content_hash == "" and empty.word_count == 0


@pytest.mark.parametrize(("html", "words", "hreflang", "robots"), [
    # Text in the head ends it (HTML §13.2.6.4.4): the text is body text, the link after it is not in the head.
    ("<head><title>a b c</title>one two<link rel=alternate hreflang=de href=/de></head><body>three</body>",
     "one twothree", (), ()),
    # "after head": metadata between </head> and <body> is in the head (its title's text is not body text).
    ("<head><title>t</title></head><link rel=alternate hreflang=de href=/de><title>u v</title>"
     "<meta name=robots content=noindex><body>x y</body>", "x y", (("de", "/de"),), (("robots", "noindex"),)),
    # A tracking pixel in a head <noscript> ends the head; what follows is in the body.
    ("<head><title>t</title><noscript><img src=p></noscript><link rel=alternate hreflang=de href=/de>"
     "<meta name=googlebot content=none></head><body>x</body>", "x", (), ()),
    # A <template>'s contents are a separate fragment, not the document's head.
    ("<head><template><link rel=alternate hreflang=de href=/de><meta name=robots content=noindex></template>"
     "</head><body>x</body>", "x", (), ()),
    # Content after </html> is read into the body (the html5lib path).
    ("<html><head><title>T</title></head><body><p>a</p></body></html><p>b c</p>", "ab c", (), ()),
])
def test_facts_follow_the_head_the_other_fields_use(html: str, words: str, hreflang: tuple, robots: tuple) -> None:
    facts = parse_html(html).facts
    assert facts is not None
    assert facts.word_count == len(words.split())
    assert facts.content_hash == hashlib.sha256("".join(words.split()).encode()).hexdigest()
    assert (facts.hreflang, facts.robots_meta) == (hreflang, robots)


def test_csv_values_carry_the_new_columns(audited) -> None:
    rows = dict(zip(AUDIT_PAGES, audited[Mode.ASYNC], strict=True))
    v = dict(zip(COLUMNS, values(rows["ok"]), strict=True))
    assert v["indexable"] is True and v["indexability"] is None and v["word_count"] == 11 - 1
    assert v["hreflang"] == ";".join(f"{lang}={url}" for lang, url in HREFLANG) and v["hreflang_count"] == 3
    assert v["etag"] == '"ok-1"' and v["content_length"] == str(rows["ok"].bytes)
    w = dict(zip(COLUMNS, values(dataclasses.replace(rows["missing"])), strict=True))
    assert w["indexable"] is False and w["indexability"] == "non_200:404"
