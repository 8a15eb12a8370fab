"""Shared checks for the hand-coded gold files (dev, seeds and the blind holdout set).

The vocabularies here are those of ../shared/DESIGN.md (the contract). The holdout checks use
them as they are, so the holdout never reads the rule data in pipeline/data/vocab/; the dev
checks pass the vocabularies read from pipeline/data/vocab/ instead.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "pipeline" / "data"
SHARED_SEEDS = REPO.parent / "shared" / "examples" / "seeds"

DESIGN_TYPES = frozenset({"samverkansoverenskommelse", "medborgarlofte", "natverk", "handlingsplan", "avsiktsforklaring", "other"})
DESIGN_AREAS = frozenset({
    "kriminella_natverk", "rekrytering_unga", "avhopp", "grovt_vald", "valfardsbrott", "forsorjningsstod",
    "folkbokforingsbrott", "vard_omsorg", "ekonomisk_brottslighet", "upphandling", "samhallsbyggande", "miljobrott",
    "narkotika", "trygghet_offentlig_miljo", "egendomsbrott", "vald_nara_relation", "extremism", "anmalan",
    "myndighetssamverkan",
})  # fmt: skip
DESIGN_ROLES = frozenset({
    "kso", "ks_vice", "kommunalrad", "oppositionsrad", "kommundirektor", "sakerhetschef", "brottsforebyggande",
    "naringslivschef", "forvaltningschef", "politisk_sekreterare", "lokalpolisomradeschef", "kommunpolis",
    "polisomradeschef", "regionpolischef", "polis", "myndighetschef", "other",
})  # fmt: skip
DESIGN_AGENCIES = frozenset({
    "polismyndigheten", "skatteverket", "kriminalvarden", "forsakringskassan", "arbetsformedlingen", "kronofogden",
    "tullverket", "migrationsverket", "ekobrottsmyndigheten", "sakerhetspolisen", "aklagarmyndigheten", "bra",
})  # fmt: skip

EXPECTED_KEYS = {"is_relevant", "published", "kommuner", "agencies", "people", "collaborations", "priority_areas"}
COLLAB_KEYS = {"type", "name", "parties", "period_start", "period_end", "decided_on"}
PERSON_KEYS = {"name", "role_code", "party"}
LIST_FIELDS = ("kommuner", "agencies", "people", "collaborations", "priority_areas")


def _read_csv(path: Path, key: str, value: str) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {row[key]: row[value] for row in csv.DictReader(fh)}


KOMMUNER = _read_csv(DATA / "kommuner.csv", "kommun_code", "name")
COUNTIES = _read_csv(DATA / "counties.csv", "county_code", "county_name")


@dataclass(frozen=True)
class Vocab:
    """The code lists a gold file is checked against."""

    types: frozenset[str] = DESIGN_TYPES
    areas: frozenset[str] = DESIGN_AREAS
    roles: frozenset[str] = DESIGN_ROLES
    agencies: frozenset[str] = DESIGN_AGENCIES


def is_iso(value: Any) -> bool:
    """True for a valid ``YYYY-MM-DD`` string."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def valid_agency(code: str, vocab: Vocab) -> bool:
    """An agency id of the vocabulary, or ``lansstyrelse:<county>`` / ``region:<county>``."""
    kind, sep, county = code.partition(":")
    if sep:
        return kind in {"lansstyrelse", "region"} and county in COUNTIES
    return code in vocab.agencies


def kommun_visible(code: str, text: str) -> bool:
    """The kommun's name (or its last word: "Väsby" for Upplands Väsby) occurs in ``text``."""
    name = KOMMUNER[code]
    return name in text or name.split()[-1] in text


def check_expected(path: Path, exp: dict[str, Any], vocab: Vocab) -> None:
    """Format, codes and internal consistency of a gold file's ``expected`` block."""
    assert set(exp) == EXPECTED_KEYS, f"{path}: expected keys {sorted(exp)} != {sorted(EXPECTED_KEYS)}"
    assert isinstance(exp["is_relevant"], bool), f"{path}: is_relevant must be true/false"
    assert exp["published"] is None or is_iso(exp["published"]), f"{path}: published must be an ISO date or null"
    for field in LIST_FIELDS:
        assert isinstance(exp[field], list), f"{path}: expected.{field} must be a list"
        if not exp["is_relevant"]:
            assert exp[field] == [], f"{path}: irrelevant article must have an empty expected.{field}"
    for field in ("kommuner", "agencies", "priority_areas"):
        assert len(set(exp[field])) == len(exp[field]), f"{path}: duplicates in expected.{field}"
    for code in exp["kommuner"]:
        assert code in KOMMUNER, f"{path}: kommun code {code!r} not in pipeline/data/kommuner.csv"
    for code in exp["agencies"]:
        assert valid_agency(code, vocab), f"{path}: agency {code!r} is not a vocabulary id, lansstyrelse:<county> or region:<county>"
    for code in exp["priority_areas"]:
        assert code in vocab.areas, f"{path}: priority area {code!r} not in the vocabulary"
    for person in exp["people"]:
        assert set(person) == PERSON_KEYS, f"{path}: person keys {sorted(person)} != {sorted(PERSON_KEYS)}"
        assert person["role_code"] in vocab.roles, f"{path}: role_code {person['role_code']!r} not in the vocabulary"
    named = set(exp["kommuner"]) | set(exp["agencies"])
    for collab in exp["collaborations"]:
        assert set(collab) == COLLAB_KEYS, f"{path}: collaboration keys {sorted(collab)} != {sorted(COLLAB_KEYS)}"
        assert collab["type"] in vocab.types, f"{path}: collaboration type {collab['type']!r} not in the vocabulary"
        assert collab["parties"], f"{path}: a collaboration needs at least one party"
        assert len(set(collab["parties"])) == len(collab["parties"]), f"{path}: duplicate party"
        for party in collab["parties"]:
            assert party in named, f"{path}: party {party!r} must also be coded in expected.kommuner/agencies"
        for key in ("period_start", "period_end", "decided_on"):
            assert collab[key] is None or is_iso(collab[key]), f"{path}: {key} must be an ISO date or null"
        if collab["period_start"] and collab["period_end"]:
            assert collab["period_start"] <= collab["period_end"], f"{path}: period ends before it starts"
    if exp["is_relevant"]:
        assert exp["kommuner"], f"{path}: a relevant article names at least one kommun"


_WORD = re.compile(r"[\wåäöÅÄÖéü]+")


def shingles(text: str, n: int = 8) -> set[tuple[str, ...]]:
    """Every run of ``n`` consecutive lower-cased words of ``text``."""
    words = _WORD.findall(text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def seed_shingles() -> set[tuple[str, ...]]:
    """The 8-word shingles of every seed text in ../shared/examples/seeds (empty if absent)."""
    out: set[tuple[str, ...]] = set()
    if SHARED_SEEDS.is_dir():
        for seed in SHARED_SEEDS.glob("*.txt"):
            out |= shingles(seed.read_text(encoding="utf-8"))
    return out
