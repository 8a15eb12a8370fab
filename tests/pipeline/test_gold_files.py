"""Validate the hand-coded gold files in tests/gold/ (dev set and seed gold files).

Checks the JSON format of docs/ARCHITECTURE.md ("Gold files"), that every code exists in the
reference data (pipeline/data/kommuner.csv, counties.csv) and the vocabularies
(pipeline/data/vocab/), that the coding is internally consistent (parties are among the coded
kommuner/agencies, people and kommuner are visible in the text, periods are ordered), that the
set is varied enough to be useful, and that no sentence of the seeds was copied.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "tests" / "gold"
DEV = GOLD / "dev"
SEEDS_GOLD = GOLD / "seeds"
DATA = REPO / "pipeline" / "data"
VOCAB = DATA / "vocab"
SHARED_SEEDS = REPO.parent / "shared" / "examples" / "seeds"

# Fallbacks (DESIGN.md) used only when pipeline/data/vocab/ lacks a file.
_FALLBACK_TYPES = {"samverkansoverenskommelse", "medborgarlofte", "natverk", "handlingsplan", "avsiktsforklaring", "other"}
_FALLBACK_AREAS = {
    "kriminella_natverk", "rekrytering_unga", "avhopp", "grovt_vald", "valfardsbrott", "forsorjningsstod",
    "folkbokforingsbrott", "vard_omsorg", "ekonomisk_brottslighet", "upphandling", "samhallsbyggande", "miljobrott",
    "narkotika", "trygghet_offentlig_miljo", "egendomsbrott", "vald_nara_relation", "extremism", "anmalan",
    "myndighetssamverkan",
}
_FALLBACK_ROLES = {
    "kso", "ks_vice", "kommunalrad", "oppositionsrad", "kommundirektor", "sakerhetschef", "brottsforebyggande",
    "naringslivschef", "forvaltningschef", "politisk_sekreterare", "lokalpolisomradeschef", "kommunpolis",
    "polisomradeschef", "regionpolischef", "polis", "myndighetschef", "other",
}
_FALLBACK_AGENCIES = {
    "polismyndigheten", "skatteverket", "kriminalvarden", "forsakringskassan", "arbetsformedlingen", "kronofogden",
    "tullverket", "migrationsverket", "ekobrottsmyndigheten", "sakerhetspolisen", "aklagarmyndigheten", "bra",
}

TOP_KEYS_DEV = {"id", "title", "text", "expected"}
TOP_KEYS_SEED = {"id", "seed", "expected"}
OPTIONAL_KEYS = {"url", "published_hint", "source_kommun", "title"}
EXPECTED_KEYS = {"is_relevant", "published", "kommuner", "agencies", "people", "collaborations", "priority_areas"}
COLLAB_KEYS = {"type", "name", "parties", "period_start", "period_end", "decided_on"}
PERSON_KEYS = {"name", "role_code", "party"}
LIST_FIELDS = ("kommuner", "agencies", "people", "collaborations", "priority_areas")


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _vocab(name: str, key: str, field: str, fallback: set[str]) -> set[str]:
    path = VOCAB / name
    if not path.exists():
        return set(fallback)
    return {str(item[field]) for item in _read_json(path)[key]}


KOMMUNER: dict[str, str] = {}
with (DATA / "kommuner.csv").open(encoding="utf-8", newline="") as fh:
    for row in csv.DictReader(fh):
        KOMMUNER[row["kommun_code"]] = row["name"]
with (DATA / "counties.csv").open(encoding="utf-8", newline="") as fh:
    COUNTIES = {row["county_code"] for row in csv.DictReader(fh)}

TYPES = _vocab("collaboration_types.json", "types", "type", _FALLBACK_TYPES)
AREAS = _vocab("priority_areas.json", "areas", "code", _FALLBACK_AREAS)
ROLES = _vocab("roles.json", "roles", "role_code", _FALLBACK_ROLES)
AGENCIES = _vocab("agencies.json", "agencies", "id", _FALLBACK_AGENCIES)

DEV_FILES = sorted(DEV.glob("*.json"))
SEED_FILES = sorted(SEEDS_GOLD.glob("*.json"))
ALL_FILES = DEV_FILES + SEED_FILES


def _is_iso(value: Any) -> bool:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _valid_agency(code: str) -> bool:
    kind, _, county = code.partition(":")
    if kind in {"lansstyrelse", "region"}:
        return county in COUNTIES
    return code in AGENCIES


def _kommun_visible(code: str, text: str) -> bool:
    name = KOMMUNER[code]
    # "Väsby" for Upplands Väsby, "Bro" is too short to be useful but not used here.
    return name in text or name.split()[-1] in text


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
        assert _is_iso(doc["published_hint"]), f"{path}: published_hint must be an ISO date"
    if "source_kommun" in doc:
        assert doc["source_kommun"] in KOMMUNER, f"{path}: source_kommun {doc['source_kommun']!r} not in kommuner.csv"

    exp = doc["expected"]
    assert set(exp) == EXPECTED_KEYS, f"{path}: expected keys {sorted(exp)} != {sorted(EXPECTED_KEYS)}"
    assert isinstance(exp["is_relevant"], bool), f"{path}: is_relevant must be true/false"
    assert exp["published"] is None or _is_iso(exp["published"]), f"{path}: published must be ISO date or null"
    for field in LIST_FIELDS:
        assert isinstance(exp[field], list), f"{path}: expected.{field} must be a list"

    assert len(set(exp["kommuner"])) == len(exp["kommuner"]), f"{path}: duplicate kommuner"
    for code in exp["kommuner"]:
        assert code in KOMMUNER, f"{path}: kommun code {code!r} not in pipeline/data/kommuner.csv"
    assert len(set(exp["agencies"])) == len(exp["agencies"]), f"{path}: duplicate agencies"
    for code in exp["agencies"]:
        assert _valid_agency(code), f"{path}: agency {code!r} is not a vocabulary id, lansstyrelse:<county> or region:<county>"
    assert len(set(exp["priority_areas"])) == len(exp["priority_areas"]), f"{path}: duplicate priority areas"
    for code in exp["priority_areas"]:
        assert code in AREAS, f"{path}: priority area {code!r} not in the vocabulary"

    names = [p["name"] for p in exp["people"]]
    assert len(set(names)) == len(names), f"{path}: a person is listed twice"
    for person in exp["people"]:
        assert set(person) == PERSON_KEYS, f"{path}: person keys {sorted(person)} != {sorted(PERSON_KEYS)}"
        assert isinstance(person["name"], str) and len(person["name"].split()) >= 2, f"{path}: bad name {person}"
        assert person["role_code"] in ROLES, f"{path}: role_code {person['role_code']!r} not in the vocabulary"
        assert person["party"] is None or (isinstance(person["party"], str) and person["party"].strip()), (
            f"{path}: party must be null or a non-empty string: {person}"
        )

    named = set(exp["kommuner"]) | set(exp["agencies"])
    for collab in exp["collaborations"]:
        assert set(collab) == COLLAB_KEYS, f"{path}: collaboration keys {sorted(collab)} != {sorted(COLLAB_KEYS)}"
        assert collab["type"] in TYPES, f"{path}: collaboration type {collab['type']!r} not in the vocabulary"
        assert collab["name"] is None or (isinstance(collab["name"], str) and collab["name"].strip())
        assert collab["parties"], f"{path}: a collaboration needs at least one party"
        assert len(set(collab["parties"])) == len(collab["parties"]), f"{path}: duplicate party"
        for party in collab["parties"]:
            assert party in named, f"{path}: party {party!r} must also be coded in expected.kommuner/agencies"
        for key in ("period_start", "period_end", "decided_on"):
            assert collab[key] is None or _is_iso(collab[key]), f"{path}: {key} must be an ISO date or null"
        if collab["period_start"] and collab["period_end"]:
            assert collab["period_start"] <= collab["period_end"], f"{path}: period ends before it starts"

    if not exp["is_relevant"]:
        for field in LIST_FIELDS:
            assert exp[field] == [], f"{path}: irrelevant article must have empty expected.{field}"


@pytest.mark.parametrize("path", DEV_FILES, ids=_id)
def test_coded_facts_are_visible_in_the_text(path: Path) -> None:
    doc = _read_json(path)
    text, exp = doc["text"], doc["expected"]
    for person in exp["people"]:
        assert person["name"] in text, f"{path}: person {person['name']!r} does not occur in the text"
        if person["party"]:
            assert person["party"] in text, f"{path}: party {person['party']!r} of {person['name']} not in the text"
    for code in exp["kommuner"]:
        assert _kommun_visible(code, text), f"{path}: kommun {code} ({KOMMUNER[code]}) is not named in the text"
    for collab in exp["collaborations"]:
        if collab["name"]:
            assert collab["name"] in text, f"{path}: collaboration name {collab['name']!r} not in the text"
    if exp["is_relevant"]:
        assert exp["kommuner"], f"{path}: a relevant article names at least one kommun"


def test_the_set_is_varied() -> None:
    exps = [_read_json(p)["expected"] for p in DEV_FILES]
    irrelevant = [e for e in exps if not e["is_relevant"]]
    assert len(irrelevant) >= 8, f"need at least 8 irrelevant items, found {len(irrelevant)}"
    dated = sum(1 for e in irrelevant if e["published"])
    assert dated >= len(irrelevant) - 1, f"irrelevant items still have published coded; only {dated} do"

    areas = Counter(a for e in exps for a in e["priority_areas"])
    rare = sorted(a for a in AREAS if areas[a] < 2)
    assert not rare, f"every priority area must occur in at least two dev gold files; too rare: {rare}"

    types = Counter(c["type"] for e in exps for c in e["collaborations"])
    assert set(types) >= _FALLBACK_TYPES, f"missing collaboration types: {sorted(_FALLBACK_TYPES - set(types))}"
    assert any(len(e["collaborations"]) >= 2 for e in exps), "need an article with two collaborations"
    assert any(len([k for k in c["parties"] if k in KOMMUNER]) >= 4 for e in exps for c in e["collaborations"])

    roles = {p["role_code"] for e in exps for p in e["people"]}
    assert roles >= _FALLBACK_ROLES, f"role codes never used: {sorted(_FALLBACK_ROLES - roles)}"

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


_WORD = re.compile(r"[\wåäöÅÄÖéü]+")


def _shingles(text: str, n: int = 8) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def test_seed_gold_files_name_existing_seeds() -> None:
    if not SHARED_SEEDS.is_dir():
        pytest.skip(f"{SHARED_SEEDS} absent: seed files cannot be checked")
    for path in SEED_FILES:
        seed = _read_json(path)["seed"]
        assert (SHARED_SEEDS / seed).is_file(), f"{path}: seed file {seed} not found in {SHARED_SEEDS}"


def test_no_seed_sentence_is_copied() -> None:
    if not SHARED_SEEDS.is_dir():
        pytest.skip(f"{SHARED_SEEDS} absent: nothing to compare with")
    seed_shingles: set[tuple[str, ...]] = set()
    for seed in SHARED_SEEDS.glob("*.txt"):
        seed_shingles |= _shingles(seed.read_text(encoding="utf-8"))
    assert seed_shingles, "no seed text was read"
    for path in ALL_FILES:
        raw = path.read_text(encoding="utf-8")
        doc = _read_json(path)
        own = " ".join(str(doc.get(k, "")) for k in ("title", "text")) if "text" in doc else raw
        copied = _shingles(own) & seed_shingles
        assert not copied, f"{path}: 8+ words copied from a seed: {' '.join(sorted(copied)[0])!r}"
