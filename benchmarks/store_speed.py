"""Time Store.replace_articles of 500 articles into a store already holding 20,000.

Usage: PYTHONPATH=. python benchmarks/store_speed.py [--articles 20000] [--replace 500] [--dir DIR]
Articles get ~3 kB of text and realistic child rows, spread over 2015-2025 (11 partitions).
Half of the replaced articles already exist (updates), half are new.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from pipeline.tables import schemas
from pipeline.tables.store import Store

WORDS = ["kommun", "polisen", "samverkan", "trygghet", "brott", "ungdomar", "avtal", "skatteverket", "insats", "område"]


def batch(ids: list[int], rng: random.Random, tag: str, year: int | None = None) -> dict[str, list[dict[str, Any]]]:
    """Rows for articles ``ids``; their year is ``2015 + i % 11`` unless ``year`` is given."""
    rows: dict[str, list[dict[str, Any]]] = {t: [] for t in schemas.ARTICLE_TABLES}
    for i in ids:
        aid = f"art{i:07d}"
        year_i = year or 2015 + i % 11
        text = " ".join(rng.choice(WORDS) for _ in range(400))
        rows["articles"].append(
            {
                "article_id": aid,
                "source_id": f"src{i % 290}",
                "url": f"https://example.se/nyheter/{i}",
                "title": f"Nyhet {i} {tag}",
                "published": dt.date(year_i, 1 + i % 12, 1 + i % 28),
                "fetched_at": dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
                "text": text,
                "text_sha256": f"{i:064d}",
                "raw_id": f"raw{i}-{tag}",
                "is_relevant": i % 3 != 0,
                "relevance_score": 0.5,
                "extractor_version": "bench",
            }
        )
        if i % 3 == 0:
            continue
        cid = f"{aid}-1"
        rows["collaborations"].append({"collaboration_id": cid, "article_id": aid, "type": "natverk", "evidence": text[:120]})
        for p in ("0486", "polismyndigheten"):
            rows["collaboration_parties"].append({"collaboration_id": cid, "article_id": aid, "party_id": p})
        for k in range(3):
            rows["priority_areas"].append({"article_id": aid, "area_code": "narkotika", "text": "narkotika", "start_char": k})
        rows["people"].append({"article_id": aid, "person_id": f"p{i % 500}", "name": "Anna Berg", "role_code": "kso"})
        for k in range(3):
            rows["dates"].append({"article_id": aid, "kind": "mentioned", "date": dt.date(year_i, 1, 1), "start_char": k})
        for k in range(12):
            rows["mentions"].append({"article_id": aid, "label": "KOMMUN", "text": "Strängnäs", "start_char": k * 10})
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=20_000)
    ap.add_argument("--replace", type=int, default=500)
    ap.add_argument("--dir", type=Path, default=None)
    args = ap.parse_args()
    rng = random.Random(1)
    base = args.dir or Path(tempfile.mkdtemp(prefix="store_speed-"))
    store = Store(base / "processed")
    t0 = time.perf_counter()
    store.rebuild(batch(list(range(s, min(s + 1000, args.articles))), rng, "v1") for s in range(0, args.articles, 1000))
    t_build = time.perf_counter() - t0
    size = sum(p.stat().st_size for p in store.root.rglob("*.parquet"))
    half = args.replace // 2
    ids = rng.sample(range(args.articles), half) + list(range(args.articles, args.articles + args.replace - half))
    rows = batch(ids, rng, "v2")
    timings = []
    for _ in range(3):
        t0 = time.perf_counter()
        store.replace_articles(rows)
        timings.append(time.perf_counter() - t0)
    # A typical night: 500 articles of the current year (250 updates of 2025 articles + 250 new).
    recent_old = [i for i in range(args.articles) if 2015 + i % 11 == 2025][:half]
    recent = batch(recent_old + list(range(10**6, 10**6 + args.replace - half)), rng, "v3", year=2025)
    recent_t = []
    for _ in range(3):
        t0 = time.perf_counter()
        store.replace_articles(recent)
        recent_t.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    n = len(store.article_ids())
    t_ids = time.perf_counter() - t0
    t0 = time.perf_counter()
    for t in schemas.ARTICLE_TABLES:
        store.read(t)
    t_read = time.perf_counter() - t0
    files = len(list(store.root.rglob("*.parquet")))
    print(f"rebuild of {args.articles} articles: {t_build:.1f} s; store size {size / 1e6:.1f} MB in {files} files")
    print(
        f"replace_articles({args.replace}: {half} updates + {args.replace - half} new) into {args.articles}: "
        + ", ".join(f"{x:.2f} s" for x in timings)
        + f" (best {min(timings):.2f} s)"
    )
    print(
        f"replace_articles({args.replace}, all published in one year): "
        + ", ".join(f"{x:.2f} s" for x in recent_t)
        + f" (best {min(recent_t):.2f} s)"
    )
    print(f"article_ids() of {n}: {t_ids:.2f} s; read all article tables to pandas: {t_read:.2f} s")
    if args.dir is None:
        shutil.rmtree(base)


if __name__ == "__main__":
    main()
