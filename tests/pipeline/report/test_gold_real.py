"""CI gate on the real-text development set in ../shared/examples/real (issue 15).

The texts are real releases coded by hand; they live outside the project and are never copied
into it. The gate checks every field's F1 against ``tests/gold/real_floors.json``. It needs
``../shared`` beside the checkout (CI always has it); without it there is nothing to score.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.report.evaluate import FIELDS, evaluate, render

REPO = Path(__file__).resolve().parents[3]
REAL = REPO.parent / "shared" / "examples" / "real"
FLOORS = REPO / "tests" / "gold" / "real_floors.json"


def test_real_floors_cover_every_field() -> None:
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))["floors"]
    assert set(floors) == set(FIELDS)
    assert all(0.0 < v <= 1.0 for v in floors.values())


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/examples/real is absent (it is never copied into the project)")
def test_real_set_meets_floors() -> None:
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))["floors"]
    report = evaluate(REAL)
    assert report.n_articles >= 48
    below = {f: (round(report.f1(f), 3), floor) for f, floor in floors.items() if report.f1(f) < floor}
    assert not below, f"fields below their floor (F1, floor): {below}\n{render(report, details=True)}"
    rel = report.fields["relevance"]
    assert rel.precision >= 0.97 and rel.recall >= 0.97, f"relevance P {rel.precision:.3f} / R {rel.recall:.3f}"


def test_errors_are_listed_per_article_and_field() -> None:
    gold = REPO / "tests" / "gold" / "dev"
    report = evaluate(gold)
    data = report.as_dict(errors=True)
    assert set(data["errors"]) == {d.id for d in report.diffs}
    for fields in data["errors"].values():
        for name, diff in fields.items():
            assert name in FIELDS and (diff["missing"] or diff["extra"])
    text = render(report, details=True)
    for d in report.diffs:
        assert d.id in text
    json.dumps(data)  # JSON-serialisable
