"""samverkan_dates and the choice of a collaboration's period and decision date (pipeline.nlp.periods)."""

from datetime import date

from pipeline.facts import DateFact
from pipeline.nlp import AnalysisInput, analyse_one
from pipeline.nlp.periods import choose_decided, choose_period
from pipeline.text.dateparse import Period


def _period(start: date | None, end: date | None, pos: int, explicit: bool = True) -> Period:
    return Period(start, end, "x", pos, pos + 4, explicit)


def test_each_collaboration_keeps_its_own_period() -> None:
    text = "Löftet gäller 2023–2024. Avtalet gäller till 2026."
    bounds = [(0, 24), (25, len(text))]
    periods = [_period(date(2023, 1, 1), date(2024, 12, 31), 14), _period(None, date(2026, 12, 31), 39)]
    promise = [("medborgarlofte", 0, 6, 0)]
    agreement = [("samverkansoverenskommelse", 25, 32, 1)]
    assert choose_period(text, periods, [], agreement, bounds, [], others=[bounds[0]]) == periods[1]
    assert choose_period(text, periods, [], promise, bounds, [], others=[bounds[1]]) == periods[0]
    # a period in another collaboration's own sentence is not taken as a fallback
    assert choose_period(text, [periods[1]], [], promise, bounds, [], others=[bounds[1]]) is None


def test_open_periods_give_way_to_closed_ones() -> None:
    text = "Kommunen har sedan 2019 ett avtal. Nu förnyas det för de kommande två åren."
    bounds = [(0, 34), (35, len(text))]
    since = _period(date(2019, 1, 1), None, 13, explicit=False)
    coming = _period(date(2021, 1, 1), date(2022, 12, 31), 60, explicit=False)
    assert choose_period(text, [since, coming], [], [("samverkansoverenskommelse", 99, 100, 1)], bounds, bounds) == coming


def test_fallback_skips_periods_that_ended_before_the_publication_year() -> None:
    text = "Anmälningarna ökade 2019–2022. Kommunen och polisen har tecknat ett nytt samverkansavtal."
    bounds = [(0, 30), (31, len(text))]
    stats = _period(date(2019, 1, 1), date(2022, 12, 31), 20)
    mention = [("samverkansoverenskommelse", 71, 85, 1)]
    assert choose_period(text, [stats], [], mention, bounds, bounds, published=date(2024, 5, 2)) is None
    assert choose_period(text, [stats], [], mention, bounds, bounds, published=date(2022, 5, 2)) == stats


def test_period_before_the_type_word_in_its_sentence() -> None:
    text = "För 2024 gäller ett nytt medborgarlöfte."
    p = _period(date(2024, 1, 1), date(2024, 12, 31), 4)
    assert choose_period(text, [p], [], [("medborgarlofte", 25, 39, 0)], [(0, len(text))], []) == p


def test_event_period_needs_an_event_word() -> None:
    text = "Samverkan med polisen är god. Polisen kallade till ett möte i oktober 2023."
    bounds = [(0, 29), (30, len(text))]
    meeting = DateFact("meeting", date(2023, 10, 1), "month", "oktober 2023", 62, 74)
    assert choose_period(text, [], [meeting], [("other", 0, 9, 0)], bounds, [bounds[1]], event=True) is None
    text2 = "Konferensen hölls i oktober 2023 i Umeå."
    found = choose_period(text2, [], [DateFact("meeting", date(2023, 10, 1), "month", "oktober 2023", 20, 32)],
                          [("other", 0, 11, 0)], [(0, len(text2))], [], event=True)
    assert found is not None and (found.start, found.end) == (date(2023, 10, 1), date(2023, 10, 31))


def test_decision_before_signing_and_own_sentences_first() -> None:
    own, cue = [(0, 50)], [(60, 100)]
    signed = DateFact("signed", date(2024, 2, 1), "day", "x", 10, 14)
    decided = DateFact("decided", date(2024, 1, 20), "day", "x", 70, 74)
    assert choose_decided([signed, decided], own, cue) == date(2024, 1, 20)
    assert choose_decided([signed], own, cue) == date(2024, 2, 1)
    assert choose_decided([], own, cue) is None


def test_two_collaborations_signed_together_get_their_own_periods(nlp) -> None:
    text = ("Nya medborgarlöften i Krokom\n\nI juni tecknades nya medborgarlöften i Krokoms kommun. I löftet för "
            "2025-2026 ligger fokus på trafik och narkotika.\n\nSamtidigt tecknade polisen och kommunen en "
            "samverkansöverenskommelse som ska gälla fram till och med 2028.")
    facts = analyse_one(nlp, AnalysisInput(text, published=date(2025, 6, 20), source_kommun="2309"))
    periods = {c.type: (c.period_start, c.period_end) for c in facts.collaborations}
    assert periods["medborgarlofte"] == (date(2025, 1, 1), date(2026, 12, 31))
    assert periods["samverkansoverenskommelse"] == (None, date(2028, 12, 31))


def test_component_dates_the_article_from_its_text(nlp) -> None:
    text = ("Avtal om trygghet\n\nHärnösand2023-03-14 09:12\n\nI måndags undertecknade Härnösands kommun och "
            "polisen ett samverkansavtal. Avtalet är skrivet till 2026.")
    facts = analyse_one(nlp, AnalysisInput(text, published=date(2023, 3, 14), source_kommun="2280"))
    kinds = {(d.kind, d.date) for d in facts.dates}
    assert ("published", date(2023, 3, 14)) in kinds
    (agreement,) = facts.collaborations
    assert (agreement.period_start, agreement.period_end) == (None, date(2026, 12, 31))
    assert agreement.decided_on == date(2023, 3, 13)
