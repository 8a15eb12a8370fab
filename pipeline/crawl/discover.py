"""Discover article URLs of a source: walk its feeds, sitemaps and listing pages.

Start URLs, robots.txt ``Sitemap:`` lines and ``<link rel="alternate">`` feeds feed one queue; each
document's type is sniffed from its content and read by :mod:`~pipeline.crawl.feeds`,
:mod:`~pipeline.crawl.sitemaps` or :mod:`~pipeline.crawl.listings`. A malformed document becomes a
recorded error, never an exception out of :func:`discover_source`.

With a crawl state, a discovery page is requested conditionally, and a page fetched in full is
recorded with its validators *and its body* in one transaction. A 304 (or a child sitemap whose
``<lastmod>`` in the index is unchanged) re-reads the links from that stored body, so discovery
yields the same URLs whether or not an earlier run was killed half-way: nothing a page yielded
can be lost behind a validator (issue 14). Pages without a stored body are fetched in full.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from pipeline.crawl import faults
from pipeline.crawl.documents import (
    ARTICLE_TYPES,
    DISCOVERY_TYPES,
    MAX_XML_BYTES,
    DiscoveryParseError,
    Entry,
    article_accept,
    decompress,
    discovery_accept,
    has_non_html_extension,
    sniff,
)
from pipeline.crawl.feeds import feed_articles, parse_feed
from pipeline.crawl.fetch import FetchResult, PoliteFetcher
from pipeline.crawl.listings import ListingPage, archive_view, looks_like_article_url, parse_listing
from pipeline.crawl.pagekind import looks_like_news_url, url_date
from pipeline.crawl.sitemaps import MAX_SITEMAP_DOCS, parse_sitemap, sitemap_entry_wanted
from pipeline.crawl.sources import Source
from pipeline.crawl.state import CrawlState, StoredPage
from pipeline.urls import canonicalize, host_allowed, host_of, is_fetchable

__all__ = [
    "ARTICLE_TYPES", "DISCOVERY_TYPES", "MAX_SITEMAP_DOCS", "MAX_XML_BYTES", "Candidate", "DiscoveryParseError",
    "DiscoveryResult", "Entry", "ListingPage", "article_accept", "candidate_date", "decompress", "discover_source",
    "discovery_accept",
    "has_non_html_extension", "looks_like_article_url", "parse_feed", "parse_listing", "parse_sitemap",
    "sitemap_entry_wanted", "sniff",
]

# how step names call each document type (pipeline.crawl.faults)
_LABELS = {"feed": "feed", "sitemapindex": "sitemap index", "sitemap": "sitemap", "html": "listing page"}
_SEEN_OK = ("fetched", "unchanged")
MAX_ARCHIVE_VIEWS = 3  # filtered views (?start=&end=) of one archive path walked as listings


def _is_site_root(url: str) -> bool:
    """A site's start page: ``/``, ``/index.html``, ``/start.aspx``, ``/sv/``."""
    segs = [s.lower() for s in urlsplit(url).path.split("/") if s]
    return not segs or (len(segs) == 1 and (segs[0] in ("sv", "se") or segs[0].startswith(("index", "start", "default"))))


@dataclass(frozen=True)
class Candidate:
    """An article URL found by discovery."""

    url: str
    canonical: str
    via: str  # "feed" | "sitemap" | "listing" | "start" | "retry"
    lastmod: str | None = None


@dataclass
class DiscoveryResult:
    """Everything one discovery pass found."""

    source_id: str
    articles: dict[str, Candidate] = field(default_factory=dict)
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    listings: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    n_requests: int = 0
    since: date | None = None  # candidates published (URL date) or modified (lastmod) before this are left out
    n_too_old: int = 0
    off_host_news: list[str] = field(default_factory=list)  # news-named links to hosts the source does not list
    too_old: set[str] = field(default_factory=set)  # canonical URLs left out for ``since``

    def add(self, url: str, via: str, lastmod: str | None) -> bool:
        """Add an article URL; True if it is new here. The first way it was found wins, but a
        ``lastmod`` found another way fills one that was missing. A candidate older than ``since``
        is counted in ``n_too_old`` and left out."""
        canon = canonicalize(url)
        prev = self.articles.get(canon)
        if prev is not None:
            if prev.lastmod is None and lastmod:
                if self._too_old(prev.url, lastmod):  # found undated first (a listing), dated old now
                    del self.articles[canon]
                    self.too_old.add(canon)
                    self.n_too_old += 1
                else:
                    self.articles[canon] = Candidate(prev.url, canon, prev.via, lastmod)
            return False
        if canon in self.too_old:
            return False
        if self._too_old(url, lastmod):
            self.too_old.add(canon)
            self.n_too_old += 1
            return False
        self.articles[canon] = Candidate(url, canon, via, lastmod)
        return True

    def _too_old(self, url: str, lastmod: str | None) -> bool:
        if self.since is None:
            return False
        when = candidate_date(url, lastmod)
        return when is not None and when < self.since


def parse_date(text: str | None) -> date | None:
    """The date of a sitemap ``<lastmod>`` (W3C datetime) or a feed date (RFC 822), else None."""
    if not text:
        return None
    text = text.strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None


def candidate_date(url: str, lastmod: str | None) -> date | None:
    """When a candidate was published: the date in its URL (``/2023/03/15/``, ``2023-03-15-slug``),
    else its sitemap/feed date."""
    return parse_date(url_date(url)) or parse_date(lastmod)


@dataclass(frozen=True)
class _Doc:
    """A discovery document to read: fresh from the network, or the stored body of an unchanged page."""

    url: str
    canon: str
    role: str  # "start" | "listing" | "feed" | "sitemap"
    lastmod: str | None
    page: StoredPage
    fresh: FetchResult | None = None  # the response, when fetched in full this run


def discover_source(
    source: Source,
    fetcher: PoliteFetcher,
    state: CrawlState | None = None,
    *,
    conditional: bool = True,
    is_known: Callable[[str], bool] | None = None,
    since: date | None = None,
) -> DiscoveryResult:
    """Run discovery for one source. With ``state``, discovery pages are requested conditionally and
    recorded with their validators and body; ``is_known(canonical_url)`` tells which articles are already
    archived (a listing page with only known articles ends the pagination). Candidates older than ``since``
    are left out (counted in ``n_too_old``); a listing page of only such articles ends the pagination too.
    Never raises for site faults.
    """
    walk = _Walk(source, fetcher, state, conditional, is_known or (lambda _u: False))
    walk.result.since = since
    walk.seed()
    walk.run()
    return walk.result


class _Walk:
    """One discovery pass over a source: a queue of (url, role, sitemap lastmod)."""

    def __init__(
        self, source: Source, fetcher: PoliteFetcher, state: CrawlState | None, conditional: bool,
        known: Callable[[str], bool],
    ) -> None:
        self.source, self.fetcher, self.state = source, fetcher, state
        self.conditional, self.known = conditional, known
        self.result = DiscoveryResult(source.id)
        self.queue: deque[tuple[str, str, str | None]] = deque((u, "start", None) for u in source.start_urls)
        self.seen: set[str] = set()
        self.n_listing = 0
        self.n_sitemaps = 0
        self.nav_queue: deque[tuple[str, str, str | None]] = deque()  # listings named in navigation: read last
        self.sitemap_news = 0  # news-like URLs the sitemaps listed (older than ``since`` included)
        self.archive_views: dict[str, int] = {}

    def seed(self) -> None:
        """Queue the sitemaps that robots.txt declares for the start URLs' hosts."""
        try:
            for start in self.source.start_urls:
                ok, _ = is_fetchable(start, self.source.hosts, self.source.allow_private)
                if ok:
                    for sm in self.fetcher.robots_sitemaps(start, self.source.interval):
                        self.queue.append((sm, "sitemap", None))
        except Exception as exc:  # noqa: BLE001 - robots trouble must not stop the source
            self.result.errors.append(f"{self.source.id}: robots.txt: {exc}")

    def run(self) -> None:
        """Visit every queued document (within the source's page limits). Listings named in navigation
        ("Nyheter", "Aktuellt" …) wait until everything else is read, and are read only when no sitemap
        listed news: a sitemap lists every article, so the listing would only cost requests every night;
        without one (EPiServer, a feed of the last ten items) the listing is where the news is."""
        while self.queue or self.nav_queue:
            if not self.queue:
                item = self.nav_queue.popleft()
                if self.sitemap_news:
                    continue
                self.queue.append(item)
            url, role, lastmod = self.queue.popleft()
            canon = canonicalize(url)
            if not self._admit(url, canon, role):
                continue
            try:
                self._visit(url, canon, role, lastmod)
            except Exception as exc:  # noqa: BLE001 - one bad page must not stop discovery
                self._failed(url, canon, f"{url}: discovery failed ({type(exc).__name__}: {exc})", str(exc))
            if role in ("listing", "start"):
                self.n_listing += 1
            elif role == "sitemap":
                self.n_sitemaps += 1

    def _admit(self, url: str, canon: str, role: str) -> bool:
        if canon in self.seen:
            return False
        self.seen.add(canon)
        if role == "listing" and self.n_listing >= self.source.max_pages:
            return False
        if role == "listing" and self._archive_view_capped(url):
            self.result.skipped.append(f"{url}: more than {MAX_ARCHIVE_VIEWS} filtered views of one archive; not read")
            return False
        if role == "sitemap" and self.n_sitemaps >= MAX_SITEMAP_DOCS:
            self.result.skipped.append(f"{url}: more than {MAX_SITEMAP_DOCS} sitemaps; rest not read")
            return False
        return True

    def _archive_view_capped(self, url: str) -> bool:
        """True once a listing path has been read under ``MAX_ARCHIVE_VIEWS`` archive filters
        (Sitevision ``?start=…&end=…``, ``?year=…``): each filter value is one more view of one archive."""
        if not archive_view(url):
            return False
        key = f"{host_of(url)}{urlsplit(url).path}"
        self.archive_views[key] = self.archive_views.get(key, 0) + 1
        return self.archive_views[key] > MAX_ARCHIVE_VIEWS

    def _failed(self, url: str, canon: str, message: str, error: str) -> None:
        self.result.errors.append(message)
        if self.state is not None:
            self.state.record_visit(canon, self.source.id, "discovery", "failed", error=error[:500])

    # -- one document ---------------------------------------------------------------------------
    def _visit(self, url: str, canon: str, role: str, lastmod: str | None) -> None:
        doc = self._obtain(url, canon, role, lastmod)
        if doc is None:
            return
        try:
            kind = self._read(doc)
        except DiscoveryParseError as exc:
            self._failed(url, canon, f"{url}: {exc}", str(exc))
            return
        if doc.fresh is not None and self.state is not None:
            self._record(doc, kind)

    def _obtain(self, url: str, canon: str, role: str, lastmod: str | None) -> _Doc | None:
        """The document to read: the stored body of an unchanged page, else a fresh response (None if
        the request failed or was skipped; that is recorded)."""
        prev = self.state.get(canon) if self.state is not None else None
        usable = (self.state is not None and self.conditional and prev is not None and prev.status in _SEEN_OK
                  and self.state.has_stored_page(canon))
        if usable and role == "sitemap" and lastmod and prev is not None and prev.sitemap_lastmod == lastmod:
            stored = self._stored(url, canon)  # the index says this sitemap has not changed: no request
            if stored is not None:
                return _Doc(url, canon, role, lastmod, stored)
        res = self._fetch(url, prev.etag if usable and prev else None, prev.last_modified if usable and prev else None)
        if res.outcome == "not_modified":
            stored = self._stored(url, canon)
            if stored is not None:
                if self.state is not None:
                    self.state.record_visit(canon, self.source.id, "discovery", "unchanged", sitemap_lastmod=lastmod)
                return _Doc(url, canon, role, lastmod, stored)
            res = self._fetch(url, None, None)  # the stored body went missing: read the page in full
        if res.outcome != "ok":
            self._unavailable(url, canon, res)
            return None
        return _Doc(url, canon, role, lastmod, StoredPage(res.final_url, res.content_type, res.body), res)

    def _fetch(self, url: str, etag: str | None, last_modified: str | None) -> FetchResult:
        res = self.fetcher.fetch(
            url, allowed_hosts=self.source.hosts, allow_private=self.source.allow_private,
            interval=self.source.interval, etag=etag, last_modified=last_modified, accept=discovery_accept,
        )
        self.result.n_requests += max(res.attempts, 0)
        return res

    def _stored(self, url: str, canon: str) -> StoredPage | None:
        stored = self.state.stored_page(canon) if self.state is not None else None
        if stored is not None:
            self.result.unchanged.append(url)
            faults.step(f"{self.source.id}: reread {url}")
        return stored

    def _unavailable(self, url: str, canon: str, res: FetchResult) -> None:
        msg = res.error or f"{url}: {res.outcome}"
        skipped = res.outcome.startswith("skipped")
        (self.result.skipped if skipped else self.result.errors).append(msg)
        if self.state is not None:
            status = "skipped" if skipped else "failed"
            self.state.record_visit(canon, self.source.id, "discovery", status, error=msg[:500])

    def _record(self, doc: _Doc, kind: str) -> None:
        """Validators, hash and body of a page fetched in full: one transaction."""
        assert doc.fresh is not None and self.state is not None
        res = doc.fresh
        self.state.record_page(
            doc.canon, self.source.id, doc.page,
            etag=res.headers.get("etag"), last_modified=res.headers.get("last-modified"),
            content_sha256=hashlib.sha256(res.body).hexdigest(), sitemap_lastmod=doc.lastmod, doc_type=kind,
        )
        faults.step(f"{self.source.id}: recorded {_LABELS.get(kind, kind)} {doc.url}")

    # -- reading --------------------------------------------------------------------------------
    def _read(self, doc: _Doc) -> str:
        """Sniff the document, collect what it yields; returns its type."""
        body = decompress(doc.page.body)
        kind = sniff(body, doc.page.content_type)
        if doc.fresh is not None:
            faults.step(f"{self.source.id}: fetched {_LABELS.get(kind, kind)} {doc.url}")
        if kind == "feed":
            self._read_feed(body, doc)
        elif kind in ("sitemap", "sitemapindex"):
            self._read_sitemap(body, doc)
        elif kind == "html":
            self._read_html(body, doc)
        else:
            raise DiscoveryParseError(f"unrecognised document (content type {doc.page.content_type or 'none'})")
        return kind

    def _read_feed(self, body: bytes, doc: _Doc) -> None:
        self.result.feeds.append(doc.url)
        for e in feed_articles(body, doc.page.final_url, self.source):
            self.result.add(e.url, "feed", e.lastmod)

    def _read_sitemap(self, body: bytes, doc: _Doc) -> None:
        skind, entries = parse_sitemap(body)
        self.result.sitemaps.append(doc.url)
        for e in entries:
            if skind == "sitemapindex":
                if host_allowed(host_of(e.url), self.source.hosts):
                    self.queue.append((e.url, "sitemap", e.lastmod))
            elif sitemap_entry_wanted(e.url, self.source):
                if looks_like_news_url(e.url):
                    self.sitemap_news += 1
                self.result.add(e.url, "sitemap", e.lastmod)

    def _read_html(self, body: bytes, doc: _Doc) -> None:
        page = parse_listing(body, doc.page.final_url, self.source)
        listing = doc.role in ("start", "listing")
        if doc.role == "start" and page.is_article:
            self.result.add(doc.url, "start", None)  # a start URL that is itself an article page
        elif listing:
            self.result.listings.append(doc.url)
        for f in page.feed_links:
            if host_allowed(host_of(f), self.source.hosts):
                self.queue.appendleft((f, "feed", None))
        new = 0
        for link in page.article_links:
            if self.result.add(link, "listing", None) and not self.known(canonicalize(link)):
                new += 1
        if new and listing:
            for nxt in page.next_pages:
                self.queue.append((nxt, "listing", None))
        if doc.role == "listing" or (doc.role == "start" and not page.is_article and _is_site_root(doc.url)):
            # "Nyheter", "Nyhetsarkiv" … in a root page's navigation (or a listing's): news listings to walk
            for nav in page.news_listings:
                self.nav_queue.append((nav, "listing", None))
            self.result.off_host_news += [u for u in page.off_host_news if u not in self.result.off_host_news]
