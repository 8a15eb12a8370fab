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


def check_registry(
    registry: Path, only: set[str] | None = None, *, limit: int | None = None, workers: int = 4,
) -> Iterator[dict[str, Any]]:
    """For each source (those in ``only``, the first ``limit``): what discovery finds, with a verdict
    (see :mod:`pipeline.crawl.check`), as dicts in registry order. Up to ``workers`` sources are checked
    at once through the shared polite fetcher (one request in flight per host still holds).

    Raises :class:`pipeline.errors.SourcesError` for a bad registry or an id in ``only`` it does not have.
    """
    from concurrent.futures import ThreadPoolExecutor

    from pipeline.crawl.check import check_source
    from pipeline.crawl.sources import load_sources
    from pipeline.errors import SourcesError

    sources = load_sources(registry)
    if only:
        unknown = sorted(only - {s.id for s in sources})
        if unknown:
            raise SourcesError(
                f"{registry}: no source with id {', '.join(map(repr, unknown))}; give ids of [[source]] entries "
                "of this registry to --only"
            )
        sources = [s for s in sources if s.id in only]
    if limit is not None:
        sources = sources[:limit]
    fetcher = shared_fetcher()
    pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="check")
    try:
        for check in pool.map(lambda s: check_source(s, fetcher), sources):
            yield check.to_dict()
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


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
