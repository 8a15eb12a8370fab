"""``sources check`` per source: verdicts, hints, hosts and years, against real servers on 127.0.0.1."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from pipeline.crawl.check import HINTS, check_source, per_year, summary_lines, table_row, year_of
from pipeline.crawl.discover import Candidate
from pipeline.crawl.fetch import PoliteFetcher
from pipeline.crawl.sources import Source
from pipeline.raw.store import RawStore
from tests.support.server import Reply, SiteServer

PLAIN_ROOT = (
    "<!DOCTYPE html><html lang='sv'><head><title>Startsida</title></head><body>"
    "<nav><a href='/omsorg.html'>Omsorg</a> <a href='/kontakt.html'>Kontakt</a></nav>"
    "<main><h1>Välkommen till kommunen</h1><p>Här hittar du service för dig som bor här.</p>"
    "<a href='/skola.html'>Skola</a></main></body></html>"
)


def _src(*urls: str, sid: str = "t", **kw) -> Source:
    kw.setdefault("rate_per_s", 50)
    return Source(sid, "Testkommun", "kommun", None, tuple(urls), **kw)


def _fetcher() -> PoliteFetcher:
    return PoliteFetcher(default_interval=0.02, timeout=1.0, retries=1, backoff=0.02)


def _feed_site(root: Path) -> Path:
    """A root page that names its news feed only in <link rel="alternate">; slugs carry no dates."""
    root.mkdir()
    (root / "index.html").write_text(
        "<html><head><title>Start</title><link rel='alternate' type='application/rss+xml' href='/flode.xml'>"
        "</head><body><main><h1>Start</h1></main></body></html>", encoding="utf-8")
    items = [("trygghetsvandring-i-hamnen-i-kvall", "Tue, 05 Mar 2024 09:00:00 +0100"),
             ("nya-nattvandrare-soks-till-hosten", "Mon, 12 Feb 2024 08:30:00 +0100"),
             ("kommunen-och-polisen-ses-i-radhuset", "Fri, 17 Nov 2023 13:00:00 +0100")]
    body = "".join(f"<item><title>Nyhet</title><link>{{{{BASE}}}}/aktuellt/{slug}</link><pubDate>{d}</pubDate></item>"
                   for slug, d in items)
    (root / "flode.xml").write_text(f"<?xml version='1.0'?><rss version='2.0'><channel><title>Nyheter</title>{body}"
                                    "</channel></rss>", encoding="utf-8")
    return root


def _sitemap_site(root: Path) -> Path:
    """Only robots.txt -> sitemap.xml points to the news; the root page links to none of it."""
    root.mkdir()
    (root / "index.html").write_text(PLAIN_ROOT, encoding="utf-8")
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /intern/\nSitemap: {{BASE}}/sitemap.xml\n", encoding="utf-8")
    urls = [("/nyheter/ny-belysning-langs-cykelvagen-klar", "2024-04-02"),
            ("/nyheter/samverkan-mot-klotter-i-centrum", "2023-09-14T10:00:00+02:00"),
            ("/nyheter/ungdomsrad-om-trygghet-i-skolan", "2022-05-30"),
            ("/nyheter/kommunen-tecknar-avtal-med-polisen", None),
            ("/omsorg.html", "2021-01-01")]
    rows = "".join(f"<url><loc>{{{{BASE}}}}{u}</loc>" + (f"<lastmod>{d}</lastmod>" if d else "") + "</url>"
                   for u, d in urls)
    (root / "sitemap.xml").write_text(
        f"<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>{rows}</urlset>",
        encoding="utf-8")
    return root


def test_feed_found_from_the_root_gives_years_from_pubdate(tmp_path: Path) -> None:
    with SiteServer(_feed_site(tmp_path / "site")) as srv, _fetcher() as f:
        check = check_source(_src(srv.url("/")), f)
    assert check.verdict == "ok" and check.ok and check.hint == HINTS["ok"]
    assert check.feeds == [srv.url("/flode.xml")] and check.sitemaps == [] and check.n_articles == 3
    assert check.per_year == {"2024": 2, "2023": 1} and check.via == {"feed": 3}
    assert check.hosts == {srv.host: 3} and check.other_hosts == [] and check.failures == []
    assert check.n_requests == 2  # the root page and the feed; no article page is fetched
    assert not any(r.path.startswith("/aktuellt/") for r in srv.log)


def test_sitemap_only_site_is_ok_with_lastmod_years_and_unknown(tmp_path: Path) -> None:
    with SiteServer(_sitemap_site(tmp_path / "site")) as srv, _fetcher() as f:
        check = check_source(_src(srv.url("/")), f)
    assert check.verdict == "ok", check.to_dict()
    assert check.sitemaps == [srv.url("/sitemap.xml")] and check.feeds == [] and check.news_listings == []
    assert check.n_articles == 4 and check.via == {"sitemap": 4}
    assert check.per_year == {"2024": 1, "2023": 1, "2022": 1, "unknown": 1}
    assert list(check.per_year) == ["2024", "2023", "2022", "unknown"]


def test_site_without_news_says_set_a_start_url(tmp_path: Path) -> None:
    with SiteServer(None) as srv, _fetcher() as f:
        srv.script("/", Reply(200, PLAIN_ROOT))
        check = check_source(_src(srv.url("/")), f)
    assert check.verdict == "no_news" and not check.ok and not check.found_news
    assert check.hint == "no news found: set a news start URL"
    assert check.listing_pages == [srv.url("/")] and check.news_listings == [] and check.per_year == {}
    assert "set a news start URL" in table_row(check.to_dict(), 10)


def test_start_page_teasers_only_says_check_pagination() -> None:
    page = ("<html><body><main><h1>Start</h1><ul>"
            "<li><a href='/nyheter/2024/ny-fritidsgard-oppnar-i-hamnen'>Fritidsgård</a></li>"
            "<li><a href='/nyheter/2023/kommun-och-polis-traffas-pa-torget'>Möte</a></li></ul></main></body></html>")
    with SiteServer(None) as srv, _fetcher() as f:
        srv.script("/", Reply(200, page))
        check = check_source(_src(srv.url("/")), f)
    assert check.verdict == "teasers" and check.hint == "only the start page's teasers: check pagination"
    assert check.n_articles == 2 and check.via == {"listing": 2} and check.per_year == {"2024": 1, "2023": 1}


def test_paginated_listing_is_ok_and_bounded_by_the_check_caps() -> None:
    with SiteServer("episerver") as srv, _fetcher() as f:
        full = check_source(_src(srv.url("/nyheter/")), f)
        capped = check_source(_src(srv.url("/nyheter/"), sid="capped"), f, max_listing_pages=1)
        budget = check_source(_src(srv.url("/nyheter/"), sid="budget"), f, max_requests=2)
    assert full.verdict == "ok" and len(full.news_listings) == 3 and full.n_articles == 8
    assert full.per_year == {"2024": 5, "2023": 3}
    assert capped.listing_pages == [srv.url("/nyheter/")] and capped.verdict == "teasers"
    assert budget.n_requests == 2 and len(budget.listing_pages) == 2
    assert any("check budget of 2 requests" in s for s in budget.skipped)
    assert "check budget used up" in table_row(budget.to_dict(), 10)
    assert "budget" not in table_row(full.to_dict(), 10) and "--" not in table_row(full.to_dict(), 10)


def test_news_on_another_host_is_flagged(tmp_path: Path) -> None:
    with SiteServer(None) as news, SiteServer(None) as main, _fetcher() as f:
        links = "".join(f"<li><a href='{news.url('/nyheter/' + s)}'>x</a></li>"
                        for s in ("trygg-sommar-i-parkerna", "nytt-avtal-mot-valdsbrott-tecknat"))
        main.script("/nyheter", Reply(200, f"<html><body><main><ul>{links}</ul>"
                                           f"<a rel='next' href='/nyheter?sida=2'>Nästa</a></main></body></html>"))
        main.script("/nyheter?sida=2", Reply(200, "<html><body><main><p>Inga fler.</p></main></body></html>"))
        check = check_source(_src(main.url("/nyheter"), extra_hosts=(news.host,)), f)
    assert check.verdict == "ok" and check.hosts == {news.host: 2} and check.other_hosts == [news.host]
    assert "news also on " + news.host in table_row(check.to_dict(), 10)


def test_start_url_redirecting_to_another_host_names_that_host() -> None:
    with SiteServer("episerver") as news, SiteServer(None) as main, _fetcher() as f:
        main.script("/", Reply(301, "", headers={"Location": news.url("/nyheter/")}))
        check = check_source(_src(main.url("/")), f)
        fixed = check_source(_src(main.url("/"), extra_hosts=(news.host,)), f)
    assert check.verdict == "off_host" and check.n_articles == 0 and news.host in check.hint
    assert check.hint.startswith("the start URL redirects to another host")
    assert fixed.verdict == "ok" and fixed.n_articles == 8 and fixed.other_hosts == [news.host]


def test_root_whose_news_link_leads_to_another_host_names_that_host() -> None:
    """Göteborg-style: the root's "Nyheter" goes to a news site on its own host."""
    with SiteServer("episerver") as news, SiteServer(None) as main, _fetcher() as f:
        main.script("/", Reply(200, "<html><body><nav><a href='/skola/'>Skola</a>"
                                    f"<a href='{news.url('/nyheter/')}'>Nyheter</a></nav>"
                                    "<main><h1>Välkommen</h1></main></body></html>"))
        check = check_source(_src(main.url("/")), f)
        fixed = check_source(_src(main.url("/"), extra_hosts=(news.host,)), f)
    assert check.verdict == "off_host" and check.n_articles == 0
    assert check.hint.startswith("the news links lead to another host") and f'hosts = ["{news.host}"]' in check.hint
    assert fixed.verdict == "ok" and fixed.n_articles == 8 and fixed.other_hosts == [news.host]


def test_one_failing_start_url_is_noted_without_spoiling_the_verdict() -> None:
    with SiteServer("episerver") as srv, _fetcher() as f:
        check = check_source(_src(srv.url("/nyheter/"), srv.url("/finns-inte/")), f)
    assert check.verdict == "ok" and len(check.failures) == 1 and "HTTP 404" in check.failures[0]
    assert table_row(check.to_dict(), 10).endswith("-- 1 failed (see --json)")


def test_robots_disallowing_the_start_url() -> None:
    with SiteServer(None) as srv, _fetcher() as f:
        srv.script("/robots.txt", Reply(200, "User-agent: *\nDisallow: /\n", content_type="text/plain"))
        srv.script("/", Reply(200, PLAIN_ROOT))
        check = check_source(_src(srv.url("/")), f)
        assert [r.path for r in srv.log] == ["/robots.txt"]
    assert check.verdict == "robots" and check.hint.startswith("robots.txt disallows")


def test_unreachable_host(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    with _fetcher() as f:
        check = check_source(_src(f"http://127.0.0.1:{port}/"), f)
    assert check.verdict == "unreachable" and check.hint.startswith("site unreachable")
    assert check.failures and str(port) in check.hint and check.n_articles == 0
    assert not (tmp_path / "raw").exists() or list(RawStore(tmp_path / "raw").iter_records()) == []


@pytest.mark.parametrize(
    ("lastmod", "url", "year"),
    [
        ("Tue, 05 Mar 2024 09:00:00 +0100", "https://x.se/a", "2024"),
        ("2023-09-14T10:00:00+02:00", "https://x.se/a", "2023"),
        ("2022-05", "https://x.se/a", "2022"),
        (None, "https://x.se/2021/06/10/slug/", "2021"),
        (None, "https://x.se/nyheter/nyheter-2024/2023-03-15-slug.html", "2023"),
        (None, "https://x.se/nyheter/2023-13-45-slug.html", "unknown"),
        ("inte ett datum", "https://x.se/nyheter/slug.5.1a2b.html", "unknown"),
        (None, "https://x.se/nyheter/slug-3782.html", "unknown"),
    ],
)
def test_year_of(lastmod: str | None, url: str, year: str) -> None:
    assert year_of(lastmod, url) == year


def test_per_year_orders_newest_first_and_unknown_last() -> None:
    cands = [Candidate(u, u, "sitemap", m) for u, m in
             [("https://x.se/a", None), ("https://x.se/b", "2022-01-01"), ("https://x.se/c", "2024-01-01"),
              ("https://x.se/d", "2024-02-01")]]
    assert list(per_year(cands).items()) == [("2024", 2), ("2022", 1), ("unknown", 1)]


def test_summary_counts_verdicts_and_registry_coverage() -> None:
    registry = [Source("a", "A", "kommun", "1441", ("https://a.se/",), verified="stored page"),
                Source("b", "B", "kommun", "1440", ("https://b.se/",)),
                Source("c", "C", "newspaper", None, ("https://c.se/",), verified="stored page")]
    checks = [{"source_id": "a", "verdict": "ok"}, {"source_id": "b", "verdict": "no_news"},
              {"source_id": "c", "verdict": "unreachable"}]
    lines = summary_lines(checks, registry)
    assert lines[0] == "checked 3 source(s): 1 ok, 2 need a look (no news 1, unreachable 1)"
    assert lines[1] == "need a hand-set news start URL (1): b"
    assert lines[2] == "blocked or unreachable (1): c"
    assert lines[3] == "registry coverage: 2 of 3 entries have a verified start URL (1 of 2 kommuner)"
    police = [Source("p", "Polisen", "agency", None, ("https://polisen.se/",), verified="stored page")]
    assert summary_lines([], police)[-1] == "registry coverage: 1 of 1 entries have a verified start URL"
