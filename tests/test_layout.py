"""The code's layout rules, read from the source with :mod:`ast` (nothing is imported).

* no import cycle among the modules of ``core/`` and ``gui/`` (imports inside functions and
  under ``TYPE_CHECKING`` count too: a cycle there is still two modules that need each other);
* every ``from x import name`` of a project module names the module that defines ``name``
  (no re-exports);
* no ``*Mixin`` class, no module-level ``__getattr__``;
* every package's ``__init__.py`` says in its docstring what lives there;
* ``core/`` never imports Qt.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "gui")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, ast.Module]:
    found: dict[str, ast.Module] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[_module_name(path)] = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return found


MODULES = _modules()
# Importers checked for re-exports: the packages, the tests and the entry point.
IMPORTERS = {**MODULES, **{str(p.relative_to(ROOT)): ast.parse(p.read_text(encoding="utf-8"))
                           for p in [ROOT / "main.py", *sorted((ROOT / "tests").rglob("*.py"))]}}


def _imports(tree: ast.Module) -> Iterator[tuple[str, str | None, int]]:
    """``(module, imported name or None, line)`` for every import statement anywhere in the tree."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                yield node.module, alias.name, node.lineno


def _graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {m: set() for m in MODULES}
    for name, tree in MODULES.items():
        for module, imported, _line in _imports(tree):
            for target in (module, f"{module}.{imported}" if imported else None):
                if target in MODULES and target != name:
                    edges[name].add(target)
    return edges


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in edges:
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _defined(tree: ast.Module) -> set[str]:
    """Names a module defines at its top level (classes, functions, assignments)."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles() -> None:
    assert _cycles(_graph()) == []


def test_imports_name_the_defining_module() -> None:
    wrong = []
    for name, tree in IMPORTERS.items():
        for module, imported, line in _imports(tree):
            if imported is None or module not in MODULES or f"{module}.{imported}" in MODULES:
                continue
            if imported not in _defined(MODULES[module]):
                wrong.append(f"{name}:{line} imports {imported} from {module}, which does not define it")
        if name not in MODULES:
            continue  # tests may patch a name where it is used (``monkeypatch.setattr(module, "name", ...)``)
        aliases = {}  # local name -> project module, for ``from core.desktop import launcher`` and ``import x as y``
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                aliases.update({a.asname or a.name: f"{node.module}.{a.name}" for a in node.names
                                if f"{node.module}.{a.name}" in MODULES})
            elif isinstance(node, ast.Import):
                aliases.update({a.asname: a.name for a in node.names if a.asname and a.name in MODULES})
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
                    and isinstance(node.ctx, ast.Load)):
                module = aliases[node.value.id]
                if node.attr not in _defined(MODULES[module]) and f"{module}.{node.attr}" not in MODULES:
                    wrong.append(f"{name}:{node.lineno} uses {node.value.id}.{node.attr}, not defined in {module}")
    assert not wrong, "\n".join(wrong)


def test_no_mixins_and_no_module_getattr() -> None:
    found = []
    for name, tree in MODULES.items():
        doc = (ast.get_docstring(tree) or "").casefold()
        found += [f"{name}: docstring says it re-exports"] if "importable from" in doc else []
        found += [f"{name}: class {n.name}" for n in ast.walk(tree)
                  if isinstance(n, ast.ClassDef) and n.name.endswith("Mixin")]
        found += [f"{name}: module-level __getattr__" for n in tree.body
                  if isinstance(n, ast.FunctionDef) and n.name == "__getattr__"]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("package", sorted(n for n in MODULES if (ROOT / n.replace(".", "/") / "__init__.py").exists()))
def test_packages_say_what_lives_there(package: str) -> None:
    doc = ast.get_docstring(MODULES[package])
    assert doc and len(doc.split()) >= 8, f"{package}/__init__.py needs a docstring saying what lives there"


def test_core_never_imports_qt() -> None:
    qt = [f"{name}:{line}" for name, tree in MODULES.items() if name.split(".")[0] == "core"
          for module, _imported, line in _imports(tree) if module.split(".")[0] in {"PySide6", "qasync", "gui"}]
    assert not qt, "\n".join(qt)
