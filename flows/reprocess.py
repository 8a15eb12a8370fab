"""Reprocessing flows: one article, or the whole archive from raw/ with no network.

``reprocess_archive`` can run its NLP batches on Dask (prefect-dask): pass
``dask_address`` for an existing scheduler, or ``"local"`` for a LocalCluster
with one process per core.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from flows.nightly import process_batch_task
from pipeline.config import resolve_data_dir
from pipeline.run import jobs
from pipeline.run.process import iter_batches


@flow(name="reprocess_article")
def reprocess_article(ref: str, data_dir: str | None = None, refetch: bool = False) -> dict[str, Any]:
    """Reprocess one URL or article_id; replaces exactly that article's rows; returns facts added/removed."""
    from pipeline.run.reprocess import reprocess_one

    change = reprocess_one(resolve_data_dir(data_dir), ref, refetch=refetch).as_dict()
    get_run_logger().info("%s: %d facts added, %d removed", change["article_id"], len(change["added"]), len(change["removed"]))
    return change


@task(name="list-archive", cache_policy=NO_CACHE)
def list_archive_task(data_dir: str, since: str | None, until: str | None, errors: list[str] | None = None) -> list[str]:
    """Raw ids of the newest record per article URL fetched within [since, until]; corrupt records go to ``errors``."""
    lo = date.fromisoformat(since) if since else date.min
    hi = date.fromisoformat(until) if until else date.max
    records = jobs.latest_article_records(
        resolve_data_dir(data_dir), keep=lambda rec: lo <= rec.fetched_at.date() <= hi, errors=errors
    )
    return [rec.raw_id for rec in records]


@flow(name="reprocess_archive", task_runner=ThreadPoolTaskRunner(max_workers=1))  # type: ignore[arg-type]  # prefect 3.8 types the runner generically
def _reprocess_archive_flow(
    data_dir: str | None = None,
    since: str | None = None,
    until: str | None = None,
    batch_size: int = 200,
    n_process: int = 1,
    base_model: str | None = None,
) -> dict[str, Any]:
    from pipeline.crawl.sources import DEFAULT_REGISTRY, load_sources
    from pipeline.tables.store import Store

    logger = get_run_logger()
    paths = resolve_data_dir(data_dir).ensure()
    source_kommun = {s.id: s.kommun for s in load_sources(DEFAULT_REGISTRY)}
    store = Store(paths.processed)
    with store.lock():
        archive_errors: list[str] = []
        raw_ids = list_archive_task(str(paths.root), since, until, archive_errors)
        logger.info("reprocessing %d articles from %s", len(raw_ids), paths.raw)
        futures = [
            process_batch_task.submit(batch, str(paths.root), source_kommun, base_model, n_process)
            for batch in iter_batches(raw_ids, batch_size)
        ]
        staged = [f.result() for f in futures]
        record_errors = archive_errors or any(item.errors for item in staged)
        if since is None and until is None and not record_errors:

            def batches() -> Iterator[dict[str, list[dict[str, Any]]]]:
                for item in staged:
                    yield jobs.load_staged([item])

            store.rebuild(batches())
            jobs.discard_staged(staged)
        else:  # a date range, or unreadable raw records whose articles must keep their stored rows: upsert
            for item in staged:
                jobs.commit_staged(store, [item])
        jobs.refresh_agreements(store)  # issue 17: agreements from the committed tables (same ids as before)
        store.write_table("kommuner", jobs.kommun_rows())
    errors = archive_errors + [e for s in staged for e in s.errors]
    return {
        "articles": sum(s.n_articles for s in staged),
        "relevant": sum(s.n_relevant for s in staged),
        "errors": errors,
    }


def reprocess_archive(
    data_dir: str | None = None,
    since: str | None = None,
    until: str | None = None,
    batch_size: int = 200,
    dask_address: str | None = None,
    n_process: int = 1,
    base_model: str | None = None,
) -> dict[str, Any]:
    """Reprocess all of raw/ (or a fetch-date range) with the current model and rules; no network."""
    runner: Any
    if dask_address:
        from prefect_dask import DaskTaskRunner

        if dask_address == "local":
            runner = DaskTaskRunner(cluster_kwargs={"n_workers": 2, "threads_per_worker": 1, "processes": True})
        else:
            runner = DaskTaskRunner(address=dask_address)
        flow_ = _reprocess_archive_flow.with_options(task_runner=runner)
    elif n_process > 1:
        # one batch thread per worker process: while this process stages one batch's rows, the
        # workers are already analysing the next, so neither core waits
        flow_ = _reprocess_archive_flow.with_options(task_runner=ThreadPoolTaskRunner(max_workers=n_process))  # type: ignore[arg-type]
    else:
        flow_ = _reprocess_archive_flow
    return flow_(
        data_dir=data_dir, since=since, until=until, batch_size=batch_size, n_process=n_process, base_model=base_model
    )
