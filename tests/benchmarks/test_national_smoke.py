"""The national benchmark at tiny scale: 5 generated sites (one with a failing robots.txt), two nights
through ``samverkan run``. Asserts politeness from the sites' request logs and that the failing source
neither stops the others nor goes unrecorded in ``runs``. No timing here: figures come from
``make national``.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from benchmarks.national import report, run

INTERVAL = 0.15


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict:
    work: Path = tmp_path_factory.mktemp("national")
    return run(hosts=5, interval=INTERVAL, seed=3, work=work, new_per_site=2, pages=(120, 200), broken=1, timeout=600)


def test_both_nights_ran_and_the_line_is_printed(result: dict) -> None:
    assert result["first"].returncode == 0, result["first"].output[-2000:]
    assert result["second"].returncode == 0, result["second"].output[-2000:]
    line = report(result).splitlines()[-1]
    assert line.startswith("NATIONAL hosts=5 articles=") and "efficiency=" in line and "non_news_fetched=" in line
    assert result["articles"] > 0
    assert result["new_fetched"] == result["new_articles"] - 2  # every new article but the broken site's two


def test_never_two_requests_in_flight_and_interval_kept_per_host(result: dict) -> None:
    by_site = defaultdict(list)
    for hit in result["first"].hits + result["second"].hits:
        by_site[hit.site].append(hit)
    assert len(by_site) == 5
    for site, hits in by_site.items():
        hits.sort(key=lambda h: h.started)
        for a, b in zip(hits, hits[1:], strict=False):
            assert b.started >= a.ended, f"site {site}: {b.path} started while {a.path} was in flight"
            # The crawler keeps the interval start-to-start as the server sees it (paced from the answer's
            # first bytes, not from the body's end): the starts the server stamps are an interval apart.
            gap = b.started - a.started
            assert gap >= INTERVAL, f"site {site}: {b.path} began {gap:.3f} s after {a.path} began"
    assert all(ua.startswith("samverkan/") for ua in result["user_agents"])


def test_a_failing_source_is_recorded_and_stops_no_other(result: dict) -> None:
    runs = result["runs"]
    per_source = runs[runs["source_id"].notna()]
    broken = [s for s in result["sites"] if s.broken]
    assert len(broken) == 1
    broken_id = f"k{broken[0].code}-{broken[0].index}"
    rows = per_source[per_source["source_id"] == broken_id]
    assert len(rows) == 2 and set(rows["status"]) == {"failed"}
    assert all("robots.txt unavailable" in e for e in rows["errors"])
    others = per_source[per_source["source_id"] != broken_id]
    first_run = others[others["run_id"] == others["run_id"].iloc[0]]
    assert len(first_run) == 4 and (first_run["n_fetched"] > 0).all()
    assert set(others["status"]) <= {"completed", "partial"}
    # The broken site was asked only for robots.txt, never for a page.
    assert {h.path for h in result["first"].hits if h.site == broken[0].index} == {"/robots.txt"}
