"""Imports point one way: ontology ← model ← loaders, graph ← api ← cli (and cli may use api).

Parses every module's import statements (also those inside functions), so an upward
import or a cycle between the packages fails here, wherever it hides.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ALLOWED = {
    "ontology": {"ontology"},
    "model": {"ontology", "model"},
    "loaders": {"ontology", "model", "loaders"},
    "graph": {"ontology", "model", "graph"},
    "api": {"ontology", "model", "loaders", "graph", "api"},
    "cli": {"ontology", "model", "loaders", "graph", "api", "cli"},
}
GENERIC = set(ALLOWED)


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def _modules(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "node_modules" not in p.parts)


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_imports_point_down(package: str) -> None:
    problems = []
    for path in _modules(package):
        for line, module in _imports(path):
            parts = module.split(".")
            if parts[0] in GENERIC:
                problems.append(f"{path.relative_to(ROOT)}:{line} imports {module!r}; expected plankg.{module}")
            if parts[0] == "plankg" and len(parts) > 1 and parts[1] in ALLOWED and parts[1] not in ALLOWED[package]:
                problems.append(f"{path.relative_to(ROOT)}:{line} imports {module} (upward from {package})")
    assert not problems, "\n".join(problems)


def test_the_layering_itself_has_no_cycle() -> None:
    for package, allowed in ALLOWED.items():
        for other in allowed - {package}:
            assert package not in ALLOWED[other], f"{package} and {other} may import each other"
