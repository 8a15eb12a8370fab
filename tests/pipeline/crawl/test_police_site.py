"""End to end on a polisen.se look-alike: län feeds and standing medborgarlöfte pages on 127.0.0.1.

The shipped police registry (its article patterns included) is pointed at the test site, each source is
crawled with the real crawler, the archive is processed with the real pipeline (``pipeline.run.jobs``,
no Prefect) into Parquet, and the tables are read back with pandas. The site's manifest says which
items are relevant: the HARD NEGATIVES (crime news naming a kommun, some with "samverkan" or
"trygghet" in passing) must not be, every positive must be, and a positive's kommuner come from its
text (a police source has no kommun of its own).
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pipeline.config import Paths, resolve_data_dir
from pipeline.crawl import runner
from pipeline.crawl.sources import DATA_DIR, load_sources
from pipeline.run import jobs
from pipeline.tables.store import Store
from pipeline.urls import canonicalize
from tests.support.server import SITES_DIR, SiteServer

SITE = SITES_DIR / "polisen"
MANIFEST: dict[str, Any] = json.loads((SITE / "manifest.json").read_text(encoding="utf-8"))
SHIPPED = DATA_DIR / "sources" / "polisen.toml"
REAL_HOST = "https://polisen.se"


def _registry(base: str, target: Path) -> Path:
    """The shipped police sources whose feeds the test site has, plus the medborgarlöfte listing,
    with polisen.se replaced by the test server (patterns kept as shipped)."""
    wanted = set(MANIFEST["feeds"]) | {MANIFEST["listing"]}
    entries = []
    for raw in tomllib.loads(SHIPPED.read_text(encoding="utf-8"))["source"]:
        paths = [u.removeprefix(REAL_HOST) for u in raw["start_urls"]]
        if not set(paths) & wanted:
            continue
        starts = ", ".join(json.dumps(base + p) for p in paths)
        entries.append(
            f'[[source]]\nid = "{raw["id"]}"\nname = "{raw["name"]}"\nkind = "{raw["kind"]}"\n'
            f"start_urls = [{starts}]\narticle_pattern = {json.dumps(raw['article_pattern'])}\nrate_per_s = 50\n"
        )
    target.write_text("\n".join(entries), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def police_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    paths: Paths = resolve_data_dir(tmp_path_factory.mktemp("data")).ensure()
    with SiteServer(SITE) as srv:
        registry = _registry(srv.base, paths.state / "polisen_test.toml")
        sources = load_sources(registry)
        reports = [runner.crawl_one(s.id, registry, paths) for s in sources]
        requested = [r.path for r in srv.log]
        base = srv.base
    pending = jobs.pending_raw_ids(paths, set())
    staged = jobs.process_raw_batch(paths, pending, source_kommun={s.id: s.kommun for s in sources})
    store = Store(paths.processed)
    with store.lock():
        jobs.commit_staged(store, [staged])
    tables = {t: pd.read_parquet(paths.processed / t) for t in ("articles", "mentions", "collaboration_parties")}
    return {"sources": sources, "reports": reports, "requested": requested, "base": base, "t": tables,
            "errors": staged.errors}


def _rows_by_path(run: dict[str, Any]) -> dict[str, pd.Series]:
    arts = run["t"]["articles"]
    return {item["path"]: arts[arts["canonical_url"] == canonicalize(run["base"] + item["path"])].iloc[0]
            for item in MANIFEST["items"] if (arts["canonical_url"] == canonicalize(run["base"] + item["path"])).any()}


def test_the_site_has_hard_negatives_and_positives() -> None:
    items = MANIFEST["items"]
    negatives = [i for i in items if not i["is_relevant"]]
    assert len(negatives) >= 12 and len(items) - len(negatives) >= 6
    assert len({i["topic"] for i in negatives}) >= 10  # burglary, seizure, fraud, traffic, bike theft, arrest, fire …
    assert any(i["path"].split("/")[3].isdigit() for i in items)  # older news: /aktuellt/nyheter/<yyyy>/…
    assert all(i["kommuner"] for i in items)  # every item names a kommun in its text


def test_every_item_is_crawled_and_nothing_else_is_stored(police_run: dict[str, Any]) -> None:
    for rep in police_run["reports"]:
        assert rep["n_failed"] == 0, rep["errors"]
    assert police_run["errors"] == []
    rows = _rows_by_path(police_run)
    missing = [i["path"] for i in MANIFEST["items"] if i["path"] not in rows]
    assert not missing, f"not crawled: {missing}"
    arts = police_run["t"]["articles"]
    assert len(arts) == len(MANIFEST["items"])  # the listing and the feeds are never articles
    listing = canonicalize(police_run["base"] + MANIFEST["listing"])
    assert listing not in set(arts["canonical_url"])
    # the län filter links of the listing are not followed; each article page is fetched once
    assert not any("lpfm.loc" in p for p in police_run["requested"])
    article_paths = [p for p in police_run["requested"] if p in {i["path"] for i in MANIFEST["items"]}]
    assert len(article_paths) == len(set(article_paths)) == len(MANIFEST["items"])
    standing = {i["path"] for i in MANIFEST["items"] if i["kind"] == "medborgarlofte"}
    by_source = dict(zip(arts["canonical_url"], arts["source_id"], strict=True))
    for path in standing:
        assert by_source[canonicalize(police_run["base"] + path)] == "polisen-medborgarloften"


def test_no_hard_negative_is_relevant_and_every_positive_is(police_run: dict[str, Any]) -> None:
    rows = _rows_by_path(police_run)
    wrong = [(i["path"], i["is_relevant"], float(rows[i["path"]]["relevance_score"]))
             for i in MANIFEST["items"] if bool(rows[i["path"]]["is_relevant"]) != i["is_relevant"]]
    assert not wrong, f"relevance differs from the manifest (path, expected, score): {wrong}"
    t = police_run["t"]
    for item in MANIFEST["items"]:
        if not item["is_relevant"]:
            aid = rows[item["path"]]["article_id"]
            assert not (t["mentions"]["article_id"] == aid).any(), f"{item['path']}: an irrelevant article has mentions"


def test_kommun_comes_from_the_text(police_run: dict[str, Any]) -> None:
    rows = _rows_by_path(police_run)
    t = police_run["t"]
    mentions = t["mentions"][t["mentions"]["label"] == "KOMMUN"]
    parties = t["collaboration_parties"][t["collaboration_parties"]["party_kind"] == "kommun"]
    assert all(s.kommun is None for s in police_run["sources"])  # the publisher gives no kommun
    for item in MANIFEST["items"]:
        if not item["is_relevant"]:
            continue
        aid = rows[item["path"]]["article_id"]
        found = set(mentions[mentions["article_id"] == aid]["norm_id"])
        assert found == set(item["kommuner"]), f"{item['path']}: kommuner {sorted(found)} != {item['kommuner']}"
        coded = set(parties[parties["article_id"] == aid]["party_id"])
        assert coded and coded <= set(item["kommuner"]), f"{item['path']}: kommun parties {sorted(coded)}"
