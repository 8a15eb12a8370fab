from __future__ import annotations

import re
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.config import REPO_DIR
from pipeline.tables import loader, schemas
from pipeline.tables.loader import DataDirError, Tables, load, long_view

CODE_COLUMNS = {
    "collaborations": ["type"],
    "collaboration_parties": ["party_kind", "party_id"],
    "priority_areas": ["area_code", "area_group"],
    "people": ["role_code", "party"],
    "dates": ["kind", "granularity"],
    "mentions": ["label"],
    "kommuner": ["county_code"],
    "runs": ["flow", "status"],
}


def test_load_reads_every_table_with_row_counts(processed_fixture: Path, processed_rows: dict) -> None:
    t = load(processed_fixture)
    rows = processed_rows
    assert t.data_dir == processed_fixture.resolve()
    assert t.summary().to_dict() == {name: len(rows[name]) for name in schemas.SCHEMAS}
    assert len(t.kommuner) == 290
    assert t["people"] is t.people
    assert repr(t) == f"Tables(data_dir='{t.data_dir}', rows: " + ", ".join(
        f"{name}={len(rows[name])}" for name in schemas.SCHEMAS) + ")"
    assert [name for name, _ in t.items()] == list(schemas.SCHEMAS)
    with pytest.raises(KeyError, match="unknown table 'persons'"):
        t["persons"]


def test_dtypes_follow_the_documented_conventions(processed_fixture: Path) -> None:
    t = load(processed_fixture)
    for table, cols in CODE_COLUMNS.items():
        for col in cols:
            assert isinstance(t[table][col].dtype, pd.CategoricalDtype), (table, col)
    assert list(t.collaboration_parties.party_kind.cat.categories) == ["kommun", "lansstyrelse", "myndighet"]
    for table, col in [("articles", "published"), ("collaborations", "period_start"), ("dates", "date")]:
        assert str(t[table][col].dtype) == "datetime64[us]", (table, col)
    assert str(t.articles.fetched_at.dtype) == "datetime64[us, UTC]"
    assert str(t.runs.started_at.dtype) == "datetime64[us, UTC]"
    assert str(t.mentions.start_char.dtype) == "Int32"
    assert str(t.runs.n_fetched.dtype) == "Int64"
    assert str(t.articles.is_relevant.dtype) == "boolean"
    # metadata dates have null offsets: kept as <NA>, not turned into floats
    assert t.dates.start_char.isna().any() and str(t.dates.start_char.dtype) == "Int32"
    lerum = t.articles.set_index("source_id").loc["lerum"].iloc[0]
    assert lerum.published == pd.Timestamp("2023-03-14")
    assert (t.articles.published >= "2022").sum() == 4


def test_data_dir_resolves_like_the_cli(processed_fixture: Path, monkeypatch: pytest.MonkeyPatch,
                                        tmp_path: Path) -> None:
    monkeypatch.setenv("SAMVERKAN_DATA_DIR", str(processed_fixture))
    assert load().data_dir == processed_fixture.resolve()
    monkeypatch.delenv("SAMVERKAN_DATA_DIR")
    monkeypatch.chdir(processed_fixture)
    assert len(load().articles) == 6
    import pipeline

    assert len(pipeline.load(str(processed_fixture)).articles) == 6


def test_missing_processed_dir_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DataDirError) as info:
        load(tmp_path / "empty")
    msg = str(info.value)
    assert str((tmp_path / "empty").resolve()) in msg
    assert "samverkan demo" in msg and "samverkan run" in msg
    assert isinstance(info.value, FileNotFoundError)


def test_missing_tables_load_as_empty_frames_with_the_same_dtypes(processed_fixture: Path, tmp_path: Path,
                                                                  processed_writer: Callable[..., Path]) -> None:
    full = load(processed_fixture)
    partial = load(processed_writer(tmp_path / "partial", tables=("articles",)))
    assert len(partial.articles) == 6
    for name, df in partial.items():
        assert list(df.columns) == schemas.SCHEMAS[name].names, name
        if name != "articles":
            assert df.empty, name
            assert [str(d) if not isinstance(d, pd.CategoricalDtype) else "category" for d in df.dtypes] == [
                str(d) if not isinstance(d, pd.CategoricalDtype) else "category" for d in full[name].dtypes
            ], name
    # joined view on an empty corpus: no rows, all columns
    assert partial.long.empty and "kommun_name" in partial.long.columns
    empty = load(processed_writer(tmp_path / "none", tables=()))
    assert empty.articles.empty and empty.long.empty


def test_store_layout_variants_are_read(tmp_path: Path, processed_rows: dict) -> None:
    """Several part files, temporary files of the store, older files lacking a column, extra columns."""
    root = tmp_path / "d"
    rows = processed_rows["articles"]
    folder = root / "processed" / "articles"
    folder.mkdir(parents=True)
    schema = schemas.schema_for("articles")
    pq.write_table(pa.Table.from_pylist(rows[:2], schema=schema), folder / "part-0.parquet")
    older = pa.Table.from_pylist(rows[2:4], schema=schema).drop_columns(["raw_id"]).append_column(
        "debug_note", pa.array(["x", "y"]))
    pq.write_table(older, folder / "part-1.parquet")
    pq.write_table(pa.Table.from_pylist(rows[4:], schema=schema), folder / ".part-2.parquet.tmp.parquet")
    pq.write_table(pa.Table.from_pylist(rows[4:], schema=schema), folder / "_staging.parquet")
    t = load(root)
    assert len(t.articles) == 4
    assert list(t.articles.columns[: len(schema)]) == schema.names
    assert t.articles.raw_id.isna().sum() == 2
    assert t.articles.debug_note.tolist().count("x") == 1 and t.articles.debug_note.isna().sum() == 2


def test_schema_version_mismatch_warns(tmp_path: Path, processed_rows: dict) -> None:
    root = tmp_path / "d"
    folder = root / "processed" / "kommuner"
    folder.mkdir(parents=True)
    schema = schemas.schema_for("kommuner").with_metadata({b"schema_version": b"0"})
    pq.write_table(pa.Table.from_pylist(processed_rows["kommuner"][:3], schema=schema), folder / "p.parquet")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t = load(root)
    assert len(t.kommuner) == 3
    assert any("schema_version 0" in str(w.message) and "reprocess" in str(w.message) for w in caught)


def test_long_view_one_row_per_collaboration_party_area(processed_fixture: Path) -> None:
    t = load(processed_fixture)
    long = t.long
    assert long is t.long  # cached
    # collaborations: 3 parties x 2 areas, 2x2, 3x2, 2x1, 2x1; the area without a collaboration is not joined
    assert len(long) == 6 + 4 + 6 + 2 + 2
    assert not long.duplicated(["collaboration_id", "party_id", "area_code"]).any()
    lerum = long[long.party_id == "1441"]
    assert set(lerum.area_code) == {"valfardsbrott", "narkotika"}
    assert set(lerum.partners) == {"polismyndigheten skatteverket"}
    assert set(lerum.kommun_name) == {"Lerum"} and set(lerum.county_name) == {"Västra Götalands län"}
    sodertalje = long[long.party_id == "0181"]
    assert set(sodertalje.county_code) == {"01"} and set(sodertalje.source_id) == {"sodertalje"}
    lst = long[long.party_id == "lansstyrelse:14"]
    assert set(lst.county_code) == {"14"} and lst.kommun_name.isna().all()
    agencies = long[long.party_kind == "myndighet"]
    assert agencies.kommun_name.isna().all() and agencies.county_code.isna().all()
    assert str(long.published.dtype) == "datetime64[us]"
    for col in ("type", "party_kind", "party_id", "area_code", "area_group", "county_code"):
        assert isinstance(long[col].dtype, pd.CategoricalDtype), col


def _docstring_one_liner() -> str:
    doc = long_view.__doc__ or ""
    lines = [ln.strip() for ln in doc.splitlines() if ln.strip().startswith("t.long")]
    assert len(lines) == 1, lines
    return lines[0]


def test_docstring_one_liner_answers_the_question(processed_fixture: Path) -> None:
    """'Which kommuner prioritise välfärdsbrott with Skatteverket since 2022?' is one line."""
    assert "välfärdsbrott with Skatteverket since 2022" in (long_view.__doc__ or "")
    t = load(processed_fixture)
    answer = eval(_docstring_one_liner(), {"t": t})  # noqa: S307 - our own docstring
    # Mölndal (2021) is too early, Alingsås and Södertälje have no Skatteverket, Borås also has a
    # länsstyrelse; Lerum's collaboration has three parties.
    assert sorted(answer) == ["Borås", "Lerum"]
    without_date = t.long.query(
        "party_kind == 'kommun' and area_group == 'valfardsbrott' and partners.str.contains('skatteverket')",
        engine="python",
    )
    assert sorted(without_date.kommun_name.unique()) == ["Borås", "Lerum", "Mölndal"]


def test_long_view_falls_back_to_the_shipped_kommun_list(processed_fixture: Path) -> None:
    t = load(processed_fixture)
    t2 = Tables(**{name: df for name, df in t.items() if name != "kommuner"},
                kommuner=t.kommuner.iloc[0:0], data_dir=t.data_dir)
    assert set(long_view(t2).query("party_id == '1481'").kommun_name) == {"Mölndal"}


def test_package_import_stays_light() -> None:
    code = "import sys, pipeline; print(sorted(m for m in ('pandas', 'pyarrow', 'spacy', 'rich') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO_DIR, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_categorical_columns_name_real_schema_columns() -> None:
    for table, cols in loader.CATEGORICAL_COLUMNS.items():
        assert set(cols) <= set(schemas.SCHEMAS[table].names), table
    assert re.search(r"datetime64\[us\]", loader.__doc__ or "")
