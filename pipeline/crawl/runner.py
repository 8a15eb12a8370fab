"""Crawl work by source id and path, for flows and the CLI.

Holds one :class:`pipeline.crawl.fetch.PoliteFetcher` per process, so per-host
politeness holds across all sources crawled in parallel threads.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.config import Paths
from pipeline.errors import RefetchError

if TYPE_CHECKING:
    from pipeline.raw.store import RawRecord

_FETCHER: Any = None
_FETCHER_LOCK = threading.Lock()


def shared_fetcher() -> Any:
    """The process-wide polite fetcher (created on first use)."""
    global _FETCHER
    with _FETCHER_LOCK:
        if _FETCHER is None:
            from pipeline.crawl.fetch import PoliteFetcher

            _FETCHER = PoliteFetcher()
        return _FETCHER


def _as_dict(obj: Any) -> dict[str, Any]:
    if is_dataclass(obj) and not isinstance(obj, type):
        return asdict(obj)
    return dict(obj)


def crawl_one(source_id: str, registry: Path, paths: Paths, *, refetch: bool = False) -> dict[str, Any]:
    """Crawl the source ``source_id`` of ``registry`` into ``paths.raw``; returns its report as a dict."""
    from pipeline.crawl.source import crawl_source
    from pipeline.crawl.sources import load_sources
    from pipeline.crawl.state import CrawlState
    from pipeline.raw.store import RawStore

    sources = {s.id: s for s in load_sources(registry)}
    source = sources[source_id]
    paths.ensure()
    with CrawlState.in_state_dir(paths.state) as state:
        report = crawl_source(source, RawStore(paths.raw), state, shared_fetcher(), refetch=refetch)
    return _as_dict(report)


def check_registry(registry: Path, only: set[str] | None = None) -> Iterator[dict[str, Any]]:
    """For each source: what discovery finds (feeds, sitemaps, listings, article count) and what failed."""
    from pipeline.crawl.source import check_source
    from pipeline.crawl.sources import load_sources

    for source in load_sources(registry):
        if only and source.id not in only:
            continue
        yield _as_dict(check_source(source, shared_fetcher()))


def refetch_article(paths: Paths, url: str, source_id: str | None = None) -> RawRecord:
    """Download ``url`` again (politely) and archive it; returns the new raw record.

    Raises :class:`pipeline.errors.RefetchError` naming the URL when the download fails.
    """
    from pipeline.raw.store import RawStore
    from pipeline.urls import host_of

    raw = RawStore(paths.raw)
    previous = raw.latest_for_url(url)
    sid = source_id or (previous.source_id if previous else "manual")
    result = shared_fetcher().fetch(url, allowed_hosts={host_of(url)}, allow_private=previous is not None)
    if not result.ok:
        raise RefetchError(f"{url}: refetch failed ({result.outcome}: {result.error or result.status})")
    return raw.put(sid, url, result.final_url, result.status or 200, result.headers, result.body, result.fetched_at)
