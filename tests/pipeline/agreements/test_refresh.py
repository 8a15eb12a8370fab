"""refresh_agreements: derived tables written atomically, idempotent, ids stable across commits and rebuilds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.agreements import refresh_agreements
from pipeline.tables.store import Store


def article(aid: str, published: dt.date, source: str, kommun: str, agency: str, start: dt.date | None = None,
            end: dt.date | None = None, type_: str = "samverkansoverenskommelse") -> dict[str, list[dict[str, Any]]]:
    cid = f"{aid}-c1"
    return {
        "articles": [{"article_id": aid, "source_id": source, "published": published, "text": "x", "is_relevant": True}],
        "collaborations": [{"collaboration_id": cid, "article_id": aid, "type": type_, "period_start": start, "period_end": end}],
        "collaboration_parties": [
            {"collaboration_id": cid, "article_id": aid, "party_kind": "kommun", "party_id": kommun, "party_name": kommun},
            {"collaboration_id": cid, "article_id": aid, "party_kind": "myndighet", "party_id": agency, "party_name": agency},
        ],
    }


def merge(*parts: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for p in parts:
        for k, v in p.items():
            out.setdefault(k, []).extend(v)
    return out


D = dt.date
A1 = article("a1", D(2024, 3, 5), "kommun", "1489", "polismyndigheten", D(2024, 1, 1), D(2027, 12, 31))
A2 = article("a2", D(2024, 3, 7), "tidning", "1489", "lokalpolisen")  # alias of polismyndigheten, no period
A3 = article("a3", D(2024, 4, 2), "kommun", "1489", "skatteverket", D(2024, 1, 1), D(2026, 12, 31))
A4 = article("a4", D(2028, 1, 9), "kommun", "1489", "polismyndigheten", D(2028, 1, 1), D(2031, 12, 31))


def ids(root: Path) -> dict[str, str]:
    ev = pd.read_parquet(root / "agreement_evidence")
    return dict(zip(ev.collaboration_id, ev.agreement_id, strict=True))


def test_refresh_writes_all_three_tables_and_is_idempotent(tmp_path: Path) -> None:
    store = Store(tmp_path / "processed")
    store.replace_articles(merge(A1, A2, A3, A4))
    first = refresh_agreements(store)
    assert first.written and first.n_agreements == 3 and first.n_collaborations == 4
    ags = pd.read_parquet(tmp_path / "processed" / "agreements")
    parties = pd.read_parquet(tmp_path / "processed" / "agreement_parties")
    by = ids(tmp_path / "processed")
    assert by["a1-c1"] == by["a2-c1"] != by["a3-c1"]
    assert ags.set_index("agreement_id").loc[by["a4-c1"], "renews"] == by["a1-c1"]
    assert set(parties[parties.agreement_id == by["a2-c1"]].party_id) == {"1489", "polismyndigheten"}  # alias resolved
    files = sorted(p.stat().st_mtime_ns for p in (tmp_path / "processed" / "agreements").glob("*.parquet"))
    assert refresh_agreements(store).written is False  # nothing changed: nothing rewritten
    assert sorted(p.stat().st_mtime_ns for p in (tmp_path / "processed" / "agreements").glob("*.parquet")) == files


def test_ids_stable_across_incremental_commits_reprocessing_and_rebuild(tmp_path: Path) -> None:
    inc = Store(tmp_path / "inc" / "processed")
    for part in (A1, A3, A4, A2):  # nightly: articles arrive one by one
        inc.replace_articles(part)
        refresh_agreements(inc)
    incremental = ids(tmp_path / "inc" / "processed")
    # reprocess a3 with another period: the other agreements keep their ids
    inc.replace_articles(article("a3", D(2024, 4, 2), "kommun", "1489", "skatteverket", D(2025, 1, 1), D(2026, 12, 31)))
    refresh_agreements(inc)
    after = ids(tmp_path / "inc" / "processed")
    assert {k: v for k, v in after.items() if k != "a3-c1"} == {k: v for k, v in incremental.items() if k != "a3-c1"}
    # a full rebuild from scratch gives the same ids as the incremental path
    full = Store(tmp_path / "full" / "processed")
    full.rebuild([merge(A4, A2), merge(A1, A3)])
    refresh_agreements(full)
    assert ids(tmp_path / "full" / "processed") == incremental
