"""Rows → Arrow tables for the ``processed/`` store: cast to the schema, partition by year.

:func:`cast_rows` checks every row against ``pipeline.tables.schemas.schema_for(table)`` before
anything is written and raises :class:`RowTypeError` naming table, column, row and value.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa

from pipeline.errors import RowTypeError as RowTypeError
from pipeline.tables import schemas


def part_file(part: str) -> str:
    """File name of a partition."""
    return f"part-{part}.parquet"


def part_of_file(name: str) -> str | None:
    """Partition of a file name ``part-<partition>.parquet``, or None for any other file."""
    if name.startswith("part-") and name.endswith(".parquet"):
        return name[len("part-") : -len(".parquet")]
    return None


def year_part(published: Any, fetched_at: Any) -> str:
    """Partition of a row: the year of ``published``, else of ``fetched_at``, else ``"unknown"``."""
    for value in (published, fetched_at):
        if value is not None and not (isinstance(value, float) and value != value):
            return f"{value.year:04d}"
    return "unknown"


def cast_rows(table: str, rows: list[dict[str, Any]]) -> pa.Table:
    """Cast ``rows`` (dicts keyed by column) to ``schema_for(table)``.

    Missing keys become null. Raises :class:`RowTypeError` naming table, column, row and value
    for an unknown column, a value of the wrong type, a naive datetime, or a null in a
    non-nullable column.
    """
    schema = schemas.schema_for(table)
    names = set(schema.names)
    for i, row in enumerate(rows):
        extra = set(row) - names
        if extra:
            raise RowTypeError(
                f"table {table!r}, row {i}: unknown column(s) {sorted(extra)}; the schema in pipeline/tables/schemas.py has {schema.names}"
            )
    arrays = []
    for fld in schema:
        values = [row.get(fld.name) for row in rows]
        if pa.types.is_timestamp(fld.type):
            for i, v in enumerate(values):
                if isinstance(v, dt.datetime) and v.tzinfo is None:
                    raise RowTypeError(
                        f"table {table!r}, column {fld.name!r}, row {i}: naive datetime {v!r}; give a timezone-aware datetime (UTC)"
                    )
        if pa.types.is_date(fld.type):
            for i, v in enumerate(values):
                if isinstance(v, dt.datetime):
                    raise RowTypeError(
                        f"table {table!r}, column {fld.name!r}, row {i}: datetime {v!r} where a date is expected; pass v.date()"
                    )
        try:
            arr = pa.array(values, type=fld.type, from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError) as exc:
            for i, v in enumerate(values):
                try:
                    pa.array([v], type=fld.type, from_pandas=True)
                except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
                    raise RowTypeError(
                        f"table {table!r}, column {fld.name!r}, row {i}: value {v!r} ({type(v).__name__}) does not fit type {fld.type}"
                    ) from exc
            raise RowTypeError(f"table {table!r}, column {fld.name!r}: {exc}") from exc
        if not fld.nullable and arr.null_count:
            i = next(i for i, v in enumerate(arr) if not v.is_valid)
            raise RowTypeError(f"table {table!r}, column {fld.name!r}, row {i}: null in a non-nullable column")
        arrays.append(arr)
    return pa.Table.from_arrays(arrays, schema=schema)
