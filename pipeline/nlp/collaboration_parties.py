"""Parties of a collaboration: which kommuner, agencies, länsstyrelser and regioner named near it take part.

Used by ``samverkan_collaborations``. Rules (word lists in ``pipeline/data/vocab/collaboration_parties.json``
and ``collaboration_types.json``):

- a kommun counts when it is written as an organisation ("X kommun", "X stad"), is in a list of kommuner
  that is not a place adverbial ("nätverk i Falun och Borlänge"), or is the publisher;
- agencies count only when they are in DESIGN.md's agency vocabulary;
- nothing named in a credit or source line ("Foto: Polisen", "Källa: …") is a party, nor a kommun that is
  part of a police area's name ("lokalpolisområde Arvika"), nor invited guests ("Polisen bjöd in Gävle"),
  nor what is only cited ("precis som i Malmö", "enligt Brå", "det lokala BRÅ");
- the publishing kommun is a party when the article comes from its own site and names no other kommun as a
  party, or when the text names it; a publisher guessed from the text is never added on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.facts import Mention, Party
from pipeline.nlp import vocab
from pipeline.vocabulary import alternation

_PARTY_LABELS = {"KOMMUN": "kommun", "MYNDIGHET": "myndighet", "LANSSTYRELSE": "lansstyrelse", "REGION": "region"}
_LIST_GAPS = {", ", " och ", ",", " samt ", " och med "}
_PLACE_PREP = re.compile(r"(?:\b(?:i|från|till|på|inom|runt|kring|nära|mellan städerna)) $", re.I)


@dataclass(frozen=True)
class Publisher:
    """The publishing kommun (SCB code) and whether the caller gave it (True) or the gazetteer guessed it."""

    code: str | None
    given: bool


def _data() -> dict:
    return vocab.vocab("collaboration_parties")


@lru_cache(maxsize=1)
def _non_party() -> tuple[re.Pattern[str], re.Pattern[str]]:
    data = vocab.vocab("collaboration_types")
    before = data.get("non_party_before") or ["(?!x)x"]
    after = data.get("non_party_after") or ["(?!x)x"]
    after = after + [re.escape(v) for v in _data()["inviting_verbs"]]
    return (re.compile(rf"(?<![\wåäö])(?:{'|'.join(before)})(?![\wåäö])", re.I),
            re.compile(rf"(?<![\wåäö])(?:{'|'.join(after)})(?![\wåäö])", re.I))


def _alternation(key: str) -> str:
    """The words of vocabulary list ``key`` as an escaped regex alternation, in listed order."""
    return alternation(_data()[key], longest_first=False)


@lru_cache(maxsize=1)
def _prefix() -> re.Pattern[str]:
    return re.compile(rf"(?<![\wåäö])(?:{'|'.join(_data()['non_party_prefix'])}) $", re.I)


@lru_cache(maxsize=1)
def _credit_line() -> re.Pattern[str]:
    words = _alternation("credit_lines")
    return re.compile(rf"^[ \t]*(?:{words})[ \t]*:", re.I)


@lru_cache(maxsize=1)
def _anaphor() -> re.Pattern[str]:
    words = _alternation("anaphors")
    return re.compile(rf"(?<![\wåäö])(?:{words})(?![\wåäö])", re.I)


@lru_cache(maxsize=1)
def _member_cue() -> re.Pattern[str]:
    words = _alternation("member_cues")
    return re.compile(rf"(?<![\wåäö])(?:{words})", re.I)


@lru_cache(maxsize=1)
def _suffix() -> re.Pattern[str]:
    words = _alternation("kommun_suffixes")
    return re.compile(rf" (?:{words})$", re.I)


def not_a_party(text: str, start: int, end: int, sentence: tuple[int, int]) -> bool:
    """True when the sentence says the mention at ``start``-``end`` is no party: it is invited, only gave
    views, is not part ("… har bjudits in men är inte part"), or is only cited ("precis som i Malmö")."""
    before, after = _non_party()
    s, e = sentence
    if before.search(text[end:e]):
        return True
    if after.search(text[s:start]) is not None:
        return True
    return _prefix().search(text[max(0, start - 40) : start]) is not None


def in_credit_line(text: str, start: int) -> bool:
    """True when the mention at ``start`` is on a photo credit or source line ("Foto: Polisen")."""
    line_start = text.rfind("\n", 0, start) + 1
    return _credit_line().match(text[line_start:start]) is not None


def anaphoric_sentences(text: str, bounds: list[tuple[int, int]], sents: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """The sentence before each of ``sents`` whose subject is an anaphor ("Myndigheterna har samarbetat …")."""
    out: set[tuple[int, int]] = set()
    for i, (s, e) in enumerate(bounds):
        if i and (s, e) in sents and _anaphor().search(text[s:e]):
            out.add(bounds[i - 1])
    return out


_BULLET = re.compile(r"^\s*(?:[•▪●·*◦‣►■□○–—-]|\d{1,2}[.)])\s")


def bullet_items(text: str, bounds: list[tuple[int, int]], sents: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """The bullet items right after each of ``sents`` that introduces members ("I nätverket ingår" followed
    by "• Kils kommun" …)."""
    out: set[tuple[int, int]] = set()
    for i, b in enumerate(bounds):
        if b not in sents or not _member_cue().search(text[b[0] : b[1]]):
            continue
        j = i + 1
        while j < len(bounds) and _BULLET.match(text[bounds[j][0] : bounds[j][1]]):
            out.add(bounds[j])
            j += 1
    return out


def has_member_cue(sentence: str) -> bool:
    """True for a sentence that says who takes part ("Bland de myndigheter som ingår i planen finns …")."""
    return _member_cue().search(sentence) is not None


def nearest_kommun(text: str, bounds: list[tuple[int, int]], entities: list[Mention], pos: int,
                   publisher: Publisher) -> Party | None:
    """The kommun written as an organisation ("Strömsunds kommun") closest to ``pos``, else the publisher
    when the text names it, for a type that always has a kommun party (a medborgarlöfte) when its
    sentences name none."""
    named = [h for h in entities if h.label == "KOMMUN" and (h.kommun_suffix or _suffix().search(h.text))]
    for h in sorted(named, key=lambda h: abs(h.start_char - pos)):
        found = find_parties(text, bounds, [h], publisher)
        if found:
            return found[0]
    code = publisher.code  # else the kommun the article is about (named most often)
    if code in vocab.kommuner() and any(h.label == "KOMMUN" and h.norm_id == code for h in entities):
        return Party("kommun", code, vocab.kommuner()[code].name)
    return None


def _in_list(kommun_hits: list[Mention], h: Mention, text: str) -> bool:
    """True if ``h`` is in a list of kommuner that is not a place adverbial ("nätverk i Falun och Borlänge")."""
    i = kommun_hits.index(h)
    in_list = False
    for j in (i - 1, i + 1):
        if 0 <= j < len(kommun_hits):
            a, b = (kommun_hits[j], h) if j < i else (h, kommun_hits[j])
            if text[a.end_char : b.start_char] in _LIST_GAPS:
                in_list = True
    if not in_list:
        return False
    first = i
    while first > 0 and text[kommun_hits[first - 1].end_char : kommun_hits[first].start_char] in _LIST_GAPS:
        first -= 1
    start = kommun_hits[first].start_char
    return _PLACE_PREP.search(text[max(0, start - 25) : start]) is None


def _inside(h: Mention, others: list[Mention]) -> bool:
    """True when ``h`` lies inside (or on) the span of another entity ("lokalpolisområde Arvika", "Region Gotland")."""
    return any(o is not h and o.start_char <= h.start_char and h.end_char <= o.end_char
               and (o.end_char - o.start_char > h.end_char - h.start_char or o.label == "KOMMUN")
               for o in others)


def _kommun_ok(h: Mention, kommun_hits: list[Mention], text: str, publisher: Publisher) -> bool:
    return bool(h.kommun_suffix or _suffix().search(h.text) or (publisher.given and h.norm_id == publisher.code)
                or _in_list(kommun_hits, h, text))


def _party_name(h: Mention) -> str:
    if h.label == "KOMMUN":
        return vocab.kommuner()[h.norm_id or ""].name
    if h.label in {"LANSSTYRELSE", "REGION"}:
        code = (h.norm_id or ":").split(":", 1)[1]
        county = vocab.counties().get(code, "")
        return f"Länsstyrelsen i {county}" if h.label == "LANSSTYRELSE" else f"Region {county.removesuffix(' län')}"
    return h.name or h.text


def _eligible(h: Mention, text: str, sentences: list[tuple[int, int]], entities: list[Mention],
              publisher: Publisher) -> bool:
    if h.label not in _PARTY_LABELS or h.norm_id is None:
        return False
    if h.label == "MYNDIGHET" and h.norm_id not in _data()["party_agencies"]:
        return False
    sent = next(((s, e) for s, e in sentences if s <= h.start_char < e), None)
    if sent is None or in_credit_line(text, h.start_char) or _inside(h, entities):
        return False
    if h.label == "KOMMUN":
        kommun_hits = [k for k in entities if k.label == "KOMMUN"]
        if not _kommun_ok(h, kommun_hits, text, publisher):
            return False
    return not not_a_party(text, h.start_char, h.end_char, sent)


def find_parties(text: str, sentences: list[tuple[int, int]], entities: list[Mention],
                 publisher: Publisher) -> list[Party]:
    """Parties named in ``sentences`` (the collaboration's own, cue and lead sentences), see the module docstring."""
    out: dict[str, Party] = {}
    for h in entities:
        if not _eligible(h, text, sentences, entities, publisher):
            continue
        nid = h.norm_id or ""
        if nid not in out:
            out[nid] = Party(_PARTY_LABELS[h.label], nid, _party_name(h), h.start_char, h.end_char)
    others = [p for p in out.values() if p.party_kind == "kommun" and p.party_id != publisher.code]
    code = publisher.code
    if code and code not in out and publisher.given and not others and code in vocab.kommuner():
        return [Party("kommun", code, vocab.kommuner()[code].name), *out.values()]
    return list(out.values())
