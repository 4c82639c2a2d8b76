"""The house's plan, enforced: parsing is headless, stages import only downwards, no cycles, small modules.

The layer contract itself is import-linter's (``[tool.importlinter]`` in pyproject.toml); these
tests run it and add what it does not say: every parsing module imported alone pulls in no UI
library, and no module of the project imports itself back through another, even inside a function.
"""

from __future__ import annotations

import ast
import graphlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("parsing", "tui")
MAX_LINES = 400


def _modules(package: str) -> dict[str, Path]:
    """Dotted name → file for every module of a package, found on disk (no import)."""
    out = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The project modules ``name`` imports anywhere in its body (function-level imports included)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    [*package.split(".")[: len(package.split(".")) - node.level + 1], *filter(None, [base])]
                )
            targets = [base, *(f"{base}.{a.name}" for a in node.names)]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def test_every_parsing_module_imports_without_ui():
    """Each parsing module, imported on its own, loads neither textual, rich nor tui (nor pdfplumber
    outside the PDF route)."""
    names = [n for n in _modules("parsing") if n != "parsing.routes.pdf"]
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in ('textual', 'rich', 'tui', 'pdfplumber') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_no_import_cycles():
    """No module reaches itself through the project's own imports, function-level ones included."""
    modules = {n: p for package in PACKAGES for n, p in _modules(package).items()}
    graph = {name: _imports(name, path, set(modules)) for name, path in modules.items()}
    graphlib.TopologicalSorter(graph).prepare()  # raises CycleError naming the cycle


def test_layer_contracts_hold():
    """import-linter: parsing never imports the UI; routes → readers → store → library → queries/checks."""
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if lint is None:
        pytest.fail("lint-imports is missing: install the test extra (pip install -e '.[test]')")
    out = subprocess.run([lint, "--no-cache"], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]


@pytest.mark.parametrize("package", PACKAGES)
def test_modules_stay_small(package):
    """No module over 400 lines: a longer one holds two ideas."""
    sizes = {n: len(p.read_text(encoding="utf-8").splitlines()) for n, p in _modules(package).items()}
    assert {n: s for n, s in sizes.items() if s > MAX_LINES} == {}
