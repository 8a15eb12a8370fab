"""Crawl state: one SQLite row per canonical URL (``state/crawl.sqlite``, WAL mode).

Holds what incremental crawling needs: validators for conditional GET (ETag, Last-Modified),
the content hash and raw record of the last fetch, the sitemap ``<lastmod>`` seen, status and
last visit. One connection guarded by a lock, so any thread may use one ``CrawlState``.

A discovery page's last body is kept beside its validators (table ``pages``, zlib-compressed),
written in the same transaction (:meth:`CrawlState.record_page`): a 304 or an unchanged sitemap
``<lastmod>`` re-reads the links from that body, so validators never stand for links nobody read.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path

from pipeline.crawl import faults
from pipeline.errors import CrawlStateError

KINDS = ("discovery", "article")
STATUSES = ("pending", "fetched", "unchanged", "skipped", "failed")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS urls (
    canonical_url   TEXT PRIMARY KEY,
    source_id       TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('discovery', 'article')),
    status          TEXT NOT NULL DEFAULT 'pending',
    etag            TEXT,
    last_modified   TEXT,
    content_sha256  TEXT,
    last_visit      TEXT,
    raw_id          TEXT,
    sitemap_lastmod TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    error           TEXT,
    doc_type        TEXT,
    found_url       TEXT
);
CREATE INDEX IF NOT EXISTS urls_source ON urls (source_id, kind, status);
CREATE TABLE IF NOT EXISTS pages (
    canonical_url   TEXT PRIMARY KEY,
    final_url       TEXT NOT NULL,
    content_type    TEXT NOT NULL,
    body            BLOB NOT NULL
);
"""
_UPSERT = """
INSERT INTO urls (canonical_url, source_id, kind, status, etag, last_modified, content_sha256,
                  last_visit, raw_id, sitemap_lastmod, attempts, error, doc_type)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)
ON CONFLICT (canonical_url) DO UPDATE SET
    source_id = excluded.source_id,
    kind = excluded.kind,
    status = excluded.status,
    etag = COALESCE(excluded.etag, urls.etag),
    last_modified = COALESCE(excluded.last_modified, urls.last_modified),
    content_sha256 = COALESCE(excluded.content_sha256, urls.content_sha256),
    last_visit = excluded.last_visit,
    raw_id = COALESCE(excluded.raw_id, urls.raw_id),
    sitemap_lastmod = COALESCE(excluded.sitemap_lastmod, urls.sitemap_lastmod),
    attempts = urls.attempts + 1,
    error = excluded.error,
    doc_type = COALESCE(excluded.doc_type, urls.doc_type)
"""


@dataclass(frozen=True)
class UrlState:
    """What is known about one canonical URL."""

    canonical_url: str
    source_id: str
    kind: str
    status: str = "pending"
    etag: str | None = None
    last_modified: str | None = None
    content_sha256: str | None = None
    last_visit: datetime | None = None
    raw_id: str | None = None
    sitemap_lastmod: str | None = None
    attempts: int = 0
    error: str | None = None
    doc_type: str | None = None  # discovery pages: feed, sitemap, sitemapindex, html
    found_url: str | None = None  # the URL as discovery found it (fetched as written, not canonicalised)


@dataclass(frozen=True)
class StoredPage:
    """The last body of a discovery page, as fetched."""

    final_url: str
    content_type: str
    body: bytes


_COLUMNS = [f.name for f in fields(UrlState)]
_SETUP_LOCK = threading.Lock()


class CrawlState:
    """Per-URL crawl state in SQLite. Use as a context manager or call ``close()``."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
            self._setup()
        except sqlite3.DatabaseError as exc:
            raise CrawlStateError(
                f"{self.path}: cannot open the crawl state ({exc}). Delete the file to start afresh "
                "(articles already in raw/ are then fetched again once)."
            ) from exc

    def _setup(self) -> None:
        """WAL mode, schema and column upgrades. Sources crawled in parallel open a fresh file at the
        same moment, and switching to WAL can answer "database is locked" without waiting for the busy
        timeout: setup is serialised within the process and retried briefly across processes."""
        for attempt in range(50):
            try:
                with _SETUP_LOCK:
                    self._conn.execute("PRAGMA journal_mode=WAL")
                    self._conn.execute("PRAGMA synchronous=NORMAL")
                    self._conn.executescript(_SCHEMA)
                    cols = {row[1] for row in self._conn.execute("PRAGMA table_info(urls)")}
                    for col in ("doc_type", "found_url"):  # state files written before these columns existed
                        if col not in cols:
                            self._conn.execute(f"ALTER TABLE urls ADD COLUMN {col} TEXT")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == 49:
                    raise
                time.sleep(0.1)

    @classmethod
    def in_state_dir(cls, state_dir: str | os.PathLike[str]) -> CrawlState:
        """Open ``<state_dir>/crawl.sqlite``."""
        return cls(Path(state_dir) / "crawl.sqlite")

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> CrawlState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @staticmethod
    def _row(row: tuple[object, ...]) -> UrlState:
        values = dict(zip(_COLUMNS, row, strict=True))
        lv = values["last_visit"]
        values["last_visit"] = datetime.fromisoformat(str(lv)) if lv else None
        return UrlState(**values)  # type: ignore[arg-type]

    def get(self, canonical_url: str) -> UrlState | None:
        """The state of one URL, or None if never seen."""
        with self._lock:
            sql = f"SELECT {', '.join(_COLUMNS)} FROM urls WHERE canonical_url = ?"  # noqa: S608 - column names are a module constant
            cur = self._conn.execute(sql, (canonical_url,))
            row = cur.fetchone()
        return self._row(row) if row else None

    def add_discovered(self, canonical_url: str, source_id: str, kind: str, sitemap_lastmod: str | None = None) -> bool:
        """Record a URL as seen (status pending) if new; returns True if it was new."""
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
        with self._lock:
            cur = self._conn.execute(
                "INSERT OR IGNORE INTO urls (canonical_url, source_id, kind, sitemap_lastmod) VALUES (?, ?, ?, ?)",
                (canonical_url, source_id, kind, sitemap_lastmod),
            )
            return cur.rowcount == 1

    def add_discovered_many(self, items: list[tuple[str, str | None, str | None]], source_id: str, kind: str) -> int:
        """Record many ``(canonical_url, sitemap_lastmod, found_url)`` as seen (pending) in one transaction.

        Returns how many were new."""
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
        with self._lock:
            before = self._conn.total_changes
            self._conn.execute("BEGIN")  # the connection is in autocommit mode: one explicit transaction
            try:
                self._conn.executemany(
                    "INSERT OR IGNORE INTO urls (canonical_url, source_id, kind, sitemap_lastmod, found_url) VALUES (?, ?, ?, ?, ?)",
                    [(url, source_id, kind, lastmod, found) for url, lastmod, found in items],
                )
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
            return self._conn.total_changes - before

    def record_visit(
        self,
        canonical_url: str,
        source_id: str,
        kind: str,
        status: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        content_sha256: str | None = None,
        raw_id: str | None = None,
        sitemap_lastmod: str | None = None,
        error: str | None = None,
        when: datetime | None = None,
        doc_type: str | None = None,
    ) -> None:
        """Record the outcome of a request. Validators, hash and raw id are kept when not given."""
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
        if status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {status!r}")
        args = _visit_args(canonical_url, source_id, kind, status, etag, last_modified, content_sha256, raw_id,
                           sitemap_lastmod, error, when, doc_type)
        with self._lock:
            self._conn.execute(_UPSERT, args)

    def record_page(
        self,
        canonical_url: str,
        source_id: str,
        page: StoredPage,
        *,
        etag: str | None,
        last_modified: str | None,
        content_sha256: str,
        sitemap_lastmod: str | None,
        doc_type: str,
    ) -> None:
        """Record a discovery page fetched in full: validators, hash and its body, in one transaction."""
        args = _visit_args(canonical_url, source_id, "discovery", "fetched", etag, last_modified, content_sha256,
                           None, sitemap_lastmod, None, None, doc_type)
        blob = zlib.compress(page.body, 6)
        with self._lock:
            self._conn.execute("BEGIN")
            try:
                self._conn.execute(_UPSERT, args)
                faults.step(f"state: writing page {canonical_url}")
                self._conn.execute(
                    "INSERT OR REPLACE INTO pages (canonical_url, final_url, content_type, body) VALUES (?, ?, ?, ?)",
                    (canonical_url, page.final_url, page.content_type, blob),
                )
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def stored_page(self, canonical_url: str) -> StoredPage | None:
        """The body recorded with a discovery page's validators, or None (never fetched in full, unreadable)."""
        with self._lock:
            row = self._conn.execute(
                "SELECT final_url, content_type, body FROM pages WHERE canonical_url = ?", (canonical_url,)
            ).fetchone()
        if row is None:
            return None
        try:
            return StoredPage(str(row[0]), str(row[1]), zlib.decompress(row[2]))
        except (zlib.error, TypeError):
            return None

    def has_stored_page(self, canonical_url: str) -> bool:
        """Whether a body is recorded for this discovery page (its validators may then be used)."""
        with self._lock:
            cur = self._conn.execute("SELECT 1 FROM pages WHERE canonical_url = ?", (canonical_url,))
            return cur.fetchone() is not None

    def set_sitemap_lastmod(self, canonical_url: str, lastmod: str) -> None:
        """Remember the sitemap ``<lastmod>`` of a URL."""
        with self._lock:
            self._conn.execute("UPDATE urls SET sitemap_lastmod = ? WHERE canonical_url = ?", (lastmod, canonical_url))

    def iter_source(self, source_id: str, kind: str | None = None, status: str | None = None) -> Iterator[UrlState]:
        """All URL states of one source, optionally filtered by kind and status."""
        sql = f"SELECT {', '.join(_COLUMNS)} FROM urls WHERE source_id = ?"  # noqa: S608 - column names are a module constant
        args: list[object] = [source_id]
        if kind:
            sql += " AND kind = ?"
            args.append(kind)
        if status:
            sql += " AND status = ?"
            args.append(status)
        with self._lock:
            rows = self._conn.execute(sql + " ORDER BY canonical_url", args).fetchall()
        for row in rows:
            yield self._row(row)

    def counts(self, source_id: str | None = None) -> dict[str, int]:
        """Number of URLs per ``kind:status`` (for one source or all)."""
        sql = "SELECT kind || ':' || status, COUNT(*) FROM urls"
        args: tuple[object, ...] = ()
        if source_id:
            sql += " WHERE source_id = ?"
            args = (source_id,)
        with self._lock:
            return dict(self._conn.execute(sql + " GROUP BY 1", args).fetchall())


def _visit_args(
    canonical_url: str,
    source_id: str,
    kind: str,
    status: str,
    etag: str | None,
    last_modified: str | None,
    content_sha256: str | None,
    raw_id: str | None,
    sitemap_lastmod: str | None,
    error: str | None,
    when: datetime | None,
    doc_type: str | None,
) -> tuple[object, ...]:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    if status not in STATUSES:
        raise ValueError(f"status must be one of {STATUSES}, not {status!r}")
    visit = (when or datetime.now(UTC)).astimezone(UTC).isoformat()
    return (canonical_url, source_id, kind, status, etag, last_modified, content_sha256, visit, raw_id,
            sitemap_lastmod, error, doc_type)
