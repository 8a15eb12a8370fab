"""``samverkan_collaborations``: collaborations with type, name, parties, period and decision date.

Each sentence naming a collaboration type (``pipeline/data/vocab/collaboration_types.json``:
samverkansöverenskommelse, medborgarlöfte, nätverk, handlingsplan, avsiktsförklaring, other)
contributes to one collaboration per type. The generic type ``other`` ("samverkan",
"projekt", "kunskapsdag", GVI, SSPF …) is used only when no specific type is named, and is dropped
when no party is named with it. Not the article's collaboration: a type named only in passing
("en vidareutveckling av samverkansöverenskommelserna", "vår tidigare handlingsplan", "länkar till
åtgärdsplanen"), a plan still to be made ("nästa steg är att ta fram en åtgärdsplan"), and anything
after the teasers ("Läs också"). When the article names a working method (GVI, Sluta skjut),
"strategin" is that method (``other``), not a plan.

Parties (``pipeline/nlp/collaboration_parties.py``): organisations named in the collaboration's own
sentences, in sentences with a party cue (for a plan a kommun adopts alone, only those saying who takes
part), in the headline and lead (navigation lines skipped), in a member bullet list, or in the sentence an
anaphor ("Myndigheterna") refers to. Period and decision date come from the collaboration's own
sentences first, then from the rest of the article. Each priority area is kept once per collaboration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.facts import Collaboration, DateFact, Mention, Party, PriorityArea
from pipeline.nlp import vocab
from pipeline.nlp.collaboration_parties import (
    Publisher,
    anaphoric_sentences,
    bullet_items,
    find_parties,
    has_member_cue,
    nearest_kommun,
    not_a_party,
)
from pipeline.nlp.extensions import (
    add_spans,
    get_input,
    sentence_bounds,
)
from pipeline.nlp.periods import choose_decided, choose_period
from pipeline.nlp.priorities import body_end
from pipeline.text.dates import Period

FACTORY = "samverkan_collaborations"
__all__ = ["Collaborations", "find_collaborations", "link_priorities", "not_a_party", "type_mentions"]


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
def _background() -> re.Pattern[str]:
    cues = vocab.vocab("collaboration_types")["background_before"]
    return re.compile(rf"(?<![\wåäö])(?:{'|'.join(cues)}) (?:\S+ ){{0,4}}$", re.I)


@lru_cache(maxsize=1)
def _not_after_patterns() -> re.Pattern[str]:
    pats = vocab.vocab("collaboration_types").get("not_after_patterns") or ["(?!x)x"]
    return re.compile(rf"(?<![\wåäö])(?:{'|'.join(pats)})$", re.I)


@lru_cache(maxsize=1)
def _methods() -> tuple[re.Pattern[str], tuple[str, ...], str]:
    data = vocab.vocab("collaboration_types")["methods"]
    return (re.compile(rf"(?<![\wåäö])(?:{'|'.join(data['names'])})", re.I), tuple(data["words"]), data["type"])


def _cancelled(before: str) -> bool:
    """True when the words before a type word make it no collaboration of the article."""
    return bool(_not_after().search(before) or _not_after_patterns().search(before) or _background().search(before))


def type_mentions(text: str, bounds: list[tuple[int, int]]) -> list[tuple[str, int, int, int]]:
    """(type, start, end, sentence index) of every collaboration-type word, "kriminella nätverk" and words
    named only in passing ("en utveckling av samverkansöverenskommelserna") excluded. When the article
    names a working method (GVI, Sluta skjut), "strategin" is that method, not a plan."""
    out: list[tuple[str, int, int, int]] = []
    method_names, method_words, method_type = _methods()
    method = method_names.search(text) is not None
    for si, (s, e) in enumerate(bounds):
        chunk = text[s:e]
        taken: list[tuple[int, int]] = []
        for t in _types():
            for m in t.regex.finditer(chunk):
                if any(not (m.end() <= a or m.start() >= b) for a, b in taken) or _cancelled(chunk[: m.start()]):
                    continue
                taken.append((m.start(), m.end()))
                ctype = method_type if method and m.group(0).lower().startswith(method_words) else t.type
                out.append((ctype, s + m.start(), s + m.end(), si))
    return sorted(out, key=lambda x: x[1])


@lru_cache(maxsize=1)
def _future_near() -> tuple[re.Pattern[str], re.Pattern[str]]:
    data = vocab.vocab("collaboration_types")
    return (re.compile("|".join(data["future_before"]), re.I), re.compile("|".join(data["future_after"]), re.I))


def is_future(text: str, sentence: tuple[int, int], start: int, end: int) -> bool:
    """True when the type word at ``start``-``end`` names a plan still to be made ("ska ta fram en
    handlingsplan", "att utforma medborgarlöften", "medborgarlöften, och dessa ska tas fram")."""
    s, e = sentence
    if _future().search(text[s:e]):
        return True
    before, after = _future_near()
    return bool(before.search(text[max(s, start - 80) : start]) or after.search(text[end:e]))


@lru_cache(maxsize=1)
def _future() -> re.Pattern[str]:
    return re.compile("|".join(vocab.vocab("collaboration_types")["future_cues"]), re.I)


def _alone_types() -> set[str]:
    return set(vocab.vocab("collaboration_types")["alone_types"])


def _event_types() -> set[str]:
    return set(vocab.vocab("collaboration_types")["weak_types"])


_QUOTE_OPENERS = ("–", "-", "—", "”", '"', "«", "“")


def _is_quote(sentence: str) -> bool:
    """True for a sentence of direct speech (press releases open quotes with a dash)."""
    return sentence.lstrip().startswith(_QUOTE_OPENERS)


def _select_mentions(text: str, bounds: list[tuple[int, int]]) -> list[tuple[str, int, int, int]]:
    """The type mentions that name the article's collaborations (see ``choose_mentions``)."""
    return choose_mentions(text, bounds, type_mentions(text, bounds))


def choose_mentions(text: str, bounds: list[tuple[int, int]],
                    mentions: list[tuple[str, int, int, int]]) -> list[tuple[str, int, int, int]]:
    """Keep the mentions that describe a collaboration of this article.

    What people say in quotes does not define the form when the narrative names one (a named
    collaboration in a quote still counts); a specific type named only in sentences about a plan still
    to be made ("ska ta fram en handlingsplan", "nästa steg är att utforma medborgarlöften") is dropped;
    the generic ``other`` is used only when no specific type is left.
    """
    def sent(m: tuple[str, int, int, int]) -> str:
        return text[slice(*bounds[m[3]])]

    narrative = [m for m in mentions if not _is_quote(sent(m)) or _named(sent(m))]
    if any(not _is_quote(sent(m)) for m in narrative):
        mentions = narrative
    current_types = {m[0] for m in mentions if m[0] != "other" and not is_future(text, bounds[m[3]], m[1], m[2])}
    mentions = [m for m in mentions if m[0] == "other" or m[0] in current_types]
    specific = [m for m in mentions if m[0] != "other"]
    return specific or mentions


def _named(sentence: str) -> bool:
    return any(pat.search(sentence) for pat in _name_patterns())


def _name_of(text: str, own: list[tuple[int, int]]) -> str | None:
    """The proper name of the collaboration in its own sentences ("nätverket Mälarkommuner mot …")."""
    for s, e in own:
        for pat in _name_patterns():
            nm = pat.search(text[s:e])
            if nm:
                return nm.group("name").strip()
    return None


def _party_sentences(text: str, bounds: list[tuple[int, int]], ctype: str, ms: list[tuple[str, int, int, int]],
                     cue_sents: list[tuple[int, int]], single: bool) -> list[tuple[int, int]]:
    """Where the parties of one collaboration are named: its own sentences, the lead after a headline naming
    it, the sentences with a party cue (for a plan, which a kommun may adopt alone, only those saying who
    takes part), the headline and lead when the article has only one collaboration (navigation lines
    skipped), the sentence an anaphor refers to and the bullet items of a member list."""
    own = {bounds[m[3]] for m in ms}
    sents = own | _leads(text, bounds, ms)
    if ctype not in _alone_types():
        sents |= set(cue_sents)
    else:  # a plan a kommun adopts alone: only sentences saying who takes part add parties
        sents |= {b for b in cue_sents if has_member_cue(text[b[0] : b[1]])}
    if single:
        nav = re.compile(vocab.vocab("collaboration_types")["navigation"])
        sents |= set([b for b in bounds if not nav.search(text[b[0] : b[1]])][:2])
    sents |= anaphoric_sentences(text, bounds, sents)
    sents |= bullet_items(text, bounds, sents)
    return sorted(sents)


def _parties_of(text: str, bounds: list[tuple[int, int]], ctype: str, party_sents: list[tuple[int, int]],
                entities: list[Mention], publisher: Publisher, pos: int) -> list[Party]:
    """The parties named in ``party_sents``; a type that always has a kommun party (a medborgarlöfte)
    takes the kommun named closest to it when its sentences name none."""
    parties = find_parties(text, party_sents, entities, publisher)
    if ctype in vocab.vocab("collaboration_types")["kommun_types"] and all(p.party_kind != "kommun" for p in parties):
        kommun = nearest_kommun(text, bounds, entities, pos, publisher)
        if kommun is not None:
            parties.insert(0, kommun)
    return parties


def article_body(text: str, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentences before the teasers ("Läs också", "Fler nyheter"): what follows is other articles."""
    end = body_end(text)
    return [b for b in bounds if b[0] < end]


def find_collaborations(doc: Doc) -> list[Collaboration]:
    """Collaborations of ``doc`` (needs entities, dates and periods on the Doc)."""
    text = doc.text
    bounds = article_body(text, sentence_bounds(doc))
    meta = get_input(doc)
    publisher = Publisher(meta.publisher, bool(meta.source_kommun))
    entities: list[Mention] = doc._.samverkan_entities or []
    periods: list[Period] = doc._.samverkan_periods or []
    dates: list[DateFact] = doc._.samverkan_dates or []
    by_type: dict[str, list[tuple[str, int, int, int]]] = {}
    for m in _select_mentions(text, bounds):
        by_type.setdefault(m[0], []).append(m)
    cue = _party_cue()
    cue_sents = [(s, e) for s, e in bounds if cue.search(text[s:e])]
    owned = {t: sorted({bounds[m[3]] for m in tms}) for t, tms in by_type.items()}  # for choose_period
    out: list[Collaboration] = []
    for ctype, ms in sorted(by_type.items(), key=lambda kv: kv[1][0][1]):
        own = sorted({bounds[m[3]] for m in ms})
        first = bounds[ms[0][3]]
        name = _name_of(text, own)
        party_sents = _party_sentences(text, bounds, ctype, ms, cue_sents, len(by_type) == 1)
        parties = _parties_of(text, bounds, ctype, party_sents, entities, publisher, ms[0][1])
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
    return [c for c in out if c.type not in _event_types() or any(p.start_char is not None for p in c.parties)]


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


def one_per_collaboration(priorities: list[PriorityArea]) -> list[PriorityArea]:
    """Each area once per collaboration (its first mention); areas with no collaboration once per article.
    Every mention stays in the PRIORITY spans of the Doc."""
    seen: set[tuple[str, int | None]] = set()
    out: list[PriorityArea] = []
    for p in priorities:
        key = (p.area_code, p.collaboration_index)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


class Collaborations:
    """Find collaborations; store them on ``doc._.samverkan_collaborations`` and link the priority areas."""

    def __call__(self, doc: Doc) -> Doc:
        """Annotate ``doc`` and return it."""
        collabs = find_collaborations(doc)
        doc._.samverkan_collaborations = collabs
        priorities = doc._.samverkan_priorities or []
        link_priorities(priorities, collabs)
        doc._.samverkan_priorities = one_per_collaboration(priorities)
        add_spans(doc, [(s, e, "COLLAB_TYPE") for c in collabs for s, e in c.type_spans])
        return doc


@Language.factory(FACTORY)
def make_collaborations(nlp: Language, name: str) -> Collaborations:
    """Factory of the ``samverkan_collaborations`` component."""
    return Collaborations()
