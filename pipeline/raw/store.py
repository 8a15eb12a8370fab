"""The immutable raw archive: exact response bytes plus a JSON meta file, written once.

Layout (sharded by fetch month so directories stay small)::

    raw/<yyyy>/<mm>/<raw_id>.body    exact response bytes
    raw/<yyyy>/<mm>/<raw_id>.json    url, final_url, status, headers, fetched_at, …
    raw/index.jsonl                  one line per record: raw_id, canonical url, fetched_at

File names come from the record id (fetch time + a hash), never from the URL, so no URL can
steer a path. Files are created through a temp file + ``os.link`` (fails if the target exists),
fsynced, and never rewritten.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline.errors import RawStoreError
from pipeline.urls import canonicalize

_RAW_ID_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{6})Z-([0-9a-f]{24})$")
INDEX_NAME = "index.jsonl"


@dataclass(frozen=True)
class RawRecord:
    """One archived HTTP response."""

    raw_id: str
    source_id: str
    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    fetched_at: datetime
    content_type: str
    body_path: Path
    canonical_url: str = ""
    body_sha256: str = ""
    kind: str = "article"
    extra: dict[str, Any] = field(default_factory=dict)

    def body(self) -> bytes:
        """The exact response bytes."""
        try:
            return self.body_path.read_bytes()
        except OSError as exc:
            raise RawStoreError(
                f"{self.body_path}: cannot read the body of raw record {self.raw_id} ({exc}). "
                "Re-fetch the URL or restore raw/ from backup."
            ) from exc


def _utc(dt: datetime) -> datetime:
    if dt.tzinfo is None:
        return dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def make_raw_id(url: str, fetched_at: datetime, body: bytes) -> str:
    """Record id: UTC fetch time (second precision) + 24 hex digits of a hash of URL, time and body."""
    fetched_at = _utc(fetched_at)
    h = hashlib.sha256()
    h.update(url.encode("utf-8", "surrogatepass"))
    h.update(b"\0" + fetched_at.isoformat().encode() + b"\0")
    h.update(hashlib.sha256(body).digest())
    return f"{fetched_at:%Y%m%dT%H%M%SZ}-{h.hexdigest()[:24]}"


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_once(target: Path, data: bytes) -> bool:
    """Create ``target`` with ``data`` atomically; return False if it already exists (left untouched)."""
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, target)
        except FileExistsError:
            return False
        return True
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


class RawStore:
    """Write-once archive of HTTP responses under ``root`` (usually ``<data-dir>/raw``)."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self._lock = threading.Lock()
        self._latest: dict[str, tuple[str, str]] | None = None  # canonical url -> (fetched_at iso, raw_id)

    # -- paths -------------------------------------------------------------------------------
    def _paths(self, raw_id: str) -> tuple[Path, Path]:
        m = _RAW_ID_RE.match(raw_id)
        if not m:
            raise RawStoreError(
                f"{raw_id!r} is not a raw record id (expected e.g. 20240301T120000Z-<24 hex digits>). "
                "Use an id printed by a crawl or listed by iter_records()."
            )
        folder = self.root / m.group(1) / m.group(2)
        return folder / f"{raw_id}.body", folder / f"{raw_id}.json"

    # -- writing -----------------------------------------------------------------------------
    def put(
        self,
        source_id: str,
        url: str,
        final_url: str,
        status: int,
        headers: Mapping[str, str],
        body: bytes,
        fetched_at: datetime,
        extra: Mapping[str, Any] | None = None,
        kind: str = "article",
    ) -> RawRecord:
        """Archive one response; returns its record. Writing the same response twice is a no-op.

        ``kind`` is "article" (pages for the extract stage) or "discovery" (feeds, sitemaps, listings).
        """
        fetched_at = _utc(fetched_at)
        raw_id = make_raw_id(url, fetched_at, body)
        body_path, meta_path = self._paths(raw_id)
        hdrs = {str(k).lower(): str(v) for k, v in headers.items()}
        canonical = canonicalize(url)
        meta: dict[str, Any] = {
            "raw_id": raw_id,
            "source_id": source_id,
            "kind": kind,
            "url": url,
            "canonical_url": canonical,
            "final_url": final_url,
            "status": int(status),
            "headers": hdrs,
            "fetched_at": fetched_at.isoformat(),
            "content_type": hdrs.get("content-type", ""),
            "body_file": body_path.name,
            "body_size": len(body),
            "body_sha256": hashlib.sha256(body).hexdigest(),
            "extra": dict(extra or {}),
        }
        try:
            body_path.parent.mkdir(parents=True, exist_ok=True)
            _write_once(body_path, body)
            created = _write_once(meta_path, json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"))
            _fsync_dir(body_path.parent)
        except OSError as exc:
            raise RawStoreError(
                f"{body_path.parent}: cannot write raw record {raw_id} ({exc}). Check disk space and permissions."
            ) from exc
        if created:
            self._append_index(raw_id, canonical, meta["fetched_at"])
        return self.get(raw_id)

    def _append_index(self, raw_id: str, canonical: str, fetched_at: str) -> None:
        line = json.dumps({"raw_id": raw_id, "url": canonical, "fetched_at": fetched_at}, ensure_ascii=False) + "\n"
        with self._lock:
            self.root.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.root / INDEX_NAME, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, line.encode("utf-8"))
                os.fsync(fd)
            finally:
                os.close(fd)
            if self._latest is not None:
                prev = self._latest.get(canonical)
                if prev is None or prev[0] <= fetched_at:
                    self._latest[canonical] = (fetched_at, raw_id)

    # -- reading -----------------------------------------------------------------------------
    def exists(self, raw_id: str) -> bool:
        """True if a complete record (meta file) exists for ``raw_id``."""
        return self._paths(raw_id)[1].exists()

    def get(self, raw_id: str) -> RawRecord:
        """Load one record; raises ``RawStoreError`` naming the file if it is missing or corrupt."""
        body_path, meta_path = self._paths(raw_id)
        return self._load(meta_path, body_path, raw_id)

    def _load(self, meta_path: Path, body_path: Path, raw_id: str) -> RawRecord:
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise RawStoreError(f"{meta_path}: raw record {raw_id} not found. Check the id or the --data-dir.") from exc
        except (OSError, ValueError) as exc:
            raise RawStoreError(
                f"{meta_path}: meta file of raw record {raw_id} is corrupt ({exc}). "
                "Restore it from backup or delete the record pair and re-fetch."
            ) from exc
        try:
            if meta["raw_id"] != raw_id:
                raise ValueError(f"meta names raw_id {meta['raw_id']!r}")
            if not body_path.exists():
                raise ValueError(f"body file {body_path.name} is missing")
            return RawRecord(
                raw_id=raw_id,
                source_id=str(meta["source_id"]),
                url=str(meta["url"]),
                final_url=str(meta["final_url"]),
                status=int(meta["status"]),
                headers={str(k): str(v) for k, v in dict(meta["headers"]).items()},
                fetched_at=_utc(datetime.fromisoformat(meta["fetched_at"])),
                content_type=str(meta.get("content_type", "")),
                body_path=body_path,
                canonical_url=str(meta.get("canonical_url") or canonicalize(meta["url"])),
                body_sha256=str(meta.get("body_sha256", "")),
                kind=str(meta.get("kind", "article")),
                extra=dict(meta.get("extra") or {}),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise RawStoreError(
                f"{meta_path}: meta file of raw record {raw_id} is invalid ({exc}). "
                "Restore it from backup or delete the record pair and re-fetch."
            ) from exc

    def iter_records(self, on_error: Callable[[RawStoreError], None] | None = None) -> Iterator[RawRecord]:
        """All records, oldest month first, in id order within a month.

        A corrupt or torn record raises :class:`RawStoreError`, unless ``on_error`` is given: then it
        is called with the error and the record skipped, so one bad file never stops an archive run.
        """
        if not self.root.exists():
            return
        for year in sorted(p for p in self.root.iterdir() if p.is_dir() and p.name.isdigit()):
            for month in sorted(p for p in year.iterdir() if p.is_dir() and p.name.isdigit()):
                for meta_path in sorted(month.glob("*.json")):
                    raw_id = meta_path.stem
                    if not _RAW_ID_RE.match(raw_id):
                        continue
                    try:
                        record = self._load(meta_path, month / f"{raw_id}.body", raw_id)
                    except RawStoreError as exc:
                        if on_error is None:
                            raise
                        on_error(exc)
                        continue
                    yield record

    def _load_index(self) -> dict[str, tuple[str, str]]:
        latest: dict[str, tuple[str, str]] = {}
        index = self.root / INDEX_NAME
        if index.exists():
            with index.open(encoding="utf-8") as fh:
                for line in fh:
                    try:
                        row = json.loads(line)
                        key, ts, rid = row["url"], row["fetched_at"], row["raw_id"]
                    except (ValueError, KeyError, TypeError):
                        continue  # a torn last line after a crash; rebuild_index() repairs it
                    prev = latest.get(key)
                    if prev is None or prev[0] <= ts:
                        latest[key] = (ts, rid)
        return latest

    def latest_for_url(self, url: str) -> RawRecord | None:
        """The most recently fetched record for ``url`` (canonicalised), or None."""
        with self._lock:
            if self._latest is None:
                self._latest = self._load_index()
            hit = self._latest.get(canonicalize(url))
        return self.get(hit[1]) if hit else None

    def rebuild_index(self) -> int:
        """Rewrite ``index.jsonl`` from the meta files (after a crash or manual restore); returns records."""
        rows = [
            json.dumps({"raw_id": r.raw_id, "url": r.canonical_url, "fetched_at": r.fetched_at.isoformat()})
            for r in self.iter_records()
        ]
        with self._lock:
            self.root.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-index-", dir=self.root)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write("".join(r + "\n" for r in rows))
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.root / INDEX_NAME)
            self._latest = None
        return len(rows)
