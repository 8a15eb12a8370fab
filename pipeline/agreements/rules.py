"""The resolution rules as data: ``pipeline/data/vocab/agreements.json`` (see its ``_doc``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

from pipeline.nlp.vocab import vocab


@dataclass(frozen=True)
class Rules:
    """Vocabularies and thresholds of agreement resolution."""

    type_groups: dict[str, str]
    agency_aliases: dict[str, str]
    default_duration_years: dict[str, int | None]
    decision_lead_days: int
    same_period_days: int
    same_decision_days: int
    join_confidence: dict[str, float]
    multi_source_bonus: float

    def type_group(self, type_: str | None) -> str:
        """Group of a collaboration type (types of one group may be the same agreement)."""
        key = type_ or "other"
        return self.type_groups.get(key, key)

    def agency(self, party_id: str) -> str:
        """Canonical id of a non-kommun party (agency aliases applied)."""
        return self.agency_aliases.get(party_id, party_id)

    def duration_end(self, type_: str | None, start: dt.date) -> dt.date | None:
        """Assumed last day of an agreement of ``type_`` starting on ``start`` (None: open-ended)."""
        years = self.default_duration_years.get(type_ or "other", self.default_duration_years.get("other"))
        if years is None:
            return None
        try:
            return start.replace(year=start.year + years) - dt.timedelta(days=1)
        except ValueError:  # 29 February
            return start.replace(year=start.year + years, day=28)


@cache
def load_rules() -> Rules:
    """The shipped rules (cached)."""
    data: dict[str, Any] = vocab("agreements")
    return Rules(
        type_groups=dict(data["type_groups"]),
        agency_aliases=dict(data["agency_aliases"]),
        default_duration_years=dict(data["default_duration_years"]),
        decision_lead_days=int(data["decision_lead_days"]),
        same_period_days=int(data["same_period_days"]),
        same_decision_days=int(data["same_decision_days"]),
        join_confidence={k: float(v) for k, v in data["join_confidence"].items()},
        multi_source_bonus=float(data["multi_source_bonus"]),
    )
