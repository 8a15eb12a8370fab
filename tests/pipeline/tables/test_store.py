"""Tests for pipeline.tables.store: replace semantics, partitions, types, locking, disk full, rebuild."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.tables import schemas
from pipeline.tables.store import RowTypeError, Store, StoreLockedError, StoreWriteError

REPO = Path(__file__).resolve().parents[3]
UTC = dt.UTC


def article(aid: str, year: int | None = 2024, fetched_year: int | None = 2025, **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "article_id": aid,
        "source_id": "lerum",
        "url": f"https://www.lerum.se/nyheter/{aid}",
        "title": f"Rubrik {aid}",
        "published": dt.date(year, 3, 1) if year else None,
        "fetched_at": dt.datetime(fetched_year, 1, 2, 3, 4, 5, tzinfo=UTC) if fetched_year else None,
        "text": f"Text för {aid}.",
        "raw_id": f"raw-{aid}",
        "is_relevant": True,
        "relevance_score": 0.9,
    }
    row.update(extra)
    return row


def mention(aid: str, text: str = "Lerum", norm: str = "1441") -> dict[str, Any]:
    return {"article_id": aid, "label": "KOMMUN", "text": text, "norm_id": norm, "start_char": 0, "end_char": 5}


def person(aid: str, name: str = "Anna Berg") -> dict[str, Any]:
    return {"article_id": aid, "person_id": name.lower().replace(" ", "-"), "name": name, "role_code": "kso"}


def files_of(root: Path, table: str) -> list[str]:
    return sorted(p.name for p in (root / table).iterdir())


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "processed")


def test_read_absent_table_is_empty_with_schema_columns(store: Store) -> None:
    df = store.read("people")
    assert list(df.columns) == schemas.schema_for("people").names
    assert len(df) == 0
    assert store.article_ids() == set()
    assert store.raw_ids() == set()


def test_replace_articles_replaces_all_rows_of_given_articles_only(store: Store) -> None:
    store.replace_articles(
        {
            "articles": [article("a1"), article("a2")],
            "mentions": [mention("a1"), mention("a1", "Alingsås", "1489"), mention("a2")],
            "people": [person("a1"), person("a2")],
        }
    )
    store.replace_articles({"articles": [article("a1", title="Ny rubrik")], "mentions": [mention("a1", "Borås", "1490")]})
    arts = store.read("articles").set_index("article_id")
    assert arts.loc["a1", "title"] == "Ny rubrik"
    assert arts.loc["a2", "title"] == "Rubrik a2"
    m = store.read("mentions")
    assert sorted(zip(m.article_id, m.norm_id, strict=True)) == [("a1", "1490"), ("a2", "1441")]
    # a1 had no new people rows: its old ones are gone, a2's stay.
    assert store.read("people").article_id.tolist() == ["a2"]
    assert store.article_ids() == {"a1", "a2"}
    assert store.raw_ids() == {"raw-a1", "raw-a2"}


def test_same_replace_twice_gives_no_duplicates(store: Store) -> None:
    rows = {"articles": [article("a1")], "mentions": [mention("a1"), mention("a1")]}
    store.replace_articles(rows)
    store.replace_articles(rows)
    assert len(store.read("articles")) == 1
    assert len(store.read("mentions")) == 2


def test_partitions_by_year_children_follow_article_and_move(store: Store) -> None:
    root = store.root
    store.replace_articles(
        {
            "articles": [article("a1", 2023), article("a2", None, 2024), article("a3", None, None)],
            "people": [person("a1"), person("a2"), person("a3")],
        }
    )
    assert files_of(root, "articles") == ["part-2023.parquet", "part-2024.parquet", "part-unknown.parquet"]
    assert files_of(root, "people") == files_of(root, "articles")
    assert files_of(root, "mentions") == ["part-empty.parquet"]
    assert pq.read_table(root / "people" / "part-2024.parquet").column("article_id").to_pylist() == ["a2"]
    # a1 moves from 2023 to 2021: the 2023 partitions become empty and are removed.
    store.replace_articles({"articles": [article("a1", 2021)], "people": [person("a1")]})
    assert files_of(root, "articles") == ["part-2021.parquet", "part-2024.parquet", "part-unknown.parquet"]
    assert files_of(root, "people") == files_of(root, "articles")
    assert sorted(store.read("people").article_id) == ["a1", "a2", "a3"]


def test_commit_rewrites_only_touched_partitions(store: Store) -> None:
    store.replace_articles({"articles": [article("a1", 2020), article("a2", 2024)]})
    before = (store.root / "articles" / "part-2020.parquet").stat()
    store.replace_articles({"articles": [article("a2", 2024, title="x")]})
    after = (store.root / "articles" / "part-2020.parquet").stat()
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)


def test_files_carry_schema_version_and_exact_schema(store: Store) -> None:
    store.replace_articles({"articles": [article("a1")], "mentions": [mention("a1")]})
    store.write_table("kommuner", [{"kommun_code": "1441", "name": "Lerum", "county_code": "14"}])
    store.append_runs([{"run_id": "r1", "flow": "demo", "started_at": dt.datetime(2025, 5, 1, tzinfo=UTC)}])
    for table in schemas.SCHEMAS:
        for f in (store.root / table).glob("*.parquet"):
            meta = pq.read_schema(f)
            assert meta.metadata[b"schema_version"] == schemas.SCHEMA_VERSION.encode()
            assert meta.equals(schemas.schema_for(table), check_metadata=False), (table, f)
            assert [x.nullable for x in meta] == [x.nullable for x in schemas.schema_for(table)]


@pytest.mark.parametrize(
    ("table", "row", "column", "needle"),
    [
        ("articles", {"article_id": "a", "published": "2024-01-01"}, "published", "'2024-01-01'"),
        ("articles", {"article_id": "a", "fetched_at": dt.datetime(2024, 1, 1)}, "fetched_at", "naive"),
        ("articles", {"article_id": "a", "published": dt.datetime(2024, 1, 1)}, "published", "date"),
        ("kommuner", {"kommun_code": 486}, "kommun_code", "486"),
        ("mentions", {"article_id": "a", "start_char": "zero"}, "start_char", "'zero'"),
        ("articles", {"article_id": None}, "article_id", "non-nullable"),
    ],
)
def test_wrong_types_give_clear_error_and_write_nothing(store: Store, table: str, row: dict[str, Any], column: str, needle: str) -> None:
    store.replace_articles({"articles": [article("keep")]})
    snapshot = sorted(p.name for p in store.root.rglob("*"))
    with pytest.raises(RowTypeError) as info:
        if table == "kommuner":
            store.write_table(table, [row])
        elif table == "articles":
            store.replace_articles({"articles": [row]})
        else:
            store.replace_articles({"articles": [article("a")], table: [row]})
    msg = str(info.value)
    assert repr(table) in msg and repr(column) in msg and needle in msg
    assert sorted(p.name for p in store.root.rglob("*")) == snapshot
    assert store.article_ids() == {"keep"}


def test_unknown_column_and_orphan_rows_are_rejected(store: Store) -> None:
    with pytest.raises(RowTypeError, match="unknown column.*'titel'"):
        store.replace_articles({"articles": [{"article_id": "a", "titel": "x"}]})
    with pytest.raises(ValueError, match="'mentions'.*'b'"):
        store.replace_articles({"articles": [article("a")], "mentions": [mention("b")]})
    with pytest.raises(ValueError, match="more than once"):
        store.replace_articles({"articles": [article("a"), article("a")]})
    with pytest.raises(ValueError, match="kommuner"):
        store.replace_articles({"kommuner": []})
    assert store.article_ids() == set()


def test_write_table_full_replace(store: Store) -> None:
    store.write_table("kommuner", [{"kommun_code": "1441", "name": "Lerum"}, {"kommun_code": "0486", "name": "X"}])
    store.write_table("kommuner", [{"kommun_code": "0486", "name": "Strängnäs"}])
    df = store.read("kommuner")
    assert df.to_dict("records") == [{"kommun_code": "0486", "name": "Strängnäs", "county_code": None, "county_name": None}]
    assert files_of(store.root, "kommuner") == ["part-all.parquet"]
    with pytest.raises(ValueError, match="replace_articles"):
        store.write_table("articles", [])


def test_append_runs_appends_and_replaces_same_run_and_source(store: Store) -> None:
    t0 = dt.datetime(2025, 12, 31, 23, 0, tzinfo=UTC)
    store.append_runs([{"run_id": "r1", "flow": "nightly", "started_at": t0, "status": "partial"}])
    store.append_runs([{"run_id": "r1", "flow": "nightly", "started_at": t0, "status": "completed", "n_articles": 3}])
    store.append_runs([{"run_id": "r1", "flow": "nightly", "source_id": "lerum", "started_at": t0, "status": "completed"}])
    store.append_runs([{"run_id": "r2", "flow": "nightly", "started_at": t0 + dt.timedelta(hours=2)}])
    df = store.read("runs").sort_values(["run_id", "source_id"], na_position="first")
    assert list(zip(df.run_id, df.source_id.fillna("-"), df.status.fillna("-"), strict=True)) == [
        ("r1", "-", "completed"),
        ("r1", "lerum", "completed"),
        ("r2", "-", "-"),
    ]
    assert files_of(store.root, "runs") == ["part-2025.parquet", "part-2026.parquet"]
    assert str(df.started_at.dtype) == "datetime64[us, UTC]"


def test_rebuild_replaces_everything_last_batch_wins(store: Store) -> None:
    store.replace_articles({"articles": [article("old", 2019)], "people": [person("old")]})
    store.rebuild(
        [
            {"articles": [article("a1", 2024)], "mentions": [mention("a1", "Först")]},
            {"articles": [article("a2", 2022)], "people": [person("a2")]},
            {"articles": [article("a1", 2023)], "mentions": [mention("a1", "Sist")]},
        ]
    )
    assert store.article_ids() == {"a1", "a2"}
    assert store.read("mentions").text.tolist() == ["Sist"]
    assert store.read("people").article_id.tolist() == ["a2"]
    assert files_of(store.root, "articles") == ["part-2022.parquet", "part-2023.parquet"]
    assert files_of(store.root, "mentions") == ["part-2023.parquet"]
    assert files_of(store.root, "dates") == ["part-empty.parquet"]


def test_rebuild_failing_iterator_changes_nothing(store: Store) -> None:
    store.replace_articles({"articles": [article("keep")]})

    def batches():  # type: ignore[no-untyped-def]
        yield {"articles": [article("new")]}
        raise RuntimeError("source broke")

    with pytest.raises(RuntimeError, match="source broke"):
        store.rebuild(batches())
    assert store.article_ids() == {"keep"}
    assert not [p for p in store.root.rglob(".tmp-*")]


def test_rebuild_empty_gives_empty_tables(store: Store) -> None:
    store.replace_articles({"articles": [article("a")]})
    store.rebuild([])
    for table in schemas.ARTICLE_TABLES:
        assert files_of(store.root, table) == ["part-empty.parquet"]
        assert len(pd.read_parquet(store.root / table)) == 0


# ---------------------------------------------------------------- disk full


@pytest.mark.parametrize("fail_at", ["write articles/2024", "write mentions/2024", "journal"])
def test_disk_full_from_writer_leaves_previous_tables(store: Store, fail_at: str) -> None:
    store.replace_articles({"articles": [article("a1")], "mentions": [mention("a1")]})
    before = {t: store.read(t) for t in schemas.ARTICLE_TABLES}

    def hook(step: str) -> None:
        if step == fail_at:
            raise OSError(errno.ENOSPC, "No space left on device")

    store.fault_hook = hook
    with pytest.raises(StoreWriteError) as info:
        store.replace_articles({"articles": [article("a1", title="ny"), article("a2")], "mentions": [mention("a2")]})
    msg = str(info.value)
    assert str(store.root) in msg and "disk is full" in msg and "Free space" in msg and "intact" in msg
    store.fault_hook = None
    for t in schemas.ARTICLE_TABLES:
        pd.testing.assert_frame_equal(store.read(t), before[t])
    assert not list(store.root.rglob(".tmp-*")) and not (store.root / ".journal.json").exists()


def test_disk_full_real_file_size_limit_in_subprocess(tmp_path: Path) -> None:
    """RLIMIT_FSIZE makes the kernel refuse to grow files: a real write failure."""
    root = tmp_path / "processed"
    Store(root).replace_articles({"articles": [article("a1")]})
    script = textwrap.dedent(
        f"""
        import datetime as dt, os, resource, signal, sys
        sys.path.insert(0, {str(REPO)!r})
        from pipeline.tables.store import Store, StoreWriteError
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))
        big = [{{"article_id": f"b{{i}}", "text": os.urandom(4000).hex(), "published": dt.date(2024, 1, 1)}}
               for i in range(200)]
        try:
            Store({str(root)!r}).replace_articles({{"articles": big}})
        except StoreWriteError as exc:
            print(exc)
            sys.exit(3)
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3, proc.stderr
    assert str(root) in proc.stdout and "Free space" in proc.stdout
    store = Store(root)
    assert store.article_ids() == {"a1"}
    with store.lock():
        pass
    assert not list(root.rglob(".tmp-*"))


# ---------------------------------------------------------------- locking

HOLDER = """
import sys, time
sys.path.insert(0, {repo!r})
from pipeline.tables.store import Store
with Store({root!r}).lock():
    print("locked", flush=True)
    time.sleep(60)
"""


def test_second_process_gets_store_locked_error_naming_holder(tmp_path: Path) -> None:
    root = tmp_path / "processed"
    proc = subprocess.Popen([sys.executable, "-c", HOLDER.format(repo=str(REPO), root=str(root))], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        with pytest.raises(StoreLockedError) as info, Store(root).lock():
            pass
        msg = str(info.value)
        assert f"pid {proc.pid}" in msg and str(root / ".lock") in msg and "host" in msg and "since" in msg
        assert "retry" in msg
        with pytest.raises(StoreLockedError):
            Store(root).replace_articles({"articles": [article("x")]})
    finally:
        proc.kill()
        proc.wait()
    with Store(root).lock() as s:  # released when the holder died
        s.replace_articles({"articles": [article("x")]})
    assert Store(root).article_ids() == {"x"}


def test_lock_is_reentrant_and_releases(store: Store) -> None:
    with store.lock():
        with store.lock():
            store.replace_articles({"articles": [article("a")]})
        store.replace_articles({"articles": [article("b")]})
    other = Store(store.root)
    with other.lock():
        assert other.article_ids() == {"a", "b"}


def test_stale_lock_of_dead_pid_is_taken_over(tmp_path: Path) -> None:
    """A lock still held by an orphan that inherited the descriptor, while the recorded holder is dead."""
    root = tmp_path / "processed"
    script = textwrap.dedent(
        f"""
        import os, sys, time
        sys.path.insert(0, {str(REPO)!r})
        from pipeline.tables.lock import WriterLock
        WriterLock(__import__("pathlib").Path({str(root)!r})).acquire()
        child = os.fork()
        if child == 0:              # the child keeps the flock'ed descriptor open
            os.close(1)
            os.close(2)
            time.sleep(30)
            os._exit(0)
        print("parent done", child, os.getpid(), flush=True)
        os._exit(0)                 # the recorded holder (this pid) dies
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert "parent done" in proc.stdout, proc.stderr
    _, _, child, parent = proc.stdout.split()
    try:
        assert json.loads((root / ".lock").read_text())["pid"] == int(parent)
        store = Store(root)
        with store.lock():
            assert json.loads((root / ".lock").read_text())["pid"] == os.getpid()
            store.replace_articles({"articles": [article("a")]})
        assert store.article_ids() == {"a"}
    finally:
        os.kill(int(child), 9)  # the orphan we forked, by its pid


# ---------------------------------------------------------------- model-based idempotency

_ids = st.sampled_from([f"a{i}" for i in range(6)])
_years = st.one_of(st.none(), st.integers(2019, 2024))


@st.composite
def _upsert(draw: st.DrawFn) -> dict[str, list[dict[str, Any]]]:
    ids = draw(st.lists(_ids, min_size=0, max_size=4, unique=True))
    rows: dict[str, list[dict[str, Any]]] = {t: [] for t in ("articles", "mentions", "people", "dates")}
    for aid in ids:
        tag = draw(st.integers(0, 1000))
        rows["articles"].append(article(aid, draw(_years), draw(_years), title=f"t{tag}"))
        for k in range(draw(st.integers(0, 3))):
            rows["mentions"].append(mention(aid, f"m{tag}-{k}"))
        for k in range(draw(st.integers(0, 2))):
            rows["people"].append(person(aid, f"Person {tag} {k}"))
        if draw(st.booleans()):
            rows["dates"].append({"article_id": aid, "kind": "published", "date": dt.date(2024, 1, tag % 28 + 1)})
    return rows


def _norm(df: pd.DataFrame, cols: list[str]) -> list[tuple[Any, ...]]:
    return sorted(tuple(r) for r in df[cols].itertuples(index=False))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(_upsert(), min_size=1, max_size=6))
def test_random_upserts_equal_in_memory_model(tmp_path_factory: pytest.TempPathFactory, ops: list[Any]) -> None:
    store = Store(tmp_path_factory.mktemp("h") / "processed")
    model: dict[str, dict[str, list[dict[str, Any]]]] = {}
    with store.lock():
        for rows in ops:
            store.replace_articles(rows)
            for a in rows["articles"]:
                aid = a["article_id"]
                model[aid] = {t: [r for r in rows[t] if r["article_id"] == aid] for t in rows}
    arts = store.read("articles")
    assert arts.article_id.is_unique
    assert _norm(arts, ["article_id", "title"]) == sorted((a, m["articles"][0]["title"]) for a, m in model.items())
    cols = {"mentions": ["article_id", "text"], "people": ["article_id", "person_id"], "dates": ["article_id", "date"]}
    for t, c in cols.items():
        expected = sorted(tuple(r.get(k) for k in c) for m in model.values() for r in m[t])
        assert _norm(store.read(t), c) == expected, t
    # Every child row lives in its article's partition.
    part_of = {}
    for f in (store.root / "articles").glob("part-*.parquet"):
        for a in pq.read_table(f).column("article_id").to_pylist():
            part_of[a] = f.name
    for t in cols:
        for f in (store.root / t).glob("part-*.parquet"):
            for a in pq.read_table(f).column("article_id").to_pylist():
                assert part_of[a] == f.name
    if model:
        assert os.listdir(store.root / "articles")  # never an empty folder


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=_upsert(), batches=st.lists(_upsert(), min_size=0, max_size=5))
def test_random_rebuild_equals_last_batch_wins_model(
    tmp_path_factory: pytest.TempPathFactory, before: dict[str, list[dict[str, Any]]], batches: list[Any]
) -> None:
    store = Store(tmp_path_factory.mktemp("r") / "processed")
    store.replace_articles(before)
    model: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for rows in batches:
        for a in rows["articles"]:
            model[a["article_id"]] = {t: [r for r in rows[t] if r["article_id"] == a["article_id"]] for t in rows}
    store.rebuild(iter(batches))
    arts = store.read("articles")
    assert arts.article_id.is_unique
    assert _norm(arts, ["article_id", "title"]) == sorted((a, m["articles"][0]["title"]) for a, m in model.items())
    for t, c in {"mentions": ["article_id", "text"], "people": ["article_id", "person_id"]}.items():
        expected = sorted(tuple(r.get(k) for k in c) for m in model.values() for r in m[t])
        assert _norm(store.read(t), c) == expected, t
    for t in schemas.ARTICLE_TABLES:
        assert list((store.root / t).glob("*.parquet")), t  # every table keeps at least one file


def test_recover_without_lock_removes_stray_temp_files(store: Store) -> None:
    store.replace_articles({"articles": [article("a")]})
    stray = store.root / "articles" / ".tmp-deadbeef-part-2024.parquet.tmp"
    stray.write_bytes(b"half a file")
    assert store.article_ids() == {"a"}  # readers ignore it
    store.recover()
    assert not stray.exists()
    assert store.article_ids() == {"a"}


def test_hold_commits_waits_for_the_commit_in_flight_and_blocks_new_ones(store: Store) -> None:
    import threading

    from pipeline.tables.store import hold_commits

    in_commit, release = threading.Event(), threading.Event()

    def slow_step(name: str) -> None:
        if name == "journal rename":
            in_commit.set()
            release.wait(10)

    store.fault_hook = slow_step
    writer = threading.Thread(target=store.replace_articles, args=({"articles": [article("a1")]},))
    writer.start()
    assert in_commit.wait(10)
    with hold_commits(timeout=0.2) as acquired:
        assert not acquired  # the commit in flight holds the gate
    release.set()
    writer.join(10)
    store.fault_hook = None
    with hold_commits(timeout=5) as acquired:
        assert acquired
        late = threading.Thread(target=store.replace_articles, args=({"articles": [article("a2")]},))
        late.start()
        late.join(0.5)
        assert late.is_alive()  # a new commit waits while the gate is held
        assert store.article_ids() == {"a1"}
    late.join(10)
    assert store.article_ids() == {"a1", "a2"}
