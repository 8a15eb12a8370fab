"""The Swedish NLP layer: a base spaCy pipeline plus ``samverkan_*`` rule components.

Public API::

    nlp = load_nlp()                         # cached per process per base model
    for facts in analyse(nlp, inputs):       # one ArticleFacts per AnalysisInput, same order
        ...
    facts = analyse_one(nlp, AnalysisInput(text, published=date(2023, 11, 17)))

Relevance first: :func:`analyse` decides relevance on the raw text and title
(:func:`pipeline.nlp.relevance.relevance`, a few regular expressions) before any spaCy work,
and only relevant articles go through ``nlp.pipe`` (tokenizer, base model, rule components).
Irrelevant ones get ``ArticleFacts(is_relevant=False, relevance_score=...)`` directly, exactly
what the full pipeline would have produced for them. ``samverkan_relevance`` stays in the
pipeline, right after ``samverkan_sentences``, for callers of ``nlp(text)``; it does nothing on a
doc whose relevance :func:`analyse` has already set.

Every component works on a blank ``sv`` pipeline; a trained base model (PER entities,
lemmas) improves people and priority areas.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.facts import ArticleFacts
from pipeline.nlp import collaborations as _collaborations
from pipeline.nlp import dates as _dates
from pipeline.nlp import gazetteer as _gazetteer
from pipeline.nlp import people as _people
from pipeline.nlp import priorities as _priorities
from pipeline.nlp import relevance as _relevance
from pipeline.nlp import sentences as _sentences
from pipeline.nlp.base import load_base
from pipeline.nlp.convert import doc_to_facts, irrelevant_facts
from pipeline.nlp.extensions import DocInput, register_extensions

__all__ = ["AnalysisInput", "RULE_COMPONENTS", "analyse", "analyse_one", "load_nlp"]

RULE_COMPONENTS: tuple[str, ...] = (
    _relevance.FACTORY,  # first: it needs nothing but the text and the title
    _gazetteer.FACTORY,
    _dates.FACTORY,
    _people.FACTORY,
    _priorities.FACTORY,
    _collaborations.FACTORY,
)
# analyse() sends at most this many batches' worth of articles (relevant or not) through one
# nlp.pipe call, so that a long run of irrelevant articles does not hold back the output
_WINDOW_BATCHES = 8
_CACHE: dict[str | None, Language] = {}
_LOCK = threading.Lock()


@dataclass(frozen=True)
class AnalysisInput:
    """One article to analyse; ``published`` anchors relative dates ("I november", "de kommande två åren")."""

    text: str
    title: str | None = None
    published: datetime.date | None = None
    url: str | None = None
    source_kommun: str | None = None  # SCB code of the publishing kommun, if known


def build_nlp(base: str | None = None) -> Language:
    """Build a fresh pipeline: ``samverkan_sentences``, ``samverkan_relevance``, the base model's
    components, then the other rule components."""
    register_extensions()
    nlp = load_base(base)
    if _sentences.FACTORY not in nlp.pipe_names:
        nlp.add_pipe(_sentences.FACTORY, first=True)
    if _relevance.FACTORY not in nlp.pipe_names:
        nlp.add_pipe(_relevance.FACTORY, after=_sentences.FACTORY)
    for name in RULE_COMPONENTS:
        if name not in nlp.pipe_names:
            nlp.add_pipe(name)
    return nlp


def load_nlp(base: str | None = None) -> Language:
    """The analysis pipeline for ``base`` (default: ``config.base_model_name()``), cached per process."""
    with _LOCK:
        if base not in _CACHE:
            _CACHE[base] = build_nlp(base)
        return _CACHE[base]


def forget_loaded() -> None:
    """Drop the pipelines cached by :func:`load_nlp`; the next call loads a fresh one.

    For benchmarks that must not let one measurement inherit a warmed-up vocabulary from
    another, and for an analyst's session after retraining the model on disk.
    """
    with _LOCK:
        _CACHE.clear()


def _make_doc(nlp: Language, inp: AnalysisInput, verdict: tuple[bool, float]) -> Doc:
    doc = nlp.make_doc(inp.text)
    doc._.samverkan_input = DocInput(title=inp.title, published=inp.published, url=inp.url, source_kommun=inp.source_kommun)
    doc._.samverkan_relevance = verdict  # decided already; samverkan_relevance leaves it as it is
    return doc


def analyse(nlp: Language, inputs: Iterable[AnalysisInput], *, batch_size: int = 32) -> Iterator[ArticleFacts]:
    """Analyse ``inputs``; yields one ArticleFacts per input, in input order.

    Relevance is decided first on the text and title; only relevant articles go through
    ``nlp.pipe`` (in batches of ``batch_size`` relevant articles), irrelevant ones are answered
    at once with their score and empty lists.
    """
    window: list[tuple[AnalysisInput, tuple[bool, float]]] = []
    n_relevant = 0
    for inp in inputs:
        verdict = _relevance.relevance(inp.text, inp.title)
        window.append((inp, verdict))
        n_relevant += verdict[0]
        if n_relevant >= batch_size or len(window) >= _WINDOW_BATCHES * batch_size:
            yield from _analyse_window(nlp, window, batch_size)
            window, n_relevant = [], 0
    if window:
        yield from _analyse_window(nlp, window, batch_size)


def _analyse_window(nlp: Language, window: list[tuple[AnalysisInput, tuple[bool, float]]],
                    batch_size: int) -> Iterator[ArticleFacts]:
    """The facts of ``window`` in order: relevant inputs through one ``nlp.pipe`` call, the rest directly."""
    docs = nlp.pipe((_make_doc(nlp, inp, verdict) for inp, verdict in window if verdict[0]), batch_size=batch_size)
    for _, (is_relevant, score) in window:
        yield doc_to_facts(next(docs)) if is_relevant else irrelevant_facts(score)


def analyse_one(nlp: Language, inp: AnalysisInput) -> ArticleFacts:
    """Analyse one article (relevance first, like :func:`analyse`)."""
    return next(analyse(nlp, [inp]))
