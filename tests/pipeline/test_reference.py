"""The kommun and county reference lists, read once from pipeline/data/."""

from __future__ import annotations

import csv

from pipeline import reference
from pipeline.crawl.sources import kommun_codes as sources_kommun_codes
from pipeline.run.jobs import kommun_rows as jobs_kommun_rows
from pipeline.tables.loader import reference_kommuner
from pipeline.tables.store import cast_rows


def test_kommuner_and_counties_agree() -> None:
    kommuner = reference.kommuner()
    counties = reference.counties()
    assert len(kommuner) == 290 and len(counties) == 21
    assert kommuner["1441"] == reference.Kommun("1441", "Lerum", "14", "Västra Götalands län")
    for k in kommuner.values():
        assert len(k.code) == 4 and k.code[:2] == k.county_code
        assert counties[k.county_code].name == k.county_name
    assert {k.county_code for k in kommuner.values()} == set(counties)


def test_cached_once_and_rows_are_fresh() -> None:
    assert reference.kommuner() is reference.kommuner()
    rows = reference.kommun_rows()
    rows[0]["name"] = "ändrad"
    assert reference.kommun_rows()[0]["name"] != "ändrad"


def test_every_user_sees_the_same_list() -> None:
    with reference.KOMMUNER_CSV.open(encoding="utf-8", newline="") as fh:
        from_file = list(csv.DictReader(fh))
    assert jobs_kommun_rows() == from_file
    assert cast_rows("kommuner", jobs_kommun_rows()).num_rows == 290  # fits the table's schema
    assert sources_kommun_codes() == {r["kommun_code"] for r in from_file}
    assert reference_kommuner().to_dict("records") == from_file
