"""One article lookup for ``show`` and ``reprocess``: article_id, unique prefix, URL, raw_id."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipeline.config import resolve_data_dir
from pipeline.errors import ArticleLookupError
from pipeline.raw.store import RawRecord, RawStore
from pipeline.report.show import ArticleNotFoundError, find_article
from pipeline.run.reprocess import ReprocessError, find_raw_record
from pipeline.tables.loader import load
from pipeline.tables.lookup import match_article
from pipeline.tables.store import Store

UTC = dt.UTC
URL = "https://www.lerum.se/nyheter/trygghet-pa-torget?utm_source=nyhetsbrev"
OTHER = "https://www.alingsas.se/nyheter/ny-lekplats"


def _archive(raw: RawStore, url: str, text: str, day: int) -> RawRecord:
    body = f"<html><body><article><h1>{text}</h1><p>{text} i kommunen.</p></article></body></html>".encode()
    return raw.put("demo", url, url, 200, {"content-type": "text/html"}, body, dt.datetime(2025, 1, day, tzinfo=UTC))


def _row(aid: str, rec: RawRecord) -> dict[str, object]:
    return {"article_id": aid, "source_id": "demo", "url": rec.url, "canonical_url": rec.url.split("?")[0],
            "title": "Rubrik", "published": dt.date(2025, 1, 1), "fetched_at": dt.datetime(2025, 1, 2, tzinfo=UTC),
            "text": "Text.", "raw_id": rec.raw_id, "is_relevant": False, "relevance_score": 0.1}


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    paths = resolve_data_dir(tmp_path).ensure()
    raw = RawStore(paths.raw)
    first = _archive(raw, URL, "Trygghet på torget", 1)
    other = _archive(raw, OTHER, "Ny lekplats", 1)
    Store(paths.processed).replace_articles(
        {"articles": [_row("aaaaaa11bbbb2222", first), _row("aaaaaa99cccc0000", other)]}
    )
    _archive(raw, URL, "Trygghet på torget, uppdaterad", 2)  # a newer fetch of the same page
    return tmp_path


def _refs(data_dir: Path) -> dict[str, str]:
    arts = load(data_dir).articles.set_index("article_id")
    return {
        "article_id": "aaaaaa11bbbb2222",
        "prefix": "aaaaaa1",
        "url": URL,
        "canonical url with fragment": URL.split("?")[0] + "#top",
        "raw_id": str(arts.loc["aaaaaa11bbbb2222", "raw_id"]),
    }


def test_show_and_reprocess_accept_the_same_refs(data_dir: Path) -> None:
    tables = load(data_dir)
    paths = resolve_data_dir(data_dir)
    store = Store(paths.processed)
    raw = RawStore(paths.raw)
    newest = raw.latest_for_url(URL)
    assert newest is not None
    for kind, ref in _refs(data_dir).items():
        assert find_article(ref, tables)["article_id"] == "aaaaaa11bbbb2222", kind
        rec = find_raw_record(paths, store, ref)
        assert rec.canonical_url == newest.canonical_url, kind
        # a raw_id names that very record; anything else means the newest fetch of the article's URL
        assert rec.raw_id == (ref if kind == "raw_id" else newest.raw_id), kind


def test_an_ambiguous_prefix_or_unknown_ref_names_input_and_folder(data_dir: Path) -> None:
    tables = load(data_dir)
    paths = resolve_data_dir(data_dir)
    with pytest.raises(ArticleNotFoundError, match="prefix 'aaaaaa' matches 2 articles .* give more characters"):
        find_article("aaaaaa", tables)
    with pytest.raises(ArticleNotFoundError, match="no article with id or URL 'aaaa'"):
        find_article("aaaa", tables)  # shorter than a prefix may be
    with pytest.raises(ReprocessError) as info:
        find_raw_record(paths, Store(paths.processed), "zzzzzzzz")
    assert str(info.value).startswith("zzzzzzzz: no article") and str(paths.processed) in str(info.value)
    with pytest.raises(ReprocessError, match="prefix 'aaaaaa' matches 2 articles"):
        find_raw_record(paths, Store(paths.processed), "aaaaaa")
    with pytest.raises(ReprocessError, match="no raw record for this URL"):
        find_raw_record(paths, Store(paths.processed), "https://www.lerum.se/nyheter/finns-inte")


def test_match_article_order_of_precedence() -> None:
    ids = ["abcdef01", "abcdef02", "x"]
    urls = ["https://a.se/1", "https://a.se/2", None]
    canon = ["https://a.se/1", "https://a.se/2", None]
    raw_ids = ["r1", "abcdef01", None]  # an id that is also another article's raw_id: the article_id wins
    assert match_article("abcdef01", ids, urls, canon, raw_ids, "here") == 0
    assert match_article("r1", ids, urls, canon, raw_ids, "here") == 0
    assert match_article("https://a.se/2/#frag", ids, urls, canon, raw_ids, "here") == 1
    with pytest.raises(ArticleLookupError, match="in here"):
        match_article("https://a.se/3", ids, urls, canon, raw_ids, "here")
    with pytest.raises(KeyError):  # still a KeyError for callers that catch that
        match_article("nothing", ids, urls, canon, raw_ids, "here")
