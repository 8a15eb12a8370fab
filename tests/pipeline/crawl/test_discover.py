import gzip
import time

import pytest

from pipeline.crawl.discover import (
    DiscoveryParseError,
    decompress,
    discover_source,
    looks_like_article_url,
    parse_feed,
    parse_listing,
    parse_sitemap,
    sniff,
)
from pipeline.crawl.fetch import PoliteFetcher
from pipeline.crawl.sources import Source
from tests.support.server import SITES_DIR, Reply, SiteServer


def _src(srv, *paths, **kw):
    return Source("t", "Test", "kommun", None, tuple(srv.url(p) for p in paths), rate_per_s=50, **kw)


@pytest.fixture
def fetcher():
    with PoliteFetcher(default_interval=0.02, timeout=2, retries=1, backoff=0.02) as f:
        yield f


def test_sniff_by_content_not_extension():
    assert sniff(b'<?xml version="1.0"?>\n<rss version="2.0"><channel/></rss>') == "feed"
    assert sniff(b'<feed xmlns="http://www.w3.org/2005/Atom"></feed>') == "feed"
    assert sniff(b"\xef\xbb\xbf<?xml version='1.0'?><!-- c --><sitemapindex/>") == "sitemapindex"
    assert sniff(b"<urlset></urlset>") == "sitemap"
    assert sniff(b"<!DOCTYPE html><html><body></body></html>") == "html"
    assert sniff(b"%PDF-1.4") == "unknown"


def test_parse_feed_rss_and_atom():
    rss = b"""<rss><channel><item><link>/a</link></item><item><guid>https://x.se/b</guid></item>
    <item><guid isPermaLink="false">123</guid></item></channel></rss>"""
    assert [e.url for e in parse_feed(rss, "https://x.se/feed")] == ["https://x.se/a", "https://x.se/b"]
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="self" href="/self"/>
    <link href="https://x.se/c"/><updated>2024-01-02</updated></entry></feed>"""
    [e] = parse_feed(atom, "https://x.se/")
    assert e.url == "https://x.se/c" and e.lastmod == "2024-01-02"


def test_entity_bomb_and_external_entities_blocked_fast():
    for name in ("bomb.xml", "external.xml"):
        body = (SITES_DIR / "faults" / name).read_bytes()
        t0 = time.monotonic()
        with pytest.raises(DiscoveryParseError, match="unsafe XML"):
            parse_sitemap(body)
        assert time.monotonic() - t0 < 1.0


def test_malformed_xml_and_gzip_bomb():
    with pytest.raises(DiscoveryParseError, match="malformed XML"):
        parse_sitemap((SITES_DIR / "faults" / "broken.xml").read_bytes())
    bomb = gzip.compress(b"\0" * 5_000_000)
    with pytest.raises(DiscoveryParseError, match="expands beyond"):
        decompress(bomb, limit=1_000_000)
    assert decompress(gzip.compress(b"<urlset/>")) == b"<urlset/>"
    with pytest.raises(DiscoveryParseError):
        parse_listing(b"   ", "https://x.se/", Source("x", "X", "kommun", None, ("https://x.se/",)))


def test_article_urls_vs_navigation():
    assert looks_like_article_url("https://x.se/nyheter/2024/samverkan-mot-valfardsbrott-inleds/")
    assert looks_like_article_url("https://x.se/pressreleases/oeverenskommelse-med-polisen-3311001")
    assert not looks_like_article_url("https://x.se/nyheter/")
    assert not looks_like_article_url("https://x.se/kontakt")
    assert not looks_like_article_url("https://x.se/om-kommunen/")


def test_newspaper_listing_ignores_cookie_banner_nav_and_sidebar():
    body = (SITES_DIR / "newspaper" / "nyheter" / "index.html").read_bytes()
    src = Source("np", "NP", "newspaper", None, ("https://tidning.example/nyheter/",))
    page = parse_listing(body, "https://tidning.example/nyheter/", src)
    assert page.article_links == [
        "https://tidning.example/nyheter/2024-05-12/polisen-och-kommunen-startar-trygghetsgrupp",
        "https://tidning.example/nyheter/2024-05-10/ny-strategi-mot-narkotika-i-skolorna",
    ]
    assert page.next_pages == ["https://tidning.example/nyheter/?sida=2"]


def test_article_pattern_overrides_heuristics():
    body = (SITES_DIR / "episerver" / "nyheter" / "index.html").read_bytes()
    src = Source("ep", "EP", "kommun", None, ("https://k.example/nyheter/",), article_pattern=r"^/nyheter/2024/nattvand")
    page = parse_listing(body, "https://k.example/nyheter/", src)
    assert page.article_links == ["https://k.example/nyheter/2024/nattvandrare-sokes-till-helgerna/"]


@pytest.mark.parametrize(
    ("site", "start", "n", "feeds", "sitemaps", "listings"),
    [
        # 3 news + 1 robots-disallowed draft + the standing page "Trygghet och säkerhet"; PDF left out
        ("sitevision", "/nyheter.html", 5, 1, 2, 1),
        ("municipio", "/nyheter/", 3, 1, 3, 1),
        ("episerver", "/nyheter/", 8, 0, 0, 3),
        ("newsroom", "/pressreleases", 3, 1, 0, 1),
        ("newspaper", "/nyheter/", 4, 0, 0, 2),
    ],
)
def test_discovery_per_cms_family(fetcher, site, start, n, feeds, sitemaps, listings):
    with SiteServer(site) as srv:
        found = discover_source(_src(srv, start), fetcher)
        assert found.errors == []
        assert len(found.articles) == n, sorted(found.articles)
        assert (len(found.feeds), len(found.sitemaps), len(found.listings)) == (feeds, sitemaps, listings)
        assert not any(u.endswith(".pdf") for u in found.articles)
        assert not any("utm_" in u for u in found.articles)
        paths = [r.path for r in srv.log]
        assert not any(p.endswith(".pdf") for p in paths)


def test_gz_sitemap_from_robots_and_feed_from_link_alternate(fetcher):
    with SiteServer("sitevision") as srv:
        found = discover_source(_src(srv, "/nyheter.html"), fetcher)
        assert srv.url("/sitemap1.xml.gz") in found.sitemaps
        assert any("state=rss" in f for f in found.feeds)
        via = {c.via for c in found.articles.values()}
        assert {"listing"} <= via


def test_max_pages_limits_listing_pages(fetcher):
    with SiteServer("episerver") as srv:
        found = discover_source(_src(srv, "/nyheter/", max_pages=2), fetcher)
        assert len(found.listings) == 2 and len(found.articles) == 6


def test_malformed_documents_are_errors_not_crashes(fetcher):
    with SiteServer("faults") as srv:
        srv.script("/trasig.html", Reply(200, b"\x00\xff<html><body><a href='/nyheter/x-y-z-och-mer'>x</a"))
        srv.script("/tom", Reply(200, b"", content_type="text/html"))
        found = discover_source(_src(srv, "/bomb.xml", "/broken.xml", "/external.xml", "/trasig.html", "/tom"), fetcher)
        errors = "\n".join(found.errors)
        assert "bomb.xml: unsafe XML" in errors
        assert "external.xml: unsafe XML" in errors
        assert "broken.xml: malformed XML" in errors
        assert "/tom" in errors
        assert not any("lol" in u or "passwd" in u for u in found.articles)


def test_start_url_that_is_an_article_becomes_a_candidate(fetcher):
    with SiteServer("municipio") as srv:
        path = "/2024/01/fler-trygghetskameror-vid-resecentrum/"
        found = discover_source(_src(srv, path), fetcher)
        assert srv.url(path) in [c.url for c in found.articles.values()]
        assert found.listings == []


def test_since_drops_a_candidate_whose_date_turns_up_later() -> None:
    from datetime import date

    from pipeline.crawl.discover import DiscoveryResult

    found = DiscoveryResult("x", since=date(2025, 1, 1))
    assert found.add("https://k.se/nyheter/ny-plan-mot-brott/", "listing", None)  # undated: kept for now
    assert not found.add("https://k.se/nyheter/ny-plan-mot-brott/", "sitemap", "2023-05-02")  # old: dropped
    assert not found.add("https://k.se/nyheter/ny-plan-mot-brott/", "feed", None)  # and stays out
    assert found.add("https://k.se/nyheter/2025-02-01-nytt-rad/", "listing", None)
    assert not found.add("https://k.se/nyheter/2024-12-31-gammalt/", "listing", "2026-01-01")  # URL date wins
    assert [c.url for c in found.articles.values()] == ["https://k.se/nyheter/2025-02-01-nytt-rad/"]
    assert found.n_too_old == 2


@pytest.mark.parametrize("with_sitemap", [True, False])
def test_news_listing_in_navigation_is_read_only_without_a_sitemap_of_news(with_sitemap, fetcher):
    """A sitemap lists every article: the "Nyheter" listing would only cost requests every night. Without
    one, the listing is where the news is."""
    with SiteServer(None) as srv:
        root = ("<html><body><nav><a href='/nyheter/'>Nyheter</a><a href='/skola/'>Skola</a></nav>"
                "<main><h1>Välkommen</h1></main></body></html>")
        listing = ("<html><body><main><ul><li><a href='/nyheter/ny-plan-mot-klotter-i-centrum/'>Ny plan</a></li>"
                   "</ul></main></body></html>")
        urlset = ("<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
                  f"<url><loc>{srv.url('/nyheter/2025-05-02-trygghetsvandring-i-parken/')}</loc></url></urlset>")
        srv.script("/", Reply(200, root))
        srv.script("/nyheter/", Reply(200, listing))
        srv.script("/robots.txt", Reply(200, f"User-agent: *\nSitemap: {srv.url('/sitemap.xml')}\n" if with_sitemap else ""))
        srv.script("/sitemap.xml", Reply(200, urlset, headers={"Content-Type": "application/xml"}))
        res = discover_source(_src(srv, "/"), fetcher)
        requested = [r.path for r in srv.log]
    assert ("/nyheter/" in requested) is not with_sitemap
    found = {u.rstrip("/").rsplit("/", 1)[-1] for u in res.articles}
    assert found == ({"2025-05-02-trygghetsvandring-i-parken"} if with_sitemap else {"ny-plan-mot-klotter-i-centrum"})
