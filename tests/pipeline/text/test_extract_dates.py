"""The extract stage's order of precedence for the publication date of an HTML page."""

from __future__ import annotations

from datetime import date

from pipeline.text.extract import extract_html

PARAGRAPHS = (
    "<p>Kommunen och polisen har tecknat en samverkansöverenskommelse om tryggheten i centrum. Den bygger på "
    "en gemensam genomgång av var invånarna känner sig otrygga och vad som behöver göras.</p>"
    "<p>Polisen lovar att synas mer på torget på kvällarna, och kommunen förbättrar belysningen i parkerna "
    "och längs gång- och cykelvägarna.</p>"
)


def _page(article: str, url: str = "https://www.kommun.example/nyheter/avtal") -> tuple[bytes, str]:
    html = (f"<html><head><title>Avtal</title></head><body><nav>Start | Nyheter</nav>"
            f"<article>{article}</article></body></html>")
    return html.encode(), url


def test_date_line_under_the_headline() -> None:
    body, url = _page(f"<h1>Nytt avtal om trygghet</h1><p>2019-04-02</p>{PARAGRAPHS}")
    ex = extract_html(body, url=url)
    assert ex.published == date(2019, 4, 2) and ex.published_source == "byline"


def test_time_element_beats_the_update_date_in_the_text() -> None:
    body, url = _page(f'<h1>Nytt avtal om trygghet</h1><time datetime="2021-03-02">2 mars 2021</time>{PARAGRAPHS}'
                      "<p>Senast uppdaterad: 5 maj 2023</p>")
    ex = extract_html(body, url=url)
    assert ex.published == date(2021, 3, 2) and ex.published_source == "guessed"


def test_update_date_when_nothing_else_dates_the_page() -> None:
    body, url = _page(f"<h1>Nytt avtal om trygghet</h1>{PARAGRAPHS}<p>Senast uppdaterad: 5 maj 2023</p>")
    ex = extract_html(body, url=url)
    assert ex.published == date(2023, 5, 5) and ex.published_source == "updated"
