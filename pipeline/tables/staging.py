"""The hidden staging files of :meth:`pipeline.tables.store.Store.rebuild`.

A rebuild streams its batches into one hidden Parquet file per (table, partition), named like
the temporary files of a commit (:func:`pipeline.tables.journal.tmp_name`), so a crash leaves
nothing a reader sees and :func:`pipeline.tables.journal.recover` removes them. An article given
in several batches keeps only the rows of its last batch (:func:`drop_superseded`).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.tables import journal, schemas
from pipeline.tables.rows import part_file

# An open staging file: its writer, its path and (batch number, row count) per appended piece.
StagingWriter = tuple[pq.ParquetWriter, Path, list[tuple[int, int]]]


@dataclass
class Staging:
    """The staging files of one rebuild; ``step`` marks each append (fault injection in tests)."""

    step: journal.Step
    txid: str = field(default_factory=journal.new_txid)
    writers: dict[tuple[str, str], StagingWriter] = field(default_factory=dict)
    seen: dict[str, int] = field(default_factory=dict)  # article_id -> last batch it was given in
    dups: set[str] = field(default_factory=set)  # articles given in more than one batch
    cleanup: list[Path] = field(default_factory=list)

    def note_articles(self, article_ids: dict[str, str], batch_no: int) -> None:
        """Record that the articles ``article_ids`` (keys) come in batch ``batch_no``."""
        for a in article_ids:
            if a in self.seen:
                self.dups.add(a)
            self.seen[a] = batch_no

    def append(self, folder: Path, table: str, part: str, piece: pa.Table, batch_no: int) -> None:
        """Append ``piece`` (rows of batch ``batch_no``) to the staging file of ``table``/``part`` in ``folder``."""
        key = (table, part)
        if key not in self.writers:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = folder / journal.tmp_name(self.txid, part_file(part))
            self.writers[key] = (pq.ParquetWriter(tmp, schemas.schema_for(table), compression="zstd"), tmp, [])
        writer, _, spans = self.writers[key]
        self.step(f"stage {table}/{part}")
        writer.write_table(piece)
        spans.append((batch_no, piece.num_rows))

    def close(self) -> dict[tuple[str, str], Path]:
        """Close the files, drop superseded rows and fsync; returns (table, partition) → staged file."""
        for writer, _tmp, _spans in self.writers.values():
            writer.close()
        staged: dict[tuple[str, str], Path] = {}
        for key, (_w, tmp, spans) in self.writers.items():
            kept: Path | None = tmp
            if self.dups:
                kept = drop_superseded(key[0], tmp, spans, self.dups, self.seen)
            if kept is not None:
                self.cleanup.append(kept)
                staged[key] = kept
                journal.fsync_path(kept)
        return staged

    def discard(self) -> None:
        """Close every writer and delete every staged file."""
        for writer, tmp, _spans in self.writers.values():
            with contextlib.suppress(Exception):
                writer.close()
            self.cleanup.append(tmp)
        for path in self.cleanup:
            with contextlib.suppress(OSError):
                path.unlink()


def drop_superseded(table: str, tmp: Path, spans: list[tuple[int, int]], dups: set[str], last: dict[str, int]) -> Path | None:
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
