"""The committed data dictionary matches the schemas."""

from __future__ import annotations

from pathlib import Path

from pipeline.tables import schemas
from pipeline.tables.dictionary import DEFAULT_PATH, dictionary_text, is_stale, write_data_dictionary


def test_committed_dictionary_is_up_to_date() -> None:
    assert not is_stale(DEFAULT_PATH), (
        f"{DEFAULT_PATH} is out of date with pipeline/tables/schemas.py: run "
        "`python -c 'from pipeline.tables.dictionary import write_data_dictionary; write_data_dictionary()'` "
        "(or `samverkan dictionary --write`) and commit it"
    )


def test_dictionary_names_every_table_and_column() -> None:
    text = dictionary_text()
    assert f"schema_version {schemas.SCHEMA_VERSION}" in text
    for table, schema in schemas.SCHEMAS.items():
        assert f"## `{table}`" in text
        for field in schema:
            assert f"| `{field.name}` | `{field.type}` |" in text


def test_write_and_staleness(tmp_path: Path) -> None:
    target = tmp_path / "docs" / "dd.md"
    assert is_stale(target)
    assert write_data_dictionary(target) == target
    assert not is_stale(target)
    target.write_text(target.read_text(encoding="utf-8").replace("article_id", "artikel_id"), encoding="utf-8")
    assert is_stale(target)
