"""pipeline.load().panel: one row per kommun x year, correct for kommuner with and without agreements."""

from __future__ import annotations

from pathlib import Path

from pipeline import load
from pipeline.agreements.panel import PANEL_COLUMNS, years_in_force


def test_panel_covers_all_kommuner_and_years(processed_fixture: Path) -> None:
    t = load(processed_fixture)
    panel = t.panel
    years = sorted(int(y) for y in t.articles.published.dropna().dt.year.unique())
    assert list(panel.columns) == PANEL_COLUMNS
    assert panel.kommun_code.nunique() == 290 and sorted(panel.year.unique()) == list(range(years[0], years[-1] + 1))
    assert len(panel) == 290 * len(panel.year.unique())
    assert not panel.duplicated(["kommun_code", "year"]).any()
    nothing = panel[panel.kommun_code == "0114"]  # Upplands Väsby: never mentioned
    assert (nothing.n_agreements == 0).all() and (nothing.types == "").all() and (nothing.n_reports == 0).all()


def test_panel_values_follow_the_agreements(processed_fixture: Path) -> None:
    t = load(processed_fixture)
    panel = t.panel.set_index(["kommun_code", "year"])
    parties = t.agreement_parties.astype(object)
    for ag in t.agreements.astype({"type": object}).to_dict("records"):
        span = years_in_force(ag)
        assert span is not None
        for code in parties[(parties.agreement_id == ag["agreement_id"]) & (parties.party_kind == "kommun")].party_id:
            for year in range(span[0], span[1] + 1):
                if (code, year) in panel.index:
                    row = panel.loc[(code, year)]
                    assert ag["type"] in row.types.split() and row[f"has_{ag['type']}"] and row.n_agreements >= 1
            first = ag["first_reported"].year
            assert panel.loc[(code, first)].n_reports >= 1
    soe = t.agreements[t.agreements.type == "samverkansoverenskommelse"].iloc[0]
    code = parties[(parties.agreement_id == soe.agreement_id) & (parties.party_kind == "kommun")].party_id.iloc[0]
    assert "polismyndigheten" in panel.loc[(code, soe.period_start.year)].agencies.split()


def test_panel_of_a_corpus_without_dates_is_empty_with_the_columns(tmp_path: Path, processed_writer) -> None:  # noqa: ANN001
    for tables in ((), ("articles", "kommuner")):
        data = processed_writer(tmp_path / f"d{len(tables)}", tables=tables)
        panel = load(data).panel
        assert list(panel.columns) == PANEL_COLUMNS
        if not tables:
            assert panel.empty and str(panel.year.dtype) == "int64"
        else:  # articles without any agreement: every kommun and year, nothing in force
            assert len(panel) == 290 * panel.year.nunique() and (panel.n_agreements == 0).all()
