"""``samverkan_dates``: dated expressions and periods, anchored on the publication date.

Thin spaCy wrapper over the pure functions of ``pipeline.text.dates``: periods
("2023–2026", "de kommande två åren", "mandatperioden") go to ``doc._.samverkan_periods``,
dated events (decided, signed, meeting, mentioned) to ``doc._.samverkan_dates``.
"""

from __future__ import annotations

from datetime import date

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.facts import DateFact
from pipeline.nlp.extensions import add_spans, get_input
from pipeline.text import dates as textdates

FACTORY = "samverkan_dates"


class Dates:
    """Find periods and dated events in ``doc``."""

    def __call__(self, doc: Doc) -> Doc:
        """Annotate ``doc`` and return it."""
        published = get_input(doc).published
        anchor = published if isinstance(published, date) else None
        periods = textdates.find_periods(doc.text, anchor)
        events = textdates.find_dated_events(doc.text, anchor)
        pub = textdates.find_publication_date(doc.text)
        hits = [DateFact(e.source, e.date, e.granularity, e.text, e.start_char, e.end_char) for e in events]
        if pub is not None:
            hits = [h for h in hits if not (pub.start_char <= h.start_char < pub.end_char)]
            hits.append(DateFact("published", pub.date, pub.granularity, pub.text, pub.start_char, pub.end_char))
        hits.sort(key=lambda h: h.start_char)
        doc._.samverkan_periods = periods
        doc._.samverkan_dates = hits
        add_spans(doc, [(h.start_char, h.end_char, "DATE") for h in hits] +
                  [(p.start_char, p.end_char, "DATE") for p in periods])
        return doc


@Language.factory(FACTORY)
def make_dates(nlp: Language, name: str) -> Dates:
    """Factory of the ``samverkan_dates`` component."""
    return Dates()
