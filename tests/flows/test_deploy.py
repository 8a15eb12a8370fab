"""`samverkan serve` against a real Prefect server on 127.0.0.1: deployment, schedule, a triggered run, Parquet."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import pandas as pd
import pytest

from pipeline.demo import SITES_ROOT, load_expected, render_demo_registry
from pipeline.demo.server import DemoServer
from tests.flows.support import PYTHON, VENV_BIN, cli_env, free_port, kill_group, samverkan, spawn, wait_until

DEPLOYMENT = "nightly/samverkan-nightly"


@pytest.mark.slow
def test_serve_registers_cron_deployment_and_runs_it(tmp_path: Path) -> None:
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    data = tmp_path / "data"
    procs: list[subprocess.Popen[bytes]] = []
    logs = [tmp_path / "server.log", tmp_path / "serve.log"]
    try:
        server_env = cli_env(PREFECT_HOME=str(tmp_path / "server-home"), PREFECT_API_URL=None)
        procs.append(spawn([str(VENV_BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                           server_env, logs[0]))
        wait_until(lambda: httpx.get(api + "/health", timeout=2).status_code == 200, 120, "the Prefect server", logs)
        with DemoServer(SITES_ROOT) as demo:
            registry = render_demo_registry(demo.base_urls, tmp_path / "demo_sources.toml")
            serve_env = cli_env(PREFECT_HOME=str(tmp_path / "serve-home"), PREFECT_API_URL=api)
            procs.append(spawn([PYTHON, "-m", "flows.cli", "serve", "--sources", str(registry), "--data-dir", str(data), "--since", "all"],
                               serve_env, logs[1]))

            def deployment() -> dict[str, object] | None:
                r = httpx.get(f"{api}/deployments/name/{DEPLOYMENT}", timeout=5)
                return r.json() if r.status_code == 200 else None

            dep = wait_until(deployment, 120, f"deployment {DEPLOYMENT}", logs)
            schedules = [s["schedule"] for s in dep["schedules"]]
            assert schedules == [{"cron": "0 3 * * *", "timezone": "Europe/Stockholm", "day_or": True}]
            assert dep["parameters"]["sources"] == str(registry)
            assert dep["parameters"]["since"] == "all"  # the demo sites are a fixed archive: read every date

            from prefect.deployments import run_deployment
            from prefect.settings import PREFECT_API_URL, temporary_settings

            with temporary_settings(updates={PREFECT_API_URL: api}):
                run = run_deployment(DEPLOYMENT, timeout=240, poll_interval=1)
            assert run.state is not None and run.state.is_completed(), f"run ended {run.state}\n" + logs[1].read_text()[-3000:]
        articles = pd.read_parquet(data / "processed" / "articles")
        assert len(articles) == len(load_expected()["articles"])
        assert set(pd.read_parquet(data / "processed" / "runs")["flow"]) == {"nightly"}
    finally:
        for proc in reversed(procs):
            kill_group(proc)


@pytest.mark.parametrize("api_url", [None, "unreachable"])
def test_serve_without_server_is_one_clear_line(tmp_path: Path, api_url: str | None) -> None:
    url = f"http://127.0.0.1:{free_port()}/api" if api_url else None
    env = cli_env(PREFECT_HOME=str(tmp_path / "home"), PREFECT_API_URL=url)
    res = samverkan("serve", "--data-dir", str(tmp_path / "data"), env=env, timeout=120)
    assert res.returncode != 0
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in res.stderr, res.stderr
    assert lines[0].startswith("samverkan serve: ") and "prefect server start" in lines[0]
    if url:
        assert url in lines[0]
