"""From raw records or local files to article results and table rows.

Pure library code: the flows call :func:`process_records` on batches, the CLI
calls :func:`process_file` for one article. NLP runs over whole batches with
``nlp.pipe`` (inside :func:`pipeline.nlp.analyse`).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.config import DATA_FILES_DIR
from pipeline.facts import ArticleFacts, DateFact
from pipeline.tables.derive import rows_by_table
from pipeline.text.extract import ExtractedText, ExtractError, extract_file, extract_html

log = logging.getLogger(__name__)

PACKAGE_VERSION = "0.1.0"


@dataclass
class ArticleResult:
    """One article: its ``articles`` row and what the NLP stage found (None when not analysed)."""

    article: dict[str, Any]
    facts: ArticleFacts


@dataclass
class BatchOutcome:
    """Results of a batch plus the inputs that failed, each with a message naming it."""

    results: list[ArticleResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@lru_cache(maxsize=4)
def extractor_version(model_version: str = "") -> str:
    """Version string of code + rule data + model: changes whenever any of them changes."""
    digest = hashlib.sha256()
    for path in sorted((DATA_FILES_DIR).rglob("*")):
        if path.is_file() and "sources" not in path.parts and "demo" not in path.parts:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    suffix = f"+model.{model_version}" if model_version else ""
    return f"{PACKAGE_VERSION}+rules.{digest.hexdigest()[:10]}{suffix}"


def _model_version(nlp: Any) -> str:
    meta = getattr(nlp, "meta", {}) or {}
    return f"{meta.get('name', 'blank')}-{meta.get('version', '0')}"


def article_id_for(canonical_url: str | None, text: str) -> str:
    """Stable id: hash of the canonical URL, or of the text for text-only input."""
    basis = canonical_url if canonical_url else "text:" + text
    return "a_" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]


def _canonical(url: str | None) -> str | None:
    if not url:
        return None
    from pipeline.urls import canonicalize

    return canonicalize(url)


def build_article_row(
    ex: ExtractedText,
    *,
    url: str | None,
    source_id: str,
    fetched_at: datetime,
    raw_id: str | None,
    version: str,
) -> dict[str, Any]:
    """The ``articles`` row for extracted text (relevance filled in later)."""
    canonical = _canonical(url)
    return {
        "article_id": article_id_for(canonical, ex.text),
        "source_id": source_id,
        "url": url,
        "canonical_url": canonical,
        "title": ex.title,
        "published": ex.published,
        "published_source": ex.published_source,
        "modified": ex.modified,
        "language": ex.language,
        "text": ex.text,
        "text_sha256": hashlib.sha256(ex.text.encode("utf-8")).hexdigest(),
        "fetched_at": fetched_at,
        "raw_id": raw_id,
        "is_relevant": False,
        "relevance_score": 0.0,
        "extractor_version": version,
    }


def analyse_articles(
    nlp: Any,
    rows: Sequence[dict[str, Any]],
    *,
    source_kommun: Sequence[str | None] | None = None,
    batch_size: int = 32,
) -> list[ArticleResult]:
    """Run the NLP stage over article rows (Swedish ones only) and fill in relevance."""
    from pipeline.nlp import AnalysisInput, analyse

    kommuner = list(source_kommun) if source_kommun is not None else [None] * len(rows)
    results: list[ArticleResult] = [ArticleResult(row, ArticleFacts(False, 0.0, row.get("language"))) for row in rows]
    swedish = [i for i, row in enumerate(rows) if row.get("language") in (None, "sv")]
    inputs = [
        AnalysisInput(
            text=rows[i]["text"],
            title=rows[i].get("title"),
            published=rows[i].get("published"),
            url=rows[i].get("url"),
            source_kommun=kommuner[i],
        )
        for i in swedish
    ]
    for i, facts in zip(swedish, analyse(nlp, inputs, batch_size=batch_size), strict=True):
        facts.language = rows[i].get("language")
        results[i] = ArticleResult(rows[i], facts)
    for res in results:
        res.article["is_relevant"] = bool(res.facts.is_relevant)
        res.article["relevance_score"] = float(res.facts.relevance_score)
    return results


def process_records(
    nlp: Any,
    records: Iterable[Any],
    *,
    source_kommun: dict[str, str | None] | None = None,
    batch_size: int = 32,
) -> BatchOutcome:
    """Extract and analyse a batch of :class:`pipeline.raw.store.RawRecord` in this process.

    A record that cannot be extracted is reported in ``errors`` (naming its
    raw id and URL) and does not stop the batch. :func:`process_records_in_pool`
    does the same on worker processes.
    """
    return _process_serial(nlp, list(records), source_kommun=source_kommun, batch_size=batch_size)


def process_records_in_pool(
    base: str | None,
    records: Sequence[Any],
    *,
    source_kommun: dict[str, str | None] | None = None,
    batch_size: int = 32,
    n_process: int = 2,
) -> BatchOutcome:
    """:func:`process_records` on ``n_process`` worker processes that each hold ``load_nlp(base)``.

    Extraction and NLP both run in the workers, in chunks; this process never loads the
    pipeline itself, and the results come back in input order.
    """
    from pipeline.nlp import parallel

    outcome = BatchOutcome()
    chunks = parallel.chunked(records, n_process, max(batch_size, 8))
    for part in parallel.map_chunks(base, n_process, _process_chunk, chunks, source_kommun, batch_size):
        outcome.results += part.results
        outcome.errors += part.errors
    return outcome


def publisher_kommun(rec: Any, source_kommun: dict[str, str | None] | None) -> str | None:
    """The publishing kommun of a raw record: archived with the record at crawl time (so reprocessing
    does not depend on which registry is loaded), else looked up by source id."""
    archived = (getattr(rec, "extra", None) or {}).get("source_kommun")
    return archived or (source_kommun or {}).get(rec.source_id)


def _process_chunk(
    base: str | None, records: Sequence[Any], source_kommun: dict[str, str | None] | None, batch_size: int
) -> BatchOutcome:
    """Worker side of :func:`process_records`: the serial path with this process's pipeline."""
    from pipeline.nlp import load_nlp

    return _process_serial(load_nlp(base), records, source_kommun=source_kommun, batch_size=batch_size)


def _process_serial(
    nlp: Any, records: Iterable[Any], *, source_kommun: dict[str, str | None] | None, batch_size: int
) -> BatchOutcome:
    outcome = BatchOutcome()
    version = extractor_version(_model_version(nlp))
    rows: list[dict[str, Any]] = []
    kommuner: list[str | None] = []
    for rec in records:
        try:
            body = rec.body()
            ex = extract_html(
                body, url=rec.final_url or rec.url, content_type=rec.content_type, name=f"{rec.raw_id} ({rec.url})"
            )
        except (ExtractError, OSError) as exc:
            outcome.errors.append(f"raw {rec.raw_id} ({rec.url}): {exc}")
            continue
        except Exception as exc:  # noqa: BLE001 - a broken page must not stop the batch
            outcome.errors.append(f"raw {rec.raw_id} ({rec.url}): unexpected {type(exc).__name__}: {exc}")
            continue
        rows.append(
            build_article_row(
                ex, url=rec.url, source_id=rec.source_id, fetched_at=rec.fetched_at, raw_id=rec.raw_id, version=version
            )
        )
        kommuner.append(publisher_kommun(rec, source_kommun))
    outcome.results = analyse_articles(nlp, rows, source_kommun=kommuner, batch_size=batch_size)
    return outcome


def process_file(
    nlp: Any,
    path: Path,
    *,
    url: str | None = None,
    published: date | None = None,
    source_kommun: str | None = None,
) -> ArticleResult:
    """Extract and analyse one local .html or .txt file (raises ExtractError with a clear message)."""
    ex = extract_file(path, url=url, published=published)
    row = build_article_row(
        ex,
        url=url,
        source_id="file",
        fetched_at=datetime.now(UTC),
        raw_id=None,
        version=extractor_version(_model_version(nlp)),
    )
    return analyse_articles(nlp, [row], source_kommun=[source_kommun])[0]


def _published_fact(article: dict[str, Any]) -> DateFact | None:
    pub = article.get("published")
    if pub is None:
        return None
    return DateFact("published", pub, "day", pub.isoformat(), None, None)


def rows_for(results: Iterable[ArticleResult]) -> dict[str, list[dict[str, Any]]]:
    """Table rows (per ``schemas.ARTICLE_TABLES``) for a batch of results, derived through the schemas
    (:mod:`pipeline.tables.derive`). Irrelevant articles keep their ``articles`` row and get no other rows.
    """
    return rows_by_table((res.article, res.facts, _published_fact(res.article)) for res in results)


def result_json(res: ArticleResult) -> dict[str, Any]:
    """The DESIGN.md JSON object for one article: keys mirror the tables."""
    rows = rows_for([res])
    art = dict(res.article)
    collaborations = []
    for coll in rows["collaborations"]:
        cid = coll["collaboration_id"]
        c = dict(coll)
        c["parties"] = [p for p in rows["collaboration_parties"] if p["collaboration_id"] == cid]
        c["priority_areas"] = [a for a in rows["priority_areas"] if a["collaboration_id"] == cid]
        collaborations.append(c)
    payload = {
        "article": art,
        "collaborations": collaborations,
        "people": rows["people"],
        "dates": rows["dates"],
        "priority_areas": rows["priority_areas"],
        "kommuner": [{"code": code, "name": name} for code, name in res.facts.kommuner] if res.article["is_relevant"] else [],
        "mentions": rows["mentions"],
    }
    result: dict[str, Any] = json.loads(json.dumps(payload, default=_json_default, ensure_ascii=False))
    return result


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def iter_batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Yield lists of at most ``size`` items."""
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
