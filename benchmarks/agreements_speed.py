"""Time the agreement refresh that runs after every commit, on a store of 20,000 collaborations.

Usage: PYTHONPATH=. python benchmarks/agreements_speed.py [--collaborations 20000] [--dir DIR]

Synthetic but realistic: 290 kommuner, each reported over 2015-2025 with agreements of several types,
agencies (with aliases), periods, renewals and undated follow-up reports from several sources.
Prints: resolution alone (in memory), a first refresh (writes the three tables), a refresh with
nothing changed (no write), and a refresh after replacing one article (the reprocess path).
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

from pipeline.agreements import refresh_agreements, reports_from_arrow, resolve
from pipeline.nlp.vocab import kommuner
from pipeline.tables.store import Store

TYPES = ["samverkansoverenskommelse", "medborgarlofte", "handlingsplan", "avsiktsforklaring", "natverk", "other"]
KOMMUNER = sorted(kommuner())
AGENCIES = ["polismyndigheten", "lokalpolisen", "skatteverket", "forsakringskassan", "kriminalvarden", "lansstyrelse:14"]


def rows(n: int, rng: random.Random) -> dict[str, list[dict[str, Any]]]:
    """``n`` articles with one collaboration each."""
    out: dict[str, list[dict[str, Any]]] = {"articles": [], "collaborations": [], "collaboration_parties": []}
    for i in range(n):
        aid, cid = f"a{i:07d}", f"a{i:07d}-c1"
        kommun = rng.choice(KOMMUNER)
        start_year = rng.randrange(2015, 2026)
        dated = rng.random() < 0.6
        published = dt.date(start_year, rng.randrange(1, 13), rng.randrange(1, 28))
        type_ = rng.choice(TYPES)
        out["articles"].append({"article_id": aid, "source_id": f"s{rng.randrange(600)}", "published": published, "text": "x"})
        out["collaborations"].append({
            "collaboration_id": cid, "article_id": aid, "type": type_,
            "period_start": dt.date(start_year, 1, 1) if dated else None,
            "period_end": dt.date(start_year + rng.choice([0, 2, 3]), 12, 31) if dated else None,
        })
        out["collaboration_parties"].append({"collaboration_id": cid, "article_id": aid, "party_kind": "kommun",
                                             "party_id": kommun, "party_name": kommun})
        for agency in rng.sample(AGENCIES, rng.randrange(1, 3)):
            out["collaboration_parties"].append({"collaboration_id": cid, "article_id": aid, "party_kind": "myndighet",
                                                 "party_id": agency, "party_name": agency})
    return out


class Timer:
    """Wall and CPU seconds of a block (CPU time is what counts on a shared, loaded machine)."""

    def __enter__(self) -> Timer:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu

    def __str__(self) -> str:
        return f"{self.wall:6.2f} s wall {self.cpu:6.2f} s cpu"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--collaborations", type=int, default=20_000)
    ap.add_argument("--dir", type=Path)
    args = ap.parse_args()
    root = args.dir or Path(tempfile.mkdtemp(prefix="agreements-bench-"))
    rng = random.Random(17)
    data = rows(args.collaborations, rng)
    store = Store(root / "processed")
    store.replace_articles(data)
    c, p, a = (store.read_arrow(t) for t in ("collaborations", "collaboration_parties", "articles"))
    with Timer() as t:
        agreements = resolve(reports_from_arrow(c, p, a))
    print(f"collaborations: {c.num_rows}, agreements: {len(agreements)}")
    print(f"resolve in memory:           {t}")
    with Timer() as t:
        rep = refresh_agreements(store)
    print(f"first refresh (writes):      {t}  written={rep.written}")
    with Timer() as t:
        rep = refresh_agreements(store)
    print(f"refresh, nothing changed:    {t}  written={rep.written}")
    one = {k: [r for r in v if r["article_id"] == "a0000001"] for k, v in data.items()}
    one["collaborations"][0]["period_start"] = dt.date(2030, 1, 1)
    store.replace_articles(one)
    with Timer() as t:
        rep = refresh_agreements(store)
    print(f"refresh after one article:   {t}  written={rep.written}")
    if args.dir is None:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
