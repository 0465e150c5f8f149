"""The html5lib encoding-sniffing conformance tests (html5lib-tests ``encoding/``, MIT licence).

Every case runs through the same path a fetched page takes (:func:`core.parse.extract.read`: prescan,
detection, the parser's change of encoding), served without a charset in ``Content-Type``. The tests
live beside the repository (``../shared/conformance/html5lib-encoding``, read-only in CI).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.parse.charset import lookup
from core.parse.extract import read

FOLDER = Path(__file__).resolve().parents[3].parent / "shared" / "conformance" / "html5lib-encoding"
# Cases a reader without a script engine cannot pass (listed in the README with the reason).
NEEDS_SCRIPTS = {"scripted-tests1.dat"}


def _cases() -> list[tuple[str, bytes, str]]:
    out: list[tuple[str, bytes, str]] = []
    if not FOLDER.is_dir():
        return out
    for path in sorted(FOLDER.glob("*.dat")):
        for i, block in enumerate(path.read_bytes().split(b"#data\n")[1:]):
            data, sep, rest = block.partition(b"\n#encoding\n")
            assert sep, f"{path.name} case {i} has no #encoding"
            out.append((f"{path.name}:{i}", data, rest.strip().split(b"\n")[0].decode("ascii")))
    return out


CASES = _cases()


@pytest.mark.skipif(not FOLDER.is_dir(), reason=f"conformance tests not found at {FOLDER}")
def test_the_suite_is_all_there() -> None:
    assert len(CASES) >= 80


@pytest.mark.skipif(not FOLDER.is_dir(), reason=f"conformance tests not found at {FOLDER}")
@pytest.mark.parametrize(("case", "data", "expected"), CASES, ids=[c[0] for c in CASES])
def test_html5lib_encoding(case: str, data: bytes, expected: str) -> None:
    if case.split(":")[0] in NEEDS_SCRIPTS:
        pytest.skip("needs document.write() run by a script engine; Fetchlens does not run scripts")
    want = lookup(expected)
    assert want is not None, expected
    assert read(data, "text/html").charset == want
