"""``samverkan_collaborations``: collaborations with type, name, parties, period and decision date.

Each sentence naming a collaboration type (``pipeline/data/vocab/collaboration_types.json``:
samverkansöverenskommelse, medborgarlöfte, nätverk, handlingsplan, avsiktsförklaring, other)
contributes to one collaboration per type. The generic type ``other`` ("samverkan",
"projekt", …) is used only when no specific type is named.

Parties: the publishing kommun, kommuner named in collaboration sentences as "X kommun", in a
list of kommuner or as the publisher, and the agencies named in those sentences ("mellan
polis och kommun" → Polismyndigheten). Kommuner merely mentioned ("nätverk i Göteborg") are
not parties. Period and decision date come from the collaboration's own sentences first,
then from the rest of the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.facts import Collaboration, DateFact, Mention, Party, PriorityArea
from pipeline.nlp import vocab
from pipeline.nlp.extensions import (
    add_spans,
    get_input,
    sentence_bounds,
)
from pipeline.nlp.periods import choose_decided, choose_period
from pipeline.text.dates import Period

FACTORY = "samverkan_collaborations"
_PARTY_LABELS = {"KOMMUN": "kommun", "MYNDIGHET": "myndighet", "LANSSTYRELSE": "lansstyrelse", "REGION": "region"}


@dataclass(frozen=True)
class _Type:
    type: str
    regex: re.Pattern[str]


@lru_cache(maxsize=1)
def _types() -> list[_Type]:
    data = vocab.vocab("collaboration_types")
    return [_Type(t["type"], re.compile(rf"(?<![\wåäö])(?:{'|'.join(t['stems'])})", re.I)) for t in data["types"]]


@lru_cache(maxsize=1)
def _not_after() -> re.Pattern[str]:
    words = vocab.vocab("collaboration_types")["not_after"]
    return re.compile(rf"(?<![\wåäö])(?:{'|'.join(re.escape(w) for w in words)})[ \t]+$", re.I)


@lru_cache(maxsize=1)
def _party_cue() -> re.Pattern[str]:
    cues = vocab.vocab("collaboration_types")["party_cues"]
    return re.compile(rf"(?<![\wåäö])(?:{'|'.join(re.escape(c) for c in cues)})", re.I)


@lru_cache(maxsize=1)
def _name_patterns() -> list[re.Pattern[str]]:
    return [re.compile(p) for p in vocab.vocab("collaboration_types")["name_patterns"]]


@lru_cache(maxsize=1)
def _non_party() -> tuple[re.Pattern[str], re.Pattern[str]]:
    data = vocab.vocab("collaboration_types")
    before = data.get("non_party_before") or ["(?!x)x"]
    after = data.get("non_party_after") or ["(?!x)x"]
    return (re.compile(rf"(?<![\wåäö])(?:{'|'.join(before)})(?![\wåäö])", re.I),
            re.compile(rf"(?<![\wåäö])(?:{'|'.join(after)})(?![\wåäö])", re.I))


def not_a_party(text: str, start: int, end: int, sentence: tuple[int, int]) -> bool:
    """True when the sentence says the mention at ``start``-``end`` is no party: it is invited, only gave
    views, is not part ("… har bjudits in men är inte part"), or is only cited ("precis som i Malmö")."""
    before, after = _non_party()
    s, e = sentence
    if before.search(text[end:e]):
        return True
    return after.search(text[s:start]) is not None


def type_mentions(text: str, bounds: list[tuple[int, int]]) -> list[tuple[str, int, int, int]]:
    """(type, start, end, sentence index) of every collaboration-type word, "kriminella nätverk" excluded."""
    out: list[tuple[str, int, int, int]] = []
    for si, (s, e) in enumerate(bounds):
        chunk = text[s:e]
        taken: list[tuple[int, int]] = []
        for t in _types():
            for m in t.regex.finditer(chunk):
                if any(not (m.end() <= a or m.start() >= b) for a, b in taken):
                    continue
                if _not_after().search(chunk[: m.start()]):
                    continue
                taken.append((m.start(), m.end()))
                out.append((t.type, s + m.start(), s + m.end(), si))
    return sorted(out, key=lambda x: x[1])


_LIST_GAPS = {", ", " och ", ",", " samt ", " och med "}
_PLACE_PREP = re.compile(r"(?:\b(?:i|från|till|på|inom|runt|kring|nära|mellan städerna)) $", re.I)


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


def _parties(text: str, sentences: list[tuple[int, int]], entities: list[Mention],
             publisher: str | None) -> list[Party]:
    kommun_hits = [h for h in entities if h.label == "KOMMUN"]
    out: dict[str, Party] = {}
    if publisher and publisher in vocab.kommuner():
        k = vocab.kommuner()[publisher]
        out[publisher] = Party("kommun", publisher, k.name)
    for h in entities:
        if h.label not in _PARTY_LABELS or h.norm_id is None:
            continue
        if not any(s <= h.start_char < e for s, e in sentences):
            continue
        if h.label == "KOMMUN" and not (h.kommun_suffix or h.norm_id == publisher or _in_list(kommun_hits, h, text)):
            continue
        sent = next(((s, e) for s, e in sentences if s <= h.start_char < e), None)
        if sent is not None and not_a_party(text, h.start_char, h.end_char, sent):
            continue
        before = text[max(0, h.start_char - 25) : h.start_char].lower()
        if re.search(r"(?:bedrägeri\w*|brott|fusk|angrepp) mot $", before):
            continue
        name = vocab.kommuner()[h.norm_id].name if h.label == "KOMMUN" else h.name
        if h.label in {"LANSSTYRELSE", "REGION"}:
            code = h.norm_id.split(":", 1)[1]
            county = vocab.counties().get(code, "")
            name = f"Länsstyrelsen i {county}" if h.label == "LANSSTYRELSE" else f"Region {county.removesuffix(' län')}"
        if h.norm_id in out:
            if out[h.norm_id].start_char is None:
                out[h.norm_id].start_char, out[h.norm_id].end_char = h.start_char, h.end_char
            continue
        out[h.norm_id] = Party(_PARTY_LABELS[h.label], h.norm_id, name, h.start_char, h.end_char)
    return list(out.values())


def _event_types() -> set[str]:
    return set(vocab.vocab("collaboration_types")["weak_types"])


_QUOTE_OPENERS = ("–", "-", "—", "”", '"', "«", "“")


def _is_quote(sentence: str) -> bool:
    """True for a sentence of direct speech (press releases open quotes with a dash)."""
    return sentence.lstrip().startswith(_QUOTE_OPENERS)


def find_collaborations(doc: Doc) -> list[Collaboration]:
    """Collaborations of ``doc`` (needs entities, dates and periods on the Doc)."""
    text = doc.text
    bounds = sentence_bounds(doc)
    meta = get_input(doc)
    publisher = meta.publisher
    entities: list[Mention] = doc._.samverkan_entities or []
    periods: list[Period] = doc._.samverkan_periods or []
    dates: list[DateFact] = doc._.samverkan_dates or []
    mentions = type_mentions(text, bounds)
    narrative = [m for m in mentions if not _is_quote(text[slice(*bounds[m[3]])])]
    if narrative:  # what people say in quotes does not define the form when the narrative names one
        mentions = narrative
    future = re.compile("|".join(vocab.vocab("collaboration_types")["future_cues"]), re.I)
    current_types = {m[0] for m in mentions if m[0] != "other" and not future.search(text[slice(*bounds[m[3]])])}
    if current_types:
        mentions = [m for m in mentions if m[0] == "other" or m[0] in current_types]
    specific = [m for m in mentions if m[0] != "other"]
    chosen = specific or mentions
    if not chosen:
        return []
    by_type: dict[str, list[tuple[str, int, int, int]]] = {}
    for m in chosen:
        by_type.setdefault(m[0], []).append(m)
    cue = _party_cue()
    cue_sents = [(s, e) for s, e in bounds if cue.search(text[s:e])]
    owned = {t: sorted({bounds[m[3]] for m in tms}) for t, tms in by_type.items()}  # for choose_period
    out: list[Collaboration] = []
    for ctype, ms in sorted(by_type.items(), key=lambda kv: kv[1][0][1]):
        own = sorted({bounds[m[3]] for m in ms})
        first = bounds[ms[0][3]]
        name = None
        for s, e in own:
            for pat in _name_patterns():
                nm = pat.search(text[s:e])
                if nm:
                    name = nm.group("name").strip()
                    break
            if name:
                break
        party_sents = set(own) | set(cue_sents) | _leads(text, bounds, ms)
        if len(by_type) == 1:  # one collaboration: the headline and lead sentence name its parties
            party_sents |= set(bounds[:2])
        parties = _parties(text, sorted(party_sents), entities, publisher)
        others = [span for t, spans in owned.items() if t != ctype for span in spans]
        period = choose_period(text, periods, dates, ms, bounds, cue_sents, others, ctype in _event_types(),
                               published=meta.published)
        decided = choose_decided(dates, own, cue_sents)
        out.append(Collaboration(
            type=ctype, name=name, evidence=text[first[0] : first[1]], start_char=first[0], end_char=first[1],
            type_spans=[(m[1], m[2]) for m in ms],
            period_start=period.start if period else None, period_end=period.end if period else None,
            decided_on=decided, parties=parties,
        ))
    return out


def _leads(text: str, bounds: list[tuple[int, int]], ms: list[tuple[str, int, int, int]]) -> set[tuple[int, int]]:
    """The sentence after each type word's sentence when that one is a heading (no closing punctuation):
    a headline names the collaboration, its lead sentence names the parties."""
    out: set[tuple[int, int]] = set()
    for _t, _s, _e, si in ms:
        s, e = bounds[si]
        if si + 1 < len(bounds) and not text[s:e].rstrip().endswith((".", "!", "?", ":", "”", '"')):
            out.add(bounds[si + 1])
    return out


def link_priorities(priorities: list[PriorityArea], collabs: list[Collaboration]) -> None:
    """Set ``collaboration_index`` of each priority to the collaboration named closest before it (else the first)."""
    if not collabs:
        return
    for p in priorities:
        best, best_pos = 0, -1
        for i, c in enumerate(collabs):
            for s, _e in c.type_spans:
                if best_pos < s <= p.start_char:
                    best, best_pos = i, s
        p.collaboration_index = best


class Collaborations:
    """Find collaborations; store them on ``doc._.samverkan_collaborations`` and link the priority areas."""

    def __call__(self, doc: Doc) -> Doc:
        """Annotate ``doc`` and return it."""
        collabs = find_collaborations(doc)
        doc._.samverkan_collaborations = collabs
        link_priorities(doc._.samverkan_priorities or [], collabs)
        add_spans(doc, [(s, e, "COLLAB_TYPE") for c in collabs for s, e in c.type_spans])
        return doc


@Language.factory(FACTORY)
def make_collaborations(nlp: Language, name: str) -> Collaborations:
    """Factory of the ``samverkan_collaborations`` component."""
    return Collaborations()
