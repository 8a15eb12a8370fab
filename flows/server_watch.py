"""Watch the Prefect API server a CLI run reports to, and end the run cleanly if it goes away.

A run started with ``PREFECT_API_URL`` set reports its flow and task states to that server.
If the server is absent at the start, the run is refused with one line before anything is
fetched or written. If it stops answering during the run, Prefect's own client would retry
for minutes and print pages of connection errors; instead :class:`ServerWatch` notices it
within a grace period (``SAMVERKAN_PREFECT_GRACE_S``, default 10 s), waits for the Parquet
commit in flight to finish (:func:`pipeline.tables.store.hold_commits`), prints one line and ends
the process. Every commit is all-or-nothing, so ``processed/`` holds exactly the batches
committed before the server went away; a rerun processes the rest.

Without ``PREFECT_API_URL`` Prefect starts a temporary server of its own inside the run;
there is nothing to watch then.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable

import httpx

EXIT_SERVER_LOST = 3
GRACE_ENV = "SAMVERKAN_PREFECT_GRACE_S"
DEFAULT_GRACE_S = 10.0


def configured_api_url() -> str | None:
    """The Prefect API URL this process reports to, or None for a temporary in-process server."""
    from prefect.settings import PREFECT_API_URL

    value = PREFECT_API_URL.value()
    return str(value).rstrip("/") if value else None


def server_problem(api_url: str, timeout: float = 5.0) -> str | None:
    """None if ``api_url``/health answers 200, else a short description of what went wrong."""
    try:
        response = httpx.get(f"{api_url}/health", timeout=timeout)
    except httpx.HTTPError as exc:
        return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if response.status_code != 200:
        return f"HTTP {response.status_code} from {api_url}/health"
    return None


def grace_seconds() -> float:
    """The grace period from ``SAMVERKAN_PREFECT_GRACE_S`` (seconds, > 0), else the default."""
    raw = os.environ.get(GRACE_ENV)
    if not raw:
        return DEFAULT_GRACE_S
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{GRACE_ENV}={raw!r} is not a number of seconds; unset it or give e.g. 10") from None
    if value <= 0:
        raise ValueError(f"{GRACE_ENV}={raw!r} must be more than 0 seconds")
    return value


class ServerWatch:
    """Poll ``api_url``/health in a daemon thread; call ``on_lost(reason)`` once after ``grace`` s of failures."""

    def __init__(
        self,
        api_url: str,
        on_lost: Callable[[str], None],
        grace: float = DEFAULT_GRACE_S,
        interval: float | None = None,
    ) -> None:
        self.api_url = api_url
        self.grace = grace
        self.interval = interval if interval is not None else min(2.0, grace / 4)
        self._on_lost = on_lost
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="prefect-server-watch", daemon=True)
        self.lost_reason: str | None = None

    def start(self) -> ServerWatch:
        """Start watching."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop watching (the run is over)."""
        self._stop.set()
        self._thread.join(timeout=self.interval + 5)

    def __enter__(self) -> ServerWatch:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _loop(self) -> None:
        failing_since: float | None = None
        while not self._stop.wait(self.interval):
            problem = server_problem(self.api_url, timeout=max(0.5, min(5.0, self.grace / 2)))
            if problem is None:
                failing_since = None
                continue
            now = time.monotonic()
            failing_since = failing_since if failing_since is not None else now
            if now - failing_since >= self.grace and not self._stop.is_set():
                self.lost_reason = problem
                self._on_lost(problem)
                return


def exit_when_lost(command: str, api_url: str, processed: str) -> Callable[[str], None]:
    """An ``on_lost`` callback for the CLI: finish the commit in flight, print one line, end the process."""

    def on_lost(reason: str) -> None:
        from pipeline.tables.store import hold_commits

        with hold_commits(timeout=600) as quiet:
            state = (
                "every batch committed before that is complete in " + processed
                if quiet
                else "a commit was still running after 10 minutes; the next run rolls it forward"
            )
            sys.stdout.flush()
            sys.stderr.write(
                f"samverkan {command}: lost the Prefect server at {api_url} during the run ({reason}); "
                f"stopped: {state}, nothing is half-written. Start the server and run again to process the rest.\n"
            )
            sys.stderr.flush()
            os._exit(EXIT_SERVER_LOST)

    return on_lost
