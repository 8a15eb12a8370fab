"""Reprocessing after a nightly run on the demo sites: one article (fast path CLI) and the whole archive offline."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.compute as pc
import pytest

from pipeline.config import resolve_data_dir
from pipeline.demo import SITES_ROOT, render_demo_registry
from pipeline.demo.server import DemoServer
from pipeline.run.reprocess import _fact_strings
from pipeline.tables.schemas import ARTICLE_TABLES
from pipeline.tables.store import Store
from tests.flows.support import assert_same_tables, cli_env, read_article_tables, samverkan, sort_frame

pytestmark = pytest.mark.slow  # runs the nightly flow, then reprocess flows in subprocesses


@pytest.fixture(scope="module")
def nightly_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir after one nightly run on the demo sites; the demo server is stopped afterwards."""
    os.environ.pop("PREFECT_API_URL", None)
    os.environ["PREFECT_HOME"] = str(tmp_path_factory.mktemp("prefect-home"))
    from flows.nightly import nightly

    data = tmp_path_factory.mktemp("nightly")
    paths = resolve_data_dir(data).ensure()
    with DemoServer(SITES_ROOT) as server:
        registry = render_demo_registry(server.base_urls, paths.state / "demo_sources.toml")
        summary = nightly(sources=str(registry), data_dir=str(data), flow_label="demo", since="all")
    assert summary["status"] == "completed" and summary["n_relevant"] > 0
    return data


def _copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def _rows(store: Store, table: str, article_id: str) -> list[dict[str, Any]]:
    data = store.read_arrow(table)
    return data.filter(pc.equal(data["article_id"], article_id)).to_pylist()


def _pick_article(tables: dict[str, pd.DataFrame]) -> pd.Series:
    """A relevant article with priority areas and dates (so the alteration touches several tables)."""
    ids = set(tables["priority_areas"]["article_id"]) & set(tables["dates"]["article_id"])
    arts = tables["articles"][tables["articles"]["article_id"].isin(ids)].sort_values("article_id")
    assert len(arts), "the demo should yield a relevant article with priority areas and dates"
    return arts.iloc[0]


def test_reprocess_url_restores_exactly_that_article_and_reports_the_facts(nightly_dir: Path, tmp_path: Path) -> None:
    data = _copy(nightly_dir, tmp_path / "data")
    processed = data / "processed"
    nightly_tables = read_article_tables(processed)
    art = _pick_article(nightly_tables)
    aid = art["article_id"]

    # Simulate an older rule set: this article lost its priority areas and one date had another text.
    store = Store(processed)
    rows = {t: _rows(store, t, aid) for t in ARTICLE_TABLES}
    dropped_areas = rows["priority_areas"]
    original_date = dict(rows["dates"][0])
    rows["priority_areas"] = []
    rows["dates"][0]["text"] = "en gammal regel"
    store.replace_articles(rows)
    altered = read_article_tables(processed)
    assert len(altered["priority_areas"]) == len(nightly_tables["priority_areas"]) - len(dropped_areas)

    res = samverkan("reprocess", art["url"], "--data-dir", str(data), env=cli_env(), timeout=120)
    assert res.returncode == 0, res.stderr
    after = read_article_tables(processed)
    # every table back to the nightly state: same row counts, the same rows
    assert_same_tables(after, nightly_tables)
    # other articles' rows untouched by the reprocess
    for table in ARTICLE_TABLES:
        others_before = altered[table][altered[table]["article_id"] != aid]
        others_after = after[table][after[table]["article_id"] != aid]
        pd.testing.assert_frame_equal(sort_frame(others_before), sort_frame(others_after), obj=table)

    expected_added = _fact_strings("priority_areas", dropped_areas) | _fact_strings("dates", [original_date])
    expected_removed = _fact_strings("dates", [rows["dates"][0]])
    lines = res.stdout.splitlines()
    assert lines[0].startswith(f"article {aid} ({art['url']}): {len(expected_added)} facts added, 1 removed")
    assert {ln[4:] for ln in lines if ln.startswith("  + ")} == expected_added
    assert {ln[4:] for ln in lines if ln.startswith("  - ")} == expected_removed


def test_reprocess_by_id_and_unknown_refs(nightly_dir: Path, tmp_path: Path) -> None:
    data = _copy(nightly_dir, tmp_path / "data")
    before = read_article_tables(data / "processed")
    aid = _pick_article(before)["article_id"]
    env = cli_env()

    res = samverkan("reprocess", aid, "--data-dir", str(data), env=env, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines()[0].endswith(": 0 facts added, 0 removed")
    assert_same_tables(read_article_tables(data / "processed"), before)

    for ref in ("http://127.0.0.1:9/nyheter/finns-inte/", "a_0000000000000000"):
        res = samverkan("reprocess", ref, "--data-dir", str(data), env=env, timeout=120)
        assert res.returncode == 2
        assert res.stderr.startswith(f"samverkan reprocess: {ref}: no ") and "Traceback" not in res.stderr
        assert len(res.stderr.strip().splitlines()) == 1


def test_reprocess_all_offline_equals_nightly(nightly_dir: Path, tmp_path: Path) -> None:
    data = _copy(nightly_dir, tmp_path / "data")
    before = read_article_tables(data / "processed")
    # the demo server is stopped: any network access would fail the run
    res = samverkan("reprocess", "--all", "--data-dir", str(data), env=cli_env(PREFECT_API_URL=None), timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    assert '"errors": []' in res.stdout
    assert_same_tables(read_article_tables(data / "processed"), before)


def test_reprocess_all_on_two_worker_processes_equals_single_process(nightly_dir: Path, tmp_path: Path) -> None:
    data = _copy(nightly_dir, tmp_path / "data")
    before = read_article_tables(data / "processed")
    res = samverkan("reprocess", "--all", "--n-process", "2", "--batch-size", "4", "--data-dir", str(data),
                    env=cli_env(PREFECT_API_URL=None), timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    assert '"errors": []' in res.stdout
    assert_same_tables(read_article_tables(data / "processed"), before)
