"""Faults in the nightly flow and the CLI: kills, a full disk, corrupt raw files, no Prefect server, bad pages.

Real demo sites (:class:`pipeline.demo.DemoServer`) on 127.0.0.1, the flow run in-process on the
ephemeral Prefect API for reference runs and reruns, and as ``samverkan`` subprocesses where a
process has to die or fail. Kill points inside the store use its documented test hooks
(``Store.fault_hook`` and ``SAMVERKAN_STORE_CRASH_AFTER``) through a small driver script.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pipeline.config import resolve_data_dir
from pipeline.demo import SITES_ROOT, render_demo_registry
from pipeline.demo.server import DemoServer
from pipeline.tables.schemas import ARTICLE_TABLES, SCHEMAS
from pipeline.tables.store import CRASH_ENV

REPO = Path(__file__).resolve().parents[2]
VOLATILE = {"fetched_at", "raw_id"}  # differ between two data dirs by design

pytestmark = pytest.mark.slow  # runs the nightly flow and the CLI in subprocesses, with faults injected

# Runs the CLI with a Store.fault_hook installed. FAULT_AT: a substring of a commit step name
# ("write articles/", "write kommuner/", "journal rename", …), FAULT_NTH: which occurrence,
# FAULT_KIND: "kill" (SIGKILL the whole process group) or "enospc" (raise a disk-full OSError).

DRIVER = r'''
import errno, os, signal, sys
from pipeline.tables import store as _store

_at, _nth, _kind = os.environ["FAULT_AT"], int(os.environ.get("FAULT_NTH", "1")), os.environ["FAULT_KIND"]
_seen = [0]

def _hook(name):
    if _at in name:
        _seen[0] += 1
        if _seen[0] == _nth:
            if _kind == "kill":
                os.killpg(os.getpgid(0), signal.SIGKILL)
            raise OSError(errno.ENOSPC, "No space left on device (injected)", name)

_init = _store.Store.__init__

def _patched(self, *a, **k):
    _init(self, *a, **k)
    self.fault_hook = _hook

_store.Store.__init__ = _patched
from flows.cli import main
sys.exit(main(sys.argv[1:]))
'''


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PREFECT_API_URL", CRASH_ENV}}
    env.update(
        PYTHONPATH=str(REPO), PREFECT_HOME=str(home), PREFECT_LOGGING_LEVEL="ERROR",
        PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="120",
    )
    env.update(extra)
    return env


def article_frames(processed: Path) -> dict[str, pd.DataFrame]:
    """Every article table, volatile columns dropped, rows sorted: comparable across data dirs."""
    out = {}
    for t in ARTICLE_TABLES:
        df = pd.read_parquet(processed / t) if (processed / t).exists() else pd.DataFrame(columns=SCHEMAS[t].names)
        df = df[[c for c in df.columns if c not in VOLATILE]].astype(str)
        out[t] = df.sort_values(list(df.columns)).reset_index(drop=True)
    return out


def all_frames(processed: Path) -> dict[str, pd.DataFrame]:
    """Every table exactly as stored (for "unchanged" checks inside one data dir)."""
    return {t: pd.read_parquet(processed / t).astype(str) for t in SCHEMAS if (processed / t).exists()}


def assert_same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    assert set(a) == set(b)
    for t in a:
        pd.testing.assert_frame_equal(a[t], b[t], obj=t)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The demo sites served on 127.0.0.1 for the whole module, with their registry."""
    tmp = tmp_path_factory.mktemp("site")
    with DemoServer(SITES_ROOT) as server:
        registry = render_demo_registry(server.base_urls, tmp / "sources.toml")
        yield {"server": server, "registry": registry}


@pytest.fixture(scope="module")
def reference(site: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One uninterrupted nightly run (in-process, batch size 3)."""
    os.environ.pop("PREFECT_API_URL", None)
    os.environ.setdefault("PREFECT_HOME", str(tmp_path_factory.mktemp("prefect-ref")))
    from flows.nightly import nightly

    data = tmp_path_factory.mktemp("reference")
    summary = nightly(sources=str(site["registry"]), data_dir=str(data), batch_size=3, since="all")
    paths = resolve_data_dir(data)
    frames = article_frames(paths.processed)
    assert len(frames["articles"]) == summary["n_articles"] > 6
    return {"data": data, "frames": frames, "summary": summary}


class _Child:
    """A CLI subprocess in its own session; output goes to files so orphans cannot block a pipe."""

    def __init__(self, args: list[str], env: dict[str, str], driver: Path | None, log_dir: Path) -> None:
        cmd = [sys.executable, str(driver), *args] if driver else [sys.executable, "-m", "flows.cli", *args]
        self.out, self.err = log_dir / "stdout.txt", log_dir / "stderr.txt"
        with open(self.out, "wb") as out, open(self.err, "wb") as err:
            self.proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=err, start_new_session=True)

    def wait(self, timeout: float = 300) -> tuple[int, str]:
        """Wait for the CLI process, then end whatever it left in its session (the ephemeral API server)."""
        try:
            rc = self.proc.wait(timeout=timeout)
        finally:
            self.kill_group()
        return rc, self.err.read_text(encoding="utf-8", errors="replace")

    def kill_group(self) -> None:
        """SIGKILL the child's whole session (only processes this test started)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)


# (name, how): hook kills use the store's fault hook; "crawl" kills once raw/ holds a few pages;
# "crash_env" uses SAMVERKAN_STORE_CRASH_AFTER (SIGKILL after the N-th commit step).
# "during crawl" ({"mode": "crawl"}) is left out of the matrix: it loses articles today (docs/reliability.md).
KILL_POINTS = [
    ("during the crawl", {"mode": "crawl"}),
    ("between process and commit", {"mode": "hook", "at": "write articles/", "nth": 1}),
    ("mid-commit, before the journal", {"mode": "crash_env", "n": 3}),
    ("mid-commit, journal written, renames half done", {"mode": "hook", "at": "rename ", "nth": 2}),
    ("second batch, at its journal", {"mode": "hook", "at": "journal rename", "nth": 2}),
    ("during kommuner write", {"mode": "hook", "at": "write kommuner/", "nth": 1}),
    ("after commits, before runs are written", {"mode": "hook", "at": "write runs/", "nth": 1}),
]


@pytest.mark.parametrize(("point", "how"), KILL_POINTS, ids=[p for p, _ in KILL_POINTS])
def test_sigkill_then_rerun_equals_uninterrupted_run(
    point: str, how: dict[str, Any], site: dict[str, Any], reference: dict[str, Any], tmp_path: Path
) -> None:
    from flows.nightly import nightly

    data = tmp_path / "data"
    args = ["run", "--sources", str(site["registry"]), "--data-dir", str(data), "--batch-size", "3", "--quiet", "--since", "all"]
    home = tmp_path / "prefect"
    if how["mode"] == "crawl":
        # One article answers 503 with Retry-After first, so the crawl is surely still running at the kill.
        site["server"].inject("kommun_a", "/nyheter/nya-oppettider-pa-biblioteket/", 503, headers={"Retry-After": "5"})
        child = _Child(args, _env(home), None, tmp_path)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(list((data / "raw").glob("*/*/*.body"))) < 3:
            time.sleep(0.05)
        assert not (data / "processed" / "articles").exists(), "the crawl ended before the kill"
        child.kill_group()
        child.wait(60)
    else:
        if how["mode"] == "crash_env":
            env, driver = _env(home, **{CRASH_ENV: str(how["n"])}), None
        else:
            driver = tmp_path / "driver.py"
            driver.write_text(DRIVER, encoding="utf-8")
            env = _env(home, FAULT_AT=how["at"], FAULT_NTH=str(how["nth"]), FAULT_KIND="kill")
        rc, err = _Child(args, env, driver, tmp_path).wait()
        assert rc == -signal.SIGKILL, f"{point}: the kill point was never reached: {err[-2000:]}"
    summary = nightly(sources=str(site["registry"]), data_dir=str(data), batch_size=3, since="all")
    assert summary["status"] == "completed", summary
    assert_same(article_frames(data / "processed"), reference["frames"])
    assert len(pd.read_parquet(data / "processed" / "kommuner")) == 290
    assert not (data / "processed" / ".journal.json").exists()


def test_disk_full_during_run_is_one_line_and_tables_stay(
    site: dict[str, Any], reference: dict[str, Any], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(reference["data"], data)
    before = all_frames(data / "processed")
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    env = _env(tmp_path / "prefect", FAULT_AT="write ", FAULT_NTH="1", FAULT_KIND="enospc")
    rc, err = _Child(["run", "--sources", str(site["registry"]), "--data-dir", str(data), "--refetch", "--quiet", "--since", "all"],
                     env, driver, tmp_path).wait()
    assert rc == 1, err[-2000:]
    assert "Traceback" not in err, err[-3000:]  # a known error: Prefect's run log keeps one line, no traceback
    last = err.strip().splitlines()[-1]
    assert last.startswith("samverkan run:") and "disk is full" in last and str(data / "processed") in last
    assert_same(all_frames(data / "processed"), before)
    assert not list((data / "processed").rglob(".tmp-*"))


def test_prefect_server_absent_is_clear_and_writes_nothing(site: dict[str, Any], tmp_path: Path) -> None:
    with socket.socket() as s:  # a port that was free a moment ago and has no listener
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = tmp_path / "data"
    env = _env(tmp_path / "prefect", PREFECT_API_URL=f"http://127.0.0.1:{port}/api")
    proc = subprocess.run([sys.executable, "-m", "flows.cli", "run", "--sources", str(site["registry"]),
                           "--data-dir", str(data)], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert f"cannot reach the Prefect server at http://127.0.0.1:{port}/api" in last and "Nothing was fetched" in last
    assert not (data / "raw").exists()
    assert not (data / "processed").exists() or not any((data / "processed").glob("*/*.parquet"))


def _article_metas(reference: dict[str, Any], data: Path) -> list[Path]:
    urls = set(reference["frames"]["articles"]["url"])
    metas = sorted((data / "raw").glob("*/*/*.json"))
    return [m for m in metas if json.loads(m.read_text(encoding="utf-8")).get("url") in urls]


def _reprocess_all(data: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "flows.cli", "reprocess", "--all", "--data-dir", str(data)],
                          cwd=REPO, env=_env(tmp_path / "prefect"), capture_output=True, text=True, timeout=300)


def test_corrupt_raw_body_then_reprocess_all_skips_it(reference: dict[str, Any], tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(reference["data"], data)
    emptied, garbled = _article_metas(reference, data)[:2]
    emptied.with_suffix(".body").write_bytes(b"")
    garbled.with_suffix(".body").write_bytes(b"\x00\xff\xfe" * 2000)
    proc = _reprocess_all(data, tmp_path)
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = json.loads(proc.stdout[proc.stdout.index("{"):])
    errors = " ".join(summary["errors"])
    assert emptied.stem in errors and "empty" in errors
    assert garbled.stem in errors and "binary" in errors
    # no rows lost: the two articles keep the rows they had before their raw bodies were damaged
    after = pd.read_parquet(data / "processed" / "articles")
    assert len(after) == len(reference["frames"]["articles"])
    assert summary["articles"] == len(reference["frames"]["articles"]) - 2


def test_corrupt_raw_meta_is_skipped_with_an_error_and_no_rows_lost(reference: dict[str, Any], tmp_path: Path) -> None:
    # A torn meta file is skipped and named in the errors; the other articles are reprocessed and
    # the torn one keeps its stored rows, so the tables equal what they were before.
    data = tmp_path / "data"
    shutil.copytree(reference["data"], data)
    before = all_frames(data / "processed")
    torn = _article_metas(reference, data)[0]
    torn.write_text('{"url": "http://x', encoding="utf-8")
    proc = _reprocess_all(data, tmp_path)
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = json.loads(proc.stdout[proc.stdout.index("{"):])
    assert any(str(torn) in e for e in summary["errors"])
    assert summary["articles"] == len(reference["frames"]["articles"]) - 1

    def in_order(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:  # an upsert may reorder rows in a file
        return {t: df.sort_values(list(df.columns)).reset_index(drop=True) for t, df in frames.items()}

    assert_same(in_order(all_frames(data / "processed")), in_order(before))


def test_reprocess_unknown_article_is_one_clear_line(reference: dict[str, Any], tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "flows.cli", "reprocess", "https://nowhere.example/x",
                           "--data-dir", str(reference["data"])], cwd=REPO, env=_env(tmp_path / "prefect"),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "nowhere.example" in proc.stderr.strip().splitlines()[-1]
