"""The package's shape: docs/architecture.md lists every folder and loose module, imports form a
DAG, nobody reaches into another module's private names, ruff is clean."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "coopanalysis"
ARCHITECTURE = ROOT / "docs" / "architecture.md"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(current: str, is_package: bool, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = current.split(".") if is_package else current.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(name: str) -> list[tuple[str, int]]:
    """Package modules imported by *name* (anywhere in it, lazy imports included), with lines."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(name, path.name == "__init__.py", node)
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name:
                out.append((target, node.lineno))
    return out


def _entries() -> set[str]:
    """The package's folders and loose modules, as the doc names them."""
    folders = {f"coopanalysis/{p.name}/" for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    loose = {f"coopanalysis/{p.name}" for p in PACKAGE.glob("*.py")}
    return folders | loose


def test_every_folder_and_loose_module_is_in_the_architecture_doc():
    text = ARCHITECTURE.read_text(encoding="utf-8")
    table = text.split("## Layers", 1)[1].split("##", 1)[0]
    listed = set(re.findall(r"\| `(coopanalysis/[\w/.]+)` \|", table))
    assert sorted(_entries() - listed) == [], "folders or modules missing from docs/architecture.md"
    assert sorted(listed - _entries()) == [], "docs/architecture.md lists folders or modules that do not exist"


def test_folders_show_the_layers():
    """At most four modules loose at the package root (issue 22): the rest live in layer folders."""
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(loose) <= 4, loose


def top_level_dependencies() -> str:
    """``a -> b, c`` lines between top-level modules/subpackages (run this file to print them)."""
    edges: dict[str, set[str]] = {}
    for name in MODULES:
        src = ".".join(name.split(".")[:2])
        for target, _ in imports_of(name):
            dst = ".".join(target.split(".")[:2])
            if dst != src and dst != "coopanalysis":
                edges.setdefault(src, set()).add(dst)
    short = lambda n: n.removeprefix("coopanalysis.")  # noqa: E731
    return "\n".join(f"{short(k)} -> {', '.join(sorted(short(x) for x in edges[k]))}" for k in sorted(edges))


def test_architecture_doc_states_the_real_dependencies():
    text = ARCHITECTURE.read_text(encoding="utf-8")
    section = text.split("## Dependencies between top-level modules", 1)[1]
    block = section.split("```", 2)[1].strip()
    assert block == top_level_dependencies(), "update docs/architecture.md: python tests/test_architecture.py"


def test_imports_form_a_dag():
    """No cycle between modules (a package's __init__ re-exporting its submodules is the only
    edge allowed back up: a submodule never imports its own package's __init__)."""
    graph = {name: {t for t, _ in imports_of(name)} for name in MODULES}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if MODULES[node].name == "__init__.py" and target.startswith(node + "."):
                continue
            if state.get(target) == 1:
                cycles.append(stack[stack.index(target):] + [target] if target in stack else [node, target])
            elif target not in state:
                visit(target, stack + [target])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_no_private_cross_module_access():
    """Neither ``from x import _y`` nor ``x._y`` on an imported module, across modules."""
    offenders = []
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules_bound: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                base = _resolve(name, path.name == "__init__.py", node)
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    if full in MODULES:
                        modules_bound.add(alias.asname or alias.name)
                    elif alias.name.startswith("_") and not alias.name.startswith("__") and base != name:
                        offenders.append(f"{name}:{node.lineno} imports {base}.{alias.name}")
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    modules_bound.add((alias.asname or alias.name).split(".")[0])
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in modules_bound and node.attr.startswith("_")
                    and not node.attr.startswith("__")):
                offenders.append(f"{name}:{node.lineno} uses {node.value.id}.{node.attr}")
    assert offenders == []


def test_ruff_is_clean():
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(ruff).exists():
        pytest.fail("ruff is not installed (it is in the test extra of pyproject.toml)")
    result = subprocess.run([ruff, "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-1000:]


if __name__ == "__main__":
    print(top_level_dependencies())
