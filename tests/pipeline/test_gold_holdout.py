"""Validate the held-out gold files in tests/gold/holdout/ (format, codes, consistency; no score floor).

The holdout set is written blind to the rules in pipeline/nlp/ and is used only to *report*
honest scores (see tests/gold/holdout/README.md). These checks make sure every file is well
formed and coded with existing codes, so the reported numbers mean something. They never
assert a score.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
HOLDOUT = REPO / "tests" / "gold" / "holdout"
DATA = REPO / "pipeline" / "data"
SHARED_SEEDS = REPO.parent / "shared" / "examples" / "seeds"

# Vocabularies of ../shared/DESIGN.md (the contract), kept here so the holdout never reads the rule data.
TYPES = {"samverkansoverenskommelse", "medborgarlofte", "natverk", "handlingsplan", "avsiktsforklaring", "other"}
AREAS = {
    "kriminella_natverk", "rekrytering_unga", "avhopp", "grovt_vald", "valfardsbrott", "forsorjningsstod",
    "folkbokforingsbrott", "vard_omsorg", "ekonomisk_brottslighet", "upphandling", "samhallsbyggande", "miljobrott",
    "narkotika", "trygghet_offentlig_miljo", "egendomsbrott", "vald_nara_relation", "extremism", "anmalan",
    "myndighetssamverkan",
}  # fmt: skip
ROLES = {
    "kso", "ks_vice", "kommunalrad", "oppositionsrad", "kommundirektor", "sakerhetschef", "brottsforebyggande",
    "naringslivschef", "forvaltningschef", "politisk_sekreterare", "lokalpolisomradeschef", "kommunpolis",
    "polisomradeschef", "regionpolischef", "polis", "myndighetschef", "other",
}  # fmt: skip
AGENCIES = {
    "polismyndigheten", "skatteverket", "kriminalvarden", "forsakringskassan", "arbetsformedlingen", "kronofogden",
    "tullverket", "migrationsverket", "ekobrottsmyndigheten", "sakerhetspolisen", "aklagarmyndigheten", "bra",
}  # fmt: skip

TOP_KEYS = {"id", "title", "text", "expected"}
OPTIONAL_KEYS = {"url", "published_hint", "source_kommun"}
EXPECTED_KEYS = {"is_relevant", "published", "kommuner", "agencies", "people", "collaborations", "priority_areas"}
COLLAB_KEYS = {"type", "name", "parties", "period_start", "period_end", "decided_on"}
PERSON_KEYS = {"name", "role_code", "party"}
LIST_FIELDS = ("kommuner", "agencies", "people", "collaborations", "priority_areas")


def _read_csv(path: Path, key: str, value: str) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {row[key]: row[value] for row in csv.DictReader(fh)}


KOMMUNER = _read_csv(DATA / "kommuner.csv", "kommun_code", "name")
COUNTIES = _read_csv(DATA / "counties.csv", "county_code", "county_name")
FILES = sorted(HOLDOUT.glob("*.json"))


def _is_iso(value: Any) -> bool:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _valid_agency(code: str) -> bool:
    kind, sep, county = code.partition(":")
    if sep:
        return kind in {"lansstyrelse", "region"} and county in COUNTIES
    return code in AGENCIES


def test_the_holdout_set_exists() -> None:
    assert len(FILES) == 20, f"expected 20 holdout gold files in {HOLDOUT}, found {len(FILES)}"
    exps = [json.loads(p.read_text(encoding="utf-8"))["expected"] for p in FILES]
    irrelevant = sum(1 for e in exps if not e["is_relevant"])
    assert irrelevant == 6, f"the holdout set has 6 irrelevant items by design, found {irrelevant}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_holdout_file(path: Path) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(doc, dict), f"{path}: top level must be a JSON object"
    assert TOP_KEYS <= doc.keys(), f"{path}: missing keys {sorted(TOP_KEYS - doc.keys())}"
    assert not doc.keys() - TOP_KEYS - OPTIONAL_KEYS, f"{path}: unknown keys {sorted(doc.keys() - TOP_KEYS - OPTIONAL_KEYS)}"
    assert doc["id"] == path.stem, f"{path}: id {doc['id']!r} must equal the file name stem"
    text = doc["text"]
    words = len(text.split())
    assert 150 <= words <= 450, f"{path}: text has {words} words; holdout texts are 150-450 words"
    if "published_hint" in doc:
        assert _is_iso(doc["published_hint"]), f"{path}: published_hint must be an ISO date"
    if "source_kommun" in doc:
        assert doc["source_kommun"] in KOMMUNER, f"{path}: source_kommun not in pipeline/data/kommuner.csv"

    exp = doc["expected"]
    assert set(exp) == EXPECTED_KEYS, f"{path}: expected keys {sorted(exp)} != {sorted(EXPECTED_KEYS)}"
    assert isinstance(exp["is_relevant"], bool), f"{path}: is_relevant must be true/false"
    assert exp["published"] is None or _is_iso(exp["published"]), f"{path}: published must be an ISO date or null"
    for field in LIST_FIELDS:
        assert isinstance(exp[field], list), f"{path}: expected.{field} must be a list"
        if not exp["is_relevant"]:
            assert exp[field] == [], f"{path}: irrelevant article must have an empty expected.{field}"
    for code in exp["kommuner"]:
        assert code in KOMMUNER, f"{path}: kommun code {code!r} not in pipeline/data/kommuner.csv"
        name = KOMMUNER[code]
        assert name in text or name.split()[-1] in text, f"{path}: kommun {code} ({name}) is not named in the text"
    for code in exp["agencies"]:
        assert _valid_agency(code), f"{path}: agency {code!r} is not a DESIGN.md id, lansstyrelse:<county>, region:<county>"
    for code in exp["priority_areas"]:
        assert code in AREAS, f"{path}: priority area {code!r} not in DESIGN.md"
    for field in ("kommuner", "agencies", "priority_areas"):
        assert len(set(exp[field])) == len(exp[field]), f"{path}: duplicates in expected.{field}"

    for person in exp["people"]:
        assert set(person) == PERSON_KEYS, f"{path}: person keys {sorted(person)} != {sorted(PERSON_KEYS)}"
        assert person["name"] in text, f"{path}: person {person['name']!r} does not occur in the text"
        assert person["role_code"] in ROLES, f"{path}: role_code {person['role_code']!r} not in DESIGN.md"
        if person["party"] is not None:
            # "(Kd)" in the text is coded with the DESIGN.md abbreviation "KD"
            assert person["party"].lower() in text.lower(), f"{path}: party of {person['name']} not in the text"

    named = set(exp["kommuner"]) | set(exp["agencies"])
    for collab in exp["collaborations"]:
        assert set(collab) == COLLAB_KEYS, f"{path}: collaboration keys {sorted(collab)} != {sorted(COLLAB_KEYS)}"
        assert collab["type"] in TYPES, f"{path}: collaboration type {collab['type']!r} not in DESIGN.md"
        assert collab["name"] is None or collab["name"] in text, f"{path}: collaboration name not in the text"
        assert collab["parties"] and set(collab["parties"]) <= named, (
            f"{path}: parties {collab['parties']} must be non-empty and coded in expected.kommuner/agencies"
        )
        for key in ("period_start", "period_end", "decided_on"):
            assert collab[key] is None or _is_iso(collab[key]), f"{path}: {key} must be an ISO date or null"
        if collab["period_start"] and collab["period_end"]:
            assert collab["period_start"] <= collab["period_end"], f"{path}: period ends before it starts"
    if exp["is_relevant"]:
        assert exp["kommuner"], f"{path}: a relevant article names at least one kommun"


_WORD = re.compile(r"[\wåäöÅÄÖéü]+")


def _shingles(text: str, n: int = 8) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def test_no_seed_sentence_is_copied() -> None:
    if not SHARED_SEEDS.is_dir():
        pytest.skip(f"{SHARED_SEEDS} absent: nothing to compare the holdout texts with")
    seed_shingles: set[tuple[str, ...]] = set()
    for seed in SHARED_SEEDS.glob("*.txt"):
        seed_shingles |= _shingles(seed.read_text(encoding="utf-8"))
    assert seed_shingles, f"no seed text was read from {SHARED_SEEDS}"
    for path in FILES:
        doc = json.loads(path.read_text(encoding="utf-8"))
        copied = _shingles(doc["title"] + " " + doc["text"]) & seed_shingles
        assert not copied, f"{path}: 8+ words shared with a seed: {' '.join(sorted(copied)[0])!r}"
