"""Plain data classes for what the NLP stage finds in one article.

This is the one fact model: the ``samverkan_*`` spaCy components produce these types
directly (on ``Doc._``), ``pipeline.nlp.convert`` collects them into :class:`ArticleFacts`,
and the Parquet rows are derived from them through the table schemas
(:mod:`pipeline.tables.derive`): a column whose name is an attribute here is filled from
it. Fields that are not table columns (``type_spans``, ``role_span``, ``mentions`` …)
carry the evidence spans that become ``mentions`` rows. No spaCy objects cross this
boundary. Adding a column: add it to the schema and to the class here.

All ``start_char``/``end_char`` are character offsets into the article text
(``end_char`` exclusive). Dates are ``datetime.date``.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any


@dataclass
class Party:
    """A party of a collaboration."""

    party_kind: str  # kommun | myndighet | region | lansstyrelse | organisation
    party_id: str  # SCB code for kommun, slug otherwise
    party_name: str
    start_char: int | None = None
    end_char: int | None = None


@dataclass
class PriorityArea:
    """A priority area named in the text."""

    area_code: str
    area_group: str
    text: str
    start_char: int
    end_char: int
    collaboration_index: int | None = None  # index into ArticleFacts.collaborations


@dataclass
class Collaboration:
    """A collaboration described in an article."""

    type: str
    name: str | None
    evidence: str
    start_char: int
    end_char: int
    period_start: date | None = None
    period_end: date | None = None
    decided_on: date | None = None
    parties: list[Party] = field(default_factory=list)
    type_spans: list[tuple[int, int]] = field(default_factory=list)  # spans naming the type (mentions only)


@dataclass
class Person:
    """A person mentioned with a role (one per person per article)."""

    name: str
    start_char: int
    end_char: int
    role: str | None = None
    role_code: str | None = None
    organisation: str | None = None
    organisation_id: str | None = None
    party: str | None = None
    role_span: tuple[int, int] | None = None  # where the role is written (a ROLE mention)
    party_span: tuple[int, int] | None = None
    mentions: list[tuple[int, int]] = field(default_factory=list)  # every span naming the person

    @property
    def person_id(self) -> str:
        """Stable id from the normalised name: the same name gives the same id in every article."""
        return person_id_for(self.name)


@dataclass
class DateFact:
    """A dated expression."""

    kind: str  # published | period_start | period_end | decided | meeting | signed | mentioned
    date: date
    granularity: str  # day | month | year
    text: str
    start_char: int | None = None
    end_char: int | None = None


@dataclass
class Mention:
    """Any entity span."""

    label: str
    text: str
    norm_id: str | None
    start_char: int
    end_char: int
    name: str | None = None  # canonical name of a gazetteer match (kommun, agency, party)
    kommun_suffix: bool = False  # a kommun written out as "X kommun" / "X stad"


@dataclass
class ArticleFacts:
    """Everything the NLP stage found in one article."""

    is_relevant: bool
    relevance_score: float
    language: str | None = None
    collaborations: list[Collaboration] = field(default_factory=list)
    priority_areas: list[PriorityArea] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    dates: list[DateFact] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    kommuner: list[tuple[str, str]] = field(default_factory=list)  # (code, name) of kommuner named

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-friendly dict (dates as ISO strings)."""
        return _isoformat(asdict(self))


def _isoformat(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _isoformat(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_isoformat(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def normalise_name(name: str) -> str:
    """Normalise a person name for identity: NFC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def person_id_for(name: str) -> str:
    """Stable person id derived from the normalised name."""
    return "p_" + hashlib.sha1(normalise_name(name).encode("utf-8"), usedforsecurity=False).hexdigest()[:12]
