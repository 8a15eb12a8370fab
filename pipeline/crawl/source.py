"""Crawl one source: discover article URLs, fetch the new ones politely, archive them in raw/.

Discovery pages are requested conditionally (a 304 counts as unchanged and re-reads the page's
stored body, see :mod:`pipeline.crawl.discover`); an article page is fetched once (a known URL
with a raw record is not fetched again unless ``refetch`` or its sitemap ``<lastmod>`` changed).
Site faults never raise out of ``crawl_source``: they are counted and listed in the report.
Every candidate is recorded pending in one transaction before any is fetched, and an article is
archived only once its body is read in full, so a kill at any moment loses nothing.
"""

from __future__ import annotations

import email.utils
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from pipeline.crawl import faults
from pipeline.crawl.check import SourceCheck as SourceCheck  # moved; re-exported for old imports
from pipeline.crawl.check import check_source as check_source
from pipeline.crawl.discover import Candidate, article_accept, candidate_date, discover_source
from pipeline.crawl.fetch import PoliteFetcher
from pipeline.crawl.pagekind import STORED_KINDS, classify, is_topic_url, looks_like_news_url, url_date
from pipeline.crawl.sources import Source
from pipeline.crawl.state import CrawlState
from pipeline.raw.store import RawStore
from pipeline.urls import canonicalize


@dataclass
class CrawlReport:
    """What one crawl of one source did."""

    source_id: str
    raw_ids: list[str] = field(default_factory=list)  # new article records, in fetch order
    n_discovered: int = 0  # article URLs found by discovery this run that were not archived yet
    n_fetched: int = 0  # article bodies downloaded and archived
    n_unchanged: int = 0  # discovery pages answered 304, known articles not refetched, identical bodies
    n_skipped: int = 0  # robots.txt, size cap, non-HTML
    n_failed: int = 0
    errors: list[str] = field(default_factory=list)
    n_requests: int = 0
    n_not_articles: int = 0  # fetched candidates that were listing/section/feed pages: not archived
    n_too_old: int = 0  # candidates older than ``since`` (sitemap lastmod or URL date): not fetched


def _parse_lastmod(value: str | None) -> datetime | None:
    """A ``<lastmod>`` as an aware datetime in UTC; None when absent or unreadable.

    Sitemaps write W3C datetimes (a date, or a date and time with or without a zone); a feed entry's date
    (kept as its candidate's lastmod) is RFC 822 (``Mon, 02 Sep 2024 00:00:00 GMT``). A bare date or a
    time without zone is read as UTC."""
    if not value:
        return None
    text = value.strip()
    if text[:1].isalpha():  # RFC 822, as in RSS
        try:
            rfc = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        return (rfc if rfc.tzinfo else rfc.replace(tzinfo=UTC)).astimezone(UTC)
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        try:
            when = datetime.fromisoformat(text[:10])  # a date with a time we cannot read: the date still counts
        except ValueError:
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC)


def _lastmod_later(new: str | None, old: str | None) -> bool:
    """True when the sitemap ``<lastmod>`` ``new`` is a later moment than ``old``.

    The same moment written another way (a date that gained a time of midnight, another zone) and a
    lastmod that goes back in time are no change; when either is unreadable, only a different text counts.
    A bare date against a datetime compares by date, so the same day is not a change.
    """
    if not new or not old:
        return False
    a, b = _parse_lastmod(new), _parse_lastmod(old)
    if a is None or b is None:
        return new.strip() != old.strip()
    if _is_bare_date(new) or _is_bare_date(old):
        return a.date() > b.date()
    return a > b


def _is_bare_date(value: str) -> bool:
    """A lastmod that names a day only (``2024-05-03``; an RFC 822 date always has a time)."""
    text = value.strip()
    return len(text) <= 10 and not text[:1].isalpha()


STANDING_REFRESH = timedelta(days=30)


def _needs_fetch(cand: Candidate, state: CrawlState, refetch: bool, now: datetime | None = None) -> bool:
    """True when the candidate article must be downloaded: new, left pending or failed, ``refetch``, its
    sitemap ``<lastmod>`` is later than the one seen when it was archived, or it is a standing page due
    for its periodic look (:func:`_standing_due`)."""
    prev = state.get(cand.canonical)
    if prev is None or prev.raw_id is None:
        if prev is not None and prev.status == "skipped":
            return refetch  # robots/size/type: not retried every night
        return True
    if refetch:
        return True
    return _lastmod_later(cand.lastmod, prev.sitemap_lastmod) or _standing_due(cand, prev.last_visit, now)


def _standing_due(cand: Candidate, last_visit: datetime | None, now: datetime | None = None) -> bool:
    """A standing page about the topics (a kommun's medborgarlöften or trygghet page: undated, not news-like,
    found without a ``<lastmod>``) is revised in place; it is requested again, conditionally, once its last
    visit is :data:`STANDING_REFRESH` old. News articles are not: they are read once."""
    if cand.lastmod or last_visit is None or url_date(cand.url) or looks_like_news_url(cand.url):
        return False
    if not is_topic_url(cand.url):
        return False
    seen = last_visit if last_visit.tzinfo else last_visit.replace(tzinfo=UTC)
    return (now or datetime.now(UTC)) - seen >= STANDING_REFRESH


def newest_first(cands: Iterable[Candidate]) -> list[Candidate]:
    """Dated candidates newest first, then undated ones in the order discovery found them
    (a listing's own order, usually newest first)."""
    items = list(cands)
    dates = [candidate_date(c.url, c.lastmod) for c in items]
    dated = sorted((-d.toordinal(), i) for i, d in enumerate(dates) if d is not None)
    return [items[i] for _key, i in dated] + [c for c, d in zip(items, dates, strict=True) if d is None]


def crawl_source(
    source: Source,
    raw_store: RawStore,
    state: CrawlState,
    fetcher: PoliteFetcher,
    *,
    refetch: bool = False,
    max_articles: int | None = None,
    since: date | None = None,
) -> CrawlReport:
    """Discover and fetch one source; returns a ``CrawlReport``. Never raises for site faults.

    Candidates older than ``since`` (URL date or sitemap lastmod) are not fetched (``n_too_old``); the
    rest are fetched newest first, at most ``max_articles`` (default: the source's ``max_articles``).
    """
    report = CrawlReport(source.id)
    cap = source.max_articles if max_articles is None else max_articles
    try:
        _crawl(source, raw_store, state, fetcher, refetch, cap, report, since)
    except Exception as exc:  # noqa: BLE001 - one failing source never stops the run
        report.n_failed += 1
        report.errors.append(f"{source.id}: crawl aborted ({type(exc).__name__}: {exc})")
    return report


def _crawl(
    source: Source,
    raw_store: RawStore,
    state: CrawlState,
    fetcher: PoliteFetcher,
    refetch: bool,
    max_articles: int | None,
    report: CrawlReport,
    since: date | None = None,
) -> None:
    def is_known(canon: str) -> bool:
        prev = state.get(canon)
        return prev is not None and (prev.raw_id is not None or prev.status == "skipped")

    found = discover_source(source, fetcher, state, conditional=not refetch, is_known=is_known, since=since)
    report.n_too_old = found.n_too_old
    report.n_requests += found.n_requests
    report.errors += found.errors
    report.n_failed += len(found.errors)
    report.n_skipped += len(found.skipped)
    report.n_unchanged += len(found.unchanged)
    # new to the archive: first seen, or left pending by an interrupted run and found again
    report.n_discovered = sum(1 for canon in found.articles if not is_known(canon))
    candidates = dict(found.articles)
    # Articles discovered earlier but never archived (a failed fetch, an interrupted run).
    for st in state.iter_source(source.id, kind="article"):
        if st.raw_id is None and st.status in ("pending", "failed") and st.canonical_url not in candidates:
            url = st.found_url or st.canonical_url
            candidates[st.canonical_url] = Candidate(url, st.canonical_url, "retry", st.sitemap_lastmod)
    # Every candidate is recorded pending, in one transaction, before any is fetched: a run killed
    # mid-fetch finds the rest in the state on the next night.
    faults.step(f"{source.id}: recording candidates")
    state.add_discovered_many([(c.canonical, c.lastmod, c.url) for c in candidates.values()], source.id, "article")
    faults.step(f"{source.id}: recorded candidates")
    n_done = 0
    for cand in newest_first(candidates.values()):
        if not _needs_fetch(cand, state, refetch):
            report.n_unchanged += 1
            continue
        if max_articles is not None and n_done >= max_articles:
            break
        n_done += 1
        _fetch_article(source, raw_store, state, fetcher, cand, refetch, report)


def _fetch_article(
    source: Source,
    raw_store: RawStore,
    state: CrawlState,
    fetcher: PoliteFetcher,
    cand: Candidate,
    refetch: bool,
    report: CrawlReport,
) -> None:
    prev = state.get(cand.canonical)
    conditional = prev is not None and prev.raw_id is not None
    res = fetcher.fetch(
        cand.url,
        allowed_hosts=source.hosts,
        allow_private=source.allow_private,
        interval=source.interval,
        etag=prev.etag if conditional and prev else None,
        last_modified=prev.last_modified if conditional and prev else None,
        accept=article_accept,
    )
    report.n_requests += res.attempts
    if res.outcome == "not_modified":
        report.n_unchanged += 1
        state.record_visit(cand.canonical, source.id, "article", "unchanged", sitemap_lastmod=cand.lastmod)
        return
    if res.outcome.startswith("skipped"):
        report.n_skipped += 1
        state.record_visit(cand.canonical, source.id, "article", "skipped", error=res.error)
        return
    if res.outcome != "ok":
        report.n_failed += 1
        report.errors.append(res.error or f"{cand.url}: {res.outcome}")
        state.record_visit(cand.canonical, source.id, "article", "failed", error=(res.error or res.outcome)[:500])
        return
    faults.step(f"{source.id}: fetched article {cand.url}")
    kind = classify(res.body, res.final_url, res.headers.get("content-type", ""))
    if kind not in STORED_KINDS:  # a listing, section or feed page is never stored as an article
        report.n_not_articles += 1
        state.record_visit(cand.canonical, source.id, "article", "skipped", error=f"not an article: {kind.value}")
        return
    sha = hashlib.sha256(res.body).hexdigest()
    if prev is not None and prev.raw_id and prev.content_sha256 == sha:
        report.n_unchanged += 1
        state.record_visit(cand.canonical, source.id, "article", "unchanged", sitemap_lastmod=cand.lastmod)
        return
    assert res.status is not None
    rec = raw_store.put(
        source.id, cand.url, res.final_url, res.status, res.headers, res.body, res.fetched_at,
        extra={"discovered_via": cand.via, "sitemap_lastmod": cand.lastmod, "source_kommun": source.kommun},
    )
    faults.step(f"{source.id}: archived article {cand.url}")
    report.raw_ids.append(rec.raw_id)
    report.n_fetched += 1
    final = canonicalize(res.final_url)
    state.record_visit(
        cand.canonical, source.id, "article", "fetched",
        etag=res.headers.get("etag"), last_modified=res.headers.get("last-modified"),
        content_sha256=sha, raw_id=rec.raw_id, sitemap_lastmod=cand.lastmod, when=res.fetched_at,
    )
    if final != cand.canonical:  # the redirect target is the same article: do not fetch it again
        state.record_visit(final, source.id, "article", "fetched", content_sha256=sha, raw_id=rec.raw_id,
                           when=res.fetched_at)
