"""The shared parts of the Swedish date finders: vocabulary, date patterns, parsing and calendar helpers.

Pure functions, no spaCy. Words come from ``pipeline/data/vocab/dates.json``; the patterns are compiled
once at import. ``pipeline.text.published`` (publication dates), ``pipeline.text.periods`` (periods) and
``pipeline.text.dates`` (dated events) build on this module.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pipeline.text.sentences import sentence_at
from pipeline.vocabulary import alternation as _alternation
from pipeline.vocabulary import vocab


def words(name: str) -> Any:
    """The list or mapping ``name`` of ``pipeline/data/vocab/dates.json``."""
    return vocab("dates")[name]


MONTHS: dict[str, int] = {**words("months"), **words("months_en")}
WEEKDAYS: dict[str, int] = dict(words("weekdays"))
NUMBERS: dict[str, int] = dict(words("numbers"))


def alternation(words: list[str], *, escape: bool = False) -> str:
    """A regex alternation of ``words``, longest first (so that "mars" wins over "mar"); unescaped by default."""
    return _alternation(words, escape=escape)


def word_re(name: str) -> re.Pattern[str]:
    """A case-insensitive pattern matching any word of the list ``name`` in dates.json as a whole word."""
    return re.compile(rf"(?<!\w)(?:{alternation(words(name), escape=True)})(?!\w)", re.I)


def pattern_list(name: str) -> str:
    """The regular expressions of the list ``name`` in dates.json as one alternation."""
    return alternation(words(name))


MONTH_RE = alternation(list(MONTHS))
YEAR = r"(?:19[5-9]\d|20\d\d)"
_ISO = rf"(?P<iso>{YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01]))(?![\d-])"
_LONG = rf"(?P<day>[0-3]?\d)(?::e|:a)?\s+(?P<month>{MONTH_RE})\.?(?:\s+(?P<year>{YEAR}))?(?!\w)"
_NUMERIC = rf"(?P<nday>[0-3]?\d)[./](?P<nmonth>[01]?\d)[./](?P<nyear>{YEAR})(?!\d)"
DATE_RE = re.compile(rf"(?<![\w-])(?:{_ISO}|{_LONG}|{_NUMERIC})", re.IGNORECASE)
MONTH_YEAR_RE = re.compile(rf"(?<!\w)(?P<month>{MONTH_RE})\s+(?P<year>{YEAR})(?!\d)", re.IGNORECASE)
ISO_D = rf"{YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"
LONG_D = rf"[0-3]?\d\s+(?:{MONTH_RE})\s+{YEAR}"


@dataclass(frozen=True)
class FoundDate:
    """A date found in text, with its evidence span."""

    date: date
    granularity: str  # day | month | year
    text: str
    start_char: int
    end_char: int
    source: str = "mentioned"  # byline | updated | published for publication dates; else the date kind


@dataclass(frozen=True)
class Period:
    """A period such as "2023–2026" (start is 1 January, end 31 December when given as years)."""

    start: date | None
    end: date | None
    text: str
    start_char: int
    end_char: int
    explicit: bool = True  # False for periods derived from relative phrases ("de kommande två åren")


def safe_date(year: int, month: int, day: int) -> date | None:
    """``date(year, month, day)``, or None when there is no such day."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def resolve_year(month: int, day: int, anchor: date | None) -> date | None:
    """A day and month without year: the closest such date to ``anchor`` (not more than ~2 months ahead)."""
    if anchor is None:
        return None
    d = safe_date(anchor.year, month, day)
    if d is None:
        return None
    if d > anchor + timedelta(days=62):
        d = safe_date(anchor.year - 1, month, day)
    return d


def parse_match(m: re.Match[str], anchor: date | None = None) -> date | None:
    """Turn a :data:`DATE_RE` match into a date (day granularity); ``anchor`` completes a missing year."""
    if m.group("iso"):
        y, mo, d = (int(x) for x in m.group("iso").split("-"))
        return safe_date(y, mo, d)
    if m.group("month"):
        month = MONTHS[m.group("month").lower()]
        day = int(m.group("day"))
        if m.group("year"):
            return safe_date(int(m.group("year")), month, day)
        return resolve_year(month, day, anchor)
    if m.group("nyear"):
        return safe_date(int(m.group("nyear")), int(m.group("nmonth")), int(m.group("nday")))
    return None


def parse_date(text: str, anchor: date | None = None) -> date | None:
    """Parse the first Swedish date in ``text`` ("2022-11-30", "17 november 2023", "den 3 maj")."""
    for m in DATE_RE.finditer(text):
        d = parse_match(m, anchor)
        if d is not None:
            return d
    return None


def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """The sentence around ``pos``: the project's one splitter, :func:`pipeline.text.sentences.sentence_at`."""
    return sentence_at(text, pos)


def election_term(anchor: date, upcoming: bool = False) -> tuple[date, date]:
    """The kommun electoral term (four years, 2019–2022, 2023–2026, …) that contains ``anchor``.

    With ``upcoming`` and an anchor after the September election of a term's last year, the next term.
    """
    start_year = 2019 + ((anchor.year - 2019) // 4) * 4
    if upcoming and anchor.year == start_year + 3 and anchor.month >= 9:
        start_year += 4
    return date(start_year, 1, 1), date(start_year + 3, 12, 31)


def nearest_month(month: int, anchor: date) -> date:
    """The first day of the ``month`` occurrence nearest to ``anchor`` (this year, last year or next year)."""
    options = [date(anchor.year + dy, month, 1) for dy in (-1, 0, 1)]
    return min(options, key=lambda d: abs((d - anchor).days))


def most_recent_month(month: int, anchor: date) -> date:
    """The first day of the most recent ``month`` not after ``anchor``."""
    year = anchor.year if month <= anchor.month else anchor.year - 1
    return date(year, month, 1)


def most_recent_weekday(weekday: int, anchor: date) -> date:
    """The most recent ``weekday`` (0 = Monday) on or before ``anchor``."""
    return anchor - timedelta(days=(anchor.weekday() - weekday) % 7)


def add_years(d: date, n: int) -> date:
    """``d`` plus ``n`` years (29 February becomes 28 February)."""
    try:
        return d.replace(year=d.year + n)
    except ValueError:
        return d.replace(year=d.year + n, day=28)


def last_day_of_month(d: date) -> date:
    """The last day of ``d``'s month."""
    return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])


def number_word(word: str) -> int:
    """A number written as a word ("två") or digits ("3"); 0 when it is neither."""
    word = word.lower()
    return NUMBERS.get(word) or (int(word) if word.isdigit() else 0)
