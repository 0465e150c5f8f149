"""MIME types as the WHATWG MIME Sniffing standard parses them (§4.4 "parse a MIME type").

One parser for every reader of a ``Content-Type``: the fetchers' header policy (which value wins) and page
reading (which charset a page declares).
"""

from __future__ import annotations

HTTP_WS = "\t\n\r "  # Fetch "HTTP whitespace"


def media_type(content_type: str) -> tuple[str, str]:
    """Split a Content-Type value into ``(essence, charset label)``, both lower-case (``""`` when absent).

    Parameters are read as WHATWG MIME Sniffing §4.4 *parse a MIME type* reads them: the first ``charset``
    wins (``charset=koi8-r; charset=utf-8`` is KOI8-R), a quoted value is an HTTP quoted-string (a ``;``
    inside it is part of the value, ``\\`` escapes), an unquoted value ends at ``;`` with trailing
    whitespace removed, and an empty value is no parameter.
    """
    text = content_type or ""
    mtype, _, rest = text.partition(";")
    pos, n = 0, len(rest)
    while pos < n:
        while pos < n and rest[pos] in HTTP_WS:
            pos += 1
        end = pos
        while end < n and rest[end] not in ";=":
            end += 1
        name = rest[pos:end].lower()
        if end >= n:
            break
        pos = end + 1
        if rest[end] == ";":
            continue
        if pos < n and rest[pos] == '"':  # RFC 9110 §5.6.4 quoted-string (Fetch "collect an HTTP quoted string")
            value: list[str] = []
            pos += 1
            while pos < n and rest[pos] != '"':
                if rest[pos] == "\\" and pos + 1 < n:
                    pos += 1
                value.append(rest[pos])
                pos += 1
            label = "".join(value)
            while pos < n and rest[pos] != ";":
                pos += 1
        else:
            end = rest.find(";", pos)
            end = n if end < 0 else end
            label = rest[pos:end].rstrip(HTTP_WS)
            pos = end
            if not label:
                continue
        pos += 1
        if name == "charset":
            return mtype.strip(HTTP_WS).lower(), label.lower()
    return mtype.strip(HTTP_WS).lower(), ""
