"""Swedish dates in plain text: dated events (decided, signed, meeting, mentioned), and the one import
place for the date finders.

Pure functions, no spaCy. The parts live in ``pipeline.text.dateparse`` (patterns, parsing, calendar
helpers), ``pipeline.text.published`` (:func:`find_publication_date`, used by ``pipeline.text.extract``
when page metadata has no date) and ``pipeline.text.periods`` (:func:`find_periods`); they are
re-exported here. The NLP dates component uses :func:`find_periods` and :func:`find_dated_events`.
Relative expressions ("I november", "vid måndagens sammanträde", "de kommande två åren", "har idag
beslutat") are resolved against the publication date. Offsets are character offsets into the given
text (end exclusive).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from pipeline.text.dateparse import (
    DATE_RE,
    MONTH_RE,
    MONTH_YEAR_RE,
    MONTHS,
    NUMBERS,
    WEEKDAYS,
    FoundDate,
    Period,
    add_years,
    alternation,
    election_term,
    last_day_of_month,
    most_recent_month,
    most_recent_weekday,
    nearest_month,
    parse_date,
    parse_match,
    safe_date,
    sentence_bounds,
    word_re,
)
from pipeline.text.periods import find_periods
from pipeline.text.published import find_publication_date

__all__ = [
    "DATE_RE", "MONTHS", "MONTH_YEAR_RE", "NUMBERS", "WEEKDAYS", "FoundDate", "Period", "add_years", "election_term",
    "find_dated_events", "find_periods", "find_publication_date", "last_day_of_month", "most_recent_month",
    "most_recent_weekday", "nearest_month", "parse_date", "parse_match",
]  # fmt: skip

_DECIDE_RE = word_re("decided_verbs")
_SIGN_RE = word_re("signed_verbs")
_MEET_RE = word_re("meeting_words")
_TODAY_RE = word_re("today_words")
_YESTERDAY_RE = word_re("yesterday_words")
_WEEKDAY_RE = re.compile(rf"\b(?:i |under |vid )?(?P<wd>{alternation(list(WEEKDAYS))})(?:ens|s|en)?\b", re.I)
_REL_MONTH_RE = re.compile(rf"\b(?:i|under|sedan|i början av|i slutet av|i mitten av)\s+(?P<month>{MONTH_RE})(?!\s*\d)(?!\w)",
                           re.I)


def _kind_for(sentence: str) -> str:
    if _SIGN_RE.search(sentence):
        return "signed"
    if _DECIDE_RE.search(sentence):
        return "decided"
    if _MEET_RE.search(sentence):
        return "meeting"
    return "mentioned"


def find_dated_events(text: str, published: date | None = None) -> list[FoundDate]:
    """Find dated expressions and classify them by their sentence: ``signed``, ``decided``, ``meeting`` or ``mentioned``.

    Absolute dates ("den 3 maj 2023", "2022-11-30"; a missing year is taken from ``published``),
    month + year ("november 2023"), and, with ``published``: "idag"/"i går" (only in a decision or
    signing sentence), weekdays ("vid måndagens sammanträde" → the last Monday on or before
    publication) and bare months ("I november" → the most recent November not after publication).
    ``FoundDate.source`` holds the kind. Sorted by position.
    """
    out: list[FoundDate] = []
    taken: list[tuple[int, int]] = []

    def add(d: date | None, gran: str, m: re.Match[str], group: int | str = 0) -> None:
        if d is None:
            return
        s, e = m.start(group), m.end(group)
        if any(not (e <= a or s >= b) for a, b in taken):
            return
        ss, se = sentence_bounds(text, s)
        out.append(FoundDate(d, gran, text[s:e], s, e, _kind_for(text[ss:se])))
        taken.append((s, e))

    for m in DATE_RE.finditer(text):
        add(parse_match(m, published), "day", m)
    for m in MONTH_YEAR_RE.finditer(text):
        add(safe_date(int(m.group("year")), MONTHS[m.group("month").lower()], 1), "month", m)
    if published is not None:
        for m in _REL_MONTH_RE.finditer(text):
            add(most_recent_month(MONTHS[m.group("month").lower()], published), "month", m)
        for m in _WEEKDAY_RE.finditer(text):
            ss, se = sentence_bounds(text, m.start())
            if _kind_for(text[ss:se]) in {"decided", "signed", "meeting"}:
                add(most_recent_weekday(WEEKDAYS[m.group("wd").lower()], published), "day", m)
        for m in _TODAY_RE.finditer(text):
            ss, se = sentence_bounds(text, m.start())
            if _kind_for(text[ss:se]) in {"decided", "signed"}:
                add(published, "day", m)
        for m in _YESTERDAY_RE.finditer(text):
            ss, se = sentence_bounds(text, m.start())
            if _kind_for(text[ss:se]) in {"decided", "signed"}:
                add(published - timedelta(days=1), "day", m)
    out.sort(key=lambda f: f.start_char)
    return out


