"""The publication date printed in the text of a page.

Three kinds of evidence, in this order of precedence:

1. a publication cue at the start of a short line followed by a date on the same or the next line
   ("Publicerad 2022-11-30", "Artikeln publicerades 3 april 2022", "Publicerad den 23 juni 2020",
   "Publiceringsdatum: 07 dec 2021", "Publicerad 12 March 2019 08:15") — source ``published``;
2. a date line: a full date (with year) alone on a short line, or with a clock time, a place, a section
   label or a byline name beside it ("2019-04-02", "7 maj 2022", "Haparanda2017-11-08 22:04",
   "NYHETER 2022-10-11 KL. 14:05", "Kalle Svensson 2021-03-04"), near the top of the text or in its
   footer — source ``byline``;
3. an update cue ("Senast uppdaterad: 17 november 2023", "Uppdaterad 2023-02-17 16:18") — source
   ``updated``, used only when nothing else dates the page (a page is updated on or after the day it
   was published, so an update date is the weakest evidence of publication).

Within one kind the first in the text wins (for footer date lines: the last). A cue with no date
after it ("Publicerad:" followed by the headline) gives nothing. A date that follows a label such as
"Tid:" or "Sista anmälningsdag:" is an event date, not a publication date.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from pipeline.text.dateparse import (
    DATE_RE,
    MONTH_RE,
    WEEKDAYS,
    YEAR,
    FoundDate,
    alternation,
    parse_match,
    pattern_list,
    words,
)

HEAD_CHARS = 1500  # a date line counts near the top of the text …
TAIL_CHARS = 500  # … or in its footer
MAX_LINE = 100  # a cue or date line is short
MAX_LABEL_WORDS = 4  # words beside the date on a date line (place, section, byline name; not separators)

_WEEKDAY = alternation([*WEEKDAYS, *(w[:3] for w in WEEKDAYS)])
_TIME = r"(?:[ \t,]*(?:kl\.?|klockan)?[ \t]*[012]?\d[:.][0-5]\d)?"
_CUE_RE = re.compile(
    rf"(?<!\w)(?:(?P<pub>{pattern_list('published_cues')})|"
    rf"(?P<upd>{pattern_list('updated_cues')}))(?!\w)[ \t]*(?:den[ \t]+)?[:\-–•·|]?[ \t]*(?P<nl>(?:\n[ \t]*){{1,2}})?"
    rf"(?:den[ \t]+)?(?:(?:{_WEEKDAY})\w*[ \t,]+(?:den[ \t]+)?)?",
    re.I,
)
MAX_CUE_TOKENS = 5  # a cue stands among the first words of its line
# A full date on a date line may be glued to a word before it ("Haparanda2017-11-08 22:04").
_LINE_DATE_RE = re.compile(
    rf"(?P<date>{YEAR}-\d\d-\d\d(?![\d-])|(?<!\d)[0-3]?\d(?::e|:a)?\s+(?:{MONTH_RE})\.?\s+{YEAR}(?!\d)|(?<!\d)[0-3]?\d[./][01]?\d[./]{YEAR}(?!\d))"
    rf"{_TIME}",
    re.I,
)
_LABEL_WORD = re.compile(r"[A-Za-zÅÄÖåäöÉéÜü.,:|·•/-]+")
_SEPARATOR = re.compile(r"[|·•/–—-]+")
_NOT_PUBLICATION = re.compile(rf"^\W*(?:{alternation(words('not_publication_labels'), escape=True)})(?!\w)", re.I)
_HAS_YEAR = re.compile(YEAR)
_MONTH_WORD = re.compile(rf"(?<![^\W\d_])(?:{MONTH_RE})(?![^\W\d_])", re.I)
SHORT_LINE = 40  # a line dateparser may read as a date line


@lru_cache(maxsize=512)
def _dateparser_date(value: str) -> date | None:
    """A date with day, month and year in ``value`` by dateparser (Swedish and English), or None."""
    if not _HAS_YEAR.search(value):
        return None
    from dateparser.date import DateDataParser  # imported lazily: only unusual cue lines need it

    parser = DateDataParser(
        languages=["sv", "en"],
        settings={"REQUIRE_PARTS": ["day", "month", "year"], "STRICT_PARSING": True, "DATE_ORDER": "DMY"},
    )
    found = parser.get_date_data(value).date_obj
    return found.date() if found is not None else None


def _line_at(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, (len(text) if end == -1 else end)


def _cue_date(text: str, m: re.Match[str]) -> tuple[date, int] | None:
    """The date written after the cue ``m`` and where it ends, or None."""
    line_start, line_end = _line_at(text, m.end())
    rest = text[m.end() : line_end]
    dm = DATE_RE.match(rest)
    if dm is not None:
        d = parse_match(dm)
        if d is None:
            return None
        if m.group("nl") and rest[dm.end() :].strip(" \t,") and not _LINE_DATE_RE.fullmatch(rest.strip()):
            return None  # on the next line the date must stand alone ("Publicerad\n2 maj ska vi …" is none)
        return d, m.end() + dm.end()
    if m.group("nl") or not rest.strip():
        return None
    value = rest.strip()[:40]
    d = _dateparser_date(value)
    return (d, m.end() + len(rest.rstrip())) if d is not None else None


def _cue_dates(text: str) -> tuple[FoundDate | None, FoundDate | None, list[tuple[int, int]]]:
    """The first published-cue date, the first updated-cue date, and the spans the cues took."""
    found: dict[str, FoundDate] = {}
    taken: list[tuple[int, int]] = []
    for m in _CUE_RE.finditer(text):
        cue_line = _line_at(text, m.start())
        if cue_line[1] - cue_line[0] > MAX_LINE or len(text[cue_line[0] : m.start()].split()) > MAX_CUE_TOKENS:
            continue
        got = _cue_date(text, m)
        if got is None:
            continue
        d, end = got
        start = m.start("pub") if m.group("pub") else m.start("upd")
        taken.append((start, end))
        source = "published" if m.group("pub") else "updated"
        found.setdefault(source, FoundDate(d, "day", text[start:end], start, end, source))
    return found.get("published"), found.get("updated"), taken


def _date_line(text: str, line: tuple[int, int]) -> FoundDate | None:
    """The date of a date line ("2019-04-02", "Haparanda2017-11-08 22:04", "Kalle Svensson 2021-03-04")."""
    s, e = line
    raw = text[s:e]
    if not raw.strip() or len(raw) > MAX_LINE or _NOT_PUBLICATION.match(raw):
        return None
    if text[max(0, s - 200) : s].rstrip().endswith(":"):
        return None  # "Sista anmälningsdag:\n15 mars 2024" dates an event
    matches = list(_LINE_DATE_RE.finditer(raw))
    if not matches and len(raw.strip()) <= SHORT_LINE and _MONTH_WORD.search(raw):
        return _parsed_line(text, line)  # "March 12, 2019", "tis 12 mar. 2019"
    if len(matches) != 1:
        return None
    dm = matches[0]
    inner = DATE_RE.search(dm.group("date"))
    d = parse_match(inner) if inner is not None else None
    if d is None:
        return None
    others = [w for w in (raw[: dm.start()] + " " + raw[dm.end() :]).split() if not _SEPARATOR.fullmatch(w)]
    if len(others) > MAX_LABEL_WORDS or not all(_LABEL_WORD.fullmatch(w) for w in others):
        return None
    return FoundDate(d, "day", dm.group("date"), s + dm.start("date"), s + dm.end("date"), "byline")


def _parsed_line(text: str, line: tuple[int, int]) -> FoundDate | None:
    """A short line that dateparser reads as one full date (formats the patterns do not know)."""
    s, e = line
    lead = len(text[s:e]) - len(text[s:e].lstrip())
    value = text[s:e].strip()
    d = _dateparser_date(value)
    return FoundDate(d, "day", value, s + lead, s + lead + len(value), "byline") if d is not None else None


def _date_lines(text: str, taken: list[tuple[int, int]]) -> FoundDate | None:
    """The first date line near the top of ``text``, else the last one in its footer."""
    head_end = min(len(text), HEAD_CHARS)
    tail_start = max(head_end, len(text) - TAIL_CHARS)
    footer: FoundDate | None = None
    pos = 0
    while pos < len(text):
        line = _line_at(text, pos)
        pos = line[1] + 1
        if line[0] >= head_end and line[1] < tail_start:
            nxt = text.find("\n", tail_start)
            pos = max(pos, len(text) if nxt == -1 else nxt + 1)
            continue
        cut = min((a for a, b in taken if a < line[1] and b > line[0]), default=None)
        if cut is not None:  # "2023-02-17 Uppdaterad 2023-03-01": only what stands before the cue
            if cut <= line[0]:
                continue
            line = (line[0], cut)
        found = _date_line(text, line)
        if found is None:
            continue
        if line[0] < head_end:
            return found
        footer = found
    return footer


def find_publication_date(text: str) -> FoundDate | None:
    """Find the publication date printed in the text of a page (see the module docstring for the rules).

    ``FoundDate.source`` is ``published`` (a publication cue), ``byline`` (a date line or byline) or
    ``updated`` (an update cue, the only date). Returns None if none is found.
    """
    published, updated, taken = _cue_dates(text)
    if published is not None:
        return published
    return _date_lines(text, taken) or updated
