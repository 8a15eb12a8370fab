"""Processing raw records in this process and on a pool of worker processes gives the same rows."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from pipeline.demo import SITES_ROOT
from pipeline.process import process_records, process_records_in_pool, rows_for
from pipeline.raw_store import RawRecord, RawStore


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> list[RawRecord]:
    """The demo sites' article pages, plus one empty page, archived in a fresh raw/."""
    store = RawStore(tmp_path_factory.mktemp("raw"))
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


def test_process_records_with_n_process_dispatches_to_the_pool(records: list[RawRecord]) -> None:
    from pipeline.nlp import load_nlp, parallel

    parallel.shutdown_pools()
    outcome = process_records(load_nlp(), records[:6], n_process=2)
    assert parallel._POOLS, "a pipeline from load_nlp with n_process=2 should run on the worker pool"
    serial = process_records(load_nlp(), records[:6])
    assert _canonical(rows_for(outcome.results)) == _canonical(rows_for(serial.results))
    assert outcome.errors == serial.errors
