"""The grader is not the student: rag.evaluation imports nothing of the answerer (rag.answer),
neither itself nor through what it imports."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import rag.evaluation

PACKAGE = Path(rag.evaluation.__file__).parent
ANSWERER = "rag.answer"


def _imported(path: Path, package: str = "rag.evaluation") -> list[str]:
    """Every module name an import statement of the file (a module of `package`) names,
    relative ones resolved."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            names += [base] + [f"{base}.{alias.name}" for alias in node.names]
    return names


def _answerer(name: str) -> bool:
    return name == ANSWERER or name.startswith(ANSWERER + ".")


def test_evaluation__no_module_imports_the_answerer():
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) >= 10  # the whole package is read
    found = {
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in modules
        for name in _imported(
            path, ".".join(("rag", "evaluation", *path.parent.relative_to(PACKAGE).parts))
        )
        if _answerer(name)
    }
    assert not found


def test_imported__finds_every_way_of_naming_the_answerer(tmp_path):
    path = tmp_path / "m.py"
    path.write_text(
        "import rag.answer.quantities\n"
        "from rag import answer\n"
        "from rag.answer import conflicts\n"
        "from ..answer.dates import absolute_years\n"
        "def f():\n"
        "    from rag.answer.support import SupportVerifier\n",
        encoding="utf-8",
    )
    assert sum(_answerer(name) for name in set(_imported(path))) >= 5


def test_evaluation__loads_without_loading_the_answerer():
    code = (
        "import importlib, pkgutil, sys, rag.evaluation as e\n"
        "for m in pkgutil.iter_modules(e.__path__):\n"
        "    importlib.import_module(f'{e.__name__}.{m.name}')\n"
        "print('\\n'.join(sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    loaded = done.stdout.split()
    assert "rag.evaluation.runner" in loaded
    assert [name for name in loaded if _answerer(name)] == []
