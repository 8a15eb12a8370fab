"""Doc extensions shared by the ``samverkan_*`` components, and small text helpers.

Components store plain dataclasses (no spaCy objects) on ``Doc._`` so that ``convert``
can turn a Doc into ``pipeline.facts.ArticleFacts``; entity spans also go to the span
group ``doc.spans["samverkan"]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from spacy.tokens import Doc

from pipeline.facts import person_id_for

SPAN_GROUP = "samverkan"

EXTENSIONS = (
    "samverkan_input",  # dict: title, published, url, source_kommun
    "samverkan_entities",  # list[EntityHit]
    "samverkan_dates",  # list[DateHit]
    "samverkan_periods",  # list[textdates.Period]
    "samverkan_people",  # list[PersonHit]
    "samverkan_priorities",  # list[PriorityHit]
    "samverkan_collaborations",  # list[CollabHit]
    "samverkan_relevance",  # tuple[bool, float] | None
)


def register_extensions() -> None:
    """Register the ``Doc._.samverkan_*`` extensions (idempotent)."""
    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


register_extensions()


@dataclass
class EntityHit:
    """A gazetteer match: kommun, agency, länsstyrelse, region or party."""

    label: str  # KOMMUN | MYNDIGHET | LANSSTYRELSE | REGION | PARTY
    text: str
    norm_id: str | None
    name: str
    start_char: int
    end_char: int
    kommun_suffix: bool = False  # "X kommun" / "X stad" written out


@dataclass
class DateHit:
    """A dated expression with its kind."""

    kind: str
    date: date
    granularity: str
    text: str
    start_char: int
    end_char: int


@dataclass
class PersonHit:
    """A person with role, organisation and party; ``mentions`` are all (start, end) spans naming them."""

    name: str
    start_char: int
    end_char: int
    role: str | None = None
    role_code: str | None = None
    role_span: tuple[int, int] | None = None
    organisation: str | None = None
    organisation_id: str | None = None
    party: str | None = None
    party_span: tuple[int, int] | None = None
    mentions: list[tuple[int, int]] = field(default_factory=list)

    @property
    def person_id_value(self) -> str:
        """The stable person id of ``pipeline.facts``."""
        return person_id_for(self.name)


@dataclass
class PriorityHit:
    """A priority area named in the text."""

    area_code: str
    area_group: str
    text: str
    start_char: int
    end_char: int
    collaboration_index: int | None = None


@dataclass
class PartyHit:
    """A party of a collaboration."""

    party_kind: str
    party_id: str
    party_name: str
    start_char: int | None = None
    end_char: int | None = None


@dataclass
class CollabHit:
    """A collaboration described in the article."""

    type: str
    name: str | None
    evidence: str
    start_char: int
    end_char: int
    type_spans: list[tuple[int, int]] = field(default_factory=list)
    period_start: date | None = None
    period_end: date | None = None
    decided_on: date | None = None
    parties: list[PartyHit] = field(default_factory=list)


def get_input(doc: Doc) -> dict[str, Any]:
    """The analysis input metadata stored on ``doc`` (empty dict if none)."""
    value = doc._.samverkan_input
    return value if isinstance(value, dict) else {}


_SENT_END = re.compile(r"(?<=[.!?…])[”\"»']?\s+(?=[–—\-\"”«A-ZÅÄÖÉ0-9•])|\n+")


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Sentence spans as (start_char, end_char), stripped of surrounding space.

    Uses ``doc.sents`` when sentence boundaries are set (``samverkan_sentences``, a parser or
    senter); otherwise splits on line breaks and sentence-final punctuation.
    """
    text = doc.text
    raw: list[tuple[int, int]] = []
    if doc.has_annotation("SENT_START"):
        for s in doc.sents:
            raw.append((s.start_char, s.end_char))
    else:
        pos = 0
        for m in _SENT_END.finditer(text):
            raw.append((pos, m.start()))
            pos = m.end()
        raw.append((pos, len(text)))
    out: list[tuple[int, int]] = []
    for s, e in raw:
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
