"""Atomic, idempotent Parquet store for the ``processed/`` tables (single writer).

Layout
------
::

    processed/
      .lock                     single-writer lock (fcntl); holds pid/host/start of the holder
      .journal.json             present only while a commit is being applied
      articles/part-2024.parquet
      articles/part-2023.parquet
      articles/part-unknown.parquet
      collaborations/part-2024.parquet      child tables follow their article's partition
      ...
      runs/part-2025.parquet                partitioned by year of started_at
      kommuner/part-all.parquet             reference table, one file

* One folder per table; each is readable with plain ``pandas.read_parquet("processed/<table>")``,
  ``polars.read_parquet("processed/<table>/*.parquet")`` or DuckDB
  ``read_parquet('processed/<table>/*.parquet')``.
* Article tables (:data:`pipeline.tables.schemas.ARTICLE_TABLES`) are partitioned by the year of the
  article's ``published`` date, else the year of ``fetched_at``, else ``unknown``. Every row of
  an article (in every article table) lives in the partition of its ``articles`` row, so a
  commit rewrites only the partitions it touches and the file count grows by one per table per
  year.
* A table with no rows at all keeps one zero-row file ``part-empty.parquet`` so that readers
  still see its columns and types.
* Every file is written with exactly :func:`pipeline.tables.schemas.schema_for` (``schema_version`` and
  ``table`` in the Parquet key-value metadata).

Commits are atomic across tables (journaled renames, :mod:`pipeline.tables.journal`): a crash at
any point leaves either the previous or the new state of *all* tables, and :meth:`Store.recover`
(run by :meth:`Store.lock`) rolls an interrupted commit forward. :meth:`Store.read` never needs
the lock: while a journal is present it reads the journal's new files in place of the old ones.
Plain readers (pandas/polars/DuckDB) may see a mix across tables only while a journal is applied
(a few renames, milliseconds). One writer at a time: :mod:`pipeline.tables.lock`.

Writes cast every row to the schema first (:mod:`pipeline.tables.rows`; a wrong type raises
:class:`RowTypeError` naming table, column, row and value, before anything is written); a
full disk raises :class:`StoreWriteError` naming the folder, with the previous tables intact.
For tests, ``SAMVERKAN_STORE_CRASH_AFTER=N`` makes a writing process SIGKILL itself at the
N-th commit step, and :attr:`Store.fault_hook` is called with each step's name.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.errors import RowTypeError as RowTypeError
from pipeline.errors import StoreLockedError as StoreLockedError
from pipeline.errors import StoreWriteError as StoreWriteError
from pipeline.tables import journal, schemas
from pipeline.tables.journal import CRASH_ENV as CRASH_ENV
from pipeline.tables.journal import JOURNAL as JOURNAL
from pipeline.tables.journal import TMP_PREFIX as TMP_PREFIX
from pipeline.tables.journal import hold_commits as hold_commits
from pipeline.tables.lock import LOCK as LOCK
from pipeline.tables.lock import WriterLock
from pipeline.tables.rows import cast_rows as cast_rows
from pipeline.tables.rows import part_file as part_file
from pipeline.tables.rows import part_of_file, year_part
from pipeline.tables.staging import Staging

if TYPE_CHECKING:  # pandas is imported only by read(): the fast single-article path never needs it
    import pandas as pd

EMPTY_PART = "empty"
ALL_PART = "all"

@dataclass
class _Plan:
    """New partition contents per table: ``None`` deletes the partition file."""

    parts: dict[str, dict[str, pa.Table | None]] = field(default_factory=dict)

    def set(self, table: str, part: str, data: pa.Table | None) -> None:
        """Stage ``data`` as the new content of ``table``/``part``."""
        self.parts.setdefault(table, {})[part] = data


def _parquet_writer(data: pa.Table) -> Callable[[Path], None]:
    """A writer for :meth:`pipeline.tables.journal.Transaction.write` that writes ``data`` as Parquet."""

    def write(path: Path) -> None:
        pq.write_table(data, path, compression="zstd")

    return write


class Store:
    """The ``processed/`` Parquet tables with atomic, idempotent writes and one writer at a time.

    Writes (:meth:`replace_articles`, :meth:`write_table`, :meth:`append_runs`,
    :meth:`rebuild`) take the lock themselves when the caller does not hold it via
    :meth:`lock`.
    """

    def __init__(self, processed_dir: Path) -> None:
        self.root = Path(processed_dir)
        self._writer_lock = WriterLock(self.root)
        self._lock_depth = 0
        self._steps = 0
        crash = os.environ.get(CRASH_ENV)
        self._crash_after = int(crash) if crash else None
        # Test hook: called with a step name before each step of a commit; may raise.
        self.fault_hook: Callable[[str], None] | None = None

    # ------------------------------------------------------------------ locking
    @contextlib.contextmanager
    def lock(self) -> Iterator[Store]:
        """Hold the single-writer lock (re-entrant within this object).

        Raises :class:`StoreLockedError` at once if another process holds it. A lock file left
        by a dead process on this host is taken over. Runs :meth:`recover` on acquisition.
        """
        if self._lock_depth:
            self._lock_depth += 1
            try:
                yield self
            finally:
                self._lock_depth -= 1
            return
        self._writer_lock.acquire()
        self._lock_depth = 1
        try:
            self.recover()
            yield self
        finally:
            self._lock_depth = 0
            self._writer_lock.release()

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        if self._lock_depth:
            yield
        else:
            with self.lock():
                yield

    # ------------------------------------------------------------------ reading
    def _table_dir(self, table: str) -> Path:
        schemas.schema_for(table)  # raises on unknown table
        return self.root / table

    def _part_files(self, table: str) -> dict[str, Path]:
        folder = self._table_dir(table)
        if not folder.is_dir():
            return {}
        out = {}
        for p in sorted(folder.iterdir()):
            part = part_of_file(p.name)
            if part is not None:
                out[part] = p
        return out

    def _visible_files(self, table: str) -> dict[str, Path]:
        """Partition files as of the last commit point.

        While another process is applying a commit (journal present), the journal's temporary
        files stand in for the files they replace, so this reader sees the new state of every
        table rather than a mix.
        """
        files = self._part_files(table)
        if self._lock_depth or not (self.root / JOURNAL).exists():
            return files
        doc = journal.read_journal(self.root)
        if doc is None:
            return self._part_files(table)  # the commit just finished
        for src_rel, dst_rel in doc["renames"]:
            src, dst = self.root / src_rel, self.root / dst_rel
            part = part_of_file(dst.name)
            if dst.parent.name == table and part is not None and src.exists():
                files[part] = src
        for rel in doc["deletes"]:
            p = self.root / rel
            part = part_of_file(p.name)
            if p.parent.name == table and part is not None:
                files.pop(part, None)
        return files

    def read_arrow(self, table: str, columns: list[str] | None = None) -> pa.Table:
        """Read ``table`` as a pyarrow Table with exactly its schema (empty if absent).

        Safe while another process writes: it sees the state of the last commit point.
        """
        schema = schemas.schema_for(table)
        for attempt in range(5):
            files = list(self._visible_files(table).values())
            if not files:
                t = schema.empty_table()
                return t.select(columns) if columns else t
            try:
                # ParquetFile, not pq.read_table: the latter imports pyarrow.dataset (and with it pandas),
                # which costs the single-article path most of a second.
                target = pa.schema([schema.field(c) for c in columns]) if columns else schema
                return pa.concat_tables([pq.ParquetFile(f).read(columns=columns).cast(target) for f in files])
            except FileNotFoundError:
                if attempt == 4:
                    raise
        raise AssertionError("unreachable")

    def read(self, table: str) -> pd.DataFrame:
        """Read ``table`` as a pandas DataFrame (empty frame with the schema's columns if absent)."""
        return self.read_arrow(table).to_pandas()

    def article_ids(self) -> set[str]:
        """Ids of all articles in the store."""
        return set(self.read_arrow("articles", ["article_id"]).column(0).to_pylist())

    def raw_ids(self) -> set[str]:
        """``raw_id`` values of all articles (nulls left out)."""
        col = self.read_arrow("articles", ["raw_id"]).column(0).drop_null()
        return set(col.to_pylist())

    def _article_partitions(self) -> dict[str, str]:
        """article_id → partition holding it."""
        out: dict[str, str] = {}
        schema = schemas.schema_for("articles")
        for part, f in self._visible_files("articles").items():
            ids = pq.read_table(f, columns=["article_id"], schema=schema).column(0).to_pylist()
            for a in ids:
                out[a] = part
        return out

    # ------------------------------------------------------------------ writing
    def replace_articles(self, rows: dict[str, list[dict[str, Any]]]) -> None:
        """Replace every row of the articles in ``rows["articles"]`` in all article tables.

        ``rows`` maps article tables to row dicts; absent tables mean "no rows". Every child row
        must belong to an article in ``rows["articles"]``. Old rows of those articles are
        removed from every article table (also where the new rows are empty); rows of other
        articles are untouched. The change is atomic across all tables.
        """
        new, new_part = self._prepare(rows)
        if not new_part:
            return
        idset = set(new_part)
        with self._writing():
            old_part = {a: p for a, p in self._article_partitions().items() if a in idset}
            touched = sorted(set(old_part.values()) | set(new_part.values()))
            id_arr = pa.array(sorted(idset), pa.string())
            plan = _Plan()
            for t in schemas.ARTICLE_TABLES:
                files = self._part_files(t)
                plan.parts.setdefault(t, {})
                part_col = pa.array([new_part[a] for a in new[t].column("article_id").to_pylist()], pa.string())
                for part in touched:
                    pieces = []
                    added = new[t].filter(pc.equal(part_col, part))
                    if part in files:
                        old = pq.read_table(files[part], schema=schemas.schema_for(t))
                        keep = pc.invert(pc.is_in(old.column("article_id"), value_set=id_arr))
                        if not added.num_rows and pc.all(keep).as_py() is not False:
                            continue  # nothing of these articles here, nothing new: leave the file
                        pieces.append(old.filter(keep))
                    elif not added.num_rows:
                        continue
                    pieces.append(added)
                    merged = pa.concat_tables(pieces)
                    plan.set(t, part, merged if merged.num_rows else None)
            self._commit(plan)

    @staticmethod
    def _prepare(rows: dict[str, list[dict[str, Any]]]) -> tuple[dict[str, pa.Table], dict[str, str]]:
        """Validate and cast one set of article rows; return tables and article_id → partition."""
        unknown = set(rows) - set(schemas.ARTICLE_TABLES)
        if unknown:
            raise ValueError(
                f"got rows for {sorted(unknown)}, which are not article tables "
                f"({', '.join(schemas.ARTICLE_TABLES)}); use write_table/append_runs for those"
            )
        new = {t: cast_rows(t, rows.get(t, [])) for t in schemas.ARTICLE_TABLES}
        arts = new["articles"]
        ids = arts.column("article_id").to_pylist()
        if len(set(ids)) != len(ids):
            dup = sorted({a for a, n in Counter(ids).items() if n > 1})
            raise ValueError(f"article_id(s) {dup[:5]} appear more than once in rows['articles']; give each once")
        idset = set(ids)
        for t in schemas.ARTICLE_TABLES[1:]:
            orphans = set(new[t].column("article_id").to_pylist()) - idset
            if orphans:
                raise ValueError(
                    f"table {t!r} has rows for article_id(s) {sorted(orphans)[:5]} "
                    "that are not in rows['articles']; give the article row too"
                )
        new_part = {
            a: year_part(p, f)
            for a, p, f in zip(ids, arts.column("published").to_pylist(), arts.column("fetched_at").to_pylist(), strict=True)
        }
        return new, new_part

    def _raise_disk_full(self, exc: BaseException) -> None:
        """Re-raise ``exc`` as a :class:`StoreWriteError` with advice if it means "disk full"."""
        if journal.is_disk_full(exc) and not isinstance(exc, StoreWriteError):
            raise StoreWriteError(
                errno.ENOSPC,
                f"could not write the tables in {self.root}: the disk is full or a file size limit was hit "
                f"({exc}). Nothing was changed: the previous tables are intact. Free space on the device "
                f"holding {self.root} (or choose another --data-dir) and rerun.",
            ) from exc

    def write_table(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Replace the whole of a non-article table (e.g. ``kommuner``) with ``rows``."""
        self.write_tables({table: rows})

    def write_tables(self, tables: dict[str, list[dict[str, Any]]]) -> None:
        """Replace several whole non-article tables in ONE atomic commit (e.g. the three agreement tables)."""
        datas = {}
        for table, rows in tables.items():
            if table in schemas.ARTICLE_TABLES:
                raise ValueError(f"write_table({table!r}): article tables are written with replace_articles or rebuild")
            datas[table] = cast_rows(table, rows)
        with self._writing():
            plan = _Plan()
            for table, data in datas.items():
                for part in self._part_files(table):
                    plan.set(table, part, None)
                for part, piece in self._split_runs(data).items() if table == "runs" else [(ALL_PART, data)]:
                    plan.set(table, part, piece if piece.num_rows else None)
            self._commit(plan)

    def append_runs(self, rows: list[dict[str, Any]]) -> None:
        """Append rows to ``runs``; a row with the same (run_id, source_id) as an existing one replaces it."""
        data = cast_rows("runs", rows)
        if not data.num_rows:
            return
        keys = {(r, s) for r, s in zip(data.column("run_id").to_pylist(), data.column("source_id").to_pylist(), strict=True)}
        with self._writing():
            files = self._part_files("runs")
            plan = _Plan()
            new_parts = self._split_runs(data)
            schema = schemas.schema_for("runs")
            for part in sorted(set(files) | set(new_parts)):
                pieces = []
                if part in files:
                    old = pq.read_table(files[part], schema=schema)
                    mask = [
                        (r, s) not in keys
                        for r, s in zip(old.column("run_id").to_pylist(), old.column("source_id").to_pylist(), strict=True)
                    ]
                    if all(mask) and part not in new_parts:
                        continue
                    pieces.append(old.filter(pa.array(mask, pa.bool_())))
                if part in new_parts:
                    pieces.append(new_parts[part])
                merged = pa.concat_tables(pieces)
                plan.set("runs", part, merged if merged.num_rows else None)
            self._commit(plan)

    @staticmethod
    def _split_runs(data: pa.Table) -> dict[str, pa.Table]:
        parts = [year_part(s, None) for s in data.column("started_at").to_pylist()]
        arr = pa.array(parts, pa.string())
        return {p: data.filter(pc.equal(arr, p)) for p in sorted(set(parts))}

    def rebuild(self, batches: Iterable[dict[str, list[dict[str, Any]]]]) -> None:
        """Replace ALL article tables with the rows streamed in ``batches`` (same shape as for
        :meth:`replace_articles`), using bounded memory.

        Each batch is appended to hidden staging files (one per table and partition); the swap
        to the new tables is one atomic commit at the end. An article given in several batches
        keeps only its rows from the last one. Nothing changes if the iterator raises.
        """
        staging = Staging(self._step)
        try:
            with self._writing():
                for batch_no, batch in enumerate(batches):
                    self._stage_batch(staging, batch_no, batch)
                staged = staging.close()
                self._commit(self._rebuild_plan(staged), staged)
        except BaseException as exc:
            staging.discard()
            self._raise_disk_full(exc)
            raise

    def _stage_batch(self, staging: Staging, batch_no: int, batch: dict[str, list[dict[str, Any]]]) -> None:
        """Append one batch of article rows to the staging files of its tables and partitions."""
        new, new_part = self._prepare(batch)
        staging.note_articles(new_part, batch_no)
        for t in schemas.ARTICLE_TABLES:
            if not new[t].num_rows:
                continue
            part_col = pa.array([new_part[a] for a in new[t].column("article_id").to_pylist()])
            for part in sorted(set(part_col.to_pylist())):
                staging.append(self._table_dir(t), t, part, new[t].filter(pc.equal(part_col, part)), batch_no)

    def _rebuild_plan(self, staged: dict[tuple[str, str], Path]) -> _Plan:
        """Delete every article partition that the rebuild did not stage."""
        plan = _Plan()
        for t in schemas.ARTICLE_TABLES:
            for part in self._part_files(t):
                if (t, part) not in staged:
                    plan.set(t, part, None)
            plan.parts.setdefault(t, {})
        return plan

    # ------------------------------------------------------------------ commit machinery
    def _step(self, name: str) -> None:
        """Mark one step of a commit (for crash and fault injection in tests)."""
        self._steps += 1
        if self.fault_hook is not None:
            self.fault_hook(name)
        if self._crash_after is not None and self._steps >= self._crash_after:
            os.kill(os.getpid(), 9)

    def _commit(self, plan: _Plan, staged: dict[tuple[str, str], Path] | None = None) -> None:
        """Apply ``plan`` (and already written ``staged`` files) atomically."""
        with journal.COMMIT_GATE:
            self._commit_locked(plan, staged or {})

    def _commit_locked(self, plan: _Plan, staged: dict[tuple[str, str], Path]) -> None:
        txn = journal.Transaction(self.root, self._step)
        try:
            final_sets = {table: self._part_files(table) for table in plan.parts}
            for table, _part in staged:
                final_sets.setdefault(table, self._part_files(table))
            self._write_plan(txn, plan, final_sets)
            for (table, part), tmp in staged.items():
                final = self._table_dir(table) / part_file(part)
                txn.add_staged(tmp, final)
                final_sets[table][part] = final
            self._keep_empty_files(txn, final_sets)
            if txn.empty:
                return
            txn.prepare()
        except BaseException as exc:
            txn.abort()
            self._raise_disk_full(exc)
            raise
        txn.apply()

    def _write_plan(self, txn: journal.Transaction, plan: _Plan, final_sets: dict[str, dict[str, Path]]) -> None:
        """Write the new partitions of ``plan`` to temporary files; mark the emptied ones for deletion."""
        for table, parts in plan.parts.items():
            folder = self._table_dir(table)
            folder.mkdir(parents=True, exist_ok=True)
            schema = schemas.schema_for(table)
            for part, data in parts.items():
                final = folder / part_file(part)
                if data is None:
                    if final.exists():
                        txn.delete(final)
                    final_sets[table].pop(part, None)
                    continue
                txn.write(f"write {table}/{part}", final, _parquet_writer(data.cast(schema)))
                final_sets[table][part] = final

    def _keep_empty_files(self, txn: journal.Transaction, final_sets: dict[str, dict[str, Path]]) -> None:
        """Keep one zero-row file in empty tables; drop it once real partitions exist."""
        for table, files in final_sets.items():
            folder = self._table_dir(table)
            empty = folder / part_file(EMPTY_PART)
            real = {p for p in files if p != EMPTY_PART}
            if real and EMPTY_PART in files and empty not in txn.deletes:
                txn.delete(empty)
            elif not real and empty in txn.deletes:
                txn.deletes.remove(empty)  # the table stays empty: keep its zero-row file
            elif not real and EMPTY_PART not in files:
                folder.mkdir(parents=True, exist_ok=True)
                txn.write(f"write {table}/{EMPTY_PART}", empty, _parquet_writer(schemas.schema_for(table).empty_table()))

    def recover(self) -> None:
        """Finish an interrupted commit (roll its journal forward), then delete stray temp files.

        Called by :meth:`lock`; takes the lock itself when called without it.
        """
        if not self._lock_depth:
            with self.lock():  # lock() recovers
                return
        journal.recover(self.root, self._step)
