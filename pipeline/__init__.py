"""samverkan: Swedish municipal press releases about collaboration against crime, as Parquet tables.

Importing the package is cheap; ``load`` imports pandas only when called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.tables.loader import Tables


def load(*args: Any, **kwargs: Any) -> Tables:
    """Load the processed tables of a data directory; see :func:`pipeline.tables.loader.load`."""
    from pipeline.tables.loader import load as _load

    return _load(*args, **kwargs)


__all__ = ["load"]
