"""One-line descriptions of the errors a user can cause or fix, for the CLI."""

from __future__ import annotations

import errno


def describe(exc: BaseException) -> str | None:
    """A clear one-line message for a known error, or None for an unexpected one (a bug)."""
    name = type(exc).__name__
    known = {
        "SourcesError",
        "StoreLockedError",
        "StoreWriteError",
        "RowTypeError",
        "RawStoreError",
        "ExtractError",
        "ReprocessError",
        "ShowError",
        "LoaderError",
        "SchemaMismatchError",
    }
    if name in known:
        return str(exc)
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return f"disk full while writing {exc.filename or 'data'}; free space and run again (stored tables are intact)"
    if isinstance(exc, PermissionError):
        return f"permission denied: {exc.filename}; check the data directory's permissions"
    if isinstance(exc, FileNotFoundError):
        return f"no such file: {exc.filename}"
    text = str(exc)
    if (
        "Cannot connect" in text
        or "ConnectError" in name
        or "All connection attempts failed" in text
        or "Failed to reach API" in text
    ):
        return f"cannot reach the Prefect server ({text}); start it with `prefect server start` or unset PREFECT_API_URL"
    if isinstance(exc, RuntimeError) and "Prefect" in text:
        return text
    return None
