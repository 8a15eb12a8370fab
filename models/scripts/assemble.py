"""Package a trained pipeline as models/sv_samverkan (meta, licence, sources).

Usage:
  python scripts/assemble.py MODEL OUT_DIR             # jointly trained pipeline (default)
  python scripts/assemble.py TAGGER_MODEL NER_MODEL OUT_DIR
      # separately trained pipelines: the ner component is sourced into the tagger pipeline
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import spacy

META = {
    "name": "samverkan",
    "version": "0.1.0",
    "description": (
        "Swedish pipeline for the samverkan project: morphologizer (UPOS + morphology) and "
        "edit-tree lemmatizer (UD Swedish-Talbanken dev+test and Swedish-PUD) and NER "
        "PER/ORG/LOC/MISC (swedish-ner-corpus, Webbnyheter 2012). No pretrained vectors. "
        "Held-out scores in models/metrics.json."
    ),
    "license": "CC BY-SA 4.0",
    "author": "samverkan project",
    "sources": [
        {
            "name": "UD Swedish-Talbanken (dev, test)",
            "url": "https://github.com/UniversalDependencies/UD_Swedish-Talbanken",
            "license": "CC BY-SA 4.0",
        },
        {
            "name": "UD Swedish-PUD (test)",
            "url": "https://github.com/UniversalDependencies/UD_Swedish-PUD",
            "license": "CC BY-SA 4.0",
        },
        {
            "name": "swedish-ner-corpus (Webbnyheter 2012)",
            "url": "https://github.com/klintan/swedish-ner-corpus",
            "license": "CC BY 4.0",
        },
    ],
}


def main(base_dir: Path, ner_dir: Path | None, out: Path) -> None:
    """Load ``base_dir``, source the ner of ``ner_dir`` into it if given, set meta, save to ``out``."""
    nlp = spacy.load(base_dir)
    if ner_dir is not None:
        nlp.add_pipe("ner", source=spacy.load(ner_dir), last=True)
    nlp.meta.pop("performance", None)
    nlp.meta.update(META)
    if out.exists():
        shutil.rmtree(out)
    nlp.to_disk(out)
    print(f"assembled {nlp.pipe_names} into {out}")


if __name__ == "__main__":
    if len(sys.argv) == 3:
        main(Path(sys.argv[1]), None, Path(sys.argv[2]))
    elif len(sys.argv) == 4:
        main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        raise SystemExit("usage: assemble.py MODEL OUT_DIR | assemble.py TAGGER_MODEL NER_MODEL OUT_DIR")
