"""Crash safety of pipeline.tables.store: a writer SIGKILLed after every step of a commit.

For each step N of an operation, a child process runs the operation with
``SAMVERKAN_STORE_CRASH_AFTER=N`` and kills itself there. The tables read back
(after the next writer's recovery) must equal the state before or after the
operation — never a mix — and rerunning the operation must give the after state.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pipeline.tables import schemas
from pipeline.tables.store import CRASH_ENV, Store

REPO = Path(__file__).resolve().parents[3]
UTC = dt.UTC


def _article(aid: str, year: int | None, title: str = "t") -> dict[str, Any]:
    return {
        "article_id": aid,
        "source_id": "lerum",
        "title": title,
        "published": dt.date(year, 5, 1) if year else None,
        "fetched_at": dt.datetime(2025, 1, 1, tzinfo=UTC),
        "text": f"Text {aid} {title}",
        "raw_id": f"raw-{aid}-{title}",
    }


def _children(aid: str, tag: str, n: int) -> dict[str, list[dict[str, Any]]]:
    return {
        "mentions": [
            {
                "article_id": aid,
                "label": "KOMMUN",
                "text": f"{tag}{k}",
                "norm_id": "1441",
                "start_char": k,
                "end_char": k + 1,
            }
            for k in range(n)
        ],
        "people": [{"article_id": aid, "person_id": f"p-{tag}", "name": f"P {tag}"}] if n else [],
        "collaborations": [{"collaboration_id": f"{aid}-1", "article_id": aid, "type": "natverk"}] if n > 1 else [],
        "collaboration_parties": (
            [{"collaboration_id": f"{aid}-1", "article_id": aid, "party_kind": "kommun", "party_id": "1441"}] if n > 1 else []
        ),
    }


def _batch(specs: list[tuple[str, int | None, str, int]]) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {t: [] for t in schemas.ARTICLE_TABLES}
    for aid, year, tag, n in specs:
        rows["articles"].append(_article(aid, year, tag))
        for t, rs in _children(aid, tag, n).items():
            rows[t] += rs
    return rows


BEFORE = _batch([("a1", 2022, "old", 2), ("a2", 2023, "old", 3), ("a3", None, "old", 1), ("a4", 2024, "old", 2)])
# a1 moves 2022 → 2024 and loses its children; a2 changes in place; a5 is new (new 2021 partition).
REPLACE = _batch([("a1", 2024, "new", 0), ("a2", 2023, "new", 1), ("a5", 2021, "new", 3)])
REBUILD = [
    _batch([("a1", 2020, "rb", 2), ("a6", 2024, "rb", 1)]),
    _batch([("a2", None, "rb", 3)]),
    _batch([("a1", 2019, "rb2", 1)]),  # a1 again: the last batch wins
]
RUNS = [{"run_id": "r9", "flow": "demo", "started_at": dt.datetime(2026, 1, 1, tzinfo=UTC), "status": "completed"}]


def run_op(root: Path, op: str) -> None:
    """Run one operation on the store at ``root`` (in this process)."""
    store = Store(root)
    with store.lock():
        if op == "replace":
            store.replace_articles(REPLACE)
        elif op == "rebuild":
            store.rebuild(iter(REBUILD))
        elif op == "runs":
            store.append_runs(RUNS)
        elif op == "kommuner":
            store.write_table("kommuner", [{"kommun_code": "1441", "name": "Lerum"}])
        else:
            raise ValueError(op)


def snapshot(root: Path) -> dict[str, list[str]]:
    """Every table as a sorted list of row reprs (read with plain pandas, like a researcher)."""
    out = {}
    for t in schemas.SCHEMAS:
        folder = root / t
        df = pd.read_parquet(folder) if folder.is_dir() else Store(root).read(t)
        out[t] = sorted(repr(sorted(r.items())) for r in df.astype(object).to_dict("records"))
    return out


def snapshot_store(root: Path) -> dict[str, list[str]]:
    """Every table as read by ``Store.read`` without taking the lock (a concurrent reader)."""
    store = Store(root)
    return {t: sorted(repr(sorted(r.items())) for r in store.read(t).astype(object).to_dict("records")) for t in schemas.SCHEMAS}


def count_steps(root: Path, op: str) -> list[str]:
    steps: list[str] = []
    scratch = root.parent / "count"
    shutil.copytree(root, scratch)
    store_cls_hook = Store.__init__

    def init(self: Store, processed_dir: Path) -> None:
        store_cls_hook(self, processed_dir)
        self.fault_hook = steps.append

    Store.__init__ = init  # type: ignore[method-assign]
    try:
        run_op(scratch, op)
    finally:
        Store.__init__ = store_cls_hook  # type: ignore[method-assign]
    shutil.rmtree(scratch)
    return steps


def run_child(root: Path, op: str, crash_after: int | None) -> int:
    """Run ``op`` in a forked child process (SIGKILLing itself after step ``crash_after``).

    Returns the child's exit code, ``-SIGKILL`` if it was killed."""
    pid = os.fork()
    if pid == 0:  # child
        code = 0
        try:
            if crash_after is not None:
                os.environ[CRASH_ENV] = str(crash_after)
            else:
                os.environ.pop(CRASH_ENV, None)
            run_op(root, op)
        except BaseException:  # noqa: BLE001 - report any failure through the exit code
            import traceback

            traceback.print_exc()
            code = 1
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return -os.WTERMSIG(status)
    code = os.WEXITSTATUS(status)
    if code != 0:
        raise AssertionError(f"child failed with exit code {code} (traceback above)")
    return code


@pytest.mark.slow
@pytest.mark.parametrize("op", ["replace", "rebuild", "runs", "kommuner"])
def test_sigkill_at_every_step_leaves_before_or_after(tmp_path: Path, op: str) -> None:
    base = tmp_path / "base"
    store = Store(base)
    store.replace_articles(BEFORE)
    store.write_table("kommuner", [{"kommun_code": "0486", "name": "Strängnäs"}])
    before = snapshot(base)
    steps = count_steps(base, op)
    assert "journal" in steps and len(steps) >= 5, steps
    after_dir = tmp_path / "after"
    shutil.copytree(base, after_dir)
    run_op(after_dir, op)
    after = snapshot(after_dir)
    assert after != before

    seen = {"before": 0, "after": 0}
    commit_point = steps.index("journal rename") + 1  # the journal is in place after this step
    for n in range(1, len(steps) + 1):
        root = tmp_path / f"crash{n}"
        shutil.copytree(base, root)
        assert run_child(root, op, n) == -signal.SIGKILL, f"step {n} ({steps[n - 1]}) did not crash"
        expected = before if n <= commit_point else after
        # A reader that does not take the lock already sees one consistent state.
        assert snapshot_store(root) == expected, f"crash at step {n} ({steps[n - 1]}): Store.read saw a mix"
        with Store(root).lock():  # the next writer recovers
            pass
        state = snapshot(root)
        assert state == expected, f"crash at step {n} ({steps[n - 1]}): tables are a mix or wrong"
        seen["before" if state == before else "after"] += 1
        assert not list(root.rglob(".tmp-*")) and not (root / ".journal.json").exists()
        # A rerun converges to the after state.
        assert run_child(root, op, None) == 0
        assert snapshot(root) == after
        shutil.rmtree(root)
    assert seen["before"] and seen["after"]


def test_crash_during_recovery_is_recovered_again(tmp_path: Path) -> None:
    base = tmp_path / "base"
    Store(base).replace_articles(BEFORE)
    after_dir = tmp_path / "after"
    shutil.copytree(base, after_dir)
    run_op(after_dir, "replace")
    steps = count_steps(base, "replace")
    n = steps.index("journal rename") + 3  # crash in the middle of applying the renames
    assert steps[n - 1].startswith("rename")
    assert run_child(base, "replace", n) == -signal.SIGKILL
    assert (base / ".journal.json").exists()
    # The recovering writer itself dies after its first rename ...
    assert run_child(base, "replace", 2) == -signal.SIGKILL
    # ... and the next one finishes the job.
    with Store(base).lock():
        pass
    assert snapshot(base) == snapshot(after_dir)
