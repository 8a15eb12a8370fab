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
    assert list(pg.track(range(5), "fetch")) == [0, 1, 2, 3, 4]
    pg.emit("source_done", source="lerum")
    logging.getLogger("samverkan.test").info("chatty")
    assert buf.getvalue() == ""
    logging.getLogger("samverkan.test").warning("robots.txt forbids https://example.invalid/x")
    assert "robots.txt forbids" in buf.getvalue()


def test_json_mode_emits_one_json_object_per_line() -> None:
    buf = io.StringIO()
    pg.configure_output(quiet=False, json_logs=True, stream=buf)
    items = list(pg.track(iter(["a", "b", "c"]), "extract", total=3))
    pg.emit("source_done", source="lerum", fetched=2)
    logging.getLogger("samverkan.test").info("wrote %d rows", 7)
    out = lines(buf)
    assert items == ["a", "b", "c"]
    progress = [o for o in out if o["event"] == "progress"]
    assert progress[0]["status"] == "start" and progress[0]["total"] == 3 and progress[0]["completed"] == 0
    assert progress[-1] == {**progress[-1], "status": "done", "completed": 3, "task": "extract"}
    assert {"event": "source_done", "source": "lerum", "fetched": 2}.items() <= out[-2].items()
    assert out[-1]["event"] == "log" and out[-1]["message"] == "wrote 7 rows" and out[-1]["level"] == "info"
    assert all(str(o["ts"]).endswith("+00:00") for o in out)


def test_json_progress_is_throttled_and_reports_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    buf = io.StringIO()
    pg.configure_output(json_logs=True, stream=buf)
    monkeypatch.setattr(pg, "JSON_PROGRESS_INTERVAL_S", 3600.0)
    with pytest.raises(RuntimeError):
        with pg.progress("crawl", total=1000) as bar:
            for _ in range(500):
                bar.advance()
            raise RuntimeError("host down")
    out = lines(buf)
    assert len(out) == 2  # start + failed, not 500 lines
    assert out[-1]["status"] == "failed" and out[-1]["completed"] == 500


def test_breaking_out_of_track_is_not_a_failure() -> None:
    buf = io.StringIO()
    pg.configure_output(json_logs=True, stream=buf)
    gen = pg.track(range(10), "scan")
    for i in gen:
        if i == 2:
            break
    gen.close()
    assert lines(buf)[-1]["status"] == "done" and lines(buf)[-1]["completed"] == 2


def test_normal_mode_shows_a_rich_bar_and_log_lines() -> None:
    buf = io.StringIO()
    pg.configure_output(stream=buf)
    assert sum(pg.track([1, 2, 3], "relevance")) == 6
    logging.getLogger("samverkan.test").info("all good")
    text = buf.getvalue()
    assert "relevance" in text and "3/3" in text and "all good" in text
    with pytest.raises(json.JSONDecodeError):
        json.loads(text.splitlines()[0])


def test_reconfiguring_replaces_the_handler() -> None:
    root = logging.getLogger()
    before = len(root.handlers)
    pg.configure_output(stream=io.StringIO())
    pg.configure_output(json_logs=True, stream=io.StringIO())
    assert len(root.handlers) == before + 1
    pg.reset_output()
    assert len(root.handlers) == before
