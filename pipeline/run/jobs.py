"""Units of work shared by the Prefect flows and the fast CLI paths.

Each function takes ids and paths and returns small summaries, so a flow can
wrap it as a task (and ship it to a Dask worker). Processed rows travel
between a processing unit and the commit step as staged files under
``state/staging/``, never as large task results.
"""

from __future__ import annotations

import logging
import os
import pickle
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.config import Paths
from pipeline.reference import kommun_rows as kommun_rows
from pipeline.run.process import ArticleResult, process_records, process_records_in_pool, rows_for
from pipeline.tables.schemas import ARTICLE_TABLES

log = logging.getLogger(__name__)


@dataclass
class StagedBatch:
    """A processed batch written to ``path`` (pickled rows per table), with its counts."""

    path: str
    n_articles: int
    n_relevant: int
    errors: list[str] = field(default_factory=list)
    per_source: dict[str, list[int]] = field(default_factory=dict)  # source_id -> [articles, relevant]


def staging_dir(paths: Paths) -> Path:
    """Folder for staged batches (inside the data dir's state/)."""
    d = paths.state / "staging"
    d.mkdir(parents=True, exist_ok=True)
    return d


def is_article_record(rec: Any) -> bool:
    """True for raw records of article pages (not discovery pages)."""
    return getattr(rec, "kind", "article") in (None, "article")


def latest_article_records(
    paths: Paths, keep: Callable[[Any], bool] | None = None, errors: list[str] | None = None
) -> list[Any]:
    """The newest raw record of each article (by canonical URL), oldest first; ``keep`` filters records.

    A corrupt raw record is skipped; its message is appended to ``errors`` (raised if None).
    """
    from pipeline.raw.store import RawStore

    on_error = None if errors is None else (lambda exc: errors.append(f"{exc}; the record is skipped"))
    latest: dict[str, Any] = {}
    for rec in RawStore(paths.raw).iter_records(on_error=on_error):
        if not is_article_record(rec) or (keep is not None and not keep(rec)):
            continue
        key = rec.canonical_url or rec.url
        if key not in latest or (rec.fetched_at, rec.raw_id) > (latest[key].fetched_at, latest[key].raw_id):
            latest[key] = rec
    return sorted(latest.values(), key=lambda r: (r.fetched_at, r.raw_id))


def pending_raw_ids(paths: Paths, done_raw_ids: set[str], errors: list[str] | None = None) -> list[str]:
    """Newest article records in raw/ that have no ``articles`` row yet, oldest first."""
    return [rec.raw_id for rec in latest_article_records(paths, errors=errors) if rec.raw_id not in done_raw_ids]


def stage_results(paths: Paths, results: Sequence[ArticleResult], errors: Iterable[str] = ()) -> StagedBatch:
    """Write the rows of ``results`` to a staged file and return its summary."""
    rows = rows_for(results)
    target = staging_dir(paths) / f"batch-{uuid.uuid4().hex}.pkl"
    tmp = target.with_suffix(".tmp")
    with open(tmp, "wb") as fh:
        pickle.dump(rows, fh, protocol=pickle.HIGHEST_PROTOCOL)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    per_source: dict[str, list[int]] = {}
    for art in rows["articles"]:
        counts = per_source.setdefault(art["source_id"], [0, 0])
        counts[0] += 1
        counts[1] += int(bool(art["is_relevant"]))
    return StagedBatch(
        str(target),
        n_articles=len(rows["articles"]),
        n_relevant=sum(1 for a in rows["articles"] if a["is_relevant"]),
        errors=list(errors),
        per_source=per_source,
    )


def process_raw_batch(
    paths: Paths,
    raw_ids: Sequence[str],
    *,
    source_kommun: dict[str, str | None] | None = None,
    base_model: str | None = None,
    n_process: int = 1,
) -> StagedBatch:
    """Extract and analyse the raw records ``raw_ids`` and stage their rows.

    The spaCy pipeline is loaded once per process (``load_nlp`` caches it).
    A record that cannot be read or extracted is reported in ``errors``.
    """
    from pipeline.nlp import load_nlp
    from pipeline.raw.store import RawStore

    store = RawStore(paths.raw)
    records = []
    errors: list[str] = []
    for raw_id in raw_ids:
        try:
            records.append(store.get(raw_id))
        except Exception as exc:  # noqa: BLE001 - a corrupt record is reported, the batch goes on
            errors.append(f"raw {raw_id}: cannot be read ({exc}); it is skipped")
    if n_process > 1 and len(records) > 1:  # the workers hold the pipeline; this process does not load it
        outcome = process_records_in_pool(base_model, records, source_kommun=source_kommun, n_process=n_process)
    else:
        outcome = process_records(load_nlp(base_model), records, source_kommun=source_kommun)
    return stage_results(paths, outcome.results, errors + outcome.errors)


def load_staged(staged: Iterable[StagedBatch | str]) -> dict[str, list[dict[str, Any]]]:
    """Merge staged batches into one rows-per-table dict (later batches win per article)."""
    merged: dict[str, list[dict[str, Any]]] = {t: [] for t in ARTICLE_TABLES}
    for item in staged:
        path = item.path if isinstance(item, StagedBatch) else item
        with open(path, "rb") as fh:
            rows: dict[str, list[dict[str, Any]]] = pickle.load(fh)  # noqa: S301 - our own staging file
        new_ids = {a["article_id"] for a in rows["articles"]}
        for table in ARTICLE_TABLES:
            merged[table] = [r for r in merged[table] if r["article_id"] not in new_ids] + rows.get(table, [])
    return merged


def discard_staged(staged: Iterable[StagedBatch | str]) -> None:
    """Remove staged files after they have been committed."""
    for item in staged:
        path = Path(item.path if isinstance(item, StagedBatch) else item)
        path.unlink(missing_ok=True)


def commit_staged(store: Any, staged: Sequence[StagedBatch | str]) -> int:
    """Replace the staged articles' rows in the store (atomic); return the number of articles.

    The flows call :func:`refresh_agreements` once after their last commit."""
    rows = load_staged(staged)
    if rows["articles"]:
        store.replace_articles(rows)
    discard_staged(staged)
    return len(rows["articles"])


# --- agreements (issue 17): derived tables, recomputed once after a run's commits ---
def refresh_agreements(store: Any) -> Any:
    """Recompute and (if changed) write the agreement tables; see :mod:`pipeline.agreements.tables`."""
    from pipeline.agreements import refresh_agreements as _refresh

    return _refresh(store)
