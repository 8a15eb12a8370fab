"""Agreements on the demo output: a second report joins, a renewal links, ids survive reprocessing (issue 17)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from tests.flows.support import cli_env, samverkan
from tests.flows.test_reprocess import nightly_dir  # noqa: F401 - module fixture: one nightly run on the demo sites

TABLES = ("agreements", "agreement_parties", "agreement_evidence")


def read(data: Path) -> dict[str, pd.DataFrame]:
    return {t: pd.read_parquet(data / "processed" / t).sort_values(list(pd.read_parquet(data / "processed" / t).columns[:3]))
            .reset_index(drop=True) for t in TABLES}


def alingsas(tables: dict[str, pd.DataFrame], type_: str) -> pd.DataFrame:
    p = tables["agreement_parties"]
    ids = set(p[(p.party_id == "1489")].agreement_id)
    ags = tables["agreements"]
    return ags[ags.agreement_id.isin(ids) & (ags.type == type_)].sort_values("period_start")


def test_demo_agreements_second_report_and_renewal(nightly_dir: Path) -> None:  # noqa: F811
    t = read(nightly_dir)
    collabs = pd.read_parquet(nightly_dir / "processed" / "collaborations")
    ev = t["agreement_evidence"]
    assert sorted(ev.collaboration_id) == sorted(collabs.collaboration_id)  # each collaboration in exactly one agreement
    soe = alingsas(t, "samverkansoverenskommelse")
    assert len(soe) == 1 and soe.iloc[0].n_articles == 2 and soe.iloc[0].n_sources == 2  # kommun + Lokalbladet
    ml = alingsas(t, "medborgarlofte")
    assert [str(d.date()) if hasattr(d, "date") else str(d) for d in ml.period_start] == ["2025-01-01", "2026-01-01"]
    assert ml.iloc[1].renews == ml.iloc[0].agreement_id and ml.iloc[0].renews is None


def test_agreement_ids_survive_reprocessing_one_article_and_all(nightly_dir: Path, tmp_path: Path) -> None:  # noqa: F811
    data = Path(shutil.copytree(nightly_dir, tmp_path / "data"))
    before = read(data)
    arts = pd.read_parquet(data / "processed" / "articles")
    one = arts[arts.is_relevant].sort_values("article_id").iloc[0].article_id
    res = samverkan("reprocess", one, "--data-dir", str(data), env=cli_env(PREFECT_API_URL=None), timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    for t in TABLES:
        pd.testing.assert_frame_equal(read(data)[t], before[t], check_dtype=False)
    res = samverkan("reprocess", "--all", "--data-dir", str(data), env=cli_env(PREFECT_API_URL=None), timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]
    for t in TABLES:
        pd.testing.assert_frame_equal(read(data)[t], before[t], check_dtype=False)
    # the report site on the demo output: Alingsås has a page listing its agreements
    res = samverkan("report", "--data-dir", str(data), env=cli_env(PREFECT_API_URL=None), timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    page = (data / "report" / "kommun" / "1489.html").read_text(encoding="utf-8")
    assert page.count('class="agreement"') == len(set(before["agreement_parties"].query("party_id == '1489'").agreement_id))
