"""The notebooks run top to bottom on the output of a fresh demo run (real sites → flow → Parquet)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.notebooks.test_notebooks import NOTEBOOKS, images, kernel_env, run_notebook  # noqa: F401 - fixture

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    os.environ.pop("PREFECT_API_URL", None)
    os.environ["PREFECT_HOME"] = str(tmp_path_factory.mktemp("prefect-home"))
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "300")
    from flows.nightly import nightly
    from pipeline.config import resolve_data_dir
    from pipeline.demo import DemoServer, render_demo_registry

    data = tmp_path_factory.mktemp("demo-data")
    paths = resolve_data_dir(data).ensure()
    with DemoServer() as server:
        registry = render_demo_registry(server.base_urls, paths.state / "demo_sources.toml")
        summary = nightly(sources=str(registry), data_dir=str(data), flow_label="demo", since="all")
    assert summary["n_articles"] == 22
    return data


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_on_fresh_demo_output(
    path: Path, demo_data_dir: Path, kernel_env: str, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    nb = run_notebook(path, demo_data_dir, kernel_env, monkeypatch)
    assert images(nb) >= 1, f"{path.name} drew no figure on the demo output"
