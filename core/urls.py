"""Turning pasted text or files into an ordered batch of URLs.

Nothing here raises on bad input: every non-blank, non-comment line becomes an entry,
either with a usable URL or with the reason it is not one.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import hashlib
import io
import ipaddress
import logging
import os
import re
import shutil
import sqlite3
import sys
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, overload
from urllib.parse import urlsplit, urlunsplit

from core.fetch.hosts import to_ascii

log = logging.getLogger(__name__)

_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_BAD_CHARS_RE = re.compile(r"[\x00-\x20\x7f<>\"\\^`{|}]")
_HOST_LABEL_RE = re.compile(r"^(?!-)[a-z0-9_\-]{1,63}(?<!-)$")
_HOST_RE = re.compile(r"^(?:(?!-)[a-z0-9_\-]{1,63}(?<!-)\.)*(?!-)[a-z0-9_\-]{1,63}(?<!-)$")
_FAST_RE = re.compile(r"^([Hh][Tt][Tt][Pp][Ss]?)://(([A-Za-z0-9_.\-]+)(?::(\d{1,5}))?)([/?][^#]*)?(?:#.*)?$")
_IPV4_RE = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")
MAX_URL_LENGTH = 8192


class InputError(Exception):
    """A URL source could not be read at all (missing file, unreadable CSV)."""


@dataclass(frozen=True, slots=True)
class UrlEntry:
    """One input line.

    Attributes:
        index: position in the batch (0-based), the ``input_index`` of its result.
        line: 1-based line number in the source text.
        raw: the text as given (trimmed).
        url: the URL to fetch, or ``""`` when invalid.
        error: why the line is not a usable URL (``""`` when valid).
        normalised: the URL was completed (for example ``https://`` added).
        duplicate_of: index of the first entry with the same URL, if this repeats it.
        lastmod: the ``<lastmod>`` a sitemap gave for this URL (``""`` when none).
    """

    index: int
    line: int
    raw: str
    url: str = ""
    error: str = ""
    normalised: bool = False
    duplicate_of: int | None = None
    lastmod: str = ""

    @property
    def valid(self) -> bool:
        return not self.error


@dataclass(frozen=True, slots=True)
class Listed:
    """One item from a list source such as a sitemap (see :mod:`core.sitemaps`).

    Attributes:
        text: the URL as listed (or, with ``error``, the source that failed).
        error: non-empty when the source could give no URL here: the row is invalid and says why.
        lastmod: the source's last-modified date for the URL, as written (W3C Datetime).
    """

    text: str
    error: str = ""
    lastmod: str = ""

    @property
    def line(self) -> str:
        """The item as a line of a URL list: the URL, or for a failed source the reason, which is
        not a URL, so the line parses again as an invalid entry (journal, the window's URL box)."""
        return self.error or self.text


@dataclass(slots=True)
class Batch:
    """An ordered list of entries with counts.

    ``entries``: a list, or a :class:`PackedEntries` where a million of them must stay small (the engine process).
    """

    entries: Sequence[UrlEntry] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def valid(self) -> list[UrlEntry]:
        return [e for e in self.entries if e.valid]

    @property
    def invalid(self) -> list[UrlEntry]:
        return [e for e in self.entries if not e.valid]

    @property
    def duplicates(self) -> list[UrlEntry]:
        return [e for e in self.entries if e.duplicate_of is not None]

    def counts(self) -> dict[str, int]:
        valid = invalid = dup = 0
        for e in self.entries:
            if e.error:
                invalid += 1
            else:
                valid += 1
                if e.duplicate_of is not None:
                    dup += 1
        return {"total": len(self.entries), "valid": valid, "invalid": invalid, "duplicates": dup}


class PackedEntries(Sequence[UrlEntry]):
    """A batch's entries stored compactly, each made into a :class:`UrlEntry` when it is read.

    A list of ``UrlEntry`` holds ~250 bytes a URL (the object, its index and line as ints, the text as a
    ``str``): 250 MB at 1,000,000 URLs, for the whole of a run. Here: the text as UTF-8 in one buffer with
    its end offset and line (8 bytes each), ~70 bytes for a 55-character URL; what only some entries
    have (a URL that differs from the text, an error, a duplicate, a lastmod) in dictionaries.
    Entries are appended in index order (``index`` = position); reading one costs ~1 us.
    """

    def __init__(self, entries: Iterable[UrlEntry] = ()) -> None:
        self._text = bytearray()
        self._ends = array("Q")
        self._lines = array("q")
        self._urls: dict[int, str] = {}  # index -> url, where the url is not the text itself
        self._rest: dict[int, tuple[str, bool, int | None, str]] = {}  # error, normalised, duplicate_of, lastmod
        self.extend(entries)

    def append(self, entry: UrlEntry) -> None:
        """Add the next entry.

        Raises:
            ValueError: ``entry.index`` is not the next position.
        """
        i = len(self._ends)
        if entry.index != i:
            raise ValueError(f"entry {entry.index} appended at position {i}")
        self._text += entry.raw.encode("utf-8", "surrogatepass")
        self._ends.append(len(self._text))
        self._lines.append(entry.line)
        if entry.url != entry.raw:
            self._urls[i] = entry.url
        if entry.error or entry.normalised or entry.duplicate_of is not None or entry.lastmod:
            self._rest[i] = (entry.error, entry.normalised, entry.duplicate_of, entry.lastmod)

    def extend(self, entries: Iterable[UrlEntry]) -> None:
        for e in entries:
            self.append(e)

    def __len__(self) -> int:
        return len(self._ends)

    def _entry(self, i: int) -> UrlEntry:
        raw = self._text[self._ends[i - 1] if i else 0 : self._ends[i]].decode("utf-8", "surrogatepass")
        url = self._urls.get(i, raw)
        rest = self._rest.get(i)
        if rest is None:
            return UrlEntry(i, self._lines[i], raw, url)
        return UrlEntry(i, self._lines[i], raw, url, *rest)

    @overload
    def __getitem__(self, index: int) -> UrlEntry: ...

    @overload
    def __getitem__(self, index: slice) -> list[UrlEntry]: ...

    def __getitem__(self, index: int | slice) -> UrlEntry | list[UrlEntry]:
        if isinstance(index, slice):
            return [self._entry(i) for i in range(*index.indices(len(self)))]
        n = len(self._ends)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError("entry index out of range")
        return self._entry(index)

    def __iter__(self) -> Iterator[UrlEntry]:
        return map(self._entry, range(len(self._ends)))


def shown_url(entry: UrlEntry) -> str:
    """The URL a run reports for ``entry`` (:attr:`core.model.RunStarted.urls`): its URL, else its text."""
    return entry.url or entry.raw


class EntryColumn(Sequence[Any]):
    """One field of every entry of a batch, read on demand: a view, no copy of the entries' strings or numbers.

    Args:
        entries: the batch's entries (a list or :class:`PackedEntries`), read when indexed.
        pick: the field of one entry, e.g. :func:`shown_url` or ``operator.attrgetter("line")``.

    Equal to any sequence with the same items (a tuple of them, for one).
    """

    __hash__ = None  # type: ignore[assignment]  # equal to tuples, which hash: no hash of its own

    def __init__(self, entries: Sequence[UrlEntry], pick: Callable[[UrlEntry], Any]) -> None:
        self._entries, self._pick = entries, pick

    def __len__(self) -> int:
        return len(self._entries)

    @overload
    def __getitem__(self, index: int) -> Any: ...

    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self._pick(e) for e in self._entries[index]]
        return self._pick(self._entries[index])

    def __iter__(self) -> Iterator[Any]:
        return map(self._pick, self._entries)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __repr__(self) -> str:
        return f"EntryColumn({len(self)} entries)"


@functools.lru_cache(maxsize=65536)
def _host_error(host: str) -> tuple[str, str]:
    """Return ``(ascii_host, error)`` for a hostname, IDN hosts encoded to punycode."""
    if not host:
        return "", "no host name"
    if ":" in host:  # IPv6 literal (urlsplit strips the brackets)
        try:
            return f"[{ipaddress.IPv6Address(host).compressed}]", ""
        except ValueError:
            return "", "IPv6 address is not valid"
    try:
        ascii_host = to_ascii(host)  # UTS 46, non-transitional: the same name the request goes to
    except UnicodeError as exc:
        return "", f"host name is not valid ({exc})"
    if not ascii_host:
        return "", "no host name"
    if len(ascii_host) > 253:
        return "", "host name is too long"
    if _IPV4_RE.match(ascii_host):
        if any(int(p) > 255 for p in ascii_host.split(".")):
            return "", "IP address is out of range"
        return ascii_host, ""
    if not _HOST_RE.match(ascii_host):
        for label in ascii_host.split("."):
            if not _HOST_LABEL_RE.match(label):
                return "", f"host name has an invalid part: {label!r}" if label else "host name has an empty part"
    return ascii_host, ""


def normalise(text: str) -> tuple[str, str, bool, str]:
    """Check one URL.

    Returns:
        ``(url, key, normalised, error)``: the URL to fetch, a key for finding duplicates
        (scheme and host lower-cased, punycode, default port and fragment dropped),
        whether the URL was completed, and an error reason (``""`` when valid).
    """
    s = text.strip()
    if not s:
        return "", "", False, "empty line"
    if len(s) > MAX_URL_LENGTH:
        return "", "", False, f"longer than {MAX_URL_LENGTH} characters"
    bad = _BAD_CHARS_RE.search(s)
    if bad:
        ch = bad.group()
        what = "a space" if ch == " " else ("a control character" if ord(ch) < 32 or ord(ch) == 127 else repr(ch))
        return "", "", False, f"contains {what} at position {bad.start() + 1}"
    fast = _FAST_RE.match(s)
    if fast:  # the common case, 10x cheaper than urlsplit (100k lines in well under a second)
        scheme, netloc, hostname, port_s, rest = fast.groups()
        scheme = scheme.lower()
        host, err = _host_error(hostname.lower())
        port = int(port_s) if port_s else None
        if not err and (port is None or port <= 65535):
            rest = rest or "/"
            if rest.startswith("?"):
                rest = "/" + rest
            default = 443 if scheme == "https" else 80
            key_netloc = host if port in (None, default) else f"{host}:{port}"
            return f"{scheme}://{netloc}{rest}", f"{scheme}://{key_netloc}{rest}", False, ""
    normalised = False
    m = _SCHEME_RE.match(s)
    rest = s[m.end() :] if m else ""
    has_scheme = bool(m) and (rest.startswith("//") or not (rest.split("/", 1)[0].isdigit() or "." in m.group(1)))
    if has_scheme:
        scheme = m.group(1).lower()  # type: ignore[union-attr]
        if scheme not in ("http", "https"):
            return "", "", False, f"unsupported scheme {scheme!r} (only http and https)"
        if not rest.startswith("//"):
            return "", "", False, "missing '//' after the scheme"
    else:
        s = ("https:" + s) if s.startswith("//") else ("https://" + s)
        normalised = True
    try:
        parts = urlsplit(s)
        port = parts.port
    except ValueError as exc:
        return "", "", False, f"not a valid URL ({exc})"
    host, err = _host_error(parts.hostname or "")
    if err:
        return "", "", False, err
    if normalised and "." not in host and host != "localhost" and not host.startswith("["):
        return "", "", False, "not a URL (no scheme and no dot in the host name)"
    scheme = parts.scheme.lower()
    default = 443 if scheme == "https" else 80
    netloc = host if port in (None, default) else f"{host}:{port}"
    if parts.username or parts.password:
        userinfo = parts.netloc.rsplit("@", 1)[0]
        netloc = f"{userinfo}@{netloc}"
    path = parts.path or "/"
    key = urlunsplit((scheme, netloc, path, parts.query, ""))
    url = urlunsplit((scheme, parts.netloc, parts.path or "/", parts.query, ""))
    return url, key, normalised, ""


def _digest(key: str) -> bytes:
    """A 16-byte BLAKE2b digest of a duplicate key (a collision needs about 2**64 distinct URLs)."""
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class DuplicateIndex:
    """The first input index of every distinct URL key, in memory.

    Keys are stored as 16-byte digests, not their text: about 100 bytes per distinct URL
    (the dict slot, a 16-byte ``bytes`` and the index) whatever the URL's length. For inputs
    too big for that, :func:`scan` finds the duplicates on disk instead.
    """

    __slots__ = ("_first",)

    def __init__(self) -> None:
        self._first: dict[bytes, int] = {}

    def __len__(self) -> int:
        return len(self._first)

    def first(self, key: str, index: int) -> int | None:
        """Record ``key`` at ``index``; return the earlier index of the same key, or ``None``."""
        first = self._first.setdefault(_digest(key), index)
        return None if first == index else first


def entry_text(line: str) -> str:
    """A line's text as an entry's ``raw`` (trimmed, without a BOM), or ``""`` for a line that is
    no entry (blank, or a ``#`` comment): the one rule of which lines count."""
    raw = line.strip().lstrip("\ufeff").strip()
    return "" if raw.startswith("#") else raw


def _parsed(lines: Iterable[str | Listed]) -> Iterator[tuple[int, str, str, str, bool, str, str]]:
    """``(line_no, raw, url, key, normalised, error, lastmod)`` for every line that is not blank or a comment.

    A :class:`Listed` item (from a sitemap) keeps its ``lastmod``; one with an ``error`` is an
    invalid line with that reason.
    """
    for line_no, line in enumerate(lines, start=1):
        lastmod = ""
        if isinstance(line, Listed):
            lastmod = line.lastmod
            if line.error:
                yield line_no, line.text, "", "", False, line.error, lastmod
                continue
            line = line.text
        raw = entry_text(line)
        if not raw:
            continue
        url, key, normalised, error = normalise(raw)
        if url == raw:
            url = raw  # one string, not two equal ones (100k entries: ~11 MB)
        yield line_no, raw, url, key, normalised, error, lastmod


def iter_entries(lines: Iterable[str | Listed], duplicates: Mapping[int, int] | None = None) -> Iterator[UrlEntry]:
    """Entries one by one from lines of text: blank lines and ``#`` comments are skipped.

    Args:
        lines: the text, one URL per item (line numbers count every item, 1-based); a
            :class:`Listed` item (from a sitemap) keeps its ``lastmod``, one with an ``error``
            becomes an invalid entry with that reason.
        duplicates: ``index -> index of the first occurrence`` for every repeat, from :func:`scan`;
            then nothing here grows with the input. Without it, repeats are found with a
            :class:`DuplicateIndex` (about 100 bytes per distinct URL).
    """
    seen = DuplicateIndex() if duplicates is None else None
    for index, (line_no, raw, url, key, normalised, error, lastmod) in enumerate(_parsed(lines)):
        if error:
            dup = None
        elif seen is not None:
            dup = seen.first(key, index)
        else:
            dup = duplicates.get(index)  # type: ignore[union-attr]
        yield UrlEntry(index, line_no, raw, url, error, normalised, dup, lastmod)


def parse_lines(lines: Iterable[str | Listed]) -> Batch:
    """Build a batch (every entry in memory) from lines of text."""
    return Batch(list(iter_entries(lines)))


def parse_text(text: str) -> Batch:
    """Build a batch from pasted text."""
    return parse_lines(text.splitlines())


def _csv_urls(text: str) -> list[str]:
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        return []
    names = [h.strip().lstrip("\ufeff").strip().lower() for h in header]
    if "url" not in names:
        raise InputError("CSV file has no 'url' column")
    col = names.index("url")
    return [row[col] if col < len(row) else "" for row in reader]


def read_source(path: str) -> list[str]:
    """Lines of URLs from a file (``.csv`` uses its ``url`` column) or ``-`` for stdin."""
    if path == "-":
        return sys.stdin.read().splitlines()
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    text = data.decode("utf-8-sig", errors="replace")
    if p.suffix.lower() == ".csv":
        return _csv_urls(text)
    return text.splitlines()


def read_sources(paths: Iterable[str]) -> list[str]:
    """The lines of every source, in order."""
    lines: list[str] = []
    for path in paths:
        lines.extend(read_source(path))
    return lines


def load_batch(paths: Iterable[str]) -> Batch:
    """Read every source in order into one batch."""
    return parse_lines(read_sources(paths))


def _csv_column(fh: Iterable[str], name: str) -> Iterator[str]:
    reader = csv.reader(fh)
    header = next(reader, None)
    if header is None:
        return
    names = [h.strip().lstrip("\ufeff").strip().lower() for h in header]
    if "url" not in names:
        raise InputError(f"CSV file {name} has no 'url' column")
    col = names.index("url")
    for row in reader:
        yield row[col] if col < len(row) else ""


def _split(fh: Iterable[str]) -> Iterator[str]:
    # str.splitlines() semantics, as read_source has: a form feed or U+2028 also ends a line.
    for chunk in fh:
        yield from chunk.splitlines()


class LineSource:
    """Input lines that can be read several times without holding them: files, and stdin spooled.

    Standard input is copied once to a temporary file (removed by :meth:`close`), so a big
    list can be scanned for duplicates and then streamed. Files are checked when this is
    made (a missing file is a usage error before anything is written).

    Raises:
        InputError: a file cannot be read.
    """

    def __init__(self, paths: Iterable[str]) -> None:
        self.paths: list[str] = []
        self._spool: str | None = None
        for path in paths:
            if path == "-":
                if self._spool is None:
                    fd, self._spool = tempfile.mkstemp(prefix="fetchlens-stdin-", suffix=".txt")
                    with os.fdopen(fd, "wb") as out:
                        shutil.copyfileobj(sys.stdin.buffer, out, 1 << 20)
                self.paths.append(self._spool)
                continue
            try:
                with open(path, "rb"):
                    pass
            except OSError as exc:
                raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
            self.paths.append(path)

    def lines(self) -> Iterator[str]:
        """Every source's lines in order (a ``.csv`` file gives its ``url`` column)."""
        for path in self.paths:
            try:
                with open(path, encoding="utf-8-sig", errors="replace", newline="") as fh:
                    if path.lower().endswith(".csv") and path != self._spool:
                        yield from _csv_column(fh, path)
                    else:
                        yield from _split(fh)
            except OSError as exc:
                raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc

    def close(self) -> None:
        if self._spool is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._spool)
            self._spool = None

    def __enter__(self) -> LineSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(slots=True)
class Scan:
    """What a first pass over a big input found (everything but the entries themselves).

    Attributes:
        counts: as :meth:`Batch.counts`.
        duplicates: ``index -> index of its first occurrence`` for every repeated URL.
    """

    counts: dict[str, int]
    duplicates: dict[int, int]

    @property
    def repeated(self) -> set[int]:
        """Indices of first occurrences that have at least one duplicate later."""
        return set(self.duplicates.values())


SCAN_BATCH = 20_000  # digests per INSERT batch
SCAN_CACHE_KB = 32_768  # SQLite's page cache while sorting the digests


def scan(lines: Iterable[str | Listed]) -> Scan:
    """First pass over an input of any size: counts, and which lines repeat which.

    The 16-byte digest of every valid URL's key goes with its index to a temporary SQLite
    file, which sorts them on disk (an index over ``(digest, index)``); one ordered read then
    finds the repeats. Memory holds a page cache (``SCAN_CACHE_KB``) and the repeats found,
    not the distinct URLs. The file is removed before this returns.

    Raises:
        InputError: from the source, when a file cannot be read.
    """
    total = invalid = 0
    duplicates: dict[int, int] = {}
    with tempfile.TemporaryDirectory(prefix="fetchlens-scan-") as tmp:
        db = sqlite3.connect(os.path.join(tmp, "keys.sqlite3"), isolation_level=None)
        try:
            for pragma in ("journal_mode=OFF", "synchronous=OFF", f"cache_size=-{SCAN_CACHE_KB}",
                           "temp_store=FILE"):
                db.execute(f"PRAGMA {pragma}")
            db.execute("CREATE TABLE keys (digest BLOB NOT NULL, idx INTEGER NOT NULL)")
            db.execute("BEGIN")
            pending: list[tuple[bytes, int]] = []
            for index, (_line_no, _raw, _url, key, _norm, error, _lastmod) in enumerate(_parsed(lines)):
                total += 1
                if error:
                    invalid += 1
                    continue
                pending.append((_digest(key), index))
                if len(pending) >= SCAN_BATCH:
                    db.executemany("INSERT INTO keys VALUES (?, ?)", pending)
                    pending.clear()
            db.executemany("INSERT INTO keys VALUES (?, ?)", pending)
            db.execute("COMMIT")
            db.execute("CREATE INDEX keys_by_digest ON keys (digest, idx)")
            previous, first = b"", -1
            for digest, idx in db.execute("SELECT digest, idx FROM keys ORDER BY digest, idx"):
                if digest == previous:
                    duplicates[idx] = first
                else:
                    previous, first = digest, idx
        finally:
            db.close()
    counts = {"total": total, "valid": total - invalid, "invalid": invalid, "duplicates": len(duplicates)}
    return Scan(counts, duplicates)
