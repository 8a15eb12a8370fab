"""``samverkan_gazetteer``: kommuner, agencies, länsstyrelser, regioner and parties.

Works on the raw text with patterns built from ``pipeline/data/kommuner.csv`` and
``pipeline/data/vocab/{kommun_rules,agencies,county_aliases,parties}.json``, so it needs
no statistical model. Kommun names that are ordinary words or person names ("Vara",
"Mark", "Berg", …) count only with context: "X kommun", a list of kommuner, the
publishing kommun, or a kommun cue in the same sentence when written capitalised
mid-sentence and not as part of a person name.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.facts import Mention
from pipeline.nlp import vocab
from pipeline.nlp.extensions import add_spans, get_input, sentence_bounds, sentence_of
from pipeline.vocabulary import alternation

FACTORY = "samverkan_gazetteer"
_B = r"(?<![\wåäöÅÄÖ-])"
_E = r"(?![\wåäöÅÄÖ])(?!-[\wåäöÅÄÖ])"
_NAME_TOKEN = re.compile(r"[A-ZÅÄÖÉÜ][a-zåäöéüè]+")


@dataclass(frozen=True)
class _KommunPatterns:
    regex: re.Pattern[str]
    by_surface: dict[str, str]  # surface form (no genitive s) → code
    context_codes: dict[str, str]  # alias surface → code, counts only for an article about that kommun
    ambiguous: frozenset[str]
    not_before: re.Pattern[str]  # a word right after the name ("län", "region")
    not_after: re.Pattern[str]  # a word right before the name ("Region", "IFK")
    cues: frozenset[str]
    list_gaps: frozenset[str]
    not_name_before: frozenset[str]


@lru_cache(maxsize=1)
def _kommun_patterns() -> _KommunPatterns:
    rules = vocab.vocab("kommun_rules")
    by_surface: dict[str, str] = {}
    context_codes: dict[str, str] = {}
    for k in vocab.kommuner().values():
        by_surface[k.name] = k.code
        by_surface[k.name.upper()] = k.code
    for alias in rules["aliases"]:
        if alias.get("requires_context_code"):
            context_codes[alias["text"]] = alias["code"]
        by_surface[alias["text"]] = alias["code"]
    alts = alternation(by_surface)
    suffixes = alternation(rules["suffixes"])
    regex = re.compile(rf"{_B}(?P<name>{alts})(?P<gen>s)?(?P<suffix> (?:{suffixes})\b)?{_E}")
    return _KommunPatterns(
        regex=regex,
        by_surface=by_surface,
        context_codes=context_codes,
        ambiguous=frozenset(rules["ambiguous"]),
        not_before=re.compile(rf" *(?:{alternation(rules['not_before'])})(?![a-zA-ZåäöÅÄÖéÉ])"),
        not_after=re.compile(rf"(?:{alternation(rules['not_after'])}) $"),
        cues=frozenset(rules["kommun_cues"]),
        list_gaps=frozenset(rules["list_gaps"]),
        not_name_before=frozenset(rules["not_name_before"]),
    )


@dataclass(frozen=True)
class _AgencyPattern:
    label: str
    regex: re.Pattern[str]
    norm: str | None  # None: derive from the county group
    name: str
    kind: str  # myndighet | lansstyrelse | region


@lru_cache(maxsize=1)
def _agency_patterns() -> list[_AgencyPattern]:
    data = vocab.vocab("agencies")
    out: list[_AgencyPattern] = []
    for agency in data["agencies"]:
        label = agency.get("label", "MYNDIGHET")
        for p in agency["patterns"]:
            out.append(_AgencyPattern(label, re.compile(rf"{_B}(?:{p}){_E}"), agency["id"], agency["name"], "myndighet"))
    for p in data["lansstyrelse_patterns"]:
        out.append(_AgencyPattern("LANSSTYRELSE", re.compile(rf"{_B}(?:{p}){_E}"), None, "Länsstyrelsen", "lansstyrelse"))
    for p in data["region_patterns"]:
        out.append(_AgencyPattern("REGION", re.compile(rf"{_B}(?:{p}){_E}"), None, "Region", "region"))
    return out


@lru_cache(maxsize=1)
def _local_patterns() -> dict[str, re.Pattern[str]]:
    """Agency id → the text naming a local body with the agency's name ("det lokala BRÅ")."""
    return {a["id"]: re.compile("|".join(f"(?:{p})" for p in a["local_patterns"]))
            for a in vocab.vocab("agencies")["agencies"] if a.get("local_patterns")}


@lru_cache(maxsize=1)
def _party_regex() -> re.Pattern[str]:
    parties = vocab.vocab("parties")["parties"]
    alts = alternation(parties)
    return re.compile(rf"\((?P<party>{alts})\)")


def normalise_party(raw: str) -> str | None:
    """National party abbreviation for ``raw`` ("M", "Kd" → "KD"); a local party as written; None if not a party."""
    data = vocab.vocab("parties")
    raw = raw.strip()
    if raw in data["parties"]:
        return str(data["parties"][raw])
    if raw in data["not_parties"] or not raw or len(raw) > data["local_party_max_len"]:
        return None
    if not raw[0].isupper() or any(ch.isdigit() for ch in raw) or raw.count(" ") > 3:
        return None
    return raw


def _sentence_initial(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] in ".!?\n•:–—-\"”|(" or text[i] == "\u2022"


def _prev_word(text: str, pos: int) -> str:
    m = re.search(r"([\wåäöÅÄÖ-]+)[ \t]*$", text[max(0, pos - 40) : pos])
    return m.group(1) if m else ""


def _next_word(text: str, pos: int) -> str:
    m = re.match(r"[ \t]*([\wåäöÅÄÖ-]+)", text[pos : pos + 40])
    return m.group(1) if m else ""


def _kommun_candidates(text: str, pats: _KommunPatterns) -> list[tuple[re.Match[str], str]]:
    """Matches of kommun names, without those directly before a 'not_before' word or after a 'not_after' one."""
    cands: list[tuple[re.Match[str], str]] = []
    for m in pats.regex.finditer(text):
        code = pats.by_surface[m.group("name")]
        if not m.group("suffix") and pats.not_before.match(text, m.end(), m.end() + 14):
            continue
        if pats.not_after.search(text, max(0, m.start() - 25), m.start()):
            continue
        cands.append((m, code))
    return cands


def _name_like(text: str, m: re.Match[str], pats: _KommunPatterns, initial: bool) -> tuple[bool, bool]:
    """(part of a person name, capitalised word before): "Anna Lund", "Lund Andersson"."""
    prev = _prev_word(text, m.start())
    nxt = _next_word(text, m.end())
    prev_cap = prev[:1].isupper() and not initial
    like = (prev_cap and _NAME_TOKEN.fullmatch(prev) is not None and prev not in pats.not_name_before) or (
        _NAME_TOKEN.fullmatch(nxt or "") is not None and nxt not in pats.cues)
    return like, prev_cap


def _accept_kommun(text: str, m: re.Match[str], code: str, ctx: tuple[_KommunPatterns, str | None, set[str],
                                                                      list[tuple[int, int]] | None]) -> bool:
    """Whether one kommun-name match counts as a kommun (see the module docstring)."""
    pats, source_kommun, full_codes, bounds = ctx
    surface = m.group("name")
    if surface in pats.context_codes:
        return code == source_kommun or code in full_codes
    if m.group("suffix"):
        return True
    initial = _sentence_initial(text, m.start())
    name_like, prev_cap = _name_like(text, m, pats, initial)
    if surface not in pats.ambiguous:
        return surface.upper() == surface or not (name_like and code != source_kommun and prev_cap)
    if name_like:
        return False
    if code == source_kommun and not initial:
        return True
    s, e = sentence_of(bounds, m.start()) if bounds is not None else (max(0, m.start() - 200), m.end() + 200)
    words = set(re.findall(r"[\wåäö]+", text[s:e].lower()))
    return not initial and bool(words & pats.cues)


def _extend_lists(text: str, cands: list[tuple[re.Match[str], str]], accepted: list[bool],
                  gaps: frozenset[str]) -> None:
    """An ambiguous name next to an accepted kommun in a list (", ", " och ", "/") counts too."""
    changed = True
    while changed:
        changed = False
        for i, (m, _code) in enumerate(cands):
            if accepted[i]:
                continue
            for j in (i - 1, i + 1):
                if 0 <= j < len(cands) and accepted[j]:
                    a, b = (cands[j][0], m) if j < i else (m, cands[j][0])
                    if text[a.end() : b.start()] in gaps:
                        accepted[i] = changed = True
                        break


def find_kommuner(text: str, source_kommun: str | None = None,
                  bounds: list[tuple[int, int]] | None = None) -> list[Mention]:
    """Find kommun mentions in ``text``; ``source_kommun`` (SCB code) is the publisher, if known."""
    pats = _kommun_patterns()
    kommuner = vocab.kommuner()
    cands = _kommun_candidates(text, pats)
    full_codes = {code for m, code in cands if m.group("name") not in pats.context_codes}
    ctx = (pats, source_kommun, full_codes, bounds)
    accepted = [_accept_kommun(text, m, code, ctx) for m, code in cands]
    _extend_lists(text, cands, accepted, pats.list_gaps)
    return [
        Mention("KOMMUN", m.group(0), code, m.start(), m.end(), name=kommuner[code].name,
                kommun_suffix=bool(m.group("suffix")))
        for ok, (m, code) in zip(accepted, cands, strict=True) if ok
    ]


def _agency_norm(pat: _AgencyPattern, m: re.Match[str], county_hint: str | None) -> str | None:
    """The norm id of an agency match; None when it is no agency ("Region Syd", Region Gotland = a kommun)."""
    if pat.norm is not None:
        return pat.norm
    county = m.groupdict().get("county")
    code = vocab.county_code_for(county) if county else None
    if county and code is None:
        return None
    code = code or county_hint
    if code is None or pat.kind == "region" and code in vocab.vocab("agencies").get("region_is_kommun", []):
        return None
    return f"{pat.kind}:{code}"


def _drop_local(text: str, hits: list[Mention]) -> list[Mention]:
    """Drop agency mentions that name a local body ("det lokala BRÅ", "BRÅ i Tanum") and, once such a body is
    named, the agency's short forms in the same text."""
    out = hits
    for agency_id, regex in _local_patterns().items():
        local = [(m.start(), m.end()) for m in regex.finditer(text)]
        if not local:
            continue
        out = [h for h in out if h.norm_id != agency_id
               or not any(a <= h.start_char < b for a, b in local) and len(h.text) > 4]
    return out


def find_agencies(text: str, county_hint: str | None = None) -> list[Mention]:
    """Find agencies, länsstyrelser and regioner; ``county_hint`` resolves a bare "Länsstyrelsen"."""
    raw: list[Mention] = []
    for pat in _agency_patterns():
        for m in pat.regex.finditer(text):
            norm = _agency_norm(pat, m, county_hint)
            if norm is not None:
                raw.append(Mention(pat.label, m.group(0), norm, m.start(), m.end(), name=pat.name))
    raw.sort(key=lambda h: (h.start_char, -(h.end_char - h.start_char)))
    out: list[Mention] = []
    for h in raw:
        if out and h.start_char < out[-1].end_char:
            continue
        out.append(h)
    return _drop_local(text, out)


def find_parties(text: str) -> list[Mention]:
    """National parties written in parentheses: "(M)", "(S)", "(KD)"."""
    return [
        Mention("PARTY", m.group("party"), normalise_party(m.group("party")), m.start("party"), m.end("party"),
                name=m.group("party"))
        for m in _party_regex().finditer(text)
    ]


def infer_publisher(hits: list[Mention], source_kommun: str | None) -> str | None:
    """The publishing kommun: ``source_kommun`` if given, else the kommun most often named as "X kommun"
    (ties: first named), else the most named kommun."""
    if source_kommun:
        return source_kommun
    kommun_hits = [h for h in hits if h.label == "KOMMUN" and h.norm_id]
    if not kommun_hits:
        return None
    suffixed = Counter(h.norm_id for h in kommun_hits if h.kommun_suffix)
    counts = suffixed or Counter(h.norm_id for h in kommun_hits)
    best = max(counts.values())
    for h in kommun_hits:
        if counts.get(h.norm_id) == best:
            return h.norm_id
    return None


class Gazetteer:
    """Find kommuner, agencies, länsstyrelser, regioner and parties; store them on ``doc._.samverkan_entities``."""

    def __call__(self, doc: Doc) -> Doc:
        """Annotate ``doc`` and return it."""
        text = doc.text
        meta = get_input(doc)
        source = meta.source_kommun
        bounds = sentence_bounds(doc)
        kommun_hits = find_kommuner(text, source, bounds)
        publisher = infer_publisher(kommun_hits, source)
        county_hint = vocab.kommuner()[publisher].county_code if publisher in vocab.kommuner() else None
        if county_hint is None:
            for m in re.finditer(r"([A-ZÅÄÖ][\wåäö]+(?: [A-ZÅÄÖ][\wåäö]+)?) län\b", text):
                county_hint = vocab.county_code_for(m.group(1))
                if county_hint:
                    break
        hits = kommun_hits + find_agencies(text, county_hint) + find_parties(text)
        hits.sort(key=lambda h: h.start_char)
        doc._.samverkan_entities = hits
        doc._.samverkan_input = replace(meta, publisher=publisher)
        add_spans(doc, [(h.start_char, h.end_char, h.label) for h in hits])
        return doc


@Language.factory(FACTORY)
def make_gazetteer(nlp: Language, name: str) -> Gazetteer:
    """Factory of the ``samverkan_gazetteer`` component."""
    return Gazetteer()
