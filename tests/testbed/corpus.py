"""A corpus of varied pages for the extractor's differential test (deterministic, pure functions).

Each page is one *structure* (comments hiding tags, scripts holding markup, SVG/MathML titles, templates,
noscript, XHTML, broken markup, titles and canonicals in odd places...) rendered in one *encoding* and
declared one *way* (header, ``<meta charset>``, ``http-equiv``, XML declaration, BOM, late, nothing, or a
header that contradicts the document). ``/corpus/{n}`` serves page ``n``.
"""

from __future__ import annotations

import codecs
import html
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

__all__ = ["CORPUS_SIZE", "CorpusPage", "corpus", "corpus_page"]

CORPUS_SIZE = 360  # 30 structures × 12 (30 + 1 is prime to 8: every structure meets every way)


@dataclass(frozen=True)
class CorpusPage:
    """One page: what it is (``name``), its bytes and the Content-Type it is served with."""

    name: str
    body: bytes
    content_type: str


@dataclass(frozen=True)
class _Text:
    title: str
    sentence: str
    lang: str


# Python codec to encode with, WHATWG label to declare, and text the encoding can carry.
_ENCODINGS: dict[str, tuple[str, _Text]] = {
    "utf-8": ("utf-8", _Text("Grüße – 日本語 – 한국어 “quoted”", "Ein schöner Tag in Zürich kostet 12 €.", "de")),
    "windows-1252": ("cp1252", _Text("Café “Zürich” – 5 €", "Le café du coin ouvre à sept heures, 3,50 €.", "fr")),
    "shift_jis": ("cp932", _Text("日本語のページ①②", "東京は日本の首都であり、世界でも有数の大都市です。", "ja")),
    "euc-kr": ("cp949", _Text("한국어 페이지 똠방각하", "서울은 대한민국의 수도이며 큰 도시입니다.", "ko")),
    "big5": ("big5hkscs", _Text("中文網頁 嘅咗啲", "香港是一個國際大都會，人口約七百萬。", "zh-HK")),
    "gbk": ("gb18030", _Text("中文网页标题", "北京是中华人民共和国的首都，历史悠久。", "zh-CN")),
    "koi8-r": ("koi8_r", _Text("Привет, мир", "Москва — столица России, крупнейший город страны.", "ru")),
    "windows-1251": ("cp1251", _Text("Здравей, свят", "София е столицата на България.", "bg")),
    "iso-8859-2": ("iso8859_2", _Text("Zażółć gęślą jaźń", "Kraków jest pięknym miastem w Polsce.", "pl")),
    "iso-8859-9": ("cp1254", _Text("“İstanbul” Şehri", "İstanbul, Türkiye'nin en kalabalık şehridir.", "tr")),
    "euc-jp": ("euc_jp", _Text("日本語の題名です", "大阪は日本第二の都市として知られています。", "ja")),
    "windows-874": ("cp874", _Text("สวัสดีชาวโลก", "กรุงเทพมหานครเป็นเมืองหลวงของประเทศไทย", "th")),
}

# How the encoding is declared. "none" relies on detection (and so needs real text).
_WAYS = ("header", "meta", "http-equiv", "none", "late", "bom", "mismatch", "xml")


def _head_decl(way: str, label: str) -> str:
    if way == "meta":
        return f'<meta charset="{label}">'
    if way == "http-equiv":
        return f'<meta http-equiv="Content-Type" content="text/html; charset={label}">'
    if way == "mismatch":
        return '<meta charset="utf-8">'
    return ""


Structure = Callable[[_Text, str, random.Random], str]


def _paragraphs(t: _Text, rng: random.Random, n: int = 6) -> str:
    parts = []
    for i in range(n):
        link = f' <a href="/p/{rng.randint(1, 999)}">{html.escape(t.sentence[:8])}</a>' if i % 2 else ""
        parts.append(f"<p>{html.escape(t.sentence)}{link}</p>")
    return "\n".join(parts)


def _e(s: str) -> str:
    return html.escape(s, quote=True)


def _plain(t: _Text, d: str, rng: random.Random) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{t.lang}">\n<head>\n{d}\n<title>{_e(t.title)}</title>\n'
        f'<meta name="description" content="{_e(t.sentence)}">\n<link rel="canonical" href="https://example.test/c">\n'
        f"</head>\n<body>\n<h1>{_e(t.title)}</h1>\n{_paragraphs(t, rng)}\n</body>\n</html>\n"
    )


def _comments(t: _Text, d: str, rng: random.Random) -> str:
    return (
        f'<!-- <html lang="xx"> --><!DOCTYPE html>\n<html lang="{t.lang}"><head>{d}\n'
        f"<!-- </head><body><title>commented</title> -->\n<title>{_e(t.title)}</title>\n"
        f'<!-- <meta name="description" content="no"> -->\n<meta name="description" content="{_e(t.sentence)}">\n'
        f'<link rel="canonical" href="/canon"></head><body><!-- <h1>hidden</h1> -->\n<h1>{_e(t.title)}</h1>\n'
        f"{_paragraphs(t, rng)}</body></html>"
    )


def _script(t: _Text, d: str, rng: random.Random) -> str:
    return (
        f'<html lang="{t.lang}"><head>{d}<script>var t = "<body class=x>"; var u = "</head><title>no</title>";'
        f'</script>\n<style>/* </head> <h1>x</h1> */ p {{ color: red }}</style>'
        f'<meta name="description" content="{_e(t.sentence)}"><link rel="canonical" href="/s">'
        f'<meta name="robots" content="index, follow"><title>{_e(t.title)}</title></head>'
        f"<body><h1>{_e(t.title)}</h1><script>document.write('<a href=\"/no\">x</a>')</script>"
        f"{_paragraphs(t, rng)}</body></html>"
    )


def _svg_title(t: _Text, d: str, rng: random.Random) -> str:
    return (
        f'<!DOCTYPE html><html lang="{t.lang}"><head>{d}<meta name="description" content="{_e(t.sentence)}">'
        f'</head><body><svg viewBox="0 0 1 1"><title>Icon title</title><a href="/svg-link"><text>x</text></a></svg>'
        f"<title>{_e(t.title)}</title><h1>{_e(t.title)}</h1>{_paragraphs(t, rng)}</body></html>"
    )


def _svg_in_head(t: _Text, d: str, rng: random.Random) -> str:
    return (
        f"<html><head>{d}<svg><title>icon</title></svg><title>{_e(t.title)}</title>"
        f'<meta name="description" content="{_e(t.sentence)}"><link rel="canonical" href="/after-svg"></head>'
        f"<body><h1>{_e(t.title)}</h1>{_paragraphs(t, rng)}</body></html>"
    )


def _math(t: _Text, d: str, rng: random.Random) -> str:
    return (
        f'<html lang="{t.lang}"><head>{d}<title>{_e(t.title)}</title></head><body>'
        f"<math><title>formula</title><mi><b>x</b></mi></math><math><mtext><h1>{_e(t.title)}</h1></mtext></math>"
        f"<svg><foreignObject><a href=\"/fo\">in foreignObject</a></foreignObject></svg>{_paragraphs(t, rng)}"
        "</body></html>"
    )


def _template(t: _Text, d: str, rng: random.Random) -> str:
    return (
        f'<html lang="{t.lang}"><head>{d}<title>{_e(t.title)}</title></head><body>'
        f'<template><title>tpl</title><meta name="description" content="tpl"><h1>tpl</h1>'
        f'<a href="/tpl">x</a></template><h1>{_e(t.title)}</h1>{_paragraphs(t, rng)}</body></html>'
    )


def _noscript(t: _Text, d: str, rng: random.Random) -> str:
    return (
        f'<html lang="{t.lang}"><head>{d}<title>{_e(t.title)}</title><noscript><link rel="stylesheet" href="/n.css">'
        f'</noscript><meta name="description" content="{_e(t.sentence)}"></head><body><noscript><a href="/ns">'
        f"no js</a></noscript><h1>{_e(t.title)}</h1>{_paragraphs(t, rng)}</body></html>"
    )


def _title_in_body(t: _Text, d: str, rng: random.Random) -> str:
    return (
        f'<html lang="{t.lang}"><head>{d}<meta name="description" content="{_e(t.sentence)}"></head>'
        f"<body><div><title>{_e(t.title)}</title></div><h1>{_e(t.title)}</h1>{_paragraphs(t, rng)}</body></html>"
    )


def _two_titles(t: _Text, d: str, rng: random.Random) -> str:
    return (
        f"<html><head>{d}<title>{_e(t.title)}</title><title>Second</title></head>"
        f"<body><h1>{_e(t.title)}</h1><h1>Another</h1>{_paragraphs(t, rng)}<title>third</title></body></html>"
    )


def _canonical_in_body(t: _Text, d: str, rng: random.Random) -> str:
    return (
        f"<html><head>{d}<title>{_e(t.title)}</title></head><body><h1>{_e(t.title)}</h1>"
        f'<link rel="canonical" href="/body-canonical"><meta name="description" content="body meta">'
        f'<meta itemprop="price" content="3">{_paragraphs(t, rng)}</body></html>'
    )


def _after_head(t: _Text, d: str, rng: random.Random) -> str:
    return (
        f'<html lang="{t.lang}"><head>{d}<title>{_e(t.title)}</title></head>\n'
        f'<meta name="description" content="{_e(t.sentence)}"><link rel="canonical" href="/after">\n'
        f"<body><h1>{_e(t.title)}</h1>{_paragraphs(t, rng)}</body></html>"
    )


def _head_broken_by_element(t: _Text, d: str, rng: random.Random) -> str:
    tag = rng.choice(["<div>banner</div>", "<p>text</p>", "<img src=x.png>", "plain text", "<span>s</span>"])
    return (
        f"<html><head>{d}<title>{_e(t.title)}</title>{tag}"
        f'<meta name="description" content="{_e(t.sentence)}"><link rel="canonical" href="/late"></head>'
        f"<body><h1>{_e(t.title)}</h1>{_paragraphs(t, rng)}</body></html>"
    )


def _no_head(t: _Text, d: str, rng: random.Random) -> str:
    return f"{d}<title>{_e(t.title)}</title><h1>{_e(t.title)}</h1>{_paragraphs(t, rng)}"


def _broken(t: _Text, d: str, rng: random.Random) -> str:
    return (
        f'<HTML LANG={t.lang}><HEAD>{d}<TITLE>  {_e(t.title)}\n\t </TITLE><META NAME=Description '
        f"CONTENT='{_e(t.sentence)}'><LINK REL='Canonical alternate' HREF=/broken></HEAD><BODY><H1>"
        f"{_e(t.title)}<P>unclosed <B>bold <I>both</B> italic</I><A HREF=/a1>one<A HREF=/a2>two</A>"
        f"<table><tr><td><a href=/t>cell</td></tr></table><H1>second</H2>{_paragraphs(t, rng, 3)}"
    )


def _entities(t: _Text, d: str, rng: random.Random) -> str:
    return (
        f"<html><head>{d}<title>\n  Price:&nbsp;10&#xA0;&euro; &amp; {_e(t.title)} &lt;b&gt; </title>"
        f'<meta name="description" content="  a &quot;b&quot;   c  "><meta property="og:title" content="OG &amp; T">'
        f'<meta property="og:description" content="{_e(t.sentence)}"><meta property="og:image" '
        f'content="https://example.test/i.png"></head><body><h1> A&nbsp;B <span>C</span>\n D </h1>'
        f"{_paragraphs(t, rng)}</body></html>"
    )


def _lang_variants(t: _Text, d: str, rng: random.Random) -> str:
    attrs = rng.choice([f'xml:lang="en" lang="{t.lang}"', f'lang="{t.lang}" xml:lang="en"', 'xml:lang="en"',
                        f"LANG={t.lang}", 'lang=""'])
    return (
        f"<!DOCTYPE html><html {attrs}><head>{d}<title>{_e(t.title)}</title></head>"
        f"<body><h1>{_e(t.title)}</h1>{_paragraphs(t, rng)}</body></html>"
    )


def _og_only(t: _Text, d: str, rng: random.Random) -> str:
    return (
        f'<html><head>{d}<title>{_e(t.title)}</title><meta property="og:description" content="{_e(t.sentence)}">'
        f'<meta name="ROBOTS" content="noindex"><meta name="twitter:description" content="tw">'
        f"</head><body><h1>{_e(t.title)}</h1>{_paragraphs(t, rng)}</body></html>"
    )


def _xhtml(t: _Text, d: str, rng: random.Random) -> str:
    return (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="{t.lang}" lang="{t.lang}"><head>{d}'
        f'<title>{_e(t.title)}</title><meta name="description" content="{_e(t.sentence)}" />'
        f'<link rel="canonical" href="/x" /></head><body><h1>{_e(t.title)}</h1><br/>{_paragraphs(t, rng)}'
        "</body></html>"
    )


def _nested_links(t: _Text, d: str, rng: random.Random) -> str:
    count = rng.randint(3, 30)
    links = "".join(f'<li><a href="/n{i}">n{i}</a><a name="anchor{i}">no href</a></li>' for i in range(count))
    return (
        f"<html><head>{d}<title>{_e(t.title)}</title></head><body><nav><ul>{links}</ul></nav>"
        f"<a href=''>empty href</a><h1></h1><h1>{_e(t.title)}</h1>{_paragraphs(t, rng)}</body></html>"
    )


def _heading_blocks(t: _Text, d: str, rng: random.Random) -> str:
    inner = rng.choice(["<p>in a p</p>", "<table><tr><td>cell</td></tr></table>", "<form>f</form>", "<h2>sub</h2>",
                        "<div>div</div>", "<script>var h = 1;</script>"])
    return (
        f"<html><head>{d}<title>{_e(t.title)}</title></head><body><h1>{_e(t.title)} {inner} tail</h1>"
        f"{_paragraphs(t, rng)}</body></html>"
    )


def _duplicate_attrs(t: _Text, d: str, rng: random.Random) -> str:
    return (
        f'<html lang="{t.lang}" lang="xx"><head>{d}<title>{_e(t.title)}</title>'
        f'<meta name="description" content="{_e(t.sentence)}" content="second"><meta name=" Description" '
        f'content="spaced name"><link rel="canonical" href="/first" href="/second"><link rel=canonical href=/2nd>'
        f"</head><body><h1>{_e(t.title)}</h1>{_paragraphs(t, rng)}</body></html>"
    )


def _frames_and_iframes(t: _Text, d: str, rng: random.Random) -> str:
    return (
        f"<html><head>{d}<title>{_e(t.title)}</title><base href=\"https://example.test/\"></head><body>"
        f'<iframe src="/f"><title>not parsed</title></iframe><textarea><h1>not a heading</h1></textarea>'
        f"<xmp><a href=/x>raw</a></xmp><h1>{_e(t.title)}</h1>{_paragraphs(t, rng)}</body></html>"
    )


def _pixel_in_head(t: _Text, d: str, rng: random.Random) -> str:
    """A tracking pixel's <noscript><img> in the head ends it for a reader that runs no scripts."""
    pixel = rng.choice(['<img height="1" width="1" src="https://px.example/t.gif"/>', "tracking", "<iframe></iframe>"])
    return (
        f"<html><head>{d}<title>{_e(t.title)}</title><noscript>{pixel}</noscript>"
        f'<meta name="description" content="{_e(t.sentence)}"><link rel="canonical" href="/px"></head>'
        f"<body><h1>{_e(t.title)}</h1>{_paragraphs(t, rng)}</body></html>"
    )


def _base_and_rel_lists(t: _Text, d: str, rng: random.Random) -> str:
    """A relative canonical under a <base href>, rel lists and case, upper-case names, first-wins metas."""
    rel = rng.choice(['rel="Canonical"', 'rel="alternate canonical"', "rel=CANONICAL", 'rel=" canonical\n"'])
    return (
        f'<HTML LANG="{t.lang}"><HEAD>{d}<BASE HREF="https://example.test/dir/"><TITLE>{_e(t.title)}</TITLE>'
        f'<META NAME="Description" CONTENT="{_e(t.sentence)}"><meta name="description" content="second">'
        f'<meta property="OG:Title" content="og first"><link {rel} href="page?x=1#top">'
        f'<link rel="canonical" href="/second"></HEAD><BODY><H1>{_e(t.title)}</H1>{_paragraphs(t, rng)}</BODY></HTML>'
    )


def _malformed_comments(t: _Text, d: str, rng: random.Random) -> str:
    """Comments the tokenizer ends early or late: ``<!-->``, ``<!--->``, ``--!>``, an unclosed one at EOF."""
    odd = rng.choice(["<!-->", "<!--->", "<!-- x --!>", "<!-- <title>no</title> --!>", "<!--- -- ->"])
    return (
        f'<!DOCTYPE html><html lang="{t.lang}"><head>{d}{odd}<title>{_e(t.title)}</title>{odd}'
        f'<meta name="description" content="{_e(t.sentence)}"><link rel="canonical" href="/mc"></head>'
        f"<body>{odd}<h1>{_e(t.title)}</h1>{_paragraphs(t, rng)}<!-- <a href=/no>unclosed at the end"
    )


def _first_in_an_implied_head(t: _Text, d: str, rng: random.Random) -> str:
    """No <head> tag, and the first element is one libxml2 puts in the body (HTML puts it in an implied head)."""
    first = rng.choice(["<noscript><style>p{}</style></noscript>", "<noframes>x</noframes>", "<basefont>",
                        "<bgsound src=a.wav>"])
    return (
        f"{first}{d}<title>{_e(t.title)}</title><meta name=\"description\" content=\"{_e(t.sentence)}\">"
        f'<link rel="canonical" href="/ih"><h1>{_e(t.title)}</h1>{_paragraphs(t, rng)}'
    )


def _deep_nesting(t: _Text, d: str, rng: random.Random) -> str:
    """Nesting deeper than libxml2's limit (2048 open elements), which HTML does not have."""
    depth = rng.randint(2100, 2300)
    return (
        f'<html lang="{t.lang}"><head>{d}<title>{_e(t.title)}</title></head><body>{"<div>" * depth}'
        f"<h1>{_e(t.title)}</h1>{_paragraphs(t, rng)}{'</div>' * depth}</body></html>"
    )


def _raw_text_at_eof(t: _Text, d: str, rng: random.Random) -> str:
    """An element whose content is text runs to the end of the file: its markup is not markup."""
    tail = rng.choice(["<script>var s = '<h1>no</h1><a href=/no>", "<plaintext><h1>no</h1><a href=/no>x",
                       "<textarea><a href=/no>", "<title>late title"])
    return (
        f'<html lang="{t.lang}"><head>{d}<TITLE> \n {_e(t.title)} &amp; co&nbsp;</TITLE></head><body>'
        f"<h1>{_e(t.title)}</h1>{_paragraphs(t, rng)}{tail}"
    )


def _link_kinds(t: _Text, d: str, rng: random.Random) -> str:
    """What counts as a link (README: ``<a href>`` outside SVG and templates): not ``<a>`` without href,
    not ``<area href>``, not ``<link>``; an empty href counts, upper-case names count."""
    return (
        f'<html lang="{t.lang}"><head>{d}<title>{_e(t.title)}</title><link rel="next" href="/n"></head><body>'
        f'<h1>{_e(t.title)}</h1><a name="top">anchor</a><A HREF="/up">up</A><a href="">self</a>'
        f'<map name="m"><area href="/area" alt="a"></map><template><a href="/tpl">t</a></template>'
        f'<svg><a href="/svg"><text>s</text></a></svg>{_paragraphs(t, rng)}</body></html>'
    )


STRUCTURES: dict[str, Structure] = {
    f.__name__.lstrip("_"): f
    for f in (
        _plain, _comments, _script, _svg_title, _svg_in_head, _math, _template, _noscript, _title_in_body,
        _two_titles, _canonical_in_body, _after_head, _head_broken_by_element, _no_head, _broken, _entities,
        _lang_variants, _og_only, _xhtml, _nested_links, _heading_blocks, _duplicate_attrs, _frames_and_iframes,
        _pixel_in_head, _base_and_rel_lists, _malformed_comments, _first_in_an_implied_head, _deep_nesting,
        _raw_text_at_eof, _link_kinds,
    )
}


def _render(structure: str, encoding: str, way: str, rng: random.Random) -> CorpusPage:
    codec, text = _ENCODINGS[encoding]
    if way == "none":  # detection needs real text: repeat the sentence
        text = _Text(text.title, " ".join([text.sentence] * 12), text.lang)
    doc = STRUCTURES[structure](text, _head_decl(way, encoding), rng)
    name = f"{structure}/{encoding}/{way}"
    if way == "late":
        filler = "<!-- " + "padding " * 140 + "-->"
        doc = doc.replace("<title>", f"{filler}<meta charset=\"{encoding}\"><title>", 1) if "<title>" in doc else doc
    if way == "xml":
        doc = f'<?xml version="1.0" encoding="{encoding}"?>\n' + doc
        return CorpusPage(name, doc.encode(codec, "xmlcharrefreplace"), "application/xhtml+xml")
    body = doc.encode(codec, "xmlcharrefreplace")
    if way == "bom":
        return CorpusPage(f"{structure}/utf-8/bom", codecs.BOM_UTF8 + doc.encode("utf-8"), "text/html")
    ctype = f"text/html; charset={encoding}" if way in ("header", "mismatch") else "text/html"
    return CorpusPage(name, body, ctype)


def corpus_page(n: int) -> CorpusPage:
    """Page ``n`` (0 ≤ n < :data:`CORPUS_SIZE`): every structure in turn, encoding and way drawn from a
    generator seeded with ``n``, so the same number always gives the same bytes."""
    if not 0 <= n < CORPUS_SIZE:
        raise IndexError(n)
    rng = random.Random(n)
    structures = sorted(STRUCTURES)
    structure = structures[n % len(structures)]
    encoding = rng.choice(sorted(_ENCODINGS))
    way = _WAYS[(n // len(structures) + n) % len(_WAYS)]
    return _render(structure, encoding, way, rng)


def corpus() -> list[CorpusPage]:
    """All :data:`CORPUS_SIZE` pages."""
    return [corpus_page(n) for n in range(CORPUS_SIZE)]
