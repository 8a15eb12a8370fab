"""A nightly run killed with SIGKILL after some batch commits resumes to the tables of an uninterrupted run."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from pipeline.demo import SITES_ROOT, load_expected, render_demo_registry
from pipeline.demo.server import DemoServer
from pipeline.tables.store import Store
from tests.flows.support import PYTHON, assert_same_tables, cli_env, kill_group, read_article_tables, samverkan, spawn

N_ARTICLES = len(load_expected()["articles"])


def _committed(processed: Path) -> int:
    try:
        return Store(processed).read_arrow("articles", columns=["article_id"]).num_rows
    except Exception:  # noqa: BLE001 - nothing committed yet
        return 0


@pytest.mark.slow
def test_sigkill_midway_then_rerun_equals_uninterrupted(tmp_path: Path) -> None:
    killed, clean = tmp_path / "killed", tmp_path / "clean"
    env = cli_env(PREFECT_API_URL=None, PREFECT_HOME=str(tmp_path / "home"))
    with DemoServer(SITES_ROOT) as demo:
        registry = str(render_demo_registry(demo.base_urls, tmp_path / "demo_sources.toml"))
        run = ["run", "--sources", registry, "--batch-size", "3", "--quiet", "--since", "all"]
        proc = spawn([PYTHON, "-m", "flows.cli", *run, "--data-dir", str(killed)], env, tmp_path / "killed.log")
        try:
            deadline = time.monotonic() + 240
            n_at_kill = 0
            while time.monotonic() < deadline and proc.poll() is None:
                n_at_kill = _committed(killed / "processed")
                if n_at_kill:
                    break
                time.sleep(0.02)
            assert proc.poll() is None, "the run ended before it could be killed:\n" + (tmp_path / "killed.log").read_text()
        finally:
            kill_group(proc, signal.SIGKILL)
        assert proc.returncode == -signal.SIGKILL
        assert 0 < n_at_kill < N_ARTICLES, n_at_kill
        assert 0 < _committed(killed / "processed") < N_ARTICLES

        # the dead run's lock file is left behind; the rerun takes it over
        rerun = samverkan(*run, "--data-dir", str(killed), env=env, timeout=300)
        assert rerun.returncode == 0, rerun.stderr[-3000:]
        reference = samverkan(*run, "--data-dir", str(clean), env=env, timeout=300)
        assert reference.returncode == 0, reference.stderr[-3000:]

    resumed, uninterrupted = read_article_tables(killed / "processed"), read_article_tables(clean / "processed")
    assert len(resumed["articles"]) == N_ARTICLES
    # the two data dirs fetched at different moments: only the fetch time and the raw id it feeds may differ
    assert_same_tables(resumed, uninterrupted, drop=("fetched_at", "raw_id"))
