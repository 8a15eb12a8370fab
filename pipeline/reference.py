"""The shipped reference lists: Sweden's 290 kommuner and 21 counties (län), read once.

``pipeline/data/kommuner.csv`` (``kommun_code,name,county_code,county_name``) and
``pipeline/data/counties.csv`` (``county_code,county_name``) are parsed here and nowhere else;
the results are cached per process and immutable.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.config import DATA_FILES_DIR

KOMMUNER_CSV: Path = DATA_FILES_DIR / "kommuner.csv"
COUNTIES_CSV: Path = DATA_FILES_DIR / "counties.csv"


@dataclass(frozen=True)
class Kommun:
    """A kommun of the reference list (SCB codes)."""

    code: str
    name: str
    county_code: str
    county_name: str

    def as_row(self) -> dict[str, str]:
        """The row of the ``kommuner`` table (column names of its schema)."""
        return {"kommun_code": self.code, "name": self.name, "county_code": self.county_code, "county_name": self.county_name}


@dataclass(frozen=True)
class County:
    """A county (län) of the reference list."""

    code: str
    name: str


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@cache
def kommuner() -> dict[str, Kommun]:
    """All 290 kommuner by SCB code, in file order (by code)."""
    return {
        row["kommun_code"]: Kommun(row["kommun_code"], row["name"], row["county_code"], row["county_name"])
        for row in _read_csv(KOMMUNER_CSV)
    }


@cache
def kommun_codes() -> frozenset[str]:
    """The 290 SCB kommun codes."""
    return frozenset(kommuner())


@cache
def counties() -> dict[str, County]:
    """All counties by county code."""
    return {row["county_code"]: County(row["county_code"], row["county_name"]) for row in _read_csv(COUNTIES_CSV)}


def kommun_rows() -> list[dict[str, str]]:
    """Rows of the ``kommuner`` reference table (a fresh list of fresh dicts)."""
    return [k.as_row() for k in kommuner().values()]

