"""The demo registry template renders to a valid DESIGN.md registry pointing at the demo server."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.crawl.sources import load_sources
from pipeline.demo import DemoRegistryError, DemoServer, load_expected, render_demo_registry


def test_rendered_registry_loads_and_points_at_the_server(demo_server: DemoServer, tmp_path: Path) -> None:
    dest = render_demo_registry(demo_server.base_urls, tmp_path / "nested" / "sources_demo.toml")
    assert dest.is_file()
    text = dest.read_text(encoding="utf-8")
    assert "{{" not in text
    sources = {s.id: s for s in load_sources(dest)}
    sites = load_expected()["sites"]
    assert set(sources) == {info["source_id"] for info in sites.values()}
    for site, info in sites.items():
        src = sources[info["source_id"]]
        assert src.kind == info["kind"]
        assert src.kommun == info["kommun"]
        assert src.rate_per_s >= 10
        assert src.start_urls and all(u.startswith(demo_server.base_urls[site] + "/") for u in src.start_urls)
    assert sources["demo_alingsas"].kommun == "1489" and sources["demo_kungalv"].kommun == "1482"


def test_trailing_slash_in_base_url_is_dropped(tmp_path: Path) -> None:
    urls = {"kommun_a": "http://127.0.0.1:1/", "kommun_b": "http://127.0.0.1:2", "tidning": "http://127.0.0.1:3"}
    text = render_demo_registry(urls, tmp_path / "r.toml").read_text(encoding="utf-8")
    assert '"http://127.0.0.1:1/nyheter/"' in text


def test_missing_site_is_named(tmp_path: Path) -> None:
    with pytest.raises(DemoRegistryError, match="no base URL for demo site.*tidning"):
        render_demo_registry({"kommun_a": "http://127.0.0.1:1", "kommun_b": "http://127.0.0.1:2"}, tmp_path / "r.toml")
    assert not (tmp_path / "r.toml").exists()


def test_non_http_base_url_is_refused(tmp_path: Path) -> None:
    urls = {"kommun_a": "file:///etc", "kommun_b": "http://127.0.0.1:2", "tidning": "http://127.0.0.1:3"}
    with pytest.raises(DemoRegistryError, match="kommun_a"):
        render_demo_registry(urls, tmp_path / "r.toml")


def test_crawling_the_demo_registry_finds_exactly_the_expected_articles(tmp_path: Path) -> None:
    """Real crawl (discovery + polite fetch) against the real demo server with the rendered registry."""
    from urllib.parse import urlsplit

    from pipeline.config import Paths
    from pipeline.crawl.runner import crawl_one
    from pipeline.raw.store import RawStore

    expected = load_expected()
    with DemoServer() as srv:
        registry = render_demo_registry(srv.base_urls, tmp_path / "sources_demo.toml")
        paths = Paths(tmp_path / "data")
        reports = [crawl_one(info["source_id"], registry, paths) for info in expected["sites"].values()]
        assert all(r["errors"] == [] and r["n_failed"] == 0 for r in reports), reports
        site_of_port = {urlsplit(url).port: site for site, url in srv.base_urls.items()}
        fetched = {(site_of_port[urlsplit(r.url).port], urlsplit(r.url).path) for r in RawStore(paths.raw).iter_records()}
        assert fetched == {(a["site"], a["path"]) for a in expected["articles"]}
        requested = [e.path for e in srv.requests()]
        assert not [p for p in requested if p.startswith("/intern/") or p.endswith(".pdf")]
        # the sitemap-only Kungälv articles were found
        hidden = {a["path"] for a in expected["articles"] if not a["in_listing"]}
        assert hidden and hidden <= {p for s, p in fetched if s == "kommun_b"}
        # a second night only revalidates discovery pages: conditional GETs answered 304
        srv.clear_log()
        again = [crawl_one(info["source_id"], registry, paths) for info in expected["sites"].values()]
        assert sum(r["n_fetched"] for r in again) == 0
        # (sitemap indexes are always read in full: an index does not change when a child sitemap does)
        index_paths = {("kommun_b", "/sitemap.xml")}
        log = [e for e in srv.requests() if e.path != "/robots.txt"]
        statuses = [e.status for e in log if (e.site, e.path) not in index_paths]
        assert statuses and set(statuses) == {304}, [(e.site, e.path, e.status) for e in log]
        assert all(e.status in (200, 304) for e in log)
