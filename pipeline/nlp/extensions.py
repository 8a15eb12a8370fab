"""Doc extensions shared by the ``samverkan_*`` components, and small text helpers.

Components store the plain dataclasses of :mod:`pipeline.facts` (no spaCy objects) on
``Doc._`` so that ``convert`` can collect them into ``pipeline.facts.ArticleFacts``; entity spans also go to the span
group ``doc.spans["samverkan"]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from spacy.attrs import IDX, SENT_START
from spacy.tokens import Doc

from pipeline.text.sentences import split_sentences

SPAN_GROUP = "samverkan"

EXTENSIONS = (
    "samverkan_input",  # DocInput
    "samverkan_entities",  # list[facts.Mention]: gazetteer matches (KOMMUN, MYNDIGHET, LANSSTYRELSE, REGION, PARTY)
    "samverkan_dates",  # list[facts.DateFact]
    "samverkan_periods",  # list[text.dates.Period]
    "samverkan_people",  # list[facts.Person]
    "samverkan_priorities",  # list[facts.PriorityArea]
    "samverkan_collaborations",  # list[facts.Collaboration]
    "samverkan_relevance",  # tuple[bool, float] | None
)


def register_extensions() -> None:
    """Register the ``Doc._.samverkan_*`` extensions (idempotent)."""
    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


register_extensions()


@dataclass(frozen=True)
class DocInput:
    """What a component knows about the article besides its text (``Doc._.samverkan_input``)."""

    title: str | None = None
    published: date | None = None  # anchors relative dates
    url: str | None = None
    source_kommun: str | None = None  # SCB code of the publishing kommun, if the caller knows it
    publisher: str | None = None  # the publishing kommun as inferred by ``samverkan_gazetteer``


def get_input(doc: Doc) -> DocInput:
    """The analysis input metadata stored on ``doc`` (an empty :class:`DocInput` if none)."""
    value = doc._.samverkan_input
    return value if isinstance(value, DocInput) else DocInput()


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Sentence spans as (start_char, end_char), stripped of surrounding space.

    Uses ``doc.sents`` when sentence boundaries are set (``samverkan_sentences``, a parser or
    senter); otherwise the project's one rule-based splitter, :func:`pipeline.text.sentences.split_sentences`.
    """
    if not doc.has_annotation("SENT_START"):
        return split_sentences(doc.text)
    text = doc.text
    arr = doc.to_array([SENT_START, IDX]).astype("int64")  # read as arrays: no Span/Token objects
    starts = [0] + [int(i) for i in arr[1:, 1][arr[1:, 0] == 1]]
    out: list[tuple[int, int]] = []
    for k, s in enumerate(starts):
        e = starts[k + 1] if k + 1 < len(starts) else len(text)
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def sentence_of(bounds: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    """The sentence (start, end) containing character ``pos`` (or the nearest one before it)."""
    best = (0, 0)
    for s, e in bounds:
        if s <= pos:
            best = (s, e)
            if pos < e:
                return best
        else:
            break
    return best


def add_spans(doc: Doc, items: list[tuple[int, int, str]]) -> None:
    """Add (start_char, end_char, label) spans to ``doc.spans["samverkan"]`` (expanded to token bounds)."""
    group = list(doc.spans[SPAN_GROUP]) if SPAN_GROUP in doc.spans else []
    for s, e, label in items:
        span = doc.char_span(s, e, label=label, alignment_mode="expand")
        if span is not None:
            group.append(span)
    doc.spans[SPAN_GROUP] = group
