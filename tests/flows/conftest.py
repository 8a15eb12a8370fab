"""Fixtures for flow tests: an isolated Prefect home on the ephemeral API."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Module-scoped fixtures (e.g. the end-to-end demo run) start before function-level monkeypatching:
# give Prefect's temporary server a generous start-up time on a loaded 2-core machine from the start.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "300")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


@pytest.fixture(autouse=True)
def isolated_prefect(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test session uses its own PREFECT_HOME and no configured server (ephemeral API)."""
    home = tmp_path_factory.getbasetemp() / "prefect-home"
    home.mkdir(exist_ok=True)
    monkeypatch.setenv("PREFECT_HOME", str(home))
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "300")
    monkeypatch.setenv("PREFECT_LOGGING_LEVEL", "WARNING")
    yield


REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO.parent / "shared" / "examples" / "seeds"
VENV_BIN = Path(os.environ.get("VIRTUAL_ENV", "")) / "bin" if os.environ.get("VIRTUAL_ENV") else None


@pytest.fixture(scope="session", autouse=True)
def stop_ephemeral_prefect_servers() -> Iterator[None]:
    """Stop Prefect's temporary servers while pytest still captures output (not at interpreter exit)."""
    yield
    from prefect.server.api.server import SubprocessASGIServer

    for server in list(SubprocessASGIServer._instances.values()):
        server.stop()
