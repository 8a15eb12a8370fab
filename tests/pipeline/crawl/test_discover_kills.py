"""A crawl stopped at every step of discovery and fetching, then rerun, archives what an uninterrupted
crawl archives (issue 14). In-process and fast: :data:`pipeline.crawl.faults.fault_hook` raises a
``BaseException`` at the chosen step, which nothing in the crawler catches, so the state and raw/
are left exactly as a kill there would leave them (an open SQLite transaction is rolled back, as
SQLite does after a kill). The SIGKILL version with the article tables is tests/flows/test_kill_discovery.py.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.crawl import faults
from pipeline.crawl.discover import discover_source
from pipeline.crawl.fetch import PoliteFetcher
from pipeline.crawl.source import CrawlReport, crawl_source
from pipeline.crawl.sources import Source
from pipeline.crawl.state import CrawlState
from pipeline.raw.store import RawStore
from tests.support.server import Reply, SiteServer

# arkiv offers every article through exactly one discovery page (three listing pages, a feed, a sitemap
# index with a plain and a gzipped child sitemap): a page whose yield is lost shows as missing articles.
SITES = [("arkiv", "/nyheter/", r"^/nyheter/\d{4}/[a-z0-9-]+/$")]


class Killed(BaseException):
    """Stands for SIGKILL: not an ``Exception``, so no handler in the crawler stops it."""


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str, SiteServer]]:
    srvs = {site: SiteServer(site) for site, _, _ in SITES}
    for srv in srvs.values():
        srv.__enter__()
    yield srvs
    for srv in srvs.values():
        srv.__exit__(None, None, None)


def _sources(servers: dict[str, SiteServer]) -> list[Source]:
    return [Source(site, site, "kommun", None, (servers[site].url(start),), rate_per_s=1000, article_pattern=pattern)
            for site, start, pattern in SITES]


def _crawl(servers: dict[str, SiteServer], data: Path) -> list[CrawlReport]:
    """One night: every source in turn, with a new fetcher (as a new process would have)."""
    with PoliteFetcher(default_interval=0.0, timeout=5, retries=0) as fetcher, \
            CrawlState(data / "state" / "crawl.sqlite") as state:
        return [crawl_source(src, RawStore(data / "raw"), state, fetcher) for src in _sources(servers)]


def _archive(data: Path) -> dict[str, str]:
    """Canonical URL → body hash of the newest article record of each URL in raw/."""
    latest: dict[str, tuple[str, str, str]] = {}
    for rec in RawStore(data / "raw").iter_records():
        if rec.kind == "article":
            key = (rec.fetched_at.isoformat(), rec.raw_id, hashlib.sha256(rec.body()).hexdigest())
            if rec.canonical_url not in latest or key > latest[rec.canonical_url]:
                latest[rec.canonical_url] = key
    return {url: sha for url, (_, _, sha) in latest.items()}


def _trace(servers: dict[str, SiteServer], data: Path) -> list[str]:
    steps: list[str] = []
    faults.fault_hook = steps.append
    try:
        _crawl(servers, data)
    finally:
        faults.fault_hook = None
    return steps


def _kill_at(n: int) -> None:
    seen = [0]

    def hook(name: str) -> None:
        seen[0] += 1
        if seen[0] == n:
            raise Killed(name)

    faults.fault_hook = hook


@pytest.fixture(scope="module")
def reference(servers: dict[str, SiteServer], tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    data = tmp_path_factory.mktemp("uninterrupted")
    steps = _trace(servers, data)
    archive = _archive(data)
    assert len(archive) == 11
    return {"steps": steps, "archive": archive}


def test_step_trace_names_every_kind_of_kill_point(reference: dict[str, object]) -> None:
    steps = "\n".join(reference["steps"])  # type: ignore[arg-type]
    for what in ("arkiv: fetched feed", "arkiv: fetched sitemap index", "arkiv: fetched sitemap ",
                 "arkiv: fetched listing page", "state: writing page", "arkiv: recorded listing page",
                 "arkiv: recording candidates", "arkiv: recorded candidates", "arkiv: fetched article",
                 "arkiv: archived article"):
        assert what in steps, what
    assert steps.count("arkiv: fetched listing page") == 3


def _kill_points(steps: list[str]) -> list[int]:
    """Every discovery and state step, and the first article step of each kind."""
    out, per_kind = [], {}
    for n, name in enumerate(steps, start=1):
        what = name.split(" http")[0]
        if "article" in what:
            per_kind[what] = per_kind.get(what, 0) + 1
            if per_kind[what] > 1:
                continue
        out.append(n)
    return out


@pytest.mark.slow
def test_killed_at_every_step_then_rerun_archives_everything(
    servers: dict[str, SiteServer], reference: dict[str, object], tmp_path: Path
) -> None:
    steps: list[str] = reference["steps"]  # type: ignore[assignment]
    lost: dict[str, list[str]] = {}
    for n in _kill_points(steps):
        name = steps[n - 1]
        data = tmp_path / f"k{n}"
        _kill_at(n)
        try:
            with pytest.raises(Killed):
                _crawl(servers, data)
        finally:
            faults.fault_hook = None
        reports = _crawl(servers, data)
        archive = _archive(data)
        if archive != reference["archive"]:  # a URL missing, or another body (torn): both count as lost
            lost[name] = sorted(u for u, sha in reference["archive"].items() if archive.get(u) != sha)  # type: ignore[attr-defined]
        assert all(r.n_failed == 0 for r in reports), [r.errors for r in reports]
    assert lost == {}, f"{len(lost)} of {len(steps)} kill points lost articles: {lost}"


@pytest.mark.slow
def test_kill_during_a_later_night_loses_nothing(servers: dict[str, SiteServer], tmp_path: Path) -> None:
    # Night 1 complete; the site then publishes two articles (on listing page 1 and in the feed);
    # night 2 is killed at each of its steps before the candidates are recorded; night 3 archives both.
    srv = servers["arkiv"]
    new_page = "/nyheter/2024/ny-nyhet-pa-forsta-sidan/"
    new_feed = "/nyheter/2024/ny-nyhet-i-flodet/"
    page1 = (srv.site_dir / "nyheter" / "index.html").read_text(encoding="utf-8").replace("{{BASE}}", srv.base)
    page1 = page1.replace('<ul class="nyhetslista">', f'<ul class="nyhetslista"><li class="nyhet"><a href="{new_page}">Ny</a></li>')
    feed = (srv.site_dir / "nyheter" / "flode.xml").read_text(encoding="utf-8").replace("{{BASE}}", srv.base)
    feed = feed.replace("<item>", f"<item><title>Ny</title><link>{srv.base}{new_feed}</link></item><item>", 1)
    base = tmp_path / "night1"
    _crawl(servers, base)
    try:
        srv.script("/nyheter/", Reply(200, page1))
        srv.script("/nyheter/flode.xml", Reply(200, feed, content_type="application/rss+xml"))
        for path in (new_page, new_feed):
            srv.script(path, Reply(200, f"<html><body><article><h1>{path}</h1><p>Text.</p></article></body></html>"))
        shutil.copytree(base, tmp_path / "trace")
        steps = _trace(servers, tmp_path / "trace")
        wanted = {srv.url(new_page).rstrip("/"), srv.url(new_feed).rstrip("/")}
        assert wanted <= set(_archive(tmp_path / "trace"))
        last = next(n for n, s in enumerate(steps, start=1) if s == "arkiv: recorded candidates")
        assert sum(1 for s in steps[:last] if s.startswith("arkiv: reread")) >= 3  # unchanged pages re-read
        for n in range(1, last + 1):
            data = tmp_path / f"night2-{n}"
            shutil.copytree(base, data)
            _kill_at(n)
            try:
                with pytest.raises(Killed):
                    _crawl(servers, data)
            finally:
                faults.fault_hook = None
            night3 = _crawl(servers, data)
            assert wanted <= set(_archive(data)), (steps[n - 1], night3[0])
            assert night3[0].n_discovered == 2 and night3[0].n_fetched == 2, (steps[n - 1], night3[0])
    finally:
        for path in ("/nyheter/", "/nyheter/flode.xml", new_page, new_feed):
            srv.unscript(path)


def test_validators_without_a_stored_body_are_not_used(servers: dict[str, SiteServer], tmp_path: Path) -> None:
    # A state written before bodies were stored (or by the old code, killed mid-discovery): the page
    # has validators and status "fetched" but no body. It is fetched in full and its links read.
    srv = servers["arkiv"]
    src = _sources(servers)[0]
    with CrawlState(tmp_path / "crawl.sqlite") as state, PoliteFetcher(default_interval=0.0) as f:
        first = discover_source(src, f, state)
        state._conn.execute("DELETE FROM pages")
        srv.clear_log()
        again = discover_source(src, f, state)
        assert set(again.articles) == set(first.articles) and len(first.articles) == 11
        assert [r for r in srv.log if r.status == 304] == []
        srv.clear_log()
        third = discover_source(src, f, state)  # bodies stored again: unchanged pages answer 304
        assert set(third.articles) == set(first.articles)
        statuses = {r.path: r.status for r in srv.log if r.path != "/robots.txt"}
        assert set(statuses.values()) == {304}, statuses
        assert "/sitemap-2023.xml" not in statuses  # unchanged <lastmod> in the index: read from the state
