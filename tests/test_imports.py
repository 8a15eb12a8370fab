"""The import graph of ``pipeline/``, built with ``ast`` (imports inside functions included).

* no cycles: a module never (indirectly) imports itself, at module level or in a function;
* ``pipeline/`` never imports Prefect or ``flows`` (the library is free of orchestration).

Imports under ``if TYPE_CHECKING:`` never run and are left out of the graph.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "pipeline"
FORBIDDEN = ("prefect", "prefect_dask", "flows")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imported_names(path: Path, name: str) -> set[str]:
    """Every module ``name`` (file ``path``) imports, anywhere in the file but under TYPE_CHECKING.

    Importing ``pkg.mod`` also runs ``pkg/__init__.py``; that implicit edge is left out (else
    every package would be a cycle with its own modules).
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:  # `from pkg import module` names the module; `from mod import name` the module
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def import_graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    for name, path in MODULES.items():
        graph.add_node(name)
        for target in imported_names(path, name):
            if target in MODULES and target != name:
                graph.add_edge(name, target)
    return graph


def test_the_graph_sees_function_level_imports() -> None:
    graph = import_graph()
    assert len(MODULES) > 40
    # pipeline.run.reprocess imports pipeline.nlp only inside reprocess_one (it is slow to import)
    assert graph.has_edge("pipeline.run.reprocess", "pipeline.nlp")
    assert graph.has_edge("pipeline.tables.store", "pipeline.tables.schemas")  # `from pipeline.tables import schemas`


def test_no_import_cycles_in_pipeline() -> None:
    cycles = sorted(" -> ".join([*c, c[0]]) for c in nx.simple_cycles(import_graph()))
    assert not cycles, "import cycles (break them by moving code where it belongs):\n" + "\n".join(cycles)


def test_pipeline_never_imports_prefect_or_flows() -> None:
    offenders = {
        name: sorted(t for t in imported_names(path, name) if t.split(".")[0] in FORBIDDEN)
        for name, path in MODULES.items()
    }
    assert not {k: v for k, v in offenders.items() if v}
