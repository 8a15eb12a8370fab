"""The extract stage: main text, title, publication date priority, language."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.text.extract import ExtractError, extract_html, extract_plain_text

BODY = (
    "<article><h1>Nytt avtal om trygghet i centrum</h1><p>Publicerad 14 augusti 2019</p>"
    "<p>Kommunen och polisen har tecknat en samverkansöverenskommelse. Den gäller 2020–2022 och handlar om"
    " narkotika och trygghet i centrum.</p><p>© 2022 Kommunen. Sidan uppdaterad 2022-12-31.</p></article>"
)


def page(head: str = "") -> bytes:
    return f"<html><head><title>Avtal</title>{head}</head><body><nav>Start | Nyheter</nav>{BODY}</body></html>".encode()


def test_visible_swedish_date_line_beats_heuristic_guesses() -> None:
    ex = extract_html(page())
    assert ex.published == date(2019, 8, 14) and ex.published_source == "published"


def test_explicit_publication_metadata_wins() -> None:
    ex = extract_html(page('<meta property="article:published_time" content="2019-08-13T09:00:00+02:00">'))
    assert ex.published == date(2019, 8, 13) and ex.published_source == "metadata"


def test_given_date_wins_over_everything() -> None:
    ex = extract_html(page('<meta property="article:published_time" content="2019-08-13">'), published=date(2020, 1, 2))
    assert ex.published == date(2020, 1, 2) and ex.published_source == "given"


def test_main_text_without_navigation_and_language() -> None:
    ex = extract_html(page(), url="https://www.ale.se/nyheter/avtal")
    assert "samverkansöverenskommelse" in ex.text and "Start | Nyheter" not in ex.text
    assert ex.language == "sv"
    assert ex.title


def test_plain_text_title_skips_breadcrumbs_and_finds_updated_date() -> None:
    text = (
        "• Startsida\n  • / Nyheter\n\nKommun och polis i nytt samarbete\n\n"
        "Text om samarbetet med polisen.\n\nSenast uppdaterad: 5 oktober 2023"
    )
    ex = extract_plain_text(text)
    assert ex.title == "Kommun och polis i nytt samarbete"
    assert ex.published == date(2023, 10, 5)


def test_empty_html_is_a_clear_error() -> None:
    with pytest.raises(ExtractError, match="empty"):
        extract_html(b"   ", name="x.html")
