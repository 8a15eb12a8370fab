"""The kommun × year panel: what was in force where, one row per kommun and year.

An agreement is **in force** in a year when its period overlaps that year. Without a period end
it runs the default duration of its type (``default_duration_years`` in
``pipeline/data/vocab/agreements.json``) from its period start, else from its decision date,
else from its first report; an open-ended type (``natverk``) runs until the year of its last
report.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from pipeline.agreements.rules import Rules, load_rules
from pipeline.reference import kommun_rows

TYPES = ("samverkansoverenskommelse", "medborgarlofte", "natverk", "handlingsplan", "avsiktsforklaring", "other")

PANEL_COLUMNS = (
    ["kommun_code", "kommun_name", "county_code", "county_name", "year", "n_agreements", "types", "agencies", "priority_areas",
     "n_reports"]
    + [f"has_{t}" for t in TYPES]
)


def _date(value: Any) -> dt.date | None:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


def years_in_force(row: dict[str, Any], rules: Rules | None = None) -> tuple[int, int] | None:
    """First and last year an agreement row (dict with the ``agreements`` columns) is in force."""
    rules = rules or load_rules()
    start = _date(row.get("period_start")) or _date(row.get("decided_on")) or _date(row.get("first_reported"))
    if start is None:
        return None
    end = _date(row.get("period_end"))
    if end is None:
        end = rules.duration_end(row.get("type"), start)
    if end is None:
        last = _date(row.get("last_reported"))
        end = max(last, start) if last else start
    return (start.year, end.year) if end >= start else (start.year, start.year)


def _joined(values: Any) -> str:
    return " ".join(sorted({str(v) for v in values if v is not None and v == v}))


def build_panel(tables: Any, rules: Rules | None = None) -> pd.DataFrame:
    """One row per kommun × year over every kommun of the reference list and every year covered.

    ``tables`` is a :class:`pipeline.tables.loader.Tables` (or anything with the same frames).
    Years covered: from the earliest to the latest publication year of the articles (and of the
    agreements' reports). Columns: ``kommun_code, kommun_name, county_code, county_name, year``;
    ``n_agreements`` in force; ``types``, ``agencies`` (non-kommun party ids) and
    ``priority_areas`` of the agreements in force, each as sorted space-separated codes ("" when
    none); ``n_reports`` = articles published that year reporting an agreement of the kommun;
    ``has_<type>`` booleans per collaboration type in force.
    """
    rules = rules or load_rules()
    kommuner = tables.kommuner if len(tables.kommuner) else pd.DataFrame(kommun_rows(), dtype=object)
    kommuner = kommuner[["kommun_code", "name", "county_code", "county_name"]].astype(object).rename(columns={"name": "kommun_name"})
    years: set[int] = set(int(y) for y in tables.articles["published"].dropna().dt.year)
    ags = tables.agreements
    years |= {int(y) for y in ags["first_reported"].dropna().dt.year} | {int(y) for y in ags["last_reported"].dropna().dt.year}
    if not years:  # nothing dated yet: no year to cover
        empty = pd.DataFrame({c: pd.Series(dtype=object) for c in PANEL_COLUMNS})
        return empty.astype({"year": "int64", "n_agreements": "int64", "n_reports": "int64", **{f"has_{t}": bool for t in TYPES}})
    base = kommuner.merge(pd.DataFrame({"year": sorted(years)}), how="cross")

    parties = tables.agreement_parties.astype({"party_kind": object, "party_id": object})
    kommun_of = parties[parties.party_kind == "kommun"][["agreement_id", "party_id"]].rename(columns={"party_id": "kommun_code"})
    agencies = parties[parties.party_kind != "kommun"].groupby("agreement_id")["party_id"].agg(_joined)
    evidence = tables.agreement_evidence
    areas = tables.priority_areas.dropna(subset=["collaboration_id"])[["collaboration_id", "area_code"]].astype(object)
    areas = areas.merge(evidence[["agreement_id", "collaboration_id"]], on="collaboration_id").groupby("agreement_id")["area_code"]
    area_of = areas.agg(_joined)

    in_force: list[dict[str, Any]] = []
    for row in ags.astype({"type": object}).to_dict("records"):
        span = years_in_force(row, rules)
        if span is None:
            continue
        for year in range(span[0], span[1] + 1):
            if year in years:
                in_force.append({"agreement_id": row["agreement_id"], "year": year, "type": row["type"] or "other"})
    force = pd.DataFrame(in_force, columns=["agreement_id", "year", "type"]).merge(kommun_of, on="agreement_id")
    force["agencies"] = force["agreement_id"].map(agencies).fillna("")
    force["areas"] = force["agreement_id"].map(area_of).fillna("")
    grouped = force.groupby(["kommun_code", "year"])
    summary = pd.DataFrame(
        {
            "n_agreements": grouped["agreement_id"].nunique(),
            "types": grouped["type"].agg(_joined),
            "agencies": grouped["agencies"].agg(lambda s: _joined(" ".join(s).split())),
            "priority_areas": grouped["areas"].agg(lambda s: _joined(" ".join(s).split())),
        }
    ).reset_index()

    arts = tables.articles[["article_id", "published"]].dropna(subset=["published"])
    reports = evidence[["agreement_id", "article_id"]].merge(arts, on="article_id").merge(kommun_of, on="agreement_id")
    reports["year"] = reports["published"].dt.year
    n_reports = reports.groupby(["kommun_code", "year"])["article_id"].nunique().rename("n_reports").reset_index()

    out = base.merge(summary, on=["kommun_code", "year"], how="left").merge(n_reports, on=["kommun_code", "year"], how="left")
    out["n_agreements"] = out["n_agreements"].fillna(0).astype("int64")
    out["n_reports"] = out["n_reports"].fillna(0).astype("int64")
    for col in ("types", "agencies", "priority_areas"):
        out[col] = out[col].fillna("").astype(object)
    for t in TYPES:
        out[f"has_{t}"] = out["types"].str.split().apply(lambda lst, t=t: t in lst).astype(bool)
    out["year"] = out["year"].astype("int64")
    out = out[PANEL_COLUMNS].sort_values(["kommun_code", "year"]).reset_index(drop=True)
    for col in ("county_code", "county_name"):
        out[col] = pd.Categorical(out[col], categories=sorted(out[col].dropna().unique()))
    return out
