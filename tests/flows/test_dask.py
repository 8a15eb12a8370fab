"""reprocess_archive on a 2-worker Dask LocalCluster gives exactly the tables of the single-process run."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from pipeline.config import resolve_data_dir
from pipeline.demo import SITES_ROOT, render_demo_registry
from pipeline.demo.server import DemoServer
from tests.flows.support import assert_same_tables, read_article_tables


@pytest.mark.slow
def test_dask_local_cluster_equals_single_process(tmp_path: Path) -> None:
    os.environ.pop("PREFECT_API_URL", None)
    from flows.nightly import nightly
    from flows.reprocess import reprocess_archive

    data = resolve_data_dir(tmp_path / "nightly").ensure()
    with DemoServer(SITES_ROOT) as server:
        registry = render_demo_registry(server.base_urls, data.state / "demo_sources.toml")
        nightly(sources=str(registry), data_dir=str(data.root), batch_size=4, flow_label="demo", since="all")
    nightly_tables = read_article_tables(data.processed)

    single, dask = tmp_path / "single", tmp_path / "dask"
    shutil.copytree(data.root, single)
    shutil.copytree(data.root, dask)
    s1 = reprocess_archive(data_dir=str(single), batch_size=4)
    s2 = reprocess_archive(data_dir=str(dask), batch_size=4, dask_address="local")
    assert s1["errors"] == [] and s2["errors"] == []
    assert s1["articles"] == s2["articles"] == len(nightly_tables["articles"])
    assert_same_tables(read_article_tables(dask / "processed"), read_article_tables(single / "processed"))
    assert_same_tables(read_article_tables(single / "processed"), nightly_tables)
