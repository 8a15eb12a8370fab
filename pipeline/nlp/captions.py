"""Link person names to roles, parties and organisations inside one sentence, caption or list.

A sentence is cut into *chunks* at list separators outside parentheses (", ", " och ", " samt ",
" respektive ", ": ", " – "). Each name is linked, in this order, to

1. a role right before it in its own chunk ("kommunpolis Mariana X", "säkerhetssamordnare i Krokoms
   kommun Rasmus X", "regionpolischefen Ulf X");
2. a role after it in its own chunk: in parentheses ("X (S)(vice ordförande …)", "X (kommundirektör)"),
   directly ("X kommunstyrelsens ordförande i Y", "X Polischef Södra Ångermanland") or after a relative
   ("X som är verksamhetschef");
3. the next chunk when that chunk holds no name and starts with a role ("A, roll, B, roll och C, roll",
   "A (SD), kommunstyrelsens ordförande, och B, …"), then an organisation-only chunk after it
   ("Peder X, Borås stad");
4. the previous chunk when it holds an unused role and no name ("Kriminalvårdens regionchef i region
   Öst, Tomas X, ser …").

Then lists share: a plural role before a list gives it to every name of the list ("kommunalråden A, B
samt C", "Poliserna A och B"); "A och B från polisen" shares the organisation; "A och B, roll1
respektive roll2" gives each its own role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.facts import Mention
from pipeline.nlp import vocab
from pipeline.nlp.gazetteer import normalise_party
from pipeline.nlp.names import Candidate
from pipeline.nlp.roles import RoleMatch, match_role_at, match_role_before
from pipeline.vocabulary import alternation

ORG_LABELS = frozenset({"KOMMUN", "MYNDIGHET", "LANSSTYRELSE", "REGION", "ORGANISATION"})
_PARTY = re.compile(r"[ \t]*\((?P<p>[^()\n]{1,30})\)")


@dataclass
class Link:
    """What a name is linked to: role, party (start, end, normalised) and organisation entity."""

    role: RoleMatch | None = None
    party: tuple[int, int, str] | None = None
    org: Mention | None = None
    role_chunk: int | None = None  # index of the chunk the role came from


@dataclass
class _Chunk:
    start: int
    end: int
    sep: str  # the separator before this chunk, stripped and lower-cased ("", ",", "och", "respektive", …)
    names: list[int] = field(default_factory=list)  # candidate indexes starting in the chunk
    used: bool = False


@lru_cache(maxsize=1)
def _cues() -> dict[str, list[str]]:
    return vocab.vocab("people_cues")


@lru_cache(maxsize=1)
def _sep_re() -> re.Pattern[str]:
    words = "|".join(_cues()["list_separators"])
    join = "|".join(_cues()["list_joiners"])
    return re.compile(rf"[ \t]*,[ \t]*(?:(?:{join})[ \t]+)?|(?<!-)[ \t]+(?:{words})[ \t]+|[ \t]*:[ \t]+|[ \t]+[–—][ \t]+")


@lru_cache(maxsize=1)
def _lead_re() -> re.Pattern[str]:
    """Words that may come between a separator or name and the role: och, relatives, genitive orgs."""
    rel = alternation(_cues()["relative"], longest_first=False)
    gen = "|".join(_cues()["org_genitives"])
    join = "|".join(_cues()["list_joiners"])
    return re.compile(rf"[ \t]*(?:(?:{join})[ \t]+)?(?:(?:{rel})[ \t]+)?(?:(?:{gen}|[A-ZÅÄÖ][\wåäö]+s)[ \t]+)?")


@lru_cache(maxsize=1)
def org_prep_re() -> re.Pattern[str]:
    """An organisation preposition after a role or name: ", i", " från", " på" …"""
    preps = "|".join(_cues()["org_prepositions"])
    return re.compile(rf"^[ \t]*(?:,[ \t]*)?(?:{preps})[ \t]+")


@lru_cache(maxsize=1)
def _prep_before_re() -> re.Pattern[str]:
    preps = "|".join(_cues()["org_prepositions"])
    return re.compile(rf"[ \t]+(?:{preps})[ \t]+$")


def _chunks(text: str, s: int, e: int) -> list[_Chunk]:
    depth = 0
    inside: set[int] = set()
    for i in range(s, e):
        ch = text[i]
        depth += ch == "("
        depth -= ch == ")" and depth > 0
        if depth:
            inside.add(i)
    out: list[_Chunk] = []
    pos, sep = s, ""
    for m in _sep_re().finditer(text, s, e):
        if m.start() in inside or m.end() == m.start():
            continue
        out.append(_Chunk(pos, m.start(), sep))
        pos, sep = m.end(), m.group(0).strip().lower()
    out.append(_Chunk(pos, e, sep))
    return out


def entity_at(entities: list[Mention], pos: int) -> Mention | None:
    """The organisation entity starting at ``pos``, if any."""
    for h in entities:
        if h.start_char == pos and h.label in ORG_LABELS:
            return h
    return None


def party_at(text: str, pos: int) -> tuple[tuple[int, int, str] | None, int]:
    """A party in parentheses at ``pos`` ("(S)"): ((start, end, party) or None, position after it)."""
    pm = _PARTY.match(text, pos)
    if pm and normalise_party(pm.group("p")):
        return (pos + pm.start("p") - pm.start(), pos + pm.end("p") - pm.start(), normalise_party(pm.group("p")) or ""), pm.end()
    return None, pos


def _org_after(text: str, pos: int, limit: int, entities: list[Mention]) -> Mention | None:
    om = org_prep_re().match(text[pos:limit])
    return entity_at(entities, pos + om.end()) if om else None


def _role_before(text: str, c: Candidate, chunk: _Chunk, entities: list[Mention]) -> RoleMatch | None:
    r = match_role_before(text, c.start)
    if r is not None and r.start >= chunk.start:
        return r
    for h in entities:  # "säkerhetssamordnare i Krokoms kommun Rasmus X"
        if h.label in ORG_LABELS and chunk.start <= h.start_char and h.end_char <= c.start \
                and not text[h.end_char : c.start].strip():
            pm = _prep_before_re().search(text[chunk.start : h.start_char])
            if pm:
                r = match_role_before(text, chunk.start + pm.start() + 1)
                if r is not None and r.start >= chunk.start:
                    return r
    return None


def _role_after(text: str, c: Candidate, chunk: _Chunk, link: Link) -> None:
    pos = c.end
    for _ in range(2):  # "X (S)(vice ordförande för kommunstyrelsen)"
        party, pos2 = party_at(text, pos)
        if party is not None:
            link.party, pos = link.party or party, pos2
            continue
        pm = re.match(r"[ \t]*\(", text[pos:chunk.end])
        if pm:
            r = match_role_at(text, pos + pm.end())
            if r is not None and re.match(r"[^()\n]*\)", text[r.end : chunk.end + 1]):
                link.role = r
                return
        break
    lead = _lead_re().match(text, pos, chunk.end)
    if lead is None or not text[pos : lead.end()].strip() and lead.end() == pos:
        lead_end = pos
        fallback = False
    else:
        lead_end = lead.end()
        fallback = bool(re.search(r"\b(?:som|egenskap)\b", text[pos:lead_end]))
    if lead_end == pos and not re.match(r"[ \t]+", text[pos:chunk.end]):
        return
    if lead_end == pos:
        lead_end = pos + len(text[pos:chunk.end]) - len(text[pos:chunk.end].lstrip(" \t"))
    r = match_role_at(text, lead_end, fallback=fallback)
    if r is not None and r.end <= chunk.end + 1:
        link.role = r


def _role_chunk_start(text: str, chunk: _Chunk) -> RoleMatch | None:
    lead = _lead_re().match(text, chunk.start, chunk.end)
    pos = lead.end() if lead else chunk.start
    return match_role_at(text, pos)


def _clause_role(text: str, chunk: _Chunk) -> RoleMatch | None:
    for rm in re.finditer(r"[\wåäöÅÄÖ]+", text[chunk.start : chunk.end]):
        r = match_role_at(text, chunk.start + rm.start(), fallback=False)
        if r is None:
            r = match_role_at(rm.group(0).lower(), 0)
            if r is None or r.end != len(rm.group(0)):
                continue
            r = RoleMatch(chunk.start + rm.start(), chunk.start + rm.end(), rm.group(0), r.code, r.org, r.plural)
        return r
    return None


def _next_chunks(text: str, chunks: list[_Chunk], k: int, link: Link, entities: list[Mention]) -> None:
    if k + 1 >= len(chunks) or chunks[k + 1].names or chunks[k + 1].used:
        return
    nxt = chunks[k + 1]
    if link.role is None:
        r = _role_chunk_start(text, nxt)
        if r is not None:
            link.role, link.role_chunk, nxt.used = r, k + 1, True
            if link.party is None:
                pm = re.search(r"\((?P<p>[^()\n]{1,30})\)", text[r.end : nxt.end])
                if pm and normalise_party(pm.group("p")):
                    link.party = (r.end + pm.start("p"), r.end + pm.end("p"), normalise_party(pm.group("p")) or "")
            if link.org is None:
                link.org = _org_after(text, r.end, nxt.end, entities)
            if k + 2 < len(chunks) and not chunks[k + 2].names and chunks[k + 2].sep == ",":
                nxt = chunks[k + 2]
            else:
                return
    h = entity_at(entities, nxt.start)
    if h is not None and link.org is None and h.end_char >= nxt.end - 1:
        link.org, nxt.used = h, True


def _link_one(text: str, cands: list[Candidate], i: int, chunks: list[_Chunk], k: int,
              entities: list[Mention]) -> Link:
    c, chunk = cands[i], chunks[k]
    link = Link()
    r = _role_before(text, c, chunk, entities)
    if r is not None and not any(chunk.start <= cands[j].start < c.start and cands[j].end > r.start
                                 for j in chunk.names if j != i):
        link.role = r
    party, _ = party_at(text, c.end)
    link.party = party
    if link.role is None:
        _role_after(text, c, chunk, link)
    end = link.role.end if link.role is not None and link.role.start >= c.end else c.end
    if link.party is not None:
        end = max(end, link.party[1] + 1)
    link.org = _org_after(text, end, chunk.end, entities)
    if link.role is not None and link.role.start >= c.end:
        pm = re.match(r"[^\n.,;()]{0,40}?\((?P<p>[^()\n]{1,30})\)", text[link.role.end : chunk.end + 1])
        if pm and link.party is None and normalise_party(pm.group("p")):
            link.party = (link.role.end + pm.start("p"), link.role.end + pm.end("p"), normalise_party(pm.group("p")) or "")
    if chunk.names[-1] == i:
        _next_chunks(text, chunks, k, link, entities)
    if link.role is None and chunk.start == c.start and chunk.sep == ",":
        _previous_clause(text, chunks, k, link)
    return link


def _previous_clause(text: str, chunks: list[_Chunk], k: int, link: Link) -> None:
    """"Timrås förvaltningschef för vård och omsorg, Henrik X, säger": the unused name-free chunks before."""
    j = k
    while j > 0 and not chunks[j - 1].names and not chunks[j - 1].used:
        j -= 1
    if j == k:
        return
    r = _clause_role(text, _Chunk(chunks[j].start, chunks[k - 1].end, ""))
    if r is not None:
        link.role = r
        for ch in chunks[j:k]:
            ch.used = True


def _share(text: str, chunks: list[_Chunk], links: dict[int, Link]) -> None:
    """Plural roles before a list, a shared trailing organisation, and "roll1 respektive roll2"."""
    for k, chunk in enumerate(chunks):
        if not chunk.names or chunk.names[-1] not in links:
            continue
        link = links[chunk.names[-1]]
        if link.role is not None and link.role.plural:
            for nxt in chunks[k + 1 :]:
                if len(nxt.names) != 1 or nxt.sep not in {",", "och", "samt"}:
                    break
                other = links.setdefault(nxt.names[0], Link())
                if other.role is None:
                    other.role = link.role
        if link.org is not None and link.role is None and k > 0:
            prev = chunks[k - 1]
            if chunk.sep == "och" and len(prev.names) == 1:
                other = links.setdefault(prev.names[0], Link())
                if other.role is None and other.org is None:
                    other.org = link.org
        _respective(text, chunks, k, link, links)


def _respective(text: str, chunks: list[_Chunk], k: int, link: Link, links: dict[int, Link]) -> None:
    """"A och B, roll1 i X respektive roll2": A gets roll1, B roll2; "… i X respektive Y": both roll1."""
    rc = link.role_chunk
    if rc is None or link.role is None or rc + 1 >= len(chunks) or chunks[rc + 1].sep != "respektive" or k == 0:
        return
    prev = chunks[k - 1]
    if len(prev.names) != 1 or chunks[k].sep not in {",", "och", "samt"}:
        return
    first = links.setdefault(prev.names[0], Link())
    if first.role is not None:
        return
    first.role = link.role
    r2 = match_role_at(text, chunks[rc + 1].start, fallback=False)
    if r2 is not None:
        link.role = r2


def link_segment(text: str, s: int, e: int, cands: list[Candidate], idx: list[int],
                 entities: list[Mention]) -> dict[int, Link]:
    """Links for the candidates ``idx`` (indexes into ``cands``) of the sentence ``s``–``e``."""
    chunks = _chunks(text, s, e)
    for i in idx:
        for ch in chunks:
            if ch.start <= cands[i].start < max(ch.end, ch.start + 1):
                ch.names.append(i)
                break
    links: dict[int, Link] = {}
    for k, ch in enumerate(chunks):
        for i in ch.names:
            links[i] = _link_one(text, cands, i, chunks, k, entities)
    _share(text, chunks, links)
    return links
