"""Turn an annotated Doc into ``pipeline.facts.ArticleFacts`` (the only place that does)."""

from __future__ import annotations

from spacy.tokens import Doc

from pipeline.facts import ArticleFacts, Collaboration, DateFact, Mention, Person, PriorityArea
from pipeline.nlp import vocab
from pipeline.text.dates import Period

MODEL_LABELS = {"PER", "PRS", "ORG", "LOC", "MISC", "GPE", "ORGANISATION"}


def doc_to_facts(doc: Doc) -> ArticleFacts:
    """Collect the results of the ``samverkan_*`` components on ``doc`` into ArticleFacts.

    The components already produce :mod:`pipeline.facts` types; this adds the dates implied by
    periods and collaborations, the kommuner named, and one ``Mention`` per evidence span.
    Irrelevant articles get ``is_relevant=False``, their score and empty lists.
    """
    is_relevant, score = doc._.samverkan_relevance or (True, 1.0)
    if not is_relevant:
        return irrelevant_facts(score)
    entities: list[Mention] = doc._.samverkan_entities or []
    people: list[Person] = doc._.samverkan_people or []
    collabs: list[Collaboration] = doc._.samverkan_collaborations or []
    priorities: list[PriorityArea] = doc._.samverkan_priorities or []
    dates: list[DateFact] = doc._.samverkan_dates or []
    facts = ArticleFacts(is_relevant=True, relevance_score=score, language="sv", collaborations=list(collabs),
                         priority_areas=list(priorities), people=list(people))
    facts.dates = _dedupe_dates(list(dates) + _period_dates(doc._.samverkan_periods or [], collabs))
    facts.kommuner = _kommuner_named(entities)
    facts.mentions = sorted(_mentions(doc, entities, people, dates, priorities, collabs),
                            key=lambda m: (m.start_char, m.end_char, m.label))
    return facts


def irrelevant_facts(score: float) -> ArticleFacts:
    """The facts of an irrelevant article: its relevance score and nothing else (no other rows)."""
    return ArticleFacts(is_relevant=False, relevance_score=score, language="sv")


def _period_dates(periods: list[Period], collabs: list[Collaboration]) -> list[DateFact]:
    """``period_start``/``period_end`` dates of the periods found, then of each collaboration."""
    out: list[DateFact] = []
    for p in periods:
        if p.start is not None:
            out.append(DateFact("period_start", p.start, "year", p.text, p.start_char, p.end_char))
        if p.end is not None:
            out.append(DateFact("period_end", p.end, "year", p.text, p.start_char, p.end_char))
    for c in collabs:
        for kind, value in (("period_start", c.period_start), ("period_end", c.period_end)):
            if value is not None:
                granularity = "year" if (value.month, value.day) in {(1, 1), (12, 31)} else "day"
                out.append(DateFact(kind, value, granularity, c.evidence[:80], None, None))
    return out


def _kommuner_named(entities: list[Mention]) -> list[tuple[str, str]]:
    """(code, name) of every kommun named, in order of first mention."""
    kommuner = vocab.kommuner()
    seen: dict[str, str] = {}
    for h in entities:
        if h.label == "KOMMUN" and h.norm_id and h.norm_id not in seen:
            seen[h.norm_id] = kommuner[h.norm_id].name
    return list(seen.items())


def _mentions(doc: Doc, entities: list[Mention], people: list[Person], dates: list[DateFact],
              priorities: list[PriorityArea], collabs: list[Collaboration]) -> list[Mention]:
    """Every evidence span as a ``Mention`` (gazetteer, people, roles, dates, areas, types, model entities)."""
    text = doc.text
    out = [Mention(h.label, h.text, h.norm_id, h.start_char, h.end_char) for h in entities]
    for person in people:
        out += [Mention("PERSON", text[s:e], person.person_id, s, e) for s, e in person.mentions]
        if person.role_span:
            s, e = person.role_span
            out.append(Mention("ROLE", text[s:e], person.role_code, s, e))
    out += [Mention("DATE", d.text, d.date.isoformat(), d.start_char, d.end_char) for d in dates
            if d.start_char is not None and d.end_char is not None]
    out += [Mention("PRIORITY", p.text, p.area_code, p.start_char, p.end_char) for p in priorities]
    out += [Mention("COLLAB_TYPE", text[s:e], c.type, s, e) for c in collabs for s, e in c.type_spans]
    out += [Mention(ent.label_, ent.text, None, ent.start_char, ent.end_char) for ent in doc.ents
            if ent.label_ in MODEL_LABELS]
    return out


def _dedupe_dates(dates: list[DateFact]) -> list[DateFact]:
    out: list[DateFact] = []
    seen: set[tuple[object, ...]] = set()
    for d in dates:
        key = (d.kind, d.date)
        if key in seen:
            continue
        seen.add(key)
        out.append(d)
    return out
