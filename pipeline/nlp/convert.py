"""Turn an annotated Doc into ``pipeline.facts.ArticleFacts`` (the only place that does)."""

from __future__ import annotations

from spacy.tokens import Doc

from pipeline.facts import ArticleFacts, Collaboration, DateFact, Mention, Party, Person, PriorityArea
from pipeline.nlp import vocab
from pipeline.nlp.extensions import CollabHit, DateHit, EntityHit, PersonHit, PriorityHit

MODEL_LABELS = {"PER", "PRS", "ORG", "LOC", "MISC", "GPE", "ORGANISATION"}


def doc_to_facts(doc: Doc) -> ArticleFacts:
    """Collect the results of the ``samverkan_*`` components on ``doc`` into ArticleFacts.

    Irrelevant articles get ``is_relevant=False``, their score and empty lists.
    """
    is_relevant, score = doc._.samverkan_relevance or (True, 1.0)
    if not is_relevant:
        return ArticleFacts(is_relevant=False, relevance_score=score, language="sv")
    entities: list[EntityHit] = doc._.samverkan_entities or []
    people: list[PersonHit] = doc._.samverkan_people or []
    collabs: list[CollabHit] = doc._.samverkan_collaborations or []
    priorities: list[PriorityHit] = doc._.samverkan_priorities or []
    dates: list[DateHit] = doc._.samverkan_dates or []

    facts = ArticleFacts(is_relevant=True, relevance_score=score, language="sv")
    for c in collabs:
        facts.collaborations.append(Collaboration(
            type=c.type, name=c.name, evidence=c.evidence, start_char=c.start_char, end_char=c.end_char,
            period_start=c.period_start, period_end=c.period_end, decided_on=c.decided_on,
            parties=[Party(p.party_kind, p.party_id, p.party_name, p.start_char, p.end_char) for p in c.parties],
        ))
    for p in priorities:
        facts.priority_areas.append(PriorityArea(p.area_code, p.area_group, p.text, p.start_char, p.end_char,
                                                 p.collaboration_index))
    for person in people:
        facts.people.append(Person(
            name=person.name, start_char=person.start_char, end_char=person.end_char, role=person.role,
            role_code=person.role_code, organisation=person.organisation, organisation_id=person.organisation_id,
            party=person.party,
        ))
    for d in dates:
        facts.dates.append(DateFact(d.kind, d.date, d.granularity, d.text, d.start_char, d.end_char))
    for p in doc._.samverkan_periods or []:
        if p.start is not None:
            facts.dates.append(DateFact("period_start", p.start, "year", p.text, p.start_char, p.end_char))
        if p.end is not None:
            facts.dates.append(DateFact("period_end", p.end, "year", p.text, p.start_char, p.end_char))
    for c in collabs:
        for kind, value in (("period_start", c.period_start), ("period_end", c.period_end)):
            if value is not None:
                facts.dates.append(DateFact(kind, value, "year" if (value.month, value.day) in {(1, 1), (12, 31)}
                                            else "day", c.evidence[:80], None, None))
    facts.dates = _dedupe_dates(facts.dates)

    kommuner = vocab.kommuner()
    seen: set[str] = set()
    for h in entities:
        if h.label == "KOMMUN" and h.norm_id and h.norm_id not in seen:
            seen.add(h.norm_id)
            facts.kommuner.append((h.norm_id, kommuner[h.norm_id].name))
        facts.mentions.append(Mention(h.label, h.text, h.norm_id, h.start_char, h.end_char))
    for person in people:
        for s, e in person.mentions:
            facts.mentions.append(Mention("PERSON", doc.text[s:e], person.person_id_value, s, e))
        if person.role_span:
            s, e = person.role_span
            facts.mentions.append(Mention("ROLE", doc.text[s:e], person.role_code, s, e))
    for d in dates:
        facts.mentions.append(Mention("DATE", d.text, d.date.isoformat(), d.start_char, d.end_char))
    for p in priorities:
        facts.mentions.append(Mention("PRIORITY", p.text, p.area_code, p.start_char, p.end_char))
    for c in collabs:
        for s, e in c.type_spans:
            facts.mentions.append(Mention("COLLAB_TYPE", doc.text[s:e], c.type, s, e))
    for ent in doc.ents:
        if ent.label_ in MODEL_LABELS:
            facts.mentions.append(Mention(ent.label_, ent.text, None, ent.start_char, ent.end_char))
    facts.mentions.sort(key=lambda m: (m.start_char, m.end_char, m.label))
    return facts


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
