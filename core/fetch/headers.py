"""Header policy shared by every mode: what goes out with a request, and how response fields are read.

Response fields arrive as a list of ``(name, value)`` pairs exactly as received (duplicates kept, in
order), whichever HTTP client read them; the functions here turn them into the one meaning every mode
uses.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence

from core.fetch.codings import ACCEPT_ENCODING
from core.settings import Settings

log = logging.getLogger(__name__)

Fields = Sequence[tuple[str, str]]
"""Response header fields as received: ``(name, value)``, duplicates kept, in order."""


class FramingError(Exception):
    """The response's length cannot be known for sure (error kind ``reset``, as a broken response)."""


def values(fields: Fields, name: str) -> list[str]:
    """Every value of the field ``name`` (case-insensitive), in order."""
    lname = name.lower()
    size = len(lname)
    return [v for k, v in fields if len(k) == size and k.lower() == lname]


def first(fields: Fields, name: str) -> str | None:
    """The first value of ``name``, or ``None``."""
    found = values(fields, name)
    return found[0] if found else None


def request_headers(settings: Settings, url: str) -> dict[str, str]:
    """The headers every request for ``url`` carries, in every mode (the one place they come from).

    Cookies are added per hop by the input URL's own jar; request options (custom headers per host,
    credentials) belong here too.
    """
    return {
        "User-Agent": settings.user_agent,
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "Accept-Encoding": ACCEPT_ENCODING,
    }


def content_length(fields: Fields) -> int | None:
    """The body length a response declares, or ``None`` when it declares none.

    RFC 9112 §6.3: with ``Transfer-Encoding`` present the length comes from it, not ``Content-Length``.
    RFC 9110 §8.6: a list of identical values (``98, 98`` or the field sent twice) is that one value;
    differing or malformed values make the framing unknowable.

    Raises:
        FramingError: conflicting or malformed ``Content-Length`` values.
    """
    if values(fields, "Transfer-Encoding"):
        return None
    found = {part.strip() for value in values(fields, "Content-Length") for part in value.split(",")}
    if not found:
        return None
    if len(found) > 1:
        raise FramingError(f"conflicting Content-Length values: {', '.join(sorted(found))}")
    (only,) = found
    if not only.isdigit():
        raise FramingError(f"malformed Content-Length: {only!r}")
    return int(only)


# A MIME type: type "/" subtype, both HTTP tokens (WHATWG MIME Sniffing §4.4 "parse a MIME type").
_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_ESSENCE_RE = re.compile(rf"^[\t\n\r ]*({_TOKEN})/({_TOKEN})[\t\n\r ]*$")


def _split_list(value: str) -> Iterable[str]:
    """Split a header value on commas outside double quotes (Fetch "get, decode, and split")."""
    if '"' not in value:  # the common case: no quoted string can hide a comma
        return [item.strip(" \t") for item in value.split(",")]
    return _split_quoted(value)


def _split_quoted(value: str) -> Iterable[str]:
    part, quoted, escaped = [], False, False
    for ch in value:
        if escaped:
            escaped = False
        elif quoted and ch == "\\":
            escaped = True
        elif ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            yield "".join(part).strip(" \t")
            part = []
            continue
        part.append(ch)
    yield "".join(part).strip(" \t")


def content_type(fields: Fields) -> str:
    """The response's ``Content-Type`` per the Fetch standard's "extract a MIME type" (§3.1.7).

    Every ``Content-Type`` value is split into one list; the *last* one that parses as a MIME type wins,
    and a charset parameter given earlier for the same essence is kept if the winner has none.
    Returns ``""`` when no value parses.
    """
    chosen = ""
    essence = ""
    charset = ""
    for value in values(fields, "Content-Type"):
        for item in _split_list(value):
            head, _, params = item.partition(";")
            m = _ESSENCE_RE.match(head)
            if not m or head.strip() == "*/*":
                continue
            new_essence = f"{m.group(1)}/{m.group(2)}".lower()
            new_charset = _charset_param(params)
            if new_essence != essence:
                essence, charset = new_essence, new_charset
                chosen = item
            elif new_charset:
                charset = new_charset
                chosen = item
            else:
                chosen = item if not charset else f"{item}; charset={charset}"
    return chosen


def _charset_param(params: str) -> str:
    for param in params.split(";"):
        name, _, val = param.partition("=")
        if name.strip().lower() == "charset" and val.strip().strip('"'):
            return val.strip().strip('"')
    return ""
