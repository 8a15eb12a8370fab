import threading
from pathlib import Path

import pytest

from pipeline.crawl.fetch import PoliteFetcher
from pipeline.crawl.source import check_source, crawl_source
from pipeline.crawl.sources import Source
from pipeline.crawl.state import CrawlState
from pipeline.raw.store import RawStore
from tests.support.server import Reply, SiteServer, min_gap, overlapping


def _src(srv, *paths, sid="t", **kw):
    kw.setdefault("rate_per_s", 50)
    return Source(sid, "Test", "kommun", None, tuple(srv.url(p) for p in paths), **kw)


def _fetcher(**kw):
    opts = {"default_interval": 0.02, "timeout": 1.0, "retries": 2, "backoff": 0.02}
    opts.update(kw)
    return PoliteFetcher(**opts)


@pytest.fixture
def data(tmp_path: Path):
    store = RawStore(tmp_path / "raw")
    state = CrawlState(tmp_path / "state" / "crawl.sqlite")
    yield store, state, tmp_path
    state.close()


def test_sitevision_crawl_archives_articles_and_respects_robots(data):
    store, state, _ = data
    with SiteServer("sitevision") as srv, _fetcher() as f:
        rep = crawl_source(_src(srv, "/nyheter.html"), store, state, f)
        # 3 news + the standing page "Trygghet och säkerhet" (a topic page in the sitemap) + the draft
        assert rep.n_discovered == 5 and rep.n_fetched == 4 and len(rep.raw_ids) == 4
        assert rep.n_skipped == 1 and rep.n_failed == 0, rep.errors  # /intern/ is disallowed by robots.txt
        paths = [r.path for r in srv.log]
        assert not any(p.startswith("/intern/") or p.endswith(".pdf") for p in paths)
    rec = store.get(rep.raw_ids[0])
    assert rec.source_id == "t" and rec.status == 200 and rec.headers["etag"]
    assert b"<h1>" in rec.body() and rec.fetched_at.tzinfo is not None
    assert store.latest_for_url(rec.url).raw_id == rec.raw_id


@pytest.mark.parametrize(
    ("site", "start", "n_articles"),
    [("sitevision", "/nyheter.html", 4), ("municipio", "/nyheter/", 3), ("episerver", "/nyheter/", 8),
     ("newsroom", "/pressreleases", 3), ("newspaper", "/nyheter/", 4)],
)
def test_second_crawl_of_unchanged_site_downloads_no_article(data, site, start, n_articles):
    store, state, _ = data
    with SiteServer(site) as srv:
        with _fetcher() as f:
            first = crawl_source(_src(srv, start), store, state, f)
        assert first.n_fetched == n_articles and first.n_failed == 0, first.errors
        srv.clear_log()
        with _fetcher() as f:  # a new night: new fetcher, same state
            second = crawl_source(_src(srv, start), store, state, f)
        assert second.raw_ids == [] and second.n_fetched == 0 and second.n_failed == 0
        assert second.n_unchanged >= 1
        for req in srv.log:  # sitemap indexes too: a 304 re-reads the stored body, children included
            if req.path == "/robots.txt":
                continue
            assert req.status == 304 and "if-none-match" in req.headers, req
        # a 304 re-reads the links of the page's stored body; they are all archived: nothing new
        assert second.n_discovered == 0
    assert len(list(store.iter_records())) == n_articles


def test_same_article_with_and_without_utm_fetched_once(data):
    store, state, _ = data
    with SiteServer("newsroom") as srv, _fetcher() as f:
        rep = crawl_source(_src(srv, "/pressreleases"), store, state, f)
        article_reqs = [r.path for r in srv.log if "-33" in r.path]
    assert rep.n_fetched == 3
    assert len(article_reqs) == 3, article_reqs
    assert len({p.split("?")[0] for p in article_reqs}) == 3  # each article once, with or without utm_*
    assert len(state.counts("t")) and sum(1 for _ in state.iter_source("t", kind="article")) == 3


def test_faults_are_counted_not_raised(data):
    store, state, _ = data
    with SiteServer() as srv, SiteServer() as other, _fetcher(max_bytes=50_000, timeout=0.4, retries=1) as f:
        links = {
            "/nyheter/2024/forst-503-sedan-svar": [Reply(503, "upptagen"), Reply(200, "<html><h1>Nu</h1></html>")],
            "/nyheter/2024/for-manga-anrop-429": [Reply(429, "", {"Retry-After": "0"}), Reply(200, "<h1>ok</h1>")],
            "/nyheter/2024/omdirigeras-till-annan-vard": [Reply(302, "", {"Location": other.url("/x")})],
            "/nyheter/2024/en-mycket-stor-sida": [Reply(200, chunked_size=400_000)],
            "/nyheter/2024/en-mycket-langsam-sida": [Reply(200, "sent", delay=1.0)],
            "/nyheter/2024/trasig-html-men-sparas": [Reply(200, b"<html><body><p>ej avslutad <div")],
            "/nyheter/2024/rapport-som-pdf-fil": [Reply(200, b"%PDF-1.4", content_type="application/pdf")],
            "/nyheter/2024/../../../../etc/passwd-som-slug": [Reply(200, "<h1>dot</h1>")],
        }
        for path, replies in links.items():
            srv.script(path, *replies)
        srv.script("/etc/passwd-som-slug", Reply(200, "<h1>resolved inside the site</h1>"))
        listing = "".join(f'<li><a href="{p}">{p}</a></li>' for p in links)
        srv.script("/nyheter/", Reply(200, f"<html><body><ul>{listing}</ul></body></html>"))
        rep = crawl_source(_src(srv, "/nyheter/"), store, state, f)
    assert rep.n_discovered == 8
    assert rep.n_fetched == 4  # 503→200, 429→200, malformed HTML kept as raw bytes, the ../ slug (resolved)
    assert rep.n_skipped == 2  # oversized, PDF by Content-Type
    assert rep.n_failed == 2  # off-host redirect, timeout
    errors = "\n".join(rep.errors)
    assert other.host in errors and "timeout" in errors
    assert other.log == []
    raw_root = data[2] / "raw"
    for p in data[2].rglob("*"):
        assert p.is_dir() or raw_root in p.parents or p.parent.name == "state", p
    assert not (data[2] / "etc").exists()


def test_unreachable_source_reports_errors(data):
    store, state, _ = data
    with SiteServer() as srv:
        src = _src(srv, "/nyheter/")
    with _fetcher(retries=0) as f:
        rep = crawl_source(src, store, state, f)
    assert rep.n_failed >= 1 and rep.raw_ids == [] and rep.errors


def test_pagination_stops_at_a_page_of_known_articles(data):
    store, state, _ = data
    with SiteServer("episerver") as srv:
        with _fetcher() as f:
            assert crawl_source(_src(srv, "/nyheter/"), store, state, f).n_fetched == 8
        page1 = (srv.site_dir / "nyheter" / "index.html").read_text().replace("{{BASE}}", srv.base)
        page1 = page1.replace('<ul class="news-list">',
                              '<ul class="news-list"><li><a href="/nyheter/2024/helt-ny-nyhet-om-samverkan/">Ny</a></li>')
        srv.script("/nyheter/", Reply(200, page1))
        srv.script("/nyheter/2024/helt-ny-nyhet-om-samverkan/", Reply(200, "<html><h1>Ny</h1></html>"))
        srv.clear_log()
        with _fetcher() as f:
            rep = crawl_source(_src(srv, "/nyheter/"), store, state, f)
        paths = [r.path for r in srv.log]
    assert rep.n_fetched == 1
    assert "/nyheter/?page=2" in paths and "/nyheter/?page=3" not in paths


def test_refetch_uses_validators_and_keeps_raw_write_once(data):
    store, state, _ = data
    with SiteServer("municipio") as srv:
        with _fetcher() as f:
            crawl_source(_src(srv, "/nyheter/"), store, state, f)
        with _fetcher() as f:
            rep = crawl_source(_src(srv, "/nyheter/"), store, state, f, refetch=True)
    assert rep.n_fetched == 0 and rep.raw_ids == [] and rep.n_unchanged >= 3
    assert len(list(store.iter_records())) == 3


def test_two_sources_in_parallel_stay_polite(data):
    store, state, _ = data
    interval = 0.1
    with SiteServer("episerver") as a, SiteServer("newspaper") as b, _fetcher() as f:
        sources = [_src(a, "/nyheter/", sid="a", rate_per_s=1 / interval), _src(b, "/nyheter/", sid="b", rate_per_s=1 / interval)]
        reports = {}
        threads = [threading.Thread(target=lambda s=s: reports.__setitem__(s.id, crawl_source(s, store, state, f)))
                   for s in sources]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert reports["a"].n_fetched == 8 and reports["b"].n_fetched == 4
        for srv in (a, b):
            assert overlapping(srv.log) == []
            assert min_gap(srv.log) >= interval - 0.01
        assert min(r.started for r in b.log) < max(r.started for r in a.log)  # crawled at the same time


def test_check_source_reports_without_archiving(data, tmp_path):
    with SiteServer("municipio") as srv, _fetcher() as f:
        check = check_source(_src(srv, "/nyheter/"), f)
    assert check.ok and check.n_articles == 3 and len(check.feeds) == 1 and len(check.sitemaps) == 3
    assert check.failures == []
    assert not (tmp_path / "raw").exists() or list(RawStore(tmp_path / "raw").iter_records()) == []


def test_sitemap_lastmod_change_refetches_only_that_article(data):
    store, state, _ = data
    with SiteServer("municipio") as srv:
        start = "/wp-sitemap.xml"
        with _fetcher() as f:
            first = crawl_source(_src(srv, start), store, state, f)
        assert first.n_fetched == 3
        sm = (srv.site_dir / "wp-sitemap-posts-post-1.xml").read_text().replace("{{BASE}}", srv.base)
        changed = "/2024/01/fler-trygghetskameror-vid-resecentrum/"
        sm = sm.replace(f"{changed}</loc><lastmod>2024-01-15", f"{changed}</loc><lastmod>2024-06-01")
        srv.script("/wp-sitemap-posts-post-1.xml", Reply(200, sm, content_type="application/xml"))
        page = "<html><body><article><h1>Uppdaterad</h1></article></body></html>"
        srv.script(changed, Reply(200, page))
        srv.clear_log()
        with _fetcher() as f:
            second = crawl_source(_src(srv, start), store, state, f)
        article_reqs = [r.path for r in srv.log if r.path.startswith("/20")]
    assert article_reqs == [changed]
    assert second.n_fetched == 1 and store.get(second.raw_ids[0]).body() == page.encode()
