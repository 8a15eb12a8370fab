"""Publication dates printed in the text itself (pipeline.text.published)."""

from datetime import date

import pytest

from pipeline.text.published import find_publication_date

LONG_BODY = "Kommunen arbetar vidare med trygghet i centrum och följer upp arbetet varje månad. " * 12


@pytest.mark.parametrize(
    ("text", "expected", "source"),
    [
        ("Snöröjning pågår\n\n2019-04-02\n\nPlogbilarna är ute i hela kommunen.", date(2019, 4, 2), "byline"),
        ("Ny förskola\n7 maj 2022\nBygget är klart.", date(2022, 5, 7), "byline"),
        ("Artikeln publicerades 3 april 2022\n\nNy gång- och cykelväg", date(2022, 4, 3), "published"),
        ("Publicerad 12 March 2019 08:15\nTrygghetsvandring i Ljusdal", date(2019, 3, 12), "published"),
        ("Nytt avtal\n2021-05-04 09:41\nKommunen och polisen …", date(2021, 5, 4), "byline"),
        ("NYHETER 2022-10-11 KL. 14:05\nMöte om trygghet", date(2022, 10, 11), "byline"),
        ("Kiruna2020-02-03 18:40\n\nText om något.", date(2020, 2, 3), "byline"),
        ("2018-05-08 12:43Pressmeddelande\n\nRubrik", date(2018, 5, 8), "byline"),
        ("Pressmeddelande • 12 maj 2020 08:00\nRubrik", date(2020, 5, 12), "published"),
        ("Publicerad den 4 juni 2021, senast ändrad den 9 juni 2021", date(2021, 6, 4), "published"),
        ("Publicerad: tisdag 12 mars 2019\nRubrik", date(2019, 3, 12), "published"),
        ("Publiceringsdatum:\n\n2022-05-02\n\nRubrik", date(2022, 5, 2), "published"),
        ("Rubrik\nMarch 12, 2019\nText om kommunen.", date(2019, 3, 12), "byline"),
        ("2023-02-17 Uppdaterad 2023-03-01\nRubrik", date(2023, 2, 17), "byline"),
        ("Av Anna Ek | 12 maj 2022\nRubrik", date(2022, 5, 12), "byline"),
        ("Uppdaterad 12 maj 2022 Publicerad 10 maj 2022\nRubrik", date(2022, 5, 10), "published"),
    ],
)
def test_dates_that_stand_in_the_text(text: str, expected: date, source: str) -> None:
    found = find_publication_date(text)
    assert found is not None, text
    assert (found.date, found.source) == (expected, source)


@pytest.mark.parametrize(
    "text",
    [
        "Publicerad:\n\nRubrik om trygghet\n\n2 maj 2022 höll kommunen ett öppet möte om trygghet i centrum.",
        "Publicerad\nEva Lund, socialchef, och Per Ek (M), ordförande i nämnden.",
        "Rubrik\n\nSista anmälningsdag:\n15 mars 2024\n",
        "Rubrik\nTid: 15 mars 2024 kl 18.00\nPlats: Stadshuset",
        "Rubrik\n\nRapporten publicerades 2023-05-02 och visar att anmälda brott har ökat kraftigt i hela länet "
        "under förra året enligt kommunens egen sammanställning.",
        "Medborgarlöfte 2021\n\nPolisen och kommunen lovar fler trygghetsvandringar.",
        "Fortsättning publicerad i papperstidningen 161223",
        "Publiceringsdatum:\n\nSenast uppdaterad:\n\nVarför ska vi arbeta mot brott?",
    ],
)
def test_no_publication_date(text: str) -> None:
    assert find_publication_date(text) is None


def test_update_date_is_used_only_when_nothing_else_dates_the_page() -> None:
    only = find_publication_date("Rubrik\n\nText.\n\nSenast uppdaterad:\n20 december 2022")
    assert only is not None and (only.date, only.source) == (date(2022, 12, 20), "updated")
    both = find_publication_date("Senast uppdaterad: 5 maj 2023\nRubrik\n\n2023-04-02\n\nText.")
    assert both is not None and (both.date, both.source) == (date(2023, 4, 2), "byline")
    cue = find_publication_date("Rubrik\nSenast uppdaterad:\n2023-05-16\nPublicerad:\n2021-12-07")
    assert cue is not None and (cue.date, cue.source) == (date(2021, 12, 7), "published")
    stamped = find_publication_date("Publicerad 2017-06-27 10:57\n\nSenast uppdaterad 2017-06-28 11:05\n\nRubrik")
    assert stamped is not None and stamped.date == date(2017, 6, 27)


def test_footer_date_under_the_credits() -> None:
    text = f"Budgeten klar\n\n{LONG_BODY}{LONG_BODY}\n\nText: Eva Lund\n\nFoto: Per Ek\n\n21 november 2018\n\nLogotyp"
    found = find_publication_date(text)
    assert found is not None and found.date == date(2018, 11, 21)
    assert text[found.start_char : found.end_char] == "21 november 2018"


def test_a_date_line_deep_in_the_body_is_not_a_publication_date() -> None:
    text = f"Rubrik\n\n{LONG_BODY}{LONG_BODY}\n\n2024-03-15\n\n{LONG_BODY}{LONG_BODY}"
    assert find_publication_date(text) is None
