"""Prefect's run logs: tracebacks of known errors are dropped, those of bugs kept."""

from __future__ import annotations

import errno
import io
import logging

from flows.console import RUN_LOGGERS, quiet_known_tracebacks


def _log_with(exc: BaseException) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger(RUN_LOGGERS[0])
    logger.addHandler(handler)
    try:
        try:
            raise exc
        except BaseException:
            logger.exception("Encountered exception during execution: %r", exc)
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()


def test_known_error_keeps_its_line_and_loses_the_traceback() -> None:
    quiet_known_tracebacks()
    quiet_known_tracebacks()  # installing twice adds one filter
    assert sum(type(f).__name__ == "KnownErrorTracebackFilter" for f in logging.getLogger(RUN_LOGGERS[0]).filters) == 1
    text = _log_with(OSError(errno.ENOSPC, "No space left on device", "/data/processed/x"))
    assert "Encountered exception during execution" in text and "No space left" in text
    assert "Traceback" not in text


def test_unexpected_error_keeps_its_traceback() -> None:
    quiet_known_tracebacks()
    text = _log_with(ZeroDivisionError("a bug"))
    assert "Traceback" in text and "ZeroDivisionError" in text
