"""Load the base spaCy model of the NLP layer.

The base model is ``config.base_model_name()``: our committed pipeline in
``models/sv_samverkan`` unless ``SAMVERKAN_BASE_MODEL`` names an installed package
(e.g. ``sv_core_news_md``) or a path. spaCy's Swedish packages label persons ``PRS``;
the ``samverkan_label_map`` component maps them to our ``PER``. Nothing is cached here.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline import config

log = logging.getLogger(__name__)

LABEL_MAP_FACTORY = "samverkan_label_map"
DEFAULT_LABEL_MAP: dict[str, str] = {"PRS": "PER"}


class LabelMap:
    """Rename entity labels in ``doc.ents`` (e.g. ``PRS`` → ``PER``)."""

    def __init__(self, mapping: Mapping[str, str]) -> None:
        self.mapping = dict(mapping)

    def __call__(self, doc: Doc) -> Doc:
        """Return ``doc`` with its entity labels renamed by the mapping."""
        if any(ent.label_ in self.mapping for ent in doc.ents):
            doc.ents = [Span(doc, ent.start, ent.end, label=self.mapping.get(ent.label_, ent.label_), kb_id=ent.kb_id_) for ent in doc.ents]
        return doc


@Language.factory(LABEL_MAP_FACTORY, default_config={"mapping": DEFAULT_LABEL_MAP})
def make_label_map(nlp: Language, name: str, mapping: dict[str, str]) -> LabelMap:
    """Factory of the ``samverkan_label_map`` component."""
    return LabelMap(mapping)


def ner_labels(nlp: Language) -> set[str]:
    """Labels of the pipeline's ``ner`` component (empty without one)."""
    if "ner" not in nlp.pipe_names:
        return set()
    return set(nlp.get_pipe("ner").labels)  # type: ignore[attr-defined]


def load_base(name: str | None = None) -> Language:
    """Load the base model ``name`` (default ``config.base_model_name()``).

    Adds ``samverkan_label_map`` after the ``ner`` when the model labels persons ``PRS``.
    If the model cannot be loaded, logs a warning naming it and returns ``spacy.blank("sv")``.
    """
    model = name or config.base_model_name()
    try:
        nlp = spacy.load(model)
    except (OSError, ImportError, ValueError, KeyError) as exc:
        log.warning(
            "base spaCy model %r could not be loaded (%s); using a blank Swedish pipeline without "
            "statistical NER, POS or lemmas. Retrain it with `make -C models train`, install the "
            "package, or set SAMVERKAN_BASE_MODEL to a loadable package name or path.",
            model,
            exc,
        )
        return spacy.blank("sv")
    if "PRS" in ner_labels(nlp) and LABEL_MAP_FACTORY not in nlp.pipe_names:
        nlp.add_pipe(LABEL_MAP_FACTORY, after="ner")
    return nlp
