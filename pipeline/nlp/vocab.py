"""Load the vocabularies and gazetteers of the NLP layer from ``pipeline/data/``.

Every list of words, names, patterns and weights lives in a data file under
``pipeline/data/vocab/`` (JSON) or ``pipeline/data/*.csv``; this module only reads
and caches them.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from pipeline.config import DATA_FILES_DIR
from pipeline.vocabulary import VOCAB_DIR, vocab, vocab_files

__all__ = ["VOCAB_DIR", "Kommun", "counties", "county_code_for", "kommuner", "vocab", "vocab_files"]


@dataclass(frozen=True)
class Kommun:
    """A kommun of the reference list."""

    code: str
    name: str
    county_code: str
    county_name: str


@lru_cache(maxsize=1)
def kommuner() -> dict[str, Kommun]:
    """All 290 kommuner by SCB code, from ``pipeline/data/kommuner.csv``."""
    path = DATA_FILES_DIR / "kommuner.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return {
            row["kommun_code"]: Kommun(row["kommun_code"], row["name"], row["county_code"], row["county_name"])
            for row in csv.DictReader(fh)
        }


@lru_cache(maxsize=1)
def counties() -> dict[str, str]:
    """County code → county name, from ``pipeline/data/counties.csv``."""
    path = DATA_FILES_DIR / "counties.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["county_code"]: row["county_name"] for row in csv.DictReader(fh)}


def county_code_for(alias: str) -> str | None:
    """County code for a short county name ("Skåne", "Blekinge", "Västra Götalands") or a full "X län"."""
    alias = alias.strip()
    aliases: dict[str, str] = vocab("county_aliases")["aliases"]
    if alias in aliases:
        return aliases[alias]
    bare = alias.removesuffix(" län").strip()
    if bare in aliases:
        return aliases[bare]
    for code, name in counties().items():
        if name == alias or name.removesuffix(" län") == bare:
            return code
    return None
