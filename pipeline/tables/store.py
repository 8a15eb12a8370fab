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

Commit protocol (atomic across tables)
--------------------------------------
1. New partition files are written under hidden temporary names (``.tmp-<txid>-part-....tmp``)
   that pandas/pyarrow, polars and DuckDB globs ignore, and fsynced.
2. ``processed/.journal.json`` (renames temp → final, files to delete) is written to a temp
   name, fsynced and renamed into place: this is the commit point.
3. The renames and deletions are applied, the folders fsynced, the journal removed.

:meth:`Store.recover` (run by :meth:`Store.lock`) rolls a journal forward, or, without a
journal, deletes stray temporary files, so a crash at any point leaves either the previous or
the new state of *all* tables. :meth:`Store.read` never needs the lock: while a journal is
present it reads the journal's new files in place of the old ones, so it always sees one
commit point. Plain readers (pandas/polars/DuckDB) may see a mix across tables only during
step 3 (a few renames, milliseconds).

Other rules: writes cast every row to the schema first (a wrong type raises
:class:`RowTypeError` naming table, column, row and value, before anything is written); a
full disk raises :class:`StoreWriteError` naming the folder, with the previous tables intact.
For tests, ``SAMVERKAN_STORE_CRASH_AFTER=N`` makes a writing process SIGKILL itself at the
N-th commit step, and :attr:`Store.fault_hook` is called with each step's name.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import json
import os
import socket
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

if TYPE_CHECKING:  # pandas is imported only by read(): the fast single-article path never needs it
    import pandas as pd
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.tables import schemas

JOURNAL = ".journal.json"
LOCK = ".lock"

# Every commit in this process runs under this gate, so a thread that must end the process
# (e.g. the CLI when its Prefect server is gone) can wait for the commit in flight and keep
# new ones from starting: see :func:`hold_commits`.
_COMMIT_GATE = threading.Lock()
TMP_PREFIX = ".tmp-"
EMPTY_PART = "empty"
ALL_PART = "all"
CRASH_ENV = "SAMVERKAN_STORE_CRASH_AFTER"
"""Test hook: when set to N, the writing process SIGKILLs itself after step N of a commit."""

_DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


class StoreLockedError(RuntimeError):
    """Another process holds the single-writer lock of the store."""


class StoreWriteError(OSError):
    """Writing the store failed (e.g. disk full); the previous tables are intact."""


class RowTypeError(ValueError):
    """A row does not fit the table's schema."""


@dataclass
class _Plan:
    """New partition contents per table: ``None`` deletes the partition file."""

    parts: dict[str, dict[str, pa.Table | None]] = field(default_factory=dict)

    def set(self, table: str, part: str, data: pa.Table | None) -> None:
        """Stage ``data`` as the new content of ``table``/``part``."""
        self.parts.setdefault(table, {})[part] = data


@contextlib.contextmanager
def hold_commits(timeout: float | None = None) -> Iterator[bool]:
    """Wait for the commit in flight in this process (if any) and keep new ones from starting.

    Yields True once no commit can be half-applied while the block runs, or False if
    ``timeout`` seconds passed first. Meant for a caller about to end the process abruptly.
    """
    acquired = _COMMIT_GATE.acquire(timeout=-1 if timeout is None else timeout)
    try:
        yield acquired
    finally:
        if acquired:
            _COMMIT_GATE.release()


def part_file(part: str) -> str:
    """File name of a partition."""
    return f"part-{part}.parquet"


def _part_of_file(name: str) -> str | None:
    if name.startswith("part-") and name.endswith(".parquet"):
        return name[len("part-") : -len(".parquet")]
    return None


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno in _DISK_FULL_ERRNOS:
        return True
    text = str(exc).lower()
    return "no space left" in text or "file too large" in text or "quota exceeded" in text


def _year_part(published: Any, fetched_at: Any) -> str:
    for value in (published, fetched_at):
        if value is not None and not (isinstance(value, float) and value != value):
            return f"{value.year:04d}"
    return "unknown"


def cast_rows(table: str, rows: list[dict[str, Any]]) -> pa.Table:
    """Cast ``rows`` (dicts keyed by column) to ``schema_for(table)``.

    Missing keys become null. Raises :class:`RowTypeError` naming table, column, row and value
    for an unknown column, a value of the wrong type, a naive datetime, or a null in a
    non-nullable column.
    """
    schema = schemas.schema_for(table)
    names = set(schema.names)
    for i, row in enumerate(rows):
        extra = set(row) - names
        if extra:
            raise RowTypeError(
                f"table {table!r}, row {i}: unknown column(s) {sorted(extra)}; the schema in pipeline/tables/schemas.py has {schema.names}"
            )
    arrays = []
    for fld in schema:
        values = [row.get(fld.name) for row in rows]
        if pa.types.is_timestamp(fld.type):
            for i, v in enumerate(values):
                if isinstance(v, dt.datetime) and v.tzinfo is None:
                    raise RowTypeError(
                        f"table {table!r}, column {fld.name!r}, row {i}: naive datetime {v!r}; give a timezone-aware datetime (UTC)"
                    )
        if pa.types.is_date(fld.type):
            for i, v in enumerate(values):
                if isinstance(v, dt.datetime):
                    raise RowTypeError(
                        f"table {table!r}, column {fld.name!r}, row {i}: datetime {v!r} where a date is expected; pass v.date()"
                    )
        try:
            arr = pa.array(values, type=fld.type, from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError) as exc:
            for i, v in enumerate(values):
                try:
                    pa.array([v], type=fld.type, from_pandas=True)
                except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
                    raise RowTypeError(
                        f"table {table!r}, column {fld.name!r}, row {i}: value {v!r} ({type(v).__name__}) does not fit type {fld.type}"
                    ) from exc
            raise RowTypeError(f"table {table!r}, column {fld.name!r}: {exc}") from exc
        if not fld.nullable and arr.null_count:
            i = next(i for i, v in enumerate(arr) if not v.is_valid)
            raise RowTypeError(f"table {table!r}, column {fld.name!r}, row {i}: null in a non-nullable column")
        arrays.append(arr)
    return pa.Table.from_arrays(arrays, schema=schema)


class Store:
    """The ``processed/`` Parquet tables with atomic, idempotent writes and one writer at a time.

    Writes (:meth:`replace_articles`, :meth:`write_table`, :meth:`append_runs`,
    :meth:`rebuild`) take the lock themselves when the caller does not hold it via
    :meth:`lock`.
    """

    def __init__(self, processed_dir: Path) -> None:
        self.root = Path(processed_dir)
        self._lock_fd: int | None = None
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
        self._acquire()
        self._lock_depth = 1
        try:
            self.recover()
            yield self
        finally:
            self._lock_depth = 0
            self._release()

    def _acquire(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / LOCK
        for attempt in range(2):
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = self._read_holder(fd)
                os.close(fd)
                if attempt == 0 and self._holder_is_dead(holder):
                    # The holder's process is gone but the lock survives (e.g. inherited by an
                    # orphaned child): take over with a fresh lock file.
                    with contextlib.suppress(FileNotFoundError):
                        path.unlink()
                    continue
                raise StoreLockedError(self._locked_message(path, holder)) from None
            # Make sure the file we locked is still the lock file (not unlinked by a take-over).
            try:
                same = os.stat(path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if not same:
                os.close(fd)
                continue
            info = {
                "pid": os.getpid(),
                "host": socket.gethostname(),
                "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            }
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(info).encode(), 0)
            self._lock_fd = fd
            return
        raise StoreLockedError(self._locked_message(path, {}))

    @staticmethod
    def _read_holder(fd: int) -> dict[str, Any]:
        try:
            data = os.pread(fd, 4096, 0)
            info = json.loads(data.decode() or "{}")
            return info if isinstance(info, dict) else {}
        except (OSError, ValueError):
            return {}

    @staticmethod
    def _holder_is_dead(holder: dict[str, Any]) -> bool:
        pid = holder.get("pid")
        if not isinstance(pid, int) or holder.get("host") != socket.gethostname():
            return False
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False

    @staticmethod
    def _locked_message(path: Path, holder: dict[str, Any]) -> str:
        who = f"pid {holder.get('pid', '?')} on host {holder.get('host', '?')}, holding it since {holder.get('started_at', '?')}"
        return (
            f"the store {path.parent} is locked by another writer ({who}; lock file {path}). "
            "Wait for that run to finish and retry; if that process no longer exists, delete the lock file."
        )

    def _release(self) -> None:
        if self._lock_fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self._lock_fd, 0)
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

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
            part = _part_of_file(p.name)
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
        journal = self.root / JOURNAL
        if self._lock_depth or not journal.exists():
            return files
        try:
            doc = json.loads(journal.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return self._part_files(table)  # the commit just finished
        for src_rel, dst_rel in doc["renames"]:
            src, dst = self.root / src_rel, self.root / dst_rel
            part = _part_of_file(dst.name)
            if dst.parent.name == table and part is not None and src.exists():
                files[part] = src
        for rel in doc["deletes"]:
            p = self.root / rel
            part = _part_of_file(p.name)
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
            a: _year_part(p, f)
            for a, p, f in zip(ids, arts.column("published").to_pylist(), arts.column("fetched_at").to_pylist(), strict=True)
        }
        return new, new_part

    def _raise_disk_full(self, exc: BaseException) -> None:
        """Re-raise ``exc`` as a :class:`StoreWriteError` with advice if it means "disk full"."""
        if _is_disk_full(exc) and not isinstance(exc, StoreWriteError):
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
        parts = [_year_part(s, None) for s in data.column("started_at").to_pylist()]
        arr = pa.array(parts, pa.string())
        return {p: data.filter(pc.equal(arr, p)) for p in sorted(set(parts))}

    def rebuild(self, batches: Iterable[dict[str, list[dict[str, Any]]]]) -> None:
        """Replace ALL article tables with the rows streamed in ``batches`` (same shape as for
        :meth:`replace_articles`), using bounded memory.

        Each batch is appended to hidden staging files (one per table and partition); the swap
        to the new tables is one atomic commit at the end. An article given in several batches
        keeps only its rows from the last one. Nothing changes if the iterator raises.
        """
        txid = uuid.uuid4().hex[:12]
        writers: dict[tuple[str, str], tuple[pq.ParquetWriter, Path, list[tuple[int, int]]]] = {}
        seen: dict[str, int] = {}
        dups: set[str] = set()
        cleanup: list[Path] = []
        try:
            with self._writing():
                for batch_no, batch in enumerate(batches):
                    new, new_part = self._prepare(batch)
                    for a in new_part:
                        if a in seen:
                            dups.add(a)
                        seen[a] = batch_no
                    for t in schemas.ARTICLE_TABLES:
                        if not new[t].num_rows:
                            continue
                        part_col = pa.array([new_part[a] for a in new[t].column("article_id").to_pylist()])
                        for part in sorted(set(part_col.to_pylist())):
                            piece = new[t].filter(pc.equal(part_col, part))
                            key = (t, part)
                            if key not in writers:
                                folder = self._table_dir(t)
                                folder.mkdir(parents=True, exist_ok=True)
                                tmp = folder / self._tmp_name(txid, part)
                                writers[key] = (
                                    pq.ParquetWriter(tmp, schemas.schema_for(t), compression="zstd"),
                                    tmp,
                                    [],
                                )
                            self._step(f"stage {t}/{part}")
                            writer, _, spans = writers[key]
                            writer.write_table(piece)
                            spans.append((batch_no, piece.num_rows))
                for writer, _tmp, _spans in writers.values():
                    writer.close()
                staged: dict[tuple[str, str], Path] = {}
                for key, (_w, tmp, spans) in writers.items():
                    kept: Path | None = tmp
                    if dups:
                        kept = self._drop_superseded(key[0], tmp, spans, dups, seen)
                    if kept is not None:
                        cleanup.append(kept)
                        staged[key] = kept
                        _fsync_path(kept)
                plan = _Plan()
                for t in schemas.ARTICLE_TABLES:
                    for part in self._part_files(t):
                        if (t, part) not in staged:
                            plan.set(t, part, None)
                    plan.parts.setdefault(t, {})
                self._commit(plan, staged)
        except BaseException as exc:
            for writer, tmp, _spans in writers.values():
                with contextlib.suppress(Exception):
                    writer.close()
                cleanup.append(tmp)
            for path in cleanup:
                with contextlib.suppress(OSError):
                    path.unlink()
            self._raise_disk_full(exc)
            raise

    def _drop_superseded(self, table: str, tmp: Path, spans: list[tuple[int, int]], dups: set[str], last: dict[str, int]) -> Path | None:
        """Rewrite staged file ``tmp`` keeping, for articles given in several batches, only the
        rows from the last batch; ``None`` if no row is left. Streams record batches (bounded memory)."""
        batch_of_row = np.repeat(np.array([b for b, _ in spans], dtype=np.int32), np.array([n for _, n in spans], dtype=np.int64))
        out = tmp.with_name(tmp.name[: -len(".tmp")] + ".dedup.tmp")
        schema = schemas.schema_for(table)
        offset = kept = 0
        with pq.ParquetWriter(out, schema, compression="zstd") as writer:
            for rb in pq.ParquetFile(tmp).iter_batches(batch_size=65536):
                ids = rb.column(rb.schema.get_field_index("article_id")).to_pylist()
                mask = [a not in dups or last[a] == batch_of_row[offset + i] for i, a in enumerate(ids)]
                offset += len(ids)
                piece = pa.Table.from_batches([rb]).filter(pa.array(mask)).cast(schema)
                kept += piece.num_rows
                writer.write_table(piece)
        tmp.unlink()
        if not kept:
            out.unlink()
            return None
        return out

    # ------------------------------------------------------------------ commit machinery
    def _step(self, name: str) -> None:
        """Mark one step of a commit (for crash and fault injection in tests)."""
        self._steps += 1
        if self.fault_hook is not None:
            self.fault_hook(name)
        if self._crash_after is not None and self._steps >= self._crash_after:
            os.kill(os.getpid(), 9)

    def _tmp_name(self, txid: str, part: str) -> str:
        return f"{TMP_PREFIX}{txid}-{part_file(part)}.tmp"

    def _write_parquet(self, data: pa.Table, path: Path) -> None:
        """Write ``data`` to ``path`` with its schema and fsync it."""
        pq.write_table(data, path, compression="zstd")
        _fsync_path(path)

    def _commit(self, plan: _Plan, staged: dict[tuple[str, str], Path] | None = None) -> None:
        """Apply ``plan`` (and already written ``staged`` files) atomically."""
        with _COMMIT_GATE:
            self._commit_locked(plan, staged)

    def _commit_locked(self, plan: _Plan, staged: dict[tuple[str, str], Path] | None) -> None:
        txid = uuid.uuid4().hex[:12]
        renames: list[tuple[Path, Path]] = []
        deletes: list[Path] = []
        written: list[Path] = []
        try:
            final_sets: dict[str, dict[str, Path]] = {}
            for table in plan.parts:
                final_sets[table] = self._part_files(table)
            for (table, _part), _path in (staged or {}).items():
                final_sets.setdefault(table, self._part_files(table))
            # Regular partitions.
            for table, parts in plan.parts.items():
                folder = self._table_dir(table)
                folder.mkdir(parents=True, exist_ok=True)
                for part, data in parts.items():
                    final = folder / part_file(part)
                    if data is None:
                        if final.exists():
                            deletes.append(final)
                        final_sets[table].pop(part, None)
                        continue
                    tmp = folder / self._tmp_name(txid, part)
                    self._step(f"write {table}/{part}")
                    written.append(tmp)
                    self._write_parquet(data.cast(schemas.schema_for(table)), tmp)
                    renames.append((tmp, final))
                    final_sets[table][part] = final
            for (table, part), tmp in (staged or {}).items():
                final = self._table_dir(table) / part_file(part)
                renames.append((tmp, final))
                final_sets[table][part] = final
            # Keep one zero-row file in empty tables; drop it once real partitions exist.
            for table, files in final_sets.items():
                folder = self._table_dir(table)
                empty = folder / part_file(EMPTY_PART)
                real = {p for p in files if p != EMPTY_PART}
                if real and EMPTY_PART in files and empty not in deletes:
                    deletes.append(empty)
                elif not real and empty in deletes:
                    deletes.remove(empty)  # the table stays empty: keep its zero-row file
                elif not real and EMPTY_PART not in files:
                    folder.mkdir(parents=True, exist_ok=True)
                    tmp = folder / self._tmp_name(txid, EMPTY_PART)
                    self._step(f"write {table}/{EMPTY_PART}")
                    written.append(tmp)
                    self._write_parquet(schemas.schema_for(table).empty_table(), tmp)
                    renames.append((tmp, empty))
            if not renames and not deletes:
                return
            for folder in {p.parent for p, _ in renames}:
                _fsync_path(folder)
            self._step("journal")
            self._write_journal(renames, deletes)
        except BaseException as exc:
            for p in written + [t for t, _ in renames]:
                with contextlib.suppress(OSError):
                    p.unlink()
            with contextlib.suppress(OSError):
                (self.root / (JOURNAL + ".tmp")).unlink()
            self._raise_disk_full(exc)
            raise
        self._apply_journal()

    def _write_journal(self, renames: list[tuple[Path, Path]], deletes: list[Path]) -> None:
        rel = lambda p: str(p.relative_to(self.root))  # noqa: E731
        doc = {"renames": [[rel(a), rel(b)] for a, b in renames], "deletes": [rel(p) for p in deletes]}
        tmp = self.root / (JOURNAL + ".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(doc, fh)
            fh.flush()
            os.fsync(fh.fileno())
        self._step("journal rename")
        os.replace(tmp, self.root / JOURNAL)
        _fsync_path(self.root)

    def _apply_journal(self) -> None:
        path = self.root / JOURNAL
        doc = json.loads(path.read_text(encoding="utf-8"))
        folders = set()
        for a, b in doc["renames"]:
            src, dst = self.root / a, self.root / b
            if src.exists():
                self._step(f"rename {a}")
                os.replace(src, dst)
            folders.add(dst.parent)
        for d in doc["deletes"]:
            p = self.root / d
            if p.exists():
                self._step(f"delete {d}")
                p.unlink()
            folders.add(p.parent)
        for folder in folders:
            _fsync_path(folder)
        self._step("unjournal")
        path.unlink()
        _fsync_path(self.root)

    def recover(self) -> None:
        """Finish an interrupted commit (roll its journal forward), then delete stray temp files.

        Called by :meth:`lock`; takes the lock itself when called without it.
        """
        if not self._lock_depth:
            with self.lock():  # lock() recovers
                return
        if not self.root.is_dir():
            return
        if (self.root / JOURNAL).exists():
            self._apply_journal()
        with contextlib.suppress(FileNotFoundError):
            (self.root / (JOURNAL + ".tmp")).unlink()
        for folder in self.root.iterdir():
            if folder.is_dir():
                for p in folder.iterdir():
                    if p.name.startswith(TMP_PREFIX):
                        p.unlink()
