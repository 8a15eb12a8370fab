"""Shared fixtures: a small but realistic ``processed/`` data directory.

The Parquet files are written straight from :mod:`pipeline.tables.schemas` (not through the
store), one folder per table, as the store lays them out.
"""

from __future__ import annotations

import csv
import hashlib
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.config import DATA_FILES_DIR
from pipeline.tables import schemas

# (article_id, source_id, url, published, relevant, title, text, collaborations)
# collaboration: (type, evidence, parties[(kind, id, name, mention)], areas[(code, group, mention)], period)
_ARTICLES: list[dict[str, Any]] = [
    {
        "source": "lerum", "url": "https://www.lerum.se/nyheter/avtal-mot-valfardsbrott?utm_source=x",
        "published": date(2023, 3, 14), "title": "Lerum skriver avtal mot välfärdsbrott",
        "text": (
            "Lerums kommun, Polisen och Skatteverket har tecknat en samverkansöverenskommelse för 2023–2025. "
            "Parterna ska arbeta mot välfärdsbrott och mot narkotika i centrala Lerum. "
            "– Vi vill att skattepengar går till välfärden, säger Anna Berg (M), kommunstyrelsens ordförande."
        ),
        "collabs": [(
            "samverkansoverenskommelse", "Lerums kommun, Polisen och Skatteverket har tecknat en "
            "samverkansöverenskommelse för 2023–2025.",
            [("kommun", "1441", "Lerum", "Lerums kommun"), ("myndighet", "polismyndigheten", "Polisen", "Polisen"),
             ("myndighet", "skatteverket", "Skatteverket", "Skatteverket")],
            [("valfardsbrott", "valfardsbrott", "välfärdsbrott"), ("narkotika", "trygghet", "narkotika")],
            (date(2023, 1, 1), date(2025, 12, 31)),
        )],
        "people": [("Anna Berg", "kommunstyrelsens ordförande", "kso", "Lerums kommun", "1441", "M")],
    },
    {
        "source": "alingsas", "url": "https://www.alingsas.se/nyheter/medborgarlofte-2021",
        "published": date(2021, 5, 3), "title": "Nytt medborgarlöfte i Alingsås",
        "text": (
            "Alingsås kommun och lokalpolisen i Alingsås förnyar sitt medborgarlöfte. "
            "Fokus ligger på trygghet i offentlig miljö och på att färre unga ska rekryteras till kriminalitet."
        ),
        "collabs": [(
            "medborgarlofte", "Alingsås kommun och lokalpolisen i Alingsås förnyar sitt medborgarlöfte.",
            [("kommun", "1489", "Alingsås", "Alingsås kommun"),
             ("myndighet", "polismyndigheten", "Polisen", "lokalpolisen")],
            [("trygghet_offentlig_miljo", "trygghet", "trygghet i offentlig miljö"),
             ("rekrytering_unga", "organiserad_brottslighet", "unga ska rekryteras")],
            (None, None),
        )],
        "people": [],
    },
    {
        "source": "boras", "url": "https://www.boras.se/nyheter/samverkan-skatteverket",
        "published": date(2024, 11, 20), "title": "Borås och Skatteverket mot felaktiga utbetalningar",
        "text": (
            "Borås Stad, Skatteverket och Länsstyrelsen i Västra Götalands län samverkar mot välfärdsbrott "
            "och felaktig folkbokföring. Avsiktsförklaringen undertecknades den 20 november 2024."
        ),
        "collabs": [(
            "avsiktsforklaring", "Borås Stad, Skatteverket och Länsstyrelsen i Västra Götalands län samverkar mot "
            "välfärdsbrott och felaktig folkbokföring.",
            [("kommun", "1490", "Borås", "Borås Stad"), ("myndighet", "skatteverket", "Skatteverket", "Skatteverket"),
             ("lansstyrelse", "lansstyrelse:14", "Länsstyrelsen i Västra Götalands län",
              "Länsstyrelsen i Västra Götalands län")],
            [("valfardsbrott", "valfardsbrott", "välfärdsbrott"),
             ("folkbokforingsbrott", "valfardsbrott", "felaktig folkbokföring")],
            (None, None),
        )],
        "people": [],
    },
    {
        "source": "molndal", "url": "https://www.molndal.se/nyheter/projekt-mot-bidragsfusk",
        "published": date(2021, 2, 1), "title": "Mölndal prövar samverkan mot bidragsfusk",
        "text": "Mölndals stad och Skatteverket startar ett projekt mot välfärdsbrott under 2021.",
        "collabs": [(
            "other", "Mölndals stad och Skatteverket startar ett projekt mot välfärdsbrott under 2021.",
            [("kommun", "1481", "Mölndal", "Mölndals stad"),
             ("myndighet", "skatteverket", "Skatteverket", "Skatteverket")],
            [("valfardsbrott", "valfardsbrott", "välfärdsbrott")],
            (date(2021, 1, 1), date(2021, 12, 31)),
        )],
        "people": [],
    },
    {
        "source": "sodertalje", "url": "https://www.sodertalje.se/nyheter/natverk-mot-gangkriminalitet",
        "published": date(2022, 9, 8), "title": "Södertälje bygger nätverk mot gängen",
        "text": (
            "Södertälje kommun och Polisen startar ett nätverk mot kriminella nätverk och skjutningar. "
            "Kommunen satsar också på fler vuxna i skolan."
        ),
        "collabs": [(
            "natverk", "Södertälje kommun och Polisen startar ett nätverk mot kriminella nätverk och skjutningar.",
            [("kommun", "0181", "Södertälje", "Södertälje kommun"),
             ("myndighet", "polismyndigheten", "Polisen", "Polisen")],
            [("kriminella_natverk", "organiserad_brottslighet", "kriminella nätverk")],
            (None, None),
        )],
        "loose_areas": [("grovt_vald", "organiserad_brottslighet", "skjutningar")],
        "people": [],
    },
    {
        "source": "lerum", "url": "https://www.lerum.se/nyheter/ny-lekplats",
        "published": date(2023, 4, 2), "title": "Ny lekplats invigs", "text": "En ny lekplats öppnar vid ån i vår.",
        "relevant": False, "collabs": [], "people": [],
    },
]

_LABEL_OF_KIND = {"kommun": "KOMMUN", "myndighet": "MYNDIGHET", "lansstyrelse": "LANSSTYRELSE", "region": "REGION"}


def _span(text: str, needle: str, after: int = 0) -> tuple[int, int]:
    start = text.index(needle, after)
    return start, start + len(needle)


def build_rows() -> dict[str, list[dict[str, Any]]]:
    """Rows for every table, offsets computed from the texts."""
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in schemas.SCHEMAS}
    fetched = datetime(2024, 12, 1, 2, 30, tzinfo=UTC)
    for art in _ARTICLES:
        text: str = art["text"]
        canonical = art["url"].split("?")[0]
        aid = hashlib.sha256(canonical.encode()).hexdigest()[:16]
        relevant = art.get("relevant", True)
        rows["articles"].append({
            "article_id": aid, "source_id": art["source"], "url": art["url"], "canonical_url": canonical,
            "title": art["title"], "published": art["published"], "published_source": "metadata", "modified": None,
            "language": "sv", "text": text, "text_sha256": hashlib.sha256(text.encode()).hexdigest(),
            "fetched_at": fetched, "raw_id": "raw-" + aid, "is_relevant": relevant,
            "relevance_score": 0.9 if relevant else 0.05, "extractor_version": "test-1",
        })
        rows["dates"].append({"article_id": aid, "kind": "published", "date": art["published"], "granularity": "day",
                              "text": None, "start_char": None, "end_char": None})
        for i, (ctype, evidence, parties, areas, (p_start, p_end)) in enumerate(art["collabs"]):
            cid = f"{aid}-{i}"
            es, ee = _span(text, evidence)
            rows["collaborations"].append({
                "collaboration_id": cid, "article_id": aid, "type": ctype, "name": None, "period_start": p_start,
                "period_end": p_end, "decided_on": None, "evidence": evidence, "start_char": es, "end_char": ee})
            for kind, pid, pname, mention in parties:
                s, e = _span(text, mention)
                rows["collaboration_parties"].append({
                    "collaboration_id": cid, "article_id": aid, "party_kind": kind, "party_id": pid,
                    "party_name": pname, "start_char": s, "end_char": e})
                rows["mentions"].append({"article_id": aid, "label": _LABEL_OF_KIND[kind], "text": mention,
                                         "norm_id": pid, "start_char": s, "end_char": e})
            for code, group, mention in areas:
                s, e = _span(text, mention)
                rows["priority_areas"].append({
                    "article_id": aid, "collaboration_id": cid, "area_code": code, "area_group": group,
                    "text": mention, "start_char": s, "end_char": e})
                rows["mentions"].append({"article_id": aid, "label": "PRIORITY", "text": mention, "norm_id": code,
                                         "start_char": s, "end_char": e})
            if p_start is not None:
                for kind, d in (("period_start", p_start), ("period_end", p_end)):
                    rows["dates"].append({"article_id": aid, "kind": kind, "date": d, "granularity": "year",
                                          "text": str(d.year), "start_char": None, "end_char": None})
        for code, group, mention in art.get("loose_areas", []):
            s, e = _span(text, mention)
            rows["priority_areas"].append({
                "article_id": aid, "collaboration_id": None, "area_code": code, "area_group": group,
                "text": mention, "start_char": s, "end_char": e})
        for name, role, role_code, org, org_id, party in art["people"]:
            s, e = _span(text, name)
            rs, re_ = _span(text, role)
            rows["people"].append({
                "article_id": aid, "person_id": hashlib.sha1(name.lower().encode()).hexdigest()[:12], "name": name,
                "role": role, "role_code": role_code, "organisation": org, "organisation_id": org_id,
                "party": party, "start_char": s, "end_char": e})
            rows["mentions"] += [
                {"article_id": aid, "label": "PERSON", "text": name, "norm_id": None, "start_char": s, "end_char": e},
                {"article_id": aid, "label": "ROLE", "text": role, "norm_id": role_code, "start_char": rs,
                 "end_char": re_},
            ]
            ps, pe = _span(text, f"({party})")
            rows["mentions"].append({"article_id": aid, "label": "PARTY", "text": party, "norm_id": party,
                                     "start_char": ps + 1, "end_char": pe - 1})
    # A crossing span (a model PER/ORG style label overlapping a gazetteer span) to exercise the renderer.
    lerum = rows["articles"][0]
    s, e = _span(lerum["text"], "kommun, Polisen")
    rows["mentions"].append({"article_id": lerum["article_id"], "label": "ORG", "text": "kommun, Polisen",
                             "norm_id": None, "start_char": s, "end_char": e})
    with open(DATA_FILES_DIR / "kommuner.csv", encoding="utf-8", newline="") as fh:
        rows["kommuner"] = list(csv.DictReader(fh))
    rows["runs"].append({
        "run_id": "run-1", "flow": "nightly", "source_id": None, "started_at": fetched,
        "finished_at": datetime(2024, 12, 1, 2, 41, tzinfo=UTC), "status": "completed", "n_discovered": 7,
        "n_fetched": 6, "n_unchanged": 1, "n_skipped": 0, "n_failed": 0, "n_articles": 6, "n_relevant": 5,
        "errors": "[]"})
    # The derived agreement tables, resolved from the collaborations above (pipeline.agreements).
    from pipeline.agreements import agreement_rows, reports_from_arrow, resolve

    arrow = {t: pa.Table.from_pylist(rows[t], schema=schemas.schema_for(t))
             for t in ("collaborations", "collaboration_parties", "articles")}
    rows.update(agreement_rows(resolve(reports_from_arrow(
        arrow["collaborations"], arrow["collaboration_parties"], arrow["articles"]))))
    return rows


def write_processed(root: Path, tables: tuple[str, ...] | None = None) -> Path:
    """Write the fixture tables below ``root/processed/<table>/part-0.parquet``; return ``root``."""
    rows = build_rows()
    for name in tables if tables is not None else tuple(schemas.SCHEMAS):
        folder = root / "processed" / name
        folder.mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_pylist(rows[name], schema=schemas.schema_for(name))
        pq.write_table(table, folder / "part-0.parquet")
    (root / "processed").mkdir(parents=True, exist_ok=True)
    return root


@pytest.fixture
def processed_fixture(tmp_path: Path) -> Path:
    """A data directory whose ``processed/`` holds six articles (five relevant, four kommuner) and every table."""
    return write_processed(tmp_path / "data")


@pytest.fixture
def processed_writer() -> Any:
    """The function ``write_processed(root, tables=None) -> root`` (write only some tables to test gaps)."""
    return write_processed


@pytest.fixture
def processed_rows() -> dict[str, list[dict[str, Any]]]:
    """The rows behind :func:`processed_fixture`, per table."""
    return build_rows()
