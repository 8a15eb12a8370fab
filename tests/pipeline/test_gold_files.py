"""Validate the hand-coded gold files in tests/gold/ (dev set and seed gold files).

Checks the JSON format of docs/ARCHITECTURE.md ("Gold files"), that every code exists in the
reference data (pipeline/data/kommuner.csv, counties.csv) and the vocabularies
(pipeline/data/vocab/), that the coding is internally consistent (parties are among the coded
kommuner/agencies, people and kommuner are visible in the text, periods are ordered), that the
set is varied enough to be useful, and that no sentence of the seeds was copied.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.support.gold import (
    DESIGN_AGENCIES,
    DESIGN_AREAS,
    DESIGN_ROLES,
    DESIGN_TYPES,
    KOMMUNER,
    SHARED_SEEDS,
    Vocab,
    check_expected,
    is_iso,
    kommun_visible,
    seed_shingles,
    shingles,
)

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "tests" / "gold"
DEV = GOLD / "dev"
SEEDS_GOLD = GOLD / "seeds"
VOCAB = REPO / "pipeline" / "data" / "vocab"

TOP_KEYS_DEV = {"id", "title", "text", "expected"}
TOP_KEYS_SEED = {"id", "seed", "expected"}
OPTIONAL_KEYS = {"url", "published_hint", "source_kommun", "title"}


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _vocab(name: str, key: str, field: str, fallback: frozenset[str]) -> frozenset[str]:
    """A code list from pipeline/data/vocab/ (the DESIGN.md list if the file is absent)."""
    path = VOCAB / name
    if not path.exists():
        return fallback
    return frozenset(str(item[field]) for item in _read_json(path)[key])


RULES = Vocab(
    types=_vocab("collaboration_types.json", "types", "type", DESIGN_TYPES),
    areas=_vocab("priority_areas.json", "areas", "code", DESIGN_AREAS),
    roles=_vocab("roles.json", "roles", "role_code", DESIGN_ROLES),
    agencies=_vocab("agencies.json", "agencies", "id", DESIGN_AGENCIES),
)
DEV_FILES = sorted(DEV.glob("*.json"))
SEED_FILES = sorted(SEEDS_GOLD.glob("*.json"))
ALL_FILES = DEV_FILES + SEED_FILES


def _id(path: Path) -> str:
    return path.stem


def test_the_set_exists_and_is_large_enough() -> None:
    assert len(DEV_FILES) >= 30, f"expected at least 30 dev gold files in {DEV}, found {len(DEV_FILES)}"
    assert len(SEED_FILES) == 4, f"expected 4 seed gold files in {SEEDS_GOLD}, found {len(SEED_FILES)}"


@pytest.mark.parametrize("path", ALL_FILES, ids=_id)
def test_file_format_and_codes(path: Path) -> None:
    doc = _read_json(path)
    assert isinstance(doc, dict), f"{path}: top level must be a JSON object"
    is_seed = path.parent == SEEDS_GOLD
    required = TOP_KEYS_SEED if is_seed else TOP_KEYS_DEV
    missing = required - doc.keys()
    assert not missing, f"{path}: missing keys {sorted(missing)}"
    extra = doc.keys() - required - OPTIONAL_KEYS
    assert not extra, f"{path}: unknown keys {sorted(extra)}"
    assert doc["id"] == path.stem, f"{path}: id {doc['id']!r} must equal the file name stem"
    if is_seed:
        assert "text" not in doc, f"{path}: seed gold files must not carry the seed text"
        assert re.fullmatch(r"\d{3}_[0-9a-f]{16}\.txt", doc["seed"]), f"{path}: bad seed file name {doc['seed']!r}"
    else:
        assert isinstance(doc["title"], str) and doc["title"].strip(), f"{path}: empty title"
        assert isinstance(doc["text"], str), f"{path}: text must be a string"
        words = len(doc["text"].split())
        assert 150 <= words <= 500, f"{path}: text has {words} words, gold texts are 150-500 words"
    if "url" in doc:
        assert re.match(r"https?://[^/\s]+/", doc["url"]), f"{path}: url {doc['url']!r} is not http(s)"
    if "published_hint" in doc:
        assert is_iso(doc["published_hint"]), f"{path}: published_hint must be an ISO date"
    if "source_kommun" in doc:
        assert doc["source_kommun"] in KOMMUNER, f"{path}: source_kommun {doc['source_kommun']!r} not in kommuner.csv"

    exp = doc["expected"]
    check_expected(path, exp, RULES)
    names = [p["name"] for p in exp["people"]]
    assert len(set(names)) == len(names), f"{path}: a person is listed twice"
    for person in exp["people"]:
        assert isinstance(person["name"], str) and len(person["name"].split()) >= 2, f"{path}: bad name {person}"
        assert person["party"] is None or (isinstance(person["party"], str) and person["party"].strip()), (
            f"{path}: party must be null or a non-empty string: {person}"
        )
    for collab in exp["collaborations"]:
        assert collab["name"] is None or (isinstance(collab["name"], str) and collab["name"].strip())


@pytest.mark.parametrize("path", DEV_FILES, ids=_id)
def test_coded_facts_are_visible_in_the_text(path: Path) -> None:
    doc = _read_json(path)
    text, exp = doc["text"], doc["expected"]
    for person in exp["people"]:
        assert person["name"] in text, f"{path}: person {person['name']!r} does not occur in the text"
        if person["party"]:
            assert person["party"] in text, f"{path}: party {person['party']!r} of {person['name']} not in the text"
    for code in exp["kommuner"]:
        assert kommun_visible(code, text), f"{path}: kommun {code} ({KOMMUNER[code]}) is not named in the text"
    for collab in exp["collaborations"]:
        if collab["name"]:
            assert collab["name"] in text, f"{path}: collaboration name {collab['name']!r} not in the text"


def test_the_set_is_varied() -> None:
    exps = [_read_json(p)["expected"] for p in DEV_FILES]
    irrelevant = [e for e in exps if not e["is_relevant"]]
    assert len(irrelevant) >= 8, f"need at least 8 irrelevant items, found {len(irrelevant)}"
    dated = sum(1 for e in irrelevant if e["published"])
    assert dated >= len(irrelevant) - 1, f"irrelevant items still have published coded; only {dated} do"

    areas = Counter(a for e in exps for a in e["priority_areas"])
    rare = sorted(a for a in RULES.areas if areas[a] < 2)
    assert not rare, f"every priority area must occur in at least two dev gold files; too rare: {rare}"

    types = Counter(c["type"] for e in exps for c in e["collaborations"])
    assert set(types) >= DESIGN_TYPES, f"missing collaboration types: {sorted(DESIGN_TYPES - set(types))}"
    assert any(len(e["collaborations"]) >= 2 for e in exps), "need an article with two collaborations"
    assert any(len([k for k in c["parties"] if k in KOMMUNER]) >= 4 for e in exps for c in e["collaborations"])

    roles = {p["role_code"] for e in exps for p in e["people"]}
    assert roles >= DESIGN_ROLES, f"role codes never used: {sorted(DESIGN_ROLES - roles)}"

    agencies = {a.split(":")[0] for e in exps for a in e["agencies"]}
    wanted = {"skatteverket", "forsakringskassan", "kriminalvarden", "kronofogden", "arbetsformedlingen",
              "migrationsverket", "ekobrottsmyndigheten", "lansstyrelse", "region", "bra"}
    assert agencies >= wanted, f"agencies never named: {sorted(wanted - agencies)}"

    # a kommun named but not a party of any collaboration ("rekryteras till nätverk i Stockholm")
    assert any(
        set(e["kommuner"]) - {p for c in e["collaborations"] for p in c["parties"]}
        for e in exps if e["collaborations"]
    )
    published = [e["published"] for e in exps]
    assert None in published, "some gold files should have no date at all"
    hints = sum("published_hint" in _read_json(p) for p in DEV_FILES)
    assert 0.25 * len(DEV_FILES) <= hints <= 0.75 * len(DEV_FILES), f"published_hint in {hints} files"



def test_seed_gold_files_name_existing_seeds() -> None:
    if not SHARED_SEEDS.is_dir():
        pytest.skip(f"{SHARED_SEEDS} absent: seed files cannot be checked")
    for path in SEED_FILES:
        seed = _read_json(path)["seed"]
        assert (SHARED_SEEDS / seed).is_file(), f"{path}: seed file {seed} not found in {SHARED_SEEDS}"


def test_no_seed_sentence_is_copied() -> None:
    if not SHARED_SEEDS.is_dir():
        pytest.skip(f"{SHARED_SEEDS} absent: nothing to compare with")
    seeds = seed_shingles()
    assert seeds, "no seed text was read"
    for path in ALL_FILES:
        raw = path.read_text(encoding="utf-8")
        doc = _read_json(path)
        own = " ".join(str(doc.get(k, "")) for k in ("title", "text")) if "text" in doc else raw
        copied = shingles(own) & seeds
        assert not copied, f"{path}: 8+ words copied from a seed: {' '.join(sorted(copied)[0])!r}"
