from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from pipeline.report import progress as pg


@pytest.fixture(autouse=True)
def _reset() -> Iterator[None]:
    yield
    pg.reset_output()


def lines(buf: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(ln) for ln in buf.getvalue().splitlines() if ln.strip()]


def test_quiet_mode_prints_nothing_but_warnings() -> None:
    buf = io.StringIO()
    pg.configure_output(quiet=True, json_logs=False, stream=buf)
    logging.getLogger("samverkan.test").info("chatty")
    assert buf.getvalue() == ""
    logging.getLogger("samverkan.test").warning("robots.txt forbids https://example.invalid/x")
    assert "robots.txt forbids" in buf.getvalue()


def test_json_mode_emits_one_json_object_per_line() -> None:
    buf = io.StringIO()
    pg.configure_output(quiet=False, json_logs=True, stream=buf)
    logging.getLogger("samverkan.test").info("wrote %d rows", 7)
    try:
        raise ValueError("bad row")
    except ValueError:
        logging.getLogger("samverkan.test").exception("commit failed")
    out = lines(buf)
    assert out[0]["event"] == "log" and out[0]["message"] == "wrote 7 rows" and out[0]["level"] == "info"
    assert out[1]["level"] == "error" and "ValueError: bad row" in str(out[1]["exception"])
    assert all(str(o["ts"]).endswith("+00:00") for o in out)


def test_normal_mode_shows_rich_log_lines() -> None:
    buf = io.StringIO()
    pg.configure_output(stream=buf)
    logging.getLogger("samverkan.test").info("all good")
    text = buf.getvalue()
    assert "all good" in text and "INFO" in text
    with pytest.raises(json.JSONDecodeError):
        json.loads(text.splitlines()[0])


def test_noisy_loggers_stay_at_warning() -> None:
    pg.configure_output(stream=io.StringIO())
    assert all(logging.getLogger(name).level == logging.WARNING for name in pg.NOISY_LOGGERS)


def test_reconfiguring_replaces_the_handler() -> None:
    root = logging.getLogger()
    before = len(root.handlers)
    pg.configure_output(stream=io.StringIO())
    pg.configure_output(json_logs=True, stream=io.StringIO())
    assert len(root.handlers) == before + 1
    pg.reset_output()
    assert len(root.handlers) == before
