"""``samverkan_people``: people with role, organisation and party.

A capitalised name of two to four tokens (or a ``PER`` entity of the base model), see
:mod:`pipeline.nlp.names`, becomes a person when a cue links it to a role, a party or an
organisation (:mod:`pipeline.nlp.captions` links names inside a sentence, caption or list):

* ``säger X (M), kommunstyrelsens ordförande`` / ``X, kommundirektör i Y kommun`` (role after),
* ``kommunstyrelsens ordförande X (M)`` / ``lokalpolisområdeschef X`` (role before),
* photo captions ``från vänster A, roll, B, roll och C, roll`` or ``roll A, roll B och roll C``,
* contact blocks: a line with only the name followed by a role line ``kommunalråd (C) och …``,
* a speech verb (``säger X``) or ``X från polisen``.

Bylines ("Name 2022-11-30") and credits ("Foto: …", "Text: …") are skipped. One person per
name per article; later full-name, first-name or surname mentions ("Christians") are merged.
Names the lexicon does not confirm count only with a role. Roles come from
``pipeline/data/vocab/roles.json`` (:mod:`pipeline.nlp.roles`), cue words from ``people_cues.json``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.facts import Mention, Person, normalise_name
from pipeline.nlp import vocab
from pipeline.nlp.captions import Link, entity_at, link_segment, org_prep_re, party_at
from pipeline.nlp.extensions import add_spans, get_input, sentence_bounds
from pipeline.nlp.names import Candidate, candidates, is_first_name, stopwords
from pipeline.nlp.roles import (
    RoleMatch,
    also_at_agencies,
    area_roles,
    area_upgrade,
    match_role_at,
    match_role_before,
    refine_code,
)
from pipeline.vocabulary import alternation

FACTORY = "samverkan_people"
_BYLINE_AFTER = re.compile(r"^[ \t]*(?:\d{4}-\d\d-\d\d|\d{1,2} [a-zåäö]+ \d{4})")


@lru_cache(maxsize=1)
def _cue_res() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    cues = vocab.vocab("people_cues")
    speech = alternation(cues["speech_verbs"], longest_first=False)
    credit = alternation(cues["credit_words"], longest_first=False)
    after = alternation(cues["not_person_after"], longest_first=False)
    return (
        re.compile(rf"(?<![\wåäö])(?:{speech})[ \t]+$", re.I),
        re.compile(rf"(?:^|\n)[ \t]*(?:{credit})[ \t]*:[^\n]*$", re.I),
        re.compile(rf"^[ \t]*(?:{after})\b"),
    )


def _line(text: str, pos: int) -> tuple[int, int]:
    s = text.rfind("\n", 0, pos) + 1
    e = text.find("\n", pos)
    return s, (len(text) if e == -1 else e)


def _next_line(text: str, pos: int) -> tuple[int, int] | None:
    """The next non-empty line after the line containing ``pos``."""
    _, e = _line(text, pos)
    while e < len(text):
        ls, le = _line(text, e + 1)
        if text[ls:le].strip():
            return ls + len(text[ls:le]) - len(text[ls:le].lstrip()), le
        if le == len(text) or le == e:
            break
        e = le
    return None


def _skip(text: str, c: Candidate, entities: list[Mention], kommun_names: frozenset[str]) -> bool:
    """True for candidates that are no person: kommun names, inside an entity, bylines and credits."""
    name = " ".join(text[c.start : c.end].split())
    if name in kommun_names or any(h.start_char <= c.start < h.end_char and h.label != "PARTY" for h in entities):
        return True
    if _cue_res()[2].match(text[c.end : c.end + 40]):
        return True
    if not c.known:  # "lokalpolisområdeschef Mälardalen Syd": the area, not a person
        r = match_role_before(text, c.start)
        if r is not None and r.code in area_roles():
            return True
    ls, le = _line(text, c.start)
    return bool(_cue_res()[1].search(text[max(0, ls - 1) : c.start]) or _BYLINE_AFTER.match(text[c.end : le]))


def _contact_block(text: str, c: Candidate, link: Link) -> None:
    """A name alone on its line takes the role on the next line ("kommunalråd (C)")."""
    ls, le = _line(text, c.start)
    if text[ls:le].strip() != text[c.start : c.end].strip():
        return
    nl = _next_line(text, c.start)
    r = match_role_at(text, nl[0]) if nl is not None else None
    if nl is None or r is None:
        return
    link.role = r
    pm = re.search(r"\((?P<p>[^()\n]{1,30})\)", text[nl[0] : nl[1]])
    if link.party is None and pm:
        party, _ = party_at(text, nl[0] + pm.start())
        link.party = party


def _links(doc: Doc, cands: list[Candidate], entities: list[Mention]) -> dict[int, Link]:
    text = doc.text
    links: dict[int, Link] = {}
    bounds = sentence_bounds(doc)
    j = 0
    for s, e in bounds:
        idx = []
        while j < len(cands) and cands[j].start < e:
            if cands[j].start >= s:
                idx.append(j)
            j += 1
        if idx:
            links.update(link_segment(text, s, e, cands, idx, entities))
    for i, c in enumerate(cands):
        link = links.setdefault(i, Link())
        if link.role is None:
            _contact_block(text, c, link)
        if link.org is None:
            om = org_prep_re().match(text[c.end : c.end + 40])
            link.org = entity_at(entities, c.end + om.end()) if om else None
    return links


def _accept(text: str, c: Candidate, link: Link) -> bool:
    if link.role is not None:
        return c.confirmed or link.role.code != "other"
    if not c.confirmed:
        return False
    speech = _cue_res()[0].search(text[max(0, c.start - 40) : c.start]) is not None
    return link.party is not None or link.org is not None or speech


def _organisation(hit: Mention) -> tuple[str | None, str | None]:
    if hit.label == "KOMMUN":
        return f"{hit.name} kommun", hit.norm_id
    return hit.name, hit.norm_id


def _publisher_org(doc: Doc) -> tuple[str | None, str | None]:
    code = get_input(doc).publisher
    k = vocab.kommuner().get(code) if code else None
    return (f"{k.name} kommun", k.code) if k else (None, None)


def _set_role(doc: Doc, person: Person, role: RoleMatch, org: Mention | None) -> None:
    text = doc.text
    publisher = get_input(doc).publisher
    person.role = role.text or None
    person.role_code = refine_code(role, text[role.end : role.end + 80].split("\n")[0], publisher,
                                   org.norm_id if org else None)
    person.role_code = area_upgrade(role, text, person.role_code, is_first_name)
    person.role_span = (role.start, role.end) if role.text else None
    if role.org == "kommun" and org is not None and org.label != "KOMMUN" and role.code not in also_at_agencies():
        person.role_code = "other"
    if org is not None:
        person.organisation, person.organisation_id = _organisation(org)
    elif role.org == "kommun":
        person.organisation, person.organisation_id = _publisher_org(doc)
    elif role.org == "polis":
        person.organisation, person.organisation_id = "Polismyndigheten", "polismyndigheten"


def _update(doc: Doc, person: Person, link: Link) -> None:
    role = link.role
    if role is None and link.org is not None:
        # "Patric X, Polisen" / "Peder X, Borås stad": the organisation stands for the role
        code = "polis" if link.org.norm_id == "polismyndigheten" else "other"
        role = RoleMatch(link.org.start_char, link.org.end_char, "", code, "polis" if code == "polis" else "other")
    if role is not None and (person.role_code is None or person.role_code == "other" and role.code != "other"):
        _set_role(doc, person, role, link.org)
    if link.org is not None and person.organisation is None:
        person.organisation, person.organisation_id = _organisation(link.org)
    if link.party is not None and person.party is None:
        person.party, person.party_span = link.party[2], (link.party[0], link.party[1])
        if person.organisation is None:
            person.organisation, person.organisation_id = _publisher_org(doc)


def find_people(doc: Doc) -> list[Person]:
    """People of ``doc`` (needs ``doc._.samverkan_entities`` from the gazetteer)."""
    text = doc.text
    entities: list[Mention] = doc._.samverkan_entities or []
    kommun_names = frozenset(k.name for k in vocab.kommuner().values())
    cands = [c for c in candidates(doc) if not _skip(text, c, entities, kommun_names)]
    links = _links(doc, cands, entities)
    found: dict[str, Person] = {}
    for i, c in enumerate(cands):
        if not _accept(text, c, links[i]):
            continue
        name = " ".join(text[c.start : c.end].split())
        person = found.setdefault(normalise_name(name), Person(name=name, start_char=c.start, end_char=c.end))
        _update(doc, person, links[i])
    people = list(found.values())
    _collect_mentions(text, people)
    return people


def _mention_re(words: list[str]) -> re.Pattern[str] | None:
    if not words:
        return None
    alts = alternation(set(words))
    return re.compile(rf"(?<![\wåäöÅÄÖ-])(?P<w>{alts})s?(?![\wåäöÅÄÖ-])")


def _collect_mentions(text: str, people: list[Person]) -> None:
    """All spans naming each person: full name, and first name or surname alone (also genitive)."""
    by_name = {p.name: p for p in people}
    taken: list[tuple[int, int]] = []
    full = _mention_re(list(by_name))
    for m in full.finditer(text) if full else ():
        by_name[m.group("w")].mentions.append((m.start(), m.end("w")))
        taken.append((m.start(), m.end()))
    counts: dict[str, int] = {}
    for p in people:
        parts = p.name.split()
        for part in {parts[0], parts[-1]}:
            counts[part] = counts.get(part, 0) + 1
    by_part = {part: p for p in people for part in {p.name.split()[0], p.name.split()[-1]}
               if counts[part] == 1 and part not in stopwords()}
    single = _mention_re(list(by_part))
    for m in single.finditer(text) if single else ():
        if not any(a <= m.start() < b for a, b in taken):
            by_part[m.group("w")].mentions.append((m.start(), m.end("w")))
            taken.append((m.start(), m.end()))
    for p in people:
        p.mentions.sort()


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


@Language.factory(FACTORY)
def make_people(nlp: Language, name: str) -> People:
    """Factory of the ``samverkan_people`` component."""
    return People()
