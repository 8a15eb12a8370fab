"""pagekind.classify and the sitemap filter on the URL and page shapes of real CMSs (issue 16)."""

from __future__ import annotations

import time

import pytest

from pipeline.crawl.pagekind import STORED_KINDS, PageKind, classify, url_date
from pipeline.crawl.sitemaps import sitemap_entry_wanted
from pipeline.crawl.sources import Source

BASE = "https://www.kommun.example"
TEXT = ("Kommunen och lokalpolisen har enats om tre gemensamma insatser för hösten. Arbetet följs upp i "
        "trygghetsrådet, där också föreningar och fastighetsägare deltar med egna förslag.")
NAV = '<nav><a href="/a/">A</a><a href="/b/">B</a><a href="/c/">C</a><a href="/d/">D</a><a href="/e/">E</a></nav>'


def _page(body: str, head: str = "", title: str = "Sida") -> bytes:
    return f"<html><head><title>{title}</title>{head}</head><body>{NAV}<main>{body}</main></body></html>".encode()


def _teasers(n: int) -> str:
    return "<ul>" + "".join(f'<li><a href="/nyheter/n-{i}-a-b.html">Nyhet {i}</a> <time datetime="2024-0{1 + i % 9}-01">'
                            "</time></li>" for i in range(n)) + "</ul>"


@pytest.mark.parametrize(
    ("body", "url", "head", "title", "kind"),
    [
        (f"<h1>X</h1><p>{TEXT}</p>", "/nyheter/ny-rutin.5.1a2b3c4d.html", "", "X", PageKind.ARTICLE),
        (f"<h1>X</h1><p>{TEXT}</p>", "/x/y", '<meta property="og:type" content="article">', "X", PageKind.ARTICLE),
        (f"<h1>X</h1><p>{TEXT}</p>", "/nyheter/2024-03-15-ny-rutin.html", "", "X", PageKind.ARTICLE),
        (f"<h1>Medborgarlöften</h1><p>{TEXT}</p>", "/trygghet/medborgarloften.4.1a2b3c4d.html", "", "Medborgarlöften",
         PageKind.STANDING),
        (_teasers(10), "/nyheter.html", "", "Nyheter", PageKind.LISTING),
        (_teasers(2), "/nyheter/?page=2", "", "Nyheter", PageKind.LISTING),
        ("<ul>" + "".join(f'<li><a href="/skola/s{i}.html">Skola {i}</a></li>' for i in range(12)) + "</ul>",
         "/barn-och-utbildning.html", "", "Barn och utbildning", PageKind.SECTION),
    ],
)
def test_classify(body, url, head, title, kind):
    assert classify(_page(body, head, title), BASE + url) == kind


def test_an_article_with_related_dated_news_is_still_an_article():
    body = f"<article><h1>X</h1><time datetime='2024-05-02'></time><p>{TEXT}</p></article>"
    aside = f"<aside>{_teasers(4)}</aside>"
    related = f"<div class='sv-related-news'>{_teasers(4)}</div>"
    assert classify(_page(body + aside), BASE + "/aktuellt/nyheter/ny-rutin-i-skolan/") == PageKind.ARTICLE
    assert classify(_page(body + related), BASE + "/aktuellt/nyheter/ny-rutin-i-skolan/") == PageKind.ARTICLE
    og = '<meta property="og:type" content="article">'
    assert classify(_page(body + _teasers(4), og), BASE + "/a/b/") == PageKind.ARTICLE
    assert classify(_page(_teasers(10), og), BASE + "/nyheter/") == PageKind.LISTING  # og:type says little here


def test_feeds_and_sitemaps_are_feeds_never_stored():
    rss = b'<?xml version="1.0"?><rss version="2.0"><channel><item><link>x</link></item></channel></rss>'
    assert classify(rss, BASE + "/nyheter/rss-nyheter-flode.html", "text/html") == PageKind.FEED
    assert PageKind.FEED not in STORED_KINDS and PageKind.LISTING not in STORED_KINDS
    assert PageKind.SECTION not in STORED_KINDS and PageKind.STANDING in STORED_KINDS


def test_url_date_never_earlier_than_the_truth():
    assert url_date(BASE + "/2023/03/15/slug/") == "2023-03-15"
    assert url_date(BASE + "/nyheter/2023-03-15-slug.html") == "2023-03-15"
    assert url_date(BASE + "/nyheter/2024/02/slug/") == "2024-02-29"  # no day: the month's last
    assert url_date(BASE + "/nyheter/slug.5.1a2b3c.html") is None


SRC = Source("k", "K", "kommun", None, (BASE + "/",))


@pytest.mark.parametrize(
    ("path", "wanted"),
    [
        ("/nyheter/ny-rutin.5.1a2b3c4d.html", True),
        ("/x/ny-rutin.5.1a2b3c4d.html", True),
        ("/arkiv/nyheter/2023-03-15-ny-rutin.html", True),
        ("/nyhetsarkiv/ny-rutin.3782.html", True),
        ("/2023/03/15/ny-rutin-i-skolan/", True),
        ("/kommun-och-politik/trygghet-och-sakerhet.4.1a2b3c4d.html", True),
        ("/kommun/medborgarl%C3%B6ften.html", True),
        ("/brottsforebyggande-arbete/", True),
        ("/trygghet-och-sakerhet/medborgarloften.4.1a2b3c4d.html", True),
        ("/trygghet-och-sakerhet/krisberedskap-och-brandskydd.4.1a2b3c4d.html", False),  # a page of the section
        ("/barn-och-utbildning.html", False),
        ("/barn-och-utbildning/skola.4.1a2b3c4d.html", False),
        ("/nyheter.html", False),
        ("/nyheter/", False),
        ("/nyheter/bilaga.pdf", False),
        ("/images/18.1a2b3c/bild.jpg", False),
    ],
)
def test_sitemap_entry_wanted(path, wanted):
    assert sitemap_entry_wanted(BASE + path, SRC) is wanted


def test_sitemap_filter_is_fast_and_keeps_other_hosts_out():
    assert not sitemap_entry_wanted("https://annan.example/nyheter/ny-rutin.5.1a2b3c4d.html", SRC)
    urls = [f"{BASE}/bygga-bo/omrade-{i}/sida-{i}.4.{i:x}abcdef.html" for i in range(20000)]
    t0 = time.perf_counter()
    kept = sum(sitemap_entry_wanted(u, SRC) for u in urls)
    per_url = (time.perf_counter() - t0) / len(urls)
    assert kept == 0 and per_url < 100e-6, per_url  # ~10 µs here; millions of URLs at national scale
