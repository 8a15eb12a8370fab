"""Swedish dates in plain text: publication dates, periods, decisions and relative months.

Pure functions, no spaCy. ``pipeline.text.extract`` uses :func:`find_publication_date` as a fallback
when page metadata has no date; the NLP dates component uses :func:`find_periods` and
:func:`find_dated_events`. Relative expressions ("I november", "vid måndagens sammanträde",
"de kommande två åren", "har idag beslutat") are resolved against the publication date.
Offsets are character offsets into the given text (end exclusive).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS: dict[str, int] = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4, "apr": 4,
    "maj": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augusti": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS: dict[str, int] = {
    "måndag": 0, "tisdag": 1, "onsdag": 2, "torsdag": 3, "fredag": 4, "lördag": 5, "söndag": 6,
}  # fmt: skip
NUMBERS: dict[str, int] = {
    "ett": 1, "en": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8, "nio": 9, "tio": 10,
}  # fmt: skip

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_YEAR = r"(?:19[5-9]\d|20\d\d)"
_ISO = rf"(?P<iso>{_YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01]))(?![\d-])"
_LONG = rf"(?P<day>[0-3]?\d)(?::e|:a)?\s+(?P<month>{_MONTH_RE})\.?(?:\s+(?P<year>{_YEAR}))?(?!\w)"
_NUMERIC = rf"(?P<nday>[0-3]?\d)[./](?P<nmonth>[01]?\d)[./](?P<nyear>{_YEAR})(?!\d)"
DATE_RE = re.compile(rf"(?<![\w-])(?:{_ISO}|{_LONG}|{_NUMERIC})", re.IGNORECASE)
MONTH_YEAR_RE = re.compile(rf"(?<!\w)(?P<month>{_MONTH_RE})\s+(?P<year>{_YEAR})(?!\d)", re.IGNORECASE)


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


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _resolve_year(month: int, day: int, anchor: date | None) -> date | None:
    """A day and month without year: the closest such date to ``anchor`` (not more than ~2 months ahead)."""
    if anchor is None:
        return None
    d = _safe_date(anchor.year, month, day)
    if d is None:
        return None
    if d > anchor + timedelta(days=62):
        d = _safe_date(anchor.year - 1, month, day)
    return d


def parse_match(m: re.Match[str], anchor: date | None = None) -> date | None:
    """Turn a :data:`DATE_RE` match into a date (day granularity); ``anchor`` completes a missing year."""
    if m.group("iso"):
        y, mo, d = (int(x) for x in m.group("iso").split("-"))
        return _safe_date(y, mo, d)
    if m.group("month"):
        month = MONTHS[m.group("month").lower()]
        day = int(m.group("day"))
        if m.group("year"):
            return _safe_date(int(m.group("year")), month, day)
        return _resolve_year(month, day, anchor)
    if m.group("nyear"):
        return _safe_date(int(m.group("nyear")), int(m.group("nmonth")), int(m.group("nday")))
    return None


def parse_date(text: str, anchor: date | None = None) -> date | None:
    """Parse the first Swedish date in ``text`` ("2022-11-30", "17 november 2023", "den 3 maj")."""
    for m in DATE_RE.finditer(text):
        d = parse_match(m, anchor)
        if d is not None:
            return d
    return None


_PUB_CUES = [
    ("published", re.compile(r"(?:Publicerad|Publicerat|Publiceringsdatum|Datum|Pressmeddelande)\s*[:\-–]?\s*", re.I)),
    ("updated", re.compile(r"(?:Senast\s+uppdaterad|Senast\s+ändrad|Uppdaterad|Uppdaterat|Ändrad)\s*[:\-–]?\s*", re.I)),
]
_BYLINE_RE = re.compile(
    r"^[ \t]*(?:[A-ZÅÄÖÉ][\wåäöéü-]+[ \t]+){1,3}"
    rf"(?P<date>{_YEAR}-\d\d-\d\d)(?:[ \t]+(?:kl\.?[ \t]*)?\d\d[:.]\d\d)?[ \t]*$",
    re.M,
)


def find_publication_date(text: str) -> FoundDate | None:
    """Find the publication date printed in the text of a page.

    Looks for "Publicerad 2022-11-30" (source ``published``), "Senast uppdaterad: 17 november 2023" /
    "Uppdaterad …" (``updated``), and a byline line "Förnamn Efternamn 2022-11-30" (``byline``).
    A published date wins over a byline, which wins over an updated date. Returns None if none is found.
    """
    found: dict[str, FoundDate] = {}
    for source, cue in _PUB_CUES:
        for m in cue.finditer(text):
            rest = text[m.end() : m.end() + 40]
            dm = DATE_RE.match(rest)
            if dm is None:
                continue
            d = parse_match(dm)
            if d is None:
                continue
            if source not in found:
                found[source] = FoundDate(d, "day", text[m.start() : m.end() + dm.end()], m.start(), m.end() + dm.end(),
                                          source)
    for m in _BYLINE_RE.finditer(text):
        d = parse_match(DATE_RE.search(m.group("date")))  # type: ignore[arg-type]
        if d is not None:
            found.setdefault("byline", FoundDate(d, "day", m.group(0).strip(), m.start("date"), m.end("date"), "byline"))
            break
    for source in ("published", "byline", "updated"):
        if source in found:
            return found[source]
    return None


def election_term(anchor: date, upcoming: bool = False) -> tuple[date, date]:
    """The kommun electoral term (four years, 2019–2022, 2023–2026, …) that contains ``anchor``.

    With ``upcoming`` and an anchor after the September election of a term's last year, the next term.
    """
    start_year = 2019 + ((anchor.year - 2019) // 4) * 4
    if upcoming and anchor.year == start_year + 3 and anchor.month >= 9:
        start_year += 4
    return date(start_year, 1, 1), date(start_year + 3, 12, 31)


_DASH = r"\s*(?:–|—|-|till|t\.o\.m\.?|tom|och)\s*"
_RANGE_RE = re.compile(rf"(?<![\w-])(?P<a>{_YEAR}){_DASH}(?P<b>{_YEAR}|\d\d)(?![\w-])")
_FROM_TO_RE = re.compile(
    rf"(?:från(?: och med)?|in i|under|fr\.o\.m\.?|start(?:ar)?(?: år)?)\s+(?P<a>{_YEAR})\b[^.\n]{{0,40}}?"
    rf"(?:fram till|till och med|till|t\.o\.m\.?)\s+(?:och med\s+)?(?:år\s+)?(?P<b>{_YEAR})\b",
    re.I,
)
_UNTIL_RE = re.compile(rf"(?:fram till|till och med|gäller till|t\.o\.m\.?|löper ut)\s+(?:år\s+|utgången av\s+)?(?P<b>{_YEAR})\b",
                       re.I)
_COMING_RE = re.compile(
    r"(?:de|under de|för de)?\s*(?:kommande|närmaste|nästkommande)\s+(?P<n>\w+)\s+(?:åren|år)\b", re.I
)
_TERM_RE = re.compile(r"(?P<upcoming>kommande|nästa|nya)?\s*mandatperiod(?:en)?\b", re.I)
_YEAR_ALONE_RE = re.compile(
    rf"(?:(?:gäller|pågår|löper|avser)(?: under| för| i)?|(?:medborgarlöfte|löfte|överenskommelse|avtal|plan|program)"
    rf"\w* (?:för|under)) (?:år |året )?(?P<a>{_YEAR})(?![\w–-])",
    re.I,
)
_MONTH_SPAN_RE = re.compile(
    rf"\b[Ii] (?P<m1>{_MONTH_RE})\b[^.\n]{{0,80}}?(?:till och med|t\.o\.m\.?|fram till|till) (?P<m2>{_MONTH_RE}) "
    rf"(?P<y2>{_YEAR})\b",
    re.I,
)
_YEAR_OUT_RE = re.compile(rf"\b[Ii] (?P<m1>{_MONTH_RE})\b[^\n]{{0,160}}?\b(?:året ut|resten av året)", re.I)
# "perioden 2024-01-01–2026-12-31", "1 juni 2024 – 31 maj 2026": two full dates joined by a dash or "till".
_ISO_D = rf"{_YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"
_LONG_D = rf"[0-3]?\d\s+(?:{_MONTH_RE})\s+{_YEAR}"
_DATE_RANGE_RE = re.compile(
    rf"(?<![\w-])(?P<a>{_ISO_D}|{_LONG_D})\s*(?:–|—|-|till(?: och med)?|t\.o\.m\.?)\s*(?:den\s+)?(?P<b>{_ISO_D}|{_LONG_D})(?![\w-])",
    re.I,
)
# "20–22 februari (2024)", "30 september–2 oktober": a dated event of several days.
_DAY_RANGE_RE = re.compile(
    rf"(?<![\w-])(?P<d1>[0-3]?\d)(?:\s+(?P<m1>{_MONTH_RE}))?\s*(?:–|—|-)\s*(?P<d2>[0-3]?\d)\s+(?P<m2>{_MONTH_RE})"
    rf"(?:\s+(?P<y>{_YEAR}))?(?!\w)",
    re.I,
)
# Where a period's start is written apart from its end ("gäller från den 1 juni 2024 och löper till och med 2027").
_START_RE = re.compile(
    rf"(?:från(?: och med)?|fr\.o\.m\.?|med start|start(?:ar|ade)?|börja(?:r|de)|inleds|inleder)\s+(?:den\s+|i\s+|år\s+)?"
    rf"(?:(?P<date>{_ISO_D}|[0-3]?\d\s+(?:{_MONTH_RE})(?:\s+{_YEAR})?)|(?P<month>{_MONTH_RE})(?:\s+(?P<my>{_YEAR}))?"
    rf"|(?P<year>{_YEAR})|(?P<newyear>årsskiftet|nyår|årsskiftet {_YEAR}))(?![\w-])",
    re.I,
)
_NEW_YEAR_RE = re.compile(r"(?:från|vid|efter|till|med start vid|med start efter) (?:års)?skiftet|från nyår\b", re.I)
# "är treårig", "ett tvåårigt projekt", "sträcker sig över fyra år", "gäller i tre år", "löper på två år".
_DURATION_RE = re.compile(
    r"(?:(?<![\wåäö])(?P<adj>två|tre|fyra|fem|sex|\d)[- ]?årig[at]?\b"
    r"|(?:sträcker sig över|gäller i|gäller under|löper (?:över|på|i|under)|pågår i|pågår under|varar i|under en period av)"
    r"\s+(?P<n>\w+)\s+år\b)",
    re.I,
)
_WHOLE_YEAR_RE = re.compile(
    rf"(?:(?:under|för|gäller) hela\s+(?:år(?:et)?\s+)?|(?:för|under|gäller)\s+år(?:et)?\s+)(?P<a>{_YEAR})(?![\w–-])", re.I
)
_WEEKEND_RE = re.compile(r"\b(?:under|i|förra|den gångna) helgen\b", re.I)


def nearest_month(month: int, anchor: date) -> date:
    """The first day of the ``month`` occurrence nearest to ``anchor`` (this year, last year or next year)."""
    options = [date(anchor.year + dy, month, 1) for dy in (-1, 0, 1)]
    return min(options, key=lambda d: abs((d - anchor).days))


def add_years(d: date, n: int) -> date:
    """``d`` plus ``n`` years (29 February becomes 28 February)."""
    try:
        return d.replace(year=d.year + n)
    except ValueError:
        return d.replace(year=d.year + n, day=28)


def _start_of(m: re.Match[str], published: date | None) -> date | None:
    """The date a :data:`_START_RE` match names (a month or "årsskiftet" needs ``published``)."""
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
    year_m = re.search(rf"{_YEAR}", m.group("newyear"))
    if year_m:
        return date(int(year_m.group(0)), 1, 1)
    return date(published.year + 1 if published.month >= 7 else published.year, 1, 1)


def _start_before(text: str, pos: int, published: date | None, sentences: int = 1) -> tuple[date, int] | None:
    """The last stated start ("från den 1 juni 2024", "startar i september", "från årsskiftet") before ``pos``
    in the same sentence (or the ``sentences`` - 1 sentences before it), with its offset."""
    lo = pos
    for _ in range(sentences):
        lo = _sentence_bounds(text, max(0, lo - 1))[0] if lo > 0 else 0
        if lo <= 0:
            break
    best: tuple[date, int] | None = None
    for m in _START_RE.finditer(text, lo, pos):
        d = _start_of(m, published)
        if d is not None:
            best = (d, m.start())
    return best


def find_periods(text: str, published: date | None = None) -> list[Period]:
    """Find periods: "2023–2026", "2023-26", "från 2024 fram till 2027", "fram till 2027",
    "de kommande två åren" and "mandatperioden" (both need ``published``), "gäller för 2024".

    Years become 1 January (start) and 31 December (end). Sorted by position.
    """
    out: list[Period] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    def add(p: Period) -> None:
        if free(p.start_char, p.end_char):
            out.append(p)
            taken.append((p.start_char, p.end_char))

    for m in _DATE_RANGE_RE.finditer(text):
        da, db = parse_date(m.group("a")), parse_date(m.group("b"))
        if da is not None and db is not None and da <= db:
            add(Period(da, db, m.group(0), m.start(), m.end()))
    for m in _FROM_TO_RE.finditer(text):
        a, b = int(m.group("a")), int(m.group("b"))
        if 0 <= b - a <= 12:
            add(Period(date(a, 1, 1), date(b, 12, 31), m.group(0), m.start(), m.end()))
    for m in _RANGE_RE.finditer(text):
        a = int(m.group("a"))
        braw = m.group("b")
        b = int(braw) if len(braw) == 4 else (a // 100) * 100 + int(braw)
        sep = text[m.end("a") : m.start("b")].strip()
        if sep == "och" or not 0 < b - a <= 12:
            continue
        if sep in {"-", ""} and len(braw) == 2:
            continue  # "2022-11" is a month, not a period
        add(Period(date(a, 1, 1), date(b, 12, 31), m.group(0), m.start(), m.end()))
    for m in _UNTIL_RE.finditer(text):
        b = int(m.group("b"))
        found = _start_before(text, m.start(), published)
        if found is not None and found[0] <= date(b, 12, 31):
            add(Period(found[0], date(b, 12, 31), text[found[1] : m.end()], found[1], m.end()))
        else:
            add(Period(None, date(b, 12, 31), m.group(0), m.start(), m.end()))
    for m in _DURATION_RE.finditer(text):
        word = (m.group("adj") or m.group("n")).lower()
        n = NUMBERS.get(word) or (int(word) if word.isdigit() else 0)
        if not 1 <= n <= 10:
            continue
        found = _start_before(text, m.start(), published, sentences=2)
        if found is not None:
            add(Period(found[0], add_years(found[0], n) - timedelta(days=1), m.group(0), m.start(), m.end()))
        elif published is not None:
            start_year = published.year + 1 if published.month >= 10 else published.year
            add(Period(date(start_year, 1, 1), date(start_year + n - 1, 12, 31), m.group(0), m.start(), m.end(),
                       explicit=False))
    for m in _WHOLE_YEAR_RE.finditer(text):
        a = int(m.group("a"))
        add(Period(date(a, 1, 1), date(a, 12, 31), m.group(0), m.start(), m.end()))
    for m in _DAY_RANGE_RE.finditer(text):
        m2 = MONTHS[m.group("m2").lower()]
        m1 = MONTHS[m.group("m1").lower()] if m.group("m1") else m2
        if m.group("y"):
            y = int(m.group("y"))
            d1, d2 = _safe_date(y, m1, int(m.group("d1"))), _safe_date(y, m2, int(m.group("d2")))
        else:
            d2 = _resolve_year(m2, int(m.group("d2")), published)
            d1 = _safe_date(d2.year, m1, int(m.group("d1"))) if d2 else None
        if d1 is not None and d2 is not None and d1 <= d2:
            add(Period(d1, d2, m.group(0), m.start(), m.end(), explicit=False))
    if published is not None:
        for m in _COMING_RE.finditer(text):
            word = m.group("n").lower()
            n = NUMBERS.get(word) or (int(word) if word.isdigit() else 0)
            if not 1 <= n <= 10:
                continue
            start_year = published.year + 1 if published.month >= 10 else published.year
            add(Period(date(start_year, 1, 1), date(start_year + n - 1, 12, 31), m.group(0).strip(),
                       m.start() + (len(m.group(0)) - len(m.group(0).lstrip())), m.end(), explicit=False))
        for m in _TERM_RE.finditer(text):
            s, e = election_term(published, upcoming=bool(m.group("upcoming")))
            add(Period(s, e, m.group(0).strip(), m.end() - len(m.group(0).strip()), m.end(), explicit=False))
    for m in _MONTH_SPAN_RE.finditer(text):
        if published is None:
            continue
        start = nearest_month(MONTHS[m.group("m1").lower()], published)
        end = last_day_of_month(date(int(m.group("y2")), MONTHS[m.group("m2").lower()], 1))
        add(Period(start, end, m.group(0), m.start(), m.end()))
    if published is not None:
        for m in _YEAR_OUT_RE.finditer(text):
            start = nearest_month(MONTHS[m.group("m1").lower()], published)
            add(Period(start, date(start.year, 12, 31), m.group(0), m.start(), m.end()))
        for m in _WEEKEND_RE.finditer(text):
            sunday = most_recent_weekday(6, published)
            add(Period(sunday - timedelta(days=1), sunday, m.group(0), m.start(), m.end(), explicit=False))
    for m in _YEAR_ALONE_RE.finditer(text):
        a = int(m.group("a"))
        add(Period(date(a, 1, 1), date(a, 12, 31), m.group(0), m.start(), m.end(), explicit=False))
    out.sort(key=lambda p: p.start_char)
    return out


_DECIDE_RE = re.compile(
    r"\b(?:beslutat|beslutade|beslöt|beslutas|fattade beslut|godkände|godkänt|godkänts|antog|antagit|antogs|"
    r"klubbade|klubbat|klubbades|ställde sig bakom)\b",
    re.I,
)
_SIGN_RE = re.compile(r"\b(?:undertecknade|undertecknades|undertecknat|undertecknats|undertecknas|skrev under|skrevs under|"
                      r"skrivits under|skrivit under|signerade|signerades|signerats)\b", re.I)
_MEET_RE = re.compile(r"\b(?:träffades|träffas|möttes|sammanträde|sammanträdde|möte|mötet|konferens|genomförde|genomfördes|"
                      r"arrangerar|arrangerade|anordnar|anordnade)\b", re.I)
_TODAY_RE = re.compile(r"\b(?:i dag|idag|under dagen)\b", re.I)
_YESTERDAY_RE = re.compile(r"\b(?:i går|igår)\b", re.I)
_WEEKDAY_RE = re.compile(r"\b(?:i |under |vid )?(?P<wd>måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag)(?:ens|s|en)?\b",
                         re.I)
_REL_MONTH_RE = re.compile(rf"\b(?:i|under|sedan|i början av|i slutet av|i mitten av)\s+(?P<month>{_MONTH_RE})(?!\s*\d)(?!\w)",
                           re.I)


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    start = max(text.rfind(". ", 0, pos) + 2, text.rfind("\n", 0, pos) + 1, 0)
    ends = [i for i in (text.find(". ", pos), text.find("\n", pos)) if i != -1]
    return start, (min(ends) if ends else len(text))


def most_recent_month(month: int, anchor: date) -> date:
    """The first day of the most recent ``month`` not after ``anchor``."""
    year = anchor.year if month <= anchor.month else anchor.year - 1
    return date(year, month, 1)


def most_recent_weekday(weekday: int, anchor: date) -> date:
    """The most recent ``weekday`` (0 = Monday) on or before ``anchor``."""
    return anchor - timedelta(days=(anchor.weekday() - weekday) % 7)


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
        ss, se = _sentence_bounds(text, s)
        out.append(FoundDate(d, gran, text[s:e], s, e, _kind_for(text[ss:se])))
        taken.append((s, e))

    for m in DATE_RE.finditer(text):
        add(parse_match(m, published), "day", m)
    for m in MONTH_YEAR_RE.finditer(text):
        add(_safe_date(int(m.group("year")), MONTHS[m.group("month").lower()], 1), "month", m)
    if published is not None:
        for m in _REL_MONTH_RE.finditer(text):
            add(most_recent_month(MONTHS[m.group("month").lower()], published), "month", m)
        for m in _WEEKDAY_RE.finditer(text):
            ss, se = _sentence_bounds(text, m.start())
            if _kind_for(text[ss:se]) in {"decided", "signed", "meeting"}:
                add(most_recent_weekday(WEEKDAYS[m.group("wd").lower()], published), "day", m)
        for m in _TODAY_RE.finditer(text):
            ss, se = _sentence_bounds(text, m.start())
            if _kind_for(text[ss:se]) in {"decided", "signed"}:
                add(published, "day", m)
        for m in _YESTERDAY_RE.finditer(text):
            ss, se = _sentence_bounds(text, m.start())
            if _kind_for(text[ss:se]) in {"decided", "signed"}:
                add(published - timedelta(days=1), "day", m)
    out.sort(key=lambda f: f.start_char)
    return out


def last_day_of_month(d: date) -> date:
    """The last day of ``d``'s month."""
    return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])
