"""Table rows derived from the fact model (:mod:`pipeline.facts`) through the table schemas.

A row of table ``T`` for a fact object takes, for each column of ``schema_for(T)``, the value
given by the caller (ids and keys such as ``article_id``) or else the fact's attribute of the
same name. So a new column needs two edits: the schema, and the fact class.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from pipeline.facts import ArticleFacts, DateFact
from pipeline.tables.schemas import ARTICLE_TABLES, schema_for


@cache
def columns(table: str) -> tuple[str, ...]:
    """The column names of ``table``, in schema order."""
    return tuple(schema_for(table).names)


def fact_row(table: str, fact: object, **keys: Any) -> dict[str, Any]:
    """One row of ``table``: each column from ``keys`` if given, else from ``fact``'s attribute of that name.

    Raises ``AttributeError`` naming the table and column when neither has it, so a schema
    column without a fact attribute is caught by the first test that writes the table.
    """
    row: dict[str, Any] = {}
    for col in columns(table):
        if col in keys:
            row[col] = keys[col]
        elif hasattr(fact, col):
            row[col] = getattr(fact, col)
        else:
            raise AttributeError(f"table {table!r}: column {col!r} is neither given nor an attribute of {type(fact).__name__}")
    return row


def collaboration_ids(article_id: str, n: int) -> list[str]:
    """The ids of an article's collaborations: ``<article_id>-c1``, ``-c2`` …"""
    return [f"{article_id}-c{i + 1}" for i in range(n)]


def article_fact_rows(article: dict[str, Any], facts: ArticleFacts, published: DateFact | None = None) -> dict[str, list[dict[str, Any]]]:
    """The rows of every article table for one relevant article (``articles`` excluded).

    ``published`` is added to ``dates`` when the NLP found no publication date itself.
    Parties are deduplicated per collaboration.
    """
    aid = article["article_id"]
    out: dict[str, list[dict[str, Any]]] = {t: [] for t in ARTICLE_TABLES if t != "articles"}
    coll_ids = collaboration_ids(aid, len(facts.collaborations))
    for cid, coll in zip(coll_ids, facts.collaborations, strict=True):
        out["collaborations"].append(fact_row("collaborations", coll, collaboration_id=cid, article_id=aid))
        seen: set[str] = set()
        for party in coll.parties:
            if party.party_id not in seen:
                seen.add(party.party_id)
                out["collaboration_parties"].append(fact_row("collaboration_parties", party, collaboration_id=cid, article_id=aid))
    for area in facts.priority_areas:
        idx = area.collaboration_index
        cid_or_none = coll_ids[idx] if idx is not None and 0 <= idx < len(coll_ids) else None
        out["priority_areas"].append(fact_row("priority_areas", area, article_id=aid, collaboration_id=cid_or_none))
    out["people"] = [fact_row("people", p, article_id=aid) for p in facts.people]
    dates = list(facts.dates)
    if published is not None and not any(d.kind == "published" for d in dates):
        dates.insert(0, published)
    out["dates"] = [fact_row("dates", d, article_id=aid) for d in dates]
    out["mentions"] = [fact_row("mentions", m, article_id=aid) for m in facts.mentions]
    return out


def rows_by_table(pairs: Iterable[tuple[dict[str, Any], ArticleFacts, DateFact | None]]) -> dict[str, list[dict[str, Any]]]:
    """Rows per article table for (article row, facts, published fact) triples; irrelevant articles get only their article row."""
    out: dict[str, list[dict[str, Any]]] = {t: [] for t in ARTICLE_TABLES}
    for article, facts, published in pairs:
        out["articles"].append(article)
        if not article.get("is_relevant"):
            continue
        for table, rows in article_fact_rows(article, facts, published).items():
            out[table].extend(rows)
    return out
