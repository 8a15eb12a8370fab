"""Agreement tables from the article tables, and their refresh in the store.

The agreement tables are *derived*: :func:`refresh_agreements` recomputes them from
``collaborations``, ``collaboration_parties`` and ``articles`` and writes all three in one atomic
commit (only when they changed). It runs once after the article commits of a run (nightly,
``reprocess --all``) and after ``reprocess`` of one article; if a run dies before it, the next
run brings the agreements up to date again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from pipeline.agreements.resolve import Agreement, Report, resolve
from pipeline.agreements.rules import Rules, load_rules
from pipeline.tables.schemas import AGREEMENT_TABLES

_OTHER_KINDS = ("myndighet", "region", "lansstyrelse", "organisation")


def reports_from_arrow(collaborations: pa.Table, parties: pa.Table, articles: pa.Table, rules: Rules | None = None) -> list[Report]:
    """One :class:`Report` per ``collaborations`` row, with its parties and its article's date and source.

    The publication date is ``articles.published``, else the date of ``fetched_at``.
    """
    rules = rules or load_rules()

    def cols(table: pa.Table, names: list[str]) -> list[list[Any]]:
        return [table.column(n).to_pylist() for n in names]

    art: dict[str, tuple[str | None, dt.date | None]] = {}
    for aid, source, published, fetched in zip(*cols(articles, ["article_id", "source_id", "published", "fetched_at"]), strict=True):
        art[aid] = (source, published or (fetched.date() if fetched is not None else None))
    by_collab: dict[str, list[tuple[str, str, str]]] = {}
    for cid, kind, pid, pname in zip(*cols(parties, ["collaboration_id", "party_kind", "party_id", "party_name"]), strict=True):
        if not pid:
            continue
        kind = kind or "organisation"
        pid = pid if kind == "kommun" else rules.agency(pid)
        by_collab.setdefault(cid, []).append((kind, pid, pname or pid))
    out = []
    names = ["collaboration_id", "article_id", "type", "name", "period_start", "period_end", "decided_on"]
    for cid, aid, type_, name, start, end, decided in zip(*cols(collaborations, names), strict=True):
        source, published = art.get(aid, (None, None))
        plist = by_collab.get(cid, [])
        kommuner = frozenset(pid for kind, pid, _ in plist if kind == "kommun")
        out.append(
            Report(cid, aid, source, published, type_, name, start, end, decided, kommuner,
                   frozenset(pid for kind, pid, _ in plist if kind != "kommun"), tuple(sorted(set(plist))))
        )
    return out


def agreement_rows(agreements: Iterable[Agreement]) -> dict[str, list[dict[str, Any]]]:
    """Rows of the three agreement tables (sorted, so equal results give equal rows)."""
    rows: dict[str, list[dict[str, Any]]] = {t: [] for t in AGREEMENT_TABLES}
    for ag in sorted(agreements, key=lambda a: a.agreement_id):
        rows["agreements"].append(
            {
                "agreement_id": ag.agreement_id,
                "type": ag.type,
                "name": ag.name,
                "period_start": ag.period_start,
                "period_end": ag.period_end,
                "decided_on": ag.decided_on,
                "first_reported": ag.first_reported,
                "last_reported": ag.last_reported,
                "n_articles": ag.n_articles,
                "n_sources": ag.n_sources,
                "renews": ag.renews,
                "confidence": ag.confidence,
            }
        )
        for kind, pid, name in ag.parties():
            rows["agreement_parties"].append({"agreement_id": ag.agreement_id, "party_kind": kind, "party_id": pid, "party_name": name})
        for r in sorted(ag.reports, key=lambda r: r.collaboration_id):
            rows["agreement_evidence"].append(
                {"agreement_id": ag.agreement_id, "article_id": r.article_id, "collaboration_id": r.collaboration_id}
            )
    return rows


@dataclass
class RefreshReport:
    """What :func:`refresh_agreements` did."""

    n_collaborations: int
    n_agreements: int
    written: bool


def compute_agreements(store: Any) -> dict[str, list[dict[str, Any]]]:
    """Resolve the store's current collaborations into agreement rows (reads, never writes)."""
    collabs = store.read_arrow("collaborations")
    parties = store.read_arrow("collaboration_parties")
    articles = store.read_arrow("articles", ["article_id", "source_id", "published", "fetched_at"])
    return agreement_rows(resolve(reports_from_arrow(collabs, parties, articles)))


def refresh_agreements(store: Any) -> RefreshReport:
    """Recompute the agreement tables of ``store`` and write them (one atomic commit) if they changed.

    Takes the store's single-writer lock (re-entrant when the caller holds it).
    """
    from pipeline.tables.store import cast_rows

    with store.lock():
        rows = compute_agreements(store)
        absent = any(not (store.root / t).is_dir() for t in AGREEMENT_TABLES)
        changed = absent or any(not cast_rows(t, rows[t]).equals(store.read_arrow(t)) for t in AGREEMENT_TABLES)
        if changed:
            store.write_tables(rows)
    n_collab = len(rows["agreement_evidence"])
    return RefreshReport(n_collab, len(rows["agreements"]), changed)
