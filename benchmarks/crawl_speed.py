"""Crawl speed across 10 local hosts (0.2 s politeness interval each) and the cost of a second,
incremental run over the unchanged sites.

Run: PYTHONPATH=. python benchmarks/crawl_speed.py [--hosts 10] [--articles 30] [--interval 0.2]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pipeline.crawl.fetch import PoliteFetcher
from pipeline.crawl.source import crawl_source
from pipeline.crawl.sources import Source
from pipeline.crawl.state import CrawlState
from pipeline.raw.store import RawStore
from tests.support.server import SiteServer


def build_site(root: Path, n_articles: int, per_page: int = 10) -> None:
    """A listing paginated with ?page=N, plus n_articles article pages of ~8 kB."""
    pages = [list(range(i, min(i + per_page, n_articles))) for i in range(0, n_articles, per_page)]
    for p, ids in enumerate(pages, start=1):
        items = "".join(f'<li><a href="/nyheter/2024/artikel-nummer-{i}-om-trygghet/">Artikel {i}</a></li>' for i in ids)
        nxt = f'<a rel="next" href="/nyheter/?page={p + 1}">Nästa</a>' if p < len(pages) else ""
        html = f"<html><body><main><ul>{items}</ul>{nxt}</main></body></html>"
        target = root / "nyheter" / ("index.html" if p == 1 else f"__page_{p}/index.html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    for i in range(n_articles):
        d = root / "nyheter" / "2024" / f"artikel-nummer-{i}-om-trygghet"
        d.mkdir(parents=True, exist_ok=True)
        text = f"<p>Stycke {i} om samverkan mellan kommun och polis.</p>" * 150
        d.joinpath("index.html").write_text(f"<html><body><article><h1>Artikel {i}</h1>{text}</article></body></html>")


def run(servers: list[SiteServer], data: Path, interval: float) -> tuple[float, int, int, int]:
    store, state = RawStore(data / "raw"), CrawlState(data / "state" / "crawl.sqlite")
    sources = [
        Source(f"host{i}", f"Host {i}", "kommun", None, (srv.url("/nyheter/"),), rate_per_s=1 / interval)
        for i, srv in enumerate(servers)
    ]
    for srv in servers:
        srv.clear_log()
    t0 = time.monotonic()
    with PoliteFetcher(default_interval=interval, timeout=5) as fetcher, ThreadPoolExecutor(len(sources)) as pool:
        reports = list(pool.map(lambda s: crawl_source(s, store, state, fetcher), sources))
    elapsed = time.monotonic() - t0
    state.close()
    logs = [r for srv in servers for r in srv.log]
    bodies = sum(1 for r in logs if r.status == 200 and r.path != "/robots.txt")
    assert all(not r.errors for r in reports), [r.errors for r in reports]
    return elapsed, len(logs), bodies, sum(r.n_fetched for r in reports)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--hosts", type=int, default=10)
    ap.add_argument("--articles", type=int, default=30)
    ap.add_argument("--interval", type=float, default=0.2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build_site(site, args.articles)
        servers = [SiteServer(site).__enter__() for _ in range(args.hosts)]
        try:
            data = Path(tmp) / "data"
            t1, req1, bodies1, fetched1 = run(servers, data, args.interval)
            t2, req2, bodies2, fetched2 = run(servers, data, args.interval)
        finally:
            for srv in servers:
                srv.__exit__(None, None, None)
    per_host = req1 / args.hosts
    print(f"hosts={args.hosts} articles/host={args.articles} interval={args.interval}s")
    print(f"run 1: {req1} requests ({bodies1} bodies, {fetched1} articles archived) in {t1:.2f} s "
          f"= {req1 / t1:.1f} pages/s overall, {per_host / t1:.2f} pages/s per host "
          f"(ceiling {1 / args.interval:.1f})")
    print(f"run 2 (unchanged): {req2} requests, {bodies2} bodies downloaded, {fetched2} archived, {t2:.2f} s")


if __name__ == "__main__":
    main()
