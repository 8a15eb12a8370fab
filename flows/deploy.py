"""Register the nightly deployment with a Prefect server and serve it.

Default: a local server started with ``prefect server start`` (SQLite,
embedded); set ``PREFECT_API_URL`` to use a shared one. ``serve_nightly``
registers the deployment with a cron schedule in Europe/Stockholm and then
executes its runs in this process until stopped.
"""

from __future__ import annotations

from prefect.schedules import Cron

from flows.nightly import nightly
from flows.server_watch import configured_api_url, server_problem
from pipeline.errors import PrefectServerError

TIMEZONE = "Europe/Stockholm"


def check_server() -> str:
    """Return the configured API URL, or raise :class:`PrefectServerError` saying what to do when none is set or reachable.

    The health check is :func:`flows.server_watch.server_problem`, the one the CLI's server watch uses.
    """
    url = configured_api_url()
    if not url:
        raise PrefectServerError(
            "no Prefect server configured: start one with `prefect server start` and set "
            "PREFECT_API_URL=http://127.0.0.1:4200/api (or point it at your shared server)"
        )
    problem = server_problem(url)
    if problem is not None:
        raise PrefectServerError(f"Prefect server at {url} is not reachable ({problem}); start it with `prefect server start`")
    return url


def serve_nightly(
    name: str = "samverkan-nightly",
    cron: str = "0 3 * * *",
    sources: str | None = None,
    data_dir: str | None = None,
    since: str | None = None,
) -> None:
    """Register ``nightly`` as deployment ``name`` (cron in Europe/Stockholm) and serve its runs.

    ``since`` is the flow's backfill bound (an ISO date or ``"all"``); None keeps the rolling default,
    two years before each run's day."""
    check_server()
    nightly.serve(
        name=name,
        schedules=[Cron(cron, timezone=TIMEZONE)],
        parameters={"sources": sources, "data_dir": data_dir, "since": since},
        description="Nightly crawl of the sources registry into processed/ Parquet tables.",
        tags=["samverkan"],
    )
