"""The shape of the code: the core never reaches up into the views or into Streamlit, its
import graph has no cycle, and no module or function of the core outgrows a reader."""

import ast
from pathlib import Path

import networkx as nx

from tests.conftest import ROOT

LIB = ROOT / "lib"
CORE_MODULE_LINES = 500
CORE_FUNCTION_LINES = 80


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, modules: set[str] = frozenset()) -> set[str]:
    """Every module this file imports, at the top or inside a function; `from package import
    module` counts as importing the module, not the package's own names."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            submodules = {f"{node.module}.{alias.name}" for alias in node.names}
            found.update(submodules & set(modules))
            if submodules - set(modules):
                found.add(node.module)
    return found


def core_graph() -> nx.DiGraph:
    modules = {module_name(p): p for p in LIB.rglob("*.py")}
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        for target in imports_of(path, set(modules)):
            if target in modules and target != name:
                graph.add_edge(name, target)
    return graph


def test_the_core_never_imports_streamlit_or_the_views():
    for path in LIB.rglob("*.py"):
        reached = imports_of(path)
        assert not {m for m in reached if m == "streamlit" or m.startswith("streamlit.")}, path
        assert not {m for m in reached if m == "pages" or m.startswith("pages.")}, path


def test_the_core_import_graph_has_no_cycle():
    cycles = list(nx.simple_cycles(core_graph()))
    assert cycles == []


def test_no_core_module_or_function_outgrows_a_reader():
    too_long = []
    for path in LIB.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) > CORE_MODULE_LINES:
            too_long.append(f"{path.relative_to(ROOT)}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > CORE_FUNCTION_LINES:
                    too_long.append(f"{path.relative_to(ROOT)}:{node.name}: {length} lines")
    assert too_long == []


def test_no_view_module_or_function_outgrows_a_reader():
    """The views keep the same bar: a page arranges its sections, each section is a module."""
    too_long = []
    for path in [ROOT / "app.py", *(ROOT / "pages").rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) > CORE_MODULE_LINES:
            too_long.append(f"{path.relative_to(ROOT)}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > CORE_FUNCTION_LINES:
                    too_long.append(f"{path.relative_to(ROOT)}:{node.name}: {length} lines")
    assert too_long == []
