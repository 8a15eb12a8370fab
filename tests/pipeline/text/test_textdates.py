from datetime import date

from pipeline.text.dates import (
    election_term,
    find_dated_events,
    find_periods,
    find_publication_date,
    most_recent_month,
    parse_date,
)


def test_publication_date_sources():
    found = find_publication_date("Rubrik\n\nBrödtext här.\n\nPublicerad 2022-11-30\n")
    assert found is not None and found.date == date(2022, 11, 30) and found.source == "published"
    upd = find_publication_date("Text.\nSenast uppdaterad: 17 november 2023\n")
    assert upd is not None and upd.date == date(2023, 11, 17) and upd.source == "updated"
    text = "Rubrik\n\nKalle Svensson 2021-03-04\n\nText om något."
    by = find_publication_date(text)
    assert by is not None and by.source == "byline" and by.date == date(2021, 3, 4)
    assert text[by.start_char : by.end_char] == "2021-03-04"
    assert find_publication_date("Ingen datering alls.") is None


def test_published_wins_over_updated():
    found = find_publication_date("Publicerad 1 mars 2024\nText.\nUppdaterad 5 mars 2024")
    assert found is not None and found.date == date(2024, 3, 1)


def test_parse_date_without_year_uses_anchor():
    assert parse_date("den 3 maj", date(2024, 5, 20)) == date(2024, 5, 3)
    assert parse_date("den 30 december", date(2024, 1, 10)) == date(2023, 12, 30)
    assert parse_date("30.11.2022") == date(2022, 11, 30)


def test_year_range_period():
    periods = find_periods("Avtalet gäller för 2023–2026 och ska följas upp.")
    assert [(p.start, p.end) for p in periods] == [(date(2023, 1, 1), date(2026, 12, 31))]
    assert find_periods("Ring 2022-11-30 om du vill.") == []


def test_from_to_and_relative_periods():
    p = find_periods("Arbetet tar oss in i 2024, fram till 2027.")
    assert (p[0].start, p[0].end) == (date(2024, 1, 1), date(2027, 12, 31))
    rel = find_periods("Fokus för de kommande två åren ligger på unga.", date(2024, 3, 1))
    assert (rel[0].start, rel[0].end) == (date(2024, 1, 1), date(2025, 12, 31))
    late = find_periods("Fokus för de kommande två åren ligger på unga.", date(2024, 11, 1))
    assert (late[0].start, late[0].end) == (date(2025, 1, 1), date(2026, 12, 31))


def test_election_term():
    assert election_term(date(2024, 5, 1)) == (date(2023, 1, 1), date(2026, 12, 31))
    assert election_term(date(2022, 11, 30), upcoming=True) == (date(2023, 1, 1), date(2026, 12, 31))


def test_decided_on_weekday_and_today():
    text = "Kommunstyrelsen godkände planen vid måndagens sammanträde. Nämnden har idag beslutat att fortsätta."
    events = find_dated_events(text, date(2024, 2, 15))  # a Thursday
    kinds = {(e.source, e.date) for e in events}
    assert ("decided", date(2024, 2, 12)) in kinds
    assert ("decided", date(2024, 2, 15)) in kinds


def test_relative_month_is_most_recent_not_after():
    assert most_recent_month(11, date(2023, 11, 17)) == date(2023, 11, 1)
    assert most_recent_month(12, date(2023, 11, 17)) == date(2022, 12, 1)
    events = find_dated_events("I november träffades nätverket i Västerås.", date(2024, 2, 1))
    assert events[0].date == date(2023, 11, 1) and events[0].granularity == "month" and events[0].source == "meeting"


def test_signed_date():
    events = find_dated_events("Avtalet undertecknades den 3 maj på stadshuset.", date(2023, 5, 10))
    assert events[0].source == "signed" and events[0].date == date(2023, 5, 3)


def _spans(text, published=None):
    return [(p.start, p.end) for p in find_periods(text, published)]


def test_period_start_written_apart_from_its_end():
    assert _spans("Den gäller från den 1 juni 2024 och löper till och med 2027.") == [(date(2024, 6, 1), date(2027, 12, 31))]
    assert _spans("Samarbetet gäller från och med 2025 till och med 2028.") == [(date(2025, 1, 1), date(2028, 12, 31))]
    assert _spans("för perioden 2024-01-01–2026-12-31.") == [(date(2024, 1, 1), date(2026, 12, 31))]
    assert _spans("Avtalet gäller fram till 2026.") == [(None, date(2026, 12, 31))]  # no start stated


def test_whole_year_and_durations():
    assert _spans("Löftet gäller under hela 2025.") == [(date(2025, 1, 1), date(2025, 12, 31))]
    assert _spans("Planen för år 2026 är klar.") == [(date(2026, 1, 1), date(2026, 12, 31))]
    pub = date(2024, 6, 20)
    assert _spans("Kalmar startar i september ett projekt. Projektet är treårigt.", pub) == [
        (date(2024, 9, 1), date(2027, 8, 31))]
    assert _spans("De inleder från årsskiftet ett arbete. Avtalet sträcker sig över fyra år.", date(2024, 10, 8)) == [
        (date(2025, 1, 1), date(2028, 12, 31))]
    # a duration with no stated start counts calendar years from publication, like "de kommande N åren"
    assert _spans("Nätverket gäller i tre år.", date(2023, 3, 9)) == [(date(2023, 1, 1), date(2025, 12, 31))]


def test_event_of_several_days():
    assert _spans("Insatsen pågick 20–22 februari.", date(2024, 2, 26)) == [(date(2024, 2, 20), date(2024, 2, 22))]
    assert _spans("Mässan pågår 30 september–2 oktober 2024.") == [(date(2024, 9, 30), date(2024, 10, 2))]
