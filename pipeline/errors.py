"""The errors a user can cause or fix, in one hierarchy, and their one-line descriptions.

Every error the pipeline raises on purpose is a :class:`SamverkanError`; its message is one line
that names the input (file, URL, id, folder) and says what to do. The CLI maps errors by
``isinstance`` (never by class name): a :class:`SamverkanError` is printed as that line with exit
code :attr:`SamverkanError.exit_code` (2, bad input or setup). :func:`describe` also gives a line for
a few errors of the operating system and of Prefect that users meet (full disk, permission
denied, unreachable server); anything else is a bug and keeps its traceback.

The classes are re-exported where they were defined before (e.g.
``pipeline.tables.store.StoreLockedError``); both names are the same class.
"""

from __future__ import annotations

import errno


class SamverkanError(Exception):
    """Base of every known error: the message names the input and what to do about it."""

    exit_code: int = 2
    """Exit code of the CLI when this error ends a command (2: bad input or setup)."""


# ---------------------------------------------------------------- crawl
class SourcesError(SamverkanError, ValueError):
    """A registry file is missing, unreadable or has an invalid entry."""


class CrawlStateError(SamverkanError, RuntimeError):
    """The crawl state database cannot be opened or is damaged."""


class DiscoveryParseError(SamverkanError, ValueError):
    """A feed, sitemap or listing page cannot be parsed (or is refused as unsafe)."""


class RefetchError(SamverkanError, RuntimeError):
    """A page asked for by hand (``reprocess --refetch``) could not be downloaded."""


# ---------------------------------------------------------------- raw archive, text
class RawStoreError(SamverkanError, RuntimeError):
    """A raw record is missing, corrupt or cannot be written."""


class ExtractError(SamverkanError, ValueError):
    """The input cannot be turned into article text; the message names the input and what to do."""


# ---------------------------------------------------------------- tables
class StoreLockedError(SamverkanError, RuntimeError):
    """Another process holds the single-writer lock of the store."""


class StoreWriteError(SamverkanError, OSError):
    """Writing the store failed (e.g. disk full); the previous tables are intact."""


class RowTypeError(SamverkanError, ValueError):
    """A row does not fit the table's schema."""


class DataDirError(SamverkanError, FileNotFoundError):
    """The data directory has no ``processed/`` folder (nothing has been written yet)."""


# ---------------------------------------------------------------- run, report
class ArticleLookupError(SamverkanError, KeyError):
    """No article (or more than one) matches the id, id prefix, URL or raw id given (also a ``KeyError``)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class AmbiguousArticleError(ArticleLookupError):
    """An ``article_id`` prefix matches more than one article."""


class ReprocessError(SamverkanError, ValueError):
    """The article cannot be reprocessed; the message names it and what to do."""


class ShowError(SamverkanError):
    """An article cannot be shown; the message names the input and what to do."""


class ArticleNotFoundError(ShowError, ArticleLookupError):
    """No article matches the given id or URL (a :class:`ShowError` and a ``KeyError``)."""


class GoldError(SamverkanError, ValueError):
    """A gold file or folder cannot be read or lacks a required field."""


# ---------------------------------------------------------------- orchestration
class PrefectServerError(SamverkanError, RuntimeError):
    """No Prefect server is configured or it does not answer (raised by ``flows/``)."""


# ---------------------------------------------------------------- demo
class DemoRegistryError(SamverkanError, ValueError):
    """The demo registry cannot be rendered from the given base URLs."""


class DemoServerError(SamverkanError, RuntimeError):
    """The demo sites cannot be served (e.g. the ports are taken)."""


_DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_SERVER_GONE = ("Cannot connect", "All connection attempts failed", "Failed to reach API")


def describe(exc: BaseException) -> str | None:
    """A clear one-line message for a known error, or None for an unexpected one (a bug)."""
    if isinstance(exc, SamverkanError):
        return str(exc)
    if isinstance(exc, OSError) and exc.errno in _DISK_FULL_ERRNOS:
        return f"disk full while writing {exc.filename or 'data'}; free space and run again (stored tables are intact)"
    if isinstance(exc, PermissionError):
        return f"permission denied: {exc.filename or exc}; check the data directory's permissions"
    if isinstance(exc, FileNotFoundError):
        return f"no such file: {exc.filename}" if exc.filename else f"{exc}; check the path"
    text = str(exc)
    if any(s in text for s in _SERVER_GONE) or "ConnectError" in type(exc).__name__:
        return f"cannot reach the Prefect server ({text}); start it with `prefect server start` or unset PREFECT_API_URL"
    if isinstance(exc, RuntimeError) and "Prefect" in text:
        return text
    return None
