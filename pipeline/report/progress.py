"""Progress bars and log output for long runs, in three modes.

* **normal** (default): rich progress bars and rich log lines on stderr.
* **quiet** (``--quiet``): no progress at all; only warnings and errors are logged.
* **JSON logs** (``--json-logs``): no bars; every progress update and log record is
  one JSON object on its own line on stderr, e.g.
  ``{"ts": "2024-12-01T02:30:00.123+00:00", "event": "progress", "task": "fetch", "completed": 3, "total": 10}``.

The CLI calls :func:`configure_output` once; library code uses :func:`track`,
:func:`progress` and :func:`emit` and never checks the mode itself::

    for record in track(records, "extract"):
        ...
    with progress("crawl", total=len(sources)) as bar:
        ...; bar.advance()
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TextIO, TypeVar

from rich.console import Console
from rich.logging import RichHandler
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

T = TypeVar("T")

#: In JSON mode, progress lines are emitted at most this often per task (plus start and end).
JSON_PROGRESS_INTERVAL_S = 1.0

_HANDLER_MARK = "_samverkan_handler"

#: Third-party loggers that log every request at INFO; kept at WARNING so progress stays readable.
NOISY_LOGGERS = ("httpx", "httpcore", "urllib3", "filelock", "asyncio")


@dataclass
class OutputSettings:
    """The current output mode."""

    quiet: bool = False
    json_logs: bool = False
    stream: TextIO | None = None  # None → sys.stderr at the time of writing

    @property
    def out(self) -> TextIO:
        """Where progress and logs go."""
        return self.stream if self.stream is not None else sys.stderr


_settings = OutputSettings()


def settings() -> OutputSettings:
    """The active output settings."""
    return _settings


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

    ``quiet`` hides progress and logs below WARNING; ``json_logs`` turns progress and
    logs into JSON lines. Both may be set: then only warnings/errors are printed, as JSON.
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


def _json_line(obj: dict[str, Any]) -> None:
    obj = {"ts": datetime.now(UTC).isoformat(timespec="milliseconds"), **obj}
    out = _settings.out
    out.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")
    out.flush()


def emit(event: str, **fields: Any) -> None:
    """Report a notable event (e.g. ``emit("source_done", source="lerum", fetched=12)``).

    JSON mode: one JSON line. Normal mode: one dim line on the console. Quiet: nothing.
    """
    if _settings.quiet:
        return
    if _settings.json_logs:
        _json_line({"event": event, **fields})
        return
    console = Console(file=_settings.out, stderr=_settings.stream is None)
    details = " ".join(f"{k}={v}" for k, v in fields.items())
    console.print(f"[bold]{event}[/bold] {details}", highlight=False, markup=True)


class ProgressHandle:
    """What :func:`progress` yields: call :meth:`advance` as work completes."""

    def __init__(self, task: str, total: int | None) -> None:
        self.task = task
        self.total = total
        self.completed = 0
        self._bar: Progress | None = None
        self._task_id: TaskID | None = None
        self._last_json = 0.0

    def _start(self) -> None:
        if _settings.quiet:
            return
        if _settings.json_logs:
            self._report("start", force=True)
            return
        console = Console(file=_settings.out, stderr=_settings.stream is None)
        self._bar = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self._bar.start()
        self._task_id = self._bar.add_task(self.task, total=self.total)

    def _report(self, status: str, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_json < JSON_PROGRESS_INTERVAL_S:
            return
        self._last_json = now
        _json_line(
            {"event": "progress", "task": self.task, "status": status, "completed": self.completed, "total": self.total}
        )

    def advance(self, n: int = 1) -> None:
        """Record ``n`` more units of work as done."""
        self.completed += n
        if self._bar is not None and self._task_id is not None:
            self._bar.update(self._task_id, advance=n)
        elif _settings.json_logs and not _settings.quiet:
            self._report("running")

    def _finish(self, failed: bool) -> None:
        if self._bar is not None:
            self._bar.stop()
        elif _settings.json_logs and not _settings.quiet:
            self._report("failed" if failed else "done", force=True)


@contextmanager
def progress(task: str, total: int | None = None) -> Iterator[ProgressHandle]:
    """Context manager for a unit of long work whose steps are reported with ``advance()``."""
    handle = ProgressHandle(task, total)
    handle._start()
    failed = False
    try:
        yield handle
    except BaseException as exc:  # an early ``break`` out of track() closes it with GeneratorExit: not a failure
        failed = not isinstance(exc, GeneratorExit)
        raise
    finally:
        handle._finish(failed)


def track(items: Iterable[T], task: str, total: int | None = None) -> Iterator[T]:
    """Iterate over ``items`` while showing progress (``total`` defaults to ``len(items)`` if known)."""
    if total is None:
        try:
            total = len(items)  # type: ignore[arg-type]
        except TypeError:
            total = None
    with progress(task, total) as handle:
        for item in items:
            yield item
            handle.advance()
