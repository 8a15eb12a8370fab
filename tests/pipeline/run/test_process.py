"""Processing raw records in this process and on a pool of worker processes gives the same rows."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from pipeline.config import Paths, resolve_data_dir
from pipeline.demo import SITES_ROOT
from pipeline.raw.store import RawRecord, RawStore
from pipeline.run import jobs
from pipeline.run.process import process_records, process_records_in_pool, rows_for


@pytest.fixture(scope="module")
def paths(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    """A fresh data directory."""
    return resolve_data_dir(tmp_path_factory.mktemp("data")).ensure()


@pytest.fixture(scope="module")
def records(paths: Paths) -> list[RawRecord]:
    """The demo sites' article pages, plus one empty page, archived in the data directory's raw/."""
    store = RawStore(paths.raw)
    pages = sorted(p for p in SITES_ROOT.rglob("index.html") if len(p.relative_to(SITES_ROOT).parts) >= 4)
    assert len(pages) >= 10
    out = []
    for i, page in enumerate(pages):
        url = "https://demo.test/" + "/".join(page.relative_to(SITES_ROOT).parts[:-1]) + "/"
        rec = store.put("demo", url, url, 200, {"content-type": "text/html; charset=utf-8"}, page.read_bytes(),
                        datetime(2025, 3, 1, 3, i, tzinfo=UTC))
        out.append(store.get(rec.raw_id))
    empty = store.put("demo", "https://demo.test/tom/", "https://demo.test/tom/", 200, {"content-type": "text/html"}, b"",
                      datetime(2025, 3, 1, 4, 0, tzinfo=UTC))
    out.insert(3, store.get(empty.raw_id))
    return out


def _canonical(rows: dict[str, list[dict[str, Any]]]) -> dict[str, list[str]]:
    return {table: sorted(repr(sorted(r.items())) for r in table_rows) for table, table_rows in rows.items()}


def test_pool_gives_the_rows_and_errors_of_the_serial_path(records: list[RawRecord]) -> None:
    from pipeline.nlp import load_nlp

    serial = process_records(load_nlp(), records)
    pooled = process_records_in_pool(None, records, n_process=2, batch_size=4)
    assert [r.article["url"] for r in pooled.results] == [r.article["url"] for r in serial.results]  # input order kept
    assert _canonical(rows_for(pooled.results)) == _canonical(rows_for(serial.results))
    assert len(pooled.errors) == len(serial.errors) == 1 and "https://demo.test/tom/" in pooled.errors[0]
    assert sum(1 for r in pooled.results if r.article["is_relevant"]) >= 5


def test_raw_batch_on_workers_never_loads_the_pipeline_here(paths: Paths, records: list[RawRecord]) -> None:
    from pipeline import nlp

    raw_ids = [r.raw_id for r in records[:6]]
    nlp.forget_loaded()
    pooled = jobs.process_raw_batch(paths, raw_ids, n_process=2)
    assert not nlp._CACHE, "with n_process=2 the workers hold the pipeline; this process must not load it"
    serial = jobs.process_raw_batch(paths, raw_ids)
    assert nlp._CACHE
    assert _canonical(jobs.load_staged([pooled])) == _canonical(jobs.load_staged([serial]))
    assert pooled.errors == serial.errors and len(pooled.errors) == 1
