"""Discovery from a kommun's ROOT URL alone on real CMS patterns (issue 16): Sitevision, Municipio,
EPiServer and news on another host. All articles and standing pages are stored; no listing, section
or feed page is; sitemap junk is never requested; ``since`` and ``max_articles`` bound the first night.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pipeline.config import Paths, resolve_data_dir
from pipeline.crawl.discover import MAX_ARCHIVE_VIEWS, discover_source
from pipeline.crawl.fetch import PoliteFetcher
from pipeline.crawl.source import CrawlReport, crawl_source
from pipeline.crawl.sources import Source
from pipeline.crawl.state import CrawlState
from pipeline.raw.store import RawStore
from pipeline.run import jobs
from pipeline.tables.store import Store
from pipeline.urls import canonicalize
from tests.support.server import SiteServer
from tests.support.sites.cms import CmsSite, build_episerver, build_municipio, build_other_host, build_sitevision

Builder = Callable[[Path, str], CmsSite]
BUILDERS: dict[str, Builder] = {"sitevision": build_sitevision, "municipio": build_municipio, "episerver": build_episerver}


def _fetcher() -> PoliteFetcher:
    return PoliteFetcher(default_interval=0.0, timeout=2.0, retries=1, backoff=0.01)


class Crawled:
    """One crawl of a built site from its root."""

    def __init__(self, tmp: Path, name: str, **kw: Any) -> None:
        self.site_dir = tmp / "site"
        self.site_dir.mkdir(parents=True)
        self.store = RawStore(tmp / "raw")
        self.state = CrawlState(tmp / "state.sqlite")
        self.name, self.kw = name, kw

    def run(self, **crawl_kw: Any) -> Crawled:
        with SiteServer(self.site_dir) as srv:
            if self.name == "other_host":
                other = f"http://localhost:{srv.port}"
                self.site = build_other_host(self.site_dir, srv.base, other)
                self.bases = (srv.base, other)
            else:
                self.site = BUILDERS[self.name](self.site_dir, srv.base)
                self.bases = (srv.base,)
            src = Source(self.name, "Testkommun", "kommun", None, (srv.url(self.site.root),), rate_per_s=100,
                         extra_hosts=self.site.hosts, **self.kw)
            with _fetcher() as f:
                self.report: CrawlReport = crawl_source(src, self.store, self.state, f, **crawl_kw)
            self.requested = [r.path for r in srv.log]
        self.stored = {_path(r.url) for r in self.store.iter_records()}
        return self

    def close(self) -> None:
        self.state.close()


def _path(url: str) -> str:
    rest = url.split("://", 1)[1]
    return "/" + rest.split("/", 1)[1] if "/" in rest else "/"


@pytest.fixture
def crawl(tmp_path: Path) -> Iterator[Callable[..., Crawled]]:
    made: list[Crawled] = []

    def make(name: str, **kw: Any) -> Crawled:
        c = Crawled(tmp_path / f"{name}{len(made)}", name, **kw)
        made.append(c)
        return c

    yield make
    for c in made:
        c.close()


@pytest.mark.parametrize("name", ["sitevision", "municipio", "episerver", "other_host"])
def test_from_the_root_every_article_and_standing_page_is_stored_and_nothing_else(crawl, name):
    c = crawl(name).run()
    site = c.site
    assert c.report.n_failed == 0, c.report.errors
    want = set(site.articles) | set(site.standing)
    assert want - c.stored == set(), f"missed: {sorted(want - c.stored)}"
    assert c.stored - want == set(), f"stored non-articles: {sorted(c.stored - want)}"
    assert not set(site.non_articles) & c.stored
    junk = set(site.junk)
    assert not [p for p in c.requested if p in junk], "sitemap junk was requested"


def test_sitevision_page_only_in_a_sitemap_child_and_feed_from_link_alternate(crawl):
    c = crawl("sitevision").run()
    assert any("state=rss" in p for p in c.requested)
    assert ".5." in c.site.hidden and c.site.hidden in c.stored
    assert sum(1 for p in c.requested if p.startswith("/nyhetsarkiv.html?start=")) <= 3


def test_archive_filter_views_are_capped(tmp_path: Path):
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    with SiteServer(site_dir) as srv:
        build_sitevision(site_dir, srv.base)
        (site_dir / "robots.txt").write_text("User-agent: *\nDisallow:\n", encoding="utf-8")  # no sitemap
        src = Source("sv", "Testkommun", "kommun", None, (srv.url("/nyhetsarkiv.html"),), rate_per_s=100)
        with _fetcher() as f:
            found = discover_source(src, f)
        views = [p for p in (r.path for r in srv.log) if p.startswith("/nyhetsarkiv.html?start=")]
    assert len(views) == MAX_ARCHIVE_VIEWS < 6  # six year views are linked, three are read
    assert any("filtered views" in s for s in found.skipped)


@pytest.mark.parametrize("name", ["sitevision", "municipio", "other_host"])
def test_since_leaves_out_older_articles(crawl, name):
    since = date(2024, 1, 1)
    c = crawl(name).run(since=since)
    new = {p for p, d in c.site.articles.items() if d >= since}
    old = set(c.site.articles) - new
    assert new and old
    assert new <= c.stored
    assert not old & c.stored, sorted(old & c.stored)
    assert not [p for p in c.requested if p in old], "an article older than since was requested"
    assert c.report.n_too_old >= 1


def test_max_articles_caps_the_first_night_newest_first(crawl):
    c = crawl("municipio", max_articles=5).run()
    assert c.report.n_fetched == 5
    newest = sorted(c.site.articles, key=lambda p: c.site.articles[p], reverse=True)[:5]
    assert c.stored == set(newest)


def test_max_articles_must_be_a_positive_integer():
    from pipeline.crawl.sources import parse_sources
    from pipeline.errors import SourcesError

    text = '[[source]]\nid = "k"\nname = "K"\nkind = "kommun"\nstart_urls = ["https://k.example/"]\nmax_articles = 0\n'
    with pytest.raises(SourcesError, match="max_articles"):
        parse_sources(text)
    ok = parse_sources(text.replace("max_articles = 0", "max_articles = 40"))[0]
    assert ok.max_articles == 40 and replace(ok, max_articles=500).max_articles == 500


def test_through_to_parquet_articles_are_the_news_and_standing_pages(tmp_path: Path):
    paths: Paths = resolve_data_dir(tmp_path / "data").ensure()
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    with SiteServer(site_dir) as srv:
        site = build_sitevision(site_dir, srv.base)
        src = Source("sv", "Testkommun", "kommun", "1441", (srv.url("/"),), rate_per_s=100)
        state = CrawlState(paths.state / "crawl.sqlite")
        try:
            with _fetcher() as f:
                rep = crawl_source(src, RawStore(paths.raw), state, f)
        finally:
            state.close()
        base = srv.base
    assert rep.n_fetched == len(site.articles) + len(site.standing)
    staged = jobs.process_raw_batch(paths, jobs.pending_raw_ids(paths, set()), source_kommun={"sv": "1441"})
    store = Store(paths.processed)
    with store.lock():
        jobs.commit_staged(store, [staged])
    arts = pd.read_parquet(paths.processed / "articles")
    urls = set(arts["canonical_url"])
    assert {canonicalize(base + p) for p in list(site.articles) + site.standing} == urls
    assert not {canonicalize(base + p) for p in site.non_articles} & urls


@pytest.mark.parametrize("name", ["sitevision", "episerver"])
def test_second_night_fetches_nothing_and_never_rereads_a_non_article(tmp_path: Path, name: str):
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    store, state = RawStore(tmp_path / "raw"), CrawlState(tmp_path / "state.sqlite")
    try:
        with SiteServer(site_dir) as srv:
            site = BUILDERS[name](site_dir, srv.base)
            src = Source(name, "Testkommun", "kommun", None, (srv.url("/"),), rate_per_s=100)
            with _fetcher() as f:
                first = crawl_source(src, store, state, f)
            srv.clear_log()
            with _fetcher() as f:
                second = crawl_source(src, store, state, f)
            requested = [r.path for r in srv.log]
    finally:
        state.close()
    assert first.n_fetched == len(site.articles) + len(site.standing)
    assert first.n_not_articles >= 2  # year or category listings reached as candidates, not stored
    assert second.n_fetched == 0 and second.n_not_articles == 0 and second.n_failed == 0
    assert not set(site.articles) & set(requested), "an archived article was requested again"
