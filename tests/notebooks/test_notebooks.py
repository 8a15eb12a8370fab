"""Execute every notebook top to bottom against a data directory (fixture data, and an empty corpus).

Set ``SAMVERKAN_NOTEBOOK_DATA_DIR`` to also run them against another data directory, e.g. the
output of ``samverkan demo``.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from pipeline.config import REPO_DIR

NOTEBOOK_DIR = REPO_DIR / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
KERNEL = "samverkan-test-python3"


@pytest.fixture
def kernel_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A kernelspec for the current interpreter in a temporary JUPYTER_PATH; jupyter state kept in tmp."""
    spec = tmp_path / "jupyter" / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "samverkan test", "language": "python",
    }))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "mpl"))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(REPO_DIR), os.environ.get("PYTHONPATH", "")]))
    return KERNEL


def run_notebook(path: Path, data_dir: Path, kernel: str, monkeypatch: pytest.MonkeyPatch) -> nbformat.NotebookNode:
    monkeypatch.setenv("SAMVERKAN_DATA_DIR", str(data_dir))
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name=kernel, resources={"metadata": {"path": str(NOTEBOOK_DIR)}})
    client.execute()  # raises CellExecutionError naming the cell on any error
    return nb


def images(nb: nbformat.NotebookNode) -> int:
    return sum("image/png" in out.get("data", {}) for cell in nb.cells if cell.cell_type == "code"
               for out in cell.get("outputs", []))


def text_output(nb: nbformat.NotebookNode) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", "") + out.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


def test_notebooks_are_named_and_committed_without_outputs() -> None:
    assert [p.name for p in NOTEBOOKS] == [
        "1.0-corpus-overview.ipynb", "2.0-priority-areas-over-time.ipynb", "3.0-collaboration-network.ipynb",
        "4.0-agreements-map.ipynb"]
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, f"{path.name} has outputs: clear them"
        assert "SAMVERKAN_DATA_DIR" in "".join(c.source for c in nb.cells), path.name


# fixture: the shared processed_fixture; tiny: articles and kommuner only (no facts at all);
# empty: processed/ exists but holds no table yet;
# other: SAMVERKAN_NOTEBOOK_DATA_DIR (e.g. the output of `samverkan demo`), only when set.
DATA_KINDS = ["fixture", "tiny", "empty"] + (["other"] if os.environ.get("SAMVERKAN_NOTEBOOK_DATA_DIR") else [])


@pytest.mark.slow
@pytest.mark.parametrize("kind", DATA_KINDS)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(path: Path, kind: str, processed_fixture: Path, tmp_path: Path,
                                     kernel_env: str, monkeypatch: pytest.MonkeyPatch,
                                     processed_writer: Callable[..., Path]) -> None:
    if kind == "fixture":
        data_dir = processed_fixture
    elif kind == "tiny":
        data_dir = processed_writer(tmp_path / "tiny", tables=("articles", "kommuner"))
    elif kind == "empty":
        data_dir = processed_writer(tmp_path / "empty", tables=())
    else:
        data_dir = Path(os.environ["SAMVERKAN_NOTEBOOK_DATA_DIR"])
    nb = run_notebook(path, data_dir, kernel_env, monkeypatch)
    assert images(nb) >= 1, f"{path.name} drew no figure"
    out = text_output(nb)
    assert str(data_dir) in out
    if kind != "fixture":
        return
    assert "in this corpus yet" not in out  # every plot had data
    if path.name.startswith("2.0"):
        # the one-liner's answer is the last output
        assert "'Lerum'" in out and "'Borås'" in out and "Mölndal" not in out.split("array(")[-1]
    if path.name.startswith("3.0"):
        assert "8 parties, 9 links, 5 collaborations" in out
