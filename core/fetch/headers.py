"""Header policy shared by every mode: what goes out with a request, and how response fields are read.

Response fields arrive as a list of ``(name, value)`` pairs exactly as received (duplicates kept, in
order), whichever HTTP client read them; the functions here turn them into the one meaning every mode
uses.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from core.fetch.codings import ACCEPT_ENCODING
from core.mime import media_type
from core.settings import Settings

if TYPE_CHECKING:
    from core.fetch.options import RequestPolicy

log = logging.getLogger(__name__)

Fields = Sequence[tuple[str, str]]
"""Response header fields as received: ``(name, value)``, duplicates kept, in order."""


class FramingError(Exception):
    """The response's length cannot be known for sure (error kind ``reset``, as a broken response)."""


def received(pairs: Iterable[tuple[str | bytes, str | bytes]]) -> list[tuple[str, str]]:
    """Response header fields as every mode hands them on: ``(name, value)`` text, in order, duplicates kept.

    Bytes are read as ISO-8859-1 (what http.client does); the value loses its leading and trailing
    whitespace, which is not part of it (RFC 9112 §5.1: ``field-value`` excludes the OWS around it; aiohttp
    keeps trailing blanks, http.client strips them); a line folded onto the next (``obs-fold``) is one space
    (§5.2); a line whose name is not a token (``Content-Length : 5``, §5.1: no whitespace before the colon)
    is not a field at all, as llhttp drops it (http.client kept a field named ``content-length ``).
    """
    out = []
    for name, value in pairs:
        n = name.decode("latin-1") if isinstance(name, bytes) else name
        v = value.decode("latin-1") if isinstance(value, bytes) else value
        if not _NAME_RE.fullmatch(n):
            log.debug("dropping a field line with an invalid name: %r", n)
            continue
        out.append((n, _FOLD_RE.sub(" ", v).strip(" \t")))
    return out


_NAME_RE = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # field-name = token (RFC 9110 §5.1, §5.6.2)
_FOLD_RE = re.compile(r"[ \t]*\r?\n[ \t]+")  # obs-fold (RFC 9112 §5.2)


def values(fields: Fields, name: str) -> list[str]:
    """Every value of the field ``name`` (case-insensitive), in order."""
    lname = name.lower()
    size = len(lname)
    return [v for k, v in fields if len(k) == size and k.lower() == lname]


def first(fields: Fields, name: str) -> str | None:
    """The first value of ``name``, or ``None``."""
    found = values(fields, name)
    return found[0] if found else None


def request_headers(settings: Settings, url: str, policy: RequestPolicy | None = None,
                    credentials: bool = True) -> dict[str, str]:
    """The headers a request for ``url`` carries, in every mode (the one place they come from).

    The defaults, then the request options' headers for ``url`` (``policy``: the most specific host rule
    wins, a name given again replaces the default case-insensitively); ``credentials`` false drops the
    command line's ``Authorization`` (see :meth:`RequestPolicy.hop_headers`). ``Cookie`` is not here: the
    input URL's own jar adds it per hop.
    """
    headers = {
        "User-Agent": settings.user_agent,
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "Accept-Encoding": ACCEPT_ENCODING,
    }
    if policy is not None:
        extra = policy.hop_headers(url, credentials)
        replaced = {name.lower() for name in extra}
        headers = {k: v for k, v in headers.items() if k.lower() not in replaced}
        headers.update(extra)
    return headers


_DIGITS_RE = re.compile(r"[0-9]+")
MAX_CONTENT_LENGTH = 2**63 - 1
"""The largest ``Content-Length`` taken as a length (a signed 64-bit count of bytes, as curl's)."""


def content_length(fields: Fields) -> int | None:
    """The body length a response declares, or ``None`` when it declares none.

    RFC 9112 §6.3: with ``Transfer-Encoding`` present the length comes from it, not ``Content-Length``.
    RFC 9110 §8.6: a list of identical values (``98, 98`` or the field sent twice) is that one value;
    differing or malformed values make the framing unknowable. Only ASCII digits count (``1*DIGIT``, RFC 5234
    §B.1: not ``+5``, ``-1`` or a Latin-1 ``²``), and a value beyond :data:`MAX_CONTENT_LENGTH` is malformed
    too (§8.6: a recipient must not let an integer overflow decide the framing; curl and llhttp refuse it).

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
    if not _DIGITS_RE.fullmatch(only) or int(only) > MAX_CONTENT_LENGTH:
        raise FramingError(f"malformed Content-Length: {only[:40]!r}")
    return int(only)


_HEX_RE = re.compile(rb"[0-9A-Fa-f]+")


def chunk_size(line: bytes) -> int:
    """The size a chunk-size line (``b"1a;ext=v\\r\\n"``) announces, in bytes.

    RFC 9112 §7.1: ``chunk-size = 1*HEXDIG``, then optional extensions after ``;`` (with BWS before it,
    §7.1.1). ``0x1a``, ``+1a`` or ``1_a`` (which Python's ``int(..., 16)`` in http.client and urllib3
    accepts, llhttp refuses) are malformed, as is a size beyond :data:`MAX_CONTENT_LENGTH`.

    Raises:
        FramingError: the line is not a chunk size.
    """
    size = line.split(b";", 1)[0].rstrip(b"\r\n").rstrip(b" \t")
    if not _HEX_RE.fullmatch(size) or int(size, 16) > MAX_CONTENT_LENGTH:
        raise FramingError(f"malformed chunk size: {size[:40]!r}")
    return int(size, 16)


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
            head = item.partition(";")[0]
            m = _ESSENCE_RE.match(head)
            if not m or head.strip() == "*/*":
                continue
            new_essence = f"{m.group(1)}/{m.group(2)}".lower()
            new_charset = media_type(item)[1]
            if new_essence != essence:
                essence, charset = new_essence, new_charset
                chosen = item
            elif new_charset:
                charset = new_charset
                chosen = item
            else:
                chosen = item if not charset else f"{item}; charset={charset}"
    return chosen


