"""``samverkan_people``: people with role, organisation and party.

A capitalised name of two to four tokens (or a ``PER`` entity of the base model) becomes a
person when a cue links it to a role, a party or an organisation:

* ``säger X (M), kommunstyrelsens ordförande`` / ``X, kommundirektör i Y kommun`` (role after),
* ``kommunstyrelsens ordförande X (M)`` / ``lokalpolisområdeschef X`` (role before),
* photo captions ``från vänster A, roll, B, roll och C, roll`` (role after each name),
* contact blocks: a line with only the name followed by a role line ``kommunalråd (C) och …``,
* a speech verb (``säger X``) or ``X från polisen``.

Bylines ("Name 2022-11-30") and credits ("Foto: …", "Text: …") are skipped. One person per
name per article; later full-name, first-name or surname mentions ("Christians") are merged.
Roles come from ``pipeline/data/vocab/roles.json``; names never contain the words of
``name_stopwords.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.facts import Mention, Person, normalise_name
from pipeline.nlp import vocab
from pipeline.nlp.extensions import add_spans, get_input
from pipeline.nlp.gazetteer import normalise_party

FACTORY = "samverkan_people"

_UP = "A-ZÅÄÖÉÜÈÁ"
_LOW = "a-zåäöéüèáíóøæ"
NAME_TOKEN = rf"[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?"
NAME_RE = re.compile(
    rf"(?<![\w{_LOW}{_UP}-]){NAME_TOKEN}(?:[ \u00a0](?:(?:af|von|van|de|der|da|la|du) )?{NAME_TOKEN}){{1,3}}(?![\w{_LOW}-])"
)
_SPEECH = re.compile(
    r"(?:säger|sade|sa|berättar|menar|förklarar|konstaterar|avslutar|fortsätter|tycker|betonar|understryker|"
    r"framhåller|poängterar|påpekar|enligt|skriver|uppger|meddelar)[ \t]+$",
    re.I,
)
_CREDIT = re.compile(r"(?:^|\n)[ \t]*(?:Foto|Bild|Text|Fotograf|Av|Illustration|Källa|Photo|Film)[ \t]*:[^\n]*$", re.I)
_BYLINE_AFTER = re.compile(r"^[ \t]*(?:\d{4}-\d\d-\d\d|\d{1,2} [a-zåäö]+ \d{4})")
_ORG_PREP = re.compile(r"^[ \t]*(?:,[ \t]*)?(?:i|på|vid|hos|inom|för|från)[ \t]+")


@dataclass(frozen=True)
class _Role:
    regex: re.Pattern[str]
    before: re.Pattern[str]
    code: str
    org: str


@lru_cache(maxsize=1)
def _roles() -> list[_Role]:
    out = []
    for r in vocab.vocab("roles")["roles"]:
        p = r["pattern"]
        out.append(_Role(
            re.compile(rf"(?:{p})(?:en|et|n)?(?![\wåäöÅÄÖ])", re.I),
            re.compile(rf"(?<![\wåäöÅÄÖ])(?:{p})(?:en|et|n)?[ \t]+$", re.I),
            r["role_code"],
            r["org"],
        ))
    return out


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    return frozenset(vocab.vocab("name_stopwords")["words"])


@lru_cache(maxsize=1)
def _fallback_role() -> re.Pattern[str]:
    suffixes = "|".join(vocab.vocab("roles")["fallback_suffixes"])
    return re.compile(rf"[a-zåäöé][a-zåäöé-]*(?:{suffixes})(?![\wåäö])")


def match_role_at(text: str, pos: int, fallback: bool = True) -> tuple[int, str, str, str] | None:
    """The longest role phrase starting at ``pos``: (end, text as written, role_code, org kind).

    With ``fallback``, an unknown lower-case word ending like a role ("verksamhetsexpert") gives ``other``.
    """
    best: tuple[int, str, str, str] | None = None
    for role in _roles():
        m = role.regex.match(text, pos)
        if m and (best is None or m.end() > best[0]):
            best = (m.end(), m.group(0), role.code, role.org)
    if best is None and fallback:
        m = _fallback_role().match(text, pos)
        if m:
            best = (m.end(), m.group(0), "other", "other")
    return best


def _is_role_word(word: str) -> bool:
    r = match_role_at(word.lower(), 0)
    return r is not None and r[0] == len(word)


def match_role_before(text: str, pos: int) -> tuple[int, int, str, str, str] | None:
    """The longest role phrase ending right before ``pos`` (only spaces between): (start, end, text, code, org)."""
    lo = max(0, pos - 120)
    window = text[lo:pos]
    best: tuple[int, int, str, str, str] | None = None
    for role in _roles():
        m = role.before.search(window)
        if m:
            phrase = m.group(0).rstrip()
            start = lo + m.start()
            if best is None or start < best[0]:
                best = (start, start + len(phrase), phrase, role.code, role.org)
    return best


def _trim(text: str, s: int, e: int) -> tuple[int, int] | None:
    """Drop stopword tokens at either end of a candidate name; None if fewer than two tokens remain."""
    stop = _stopwords()
    toks = [(m.start() + s, m.end() + s) for m in re.finditer(r"\S+", text[s:e])]
    while toks and (text[toks[0][0] : toks[0][1]] in stop or _is_role_word(text[toks[0][0] : toks[0][1]])):
        toks.pop(0)
    while toks and text[toks[-1][0] : toks[-1][1]] in stop:
        toks.pop()
    if len(toks) < 2 or any(text[a:b] in stop for a, b in toks):
        return None
    return toks[0][0], toks[-1][1]


def _line(text: str, pos: int) -> tuple[int, int]:
    s = text.rfind("\n", 0, pos) + 1
    e = text.find("\n", pos)
    return s, (len(text) if e == -1 else e)


def _next_line(text: str, pos: int) -> tuple[int, int] | None:
    """The next non-empty line after the line containing ``pos``."""
    _, e = _line(text, pos)
    while e < len(text):
        s = e + 1
        ls, le = _line(text, s)
        if text[ls:le].strip():
            off = len(text[ls:le]) - len(text[ls:le].lstrip())
            return ls + off, le
        e = le
        if le == len(text):
            break
    return None


def _candidates(doc: Doc) -> list[tuple[int, int]]:
    text = doc.text
    spans: list[tuple[int, int]] = []
    for m in NAME_RE.finditer(text):
        t = _trim(text, m.start(), m.end())
        if t:
            spans.append(t)
    for ent in doc.ents:
        if ent.label_ in {"PER", "PRS"} and len(ent) >= 2 and "\n" not in ent.text:
            t = _trim(text, ent.start_char, ent.end_char)
            if t and not any(a <= t[0] < b or t[0] <= a < t[1] for a, b in spans):
                spans.append(t)
    return sorted(spans)


def _entity_at(entities: list[Mention], pos: int) -> Mention | None:
    for h in entities:
        if h.start_char == pos and h.label in {"KOMMUN", "MYNDIGHET", "LANSSTYRELSE", "REGION"}:
            return h
    return None


def _organisation(hit: Mention) -> tuple[str, str | None]:
    if hit.label == "KOMMUN":
        return f"{hit.name} kommun", hit.norm_id
    return hit.name, hit.norm_id


class People:
    """Find people with role, organisation and party; store them on ``doc._.samverkan_people``."""

    def __call__(self, doc: Doc) -> Doc:
        """Annotate ``doc`` and return it."""
        doc._.samverkan_people = find_people(doc)
        spans: list[tuple[int, int, str]] = []
        for p in doc._.samverkan_people:
            spans.extend((s, e, "PERSON") for s, e in p.mentions)
            if p.role_span:
                spans.append((p.role_span[0], p.role_span[1], "ROLE"))
        add_spans(doc, spans)
        return doc


def _publisher_org(doc: Doc) -> tuple[str | None, str | None]:
    code = get_input(doc).publisher
    k = vocab.kommuner().get(code) if code else None
    return (f"{k.name} kommun", k.code) if k else (None, None)


@lru_cache(maxsize=1)
def _also_at_agencies() -> frozenset[str]:
    return frozenset(vocab.vocab("roles").get("also_at_agencies", []))


def _respective(text: str, s: int, r: tuple[int, str, str, str]) -> tuple[int, str, str, str]:
    """For the second of "A och B, roll1 respektive roll2", B's role is roll2; otherwise ``r`` unchanged."""
    if not re.search(rf"{NAME_TOKEN}[ \t]+{NAME_TOKEN}(?:[ \t]*\([^()\n]{{1,30}}\))?[ \t]+och[ \t]+$", text[max(0, s - 80) : s]):
        return r
    rm = re.match(r"(?:[ \t]+(?:i|på|vid|hos|inom)[ \t]+[^,.\n]*?)?[ \t]+respektive[ \t]+", text[r[0] : r[0] + 80])
    if rm:
        r2 = match_role_at(text, r[0] + rm.end(), fallback=False)
        if r2 is not None:
            return r2
    return r


def find_people(doc: Doc) -> list[Person]:
    """People of ``doc`` (needs ``doc._.samverkan_entities`` from the gazetteer)."""
    text = doc.text
    entities: list[Mention] = doc._.samverkan_entities or []
    kommun_names = {k.name for k in vocab.kommuner().values()}
    found: dict[str, Person] = {}
    order: list[str] = []
    for s, e in _candidates(doc):
        name = " ".join(text[s:e].split())
        if name in kommun_names or any(h.start_char <= s < h.end_char and h.label != "PARTY" for h in entities):
            continue
        after = text[e : e + 200]
        if re.match(r"^[ \t]*(?:kommuns?|stads?|län|region|Kommun)\b", after):
            continue
        ls, le = _line(text, s)
        if _CREDIT.search(text[max(0, ls - 1) : s]) or _BYLINE_AFTER.match(text[e:le]):
            continue
        role: tuple[int, int, str, str, str] | None = None  # start, end, text, code, org
        party: tuple[int, int, str] | None = None
        org_hit: Mention | None = None
        pos = e
        pm = re.match(r"[ \t]*\((?P<p>[^()\n]{1,30})\)", text[pos:])
        if pm and normalise_party(pm.group("p")):
            party = (pos + pm.start("p"), pos + pm.end("p"), normalise_party(pm.group("p")) or "")
            pos += pm.end()
        cm = re.match(r"[ \t]*,?[ \t]*(?:och[ \t]+)?(?:(?:kommunens|polisens|stadens|[A-ZÅÄÖ][\wåäö]+s)[ \t]+)?",
                      text[pos:])
        rpos = pos + (cm.end() if cm else 0)
        r = match_role_at(text, rpos) if (cm and (cm.group(0).strip() or party)) else None
        if r is not None and re.match(rf"[ \t]+{NAME_TOKEN}[ \t]+{NAME_TOKEN}", text[r[0] : r[0] + 80]):
            r = None  # "A och kommunpolis B": the role belongs to the name that follows it
        if r is not None:
            r = _respective(text, s, r)
            role = (rpos, r[0], r[1], r[2], r[3])
            pos = r[0]
        else:
            rb = match_role_before(text, s)
            if rb is not None:
                role = rb
                pos = e
                if party is not None:
                    pos = party[1] + 1
        if role is None:
            # "A och B, kommunstyrelsens ordförande i X respektive Y": A shares B's role (the first one)
            pair = re.match(rf"[ \t]+och[ \t]+{NAME_TOKEN}[ \t]+{NAME_TOKEN}(?:[ \t]*\([^()\n]{{1,30}}\))?[ \t]*,[ \t]*",
                            text[e : e + 120])
            if pair:
                r = match_role_at(text, e + pair.end())
                if r is not None and "respektive" in re.split(r"[.\n]", text[r[0] : r[0] + 80])[0]:
                    role = (e + pair.end(), r[0], r[1], r[2], r[3])
        if role is None and text[ls:le].strip() == text[s:e].strip():
            nl = _next_line(text, s)
            if nl is not None:
                r = match_role_at(text, nl[0])
                if r is not None:
                    role = (nl[0], r[0], r[1], r[2], r[3])
                    pos = r[0]
                    pm = re.search(r"\((?P<p>[^()\n]{1,30})\)", text[nl[0] : nl[1]])
                    if party is None and pm and normalise_party(pm.group("p")):
                        party = (nl[0] + pm.start("p"), nl[0] + pm.end("p"), normalise_party(pm.group("p")) or "")
        if role is None and text[max(0, s - 2) : s] == ", ":
            # "Kriminalvårdens regionchef i region Öst, Tomas Lund, ser …"
            cs = max(text.rfind(c, 0, s - 2) for c in ".\n–:")
            clause = text[cs + 1 : s - 2]
            for rm in re.finditer(r"[\wåäöÅÄÖ]+", clause):
                r = match_role_at(text, cs + 1 + rm.start(), fallback=False)
                if r is None:
                    r = match_role_at(rm.group(0).lower(), 0, fallback=True)
                    if r is not None and r[0] == len(rm.group(0)):
                        r = (cs + 1 + rm.end(), rm.group(0), r[2], r[3])
                    else:
                        r = None
                if r is not None:
                    role = (cs + 1 + rm.start(), r[0], r[1], r[2], r[3])
                    break
        # organisation written after the role or name: "i Strängnäs kommun", "från polisen"
        om = _ORG_PREP.match(text[pos:])
        if om:
            org_hit = _entity_at(entities, pos + om.end())
            if org_hit is not None:
                pos = org_hit.end_char
        if party is None and role is not None:
            pm = re.match(r"[^\n.,;()]{0,40}?\((?P<p>[^()\n]{1,30})\)", text[role[1] : role[1] + 80])
            if pm and normalise_party(pm.group("p")):
                party = (role[1] + pm.start("p"), role[1] + pm.end("p"), normalise_party(pm.group("p")) or "")
        if role is None and org_hit is not None and org_hit.norm_id == "polismyndigheten":
            role = (om.start() + e if om else e, org_hit.end_char, "", "polis", "polis") if om else None
        speech = _SPEECH.search(text[max(0, s - 40) : s]) is not None
        if role is None and party is None and org_hit is None and not speech:
            continue
        key = normalise_name(name)
        person = found.get(key)
        if person is None:
            person = Person(name=name, start_char=s, end_char=e)
            found[key] = person
            order.append(key)
        if role is not None and (person.role_code is None or person.role_code == "other" and role[3] != "other"):
            person.role = role[2] or None
            person.role_code = role[3]
            person.role_span = (role[0], role[1]) if role[2] else None
            org_kind = role[4]
            if (org_kind == "kommun" and org_hit is not None and org_hit.label != "KOMMUN"
                    and role[3] not in _also_at_agencies()):
                person.role_code = "other"
            if org_hit is not None:
                person.organisation, person.organisation_id = _organisation(org_hit)
            elif org_kind == "kommun":
                person.organisation, person.organisation_id = _publisher_org(doc)
            elif org_kind == "polis":
                person.organisation, person.organisation_id = "Polismyndigheten", "polismyndigheten"
        if org_hit is not None and person.organisation is None:
            person.organisation, person.organisation_id = _organisation(org_hit)
        if party is not None and person.party is None:
            person.party, person.party_span = party[2], (party[0], party[1])
            if person.organisation is None:
                person.organisation, person.organisation_id = _publisher_org(doc)
    people = [found[k] for k in order]
    _collect_mentions(text, people)
    return people


def _collect_mentions(text: str, people: list[Person]) -> None:
    """All spans naming each person: full name, and first name or surname alone (also genitive)."""
    taken: list[tuple[int, int]] = []
    for p in people:
        for m in re.finditer(rf"(?<![\wåäöÅÄÖ-]){re.escape(p.name)}s?(?![\wåäöÅÄÖ-])", text):
            p.mentions.append((m.start(), m.start() + len(p.name)))
            taken.append((m.start(), m.end()))
    first_counts: dict[str, int] = {}
    for p in people:
        parts = p.name.split()
        for part in (parts[0], parts[-1]):
            first_counts[part] = first_counts.get(part, 0) + 1
    for p in people:
        parts = p.name.split()
        for part in {parts[0], parts[-1]}:
            if first_counts[part] > 1 or part in _stopwords():
                continue
            for m in re.finditer(rf"(?<![\wåäöÅÄÖ-]){re.escape(part)}s?(?![\wåäöÅÄÖ-])", text):
                if any(a <= m.start() < b for a, b in taken):
                    continue
                p.mentions.append((m.start(), m.start() + len(part)))
                taken.append((m.start(), m.end()))
        p.mentions.sort()


@Language.factory(FACTORY)
def make_people(nlp: Language, name: str) -> People:
    """Factory of the ``samverkan_people`` component."""
    return People()
