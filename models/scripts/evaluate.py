"""Score a pipeline on the held-out data and write metrics.json.

Usage: python scripts/evaluate.py MODEL_DIR CORPORA_DIR OUT_JSON

Held-out data: the whole NER ``test_corpus.txt`` and the UD sentences that
``convert.ud_split`` assigns to ``test``. Scoring uses the gold tokenisation.
Speed comes from ``benchmarks/model_speed.py`` (one core).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.scorer import Scorer
from spacy.tokens import Doc
from spacy.training import Example

sys.path.insert(0, str(Path(__file__).resolve().parent))
import convert  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


def _examples(nlp: Language, refs: list[Doc]) -> list[Example]:
    preds = nlp.pipe(Doc(nlp.vocab, words=[t.text for t in r], spaces=[bool(t.whitespace_) for t in r]) for r in refs)
    return [Example(p, r) for p, r in zip(preds, refs, strict=True)]


def heldout_ner(nlp: Language, corpora: Path) -> list[Doc]:
    """Reference docs of the held-out NER test file."""
    path = corpora / "swedish_ner_corpus" / "test_corpus.txt"
    return [convert.ner_doc(nlp.vocab, s) for s in convert.read_ner(path)]


def heldout_ud(nlp: Language, corpora: Path) -> list[Doc]:
    """Reference docs of the held-out UD sentences."""
    docs = []
    for rel in convert.UD_FILES:
        for sent_id, rows in convert.read_conllu(corpora / rel):
            if convert.ud_split(sent_id) == "test":
                docs.append(convert.ud_doc(nlp.vocab, rows))
    return docs


def score(nlp: Language, corpora: Path) -> dict[str, Any]:
    """NER P/R/F (overall and per label) and POS/morph/lemma accuracy on the held-out data."""
    ner_refs = heldout_ner(nlp, corpora)
    ner_scores = Scorer.score_spans(_examples(nlp, ner_refs), "ents")
    ud_refs = heldout_ud(nlp, corpora)
    ud_examples = _examples(nlp, ud_refs)
    pos = Scorer.score_token_attr(ud_examples, "pos")["pos_acc"]
    morph = Scorer.score_token_attr(ud_examples, "morph")["morph_acc"]
    lemma = Scorer.score_token_attr(ud_examples, "lemma")["lemma_acc"]

    def pct(x: float | None) -> float | None:
        return None if x is None else round(100 * x, 2)

    return {
        "ner": {
            "heldout": "swedish_ner_corpus/test_corpus.txt",
            "sentences": len(ner_refs),
            "tokens": sum(len(d) for d in ner_refs),
            "p": pct(ner_scores["ents_p"]),
            "r": pct(ner_scores["ents_r"]),
            "f": pct(ner_scores["ents_f"]),
            "per_label": {label: {k: pct(v) for k, v in s.items()} for label, s in sorted(ner_scores["ents_per_type"].items())},
        },
        "ud": {
            "heldout": f"{convert.UD_TEST_PERCENT}% of UD sentences by md5(sent_id)",
            "sentences": len(ud_refs),
            "tokens": sum(len(d) for d in ud_refs),
            "pos_acc": pct(pos),
            "morph_acc": pct(morph),
            "lemma_acc": pct(lemma),
        },
    }


def folder_size_mb(path: Path) -> float:
    """Total size of the files below ``path`` in MB."""
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6, 2)


def main(model: Path, corpora: Path, out: Path) -> None:
    """Score ``model`` and write the metrics JSON."""
    nlp = spacy.load(model)
    metrics = score(nlp, corpora)
    speed = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "model_speed.py"), "--model", str(model), "--json"],
        check=True,
        capture_output=True,
        text=True,
    )
    metrics["speed"] = json.loads(speed.stdout)
    metrics["size_mb"] = folder_size_mb(model)
    metrics["pipeline"] = nlp.pipe_names
    metrics["spacy_version"] = spacy.__version__
    out.write_text(json.dumps(metrics, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(metrics, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit("usage: evaluate.py MODEL_DIR CORPORA_DIR OUT_JSON")
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
