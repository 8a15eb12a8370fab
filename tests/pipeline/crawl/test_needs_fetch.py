"""Which known articles are fetched again: a sitemap ``<lastmod>`` counts as a change only when it is a
later moment than the one seen when the article was archived (not a new way of writing the same moment,
not a step back in time)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipeline.crawl.discover import Candidate
from pipeline.crawl.source import _lastmod_later, _needs_fetch, _parse_lastmod
from pipeline.crawl.state import CrawlState

URL = "https://www.exempel.se/nyheter/trygghetsvandring.5.1a2b.html"


@pytest.fixture
def state(tmp_path):
    with CrawlState(tmp_path / "crawl.sqlite") as st:
        yield st


def _archived(state: CrawlState, lastmod: str | None) -> None:
    state.add_discovered(URL, "src", "article", lastmod)
    state.record_visit(URL, "src", "article", "fetched", content_sha256="ab", raw_id="r1", sitemap_lastmod=lastmod)


def _cand(lastmod: str | None) -> Candidate:
    return Candidate(URL, URL, "sitemap", lastmod)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-03", datetime(2024, 5, 3, tzinfo=UTC)),
        ("2024-05-03T10:15:00Z", datetime(2024, 5, 3, 10, 15, tzinfo=UTC)),
        ("2024-05-03T12:15:00+02:00", datetime(2024, 5, 3, 10, 15, tzinfo=UTC)),
        ("2024-05-03T10:15:00.250+00:00", datetime(2024, 5, 3, 10, 15, 0, 250000, tzinfo=UTC)),
        (" 2024-05-03T10:15 ", datetime(2024, 5, 3, 10, 15, tzinfo=UTC)),
        ("2024-05-03Tkvart över tio", datetime(2024, 5, 3, tzinfo=UTC)),  # the date part still reads
        ("Mon, 02 Sep 2024 00:00:00 GMT", datetime(2024, 9, 2, tzinfo=UTC)),  # a feed's pubDate
        ("Mon, 02 Sep 2024 08:00:00 +0200", datetime(2024, 9, 2, 6, tzinfo=UTC)),
        ("Mon, 99 Sep 2024", None),
        ("i förrgår", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_lastmod(text, expected):
    assert _parse_lastmod(text) == expected


@pytest.mark.parametrize(
    ("new", "old", "later"),
    [
        ("2024-05-04", "2024-05-03", True),
        ("2024-05-03T11:00:00Z", "2024-05-03T10:00:00Z", True),
        ("2024-05-03T10:00:00Z", "2024-05-03T12:00:00+02:00", False),  # same moment, another zone
        ("2024-05-03T00:00:00+00:00", "2024-05-03", False),  # the date gained a time
        ("2024-05-03T16:30:00+02:00", "2024-05-03", False),  # same day written with a time
        ("2024-05-03", "2024-05-03T16:30:00+02:00", False),  # the time was dropped
        ("2024-05-02", "2024-05-03", False),  # back in time
        ("2024-05-03T09:00:00Z", "2024-05-03T10:00:00Z", False),
        ("2024-09-02", "Mon, 02 Sep 2024 00:00:00 GMT", False),  # found in the feed, then in the sitemap
        ("2024-09-03", "Mon, 02 Sep 2024 00:00:00 GMT", True),
        ("Mon, 02 Sep 2024 10:00:00 GMT", "2024-09-02T10:00:00Z", False),
        ("okänt", "2024-05-03", True),  # unreadable: a different text is a change
        ("okänt", "okänt", False),
        (None, "2024-05-03", False),
        ("2024-05-03", None, False),
    ],
)
def test_lastmod_later(new, old, later):
    assert _lastmod_later(new, old) is later


def test_a_new_article_is_fetched(state):
    assert _needs_fetch(_cand("2024-05-03"), state, refetch=False)


def test_a_known_article_with_the_same_lastmod_in_another_format_is_not_fetched(state):
    _archived(state, "2024-05-03T10:00:00Z")
    assert not _needs_fetch(_cand("2024-05-03T12:00:00+02:00"), state, refetch=False)
    assert not _needs_fetch(_cand("2024-05-03T10:00:00Z"), state, refetch=False)


def test_an_article_first_seen_in_a_feed_then_in_the_sitemap_is_not_fetched_again(state):
    # Night 1 found it in the feed (RFC 822 pubDate); night 2 only in the sitemap (W3C date), same day.
    _archived(state, "Mon, 02 Sep 2024 00:00:00 GMT")
    assert not _needs_fetch(_cand("2024-09-02"), state, refetch=False)


def test_a_known_article_whose_lastmod_went_back_is_not_fetched(state):
    _archived(state, "2024-05-03")
    assert not _needs_fetch(_cand("2023-11-30"), state, refetch=False)


def test_a_known_article_with_a_later_lastmod_is_fetched_again(state):
    _archived(state, "2024-05-03")
    assert _needs_fetch(_cand("2024-05-06"), state, refetch=False)


def test_a_known_article_without_lastmod_waits_for_refetch(state):
    _archived(state, None)
    assert not _needs_fetch(_cand(None), state, refetch=False)
    assert _needs_fetch(_cand(None), state, refetch=True)


def test_a_skipped_article_is_retried_only_on_refetch(state):
    state.add_discovered(URL, "src", "article", None)
    state.record_visit(URL, "src", "article", "skipped", error="robots.txt")
    assert not _needs_fetch(_cand("2024-05-03"), state, refetch=False)
    assert _needs_fetch(_cand("2024-05-03"), state, refetch=True)
