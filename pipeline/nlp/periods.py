"""Which period and which decision date belong to a collaboration (used by ``samverkan_collaborations``).

The periods and dated events come from ``samverkan_dates`` (``pipeline.text.periods`` /
``pipeline.text.dates``). A collaboration takes, in order:

1. the period written closest to one of its own type words, in that word's sentence (after the word
   first, else an explicit one before it: "För 2024 gäller medborgarlöftet …");
2. the first period in a sentence that names collaboration parties: explicit ones first, then derived
   ones with both ends ("de kommande två åren"), then open ones ("har sedan 2019 ett avtal", which
   often tells where an earlier agreement began);
3. the first period anywhere in the article, in the same order;

where steps 2 and 3 skip periods that stand in another collaboration's own sentence (an article that
reports a medborgarlöfte 2023–2024 and an överenskommelse "fram till och med 2026" gives each its
own) and periods that ended before the publication year ("2019–2022 ökade anmälningarna" is
statistics, not the period of the agreement the article reports).

A one-off event (a conference, a joint operation, a kunskapsdag; ``event_nouns`` in
``pipeline/data/vocab/dates.json``) with no period lasts the day or month it is dated to in the event
word's own sentence; a "möte i oktober" in a sentence about "samverkan" in general dates no
collaboration. The decision date is the first ``decided`` date in the
collaboration's own sentences, then in the party sentences, else the first ``signed`` date likewise.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from functools import cache

from pipeline.facts import DateFact
from pipeline.text.dateparse import Period, last_day_of_month, pattern_list

Span = tuple[int, int]
TypeMention = tuple[str, int, int, int]  # (type, start, end, sentence index), as collaborations.type_mentions


@cache
def _event_noun() -> re.Pattern[str]:
    return re.compile(rf"(?:{pattern_list('event_nouns')})", re.I)


def _inside(pos: int, ranges: Sequence[Span]) -> bool:
    return any(s <= pos < e for s, e in ranges)


def _strength(p: Period) -> int:
    """Explicit periods first, then derived ones with both ends ("de kommande två åren"), then open ones
    ("har sedan 2019" tells where something began, often an earlier agreement)."""
    return 2 if p.explicit else 1 if p.start is not None and p.end is not None else 0


def _pick(periods: Sequence[Period], ranges: Sequence[Span]) -> Period | None:
    inside = [p for p in periods if _inside(p.start_char, ranges)]
    return max(inside, key=_strength, default=None)  # the first of the strongest


def _nearest(periods: Sequence[Period], ms: Sequence[TypeMention], bounds: Sequence[Span]) -> Period | None:
    """The period closest to one of the type words inside the word's sentence; after the word beats before it."""
    best: tuple[int, int, Period] | None = None
    for p in periods:
        for _t, s, _e, si in ms:
            a, b = bounds[si]
            if not a <= p.start_char < b:
                continue
            if p.start_char < s and not p.explicit:
                continue  # before the type word only an explicit period counts ("För 2024 gäller …")
            key = (0, p.start_char - s) if p.start_char >= s else (1, s - p.end_char)
            if best is None or key < best[:2]:
                best = (*key, p)
    return best[2] if best else None


def event_period(text: str, dates: Sequence[DateFact], ms: Sequence[TypeMention],
                 bounds: Sequence[Span]) -> Period | None:
    """A one-off event lasts the day or month it is dated to, in the sentence of its event word."""
    noun = _event_noun()
    sentences = [bounds[si] for _t, s, e, si in ms if noun.search(text[s:e])]
    for d in dates:
        if d.kind == "published" or d.start_char is None or not _inside(d.start_char, sentences):
            continue
        end = last_day_of_month(d.date) if d.granularity == "month" else d.date
        return Period(d.date, end, d.text, d.start_char, d.end_char or d.start_char, explicit=False)
    return None


def choose_period(text: str, periods: Sequence[Period], dates: Sequence[DateFact], ms: Sequence[TypeMention],
                  bounds: Sequence[Span], cue_sents: Sequence[Span], others: Sequence[Span] = (),
                  event: bool = False, published: date | None = None) -> Period | None:
    """The period of the collaboration named by ``ms`` (see the module docstring).

    ``cue_sents`` are the sentences naming parties, ``others`` the own sentences of the article's other
    collaborations, ``event`` says whether the collaboration's type may be a one-off event, ``published``
    (the publication date, if known) keeps periods that ended before the publication year out of the
    fallbacks: away from the collaboration's own words they are history or statistics.
    """
    own = sorted({bounds[m[3]] for m in ms})
    found = _nearest(periods, ms, bounds)
    if found is None:
        past = date(published.year, 1, 1) if isinstance(published, date) else date.min
        free = [p for p in periods if (_inside(p.start_char, own) or not _inside(p.start_char, others))
                and (p.end is None or p.end >= past)]
        found = _pick(free, cue_sents) or _pick(free, bounds)
    if found is None and event:
        found = event_period(text, dates, ms, bounds)
    return found


def choose_decided(dates: Sequence[DateFact], own: Sequence[Span], cue_sents: Sequence[Span]) -> date | None:
    """The decision date: the first ``decided`` date in ``own`` then ``cue_sents``, else a ``signed`` one likewise."""
    for kind in ("decided", "signed"):
        for ranges in (own, cue_sents):
            for d in dates:
                if d.kind == kind and d.start_char is not None and _inside(d.start_char, ranges):
                    return d.date
    return None
