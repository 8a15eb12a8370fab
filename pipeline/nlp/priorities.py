"""``samverkan_priorities``: priority areas of a collaboration.

Areas are looked for only where the text names priorities: bullet items under an intro or
heading with a cue ("Tre prioriteringar", "fokusområden", "målområden", "arbetsområden"),
and sentences with a cue ("Bland de prioriterade områdena finns …"). Inside those, stems of
``pipeline/data/vocab/priority_areas.json`` are matched on the lower-cased text (works on a
blank pipeline); with a lemmatizing base model the ``lemmas`` sequences are matched too.
Overlaps keep the longest match; "rekrytering av unga TILL kriminella nätverk" gives only
``rekrytering_unga``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.facts import PriorityArea
from pipeline.nlp import vocab
from pipeline.nlp.extensions import add_spans, sentence_bounds
from pipeline.vocabulary import alternation

FACTORY = "samverkan_priorities"
_BULLET = re.compile(r"^[ \t]*(?:[•▪●·*◦‣►■□○–—-]|\d{1,2}[.)])[ \t]*")


@dataclass(frozen=True)
class _Area:
    code: str
    group: str
    regex: re.Pattern[str]
    lemmas: tuple[tuple[str, ...], ...]


@lru_cache(maxsize=1)
def _areas() -> list[_Area]:
    out = []
    for a in vocab.vocab("priority_areas")["areas"]:
        alts = "|".join(f"(?:{s})" for s in a["stems"])
        out.append(_Area(a["code"], a["group"], re.compile(rf"(?<![\wåäö])(?:{alts})", re.I),
                         tuple(tuple(x) for x in a.get("lemmas", []))))
    return out


@lru_cache(maxsize=1)
def _cue_regex() -> re.Pattern[str]:
    cues = vocab.vocab("priority_areas")["contexts"]
    return re.compile(rf"(?<![\wåäö])(?:{'|'.join(re.escape(c) for c in cues)})", re.I)


@lru_cache(maxsize=1)
def _list_cue_regex() -> re.Pattern[str]:
    cues = vocab.vocab("priority_areas")["list_contexts"]
    return re.compile(rf"(?:{'|'.join(re.escape(c) for c in cues)})", re.I)


@lru_cache(maxsize=1)
def _teaser_heading() -> re.Pattern[str]:
    words = alternation(vocab.vocab("teasers")["headings"], longest_first=False)
    return re.compile(rf"^[ \t]*(?:{words})[ \t]*:?[ \t]*$", re.I | re.M)


def body_end(text: str) -> int:
    """Where the article's body ends: at the first teaser heading ("Läs också", "Fler nyheter"), else its end."""
    m = _teaser_heading().search(text)
    return m.start() if m else len(text)


def priority_regions(text: str, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Character ranges that name priorities: cue sentences and bullet items under a cue intro."""
    regions: list[tuple[int, int]] = []
    lines: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    intro_ok = False
    for ls, le in lines:
        line = text[ls:le]
        if not line.strip():
            continue
        if _BULLET.match(line):
            if intro_ok:
                regions.append((ls, le))
            continue
        intro_ok = bool(_list_cue_regex().search(line)) and (line.rstrip().endswith(":") or len(line.split()) <= 8)
    cue = _cue_regex()
    for s, e in bounds:
        if cue.search(text[s:e]):
            regions.append((s, e))
    return sorted(set(regions))


@lru_cache(maxsize=1)
def _name_parts() -> tuple[str, ...]:
    return tuple(vocab.vocab("priority_areas").get("not_in_names", []))


def in_organisation_name(text: str, start: int, end: int) -> bool:
    """True when the match ``start``-``end`` is part of a word naming an administration
    ("vård- och omsorgsförvaltningen", "narkotikaenheten"): it names who works, not a priority."""
    while end < len(text) and (text[end].isalnum() or text[end] == "-"):
        end += 1
    word = text[start:end].lower()
    return any(part in word[1:] for part in _name_parts())


def _lemma_hits(doc: Doc, regions: list[tuple[int, int]]) -> list[tuple[int, int, _Area]]:
    if not doc.has_annotation("LEMMA"):
        return []
    out = []
    lemmas = [t.lemma_.lower() for t in doc]
    for area in _areas():
        for seq in area.lemmas:
            n = len(seq)
            for i in range(len(doc) - n + 1):
                if tuple(lemmas[i : i + n]) == seq:
                    s, e = doc[i].idx, doc[i + n - 1].idx + len(doc[i + n - 1])
                    if any(a <= s and e <= b for a, b in regions):
                        out.append((s, e, area))
    return out


def find_priorities(doc: Doc) -> list[PriorityArea]:
    """Priority areas named in ``doc`` (see the module docstring)."""
    text = doc.text
    data = vocab.vocab("priority_areas")
    regions = [(0, body_end(text))] if data.get("whole_text", True) else priority_regions(text, sentence_bounds(doc))
    modifier_areas = set(data["modifier_areas"])
    preps = sorted(data["modifier_preps"], key=len, reverse=True)
    raw: list[tuple[int, int, _Area]] = []
    for rs, re_ in regions:
        chunk = text[rs:re_]
        for area in _areas():
            for m in area.regex.finditer(chunk):
                raw.append((rs + m.start(), rs + m.end(), area))
    raw.extend(_lemma_hits(doc, regions))
    raw.sort(key=lambda x: (x[0], -(x[1] - x[0])))
    kept: list[tuple[int, int, _Area]] = []
    for s, e, area in raw:
        if kept and s < kept[-1][1]:
            continue
        kept.append((s, e, area))
    out: list[PriorityArea] = []
    for i, (s, e, area) in enumerate(kept):
        if in_organisation_name(text, s, e):
            continue
        if area.code in modifier_areas and i > 0:
            ps, pe, parea = kept[i - 1]
            gap = text[pe:s]
            if parea.code != area.code and "," not in gap and "\n" not in gap and "." not in gap and len(gap) < 40:
                g = gap.strip().lower()
                if any(g.endswith(p) for p in preps):
                    continue
        out.append(PriorityArea(area.code, area.group, text[s:e], s, e))
    return out


class Priorities:
    """Find priority areas; store them on ``doc._.samverkan_priorities``."""

    def __call__(self, doc: Doc) -> Doc:
        """Annotate ``doc`` and return it."""
        hits = find_priorities(doc)
        doc._.samverkan_priorities = hits
        add_spans(doc, [(h.start_char, h.end_char, "PRIORITY") for h in hits])
        return doc


@Language.factory(FACTORY)
def make_priorities(nlp: Language, name: str) -> Priorities:
    """Factory of the ``samverkan_priorities`` component."""
    return Priorities()
