"""Periods in text (pipeline.text.periods): the kinds real releases write, and years that are no period."""

from datetime import date

import pytest

from pipeline.text.periods import find_periods


def _pairs(text: str, published: date | None = None) -> list[tuple[date | None, date | None]]:
    return [(p.start, p.end) for p in find_periods(text, published)]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("Nya avtalet är skrivet till 2020.", None, [(None, date(2020, 12, 31))]),
        ("Avtalet förlängdes till 2027.", None, [(None, date(2027, 12, 31))]),
        ("Samverkansavtalet gäller till och med december 2026.", None, [(None, date(2026, 12, 31))]),
        ("Avtalet gäller för de närmaste två åren.", date(2024, 3, 1), [(date(2024, 1, 1), date(2025, 12, 31))]),
        ("Överenskommelsen gäller från den 15 december 2023 till 2026.", None,
         [(date(2023, 12, 15), date(2026, 12, 31))]),
        ("Projektet pågår under 2025 och 2026.", None, [(date(2025, 1, 1), date(2026, 12, 31))]),
        ("Överenskommelsen gäller från och med 17 februari 2023.", None, [(date(2023, 2, 17), None)]),
        ("Arbetet börjar under 2024.", None, [(date(2024, 1, 1), None)]),
        ("Satsningen har pågått sedan 2009 och fortsätter.", None, [(date(2009, 1, 1), None)]),
        ("Kommunerna har sedan 2021 ett gemensamt uppdrag.", None, [(date(2021, 1, 1), None)]),
        ("Polisen och kommunen har tagit fram medborgarlöften för 2017.", None, [(date(2017, 1, 1), date(2017, 12, 31))]),
        ("Medborgarlöfte 2021", None, [(date(2021, 1, 1), date(2021, 12, 31))]),
        ("Problemen ska styra kommunens arbete 2017.", date(2016, 12, 23), [(date(2017, 1, 1), date(2017, 12, 31))]),
        ("Kalmar startar i september ett projekt. Projektet är treårigt.", date(2024, 6, 20),
         [(date(2024, 9, 1), date(2027, 8, 31))]),
        ("Polisen och kommunen har nya medborgarlöften för 2024/2025.", None, [(date(2024, 1, 1), date(2025, 12, 31))]),
        ("Avtalet gäller från 1 januari 2024 och fyra år framåt.", None, [(date(2024, 1, 1), date(2027, 12, 31))]),
        ("Projektet startade i januari 2023 och avslutas i december 2024.", None,
         [(date(2023, 1, 1), date(2024, 12, 31))]),
        ("Kommunen har sedan årsskiftet ett nytt samverkansavtal.", date(2024, 8, 1), [(date(2024, 1, 1), None)]),
        ("Avtalet gäller till och med den 30 juni 2026.", None, [(None, date(2026, 6, 30))]),
        ("Avtalet träder i kraft den 1 mars 2024.", None, [(date(2024, 3, 1), None)]),
    ],
)
def test_periods(text: str, published: date | None, expected: list[tuple[date | None, date | None]]) -> None:
    assert _pairs(text, published) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Efter omorganisationen 2015 har kommunen anställt fler.",
        "Under 2018 anmäldes fler brott än någonsin.",
        "Avtalet tecknade 2016 och har följts upp.",
        "Sedan 2014 har kommunen sparat pengar.",
        "Antalet ökade till 2023 från året innan.",
        "Problemen styrde kommunens arbete 2012.",
        "Under 2022/2023 infördes flera nya arbetssätt.",
        "Kommunerna har på sig fram till 1 juli 2025 att besluta om en plan.",
        "Lagen gäller sedan i somras, men kommunerna har på sig fram till 1 juli 2025 att besluta om en plan.",
    ],
)
def test_a_year_in_passing_is_no_period(text: str) -> None:
    assert _pairs(text, date(2023, 11, 8)) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a yearless range: the start is placed near the publication date, the end follows the start
        ("Sommarvärdarna går i centrum från den 20 juni till den 18 augusti.", (date(2025, 6, 20), date(2025, 8, 18))),
        ("Värdarna arbetar 20 juni–18 augusti i år.", (date(2025, 6, 20), date(2025, 8, 18))),
        ("Jourhemmet har öppet 20 december–6 januari.", (date(2024, 12, 20), date(2025, 1, 6))),
        # two days of one month joined by "och"
        ("Kontrollen görs den 2 och 3 maj vid stationen.", (date(2025, 5, 2), date(2025, 5, 3))),
        ("Mässan pågick 30 december–2 januari 2025.", (date(2024, 12, 30), date(2025, 1, 2))),
    ],
)
def test_yearless_day_ranges(text: str, expected: tuple[date, date]) -> None:
    found = [(p.start, p.end) for p in find_periods(text, date(2025, 5, 1))]
    assert found == [expected]


def test_two_dates_joined_by_och_are_no_range() -> None:
    assert find_periods("Mötena hålls 1 mars och 2 april.", date(2025, 5, 1)) == []
