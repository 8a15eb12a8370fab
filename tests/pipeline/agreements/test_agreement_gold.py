"""The cluster gold (tests/gold/agreements) through the real NLP and the resolution: a gate at the measured score."""

from __future__ import annotations

from pathlib import Path

from pipeline.agreements.gold import evaluate_clusters, is_cluster_gold, load_cluster_gold

GOLD = Path(__file__).resolve().parents[2] / "gold" / "agreements"


def test_gold_format_has_clusters_renewals_and_lookalikes() -> None:
    worlds = load_cluster_gold(GOLD)
    assert is_cluster_gold(GOLD) and len(worlds) >= 10
    sizes = [sum(1 for r in w["reports"] if r["agreement"] == letter) for w in worlds for letter in {r["agreement"] for r in w["reports"]}]
    assert max(sizes) >= 3 and sum(1 for w in worlds if w.get("renews")) >= 4
    for w in worlds:  # every report of a cluster of 2+ comes from another publisher
        for letter in {r["agreement"] for r in w["reports"]}:
            sources = [r["source_id"] for r in w["reports"] if r["agreement"] == letter]
            assert len(sources) <= 1 or len(set(sources)) >= 2, (w["id"], letter)


def test_pairwise_precision_and_recall_at_the_measured_level() -> None:
    report = evaluate_clusters(GOLD)
    assert report.n_reports >= 37
    # measured 2026-12-02: pairwise P = R = 1.000 (22 pairs, 37 reports), renewals P = R = 1.000 (4 links)
    assert report.pairs.precision >= 0.95 and report.pairs.recall >= 0.95, report.render()
    assert report.renewals.precision >= 0.95 and report.renewals.recall >= 0.95, report.render()
