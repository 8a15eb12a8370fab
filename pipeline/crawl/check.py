"""``samverkan sources check``: what discovery finds for one source, as an operator's report.

Discovery runs without a crawl state and nothing is archived. The work per source is bounded: at most
:data:`CHECK_MAX_LISTING_PAGES` listing pages (or the source's own ``max_pages`` if lower) and at most
:data:`CHECK_MAX_REQUESTS` page requests (sitemaps and feeds included); what the budget leaves unread is
listed under ``skipped``. The report says which feeds, sitemaps and news listings were read, on which hosts
the articles live (hosts other than the start URLs' are flagged), how many articles there are per year
(from the feed or sitemap date, else a date in the URL, else ``unknown``), how each was found, and gives a
verdict with a hint for the operator (:data:`HINTS`): ``ok``; ``teasers`` (articles only from the start
page, no feed, sitemap or further listing page); ``no_news``; ``off_host`` (the start URL redirects to a
host the source does not list, or its links named Nyheter, Aktuellt … lead to one); ``robots``; ``unreachable``.
"""

from __future__ import annotations

import email.utils
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from pipeline.crawl.discover import Candidate, DiscoveryResult, discover_source
from pipeline.crawl.fetch import FetchResult, PoliteFetcher
from pipeline.crawl.sources import Source
from pipeline.text.dateparse import YEAR, safe_date
from pipeline.urls import canonicalize, host_allowed, host_of

CHECK_MAX_LISTING_PAGES = 10
"""Listing pages a check reads per source at most (the source's ``max_pages`` if lower)."""
CHECK_MAX_REQUESTS = 40
"""Page requests (listing pages, feeds, sitemaps; robots.txt not counted) a check makes per source at most."""

UNKNOWN_YEAR = "unknown"
VERDICTS = ("ok", "teasers", "no_news", "off_host", "robots", "unreachable")
HINTS = {
    "ok": "ok",
    "teasers": "only the start page's teasers: check pagination",
    "no_news": "no news found: set a news start URL",
    "off_host": "the start URL redirects to another host: add that host to the source's hosts",
    "robots": "robots.txt disallows the start URL: ask the site or set another start URL",
    "unreachable": "site unreachable: check the start URL's host",
}
"""The hint printed for each verdict; a source whose verdict is not ``ok`` needs an operator's look."""

_URL_YEAR = re.compile(rf"(?:^|/)(?P<y>{YEAR})(?:/|$)|(?:^|/)(?P<iy>{YEAR})-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?!\d)")
_OFF_HOST = "is not one of the source's hosts"  # pipeline.urls.is_fetchable's reason
_ISO_START = re.compile(rf"^\s*({YEAR})-[01]\d(?:-[0-3]\d)?(?:$|[T\s])")


@dataclass
class SourceCheck:
    """What discovery finds for one source (``samverkan sources check``); nothing is archived."""

    source_id: str
    name: str = ""
    kind: str = ""
    kommun: str | None = None
    verified: str | None = None
    start_urls: list[str] = field(default_factory=list)
    verdict: str = "no_news"
    hint: str = HINTS["no_news"]
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    listing_pages: list[str] = field(default_factory=list)  # every HTML start/listing page read
    news_listings: list[str] = field(default_factory=list)  # those pages, when listings yielded articles
    hosts: dict[str, int] = field(default_factory=dict)  # article host -> articles
    other_hosts: list[str] = field(default_factory=list)  # article hosts other than the start URLs'
    n_articles: int = 0
    per_year: dict[str, int] = field(default_factory=dict)  # "2024" -> articles, newest first; "unknown" last
    via: dict[str, int] = field(default_factory=dict)  # "feed" | "sitemap" | "listing" | "start" -> articles
    n_requests: int = 0
    sample_articles: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True if the verdict is ``ok`` (news found beyond the start page's teasers)."""
        return self.verdict == "ok"

    @property
    def found_news(self) -> bool:
        """True if discovery found at least one article URL."""
        return self.n_articles > 0

    def to_dict(self) -> dict[str, Any]:
        """The report as a JSON-ready dict (the fields plus ``ok``)."""
        return {**asdict(self), "ok": self.ok}


class _BudgetFetcher:
    """A fetcher for one check: passes requests to ``inner`` until ``budget`` page requests were made."""

    def __init__(self, inner: PoliteFetcher, budget: int) -> None:
        self.inner, self.budget, self.used = inner, budget, 0

    def fetch(self, url: str, **kw: Any) -> FetchResult:
        """``PoliteFetcher.fetch`` while the budget lasts, else a ``skipped_budget`` result (no request)."""
        if self.used >= self.budget:
            return FetchResult(url, url, "skipped_budget",
                               error=f"{url}: not read (check budget of {self.budget} requests used)")
        res = self.inner.fetch(url, **kw)
        self.used += max(res.attempts, 0)
        return res

    def __getattr__(self, name: str) -> Any:  # robots_sitemaps, robots_allows, ...
        return getattr(self.inner, name)


def year_of(lastmod: str | None, url: str) -> str:
    """The year of an article: from its feed/sitemap date, else from a date in its URL, else ``unknown``."""
    if lastmod:
        y = _year_of_date(lastmod)
        if y is not None:
            return str(y)
    path = urlsplit(url).path
    for m in _URL_YEAR.finditer(path):
        if m.group("y"):
            return m.group("y")
        if safe_date(int(m.group("iy")), int(m.group("m")), int(m.group("d"))) is not None:
            return m.group("iy")
    return UNKNOWN_YEAR


def _year_of_date(text: str) -> int | None:
    """Year of an ISO 8601 date (sitemaps, Atom) or an RFC 822 date (RSS ``pubDate``); None if unreadable."""
    text = text.strip()
    m = _ISO_START.match(text)
    if m:
        return int(m.group(1))
    try:
        when: datetime = datetime.fromisoformat(text)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if not 1950 <= when.year <= datetime.now(UTC).year + 1:
        return None
    return when.year


def per_year(candidates: Iterable[Candidate]) -> dict[str, int]:
    """Articles per year, newest year first, ``unknown`` last."""
    counts = Counter(year_of(c.lastmod, c.url) for c in candidates)
    years = sorted((y for y in counts if y != UNKNOWN_YEAR), reverse=True)
    out = {y: counts[y] for y in years}
    if UNKNOWN_YEAR in counts:
        out[UNKNOWN_YEAR] = counts[UNKNOWN_YEAR]
    return out


def _verdict(source: Source, found: DiscoveryResult, via: Mapping[str, int], news_listings: list[str]) -> str:
    if found.articles:
        starts = {canonicalize(u) for u in source.start_urls}
        only_listing = set(via) <= {"listing", "start"} and not found.feeds and not found.sitemaps
        paginated = any(canonicalize(u) not in starts for u in news_listings)
        return "teasers" if only_listing and not paginated else "ok"
    read_anything = bool(found.feeds or found.sitemaps or found.listings)
    if not read_anything and any("robots.txt" in s and "disallow" in s for s in found.skipped):
        return "robots"
    if (not read_anything and _off_host_redirect(found.errors)) or found.off_host_news:
        return "off_host"
    if not read_anything and found.errors:
        return "unreachable"
    return "no_news"


def _off_host_redirect(errors: list[str]) -> str | None:
    """The host a start URL redirected to when that host is not one of the source's, else None."""
    for e in errors:
        if _OFF_HOST in e:
            return host_of(e.split(": ", 1)[0])
    return None


def check_source(
    source: Source,
    fetcher: PoliteFetcher,
    sample: int = 5,
    *,
    max_listing_pages: int = CHECK_MAX_LISTING_PAGES,
    max_requests: int = CHECK_MAX_REQUESTS,
) -> SourceCheck:
    """Run discovery only, within a bounded budget, and report what it found with a verdict and a hint.

    Never raises for site faults: they are listed in ``failures`` (and decide the verdict).
    """
    check = SourceCheck(
        source.id, source.name, source.kind, source.kommun, source.verified, list(source.start_urls),
    )
    bounded = replace(source, max_pages=max(1, min(source.max_pages, max_listing_pages)))
    budget = _BudgetFetcher(fetcher, max_requests)
    try:
        found = discover_source(bounded, budget, None, conditional=False)  # type: ignore[arg-type]
    except Exception as exc:  # noqa: BLE001 - one failing source never stops the check of the others
        check.failures.append(f"{source.id}: discovery aborted ({type(exc).__name__}: {exc})")
        check.verdict, check.hint = "unreachable", f"{HINTS['unreachable']} ({type(exc).__name__})"
        return check
    _fill(check, source, found, sample)
    check.n_requests = budget.used
    return check


def _fill(check: SourceCheck, source: Source, found: DiscoveryResult, sample: int) -> None:
    cands = list(found.articles.values())
    via = Counter(c.via for c in cands)
    check.feeds, check.sitemaps, check.listing_pages = list(found.feeds), list(found.sitemaps), list(found.listings)
    check.news_listings = list(found.listings) if via.get("listing") else []
    hosts = Counter(host_of(c.url) for c in cands)
    check.hosts = dict(hosts.most_common())
    start_hosts = frozenset(host_of(u) for u in source.start_urls)
    check.other_hosts = [h for h in check.hosts if not host_allowed(h, start_hosts)]
    check.n_articles = len(cands)
    check.per_year = per_year(cands)
    check.via = dict(via.most_common())
    check.sample_articles = [c.url for c in cands[:sample]]
    check.skipped, check.failures = list(found.skipped), list(found.errors)
    check.verdict = _verdict(source, found, via, check.news_listings)
    check.hint = HINTS[check.verdict]
    if check.verdict == "off_host":
        redirect = _off_host_redirect(found.errors)
        if redirect and not found.off_host_news:
            check.hint = f"{HINTS['off_host']} (hosts = [\"{redirect}\"])"
        else:
            news_host = host_of(found.off_host_news[0])
            check.hint = f"the news links lead to another host: add it to the source's hosts (hosts = [\"{news_host}\"])"
    if check.verdict == "unreachable" and found.errors:
        check.hint = f"{HINTS['unreachable']} ({found.errors[0]})"


# -- the operator's table ---------------------------------------------------------------------------
_COLUMNS = ("verdict", "feeds", "sitemaps", "listings", "hosts", "articles")
_LABELS = {"ok": "ok", "teasers": "teasers", "no_news": "NO NEWS", "off_host": "OFF HOST", "robots": "ROBOTS",
           "unreachable": "UNREACHABLE"}


def table_header(id_width: int) -> str:
    """The header line of the table printed by ``samverkan sources check``."""
    return f"{'source':<{id_width}}  {'verdict':<11} {'feeds':>5} {'sitemaps':>8} {'listings':>8} " \
           f"{'hosts':>5} {'articles':>8}  per year"


def table_row(check: Mapping[str, Any], id_width: int) -> str:
    """One source as a table line; notes at the end name extra news hosts, failures, a used-up budget and,
    for a verdict other than ok, its hint."""
    years = " ".join(f"{'?' if y == UNKNOWN_YEAR else y}:{n}" for y, n in check["per_year"].items()) or "-"
    line = (
        f"{check['source_id']:<{id_width}}  {_LABELS.get(check['verdict'], check['verdict']):<11} "
        f"{len(check['feeds']):>5} {len(check['sitemaps']):>8} {len(check['news_listings']):>8} "
        f"{len(check['hosts']):>5} {check['n_articles']:>8}  {years}"
    )
    notes = []
    if check["other_hosts"]:
        notes.append("news also on " + ", ".join(check["other_hosts"]))
    if check["failures"] and check["verdict"] in ("ok", "teasers", "no_news"):
        notes.append(f"{len(check['failures'])} failed (see --json)")
    if any("check budget" in s for s in check["skipped"]):
        notes.append("check budget used up")
    if check["verdict"] != "ok":
        notes.append(check["hint"])
    return line + ("  -- " + "; ".join(notes) if notes else "")


def summary_lines(checks: Sequence[Mapping[str, Any]], registry: Sequence[Source]) -> list[str]:
    """The summary under the table: verdict counts, sources to fix by hand, and the registry's coverage
    (entries with ``verified``, and distinct kommuner among them)."""
    verdicts = Counter(c["verdict"] for c in checks)
    n_ok = verdicts.get("ok", 0)
    lines = [f"checked {len(checks)} source(s): {n_ok} ok, {len(checks) - n_ok} need a look "
             f"({', '.join(f'{_LABELS[v].lower()} {verdicts[v]}' for v in VERDICTS if v != 'ok' and verdicts[v]) or 'none'})"]
    start = [c["source_id"] for c in checks if c["verdict"] in ("no_news", "teasers")]
    if start:
        lines.append(f"need a hand-set news start URL ({len(start)}): {', '.join(start)}")
    hosts = [c["source_id"] for c in checks if c["verdict"] == "off_host"]
    if hosts:
        lines.append(f"need another host in hosts ({len(hosts)}): {', '.join(hosts)}")
    blocked = [c["source_id"] for c in checks if c["verdict"] in ("robots", "unreachable")]
    if blocked:
        lines.append(f"blocked or unreachable ({len(blocked)}): {', '.join(blocked)}")
    verified = [s for s in registry if s.verified]
    kommuner = {s.kommun for s in registry if s.kommun}
    kommuner_verified = {s.kommun for s in verified if s.kommun}
    per_kommun = f" ({len(kommuner_verified)} of {len(kommuner)} kommuner)" if kommuner else ""
    lines.append(f"registry coverage: {len(verified)} of {len(registry)} entries have a verified start URL{per_kommun}")
    return lines
