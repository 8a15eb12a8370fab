"""Relevance precision on police hard negatives: the ``polisen`` test site plus the dev gold police texts.

Prints one line per item whose verdict differs from the manifest or gold, then per set
``negatives``, ``false_positives``, ``positives``, ``tp``, ``precision`` and ``recall``.
Run from the project root: ``PYTHONPATH=. python tests/support/sites/measure_polisen.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.nlp.relevance import relevance
from pipeline.text.extract import extract_html

ROOT = Path(__file__).resolve().parents[3]
SITE = ROOT / "tests" / "support" / "sites" / "polisen"
GOLD = ROOT / "tests" / "gold" / "dev"
POLICE_GOLD = range(170, 210)  # g170-g189 and g190-g209: polisen.se-style texts


def rows() -> list[tuple[str, str, bool, bool, float]]:
    """(set, item, expected, predicted, score) for every site item and police gold text."""
    out = []
    manifest = json.loads((SITE / "manifest.json").read_text(encoding="utf-8"))
    for item in manifest["items"]:
        html = (SITE / item["path"].strip("/") / "index.html").read_bytes()
        ex = extract_html(html, url="https://polisen.se" + item["path"])
        ok, score = relevance(ex.text, ex.title)
        out.append(("site", item["path"], bool(item["is_relevant"]), ok, score))
    for path in sorted(GOLD.glob("g*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        if int(doc["id"][1:]) in POLICE_GOLD:
            ok, score = relevance(doc["text"], doc.get("title"))
            out.append(("gold", doc["id"], bool(doc["expected"]["is_relevant"]), ok, score))
    return out


def main() -> None:
    """Print the wrong verdicts and the precision per set."""
    found = rows()
    for kind, item, want, got, score in found:
        if want != got:
            print(f"WRONG {kind} {item} expected={want} got={got} score={score:.3f}")
    for name in ("site", "gold", "all"):
        sel = [r for r in found if name in ("all", r[0])]
        neg = [r for r in sel if not r[2]]
        pos = [r for r in sel if r[2]]
        tp, fp = sum(r[3] for r in pos), sum(r[3] for r in neg)
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / len(pos) if pos else 1.0
        print(f"POLICE {name}: negatives={len(neg)} false_positives={fp} positives={len(pos)} tp={tp} "
              f"precision={precision:.3f} recall={recall:.3f}")


if __name__ == "__main__":
    main()
