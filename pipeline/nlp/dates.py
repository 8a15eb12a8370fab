"""``samverkan_dates``: dated expressions and periods, anchored on the publication date.

Thin spaCy wrapper over the pure functions of ``pipeline.text`` (``periods``, ``dates``,
``published``): periods ("2023–2026", "de kommande två åren", "skrivet till 2020") go to
``doc._.samverkan_periods``, dated events (decided, signed, meeting, mentioned) and the publication
date printed in the text (kind ``published``) to ``doc._.samverkan_dates``. Which of them belong to
a collaboration is chosen in ``pipeline.nlp.periods``.
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
        found = list(events)
        if pub is not None:
            found = [e for e in found if not pub.start_char <= e.start_char < pub.end_char]
            found.append(textdates.FoundDate(pub.date, pub.granularity, pub.text, pub.start_char, pub.end_char,
                                             "published"))
        found.sort(key=lambda e: e.start_char)
        doc._.samverkan_periods = periods
        doc._.samverkan_dates = [DateFact(e.source, e.date, e.granularity, e.text, e.start_char, e.end_char)
                                 for e in found]
        add_spans(doc, [(e.start_char, e.end_char, "DATE") for e in found] +
                  [(p.start_char, p.end_char, "DATE") for p in periods])
        return doc


@Language.factory(FACTORY)
def make_dates(nlp: Language, name: str) -> Dates:
    """Factory of the ``samverkan_dates`` component."""
    return Dates()
