"""Pages in legacy charsets (Korean, Japanese, Western European) for decoding tests.

Each page carries several kilobytes of real-language text so that charset detection has
something to work with when neither the header nor the document declares the charset.
"""

from __future__ import annotations

import html
import logging

log = logging.getLogger(__name__)

__all__ = ["CHARSET_TITLES", "VIAS", "render_charset_page"]

CHARSET_TITLES: dict[str, str] = {
    "euc-kr": "한국어 문자 인코딩 시험 페이지",
    "shift_jis": "日本語の文字コード試験ページ",
    "windows-1252": "Le café de Zürich – “Menü spécial” à 12 €",
    "utf-8": "UTF-8 시험 – 日本語 – Café “Zürich” 12 €",
}
"""The exact Unicode ``<title>`` of ``/charset/{name}`` for each supported name."""

VIAS = ("header", "meta", "none", "bom")
"""How a page declares its charset: Content-Type header, ``<meta charset>``, nothing, or a BOM."""

_KOREAN = (
    "서울은 대한민국의 수도이며 한강을 중심으로 발달한 큰 도시입니다. 이 도시에는 천만 명에 가까운 사람들이 "
    "살고 있으며, 오래된 궁궐과 현대적인 건물이 함께 어우러져 있습니다. 봄에는 벚꽃이 피고 가을에는 단풍이 "
    "아름답게 물들어 많은 관광객이 찾아옵니다.",
    "한국 음식은 밥과 국, 그리고 여러 가지 반찬으로 이루어집니다. 김치는 배추와 고춧가루, 마늘, 젓갈 등을 "
    "넣어 만든 발효 음식으로 거의 모든 식사에 함께 나옵니다. 비빔밥과 불고기, 된장찌개도 외국인들에게 널리 "
    "알려진 대표적인 음식입니다.",
    "한글은 세종대왕이 백성들이 쉽게 글을 읽고 쓸 수 있도록 만든 문자입니다. 자음과 모음을 모아서 한 글자를 "
    "이루는 방식이 과학적이라는 평가를 받고 있습니다. 오늘날 한국 사람들은 컴퓨터와 휴대전화에서도 한글을 "
    "편리하게 사용하고 있습니다.",
    "이 페이지는 문자 인코딩을 시험하기 위해 만들어졌습니다. 웹 브라우저와 프로그램은 응답 헤더나 메타 태그, "
    "또는 문서의 내용을 살펴보고 올바른 인코딩을 찾아야 합니다. 인코딩을 잘못 판단하면 글자가 깨져서 읽을 수 "
    "없게 됩니다.",
    "지하철은 서울에서 가장 많이 이용하는 교통수단입니다. 노선이 많고 요금이 저렴하며 열차가 자주 다니기 "
    "때문에 출퇴근 시간에도 편리하게 이동할 수 있습니다. 버스와 지하철을 갈아탈 때에는 할인 혜택도 받을 수 "
    "있습니다.",
    "여름에는 많은 사람들이 바다로 휴가를 떠납니다. 부산의 해운대와 광안리 해수욕장은 매년 수많은 피서객으로 "
    "붐빕니다. 밤에는 바닷가를 따라 산책하며 시원한 바람을 즐기는 사람들이 많습니다.",
)

_JAPANESE = (
    "東京は日本の首都であり、世界でも有数の大都市です。高層ビルが立ち並ぶ一方で、古い神社や寺も数多く残って"
    "います。春には桜が咲き、多くの人々が公園で花見を楽しみます。",
    "日本料理は季節の食材を大切にすることで知られています。寿司や天ぷら、味噌汁などは海外でも人気があります。"
    "家庭では毎日ご飯を炊き、魚や野菜を使った料理を食べることが多いです。",
    "日本語には平仮名、片仮名、漢字の三種類の文字があります。外来語は主に片仮名で書かれ、名詞や動詞の語幹には"
    "漢字がよく使われます。子供たちは小学校で約千字の漢字を学びます。",
    "このページは文字コードの判定を試験するために作られました。ブラウザやプログラムは、応答ヘッダーやメタタグ、"
    "または文書の内容を調べて、正しい文字コードを見つけなければなりません。判定を誤ると、文字化けが起きて"
    "読めなくなります。",
    "電車は東京で最も便利な交通手段です。駅の数が多く、列車は時間通りに到着します。朝の通勤時間帯はとても混雑"
    "しますが、それでも多くの人が毎日電車を利用しています。",
    "夏になると、各地で花火大会や祭りが開かれます。浴衣を着た人々が屋台で食べ物を買い、夜空に上がる花火を"
    "見上げます。秋には紅葉を見るために山や寺を訪れる人が増えます。",
)

_WESTERN = (
    "Le café du coin ouvre à sept heures. On y sert un café crème, des croissants et une tarte aux pommes "
    "à 3,50 €. Le patron, un homme très aimable, salue chaque client par son prénom.",
    "In München gibt es im Frühling viele Straßenfeste. Die Bürger genießen das schöne Wetter, trinken ein "
    "kühles Bier und essen Brezeln. Für Touristen ist der Eintritt meistens frei, nur die Führung kostet 12 €.",
    "Il a répondu : “Je ne sais pas, mais je vais vérifier.” Puis il est parti vers la gare, où le train "
    "pour Genève attendait déjà depuis un quart d’heure.",
    "Cette page sert à tester la détection de l’encodage des caractères. Les navigateurs doivent lire "
    "l’en-tête de la réponse, la balise méta ou le contenu du document pour trouver le bon encodage ; "
    "sinon, les lettres accentuées deviennent illisibles.",
    "Über den Dächern der Stadt ziehen Wolken vorbei. Jürgen und Zoë überlegen, ob sie heute ins Museum "
    "gehen oder lieber zu Hause bleiben. Das Ticket kostet nur 8 €, und Schüler zahlen die Hälfte.",
    "Après le déjeuner, nous avons visité la cathédrale et le musée des beaux-arts. Le guide, très "
    "cultivé, nous a raconté l’histoire de la ville, des Romains jusqu’à la Révolution française.",
)

_TEXTS: dict[str, tuple[str, ...]] = {
    "euc-kr": _KOREAN,
    "shift_jis": _JAPANESE,
    "windows-1252": _WESTERN,
    "utf-8": (_KOREAN[0], _JAPANESE[0], _WESTERN[0], _KOREAN[3], _JAPANESE[3], _WESTERN[3]),
}

_LANG = {"euc-kr": "ko", "shift_jis": "ja", "windows-1252": "fr", "utf-8": "mul"}

_MIN_TEXT_BYTES = 3000


def render_charset_page(name: str, via: str) -> tuple[bytes, str]:
    """Build ``/charset/{name}?via={via}``.

    Args:
        name: A key of :data:`CHARSET_TITLES`.
        via: One of :data:`VIAS`; ``bom`` is only valid for ``utf-8``.

    Returns:
        The encoded body and the Content-Type header value.

    Raises:
        KeyError: Unknown charset name.
        ValueError: Unknown ``via``, or ``bom`` with a charset other than UTF-8.
    """
    paragraphs = _TEXTS[name]
    if via not in VIAS:
        raise ValueError(f"via must be one of {', '.join(VIAS)}")
    if via == "bom" and name != "utf-8":
        raise ValueError("a byte order mark only exists for utf-8")
    meta = f'<meta charset="{name}">\n' if via == "meta" else ""
    title = html.escape(CHARSET_TITLES[name], quote=False)
    body_parts: list[str] = []
    total = 0
    while total < _MIN_TEXT_BYTES:
        for text in paragraphs:
            body_parts.append(f"<p>{html.escape(text, quote=False)}</p>\n")
            total += len(text.encode(name))
    document = (
        f'<!DOCTYPE html>\n<html lang="{_LANG[name]}">\n<head>\n{meta}<title>{title}</title>\n</head>\n'
        f"<body>\n<h1>{title}</h1>\n{''.join(body_parts)}</body>\n</html>\n"
    )
    data = document.encode(name)
    if via == "bom":
        data = b"\xef\xbb\xbf" + data
    content_type = f"text/html; charset={name}" if via == "header" else "text/html"
    return data, content_type
