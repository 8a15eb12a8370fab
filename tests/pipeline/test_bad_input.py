"""Bad input to the library entry points: a clear ExtractError naming the input, or a valid empty result.

Covers what tests/flows/test_cli.py does not: latin-1 text files, Finnish and English pages
through the whole pipeline, 10 MB inputs, HTML without a body, pages with no date anywhere,
and raw records of bad pages through ``process_records`` (errors collected, good pages kept).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from pipeline.raw.store import RawStore
from pipeline.run.process import process_file, process_records, result_json
from pipeline.text.extract import MAX_BODY_BYTES, ExtractError, decode_body, extract_file, extract_html

SV_HTML = (
    "<html><head><title>Trygghet i Växjö</title></head><body><article><h1>Trygghet i Växjö</h1>"
    "<p>Växjö kommun och Polisen har undertecknat ett medborgarlöfte. Arbetet gäller narkotika och trygghet "
    "på torget i centrala Växjö, säger kommunstyrelsens ordförande Anna Berg (M).</p></article></body></html>"
)
EN_TEXT = (
    "The city council and the police in Växjö signed a new agreement on safety in the town centre. It will be in "
    "force for the years to come and it covers drugs and the recruitment of young people into crime, says Anna Berg."
)
FI_TEXT = (
    "Kaupunki ja poliisi allekirjoittivat uuden sopimuksen turvallisuudesta keskustassa. Sopimus on voimassa "
    "vuoteen 2027 asti, ja se koskee huumeita sekä nuorten rekrytointia rikollisuuteen. Se on tärkeä asia, "
    "ja me olemme siitä iloisia, sanoo kaupunginjohtaja Anna Berg. Tämä ei ole vielä kaikki, mutta se on alku."
)


@pytest.fixture(scope="module")
def nlp() -> Any:
    from pipeline.nlp import load_nlp

    return load_nlp()


@pytest.mark.parametrize(
    ("name", "content", "expect"),
    [
        ("empty.html", b"", "empty"),
        ("spaces.txt", b"  \n\t\n ", "empty"),
        ("blob.txt", bytes(range(256)) * 40, "binary"),
        ("nobody.html", b"<!doctype html><html><head><title>Nyheter</title></head></html>", "no article text"),
        ("body-empty.html", b"<html><head><title>x</title></head><body>  </body></html>", "no article text"),
        ("image.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "unsupported file type"),
        ("image.html", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "binary"),
    ],
)
def test_bad_files_raise_extract_error_naming_the_file(tmp_path: Path, name: str, content: bytes, expect: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ExtractError) as info:
        extract_file(path)
    assert str(path) in str(info.value) and expect in str(info.value)


def test_unsupported_suffix_names_file(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip but not html either")
    with pytest.raises(ExtractError, match="unsupported file type"):
        extract_file(path)


def test_ten_megabytes_of_text_is_refused_by_size_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes(b"Polisen och kommunen samverkar. " * (MAX_BODY_BYTES // 32 + 10))
    assert path.stat().st_size > MAX_BODY_BYTES
    with pytest.raises(ExtractError, match="cap") as info:
        extract_file(path)
    assert str(path) in str(info.value)


def test_just_under_the_cap_but_too_long_for_an_article_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_bytes(b"Polisen och kommunen samverkar. " * 100_000)  # 3.2 MB
    with pytest.raises(ExtractError, match="characters") as info:
        extract_file(path)
    assert str(path) in str(info.value)


def test_oversized_html_bytes_refused_with_label() -> None:
    with pytest.raises(ExtractError, match="cap") as info:
        extract_html(b"<p>x</p>" * (MAX_BODY_BYTES // 8 + 1), url="https://www.ale.se/nyheter/stor")
    assert "https://www.ale.se/nyheter/stor" in str(info.value)


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_legacy_encodings_without_charset_decode(tmp_path: Path, encoding: str) -> None:
    html = tmp_path / "page.html"
    html.write_bytes(SV_HTML.encode(encoding))
    txt = tmp_path / "page.txt"
    txt.write_bytes("Växjö kommun och Polisen samverkar mot narkotika på torget i Växjö.".encode(encoding))
    assert "Växjö" in extract_file(html).text
    assert "Växjö" in extract_file(txt).text
    assert "Växjö" in decode_body(SV_HTML.encode(encoding), "text/html")


def test_wrong_charset_header_falls_back() -> None:
    body = SV_HTML.encode("cp1252")
    assert "Växjö" in decode_body(body, "text/html; charset=utf-8")
    assert "Växjö" in decode_body(body, "text/html; charset=no-such-codec")


@pytest.mark.parametrize(("text", "lang"), [(EN_TEXT, "en"), (FI_TEXT, "fi")])
def test_foreign_language_recorded_without_swedish_extraction(nlp: Any, tmp_path: Path, text: str, lang: str) -> None:
    path = tmp_path / f"{lang}.txt"
    path.write_text(text, encoding="utf-8")
    payload = result_json(process_file(nlp, path))
    assert payload["article"]["language"] == lang
    assert payload["article"]["is_relevant"] is False
    assert payload["collaborations"] == [] and payload["people"] == [] and payload["mentions"] == []


def test_article_without_any_date_is_a_valid_result(nlp: Any, tmp_path: Path) -> None:
    path = tmp_path / "nodate.html"
    path.write_text(SV_HTML, encoding="utf-8")
    res = process_file(nlp, path)
    payload = result_json(res)
    assert payload["article"]["published"] is None
    assert payload["article"]["language"] == "sv"
    assert payload["article"]["text"]


def _put(store: RawStore, url: str, body: bytes, content_type: str = "text/html; charset=utf-8") -> Any:
    return store.put(source_id="vaxjo", url=url, final_url=url, status=200, headers={"content-type": content_type}, body=body,
                     fetched_at=datetime(2025, 3, 1, 3, 0, tzinfo=UTC))


def test_bad_raw_records_are_errors_and_good_ones_processed(nlp: Any, tmp_path: Path) -> None:
    store = RawStore(tmp_path / "raw")
    good = _put(store, "https://www.vaxjo.se/nyheter/trygghet", SV_HTML.encode("utf-8"))
    bad = {
        "empty": _put(store, "https://www.vaxjo.se/nyheter/tom", b""),
        "binary": _put(store, "https://www.vaxjo.se/nyheter/blob", b"\x00\x01" * 500),
        "no article text": _put(store, "https://www.vaxjo.se/nyheter/ingen", b"<html><head></head></html>"),
    }
    latin = _put(store, "https://www.vaxjo.se/nyheter/latin", SV_HTML.encode("latin-1"), "text/html")
    outcome = process_records(nlp, [store.get(r.raw_id) for r in [good, *bad.values(), latin]])
    done = {r.article["url"] for r in outcome.results}
    assert done == {"https://www.vaxjo.se/nyheter/trygghet", "https://www.vaxjo.se/nyheter/latin"}
    assert len(outcome.errors) == 3
    for expect, rec in bad.items():
        line = next(e for e in outcome.errors if rec.raw_id in e)
        assert expect in line and rec.url in line
