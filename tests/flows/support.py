"""Helpers for flow tests: CLI subprocesses in their own process group, free ports, table comparison."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.tables.schemas import ARTICLE_TABLES

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
VENV_BIN = Path(PYTHON).parent


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cli_env(**extra: str | None) -> dict[str, str]:
    """The current environment plus PYTHONPATH=repo; keys with value None are removed."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO)
    env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    env["PREFECT_UI_ENABLED"] = "false"
    for key, value in extra.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def spawn(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start ``args`` in a new session (its own process group), output to ``log``."""
    fh = open(log, "wb")  # noqa: SIM115 - closed with the process by the OS
    return subprocess.Popen(args, env=env, cwd=REPO, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)


def kill_group(proc: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
    """Send ``sig`` to the whole process group of ``proc`` and reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=20)


def samverkan(*args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run ``python -m flows.cli ARGS`` (the ``samverkan`` console script) and capture its output."""
    return subprocess.run(
        [PYTHON, "-m", "flows.cli", *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=timeout, check=False
    )


def wait_until(check: Callable[[], Any], timeout: float, what: str, logs: Iterable[Path] = (), interval: float = 0.5) -> Any:
    """Poll ``check`` until it returns something truthy; fail naming ``what`` with the logs' tails."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = check()
        except Exception:  # noqa: BLE001 - not ready yet
            value = None
        if value:
            return value
        time.sleep(interval)
    tails = "\n".join(f"--- {p}:\n{p.read_text(errors='replace')[-3000:]}" for p in logs if p.exists())
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}\n{tails}")


def sort_frame(df: pd.DataFrame, drop: Iterable[str] = ()) -> pd.DataFrame:
    """``df`` without the columns ``drop``, rows in a canonical order (by their string form)."""
    df = df.drop(columns=[c for c in drop if c in df.columns])
    key = df.astype(str).agg("\x1f".join, axis=1) if len(df) else pd.Series([], dtype=str)
    return df.iloc[key.argsort(kind="stable").to_numpy()].reset_index(drop=True)


def read_article_tables(processed: Path) -> dict[str, pd.DataFrame]:
    """Every article table of ``processed/`` as a DataFrame."""
    return {t: pd.read_parquet(processed / t) for t in ARTICLE_TABLES}


def assert_same_tables(left: dict[str, pd.DataFrame], right: dict[str, pd.DataFrame], drop: Iterable[str] = ()) -> None:
    """Every article table equal after sorting rows (and dropping ``drop`` columns)."""
    drop = list(drop)
    for table in ARTICLE_TABLES:
        assert len(left[table]) == len(right[table]), f"{table}: {len(left[table])} != {len(right[table])} rows"
        pd.testing.assert_frame_equal(sort_frame(left[table], drop), sort_frame(right[table], drop), obj=table)
