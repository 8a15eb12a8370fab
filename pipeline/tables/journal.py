"""The commit journal of the ``processed/`` store: all-or-nothing commits across tables.

A commit (:class:`Transaction`) writes new files under hidden temporary names
(``.tmp-<txid>-part-....tmp``, ignored by pandas, polars and DuckDB globs) and fsyncs them;
then ``processed/.journal.json`` (renames temp → final, files to delete) is written to a temp
name, fsynced and renamed into place: **the commit point**. :func:`apply_journal` then
performs the renames and deletions, fsyncs the folders and removes the journal.
:func:`recover` rolls a journal left by a crash forward, or, without one, deletes stray
temporary files, so a crash at any point leaves either the previous or the new state of every
table.

Every commit of a process runs under one gate, so a thread that must end the process (the CLI
when its Prefect server is gone) can wait for the commit in flight: :func:`hold_commits`.

For tests, each step of a commit calls a ``step(name)`` callback (see
``pipeline.tables.store.Store.fault_hook`` and :data:`CRASH_ENV`).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

JOURNAL = ".journal.json"
TMP_PREFIX = ".tmp-"
CRASH_ENV = "SAMVERKAN_STORE_CRASH_AFTER"
"""Test hook: when set to N, the writing process SIGKILLs itself after step N of a commit."""

Step = Callable[[str], None]
"""Called with the name of each commit step before it runs (fault injection in tests)."""

COMMIT_GATE = threading.Lock()
"""Held by every commit in this process; see :func:`hold_commits`."""

_DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


@contextlib.contextmanager
def hold_commits(timeout: float | None = None) -> Iterator[bool]:
    """Wait for the commit in flight in this process (if any) and keep new ones from starting.

    Yields True once no commit can be half-applied while the block runs, or False if
    ``timeout`` seconds passed first. Meant for a caller about to end the process abruptly.
    """
    acquired = COMMIT_GATE.acquire(timeout=-1 if timeout is None else timeout)
    try:
        yield acquired
    finally:
        if acquired:
            COMMIT_GATE.release()


def fsync_path(path: Path) -> None:
    """fsync a file or a folder (so a rename in it is durable)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def is_disk_full(exc: BaseException) -> bool:
    """True if ``exc`` means the disk is full or a size limit was hit."""
    if isinstance(exc, OSError) and exc.errno in _DISK_FULL_ERRNOS:
        return True
    text = str(exc).lower()
    return "no space left" in text or "file too large" in text or "quota exceeded" in text


def tmp_name(txid: str, final_name: str) -> str:
    """Hidden temporary name under which ``final_name`` is written by transaction ``txid``."""
    return f"{TMP_PREFIX}{txid}-{final_name}.tmp"


def new_txid() -> str:
    """A fresh transaction id."""
    return uuid.uuid4().hex[:12]


def read_journal(root: Path) -> dict[str, Any] | None:
    """The journal of a commit being applied (``renames``, ``deletes``; paths relative to ``root``), or None."""
    path = root / JOURNAL
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None  # no commit in flight, or it just finished
    return doc if isinstance(doc, dict) else None


def write_journal(root: Path, renames: list[tuple[Path, Path]], deletes: list[Path], step: Step) -> None:
    """Write the journal durably and atomically: after this returns, the commit has happened."""

    def rel(p: Path) -> str:
        return str(p.relative_to(root))

    doc = {"renames": [[rel(a), rel(b)] for a, b in renames], "deletes": [rel(p) for p in deletes]}
    tmp = root / (JOURNAL + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(doc, fh)
        fh.flush()
        os.fsync(fh.fileno())
    step("journal rename")
    os.replace(tmp, root / JOURNAL)
    fsync_path(root)


def apply_journal(root: Path, step: Step) -> None:
    """Perform the renames and deletions of the journal in ``root`` (idempotent), then remove it."""
    path = root / JOURNAL
    doc = json.loads(path.read_text(encoding="utf-8"))
    folders = set()
    for a, b in doc["renames"]:
        src, dst = root / a, root / b
        if src.exists():
            step(f"rename {a}")
            os.replace(src, dst)
        folders.add(dst.parent)
    for d in doc["deletes"]:
        p = root / d
        if p.exists():
            step(f"delete {d}")
            p.unlink()
        folders.add(p.parent)
    for folder in folders:
        fsync_path(folder)
    step("unjournal")
    path.unlink()
    fsync_path(root)


def recover(root: Path, step: Step) -> None:
    """Finish an interrupted commit (roll its journal forward), then delete stray temporary files."""
    if not root.is_dir():
        return
    if (root / JOURNAL).exists():
        apply_journal(root, step)
    with contextlib.suppress(FileNotFoundError):
        (root / (JOURNAL + ".tmp")).unlink()
    for folder in root.iterdir():
        if folder.is_dir():
            for p in folder.iterdir():
                if p.name.startswith(TMP_PREFIX):
                    p.unlink()


@dataclass
class Transaction:
    """The files of one commit: written temporaries, their final names, files to delete.

    Use :meth:`write` / :meth:`add_staged` / :meth:`delete`, then :meth:`prepare` (writes the
    journal: the commit point) and :meth:`apply`; on any error before the commit point call
    :meth:`abort`.
    """

    root: Path
    step: Step
    txid: str = field(default_factory=new_txid)
    renames: list[tuple[Path, Path]] = field(default_factory=list)
    deletes: list[Path] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)

    def write(self, step_name: str, final: Path, writer: Callable[[Path], None]) -> None:
        """Write the future ``final`` file to a temporary name with ``writer(path)``, and fsync it."""
        tmp = final.parent / tmp_name(self.txid, final.name)
        self.step(step_name)
        self.written.append(tmp)
        writer(tmp)
        fsync_path(tmp)
        self.renames.append((tmp, final))

    def add_staged(self, tmp: Path, final: Path) -> None:
        """Rename the already written (and fsynced) ``tmp`` to ``final`` at commit."""
        self.renames.append((tmp, final))

    def delete(self, final: Path) -> None:
        """Delete ``final`` at commit."""
        self.deletes.append(final)

    @property
    def empty(self) -> bool:
        """True when the commit would change nothing."""
        return not self.renames and not self.deletes

    def prepare(self) -> None:
        """fsync the folders of the new files and write the journal (the commit point)."""
        for folder in {p.parent for p, _ in self.renames}:
            fsync_path(folder)
        self.step("journal")
        write_journal(self.root, self.renames, self.deletes, self.step)

    def apply(self) -> None:
        """Apply the journal written by :meth:`prepare`."""
        apply_journal(self.root, self.step)

    def abort(self) -> None:
        """Remove every temporary file of this transaction (before the commit point)."""
        for p in self.written + [t for t, _ in self.renames]:
            with contextlib.suppress(OSError):
                p.unlink()
        with contextlib.suppress(OSError):
            (self.root / (JOURNAL + ".tmp")).unlink()
