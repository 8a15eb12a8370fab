"""Reprocess one article from raw/ (or refetched) and report what changed.

This is the fast path the analyst uses after fixing a rule or a model: no
Prefect start-up, one model load, one atomic replace of exactly that article's
rows in every table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pyarrow.compute as pc

from pipeline.config import Paths
from pipeline.crawl.runner import refetch_article
from pipeline.errors import AmbiguousArticleError, ArticleLookupError, RawStoreError
from pipeline.errors import ReprocessError as ReprocessError
from pipeline.raw.store import RawRecord, RawStore
from pipeline.tables.lookup import looks_like_url, match_article
from pipeline.tables.schemas import ARTICLE_TABLES
from pipeline.tables.store import Store

if TYPE_CHECKING:
    from spacy.language import Language


@dataclass
class ChangeReport:
    """What a reprocess changed for one article."""

    article_id: str
    url: str | None
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly dict."""
        return {"article_id": self.article_id, "url": self.url, "added": self.added, "removed": self.removed}


def _fact_strings(table: str, rows: list[dict[str, Any]]) -> set[str]:
    """Human-readable, comparable descriptions of the facts in ``rows``."""
    out: set[str] = set()
    for r in rows:
        if table == "articles":
            out.add(f"article: relevant={r['is_relevant']} published={r['published']} title={r['title']!r}")
        elif table == "collaborations":
            out.add(f"collaboration: {r['type']} {r['name'] or ''} period={r['period_start']}..{r['period_end']} decided={r['decided_on']}")
        elif table == "collaboration_parties":
            out.add(f"party: {r['party_kind']} {r['party_id']} ({r['party_name']})")
        elif table == "priority_areas":
            out.add(f"priority area: {r['area_code']} '{r['text']}'")
        elif table == "people":
            out.add(f"person: {r['name']} role={r['role_code']} party={r['party']} org={r['organisation_id']}")
        elif table == "dates":
            out.add(f"date: {r['kind']} {r['date']} ({r['granularity']}) '{r['text']}'")
        elif table == "mentions":
            out.add(f"mention: {r['label']} '{r['text']}' -> {r['norm_id']} @{r['start_char']}")
    return out


def _old_rows(store: Store, article_id: str) -> dict[str, list[dict[str, Any]]]:
    old: dict[str, list[dict[str, Any]]] = {}
    for table in ARTICLE_TABLES:
        data = store.read_arrow(table)
        if data.num_rows:
            data = data.filter(pc.equal(data["article_id"], article_id))
        old[table] = data.to_pylist()
    return old


def find_raw_record(paths: Paths, store: Store, ref: str) -> RawRecord:
    """The raw record to reprocess for ``ref`` (raises :class:`ReprocessError` naming it if none).

    ``ref`` is anything :func:`pipeline.tables.lookup.match_article` accepts (article_id, a
    unique prefix of it, URL, raw_id), or a URL or raw_id of raw/ that was never processed.
    An article is reprocessed from the newest raw record of its URL, except when ``ref`` is a
    raw_id: then from that very record.
    """
    raw = RawStore(paths.raw)
    key = ref.strip()
    if looks_like_url(key):
        rec = raw.latest_for_url(key)
        if rec is not None:
            return rec
    arts = store.read_arrow("articles", columns=["article_id", "raw_id", "url", "canonical_url"])
    try:
        ids, urls, canonical, raw_ids = (arts.column(c).to_pylist() for c in ("article_id", "url", "canonical_url", "raw_id"))
        i = match_article(key, ids, urls, canonical, raw_ids, str(paths.processed))
    except ArticleLookupError as exc:
        return _unprocessed_record(paths, raw, key, exc)
    row = arts.slice(i, 1).to_pylist()[0]
    if not row["raw_id"]:
        raise ReprocessError(f"{ref}: this article came from a local file and has no raw record; use `samverkan extract`")
    if key == row["raw_id"]:
        return raw.get(key)
    newest = raw.latest_for_url(row["url"]) if row["url"] else None
    return newest or raw.get(row["raw_id"])


def _unprocessed_record(paths: Paths, raw: RawStore, key: str, not_found: ArticleLookupError) -> RawRecord:
    """A raw record that is in raw/ but not (yet) in the articles table, else :class:`ReprocessError`."""
    if looks_like_url(key):
        raise ReprocessError(
            f"{key}: no raw record for this URL in {paths.raw}; run the nightly flow first or add --refetch"
        ) from None
    try:
        return raw.get(key)
    except RawStoreError:
        if isinstance(not_found, AmbiguousArticleError):
            raise ReprocessError(f"{key}: {not_found}") from None
        raise ReprocessError(
            f"{key}: no article with this id in {paths.processed} and no raw record with it in {paths.raw}; "
            "give an article_id (or its first 6+ characters), the article URL or a raw_id from the articles table"
        ) from None


def reprocess_one(paths: Paths, ref: str, *, refetch: bool = False, nlp: Language | None = None) -> ChangeReport:
    """Reprocess one article (article_id, id prefix, URL or raw_id) and replace exactly its rows."""
    from pipeline.nlp import load_nlp
    from pipeline.run.jobs import refresh_agreements
    from pipeline.run.process import process_records, rows_for

    paths.ensure()
    store = Store(paths.processed)
    if refetch:
        url = ref if looks_like_url(ref) else find_raw_record(paths, store, ref).url
        record = refetch_article(paths, url)
    else:
        record = find_raw_record(paths, store, ref)
    outcome = process_records(nlp if nlp is not None else load_nlp(), [record])
    if not outcome.results:
        raise ReprocessError(f"{ref}: the raw record could not be extracted: {'; '.join(outcome.errors)}")
    new_rows = rows_for(outcome.results)
    article_id = new_rows["articles"][0]["article_id"]
    with store.lock():
        old = _old_rows(store, article_id)
        store.replace_articles(new_rows)
        refresh_agreements(store)  # issue 17: the derived agreement tables follow the article
    report = ChangeReport(article_id, record.url)
    for table in ARTICLE_TABLES:
        before, after = _fact_strings(table, old.get(table, [])), _fact_strings(table, new_rows.get(table, []))
        report.added += sorted(after - before)
        report.removed += sorted(before - after)
    return report
