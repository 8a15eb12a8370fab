"""The Prefect server watch: a health endpoint on 127.0.0.1 that goes away, and a real Prefect server killed mid-run."""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pandas as pd
import pytest

from flows.server_watch import EXIT_SERVER_LOST, GRACE_ENV, ServerWatch, grace_seconds, server_problem
from pipeline.demo import SITES_ROOT, load_expected, render_demo_registry
from pipeline.demo.server import DemoServer
from pipeline.tables.schemas import ARTICLE_TABLES
from tests.flows.support import (
    PYTHON,
    VENV_BIN,
    assert_same_tables,
    cli_env,
    free_port,
    kill_group,
    read_article_tables,
    samverkan,
    spawn,
    wait_until,
)

N_ARTICLES = len(load_expected()["articles"])


class _Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        body = b"true" if self.path == "/api/health" else b"no"
        self.send_response(200 if self.path == "/api/health" else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def health_server() -> Iterator[http.server.ThreadingHTTPServer]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _api(httpd: http.server.ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{httpd.server_address[1]}/api"


def test_server_problem_names_what_failed(health_server: http.server.ThreadingHTTPServer) -> None:
    api = _api(health_server)
    assert server_problem(api) is None
    assert server_problem(api + "/nothing-here") == f"HTTP 404 from {api}/nothing-here/health"
    port = free_port()
    problem = server_problem(f"http://127.0.0.1:{port}/api", timeout=2)
    assert problem is not None and problem.startswith("ConnectError")


def test_watch_stays_quiet_while_healthy_and_reports_loss_once(health_server: http.server.ThreadingHTTPServer) -> None:
    calls: list[str] = []
    watch = ServerWatch(_api(health_server), calls.append, grace=0.6, interval=0.1).start()
    try:
        time.sleep(1.0)
        assert calls == []  # healthy for longer than the grace period: nothing reported
        health_server.shutdown()
        health_server.server_close()
        wait_until(lambda: calls, 10, "the watch to report the lost server")
        time.sleep(0.5)
        assert len(calls) == 1 and calls[0].startswith("ConnectError")
        assert watch.lost_reason == calls[0]
    finally:
        watch.stop()


def test_watch_does_not_report_a_blip_shorter_than_the_grace(health_server: http.server.ThreadingHTTPServer) -> None:
    port = health_server.server_address[1]
    calls: list[str] = []
    with ServerWatch(_api(health_server), calls.append, grace=3.0, interval=0.1):
        health_server.shutdown()
        health_server.server_close()
        time.sleep(0.5)  # down for about a sixth of the grace period, then back on the same port
        again = http.server.ThreadingHTTPServer(("127.0.0.1", port), _Health)
        threading.Thread(target=again.serve_forever, daemon=True).start()
        try:
            time.sleep(3.5)
        finally:
            again.shutdown()
            again.server_close()
    assert calls == []


@pytest.mark.parametrize(("value", "expected"), [(None, 10.0), ("2.5", 2.5)])
def test_grace_seconds_from_env(monkeypatch: pytest.MonkeyPatch, value: str | None, expected: float) -> None:
    if value is None:
        monkeypatch.delenv(GRACE_ENV, raising=False)
    else:
        monkeypatch.setenv(GRACE_ENV, value)
    assert grace_seconds() == expected


@pytest.mark.parametrize("value", ["soon", "0", "-3"])
def test_bad_grace_is_a_clear_cli_error(value: str, tmp_path: Path, health_server: http.server.ThreadingHTTPServer) -> None:
    env = cli_env(PREFECT_API_URL=_api(health_server), PREFECT_HOME=str(tmp_path / "home"), **{GRACE_ENV: value})
    proc = samverkan("run", "--data-dir", str(tmp_path / "data"), env=env, timeout=120)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert GRACE_ENV in last and repr(value) in last
    assert not (tmp_path / "data" / "raw").exists()  # refused before anything was fetched


def _consistent(processed: Path) -> dict[str, pd.DataFrame]:
    """The article tables, after checking that no commit was left half-applied."""
    assert not (processed / ".journal.json").exists()
    assert not list(processed.rglob(".tmp-*"))
    frames = read_article_tables(processed)
    ids = set(frames["articles"]["article_id"])
    for table in ARTICLE_TABLES:
        assert set(frames[table]["article_id"]) <= ids, f"{table} has rows of articles that are not in articles"
    return frames


@pytest.mark.slow
def test_prefect_server_dying_mid_run_stops_cleanly_and_rerun_completes(tmp_path: Path) -> None:
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    data, clean = tmp_path / "data", tmp_path / "clean"
    logs = [tmp_path / "server.log", tmp_path / "run.log", tmp_path / "server2.log"]
    server_env = cli_env(PREFECT_HOME=str(tmp_path / "server-home"), PREFECT_API_URL=None)
    server_cmd = [str(VENV_BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    run_env = cli_env(PREFECT_HOME=str(tmp_path / "run-home"), PREFECT_API_URL=api, **{GRACE_ENV: "2"})
    server = spawn(server_cmd, server_env, logs[0])
    procs = [server]
    try:
        wait_until(lambda: httpx.get(api + "/health", timeout=2).status_code == 200, 180, "the Prefect server", logs)
        with DemoServer(SITES_ROOT) as demo:
            registry = str(render_demo_registry(demo.base_urls, tmp_path / "demo_sources.toml"))
            args = ["run", "--sources", registry, "--batch-size", "1", "--since", "all"]
            run = spawn([PYTHON, "-m", "flows.cli", *args, "--data-dir", str(data)], run_env, logs[1])
            procs.append(run)
            articles = data / "processed" / "articles"
            wait_until(lambda: articles.is_dir() and any(articles.glob("*.parquet")), 240, "the first commit", logs)
            kill_group(server)  # the server dies while the run is committing batches
            killed_at = time.monotonic()
            rc = run.wait(timeout=120)
            stopped_after = time.monotonic() - killed_at
            output = logs[1].read_text(encoding="utf-8", errors="replace")
            assert rc == EXIT_SERVER_LOST, output[-3000:]
            assert stopped_after < 60, f"took {stopped_after:.0f}s to stop"
            assert "Traceback" not in output and "Error logging to API" not in output, output[-3000:]
            last = output.strip().splitlines()[-1]
            assert last.startswith("samverkan run: lost the Prefect server at " + api), last
            assert "nothing is half-written" in last and str(data / "processed") in last
            partial = _consistent(data / "processed")
            assert 0 < len(partial["articles"]) <= N_ARTICLES

            # as the message says: start the server again and rerun; the rest is processed
            server = spawn(server_cmd, server_env, logs[2])
            procs.append(server)
            wait_until(lambda: httpx.get(api + "/health", timeout=2).status_code == 200, 180, "the restarted server", logs)
            rerun = samverkan(*args, "--data-dir", str(data), "--quiet", env=run_env, timeout=300)
            assert rerun.returncode == 0, rerun.stderr[-3000:]
            reference = samverkan(*args, "--data-dir", str(clean), "--quiet",
                                  env=cli_env(PREFECT_API_URL=None, PREFECT_HOME=str(tmp_path / "ref-home")), timeout=300)
            assert reference.returncode == 0, reference.stderr[-3000:]
        resumed = _consistent(data / "processed")
        assert len(resumed["articles"]) == N_ARTICLES
        assert_same_tables(resumed, read_article_tables(clean / "processed"), drop=("fetched_at", "raw_id"))
        runs = pd.read_parquet(data / "processed" / "runs")
        assert "completed" in set(runs["status"]), json.dumps(runs["status"].tolist())
    finally:
        for proc in reversed(procs):
            kill_group(proc)
