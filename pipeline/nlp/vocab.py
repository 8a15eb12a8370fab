"""Load the vocabularies and gazetteers of the NLP layer from ``pipeline/data/``.

Every list of words, names, patterns and weights lives in a data file under
``pipeline/data/vocab/`` (JSON) or ``pipeline/data/*.csv``; this module only reads
and caches them.
"""

from __future__ import annotations

from functools import lru_cache

from pipeline import reference
from pipeline.reference import Kommun
from pipeline.vocabulary import VOCAB_DIR, vocab, vocab_files

__all__ = ["VOCAB_DIR", "Kommun", "counties", "county_code_for", "kommuner", "vocab", "vocab_files"]


def kommuner() -> dict[str, Kommun]:
    """All 290 kommuner by SCB code (:func:`pipeline.reference.kommuner`)."""
    return reference.kommuner()


@lru_cache(maxsize=1)
def counties() -> dict[str, str]:
    """County code → county name (from :func:`pipeline.reference.counties`)."""
    return {code: c.name for code, c in reference.counties().items()}


def county_code_for(alias: str) -> str | None:
    """County code for a short county name ("Skåne", "Blekinge", "Västra Götalands") or a full "X län"."""
    alias = alias.strip()
    aliases: dict[str, str] = vocab("county_aliases")["aliases"]
    if alias in aliases:
        return aliases[alias]
    bare = alias.removesuffix(" län").strip()
    if bare in aliases:
        return aliases[bare]
    for code, name in counties().items():
        if name == alias or name.removesuffix(" län") == bare:
            return code
    return None
