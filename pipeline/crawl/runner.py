"""Crawl work by source id and path, for flows and the CLI.

Holds one :class:`pipeline.crawl.fetch.PoliteFetcher` per process, so per-host
politeness holds across all sources crawled in parallel threads. Sources crawled at the same
time in one process also share one :class:`pipeline.crawl.state.CrawlState` (one SQLite
connection instead of hundreds writing the same file) and one parse of the registry.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import asdict, is_dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.config import Paths
from pipeline.errors import RefetchError

if TYPE_CHECKING:
    from pipeline.crawl.sources import Source
    from pipeline.crawl.state import CrawlState
    from pipeline.raw.store import RawRecord

_FETCHER: Any = None
_FETCHER_LOCK = threading.Lock()
_STATES: dict[Path, tuple[CrawlState, int]] = {}  # state file -> (open state, crawls using it)
_STATES_LOCK = threading.Lock()
_REGISTRIES: dict[Path, tuple[tuple[int, int], dict[str, Source]]] = {}  # registry -> ((mtime_ns, size), sources)
_REGISTRIES_LOCK = threading.Lock()


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


def _sources_by_id(registry: Path) -> dict[str, Source]:
    """The sources of ``registry`` by id, parsed once per version of the file (mtime and size)."""
    from pipeline.crawl.sources import load_sources

    key = registry.resolve()
    st = key.stat()
    stamp = (st.st_mtime_ns, st.st_size)
    with _REGISTRIES_LOCK:
        cached = _REGISTRIES.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        sources = {s.id: s for s in load_sources(registry)}
        _REGISTRIES[key] = (stamp, sources)
        return sources


def _acquire_state(state_dir: Path) -> CrawlState:
    """The crawl state of ``state_dir``, opened by the first crawl that needs it and shared with the others."""
    from pipeline.crawl.state import CrawlState

    key = (Path(state_dir) / "crawl.sqlite").resolve()
    with _STATES_LOCK:
        held = _STATES.get(key)
        if held is None:
            held = (CrawlState(key), 0)
        _STATES[key] = (held[0], held[1] + 1)
        return held[0]


def _release_state(state: CrawlState) -> None:
    """One crawl is done with ``state``; the last one closes it."""
    key = state.path
    with _STATES_LOCK:
        held = _STATES.get(key)
        if held is None or held[0] is not state:
            state.close()
            return
        if held[1] <= 1:
            del _STATES[key]
            state.close()
        else:
            _STATES[key] = (state, held[1] - 1)


def crawl_one(
    source_id: str, registry: Path, paths: Paths, *, refetch: bool = False, since: date | None = None
) -> dict[str, Any]:
    """Crawl the source ``source_id`` of ``registry`` into ``paths.raw``; returns its report as a dict.
    Articles dated before ``since`` are not fetched.

    Safe to call from many threads at once: they share the process's fetcher and crawl state.
    """
    from pipeline.crawl.source import crawl_source
    from pipeline.raw.store import RawStore

    source = _sources_by_id(registry)[source_id]
    paths.ensure()
    state = _acquire_state(paths.state)
    try:
        report = crawl_source(source, RawStore(paths.raw), state, shared_fetcher(), refetch=refetch, since=since)
    finally:
        _release_state(state)
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
