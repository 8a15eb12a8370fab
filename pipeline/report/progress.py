"""Log output of the CLI, in three modes.

* **normal** (default): rich log lines on stderr.
* **quiet** (``--quiet``): only warnings and errors are logged.
* **JSON logs** (``--json-logs``): every log record is one JSON object on its own line on
  stderr, e.g.
  ``{"ts": "2024-12-01T02:30:00.123+00:00", "event": "log", "level": "info", "logger": "samverkan", "message": "…"}``.

The CLI calls :func:`configure_output` once; library code only logs (``logging``) and never
checks the mode itself. Progress of a run is shown by Prefect's run logs and the CLI's summary.
"""

from __future__ import annotations

import json
import logging
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TextIO

from rich.console import Console
from rich.logging import RichHandler

_HANDLER_MARK = "_samverkan_handler"

#: Third-party loggers that log every request at INFO; kept at WARNING so the log stays readable.
NOISY_LOGGERS = ("httpx", "httpcore", "urllib3", "filelock", "asyncio")


@dataclass
class OutputSettings:
    """The current output mode."""

    quiet: bool = False
    json_logs: bool = False
    stream: TextIO | None = None  # None → sys.stderr at the time of writing

    @property
    def out(self) -> TextIO:
        """Where logs go."""
        return self.stream if self.stream is not None else sys.stderr


_settings = OutputSettings()


class JsonLineFormatter(logging.Formatter):
    """Format a log record as one JSON object (``ts``, ``event="log"``, ``level``, ``logger``, ``message``)."""

    def format(self, record: logging.LogRecord) -> str:
        """Return the JSON line for ``record``."""
        obj: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "event": "log",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            obj["exception"] = self.formatException(record.exc_info)
        return json.dumps(obj, ensure_ascii=False, default=str)


def configure_output(quiet: bool = False, json_logs: bool = False, stream: TextIO | None = None) -> OutputSettings:
    """Set the output mode for the whole process and (re)configure the root logger.

    ``quiet`` hides logs below WARNING; ``json_logs`` turns logs into JSON lines. Both may be set:
    then only warnings/errors are printed, as JSON.
    ``stream`` defaults to stderr (stdout stays free for command results such as ``--json``).
    Calling it again replaces the handler installed by the previous call.
    """
    global _settings
    _settings = OutputSettings(quiet=quiet, json_logs=json_logs, stream=stream)
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, _HANDLER_MARK, False):
            root.removeHandler(h)
    handler: logging.Handler
    if json_logs:
        handler = logging.StreamHandler(_settings.out)
        handler.setFormatter(JsonLineFormatter())
    else:
        console = Console(file=_settings.out, stderr=stream is None)
        handler = RichHandler(console=console, show_path=False, rich_tracebacks=False)
    setattr(handler, _HANDLER_MARK, True)
    handler.setLevel(logging.WARNING if quiet else logging.INFO)
    root.addHandler(handler)
    root.setLevel(min(root.level or logging.WARNING, handler.level))
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    return _settings


def reset_output() -> None:
    """Remove the handler installed by :func:`configure_output` and return to the default mode."""
    global _settings
    _settings = OutputSettings()
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, _HANDLER_MARK, False):
            root.removeHandler(h)
