"""The nightly flow: discover → fetch → archive → extract → relevance → NLP → write.

Thin Prefect wrapper over :mod:`pipeline`. Each source is crawled in its own
task, all sources at once (``CRAWL_WORKERS`` threads: a crawl thread mostly waits out its
host's interval, so the night lasts as long as the largest site needs at its allowed rate;
one failing source never stops the others); NLP runs
over batches of pending raw records; each batch is committed atomically, so an
interrupted night resumes where it stopped. Without ``PREFECT_API_URL`` the
flow runs on Prefect's ephemeral API.
"""

from __future__ import annotations

import json
import logging
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from pipeline.config import resolve_data_dir
from pipeline.run import jobs
from pipeline.run.process import iter_batches


def _registry(sources: str | None) -> Path:
    from pipeline.crawl.sources import DEFAULT_REGISTRY

    return Path(sources) if sources else DEFAULT_REGISTRY


@task(name="crawl-source", cache_policy=NO_CACHE)
def crawl_source_task(
    source_id: str, registry: str, data_dir: str, refetch: bool = False, since: str | None = None
) -> dict[str, Any]:
    """Discover and fetch one source; returns its CrawlReport as a dict (never raises for site faults).
    ``since`` is an ISO date: articles dated before it are not fetched (None: no bound)."""
    from pipeline.crawl.runner import crawl_one

    return crawl_one(
        source_id, Path(registry), resolve_data_dir(data_dir), refetch=refetch,
        since=date.fromisoformat(since) if since else None,
    )


@task(name="process-batch", cache_policy=NO_CACHE)
def process_batch_task(
    raw_ids: list[str], data_dir: str, source_kommun: dict[str, str | None], base_model: str | None, n_process: int
) -> jobs.StagedBatch:
    """Extract + NLP for a batch of raw ids; rows are staged on disk, the summary returned."""
    return jobs.process_raw_batch(
        resolve_data_dir(data_dir), raw_ids, source_kommun=source_kommun, base_model=base_model, n_process=n_process
    )


def _run_rows(
    run_id: str, flow_name: str, started: datetime, reports: list[dict[str, Any]], staged: list[jobs.StagedBatch]
) -> list[dict[str, Any]]:
    finished = datetime.now(UTC)
    per_source: dict[str, list[int]] = {}
    process_errors: list[str] = []
    for batch in staged:
        process_errors += batch.errors
        for sid, (n, r) in batch.per_source.items():
            acc = per_source.setdefault(sid, [0, 0])
            acc[0] += n
            acc[1] += r
    rows = []
    for rep in reports:
        sid = rep["source_id"]
        n, r = per_source.get(sid, [0, 0])
        failed = rep.get("fatal") or (rep["n_failed"] and not rep["n_fetched"] and not rep["n_unchanged"])
        rows.append(
            {
                "run_id": run_id,
                "flow": flow_name,
                "source_id": sid,
                "started_at": started,
                "finished_at": finished,
                "status": "failed" if failed else ("partial" if rep["errors"] else "completed"),
                "n_discovered": rep["n_discovered"],
                "n_fetched": rep["n_fetched"],
                "n_unchanged": rep["n_unchanged"],
                # not archived on purpose: robots, size, type, a listing/section page, dated before --since
                "n_skipped": rep["n_skipped"] + rep.get("n_not_articles", 0) + rep.get("n_too_old", 0),
                "n_failed": rep["n_failed"],
                "n_articles": n,
                "n_relevant": r,
                "errors": json.dumps(rep["errors"][:50], ensure_ascii=False),
            }
        )
    total = {
        k: sum(int(row[k]) for row in rows)
        for k in ("n_discovered", "n_fetched", "n_unchanged", "n_skipped", "n_failed")
    }
    n_art = sum(b.n_articles for b in staged)
    n_rel = sum(b.n_relevant for b in staged)
    any_failed = any(row["status"] == "failed" for row in rows)
    rows.append(
        {
            "run_id": run_id,
            "flow": flow_name,
            "source_id": None,
            "started_at": started,
            "finished_at": finished,
            "status": "partial" if any_failed or process_errors else "completed",
            **total,
            "n_failed": total["n_failed"] + len(process_errors),
            "n_articles": n_art,
            "n_relevant": n_rel,
            "errors": json.dumps(process_errors[:200], ensure_ascii=False),
        }
    )
    return rows


def _flow_run_id() -> str:
    try:
        from prefect.runtime import flow_run

        rid = flow_run.id
        if rid:
            return str(rid)
    except Exception as exc:  # noqa: BLE001 - outside a flow run there is no flow-run id
        logging.getLogger(__name__).debug("no flow run id (%s); using a random run id", exc)
    return uuid.uuid4().hex


CRAWL_WORKERS = 512  # threads for crawl tasks: every source of the national registry (290) at once


@flow(name="nightly", task_runner=ThreadPoolTaskRunner(max_workers=CRAWL_WORKERS))  # type: ignore[arg-type]  # prefect 3.8 types the runner generically
def nightly(
    sources: str | None = None,
    data_dir: str | None = None,
    batch_size: int = 64,
    refetch: bool = False,
    base_model: str | None = None,
    n_process: int = 1,
    flow_label: str = "nightly",
    since: str | None = None,
) -> dict[str, Any]:
    """Crawl every source in the registry ``sources`` (default: all 290 kommuner) and update processed/.

    ``since`` bounds the backfill: articles dated before it (URL date or sitemap lastmod) are not fetched;
    an ISO date, ``"all"`` for no bound, or None for two years before today (see pipeline.crawl.window).
    """
    from pipeline.crawl.sources import load_sources
    from pipeline.crawl.window import parse_since
    from pipeline.tables.store import Store

    logger = get_run_logger()
    started = datetime.now(UTC)
    run_id = _flow_run_id()
    paths = resolve_data_dir(data_dir).ensure()
    registry = _registry(sources)
    srcs = load_sources(registry)
    store = Store(paths.processed)
    with store.lock():
        window = parse_since(since)
        logger.info("crawling %d sources from %s (articles since %s)", len(srcs), registry, window or "any date")
        day = window.isoformat() if window else None
        futures = [crawl_source_task.submit(s.id, str(registry), str(paths.root), refetch, day) for s in srcs]
        reports: list[dict[str, Any]] = []
        for src, fut in zip(srcs, futures, strict=True):
            try:
                reports.append(fut.result())
            except Exception as exc:  # noqa: BLE001 - one failing source never stops the others
                logger.error("source %s failed: %s", src.id, exc)
                reports.append(
                    {"source_id": src.id, "raw_ids": [], "n_discovered": 0, "n_fetched": 0, "n_unchanged": 0,
                     "n_skipped": 0, "n_failed": 1, "errors": [f"{type(exc).__name__}: {exc}"], "fatal": True}
                )
        source_kommun = {s.id: s.kommun for s in srcs}
        archive_errors: list[str] = []
        pending = jobs.pending_raw_ids(paths, store.raw_ids(), errors=archive_errors)
        logger.info("%d article pages to process", len(pending))
        staged_all: list[jobs.StagedBatch] = []
        for batch in iter_batches(pending, batch_size):
            staged = process_batch_task(batch, str(paths.root), source_kommun, base_model, n_process)
            jobs.commit_staged(store, [staged])  # in the flow: the run holds the store's single-writer lock
            staged_all.append(staged)
        store.write_table("kommuner", jobs.kommun_rows())
        jobs.refresh_agreements(store)  # issue 17: agreements after the run's commits (no write if unchanged)
        if archive_errors:  # corrupt raw records: reported with the run, never fatal
            staged_all.append(jobs.StagedBatch("", 0, 0, errors=archive_errors))
        run_rows = _run_rows(run_id, flow_label, started, reports, staged_all)
        store.append_runs(run_rows)
    summary = {k: v for k, v in run_rows[-1].items() if k.startswith("n_") or k in ("status", "run_id")}
    summary["sources"] = [asdict_safe(r) for r in run_rows[:-1]]
    logger.info("nightly done: %s", {k: v for k, v in summary.items() if k != "sources"})
    return summary


def asdict_safe(row: dict[str, Any]) -> dict[str, Any]:
    """A run row with timestamps as ISO strings (for printing)."""
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.items()}


__all__ = ["nightly", "crawl_source_task", "process_batch_task"]
