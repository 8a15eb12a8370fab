"""Keep Prefect's run logs readable on the terminal when a run fails for a known reason.

Prefect logs a failed flow or task run with the full traceback. When the cause is an
error the user can act on (a full disk, a locked store, a bad registry: anything
:func:`pipeline.errors.describe` knows), the traceback says nothing the CLI's own last line
does not, so this filter drops it and keeps Prefect's one-line log record. Unexpected errors
(bugs) keep their traceback.
"""

from __future__ import annotations

import logging

from pipeline.errors import describe

RUN_LOGGERS = ("prefect.flow_runs", "prefect.task_runs")


class KnownErrorTracebackFilter(logging.Filter):
    """Remove the traceback from run-log records whose exception is a known, described error."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Always keep the record; strip its traceback if the exception is a known error."""
        exc = record.exc_info[1] if record.exc_info else None
        if exc is not None and describe(exc) is not None:
            record.exc_info = None
            record.exc_text = None
        return True


def quiet_known_tracebacks() -> None:
    """Install :class:`KnownErrorTracebackFilter` on Prefect's flow-run and task-run loggers (once)."""
    for name in RUN_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, KnownErrorTracebackFilter) for f in logger.filters):
            logger.addFilter(KnownErrorTracebackFilter())
