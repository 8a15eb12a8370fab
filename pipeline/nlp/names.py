"""Person-name candidates: capitalised token runs and ``PER`` entities, checked against a name lexicon.

A candidate is two to four capitalised tokens (particles such as ``von`` allowed inside) or a
``PER`` entity of the base model. Tokens from ``name_stopwords.json`` and role words
("Polischef") end a name; place words ("Västra", ``people_cues.json``) reject it. A candidate is
*confirmed* when its first token is a first name or its last token a surname of the lexicon
``names.json`` (Swedish first names and surnames from Faker's sv_SE provider, MIT), or the base
model tagged it ``PER``; unconfirmed ones need a role to count as a person (see ``people``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc

from pipeline.nlp import vocab
from pipeline.nlp.roles import is_role_word

_UP = "A-ZÅÄÖÉÜÈÁ"
_LOW = "a-zåäöéüèáíóøæ"
NAME_TOKEN = rf"[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?"


@dataclass(frozen=True)
class Candidate:
    """A possible person name at ``start``–``end``; ``confirmed`` by the lexicon or the base model."""

    start: int
    end: int
    confirmed: bool
    known: bool = False  # the lexicon knows the first name or the surname


@lru_cache(maxsize=1)
def name_re() -> re.Pattern[str]:
    """Two to four capitalised name tokens, with lower-case particles between them."""
    particles = "|".join(vocab.vocab("people_cues")["name_particles"])
    return re.compile(
        rf"(?<![\w{_LOW}{_UP}-]){NAME_TOKEN}(?:[ \u00a0](?:(?:{particles}) ){{0,2}}{NAME_TOKEN}){{1,3}}(?![\w{_LOW}-])"
    )


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Capitalised words that never belong to a person name."""
    return frozenset(vocab.vocab("name_stopwords")["words"])


@lru_cache(maxsize=1)
def _lexicon() -> tuple[frozenset[str], frozenset[str]]:
    data = vocab.vocab("names")
    return frozenset(data["first_names"]), frozenset(data["surnames"])


@lru_cache(maxsize=1)
def _place_words() -> frozenset[str]:
    return frozenset(vocab.vocab("people_cues")["place_words"])


def is_first_name(word: str) -> bool:
    """True if ``word`` (or each part of a hyphenated ``word``) is a first name of the lexicon."""
    first = _lexicon()[0]
    return word in first or ("-" in word and all(p in first for p in word.split("-")))


def is_surname(word: str) -> bool:
    """True if ``word`` (or a part of a double surname) is a surname of the lexicon."""
    last = _lexicon()[1]
    return word in last or ("-" in word and any(p in last for p in word.split("-")))


def looks_confirmed(name: str) -> bool:
    """True if the lexicon knows the first token as a first name or the last token as a surname."""
    parts = name.split()
    return len(parts) >= 2 and (is_first_name(parts[0]) or is_surname(parts[-1]))


def _tokens(text: str, s: int, e: int) -> list[tuple[int, int]]:
    return [(m.start() + s, m.end() + s) for m in re.finditer(r"\S+", text[s:e])]


def trim(text: str, s: int, e: int) -> tuple[int, int] | None:
    """Cut a candidate to its name: drop stopwords and role words at the start, end it before the first
    stopword or role word inside ("Hans Björner Polischef Södra …"); None if fewer than two tokens remain
    or it starts with a place word."""
    stop = stopwords()
    toks = _tokens(text, s, e)
    while toks and (text[toks[0][0] : toks[0][1]] in stop or is_role_word(text[toks[0][0] : toks[0][1]])):
        toks.pop(0)
    for i, (a, b) in enumerate(toks[1:], start=1):
        word = text[a:b]
        if word in stop or (word[:1].isupper() and is_role_word(word)):
            toks = toks[:i]
            break
    if len(toks) < 2 or text[toks[0][0] : toks[0][1]] in _place_words():
        return None
    return toks[0][0], toks[-1][1]


def candidates(doc: Doc) -> list[Candidate]:
    """Person-name candidates of ``doc``, sorted by position, not overlapping."""
    text = doc.text
    per: list[tuple[int, int]] = [
        (ent.start_char, ent.end_char) for ent in doc.ents
        if ent.label_ in {"PER", "PRS"} and len(ent) >= 2 and "\n" not in ent.text
    ]
    spans: list[Candidate] = []
    for m in name_re().finditer(text):
        t = trim(text, m.start(), m.end())
        if t:
            tagged = any(a < t[1] and t[0] < b for a, b in per)
            known = looks_confirmed(text[t[0] : t[1]])
            spans.append(Candidate(t[0], t[1], tagged or known, known))
    for a, b in per:
        t = trim(text, a, b)
        if t and not any(c.start < t[1] and t[0] < c.end for c in spans):
            spans.append(Candidate(t[0], t[1], True, looks_confirmed(text[t[0] : t[1]])))
    return sorted(spans, key=lambda c: c.start)
