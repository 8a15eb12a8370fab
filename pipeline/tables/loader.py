"""Load the processed Parquet tables into pandas, with researcher-friendly dtypes.

Typical notebook use::

    from pipeline import load
    t = load()                    # --data-dir rules: argument, SAMVERKAN_DATA_DIR, cwd
    t.articles.groupby("source_id").size()
    t.long                        # collaboration x party x priority area, joined
    t.panel                       # kommun x year: agreements in force, agencies, areas, reports

Dtype conventions (the same for every table, also for empty/missing tables):

* **Codes** (``type``, ``party_kind``, ``party_id``, ``area_code``, ``area_group``,
  ``role_code``, ``kind``, ``granularity``, ``label``, ``party``, ``county_code``, ...)
  are ``category``; categories are the observed values, sorted.
* **Calendar dates** (Parquet ``date32``: ``published``, ``period_start``, ``date``, ...)
  are ``datetime64[us]`` *without* time zone, at midnight. Compare them with strings
  (``df.published >= "2022"``) or use ``.dt.year`` / ``.dt.to_period("M")``.
* **Timestamps** (``fetched_at``, ``started_at``, ``finished_at``) are
  ``datetime64[us, UTC]``.
* **Integers** (offsets, counts) are nullable ``Int32`` / ``Int64``; booleans are
  nullable ``boolean``; free text is ``object`` (``str`` or ``None``).

A table whose folder is missing loads as an empty frame with the right columns and dtypes.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.config import resolve_data_dir
from pipeline.errors import DataDirError
from pipeline.reference import kommun_rows
from pipeline.tables import schemas

# Code columns loaded as pandas categoricals, per table.
CATEGORICAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "articles": ("source_id", "published_source", "language", "extractor_version"),
    "collaborations": ("type",),
    "collaboration_parties": ("party_kind", "party_id"),
    "priority_areas": ("area_code", "area_group"),
    "people": ("role_code", "organisation_id", "party"),
    "dates": ("kind", "granularity"),
    "mentions": ("label",),
    "kommuner": ("county_code", "county_name"),
    "runs": ("flow", "source_id", "status"),
    "agreements": ("type",),
    "agreement_parties": ("party_kind", "party_id"),
}

_COUNTY_PREFIXES = ("lansstyrelse:", "region:")


def _pandas_types(type_: pa.DataType) -> pd.api.extensions.ExtensionDtype | None:
    """Map Arrow types to nullable pandas dtypes where pandas' default would lose information."""
    mapping: dict[pa.DataType, pd.api.extensions.ExtensionDtype] = {
        pa.int8(): pd.Int8Dtype(),
        pa.int16(): pd.Int16Dtype(),
        pa.int32(): pd.Int32Dtype(),
        pa.int64(): pd.Int64Dtype(),
        pa.bool_(): pd.BooleanDtype(),
    }
    return mapping.get(type_)


def _conform(table: pa.Table, schema: pa.Schema, where: Path) -> pa.Table:
    """Return ``table`` with exactly the schema's columns (in order, cast), plus any extra columns."""
    arrays: list[pa.ChunkedArray | pa.Array] = []
    names: list[str] = []
    for f in schema:
        if f.name in table.column_names:
            col = table.column(f.name)
            if pa.types.is_dictionary(col.type):  # hive partition columns
                col = col.cast(col.type.value_type)
            try:
                col = col.cast(f.type)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
                raise ValueError(
                    f"column {f.name!r} in {where} has type {col.type}, expected {f.type}; "
                    "the table was written with another schema: rerun `samverkan reprocess --all`"
                ) from exc
        else:
            col = pa.nulls(len(table), f.type)
        arrays.append(col)
        names.append(f.name)
    for name in table.column_names:
        if name not in names:
            arrays.append(table.column(name))
            names.append(name)
    return pa.Table.from_arrays(arrays, names=names)


def _to_pandas(table: pa.Table, name: str) -> pd.DataFrame:
    """Convert a conformed Arrow table to pandas with the dtype conventions of this module."""
    cols = []
    for i, f in enumerate(table.schema):
        col = table.column(i)
        if pa.types.is_date(f.type):
            col = col.cast(pa.timestamp("us"))
        cols.append(col)
    table = pa.Table.from_arrays(cols, names=table.column_names)
    df = table.to_pandas(types_mapper=_pandas_types)
    for col in CATEGORICAL_COLUMNS.get(name, ()):
        if col in df.columns:
            cats = sorted({v for v in df[col].dropna().astype(str)})
            df[col] = pd.Categorical(df[col].astype(object).where(df[col].notna(), None), categories=cats)
    return df


def read_table(processed: Path, name: str) -> pd.DataFrame:
    """Read one table from ``processed/<name>/`` (or ``processed/<name>.parquet``).

    Every ``*.parquet`` file of the folder is read and conformed to the schema (columns
    missing in older files are null; unknown extra columns are kept at the end). Missing →
    empty frame with the schema's columns. Files whose names start with ``.`` or ``_``
    (temporary files of the store) are ignored.
    """
    schema = schemas.schema_for(name)
    folder = processed / name
    files = sorted(p for p in folder.glob("*.parquet") if p.is_file() and p.name[0] not in "._")
    if not files and (processed / f"{name}.parquet").is_file():
        files = [processed / f"{name}.parquet"]
    parts: list[pa.Table] = []
    for path in files:
        part = pq.read_table(path)
        found = (part.schema.metadata or {}).get(b"schema_version")
        if found is not None and found.decode() != schemas.SCHEMA_VERSION:
            warnings.warn(
                f"{path} has schema_version {found.decode()}, this code expects {schemas.SCHEMA_VERSION}; "
                "rerun `samverkan reprocess --all` to rewrite the tables",
                stacklevel=3,
            )
        parts.append(_conform(part, schema, path))
    # files may differ in extra (unknown) columns: keep them, null where absent
    table = pa.concat_tables(parts, promote_options="permissive") if parts else schema.empty_table()
    return _to_pandas(table, name)


@dataclass(eq=False, repr=False)
class Tables:
    """One pandas DataFrame per processed table, plus joined views.

    Iterate with ``for name, df in tables.items()`` or index ``tables["people"]``.
    """

    articles: pd.DataFrame
    collaborations: pd.DataFrame
    collaboration_parties: pd.DataFrame
    priority_areas: pd.DataFrame
    people: pd.DataFrame
    dates: pd.DataFrame
    mentions: pd.DataFrame
    kommuner: pd.DataFrame
    runs: pd.DataFrame
    agreements: pd.DataFrame
    agreement_parties: pd.DataFrame
    agreement_evidence: pd.DataFrame
    data_dir: Path | None = field(default=None, compare=False)

    def __repr__(self) -> str:
        counts = ", ".join(f"{name}={len(df)}" for name, df in self.items())
        return f"Tables(data_dir={str(self.data_dir)!r}, rows: {counts})"

    def __getitem__(self, name: str) -> pd.DataFrame:
        """Return the table called ``name``."""
        if name not in schemas.SCHEMAS:
            raise KeyError(f"unknown table {name!r}; known tables: {', '.join(schemas.SCHEMAS)}")
        df: pd.DataFrame = getattr(self, name)
        return df

    def items(self) -> Iterator[tuple[str, pd.DataFrame]]:
        """Yield ``(table name, frame)`` pairs in schema order."""
        for f in fields(self):
            if f.name in schemas.SCHEMAS:
                yield f.name, getattr(self, f.name)

    def summary(self) -> pd.Series:
        """Row count per table."""
        return pd.Series({name: len(df) for name, df in self.items()}, name="rows")

    @cached_property
    def long(self) -> pd.DataFrame:
        """Joined long view: see :func:`long_view`. Computed once, then cached."""
        return long_view(self)

    @cached_property
    def panel(self) -> pd.DataFrame:
        """Kommun × year panel of the agreements in force: see :func:`pipeline.agreements.panel.build_panel`. Cached."""
        from pipeline.agreements.panel import build_panel

        return build_panel(self)


def load(data_dir: str | os.PathLike[str] | None = None) -> Tables:
    """Load every processed table of a data directory.

    ``data_dir`` resolves like the CLI's ``--data-dir``: the argument, else
    ``SAMVERKAN_DATA_DIR``, else the current directory. Raises :class:`DataDirError`
    if ``<data_dir>/processed`` does not exist.
    """
    paths = resolve_data_dir(data_dir)
    if not paths.processed.is_dir():
        raise DataDirError(
            f"no processed/ folder in data directory {paths.root}: nothing has been written there yet. "
            f"Run `samverkan demo --data-dir {paths.root}` (bundled demo sites) or "
            f"`samverkan run --data-dir {paths.root}` first, or point load() / SAMVERKAN_DATA_DIR "
            "at a directory that contains processed/."
        )
    frames = {name: read_table(paths.processed, name) for name in schemas.SCHEMAS}
    return Tables(**frames, data_dir=paths.root)


def reference_kommuner() -> pd.DataFrame:
    """The shipped reference list of the 290 kommuner (``pipeline/data/kommuner.csv``)."""
    return pd.DataFrame(kommun_rows(), columns=["kommun_code", "name", "county_code", "county_name"], dtype=object)


def long_view(tables: Tables) -> pd.DataFrame:
    """One row per collaboration × party × priority area, with article and kommun facts.

    Columns: ``article_id, collaboration_id, type, name, period_start, period_end,
    decided_on, party_kind, party_id, party_name, kommun_name, county_code, county_name,
    partners, area_code, area_group, area_text, published, source_id, url, title``.

    * ``partners``: the ids of the collaboration's *other* parties, sorted and separated
      by spaces (e.g. ``"polismyndigheten skatteverket"``).
    * ``kommun_name``/``county_*``: from ``kommuner`` for ``party_kind == "kommun"``
      (the shipped reference list if the table is empty); ``county_code`` is also
      filled for ``lansstyrelse:NN`` and ``region:NN`` parties.
    * Only priority areas linked to the collaboration are used; a collaboration
      without any has one row per party with ``area_code`` missing. A collaboration
      without parties has no rows.

    Which kommuner prioritise välfärdsbrott with Skatteverket since 2022? ::

        t.long.query("party_kind == 'kommun' and area_group == 'valfardsbrott' and published >= '2022' and partners.str.contains('skatteverket')", engine="python").kommun_name.unique()
    """  # noqa: E501
    collabs = tables.collaborations
    parties = tables.collaboration_parties
    areas = tables.priority_areas
    articles = tables.articles

    base = collabs[
        ["article_id", "collaboration_id", "type", "name", "period_start", "period_end", "decided_on"]
    ].copy()
    p = parties[["collaboration_id", "party_kind", "party_id", "party_name"]].copy()
    p["party_id"] = p["party_id"].astype(object)
    p["party_kind"] = p["party_kind"].astype(object)

    ids_per_collab = p.dropna(subset=["party_id"]).groupby("collaboration_id")["party_id"].agg(lambda s: sorted(set(s)))
    own = p["party_id"]
    partner_lists = p["collaboration_id"].map(ids_per_collab)
    p["partners"] = [
        " ".join(x for x in (lst if isinstance(lst, list) else []) if x != me)
        for lst, me in zip(partner_lists, own, strict=True)
    ]

    kommuner = tables.kommuner
    if kommuner.empty:
        kommuner = reference_kommuner()
    kref = kommuner[["kommun_code", "name", "county_code", "county_name"]].astype(object)
    kref = kref.rename(columns={"kommun_code": "party_id", "name": "kommun_name"})
    kref["party_kind"] = "kommun"
    p = p.merge(kref, on=["party_kind", "party_id"], how="left")
    counties = kommuner[["county_code", "county_name"]].astype(object).drop_duplicates("county_code")
    county_from_id = p["party_id"].map(_county_code_of)
    need = p["county_code"].isna() & county_from_id.notna()
    p.loc[need, "county_code"] = county_from_id[need]
    p.loc[need, "county_name"] = p.loc[need, "county_code"].map(counties.set_index("county_code")["county_name"])

    a = areas.dropna(subset=["collaboration_id"])[["collaboration_id", "area_code", "area_group", "text"]]
    a = a.rename(columns={"text": "area_text"})
    a = a.astype({"area_code": object, "area_group": object})

    art = articles[["article_id", "published", "source_id", "url", "title"]].copy()
    art["source_id"] = art["source_id"].astype(object)

    out = base.merge(p, on="collaboration_id", how="inner")
    out = out.merge(a, on="collaboration_id", how="left")
    out = out.merge(art, on="article_id", how="left")
    out = out[
        [
            "article_id", "collaboration_id", "type", "name", "period_start", "period_end", "decided_on",
            "party_kind", "party_id", "party_name", "kommun_name", "county_code", "county_name", "partners",
            "area_code", "area_group", "area_text", "published", "source_id", "url", "title",
        ]
    ]
    for col in ("type", "party_kind", "party_id", "county_code", "county_name", "area_code", "area_group", "source_id"):
        out[col] = pd.Categorical(out[col].astype(object).where(out[col].notna(), None),
                                  categories=sorted({str(v) for v in out[col].dropna()}))
    out["partners"] = out["partners"].fillna("").astype(object)
    return out.reset_index(drop=True)


def _county_code_of(party_id: object) -> str | None:
    """``lansstyrelse:14`` / ``region:14`` → ``"14"``; anything else → None."""
    if isinstance(party_id, str):
        for prefix in _COUNTY_PREFIXES:
            if party_id.startswith(prefix):
                return party_id[len(prefix):]
    return None
