"""pandas, polars and DuckDB read every table the store writes, with the right types."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from pipeline.agreements import refresh_agreements
from pipeline.tables import schemas
from pipeline.tables.store import Store

UTC = dt.UTC


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("readers") / "processed"
    store = Store(root)
    arts, rows = [], {t: [] for t in schemas.ARTICLE_TABLES}
    for i, year in enumerate([2021, 2023, 2023, None]):
        aid = f"a{i}"
        arts.append(
            {
                "article_id": aid,
                "source_id": "strangnas",
                "url": f"https://www.strangnas.se/nyheter/{i}",
                "title": "Trygghetsarbete",
                "published": dt.date(year, 2, 3) if year else None,
                "modified": dt.date(2024, 1, 1),
                "fetched_at": dt.datetime(2024, 6, 1, 12, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))),
                "text": "Strängnäs kommun och Polisen samverkar.",
                "is_relevant": True,
                "relevance_score": 0.5,
            }
        )
        rows["collaborations"].append(
            {"collaboration_id": f"{aid}-1", "article_id": aid, "type": "natverk", "period_start": dt.date(2024, 1, 1)}
        )
        rows["collaboration_parties"].append(
            {"collaboration_id": f"{aid}-1", "article_id": aid, "party_kind": "kommun", "party_id": "0486"}
        )
        rows["priority_areas"].append({"article_id": aid, "area_code": "narkotika", "start_char": 0, "end_char": 3})
        rows["people"].append({"article_id": aid, "person_id": "anna-berg", "name": "Anna Berg", "party": "S"})
        rows["dates"].append({"article_id": aid, "kind": "signed", "date": dt.date(2024, 3, 1), "granularity": "day"})
        rows["mentions"].append({"article_id": aid, "label": "KOMMUN", "norm_id": "0486", "start_char": 0, "end_char": 9})
    rows["articles"] = arts
    store.replace_articles(rows)
    store.write_table("kommuner", [{"kommun_code": "0486", "name": "Strängnäs", "county_code": "04"}])
    refresh_agreements(store)  # the derived agreement tables
    store.append_runs(
        [
            {
                "run_id": "r1",
                "flow": "nightly",
                "started_at": dt.datetime(2024, 6, 1, tzinfo=UTC),
                "finished_at": dt.datetime(2024, 6, 1, 0, 5, tzinfo=UTC),
                "n_articles": 4,
            }
        ]
    )
    return root


ALL = list(schemas.SCHEMAS)


def test_several_partition_files_per_article_table(root: Path) -> None:
    names = sorted(p.name for p in (root / "articles").glob("*.parquet"))
    assert names == ["part-2021.parquet", "part-2023.parquet", "part-2024.parquet"]  # no date: fetched_at year


@pytest.mark.parametrize("table", ALL)
def test_pandas(root: Path, table: str) -> None:
    df = pd.read_parquet(root / table)
    schema = schemas.schema_for(table)
    assert list(df.columns) == schema.names
    assert len(df) > 0
    for f in schema:
        col = df[f.name]
        values = col.dropna()
        if pa.types.is_date(f.type):
            assert all(type(v) is dt.date for v in values), f.name
        elif pa.types.is_timestamp(f.type):
            assert str(col.dtype) == "datetime64[us, UTC]", f.name
        elif pa.types.is_string(f.type) or pa.types.is_large_string(f.type):
            assert all(isinstance(v, str) for v in values), f.name
    if table == "kommuner":
        assert df.kommun_code.tolist() == ["0486"]
    if table == "articles":
        assert set(df.fetched_at) == {pd.Timestamp("2024-06-01 10:30", tz="UTC")}


POLARS = {"date32[day]": pl.Date, "timestamp[us, tz=UTC]": pl.Datetime("us", "UTC"), "string": pl.String}
DUCK = {"date32[day]": "DATE", "timestamp[us, tz=UTC]": "TIMESTAMP WITH TIME ZONE", "string": "VARCHAR"}


@pytest.mark.parametrize("table", ALL)
def test_polars(root: Path, table: str) -> None:
    df = pl.read_parquet(str(root / table / "*.parquet"))
    schema = schemas.schema_for(table)
    assert df.columns == schema.names and df.height > 0
    for f in schema:
        expected = POLARS.get(str(f.type).replace("large_", ""))
        if expected is not None:
            assert df.schema[f.name] == expected, (table, f.name, df.schema[f.name])
    if table == "kommuner":
        assert df["kommun_code"].to_list() == ["0486"]


@pytest.mark.parametrize("table", ALL)
def test_duckdb(root: Path, table: str) -> None:
    con = duckdb.connect()
    glob = str(root / table / "*.parquet")
    desc = {r[0]: r[1] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet('{glob}')").fetchall()}
    schema = schemas.schema_for(table)
    assert list(desc) == schema.names
    for f in schema:
        expected = DUCK.get(str(f.type).replace("large_", ""))
        if expected is not None:
            assert desc[f.name] == expected, (table, f.name, desc[f.name])
    n = con.execute(f"SELECT count(*) FROM read_parquet('{glob}')").fetchone()
    assert n is not None and n[0] > 0
    if table == "articles":
        # Timestamps are instants in UTC: 12:30 at +02:00 is 10:30 UTC.
        con.execute("SET TimeZone = 'UTC'")
        got = con.execute(f"SELECT DISTINCT strftime(fetched_at, '%H:%M') FROM read_parquet('{glob}')").fetchall()
        assert got == [("10:30",)]


@pytest.mark.parametrize("reader", ["pandas", "polars", "duckdb"])
def test_empty_table_still_has_columns(tmp_path: Path, reader: str) -> None:
    root = tmp_path / "processed"
    Store(root).replace_articles({"articles": [{"article_id": "x"}]})
    folder = root / "mentions"
    names = schemas.schema_for("mentions").names
    if reader == "pandas":
        df = pd.read_parquet(folder)
        assert list(df.columns) == names and len(df) == 0
    elif reader == "polars":
        pdf = pl.read_parquet(str(folder / "*.parquet"))
        assert pdf.columns == names and pdf.height == 0
    else:
        rel = duckdb.connect().execute(f"SELECT * FROM read_parquet('{folder}/*.parquet')")
        assert [d[0] for d in rel.description] == names and rel.fetchall() == []
