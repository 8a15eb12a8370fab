"""Load the vocabularies and gazetteers of the NLP layer from ``pipeline/data/``.

Every list of words, names, patterns and weights lives in a data file under
``pipeline/data/vocab/`` (JSON) or ``pipeline/data/*.csv``; this module only reads
and caches them.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from pipeline.config import DATA_FILES_DIR

VOCAB_DIR = DATA_FILES_DIR / "vocab"


def _read_json(name: str) -> dict[str, Any]:
    path = VOCAB_DIR / name
    try:
        with path.open(encoding="utf-8") as fh:
            data: dict[str, Any] = json.load(fh)
    except FileNotFoundError as exc:
        raise FileNotFoundError(f"vocabulary file {path} is missing; reinstall the package or restore it from git") from exc
    except json.JSONDecodeError as exc:
        raise ValueError(f"vocabulary file {path} is not valid JSON ({exc}); fix the file") from exc
    return data


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


@cache
def vocab(name: str) -> dict[str, Any]:
    """A JSON vocabulary file of ``pipeline/data/vocab/`` by file stem (e.g. ``"roles"``)."""
    return _read_json(f"{name}.json")


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


def vocab_files() -> list[Path]:
    """All vocabulary files (for documentation and tests)."""
    return sorted(VOCAB_DIR.glob("*.json"))
