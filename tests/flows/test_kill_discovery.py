"""SIGKILL during discovery and article fetching, then a rerun: no article is lost (issue 14).

Local test sites (``tests/support/sites``: ``arkiv``, where every article is offered by exactly one
discovery page, plus three CMS families) served by :class:`tests.support.server.SiteServer`.

* The randomised test kills a real ``samverkan run`` subprocess at seeded random moments of its
  crawl (after the k-th answered request, plus a jitter inside the rate-limit gap), reruns the
  nightly flow and compares the article tables with those of an uninterrupted run.
* The kill matrix kills a crawl (the flow's crawl stage, ``crawl_one`` per source in threads, in a
  subprocess without Prefect start-up) at each named step of discovering a source
  (``SAMVERKAN_CRAWL_CRASH_AT``, see :mod:`pipeline.crawl.faults`), or while an article body is
  half sent, reruns the nightly flow and checks the same. Every step occurrence, in-process, is in
  tests/pipeline/crawl/test_discover_kills.py.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pipeline.crawl.faults import CRASH_ENV
from pipeline.urls import canonicalize
from tests.flows.support import PYTHON, assert_same_tables, cli_env, kill_group, read_article_tables, spawn
from tests.support.server import Reply, SiteServer

SEED = 14
N_KILLS = 6
RATE = 8.0  # requests per second per host: discovery and fetching take long enough to be hit
SITES = [
    ("arkiv", "/nyheter/", r"^/nyheter/\d{4}/[a-z0-9-]+/$", "1472"),
    ("episerver", "/nyheter/", None, None),
    ("newspaper", "/nyheter/", None, None),
    ("municipio", "/nyheter/", None, None),
]
VOLATILE = ("fetched_at", "raw_id")


def _registry(servers: dict[str, SiteServer], path: Path, sites: list[tuple[str, str, str | None, str | None]] = SITES,
              rate: float = RATE) -> Path:
    parts = []
    for site, start, pattern, kommun in sites:
        lines = [
            "[[source]]", f'id = "{site}"', f'name = "{site}"', 'kind = "kommun"',
            f'start_urls = ["{servers[site].url(start)}"]', f"rate_per_s = {rate}",
        ]
        if pattern:
            lines.append(f"article_pattern = '{pattern}'")
        if kommun:
            lines.append(f'kommun = "{kommun}"')
        parts.append("\n".join(lines))
    path.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The test sites on 127.0.0.1 for the whole module, with their registry."""
    tmp = tmp_path_factory.mktemp("kill-sites")
    servers = {site: SiteServer(site) for site, *_ in SITES}
    for srv in servers.values():
        srv.__enter__()
    try:
        yield {"servers": servers, "registry": _registry(servers, tmp / "sources.toml"),
               "arkiv_registry": _registry(servers, tmp / "arkiv.toml", SITES[:1], 50.0)}
    finally:
        for srv in servers.values():
            srv.__exit__(None, None, None)


def _n_requests(sites: dict[str, Any]) -> int:
    return sum(srv.n_requests for srv in sites["servers"].values())


def _clear(sites: dict[str, Any]) -> None:
    for srv in sites["servers"].values():
        srv.clear_log()


def _nightly(sites: dict[str, Any], data: Path, registry: str = "registry") -> dict[str, Any]:
    from flows.nightly import nightly

    return nightly(sources=str(sites[registry]), data_dir=str(data), batch_size=8, since="all")


@pytest.fixture(scope="module")
def reference(sites: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One uninterrupted nightly run (in-process) and how many requests its crawl made."""
    os.environ.pop("PREFECT_API_URL", None)
    data = tmp_path_factory.mktemp("kill-reference")
    _clear(sites)
    summary = _nightly(sites, data)
    n_requests = _n_requests(sites)
    frames = read_article_tables(data / "processed")
    assert summary["status"] == "completed", summary
    assert len(frames["articles"]) == 26, sorted(frames["articles"]["url"])
    per_source = frames["articles"].groupby("source_id")["url"].apply(set).to_dict()
    return {"data": data, "frames": frames, "n_requests": n_requests, "per_source": per_source}


def _ephemeral_api() -> str:
    """The API URL of the Prefect server this test process started (children share it: no start-up each)."""
    import httpx
    from prefect.server.api.server import SubprocessASGIServer

    for server in SubprocessASGIServer._instances.values():
        if server.server_process is not None and httpx.get(server.api_url + "/health", timeout=5).status_code == 200:
            return str(server.api_url)
    raise AssertionError("no temporary Prefect server is running in the test process")


def _canonical(urls: Iterable[str]) -> set[str]:
    return {canonicalize(u) for u in urls}


def _archived_urls(data: Path) -> set[str]:
    """Canonical URLs of the article records in raw/ (what a killed run left behind)."""
    out = set()
    for meta in (data / "raw").glob("*/*/*.json"):
        try:
            rec = json.loads(meta.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if rec.get("kind", "article") == "article":
            out.add(rec["canonical_url"])
    return out


def _check_rerun(data: Path, reference: dict[str, Any], archived_before: set[str], summary: dict[str, Any]) -> list[str]:
    """Articles missing after the rerun (empty when nothing was lost); asserts the runs rows."""
    frames = read_article_tables(data / "processed")
    lost = sorted(_canonical(reference["frames"]["articles"]["url"]) - _canonical(frames["articles"]["url"]))
    if lost:
        return lost
    assert_same_tables(frames, reference["frames"], drop=VOLATILE)
    runs = pd.read_parquet(data / "processed" / "runs")
    assert set(runs["run_id"]) == {summary["run_id"]}, "the killed run must have no runs row"
    by_source = {r["source_id"]: r for r in summary["sources"]}
    for sid, urls in reference["per_source"].items():
        missing = _canonical(urls) - archived_before
        # the rerun's row counts what it recovered: every article the killed run had not archived
        assert by_source[sid]["n_fetched"] >= len(missing), (sid, by_source[sid], sorted(missing))
        assert by_source[sid]["status"] == "completed", by_source[sid]
    return []


@pytest.mark.slow
def test_random_sigkills_of_samverkan_run_lose_no_article(
    sites: dict[str, Any], reference: dict[str, Any], tmp_path: Path
) -> None:
    rng = random.Random(SEED)
    env = cli_env(PREFECT_API_URL=_ephemeral_api(), PREFECT_HOME=str(tmp_path / "home"), PREFECT_LOGGING_LEVEL="ERROR")
    outcomes = []
    for i in range(N_KILLS):
        k = rng.randint(1, reference["n_requests"] - 1)
        jitter = rng.uniform(0, 1 / RATE)
        data = tmp_path / f"kill-{i}"
        _clear(sites)
        args = [PYTHON, "-m", "flows.cli", "run", "--sources", str(sites["registry"]), "--data-dir", str(data),
                "--batch-size", "8", "--quiet", "--since", "all"]
        t0 = time.monotonic()
        proc = spawn(args, env, tmp_path / f"kill-{i}.log")
        try:
            deadline = time.monotonic() + 240
            while _n_requests(sites) < k and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.005)
            time.sleep(jitter)
            assert proc.poll() is None, "the run ended before the kill:\n" + (tmp_path / f"kill-{i}.log").read_text()
        finally:
            kill_group(proc, signal.SIGKILL)
        archived = _archived_urls(data)
        summary = _nightly(sites, data)
        lost = _check_rerun(data, reference, archived, summary)
        outcomes.append({"kill": i, "after_request": k, "archived_at_kill": len(archived), "lost": lost,
                         "seconds": round(time.monotonic() - t0, 1)})
    n_bad = sum(1 for o in outcomes if o["lost"])
    report = f"kill moments that lost articles: {n_bad} of {N_KILLS}"
    print(report, json.dumps(outcomes, indent=1))
    assert n_bad == 0, report + "\n" + json.dumps(outcomes, indent=1)



# -- the kill matrix --------------------------------------------------------------------------------
# The flow's crawl stage (pipeline.crawl.runner.crawl_one per source, in threads) without Prefect:
# the process dies at the step named by SAMVERKAN_CRAWL_CRASH_AT, or is killed by the test.
DRIVER = r"""
import sys, threading
from pathlib import Path
from pipeline.config import resolve_data_dir
from pipeline.crawl.runner import crawl_one
from pipeline.crawl.sources import load_sources

registry, paths = Path(sys.argv[1]), resolve_data_dir(sys.argv[2])
threads = [threading.Thread(target=crawl_one, args=(s.id, registry, paths)) for s in load_sources(registry)]
for t in threads:
    t.start()
for t in threads:
    t.join()
"""

# (kill point, SAMVERKAN_CRAWL_CRASH_AT): "<text>#N" = the N-th step whose name contains <text>
KILL_POINTS = [
    ("after fetching the feed", "arkiv: fetched feed"),
    ("after fetching the sitemap index", "arkiv: fetched sitemap index"),
    ("after fetching a child sitemap", "arkiv: fetched sitemap http"),
    ("after fetching listing page 1", "arkiv: fetched listing page#1"),
    ("after fetching listing page 2", "arkiv: fetched listing page#2"),
    ("after fetching listing page 3", "arkiv: fetched listing page#3"),
    ("inside a page's state write (validators written, body not)", "state: writing page#4"),
    ("after a page's state write", "arkiv: recorded listing page#2"),
    ("before the candidates' state write", "arkiv: recording candidates"),
    ("after the candidates' state write", "arkiv: recorded candidates"),
    ("after an article is archived, before its state write", "arkiv: archived article#3"),
]
MID_BODY = "/nyheter/2024/tibro-och-polisen-forlanger-sitt-medborgarlofte/"


@pytest.fixture(scope="module")
def arkiv_reference(sites: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """An uninterrupted nightly run over the arkiv site alone."""
    os.environ.pop("PREFECT_API_URL", None)
    data = tmp_path_factory.mktemp("kill-arkiv-reference")
    summary = _nightly(sites, data, "arkiv_registry")
    frames = read_article_tables(data / "processed")
    assert summary["status"] == "completed" and len(frames["articles"]) == 11, summary
    per_source = frames["articles"].groupby("source_id")["url"].apply(set).to_dict()
    return {"frames": frames, "per_source": per_source}


def _driver(tmp_path: Path, sites: dict[str, Any], data: Path, **env: str) -> subprocess.Popen[bytes]:
    script = tmp_path / "crawl_driver.py"
    script.write_text(DRIVER, encoding="utf-8")
    return spawn([sys.executable, str(script), str(sites["arkiv_registry"]), str(data)],
                 cli_env(**{CRASH_ENV: None, **env}), tmp_path / "driver.log")


@pytest.mark.slow
@pytest.mark.parametrize(("point", "crash_at"), KILL_POINTS, ids=[p for p, _ in KILL_POINTS])
def test_kill_at_a_discovery_step_then_rerun_equals_uninterrupted(
    point: str, crash_at: str, sites: dict[str, Any], arkiv_reference: dict[str, Any], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    proc = _driver(tmp_path, sites, data, **{CRASH_ENV: crash_at})
    try:
        rc = proc.wait(timeout=120)
    finally:
        kill_group(proc)
    assert rc == -signal.SIGKILL, f"{point}: the kill point was never reached\n" + (tmp_path / "driver.log").read_text()
    archived = _archived_urls(data)
    summary = _nightly(sites, data, "arkiv_registry")
    assert _check_rerun(data, arkiv_reference, archived, summary) == [], point


@pytest.mark.slow
def test_article_killed_mid_body_is_fetched_again_not_stored_torn(
    sites: dict[str, Any], arkiv_reference: dict[str, Any], tmp_path: Path
) -> None:
    srv = sites["servers"]["arkiv"]
    whole = srv.file_reply(MID_BODY)
    body = whole.body.encode() if isinstance(whole.body, str) else whole.body
    srv.script(MID_BODY, Reply(200, body, content_type=whole.content_type, stall_at=len(body) // 2, stall=20))
    data = tmp_path / "data"
    try:
        proc = _driver(tmp_path, sites, data)
        try:
            assert srv.stalled.wait(120), "the article was never requested:\n" + (tmp_path / "driver.log").read_text()
            assert proc.poll() is None
        finally:
            kill_group(proc)
    finally:
        srv.unscript(MID_BODY)
    archived = _archived_urls(data)
    assert canonicalize(srv.url(MID_BODY)) not in archived  # nothing of the half body reached raw/
    for meta in (data / "raw").glob("*/*/*.json"):  # and every record in raw/ is whole
        rec = json.loads(meta.read_text(encoding="utf-8"))
        assert meta.with_suffix(".body").stat().st_size == rec["body_size"], meta
    summary = _nightly(sites, data, "arkiv_registry")
    assert _check_rerun(data, arkiv_reference, archived, summary) == []
