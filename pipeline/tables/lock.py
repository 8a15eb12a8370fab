"""The single-writer lock of the ``processed/`` store (``processed/.lock``, ``fcntl.flock``).

The lock file holds the pid, host and start time of the holder, so a second writer can say who
holds it. A lock left by a dead process on this host (e.g. inherited by an orphaned child) is
taken over.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import socket
from pathlib import Path
from typing import Any

from pipeline.errors import StoreLockedError

LOCK = ".lock"


class WriterLock:
    """An exclusive, non-blocking lock on ``root/.lock``: :meth:`acquire` then :meth:`release`."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.path = self.root / LOCK
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        """True while this object holds the lock."""
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock or raise :class:`StoreLockedError` at once, naming the holder and the lock file."""
        self.root.mkdir(parents=True, exist_ok=True)
        for attempt in range(2):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read_holder(fd)
                os.close(fd)
                if attempt == 0 and _holder_is_dead(holder):
                    # The holder's process is gone but the lock survives: take over with a fresh lock file.
                    with contextlib.suppress(FileNotFoundError):
                        self.path.unlink()
                    continue
                raise StoreLockedError(_locked_message(self.path, holder)) from None
            if not self._still_the_lock_file(fd):  # unlinked by a take-over meanwhile
                os.close(fd)
                continue
            info = {
                "pid": os.getpid(),
                "host": socket.gethostname(),
                "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            }
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(info).encode(), 0)
            self._fd = fd
            return
        raise StoreLockedError(_locked_message(self.path, {}))

    def _still_the_lock_file(self, fd: int) -> bool:
        try:
            return os.stat(self.path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            return False

    def release(self) -> None:
        """Give the lock up (no-op when not held)."""
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def _read_holder(fd: int) -> dict[str, Any]:
    try:
        data = os.pread(fd, 4096, 0)
        info = json.loads(data.decode() or "{}")
        return info if isinstance(info, dict) else {}
    except (OSError, ValueError):
        return {}


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


def _locked_message(path: Path, holder: dict[str, Any]) -> str:
    who = f"pid {holder.get('pid', '?')} on host {holder.get('host', '?')}, holding it since {holder.get('started_at', '?')}"
    return (
        f"the store {path.parent} is locked by another writer ({who}; lock file {path}). "
        "Wait for that run to finish and retry; if that process no longer exists, delete the lock file."
    )
