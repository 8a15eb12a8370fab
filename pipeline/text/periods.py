"""Periods in Swedish text: "2023–2026", "från den 15 december 2023 till 2026", "skrivet till 2020",
"gäller från och med 17 februari 2023", "pågår under 2025 och 2026", "de kommande två åren", "mandatperioden".

Pure functions, no spaCy. :func:`find_periods` runs a list of rules, strongest first; a later rule
never takes text an earlier one took. A year alone is a period only where the text ties it to an
agreement or to a validity verb ("medborgarlöften för 2017", "gäller under 2024"); a year mentioned in
passing ("under 2018 anmäldes …", "efter ombildningen 2015") is none. Words come from
``pipeline/data/vocab/dates.json``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from itertools import chain

from pipeline.text.dateparse import (
    ISO_D,
    LONG_D,
    MONTH_RE,
    MONTHS,
    YEAR,
    Period,
    add_years,
    alternation,
    election_term,
    last_day_of_month,
    most_recent_weekday,
    nearest_month,
    number_word,
    parse_date,
    pattern_list,
    resolve_year,
    safe_date,
    sentence_bounds,
    words,
)

_VALIDITY = alternation(words("validity_verbs"), escape=True)
_SINCE = alternation(words("since_verbs"), escape=True)
_STARTS = alternation(words("start_verbs"), escape=True)
_NOUNS = pattern_list("period_nouns")
_WORK = alternation(words("work_nouns"), escape=True)
_ADJ = alternation(words("duration_adjectives"), escape=True)

_DASH = r"\s*(?:–|—|-|till|t\.o\.m\.?|tom|och)\s*"
_RANGE_RE = re.compile(rf"(?<![\w-])(?P<a>{YEAR}){_DASH}(?P<b>{YEAR}|\d\d)(?![\w-])")
_FROM_TO_RE = re.compile(
    rf"(?:från(?: och med)?|in i|under|fr\.o\.m\.?|start(?:ar)?(?: år)?)\s+(?P<a>{YEAR})\b[^.\n]{{0,40}}?"
    rf"(?:fram till|till och med|till|t\.o\.m\.?)\s+(?:och med\s+)?(?:år\s+)?(?P<b>{YEAR})\b",
    re.I,
)
# "fram till 2027", "gäller till och med december 2026", "skrivet till 2020" (plain "till" needs a
# validity verb before it in the sentence, or a stated start).
_UNTIL_RE = re.compile(
    rf"(?P<cue>fram till|till och med|t\.o\.m\.?|löper ut|(?:avslutas|avslutades|upphör|slutar gälla)(?: i| vid)?"
    rf"|(?<!\w)till)\s+(?:och med\s+)?(?:den\s+)?(?:(?P<bdate>{ISO_D}|{LONG_D})(?![\w-])"
    rf"|(?:år\s+|utgången av\s+|slutet av\s+)?(?:(?P<bm>{MONTH_RE})\s+)?(?P<b>{YEAR})\b)",
    re.I,
)
_UNTIL_VERB_RE = re.compile(rf"(?<!\w)(?:{_VALIDITY}|{alternation(words('until_verbs'), escape=True)})(?!\w)", re.I)
_DAY_MONTH_BEFORE = re.compile(rf"\d\s+(?:{MONTH_RE})\s+$", re.I)
# Patterns that start with a word, not with an optional group, let the regex engine skip ahead fast;
# the words before ("för de", "nästa") are looked up behind the match.
_COMING_RE = re.compile(rf"(?:{alternation(words('coming_words'), escape=True)})\s+(?P<n>\w+)\s+(?:åren|år)\b", re.I)
_COMING_LEAD = re.compile(r"(?:(?:under|för)\s+)?de\s+$", re.I)
_TERM_RE = re.compile(r"mandatperiod(?:en)?\b", re.I)
_TERM_LEAD = re.compile(rf"(?:{alternation(words('next_term_words'), escape=True)})\s*$", re.I)
# "gäller under 2024", "pågår under 2025 och 2026", "medborgarlöften för 2017", "Medborgarlöfte 2021".
_YEAR_ALONE_RE = re.compile(
    rf"(?:(?<!\w)(?:{_VALIDITY})(?: under| för| i)?|(?<!\w)(?:{_NOUNS})(?:[^.\n]{{0,40}}? för)?) (?:år |året |åren )?"
    rf"(?P<a>{YEAR})(?:\s*(?:och|&|/)\s*(?P<b>{YEAR}))?(?![\w–-])",
    re.I,
)
# "kommunens arbete 2017", "insatserna under 2024": a current or coming year of the work described.
_WORK_YEAR_RE = re.compile(rf"(?<!\w)(?:{_WORK}) (?:under |för |i )?(?:år )?(?P<a>{YEAR})(?![\w–-])", re.I)
_MONTH_SPAN_RE = re.compile(
    rf"\b[Ii] (?P<m1>{MONTH_RE})\b[^.\n]{{0,80}}?(?:till och med|t\.o\.m\.?|fram till|till) (?P<m2>{MONTH_RE}) "
    rf"(?P<y2>{YEAR})\b",
    re.I,
)
_YEAR_OUT_RE = re.compile(rf"\b[Ii] (?P<m1>{MONTH_RE})\b[^\n]{{0,160}}?\b(?:året ut|resten av året)", re.I)
# "perioden 2024-01-01–2026-12-31", "1 juni 2024 – 31 maj 2026": two full dates joined by a dash or "till".
_DATE_RANGE_RE = re.compile(
    rf"(?<![\w-])(?P<a>{ISO_D}|{LONG_D})\s*(?:–|—|-|till(?: och med)?|t\.o\.m\.?)\s*(?:den\s+)?(?P<b>{ISO_D}|{LONG_D})(?![\w-])",
    re.I,
)
# "20–22 februari (2024)", "30 september–2 oktober", "den 8 och 9 oktober", "från den 20 juni till den
# 18 augusti": a dated event of several days ("och" only between two days of one month).
_DAY_RANGE_RE = re.compile(
    rf"(?<![\w-])(?P<d1>[0-3]?\d)(?:\s+(?P<m1>{MONTH_RE}))?"
    rf"(?:\s*(?:–|—|-)\s*|\s+(?:till(?: och med)?|t\.o\.m\.?)\s+(?:den\s+)?|(?P<och>\s+och\s+))"
    rf"(?P<d2>[0-3]?\d)\s+(?P<m2>{MONTH_RE})(?:\s+(?P<y>{YEAR}))?(?!\w)",
    re.I,
)
# What a start looks like once its cue is found ("den 1 juni 2024", "september", "2024", "årsskiftet").
_START_VALUE = (
    rf"(?:den\s+|i\s+|år\s+|under\s+)?(?:(?P<date>{ISO_D}|[0-3]?\d\s+(?:{MONTH_RE})(?:\s+{YEAR})?)"
    rf"|(?P<month>{MONTH_RE})(?:\s+(?P<my>{YEAR}))?|(?P<year>{YEAR})|(?P<newyear>årsskiftet|nyår|årsskiftet {YEAR}))(?![\w-])"
)
# Where a period's start is written apart from its end ("gäller från den 1 juni 2024 och löper till och med 2027").
_START_RE = re.compile(
    rf"(?:från(?: och med)?|fr\.o\.m\.?|med start|start(?:ar|ade)?|(?:börja(?:r|de)|träder i kraft|trädde i kraft)"
    rf"(?: gälla)?|inleds|inleder)\s+{_START_VALUE}",
    re.I,
)
# A start with no end: "gäller från och med 17 februari 2023", "arbetet börjar under 2024",
# "har pågått sedan 2009", "har sedan 2021 regeringens uppdrag".
_START_ONLY_RE = re.compile(
    rf"(?<!\w)(?:(?:{_VALIDITY})\s+(?:\w+\s+){{0,2}}?(?:från(?: och med)?|fr\.o\.m\.?)\s+"
    rf"|(?:{_STARTS})\s+(?:\w+\s+){{0,2}}?(?:från(?: och med)?\s+)?"
    rf"|(?P<since>(?:{_SINCE})\s+(?:\w+\s+){{0,2}}?sedan\s+)){_START_VALUE}",
    re.I,
)
# "är treårig", "ett tvåårigt projekt", "sträcker sig över fyra år", "gäller i tre år", "löper på två år".
_DURATION_RE = re.compile(
    rf"(?:(?<![\wåäö])(?P<adj>{_ADJ}|\d)[- ]?årig[at]?\b"
    rf"|(?:{alternation(words('duration_cues'), escape=True)})\s+(?P<n>\w+)\s+år\b)",
    re.I,
)
_AHEAD_RE = re.compile(r"(?<!\w)(?P<ahead>\w+)\s+år\s+framåt\b", re.I)  # "fyra år framåt"
_WHOLE_YEAR_RE = re.compile(
    rf"(?:(?:under|för|gäller) hela\s+(?:år(?:et)?\s+)?|(?:för|gäller)\s+år(?:et)?\s+)(?P<a>{YEAR})(?![\w–-])", re.I
)
_WEEKEND_RE = re.compile(r"\b(?:under|i|förra|den gångna) helgen\b", re.I)

Rule = Callable[[str, "date | None"], Iterator[Period]]


def _start_of(m: re.Match[str], published: date | None) -> date | None:
    """The date a start match names (a month or "årsskiftet" needs ``published``)."""
    if m.group("date"):
        return parse_date(m.group("date"), published)
    if m.group("year"):
        return date(int(m.group("year")), 1, 1)
    if m.group("month"):
        month = MONTHS[m.group("month").lower()]
        if m.group("my"):
            return date(int(m.group("my")), month, 1)
        return nearest_month(month, published) if published else None
    if published is None:
        return None
    year_m = re.search(YEAR, m.group("newyear"))
    if year_m:
        return date(int(year_m.group(0)), 1, 1)
    return date(published.year + 1 if published.month >= 7 else published.year, 1, 1)


def _start_before(text: str, pos: int, published: date | None, sentences: int = 1) -> tuple[date, int] | None:
    """The last stated start ("från den 1 juni 2024", "startar i september", "från årsskiftet") before ``pos``
    in the same sentence (or the ``sentences`` - 1 sentences before it), with its offset."""
    lo = pos
    for _ in range(sentences):
        lo = sentence_bounds(text, max(0, lo - 1))[0] if lo > 0 else 0
        if lo <= 0:
            break
    best: tuple[date, int] | None = None
    for m in _START_RE.finditer(text, lo, pos):
        d = _start_of(m, published)
        if d is not None:
            best = (d, m.start())
    return best


def _coming_start(published: date) -> int:
    """The first year of "de kommande N åren": the publication year, the next one when published in Oct–Dec."""
    return published.year + 1 if published.month >= 10 else published.year


def _date_ranges(text: str, published: date | None) -> Iterator[Period]:
    for m in _DATE_RANGE_RE.finditer(text):
        da, db = parse_date(m.group("a")), parse_date(m.group("b"))
        if da is not None and db is not None and da <= db:
            yield Period(da, db, m.group(0), m.start(), m.end())


def _from_to_years(text: str, published: date | None) -> Iterator[Period]:
    for m in _FROM_TO_RE.finditer(text):
        a, b = int(m.group("a")), int(m.group("b"))
        if 0 <= b - a <= 12:
            yield Period(date(a, 1, 1), date(b, 12, 31), m.group(0), m.start(), m.end())


def _year_ranges(text: str, published: date | None) -> Iterator[Period]:
    for m in _RANGE_RE.finditer(text):
        a = int(m.group("a"))
        braw = m.group("b")
        b = int(braw) if len(braw) == 4 else (a // 100) * 100 + int(braw)
        sep = text[m.end("a") : m.start("b")].strip()
        if sep == "och" or not 0 < b - a <= 12:
            continue
        if sep in {"-", ""} and len(braw) == 2:
            continue  # "2022-11" is a month, not a period
        if _DAY_MONTH_BEFORE.search(text, max(0, m.start() - 20), m.start()):
            continue  # "15 december 2023 till 2026" starts on a day: the until rule reads it
        yield Period(date(a, 1, 1), date(b, 12, 31), m.group(0), m.start(), m.end())


def _end_of(m: re.Match[str]) -> date | None:
    """The last day an until match names: the date, the month's last day or the year's 31 December."""
    if m.group("bdate"):
        return parse_date(m.group("bdate"))
    end = date(int(m.group("b")), 12, 31)
    return last_day_of_month(date(end.year, MONTHS[m.group("bm").lower()], 1)) if m.group("bm") else end


def _until(text: str, published: date | None) -> Iterator[Period]:
    for m in _UNTIL_RE.finditer(text):
        end = _end_of(m)
        if end is None:
            continue
        found = _start_before(text, m.start(), published)
        if found is not None and found[0] <= end:
            yield Period(found[0], end, text[found[1] : m.end()], found[1], m.end())
            continue
        if m.group("cue").lower() == "till" or m.group("bdate"):
            s = max(sentence_bounds(text, m.start())[0], text.rfind(",", 0, m.start()) + 1)  # the same clause
            if not _UNTIL_VERB_RE.search(text, s, m.start()):
                continue  # "ökade till 2023", "har på sig fram till 1 juli 2024 att …": no agreement runs until then
        yield Period(None, end, m.group(0), m.start(), m.end())


def _durations(text: str, published: date | None) -> Iterator[Period]:
    ahead = _AHEAD_RE.finditer(text) if "framåt" in text else iter(())
    for m in chain(_DURATION_RE.finditer(text), ahead):
        groups = m.groupdict()
        n = number_word(groups.get("adj") or groups.get("n") or groups.get("ahead") or "")
        if not 1 <= n <= 10:
            continue
        found = _start_before(text, m.start(), published, sentences=2)
        if found is not None:
            yield Period(found[0], add_years(found[0], n) - timedelta(days=1), m.group(0), m.start(), m.end())
        elif published is not None:
            start_year = _coming_start(published)
            yield Period(date(start_year, 1, 1), date(start_year + n - 1, 12, 31), m.group(0), m.start(), m.end(),
                         explicit=False)


def _whole_years(text: str, published: date | None) -> Iterator[Period]:
    for m in _WHOLE_YEAR_RE.finditer(text):
        a = int(m.group("a"))
        yield Period(date(a, 1, 1), date(a, 12, 31), m.group(0), m.start(), m.end())


def _day_ranges(text: str, published: date | None) -> Iterator[Period]:
    for m in _DAY_RANGE_RE.finditer(text):
        m2 = MONTHS[m.group("m2").lower()]
        m1 = MONTHS[m.group("m1").lower()] if m.group("m1") else m2
        if m.group("och") and m.group("m1"):
            continue  # "1 mars och 2 april": two dates, not one event
        if m.group("y"):
            y = int(m.group("y"))
            d1, d2 = safe_date(y, m1, int(m.group("d1"))), safe_date(y, m2, int(m.group("d2")))
            if d1 is not None and d2 is not None and d1 > d2:  # "30 december–2 januari 2025"
                d1 = safe_date(y - 1, m1, int(m.group("d1")))
        else:  # the start is placed near the publication date; the end is the first such day after it
            d1 = resolve_year(m1, int(m.group("d1")), published)
            d2 = safe_date(d1.year, m2, int(m.group("d2"))) if d1 else None
            if d1 is not None and d2 is not None and d2 < d1:
                d2 = safe_date(d1.year + 1, m2, int(m.group("d2")))
        if d1 is not None and d2 is not None and d1 <= d2 and (d2 - d1).days <= 366:
            yield Period(d1, d2, m.group(0), m.start(), m.end(), explicit=False)


def _coming_years(text: str, published: date | None) -> Iterator[Period]:
    if published is None:
        return
    for m in _COMING_RE.finditer(text):
        n = number_word(m.group("n"))
        if not 1 <= n <= 10:
            continue
        start_year = _coming_start(published)
        lead = _COMING_LEAD.search(text, max(0, m.start() - 12), m.start())
        start = lead.start() if lead else m.start()
        yield Period(date(start_year, 1, 1), date(start_year + n - 1, 12, 31), text[start : m.end()], start, m.end(),
                     explicit=False)


def _terms(text: str, published: date | None) -> Iterator[Period]:
    if published is None:
        return
    for m in _TERM_RE.finditer(text):
        lead = _TERM_LEAD.search(text, max(0, m.start() - 14), m.start())
        s, e = election_term(published, upcoming=lead is not None)
        start = lead.start() if lead else m.start()
        yield Period(s, e, text[start : m.end()], start, m.end(), explicit=False)


def _month_spans(text: str, published: date | None) -> Iterator[Period]:
    if published is None:
        return
    for m in _MONTH_SPAN_RE.finditer(text):
        start = nearest_month(MONTHS[m.group("m1").lower()], published)
        end = last_day_of_month(date(int(m.group("y2")), MONTHS[m.group("m2").lower()], 1))
        yield Period(start, end, m.group(0), m.start(), m.end())


def _rest_of_year(text: str, published: date | None) -> Iterator[Period]:
    if published is None:
        return
    for m in _YEAR_OUT_RE.finditer(text):
        start = nearest_month(MONTHS[m.group("m1").lower()], published)
        yield Period(start, date(start.year, 12, 31), m.group(0), m.start(), m.end())
    for m in _WEEKEND_RE.finditer(text):
        sunday = most_recent_weekday(6, published)
        yield Period(sunday - timedelta(days=1), sunday, m.group(0), m.start(), m.end(), explicit=False)


def _starts_only(text: str, published: date | None) -> Iterator[Period]:
    for m in _START_ONLY_RE.finditer(text):
        since_new_year = m.group("since") and m.group("newyear") and published is not None
        start = date(published.year, 1, 1) if since_new_year and published else _start_of(m, published)
        if start is not None:
            yield Period(start, None, m.group(0), m.start(), m.end(), explicit=not m.group("since"))


def _years_alone(text: str, published: date | None) -> Iterator[Period]:
    for m in _YEAR_ALONE_RE.finditer(text):
        a = int(m.group("a"))
        b = int(m.group("b")) if m.group("b") else a
        if not 0 <= b - a <= 3:
            b = a
        yield Period(date(a, 1, 1), date(b, 12, 31), m.group(0), m.start(), m.end(), explicit=b > a)


def _work_years(text: str, published: date | None) -> Iterator[Period]:
    if published is None:
        return
    for m in _WORK_YEAR_RE.finditer(text):
        a = int(m.group("a"))
        if published.year <= a <= published.year + 1:
            yield Period(date(a, 1, 1), date(a, 12, 31), m.group(0), m.start(), m.end(), explicit=False)


RULES: tuple[Rule, ...] = (
    _date_ranges, _from_to_years, _year_ranges, _month_spans, _until, _durations, _whole_years, _day_ranges,
    _coming_years, _terms, _rest_of_year, _years_alone, _starts_only, _work_years,
)  # fmt: skip


def find_periods(text: str, published: date | None = None) -> list[Period]:
    """Find periods: "2023–2026", "2023-26", "från 2024 fram till 2027", "fram till 2027", "skrivet till 2020",
    "gäller från och med 17 februari 2023" (start only), "pågår under 2025 och 2026", "gäller för 2024",
    "de kommande två åren" and "mandatperioden" (both need ``published``).

    Years become 1 January (start) and 31 December (end). Sorted by position.
    """
    out: list[Period] = []
    for rule in RULES:
        for p in rule(text, published):
            if all(p.end_char <= q.start_char or p.start_char >= q.end_char for q in out):
                out.append(p)
    closed = {p.start for p in out if p.end is not None}
    out = [p for p in out if p.end is not None or p.start not in closed]  # a start an end rule already used
    out.sort(key=lambda p: p.start_char)
    return out
