"""End to end: real HTTP servers on 127.0.0.1 → the nightly flow → Parquet read back and checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline.config import resolve_data_dir
from pipeline.demo import SITES_ROOT, load_expected, render_demo_registry
from pipeline.demo.server import DemoServer
from pipeline.tables.schemas import SCHEMA_VERSION, SCHEMAS
from pipeline.urls import canonicalize

pytestmark = pytest.mark.slow  # runs the nightly flow twice over the demo sites

EXPECTED = load_expected()
ARTICLE_TABLES = ["articles", "collaborations", "collaboration_parties", "priority_areas", "people", "dates", "mentions"]


def read_all(processed: Path) -> dict[str, pd.DataFrame]:
    return {t: pd.read_parquet(processed / t) for t in SCHEMAS}


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    import os

    os.environ.pop("PREFECT_API_URL", None)
    os.environ["PREFECT_HOME"] = str(tmp_path_factory.mktemp("prefect-home"))
    from flows.nightly import nightly

    data = tmp_path_factory.mktemp("data")
    paths = resolve_data_dir(data).ensure()
    with DemoServer(SITES_ROOT) as server:
        registry = render_demo_registry(server.base_urls, paths.state / "demo_sources.toml")
        first = nightly(sources=str(registry), data_dir=str(data), flow_label="demo", since="all")
        tables_1 = read_all(paths.processed)
        log_1 = server.requests()
        second = nightly(sources=str(registry), data_dir=str(data), flow_label="demo", since="all")
        tables_2 = read_all(paths.processed)
        log_2 = server.requests()[len(log_1):]
        base_urls = dict(server.base_urls)
    return {"paths": paths, "first": first, "second": second, "t1": tables_1, "t2": tables_2,
            "log1": log_1, "log2": log_2, "base_urls": base_urls}


def _article_rows(run: dict[str, Any]) -> dict[str, pd.Series]:
    arts = run["t1"]["articles"]
    by_url: dict[str, pd.Series] = {}
    for _, row in arts.iterrows():
        by_url[row["canonical_url"]] = row
    return by_url


def _expected_url(run: dict[str, Any], item: dict[str, Any]) -> str:
    return canonicalize(run["base_urls"][item["site"]] + item["path"])


def test_every_table_written_with_schema_version(demo_run: dict[str, Any]) -> None:
    processed = demo_run["paths"].processed
    for table in SCHEMAS:
        folder = processed / table
        files = sorted(folder.glob("*.parquet"))
        assert files, f"no parquet files for {table}"
        meta = pq.read_schema(files[0]).metadata
        assert meta[b"schema_version"].decode() == SCHEMA_VERSION
        assert list(demo_run["t1"][table].columns) == SCHEMAS[table].names
    assert len(demo_run["t1"]["kommuner"]) == 290


def test_all_demo_articles_fetched_and_nothing_forbidden(demo_run: dict[str, Any]) -> None:
    by_url = _article_rows(demo_run)
    for item in EXPECTED["articles"]:
        assert _expected_url(demo_run, item) in by_url, f"article {item['path']} missing"
    assert len(by_url) == len(EXPECTED["articles"])
    requested = {entry.path for entry in demo_run["log1"]}
    for paths in EXPECTED["not_to_fetch"].values():
        for path in paths:
            assert path not in requested, f"robots-disallowed {path} was requested"


def test_collaboration_articles_have_parties_and_areas(demo_run: dict[str, Any]) -> None:
    t = demo_run["t1"]
    by_url = _article_rows(demo_run)
    for item in EXPECTED["articles"]:
        row = by_url[_expected_url(demo_run, item)]
        aid = row["article_id"]
        colls = t["collaborations"][t["collaborations"]["article_id"] == aid]
        if item["is_collaboration"]:
            assert bool(row["is_relevant"]), f"{item['path']} should be relevant"
            assert len(colls) >= 1, f"{item['path']}: no collaboration"
            exp = item["collaboration"]
            assert exp["type"] in set(colls["type"]), f"{item['path']}: types {set(colls['type'])}"
            parties = set(t["collaboration_parties"][t["collaboration_parties"]["article_id"] == aid]["party_id"])
            assert set(exp["parties"]) <= parties, f"{item['path']}: parties {parties}"
            areas = t["priority_areas"][t["priority_areas"]["article_id"] == aid]
            assert len(areas) >= 1, f"{item['path']}: no priority areas"
            assert areas["collaboration_id"].notna().any()
        elif not item["is_relevant"]:
            assert not bool(row["is_relevant"]), f"{item['path']} should not be relevant"
            for table in ARTICLE_TABLES[1:]:
                assert (t[table]["article_id"] == aid).sum() == 0, f"{item['path']} has rows in {table}"


def test_evidence_offsets_point_into_text(demo_run: dict[str, Any]) -> None:
    t = demo_run["t1"]
    texts = dict(zip(t["articles"]["article_id"], t["articles"]["text"], strict=True))
    for _, c in t["collaborations"].iterrows():
        assert texts[c["article_id"]][c["start_char"] : c["end_char"]] == c["evidence"]
    for _, m in t["mentions"].iterrows():
        assert texts[m["article_id"]][m["start_char"] : m["end_char"]] == m["text"]
    for _, a in t["priority_areas"].iterrows():
        assert texts[a["article_id"]][a["start_char"] : a["end_char"]] == a["text"]


def test_second_run_changes_no_row_count_and_fetches_no_article(demo_run: dict[str, Any]) -> None:
    for table in ARTICLE_TABLES + ["kommuner"]:
        assert len(demo_run["t2"][table]) == len(demo_run["t1"][table]), table
    article_paths = {item["path"] for item in EXPECTED["articles"]}
    refetched = [e for e in demo_run["log2"] if e.path in article_paths and e.status == 200]
    assert refetched == []
    assert demo_run["second"]["n_fetched"] == 0


def test_runs_table_has_a_row_per_source_and_run(demo_run: dict[str, Any]) -> None:
    runs = demo_run["t2"]["runs"]
    sources = {s["source_id"] for s in EXPECTED["sites"].values()}
    assert set(runs["source_id"].dropna()) == sources
    assert runs["run_id"].nunique() == 2
    summary = runs[runs["source_id"].isna()]
    assert len(summary) == 2 and (summary["status"] == "completed").all()
    assert int(summary.iloc[0]["n_articles"]) == len(EXPECTED["articles"])
