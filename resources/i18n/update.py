"""Extract the user-interface strings into ``fetchlens_<lang>.ts`` and compile them to ``.qm``.

Usage (from the repository root)::

    python resources/i18n/update.py            # refresh every .ts here, then compile each to .qm
    python resources/i18n/update.py --check    # also fail (status 1) if a message lacks a translation
    python resources/i18n/update.py --no-compile

Translate with Qt Linguist (``pyside6-linguist resources/i18n/fetchlens_ko.ts``, not part of
PySide6-Essentials) or in any editor: fill in ``<translation>`` and drop ``type="unfinished"``.

Why not ``pyside6-lupdate gui -ts fetchlens_ko.ts`` alone: its Python parser only sees
``self.tr("...")`` and ``translate("Context", "...")``. Several modules translate through a
one-line helper (``def _tr(text): return QCoreApplication.translate("History", text)``), which
lupdate skips (about 60 strings), and it reads an alias such as
``tr = QCoreApplication.translate; tr("Compare", "...")`` as a message "Compare" without a
context. This script reads the same calls with :mod:`ast`, with lupdate's context rules (the
enclosing class for ``tr``), plus those helpers; tests/gui/app/test_i18n_catalogue.py checks that it
finds everything lupdate finds. Compiling uses the real tool, ``pyside6-lrelease``.

Existing translations are kept; a message that left the code stays in the file marked
``vanished`` (lrelease skips it) so a reworded string can reuse it; ``--drop-obsolete`` removes them.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import logging
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from pathlib import Path

log = logging.getLogger("fetchlens.i18n.update")

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SOURCES = ("gui",)
"""Folders (relative to the repository root) whose ``*.py`` files hold translatable strings."""

SOURCE_LANGUAGE = "en"
"""The language the code is written in: its catalogue holds only the plural forms (``%n``), which
Qt takes from a translation even in the source language ("1 line" / "2 lines")."""

TRANSLATE_NAMES = frozenset({"translate"})
"""Call names taking ``(context, text[, disambiguation[, n]])``: ``QCoreApplication.translate``."""


@dataclasses.dataclass(slots=True)
class Message:
    context: str
    source: str
    comment: str = ""
    numerus: bool = False
    locations: list[tuple[str, int]] = dataclasses.field(default_factory=list)
    translation: list[str] = dataclasses.field(default_factory=list)
    kind: str = "unfinished"  # "" (finished), "unfinished", "vanished"

    @property
    def key(self) -> tuple[str, str, str]:
        return self.context, self.source, self.comment


def _literal(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _call_name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _wrappers(tree: ast.Module) -> dict[str, str]:
    """One-argument helpers of this module: ``def _tr(text): return QCoreApplication.translate("Ctx", text)``."""
    found: dict[str, str] = {}
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef) or len(node.args.args) != 1:
            continue
        body = [s for s in node.body if not (isinstance(s, ast.Expr) and _literal(s.value) is not None)]
        if len(body) != 1 or not isinstance(body[0], ast.Return) or not isinstance(body[0].value, ast.Call):
            continue
        call = body[0].value
        param = node.args.args[0].arg
        if (_call_name(call.func) in TRANSLATE_NAMES and len(call.args) == 2 and _literal(call.args[0]) is not None
                and isinstance(call.args[1], ast.Name) and call.args[1].id == param):
            found[node.name] = _literal(call.args[0]) or ""
    return found


def _aliases(tree: ast.Module) -> set[str]:
    """Names bound to ``QCoreApplication.translate`` anywhere in the module (``tr = QCoreApplication.translate``)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Attribute)
                and node.value.attr == "translate" and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)):
            names.add(node.targets[0].id)
    return names


class _Collector(ast.NodeVisitor):
    def __init__(self, filename: str, wrappers: dict[str, str], aliases: set[str]) -> None:
        self.filename = filename
        self.wrappers = wrappers
        self.translate_names = TRANSLATE_NAMES | aliases
        self.classes: list[str] = []
        self.found: list[Message] = []

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()

    def _add(self, context: str, source: str, comment: str, numerus: bool, line: int) -> None:
        self.found.append(Message(context, source, comment, numerus, [(self.filename, line)]))

    def visit_Call(self, node: ast.Call) -> None:
        name = _call_name(node.func)
        args = node.args
        first, second = (_literal(args[0]) if args else None), (_literal(args[1]) if len(args) > 1 else None)
        if name in self.translate_names and first is not None and second is not None:
            comment = _literal(args[2]) if len(args) > 2 else ""
            self._add(first, second, comment or "", len(args) > 3, node.lineno)
        elif name == "tr" and first is not None and isinstance(node.func, ast.Attribute):
            comment = _literal(args[1]) if len(args) > 1 else ""
            self._add(self.classes[-1] if self.classes else "", first, comment or "", len(args) > 2, node.lineno)
        elif name in self.wrappers and first is not None and len(args) == 1:
            self._add(self.wrappers[name], first, "", False, node.lineno)
        self.generic_visit(node)


def extract_file(path: Path, root: Path = ROOT) -> list[Message]:
    """The translatable messages of one Python file, in source order."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    collector = _Collector(path.relative_to(root).as_posix(), _wrappers(tree), _aliases(tree))
    collector.visit(tree)
    return collector.found


def source_files(root: Path = ROOT) -> Iterator[Path]:
    for folder in SOURCES:
        yield from sorted((root / folder).rglob("*.py"))


def extract(files: Iterable[Path], root: Path = ROOT) -> dict[tuple[str, str, str], Message]:
    """Every message of ``files``, merged by (context, source, comment), in first-seen order."""
    merged: dict[tuple[str, str, str], Message] = {}
    for path in files:
        for msg in extract_file(path, root):
            if msg.key in merged:
                merged[msg.key].locations.extend(msg.locations)
                merged[msg.key].numerus |= msg.numerus
            else:
                merged[msg.key] = msg
    return merged


def read_ts(path: Path) -> dict[tuple[str, str, str], Message]:
    """The messages of a .ts file with their translations and state."""
    messages: dict[tuple[str, str, str], Message] = {}
    if not path.is_file():
        return messages
    for ctx in ET.parse(path).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for m in ctx.iter("message"):
            tr = m.find("translation")
            numerus = m.get("numerus") == "yes"
            if tr is None:
                forms: list[str] = []
            elif numerus:
                forms = [f.text or "" for f in tr.iter("numerusform")]
            else:
                forms = [tr.text or ""]
            msg = Message(name, m.findtext("source") or "", m.findtext("comment") or "", numerus,
                          translation=forms, kind=(tr.get("type", "") if tr is not None else "unfinished"))
            messages[msg.key] = msg
    return messages


def merge(extracted: dict[tuple[str, str, str], Message], old: dict[tuple[str, str, str], Message],
          drop_obsolete: bool = False) -> list[Message]:
    """The new catalogue: extracted messages with their old translations, plus vanished ones.

    A message that moved to another context (its class or module was renamed or split) keeps
    its translation: when its key is new, the translation of the same text and comment in a
    context it left is reused, if exactly one such translation exists.
    """
    moved: dict[tuple[str, str, bool], list[Message]] = {}
    for key, msg in old.items():
        if key not in extracted and any(msg.translation):
            moved.setdefault((msg.source, msg.comment, msg.numerus), []).append(msg)
    result: list[Message] = []
    for key, msg in extracted.items():
        before = old.get(key)
        if before is None:
            candidates = moved.get((msg.source, msg.comment, msg.numerus), [])
            if len({tuple(c.translation) for c in candidates}) == 1:
                before = candidates[0]
        if before is not None and any(before.translation):
            msg.translation = before.translation
            msg.kind = "unfinished" if before.kind == "unfinished" else ""
        result.append(msg)
    if not drop_obsolete:
        for key, msg in old.items():
            if key not in extracted and any(msg.translation):
                msg.kind, msg.locations = "vanished", []
                result.append(msg)
    return result


def write_ts(path: Path, language: str, messages: list[Message]) -> None:
    """Write a Qt Linguist .ts file: contexts sorted by name, messages in source order."""
    root = ET.Element("TS", version="2.1", language=language)
    contexts: dict[str, list[Message]] = {}
    for msg in messages:
        contexts.setdefault(msg.context, []).append(msg)
    rel = Path(*([".."] * len(path.parent.relative_to(ROOT).parts))) if path.parent.is_relative_to(ROOT) else ROOT
    for name in sorted(contexts):
        ctx = ET.SubElement(root, "context")
        ET.SubElement(ctx, "name").text = name
        for msg in contexts[name]:
            m = ET.SubElement(ctx, "message", numerus="yes") if msg.numerus else ET.SubElement(ctx, "message")
            # File names only: line numbers would change the file on every edit of the code.
            for filename in dict.fromkeys(f for f, _ in msg.locations):
                ET.SubElement(m, "location", filename=(rel / filename).as_posix())
            ET.SubElement(m, "source").text = msg.source
            if msg.comment:
                ET.SubElement(m, "comment").text = msg.comment
            tr = ET.SubElement(m, "translation")
            if msg.kind:
                tr.set("type", msg.kind)
            if msg.numerus:
                for form in msg.translation or [""]:
                    ET.SubElement(tr, "numerusform").text = form
            else:
                tr.text = msg.translation[0] if msg.translation else ""
    ET.indent(root, space="    ")
    body = ET.tostring(root, encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")


def lrelease() -> str:
    """Path of ``pyside6-lrelease`` (ships with PySide6-Essentials) or plain ``lrelease``."""
    for name in ("pyside6-lrelease", "lrelease"):
        exe = shutil.which(name)
        if exe:
            return exe
    raise SystemExit("pyside6-lrelease not found: pip install PySide6-Essentials")


def compile_ts(ts: Path) -> Path:
    qm = ts.with_suffix(".qm")
    subprocess.run([lrelease(), "-silent", str(ts), "-qm", str(qm)], check=True, timeout=120)
    return qm


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if any message has no finished translation")
    parser.add_argument("--no-compile", action="store_true", help="only refresh the .ts files")
    parser.add_argument("--drop-obsolete", action="store_true", help="remove messages no longer in the code")
    parser.add_argument("--new", metavar="LANG", action="append", default=[],
                        help="start a catalogue for another language (e.g. ja)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    catalogues = sorted(HERE.glob("fetchlens_*.ts")) + [HERE / f"fetchlens_{lang}.ts" for lang in args.new]
    extracted_files = list(source_files())
    status = 0
    for ts in dict.fromkeys(catalogues):
        language = ts.stem.removeprefix("fetchlens_")
        extracted = extract(extracted_files)
        if language == SOURCE_LANGUAGE:
            extracted = {k: m for k, m in extracted.items() if m.numerus}
        messages = merge(extracted, read_ts(ts), args.drop_obsolete)
        write_ts(ts, language, messages)
        live = [m for m in messages if m.kind != "vanished"]
        todo = [m for m in live if m.kind == "unfinished" or not all(m.translation)]
        log.info("%s: %d messages, %d without a finished translation, %d vanished", ts.name, len(live), len(todo),
                 len(messages) - len(live))
        for m in todo[:20]:
            log.info("  untranslated: [%s] %s", m.context, m.source)
        if args.check and todo:
            status = 1
        if not args.no_compile:
            log.info("compiled %s", compile_ts(ts).name)
    return status


if __name__ == "__main__":
    sys.exit(main())
