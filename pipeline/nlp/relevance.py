"""``samverkan_relevance``: is the article about crime prevention / collaboration against crime?

A transparent weighted-cue score from ``pipeline/data/vocab/relevance.json``: each cue (a
lower-case regular expression) adds its weight per hit, at most ``max_hits`` times (per cue or
global); ``score = 1 - exp(-max(sum, 0) / scale)``. The article is relevant when the score
reaches ``threshold``, at least one crime cue matched (the police alone is not enough), and the
cues' ``action`` weights (prevention or collaboration: förebygga, an agreement, a medborgarlöfte,
another agency or the kommun taking part, a plan, work "mot" something) sum to ``min_action``:
crime words alone say what a text is about, not that anyone prevents crime or works together
against it (police news of a shooting, an investigation, crime statistics). Crime *reports*
(arrests, evidence, court, alarms, scams) weigh against relevance.

Needs only the text and the title, so :func:`pipeline.nlp.analyse` decides it before any spaCy
work and skips the pipeline for irrelevant articles; a rule component called through
``nlp(text)`` can skip an irrelevant doc with ``if is_irrelevant(doc): return doc``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.nlp import vocab
from pipeline.nlp.extensions import get_input

FACTORY = "samverkan_relevance"


@dataclass(frozen=True)
class _Cue:
    regex: re.Pattern[str]
    weight: float
    crime: bool
    max_hits: int
    action: float  # evidence of prevention or collaboration (counted like ``weight``)


@lru_cache(maxsize=1)
def _cues() -> list[_Cue]:
    conf = vocab.vocab("relevance")
    return [_Cue(re.compile(rf"(?<![\wåäö])(?:{c['pattern']})", re.I), float(c["weight"]), bool(c.get("crime")),
                 int(c.get("max_hits", conf["max_hits"])), float(c.get("action", 0.0)))
            for c in conf["cues"]]


def relevance(text: str, title: str | None = None) -> tuple[bool, float]:
    """(is_relevant, score in [0, 1]) of an article; the title counts twice."""
    conf = vocab.vocab("relevance")
    total = 0.0
    action = 0.0
    crime = False
    for body, factor in ((text, 1.0), (title or "", 2.0)):
        for cue in _cues():
            n = min(len(cue.regex.findall(body)), cue.max_hits)
            if n:
                total += cue.weight * n * factor
                action += cue.action * n * factor
                crime = crime or (cue.crime and cue.weight > 0)
    score = 1.0 - math.exp(-max(total, 0.0) / float(conf["scale"]))
    score = round(score, 4)
    relevant = crime and action >= float(conf.get("min_action", 0.0)) and score >= float(conf["threshold"])
    return relevant, score


def is_irrelevant(doc: Doc) -> bool:
    """True when ``doc`` has been judged irrelevant (``samverkan_relevance`` ran, or
    :func:`pipeline.nlp.analyse` decided before the pipeline): later components may skip it."""
    verdict = doc._.samverkan_relevance
    return verdict is not None and not verdict[0]


class Relevance:
    """Score relevance; store ``(is_relevant, score)`` on ``doc._.samverkan_relevance``.

    Needs only the text and the title, so it runs first in the pipeline. A doc whose
    relevance is already set (by :func:`pipeline.nlp.analyse`) is left as it is.
    """

    def __call__(self, doc: Doc) -> Doc:
        """Annotate ``doc`` and return it."""
        if doc._.samverkan_relevance is None:
            doc._.samverkan_relevance = relevance(doc.text, get_input(doc).title)
        return doc


@Language.factory(FACTORY)
def make_relevance(nlp: Language, name: str) -> Relevance:
    """Factory of the ``samverkan_relevance`` component."""
    return Relevance()
