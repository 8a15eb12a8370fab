"""The Swedish NLP layer: a base spaCy pipeline plus ``samverkan_*`` rule components.

Public API::

    nlp = load_nlp()                         # cached per process per base model
    for facts in analyse(nlp, inputs):       # one ArticleFacts per AnalysisInput, same order
        ...
    facts = analyse_one(nlp, AnalysisInput(text, published=date(2023, 11, 17)))

Every component works on a blank ``sv`` pipeline; a trained base model (PER entities,
lemmas) improves people and priority areas.
"""

from __future__ import annotations

import datetime
import logging
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import spacy
from spacy.language import Language

from pipeline.facts import ArticleFacts
from pipeline.nlp import collaborations as _collaborations
from pipeline.nlp import dates as _dates
from pipeline.nlp import gazetteer as _gazetteer
from pipeline.nlp import parallel as _parallel
from pipeline.nlp import people as _people
from pipeline.nlp import priorities as _priorities
from pipeline.nlp import relevance as _relevance
from pipeline.nlp.convert import doc_to_facts
from pipeline.nlp.extensions import DocInput, register_extensions

__all__ = ["AnalysisInput", "RULE_COMPONENTS", "analyse", "analyse_one", "load_nlp"]

log = logging.getLogger(__name__)

RULE_COMPONENTS: tuple[str, ...] = (
    _gazetteer.FACTORY,
    _dates.FACTORY,
    _people.FACTORY,
    _priorities.FACTORY,
    _collaborations.FACTORY,
    _relevance.FACTORY,
)
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


def _load_base(base: str | None) -> Language:
    try:
        from pipeline.nlp.base import load_base
    except ImportError:
        log.warning("pipeline.nlp.base is not available; using a blank Swedish pipeline")
        return spacy.blank("sv")
    return load_base(base)


def build_nlp(base: str | None = None) -> Language:
    """Build a fresh pipeline: the base model, ``samverkan_sentences`` if available, and the rule components."""
    register_extensions()
    nlp = _load_base(base)
    try:
        from pipeline.nlp import sentences as _sentences

        factory = getattr(_sentences, "FACTORY", "samverkan_sentences")
        if factory not in nlp.pipe_names:
            first = nlp.pipe_names[0] if nlp.pipe_names else None
            if first is not None:
                nlp.add_pipe(factory, before=first)
            else:
                nlp.add_pipe(factory)
    except (ImportError, ValueError) as exc:
        log.warning("samverkan_sentences not added (%s); sentences are split by rule inside the components", exc)
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


def _make_doc(nlp: Language, inp: AnalysisInput) -> spacy.tokens.Doc:
    doc = nlp.make_doc(inp.text)
    doc._.samverkan_input = DocInput(title=inp.title, published=inp.published, url=inp.url, source_kommun=inp.source_kommun)
    return doc


def analyse(nlp: Language, inputs: Iterable[AnalysisInput], *, batch_size: int = 32,
            n_process: int = 1) -> Iterator[ArticleFacts]:
    """Analyse ``inputs`` with ``nlp.pipe``; yields one ArticleFacts per input, in input order.

    With ``n_process > 1`` and a pipeline from :func:`load_nlp`, chunks of inputs go to a pool of
    worker processes (each loads the same pipeline once) and only the plain ``ArticleFacts``
    travel back; spaCy's own ``n_process`` cannot be used because the ``samverkan_*`` Doc
    extensions hold dates and dataclasses that ``Doc.to_bytes`` cannot serialise.
    """
    if n_process > 1:
        found, base = loaded_base(nlp)
        if found:
            yield from _parallel.analyse_parallel(base, list(inputs), batch_size=batch_size, n_process=n_process)
            return
        log.warning("analyse: n_process=%d needs a pipeline from load_nlp(); running in one process", n_process)
    yield from analyse_serial(nlp, inputs, batch_size=batch_size)


def loaded_base(nlp: Language) -> tuple[bool, str | None]:
    """``(True, base)`` if ``nlp`` came from ``load_nlp(base)`` in this process (so a worker
    process can load the same pipeline), else ``(False, None)``."""
    with _LOCK:
        for key, cached in _CACHE.items():
            if cached is nlp:
                return True, key
    return False, None


def analyse_serial(nlp: Language, inputs: Iterable[AnalysisInput], *, batch_size: int = 32) -> Iterator[ArticleFacts]:
    """Analyse ``inputs`` in this process with ``nlp.pipe``; one ArticleFacts per input, in order."""
    docs = (_make_doc(nlp, inp) for inp in inputs)
    for doc in nlp.pipe(docs, batch_size=batch_size):
        yield doc_to_facts(doc)


def analyse_one(nlp: Language, inp: AnalysisInput) -> ArticleFacts:
    """Analyse one article."""
    return doc_to_facts(nlp(_make_doc(nlp, inp)))
