"""Assemble the separately trained tagger/lemmatizer and NER pipelines into one.

Usage: python scripts/assemble.py TAGGER_MODEL NER_MODEL OUT_DIR
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
        "Swedish pipeline for the samverkan project: morphologizer (UPOS + morphology), "
        "edit-tree lemmatizer (UD Swedish-Talbanken dev+test and Swedish-PUD) and NER "
        "PER/ORG/LOC/MISC (swedish-ner-corpus, Webbnyheter 2012). No pretrained vectors."
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


def main(tagger_dir: Path, ner_dir: Path, out: Path) -> None:
    """Load the tagger pipeline, source the ner component into it and save to ``out``."""
    nlp = spacy.load(tagger_dir)
    ner_nlp = spacy.load(ner_dir)
    nlp.add_pipe("ner", source=ner_nlp, last=True)
    nlp.meta.update(META)
    if out.exists():
        shutil.rmtree(out)
    nlp.to_disk(out)
    print(f"assembled {nlp.pipe_names} into {out}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit("usage: assemble.py TAGGER_MODEL NER_MODEL OUT_DIR")
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
