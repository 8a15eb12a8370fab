"""Role phrases next to person names: matching, plural forms and role-code refinements.

All vocabulary is in ``pipeline/data/vocab/roles.json``: role patterns with their ``role_code`` and
organisation kind, ``fallback_suffixes`` (an unknown word ending like a role gives ``other``),
``modifiers`` that may precede a role (``tf``, ``vikarierande`` …), plural suffixes, the
crime-prevention upgrade of generic coordinator roles and the kommuner that are also regions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pipeline.nlp import vocab
from pipeline.vocabulary import alternation

_W = "\\wåäöÅÄÖ"


@dataclass(frozen=True)
class RoleMatch:
    """A role phrase found in the text: its span, the text as written, code and organisation kind."""

    start: int
    end: int
    text: str
    code: str
    org: str
    plural: bool = False


@dataclass(frozen=True)
class _Role:
    regex: re.Pattern[str]
    before: re.Pattern[str]
    code: str
    org: str
    stem_plural_en: bool


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    return vocab.vocab("roles")


@lru_cache(maxsize=1)
def _modifier_re() -> str:
    mods = "|".join(_data().get("modifiers", []))
    return rf"(?:(?:{mods})[ \t]+)*" if mods else ""


@lru_cache(maxsize=1)
def _roles() -> list[_Role]:
    data = _data()
    plural = "|".join(data.get("plural_suffixes", []))
    suffix = rf"(?P<suf>en|et|n|{plural})?" if plural else r"(?P<suf>en|et|n)?"
    stems = tuple(data.get("plural_definite_stems", []))
    mod = _modifier_re()
    out = []
    for r in data["roles"]:
        p = r["pattern"]
        out.append(_Role(
            re.compile(rf"{mod}(?:{p}){suffix}(?![{_W}])", re.I),
            re.compile(rf"(?<![{_W}]){mod}(?:{p}){suffix}[ \t]+$", re.I),
            r["role_code"],
            r["org"],
            any(p.rstrip(")").endswith(s) for s in stems),
        ))
    return out


@lru_cache(maxsize=1)
def _fallback_role() -> re.Pattern[str]:
    suffixes = "|".join(_data()["fallback_suffixes"])
    return re.compile(rf"{_modifier_re()}(?:[a-zåäöé][a-zåäöé-]*)?(?:{suffixes})(?P<suf>en|n|na|erna)?(?![{_W}])")


def _is_plural(m: re.Match[str], role: _Role | None) -> bool:
    suf = (m.group("suf") or "").lower()
    if suf in _data().get("plural_suffixes", []):
        return True
    stems = tuple(_data().get("plural_definite_stems", []))
    stem = m.string[m.start() : m.start("suf")] if suf else ""
    return suf == "en" and (role is not None and role.stem_plural_en or stem.lower().endswith(stems))


def match_role_at(text: str, pos: int, fallback: bool = True) -> RoleMatch | None:
    """The longest role phrase starting at ``pos``; with ``fallback`` an unknown lower-case word ending
    like a role ("verksamhetsexpert") gives ``other``."""
    best: RoleMatch | None = None
    for role in _roles():
        m = role.regex.match(text, pos)
        if m and (best is None or m.end() > best.end):
            best = RoleMatch(pos, m.end(), m.group(0), role.code, role.org, _is_plural(m, role))
    if best is None and fallback:
        m = _fallback_role().match(text, pos)
        if m:
            best = RoleMatch(pos, m.end(), m.group(0), "other", "other", _is_plural(m, None))
    return best


def is_role_word(word: str) -> bool:
    """True if ``word`` alone is a role ("Polischef", "kommundirektör", "verksamhetsexpert")."""
    r = match_role_at(word.lower(), 0)
    return r is not None and r.end == len(word)


def match_role_before(text: str, pos: int) -> RoleMatch | None:
    """The longest role phrase ending right before ``pos`` (only spaces between)."""
    lo = max(0, pos - 120)
    window = text[lo:pos]
    best: RoleMatch | None = None
    for role in _roles():
        m = role.before.search(window)
        if m:
            phrase = m.group(0).rstrip()
            start = lo + m.start()
            if best is None or start < best.start:
                best = RoleMatch(start, start + len(phrase), phrase, role.code, role.org, _is_plural(m, role))
    if best is None:
        m = re.search(rf"(?<![{_W}])([a-zåäöé][a-zåäöé-]*)[ \t]+$", window)
        if m:
            r = match_role_at(m.group(1), 0)
            if r is not None and r.end == len(m.group(1)):
                start = lo + m.start(1)
                best = RoleMatch(start, start + r.end, r.text, r.code, r.org, r.plural)
    return best


@lru_cache(maxsize=1)
def _upgrade() -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    up = _data().get("crime_prevention_upgrade")
    if not up:
        return None
    cues = alternation(up["cues"], longest_first=False)
    return re.compile(rf"(?:{up['generic']})", re.I), re.compile(rf"(?:{cues})", re.I)


def refine_code(role: RoleMatch, tail: str, publisher: str | None, org_id: str | None) -> str:
    """The role code after refinements: a generic coordinator role with a crime-prevention cue in its
    phrase or ``tail`` (the words after it) is ``brottsforebyggande``; a region role in a kommun that is
    also a region (Region Gotland) gets the kommun code."""
    code = role.code
    up = _upgrade()
    if code == "other" and up is not None and up[0].search(role.text) and up[1].search(role.text + " " + tail):
        return "brottsforebyggande"
    kr = _data().get("kommun_regions")
    if not kr:
        return code
    in_region_kommun = publisher in kr["kommun_codes"] or org_id in kr["kommun_codes"]
    if in_region_kommun and code in kr["roles"] and any(w in role.text.lower() for w in kr["role_words"]):
        return str(kr["roles"][code])
    return code


@lru_cache(maxsize=1)
def area_roles() -> frozenset[str]:
    """Role codes written with an area after them ("lokalpolisområdeschef Västra Mälardalen")."""
    return frozenset(_data().get("area_roles", []))


def area_upgrade(role: RoleMatch, text: str, code: str, is_name: Callable[[str], bool]) -> str:
    """``code``, or the code of ``area_upgrade`` when the role word is followed by an area that is not a
    first name by ``is_name`` ("Polischef Östersund", "polischef i Västra Mälardalen")."""
    upgrade = _data().get("area_upgrade", {})
    key = role.text.lower().split()[-1] if role.text else ""
    if key not in upgrade:
        return code
    m = re.match(r"[ \t]+(?:(?:i|för)[ \t]+)?([A-ZÅÄÖ][\wåäö-]+)", text[role.end : role.end + 60])
    if m is None:
        return code
    return code if is_name(m.group(1)) else str(upgrade[key])


@lru_cache(maxsize=1)
def also_at_agencies() -> frozenset[str]:
    """Role codes that keep their code when the person works at an agency."""
    return frozenset(_data().get("also_at_agencies", []))
