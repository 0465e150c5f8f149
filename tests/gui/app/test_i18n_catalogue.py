"""The Korean catalogue: complete, up to date with the code, compiled, and consistent.

No window here: these read ``resources/i18n/`` and the sources of ``gui/``.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[3]
I18N = ROOT / "resources" / "i18n"
TS = I18N / "fetchlens_ko.ts"
QM = I18N / "fetchlens_ko.qm"
# {0} {name} %1 %n, HTML tags and line breaks must survive translation unchanged.
PLACEHOLDER = re.compile(r"\{[^}]*\}|%\d|%n|<[^>]+>|\n")
MNEMONIC = re.compile(r"&(?!&)(\w)")
KEPT_IN_ENGLISH = frozenset({"User-Agent(&U):", "URL"})


def load_updater() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fetchlens_i18n_update", I18N / "update.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while building the class
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def update() -> ModuleType:
    return load_updater()


@pytest.fixture(scope="module")
def catalogue(update: ModuleType) -> dict[tuple[str, str, str], object]:
    return {k: m for k, m in update.read_ts(TS).items() if m.kind != "vanished"}


def test_every_message_has_a_finished_korean_translation(catalogue: dict) -> None:
    assert len(catalogue) > 300
    missing = [(k[0], k[1]) for k, m in catalogue.items() if m.kind or not m.translation or not all(m.translation)]
    assert missing == []


def test_translations_keep_placeholders_and_mnemonics(catalogue: dict) -> None:
    for (context, source, _), msg in catalogue.items():
        text = msg.translation[0]
        assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(source)), (context, source, text)
        letters = MNEMONIC.findall(source)
        # Korean convention: the English letter in brackets at the end, "파일(&F)".
        assert [m.upper() for m in MNEMONIC.findall(text)] == [m.upper() for m in letters], (context, source, text)
        if source.endswith("…"):
            assert text.endswith("…"), (context, source, text)
        if re.search(r"[A-Za-z]{4,}", source) and not re.search(r"[\uac00-\ud7a3]", text):
            # Untranslated-looking text: only names and units may stay English.
            assert text in KEPT_IN_ENGLISH or source == text, (context, source, text)


def test_catalogue_covers_every_string_in_the_code(update: ModuleType, catalogue: dict) -> None:
    extracted = update.extract(list(update.source_files()))
    new = [(k[0], k[1]) for k in extracted if k not in catalogue]
    assert new == [], "run: python resources/i18n/update.py, translate, commit the .ts and .qm"


def test_committed_qm_is_compiled_from_the_ts(tmp_path: Path) -> None:
    lrelease = shutil.which("pyside6-lrelease")
    if lrelease is None:
        pytest.skip("pyside6-lrelease is not installed")
    out = tmp_path / "ko.qm"
    subprocess.run([lrelease, "-silent", str(TS), "-qm", str(out)], check=True, capture_output=True, timeout=60)
    assert out.read_bytes() == QM.read_bytes(), "run: python resources/i18n/update.py"


def test_extractor_finds_everything_lupdate_finds(update: ModuleType, tmp_path: Path) -> None:
    lupdate = shutil.which("pyside6-lupdate")
    if lupdate is None:
        pytest.skip("pyside6-lupdate is not installed")
    out = tmp_path / "lupdate.ts"
    files = [str(p) for p in update.source_files()]
    subprocess.run([lupdate, "-silent", "-no-obsolete", *files, "-ts", str(out)], check=True, capture_output=True,
                   timeout=120)
    theirs = set(update.read_ts(out))
    ours = set(update.extract(list(update.source_files())))
    assert theirs - ours == set()
    # lupdate gives a message without context when it misreads a call; none should be left.
    assert [k for k in theirs if not k[0]] == []


def test_extractor_reads_helpers_aliases_and_plurals(update: ModuleType, tmp_path: Path) -> None:
    src = tmp_path / "gui" / "sample.py"
    src.parent.mkdir()
    src.write_text(
        "from PySide6.QtCore import QCoreApplication\n"
        "def _tr(text):\n"
        "    '''Doc.'''\n"
        "    return QCoreApplication.translate('Helper', text)\n"
        "translate = QCoreApplication.translate\n"
        "class Panel:\n"
        "    def f(self, n):\n"
        "        self.tr('Own %n', '', n)\n"
        "        self.tr('Same')\n"
        "        def inner():\n"
        "            return self.tr('Inner')\n"
        "        return _tr('Via helper'), translate('Other', 'Aliased'), self.tr('Same')\n"
        "tr('bare call is not a method: ignored')\n",
        encoding="utf-8")
    found = update.extract([src], tmp_path)
    assert sorted(found) == sorted([
        ("Panel", "Own %n", ""), ("Panel", "Same", ""), ("Panel", "Inner", ""),
        ("Helper", "Via helper", ""), ("Other", "Aliased", "")])
    assert found[("Panel", "Own %n", "")].numerus
    assert len(found[("Panel", "Same", "")].locations) == 2


def test_merge_keeps_translations_and_marks_vanished(update: ModuleType, tmp_path: Path) -> None:
    Message = update.Message
    old = {m.key: m for m in [Message("C", "kept", translation=["유지"], kind=""),
                              Message("C", "gone", translation=["사라짐"], kind="")]}
    new = {m.key: m for m in [Message("C", "kept"), Message("C", "fresh")]}
    merged = update.merge(new, old)
    ts = tmp_path / "x.ts"
    update.write_ts(ts, "ko", merged)
    back = update.read_ts(ts)
    assert back[("C", "kept", "")].translation == ["유지"] and back[("C", "kept", "")].kind == ""
    assert back[("C", "fresh", "")].kind == "unfinished"
    assert back[("C", "gone", "")].kind == "vanished"
    assert ("C", "gone", "") not in {m.key for m in update.merge(new, old, drop_obsolete=True)}
