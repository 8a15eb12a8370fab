"""Words per second of the spaCy base model on one CPU core.

Usage: python benchmarks/model_speed.py [--model PATH] [--corpora DIR] [--json]

Texts: the sentences of the held-out NER test file (raw text, so tokenisation is
included), or, without the corpora folder, a small built-in set of our own sentences.
The process is pinned to one core and BLAS threads are limited to one; the main figure
is words per CPU-second of that one thread (the machine is shared, so wall time is noisy).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import spacy  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
FALLBACK_TEXTS = [
    "Kommunen och Polisen tecknade i dag en ny överenskommelse om samverkan mot brott i centrum.",
    "Enligt kommunstyrelsens ordförande Anna Lindqvist ska arbetet med trygghet prioriteras under året.",
    "Skatteverket, Försäkringskassan och Arbetsförmedlingen deltar i arbetet mot välfärdsbrott.",
    "Under hösten genomförs gemensamma kontroller av restauranger och frisörsalonger i Malmö.",
    "– Vi ser redan att samarbetet ger resultat, säger lokalpolisområdeschefen Erik Johansson.",
]


def load_texts(corpora: Path, limit: int) -> list[str]:
    """Sentences of the NER test file as raw text, or the built-in fallback texts."""
    path = corpora / "swedish_ner_corpus" / "test_corpus.txt"
    if not path.is_file():
        return FALLBACK_TEXTS * max(1, limit // len(FALLBACK_TEXTS))
    texts: list[str] = []
    words: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            words.append(line.rsplit(None, 1)[0] if len(line.split()) > 1 else line.strip())
        elif words:
            texts.append(" ".join(words))
            words = []
    if words:
        texts.append(" ".join(words))
    return texts[:limit]


def measure(model: str, texts: list[str], repeats: int = 3) -> dict[str, float | int | str]:
    """Words/second of ``nlp.pipe`` over ``texts``, best of ``repeats`` after one warm-up pass.

    ``words_per_second`` divides by the CPU time of this single-threaded process (time on one
    core, robust when other jobs share the machine); ``wall_words_per_second`` by wall time.
    """
    nlp = spacy.load(model)
    list(nlp.pipe(texts[:200]))
    best_cpu = best_wall = 0.0
    n_words = 0
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        n_words = sum(len(doc) for doc in nlp.pipe(texts, batch_size=256))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        best_cpu = max(best_cpu, n_words / cpu)
        best_wall = max(best_wall, n_words / wall)
    return {
        "model": model,
        "pipeline": ",".join(nlp.pipe_names),
        "texts": len(texts),
        "words": n_words,
        "words_per_second": round(best_cpu),
        "wall_words_per_second": round(best_wall),
        "cores": 1,
        "load_average_1min": round(os.getloadavg()[0], 2),
    }


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, measure and print the result."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(REPO / "models" / "sv_samverkan"))
    parser.add_argument("--corpora", default=str(REPO.parent / "shared" / "corpora"))
    parser.add_argument("--limit", type=int, default=2500, help="number of sentences")
    parser.add_argument("--json", action="store_true", help="print JSON only")
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[-1]})
    result = measure(args.model, load_texts(Path(args.corpora), args.limit))
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{result['words_per_second']:,} words/second on one core ({result['words']:,} words, {result['pipeline']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
