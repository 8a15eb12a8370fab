"""Validate the held-out gold files in tests/gold/holdout/ (format, codes, consistency; no score floor).

The holdout set is written blind to the rules in pipeline/nlp/ and is used only to *report*
honest scores (see tests/gold/holdout/README.md). These checks make sure every file is well
formed and coded with existing codes, so the reported numbers mean something. They never
assert a score.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.gold import KOMMUNER, SHARED_SEEDS, Vocab, check_expected, is_iso, kommun_visible, seed_shingles, shingles

REPO = Path(__file__).resolve().parents[2]
HOLDOUT = REPO / "tests" / "gold" / "holdout"
DESIGN = Vocab()  # the DESIGN.md vocabularies: the holdout never reads the rule data

TOP_KEYS = {"id", "title", "text", "expected"}
OPTIONAL_KEYS = {"url", "published_hint", "source_kommun"}
FILES = sorted(HOLDOUT.glob("*.json"))


def test_the_holdout_set_exists() -> None:
    assert len(FILES) == 20, f"expected 20 holdout gold files in {HOLDOUT}, found {len(FILES)}"
    exps = [json.loads(p.read_text(encoding="utf-8"))["expected"] for p in FILES]
    irrelevant = sum(1 for e in exps if not e["is_relevant"])
    assert irrelevant == 6, f"the holdout set has 6 irrelevant items by design, found {irrelevant}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_holdout_file(path: Path) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(doc, dict), f"{path}: top level must be a JSON object"
    assert doc.keys() >= TOP_KEYS, f"{path}: missing keys {sorted(TOP_KEYS - doc.keys())}"
    assert not doc.keys() - TOP_KEYS - OPTIONAL_KEYS, f"{path}: unknown keys {sorted(doc.keys() - TOP_KEYS - OPTIONAL_KEYS)}"
    assert doc["id"] == path.stem, f"{path}: id {doc['id']!r} must equal the file name stem"
    text = doc["text"]
    words = len(text.split())
    assert 150 <= words <= 450, f"{path}: text has {words} words; holdout texts are 150-450 words"
    if "published_hint" in doc:
        assert is_iso(doc["published_hint"]), f"{path}: published_hint must be an ISO date"
    if "source_kommun" in doc:
        assert doc["source_kommun"] in KOMMUNER, f"{path}: source_kommun not in pipeline/data/kommuner.csv"

    exp = doc["expected"]
    check_expected(path, exp, DESIGN)
    for code in exp["kommuner"]:
        assert kommun_visible(code, text), f"{path}: kommun {code} ({KOMMUNER[code]}) is not named in the text"
    for person in exp["people"]:
        assert person["name"] in text, f"{path}: person {person['name']!r} does not occur in the text"
        if person["party"] is not None:
            # "(Kd)" in the text is coded with the DESIGN.md abbreviation "KD"
            assert person["party"].lower() in text.lower(), f"{path}: party of {person['name']} not in the text"
    for collab in exp["collaborations"]:
        assert collab["name"] is None or collab["name"] in text, f"{path}: collaboration name not in the text"


def test_no_seed_sentence_is_copied() -> None:
    if not SHARED_SEEDS.is_dir():
        pytest.skip(f"{SHARED_SEEDS} absent: nothing to compare the holdout texts with")
    seeds = seed_shingles()
    assert seeds, f"no seed text was read from {SHARED_SEEDS}"
    for path in FILES:
        doc = json.loads(path.read_text(encoding="utf-8"))
        copied = shingles(doc["title"] + " " + doc["text"]) & seeds
        assert not copied, f"{path}: 8+ words shared with a seed: {' '.join(sorted(copied)[0])!r}"
