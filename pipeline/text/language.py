"""Language identification by stopword profile (sv, en, fi, da, no, de).

Small and dependency-free: press releases are long enough for stopword
counts to separate Swedish from its neighbours. Returns ``None`` when the
text has too few known words to decide.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

from pipeline.config import DATA_FILES_DIR

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@lru_cache(maxsize=1)
def _profiles() -> dict[str, frozenset[str]]:
    with open(DATA_FILES_DIR / "stopwords.json", encoding="utf-8") as fh:
        raw: dict[str, list[str]] = json.load(fh)
    return {lang: frozenset(words) for lang, words in raw.items()}


def detect_language(text: str, *, min_hits: int = 5, sample_chars: int = 20_000) -> str | None:
    """Return the ISO 639-1 code whose stopwords cover most words of ``text``, or None."""
    words = [w.casefold() for w in _WORD.findall(text[:sample_chars])]
    if not words:
        return None
    scores = {lang: sum(1 for w in words if w in stop) for lang, stop in _profiles().items()}
    best = max(scores, key=lambda k: scores[k])
    if scores[best] < min_hits:
        return None
    # Danish/Norwegian share many stopwords with Swedish; Swedish-only markers decide ties.
    if best in {"da", "no"} and scores.get("sv", 0) >= scores[best] * 0.9:
        return "sv"
    return best
